#include "http/pages/problems_app.hpp"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "http/pages/app_test_support.hpp"
#include "http/pages/authority_app.hpp"
#include "http/pages/inspect_app.hpp"
#include "http/pages/producer_app.hpp"
#include "registry/accounts.hpp"
#include "registry/registry.hpp"
#include "report/problem_reports.hpp"
#include "store/contract/fixture.hpp"

namespace vntrace::http::pages {
namespace {

using testing::Find;
using testing::Send;

constexpr char kPassword[] = "mat-khau-du-dai";
constexpr char kBase[] = "http://127.0.0.1:8080";
constexpr char kProvince[] = "Quảng Ngãi";
const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Two producers of Quảng Ngãi (a_ in Nghĩa Hành, b_ in Ba Tơ) and one of Kon Tum, each with a
// product; one report about each, b_'s with a photo. Members of a_ and b_, an inspector of
// Quảng Ngãi, one of Kon Tum, and an authority officer of Quảng Ngãi.
class ProblemsAppTest : public ::testing::Test {
 protected:
  ProblemsAppTest()
      : clock_(core::ParseRfc3339("2026-06-01T09:00:00+07:00").value()),
        random_(9),
        ids_(registry::PlatformIds::Create(kBase).value()) {
    store_ = store::OpenStore({.location = (dir_.path() / "p.db").string()}).value();
    app_ = std::make_unique<ProducerAppContext>(ProducerAppContext{
        *store_,
        clock_,
        random_,
        kBase,
        {"127.0.0.1"},
        registry::AccountOptions{.password_ops_limit = 1, .password_mem_limit = 8192}});
    EXPECT_TRUE(RegisterProducerApp(router_, *app_).ok());
    EXPECT_TRUE(RegisterInspectApp(router_, *app_).ok());
    EXPECT_TRUE(RegisterAuthorityApp(router_, *app_).ok());
    EXPECT_TRUE(RegisterProblemPages(router_, *app_).ok());
    a_ = Org("HTX Nghĩa Hành", kProvince, "Xã Nghĩa Hành");
    b_ = Org("Hộ kinh doanh Ba Tơ", kProvince, "Xã Ba Tơ");
    c_ = Org("Công ty Đăk Hà", "Kon Tum", "Xã Đăk Hà");
    a_report_ = Report(a_, "Ớt rừng sấy", "Gói ớt bị mốc", "");
    b_report_ = Report(b_, "Mật ong Ba Tơ", "Nhãn ghi sai hạn dùng", kPng);
    c_report_ = Report(c_, "Sâm Ngọc Linh", "Nghi hàng giả", "");
    User("a@htx.vn", store::Role::kOrgAdmin, a_.id, "");
    User("b@htx.vn", store::Role::kOrgStaff, b_.id, "");
    User("thanhtra@qn.vn", store::Role::kInspector, "", kProvince);
    User("thanhtra@kt.vn", store::Role::kInspector, "", "Kon Tum");
    User("canbo@qn.vn", store::Role::kAuthorityOfficer, "", kProvince);
  }
  ~ProblemsAppTest() override {
    router_ = Router();
    app_.reset();
    store_.reset();
  }

  registry::Context Ctx() { return {store_->registry(), clock_, random_, ids_}; }

  store::Organisation Org(const std::string& name, const std::string& province,
                          const std::string& commune) {
    return registry::CreateOrganisation(Ctx(), registry::Actor::CommandLine(),
                                        {.kind = store::OrganisationKind::kHouseholdBusiness,
                                         .name = name,
                                         .address = {.province = province, .commune = commune}})
        .value();
  }

  std::string Report(const store::Organisation& org, const std::string& product_name,
                     const std::string& message, const std::string& photo) {
    const registry::Actor member{.kind = registry::ActorKind::kUser,
                                 .id = "m",
                                 .role = store::Role::kOrgAdmin,
                                 .org_id = org.id};
    store::Product product =
        registry::CreateProduct(Ctx(), member, {.org_id = org.id, .name = product_name}).value();
    const report::ProblemContext pctx{*store_, clock_, random_, secret_};
    const std::string code = product.identifier;
    return report::SubmitProblemReport(pctx, {.code = code,
                                              .product_id = product.id,
                                              .token = report::ProblemFormToken(pctx, code),
                                              .kind = "quality_safety",
                                              .message = message,
                                              .contact = "lan@example.vn",
                                              .scan_area = "Hà Nội",
                                              .photo = photo})
        .value()
        .id;
  }

  void User(const std::string& email, store::Role role, const std::string& org_id,
            const std::string& province) {
    registry::NewUser user{.email = email,
                           .display_name = "Người dùng " + email,
                           .role = role,
                           .org_id = org_id,
                           .password = kPassword};
    if (!province.empty()) user.area = {.province = province};
    ASSERT_TRUE(
        registry::CreateUser(Ctx(), registry::Actor::CommandLine(), user, app_->accounts).ok());
  }

  std::string SignIn(const std::string& email) {
    return testing::SignIn(router_, email, kPassword);
  }
  Response Get(const std::string& target, const std::string& session) {
    return Send(router_, Method::kGet, target, {}, session);
  }

