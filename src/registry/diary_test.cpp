#include "registry/diary.hpp"

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "epcis/document.hpp"
#include "epcis/query.hpp"
#include "registry/internal/testing.hpp"
#include "registry/xlsx.hpp"

namespace vntrace::registry {
namespace {

using core::ErrorCode;
using Fields = std::vector<std::pair<std::string, std::string>>;

class DiaryTest : public internal::RegistryFixture {
 protected:
  DiaryTest() {
    clock_.Set(core::ParseRfc3339("2026-06-01T09:00:00+07:00").value());
    a_ = MakeOrg("HTX Nghĩa Ân", "Quảng Ngãi", "0300588569");
    b_ = MakeOrg("HTX Ba Tơ", "Kon Tum", "0100109106");
    plot_ = Facility(a_, "Lô ớt 1");
    plot2_ = Facility(a_, "Lô ớt 2");
    workshop_ = Facility(a_, "Xưởng sấy");
    chili_ = Product(a_, "Ớt rừng tươi", "");
    dried_ = Product(a_, "Ớt rừng sấy khô", "08935049500018");
    b_store_ = Facility(b_, "Kho Ba Tơ");
  }

  store::Facility Facility(const store::Organisation& org, std::string name) {
    core::Result<store::Facility> f = CreateFacility(
        ctx(), Member(org),
        {.org_id = org.id, .kind = store::FacilityKind::kPlot, .name = std::move(name)});
    EXPECT_TRUE(f.ok()) << f.error().ToString();
    return *f;
  }
  store::Product Product(const store::Organisation& org, std::string name, std::string gtin) {
    core::Result<store::Product> p = CreateProduct(
        ctx(), Member(org), {.org_id = org.id, .gtin = std::move(gtin), .name = std::move(name)});
    EXPECT_TRUE(p.ok()) << p.error().ToString();
    return *p;
  }

  core::Result<DiaryStepResult> Step(std::string template_id, Fields fields,
                                     std::string entry_id = "") {
    return RecordStep(ctx(), Member(a_),
                      {.entry_id = std::move(entry_id),
                       .org_id = a_.id,
                       .template_id = std::move(template_id),
                       .fields = std::move(fields)});
  }

  DiaryStepResult MustStep(std::string template_id, Fields fields) {
    core::Result<DiaryStepResult> r = Step(std::move(template_id), std::move(fields));
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : DiaryStepResult{};
  }

  DiaryStepResult Harvest(const store::Facility& plot, std::string date, std::string code = "") {
    return MustStep("harvest", {{"facility", plot.id},
                                {"occurred_at", std::move(date)},
                                {"product", chili_.id},
                                {"quantity", "120,5"},
                                {"unit", "kg"},
                                {"lot_code", std::move(code)}});
  }

  std::size_t EventCount() {
    core::Result<store::EventPage> page = store_->QueryEvents({}, {.limit = 1000});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->events.size() : 0;
  }

