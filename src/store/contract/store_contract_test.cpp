// The Store contract: every backend passes these tests (typed GoogleTest over the backends).
//
// A backend is a traits struct with `kName`, `Location(dir)` (the OpenStore location of a fresh
// store inside the empty directory `dir`) and `SkipReason()` (empty when the backend can run
// here; otherwise the test is skipped with that reason, never silently passed).
#include "store/store.hpp"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "store/contract/event_builder.hpp"
#include "store/contract/fixture.hpp"
#include "store/fault_injection.hpp"

namespace vntrace::store {
namespace {

using epcis::EventQuery;
using epcis::EventType;
using epcis::IndexKind;
using testing::EventBuilder;

constexpr std::int64_t kT0 = 1'700'000'000;  // 2023-11-14T22:13:20Z

std::string Sgtin(int serial) {
  return "https://id.gs1.org/01/08935001200017/21/" + std::to_string(serial);
}

std::vector<std::string> Ids(const EventPage& page) {
  std::vector<std::string> ids;
  for (const StoredEvent& e : page.events) {
    ids.push_back(e.event_id);
  }
  return ids;
}

std::set<std::string> IdSet(const EventPage& page) {
  std::vector<std::string> ids = Ids(page);
  return {ids.begin(), ids.end()};
}

// Members are public so that the helper templates below can use them.
template <typename Backend>
class StoreContractTest : public testing::ContractFixture<Backend> {
 public:
  void Capture(const std::vector<epcis::Event>& events) {
    core::Result<CaptureOutcome> outcome = this->store_->CaptureEvents(events);
    ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
    ASSERT_EQ(outcome->stored, events.size());
  }

  // Every page of `query` at `limit` events per page, concatenated.
  std::vector<std::string> AllPages(const EventQuery& query, std::size_t limit) {
    std::vector<std::string> ids;
    PageRequest request{.limit = limit, .after = ""};
    for (int guard = 0; guard < 1000; ++guard) {
      core::Result<EventPage> page = this->store_->QueryEvents(query, request);
      EXPECT_TRUE(page.ok()) << page.error().ToString();
      if (!page.ok()) {
        break;
      }
      EXPECT_LE(page->events.size(), limit);
      for (const StoredEvent& e : page->events) {
        ids.push_back(e.event_id);
      }
      if (page->next.empty()) {
        break;
      }
      EXPECT_FALSE(page->events.empty()) << "a page with a next token must hold events";
      request.after = page->next;
    }
    return ids;
  }

  std::set<std::string> Query(const EventQuery& query) {
    core::Result<EventPage> page = this->store_->QueryEvents(query, {.limit = 1000});
    EXPECT_TRUE(page.ok()) << page.error().ToString();
    return page.ok() ? IdSet(*page) : std::set<std::string>{};
  }
};

TYPED_TEST_SUITE(StoreContractTest, testing::Backends);

// --- capture ----------------------------------------------------------------------------------

TYPED_TEST(StoreContractTest, CapturedEventsReadBackAsTheirJson) {
  const epcis::Event a =
      EventBuilder("urn:uuid:a").EventTimeSeconds(kT0, 420).Epc(Sgtin(1)).Build();
  const epcis::Event b = EventBuilder("urn:uuid:b").EventTimeSeconds(kT0 + 1).Epc(Sgtin(2)).Build();
  this->Capture({a, b});

  core::Result<StoredEvent> got = this->store_->GetEvent("urn:uuid:a");
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->event_id, "urn:uuid:a");
  EXPECT_EQ(got->json, boost::json::serialize(a.json));
  EXPECT_EQ(boost::json::parse(got->json), boost::json::value(a.json));

  core::Result<StoredEvent> missing = this->store_->GetEvent("urn:uuid:zzz");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);

  core::Result<EventPage> all = this->store_->QueryEvents({}, {.limit = 10});
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  ASSERT_EQ(all->events.size(), 2u);
  EXPECT_EQ(all->events[1].json, boost::json::serialize(b.json));
}

TYPED_TEST(StoreContractTest, EmptyCaptureStoresNothing) {
  core::Result<CaptureOutcome> outcome = this->store_->CaptureEvents({});
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ(outcome->stored, 0u);
  EXPECT_EQ(outcome->skipped, 0u);
}

TYPED_TEST(StoreContractTest, CaptureIsIdempotentByEventId) {
  const std::vector<epcis::Event> batch = {
      EventBuilder("urn:uuid:1").EventTimeSeconds(kT0).Epc(Sgtin(1)).Build(),
      EventBuilder("urn:uuid:2").EventTimeSeconds(kT0).Epc(Sgtin(2)).Build(),
  };
  this->Capture(batch);

  core::Result<CaptureOutcome> again = this->store_->CaptureEvents(batch);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(again->stored, 0u);
  EXPECT_EQ(again->skipped, 2u);

  // A resent eventID with other content is skipped, and so is its index: Sgtin(99) names
  // nothing stored.
  const std::vector<epcis::Event> mixed = {
      EventBuilder("urn:uuid:1").EventTimeSeconds(kT0).Epc(Sgtin(99)).Build(),
      EventBuilder("urn:uuid:3").EventTimeSeconds(kT0).Epc(Sgtin(3)).Build(),
      EventBuilder("urn:uuid:3").EventTimeSeconds(kT0).Epc(Sgtin(98)).Build(),
  };
  core::Result<CaptureOutcome> outcome = this->store_->CaptureEvents(mixed);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ(outcome->stored, 1u);
  EXPECT_EQ(outcome->skipped, 2u);

  EventQuery q;
  q.match_any_epc = {{.value = Sgtin(99)}};
  EXPECT_TRUE(this->Query(q).empty());
  q.match_any_epc = {{.value = Sgtin(98)}};
  EXPECT_TRUE(this->Query(q).empty());
  q.match_any_epc = {{.value = Sgtin(3)}};
  EXPECT_EQ(this->Query(q), (std::set<std::string>{"urn:uuid:3"}));
  EXPECT_EQ(this->AllPages({}, 10),
            (std::vector<std::string>{"urn:uuid:1", "urn:uuid:2", "urn:uuid:3"}));
}

// --- error declarations -------------------------------------------------------------------------

// The stored event `event_id`'s JSON object.
template <typename Fixture>
boost::json::object StoredJson(Fixture& test, const std::string& event_id) {
  core::Result<StoredEvent> got = test.store_->GetEvent(event_id);
  EXPECT_TRUE(got.ok()) << got.error().ToString();
  if (!got.ok()) {
    return {};
  }
  return boost::json::parse(got->json).as_object();
}

