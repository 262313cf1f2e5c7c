#include "report/dashboard.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "registry/registry.hpp"
#include "report/report_fixture.hpp"

namespace vntrace::report {
namespace {

using core::ErrorCode;
using testing::kCommuneB;
using testing::kProvince;

constexpr char kStampL1[] = "https://id.gs1.org/01/08935049500018/10/L1";
constexpr char kFake[] = "https://truyxuat.example.vn/id/stamp/ZZZZZZZZZZ";

core::Timestamp At(const std::string& local) {
  return core::ParseRfc3339(local + ":00+07:00").value();
}

class DashboardTest : public testing::ReportFixture {
 protected:
  DashboardTest() {
    // Hand-placed scans: the default period is the 12 weeks 2026-03-10 .. 2026-06-01.
    Scan(kStampL1, "2026-01-05T10:00", kProvince);  // before the period
    Scan(kStampL1, "2026-05-20T10:00", kProvince);  // week 11 (index 10)
    Scan(kStampL1, "2026-05-30T09:00", kProvince);  // week 12
    Scan(kStampL1, "2026-05-31T08:00", kProvince);
    Scan(kStampL1, "2026-05-31T10:00", "Hà Nội");
    Scan(kStampL1, "2026-05-31T12:00", "Đà Nẵng");  // three provinces within 24 h
    Scan(kFake, "2026-05-25T15:00", kProvince);     // never issued, scanned in the province
    Scan("https://truyxuat.example.vn/id/stamp/YYYYYYYYYY", "2026-05-26T15:00", "Kon Tum");
    EXPECT_TRUE(registry::CreateCertificate(reg(), Member(b_),
                                            {.org_id = b_.id,
                                             .kind = "VietGAP",
                                             .number = "VG-OLD",
                                             .issuer = "Sở NN",
                                             .issued_on = "2023-05-01",
                                             .valid_until = "2026-05-01"})
                    .ok());
  }

  void Scan(const std::string& code, const std::string& local, const std::string& province) {
    EXPECT_TRUE(
        store_->stamps().RecordScan({.code = code, .at = At(local), .province = province}).ok());
  }

  Dashboard Build(const Area& area, const Period& period = {}) {
    core::Result<Dashboard> d =
        BuildDashboard(ctx(), Officer(kProvince), area, period, clock_.Now());
    EXPECT_TRUE(d.ok()) << d.error().ToString();
    return d.ok() ? *d : Dashboard{};
  }
};

TEST_F(DashboardTest, DefaultPeriodIsTwelveWeeksEndingToday) {
  const Dashboard d = Build({.province = kProvince});
  EXPECT_EQ(d.period.from, "2026-03-10");
  EXPECT_EQ(d.period.to, "2026-06-01");
  ASSERT_EQ(d.weeks.size(), 12u);
  EXPECT_EQ(d.weeks[0].start, "2026-03-10");
  EXPECT_EQ(d.weeks[11].start, "2026-05-26");
  std::vector<std::int64_t> counts;
  for (const WeekCount& w : d.weeks) counts.push_back(w.scans);
  EXPECT_EQ(counts, (std::vector<std::int64_t>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 4}));
  EXPECT_EQ(d.scans_in_period, 5);  // the stamp's scans; codes never issued are not "scans"
  EXPECT_EQ(d.adoption.organisations, 2);
  EXPECT_TRUE(d.problem_reports_tracked);
  EXPECT_EQ(d.problem_reports, 0);  // problem_reports_test.cpp counts reports on this fixture
}

TEST_F(DashboardTest, AlertsOnSuspiciousStampsAndExpiredCertificates) {
  const Dashboard d = Build({.province = kProvince});
  ASSERT_EQ(d.scan_alerts.size(), 2u);
  EXPECT_EQ(d.scan_alerts[0].code, kStampL1);
  EXPECT_EQ(d.scan_alerts[0].reason, "clone_pattern");
  EXPECT_EQ(d.scan_alerts[0].scans, 5);
  EXPECT_EQ(d.scan_alerts[0].org_name, a_.name);
  EXPECT_EQ(d.scan_alerts[0].provinces.size(), 3u);
  EXPECT_EQ(d.scan_alerts[1].code, kFake);
  EXPECT_EQ(d.scan_alerts[1].reason, "never_issued");
  EXPECT_TRUE(d.scan_alerts[1].org_id.empty());
  ASSERT_EQ(d.expired_certificates.size(), 1u);
  EXPECT_EQ(d.expired_certificates[0].number, "VG-OLD");
  EXPECT_EQ(d.expired_certificates[0].org_name, b_.name);
}

TEST_F(DashboardTest, RecalledLotsAlertToo) {
  ASSERT_TRUE(store_->stamps()
                  .RecallLot({.lot_id = a_lot_id_, .reason = "x", .recalled_at = clock_.Now()},
                             {.at = clock_.Now(), .actor = "cli", .action = "recall"})
                  .ok());
  const Dashboard d = Build({.province = kProvince});
  ASSERT_FALSE(d.scan_alerts.empty());
  EXPECT_EQ(d.scan_alerts[0].reason, "recalled");
}

TEST_F(DashboardTest, ACommuneSeesItsOwn) {
  const Dashboard d = Build({.province = kProvince, .commune = kCommuneB});
  EXPECT_EQ(d.scans_in_period, 0);
  EXPECT_TRUE(d.scan_alerts.empty());  // a_'s stamp is in Nghĩa Hành; FAKE has no commune
  ASSERT_EQ(d.expired_certificates.size(), 1u);
}

TEST_F(DashboardTest, ThePeriodFilters) {
  const Dashboard d = Build({.province = kProvince}, {.from = "2026-05-31", .to = "2026-05-31"});
  ASSERT_EQ(d.weeks.size(), 1u);
  EXPECT_EQ(d.weeks[0].scans, 3);
  EXPECT_EQ(d.scans_in_period, 3);
  ASSERT_EQ(d.scan_alerts.size(), 1u);
  EXPECT_EQ(d.scan_alerts[0].reason, "clone_pattern");
  const Dashboard jan = Build({.province = kProvince}, {.from = "2026-01-01", .to = "2026-01-31"});
  EXPECT_EQ(jan.scans_in_period, 1);
  EXPECT_TRUE(jan.scan_alerts.empty());  // its first scan was genuine
  EXPECT_EQ(jan.weeks.size(), 5u);
}

TEST_F(DashboardTest, RefusesBadPeriodsAndOtherAreas) {
  auto code = [&](const Period& p) {
    core::Result<Dashboard> d =
        BuildDashboard(ctx(), Officer(kProvince), {.province = kProvince}, p, clock_.Now());
    return d.ok() ? std::string("ok") : d.error().details;
  };
  EXPECT_EQ(code({.from = "2026-02-30"}), "from.format");
  EXPECT_EQ(code({.to = "01/06/2026"}), "to.format");
  EXPECT_EQ(code({.from = "2026-05-02", .to = "2026-05-01"}), "period.order");
  EXPECT_EQ(code({.from = "2020-01-01", .to = "2026-05-01"}), "period.too_long");
  EXPECT_EQ(BuildDashboard(ctx(), Officer("Kon Tum"), {.province = kProvince}, {}, clock_.Now())
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      BuildDashboard(ctx(), Member(a_), {.province = kProvince}, {}, clock_.Now()).error().code,
      ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace vntrace::report
