// The SyncStore contract: destinations, their cursors, and the changes read from the log — every
// backend passes these tests (typed GoogleTest over the backends, as store_contract_test.cpp).
#include "store/sync_store.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/contract/event_builder.hpp"
#include "store/contract/fixture.hpp"
#include "store/store.hpp"

namespace vntrace::store {
namespace {

using testing::EventBuilder;

core::Timestamp T(std::int64_t seconds) { return core::Timestamp::FromUnixSeconds(seconds); }

AuditEntry Audit(std::string action, std::string id) {
  return AuditEntry{.at = T(1'700'000'000),
                    .actor = "cli",
                    .action = std::move(action),
                    .entity = "sync_destination",
                    .entity_id = std::move(id)};
}

SyncDestination Portal() {
  return SyncDestination{.id = "cong-quoc-gia",
                         .name = "Cổng truy xuất quốc gia",
                         .url = "https://portal.example/epcis",
                         .authorization = "Bearer secret",
                         .national_portal = true,
                         .created_at = T(1'700'000'000)};
}

epcis::Event Event(const std::string& id, std::int64_t t) {
  return EventBuilder(id).EventTimeSeconds(t).Epc("urn:epc:id:sgtin:0614141.107346.2017").Build();
}

template <typename Backend>
class SyncContractTest : public testing::ContractFixture<Backend> {
 public:
  SyncStore& sync() { return this->store_->sync(); }
};

TYPED_TEST_SUITE(SyncContractTest, testing::Backends);

TYPED_TEST(SyncContractTest, CreatesListsAndSwitchesDestinations) {
  ASSERT_TRUE(this->sync().CreateSyncDestination(Portal(), Audit("create", "cong-quoc-gia")).ok());
  SyncDestination buyer{.id = "nguoi-mua",
                        .name = "Kho người mua",
                        .url = "http://127.0.0.1:9/epcis",
                        .created_at = T(1'700'000'100)};
  ASSERT_TRUE(this->sync().CreateSyncDestination(buyer, Audit("create", "nguoi-mua")).ok());
  EXPECT_EQ(this->sync().CreateSyncDestination(buyer, Audit("create", "nguoi-mua")).error().code,
            core::ErrorCode::kAlreadyExists);
  EXPECT_EQ(
      this->sync().CreateSyncDestination({.id = "x", .url = ""}, Audit("create", "x")).error().code,
      core::ErrorCode::kInvalidArgument);

  core::Result<std::vector<SyncDestination>> all = this->sync().ListSyncDestinations();
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], Portal());
  EXPECT_EQ((*all)[1], buyer);

  ASSERT_TRUE(this->sync()
                  .SetSyncDestinationEnabled("nguoi-mua", false, Audit("disable", "nguoi-mua"))
                  .ok());
  EXPECT_FALSE(this->sync().GetSyncDestination("nguoi-mua")->enabled);
  EXPECT_EQ(
      this->sync().SetSyncDestinationEnabled("none", true, Audit("enable", "none")).error().code,
      core::ErrorCode::kNotFound);
  EXPECT_EQ(this->sync().GetSyncDestination("none").error().code, core::ErrorCode::kNotFound);

  // Both changes were audited (platform data: no organisation).
  core::Result<std::vector<AuditEntry>> audit = this->store_->registry().ListAudit("", 10);
  ASSERT_TRUE(audit.ok());
  int sync_entries = 0;
  for (const AuditEntry& a : *audit) sync_entries += a.entity == "sync_destination";
  EXPECT_EQ(sync_entries, 3);
}

TYPED_TEST(SyncContractTest, ChangesFollowTheLogWithDeclarationsAndSkipOtherLeaves) {
  const std::vector<epcis::Event> first = {Event("urn:uuid:a", 100), Event("urn:uuid:b", 200)};
  ASSERT_TRUE(this->store_->CaptureEvents(first).ok());
  // An audit leaf between the events: not a change to deliver.
  ASSERT_TRUE(this->sync().CreateSyncDestination(Portal(), Audit("create", "cong-quoc-gia")).ok());
  const epcis::Event declaration = EventBuilder("urn:uuid:a")
                                       .EventTimeSeconds(100)
                                       .Epc("urn:epc:id:sgtin:0614141.107346.2017")
                                       .ErrorDeclaration(T(300), "incorrect_data")
                                       .Build();
  ASSERT_TRUE(this->store_->CaptureEvents({&declaration, 1}).ok());
  const epcis::Event c = Event("urn:uuid:c", 400);
  ASSERT_TRUE(this->store_->CaptureEvents({&c, 1}).ok());

  core::Result<std::vector<SyncChange>> changes = this->sync().ReadEventChanges(-1, 100);
  ASSERT_TRUE(changes.ok()) << changes.error().ToString();
  ASSERT_EQ(changes->size(), 4u);
  EXPECT_EQ((*changes)[0].event_id, "urn:uuid:a");
  EXPECT_EQ((*changes)[0].kind, LeafKind::kEvent);
  EXPECT_EQ((*changes)[1].event_id, "urn:uuid:b");
  EXPECT_EQ((*changes)[2].event_id, "urn:uuid:a");
  EXPECT_EQ((*changes)[2].kind, LeafKind::kErrorDeclaration);
  EXPECT_EQ((*changes)[3].event_id, "urn:uuid:c");
  // The JSON is the event as stored now: the first change already carries the declaration.
  EXPECT_NE((*changes)[0].json.find("errorDeclaration"), std::string::npos);
  EXPECT_EQ((*changes)[1].json.find("errorDeclaration"), std::string::npos);
  for (std::size_t i = 1; i < changes->size(); ++i) {
    EXPECT_LT((*changes)[i - 1].leaf_index, (*changes)[i].leaf_index);
  }
  // The audit leaf of the destination lies between b and the declaration.
  EXPECT_GT((*changes)[2].leaf_index, (*changes)[1].leaf_index + 1);

  core::Result<std::vector<SyncChange>> page =
      this->sync().ReadEventChanges((*changes)[1].leaf_index, 1);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0], (*changes)[2]);
  EXPECT_EQ(*this->sync().CountEventChangesAfter(-1), 4);
  EXPECT_EQ(*this->sync().CountEventChangesAfter((*changes)[2].leaf_index), 1);
  EXPECT_EQ(*this->sync().CountEventChangesAfter((*changes)[3].leaf_index), 0);
}

TYPED_TEST(SyncContractTest, ProgressMovesForwardOnlyAndSurvivesReopening) {
  ASSERT_TRUE(this->sync().CreateSyncDestination(Portal(), Audit("create", "cong-quoc-gia")).ok());
  ASSERT_TRUE(this->sync().RecordSyncFailure("cong-quoc-gia", "connection refused", T(10)).ok());
  ASSERT_TRUE(this->sync().RecordSyncFailure("cong-quoc-gia", "HTTP 500", T(20)).ok());
  core::Result<SyncDestination> d = this->sync().GetSyncDestination("cong-quoc-gia");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->failures, 2);
  EXPECT_EQ(d->last_error, "HTTP 500");
  EXPECT_EQ(d->last_attempt_at, T(20));
  EXPECT_EQ(d->last_success_at, std::nullopt);
  EXPECT_EQ(d->cursor, -1);

  ASSERT_TRUE(this->sync().RecordSyncSuccess("cong-quoc-gia", 41, 30, T(30)).ok());
  ASSERT_TRUE(this->sync().RecordSyncSuccess("cong-quoc-gia", 12, 0, T(40)).ok());  // stale
  this->Reopen();
  d = this->sync().GetSyncDestination("cong-quoc-gia");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->cursor, 41);
  EXPECT_EQ(d->delivered, 30);
  EXPECT_EQ(d->failures, 0);
  EXPECT_EQ(d->last_error, "");
  EXPECT_EQ(d->last_success_at, T(40));
  EXPECT_EQ(this->sync().RecordSyncSuccess("none", 1, 1, T(1)).error().code,
            core::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vntrace::store
