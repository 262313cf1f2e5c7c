#include "label/stamps.hpp"

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "label/stamp_fixture.hpp"

namespace vntrace::label {
namespace {

using store::Scan;

constexpr char kGtin[] = "08935000000014";

class StampsTest : public testing::StampFixture {
 protected:
  StampsTest() : service_(*store_, clock_, random_, "http://127.0.0.1:8080") {
    org_a_ = MakeOrg("a", "HTX Nghĩa Ân", "Quảng Ngãi");
    org_b_ = MakeOrg("b", "HTX Khác", "Hà Nội");
    product_ = MakeProduct(org_a_, "p1", kGtin, "Tỏi Lý Sơn");
    lot_ = MakeLot(org_a_, product_, "l1", "L2026A", kGtin);
    plain_product_ = MakeProduct(org_a_, "p2", "", "Mật ong rừng");
    plain_lot_ = MakeLot(org_a_, plain_product_, "l2", "M01", "");
  }

  Issuer A() const { return Issuer{.org_id = org_a_, .audit_name = "user:a"}; }
  Issuer B() const { return Issuer{.org_id = org_b_, .audit_name = "user:b"}; }

  ScanResult ScanCode(const std::string& code, const std::string& province, bool claims = true) {
    core::Result<ScanResult> r = service_.RecordScan(
        {.code = code, .claims_stamp = claims, .province = province, .user_agent = "UA"});
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : ScanResult{};
  }

