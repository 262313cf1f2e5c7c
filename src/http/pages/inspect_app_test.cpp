#include "http/pages/inspect_app.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "gs1/keys.hpp"
#include "http/internal/target.hpp"
#include "http/pages/app_test_support.hpp"
#include "http/pages/form.hpp"
#include "http/pages/producer_app.hpp"
#include "http/resolver/resolver.hpp"
#include "label/render/symbol.hpp"
#include "label/stamps.hpp"
#include "registry/accounts.hpp"
#include "registry/diary.hpp"
#include "registry/registry.hpp"
#include "store/contract/fixture.hpp"

namespace vntrace::http::pages {
namespace {

using testing::AllCookies;
using testing::Find;

constexpr char kPassword[] = "mat-khau-du-dai";
constexpr char kBase[] = "http://127.0.0.1:8080";
constexpr char kProvince[] = "Quảng Ngãi";
const std::string kJpeg = std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10) + std::string(40, 'j');

std::string Gtin(const std::string& prefix, const std::string& item) {
  const std::string body = prefix + item;
  return "0" + body + std::to_string(gs1::ComputeCheckDigit(body));
}

// Two organisations of Quảng Ngãi: a_ harvests L1 and ships it to b_, which dries it into LB2.
// Inspectors of Quảng Ngãi and of Kon Tum; a staff member of b_.
class InspectAppTest : public ::testing::Test {
 protected:
  InspectAppTest()
      : clock_(core::ParseRfc3339("2026-06-01T09:00:00+07:00").value()),
        random_(5),
        ids_(registry::PlatformIds::Create(kBase).value()) {
    store_ = store::OpenStore({.location = (dir_.path() / "i.db").string()}).value();
    app_ = std::make_unique<ProducerAppContext>(ProducerAppContext{
        *store_,
        clock_,
        random_,
        kBase,
        {"127.0.0.1"},
        registry::AccountOptions{.password_ops_limit = 1, .password_mem_limit = 8192}});
    EXPECT_TRUE(RegisterProducerApp(router_, *app_).ok());
    EXPECT_TRUE(RegisterInspectApp(router_, *app_).ok());
    stamps_ = std::make_unique<label::StampService>(*store_, clock_, random_, kBase);
    resolver_ =
        std::make_unique<ResolverContext>(ResolverContext{*store_, clock_, *stamps_, kBase});
    RegisterResolver(router_, *resolver_);
    Build();
  }
  ~InspectAppTest() override {
    router_ = Router();
    resolver_.reset();
    stamps_.reset();
    app_.reset();
    store_.reset();
  }

  registry::Context Ctx() { return {store_->registry(), clock_, random_, ids_}; }
  static registry::Actor Member(const store::Organisation& org) {
    return registry::Actor{.kind = registry::ActorKind::kUser,
                           .id = "m",
                           .role = store::Role::kOrgAdmin,
                           .org_id = org.id};
  }

