#include "http/pages/authority_app.hpp"

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "http/pages/app_test_support.hpp"
#include "http/pages/form.hpp"
#include "http/pages/producer_app.hpp"
#include "registry/accounts.hpp"
#include "registry/registry.hpp"
#include "store/contract/fixture.hpp"

// fontconfig (under pango, for the PDF) keeps its caches until exit; only allocations made
// inside libfontconfig are suppressed.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

namespace vntrace::http::pages {
namespace {

using testing::AllCookies;
using testing::Find;

constexpr char kPassword[] = "mat-khau-du-dai";
constexpr char kProvince[] = "Quảng Ngãi";

class AuthorityAppTest : public ::testing::Test {
 protected:
  AuthorityAppTest()
      : clock_(core::ParseRfc3339("2026-06-01T09:00:00+07:00").value()),
        random_(5),
        ids_(registry::PlatformIds::Create("http://127.0.0.1:8080").value()) {
    store_ = store::OpenStore({.location = (dir_.path() / "a.db").string()}).value();
    app_ = std::make_unique<ProducerAppContext>(ProducerAppContext{
        *store_,
        clock_,
        random_,
        "http://127.0.0.1:8080",
        {"127.0.0.1"},
        registry::AccountOptions{.password_ops_limit = 1, .password_mem_limit = 8192}});
    EXPECT_TRUE(RegisterProducerApp(router_, *app_).ok());
    EXPECT_TRUE(RegisterAuthorityApp(router_, *app_).ok());
    org_ = Org("HTX Ba Tơ", kProvince, "Xã Ba Tơ");
    other_ = Org("Công ty Đăk Hà", "Kon Tum", "Xã Đăk Hà");
    User("canbo@sokhcn.vn", store::Role::kAuthorityOfficer, "", kProvince);
    User("kontum@sokhcn.vn", store::Role::kAuthorityOfficer, "", "Kon Tum");
    User("thanhtra@attp.vn", store::Role::kInspector, "", kProvince);
    User("htx@batoo.vn", store::Role::kOrgAdmin, org_, "");
  }
  ~AuthorityAppTest() override {
    router_ = Router();
    app_.reset();
    store_.reset();
  }

  registry::Context Ctx() { return {store_->registry(), clock_, random_, ids_}; }

  std::string Org(const std::string& name, const std::string& province,
                  const std::string& commune) {
    return registry::CreateOrganisation(Ctx(), registry::Actor::CommandLine(),
                                        {.kind = store::OrganisationKind::kHouseholdBusiness,
                                         .name = name,
                                         .address = {.province = province, .commune = commune}})
        .value()
        .id;
  }

  void User(const std::string& email, store::Role role, const std::string& org,
            const std::string& province) {
    registry::NewUser user{.email = email, .role = role, .org_id = org, .password = kPassword};
    if (!province.empty()) user.area = {.province = province};
    EXPECT_TRUE(
        registry::CreateUser(Ctx(), registry::Actor::CommandLine(), std::move(user), app_->accounts)
            .ok());
  }

  Response Send(Method method, std::string path, std::string body = {}, std::string cookie = {}) {
    return testing::Send(router_, method, path, std::move(body), std::move(cookie),
                         method == Method::kPost ? "application/x-www-form-urlencoded" : "");
  }

  std::string SignIn(const std::string& email) {
    return testing::SignIn(router_, email, kPassword);
  }

  std::string Csrf(const std::string& cookie, const std::string& page) {
    return Find(Send(Method::kGet, page, {}, cookie).body, "name=\"csrf\" value=\"([^\"]+)\"");
  }

