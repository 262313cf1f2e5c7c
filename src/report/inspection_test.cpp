#include "report/inspection.hpp"

#include <algorithm>
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

const std::string kJpeg = std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10) + std::string(64, 'x');

// The report fixture (a_ in Quảng Ngãi receives b_'s lot LB1 and ships its own L1 to c_ in Kon
// Tum) plus: a_ dries LB1 into its lot L2 and ships L2 to c_.
class InspectionTest : public testing::ReportFixture {
 protected:
  InspectionTest() {
    const store::Facility workshop = registry::ListFacilities(reg(), Member(a_), a_.id)->back();
    registry::DiaryStepResult dried =
        registry::RecordStep(reg(), Member(a_),
                             {.org_id = a_.id,
                              .template_id = "process",
                              .fields = {{"facility", workshop.id},
                                         {"occurred_at", "2026-05-12"},
                                         {"input_lot", LotOf(b_product_, "LB1").id},
                                         {"input_quantity", "50"},
                                         {"input_unit", "kg"},
                                         {"product", a_product_.id},
                                         {"quantity", "8"},
                                         {"unit", "kg"},
                                         {"lot_code", "L2"}}})
            .value();
    l2_ = dried.entry.lot_id;
    EXPECT_TRUE(registry::RecordStep(reg(), Member(a_),
                                     {.org_id = a_.id,
                                      .template_id = "ship",
                                      .fields = {{"facility", workshop.id},
                                                 {"occurred_at", "2026-05-14"},
                                                 {"lot", "L2"},
                                                 {"quantity", "8"},
                                                 {"unit", "kg"},
                                                 {"receiver", c_.id}}})
                    .ok());
  }

  InspectContext ictx() {
    return InspectContext{*store_, clock_, random_, "https://truyxuat.example.vn"};
  }
  static registry::Actor Inspector(std::string province) {
    return Officer(std::move(province), "", store::Role::kInspector);
  }
  store::Lot LotOf(const store::Product& product, const std::string& code) {
    core::Result<std::vector<store::Lot>> lots = store_->registry().ListLots(product.id);
    EXPECT_TRUE(lots.ok());
    for (const store::Lot& lot : *lots) {
      if (lot.code == code) return lot;
    }
    ADD_FAILURE() << "no lot " << code;
    return {};
  }
  InspectionInput Valid() {
    return InspectionInput{.org_id = a_.id,
                           .place = "Chợ Nghĩa Hành, quầy 4",
                           .latitude = "15,05",
                           .longitude = "108.71",
                           .inspected_on = "2026-05-30",
                           .result = "failed",
                           .notes = "Tem bị in lại",
                           .code = "https://id.gs1.org/01/08935049500018/10/L1",
                           .violations = {{"cloned_stamp", "Tem sao chép"}},
                           .photos = {{.filename = "tem.jpg", .data = kJpeg}},
                           .inspector_name = "Thanh tra QN"};
  }

  std::string l2_;
};

std::vector<std::string> Labels(const std::vector<TraceStep>& steps) {
  std::vector<std::string> out;
  for (const TraceStep& s : steps) out.push_back(s.label);
  return out;
}

bool Has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

