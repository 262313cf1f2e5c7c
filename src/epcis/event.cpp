#include "epcis/event.hpp"

#include <string>

namespace vntrace::epcis {
namespace {

struct TypeName {
  EventType type;
  std::string_view name;
};

constexpr TypeName kTypeNames[] = {
    {EventType::kObjectEvent, "ObjectEvent"},
    {EventType::kAggregationEvent, "AggregationEvent"},
    {EventType::kTransactionEvent, "TransactionEvent"},
    {EventType::kTransformationEvent, "TransformationEvent"},
    {EventType::kAssociationEvent, "AssociationEvent"},
};

}  // namespace

std::string_view EventTypeName(EventType type) {
  for (const TypeName& t : kTypeNames) {
    if (t.type == type) return t.name;
  }
  return "";
}

core::Result<EventType> ParseEventType(std::string_view name) {
  for (const TypeName& t : kTypeNames) {
    if (t.name == name) return t.type;
  }
  return core::InvalidArgument(
      "unknown event type \"" + std::string(name) +
      "\": expected ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent or "
      "AssociationEvent");
}

}  // namespace vntrace::epcis
