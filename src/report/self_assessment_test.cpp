#include "report/self_assessment.hpp"

#include <map>
#include <string>

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "report/report_fixture.hpp"

namespace vntrace::report {
namespace {

using core::ErrorCode;

class SelfAssessmentTest : public testing::ReportFixture {
 protected:
  SelfAssessmentResult Assess(const store::Organisation& org) {
    core::Result<SelfAssessmentResult> r =
        SelfAssessment(ctx(), registry::Actor::CommandLine(), org.id, clock_.Now());
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : SelfAssessmentResult{};
  }
  static std::map<std::string, bool> Passed(const SelfAssessmentResult& r) {
    std::map<std::string, bool> passed;
    for (const Criterion& c : r.criteria) {
      passed[c.id] = c.passed;
    }
    return passed;
  }
  static const Criterion& Find(const SelfAssessmentResult& r, const std::string& id) {
    for (const Criterion& c : r.criteria) {
      if (c.id == id) return c;
    }
    static const Criterion kNone;
    ADD_FAILURE() << "no criterion " << id;
    return kNone;
  }
  static std::int64_t Evidence(const Criterion& c, const std::string& name) {
    for (const auto& [key, count] : c.evidence) {
      if (key == name) return count;
    }
    ADD_FAILURE() << "no evidence " << name << " in " << c.id;
    return -2;
  }
};

TEST_F(SelfAssessmentTest, CompleteOrganisationPassesEveryCriterion) {
  SelfAssessmentResult r = Assess(a_);
  EXPECT_EQ(r.org_id, a_.id);
  EXPECT_EQ(r.score, 100);
  EXPECT_TRUE(r.passed);
  const std::map<std::string, bool> expected{{"identification", true}, {"cte_recorded", true},
                                             {"one_step_back", true},  {"one_step_forward", true},
                                             {"data_types", true},     {"retention", true},
                                             {"minimum_data", true}};
  EXPECT_EQ(Passed(r), expected);
  ASSERT_EQ(r.criteria.size(), 7u);
  EXPECT_EQ(r.criteria.front().id, "identification");
  for (const Criterion& c : r.criteria) {
    EXPECT_FALSE(c.title_vi.empty()) << c.id;
    EXPECT_TRUE(c.gap_en.empty()) << c.id;
    EXPECT_TRUE(c.fix_path.empty()) << c.id;
  }
  const Criterion& id = Find(r, "identification");
  EXPECT_EQ(Evidence(id, "products"), 1);
  EXPECT_EQ(Evidence(id, "productsWithGtin"), 1);
  EXPECT_EQ(Evidence(id, "lots"), 1);
  const Criterion& cte = Find(r, "cte_recorded");
  EXPECT_EQ(Evidence(cte, "events"), 3);  // receive, harvest, ship
  EXPECT_EQ(Evidence(cte, "completeEvents"), 3);
  const Criterion& back = Find(r, "one_step_back");
  EXPECT_EQ(Evidence(back, "receivingEvents"), 1);
  EXPECT_EQ(Evidence(back, "receivingWithSource"), 1);
  EXPECT_EQ(Evidence(back, "productionEvents"), 1);
  const Criterion& forward = Find(r, "one_step_forward");
  EXPECT_EQ(Evidence(forward, "shippingEvents"), 1);
  EXPECT_EQ(Evidence(forward, "shippingWithDestination"), 1);
  const Criterion& types = Find(r, "data_types");
  EXPECT_EQ(Evidence(types, "facilities"), 2);
  EXPECT_EQ(Evidence(types, "transactions"), 2);  // the receipt and the shipment
  // The oldest record is the receipt of 2026-05-10 (a date: noon, Vietnam time); now is
  // 2026-06-01 09:00 (+07:00): 21 whole days.
  EXPECT_EQ(r.oldest_record_days, 21);
  EXPECT_EQ(Evidence(Find(r, "retention"), "diaryEntries"), 3);
  EXPECT_EQ(Evidence(Find(r, "minimum_data"), "completeProducts"), 1);
}

TEST_F(SelfAssessmentTest, OrganisationWithGapsGetsThemWithLinks) {
  SelfAssessmentResult r = Assess(b_);
  // 4 of 7 criteria: round(400 / 7) = 57, below the pass score.
  EXPECT_EQ(r.score, 57);
  EXPECT_FALSE(r.passed);
  const std::map<std::string, bool> expected{{"identification", true}, {"cte_recorded", true},
                                             {"one_step_back", true},  {"one_step_forward", false},
                                             {"data_types", false},    {"retention", true},
                                             {"minimum_data", false}};
  EXPECT_EQ(Passed(r), expected);
  const Criterion& forward = Find(r, "one_step_forward");
  EXPECT_EQ(forward.gap_en, "No shipment is recorded.");
  EXPECT_EQ(forward.fix_path, "/app/diary/new/ship");
  const Criterion& types = Find(r, "data_types");
  EXPECT_EQ(Evidence(types, "transactions"), 0);
  EXPECT_EQ(types.gap_en, "No transaction data (shipments or receipts between parties).");
  const Criterion& minimum = Find(r, "minimum_data");
  EXPECT_EQ(minimum.gap_en,
            "1 products lack minimum data (name, producer, origin, lot, dates): Ớt rừng tươi "
            "(origin).");
  EXPECT_EQ(minimum.fix_path, "/app/products");
  EXPECT_FALSE(minimum.gap_vi.empty());
  EXPECT_EQ(Evidence(Find(r, "cte_recorded"), "events"), 1);
  EXPECT_EQ(r.oldest_record_days, 136);  // 2026-01-15 noon

  boost::json::object json = SelfAssessmentToJson(r);
  EXPECT_EQ(boost::json::serialize(json.at("gaps")),
            R"(["one_step_forward","data_types","minimum_data"])");
  EXPECT_EQ(json.at("score").as_int64(), 57);
  EXPECT_EQ(json.at("passScore").as_int64(), kSelfAssessmentPassScore);
}

TEST_F(SelfAssessmentTest, OrganisationWithoutDataFailsWithGuidance) {
  SelfAssessmentResult r = Assess(c_);  // one product, no facility, lot or event
  EXPECT_EQ(r.score, 0);
  EXPECT_EQ(Find(r, "identification").fix_path, "/app/lots");
  EXPECT_EQ(Find(r, "data_types").fix_path, "/app/facilities");
  EXPECT_EQ(Find(r, "cte_recorded").gap_en, "No event is recorded: keep the production diary.");
}

TEST_F(SelfAssessmentTest, ReadableByOwnUsersAuthoritiesOfTheAreaAndAdmins) {
  const core::Timestamp now = clock_.Now();
  EXPECT_TRUE(SelfAssessment(ctx(), Member(a_), a_.id, now).ok());
  EXPECT_TRUE(SelfAssessment(ctx(), Officer(testing::kProvince), b_.id, now).ok());
  EXPECT_TRUE(
      SelfAssessment(ctx(), Officer(testing::kProvince, "", store::Role::kInspector), a_.id, now)
          .ok());
  EXPECT_TRUE(SelfAssessment(ctx(), registry::Actor::ForApiKey("k0", ""), a_.id, now).ok());
  EXPECT_TRUE(SelfAssessment(ctx(), registry::Actor::ForApiKey("k1", a_.id), a_.id, now).ok());

  EXPECT_EQ(SelfAssessment(ctx(), Member(a_), b_.id, now).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(SelfAssessment(ctx(), Officer("Kon Tum"), a_.id, now).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(SelfAssessment(ctx(), Officer(testing::kProvince, testing::kCommuneB), a_.id, now)
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(SelfAssessment(ctx(), registry::Actor::Anonymous(), a_.id, now).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(SelfAssessment(ctx(), registry::Actor::CommandLine(), "https://x/id/org/none", now)
                .error()
                .code,
            ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vntrace::report