  StampService service_;
  std::string org_a_, org_b_, product_, lot_, plain_product_, plain_lot_;
};

TEST_F(StampsTest, IssuesRandomSerialisedDigitalLinksForAGtinLot) {
  core::Result<IssuedBatch> issued = service_.Issue(A(), {.lot_id = lot_, .count = 50});
  ASSERT_TRUE(issued.ok()) << issued.error().ToString();
  EXPECT_FALSE(issued->batch.active);
  EXPECT_EQ(issued->batch.count, 50);
  ASSERT_EQ(issued->stamps.size(), 50u);
  std::set<std::string> serials;
  for (std::size_t i = 0; i < issued->stamps.size(); ++i) {
    const store::Stamp& s = issued->stamps[i];
    EXPECT_EQ(s.sequence, static_cast<int>(i) + 1);
    ASSERT_EQ(s.serial.size(), kSerialLength);
    EXPECT_EQ(s.serial.find_first_not_of(kSerialAlphabet), std::string::npos);
    EXPECT_EQ(s.code, std::string("https://id.gs1.org/01/") + kGtin + "/10/L2026A/21/" + s.serial);
    serials.insert(s.serial);
  }
  EXPECT_EQ(serials.size(), 50u);
  // Every code is recorded, in order.
  core::Result<std::vector<store::Stamp>> stored = store_->stamps().ListStamps(issued->batch.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, issued->stamps);
  EXPECT_TRUE(store_->stamps().FindStamp(issued->stamps[7].code).ok());
}

TEST_F(StampsTest, IssuesPlatformUrisWithoutGtinAndOneCodePerLot) {
  core::Result<IssuedBatch> plain = service_.Issue(A(), {.lot_id = plain_lot_, .count = 3});
  ASSERT_TRUE(plain.ok()) << plain.error().ToString();
  EXPECT_EQ(plain->stamps[0].code, "http://127.0.0.1:8080/id/stamp/" + plain->stamps[0].serial);

  core::Result<IssuedBatch> per_lot =
      service_.Issue(A(), {.lot_id = lot_, .count = 99, .mode = store::StampMode::kPerLot});
  ASSERT_TRUE(per_lot.ok()) << per_lot.error().ToString();
  ASSERT_EQ(per_lot->stamps.size(), 1u);
  EXPECT_EQ(per_lot->stamps[0].code, std::string("https://id.gs1.org/01/") + kGtin + "/10/L2026A");
  // The lot's one code exists once.
  core::Result<IssuedBatch> again =
      service_.Issue(A(), {.lot_id = lot_, .mode = store::StampMode::kPerLot});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::kAlreadyExists);
}

TEST_F(StampsTest, RefusesBadCountsMissingLotsAndOtherOrganisations) {
  EXPECT_EQ(service_.Issue(A(), {.lot_id = lot_, .count = 0}).error().code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_.Issue(A(), {.lot_id = lot_, .count = kMaxStampsPerBatch + 1}).error().code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_.Issue(A(), {.lot_id = "nope", .count = 1}).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(service_.Issue(B(), {.lot_id = lot_, .count = 1}).error().code,
            core::ErrorCode::kPermissionDenied);
}

TEST_F(StampsTest, OnlyTheOwnerActivatesABatch) {
  IssuedBatch issued = service_.Issue(A(), {.lot_id = lot_, .count = 2}).value();
  core::Status by_b = service_.Activate(B(), issued.batch.id);
  ASSERT_FALSE(by_b.ok());
  EXPECT_EQ(by_b.error().code, core::ErrorCode::kPermissionDenied);
  EXPECT_FALSE(store_->stamps().GetStampBatch(issued.batch.id)->active);
  EXPECT_EQ(service_.GetBatch(B(), issued.batch.id).error().code,
            core::ErrorCode::kPermissionDenied);

  ASSERT_TRUE(service_.Activate(A(), issued.batch.id).ok());
  store::StampBatch batch = store_->stamps().GetStampBatch(issued.batch.id).value();
  EXPECT_TRUE(batch.active);
  EXPECT_EQ(batch.activated_at, clock_.Now());
  EXPECT_TRUE(service_.Activate(A(), issued.batch.id).ok());  // twice is harmless
  EXPECT_TRUE(service_.Activate(Issuer{.system = true}, issued.batch.id).ok());
  EXPECT_EQ(service_.Activate(A(), "sb_missing").error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(service_.Recall(B(), lot_, "x").error().code, core::ErrorCode::kPermissionDenied);
}

TEST_F(StampsTest, InactiveBatchScansSuspicious) {
  IssuedBatch issued = service_.Issue(A(), {.lot_id = lot_, .count = 1}).value();
  ScanResult r = ScanCode(issued.stamps[0].code, "Hà Nội");
  EXPECT_EQ(r.assessment.verdict, Verdict::kSuspicious);
  EXPECT_EQ(r.assessment.suspicion, Suspicion::kNotActivated);
}

TEST_F(StampsTest, FirstScanGenuineThenScannedBefore) {
  IssuedBatch issued = service_.Issue(A(), {.lot_id = lot_, .count = 1}).value();
  ASSERT_TRUE(service_.Activate(A(), issued.batch.id).ok());
  const std::string code = issued.stamps[0].code;
  const core::Timestamp first = clock_.Now();
  ScanResult r1 = ScanCode(code, "Quảng Ngãi");
  EXPECT_EQ(r1.assessment.verdict, Verdict::kGenuine);
  EXPECT_EQ(r1.assessment.previous_scans, 0);
  clock_.Advance(std::chrono::hours(30));
  ScanCode(code, "Hà Nội");
  clock_.Advance(std::chrono::hours(1));
  ScanResult r3 = ScanCode(code, "Hà Nội");
  EXPECT_EQ(r3.assessment.verdict, Verdict::kScannedBefore);
  EXPECT_EQ(r3.assessment.previous_scans, 2);
  EXPECT_EQ(r3.assessment.first_scan, first);
  EXPECT_EQ(r3.assessment.first_province, "Quảng Ngãi");
  // Scans keep no personal data: a hash of the user agent, a province, a time.
  std::vector<Scan> scans = store_->stamps().ListScans(code, 10).value();
  ASSERT_EQ(scans.size(), 3u);
  EXPECT_EQ(scans[0].user_agent_hash.size(), 64u);
  EXPECT_NE(scans[0].user_agent_hash, "UA");
}

TEST_F(StampsTest, ThreeProvincesWithinADayLookLikeAClone) {
  IssuedBatch issued = service_.Issue(A(), {.lot_id = lot_, .count = 1}).value();
  ASSERT_TRUE(service_.Activate(A(), issued.batch.id).ok());
  const std::string code = issued.stamps[0].code;
  ScanCode(code, "Quảng Ngãi");
  clock_.Advance(std::chrono::hours(3));
  ScanCode(code, "Hà Nội");
  clock_.Advance(std::chrono::hours(3));
  ScanResult r = ScanCode(code, "Cần Thơ");
  EXPECT_EQ(r.assessment.verdict, Verdict::kSuspicious);
  EXPECT_EQ(r.assessment.suspicion, Suspicion::kClonePattern);
  EXPECT_EQ(r.assessment.clone_provinces.size(), 3u);
}

TEST_F(StampsTest, ThreeProvincesSpreadOverDaysAreNotAClone) {
  IssuedBatch issued = service_.Issue(A(), {.lot_id = lot_, .count = 1}).value();
  ASSERT_TRUE(service_.Activate(A(), issued.batch.id).ok());
  const std::string code = issued.stamps[0].code;
  ScanCode(code, "Quảng Ngãi");
  clock_.Advance(std::chrono::hours(20));
  ScanCode(code, "Hà Nội");
  clock_.Advance(std::chrono::hours(20));
  ScanResult r = ScanCode(code, "Cần Thơ");
  EXPECT_EQ(r.assessment.verdict, Verdict::kScannedBefore);
}

TEST_F(StampsTest, RecalledLotWinsOverEverything) {
  IssuedBatch issued = service_.Issue(A(), {.lot_id = lot_, .count = 1}).value();
  ASSERT_TRUE(service_.Recall(A(), lot_, "Nhiễm khuẩn").ok());
  ScanResult r = ScanCode(issued.stamps[0].code, "Hà Nội");
  EXPECT_EQ(r.assessment.verdict, Verdict::kRecalled);
  ASSERT_TRUE(r.recall.has_value());
  EXPECT_EQ(r.recall->reason, "Nhiễm khuẩn");
  // The lot's Digital Link without a stamp is recalled too, through the lot id.
  core::Result<ScanResult> lot_scan = service_.RecordScan(
      {.code = "https://id.gs1.org/01/08935000000014/10/L2026A", .known = true, .lot_id = lot_});
  ASSERT_TRUE(lot_scan.ok());
  EXPECT_EQ(lot_scan->assessment.verdict, Verdict::kRecalled);
}

TEST_F(StampsTest, NeverIssuedSerialIsSuspiciousAndKnownIdentifierNeutral) {
  ScanResult fake = ScanCode("https://id.gs1.org/01/08935000000014/10/L2026A/21/AAAAAAAAAA", "");
  EXPECT_EQ(fake.assessment.verdict, Verdict::kSuspicious);
  EXPECT_EQ(fake.assessment.suspicion, Suspicion::kNeverIssued);
  core::Result<ScanResult> known = service_.RecordScan(
      {.code = "https://id.gs1.org/00/089350000000000011", .claims_stamp = false, .known = true});
  ASSERT_TRUE(known.ok());
  EXPECT_EQ(known->assessment.verdict, Verdict::kNeutral);
}

// The rules on plain values.
TEST(Judge, Table) {
  const store::StampBatch active{.active = true};
  const store::StampBatch inactive{.active = false};
  const store::Stamp stamp{.code = "c"};
  const core::Timestamp t0 = core::Timestamp::FromUnixSeconds(1'700'000'000);
  auto at = [&](int hours, std::string p) {
    return Scan{.code = "c", .at = t0.Plus(std::chrono::hours(hours)), .province = std::move(p)};
  };
  const std::vector<Scan> one = {at(0, "A")};
  const std::vector<Scan> two = {at(0, "A"), at(5, "B")};
  const std::vector<Scan> clone = {at(0, "A"), at(5, "B"), at(23, "C")};
  const std::vector<Scan> spread = {at(0, "A"), at(5, "B"), at(30, "C")};
  const std::vector<Scan> unknown_area = {at(0, ""), at(1, ""), at(2, "")};
  struct Case {
    VerdictInput input;
    Verdict verdict;
    Suspicion suspicion;
  };
  const Case cases[] = {
      {{.stamp = &stamp, .batch = &active, .scans = one}, Verdict::kGenuine, Suspicion::kNone},
      {{.stamp = &stamp, .batch = &active, .scans = two},
       Verdict::kScannedBefore,
       Suspicion::kNone},
      {{.stamp = &stamp, .batch = &active, .scans = clone},
       Verdict::kSuspicious,
       Suspicion::kClonePattern},
      {{.stamp = &stamp, .batch = &active, .scans = spread},
       Verdict::kScannedBefore,
       Suspicion::kNone},
      {{.stamp = &stamp, .batch = &active, .scans = unknown_area},
       Verdict::kScannedBefore,
       Suspicion::kNone},
      {{.stamp = &stamp, .batch = &inactive, .scans = one},
       Verdict::kSuspicious,
       Suspicion::kNotActivated},
      {{.claims_stamp = true, .known = true, .scans = one},
       Verdict::kSuspicious,
       Suspicion::kNeverIssued},
      {{.known = false, .scans = one}, Verdict::kSuspicious, Suspicion::kNeverIssued},
      {{.known = true, .scans = one}, Verdict::kNeutral, Suspicion::kNone},
      {{.stamp = &stamp, .batch = &inactive, .recalled = true, .scans = clone},
       Verdict::kRecalled,
       Suspicion::kNone},
      {{.claims_stamp = true, .recalled = true, .scans = one},
       Verdict::kRecalled,
       Suspicion::kNone},
  };
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    Assessment a = Judge(cases[i].input);
    EXPECT_EQ(a.verdict, cases[i].verdict) << "case " << i;
    EXPECT_EQ(a.suspicion, cases[i].suspicion) << "case " << i;
  }
  EXPECT_EQ(Judge({.stamp = &stamp, .batch = &active, .scans = two}).first_province, "A");
}

}  // namespace
}  // namespace vntrace::label
