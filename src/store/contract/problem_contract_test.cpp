// The ProblemStore contract and product versions: every backend passes these tests (typed
// GoogleTest over the backends, as store_contract_test.cpp).
#include "store/problem_store.hpp"

#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "store/contract/fixture.hpp"
#include "store/store.hpp"

namespace vntrace::store {
namespace {

core::Timestamp T(std::int64_t seconds) { return core::Timestamp::FromUnixSeconds(seconds); }

constexpr char kOrgA[] = "https://x.vn/id/org/a";
constexpr char kOrgB[] = "https://x.vn/id/org/b";
constexpr char kProductA[] = "https://x.vn/id/org/a/p";
constexpr char kLotA[] = "https://x.vn/id/lot/a";

AuditEntry Audit(std::string action, std::string entity, std::string id) {
  return AuditEntry{.at = T(1'700'000'000),
                    .actor = "anonymous",
                    .org_id = kOrgA,
                    .action = std::move(action),
                    .entity = std::move(entity),
                    .entity_id = std::move(id)};
}

template <typename Backend>
class ProblemContractTest : public testing::ContractFixture<Backend> {
 public:
  void SetUp() override {
    testing::ContractFixture<Backend>::SetUp();
    if (this->IsSkipped() || this->HasFatalFailure()) return;
    RegistryStore& reg = this->store_->registry();
    for (const auto& [org, commune] :
         {std::tuple{kOrgA, "Ba Tơ"}, std::tuple{kOrgB, "Minh Long"}}) {
      ASSERT_TRUE(
          reg.CreateOrganisation({.id = org,
                                  .kind = OrganisationKind::kCooperative,
                                  .name = std::string("HTX ") + commune,
                                  .address = {.province = "Quảng Ngãi", .commune = commune}},
                                 Audit("create", "organisation", org))
              .ok());
    }
    ASSERT_TRUE(reg.CreateProduct({.id = kProductA,
                                   .org_id = kOrgA,
                                   .identifier = kProductA,
                                   .name = "Khổ qua rừng",
                                   .created_at = T(1000),
                                   .updated_at = T(1000)},
                                  Audit("create", "product", kProductA))
                    .ok());
    ASSERT_TRUE(reg.CreateLot({.id = kLotA,
                               .org_id = kOrgA,
                               .product_id = kProductA,
                               .code = "L1",
                               .identifier = kLotA},
                              Audit("create", "lot", kLotA))
                    .ok());
  }
  ProblemStore& problems() { return this->store_->problems(); }

  static ProblemReport Sample(std::string id, std::string org, std::string commune,
                              std::int64_t at) {
    return ProblemReport{.id = std::move(id),
                         .code = "https://id.gs1.org/01/08930000000012/10/L1",
                         .kind = ProblemKind::kQualitySafety,
                         .message = "Sản phẩm bị mốc",
                         .contact = "0912345678",
                         .org_id = std::move(org),
                         .province = "Quảng Ngãi",
                         .commune = std::move(commune),
                         .scan_area = "Hà Nội",
                         .created_at = T(at)};
  }
};

TYPED_TEST_SUITE(ProblemContractTest, testing::Backends);

TYPED_TEST(ProblemContractTest, CreatesReadsAndKeepsThePhotoApart) {
  ProblemReport report = this->Sample("pr1", kOrgA, "Ba Tơ", 2000);
  report.product_id = kProductA;
  report.lot_id = kLotA;
  report.photo_type = "image/png";
  const std::string photo("\x89PNG\r\n\x1a\nrest", 12);
  ASSERT_TRUE(this->problems()
                  .CreateProblemReport(report, photo, Audit("create", "problem_report", "pr1"))
                  .ok());
  core::Result<ProblemReport> got = this->problems().GetProblemReport("pr1");
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  report.photo_size = 12;
  EXPECT_EQ(*got, report);
  core::Result<ProblemPhoto> stored = this->problems().GetProblemPhoto("pr1");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->content_type, "image/png");
  EXPECT_EQ(stored->data, photo);
  // The write carried its audit entry.
  core::Result<std::vector<AuditEntry>> audit = this->store_->registry().ListAudit(kOrgA, 1);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].entity, "problem_report");

  EXPECT_EQ(this->problems()
                .CreateProblemReport(report, "", Audit("create", "problem_report", "pr1"))
                .error()
                .code,
            core::ErrorCode::kAlreadyExists);
  EXPECT_EQ(this->problems().GetProblemReport("nope").error().code, core::ErrorCode::kNotFound);
}

