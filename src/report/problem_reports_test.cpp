#include "report/problem_reports.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "report/dashboard.hpp"
#include "report/report_fixture.hpp"

namespace vntrace::report {
namespace {

using core::ErrorCode;
using testing::kCommuneA;
using testing::kCommuneB;
using testing::kProvince;

constexpr char kCode[] = "https://id.gs1.org/01/08935049500018/10/L1";
const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);

class ProblemReportsTest : public testing::ReportFixture {
 protected:
  ProblemContext pctx() { return ProblemContext{*store_, clock_, random_, secret_}; }

  ProblemSubmission Valid(std::string code = kCode) {
    ProblemSubmission s{.code = code,
                        .lot_id = a_lot_id_,
                        .kind = "quality_safety",
                        .message = "Gói ớt bị mốc",
                        .contact = "0912 345 678",
                        .scan_area = "Hà Nội"};
    s.token = ProblemFormToken(pctx(), code);
    return s;
  }

  store::ProblemReport Submit(ProblemSubmission s) {
    core::Result<store::ProblemReport> r = SubmitProblemReport(pctx(), s);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : store::ProblemReport{};
  }

  std::string DetailsOf(const ProblemSubmission& s) {
    core::Result<store::ProblemReport> r = SubmitProblemReport(pctx(), s);
    return r.ok() ? "ok" : r.error().details;
  }