  store::Organisation a_, b_;
  store::Facility plot_, plot2_, workshop_, b_store_;
  store::Product chili_, dried_;
};

TEST(DiaryTemplates, AreCompleteAndWellFormed) {
  std::set<std::string_view> ids;
  for (const DiaryTemplate& t : DiaryTemplates()) {
    EXPECT_TRUE(ids.insert(t.id).second) << t.id;
    ASSERT_GE(t.fields.size(), 3u) << t.id;
    EXPECT_EQ(t.fields.front().name, "facility");
    EXPECT_EQ(t.fields[1].name, "occurred_at");
    EXPECT_EQ(t.fields.back().name, "note");
    EXPECT_FALSE(t.name_vi.empty());
    EXPECT_FALSE(t.biz_step.empty());
    EXPECT_EQ(FindDiaryTemplate(t.id), &t);
  }
  for (std::string_view id : {"prepare_land", "plant", "fertilise", "spray", "harvest",
                              "receive_inputs", "process", "pack", "ship", "receive", "sell"}) {
    EXPECT_TRUE(ids.contains(id)) << id;
  }
  EXPECT_EQ(FindDiaryTemplate("nope"), nullptr);
  const DiaryTemplate* spray = FindDiaryTemplate("spray");
  bool has_phi = false;
  for (const DiaryField& f : spray->fields) {
    has_phi = has_phi || (f.name == "phi_days" && f.required && f.type == DiaryFieldType::kInteger);
  }
  EXPECT_TRUE(has_phi);
}

TEST_F(DiaryTest, HarvestCreatesALotAndAQueryableEvent) {
  DiaryStepResult h = Harvest(plot_, "2026-05-30", "L1");
  ASSERT_FALSE(h.entry.lot_id.empty());
  EXPECT_FALSE(h.replayed);
  EXPECT_TRUE(h.entry.event_id.starts_with("ni:///sha-256;")) << h.entry.event_id;
  core::Result<store::Lot> lot = GetLot(ctx(), Actor::Anonymous(), h.entry.lot_id);
  ASSERT_TRUE(lot.ok());
  EXPECT_EQ(lot->code, "L1");
  EXPECT_EQ(lot->produced_on, "2026-05-30");
  EXPECT_EQ(lot->quantity, 120.5);

  core::Result<epcis::EventQuery> query =
      epcis::ParseEventQuery({{"MATCH_epcClass", lot->identifier}});
  ASSERT_TRUE(query.ok()) << query.error().ToString();
  core::Result<store::EventPage> page = store_->QueryEvents(*query, {.limit = 10});
  ASSERT_TRUE(page.ok()) << page.error().ToString();
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].event_id, h.entry.event_id);
  const std::string& json = page->events[0].json;
  EXPECT_NE(json.find("\"action\":\"ADD\""), std::string::npos) << json;
  EXPECT_NE(json.find("commissioning"), std::string::npos);
  EXPECT_NE(json.find("\"uom\":\"KGM\""), std::string::npos);
  EXPECT_NE(json.find("cbvmda:lotNumber"), std::string::npos);
  EXPECT_NE(json.find(plot_.identifier), std::string::npos);
  EXPECT_NE(json.find("\"vntrace:diaryEntry\":\"" + h.entry.id), std::string::npos);
}