TYPED_TEST(StoreContractTest, ErrorDeclarationIsRecordedOnTheStoredEvent) {
  const epcis::Event original =
      EventBuilder("urn:uuid:e1").EventTimeSeconds(kT0).Epc(Sgtin(1)).BizStep("shipping").Build();
  const epcis::Event other =
      EventBuilder("urn:uuid:e2").EventTimeSeconds(kT0 + 1).Epc(Sgtin(2)).Build();
  this->Capture({original, other});

  // The declaration: the same event (another recordTime) with an errorDeclaration.
  const epcis::Event declaration =
      EventBuilder("urn:uuid:e1")
          .EventTimeSeconds(kT0)
          .RecordTimeSeconds(kT0 + 500)
          .Epc(Sgtin(1))
          .BizStep("shipping")
          .ErrorDeclaration(core::Timestamp::FromUnixSeconds(kT0 + 100), "incorrect_data",
                            "urn:uuid:fix-1")
          .Build();
  core::Result<CaptureOutcome> outcome = this->store_->CaptureEvents({&declaration, 1});
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ(outcome->stored, 0u);
  EXPECT_EQ(outcome->declared, 1u);
  EXPECT_EQ(outcome->skipped, 0u);

  // GetEvent shows the stored event with the declaration's errorDeclaration member.
  boost::json::object expected = original.json;
  expected["errorDeclaration"] = declaration.json.at("errorDeclaration");
  EXPECT_EQ(StoredJson(*this, "urn:uuid:e1"), expected);
  EXPECT_EQ(StoredJson(*this, "urn:uuid:e2"), other.json);

  EventQuery declared;
  declared.exists_error_declaration = true;
  EXPECT_EQ(this->Query(declared), (std::set<std::string>{"urn:uuid:e1"}));
  EventQuery by_reason;
  by_reason.eq_error_reason = {"incorrect_data"};
  EXPECT_EQ(this->Query(by_reason), (std::set<std::string>{"urn:uuid:e1"}));
  EventQuery by_corrective;
  by_corrective.eq_corrective_event_id = {"urn:uuid:fix-1"};
  EXPECT_EQ(this->Query(by_corrective), (std::set<std::string>{"urn:uuid:e1"}));
  EventQuery by_time;
  by_time.ge_error_declaration_time = core::Timestamp::FromUnixSeconds(kT0 + 100);
  EXPECT_EQ(this->Query(by_time), (std::set<std::string>{"urn:uuid:e1"}));
  // Still one event, in its original place.
  EXPECT_EQ(this->AllPages({}, 10), (std::vector<std::string>{"urn:uuid:e1", "urn:uuid:e2"}));

  // A repeated declaration (even another one) is skipped: the first one stays.
  const epcis::Event again =
      EventBuilder("urn:uuid:e1")
          .EventTimeSeconds(kT0)
          .Epc(Sgtin(1))
          .ErrorDeclaration(core::Timestamp::FromUnixSeconds(kT0 + 200), "did_not_occur")
          .Build();
  outcome = this->store_->CaptureEvents({&again, 1});
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ(outcome->declared, 0u);
  EXPECT_EQ(outcome->skipped, 1u);
  EventQuery by_other_reason;
  by_other_reason.eq_error_reason = {"did_not_occur"};
  EXPECT_TRUE(this->Query(by_other_reason).empty());

  this->Reopen();
  EXPECT_EQ(StoredJson(*this, "urn:uuid:e1"), expected);
  EXPECT_EQ(this->Query(declared), (std::set<std::string>{"urn:uuid:e1"}));
}

TYPED_TEST(StoreContractTest, ErrorDeclarationInTheSameCaptureAsItsEvent) {
  const std::vector<epcis::Event> batch = {
      EventBuilder("urn:uuid:e1").EventTimeSeconds(kT0).Epc(Sgtin(1)).Build(),
      EventBuilder("urn:uuid:e1")
          .EventTimeSeconds(kT0)
          .Epc(Sgtin(1))
          .ErrorDeclaration(core::Timestamp::FromUnixSeconds(kT0 + 100), "incorrect_data")
          .Build(),
      // Captured with its declaration already: stored as it is.
      EventBuilder("urn:uuid:e2")
          .EventTimeSeconds(kT0)
          .Epc(Sgtin(2))
          .ErrorDeclaration(core::Timestamp::FromUnixSeconds(kT0 + 100), "did_not_occur")
          .Build(),
  };
  core::Result<CaptureOutcome> outcome = this->store_->CaptureEvents(batch);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ(outcome->stored, 2u);
  EXPECT_EQ(outcome->declared, 1u);
  EventQuery declared;
  declared.exists_error_declaration = true;
  EXPECT_EQ(this->Query(declared), (std::set<std::string>{"urn:uuid:e1", "urn:uuid:e2"}));
  EXPECT_TRUE(StoredJson(*this, "urn:uuid:e1").contains("errorDeclaration"));
}

TYPED_TEST(StoreContractTest, ErrorDeclarationIsUndoneWithAFailedCapture) {
  this->Capture({EventBuilder("urn:uuid:e1").EventTimeSeconds(kT0).Epc(Sgtin(1)).Build()});
  const std::vector<epcis::Event> batch = {
      EventBuilder("urn:uuid:e1")
          .EventTimeSeconds(kT0)
          .Epc(Sgtin(1))
          .ErrorDeclaration(core::Timestamp::FromUnixSeconds(kT0 + 100), "incorrect_data")
          .Build(),
      EventBuilder("").EventTimeSeconds(kT0).Epc(Sgtin(2)).Build(),  // no eventID
  };
  core::Result<CaptureOutcome> outcome = this->store_->CaptureEvents(batch);
  ASSERT_FALSE(outcome.ok());
  EventQuery declared;
  declared.exists_error_declaration = true;
  EXPECT_TRUE(this->Query(declared).empty());
  EventQuery by_reason;
  by_reason.eq_error_reason = {"incorrect_data"};
  EXPECT_TRUE(this->Query(by_reason).empty());
  EXPECT_FALSE(StoredJson(*this, "urn:uuid:e1").contains("errorDeclaration"));
}