  store::testing::TempDir dir_;
  core::FakeClock clock_;
  core::FakeRandom random_;
  registry::PlatformIds ids_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ProducerAppContext> app_;
  Router router_;
  std::string secret_ = std::string(report::kFormSecretBytes, 'q');
  store::Organisation a_, b_, c_;
  std::string a_report_, b_report_, c_report_;
};

TEST_F(ProblemsAppTest, AProducerSeesOnlyReportsAboutItsOwnProducts) {
  const std::string session = SignIn("a@htx.vn");
  Response home = Get("/app", session);
  ASSERT_EQ(home.status, 200);
  EXPECT_TRUE(Contains(home.body, "href=\"/app/problems\""));
  EXPECT_EQ(Find(home.body, "title=\"Phản ánh của người tiêu dùng chưa xử lý\">(\\d+)<"), "1");

  Response list = Get("/app/problems", session);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(Contains(list.body, "Gói ớt bị mốc"));
  EXPECT_TRUE(Contains(list.body, "Chất lượng, an toàn thực phẩm"));
  EXPECT_TRUE(Contains(list.body, "lan@example.vn"));
  EXPECT_FALSE(Contains(list.body, "Nhãn ghi sai hạn dùng"));  // b_'s
  EXPECT_FALSE(Contains(list.body, "Nghi hàng giả"));          // c_'s
  // b_'s photo is not served to a_ (nor to b_ itself).
  EXPECT_NE(Get("/app/inspect/problems/" + b_report_ + "/photo", session).status, 200);
  const std::string b_session = SignIn("b@htx.vn");
  Response b_list = Get("/app/problems", b_session);
  EXPECT_TRUE(Contains(b_list.body, "Có ảnh (chỉ cơ quan kiểm tra xem được)"));
  EXPECT_FALSE(Contains(b_list.body, "/photo"));
  EXPECT_EQ(Get("/app/inspect/problems/" + b_report_ + "/photo", b_session).status, 403);
}

TEST_F(ProblemsAppTest, TheProducerMarksAReportHandled) {
  const std::string session = SignIn("a@htx.vn");
  const std::string csrf = testing::Csrf(router_, session, "/app/problems");
  ASSERT_FALSE(csrf.empty());
  // Another producer cannot mark it.
  const std::string b_session = SignIn("b@htx.vn");
  Response refused = Send(router_, Method::kPost, "/app/problems/" + a_report_ + "/handled",
                          "csrf=" + testing::Csrf(router_, b_session, "/app/problems"), b_session,
                          "application/x-www-form-urlencoded");
  EXPECT_EQ(refused.status, 404);
  // Nor without the CSRF token.
  EXPECT_NE(Send(router_, Method::kPost, "/app/problems/" + a_report_ + "/handled", "csrf=x",
                 session, "application/x-www-form-urlencoded")
                .status,
            303);
  Response marked = Send(router_, Method::kPost, "/app/problems/" + a_report_ + "/handled",
                         "csrf=" + csrf, session, "application/x-www-form-urlencoded");
  EXPECT_EQ(marked.status, 303) << marked.body;
  Response list = Get("/app/problems?saved=1", session);
  EXPECT_TRUE(Contains(list.body, "Đã xử lý"));
  EXPECT_FALSE(Contains(list.body, "/handled\""));
  EXPECT_FALSE(Contains(Get("/app", session).body, "title=\"Phản ánh của người tiêu dùng"));
  EXPECT_TRUE(store_->problems().GetProblemReport(a_report_)->handled_at.has_value());
}

TEST_F(ProblemsAppTest, InspectorsSeeTheirAreaWithPhotos) {
  const std::string session = SignIn("thanhtra@qn.vn");
  Response list = Get("/app/inspect/problems", session);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(Contains(list.body, "Gói ớt bị mốc"));
  EXPECT_TRUE(Contains(list.body, "Nhãn ghi sai hạn dùng"));
  EXPECT_FALSE(Contains(list.body, "Nghi hàng giả"));
  EXPECT_TRUE(Contains(list.body, "HTX Nghĩa Hành"));
  EXPECT_TRUE(Contains(list.body, "/app/inspect/problems/" + b_report_ + "/photo"));
  Response photo = Get("/app/inspect/problems/" + b_report_ + "/photo", session);
  ASSERT_EQ(photo.status, 200);
  EXPECT_EQ(photo.body, kPng);
  EXPECT_EQ(photo.headers["Content-Type"], "image/png");
  // An inspector of Kon Tum sees Kon Tum's report only, and no photo of Quảng Ngãi.
  const std::string kon_tum = SignIn("thanhtra@kt.vn");
  Response kt = Get("/app/inspect/problems", kon_tum);
  EXPECT_TRUE(Contains(kt.body, "Nghi hàng giả"));
  EXPECT_FALSE(Contains(kt.body, "Gói ớt bị mốc"));
  EXPECT_EQ(Get("/app/inspect/problems/" + b_report_ + "/photo", kon_tum).status, 404);
  // Producers are not inspectors.
  EXPECT_EQ(Get("/app/inspect/problems", SignIn("a@htx.vn")).status, 403);
}

TEST_F(ProblemsAppTest, TheAuthorityDashboardCountsAndListsTheAreasReports) {
  ASSERT_TRUE(report::MarkProblemHandled({*store_, clock_, random_, secret_},
                                         registry::Actor::CommandLine(), a_report_)
                  .ok());
  const std::string session = SignIn("canbo@qn.vn");
  Response page = Get("/app/authority", session);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(Find(page.body, "id=\"problems-total\">(\\d+)<"), "2");
  EXPECT_EQ(Find(page.body, "id=\"problems-open\">(\\d+)<"), "1");
  EXPECT_TRUE(Contains(page.body, "Nhãn ghi sai hạn dùng"));
  EXPECT_FALSE(Contains(page.body, "Nghi hàng giả"));
  EXPECT_FALSE(Contains(page.body, "Chưa có chức năng tiếp nhận phản ánh"));
}

}  // namespace
}  // namespace vntrace::http::pages