  store::Organisation Org(const std::string& name, const std::string& commune,
                          const std::string& prefix) {
    return registry::CreateOrganisation(Ctx(), registry::Actor::CommandLine(),
                                        {.kind = store::OrganisationKind::kHouseholdBusiness,
                                         .name = name,
                                         .address = {.province = kProvince, .commune = commune},
                                         .gs1_company_prefix = prefix})
        .value();
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
  registry::DiaryStepResult Step(const store::Organisation& org, std::string template_id,
                                 std::vector<std::pair<std::string, std::string>> fields) {
    return registry::RecordStep(Ctx(), Member(org),
                                {.org_id = org.id,
                                 .template_id = std::move(template_id),
                                 .fields = std::move(fields)})
        .value();
  }

  void Build() {
    a_ = Org("HTX Nghĩa Hành", "Xã Nghĩa Hành", "893504950");
    b_ = Org("HTX Ba Tơ", "Xã Ba Tơ", "893504951");
    gtin_a_ = Gtin("893504950", "001");
    gtin_b_ = Gtin("893504951", "002");
    const store::Facility a_plot =
        registry::CreateFacility(
            Ctx(), Member(a_),
            {.org_id = a_.id, .kind = store::FacilityKind::kPlot, .name = "Lô ớt"})
            .value();
    const store::Facility b_dryer =
        registry::CreateFacility(
            Ctx(), Member(b_),
            {.org_id = b_.id, .kind = store::FacilityKind::kWorkshop, .name = "Xưởng sấy Ba Tơ"})
            .value();
    const store::Product a_product =
        registry::CreateProduct(Ctx(), Member(a_),
                                {.org_id = a_.id, .gtin = gtin_a_, .name = "Ớt rừng tươi"})
            .value();
    const store::Product b_product =
        registry::CreateProduct(Ctx(), Member(b_),
                                {.org_id = b_.id, .gtin = gtin_b_, .name = "Ớt rừng sấy khô"})
            .value();
    ASSERT_TRUE(registry::CreateCertificate(Ctx(), Member(a_),
                                            {.org_id = a_.id,
                                             .product_id = a_product.id,
                                             .kind = "VietGAP",
                                             .number = "VG-2026-07",
                                             .issuer = "Sở NN&MT Quảng Ngãi",
                                             .issued_on = "2026-01-01",
                                             .valid_until = "2026-03-01"})
                    .ok());
    l1_ = Step(a_, "harvest",
               {{"facility", a_plot.id},
                {"occurred_at", "2026-05-20"},
                {"product", a_product.id},
                {"quantity", "100"},
                {"unit", "kg"},
                {"lot_code", "L1"}})
              .entry.lot_id;
    Step(a_, "ship",
         {{"facility", a_plot.id},
          {"occurred_at", "2026-05-21"},
          {"lot", "L1"},
          {"quantity", "100"},
          {"unit", "kg"},
          {"receiver", b_.id},
          {"receiver_location", b_dryer.id}});
    Step(b_, "receive_inputs",
         {{"facility", b_dryer.id},
          {"occurred_at", "2026-05-21"},
          {"lot", l1_},
          {"quantity", "100"},
          {"unit", "kg"},
          {"supplier", a_.id}});
    lb2_ = Step(b_, "process",
                {{"facility", b_dryer.id},
                 {"occurred_at", "2026-05-23"},
                 {"input_lot", l1_},
                 {"input_quantity", "100"},
                 {"input_unit", "kg"},
                 {"product", b_product.id},
                 {"quantity", "15"},
                 {"unit", "kg"},
                 {"lot_code", "LB2"}})
               .entry.lot_id;
    User("thanhtra@qn.vn", store::Role::kInspector, "", kProvince);
    User("thanhtra@kontum.vn", store::Role::kInspector, "", "Kon Tum");
    User("nhanvien@bato.vn", store::Role::kOrgStaff, b_.id, "");
  }

  Response Send(Method method, const std::string& target, std::string body = {},
                std::string cookie = {}, std::string content_type = {}, std::string accept = {}) {
    return testing::Send(router_, method, target, std::move(body), std::move(cookie),
                         std::move(content_type), std::move(accept));
  }

  std::string SignIn(const std::string& email) {
    return testing::SignIn(router_, email, kPassword);
  }
  std::string Csrf(const std::string& cookie) {
    return Find(Send(Method::kGet, "/app/inspect/inspections/new", {}, cookie).body,
                "name=\"csrf\" value=\"([^\"]+)\"");
  }

  // A multipart body with `fields` and, when `file` is set, one file part "photo".
  static std::string Multipart(const std::vector<std::pair<std::string, std::string>>& fields,
                               const std::string& filename, const std::string& file) {
    std::string body;
    for (const auto& [name, value] : fields) {
      body +=
          "--XyZ\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }
    if (!filename.empty()) {
      body += "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"" + filename +
              "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + file + "\r\n";
    }
    return body + "--XyZ--\r\n";
  }
  static constexpr char kMultipart[] = "multipart/form-data; boundary=XyZ";

  std::string Dl(const std::string& gtin, const std::string& lot) {
    return "https://id.gs1.org/01/" + gtin + "/10/" + lot;
  }

  core::FakeClock clock_;
  core::FakeRandom random_;
  registry::PlatformIds ids_;
  store::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ProducerAppContext> app_;
  std::unique_ptr<label::StampService> stamps_;
  std::unique_ptr<ResolverContext> resolver_;
  Router router_;
  store::Organisation a_, b_;
  std::string gtin_a_, gtin_b_, l1_, lb2_;
};

TEST_F(InspectAppTest, OnlyInspectorsUseTheWorkspace) {
  EXPECT_EQ(Send(Method::kGet, "/app/inspect").headers["Location"], "/app/login");
  const std::string staff = SignIn("nhanvien@bato.vn");
  EXPECT_EQ(Send(Method::kGet, "/app/inspect", {}, staff).status, 403);
  EXPECT_EQ(Send(Method::kGet, "/app/inspect/check?code=" + UrlEncode(gtin_a_), {}, staff).status,
            403);
  const std::string inspector = SignIn("thanhtra@qn.vn");
  EXPECT_EQ(Send(Method::kGet, "/app", {}, inspector).headers["Location"], "/app/inspect");
  Response home = Send(Method::kGet, "/app/inspect", {}, inspector);
  EXPECT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("Kiểm tra nhanh"), std::string::npos);
  EXPECT_NE(home.body.find("/app/static/inspect.js"), std::string::npos);
  EXPECT_EQ(Send(Method::kGet, "/app/static/inspect.js").status, 200);
}

TEST_F(InspectAppTest, QuickCheckShowsVerdictCertificatesAndTrace) {
  const std::string inspector = SignIn("thanhtra@qn.vn");
  Response res =
      Send(Method::kGet, "/app/inspect/check?code=" + UrlEncode(Dl(gtin_a_, "L1")), {}, inspector);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_NE(res.body.find("data-status=\"registered\""), std::string::npos);
  EXPECT_NE(res.body.find("Ớt rừng tươi"), std::string::npos);
  EXPECT_NE(res.body.find("VG-2026-07"), std::string::npos);
  EXPECT_NE(res.body.find("Hết hiệu lực"), std::string::npos);  // the certificate expired
  const std::string one_down = Find(res.body, "<ul id=\"one-down\">([\\s\\S]*?)</ul>");
  EXPECT_NE(one_down.find("HTX Ba Tơ"), std::string::npos) << one_down;
  EXPECT_NE(res.body.find("/app/inspect/recalls/new?lot=" + UrlEncode(l1_)), std::string::npos);
  EXPECT_NE(res.body.find("id=\"record-inspection\""), std::string::npos);

  // Kon Tum's inspector: public part only, no actions.
  const std::string other = SignIn("thanhtra@kontum.vn");
  Response outside =
      Send(Method::kGet, "/app/inspect/check?code=" + UrlEncode(Dl(gtin_a_, "L1")), {}, other);
  ASSERT_EQ(outside.status, 200);
  EXPECT_NE(outside.body.find("nằm ngoài địa bàn"), std::string::npos);
  EXPECT_EQ(outside.body.find("VG-2026-07"), std::string::npos);
  EXPECT_EQ(outside.body.find("id=\"record-inspection\""), std::string::npos);
  EXPECT_EQ(Send(Method::kGet, "/app/inspect/trace?lot=" + UrlEncode(l1_), {}, other).status, 403);
  EXPECT_EQ(Send(Method::kGet, "/app/inspect/trace?lot=" + UrlEncode(l1_), {}, inspector).status,
            200);

  // A code nothing can read: the message beside the field.
  Response bad = Send(Method::kGet, "/app/inspect/check?code=xin+ch%C3%A0o", {}, inspector);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("Không đọc được mã này."), std::string::npos);
}

TEST_F(InspectAppTest, APhotoOfTheCodeOpensItsCheck) {
  const std::string inspector = SignIn("thanhtra@qn.vn");
  const std::string csrf = Csrf(inspector);
  ASSERT_FALSE(csrf.empty());
  const std::string code = Dl(gtin_a_, "L1");
  core::Result<label::render::Symbol> qr = label::render::RenderQr(code);
  ASSERT_TRUE(qr.ok());
  core::Result<std::string> png = label::render::ToPng(*qr, 6);
  ASSERT_TRUE(png.ok());

  Response read = Send(Method::kPost, "/app/inspect/check/photo",
                       Multipart({{"csrf", csrf}}, "tem.png", *png), inspector, kMultipart);
  ASSERT_EQ(read.status, 303) << read.body;
  EXPECT_EQ(read.headers["Location"], "/app/inspect/check?code=" + UrlEncode(code));

  // Without the CSRF token, from a staff member, without a code in it, not an image.
  EXPECT_EQ(Send(Method::kPost, "/app/inspect/check/photo", Multipart({}, "tem.png", *png),
                 inspector, kMultipart)
                .status,
            403);
  const std::string staff = SignIn("nhanvien@bato.vn");
  EXPECT_EQ(Send(Method::kPost, "/app/inspect/check/photo",
                 Multipart({{"csrf", testing::Csrf(router_, staff, "/app")}}, "tem.png", *png),
                 staff, kMultipart)
                .status,
            403);
  label::render::Symbol blank = *qr;
  std::fill(blank.modules.begin(), blank.modules.end(), 0);
  Response none = Send(Method::kPost, "/app/inspect/check/photo",
                       Multipart({{"csrf", csrf}}, "trang.png", *label::render::ToPng(blank, 6)),
                       inspector, kMultipart);
  EXPECT_EQ(none.status, 422);
  EXPECT_NE(none.body.find("Không tìm thấy mã nào trong ảnh"), std::string::npos);
  Response gif = Send(Method::kPost, "/app/inspect/check/photo",
                      Multipart({{"csrf", csrf}}, "tem.gif", "GIF89a"), inspector, kMultipart);
  EXPECT_EQ(gif.status, 400);
  EXPECT_NE(gif.body.find("Ảnh phải là tệp JPEG hoặc PNG."), std::string::npos);
}

TEST_F(InspectAppTest, InspectionsAreRecordedWithPhotosAndViolations) {
  const std::string inspector = SignIn("thanhtra@qn.vn");
  const std::string csrf = Csrf(inspector);
  ASSERT_FALSE(csrf.empty());
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"csrf", csrf},
      {"org_id", a_.id},
      {"place", "Chợ Nghĩa Hành, quầy 4"},
      {"inspected_on", "2026-05-31"},
      {"result", "failed"},
      {"notes", "Tem có dấu hiệu in lại"},
      {"code", Dl(gtin_a_, "L1")},
      {"lot_id", l1_},
      {"violation_kind_1", "cloned_stamp"},
      {"violation_description_1", "Tem in màu khác"},
      {"violation_kind_2", ""},
      {"violation_description_2", ""}};

  // No CSRF token: refused.
  std::vector<std::pair<std::string, std::string>> no_csrf(fields.begin() + 1, fields.end());
  EXPECT_EQ(Send(Method::kPost, "/app/inspect/inspections/new",
                 Multipart(no_csrf, "tem.jpg", kJpeg), inspector, kMultipart)
                .status,
            403);
  // Not an image: the Vietnamese message beside the photo field.
  Response gif = Send(Method::kPost, "/app/inspect/inspections/new",
                      Multipart(fields, "tem.gif", "GIF89a-not-a-jpeg"), inspector, kMultipart);
  EXPECT_EQ(gif.status, 400);
  EXPECT_NE(gif.body.find("Ảnh phải là tệp JPEG hoặc PNG."), std::string::npos);
  EXPECT_NE(gif.body.find("Chợ Nghĩa Hành, quầy 4"), std::string::npos);  // fields kept

  Response created = Send(Method::kPost, "/app/inspect/inspections/new",
                          Multipart(fields, "tem.jpg", kJpeg), inspector, kMultipart);
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string location = created.headers["Location"];
  ASSERT_TRUE(location.starts_with("/app/inspect/inspections/")) << location;
  Response detail = Send(Method::kGet, location, {}, inspector);
  ASSERT_EQ(detail.status, 200);
  EXPECT_NE(detail.body.find("Tem bị sao chép, làm giả"), std::string::npos);
  EXPECT_NE(detail.body.find("Không đạt"), std::string::npos);
  const std::string photo = Find(detail.body, "<img src=\"([^\"]+)\"");
  ASSERT_FALSE(photo.empty());
  Response image = Send(Method::kGet, photo, {}, inspector);
  EXPECT_EQ(image.status, 200);
  EXPECT_EQ(image.body, kJpeg);
  EXPECT_EQ(image.headers["Content-Type"], "image/jpeg");

  // Kon Tum's inspector sees neither the inspection nor its photo, nor lists it.
  const std::string other = SignIn("thanhtra@kontum.vn");
  EXPECT_EQ(Send(Method::kGet, location.substr(0, location.find('?')), {}, other).status, 403);
  EXPECT_EQ(Send(Method::kGet, photo, {}, other).status, 403);
  EXPECT_EQ(Send(Method::kGet, "/app/inspect/inspections", {}, other).body.find("Chợ Nghĩa Hành"),
            std::string::npos);
  Response list = Send(Method::kGet, "/app/inspect/inspections?violations=1", {}, inspector);
  EXPECT_NE(list.body.find("Chợ Nghĩa Hành"), std::string::npos);
  Response passed = Send(Method::kGet, "/app/inspect/inspections?result=passed", {}, inspector);
  EXPECT_EQ(passed.body.find("Chợ Nghĩa Hành"), std::string::npos);
}