// Writers on several threads at once (their captures may share a transaction): each capture
// stays atomic, a failing one takes nothing of the others with it.
TYPED_TEST(StoreContractTest, ConcurrentCapturesFailAlone) {
  constexpr int kThreads = 4;
  constexpr int kCaptures = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &failures] {
      for (int c = 0; c < kCaptures; ++c) {
        const std::string id = "urn:uuid:w" + std::to_string(t) + "-" + std::to_string(c);
        std::vector<epcis::Event> batch = {
            EventBuilder(id).EventTimeSeconds(kT0 + c).Epc(Sgtin(t * 1000 + c)).Build()};
        const bool bad = c % 5 == 4;
        if (bad) {
          batch.push_back(EventBuilder("").EventTimeSeconds(kT0).Epc(Sgtin(999999)).Build());
        }
        core::Result<CaptureOutcome> outcome = this->store_->CaptureEvents(batch);
        if (bad != !outcome.ok()) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(this->AllPages({}, 1000).size(),
            static_cast<std::size_t>(kThreads * kCaptures * 4 / 5));
  EventQuery bad;
  bad.match_any_epc = {{.value = Sgtin(999999)}};
  EXPECT_TRUE(this->Query(bad).empty());
}

// Nothing of a failed capture is stored: neither its events nor their index rows.
template <typename Fixture>
void ExpectNothingStored(Fixture& test, const std::vector<epcis::Event>& batch) {
  for (const epcis::Event& e : batch) {
    if (e.event_id.empty()) {
      continue;
    }
    core::Result<StoredEvent> got = test.store_->GetEvent(e.event_id);
    ASSERT_FALSE(got.ok()) << e.event_id << " was stored by a failed capture";
    EXPECT_EQ(got.error().code, core::ErrorCode::kNotFound);
  }
  EventQuery any;
  any.match_any_epc = {{.value = "https://id.gs1.org/01/", .prefix = true}};
  EXPECT_TRUE(test.Query(any).empty());
  EXPECT_TRUE(test.AllPages({}, 10).empty());
  core::Result<ValuePage> epcs = test.store_->ListVocabulary(Vocabulary::kEpcs, {.limit = 10});
  ASSERT_TRUE(epcs.ok()) << epcs.error().ToString();
  EXPECT_TRUE(epcs->values.empty());
}

TYPED_TEST(StoreContractTest, CaptureIsAtomicWhenAnEventViolatesAConstraint) {
  const std::vector<epcis::Event> batch = {
      EventBuilder("urn:uuid:good-1").EventTimeSeconds(kT0).Epc(Sgtin(1)).Build(),
      EventBuilder("").EventTimeSeconds(kT0).Epc(Sgtin(2)).Build(),  // no eventID
      EventBuilder("urn:uuid:good-2").EventTimeSeconds(kT0).Epc(Sgtin(3)).Build(),
  };
  core::Result<CaptureOutcome> outcome = this->store_->CaptureEvents(batch);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, core::ErrorCode::kInvalidArgument) << outcome.error().ToString();
  ExpectNothingStored(*this, batch);
}

TYPED_TEST(StoreContractTest, CaptureIsAtomicWhenAWriteFails) {
  const std::vector<epcis::Event> batch = {
      EventBuilder("urn:uuid:1").EventTimeSeconds(kT0).Epc(Sgtin(1)).Epc(Sgtin(2)).Build(),
      EventBuilder("urn:uuid:2").EventTimeSeconds(kT0).Epc(Sgtin(3)).Epc(Sgtin(4)).Build(),
      EventBuilder("urn:uuid:3").EventTimeSeconds(kT0).Epc(Sgtin(5)).Build(),
  };
  struct Case {
    FaultPoint point;
    std::int64_t nth;
  };
  for (const Case& c : {Case{FaultPoint::kEventInsert, 2}, Case{FaultPoint::kEventInsert, 3},
                        Case{FaultPoint::kIndexInsert, 1}, Case{FaultPoint::kIndexInsert, 4},
                        Case{FaultPoint::kCommit, 1}}) {
    SCOPED_TRACE(::testing::Message()
                 << "fault point " << static_cast<int>(c.point) << " #" << c.nth);
    FailAt fault(c.point, c.nth);
    this->store_.reset();
    this->store_ = this->Open(&fault);
    core::Result<CaptureOutcome> outcome = this->store_->CaptureEvents(batch);
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error().message, "injected fault");
    ExpectNothingStored(*this, batch);
    this->store_.reset();  // before `fault` goes
  }
  // The store works after the failures.
  this->Reopen();
  this->Capture(batch);
  EXPECT_EQ(this->AllPages({}, 10).size(), 3u);
}

// --- queries through the index ---------------------------------------------------------------

// A small supply chain: commissioning, packing, shipping, receiving, transforming, with every
// kind of identifier the index holds.
template <typename Fixture>
void CaptureSupplyChain(Fixture& test) {
  const std::string farm = "https://id.gs1.org/414/8935001000004";
  const std::string warehouse = "https://id.gs1.org/414/8935001000011";
  const std::string shop = "https://id.gs1.org/414/8935001000028";
  const std::string pallet = "https://id.gs1.org/00/089350012000000017";
  const std::string lot = "https://id.gs1.org/01/08935001200017/10/L1";
  const std::string po = "urn:epcglobal:cbv:bt:8935001000004:PO-1";
  const std::string flour = "https://id.gs1.org/01/08935001200024/10/F1";
  const std::string bread = "https://id.gs1.org/01/08935001200031/10/B1";
  test.Capture({
      EventBuilder("urn:uuid:commission")
          .EventTimeSeconds(kT0, 420)
          .RecordTimeSeconds(kT0 + 100)
          .Action("ADD")
          .BizStep("commissioning")
          .Disposition("active")
          .ReadPoint(farm)
          .BizLocation(farm)
          .Epc(Sgtin(1))
          .Epc(Sgtin(2))
          .Build(),
      EventBuilder("urn:uuid:pack", EventType::kAggregationEvent)
          .EventTimeSeconds(kT0 + 10)
          .RecordTimeSeconds(kT0 + 101)
          .Action("ADD")
          .BizStep("packing")
          .Disposition("in_progress")
          .ReadPoint(farm)
          .ParentId(pallet)
          .ChildEpc(Sgtin(1))
          .ChildEpc(Sgtin(2))
          .ChildEpcClass(lot, 20)
          .Build(),
      EventBuilder("urn:uuid:ship", EventType::kTransactionEvent)
          .EventTimeSeconds(kT0 + 20)
          .RecordTimeSeconds(kT0 + 102)
          .Action("ADD")
          .BizStep("shipping")
          .Disposition("in_transit")
          .ReadPoint(warehouse)
          .ParentId(pallet)
          .Epc(Sgtin(1))
          .EpcClass(lot, 20)
          .BizTransaction("po", po)
          .Source("owning_party", "https://id.gs1.org/417/8935001000004")
          .Destination("owning_party", "https://id.gs1.org/417/8935001000035")
          .PersistentDispositionSet("completeness_verified")
          .Build(),
      EventBuilder("urn:uuid:receive")
          .EventTimeSeconds(kT0 + 30)
          .RecordTimeSeconds(kT0 + 103)
          .Action("OBSERVE")
          .BizStep("receiving")
          .Disposition("in_progress")
          .ReadPoint(shop)
          .BizLocation(shop)
          .Epc(Sgtin(2))
          .BizTransaction("", po)
          .Build(),
      EventBuilder("urn:uuid:bake", EventType::kTransformationEvent)
          .EventTimeSeconds(kT0 + 40)
          .RecordTimeSeconds(kT0 + 104)
          .BizStep("commissioning")
          .BizLocation(shop)
          .InputEpc(Sgtin(3))
          .InputEpcClass(flour, 2.5)
          .OutputEpc(Sgtin(4))
          .OutputEpcClass(bread, 10)
          .TransformationId("urn:uuid:batch-7")
          .Build(),
      EventBuilder("urn:uuid:recall")
          .EventTimeSeconds(kT0 + 50)
          .RecordTimeSeconds(kT0 + 105)
          .Action("OBSERVE")
          .BizStep("holding")
          .Epc(Sgtin(5))
          .ErrorDeclaration(core::Timestamp::FromUnixSeconds(kT0 + 60), "incorrect_data",
                            "urn:uuid:commission")
          .Build(),
  });
}

