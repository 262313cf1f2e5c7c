// The Store contract for master data and for ordering by an extension field: every backend
// passes these tests (typed GoogleTest over testing::Backends).
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "epcis/master_data.hpp"
#include "epcis/query.hpp"
#include "store/contract/event_builder.hpp"
#include "store/contract/fixture.hpp"
#include "store/fault_injection.hpp"
#include "store/store.hpp"

namespace vntrace::store {
namespace {

namespace json = boost::json;
using epcis::EventQuery;
using epcis::VocabularyElement;
using testing::EventBuilder;

constexpr std::int64_t kT0 = 1'700'000'000;

// A site with a dock and two doors under it (BusinessLocation), an unrelated warehouse, and the
// read points of the doors.
const std::string kSite = "https://id.gs1.org/414/8935001000013";
const std::string kDock = "https://id.gs1.org/414/8935001000013/254/dock";
const std::string kDoor1 = "https://id.gs1.org/414/8935001000013/254/door-1";
const std::string kDoor2 = "https://id.gs1.org/414/8935001000013/254/door-2";
const std::string kWarehouse = "https://id.gs1.org/414/8935001000020";
const std::string kName = "urn:epcglobal:cbv:mda:name";
const std::string kSst = "urn:epcglobal:cbv:mda:sst";
const std::string kGrade = "https://ns.example.com/md/grade";
const std::string kLot = "https://id.gs1.org/01/08935001200017/10/L7";
const std::string kItem = "https://id.gs1.org/01/08935001200017/21/7";

std::string Sgtin(int serial) {
  return "https://id.gs1.org/01/08935001200017/21/" + std::to_string(serial);
}

VocabularyElement Element(std::string_view type, std::string id,
                          std::vector<epcis::MasterDataAttribute> attributes = {},
                          std::vector<std::string> children = {}) {
  const bool has_children = !children.empty();
  return {.type = std::string(type),
          .id = std::move(id),
          .attributes = std::move(attributes),
          .children = std::move(children),
          .has_children = has_children};
}

EventQuery Parse(const epcis::QueryParams& params) {
  core::Result<EventQuery> q = epcis::ParseEventQuery(
      params, {{"example", "https://ns.example.com/epcis/"}, {"md", "https://ns.example.com/md/"}});
  EXPECT_TRUE(q.ok()) << q.error().ToString();
  return q.ok() ? *q : EventQuery{};
}

template <typename Backend>
class MasterDataContractTest : public testing::ContractFixture<Backend> {
 public:
  void CaptureDocument(const std::vector<epcis::Event>& events,
                       const std::vector<VocabularyElement>& master_data) {
    core::Result<CaptureOutcome> outcome = this->store_->CaptureDocument(events, master_data);
    ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
    EXPECT_EQ(outcome->vocabulary_elements, master_data.size());
  }

  std::vector<std::string> Ids(const EventQuery& query) {
    core::Result<EventPage> page = this->store_->QueryEvents(query, {.limit = 1000});
    EXPECT_TRUE(page.ok()) << page.error().ToString();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const StoredEvent& e : page->events) ids.push_back(e.event_id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  // Every page at `limit` per page, in order.
  std::vector<std::string> AllPages(const EventQuery& query, std::size_t limit) {
    std::vector<std::string> ids;
    PageRequest request{.limit = limit, .after = ""};
    for (int guard = 0; guard < 100; ++guard) {
      core::Result<EventPage> page = this->store_->QueryEvents(query, request);
      EXPECT_TRUE(page.ok()) << page.error().ToString();
      if (!page.ok()) break;
      EXPECT_LE(page->events.size(), limit);
      for (const StoredEvent& e : page->events) ids.push_back(e.event_id);
      if (page->next.empty()) break;
      request.after = page->next;
    }
    return ids;
  }

  // Events at each location of the hierarchy, one per location (eventID "at:" + location).
  void CaptureLocatedEvents() {
    std::vector<epcis::Event> events;
    int n = 0;
    for (const std::string& location : {kSite, kDock, kDoor1, kDoor2, kWarehouse}) {
      events.push_back(EventBuilder("at:" + location)
                           .EventTimeSeconds(kT0 + n)
                           .BizLocation(location)
                           .ReadPoint(location)
                           .Epc(Sgtin(n))
                           .Build());
      ++n;
    }
    core::Result<CaptureOutcome> outcome = this->store_->CaptureEvents(events);
    ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  }
};

TYPED_TEST_SUITE(MasterDataContractTest, testing::Backends);

TYPED_TEST(MasterDataContractTest, CapturedWithTheEventsAndReadBack) {
  const VocabularyElement site = Element(
      epcis::kBusinessLocationVocabulary, kSite,
      {{kName, "Kho Hà Nội"}, {kSst, "201"}, {kGrade, json::parse(R"({"level": 3})")}}, {kDock});
  const VocabularyElement point = Element(epcis::kReadPointVocabulary, kDoor1, {{kName, "Cổng 1"}});
  this->CaptureDocument({EventBuilder("urn:uuid:md-1").EventTimeSeconds(kT0).Build()},
                        {site, point});
  EXPECT_TRUE(this->store_->GetEvent("urn:uuid:md-1").ok());

  core::Result<VocabularyElement> got =
      this->store_->GetVocabularyElement(epcis::kBusinessLocationVocabulary, kSite);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(*got, site);
  core::Result<VocabularyElement> got_point =
      this->store_->GetVocabularyElement(epcis::kReadPointVocabulary, kDoor1);
  ASSERT_TRUE(got_point.ok()) << got_point.error().ToString();
  EXPECT_EQ(*got_point, point);

  // Vocabularies are apart: the site is no read point.
  core::Result<VocabularyElement> missing =
      this->store_->GetVocabularyElement(epcis::kReadPointVocabulary, kSite);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);