TEST_F(InspectionTest, CheckCodeShowsThePrivatePartOnlyInsideTheArea) {
  CodeCheck mine =
      CheckCode(ictx(), Inspector(kProvince), " https://id.gs1.org/01/08935049500018/10/L1 ")
          .value();
  EXPECT_EQ(mine.code, "https://id.gs1.org/01/08935049500018/10/L1");
  EXPECT_EQ(mine.status, CodeStatus::kGenuine);
  ASSERT_TRUE(mine.product && mine.lot && mine.org && mine.stamp);
  EXPECT_EQ(mine.product->id, a_product_.id);
  EXPECT_EQ(mine.lot->id, a_lot_id_);
  EXPECT_TRUE(mine.in_area);
  EXPECT_EQ(mine.org->tax_code, "0300588569");
  ASSERT_EQ(mine.certificates.size(), 1u);
  EXPECT_EQ(mine.certificates[0].certificate.number, "VG-2026-01");
  EXPECT_FALSE(mine.certificates[0].expired);
  EXPECT_FALSE(mine.trace_root.empty());
  EXPECT_TRUE(Has(Labels(mine.one_down), c_.name))
      << ::testing::PrintToString(Labels(mine.one_down));
  CodeCheck dried = CheckCode(ictx(), Inspector(kProvince), "(01)08935049500018(10)L2").value();
  EXPECT_EQ(dried.status, CodeStatus::kRegistered);  // a lot code without a stamp
  EXPECT_TRUE(Has(Labels(dried.one_up), b_product_.name + " · LB1"))
      << ::testing::PrintToString(Labels(dried.one_up));

  // Kon Tum's inspector sees what the consumer page shows, nothing private.
  CodeCheck other =
      CheckCode(ictx(), Inspector("Kon Tum"), "https://example.com/01/08935049500018/10/L1")
          .value();
  EXPECT_EQ(other.status, CodeStatus::kGenuine);
  EXPECT_FALSE(other.in_area);
  EXPECT_TRUE(other.org->tax_code.empty());
  EXPECT_TRUE(other.certificates.empty());
  EXPECT_TRUE(other.one_up.empty() && other.one_down.empty());

  // Other forms, unknown codes, malformed input, and who may check.
  EXPECT_EQ(CheckCode(ictx(), Inspector(kProvince), "08935049500018")->product->id, a_product_.id);
  EXPECT_EQ(CheckCode(ictx(), Inspector(kProvince), "ABCDEFGHJK")->status, CodeStatus::kUnknown);
  EXPECT_EQ(CheckCode(ictx(), Inspector(kProvince), "https://id.gs1.org/01/08935049500018/21/NOPE")
                ->status,
            CodeStatus::kSuspicious);
  EXPECT_EQ(CheckCode(ictx(), Inspector(kProvince), "xin chào").error().details, "code.format");
  EXPECT_EQ(CheckCode(ictx(), Inspector(kProvince), "  ").error().details, "code.required");
  EXPECT_EQ(CheckCode(ictx(), Member(a_), "08935049500018").error().code,
            ErrorCode::kPermissionDenied);
}