struct PredicateCase {
  const char* name;
  std::function<void(EventQuery&)> set;
  std::set<std::string> expected;
};

std::vector<PredicateCase> PredicateCases() {
  const std::string farm = "https://id.gs1.org/414/8935001000004";
  const std::string shop = "https://id.gs1.org/414/8935001000028";
  const std::string pallet = "https://id.gs1.org/00/089350012000000017";
  const std::string lot = "https://id.gs1.org/01/08935001200017/10/L1";
  const std::string po = "urn:epcglobal:cbv:bt:8935001000004:PO-1";
  return {
      {"EQ_eventID",
       [](EventQuery& q) {
         q.eq_event_id = {"urn:uuid:ship", "urn:uuid:nope"};
       },
       {"urn:uuid:ship"}},
      {"MATCH_epc",
       [](EventQuery& q) { q.match_epc = {{.value = Sgtin(1)}}; },
       {"urn:uuid:commission", "urn:uuid:pack", "urn:uuid:ship"}},
      {"MATCH_epc several",
       [](EventQuery& q) {
         q.match_epc = {{Sgtin(5)}, {Sgtin(2)}};
       },
       {"urn:uuid:commission", "urn:uuid:pack", "urn:uuid:receive", "urn:uuid:recall"}},
      {"MATCH_parentID",
       [=](EventQuery& q) { q.match_parent_id = {{.value = pallet}}; },
       {"urn:uuid:pack", "urn:uuid:ship"}},
      {"MATCH_inputEPC",
       [](EventQuery& q) { q.match_input_epc = {{.value = Sgtin(3)}}; },
       {"urn:uuid:bake"}},
      {"MATCH_outputEPC",
       [](EventQuery& q) { q.match_output_epc = {{.value = Sgtin(4)}}; },
       {"urn:uuid:bake"}},
      {"MATCH_anyEPC",
       [=](EventQuery& q) {
         q.match_any_epc = {{.value = pallet}, {Sgtin(4)}};
       },
       {"urn:uuid:pack", "urn:uuid:ship", "urn:uuid:bake"}},
      {"MATCH_anyEPC prefix",
       [](EventQuery& q) {
         q.match_any_epc = {{.value = "https://id.gs1.org/01/08935001200017/21/", .prefix = true}};
       },
       {"urn:uuid:commission", "urn:uuid:pack", "urn:uuid:ship", "urn:uuid:receive",
        "urn:uuid:bake", "urn:uuid:recall"}},
      {"MATCH_anyEPC prefix of one",
       [](EventQuery& q) {
         q.match_any_epc = {{.value = "https://id.gs1.org/01/08935001200017/21/4", .prefix = true}};
       },
       {"urn:uuid:bake"}},
      {"MATCH_anyEPC none", [](EventQuery& q) { q.match_any_epc = {{.value = Sgtin(77)}}; }, {}},
      {"MATCH_epcClass",
       [=](EventQuery& q) { q.match_epc_class = {{.value = lot}}; },
       {"urn:uuid:pack", "urn:uuid:ship"}},
      {"MATCH_inputEPCClass",
       [](EventQuery& q) {
         q.match_input_epc_class = {{.value = "https://id.gs1.org/01/08935001200024/10/F1"}};
       },
       {"urn:uuid:bake"}},
      {"MATCH_outputEPCClass",
       [](EventQuery& q) {
         q.match_output_epc_class = {{.value = "https://id.gs1.org/01/08935001200031/10/B1"}};
       },
       {"urn:uuid:bake"}},
      {"MATCH_anyEPCClass prefix",
       [](EventQuery& q) {
         q.match_any_epc_class = {{.value = "https://id.gs1.org/01/089350012000", .prefix = true}};
       },
       {"urn:uuid:pack", "urn:uuid:ship", "urn:uuid:bake"}},
      {"EQ_bizStep",
       [](EventQuery& q) { q.eq_biz_step = {"commissioning"}; },
       {"urn:uuid:commission", "urn:uuid:bake"}},
      {"EQ_disposition",
       [](EventQuery& q) {
         q.eq_disposition = {"in_progress", "in_transit"};
       },
       {"urn:uuid:pack", "urn:uuid:ship", "urn:uuid:receive"}},
      {"EQ_readPoint",
       [=](EventQuery& q) { q.eq_read_point = {farm}; },
       {"urn:uuid:commission", "urn:uuid:pack"}},
      {"EQ_bizLocation",
       [=](EventQuery& q) { q.eq_biz_location = {shop}; },
       {"urn:uuid:receive", "urn:uuid:bake"}},
      {"EQ_transformationID",
       [](EventQuery& q) { q.eq_transformation_id = {"urn:uuid:batch-7"}; },
       {"urn:uuid:bake"}},
      {"EQ_persistentDisposition_set",
       [](EventQuery& q) { q.eq_persistent_disposition_set = {"completeness_verified"}; },
       {"urn:uuid:ship"}},
      {"EQ_errorReason",
       [](EventQuery& q) { q.eq_error_reason = {"incorrect_data"}; },
       {"urn:uuid:recall"}},
      {"EQ_correctiveEventID",
       [](EventQuery& q) { q.eq_corrective_event_id = {"urn:uuid:commission"}; },
       {"urn:uuid:recall"}},
      {"EQ_bizTransaction any type",
       [=](EventQuery& q) { q.eq_biz_transaction = {{.type = "", .values = {po}}}; },
       {"urn:uuid:ship", "urn:uuid:receive"}},
      {"EQ_bizTransaction_po",
       [=](EventQuery& q) { q.eq_biz_transaction = {{.type = "po", .values = {po}}}; },
       {"urn:uuid:ship"}},
      {"EQ_source_owning_party",
       [](EventQuery& q) {
         q.eq_source = {
             {.type = "owning_party", .values = {"https://id.gs1.org/417/8935001000004"}}};
       },
       {"urn:uuid:ship"}},
      {"EQ_destination_owning_party",
       [](EventQuery& q) {
         q.eq_destination = {
             {.type = "owning_party", .values = {"https://id.gs1.org/417/8935001000035"}}};
       },
       {"urn:uuid:ship"}},
      {"GE_eventTime LT_eventTime",
       [](EventQuery& q) {
         q.ge_event_time = core::Timestamp::FromUnixSeconds(kT0 + 10);
         q.lt_event_time = core::Timestamp::FromUnixSeconds(kT0 + 30);
       },
       {"urn:uuid:pack", "urn:uuid:ship"}},
      {"GE_recordTime",
       [](EventQuery& q) { q.ge_record_time = core::Timestamp::FromUnixSeconds(kT0 + 104); },
       {"urn:uuid:bake", "urn:uuid:recall"}},
      {"LT_recordTime",
       [](EventQuery& q) { q.lt_record_time = core::Timestamp::FromUnixSeconds(kT0 + 101); },
       {"urn:uuid:commission"}},
      {"eventType (scan)",
       [](EventQuery& q) {
         q.event_types = {EventType::kAggregationEvent, EventType::kTransformationEvent};
       },
       {"urn:uuid:pack", "urn:uuid:bake"}},
      {"EQ_action (scan)",
       [](EventQuery& q) { q.eq_action = {"OBSERVE"}; },
       {"urn:uuid:receive", "urn:uuid:recall"}},
      {"EXISTS_errorDeclaration (scan)",
       [](EventQuery& q) { q.exists_error_declaration = true; },
       {"urn:uuid:recall"}},
      {"index and other conditions",
       [](EventQuery& q) {
         q.match_epc = {{.value = Sgtin(1)}};
         q.eq_biz_step = {"shipping"};
         q.event_types = {EventType::kTransactionEvent};
       },
       {"urn:uuid:ship"}},
      {"index and an empty time range",
       [](EventQuery& q) {
         q.match_epc = {{.value = Sgtin(1)}};
         q.ge_event_time = core::Timestamp::FromUnixSeconds(kT0 + 1000);
       },
       {}},
      {"no condition",
       [](EventQuery&) {},
       {"urn:uuid:commission", "urn:uuid:pack", "urn:uuid:ship", "urn:uuid:receive",
        "urn:uuid:bake", "urn:uuid:recall"}},
  };
}

