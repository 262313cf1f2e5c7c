// epcis::event: one EPCIS 2.0 event as vntrace holds it.
//
// An event is kept as its JSON-LD object exactly as captured (user extensions under any
// namespace kept as sent), plus the few fields every query and index needs, decoded once at
// capture: type, times, action, vocabulary values and the index entries naming every
// identifier, class, location, business transaction, source and destination in canonical form.
// GS1 identifiers are canonicalised to the `https://id.gs1.org/...` Digital Link whether they
// were sent as EPC URNs or Digital Links, so that both forms match each other.
//
// Thread-safety: values.
//
// Example:
//   epcis::Event e = ...;  // from epcis::ParseCaptureDocument
//   for (const epcis::IndexEntry& i : e.index) { ... i.kind == IndexKind::kEpc ... }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "core/time.hpp"

namespace vntrace::epcis {

// Persisted (store schema): values are stable.
enum class EventType : std::uint8_t {
  kObjectEvent = 1,
  kAggregationEvent = 2,
  kTransactionEvent = 3,
  kTransformationEvent = 4,
  kAssociationEvent = 5,
};

// "ObjectEvent", ...
std::string_view EventTypeName(EventType type);
// kInvalidArgument for anything but the five standard names.
core::Result<EventType> ParseEventType(std::string_view name);

// What an index entry names. Persisted (store schema): values are stable.
enum class IndexKind : std::uint8_t {
  kEpc = 1,             // epcList
  kChildEpc = 2,        // childEPCs
  kParentId = 3,        // parentID
  kInputEpc = 4,        // inputEPCList
  kOutputEpc = 5,       // outputEPCList
  kEpcClass = 6,        // quantityList epcClass
  kChildEpcClass = 7,   // childQuantityList epcClass
  kInputEpcClass = 8,   // inputQuantityList epcClass
  kOutputEpcClass = 9,  // outputQuantityList epcClass
  kReadPoint = 10,
  kBizLocation = 11,
  kBizTransaction = 12,  // `type` holds the bizTransaction type URI or "" when untyped
  kSource = 13,          // `type` holds the source type
  kDestination = 14,     // `type` holds the destination type
  kTransformationId = 15,
  kBizStep = 16,
  kDisposition = 17,
  kPersistentDispositionSet = 18,
  kPersistentDispositionUnset = 19,
  kErrorReason = 20,
  kCorrectiveEventId = 21,
  // The lot (batch) an instance belongs to: `value` is the lot's canonical Digital Link
  // (https://id.gs1.org/01/{GTIN}/10/{lot}) and `type` the instance's canonical identifier. Made
  // from a Digital Link naming both lot and serial (/01/…/10/…/21/…) anywhere in the event, and
  // from the ILMD lotNumber (cbvmda:lotNumber) of the event that commissions SGTINs (epcList of
  // an ObjectEvent ADD, outputEPCList of a TransformationEvent).
  kInstanceLot = 22,
};

struct IndexEntry {
  IndexKind kind = IndexKind::kEpc;
  std::string type;   // for kBizTransaction, kSource, kDestination; else empty
  std::string value;  // canonical form
  friend bool operator==(const IndexEntry&, const IndexEntry&) = default;
};

struct Event {
  std::string event_id;  // as captured, or the CBV 2.0 hash ID when the event had none
  EventType type = EventType::kObjectEvent;
  core::Timestamp event_time;   // with the event's eventTimeZoneOffset
  core::Timestamp record_time;  // set by the repository when captured
  std::string action;           // "ADD" | "OBSERVE" | "DELETE" | "" (TransformationEvent)
  std::string biz_step;         // canonical: bare CBV word, or the URI as sent
  std::string disposition;      // canonical: bare CBV word, or the URI as sent
  std::string read_point;       // canonical identifier
  std::string biz_location;     // canonical identifier
  std::optional<core::Timestamp> error_declaration_time;
  // The event as captured, with eventID and recordTime filled in.
  boost::json::object json;
  // Everything the event names, canonicalised, without duplicates.
  std::vector<IndexEntry> index;
};

}  // namespace vntrace::epcis