  std::string secret_ = std::string(kFormSecretBytes, 's');
};

TEST_F(ProblemReportsTest, StoresWhatTheResolverFoundNotWhatTheSenderSays) {
  ProblemSubmission s = Valid();
  s.product_id = c_product_.id;  // ignored: the lot names its own product
  s.photo = kPng;
  const store::ProblemReport r = Submit(s);
  EXPECT_EQ(r.lot_id, a_lot_id_);
  EXPECT_EQ(r.product_id, a_product_.id);
  EXPECT_EQ(r.org_id, a_.id);
  EXPECT_EQ(r.province, kProvince);
  EXPECT_EQ(r.commune, kCommuneA);
  EXPECT_EQ(r.scan_area, "Hà Nội");
  EXPECT_EQ(r.contact, "0912345678");
  EXPECT_EQ(r.kind, store::ProblemKind::kQualitySafety);
  EXPECT_EQ(r.photo_type, "image/png");
  core::Result<store::ProblemReport> stored = store_->problems().GetProblemReport(r.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->photo_size, 16);
  // Audited as the anonymous sender, under the producer.
  core::Result<std::vector<store::AuditEntry>> audit = store_->registry().ListAudit(a_.id, 1);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ((*audit)[0].entity, "problem_report");
  EXPECT_EQ((*audit)[0].actor, "anonymous");
}

TEST_F(ProblemReportsTest, ACodeNobodyIssuedGoesToTheAreaItWasSentFrom) {
  ProblemSubmission s = Valid("https://truyxuat.example.vn/id/stamp/ZZZZZZZZZZ");
  s.lot_id.clear();
  s.kind = "suspicious_stamp";
  const store::ProblemReport r = Submit(s);
  EXPECT_EQ(r.org_id, "");
  EXPECT_EQ(r.province, "Hà Nội");
}

TEST_F(ProblemReportsTest, ValidatesEveryField) {
  ProblemSubmission s = Valid();
  s.kind = "";
  EXPECT_EQ(DetailsOf(s), "problem_kind.required");
  s = Valid();
  s.kind = "spam";
  EXPECT_EQ(DetailsOf(s), "problem_kind.invalid");
  s = Valid();
  s.message = "  \n";
  EXPECT_EQ(DetailsOf(s), "message.required");
  s = Valid();
  s.message = "\xC3\x28";
  EXPECT_EQ(DetailsOf(s), "message.encoding");
  s = Valid();
  s.message.clear();
  for (int i = 0; i < 2001; ++i) s.message += "ớ";
  EXPECT_EQ(DetailsOf(s), "message.too_long");
  s.message.resize(s.message.size() - std::string("ớ").size());  // exactly 2000 code points
  EXPECT_EQ(DetailsOf(s), "ok");
  s = Valid();
  s.contact = "not a contact";
  EXPECT_EQ(DetailsOf(s), "contact.format");
  s = Valid();
  s.contact = "Lan@Example.VN";
  EXPECT_EQ(Submit(s).contact, "lan@example.vn");
  s = Valid();
  s.photo = "GIF89a....";
  EXPECT_EQ(DetailsOf(s), "photo.type");
  s = Valid();
  s.photo = "\xFF\xD8\xFF" + std::string(kMaxProblemPhotoBytes, 'x');
  EXPECT_EQ(DetailsOf(s), "photo.too_large");
}

TEST_F(ProblemReportsTest, StoresTheMessageInNfc) {
  ProblemSubmission s = Valid();
  s.message = "Ca\xCC\x80 phe\xCC\x82\xCC\x81";  // "Cà phế" decomposed (NFD)
  EXPECT_EQ(Submit(s).message, "C\xC3\xA0 ph\xE1\xBA\xBF");
  EXPECT_EQ(*NormalizeNfc("Tiếng Việt", "m"), "Tiếng Việt");
}

TEST_F(ProblemReportsTest, TheFormTokenIsForOneCodeAndExpires) {
  ProblemSubmission s = Valid();
  s.token = ProblemFormToken(pctx(), "https://id.gs1.org/01/08935049500018/10/L2");
  EXPECT_EQ(DetailsOf(s), "form.token");
  s = Valid();
  s.token.back() = s.token.back() == '0' ? '1' : '0';
  EXPECT_EQ(DetailsOf(s), "form.token");
  s = Valid();
  s.token = "";
  EXPECT_EQ(DetailsOf(s), "form.token");
  s = Valid();
  clock_.Advance(std::chrono::minutes(100));  // still inside two hours
  EXPECT_EQ(DetailsOf(s), "ok");
  s = Valid();
  clock_.Advance(std::chrono::hours(2) + std::chrono::minutes(10));
  EXPECT_EQ(DetailsOf(s), "form.token");
  // Another server secret does not accept it.
  s = Valid();
  secret_ = std::string(kFormSecretBytes, 't');
  EXPECT_EQ(DetailsOf(s), "form.token");
}

TEST_F(ProblemReportsTest, LimitsReportsPerCodeAndPerArea) {
  for (int i = 0; i < kMaxReportsPerCodePerHour; ++i) Submit(Valid());
  EXPECT_EQ(DetailsOf(Valid()), "rate.code");
  core::Result<store::ProblemReport> refused = SubmitProblemReport(pctx(), Valid());
  EXPECT_EQ(refused.error().code, ErrorCode::kResourceExhausted);
  clock_.Advance(std::chrono::minutes(61));
  EXPECT_EQ(DetailsOf(Valid()), "ok");
  // Per area: other codes from the same area.
  for (int i = 1; i < kMaxReportsPerAreaPerHour; ++i) {
    ProblemSubmission s = Valid("https://truyxuat.example.vn/id/stamp/S" + std::to_string(i));
    s.lot_id.clear();
    Submit(s);
  }
  ProblemSubmission s = Valid("https://truyxuat.example.vn/id/stamp/LAST");
  s.lot_id.clear();
  EXPECT_EQ(DetailsOf(s), "rate.area");
  s.scan_area = "Huế";
  s.token = ProblemFormToken(pctx(), s.code);
  EXPECT_EQ(DetailsOf(s), "ok");
}

TEST_F(ProblemReportsTest, ProducersReadTheirOwnAndAreaReadersTheirArea) {
  const store::ProblemReport about_a = Submit(Valid());
  ProblemSubmission about_b_input = Valid("https://id.gs1.org/01/0/b");
  about_b_input.lot_id.clear();
  about_b_input.product_id = b_product_.id;
  about_b_input.photo = kPng;
  const store::ProblemReport about_b = Submit(about_b_input);
  ASSERT_EQ(about_b.org_id, b_.id);

  auto ids = [&](const registry::Actor& actor) {
    std::vector<std::string> out;
    core::Result<std::vector<store::ProblemReport>> found = ListProblemReports(pctx(), actor, {});
    EXPECT_TRUE(found.ok()) << found.error().ToString();
    if (found.ok()) {
      for (const store::ProblemReport& r : *found) out.push_back(r.id);
    }
    return out;
  };
  EXPECT_EQ(ids(Member(a_)), std::vector<std::string>{about_a.id});
  EXPECT_EQ(ids(Member(c_)), std::vector<std::string>{});
  EXPECT_EQ(ids(Officer(kProvince)).size(), 2u);
  EXPECT_EQ(ids(Officer(kProvince, kCommuneB, store::Role::kInspector)),
            std::vector<std::string>{about_b.id});
  EXPECT_EQ(ids(Officer("Kon Tum", "", store::Role::kInspector)), std::vector<std::string>{});
  EXPECT_EQ(ListProblemReports(pctx(), registry::Actor::Anonymous(), {}).error().code,
            ErrorCode::kPermissionDenied);

  // Reading one: out of reach is not found.
  EXPECT_EQ(GetProblemReport(pctx(), Member(a_), about_b.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(GetProblemReport(pctx(), Member(b_), about_b.id).ok());
  // The photo: inspectors of the area only, never the producer.
  EXPECT_EQ(GetProblemPhoto(pctx(), Member(b_), about_b.id).error().code,
            ErrorCode::kPermissionDenied);
  core::Result<store::ProblemPhoto> photo =
      GetProblemPhoto(pctx(), Officer(kProvince, kCommuneB, store::Role::kInspector), about_b.id);
  ASSERT_TRUE(photo.ok());
  EXPECT_EQ(photo->data, kPng);
  EXPECT_EQ(
      GetProblemPhoto(pctx(), Officer(kProvince, kCommuneA, store::Role::kInspector), about_b.id)
          .error()
          .code,
      ErrorCode::kNotFound);

  // Handling: the producer only, once.
  EXPECT_EQ(*CountOpenProblemReports(pctx(), Member(a_)), 1);
  EXPECT_EQ(MarkProblemHandled(pctx(), Member(b_), about_a.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(MarkProblemHandled(pctx(), Officer(kProvince), about_a.id).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(MarkProblemHandled(pctx(), Member(a_), about_a.id).ok());
  EXPECT_EQ(MarkProblemHandled(pctx(), Member(a_), about_a.id).error().details, "problem.handled");
  EXPECT_EQ(*CountOpenProblemReports(pctx(), Member(a_)), 0);
  EXPECT_EQ(*CountOpenProblemReports(pctx(), Officer(kProvince)), 1);
}

TEST_F(ProblemReportsTest, TheDashboardCountsAndListsTheAreasReports) {
  Submit(Valid());
  Submit(Valid());
  ProblemSubmission elsewhere = Valid("https://id.gs1.org/01/0/c");
  elsewhere.lot_id.clear();
  elsewhere.product_id = c_product_.id;  // Kon Tum
  Submit(elsewhere);
  core::Result<store::ProblemReport> first =
      ListProblemReports(pctx(), Member(a_), {}).value().front();
  ASSERT_TRUE(MarkProblemHandled(pctx(), Member(a_), first->id).ok());

  core::Result<Dashboard> d =
      BuildDashboard(ctx(), Officer(kProvince), {.province = kProvince}, {}, clock_.Now());
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_TRUE(d->problem_reports_tracked);
  EXPECT_EQ(d->problem_reports, 2);
  EXPECT_EQ(d->problem_reports_open, 1);
  ASSERT_EQ(d->problem_report_list.size(), 2u);
  EXPECT_EQ(d->problem_report_list[0].org_id, a_.id);
  // A period that ended before the reports counts none.
  core::Result<Dashboard> before =
      BuildDashboard(ctx(), Officer(kProvince), {.province = kProvince},
                     {.from = "2026-01-01", .to = "2026-03-01"}, clock_.Now());
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->problem_reports, 0);
  EXPECT_TRUE(before->problem_report_list.empty());
  // Kon Tum's officer sees only Kon Tum's report.
  core::Result<Dashboard> kon_tum =
      BuildDashboard(ctx(), Officer("Kon Tum"), {.province = "Kon Tum"}, {}, clock_.Now());
  ASSERT_TRUE(kon_tum.ok());
  EXPECT_EQ(kon_tum->problem_reports, 1);
}

TEST(ProblemKinds, RoundTrip) {
  for (store::ProblemKind kind : AllProblemKinds()) {
    EXPECT_EQ(*ParseProblemKind(ProblemKindName(kind)), kind);
  }
}

}  // namespace
}  // namespace vntrace::report
