// trace::Trace: where a thing came from and where it went, as a graph of the lots, items,
// containers, parties and locations that stored EPCIS events link.
//
// One node per real thing: identifiers are compared in canonical form (epcis::CanonicalIdentifier),
// so the Digital Link and the EPC URN of the same lot or item are one node, named by its
// https://id.gs1.org Digital Link; other URIs are kept as sent.
//
// The walk follows, event by event in eventTime order (not arrival order), and ignores events
// whose error was declared:
//   - TransformationEvents: inputs → outputs, instance- and class-level, through every event
//     sharing a transformationID;
//   - AggregationEvents and AssociationEvents: a parent contains its children from ADD (or
//     OBSERVE) until the DELETE that removes them; while a thing is inside a container, the
//     container's movements and observations are the thing's;
//   - class ⇄ instance: an item belongs to the lot its Digital Link (/10/) or the ILMD lotNumber
//     of its commissioning event names (epcis::IndexKind::kInstanceLot);
//   - movements: sourceList, destinationList, bizLocation (and readPoint when there is no
//     bizLocation) give the parties and locations that held the thing, and when.
//
// Backward, the walk goes from outputs to their true inputs, from an item to its lot, from a
// container to what it contained, and up to the containers that carried the thing before; it
// never goes forward again (a lot made from A and B does not reach C because C was also mixed
// with B elsewhere). Forward, it goes from inputs to outputs, from a lot to its items, from a
// container to what it holds, and up to the containers that carried the thing afterwards — but
// never down from a carrying container into what else it held. Parties and locations end a path.
//
// Thread-safety: Trace is reentrant; the store must be usable from the calling thread.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(trace::TraceResult r,
//       trace::Trace(store, "https://id.gs1.org/01/08935000000019/10/L1",
//                    {.direction = trace::Direction::kForward}));
//   boost::json::object json = trace::TraceToJson(r);
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace vntrace::trace {

enum class Direction { kBackward, kForward, kBoth };
// "backward" | "forward" | "both"; kInvalidArgument otherwise.
core::Result<Direction> ParseDirection(std::string_view text);
std::string_view DirectionName(Direction direction);

enum class NodeKind { kLot, kItem, kContainer, kLocation, kParty };
std::string_view NodeKindName(NodeKind kind);

enum class EdgeKind { kInput, kContains, kBelongsTo, kShipped, kReceived, kObserved };
std::string_view EdgeKindName(EdgeKind kind);

struct Node {
  std::string id;  // canonical identifier
  NodeKind kind = NodeKind::kItem;
  std::string label;  // a short human-readable name made from the identifier
  int depth = 0;      // edges from the root along the walk
  std::optional<core::Timestamp> first_seen;  // earliest event of an edge touching the node
  std::optional<core::Timestamp> last_seen;   // latest one
};

// Edges point along the flow of material and custody: input → output, container → content,
// item → lot, shipper (party or location) → thing → receiver or place where it was observed.
struct Edge {
  std::string from;
  std::string to;
  EdgeKind kind = EdgeKind::kInput;
  std::string event_id;
  core::Timestamp time;  // the event's eventTime
};

struct TraceOptions {
  Direction direction = Direction::kBoth;
  // Edges from the root beyond which the walk stops (nodes at this depth are listed, not
  // expanded); nullopt: no limit.
  std::optional<int> depth;
  // The walk stops (truncated = true) once it has this many nodes.
  std::size_t max_nodes = 100'000;
};

struct TraceResult {
  std::string root;                 // canonical identifier of the root
  std::vector<Node> nodes;          // the root first, then by depth and identifier
  std::vector<Edge> edges;          // by time, then from, to, kind
  bool truncated = false;           // max_nodes was reached
  std::size_t events_examined = 0;  // distinct events read
};

// Traces `id` (any URI; EPC URN or Digital Link forms are canonicalised). kInvalidArgument for
// an empty or overlong identifier; a thing no stored event names gives a result holding only
// the root. Store errors are passed on.
core::Result<TraceResult> Trace(store::Store& store, std::string_view id,
                                const TraceOptions& options);

// The same walk on an open reader (so that several walks share one snapshot).
core::Result<TraceResult> Trace(store::EventLinkReader& reader, std::string_view id,
                                const TraceOptions& options);

// {"root", "direction", "nodes": [{"id", "kind", "label", "depth", "firstSeen", "lastSeen"}],
//  "edges": [{"from", "to", "kind", "eventID", "time"}], "truncated", "eventsExamined"}
boost::json::object TraceToJson(const TraceResult& result, Direction direction);

// A label for an identifier: "GTIN 08935000000019 · lot L1", "SSCC 0893500…", "GLN …", or the
// URI itself.
std::string LabelOf(std::string_view canonical_id);

}  // namespace vntrace::trace