  // Master data alone, without events.
  core::Result<CaptureOutcome> alone = this->store_->CaptureDocument(
      {}, std::vector<VocabularyElement>{Element(epcis::kEpcClassVocabulary, kLot)});
  ASSERT_TRUE(alone.ok()) << alone.error().ToString();
  EXPECT_EQ(alone->stored, 0u);
  EXPECT_EQ(alone->vocabulary_elements, 1u);

  this->Reopen();
  core::Result<VocabularyElement> durable =
      this->store_->GetVocabularyElement(epcis::kBusinessLocationVocabulary, kSite);
  ASSERT_TRUE(durable.ok()) << durable.error().ToString();
  EXPECT_EQ(*durable, site);
  EXPECT_TRUE(this->store_->GetVocabularyElement(epcis::kEpcClassVocabulary, kLot).ok());
}

TYPED_TEST(MasterDataContractTest, LaterDocumentsMergeAsTheStandardModuleSays) {
  this->CaptureDocument(
      {}, {Element(epcis::kBusinessLocationVocabulary, kSite,
                   {{kName, "Kho cũ"}, {kGrade, "a"}, {kGrade, "b"}, {kSst, "201"}}, {kDock})});
  // A later document gives a new name and one grade: they replace every earlier value of their
  // attribute; sst and the children stay.
  this->CaptureDocument({}, {Element(epcis::kBusinessLocationVocabulary, kSite,
                                     {{kName, "Kho mới"}, {kGrade, "c"}})});
  core::Result<VocabularyElement> got =
      this->store_->GetVocabularyElement(epcis::kBusinessLocationVocabulary, kSite);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  const std::vector<epcis::MasterDataAttribute> merged = {
      {kSst, "201"}, {kName, "Kho mới"}, {kGrade, "c"}};
  EXPECT_EQ(got->attributes, merged);
  EXPECT_EQ(got->children, std::vector<std::string>{kDock});

  // Queries see the merged attributes only.
  this->CaptureLocatedEvents();
  EXPECT_EQ(this->Ids(Parse({{"EQ_ATTR_bizLocation_cbvmda:name", "Kho mới"}})),
            std::vector<std::string>{"at:" + kSite});
  EXPECT_TRUE(this->Ids(Parse({{"EQ_ATTR_bizLocation_cbvmda:name", "Kho cũ"}})).empty());
  EXPECT_TRUE(this->Ids(Parse({{"EQ_ATTR_bizLocation_md:grade", "a|b"}})).empty());

  // A children member replaces the children; the two documents of one capture apply in order.
  this->CaptureDocument({}, {Element(epcis::kBusinessLocationVocabulary, kSite, {}, {kDoor1}),
                             Element(epcis::kBusinessLocationVocabulary, kSite, {{kSst, "202"}})});
  got = this->store_->GetVocabularyElement(epcis::kBusinessLocationVocabulary, kSite);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->children, std::vector<std::string>{kDoor1});
  EXPECT_EQ(this->Ids(Parse({{"WD_bizLocation", kSite}})),
            (std::vector<std::string>{"at:" + kSite, "at:" + kDoor1}));
  EXPECT_EQ(this->Ids(Parse({{"EQ_ATTR_bizLocation_cbvmda:sst", "202"}})),
            std::vector<std::string>{"at:" + kSite});
}

TYPED_TEST(MasterDataContractTest, AFailedCaptureStoresNoMasterData) {
  this->store_.reset();
  FailAt fault(FaultPoint::kCommit, 1);
  this->store_ = this->Open(&fault);
  core::Result<CaptureOutcome> failed = this->store_->CaptureDocument(
      std::vector<epcis::Event>{EventBuilder("urn:uuid:lost").EventTimeSeconds(kT0).Build()},
      std::vector<VocabularyElement>{
          Element(epcis::kBusinessLocationVocabulary, kSite, {{kName, "x"}}, {kDock})});
  ASSERT_FALSE(failed.ok());
  EXPECT_FALSE(this->store_->GetEvent("urn:uuid:lost").ok());
  core::Result<VocabularyElement> got =
      this->store_->GetVocabularyElement(epcis::kBusinessLocationVocabulary, kSite);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, core::ErrorCode::kNotFound);
  // Nor any lookup row: WD_ reaches the site alone.
  this->CaptureLocatedEvents();
  EXPECT_EQ(this->Ids(Parse({{"WD_bizLocation", kSite}})), std::vector<std::string>{"at:" + kSite});
}