  core::FakeClock clock_;
  core::FakeRandom random_;
  registry::PlatformIds ids_;
  store::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ProducerAppContext> app_;
  Router router_;
  std::string org_, other_;
};

TEST_F(AuthorityAppTest, OfficersLandOnTheirDashboardWithCharts) {
  const std::string cookie = SignIn("canbo@sokhcn.vn");
  Response home = Send(Method::kGet, "/app", {}, cookie);
  EXPECT_EQ(home.status, 303);
  EXPECT_EQ(home.headers["Location"], "/app/authority");
  Response res = Send(Method::kGet, "/app/authority", {}, cookie);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_NE(res.body.find("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-bar\""),
            std::string::npos);
  EXPECT_NE(res.body.find("id=\"chart-weeks-title\""), std::string::npos);
  EXPECT_NE(res.body.find("data-figure=\"organisations\"><strong>1</strong>"), std::string::npos);
  EXPECT_NE(res.body.find("chưa kết nối"), std::string::npos);
  EXPECT_NE(res.body.find("Xã Ba Tơ"), std::string::npos);
  EXPECT_EQ(res.body.find("Đăk Hà"), std::string::npos);  // another province
  // A bad period is shown beside the field, in Vietnamese.
  Response bad = Send(Method::kGet, "/app/authority?from=2026-13-01", {}, cookie);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("Ngày bắt đầu không hợp lệ"), std::string::npos);
}

TEST_F(AuthorityAppTest, OtherRolesAreRefused) {
  for (const char* email : {"thanhtra@attp.vn", "htx@batoo.vn"}) {
    const std::string cookie = SignIn(email);
    for (const char* path : {"/app/authority", "/app/authority/outreach", "/app/authority/report",
                             "/app/authority/orgs"}) {
      EXPECT_EQ(Send(Method::kGet, path, {}, cookie).status, 403) << email << " " << path;
    }
  }
  EXPECT_EQ(Send(Method::kGet, "/app/authority").status, 303);  // not signed in: login
}

TEST_F(AuthorityAppTest, OutreachFormChecksCsrfAndFields) {
  const std::string cookie = SignIn("canbo@sokhcn.vn");
  const std::string csrf = Csrf(cookie, "/app/authority/outreach/new");
  ASSERT_FALSE(csrf.empty());
  const std::string fields =
      "kind=training&held_on=2026-05-20&topic=T%E1%BA%ADp+hu%E1%BA%A5n"
      "&organisations=3&commune=&notes=";
  EXPECT_EQ(
      Send(Method::kPost, "/app/authority/outreach/new", fields + "&attendees=40", cookie).status,
      403);
  Response bad = Send(Method::kPost, "/app/authority/outreach/new",
                      "csrf=" + csrf + "&" + fields + "&attendees=bon+muoi", cookie);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("id=\"err-attendees\">Giá trị không đúng định dạng."), std::string::npos)
      << bad.body;
  EXPECT_NE(bad.body.find("value=\"Tập huấn\""), std::string::npos);  // the input is kept
  Response ok = Send(Method::kPost, "/app/authority/outreach/new",
                     "csrf=" + csrf + "&" + fields + "&attendees=40", cookie);
  EXPECT_EQ(ok.status, 303) << ok.body;
  Response list = Send(Method::kGet, "/app/authority/outreach", {}, cookie);
  EXPECT_NE(list.body.find("<td>Tập huấn"), std::string::npos);
  EXPECT_NE(list.body.find("<td>40</td>"), std::string::npos);
  // Kon Tum's officer does not see it.
  const std::string kontum = SignIn("kontum@sokhcn.vn");
  EXPECT_EQ(Send(Method::kGet, "/app/authority/outreach", {}, kontum).body.find("<td>Tập huấn"),
            std::string::npos);
}

TEST_F(AuthorityAppTest, SelfAssessmentPages) {
  const std::string officer = SignIn("canbo@sokhcn.vn");
  Response page = Send(Method::kGet, "/app/authority/orgs/" + UrlEncode(org_) + "/self-assessment",
                       {}, officer);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("id=\"sa-org\">HTX Ba Tơ"), std::string::npos);
  EXPECT_NE(page.body.find("data-criterion=\"identification\""), std::string::npos);
  EXPECT_NE(page.body.find("data-print"), std::string::npos);
  EXPECT_EQ(page.body.find("Khắc phục"), std::string::npos);  // fix links are for the org only
  EXPECT_EQ(Send(Method::kGet, "/app/authority/orgs/" + UrlEncode(other_) + "/self-assessment", {},
                 officer)
                .status,
            403);
  const std::string member = SignIn("htx@batoo.vn");
  Response own = Send(Method::kGet, "/app/self-assessment", {}, member);
  ASSERT_EQ(own.status, 200);
  EXPECT_NE(own.body.find("href=\"/app/products\""), std::string::npos);
  EXPECT_EQ(Send(Method::kGet, "/app/self-assessment", {}, officer).status, 403);
}

TEST_F(AuthorityAppTest, ReportEditorGeneratesDocxAndPdf) {
  const std::string cookie = SignIn("canbo@sokhcn.vn");
  Response editor =
      Send(Method::kGet, "/app/authority/report?from=2026-01-01&to=2026-05-31", {}, cookie);
  ASSERT_EQ(editor.status, 200) << editor.body;
  EXPECT_NE(editor.body.find("<textarea id=\"r_proposals\" name=\"proposals\""), std::string::npos);
  EXPECT_NE(editor.body.find("Thực hiện Quyết định số 100/QĐ-TTg"), std::string::npos);
  const std::string csrf = Find(editor.body, "name=\"csrf\" value=\"([^\"]+)\"");
  const std::string body = "csrf=" + csrf + "&from=2026-01-01&to=2026-05-31&proposals=" +
                           UrlEncode("Đề nghị hỗ trợ kinh phí") +
                           "&signer_title=GI%C3%81M+%C4%90%E1%BB%90C";
  Response docx = Send(Method::kPost, "/app/authority/report", body + "&format=docx", cookie);
  ASSERT_EQ(docx.status, 200) << docx.body;
  EXPECT_EQ(docx.body.substr(0, 2), "PK");
  EXPECT_EQ(docx.headers["Content-Disposition"],
            "attachment; filename=\"bao-cao-truy-xuat-2026-01-01-2026-05-31.docx\"");
  Response pdf = Send(Method::kPost, "/app/authority/report", body + "&format=pdf", cookie);
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  EXPECT_EQ(pdf.headers["Content-Type"], "application/pdf");
  EXPECT_EQ(Send(Method::kPost, "/app/authority/report",
                 body.substr(body.find('&')) + "&format=pdf", cookie)
                .status,
            403);  // no CSRF token
  Response tooLong = Send(Method::kPost, "/app/authority/report",
                          body + "&format=pdf&direction=" + std::string(20001, 'a'), cookie);
  EXPECT_EQ(tooLong.status, 400);
  EXPECT_NE(tooLong.body.find("Nội dung quá dài."), std::string::npos);
}

}  // namespace
}  // namespace vntrace::http::pages
