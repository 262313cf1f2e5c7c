// The InspectionStore contract: every backend passes these tests (typed GoogleTest over the
// backends, as store_contract_test.cpp).
#include "store/inspection_store.hpp"

#include <map>
#include <memory>
#include <optional>
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
constexpr char kLotA[] = "https://x.vn/id/lot/a";
constexpr char kLotB[] = "https://x.vn/id/lot/b";

AuditEntry Audit(std::string action, std::string entity, std::string id) {
  return AuditEntry{.at = T(1'700'000'000),
                    .actor = "user:insp",
                    .org_id = kOrgA,
                    .action = std::move(action),
                    .entity = std::move(entity),
                    .entity_id = std::move(id)};
}

template <typename Backend>
class InspectionContractTest : public testing::ContractFixture<Backend> {
 public:
  void SetUp() override {
    testing::ContractFixture<Backend>::SetUp();
    if (this->IsSkipped() || this->HasFatalFailure()) return;
    RegistryStore& reg = this->store_->registry();
    for (const auto& [org, lot, commune] :
         {std::tuple{kOrgA, kLotA, "Ba Tơ"}, std::tuple{kOrgB, kLotB, "Minh Long"}}) {
      ASSERT_TRUE(
          reg.CreateOrganisation({.id = org,
                                  .kind = OrganisationKind::kCooperative,
                                  .name = std::string("HTX ") + commune,
                                  .address = {.province = "Quảng Ngãi", .commune = commune}},
                                 Audit("create", "organisation", org))
              .ok());
      const std::string product = std::string(org) + "/p";
      ASSERT_TRUE(reg.CreateProduct(
                         {.id = product, .org_id = org, .identifier = product, .name = "Khổ qua"},
                         Audit("create", "product", product))
                      .ok());
      ASSERT_TRUE(
          reg.CreateLot(
                 {.id = lot, .org_id = org, .product_id = product, .code = "L1", .identifier = lot},
                 Audit("create", "lot", lot))
              .ok());
    }
  }
  InspectionStore& inspections() { return this->store_->inspections(); }

  static Inspection Sample(std::string id, std::string org, std::string commune, std::string date) {
    return Inspection{.id = std::move(id),
                      .org_id = std::move(org),
                      .province = "Quảng Ngãi",
                      .commune = std::move(commune),
                      .place = "Chợ Ba Tơ, sạp số 12",
                      .latitude = 14.77,
                      .longitude = 108.72,
                      .inspected_on = std::move(date),
                      .result = InspectionResult::kPassed,
                      .notes = "Ghi chú",
                      .inspector = "user:insp",
                      .inspector_name = "Thanh tra",
                      .created_at = T(100)};
  }
};

TYPED_TEST_SUITE(InspectionContractTest, testing::Backends);

TYPED_TEST(InspectionContractTest, InspectionsRoundTripWithViolationsAndPhotos) {
  Inspection first = this->Sample("i1", kOrgA, "Ba Tơ", "2026-03-02");
  first.result = InspectionResult::kFailed;
  first.lot_id = kLotA;
  first.code = "https://id.gs1.org/01/08935049500018/10/L1";
  first.violations = {{.kind = ViolationKind::kClonedStamp, .description = "Tem in lại"},
                      {.kind = ViolationKind::kExpiredCertificate, .description = "VietGAP"}};
  const std::string jpeg = std::string("\xFF\xD8\xFF\xE0", 4) + std::string(10, '\0');
  const InspectionPhoto photo{.id = "ph1",
                              .inspection_id = "i1",
                              .content_type = "image/jpeg",
                              .data = jpeg,
                              .added_at = T(100)};
  ASSERT_TRUE(this->inspections()
                  .CreateInspection(first, std::vector<InspectionPhoto>{photo},
                                    Audit("create", "inspection", "i1"))
                  .ok());
  this->Reopen();
  Inspection got = *this->inspections().GetInspection("i1");
  ASSERT_EQ(got.photos.size(), 1u);
  EXPECT_EQ(got.photos[0], (PhotoInfo{.id = "ph1",
                                      .content_type = "image/jpeg",
                                      .size = static_cast<std::int64_t>(jpeg.size()),
                                      .added_at = T(100)}));
  got.photos.clear();
  EXPECT_EQ(got, first);
  EXPECT_EQ(*this->inspections().GetInspectionPhoto("ph1"), photo);
  EXPECT_EQ(this->inspections().GetInspectionPhoto("nope").error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(this->inspections().GetInspection("nope").error().code, core::ErrorCode::kNotFound);

  // A second photo; a photo of a missing inspection is refused.
  ASSERT_TRUE(this->inspections()
                  .AddInspectionPhoto({.id = "ph2",
                                       .inspection_id = "i1",
                                       .content_type = "image/png",
                                       .data = "\x89PNG",
                                       .added_at = T(200)},
                                      Audit("update", "inspection", "i1"))
                  .ok());
  EXPECT_EQ(this->inspections().GetInspection("i1")->photos.size(), 2u);
  EXPECT_EQ(this->inspections()
                .AddInspectionPhoto({.id = "ph3",
                                     .inspection_id = "nope",
                                     .content_type = "image/png",
                                     .data = "x",
                                     .added_at = T(200)},
                                    Audit("update", "inspection", "nope"))
                .error()
                .code,
            core::ErrorCode::kNotFound);

  // The id is unique; an unknown organisation is refused and nothing is stored.
  EXPECT_EQ(this->inspections()
                .CreateInspection(first, {}, Audit("create", "inspection", "i1"))
                .error()
                .code,
            core::ErrorCode::kAlreadyExists);
  EXPECT_FALSE(
      this->inspections()
          .CreateInspection(this->Sample("i9", "https://x.vn/id/org/none", "", "2026-03-02"), {},
                            Audit("create", "inspection", "i9"))
          .ok());
  EXPECT_EQ(this->inspections().GetInspection("i9").error().code, core::ErrorCode::kNotFound);
}

TYPED_TEST(InspectionContractTest, ListsAndCountsByAreaAndPeriod) {
  Inspection a1 = this->Sample("a1", kOrgA, "Ba Tơ", "2026-01-10");
  a1.result = InspectionResult::kFailed;
  a1.violations = {{.kind = ViolationKind::kClonedStamp, .description = "x"},
                   {.kind = ViolationKind::kOther, .description = "y"}};
  Inspection a2 = this->Sample("a2", kOrgA, "Ba Tơ", "2026-02-10");
  a2.violations = {{.kind = ViolationKind::kClonedStamp, .description = "z"}};
  Inspection b1 = this->Sample("b1", kOrgB, "Minh Long", "2026-02-15");
  Inspection b2 = this->Sample("b2", kOrgB, "Minh Long", "2025-12-31");
  for (const Inspection* i : {&a1, &a2, &b1, &b2}) {
    ASSERT_TRUE(
        this->inspections().CreateInspection(*i, {}, Audit("create", "inspection", i->id)).ok());
  }
  auto ids = [](const std::vector<Inspection>& list) {
    std::vector<std::string> out;
    for (const Inspection& i : list) out.push_back(i.id);
    return out;
  };
  EXPECT_EQ(ids(*this->inspections().ListInspections({})),
            (std::vector<std::string>{"b1", "a2", "a1", "b2"}));
  EXPECT_EQ(ids(*this->inspections().ListInspections({.area = {.commune = "Ba Tơ"}})),
            (std::vector<std::string>{"a2", "a1"}));
  EXPECT_EQ(ids(*this->inspections().ListInspections({.org_id = kOrgB})),
            (std::vector<std::string>{"b1", "b2"}));
  EXPECT_EQ(ids(*this->inspections().ListInspections({.result = InspectionResult::kFailed})),
            (std::vector<std::string>{"a1"}));
  EXPECT_EQ(ids(*this->inspections().ListInspections({.with_violations_only = true})),
            (std::vector<std::string>{"a2", "a1"}));
  EXPECT_EQ(ids(*this->inspections().ListInspections({.from = "2026-01-10", .to = "2026-02-10"})),
            (std::vector<std::string>{"a2", "a1"}));
  EXPECT_EQ(this->inspections().ListInspections({.limit = 1})->size(), 1u);
  EXPECT_EQ(this->inspections().ListInspections({})->at(2).violations, a1.violations);

  InspectionTally all = *this->inspections().CountInspections({.area = {.province = "Quảng Ngãi"}});
  EXPECT_EQ(all.inspections, 4);
  EXPECT_EQ(all.failed, 1);
  EXPECT_EQ(all.organisations, 2);
  EXPECT_EQ(all.with_violations, 2);
  EXPECT_EQ(all.violations, 3);
  EXPECT_EQ(all.by_kind, (std::map<ViolationKind, std::int64_t>{{ViolationKind::kClonedStamp, 2},
                                                                {ViolationKind::kOther, 1}}));
  InspectionTally q1 = *this->inspections().CountInspections(
      {.area = {.province = "Quảng Ngãi", .commune = "Minh Long"},
       .from = "2026-01-01",
       .to = "2026-03-31"});
  EXPECT_EQ(q1, (InspectionTally{.inspections = 1, .organisations = 1}));
  EXPECT_EQ(*this->inspections().CountInspections({.area = {.province = "Kon Tum"}}),
            InspectionTally{});
}

TYPED_TEST(InspectionContractTest, RecallsMarkEveryLotAndListByParty) {
  const Recall recall{
      .id = "r1",
      .lot_id = kLotA,
      .org_id = kOrgA,
      .province = "Quảng Ngãi",
      .commune = "Ba Tơ",
      .reason = "Dư lượng thuốc BVTV vượt ngưỡng",
      .scope = RecallScope::kDownstream,
      .actor = "user:insp",
      .actor_name = "Thanh tra",
      .created_at = T(500),
      .lots = {{.lot_id = kLotA, .org_id = kOrgA}, {.lot_id = kLotB, .org_id = kOrgB}},
      .parties = {{.org_id = kOrgA, .role = RecallRole::kProducer},
                  {.org_id = kOrgB, .role = RecallRole::kDownstreamLot}},
      .report_csv = "a,b\r\n",
      .report_html_vi = "<p>vi</p>",
      .report_html_en = "<p>en</p>"};
  // A lot that does not exist: nothing is stored.
  Recall broken = recall;
  broken.id = "r0";
  broken.lots.push_back({.lot_id = "https://x.vn/id/lot/none", .org_id = kOrgB});
  EXPECT_EQ(this->inspections().CreateRecall(broken, {}).error().code, core::ErrorCode::kNotFound);
  EXPECT_FALSE(this->store_->stamps().GetLotRecall(kLotA)->has_value());

  const std::vector<AuditEntry> audits = {Audit("recall", "lot", kLotA),
                                          Audit("recall", "lot", kLotB)};
  ASSERT_TRUE(this->inspections().CreateRecall(recall, audits).ok());
  EXPECT_EQ(this->inspections().CreateRecall(recall, {}).error().code,
            core::ErrorCode::kAlreadyExists);
  this->Reopen();
  EXPECT_EQ(*this->inspections().GetRecall("r1"), recall);
  for (const char* lot : {kLotA, kLotB}) {
    std::optional<LotRecall> marked = *this->store_->stamps().GetLotRecall(lot);
    ASSERT_TRUE(marked.has_value()) << lot;
    EXPECT_EQ(marked->reason, recall.reason);
    EXPECT_EQ(marked->recalled_at, T(500));
  }
  EXPECT_EQ(this->store_->registry().ListAudit(kOrgA, 10)->front().action, "recall");

  std::vector<Recall> listed = *this->inspections().ListRecalls({.party_org_id = kOrgB});
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].lots, recall.lots);
  EXPECT_TRUE(listed[0].report_csv.empty());
  EXPECT_TRUE(this->inspections().ListRecalls({.party_org_id = "https://x.vn/id/org/c"})->empty());
  EXPECT_EQ(this->inspections().ListRecalls({.area = {.province = "Quảng Ngãi"}})->size(), 1u);
  EXPECT_TRUE(this->inspections().ListRecalls({.area = {.province = "Kon Tum"}})->empty());
  EXPECT_EQ(this->inspections().GetRecall("nope").error().code, core::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vntrace::store