TYPED_TEST(StoreContractTest, EveryPredicateSelectsTheRightEvents) {
  CaptureSupplyChain(*this);
  for (const PredicateCase& c : PredicateCases()) {
    SCOPED_TRACE(c.name);
    EventQuery q;
    c.set(q);
    EXPECT_EQ(this->Query(q), c.expected);
    // The same through small pages.
    std::vector<std::string> paged = this->AllPages(q, 2);
    EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()), c.expected);
    EXPECT_EQ(paged.size(), c.expected.size()) << "an event repeated across pages";
  }
}

TYPED_TEST(StoreContractTest, QueriesWorkAfterReopen) {
  CaptureSupplyChain(*this);
  this->Reopen();
  for (const PredicateCase& c : PredicateCases()) {
    SCOPED_TRACE(c.name);
    EventQuery q;
    c.set(q);
    EXPECT_EQ(this->Query(q), c.expected);
  }
}

// --- ordering and pagination -----------------------------------------------------------------

// 25 events whose event times are out of record order (and two share one time), all naming a
// common class so that the same queries can go through the index or a scan.
template <typename Fixture>
void CaptureShuffled(Fixture& test, std::vector<epcis::Event>& events) {
  for (int i = 0; i < 25; ++i) {
    const std::int64_t event_second = kT0 + (i * 7) % 25 + (i == 24 ? -1 : 0);
    events.push_back(EventBuilder("urn:uuid:e" + std::to_string(i))
                         .EventTimeSeconds(event_second, (i % 3) * 60)
                         .RecordTimeSeconds(kT0 + 1000 - i)
                         .Epc(Sgtin(i))
                         .EpcClass("https://id.gs1.org/01/08935001200017")
                         .Build());
  }
  // Capture in a few calls so that record order is the vector order.
  test.Capture({events.begin(), events.begin() + 10});
  test.Capture({events.begin() + 10, events.end()});
}

std::vector<std::string> Expected(std::vector<epcis::Event> events, epcis::OrderBy order_by,
                                  bool descending) {
  // Record order is the capture order; ties in the sort key keep it (ascending) or reverse it.
  std::vector<std::size_t> positions(events.size());
  for (std::size_t i = 0; i < positions.size(); ++i) {
    positions[i] = i;
  }
  auto key = [&](std::size_t i) -> std::int64_t {
    switch (order_by) {
      case epcis::OrderBy::kEventTime:
        return events[i].event_time.unix_nanos();
      case epcis::OrderBy::kRecordTime:
        return events[i].record_time.unix_nanos();
      case epcis::OrderBy::kNone:
      case epcis::OrderBy::kExtensionField:  // master_data_contract_test.cpp
        break;
    }
    return static_cast<std::int64_t>(i);
  };
  std::sort(positions.begin(), positions.end(), [&](std::size_t a, std::size_t b) {
    if (order_by != epcis::OrderBy::kNone && descending) {
      return std::pair(key(a), a) > std::pair(key(b), b);
    }
    return std::pair(key(a), a) < std::pair(key(b), b);
  });
  std::vector<std::string> ids;
  for (std::size_t i : positions) {
    ids.push_back(events[i].event_id);
  }
  return ids;
}