TYPED_TEST(MasterDataContractTest, WithDescendantsFollowsTheHierarchy) {
  this->CaptureLocatedEvents();
  // Without master data a location's only descendant is itself.
  EXPECT_EQ(this->Ids(Parse({{"WD_bizLocation", kSite}})), std::vector<std::string>{"at:" + kSite});
  this->CaptureDocument({},
                        {Element(epcis::kBusinessLocationVocabulary, kSite, {}, {kDock}),
                         Element(epcis::kBusinessLocationVocabulary, kDock, {}, {kDoor1, kDoor2}),
                         // A cycle back to the site must not loop.
                         Element(epcis::kBusinessLocationVocabulary, kDoor2, {}, {kSite}),
                         Element(epcis::kReadPointVocabulary, kWarehouse, {}, {kDoor1})});
  EXPECT_EQ(
      this->Ids(Parse({{"WD_bizLocation", kSite}})),
      (std::vector<std::string>{"at:" + kSite, "at:" + kDock, "at:" + kDoor1, "at:" + kDoor2}));
  std::vector<std::string> expected = {"at:" + kSite, "at:" + kDock, "at:" + kDoor1,
                                       "at:" + kDoor2};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(this->Ids(Parse({{"WD_bizLocation", kDock}})), expected);  // through the cycle
  EXPECT_EQ(this->Ids(Parse({{"WD_bizLocation", kWarehouse}})),
            std::vector<std::string>{"at:" + kWarehouse});
  // WD_readPoint walks the ReadPoint vocabulary only.
  EXPECT_EQ(this->Ids(Parse({{"WD_readPoint", kWarehouse}})),
            (std::vector<std::string>{"at:" + kDoor1, "at:" + kWarehouse}));
  EXPECT_EQ(this->Ids(Parse({{"WD_readPoint", kSite}})), std::vector<std::string>{"at:" + kSite});
  // The EPC URN of a location names it as its Digital Link does.
  EXPECT_EQ(this->Ids(Parse({{"WD_bizLocation", "urn:epc:id:sgln:8935001.00001.dock"},
                             {"MATCH_epc", Sgtin(2)}})),
            std::vector<std::string>{"at:" + kDoor1});
  // With other conditions: AND.
  EXPECT_EQ(this->Ids(Parse({{"WD_bizLocation", kSite}, {"EQ_readPoint", kDoor2}})),
            std::vector<std::string>{"at:" + kDoor2});
}

