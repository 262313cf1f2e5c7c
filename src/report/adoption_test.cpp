#include "report/adoption.hpp"

#include <map>
#include <string>

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "report/report_fixture.hpp"

namespace vntrace::report {
namespace {

using core::ErrorCode;
using testing::kCommuneA;
using testing::kCommuneB;
using testing::kProvince;

class AdoptionTest : public testing::ReportFixture {
 protected:
  AdoptionReport Stats(const Area& area) {
    core::Result<AdoptionReport> r = AdoptionStats(ctx(), Officer(kProvince), area, clock_.Now());
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : AdoptionReport{};
  }
};

TEST_F(AdoptionTest, CountsOrganisationsConnectedThroughTheNationalPortalSync) {
  store::SyncStore& sync = store_->sync();
  const store::AuditEntry audit{
      .at = clock_.Now(), .actor = "cli", .action = "create", .entity = "sync_destination"};
  // A buyer's repository is not the portal.
  ASSERT_TRUE(
      sync.CreateSyncDestination(
              {.id = "buyer", .url = "https://buyer.example/epcis", .created_at = clock_.Now()},
              audit)
          .ok());
  ASSERT_TRUE(sync.RecordSyncSuccess("buyer", 1, 1, clock_.Now()).ok());
  EXPECT_EQ(Stats({.province = kProvince}).levels.national_portal_status, "not_connected");

  ASSERT_TRUE(sync.CreateSyncDestination({.id = "portal",
                                          .url = "https://portal.example/epcis",
                                          .national_portal = true,
                                          .created_at = clock_.Now()},
                                         audit)
                  .ok());
  AdoptionReport never = Stats({.province = kProvince});  // added, nothing delivered yet
  EXPECT_EQ(never.levels.national_portal_status, "failing");
  EXPECT_EQ(never.levels.national_portal, 0);

  ASSERT_TRUE(
      sync.RecordSyncSuccess("portal", 10, 10, clock_.Now().Plus(-std::chrono::hours(2))).ok());
  AdoptionReport connected = Stats({.province = kProvince});
  EXPECT_EQ(connected.levels.national_portal_status, "connected");
  EXPECT_EQ(connected.levels.national_portal, 2);  // both organisations have recorded events
  EXPECT_EQ(Stats({.province = kProvince, .commune = kCommuneB}).levels.national_portal, 1);

  ASSERT_TRUE(sync.RecordSyncFailure("portal", "HTTP 503", clock_.Now()).ok());
  AdoptionReport failing = Stats({.province = kProvince});
  EXPECT_EQ(failing.levels.national_portal_status, "failing");
  EXPECT_EQ(failing.levels.national_portal, 0);
}

TEST_F(AdoptionTest, CountsTheProvince) {
  AdoptionReport r = Stats({.province = kProvince});
  EXPECT_EQ(r.organisations, 2);
  EXPECT_EQ(r.by_kind,
            (std::map<std::string, std::int64_t>{{"cooperative", 1}, {"household_business", 1}}));
  EXPECT_EQ(r.by_commune, (std::map<std::string, std::int64_t>{{kCommuneA, 1}, {kCommuneB, 1}}));
  EXPECT_EQ(r.levels.gs1_prefix, 1);
  EXPECT_EQ(r.levels.qr_stamps, 1);
  EXPECT_EQ(r.levels.diary_kept, 1);  // b_'s only step is of 2026-01-15
  EXPECT_EQ(r.levels.self_assessment_passed, 1);
  EXPECT_EQ(r.levels.national_portal, 0);
  EXPECT_EQ(r.levels.national_portal_status, "not_connected");

  EXPECT_EQ(r.ocop_by_stars, (std::map<int, std::int64_t>{{3, 1}, {4, 1}}));  // not Kon Tum's 5★
  EXPECT_EQ(r.ocop_meeting_traceability, 1);
  ASSERT_EQ(r.ocop_products.size(), 2u);
  const OcopProduct& a = r.ocop_products[0];
  EXPECT_EQ(a.product_id, a_product_.id);
  EXPECT_EQ(a.stars, 4);
  EXPECT_TRUE(a.identified);
  EXPECT_EQ(a.lots, 1);
  EXPECT_EQ(a.lots_with_events, 1);
  EXPECT_TRUE(a.events_at_each_stage);
  EXPECT_TRUE(a.valid_certificate);
  EXPECT_TRUE(a.meets_traceability);
  const OcopProduct& b = r.ocop_products[1];
  EXPECT_EQ(b.product_id, b_product_.id);
  EXPECT_EQ(b.org_name, b_.name);
  EXPECT_TRUE(b.events_at_each_stage);
  EXPECT_FALSE(b.valid_certificate);
  EXPECT_FALSE(b.meets_traceability);
}

TEST_F(AdoptionTest, CountsOneCommune) {
  AdoptionReport r = Stats({.province = kProvince, .commune = kCommuneB});
  EXPECT_EQ(r.organisations, 1);
  EXPECT_EQ(r.by_kind, (std::map<std::string, std::int64_t>{{"household_business", 1}}));
  EXPECT_EQ(r.levels.gs1_prefix, 0);
  EXPECT_EQ(r.levels.qr_stamps, 0);
  EXPECT_EQ(r.levels.diary_kept, 0);
  EXPECT_EQ(r.levels.self_assessment_passed, 0);
  EXPECT_EQ(r.ocop_by_stars, (std::map<int, std::int64_t>{{3, 1}}));
  EXPECT_EQ(r.ocop_meeting_traceability, 0);
}

TEST_F(AdoptionTest, DiaryKeptFollowsTheNinetyDayWindow) {
  clock_.Set(core::ParseRfc3339("2026-08-24T09:00:00+07:00").value());  // 91 days after 05-25
  EXPECT_EQ(Stats({.province = kProvince}).levels.diary_kept, 0);
  clock_.Set(core::ParseRfc3339("2026-08-22T09:00:00+07:00").value());
  EXPECT_EQ(Stats({.province = kProvince}).levels.diary_kept, 1);
}

TEST_F(AdoptionTest, OnlyAuthoritiesOfTheAreaAndAdminsMayRead) {
  const core::Timestamp now = clock_.Now();
  const Area province{.province = kProvince};
  const Area commune{.province = kProvince, .commune = kCommuneB};
  EXPECT_TRUE(AdoptionStats(ctx(), registry::Actor::CommandLine(), province, now).ok());
  EXPECT_TRUE(AdoptionStats(ctx(), registry::Actor::ForApiKey("k0", ""), province, now).ok());
  EXPECT_TRUE(
      AdoptionStats(ctx(), Officer(kProvince, "", store::Role::kInspector), province, now).ok());
  EXPECT_TRUE(AdoptionStats(ctx(), Officer(kProvince), commune, now).ok());
  EXPECT_TRUE(AdoptionStats(ctx(), Officer(kProvince, kCommuneB), commune, now).ok());

  auto denied = [&](const registry::Actor& actor, const Area& area) {
    core::Result<AdoptionReport> r = AdoptionStats(ctx(), actor, area, now);
    return !r.ok() && r.error().code == ErrorCode::kPermissionDenied;
  };
  EXPECT_TRUE(denied(Officer("Kon Tum"), province));
  EXPECT_TRUE(denied(Officer(kProvince, kCommuneB), province));
  EXPECT_TRUE(denied(Officer(kProvince, kCommuneA), commune));
  EXPECT_TRUE(denied(Member(a_), province));
  EXPECT_TRUE(denied(registry::Actor::ForApiKey("k1", a_.id), province));
  EXPECT_TRUE(denied(registry::Actor::Anonymous(), province));
  EXPECT_EQ(AdoptionStats(ctx(), registry::Actor::CommandLine(), {}, now).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(AdoptionTest, Json) {
  boost::json::object json = AdoptionToJson(Stats({.province = kProvince}));
  EXPECT_EQ(boost::json::serialize(json.at("adoption")),
            R"({"gs1Prefix":1,"qrStamps":1,"diaryKept":1,"selfAssessmentPassed":1,)"
            R"("nationalPortal":0,"nationalPortalStatus":"not_connected"})");
  EXPECT_EQ(boost::json::serialize(json.at("ocop").at("byStars")),
            R"({"1":0,"2":0,"3":1,"4":1,"5":0})");
  EXPECT_TRUE(json.at("area").at("commune").is_null());
  EXPECT_EQ(json.at("organisations").as_int64(), 2);
}

}  // namespace
}  // namespace vntrace::report
