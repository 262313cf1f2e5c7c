// trace::BuildRecall: the recall report of a lot — every lot, item and container its material
// reached, with quantities, every party and location that received them and when, and one row
// per critical tracking event (CTE) and affected thing, in the layout of the FSMA 204 "sortable
// spreadsheet" (key data elements per CTE), with Vietnamese and English column headers.
//
// The report is the forward trace of the lot (trace::Trace) plus what the events' JSON says
// about quantities, locations, sources, destinations and business documents.
//
// Thread-safety: reentrant.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(trace::RecallReport r, trace::BuildRecall(store, lot, clock.Now()));
//   std::string csv = trace::RecallCsv(r);
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "core/time.hpp"
#include "store/store.hpp"
#include "trace/graph.hpp"

namespace vntrace::trace {

struct Quantity {
  double amount = 0;
  std::string uom;  // UN/CEFACT code; empty for a count of instances
};

struct AffectedThing {
  std::string id;
  NodeKind kind = NodeKind::kLot;
  std::string label;
  std::optional<Quantity> quantity;  // produced or commissioned (or largest seen) amount
  std::optional<core::Timestamp> first_seen;
};

struct Recipient {
  std::string id;
  NodeKind kind = NodeKind::kParty;  // kParty or kLocation
  std::string label;
  core::Timestamp first_received;
  std::vector<std::string> things;  // what reached it (ids), sorted
};

// One row of the sortable spreadsheet: one CTE for one affected thing.
struct CteRow {
  std::string cte;  // "Harvesting", "Shipping", "Receiving", "Transformation", ...
  core::Timestamp time;
  std::string lot_code;    // the thing's identifier (traceability lot code)
  std::string lot_source;  // where the lot code was assigned (location of its creation)
  std::string product;     // product description
  std::optional<Quantity> quantity;
  std::string location;          // where the event happened
  std::string ship_from;         // sources, "; "-separated
  std::string ship_to;           // destinations, "; "-separated
  std::string reference_type;    // business transaction types, "; "-separated
  std::string reference_number;  // business transaction ids, "; "-separated
  std::string event_id;
};

struct RecallReport {
  std::string lot;  // canonical identifier
  core::Timestamp generated_at;
  std::vector<AffectedThing> affected;  // the lot first, then by kind and id
  std::vector<Recipient> recipients;    // by first_received
  std::vector<CteRow> rows;             // by time, then lot code
  bool truncated = false;
};

// kInvalidArgument for an empty identifier; a lot no event names gives a report with the lot
// alone and no rows.
core::Result<RecallReport> BuildRecall(store::Store& store, std::string_view lot,
                                       core::Timestamp now);

boost::json::object RecallToJson(const RecallReport& report);

// RFC 4180 CSV (CRLF line ends, UTF-8 with a byte-order mark so that spreadsheet programs read
// the Vietnamese headers right); one header row "Tiếng Việt / English".
std::string RecallCsv(const RecallReport& report);

enum class Language { kVietnamese, kEnglish };

// A complete, printable HTML page (no scripts, inline CSS) in `language`.
std::string RecallHtml(const RecallReport& report, Language language);

}  // namespace vntrace::trace