TEST_F(InspectionTest, InspectionsAreRecordedAndReadOnlyInsideTheArea) {
  store::Inspection recorded = RecordInspection(ictx(), Inspector(kProvince), Valid()).value();
  EXPECT_EQ(recorded.province, kProvince);
  EXPECT_EQ(recorded.commune, kCommuneA);
  EXPECT_EQ(recorded.result, store::InspectionResult::kFailed);
  ASSERT_EQ(recorded.photos.size(), 1u);
  EXPECT_EQ(recorded.photos[0].content_type, "image/jpeg");
  ASSERT_TRUE(recorded.latitude.has_value());
  EXPECT_DOUBLE_EQ(*recorded.latitude, 15.05);
  EXPECT_EQ(store_->registry().ListAudit(a_.id, 1)->front().entity, "inspection");

  // Kon Tum's inspector can neither record for a_ nor see a_'s inspections.
  const registry::Actor kon_tum = Inspector("Kon Tum");
  EXPECT_EQ(RecordInspection(ictx(), kon_tum, Valid()).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(GetInspection(ictx(), kon_tum, recorded.id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(GetInspectionPhoto(ictx(), kon_tum, recorded.photos[0].id).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(ListInspections(ictx(), kon_tum, {})->empty());
  EXPECT_EQ(AddInspectionPhoto(ictx(), kon_tum, recorded.id, {.data = kJpeg}).error().code,
            ErrorCode::kPermissionDenied);
  InspectionInput outside = Valid();
  outside.org_id = c_.id;
  EXPECT_EQ(RecordInspection(ictx(), Inspector(kProvince), outside).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(RecordInspection(ictx(), Member(a_), Valid()).error().code,
            ErrorCode::kPermissionDenied);
  // An inspector of the other commune of the province does not see it either.
  EXPECT_TRUE(
      ListInspections(ictx(), Officer(kProvince, kCommuneB, store::Role::kInspector), {})->empty());

  std::vector<store::Inspection> listed =
      ListInspections(ictx(), Inspector(kProvince), {.with_violations_only = true}).value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].violations,
            (std::vector<store::Violation>{
                {.kind = store::ViolationKind::kClonedStamp, .description = "Tem sao chép"}}));
  EXPECT_TRUE(ListInspections(ictx(), Inspector(kProvince), {.result = "passed"})->empty());
  EXPECT_EQ(GetInspectionPhoto(ictx(), Inspector(kProvince), recorded.photos[0].id)->data, kJpeg);
  ASSERT_TRUE(AddInspectionPhoto(ictx(), Inspector(kProvince), recorded.id,
                                 {.data = std::string("\x89PNG\r\n\x1A\n", 8) + "IHDR"})
                  .ok());
  EXPECT_EQ(GetInspection(ictx(), Inspector(kProvince), recorded.id)->photos.size(), 2u);

  // The figures of the periodic report.
  store::InspectionTally tally =
      InspectionCounts(ctx(), Officer(kProvince), {.province = kProvince}, "2026-05-01",
                       "2026-05-31")
          .value();
  EXPECT_EQ(tally.inspections, 1);
  EXPECT_EQ(tally.failed, 1);
  EXPECT_EQ(tally.violations, 1);
  EXPECT_EQ(tally.by_kind.at(store::ViolationKind::kClonedStamp), 1);
  EXPECT_EQ(InspectionCounts(ctx(), Officer(kProvince), {.province = kProvince}, "2026-06-01", "")
                ->inspections,
            0);
  EXPECT_EQ(InspectionCounts(ctx(), Officer(kProvince),
                             {.province = kProvince, .commune = kCommuneB}, "", "")
                ->inspections,
            0);
  EXPECT_EQ(
      InspectionCounts(ctx(), Officer("Kon Tum"), {.province = kProvince}, "", "").error().code,
      ErrorCode::kPermissionDenied);
  EXPECT_EQ(InspectionCounts(ctx(), Officer(kProvince), {.province = kProvince}, "2026-13-01", "")
                .error()
                .details,
            "from.format");
}

TEST_F(InspectionTest, InspectionFieldsAreValidated) {
  struct Case {
    const char* name;
    void (*change)(InspectionInput&);
    const char* code;
  };
  const Case cases[] = {
      {"no org", [](InspectionInput& i) { i.org_id.clear(); }, "org_id.required"},
      {"unknown org", [](InspectionInput& i) { i.org_id = "x"; }, "org_id.not_found"},
      {"no place", [](InspectionInput& i) { i.place = "  "; }, "place.required"},
      {"bad date", [](InspectionInput& i) { i.inspected_on = "30/05/2026"; },
       "inspected_on.format"},
      {"future", [](InspectionInput& i) { i.inspected_on = "2026-06-02"; }, "inspected_on.future"},
      {"result", [](InspectionInput& i) { i.result = "ok"; }, "result.invalid"},
      {"latitude", [](InspectionInput& i) { i.latitude = "95"; }, "latitude.range"},
      {"half a point", [](InspectionInput& i) { i.longitude.clear(); }, "latitude.pair"},
      {"kind",
       [](InspectionInput& i) {
         i.violations = {{"fraud", "x"}};
       },
       "violation.kind.invalid"},
      {"other without text",
       [](InspectionInput& i) {
         i.violations = {{"other", " "}};
       },
       "violation.description.required"},
      {"gif", [](InspectionInput& i) { i.photos = {{.filename = "a.gif", .data = "GIF89a..."}}; },
       "photo.type"},
      {"too large",
       [](InspectionInput& i) {
         i.photos = {{.filename = "big.jpg", .data = kJpeg + std::string(kMaxPhotoBytes, 'x')}};
       },
       "photo.too_large"},
      {"lot of another org", [](InspectionInput& i) { i.lot_id = "https://x/none"; },
       "lot_id.not_found"},
  };
  for (const Case& c : cases) {
    InspectionInput input = Valid();
    c.change(input);
    core::Result<store::Inspection> r = RecordInspection(ictx(), Inspector(kProvince), input);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.name;
    EXPECT_EQ(r.error().details, c.code) << c.name;
  }
  EXPECT_TRUE(ListInspections(ictx(), Inspector(kProvince), {})->empty());
}

TEST_F(InspectionTest, RecallReachesDownstreamLotsAndEveryParty) {
  const store::Lot lb1 = LotOf(b_product_, "LB1");
  EXPECT_EQ(OrderRecall(ictx(), Inspector("Kon Tum"),
                        {.lot_id = lb1.id, .reason = "x", .scope = "downstream"})
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(OrderRecall(ictx(), Inspector(kProvince),
                        {.lot_id = lb1.id, .reason = "", .scope = "downstream"})
                .error()
                .details,
            "reason.required");
  EXPECT_EQ(
      OrderRecall(ictx(), Inspector(kProvince), {.lot_id = lb1.id, .reason = "x", .scope = "all"})
          .error()
          .details,
      "scope.invalid");
  EXPECT_FALSE(store_->stamps().GetLotRecall(lb1.id)->has_value());

  store::Recall recall = OrderRecall(ictx(), Inspector(kProvince),
                                     {.lot_id = lb1.id,
                                      .reason = "Dư lượng thuốc bảo vệ thực vật vượt ngưỡng",
                                      .scope = "downstream",
                                      .actor_name = "Thanh tra QN"})
                             .value();
  // b_'s lot and a_'s lot L2 made from it; not a_'s L1.
  ASSERT_EQ(recall.lots.size(), 2u);
  EXPECT_EQ(recall.lots[0].lot_id, lb1.id);
  EXPECT_EQ(recall.lots[1], (store::RecalledLot{.lot_id = l2_, .org_id = a_.id}));
  EXPECT_TRUE(store_->stamps().GetLotRecall(l2_)->has_value());
  EXPECT_FALSE(store_->stamps().GetLotRecall(a_lot_id_)->has_value());
  EXPECT_NE(recall.report_csv.find("L2"), std::string::npos);
  EXPECT_NE(recall.report_html_vi.find("<html"), std::string::npos);

  // The producer, the owner of the downstream lot and the receiver (in Kon Tum) all see it.
  const std::vector<store::RecallParty> expected = {
      {.org_id = b_.id, .role = store::RecallRole::kProducer},
      {.org_id = a_.id, .role = store::RecallRole::kDownstreamLot},
  };
  for (const store::RecallParty& p : expected) {
    EXPECT_NE(std::find(recall.parties.begin(), recall.parties.end(), p), recall.parties.end())
        << p.org_id;
  }
  EXPECT_NE(std::find(recall.parties.begin(), recall.parties.end(),
                      store::RecallParty{.org_id = c_.id, .role = store::RecallRole::kRecipient}),
            recall.parties.end())
      << ::testing::PrintToString(recall.parties.size());
  for (const store::Organisation* org : {&a_, &b_, &c_}) {
    std::vector<store::Recall> notices = RecallNotices(ictx(), Member(*org), org->id).value();
    ASSERT_EQ(notices.size(), 1u) << org->name;
    EXPECT_EQ(notices[0].id, recall.id);
    EXPECT_TRUE(GetRecall(ictx(), Member(*org), recall.id).ok()) << org->name;
  }
  EXPECT_EQ(RecallNotices(ictx(), Member(a_), b_.id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(GetRecall(ictx(), Inspector("Kon Tum"), recall.id).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(ListRecalls(ictx(), Inspector("Kon Tum"))->empty());
  EXPECT_EQ(ListRecalls(ictx(), Inspector(kProvince))->size(), 1u);

  // The downstream code now checks as recalled.
  EXPECT_EQ(
      CheckCode(ictx(), Inspector(kProvince), "https://id.gs1.org/01/08935049500018/10/L2")->status,
      CodeStatus::kRecalled);

  // "This lot only" recalls the one lot.
  store::Recall only = OrderRecall(ictx(), Inspector(kProvince),
                                   {.lot_id = a_lot_id_, .reason = "Nhãn sai", .scope = "lot_only"})
                           .value();
  ASSERT_EQ(only.lots.size(), 1u);
  EXPECT_TRUE(store_->stamps().GetLotRecall(a_lot_id_)->has_value());
}

}  // namespace
}  // namespace vntrace::report
