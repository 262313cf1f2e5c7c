// The RegistryStore contract: every backend passes these tests (typed GoogleTest over the
// backends, as store_contract_test.cpp).
#include "store/registry_store.hpp"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "store/contract/fixture.hpp"
#include "store/store.hpp"

namespace vntrace::store {
namespace {

core::Timestamp T(std::int64_t seconds) { return core::Timestamp::FromUnixSeconds(seconds); }

AuditEntry Audit(std::string action, std::string entity, std::string id, std::string org = "") {
  return AuditEntry{.at = T(1'700'000'000),
                    .actor = "cli",
                    .org_id = std::move(org),
                    .action = std::move(action),
                    .entity = std::move(entity),
                    .entity_id = std::move(id),
                    .changes_json = R"({"x":"y"})"};
}

template <typename Backend>
class RegistryContractTest : public testing::ContractFixture<Backend> {
 public:
  void SetUp() override {
    testing::ContractFixture<Backend>::SetUp();
    if (this->IsSkipped() || this->HasFatalFailure()) return;
    ASSERT_TRUE(
        reg().CreateOrganisation(org_, Audit("create", "organisation", org_.id, org_.id)).ok());
  }
  RegistryStore& reg() { return this->store_->registry(); }

  Organisation org_{.id = "https://x.vn/id/org/a",
                    .kind = OrganisationKind::kCooperative,
                    .name = "HTX Nghĩa Ân",
                    .tax_code = "0300588569",
                    .address = {.province = "Quảng Ngãi", .commune = "Nghĩa Hành"},
                    .phone = "0912345678",
                    .created_at = T(1),
                    .updated_at = T(1)};
};

TYPED_TEST_SUITE(RegistryContractTest, testing::Backends);

TYPED_TEST(RegistryContractTest, OrganisationsRoundTripAndKeepUniqueKeys) {
  EXPECT_EQ(*this->reg().GetOrganisation(this->org_.id), this->org_);
  Organisation twin = this->org_;
  twin.id = "https://x.vn/id/org/b";
  EXPECT_EQ(
      this->reg().CreateOrganisation(twin, Audit("create", "organisation", twin.id)).error().code,
      core::ErrorCode::kAlreadyExists);  // same tax code
  twin.tax_code.clear();
  twin.address.province = "Kon Tum";
  ASSERT_TRUE(this->reg().CreateOrganisation(twin, Audit("create", "organisation", twin.id)).ok());
  EXPECT_EQ(this->reg().ListOrganisations({})->size(), 2u);
  EXPECT_EQ(this->reg().ListOrganisations({.province = "Kon Tum"})->at(0).id, twin.id);
  twin.name = "Đổi tên";
  ASSERT_TRUE(this->reg().UpdateOrganisation(twin, Audit("update", "organisation", twin.id)).ok());
  this->Reopen();
  EXPECT_EQ(*this->reg().GetOrganisation(twin.id), twin);
  Organisation missing = twin;
  missing.id = "nope";
  EXPECT_EQ(this->reg().UpdateOrganisation(missing, Audit("u", "o", "nope")).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(this->reg().GetOrganisation("nope").error().code, core::ErrorCode::kNotFound);
}

TYPED_TEST(RegistryContractTest, FacilitiesProductsCertificatesLotsRoundTrip) {
  const Facility farm{.id = "f1",
                      .org_id = this->org_.id,
                      .kind = FacilityKind::kFarm,
                      .name = "Vườn",
                      .identifier = "f1",
                      .area_m2 = 2500.5,
                      .crop = "ớt",
                      .latitude = 15.1,
                      .longitude = 108.8,
                      .created_at = T(2),
                      .updated_at = T(2)};
  ASSERT_TRUE(this->reg().CreateFacility(farm, Audit("create", "facility", "f1")).ok());
  const Product product{
      .id = "p1",
      .org_id = this->org_.id,
      .identifier = "https://id.gs1.org/01/08935001200017",
      .gtin = "08935001200017",
      .name = "Bò khô",
      .standards = {"TCVN 12850:2019", "VietGAP"},
      .ocop = OcopRating{.stars = 4, .decision_number = "12/QĐ", .decision_date = "2023-01-02"},
      .created_at = T(3),
      .updated_at = T(3)};
  ASSERT_TRUE(this->reg().CreateProduct(product, Audit("create", "product", "p1")).ok());
  Product same_gtin = product;
  same_gtin.id = "p2";
  EXPECT_EQ(this->reg().CreateProduct(same_gtin, Audit("create", "product", "p2")).error().code,
            core::ErrorCode::kAlreadyExists);
  const Certificate cert{.id = "c1",
                         .org_id = this->org_.id,
                         .product_id = "p1",
                         .kind = "VietGAP",
                         .number = "VG-1",
                         .issuer = "X",
                         .issued_on = "2025-01-01",
                         .created_at = T(4)};
  ASSERT_TRUE(this->reg().CreateCertificate(cert, Audit("create", "certificate", "c1")).ok());
  const Lot lot{.id = "l1",
                .org_id = this->org_.id,
                .product_id = "p1",
                .code = "L01",
                .identifier = "https://id.gs1.org/01/08935001200017/10/L01",
                .produced_on = "2025-12-01",
                .quantity = 12.5,
                .unit = "kg",
                .created_at = T(5)};
  ASSERT_TRUE(this->reg().CreateLot(lot, Audit("create", "lot", "l1")).ok());
  Lot same_code = lot;
  same_code.id = "l2";
  same_code.identifier = "other";
  EXPECT_EQ(this->reg().CreateLot(same_code, Audit("create", "lot", "l2")).error().code,
            core::ErrorCode::kAlreadyExists);

  this->Reopen();
  EXPECT_EQ(*this->reg().GetFacility("f1"), farm);
  EXPECT_EQ(this->reg().ListFacilities(this->org_.id)->size(), 1u);
  EXPECT_EQ(*this->reg().GetProduct("p1"), product);
  EXPECT_EQ(*this->reg().FindProductByIdentifier(product.identifier), product);
  EXPECT_EQ(this->reg().ListProducts(this->org_.id)->size(), 1u);
  EXPECT_EQ(*this->reg().GetCertificate("c1"), cert);
  EXPECT_EQ(this->reg().ListCertificates(this->org_.id)->size(), 1u);
  EXPECT_EQ(*this->reg().GetLot("l1"), lot);
  EXPECT_EQ(this->reg().ListLots("p1")->size(), 1u);

  Product changed = product;
  changed.ocop.reset();
  changed.standards.clear();
  ASSERT_TRUE(this->reg().UpdateProduct(changed, Audit("update", "product", "p1")).ok());
  EXPECT_EQ(*this->reg().GetProduct("p1"), changed);
}

TYPED_TEST(RegistryContractTest, UsersSessionsAndLoginFailures) {
  const User user{.id = "u1",
                  .email = "lan@htx.vn",
                  .display_name = "Lan",
                  .role = Role::kOrgStaff,
                  .org_id = this->org_.id,
                  .password_hash = "$argon2id$...",
                  .created_at = T(6)};
  ASSERT_TRUE(this->reg().CreateUser(user, Audit("create", "user", "u1")).ok());
  const User officer{.id = "u2",
                     .email = "o@gov.vn",
                     .role = Role::kInspector,
                     .area = {.province = "Quảng Ngãi"},
                     .created_at = T(6)};
  ASSERT_TRUE(this->reg().CreateUser(officer, Audit("create", "user", "u2")).ok());
  User twin = user;
  twin.id = "u3";
  EXPECT_EQ(this->reg().CreateUser(twin, Audit("create", "user", "u3")).error().code,
            core::ErrorCode::kAlreadyExists);
  EXPECT_EQ(*this->reg().FindUserByEmail("lan@htx.vn"), user);
  EXPECT_EQ(*this->reg().GetUser("u2"), officer);
  EXPECT_EQ(this->reg().ListUsers(this->org_.id)->size(), 1u);
  EXPECT_EQ(this->reg().ListUsers("")->at(0).id, "u2");

  const Session session{.token_hash = "h1",
                        .user_id = "u1",
                        .csrf_token = "c",
                        .created_at = T(7),
                        .expires_at = T(8)};
  ASSERT_TRUE(this->reg().CreateSession(session).ok());
  EXPECT_EQ(*this->reg().FindSession("h1"), session);
  ASSERT_TRUE(this->reg().DeleteUserSessions("u1").ok());
  EXPECT_EQ(this->reg().FindSession("h1").error().code, core::ErrorCode::kNotFound);
  EXPECT_TRUE(this->reg().DeleteSession("h1").ok());

  ASSERT_TRUE(this->reg().RecordLoginFailure("email:a", T(10)).ok());
  ASSERT_TRUE(this->reg().RecordLoginFailure("email:a", T(20)).ok());
  ASSERT_TRUE(this->reg().RecordLoginFailure("addr:x", T(20)).ok());
  EXPECT_EQ(*this->reg().CountLoginFailures("email:a", T(10)), 2);
  EXPECT_EQ(*this->reg().CountLoginFailures("email:a", T(11)), 1);
  ASSERT_TRUE(this->reg().ClearLoginFailures("email:a").ok());
  EXPECT_EQ(*this->reg().CountLoginFailures("email:a", T(0)), 0);
  EXPECT_EQ(*this->reg().CountLoginFailures("addr:x", T(0)), 1);
}

TYPED_TEST(RegistryContractTest, AuditLogIsAppendOnlyAndNewestFirst) {
  ASSERT_TRUE(this->reg().AppendAudit(Audit("login", "user", "u1", this->org_.id)).ok());
  ASSERT_TRUE(this->reg().AppendAudit(Audit("login", "user", "u9", "other")).ok());
  core::Result<std::vector<AuditEntry>> mine = this->reg().ListAudit(this->org_.id, 10);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].action, "login");
  EXPECT_EQ((*mine)[1].action, "create");
  EXPECT_GT((*mine)[0].sequence, (*mine)[1].sequence);
  EXPECT_EQ((*mine)[0].changes_json, R"({"x":"y"})");
  EXPECT_EQ(this->reg().ListAudit("", 10)->size(), 3u);
  EXPECT_EQ(this->reg().ListAudit("", 1)->size(), 1u);
  // A write whose audit entry cannot be stored is not stored either: the failing insert (a
  // duplicate id) leaves no audit entry behind.
  EXPECT_FALSE(
      this->reg().CreateOrganisation(this->org_, Audit("create", "organisation", "dup")).ok());
  EXPECT_EQ(this->reg().ListAudit("", 10)->size(), 3u);
}

TYPED_TEST(RegistryContractTest, ApiKeysCarryTheirOrganisation) {
  ASSERT_TRUE(this->store_
                  ->CreateApiKey(
                      {.key_id = "k1", .secret_hash = "h", .label = "erp", .org_id = this->org_.id})
                  .ok());
  ASSERT_TRUE(this->store_->CreateApiKey({.key_id = "k0", .secret_hash = "h"}).ok());
  EXPECT_EQ(this->store_->FindApiKey("k1")->org_id, this->org_.id);
  EXPECT_TRUE(this->store_->FindApiKey("k0")->org_id.empty());
}

}  // namespace
}  // namespace vntrace::store
