// store::testing::EventBuilder: epcis::Event values built by hand for the store's tests and
// benchmarks, without the JSON decoder.
//
// Each setter fills the decoded field, the index entry and the JSON member together, the way
// the decoder would, so that what the store indexes, what epcis::Matches reads and what is
// returned agree. Identifiers are taken as given (pass canonical forms).
//
// Thread-safety: a value; not for concurrent mutation.
//
// Example:
//   epcis::Event e = EventBuilder("urn:uuid:1").EventTimeSeconds(1'700'000'000)
//                        .Epc("https://id.gs1.org/01/08935001200017/21/1").BizStep("shipping")
//                        .Build();
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include <boost/json.hpp>

#include "core/time.hpp"
#include "epcis/event.hpp"

namespace vntrace::store::testing {

class EventBuilder {
 public:
  explicit EventBuilder(std::string event_id,
                        epcis::EventType type = epcis::EventType::kObjectEvent) {
    event_.event_id = std::move(event_id);
    event_.type = type;
    event_.action = type == epcis::EventType::kTransformationEvent ? "" : "OBSERVE";
  }

  EventBuilder& EventTime(core::Timestamp time) {
    event_.event_time = time;
    return *this;
  }
  EventBuilder& EventTimeSeconds(std::int64_t unix_seconds, int utc_offset_minutes = 0) {
    return EventTime(
        core::Timestamp::FromUnixNanos(unix_seconds * 1'000'000'000, utc_offset_minutes));
  }
  EventBuilder& RecordTime(core::Timestamp time) {
    event_.record_time = time;
    return *this;
  }
  EventBuilder& RecordTimeSeconds(std::int64_t unix_seconds) {
    return RecordTime(core::Timestamp::FromUnixSeconds(unix_seconds));
  }
  EventBuilder& Action(std::string action) {
    event_.action = std::move(action);
    return *this;
  }
  EventBuilder& BizStep(std::string value) {
    Index(epcis::IndexKind::kBizStep, value);
    event_.biz_step = std::move(value);
    return *this;
  }
  EventBuilder& Disposition(std::string value) {
    Index(epcis::IndexKind::kDisposition, value);
    event_.disposition = std::move(value);
    return *this;
  }
  EventBuilder& ReadPoint(std::string value) {
    Index(epcis::IndexKind::kReadPoint, value);
    event_.read_point = std::move(value);
    return *this;
  }
  EventBuilder& BizLocation(std::string value) {
    Index(epcis::IndexKind::kBizLocation, value);
    event_.biz_location = std::move(value);
    return *this;
  }
  EventBuilder& Epc(const std::string& value) {
    return ListMember("epcList", epcis::IndexKind::kEpc, value);
  }
  EventBuilder& ChildEpc(const std::string& value) {
    return ListMember("childEPCs", epcis::IndexKind::kChildEpc, value);
  }
  EventBuilder& ParentId(const std::string& value) {
    Index(epcis::IndexKind::kParentId, value);
    extra_["parentID"] = value;
    return *this;
  }
  EventBuilder& InputEpc(const std::string& value) {
    return ListMember("inputEPCList", epcis::IndexKind::kInputEpc, value);
  }
  EventBuilder& OutputEpc(const std::string& value) {
    return ListMember("outputEPCList", epcis::IndexKind::kOutputEpc, value);
  }
  EventBuilder& EpcClass(const std::string& value, double quantity = 1) {
    return Quantity("quantityList", epcis::IndexKind::kEpcClass, value, quantity);
  }
  EventBuilder& ChildEpcClass(const std::string& value, double quantity = 1) {
    return Quantity("childQuantityList", epcis::IndexKind::kChildEpcClass, value, quantity);
  }
  EventBuilder& InputEpcClass(const std::string& value, double quantity = 1) {
    return Quantity("inputQuantityList", epcis::IndexKind::kInputEpcClass, value, quantity);
  }
  EventBuilder& OutputEpcClass(const std::string& value, double quantity = 1) {
    return Quantity("outputQuantityList", epcis::IndexKind::kOutputEpcClass, value, quantity);
  }
  EventBuilder& BizTransaction(const std::string& type, const std::string& value) {
    return Typed("bizTransactionList", "bizTransaction", epcis::IndexKind::kBizTransaction, type,
                 value);
  }
  EventBuilder& Source(const std::string& type, const std::string& value) {
    return Typed("sourceList", "source", epcis::IndexKind::kSource, type, value);
  }
  EventBuilder& Destination(const std::string& type, const std::string& value) {
    return Typed("destinationList", "destination", epcis::IndexKind::kDestination, type, value);
  }
  EventBuilder& TransformationId(const std::string& value) {
    Index(epcis::IndexKind::kTransformationId, value);
    extra_["transformationID"] = value;
    return *this;
  }
  EventBuilder& PersistentDispositionSet(const std::string& value) {
    Index(epcis::IndexKind::kPersistentDispositionSet, value);
    Array(Object(extra_, "persistentDisposition"), "set").emplace_back(value);
    return *this;
  }
  EventBuilder& PersistentDispositionUnset(const std::string& value) {
    Index(epcis::IndexKind::kPersistentDispositionUnset, value);
    Array(Object(extra_, "persistentDisposition"), "unset").emplace_back(value);
    return *this;
  }
  EventBuilder& ErrorDeclaration(core::Timestamp declared, const std::string& reason,
                                 const std::string& corrective_event_id = "") {
    event_.error_declaration_time = declared;
    boost::json::object& declaration = Object(extra_, "errorDeclaration");
    declaration["declarationTime"] = core::FormatRfc3339(declared);
    if (!reason.empty()) {
      Index(epcis::IndexKind::kErrorReason, reason);
      declaration["reason"] = reason;
    }
    if (!corrective_event_id.empty()) {
      Index(epcis::IndexKind::kCorrectiveEventId, corrective_event_id);
      Array(declaration, "correctiveEventIDs").emplace_back(corrective_event_id);
    }
    return *this;
  }
  // An extension member, e.g. Field("example:temperature", 21.5).
  EventBuilder& Field(const std::string& key, boost::json::value value) {
    extra_[key] = std::move(value);
    return *this;
  }
  // A raw index entry, without JSON.
  EventBuilder& Index(epcis::IndexKind kind, const std::string& value,
                      const std::string& type = "") {
    epcis::IndexEntry entry{.kind = kind, .type = type, .value = value};
    for (const epcis::IndexEntry& existing : event_.index) {
      if (existing == entry) {
        return *this;
      }
    }
    event_.index.push_back(std::move(entry));
    return *this;
  }

  epcis::Event Build() const {
    epcis::Event event = event_;
    boost::json::object json;
    json["type"] = epcis::EventTypeName(event.type);
    json["eventID"] = event.event_id;
    json["eventTime"] = core::FormatRfc3339(event.event_time);
    json["eventTimeZoneOffset"] = core::FormatUtcOffset(event.event_time.utc_offset_minutes());
    json["recordTime"] = core::FormatRfc3339(event.record_time);
    if (!event.action.empty()) {
      json["action"] = event.action;
    }
    if (!event.biz_step.empty()) {
      json["bizStep"] = event.biz_step;
    }
    if (!event.disposition.empty()) {
      json["disposition"] = event.disposition;
    }
    if (!event.read_point.empty()) {
      json["readPoint"] = boost::json::object{{"id", event.read_point}};
    }
    if (!event.biz_location.empty()) {
      json["bizLocation"] = boost::json::object{{"id", event.biz_location}};
    }
    for (const auto& member : extra_) {
      json[member.key()] = member.value();
    }
    event.json = std::move(json);
    return event;
  }

 private:
  static boost::json::object& Object(boost::json::object& parent, std::string_view key) {
    boost::json::value& v = parent[key];
    if (!v.is_object()) {
      v = boost::json::object();
    }
    return v.as_object();
  }
  static boost::json::array& Array(boost::json::object& parent, std::string_view key) {
    boost::json::value& v = parent[key];
    if (!v.is_array()) {
      v = boost::json::array();
    }
    return v.as_array();
  }
  EventBuilder& ListMember(std::string_view key, epcis::IndexKind kind, const std::string& value) {
    Index(kind, value);
    Array(extra_, key).emplace_back(value);
    return *this;
  }
  EventBuilder& Quantity(std::string_view key, epcis::IndexKind kind, const std::string& value,
                         double quantity) {
    Index(kind, value);
    Array(extra_, key)
        .emplace_back(boost::json::object{{"epcClass", value}, {"quantity", quantity}});
    return *this;
  }
  EventBuilder& Typed(std::string_view key, std::string_view member, epcis::IndexKind kind,
                      const std::string& type, const std::string& value) {
    Index(kind, value, type);
    boost::json::object element;
    if (!type.empty()) {
      element["type"] = type;
    }
    element[member] = value;
    Array(extra_, key).emplace_back(std::move(element));
    return *this;
  }

  epcis::Event event_;
  boost::json::object extra_;  // members beyond the decoded fields, in insertion order
};

}  // namespace vntrace::store::testing
