#include "store/internal/query_plan.hpp"

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace vntrace::store::internal {
namespace {

using epcis::IndexKind;

void AddUnique(epcis::IdMatch match, std::vector<epcis::IdMatch>& values) {
  if (std::find(values.begin(), values.end(), match) == values.end()) {
    values.push_back(std::move(match));
  }
}

void AddMatchProbe(const std::vector<epcis::IdMatch>& matches,
                   std::initializer_list<IndexKind> kinds, std::vector<IndexProbe>& probes) {
  if (matches.empty()) {
    return;
  }
  IndexProbe probe{.kinds = kinds, .values = {}};
  for (const epcis::IdMatch& match : matches) {
    AddUnique(match, probe.values);
    // Matches lets a prefix ending in '/' (a class and everything under it) match the class
    // itself, which the prefix range does not hold.
    if (match.prefix && match.value.ends_with('/')) {
      AddUnique({.value = match.value.substr(0, match.value.size() - 1), .prefix = false},
                probe.values);
    }
  }
  probes.push_back(std::move(probe));
}

// Every spelling of each value that Matches takes for it (it compares vocabulary values by their
// bare word): the bare word and each CBV URI form.
void AddVocabularyProbe(const std::vector<std::string>& values, IndexKind kind,
                        std::vector<IndexProbe>& probes) {
  if (values.empty()) {
    return;
  }
  IndexProbe probe{.kinds = {kind}, .values = {}};
  for (const std::string& value : values) {
    AddUnique({.value = value, .prefix = false}, probe.values);
    const std::string_view bare = epcis::BareCbvWord(value);
    AddUnique({.value = std::string(bare), .prefix = false}, probe.values);
    for (std::string_view prefix : epcis::kCbvValuePrefixes) {
      AddUnique({.value = std::string(prefix) + std::string(bare), .prefix = false}, probe.values);
    }
  }
  probes.push_back(std::move(probe));
}

// With `even_if_empty`, a probe of no values (a condition nothing can satisfy, such as an
// attribute no master data element has) is added too: it finds no events.
void AddExactProbe(const std::vector<std::string>& values, std::initializer_list<IndexKind> kinds,
                   std::vector<IndexProbe>& probes, bool even_if_empty = false) {
  if (values.empty() && !even_if_empty) {
    return;
  }
  IndexProbe probe{.kinds = kinds, .values = {}};
  probe.values.reserve(values.size());
  for (const std::string& v : values) {
    probe.values.push_back({.value = v, .prefix = false});
  }
  probes.push_back(std::move(probe));
}

void AddTypedProbes(const std::vector<epcis::TypedCondition>& conditions, IndexKind kind,
                    std::vector<IndexProbe>& probes) {
  for (const epcis::TypedCondition& condition : conditions) {
    // The type is checked by Matches; the index is probed by value alone.
    AddExactProbe(condition.values, {kind}, probes);
  }
}

TimeRange RangeOf(const std::optional<core::Timestamp>& ge,
                  const std::optional<core::Timestamp>& lt) {
  TimeRange range;
  if (ge.has_value()) {
    range.lo = ge->unix_nanos();
  }
  if (lt.has_value()) {
    if (lt->unix_nanos() == std::numeric_limits<std::int64_t>::min()) {
      return {.lo = std::numeric_limits<std::int64_t>::max(),
              .hi = std::numeric_limits<std::int64_t>::min()};  // nothing is before it
    }
    range.hi = lt->unix_nanos() - 1;
  }
  return range;
}

}  // namespace

SortOrder SortOrderOf(const epcis::EventQuery& query) {
  switch (query.order_by) {
    case epcis::OrderBy::kEventTime:
      return query.descending ? SortOrder::kEventTimeDesc : SortOrder::kEventTimeAsc;
    case epcis::OrderBy::kRecordTime:
      return query.descending ? SortOrder::kRecordTimeDesc : SortOrder::kRecordTimeAsc;
    case epcis::OrderBy::kExtensionField:
      return query.descending ? SortOrder::kExtensionDesc : SortOrder::kExtensionAsc;
    case epcis::OrderBy::kNone:
      break;
  }
  return SortOrder::kRecordOrder;
}

bool IsDescending(SortOrder order) {
  return order == SortOrder::kEventTimeDesc || order == SortOrder::kRecordTimeDesc ||
         order == SortOrder::kExtensionDesc;
}

bool IsExtensionOrder(SortOrder order) {
  return order == SortOrder::kExtensionAsc || order == SortOrder::kExtensionDesc;
}

std::int64_t SortKeyOf(SortOrder order, const epcis::Event& event, std::int64_t rowid) {
  switch (order) {
    case SortOrder::kEventTimeAsc:
    case SortOrder::kEventTimeDesc:
      return event.event_time.unix_nanos();
    case SortOrder::kRecordTimeAsc:
    case SortOrder::kRecordTimeDesc:
      return event.record_time.unix_nanos();
    case SortOrder::kRecordOrder:
    case SortOrder::kExtensionAsc:
    case SortOrder::kExtensionDesc:
      break;
  }
  return rowid;
}

Hit HitOf(SortOrder order, const epcis::EventQuery& query, const epcis::Event& event,
          std::int64_t rowid) {
  Hit hit{.key = SortKeyOf(order, event, rowid), .rowid = rowid, .field = {}};
  if (IsExtensionOrder(order)) {
    hit.field = epcis::ExtensionOrderKey(event, query);
  }
  return hit;
}

bool Precedes(SortOrder order, const Hit& a, const Hit& b) {
  if (IsExtensionOrder(order)) {
    const bool descending = IsDescending(order);
    if (epcis::OrderKeyPrecedes(a.field, b.field, descending)) {
      return true;
    }
    if (epcis::OrderKeyPrecedes(b.field, a.field, descending)) {
      return false;
    }
    // Equal keys (missing ones included): record order, reversed when descending.
    return descending ? a.rowid > b.rowid : a.rowid < b.rowid;
  }
  if (IsDescending(order)) {
    return a.key > b.key || (a.key == b.key && a.rowid > b.rowid);
  }
  return a.key < b.key || (a.key == b.key && a.rowid < b.rowid);
}

std::vector<IndexProbe> IndexProbes(const epcis::EventQuery& query) {
  std::vector<IndexProbe> probes;
  AddMatchProbe(query.match_epc, {IndexKind::kEpc, IndexKind::kChildEpc}, probes);
  AddMatchProbe(query.match_parent_id, {IndexKind::kParentId}, probes);
  AddMatchProbe(query.match_input_epc, {IndexKind::kInputEpc}, probes);
  AddMatchProbe(query.match_output_epc, {IndexKind::kOutputEpc}, probes);
  AddMatchProbe(query.match_any_epc,
                {IndexKind::kEpc, IndexKind::kChildEpc, IndexKind::kParentId, IndexKind::kInputEpc,
                 IndexKind::kOutputEpc},
                probes);
  AddMatchProbe(query.match_epc_class, {IndexKind::kEpcClass, IndexKind::kChildEpcClass}, probes);
  AddMatchProbe(query.match_input_epc_class, {IndexKind::kInputEpcClass}, probes);
  AddMatchProbe(query.match_output_epc_class, {IndexKind::kOutputEpcClass}, probes);
  AddMatchProbe(query.match_any_epc_class,
                {IndexKind::kEpcClass, IndexKind::kChildEpcClass, IndexKind::kInputEpcClass,
                 IndexKind::kOutputEpcClass},
                probes);
  AddVocabularyProbe(query.eq_biz_step, IndexKind::kBizStep, probes);
  AddVocabularyProbe(query.eq_disposition, IndexKind::kDisposition, probes);
  AddExactProbe(query.eq_read_point, {IndexKind::kReadPoint}, probes);
  AddExactProbe(query.eq_biz_location, {IndexKind::kBizLocation}, probes);
  AddExactProbe(query.eq_transformation_id, {IndexKind::kTransformationId}, probes);
  AddVocabularyProbe(query.eq_persistent_disposition_set, IndexKind::kPersistentDispositionSet,
                     probes);
  AddVocabularyProbe(query.eq_persistent_disposition_unset, IndexKind::kPersistentDispositionUnset,
                     probes);
  AddVocabularyProbe(query.eq_error_reason, IndexKind::kErrorReason, probes);
  AddExactProbe(query.eq_corrective_event_id, {IndexKind::kCorrectiveEventId}, probes);
  AddTypedProbes(query.eq_biz_transaction, IndexKind::kBizTransaction, probes);
  AddTypedProbes(query.eq_source, IndexKind::kSource, probes);
  AddTypedProbes(query.eq_destination, IndexKind::kDestination, probes);
  const epcis::ResolvedMasterData& master_data = query.master_data;
  if (master_data.resolved) {
    if (!query.wd_read_point.empty()) {
      AddExactProbe(master_data.wd_read_point, {IndexKind::kReadPoint}, probes, true);
    }
    if (!query.wd_biz_location.empty()) {
      AddExactProbe(master_data.wd_biz_location, {IndexKind::kBizLocation}, probes, true);
    }
    for (std::size_t i = 0;
         i < query.attribute_conditions.size() && i < master_data.attribute_elements.size(); ++i) {
      AddExactProbe(master_data.attribute_elements[i],
                    {epcis::IndexKindOf(query.attribute_conditions[i].field)}, probes, true);
    }
  }
  return probes;
}

TimeRange EventTimeRange(const epcis::EventQuery& query) {
  return RangeOf(query.ge_event_time, query.lt_event_time);
}

TimeRange RecordTimeRange(const epcis::EventQuery& query) {
  return RangeOf(query.ge_record_time, query.lt_record_time);
}

bool NeedsIndexEntries(const epcis::EventQuery& query) {
  return !query.match_epc.empty() || !query.match_parent_id.empty() ||
         !query.match_input_epc.empty() || !query.match_output_epc.empty() ||
         !query.match_any_epc.empty() || !query.match_epc_class.empty() ||
         !query.match_input_epc_class.empty() || !query.match_output_epc_class.empty() ||
         !query.match_any_epc_class.empty() || !query.eq_transformation_id.empty() ||
         !query.eq_persistent_disposition_set.empty() ||
         !query.eq_persistent_disposition_unset.empty() || !query.eq_error_reason.empty() ||
         !query.eq_corrective_event_id.empty() || !query.eq_biz_transaction.empty() ||
         !query.eq_source.empty() || !query.eq_destination.empty() ||
         std::any_of(query.attribute_conditions.begin(), query.attribute_conditions.end(),
                     [](const epcis::AttributeCondition& c) {
                       return c.field != epcis::MasterDataField::kReadPoint &&
                              c.field != epcis::MasterDataField::kBizLocation;
                     });
}

bool NeedsJson(const epcis::EventQuery& query) {
  // Error declarations: Matches falls back on the JSON when the decoded time is absent.
  return !query.fields.empty() || !query.sensor.empty() ||
         query.exists_error_declaration.value_or(false) ||
         query.ge_error_declaration_time.has_value() ||
         query.lt_error_declaration_time.has_value() ||
         query.exists_sensor_element_list.value_or(false) || !query.quantity_by_uom.empty() ||
         !query.eq_quantity.empty() || query.gt_quantity.has_value() ||
         query.ge_quantity.has_value() || query.lt_quantity.has_value() ||
         query.le_quantity.has_value() || query.order_by == epcis::OrderBy::kExtensionField;
}

std::optional<std::string> PrefixSuccessor(std::string_view prefix) {
  std::string successor(prefix);
  while (!successor.empty()) {
    auto last = static_cast<unsigned char>(successor.back());
    if (last != 0xff) {
      successor.back() = static_cast<char>(last + 1);
      return successor;
    }
    successor.pop_back();
  }
  return std::nullopt;
}

}  // namespace vntrace::store::internal
