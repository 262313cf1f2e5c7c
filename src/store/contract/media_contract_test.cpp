// The RegistryStore contract for uploaded files (CreateMedia, GetMedia, GetMediaInfo): every
// backend passes these tests (typed GoogleTest over the backends, as store_contract_test.cpp).
#include "store/registry_store.hpp"

#include <string>

#include <gtest/gtest.h>

#include "store/contract/fixture.hpp"
#include "store/store.hpp"

namespace vntrace::store {
namespace {

core::Timestamp T(std::int64_t seconds) { return core::Timestamp::FromUnixSeconds(seconds); }

AuditEntry Audit(std::string id, std::string org) {
  return AuditEntry{.at = T(1'700'000'100),
                    .actor = "user:u1",
                    .org_id = std::move(org),
                    .action = "upload",
                    .entity = "media",
                    .entity_id = std::move(id),
                    .changes_json = R"({"bytes":"6"})"};
}

template <typename Backend>
class MediaContractTest : public testing::ContractFixture<Backend> {
 public:
  void SetUp() override {
    testing::ContractFixture<Backend>::SetUp();
    if (this->IsSkipped() || this->HasFatalFailure()) return;
    const Organisation org{.id = "https://x.vn/id/org/a",
                           .kind = OrganisationKind::kHouseholdBusiness,
                           .name = "Hộ kinh doanh Lan",
                           .address = {.province = "Quảng Ngãi", .commune = "Nghĩa Hành"},
                           .created_at = T(1),
                           .updated_at = T(1)};
    ASSERT_TRUE(reg().CreateOrganisation(org, AuditEntry{.at = T(1), .actor = "cli"}).ok());
  }
  RegistryStore& reg() { return this->store_->registry(); }

  // Bytes with a NUL and high bytes, to show the store keeps them exactly.
  Media media_{.info = {.id = std::string(64, 'a'),
                        .org_id = "https://x.vn/id/org/a",
                        .content_type = "image/png",
                        .sha256 = std::string(64, 'a'),
                        .byte_size = 6,
                        .width = 640,
                        .height = 480,
                        .created_at = T(1'700'000'100)},
               .data = std::string("\x89PN\0\xff\n", 6)};
};

TYPED_TEST_SUITE(MediaContractTest, testing::Backends);

TYPED_TEST(MediaContractTest, StoresBytesExactlyWithTheirAuditEntry) {
  ASSERT_TRUE(this->reg()
                  .CreateMedia(this->media_, Audit(this->media_.info.id, this->media_.info.org_id))
                  .ok());
  this->Reopen();
  core::Result<Media> got = this->reg().GetMedia(this->media_.info.id);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(*got, this->media_);
  EXPECT_EQ(got->data.size(), 6u);
  core::Result<MediaInfo> info = this->reg().GetMediaInfo(this->media_.info.id);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(*info, this->media_.info);
  core::Result<std::vector<AuditEntry>> audit = this->reg().ListAudit(this->media_.info.org_id, 5);
  ASSERT_TRUE(audit.ok());
  ASSERT_FALSE(audit->empty());
  EXPECT_EQ(audit->front().entity, "media");
  EXPECT_EQ(audit->front().entity_id, this->media_.info.id);
  EXPECT_EQ(audit->front().action, "upload");
}

TYPED_TEST(MediaContractTest, SameIdIsAlreadyExistsAndWritesNothing) {
  ASSERT_TRUE(this->reg()
                  .CreateMedia(this->media_, Audit(this->media_.info.id, this->media_.info.org_id))
                  .ok());
  const std::size_t audits = this->reg().ListAudit("", 100)->size();
  Media again = this->media_;
  again.info.content_type = "image/jpeg";
  core::Status second = this->reg().CreateMedia(again, Audit(again.info.id, again.info.org_id));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, core::ErrorCode::kAlreadyExists);
  EXPECT_EQ(this->reg().GetMedia(this->media_.info.id)->info.content_type, "image/png");
  EXPECT_EQ(this->reg().ListAudit("", 100)->size(), audits);
}

TYPED_TEST(MediaContractTest, MissingIsNotFound) {
  EXPECT_EQ(this->reg().GetMedia(std::string(64, 'b')).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(this->reg().GetMediaInfo("").error().code, core::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vntrace::store