TEST_F(DiaryTest, EveryTemplateBuildsAValidEvent) {
  MustStep("prepare_land", {{"facility", plot_.id},
                            {"occurred_at", "2026-03-01"},
                            {"product", chili_.id},
                            {"method", "cày ải"}});
  MustStep("plant", {{"facility", plot_.id},
                     {"occurred_at", "2026-03-05 07:30"},
                     {"product", chili_.id},
                     {"seed_quantity", "2"},
                     {"seed_unit", "kg"}});
  MustStep("fertilise", {{"facility", plot_.id},
                         {"occurred_at", "2026-03-20"},
                         {"product", chili_.id},
                         {"input_name", "NPK 16-16-8"},
                         {"dose", "25"},
                         {"dose_unit", "kg/sào"}});
  MustStep("spray", {{"facility", plot_.id},
                     {"occurred_at", "2026-04-01"},
                     {"product", chili_.id},
                     {"pesticide", "Regent 800WG"},
                     {"dose", "1.5"},
                     {"dose_unit", "g/bình"},
                     {"phi_days", "7"},
                     {"input_lot", "RG-2025"}});
  DiaryStepResult h = Harvest(plot_, "2026-05-01", "TH-1");
  MustStep("receive_inputs", {{"facility", workshop_.id},
                              {"occurred_at", "2026-05-02"},
                              {"lot", "TH-1"},
                              {"quantity", "120"},
                              {"unit", "kg"}});
  DiaryStepResult p = MustStep("process", {{"facility", workshop_.id},
                                           {"occurred_at", "2026-05-03"},
                                           {"input_lot", h.entry.lot_id},
                                           {"input_quantity", "120"},
                                           {"input_unit", "kg"},
                                           {"product", dried_.id},
                                           {"quantity", "30"},
                                           {"unit", "kg"},
                                           {"lot_code", "OS2605"},
                                           {"expires_on", "2027-05-03"},
                                           {"method", "sấy lạnh"}});
  MustStep("pack", {{"facility", workshop_.id},
                    {"occurred_at", "2026-05-04"},
                    {"lot", p.entry.lot_id},
                    {"quantity", "300"},
                    {"unit", "gói"}});
  MustStep("ship", {{"facility", workshop_.id},
                    {"occurred_at", "2026-05-05"},
                    {"lot", p.entry.lot_id},
                    {"quantity", "100"},
                    {"unit", "gói"},
                    {"receiver", b_.id},
                    {"receiver_location", b_store_.id}});
  core::Result<DiaryStepResult> received = RecordStep(ctx(), Member(b_),
                                                      {.org_id = b_.id,
                                                       .template_id = "receive",
                                                       .fields = {{"facility", b_store_.id},
                                                                  {"occurred_at", "2026-05-06"},
                                                                  {"lot", p.entry.lot_id},
                                                                  {"quantity", "100"},
                                                                  {"unit", "gói"},
                                                                  {"sender", a_.id}}});
  ASSERT_TRUE(received.ok()) << received.error().ToString();
  MustStep("sell", {{"facility", workshop_.id},
                    {"occurred_at", "2026-05-07"},
                    {"lot", "OS2605"},
                    {"quantity", "2"},
                    {"unit", "gói"}});
  EXPECT_EQ(EventCount(), 11u);

  core::Result<store::Lot> dried_lot = GetLot(ctx(), Actor::Anonymous(), p.entry.lot_id);
  ASSERT_TRUE(dried_lot.ok());
  EXPECT_EQ(dried_lot->identifier, "https://id.gs1.org/01/08935049500018/10/OS2605");
  core::Result<store::StoredEvent> transformation = store_->GetEvent(p.entry.event_id);
  ASSERT_TRUE(transformation.ok());
  EXPECT_NE(transformation->json.find("TransformationEvent"), std::string::npos);
  EXPECT_NE(transformation->json.find("inputQuantityList"), std::string::npos);

  core::Result<std::vector<store::DiaryEntry>> diary = ListDiary(ctx(), Member(a_), a_.id, {});
  ASSERT_TRUE(diary.ok());
  EXPECT_EQ(diary->size(), 10u);
  EXPECT_EQ(diary->front().template_id, "sell");  // newest first
  core::Result<std::vector<store::DiaryEntry>> sprays =
      ListDiary(ctx(), Member(a_), a_.id, {.template_id = "spray"});
  ASSERT_TRUE(sprays.ok());
  ASSERT_EQ(sprays->size(), 1u);
  EXPECT_NE(sprays->front().fields_json.find("\"phi_days\":\"7\""), std::string::npos);
}

struct BadStep {
  std::string template_id;
  Fields fields;
  std::string code;
};