struct OrderCase {
  epcis::OrderBy order_by;
  bool descending;
};

constexpr OrderCase kOrders[] = {
    {epcis::OrderBy::kNone, true},       {epcis::OrderBy::kEventTime, false},
    {epcis::OrderBy::kEventTime, true},  {epcis::OrderBy::kRecordTime, false},
    {epcis::OrderBy::kRecordTime, true},
};

TYPED_TEST(StoreContractTest, ResultsFollowOrderByAcrossPages) {
  std::vector<epcis::Event> events;
  CaptureShuffled(*this, events);
  for (const OrderCase& order : kOrders) {
    const std::vector<std::string> expected = Expected(events, order.order_by, order.descending);
    for (const bool through_index : {false, true}) {
      for (const std::size_t limit : {1u, 4u, 25u, 100u}) {
        SCOPED_TRACE(::testing::Message()
                     << "orderBy " << static_cast<int>(order.order_by) << " desc "
                     << order.descending << " index " << through_index << " limit " << limit);
        EventQuery q;
        q.order_by = order.order_by;
        q.descending = order.descending;
        if (through_index) {
          q.match_any_epc_class = {{.value = "https://id.gs1.org/01/08935001200017"}};
        }
        EXPECT_EQ(this->AllPages(q, limit), expected);
      }
    }
  }
}

TYPED_TEST(StoreContractTest, PagesDoNotShiftWhenEventsArriveBetweenThem) {
  std::vector<epcis::Event> events;
  CaptureShuffled(*this, events);
  EventQuery q;
  q.order_by = epcis::OrderBy::kEventTime;
  q.descending = true;
  core::Result<EventPage> first = this->store_->QueryEvents(q, {.limit = 10});
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  // A newer event (it sorts first, before the cursor) arrives between the pages.
  this->Capture(
      {EventBuilder("urn:uuid:late").EventTimeSeconds(kT0 + 500).Epc(Sgtin(500)).Build()});
  std::vector<std::string> ids = Ids(*first);
  PageRequest request{.limit = 10, .after = first->next};
  while (!request.after.empty()) {
    core::Result<EventPage> page = this->store_->QueryEvents(q, request);
    ASSERT_TRUE(page.ok()) << page.error().ToString();
    for (const StoredEvent& e : page->events) {
      ids.push_back(e.event_id);
    }
    request.after = page->next;
  }
  EXPECT_EQ(ids, Expected(events, epcis::OrderBy::kEventTime, true));
}

TYPED_TEST(StoreContractTest, EventCountLimitCapsTheWholeResult) {
  std::vector<epcis::Event> events;
  CaptureShuffled(*this, events);
  std::vector<std::string> expected = Expected(events, epcis::OrderBy::kEventTime, false);
  expected.resize(10);
  for (const bool through_index : {false, true}) {
    SCOPED_TRACE(through_index ? "index" : "scan");
    EventQuery q;
    q.order_by = epcis::OrderBy::kEventTime;
    q.descending = false;
    q.event_count_limit = 10;
    if (through_index) {
      q.match_any_epc_class = {{.value = "https://id.gs1.org/01/08935001200017"}};
    }
    EXPECT_EQ(this->AllPages(q, 4), expected);
    EXPECT_EQ(this->AllPages(q, 10), expected);
    EXPECT_EQ(this->AllPages(q, 30), expected);
    q.event_count_limit = 0;
    EXPECT_TRUE(this->AllPages(q, 4).empty());
  }
}

TYPED_TEST(StoreContractTest, MaxEventCountRefusesLargerResults) {
  std::vector<epcis::Event> events;
  CaptureShuffled(*this, events);
  for (const bool through_index : {false, true}) {
    SCOPED_TRACE(through_index ? "index" : "scan");
    EventQuery q;
    if (through_index) {
      q.match_any_epc_class = {{.value = "https://id.gs1.org/01/08935001200017"}};
    }
    q.max_event_count = 25;
    EXPECT_EQ(this->AllPages(q, 10).size(), 25u);
    q.max_event_count = 24;
    core::Result<EventPage> page = this->store_->QueryEvents(q, {.limit = 10});
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.error().code, core::ErrorCode::kResourceExhausted);
    // Also on a later page: the whole result counts, not what is left of it.
    q.max_event_count = 25;
    core::Result<EventPage> first = this->store_->QueryEvents(q, {.limit = 10});
    ASSERT_TRUE(first.ok()) << first.error().ToString();
    q.max_event_count = 24;
    core::Result<EventPage> second =
        this->store_->QueryEvents(q, {.limit = 10, .after = first->next});
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, core::ErrorCode::kResourceExhausted);
    // With a condition that leaves fewer events, the same limit passes.
    q.max_event_count = 1;
    q.match_epc = {{.value = Sgtin(3)}};
    EXPECT_EQ(this->AllPages(q, 10), (std::vector<std::string>{"urn:uuid:e3"}));
  }
}

TYPED_TEST(StoreContractTest, BadPageRequestsAreInvalidArguments) {
  std::vector<epcis::Event> events;
  CaptureShuffled(*this, events);
  EventQuery by_time;
  by_time.order_by = epcis::OrderBy::kEventTime;
  core::Result<EventPage> first = this->store_->QueryEvents(by_time, {.limit = 5});
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  ASSERT_FALSE(first->next.empty());

  const std::vector<PageRequest> bad = {
      {.limit = 0, .after = ""},
      {.limit = 5, .after = "not a token!"},
      {.limit = 5, .after = "Zm9v"},  // base64url of "foo"
  };
  for (const PageRequest& request : bad) {
    core::Result<EventPage> page = this->store_->QueryEvents(by_time, request);
    ASSERT_FALSE(page.ok()) << request.after;
    EXPECT_EQ(page.error().code, core::ErrorCode::kInvalidArgument);
  }
  // A token of another ordering.
  core::Result<EventPage> other = this->store_->QueryEvents({}, {.limit = 5, .after = first->next});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, core::ErrorCode::kInvalidArgument);
  // Tokens are URL-safe.
  EXPECT_EQ(first->next.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
}

// --- vocabulary ------------------------------------------------------------------------------

