#include "report/outreach.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "report/report_fixture.hpp"

namespace vntrace::report {
namespace {

using core::ErrorCode;
using testing::kCommuneA;
using testing::kCommuneB;
using testing::kProvince;

class OutreachTest : public testing::ReportFixture {
 protected:
  OutreachContext octx() { return OutreachContext{*store_, clock_, random_}; }

  static OutreachInput Valid() {
    return OutreachInput{.kind = "training",
                         .held_on = "2026-05-12",
                         .topic = "Tập huấn ghi nhật ký sản xuất điện tử",
                         .attendees = "45",
                         .organisations = "12",
                         .notes = "Phát 50 bộ tài liệu"};
  }

  std::string Refusal(const registry::Actor& actor, const OutreachInput& input) {
    core::Result<store::OutreachSession> r = RecordOutreach(octx(), actor, input);
    return r.ok() ? std::string("ok") : r.error().details;
  }
};

TEST_F(OutreachTest, RecordsInTheOfficersAreaWithAudit) {
  core::Result<store::OutreachSession> s = RecordOutreach(octx(), Officer(kProvince), Valid());
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->province, kProvince);
  EXPECT_EQ(s->commune, "");
  EXPECT_EQ(s->attendees, 45);
  EXPECT_EQ(s->organisations, 12);
  EXPECT_EQ(s->created_by, "user:officer");
  EXPECT_EQ(*store_->reports().GetOutreach(s->id), *s);
  const std::vector<store::AuditEntry> audit = *store_->registry().ListAudit("", 5);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit[0].entity, "outreach");
  EXPECT_EQ(audit[0].entity_id, s->id);
  EXPECT_NE(audit[0].changes_json.find("\"attendees\":45"), std::string::npos);

  OutreachInput commune = Valid();
  commune.kind = "information";
  commune.commune = kCommuneB;
  commune.organisations = "";
  core::Result<store::OutreachSession> c = RecordOutreach(octx(), Officer(kProvince), commune);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->kind, store::OutreachKind::kInformation);
  EXPECT_EQ(c->organisations, 0);
  // A commune officer's session defaults to their commune.
  core::Result<store::OutreachSession> own =
      RecordOutreach(octx(), Officer(kProvince, kCommuneA), Valid());
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->commune, kCommuneA);
}

TEST_F(OutreachTest, ValidatesEachField) {
  const registry::Actor officer = Officer(kProvince);
  auto with = [](auto change) {
    OutreachInput in = Valid();
    change(in);
    return in;
  };
  EXPECT_EQ(Refusal(officer, with([](OutreachInput& i) { i.kind = "party"; })), "kind.invalid");
  EXPECT_EQ(Refusal(officer, with([](OutreachInput& i) { i.held_on = ""; })), "held_on.required");
  EXPECT_EQ(Refusal(officer, with([](OutreachInput& i) { i.held_on = "2026-02-30"; })),
            "held_on.format");
  EXPECT_EQ(Refusal(officer, with([](OutreachInput& i) { i.held_on = "2026-06-02"; })),
            "held_on.future");
  EXPECT_EQ(Refusal(officer, with([](OutreachInput& i) { i.topic = "  "; })), "topic.required");
  EXPECT_EQ(Refusal(officer, with([](OutreachInput& i) { i.topic = std::string(301, 'a'); })),
            "topic.too_long");
  EXPECT_EQ(Refusal(officer, with([](OutreachInput& i) { i.attendees = ""; })),
            "attendees.required");
  EXPECT_EQ(Refusal(officer, with([](OutreachInput& i) { i.attendees = "4,5"; })),
            "attendees.format");
  EXPECT_EQ(Refusal(officer, with([](OutreachInput& i) { i.attendees = "-1"; })),
            "attendees.range");
  EXPECT_EQ(Refusal(officer, with([](OutreachInput& i) { i.attendees = "100001"; })),
            "attendees.range");
  EXPECT_EQ(Refusal(officer, with([](OutreachInput& i) { i.organisations = "46"; })),
            "organisations.attendees");
  EXPECT_EQ(Refusal(officer, with([](OutreachInput& i) { i.notes = "\xC3"; })), "notes.encoding");
  EXPECT_EQ(Refusal(officer, Valid()), "ok");
  EXPECT_EQ(Refusal(officer, with([](OutreachInput& i) { i.held_on = "2026-06-01"; })), "ok");
}

TEST_F(OutreachTest, OnlyOfficersOfTheAreaRecord) {
  EXPECT_EQ(
      RecordOutreach(octx(), Officer(kProvince, "", store::Role::kInspector), Valid()).error().code,
      ErrorCode::kPermissionDenied);
  EXPECT_EQ(RecordOutreach(octx(), Member(a_), Valid()).error().code, ErrorCode::kPermissionDenied);
  OutreachInput elsewhere = Valid();
  elsewhere.province = kProvince;
  EXPECT_EQ(Refusal(Officer("Kon Tum"), elsewhere), "area.outside");
  elsewhere.commune = kCommuneB;
  EXPECT_EQ(Refusal(Officer(kProvince, kCommuneA), elsewhere), "area.outside");
  EXPECT_EQ(Refusal(registry::Actor::CommandLine(), elsewhere), "ok");
  // Without a place and without an area of its own, the command line must say where.
  EXPECT_EQ(Refusal(registry::Actor::CommandLine(), Valid()), "province.required");
}

TEST_F(OutreachTest, ListsOnlyWhatTheAreaMayRead) {
  OutreachInput b = Valid();
  b.commune = kCommuneB;
  b.attendees = "20";
  b.organisations = "5";
  ASSERT_TRUE(RecordOutreach(octx(), Officer(kProvince), Valid()).ok());
  ASSERT_TRUE(RecordOutreach(octx(), Officer(kProvince), b).ok());
  OutreachInput kontum = Valid();
  kontum.province = "Kon Tum";
  ASSERT_TRUE(RecordOutreach(octx(), registry::Actor::CommandLine(), kontum).ok());

  core::Result<std::vector<store::OutreachSession>> all =
      ListOutreach(ctx(), Officer(kProvince), {.province = kProvince});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  const OutreachSummary sum = Summarise(*all);
  EXPECT_EQ(sum.trainings, 2);
  EXPECT_EQ(sum.attendees, 65);
  EXPECT_EQ(sum.organisations, 17);
  EXPECT_EQ(ListOutreach(ctx(), Officer(kProvince, kCommuneB),
                         {.province = kProvince, .commune = kCommuneB})
                ->size(),
            1u);
  EXPECT_EQ(
      ListOutreach(ctx(), Officer(kProvince, kCommuneB), {.province = kProvince}).error().code,
      ErrorCode::kPermissionDenied);
  EXPECT_EQ(ListOutreach(ctx(), Officer("Kon Tum"), {.province = kProvince}).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(ListOutreach(ctx(), Member(a_), {.province = kProvince}).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      ListOutreach(ctx(), Officer(kProvince), {.province = kProvince}, "2026-05-13", "")->size(),
      0u);
}

}  // namespace
}  // namespace vntrace::report
