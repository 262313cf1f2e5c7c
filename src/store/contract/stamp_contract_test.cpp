// The StampStore contract: every backend passes these tests (typed GoogleTest over the
// backends, as store_contract_test.cpp).
#include "store/stamp_store.hpp"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/contract/fixture.hpp"
#include "store/store.hpp"

namespace vntrace::store {
namespace {

core::Timestamp T(std::int64_t seconds) { return core::Timestamp::FromUnixSeconds(seconds); }

AuditEntry Audit(std::string action, std::string entity, std::string id) {
  return AuditEntry{.at = T(1'700'000'000),
                    .actor = "cli",
                    .org_id = "https://x.vn/id/org/a",
                    .action = std::move(action),
                    .entity = std::move(entity),
                    .entity_id = std::move(id)};
}

template <typename Backend>
class StampContractTest : public testing::ContractFixture<Backend> {
 public:
  void SetUp() override {
    testing::ContractFixture<Backend>::SetUp();
    if (this->IsSkipped() || this->HasFatalFailure()) return;
    RegistryStore& reg = this->store_->registry();
    ASSERT_TRUE(reg.CreateOrganisation({.id = "https://x.vn/id/org/a",
                                        .kind = OrganisationKind::kCooperative,
                                        .name = "HTX"},
                                       Audit("create", "organisation", "a"))
                    .ok());
    ASSERT_TRUE(reg.CreateProduct({.id = "https://x.vn/id/product/p",
                                   .org_id = "https://x.vn/id/org/a",
                                   .identifier = "https://x.vn/id/product/p",
                                   .name = "Tỏi"},
                                  Audit("create", "product", "p"))
                    .ok());
    ASSERT_TRUE(reg.CreateLot({.id = "https://x.vn/id/lot/l",
                               .org_id = "https://x.vn/id/org/a",
                               .product_id = "https://x.vn/id/product/p",
                               .code = "L1",
                               .identifier = "https://x.vn/id/lot/l"},
                              Audit("create", "lot", "l"))
                    .ok());
  }
  StampStore& stamps() { return this->store_->stamps(); }

  StampBatch Batch(std::string id) const {
    return StampBatch{.id = std::move(id),
                      .org_id = "https://x.vn/id/org/a",
                      .product_id = "https://x.vn/id/product/p",
                      .lot_id = "https://x.vn/id/lot/l",
                      .count = 2,
                      .created_at = T(10)};
  }
};

TYPED_TEST_SUITE(StampContractTest, testing::Backends);

TYPED_TEST(StampContractTest, BatchesAndCodesRoundTripAtomically) {
  const StampBatch batch = this->Batch("sb_1");
  const std::vector<Stamp> codes = {
      {.code = "https://x.vn/id/stamp/AAAA", .batch_id = "sb_1", .serial = "AAAA", .sequence = 1},
      {.code = "https://x.vn/id/stamp/BBBB", .batch_id = "sb_1", .serial = "BBBB", .sequence = 2}};
  ASSERT_TRUE(this->stamps().CreateStampBatch(batch, codes, Audit("create", "b", "sb_1")).ok());
  this->Reopen();
  EXPECT_EQ(*this->stamps().GetStampBatch("sb_1"), batch);
  EXPECT_EQ(*this->stamps().ListStamps("sb_1"), codes);
  EXPECT_EQ(*this->stamps().FindStamp("https://x.vn/id/stamp/BBBB"), codes[1]);
  EXPECT_EQ(this->stamps().FindStamp("https://x.vn/id/stamp/CCCC").error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(this->stamps().ListStampBatches("https://x.vn/id/lot/l")->size(), 1u);

  // A batch reusing a code is refused whole.
  const std::vector<Stamp> clash = {
      {.code = "https://x.vn/id/stamp/DDDD", .batch_id = "sb_2", .serial = "DDDD", .sequence = 1},
      {.code = "https://x.vn/id/stamp/AAAA", .batch_id = "sb_2", .serial = "AAAA", .sequence = 2}};
  EXPECT_EQ(this->stamps()
                .CreateStampBatch(this->Batch("sb_2"), clash, Audit("create", "b", "sb_2"))
                .error()
                .code,
            core::ErrorCode::kAlreadyExists);
  EXPECT_EQ(this->stamps().GetStampBatch("sb_2").error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(this->stamps().FindStamp("https://x.vn/id/stamp/DDDD").error().code,
            core::ErrorCode::kNotFound);
}

TYPED_TEST(StampContractTest, ActivationIsRecordedOnce) {
  ASSERT_TRUE(
      this->stamps().CreateStampBatch(this->Batch("sb_1"), {}, Audit("create", "b", "x")).ok());
  EXPECT_EQ(this->stamps().ActivateStampBatch("nope", T(20), Audit("a", "b", "x")).error().code,
            core::ErrorCode::kNotFound);
  ASSERT_TRUE(this->stamps().ActivateStampBatch("sb_1", T(20), Audit("a", "b", "x")).ok());
  ASSERT_TRUE(this->stamps().ActivateStampBatch("sb_1", T(30), Audit("a", "b", "x")).ok());
  StampBatch got = *this->stamps().GetStampBatch("sb_1");
  EXPECT_TRUE(got.active);
  EXPECT_EQ(got.activated_at, T(20));
}

TYPED_TEST(StampContractTest, ScansAndRecalls) {
  ASSERT_TRUE(this->stamps().RecordScan({.code = "c", .at = T(5), .province = "Hà Nội"}).ok());
  ASSERT_TRUE(this->stamps().RecordScan({.code = "c", .at = T(3), .user_agent_hash = "ab"}).ok());
  ASSERT_TRUE(this->stamps().RecordScan({.code = "d", .at = T(4)}).ok());
  std::vector<Scan> scans = *this->stamps().ListScans("c", 10);
  ASSERT_EQ(scans.size(), 2u);
  EXPECT_EQ(scans[0], (Scan{.code = "c", .at = T(3), .user_agent_hash = "ab"}));
  EXPECT_EQ(scans[1].province, "Hà Nội");
  EXPECT_EQ(this->stamps().ListScans("c", 1)->size(), 1u);
  EXPECT_EQ(*this->stamps().CountScans("c"), 2);

  EXPECT_FALSE(this->stamps().GetLotRecall("https://x.vn/id/lot/l")->has_value());
  EXPECT_EQ(this->stamps()
                .RecallLot({.lot_id = "nope", .reason = "x", .recalled_at = T(1)},
                           Audit("recall", "lot", "nope"))
                .error()
                .code,
            core::ErrorCode::kNotFound);
  const LotRecall recall{
      .lot_id = "https://x.vn/id/lot/l", .reason = "E. coli", .recalled_at = T(50)};
  ASSERT_TRUE(this->stamps().RecallLot(recall, Audit("recall", "lot", "l")).ok());
  ASSERT_TRUE(this->stamps()
                  .RecallLot({.lot_id = recall.lot_id, .reason = "later", .recalled_at = T(60)},
                             Audit("recall", "lot", "l"))
                  .ok());
  EXPECT_EQ(**this->stamps().GetLotRecall(recall.lot_id), recall);
}

TYPED_TEST(StampContractTest, BatchScansCountEveryCodeOfTheBatchOnly) {
  const std::vector<Stamp> first = {
      {.code = "https://x.vn/id/stamp/AAAA", .batch_id = "sb_1", .serial = "AAAA", .sequence = 1},
      {.code = "https://x.vn/id/stamp/BBBB", .batch_id = "sb_1", .serial = "BBBB", .sequence = 2}};
  const std::vector<Stamp> second = {
      {.code = "https://x.vn/id/stamp/CCCC", .batch_id = "sb_2", .serial = "CCCC", .sequence = 1}};
  ASSERT_TRUE(
      this->stamps().CreateStampBatch(this->Batch("sb_1"), first, Audit("create", "b", "1")).ok());
  ASSERT_TRUE(
      this->stamps().CreateStampBatch(this->Batch("sb_2"), second, Audit("create", "b", "2")).ok());
  EXPECT_EQ(*this->stamps().CountBatchScans("sb_1"), 0);
  for (const char* code :
       {"https://x.vn/id/stamp/AAAA", "https://x.vn/id/stamp/AAAA", "https://x.vn/id/stamp/BBBB",
        "https://x.vn/id/stamp/CCCC", "https://x.vn/id/stamp/NEVER"}) {
    ASSERT_TRUE(this->stamps().RecordScan({.code = code, .at = T(5)}).ok());
  }
  EXPECT_EQ(*this->stamps().CountBatchScans("sb_1"), 3);
  EXPECT_EQ(*this->stamps().CountBatchScans("sb_2"), 1);
  EXPECT_EQ(*this->stamps().CountBatchScans("nope"), 0);
}

}  // namespace
}  // namespace vntrace::store