TYPED_TEST(MasterDataContractTest, AttributeConditionsOnEveryKindOfField) {
  std::vector<epcis::Event> events = {
      EventBuilder("loc-site").EventTimeSeconds(kT0).BizLocation(kSite).ReadPoint(kDoor1).Build(),
      EventBuilder("loc-dock").EventTimeSeconds(kT0 + 1).BizLocation(kDock).Build(),
      EventBuilder("item").EventTimeSeconds(kT0 + 2).Epc(kItem).Build(),
      EventBuilder("child", epcis::EventType::kAggregationEvent)
          .EventTimeSeconds(kT0 + 3)
          .ParentId(Sgtin(99))
          .ChildEpc(kItem)
          .Build(),
      EventBuilder("lot").EventTimeSeconds(kT0 + 4).EpcClass(kLot, 5).Build(),
      EventBuilder("input-lot", epcis::EventType::kTransformationEvent)
          .EventTimeSeconds(kT0 + 5)
          .InputEpcClass(kLot, 2)
          .OutputEpc(Sgtin(5))
          .Build(),
  };
  this->CaptureDocument(
      events, {Element(epcis::kBusinessLocationVocabulary, kSite, {{kSst, "201"}, {kName, "Kho"}}),
               Element(epcis::kBusinessLocationVocabulary, kDock, {{kSst, "202"}}),
               Element(epcis::kReadPointVocabulary, kDoor1, {{kName, "Cổng 1"}}),
               Element(epcis::kEpcInstanceVocabulary, kItem, {{kGrade, "A"}}),
               Element(epcis::kEpcClassVocabulary, kLot, {{kGrade, 3}}),
               Element(epcis::kEpcClassVocabulary, Sgtin(99), {{kGrade, "parent"}})});
  using V = std::vector<std::string>;
  EXPECT_EQ(this->Ids(Parse({{"HASATTR_bizLocation", "cbvmda:sst"}})), (V{"loc-dock", "loc-site"}));
  EXPECT_EQ(this->Ids(Parse({{"HASATTR_bizLocation", "cbvmda:name"}})), V{"loc-site"});
  EXPECT_EQ(this->Ids(Parse({{"EQ_ATTR_bizLocation_cbvmda:sst", "202"}})), V{"loc-dock"});
  EXPECT_EQ(this->Ids(Parse({{"EQ_ATTR_bizLocation_urn:epcglobal:cbv:mda#sst", "201|202"}})),
            (V{"loc-dock", "loc-site"}));
  EXPECT_EQ(this->Ids(Parse({{"HASATTR_readPoint", "cbvmda:name"}})), V{"loc-site"});
  EXPECT_TRUE(this->Ids(Parse({{"HASATTR_readPoint", "cbvmda:sst"}})).empty());
  EXPECT_EQ(this->Ids(Parse({{"HASATTR_epcList", "md:grade"}})), V{"item"});
  EXPECT_EQ(this->Ids(Parse({{"HASATTR_childEPCs", "md:grade"}})), V{"child"});
  // parentID names an instance: class master data of the same id does not count.
  EXPECT_TRUE(this->Ids(Parse({{"HASATTR_parentID", "md:grade"}})).empty());
  EXPECT_EQ(this->Ids(Parse({{"EQ_ATTR_quantityList_md:grade", "3"}})), V{"lot"});
  EXPECT_EQ(this->Ids(Parse({{"EQ_ATTR_inputQuantityList_md:grade", "3.0"}})), V{"input-lot"});
  EXPECT_TRUE(this->Ids(Parse({{"EQ_ATTR_outputQuantityList_md:grade", "3"}})).empty());
  EXPECT_TRUE(this->Ids(Parse({{"HASATTR_bizLocation", "md:unknown"}})).empty());
  // With other conditions: AND.
  EXPECT_EQ(this->Ids(Parse({{"HASATTR_bizLocation", "cbvmda:sst"}, {"EQ_bizLocation", kSite}})),
            V{"loc-site"});
  EXPECT_EQ(this->Ids(Parse({{"HASATTR_bizLocation", "cbvmda:sst"}, {"WD_bizLocation", kDock}})),
            V{"loc-dock"});
}

// Events whose example:rank is given (or absent, for null), in capture order.
template <typename Test>
void CaptureRanked(Test& test, const std::vector<std::pair<std::string, json::value>>& ranks) {
  std::vector<epcis::Event> events;
  int n = 0;
  for (const auto& [id, rank] : ranks) {
    EventBuilder b(id);
    b.EventTimeSeconds(kT0 + 100 - n).Epc(Sgtin(n % 2));
    if (!rank.is_null()) b.Field("example:rank", rank);
    events.push_back(b.Build());
    ++n;
  }
  core::Result<CaptureOutcome> outcome = test.store_->CaptureEvents(events);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
}

