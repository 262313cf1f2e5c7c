// The ReportStore contract: every backend passes these tests (typed GoogleTest over the
// backends, as store_contract_test.cpp).
#include "store/report_store.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/contract/fixture.hpp"
#include "store/store.hpp"

namespace vntrace::store {
namespace {

constexpr std::int64_t kT0 = 1'780'000'000;  // seconds
constexpr std::int64_t kWeek = 7 * 24 * 3600;
constexpr char kProvince[] = "Quảng Ngãi";

core::Timestamp T(std::int64_t seconds) { return core::Timestamp::FromUnixSeconds(seconds); }

AuditEntry Audit(std::string action, std::string entity, std::string id) {
  return AuditEntry{.at = T(kT0),
                    .actor = "cli",
                    .action = std::move(action),
                    .entity = std::move(entity),
                    .entity_id = std::move(id)};
}

template <typename Backend>
class ReportContractTest : public testing::ContractFixture<Backend> {
 public:
  ReportStore& reports() { return this->store_->reports(); }

  // Organisations a (Quảng Ngãi, Xã A), b (Quảng Ngãi, Xã B), c (Kon Tum), each with a product
  // and lot "<org>l" and a stamp batch "<org>b" of codes "<org>1"; a also has a recalled lot
  // "a2l" with code "a3" and a second code "a2"; b's batch is not activated.
  void Stamps() {
    RegistryStore& reg = this->store_->registry();
    StampStore& stamps = this->store_->stamps();
    for (auto [org, commune, province] :
         {std::tuple{"a", "Xã A", kProvince}, {"b", "Xã B", kProvince}, {"c", "Xã C", "Kon Tum"}}) {
      const std::string o(org);
      ASSERT_TRUE(reg.CreateOrganisation({.id = o,
                                          .kind = OrganisationKind::kCooperative,
                                          .name = "HTX " + o,
                                          .address = {.province = province, .commune = commune}},
                                         Audit("create", "organisation", o))
                      .ok());
      ASSERT_TRUE(
          reg.CreateProduct({.id = o + "p", .org_id = o, .identifier = o + "p", .name = "P"},
                            Audit("create", "product", o))
              .ok());
      for (const std::string& lot : {o + "l", o + "2l"}) {
        ASSERT_TRUE(
            reg.CreateLot(
                   {.id = lot, .org_id = o, .product_id = o + "p", .code = lot, .identifier = lot},
                   Audit("create", "lot", lot))
                .ok());
      }
      std::vector<Stamp> codes = {{.code = o + "1", .batch_id = o + "b", .sequence = 1}};
      if (o == "a") codes.push_back({.code = "a2", .batch_id = "ab", .sequence = 2});
      ASSERT_TRUE(stamps
                      .CreateStampBatch({.id = o + "b",
                                         .org_id = o,
                                         .product_id = o + "p",
                                         .lot_id = o + "l",
                                         .count = static_cast<int>(codes.size())},
                                        codes, Audit("create", "batch", o))
                      .ok());
      if (o != "b") {
        ASSERT_TRUE(stamps.ActivateStampBatch(o + "b", T(kT0), Audit("activate", "b", o)).ok());
      }
    }
    ASSERT_TRUE(stamps
                    .CreateStampBatch({.id = "a2b",
                                       .org_id = "a",
                                       .product_id = "ap",
                                       .lot_id = "a2l",
                                       .count = 1,
                                       .active = true},
                                      std::vector<Stamp>{{.code = "a3", .batch_id = "a2b"}},
                                      Audit("create", "batch", "a2"))
                    .ok());
    ASSERT_TRUE(stamps
                    .RecallLot({.lot_id = "a2l", .reason = "x", .recalled_at = T(kT0)},
                               Audit("r", "l", "a"))
                    .ok());
    struct S {
      const char* code;
      std::int64_t at;
      const char* province;
    };
    for (const S& s : std::vector<S>{{"a1", 10, kProvince},
                                     {"a1", 20, "Hà Nội"},
                                     {"a1", 30, "TP Hồ Chí Minh"},
                                     {"a2", 40, kProvince},
                                     {"a2", kWeek + 5, ""},
                                     {"a3", 50, kProvince},
                                     {"b1", 60, ""},
                                     {"c1", 70, "Kon Tum"},
                                     {"https://x.vn/id/stamp/FAKE", 80, kProvince},
                                     {"https://x.vn/id/stamp/FAKE2", 90, "Kon Tum"},
                                     {"a2", -5, kProvince},
                                     {"a2", 2 * kWeek, kProvince}}) {
      ASSERT_TRUE(
          stamps.RecordScan({.code = s.code, .at = T(kT0 + s.at), .province = s.province}).ok());
    }
  }

  std::vector<std::int64_t> Weeks(std::string commune, std::string province = kProvince) {
    core::Result<std::vector<std::int64_t>> counts =
        reports().CountAreaScans({.province = std::move(province),
                                  .commune = std::move(commune),
                                  .start = T(kT0),
                                  .bucket_nanos = kWeek * 1'000'000'000,
                                  .buckets = 2});
    EXPECT_TRUE(counts.ok()) << counts.error().ToString();
    return counts.ok() ? *counts : std::vector<std::int64_t>{};
  }

