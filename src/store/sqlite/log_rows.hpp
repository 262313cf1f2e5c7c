// The leaves the SQLite backend appends to the tamper-evident log (store/log_store.hpp) inside
// the transaction of the write they describe: events (sqlite_store.cpp), error declarations
// and audit entries (InsertAudit), and the leaves of AppendLeaves (sqlite_log.cpp).
//
// Private to the SQLite backend. The canonical forms hashed into "sha256:" leaves are specified
// in docs/ledger.md.
//
// Thread-safety: a LogAppender is used by one thread, inside one write transaction on the
// writer connection (writer_mu_ held); it must not outlive the transaction.
//
// Example:
//   LogAppender log(connection);
//   VNTRACE_RETURN_IF_ERROR(log.AppendEvent(event, rowid));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "epcis/event.hpp"
#include "store/log_store.hpp"
#include "store/registry_store.hpp"
#include "store/sqlite/connection.hpp"

namespace vntrace::store::sqlite {

// The CBV 2.0 hash ID of an event's JSON-LD object (with the prefixes of its own @context).
// kInvalidArgument when it cannot be hashed (no string "type").
core::Result<std::string> ContentHashId(const boost::json::object& event);

// The data of an event's leaf: its eventID when that is already a hash ID ("ni:///sha-256;…"),
// otherwise ContentHashId of its JSON.
core::Result<std::string> EventLeafData(const epcis::Event& event);

// "sha256:<hex>" of the canonical form of an audit entry stored with `sequence`.
std::string AuditLeafData(const AuditEntry& audit, std::int64_t sequence);

// "sha256:<hex>" of the canonical form of the vocabulary element `id` of `type` as stored after a
// capture (`element_json`: the merged element's JSON text).
std::string MasterDataLeafData(std::string_view type, std::string_view id,
                               std::string_view element_json);

// "sha256:<hex>" of the canonical form of the error declaration `declaration` (an event with an
// errorDeclaration) whose hash ID is `declaration_hash_id`.
std::string DeclarationLeafData(const epcis::Event& declaration,
                                std::string_view declaration_hash_id);

// Appends, when the log is empty while events or audit entries exist (a database written before
// the log existed), the leaves of every stored event (rowid order, each followed by the leaf of
// its error declaration, if any) and then of every audit entry (sequence order), in one
// transaction. Does nothing otherwise. `connection` is the writer, outside any transaction.
core::Status BackfillLog(Connection& connection);

class LogAppender {
 public:
  // `connection` must be inside a write transaction and outlive the appender.
  explicit LogAppender(Connection& connection) : connection_(connection) {}
  LogAppender(const LogAppender&) = delete;
  LogAppender& operator=(const LogAppender&) = delete;

  // Appends the leaf of the event just stored as row `rowid` of events.
  core::Status AppendEvent(const epcis::Event& event, std::int64_t rowid);
  // Appends the leaf of `declaration`, just recorded on the event stored as row `rowid`.
  core::Status AppendDeclaration(const epcis::Event& declaration, std::int64_t rowid);
  // Appends the leaf of the vocabulary element just stored as row `rowid` of
  // vocabulary_elements (see MasterDataLeafData).
  core::Status AppendMasterData(std::string_view type, std::string_view id,
                                std::string_view element_json, std::int64_t rowid);
  // Appends the leaf of the audit entry just stored with `sequence`.
  core::Status AppendAudit(const AuditEntry& audit, std::int64_t sequence);
  // Appends one leaf and the complete subtrees it completes; returns its index.
  core::Result<std::int64_t> Append(LeafKind kind, std::string_view data,
                                    std::optional<std::int64_t> source_row);

 private:
  // The hash of the complete node (level, index), written earlier in the log.
  core::Result<LogHash> StoredNode(int level, std::int64_t index);

  Connection& connection_;
  std::optional<std::int64_t> size_;  // read on first append
  // Per level, the last left child appended by this appender (index, hash), which the next
  // node of that level pairs with.
  std::vector<std::optional<std::pair<std::int64_t, LogHash>>> left_;
};

}  // namespace vntrace::store::sqlite