TEST_F(DiaryTest, ValidationGivesStableCodes) {
  const std::vector<BadStep> cases = {
      {"spray",
       {{"facility", plot_.id},
        {"product", chili_.id},
        {"pesticide", "X"},
        {"dose", "1"},
        {"dose_unit", "ml"}},
       "phi_days.required"},
      {"spray",
       {{"facility", plot_.id},
        {"product", chili_.id},
        {"pesticide", "X"},
        {"dose", "-1"},
        {"dose_unit", "ml"},
        {"phi_days", "7"}},
       "dose.positive"},
      {"spray",
       {{"facility", plot_.id},
        {"product", chili_.id},
        {"pesticide", "X"},
        {"dose", "abc"},
        {"dose_unit", "ml"},
        {"phi_days", "7"}},
       "dose.format"},
      {"spray",
       {{"facility", plot_.id},
        {"product", chili_.id},
        {"pesticide", "X"},
        {"dose", "1"},
        {"dose_unit", "ml"},
        {"phi_days", "900"}},
       "phi_days.range"},
      {"harvest", {{"product", chili_.id}, {"quantity", "1"}, {"unit", "kg"}}, "facility.required"},
      {"harvest",
       {{"facility", b_store_.id}, {"product", chili_.id}, {"quantity", "1"}, {"unit", "kg"}},
       "facility.not_found"},
      {"harvest",
       {{"facility", plot_.id},
        {"occurred_at", "2027-01-01"},
        {"product", chili_.id},
        {"quantity", "1"},
        {"unit", "kg"}},
       "occurred_at.future"},
      {"harvest",
       {{"facility", plot_.id},
        {"occurred_at", "1/5/2026"},
        {"product", chili_.id},
        {"quantity", "1"},
        {"unit", "kg"}},
       "occurred_at.format"},
      {"harvest",
       {{"facility", plot_.id},
        {"product", chili_.id},
        {"quantity", "1"},
        {"unit", "kg"},
        {"colour", "red"}},
       "colour.unknown"},
      {"harvest",
       {{"facility", plot_.id},
        {"product", dried_.id},
        {"quantity", "1"},
        {"unit", "kg"},
        {"lot_code", "có dấu"}},
       "lot_code.format"},
      {"ship",
       {{"facility", plot_.id},
        {"lot", "NO-SUCH-LOT"},
        {"quantity", "1"},
        {"unit", "kg"},
        {"receiver", b_.id}},
       "lot.not_found"},
      {"ship",
       {{"facility", plot_.id},
        {"lot", "NO-SUCH-LOT"},
        {"quantity", "1"},
        {"unit", "kg"},
        {"receiver", a_.id}},
       "lot.not_found"},
      {"process",
       {{"facility", workshop_.id},
        {"input_lot", "A"},
        {"input_lot", "B"},
        {"input_quantity", "1"},
        {"input_unit", "kg"},
        {"product", dried_.id},
        {"quantity", "1"},
        {"unit", "kg"}},
       "input_lot.not_found"},
  };
  for (const BadStep& c : cases) {
    core::Result<DiaryStepResult> r = Step(c.template_id, c.fields);
    ASSERT_FALSE(r.ok()) << c.code;
    EXPECT_EQ(r.error().details, c.code) << r.error().ToString();
  }
  core::Result<DiaryStepResult> unknown = Step("dance", {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  core::Result<DiaryStepResult> bad_id = Step("harvest", {}, "not-a-uuid");
  ASSERT_FALSE(bad_id.ok());
  EXPECT_EQ(bad_id.error().details, "entry_id.format");
  EXPECT_EQ(EventCount(), 0u);
}

TEST_F(DiaryTest, ARepeatedEntryIdIsStoredOnce) {
  const std::string id = "3f1c2a4e-9b7d-4c1e-8a2b-0123456789ab";
  const Fields fields = {{"facility", plot_.id},
                         {"product", chili_.id},
                         {"quantity", "5"},
                         {"unit", "kg"},
                         {"lot_code", "IDEM"}};
  core::Result<DiaryStepResult> first = Step("harvest", fields, id);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_FALSE(first->replayed);
  core::Result<DiaryStepResult> second = Step("harvest", fields, id);
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  EXPECT_TRUE(second->replayed);
  EXPECT_EQ(second->entry, first->entry);
  EXPECT_EQ(EventCount(), 1u);
  // Another organisation cannot reuse it.
  core::Result<DiaryStepResult> other = RecordStep(
      ctx(), Member(b_), {.entry_id = id, .org_id = b_.id, .template_id = "harvest", .fields = {}});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().details, "entry_id.taken");
}

TEST_F(DiaryTest, IsolationFollowsTheActor) {
  Harvest(plot_, "2026-05-30");
  core::Result<DiaryStepResult> foreign = RecordStep(
      ctx(), Member(b_),
      {.org_id = a_.id,
       .template_id = "harvest",
       .fields = {
           {"facility", plot_.id}, {"product", chili_.id}, {"quantity", "1"}, {"unit", "kg"}}});
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(ListDiary(ctx(), Member(b_), a_.id, {}).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(ListDiary(ctx(), Actor::Anonymous(), a_.id, {}).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(ReviewDiary(ctx(), Member(b_), a_.id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(RecordStep(ctx(), Officer("Quảng Ngãi"),
                       {.org_id = a_.id, .template_id = "harvest", .fields = {}})
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  // The province's officer reads, the other province's does not.
  EXPECT_TRUE(ListDiary(ctx(), Officer("Quảng Ngãi"), a_.id, {}).ok());
  EXPECT_FALSE(ListDiary(ctx(), Officer("Kon Tum"), a_.id, {}).ok());
  EXPECT_EQ(ExportProductsForGs1(ctx(), Member(b_), a_.id).error().code,
            ErrorCode::kPermissionDenied);
}

TEST_F(DiaryTest, WarnsOfAHarvestInsideThePreHarvestInterval) {
  MustStep("spray", {{"facility", plot_.id},
                     {"occurred_at", "2026-05-25"},
                     {"product", chili_.id},
                     {"pesticide", "Regent 800WG"},
                     {"dose", "1"},
                     {"dose_unit", "g/bình"},
                     {"phi_days", "14"}});
  DiaryStepResult inside = Harvest(plot_, "2026-05-30");
  ASSERT_EQ(inside.warnings.size(), 1u);
  EXPECT_EQ(inside.warnings[0].code, "harvest.within_phi");
  // Another plot is not affected.
  EXPECT_TRUE(Harvest(plot2_, "2026-05-30").warnings.empty());
  core::Result<std::vector<DiaryWarning>> review = ReviewDiary(ctx(), Member(a_), a_.id);
  ASSERT_TRUE(review.ok());
  ASSERT_EQ(review->size(), 1u);
  EXPECT_EQ((*review)[0].entry_id, inside.entry.id);
}

TEST_F(DiaryTest, WarnsOfAShipmentBeforeTheHarvest) {
  DiaryStepResult h = Harvest(plot_, "2026-05-30", "LATE");
  DiaryStepResult ship = MustStep("ship", {{"facility", plot_.id},
                                           {"occurred_at", "2026-05-20"},
                                           {"lot", h.entry.lot_id},
                                           {"quantity", "10"},
                                           {"unit", "kg"},
                                           {"receiver", b_.id}});
  ASSERT_EQ(ship.warnings.size(), 1u);
  EXPECT_EQ(ship.warnings[0].code, "ship.before_harvest");
  EXPECT_EQ(ship.warnings[0].related_entry_id, h.entry.id);
  DiaryStepResult fine = MustStep("ship", {{"facility", plot_.id},
                                           {"occurred_at", "2026-05-31"},
                                           {"lot", h.entry.lot_id},
                                           {"quantity", "10"},
                                           {"unit", "kg"},
                                           {"receiver", b_.id}});
  EXPECT_TRUE(fine.warnings.empty());
}

TEST_F(DiaryTest, WarnsOfADiaryCopiedAcrossPlots) {
  auto season = [&](const store::Facility& plot, const std::vector<std::string>& dates) {
    MustStep("prepare_land",
             {{"facility", plot.id}, {"occurred_at", dates[0]}, {"product", chili_.id}});
    MustStep("plant", {{"facility", plot.id}, {"occurred_at", dates[1]}, {"product", chili_.id}});
    MustStep("fertilise", {{"facility", plot.id},
                           {"occurred_at", dates[2]},
                           {"product", chili_.id},
                           {"input_name", "NPK"},
                           {"dose", "20"},
                           {"dose_unit", "kg"}});
    Harvest(plot, dates[3]);
  };
  season(plot_, {"2026-01-01", "2026-01-10", "2026-02-01", "2026-04-01"});
  EXPECT_TRUE(ReviewDiary(ctx(), Member(a_), a_.id)->empty());
  // The same intervals on plot 2, shifted by five days.
  season(plot2_, {"2026-01-06", "2026-01-15", "2026-02-06", "2026-04-06"});
  core::Result<std::vector<DiaryWarning>> review = ReviewDiary(ctx(), Member(a_), a_.id);
  ASSERT_TRUE(review.ok());
  ASSERT_EQ(review->size(), 1u);
  EXPECT_EQ((*review)[0].code, "diary.copied_intervals");
  EXPECT_EQ((*review)[0].facility_id, plot2_.id);
}

TEST_F(DiaryTest, CsvTemplateHasBilingualHeaders) {
  core::Result<std::string> header = DiaryCsvTemplate("spray");
  ASSERT_TRUE(header.ok());
  EXPECT_TRUE(header->starts_with("\xEF\xBB\xBF"));
  EXPECT_NE(header->find("Tên thuốc BVTV / Pesticide (pesticide)"), std::string::npos) << *header;
  EXPECT_NE(header->find("(phi_days)"), std::string::npos);
  EXPECT_TRUE(header->ends_with("\r\n"));
  EXPECT_EQ(DiaryCsvTemplate("nope").error().code, ErrorCode::kNotFound);
}

TEST_F(DiaryTest, CsvImportStoresAllRowsOrNone) {
  const std::string header = DiaryCsvTemplate("harvest").value();
  const std::string good_rows =
      "Lô ớt 1,2026-05-20,Ớt rừng tươi,100,kg,A1,,\"ghi chú, có dấu phẩy\"\r\n"
      "Lô ớt 2,2026-05-21,Ớt rừng tươi,\"80,5\",kg,A2,,\r\n";
  const std::string bad_row = "Lô ớt 2,2026-05-22,Ớt rừng tươi,-3,kg,A3,,\r\n";
  core::Result<DiaryImportResult> bad =
      ImportDiaryCsv(ctx(), Member(a_), a_.id, "harvest", header + good_rows + bad_row);
  ASSERT_TRUE(bad.ok()) << bad.error().ToString();
  ASSERT_EQ(bad->errors.size(), 1u);
  EXPECT_EQ(bad->errors[0].row, 4u);
  EXPECT_EQ(bad->errors[0].column, "quantity");
  EXPECT_EQ(bad->errors[0].code, "quantity.positive");
  EXPECT_TRUE(bad->entries.empty());
  EXPECT_EQ(EventCount(), 0u);
  EXPECT_TRUE(ListLots(ctx(), Member(a_), chili_.id)->empty());

  core::Result<DiaryImportResult> good =
      ImportDiaryCsv(ctx(), Member(a_), a_.id, "harvest", header + good_rows);
  ASSERT_TRUE(good.ok()) << good.error().ToString();
  EXPECT_TRUE(good->errors.empty());
  EXPECT_EQ(good->entries.size(), 2u);
  EXPECT_EQ(EventCount(), 2u);
  EXPECT_EQ(ListLots(ctx(), Member(a_), chili_.id)->size(), 2u);

  // Semicolon-separated, English headers, a later row naming a lot made by an earlier one.
  const std::string ship =
      "facility;lot;quantity;unit;receiver\n" + plot_.name + ";A1;5;kg;" + b_.id + "\n";
  core::Result<DiaryImportResult> shipped = ImportDiaryCsv(ctx(), Member(a_), a_.id, "ship", ship);
  ASSERT_TRUE(shipped.ok()) << shipped.error().ToString();
  EXPECT_TRUE(shipped->errors.empty()) << shipped->errors[0].code;

  EXPECT_EQ(ImportDiaryCsv(ctx(), Member(a_), a_.id, "harvest", "what,ever\n1,2\n").error().details,
            "csv.header");
  EXPECT_EQ(
      ImportDiaryCsv(ctx(), Member(a_), a_.id, "harvest", header + "\"open\n").error().details,
      "csv.quote");
  EXPECT_EQ(ImportDiaryCsv(ctx(), Member(a_), a_.id, "harvest", "").error().details, "csv.empty");
  EXPECT_EQ(ImportDiaryCsv(ctx(), Member(b_), a_.id, "harvest", header).error().code,
            ErrorCode::kPermissionDenied);
}

TEST_F(DiaryTest, XlsxTemplateAndImportFollowTheCsvRules) {
  core::Result<std::string> xlsx_template = DiaryXlsxTemplate("harvest");
  ASSERT_TRUE(xlsx_template.ok()) << xlsx_template.error().ToString();
  core::Result<std::vector<XlsxRow>> header_rows = ReadXlsx(*xlsx_template);
  ASSERT_TRUE(header_rows.ok()) << header_rows.error().ToString();
  ASSERT_EQ(header_rows->size(), 1u);
  // The same labels as the CSV template, in the same order.
  std::string csv_header;
  for (const std::string& cell : header_rows->front().cells) {
    const bool quote = cell.find(',') != std::string::npos;
    csv_header += (csv_header.empty() ? "" : ",") + (quote ? "\"" + cell + "\"" : cell);
  }
  EXPECT_EQ("\xEF\xBB\xBF" + csv_header + "\r\n", DiaryCsvTemplate("harvest").value());
  EXPECT_EQ(DiaryXlsxTemplate("nope").error().code, ErrorCode::kNotFound);

  // The filled template: a gap row (row 3 left empty) and a bad quantity on row 5.
  XlsxSheet filled{.name = "Thu hoạch"};
  for (const std::string& h : header_rows->front().cells) filled.columns.push_back({h, 20});
  filled.rows = {{"Lô ớt 1", "2026-05-20", "Ớt rừng tươi", "100", "kg", "X1", "", "ghi chú"},
                 {},
                 {"Lô ớt 2", "2026-05-21", "Ớt rừng tươi", "80,5", "kg", "X2"},
                 {"Lô ớt 2", "2026-05-22", "Ớt rừng tươi", "-3", "kg", "X3"}};
  core::Result<DiaryImportResult> bad =
      ImportDiaryFile(ctx(), Member(a_), a_.id, "harvest", WriteXlsx(filled).value());
  ASSERT_TRUE(bad.ok()) << bad.error().ToString();
  ASSERT_EQ(bad->errors.size(), 1u);
  EXPECT_EQ(bad->errors[0].row, 5u);
  EXPECT_EQ(bad->errors[0].column, "quantity");
  EXPECT_EQ(bad->errors[0].code, "quantity.positive");
  EXPECT_EQ(EventCount(), 0u);
  EXPECT_TRUE(ListLots(ctx(), Member(a_), chili_.id)->empty());

  filled.rows.pop_back();
  core::Result<DiaryImportResult> good =
      ImportDiaryFile(ctx(), Member(a_), a_.id, "harvest", WriteXlsx(filled).value());
  ASSERT_TRUE(good.ok()) << good.error().ToString();
  EXPECT_TRUE(good->errors.empty());
  EXPECT_EQ(good->entries.size(), 2u);
  EXPECT_EQ(EventCount(), 2u);

  EXPECT_EQ(ImportDiaryFile(ctx(), Member(a_), a_.id, "harvest", std::string("PK\3\4xx", 6))
                .error()
                .details,
            "xlsx.zip");
  EXPECT_EQ(ImportDiaryXlsx(ctx(), Member(b_), a_.id, "harvest", *xlsx_template).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      ImportDiaryXlsx(ctx(), Member(a_), a_.id, "harvest", WriteXlsx({}).value()).error().details,
      "csv.empty");
}

TEST_F(DiaryTest, ExportsProductsForTheBarcodeRegistry) {
  core::Result<std::string> csv = ExportProductsForGs1(ctx(), Member(a_), a_.id);
  ASSERT_TRUE(csv.ok()) << csv.error().ToString();
  EXPECT_NE(csv->find("GTIN,Tên sản phẩm / Product name,Nhãn hiệu / Brand"), std::string::npos);
  EXPECT_NE(csv->find("08935049500018,Ớt rừng sấy khô"), std::string::npos) << *csv;
  EXPECT_NE(csv->find("Việt Nam"), std::string::npos);
  EXPECT_NE(csv->find("HTX Nghĩa Ân (MST 0300588569)"), std::string::npos);
}

}  // namespace
}  // namespace vntrace::registry
