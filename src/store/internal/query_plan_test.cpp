#include "store/internal/query_plan.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace vntrace::store::internal {
namespace {

using epcis::IndexKind;

TEST(PrefixSuccessor, IsTheNextStringAfterEveryExtension) {
  struct Case {
    std::string prefix;
    std::optional<std::string> successor;
  };
  const Case cases[] = {
      {"abc", "abd"},         {"https://id.gs1.org/01/", "https://id.gs1.org/010"},
      {"a\xff", "b"},         {"a\xff\xff", "b"},
      {"\xff", std::nullopt}, {"", std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(PrefixSuccessor(c.prefix), c.successor) << c.prefix;
  }
}

TEST(SortOrderOf, FollowsOrderByAndDirection) {
  epcis::EventQuery q;
  EXPECT_EQ(SortOrderOf(q), SortOrder::kRecordOrder);
  q.descending = false;
  EXPECT_EQ(SortOrderOf(q), SortOrder::kRecordOrder);
  q.order_by = epcis::OrderBy::kEventTime;
  EXPECT_EQ(SortOrderOf(q), SortOrder::kEventTimeAsc);
  q.descending = true;
  EXPECT_EQ(SortOrderOf(q), SortOrder::kEventTimeDesc);
  q.order_by = epcis::OrderBy::kRecordTime;
  EXPECT_EQ(SortOrderOf(q), SortOrder::kRecordTimeDesc);
  q.descending = false;
  EXPECT_EQ(SortOrderOf(q), SortOrder::kRecordTimeAsc);
}

TEST(Precedes, BreaksTiesByRowidInTheSameDirection) {
  EXPECT_TRUE(Precedes(SortOrder::kEventTimeAsc, {.key = 1, .rowid = 9}, {.key = 2, .rowid = 1}));
  EXPECT_TRUE(Precedes(SortOrder::kEventTimeAsc, {.key = 1, .rowid = 1}, {.key = 1, .rowid = 2}));
  EXPECT_FALSE(Precedes(SortOrder::kEventTimeAsc, {.key = 1, .rowid = 2}, {.key = 1, .rowid = 2}));
  EXPECT_TRUE(Precedes(SortOrder::kEventTimeDesc, {.key = 2, .rowid = 1}, {.key = 1, .rowid = 9}));
  EXPECT_TRUE(Precedes(SortOrder::kEventTimeDesc, {.key = 1, .rowid = 2}, {.key = 1, .rowid = 1}));
}

TEST(IndexProbes, CoverEveryIndexedCondition) {
  epcis::EventQuery q;
  EXPECT_TRUE(IndexProbes(q).empty());
  q.match_any_epc = {{.value = "x", .prefix = true}};
  q.eq_biz_transaction = {{.type = "po", .values = {"a", "b"}}, {.type = "", .values = {"c"}}};
  q.eq_read_point = {"rp"};
  const std::vector<IndexProbe> probes = IndexProbes(q);
  ASSERT_EQ(probes.size(), 4u);
  EXPECT_EQ(probes[0].kinds,
            (std::vector<IndexKind>{IndexKind::kEpc, IndexKind::kChildEpc, IndexKind::kParentId,
                                    IndexKind::kInputEpc, IndexKind::kOutputEpc}));
  EXPECT_EQ(probes[0].values, (std::vector<epcis::IdMatch>{{.value = "x", .prefix = true}}));
  EXPECT_EQ(probes[1].kinds, (std::vector<IndexKind>{IndexKind::kReadPoint}));
  EXPECT_EQ(probes[2].kinds, (std::vector<IndexKind>{IndexKind::kBizTransaction}));
  EXPECT_EQ(probes[2].values.size(), 2u);
  EXPECT_EQ(probes[3].values, (std::vector<epcis::IdMatch>{{.value = "c"}}));
}

TEST(IndexProbes, WidenValuesToWhatMatchesAccepts) {
  epcis::EventQuery q;
  q.match_epc_class = {{.value = "https://id.gs1.org/01/08935001200017/", .prefix = true}};
  q.eq_biz_step = {"shipping"};
  const std::vector<IndexProbe> probes = IndexProbes(q);
  ASSERT_EQ(probes.size(), 2u);
  EXPECT_EQ(probes[0].values,
            (std::vector<epcis::IdMatch>{
                {.value = "https://id.gs1.org/01/08935001200017/", .prefix = true},
                {.value = "https://id.gs1.org/01/08935001200017", .prefix = false}}));
  const std::vector<epcis::IdMatch>& spellings = probes[1].values;
  for (const std::string spelling : {"shipping", "urn:epcglobal:cbv:bizstep:shipping",
                                     "https://ref.gs1.org/cbv/BizStep-shipping"}) {
    EXPECT_NE(std::find(spellings.begin(), spellings.end(), epcis::IdMatch{.value = spelling}),
              spellings.end())
        << spelling;
  }
}

TEST(SortOrderOf, ExtensionFields) {
  epcis::EventQuery q;
  q.order_by = epcis::OrderBy::kExtensionField;
  q.order_field = "{https://ns.example.com/}rank";
  EXPECT_EQ(SortOrderOf(q), SortOrder::kExtensionDesc);
  q.descending = false;
  EXPECT_EQ(SortOrderOf(q), SortOrder::kExtensionAsc);
  EXPECT_TRUE(IsExtensionOrder(SortOrder::kExtensionAsc));
  EXPECT_FALSE(IsExtensionOrder(SortOrder::kEventTimeAsc));
  EXPECT_TRUE(IsDescending(SortOrder::kExtensionDesc));
  EXPECT_TRUE(NeedsJson(q));

  epcis::Event e;
  e.json["ex:rank"] = 4;
  e.json["@context"] = boost::json::object{{"ex", "https://ns.example.com/"}};
  const Hit hit = HitOf(SortOrder::kExtensionAsc, q, e, 7);
  EXPECT_EQ(hit.rowid, 7);
  EXPECT_EQ(hit.field.kind, epcis::OrderKey::Kind::kNumber);
  EXPECT_EQ(hit.field.number, 4);
  EXPECT_EQ(HitOf(SortOrder::kEventTimeAsc, q, e, 7).field.kind, epcis::OrderKey::Kind::kMissing);
}

TEST(Precedes, ExtensionOrdersCompareKeysThenRowids) {
  auto hit = [](double number, std::int64_t rowid) {
    Hit h;
    h.rowid = rowid;
    h.field.kind = epcis::OrderKey::Kind::kNumber;
    h.field.number = number;
    return h;
  };
  Hit missing;
  missing.rowid = 1;
  EXPECT_TRUE(Precedes(SortOrder::kExtensionAsc, hit(1, 9), hit(2, 1)));
  EXPECT_TRUE(Precedes(SortOrder::kExtensionDesc, hit(2, 9), hit(1, 1)));
  EXPECT_TRUE(Precedes(SortOrder::kExtensionAsc, hit(1, 1), hit(1, 2)));
  EXPECT_TRUE(Precedes(SortOrder::kExtensionDesc, hit(1, 2), hit(1, 1)));
  EXPECT_FALSE(Precedes(SortOrder::kExtensionAsc, hit(1, 2), hit(1, 2)));
  EXPECT_TRUE(Precedes(SortOrder::kExtensionAsc, hit(1, 9), missing));
  EXPECT_TRUE(Precedes(SortOrder::kExtensionDesc, hit(1, 9), missing));
  Hit other_missing = missing;
  other_missing.rowid = 2;
  EXPECT_TRUE(Precedes(SortOrder::kExtensionAsc, missing, other_missing));
  EXPECT_TRUE(Precedes(SortOrder::kExtensionDesc, other_missing, missing));
}

TEST(IndexProbes, ResolvedMasterDataConditions) {
  epcis::EventQuery q;
  q.wd_biz_location = {"site"};
  q.attribute_conditions = {{.parameter = "HASATTR_epcList",
                             .field = epcis::MasterDataField::kEpcList,
                             .equals = false,
                             .attributes = {"urn:x:a"},
                             .values = {}},
                            {.parameter = "EQ_ATTR_readPoint_urn:x:b",
                             .field = epcis::MasterDataField::kReadPoint,
                             .equals = true,
                             .attributes = {"urn:x:b"},
                             .values = {"1"}}};
  // Unresolved: nothing to probe (WD_ reaches values the index cannot list).
  EXPECT_TRUE(IndexProbes(q).empty());
  EXPECT_TRUE(NeedsIndexEntries(q));  // epcList is read from the index entries
  q.master_data = {.resolved = true,
                   .wd_read_point = {},
                   .wd_biz_location = {"dock", "site"},
                   .attribute_elements = {{"item-1", "item-2"}, {}}};
  const std::vector<IndexProbe> probes = IndexProbes(q);
  ASSERT_EQ(probes.size(), 3u);
  EXPECT_EQ(probes[0].kinds, (std::vector<IndexKind>{IndexKind::kBizLocation}));
  EXPECT_EQ(probes[0].values, (std::vector<epcis::IdMatch>{{.value = "dock"}, {.value = "site"}}));
  EXPECT_EQ(probes[1].kinds, (std::vector<IndexKind>{IndexKind::kEpc}));
  EXPECT_EQ(probes[1].values.size(), 2u);
  // An attribute no element has: a probe of nothing, which finds no events.
  EXPECT_EQ(probes[2].kinds, (std::vector<IndexKind>{IndexKind::kReadPoint}));
  EXPECT_TRUE(probes[2].values.empty());

  epcis::EventQuery locations;
  locations.attribute_conditions = {{.parameter = "HASATTR_bizLocation",
                                     .field = epcis::MasterDataField::kBizLocation,
                                     .equals = false,
                                     .attributes = {"urn:x:a"},
                                     .values = {}}};
  EXPECT_FALSE(NeedsIndexEntries(locations));  // bizLocation is a column of the event
}

TEST(TimeRanges, AreInclusiveAndDetectEmptiness) {
  epcis::EventQuery q;
  EXPECT_FALSE(EventTimeRange(q).Bounded());
  q.ge_event_time = core::Timestamp::FromUnixNanos(10);
  q.lt_event_time = core::Timestamp::FromUnixNanos(20);
  const TimeRange r = EventTimeRange(q);
  EXPECT_EQ(r.lo, 10);
  EXPECT_EQ(r.hi, 19);
  EXPECT_TRUE(r.Bounded());
  q.lt_event_time = core::Timestamp::FromUnixNanos(10);
  EXPECT_TRUE(EventTimeRange(q).Empty());
  q.lt_record_time = core::Timestamp::FromUnixNanos(std::numeric_limits<std::int64_t>::min());
  EXPECT_TRUE(RecordTimeRange(q).Empty());
}

TEST(NeedsJson, OnlyForConditionsOnTheJson) {
  epcis::EventQuery q;
  q.match_epc = {{.value = "x"}};
  q.eq_biz_step = {"shipping"};
  EXPECT_FALSE(NeedsJson(q));
  EXPECT_TRUE(NeedsIndexEntries(q));
  epcis::FieldCondition field;
  field.name = "{https://ns.example.com/}temperature";
  q.fields.push_back(field);
  EXPECT_TRUE(NeedsJson(q));
  epcis::EventQuery quantity;
  quantity.gt_quantity = 3;
  EXPECT_TRUE(NeedsJson(quantity));
  EXPECT_FALSE(NeedsIndexEntries(quantity));
}

}  // namespace
}  // namespace vntrace::store::internal
