#include "http/pages/producer_app.hpp"

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
#include "registry/accounts.hpp"
#include "registry/diary.hpp"
#include "registry/registry.hpp"
#include "store/contract/fixture.hpp"

namespace vntrace::http::pages {
namespace {

using testing::AllCookies;
using testing::Find;

constexpr char kPassword[] = "mat-khau-du-dai";

class ProducerAppTest : public ::testing::Test {
 protected:
  ProducerAppTest()
      : clock_(core::Timestamp::FromUnixSeconds(1'767'225'600)),
        random_(11),
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
    org_a_ = MakeOrg("HTX Nghĩa Ân", "a@htx.vn");
    org_b_ = MakeOrg("HTX Khác", "b@htx.vn");
  }
  ~ProducerAppTest() override {
    router_ = Router();
    app_.reset();
    store_.reset();
  }

  registry::Context Ctx() { return {store_->registry(), clock_, random_, ids_}; }

  std::string MakeOrg(const std::string& name, const std::string& email) {
    store::Organisation org = registry::CreateOrganisation(
                                  Ctx(), registry::Actor::CommandLine(),
                                  {.kind = store::OrganisationKind::kHouseholdBusiness,
                                   .name = name,
                                   .address = {.province = "Quảng Ngãi", .commune = "Nghĩa Hành"}})
                                  .value();
    EXPECT_TRUE(registry::CreateUser(Ctx(), registry::Actor::CommandLine(),
                                     {.email = email,
                                      .role = store::Role::kOrgStaff,
                                      .org_id = org.id,
                                      .password = kPassword},
                                     app_->accounts)
                    .ok());
    return org.id;
  }

  Response Send(Method method, std::string path, std::string body = {}, std::string cookie = {},
                std::string content_type = {}) {
    return testing::Send(router_, method, path, std::move(body), std::move(cookie),
                         std::move(content_type));
  }

  // Signs in and returns the session cookie ("vt_session=...").
  std::string SignIn(const std::string& email) {
    return testing::SignIn(router_, email, kPassword);
  }

  std::string Csrf(const std::string& cookie) {
    return Find(Send(Method::kGet, "/app", {}, cookie).body, "name=\"csrf\" value=\"([^\"]+)\"");
  }

  core::FakeClock clock_;
  core::FakeRandom random_;
  registry::PlatformIds ids_;
  store::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ProducerAppContext> app_;
  Router router_;
  std::string org_a_;
  std::string org_b_;
};

TEST_F(ProducerAppTest, PagesNeedASession) {
  Response res = Send(Method::kGet, "/app/products");
  EXPECT_EQ(res.status, 303);
  EXPECT_EQ(res.headers["Location"], "/app/login");
}

TEST_F(ProducerAppTest, LoginSetsAStrictCookieAndWrongPasswordIsRefusedInVietnamese) {
  std::string cookie = SignIn("a@htx.vn");
  EXPECT_FALSE(cookie.empty());
  Response form = Send(Method::kGet, "/app/login");
  std::string token = Find(form.body, "name=\"login_csrf\" value=\"([^\"]+)\"");
  Response bad = Send(Method::kPost, "/app/login",
                      "email=a%40htx.vn&password=sai-mat-khau&login_csrf=" + token,
                      "vt_login=" + token, "application/x-www-form-urlencoded");
  EXPECT_EQ(bad.status, 401);
  EXPECT_NE(bad.body.find("Email hoặc mật khẩu không đúng."), std::string::npos);
}

TEST_F(ProducerAppTest, SessionCookieAttributes) {
  Response form = Send(Method::kGet, "/app/login");
  std::string token = Find(form.body, "name=\"login_csrf\" value=\"([^\"]+)\"");
  Request req;
  req.method = Method::kPost;
  req.path = "/app/login";
  req.remote_address = "127.0.0.1";
  req.headers["Cookie"] = "vt_login=" + token;
  req.headers["Content-Type"] = "application/x-www-form-urlencoded";
  req.headers["X-Forwarded-Proto"] = "https";
  req.body = std::string("email=a%40htx.vn&password=") + kPassword + "&login_csrf=" + token;
  Response res = router_.Handle(req);
  ASSERT_EQ(res.status, 303);
  const std::string cookie = Find(AllCookies(res), "(vt_session=[^\n]+)");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/app"), std::string::npos);
  EXPECT_NE(cookie.find("Secure"), std::string::npos);
}

TEST_F(ProducerAppTest, SecurityHeaders) {
  std::string cookie = SignIn("a@htx.vn");
  for (const char* path : {"/app", "/app/login", "/app/products", "/app/nowhere"}) {
    Response res = Send(Method::kGet, path, {}, cookie);
    EXPECT_EQ(res.headers["Content-Security-Policy"], kAppContentSecurityPolicy) << path;
    EXPECT_EQ(res.headers["X-Content-Type-Options"], "nosniff") << path;
    EXPECT_FALSE(res.headers["Referrer-Policy"].empty()) << path;
    EXPECT_EQ(res.headers["Cache-Control"], "no-store") << path;
  }
  Response css = Send(Method::kGet, "/app/static/app.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.headers["Content-Security-Policy"], kAppContentSecurityPolicy);
}

TEST_F(ProducerAppTest, PostWithoutOrWithWrongCsrfIs403) {
  std::string cookie = SignIn("a@htx.vn");
  std::string csrf = Csrf(cookie);
  ASSERT_FALSE(csrf.empty());
  const std::string form = "name=M%E1%BA%ADt+ong&unit=kg";
  EXPECT_EQ(
      Send(Method::kPost, "/app/products/new", form, cookie, "application/x-www-form-urlencoded")
          .status,
      403);
  EXPECT_EQ(Send(Method::kPost, "/app/products/new", form + "&csrf=wrong", cookie,
                 "application/x-www-form-urlencoded")
                .status,
            403);
  EXPECT_EQ(Send(Method::kPost, "/app/products/new", form + "&csrf=" + csrf, cookie,
                 "application/x-www-form-urlencoded")
                .status,
            303);
  EXPECT_EQ(Send(Method::kPost, "/app/api/diary", "{}", cookie, "application/json").status, 403);
  EXPECT_EQ(
      Send(Method::kPost, "/app/products/new", "%%%", cookie, "application/x-www-form-urlencoded")
          .status,
      400);
}

TEST_F(ProducerAppTest, FieldErrorIsShownBesideTheFieldInVietnamese) {
  std::string cookie = SignIn("a@htx.vn");
  std::string csrf = Csrf(cookie);
  Response res = Send(Method::kPost, "/app/products/new",
                      "name=Kh%C3%B4+b%C3%B2&unit=kg&ocop_stars=4&csrf=" + csrf, cookie,
                      "application/x-www-form-urlencoded");
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("class=\"field-error\""), std::string::npos) << res.body;
  EXPECT_NE(res.body.find("Khô bò"), std::string::npos);  // the typed value is kept
}

TEST_F(ProducerAppTest, AnotherOrganisationsProductIsNotEditable) {
  store::Product product =
      registry::CreateProduct(Ctx(), registry::Actor::CommandLine(),
                              {.org_id = org_a_, .name = "Khổ qua rừng sấy", .unit = "kg"})
          .value();
  std::string path = "/app/products/" + UrlEncode(product.id) + "/edit";
  std::string cookie_b = SignIn("b@htx.vn");
  EXPECT_EQ(Send(Method::kGet, path, {}, cookie_b).status, 404);
  EXPECT_EQ(Send(Method::kPost, path, "name=x&unit=kg&csrf=" + Csrf(cookie_b), cookie_b,
                 "application/x-www-form-urlencoded")
                .status,
            404);
  std::string cookie_a = SignIn("a@htx.vn");
  Response own = Send(Method::kGet, path, {}, cookie_a);
  EXPECT_EQ(own.status, 200);
  EXPECT_NE(own.body.find("Khổ qua rừng sấy"), std::string::npos);
}

// Every page of org B's staff, against org A's private and published data: lists, forms with
// choices, exports and edit pages never show A's records, and A's ids are refused.
TEST_F(ProducerAppTest, NoPageShowsOrChangesAnotherOrganisationsData) {
  const registry::Actor cli = registry::Actor::CommandLine();
  store::Product product =
      registry::CreateProduct(Ctx(), cli, {.org_id = org_a_, .name = "SP-A-RIENG", .unit = "kg"})
          .value();
  store::Facility facility =
      registry::CreateFacility(Ctx(), cli,
                               {.org_id = org_a_,
                                .kind = store::FacilityKind::kFarm,
                                .name = "VUON-A-RIENG",
                                .address = {.province = "Quảng Ngãi", .commune = "Nghĩa Hành"}})
          .value();
  ASSERT_TRUE(registry::CreateCertificate(Ctx(), cli,
                                          {.org_id = org_a_,
                                           .kind = "VietGAP",
                                           .number = "CERT-A-RIENG",
                                           .issuer = "Sở NN&PTNT",
                                           .issued_on = "2025-06-01"})
                  .ok());
  store::Lot lot = registry::CreateLot(Ctx(), cli,
                                       {.org_id = org_a_,
                                        .product_id = product.id,
                                        .code = "LOT-A-RIENG",
                                        .produced_on = "2026-01-01"})
                       .value();
  const std::string cookie_b = SignIn("b@htx.vn");
  for (const char* path :
       {"/app", "/app/products", "/app/products/new", "/app/products/export.csv", "/app/facilities",
        "/app/facilities/new", "/app/certificates", "/app/certificates/new", "/app/lots",
        "/app/lots/new", "/app/diary", "/app/diary/new", "/app/diary/new/harvest",
        "/app/diary/new/ship", "/app/diary/csv", "/app/diary/csv/harvest"}) {
    Response res = Send(Method::kGet, path, {}, cookie_b);
    EXPECT_EQ(res.status, 200) << path;
    for (const char* secret : {"SP-A-RIENG", "VUON-A-RIENG", "CERT-A-RIENG", "LOT-A-RIENG"}) {
      EXPECT_EQ(res.body.find(secret), std::string::npos) << path << " shows " << secret;
    }
    EXPECT_EQ(res.body.find(facility.id), std::string::npos) << path;
    EXPECT_EQ(res.body.find(lot.id), std::string::npos) << path;
  }
  const std::string edit = "/app/facilities/" + UrlEncode(facility.id) + "/edit";
  EXPECT_EQ(Send(Method::kGet, edit, {}, cookie_b).status, 404);
  EXPECT_EQ(Send(Method::kPost, edit, "name=x&kind=farm&csrf=" + Csrf(cookie_b), cookie_b,
                 "application/x-www-form-urlencoded")
                .status,
            404);
  // A diary step on A's farm is refused; nothing is recorded for B.
  Response step = Send(Method::kPost, "/app/diary/new/prepare_land",
                       "facility=" + UrlEncode(facility.id) + "&csrf=" + Csrf(cookie_b), cookie_b,
                       "application/x-www-form-urlencoded");
  EXPECT_NE(step.status, 200);
  EXPECT_NE(step.status, 303);
  EXPECT_TRUE(registry::ListDiary(Ctx(), cli, org_b_, {}).value().empty());
  // A lot for A's product is refused.
  Response lot_for_a = Send(Method::kPost, "/app/lots/new",
                            "product_id=" + UrlEncode(product.id) +
                                "&code=X1&produced_on=2026-01-02&csrf=" + Csrf(cookie_b),
                            cookie_b, "application/x-www-form-urlencoded");
  EXPECT_NE(lot_for_a.status, 303);
  EXPECT_EQ(registry::ListLots(Ctx(), cli, product.id).value().size(), 1u);
}

TEST_F(ProducerAppTest, EnglishByQueryOrAcceptLanguage) {
  Request req;
  req.method = Method::kGet;
  req.path = "/app/login";
  req.query = {{"lang", "en"}};
  Response res = router_.Handle(req);
  EXPECT_NE(res.body.find("Sign in"), std::string::npos);
  // Both the language and the login-form token are set: one Set-Cookie field each.
  EXPECT_NE(AllCookies(res).find("vt_lang=en"), std::string::npos);
  EXPECT_NE(AllCookies(res).find("vt_login="), std::string::npos);
  EXPECT_NE(Send(Method::kGet, "/app/login").body.find("Đăng nhập"), std::string::npos);
  Request accept;
  accept.method = Method::kGet;
  accept.path = "/app/login";
  accept.headers["Accept-Language"] = "en-GB,en;q=0.8";
  EXPECT_NE(router_.Handle(accept).body.find("Sign in"), std::string::npos);
}

}  // namespace
}  // namespace vntrace::http::pages