TYPED_TEST(MasterDataContractTest, OrderByAnExtensionFieldAcrossPages) {
  CaptureRanked(*this, {{"n10", 10},
                        {"none-1", nullptr},
                        {"s-b", "b"},
                        {"n2.5", 2.5},
                        {"t-late", "2025-06-01T00:00:00Z"},
                        {"n10-again", 10},
                        {"s-a", "a"},
                        {"t-early", "2025-05-31T23:00:00-02:00"},  // 01:00Z on 1 June
                        {"none-2", nullptr},
                        {"neg", -4},
                        {"flag", true}});  // a boolean sorts as a missing field
  const std::vector<std::string> ascending = {
      "neg", "n2.5", "n10",    "n10-again", "t-late", "t-early",
      "s-a", "s-b",  "none-1", "none-2",    "flag"};  // equal keys in record order; missing last
  const std::vector<std::string> descending = {
      "s-b",  "s-a", "t-early", "t-late", "n10-again", "n10",
      "n2.5", "neg", "flag",    "none-2", "none-1"};  // equal keys in reverse record order; missing
                                                      // last
  EventQuery asc = Parse({{"orderBy", "example:rank"}, {"orderDirection", "ASC"}});
  EventQuery desc = Parse({{"orderBy", "example:rank"}});
  for (std::size_t per_page : {1u, 2u, 3u, 100u}) {
    SCOPED_TRACE(per_page);
    EXPECT_EQ(this->AllPages(asc, per_page), ascending);
    EXPECT_EQ(this->AllPages(desc, per_page), descending);
  }
  // Through an index probe (candidates) as through the scan: the same order.
  // (The events captured in even positions name Sgtin(0).)
  EventQuery probed =
      Parse({{"orderBy", "example:rank"}, {"orderDirection", "ASC"}, {"MATCH_epc", Sgtin(0)}});
  EXPECT_EQ(this->AllPages(probed, 2),
            (std::vector<std::string>{"n10", "t-late", "s-a", "s-b", "none-2", "flag"}));
  // eventCountLimit cuts the whole result, across pages.
  EventQuery limited =
      Parse({{"orderBy", "example:rank"}, {"orderDirection", "ASC"}, {"eventCountLimit", "3"}});
  EXPECT_EQ(this->AllPages(limited, 2), (std::vector<std::string>{"neg", "n2.5", "n10"}));
  // maxEventCount counts every match.
  EventQuery max = Parse({{"orderBy", "example:rank"}, {"maxEventCount", "5"}});
  core::Result<EventPage> too_many = this->store_->QueryEvents(max, {.limit = 2});
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code, core::ErrorCode::kResourceExhausted);
}

TYPED_TEST(MasterDataContractTest, ExtensionOrderPagesStayCorrectWhileEventsArrive) {
  CaptureRanked(*this, {{"r1", 1}, {"r3", 3}, {"r5", 5}, {"r7", 7}});
  EventQuery asc = Parse({{"orderBy", "example:rank"}, {"orderDirection", "ASC"}});
  core::Result<EventPage> first = this->store_->QueryEvents(asc, {.limit = 2});
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  ASSERT_EQ(first->events.size(), 2u);
  EXPECT_EQ(first->events[1].event_id, "r3");
  ASSERT_FALSE(first->next.empty());
  // Captured between the pages: one before the cursor (never shown), two after it.
  CaptureRanked(*this, {{"r2", 2}, {"r4", 4}, {"r3-again", 3}});
  std::vector<std::string> rest;
  PageRequest request{.limit = 2, .after = first->next};
  while (true) {
    core::Result<EventPage> page = this->store_->QueryEvents(asc, request);
    ASSERT_TRUE(page.ok()) << page.error().ToString();
    for (const StoredEvent& e : page->events) rest.push_back(e.event_id);
    if (page->next.empty()) break;
    request.after = page->next;
  }
  // r3-again ties with r3 and comes after it in record order, so after the cursor.
  EXPECT_EQ(rest, (std::vector<std::string>{"r3-again", "r4", "r5", "r7"}));

  // A token is refused by a query with another order or another field.
  EventQuery other_field = Parse({{"orderBy", "example:other"}, {"orderDirection", "ASC"}});
  core::Result<EventPage> wrong =
      this->store_->QueryEvents(other_field, {.limit = 2, .after = first->next});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, core::ErrorCode::kInvalidArgument);
  EventQuery by_time = Parse({{"orderBy", "eventTime"}, {"orderDirection", "ASC"}});
  core::Result<EventPage> wrong_order =
      this->store_->QueryEvents(by_time, {.limit = 2, .after = first->next});
  ASSERT_FALSE(wrong_order.ok());
  EXPECT_EQ(wrong_order.error().code, core::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace vntrace::store