TYPED_TEST(ProblemContractTest, WithoutPhotoThereIsNoPhoto) {
  ProblemReport report = this->Sample("pr1", "", "", 2000);
  report.photo_type = "image/jpeg";  // ignored without bytes
  ASSERT_TRUE(this->problems()
                  .CreateProblemReport(report, "", Audit("create", "problem_report", "pr1"))
                  .ok());
  core::Result<ProblemReport> got = this->problems().GetProblemReport("pr1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->photo_type, "");
  EXPECT_EQ(got->photo_size, 0);
  EXPECT_EQ(got->org_id, "");
  EXPECT_EQ(this->problems().GetProblemPhoto("pr1").error().code, core::ErrorCode::kNotFound);
}

TYPED_TEST(ProblemContractTest, RefusesAReportNamingMissingRecords) {
  ProblemReport report = this->Sample("pr1", "https://x.vn/id/org/none", "", 2000);
  EXPECT_EQ(this->problems()
                .CreateProblemReport(report, "", Audit("create", "problem_report", "pr1"))
                .error()
                .code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(this->problems().GetProblemReport("pr1").error().code, core::ErrorCode::kNotFound);
}

TYPED_TEST(ProblemContractTest, ListsAndCountsByOrganisationAreaCodeAndTime) {
  for (const auto& [id, org, commune, at] :
       {std::tuple{"a1", kOrgA, "Ba Tơ", 100}, std::tuple{"a2", kOrgA, "Ba Tơ", 300},
        std::tuple{"b1", kOrgB, "Minh Long", 200}}) {
    ASSERT_TRUE(this->problems()
                    .CreateProblemReport(this->Sample(id, org, commune, at), "",
                                         Audit("create", "problem_report", id))
                    .ok());
  }
  auto ids = [&](const ProblemQuery& q) {
    std::vector<std::string> out;
    core::Result<std::vector<ProblemReport>> found = this->problems().ListProblemReports(q);
    EXPECT_TRUE(found.ok());
    for (const ProblemReport& r : *found) out.push_back(r.id);
    return out;
  };
  EXPECT_EQ(ids({}), (std::vector<std::string>{"a2", "b1", "a1"}));
  EXPECT_EQ(ids({.org_id = kOrgA}), (std::vector<std::string>{"a2", "a1"}));
  EXPECT_EQ(ids({.area = {.province = "Quảng Ngãi", .commune = "Minh Long"}}),
            (std::vector<std::string>{"b1"}));
  EXPECT_EQ(ids({.area = {.province = "Hà Nội"}}), (std::vector<std::string>{}));
  EXPECT_EQ(ids({.from = T(150), .to = T(300)}), (std::vector<std::string>{"b1"}));
  EXPECT_EQ(ids({.limit = 1}), (std::vector<std::string>{"a2"}));
  EXPECT_EQ(*this->problems().CountProblemReports({.area = {.province = "Quảng Ngãi"}}), 3);
  EXPECT_EQ(*this->problems().CountProblemReports(
                {.code = "https://id.gs1.org/01/08930000000012/10/L1", .from = T(200)}),
            2);
  EXPECT_EQ(*this->problems().CountProblemReports({.scan_area = "Hà Nội", .from = T(301)}), 0);

  // Handling: once, then only open reports are listed as open.
  ASSERT_TRUE(
      this->problems()
          .MarkProblemHandled("a1", T(400), "user:owner", Audit("handle", "problem_report", "a1"))
          .ok());
  core::Result<ProblemReport> handled = this->problems().GetProblemReport("a1");
  ASSERT_TRUE(handled.ok());
  EXPECT_EQ(handled->handled_at, T(400));
  EXPECT_EQ(handled->handled_by, "user:owner");
  EXPECT_EQ(ids({.org_id = kOrgA, .open_only = true}), (std::vector<std::string>{"a2"}));
  EXPECT_EQ(
      this->problems()
          .MarkProblemHandled("a1", T(500), "user:owner", Audit("handle", "problem_report", "a1"))
          .error()
          .code,
      core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(
      this->problems()
          .MarkProblemHandled("zz", T(500), "user:owner", Audit("handle", "problem_report", "zz"))
          .error()
          .code,
      core::ErrorCode::kNotFound);
}

TYPED_TEST(ProblemContractTest, EveryProductWriteKeepsAVersion) {
  RegistryStore& reg = this->store_->registry();
  core::Result<Product> product = reg.GetProduct(kProductA);
  ASSERT_TRUE(product.ok());
  Product changed = *product;
  changed.name = "Khổ qua rừng sấy khô";
  changed.ocop = OcopRating{.stars = 4, .decision_number = "12/QĐ-UBND"};
  changed.standards = {"VietGAP", "TCVN 12850:2019"};
  changed.updated_at = T(5000);
  ASSERT_TRUE(reg.UpdateProduct(changed, Audit("update", "product", kProductA)).ok());

  core::Result<std::vector<ProductVersion>> versions = reg.ListProductVersions(kProductA);
  ASSERT_TRUE(versions.ok()) << versions.error().ToString();
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 1);
  EXPECT_EQ((*versions)[0].valid_from, T(1000));
  EXPECT_EQ((*versions)[0].product, *product);
  EXPECT_EQ((*versions)[1].version, 2);
  EXPECT_EQ((*versions)[1].valid_from, T(5000));
  EXPECT_EQ((*versions)[1].product, changed);

  // A refused update stores no version.
  Product other = changed;
  other.org_id = kOrgB;  // not its owner: no row changes
  EXPECT_EQ(reg.UpdateProduct(other, Audit("update", "product", kProductA)).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(reg.ListProductVersions(kProductA)->size(), 2u);
  EXPECT_TRUE(reg.ListProductVersions("https://x.vn/id/none")->empty());
}

}  // namespace
}  // namespace vntrace::store