  std::vector<std::string> Alerts(std::string commune) {
    core::Result<std::vector<ScanAlertCandidate>> found =
        reports().ListScanAlertCandidates({.province = kProvince,
                                           .commune = std::move(commune),
                                           .from = T(kT0),
                                           .to = T(kT0 + kWeek)});
    EXPECT_TRUE(found.ok()) << found.error().ToString();
    std::vector<std::string> codes;
    for (const ScanAlertCandidate& c : found.ok() ? *found : std::vector<ScanAlertCandidate>{}) {
      codes.push_back(c.code);
    }
    return codes;
  }
};

TYPED_TEST_SUITE(ReportContractTest, testing::Backends);

TYPED_TEST(ReportContractTest, OutreachRoundTripsAndFiltersByAreaAndDate) {
  const OutreachSession training{.id = "o1",
                                 .kind = OutreachKind::kTraining,
                                 .held_on = "2026-03-12",
                                 .topic = "Tập huấn ghi nhật ký điện tử",
                                 .attendees = 45,
                                 .organisations = 12,
                                 .province = kProvince,
                                 .commune = "Xã Ba Tơ",
                                 .notes = "Có phát tài liệu",
                                 .created_by = "user:u1",
                                 .created_at = T(kT0)};
  OutreachSession info = training;
  info.id = "o2";
  info.kind = OutreachKind::kInformation;
  info.held_on = "2026-04-02";
  info.commune = "";
  OutreachSession other = training;
  other.id = "o3";
  other.province = "Kon Tum";
  for (const OutreachSession& s : {training, info, other}) {
    ASSERT_TRUE(this->reports().CreateOutreach(s, Audit("create", "outreach", s.id)).ok());
  }
  EXPECT_EQ(
      this->reports().CreateOutreach(training, Audit("create", "outreach", "o1")).error().code,
      core::ErrorCode::kAlreadyExists);
  this->Reopen();
  EXPECT_EQ(*this->reports().GetOutreach("o1"), training);
  EXPECT_EQ(this->reports().GetOutreach("nope").error().code, core::ErrorCode::kNotFound);

  auto ids = [&](OutreachQuery q) {
    std::vector<std::string> out;
    const std::vector<OutreachSession> found = this->reports().ListOutreach(q).value();
    for (const OutreachSession& s : found) out.push_back(s.id);
    return out;
  };
  EXPECT_EQ(ids({.province = kProvince}), (std::vector<std::string>{"o2", "o1"}));
  EXPECT_EQ(ids({.province = kProvince, .commune = "Xã Ba Tơ"}), std::vector<std::string>{"o1"});
  EXPECT_EQ(ids({.province = kProvince, .from = "2026-03-13"}), std::vector<std::string>{"o2"});
  EXPECT_EQ(ids({.province = kProvince, .to = "2026-03-12"}), std::vector<std::string>{"o1"});
  EXPECT_EQ(ids({.province = kProvince, .limit = 1}), std::vector<std::string>{"o2"});
  EXPECT_EQ(ids({.province = "Kon Tum"}), std::vector<std::string>{"o3"});
  EXPECT_TRUE(ids({.province = "Hà Nội"}).empty());
  // The write is audited.
  const std::vector<AuditEntry> audit = *this->store_->registry().ListAudit("", 10);
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(),
                          [](const AuditEntry& a) { return a.entity_id == "o2"; }));
}

TYPED_TEST(ReportContractTest, CountsTheScansOfAnAreasStampsPerBucket) {
  ASSERT_NO_FATAL_FAILURE(this->Stamps());
  // Week 0: a1 ×3, a2, a3 (Xã A) and b1 (Xã B); week 1: a2. Before and after: not counted.
  EXPECT_EQ(this->Weeks(""), (std::vector<std::int64_t>{6, 1}));
  EXPECT_EQ(this->Weeks("Xã A"), (std::vector<std::int64_t>{5, 1}));
  EXPECT_EQ(this->Weeks("Xã B"), (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(this->Weeks("", "Kon Tum"), (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(
      this->reports()
          .CountAreaScans({.province = kProvince, .start = T(0), .bucket_nanos = 0, .buckets = 1})
          .error()
          .code,
      core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      this->reports()
          .CountAreaScans({.province = kProvince, .start = T(0), .bucket_nanos = 1, .buckets = 0})
          .error()
          .code,
      core::ErrorCode::kInvalidArgument);
}

TYPED_TEST(ReportContractTest, FindsTheCodesWhoseScansNeedALook) {
  ASSERT_NO_FATAL_FAILURE(this->Stamps());
  // Never issued (scanned in the province), not activated, recalled, three provinces; newest
  // first. Not a2 (plain scans), c1 (Kon Tum), FAKE2 (scanned in Kon Tum).
  EXPECT_EQ(this->Alerts(""),
            (std::vector<std::string>{"https://x.vn/id/stamp/FAKE", "b1", "a3", "a1"}));
  // A commune cannot place a code never issued.
  EXPECT_EQ(this->Alerts("Xã A"), (std::vector<std::string>{"a3", "a1"}));
  const std::vector<ScanAlertCandidate> found = *this->reports().ListScanAlertCandidates(
      {.province = kProvince, .from = T(kT0), .to = T(kT0 + kWeek), .limit = 1});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], (ScanAlertCandidate{.code = "https://x.vn/id/stamp/FAKE",
                                          .scans = 1,
                                          .last_scan = T(kT0 + 80),
                                          .org_id = ""}));
  const std::vector<ScanAlertCandidate> a1 = *this->reports().ListScanAlertCandidates(
      {.province = kProvince, .commune = "Xã A", .from = T(kT0), .to = T(kT0 + 35)});
  ASSERT_EQ(a1.size(), 1u);
  EXPECT_EQ(a1[0].scans, 3);
  EXPECT_EQ(a1[0].org_id, "a");
}

}  // namespace
}  // namespace vntrace::store