template <typename Fixture>
std::vector<std::string> AllValues(Fixture& test, Vocabulary vocabulary, std::size_t limit) {
  std::vector<std::string> values;
  PageRequest request{.limit = limit, .after = ""};
  for (int guard = 0; guard < 100; ++guard) {
    core::Result<ValuePage> page = test.store_->ListVocabulary(vocabulary, request);
    EXPECT_TRUE(page.ok()) << page.error().ToString();
    if (!page.ok()) {
      break;
    }
    EXPECT_LE(page->values.size(), limit);
    values.insert(values.end(), page->values.begin(), page->values.end());
    if (page->next.empty()) {
      break;
    }
    request.after = page->next;
  }
  return values;
}

TYPED_TEST(StoreContractTest, VocabulariesListDistinctValuesInPages) {
  EXPECT_TRUE(AllValues(*this, Vocabulary::kEventTypes, 10).empty());
  EXPECT_TRUE(AllValues(*this, Vocabulary::kEpcs, 10).empty());
  CaptureSupplyChain(*this);
  const std::vector<std::string> types = {"AggregationEvent", "ObjectEvent", "TransactionEvent",
                                          "TransformationEvent"};
  const std::vector<std::string> epcs = {
      "https://id.gs1.org/00/089350012000000017", Sgtin(1), Sgtin(2), Sgtin(3), Sgtin(4), Sgtin(5)};
  const std::vector<std::string> biz_steps = {"commissioning", "holding", "packing", "receiving",
                                              "shipping"};
  const std::vector<std::string> locations = {"https://id.gs1.org/414/8935001000004",
                                              "https://id.gs1.org/414/8935001000028"};
  const std::vector<std::string> read_points = {"https://id.gs1.org/414/8935001000004",
                                                "https://id.gs1.org/414/8935001000011",
                                                "https://id.gs1.org/414/8935001000028"};
  const std::vector<std::string> dispositions = {"active", "in_progress", "in_transit"};
  for (const std::size_t limit : {1u, 2u, 3u, 100u}) {
    SCOPED_TRACE(limit);
    EXPECT_EQ(AllValues(*this, Vocabulary::kEventTypes, limit), types);
    EXPECT_EQ(AllValues(*this, Vocabulary::kEpcs, limit), epcs);
    EXPECT_EQ(AllValues(*this, Vocabulary::kBizSteps, limit), biz_steps);
    EXPECT_EQ(AllValues(*this, Vocabulary::kBizLocations, limit), locations);
    EXPECT_EQ(AllValues(*this, Vocabulary::kReadPoints, limit), read_points);
    EXPECT_EQ(AllValues(*this, Vocabulary::kDispositions, limit), dispositions);
  }
  core::Result<ValuePage> bad = this->store_->ListVocabulary(Vocabulary::kEpcs, {.limit = 0});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kInvalidArgument);
  bad = this->store_->ListVocabulary(Vocabulary::kEpcs, {.limit = 2, .after = "%%%"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kInvalidArgument);
}

// --- capture jobs, named queries, API keys ---------------------------------------------------

CaptureJob Job(const std::string& id, std::int64_t second) {
  return {.capture_id = id,
          .created_at = core::Timestamp::FromUnixNanos(second * 1'000'000'000 + 123),
          .finished_at = std::nullopt,
          .running = true,
          .success = false,
          .error_behaviour = "rollback",
          .errors_json = "[]"};
}

void ExpectSameJob(const CaptureJob& got, const CaptureJob& want) {
  EXPECT_EQ(got.capture_id, want.capture_id);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.finished_at, want.finished_at);
  EXPECT_EQ(got.running, want.running);
  EXPECT_EQ(got.success, want.success);
  EXPECT_EQ(got.error_behaviour, want.error_behaviour);
  EXPECT_EQ(got.errors_json, want.errors_json);
}

TYPED_TEST(StoreContractTest, CaptureJobsAreSavedUpdatedAndListedNewestFirst) {
  CaptureJob job = Job("c-1", kT0);
  ASSERT_TRUE(this->store_->SaveCaptureJob(job).ok());
  core::Result<CaptureJob> got = this->store_->GetCaptureJob("c-1");
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  ExpectSameJob(*got, job);

  job.running = false;
  job.success = false;
  job.finished_at = core::Timestamp::FromUnixSeconds(kT0 + 5);
  job.errors_json = R"([{"type":"epcisException:ValidationException","title":"bad"}])";
  ASSERT_TRUE(this->store_->SaveCaptureJob(job).ok());
  got = this->store_->GetCaptureJob("c-1");
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  ExpectSameJob(*got, job);

  core::Result<CaptureJob> missing = this->store_->GetCaptureJob("c-404");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);

  for (int i = 2; i <= 5; ++i) {
    ASSERT_TRUE(this->store_->SaveCaptureJob(Job("c-" + std::to_string(i), kT0 + i)).ok());
  }
  std::vector<std::string> ids;
  PageRequest request{.limit = 2, .after = ""};
  for (int guard = 0; guard < 10; ++guard) {
    core::Result<CaptureJobPage> page = this->store_->ListCaptureJobs(request);
    ASSERT_TRUE(page.ok()) << page.error().ToString();
    for (const CaptureJob& j : page->jobs) {
      ids.push_back(j.capture_id);
    }
    if (page->next.empty()) {
      break;
    }
    request.after = page->next;
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"c-5", "c-4", "c-3", "c-2", "c-1"}));
}

TYPED_TEST(StoreContractTest, NamedQueriesAreCreatedListedAndDeleted) {
  const NamedQuery shipped{.name = "shipped",
                           .definition_json = R"({"EQ_bizStep":["shipping"]})",
                           .created_at = core::Timestamp::FromUnixSeconds(kT0)};
  const NamedQuery apples{
      .name = "apples",
      .definition_json = R"({"MATCH_epc":["urn:epc:idpat:sgtin:0614141.107346.*"]})",
      .created_at = core::Timestamp::FromUnixSeconds(kT0 + 1)};
  ASSERT_TRUE(this->store_->CreateNamedQuery(shipped).ok());
  ASSERT_TRUE(this->store_->CreateNamedQuery(apples).ok());
  core::Status again = this->store_->CreateNamedQuery(shipped);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::kAlreadyExists);

  core::Result<NamedQuery> got = this->store_->GetNamedQuery("shipped");
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->name, shipped.name);
  EXPECT_EQ(got->definition_json, shipped.definition_json);
  EXPECT_EQ(got->created_at, shipped.created_at);

  core::Result<std::vector<NamedQuery>> all = this->store_->ListNamedQueries();
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "apples");
  EXPECT_EQ((*all)[1].name, "shipped");

  ASSERT_TRUE(this->store_->DeleteNamedQuery("shipped").ok());
  core::Status deleted_again = this->store_->DeleteNamedQuery("shipped");
  ASSERT_FALSE(deleted_again.ok());
  EXPECT_EQ(deleted_again.error().code, core::ErrorCode::kNotFound);
  core::Result<NamedQuery> gone = this->store_->GetNamedQuery("shipped");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, core::ErrorCode::kNotFound);
  // The name is free again.
  EXPECT_TRUE(this->store_->CreateNamedQuery(shipped).ok());
}