TEST_F(InspectAppTest, RecallReachesTheReceiverAndTheScanPage) {
  const std::string inspector = SignIn("thanhtra@qn.vn");
  const std::string csrf = Csrf(inspector);
  Response form =
      Send(Method::kGet, "/app/inspect/recalls/new?lot=" + UrlEncode(l1_), {}, inspector);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("Ớt rừng tươi · L1"), std::string::npos);
  const std::string body = "csrf=" + csrf + "&lot_id=" + UrlEncode(l1_) +
                           "&reason=" + UrlEncode("Dư lượng thuốc BVTV vượt ngưỡng") +
                           "&scope=downstream";
  // Without the confirmation box: nothing happens.
  Response unconfirmed = Send(Method::kPost, "/app/inspect/recalls/new", body, inspector,
                              "application/x-www-form-urlencoded");
  EXPECT_EQ(unconfirmed.status, 400);
  EXPECT_FALSE(store_->stamps().GetLotRecall(l1_)->has_value());

  Response done = Send(Method::kPost, "/app/inspect/recalls/new", body + "&confirm=1", inspector,
                       "application/x-www-form-urlencoded");
  ASSERT_EQ(done.status, 303) << done.body;
  Response detail = Send(Method::kGet, done.headers["Location"], {}, inspector);
  ASSERT_EQ(detail.status, 200);
  EXPECT_NE(detail.body.find("Ớt rừng sấy khô · LB2"), std::string::npos);
  const std::string csv = Find(detail.body, "href=\"([^\"]+report\\.csv)\"");
  Response report = Send(Method::kGet, csv, {}, inspector);
  EXPECT_EQ(report.status, 200);
  EXPECT_NE(report.body.find("LB2"), std::string::npos);

  // The receiving organisation sees the notice on its home page and its lot list.
  const std::string staff = SignIn("nhanvien@bato.vn");
  Response home = Send(Method::kGet, "/app", {}, staff);
  EXPECT_NE(home.body.find("Thông báo thu hồi"), std::string::npos);
  EXPECT_NE(home.body.find("Dư lượng thuốc BVTV vượt ngưỡng"), std::string::npos);
  Response lots = Send(Method::kGet, "/app/lots", {}, staff);
  EXPECT_NE(lots.body.find("Đã bị thu hồi"), std::string::npos);
  EXPECT_EQ(Send(Method::kGet, done.headers["Location"], {}, staff).status, 200);

  // The scan page of the downstream lot's code warns at once.
  Response scan = Send(Method::kGet, "/01/" + gtin_b_ + "/10/LB2", {}, {}, {}, "text/html");
  ASSERT_EQ(scan.status, 200) << scan.body;
  EXPECT_NE(scan.body.find("Sản phẩm đang bị thu hồi"), std::string::npos);
}

}  // namespace
}  // namespace vntrace::http::pages
