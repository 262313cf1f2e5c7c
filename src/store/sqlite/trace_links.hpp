// The trace link tables (migration 10, "trace links"): what graph walks (src/trace) read,
// written by CaptureEvents in the capture transaction and read by SqliteStore's link reader.
//
// trace_nodes interns identifiers (its rowid is the node number), trace_links holds one row per
// (node, event, index kind, peer) clustered by node, trace_events one row per event (eventTime,
// flags, location). See the migration for the layout and the flag bits.
//
// Thread-safety: functions of the connection they are given; one thread per connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "epcis/event.hpp"
#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace vntrace::store::sqlite {

// Writes the link rows of stored events within one capture transaction. Node numbers found or
// made are remembered for the writer's life (which must not outlive the transaction: a rollback
// would leave it holding numbers that were never stored).
class TraceLinkWriter {
 public:
  explicit TraceLinkWriter(Connection& connection) : connection_(connection) {}

  // The rows of the new event `event`, stored under `rowid`.
  core::Status AddEvent(std::int64_t rowid, const epcis::Event& event);
  // Marks the stored event `rowid` declared erroneous: walks stop following it.
  core::Status MarkDeclared(std::int64_t rowid);

 private:
  core::Result<std::int64_t> Node(std::string_view name);

  Connection& connection_;
  std::unordered_map<std::string, std::int64_t> nodes_;
  std::vector<std::int64_t> scratch_;
};

// The index kinds written to trace_links.
bool IsTraceLinkKind(epcis::IndexKind kind);

// The reader side, on a connection inside a read transaction.
core::Result<std::int64_t> FindTraceNode(Connection& connection, std::string_view name);
core::Result<std::string> TraceNodeName(Connection& connection, std::int64_t node);
core::Status FindTraceNodeLinks(Connection& connection, std::int64_t node,
                                std::vector<NodeLink>& links);
core::Status ReadTraceEvent(Connection& connection, std::int64_t record, EventLinks& event);

}  // namespace vntrace::store::sqlite