TYPED_TEST(StoreContractTest, ApiKeysAreCreatedAndFound) {
  const ApiKey key{.key_id = "vk_3f9a",
                   .secret_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA",
                   .label = "ERP của HTX Rau sạch",
                   .created_at = core::Timestamp::FromUnixSeconds(kT0)};
  ASSERT_TRUE(this->store_->CreateApiKey(key).ok());
  core::Status again = this->store_->CreateApiKey(key);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::kAlreadyExists);
  core::Result<ApiKey> got = this->store_->FindApiKey("vk_3f9a");
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->key_id, key.key_id);
  EXPECT_EQ(got->secret_hash, key.secret_hash);
  EXPECT_EQ(got->label, key.label);
  EXPECT_EQ(got->created_at, key.created_at);
  core::Result<ApiKey> missing = this->store_->FindApiKey("vk_nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
}

// --- persistence and durability --------------------------------------------------------------

TYPED_TEST(StoreContractTest, EverythingSurvivesReopening) {
  CaptureSupplyChain(*this);
  ASSERT_TRUE(this->store_->SaveCaptureJob(Job("c-1", kT0)).ok());
  ASSERT_TRUE(this->store_->CreateNamedQuery({.name = "q", .definition_json = "{}"}).ok());
  ASSERT_TRUE(this->store_->CreateApiKey({.key_id = "vk_1", .secret_hash = "h"}).ok());
  this->Reopen();
  EXPECT_EQ(this->AllPages({}, 100).size(), 6u);
  EXPECT_TRUE(this->store_->GetEvent("urn:uuid:bake").ok());
  EXPECT_TRUE(this->store_->GetCaptureJob("c-1").ok());
  EXPECT_TRUE(this->store_->GetNamedQuery("q").ok());
  EXPECT_TRUE(this->store_->FindApiKey("vk_1").ok());
  // Captures after reopening are idempotent against the old ones.
  const std::vector<epcis::Event> resent = {
      EventBuilder("urn:uuid:bake").EventTimeSeconds(kT0).Build()};
  core::Result<CaptureOutcome> again = this->store_->CaptureEvents(resent);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(again->skipped, 1u);
}

// A child process captures batches and reports each acknowledged one through a pipe; it is
// killed with SIGKILL mid-stream. Every acknowledged event must be there after reopening.
TYPED_TEST(StoreContractTest, AcknowledgedCapturesSurviveSigkill) {
  this->store_.reset();  // no open database across fork()
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const std::string location = TypeParam::Location(this->dir_.path());
  constexpr int kBatch = 20;
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    core::Result<std::unique_ptr<Store>> store = OpenStore({.location = location});
    if (!store.ok()) {
      _exit(2);
    }
    for (int batch = 0;; ++batch) {
      std::vector<epcis::Event> events;
      for (int i = 0; i < kBatch; ++i) {
        const int n = batch * kBatch + i;
        events.push_back(EventBuilder("urn:uuid:durable-" + std::to_string(n))
                             .EventTimeSeconds(kT0 + n)
                             .Epc(Sgtin(n))
                             .Build());
      }
      if (!(*store)->CaptureEvents(events).ok()) {
        _exit(3);
      }
      if (write(pipe_fds[1], &batch, sizeof batch) != sizeof batch) {
        _exit(4);
      }
    }
  }
  close(pipe_fds[1]);
  int last_acknowledged = -1;
  int batch = 0;
  while (last_acknowledged < 30 && read(pipe_fds[0], &batch, sizeof batch) == sizeof batch) {
    last_acknowledged = batch;
  }
  kill(child, SIGKILL);
  // Acknowledgements written before the kill count too.
  while (read(pipe_fds[0], &batch, sizeof batch) == sizeof batch) {
    last_acknowledged = batch;
  }
  close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with status " << WEXITSTATUS(status);
  ASSERT_GE(last_acknowledged, 30);

  this->store_ = this->Open();
  for (int n = 0; n < (last_acknowledged + 1) * kBatch; ++n) {
    const std::string id = "urn:uuid:durable-" + std::to_string(n);
    ASSERT_TRUE(this->store_->GetEvent(id).ok()) << id << " was acknowledged but is lost";
    if (n % 97 == 0) {
      EventQuery q;
      q.match_epc = {{.value = Sgtin(n)}};
      EXPECT_EQ(this->Query(q), (std::set<std::string>{id}));
    }
  }
  // A batch is all or nothing even when the kill fell inside it.
  const std::vector<std::string> all = this->AllPages({}, 1000);
  EXPECT_EQ(all.size() % kBatch, 0u);
}

// --- concurrency -----------------------------------------------------------------------------

TYPED_TEST(StoreContractTest, ConcurrentCapturesAndQueries) {
  constexpr int kWriters = 3;
  constexpr int kBatches = 10;
  constexpr int kBatch = 10;
  std::atomic<bool> failed = false;
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<epcis::Event> events;
        for (int i = 0; i < kBatch; ++i) {
          const int n = (w * kBatches + b) * kBatch + i;
          events.push_back(EventBuilder("urn:uuid:c" + std::to_string(n))
                               .EventTimeSeconds(kT0 + n)
                               .Epc(Sgtin(n))
                               .Build());
        }
        if (!this->store_->CaptureEvents(events).ok()) {
          failed = true;
        }
      }
    });
  }
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        EventQuery q;
        q.order_by = epcis::OrderBy::kEventTime;
        core::Result<EventPage> page = this->store_->QueryEvents(q, {.limit = 20});
        if (!page.ok()) {
          failed = true;
        }
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_FALSE(failed);
  EXPECT_EQ(this->AllPages({}, 1000).size(),
            static_cast<std::size_t>(kWriters * kBatches * kBatch));
}

}  // namespace
}  // namespace vntrace::store
