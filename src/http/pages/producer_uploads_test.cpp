// The producer app's uploads: product images, certificate files (both served at /media/{id})
// and XLSX bulk entry of the diary, through the router as a browser sends them.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/sha256.hpp"
#include "http/pages/app_test_support.hpp"
#include "http/pages/form.hpp"
#include "http/pages/producer_app.hpp"
#include "registry/accounts.hpp"
#include "registry/media.hpp"
#include "registry/registry.hpp"
#include "registry/xlsx.hpp"
#include "store/contract/fixture.hpp"

namespace vntrace::http::pages {
namespace {

using testing::Find;

constexpr char kPassword[] = "mat-khau-du-dai";
constexpr char kBoundary[] = "----vntrace-test-boundary";

// A PNG header of a `w` x `h` image followed by `extra` bytes of padding.
std::string Png(std::uint32_t w, std::uint32_t h, std::size_t extra = 16) {
  std::string out("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR", 16);
  for (std::uint32_t v : {w, h}) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
  }
  return out + std::string("\x08\x02\0\0\0", 5) + std::string(extra, '\x01');
}

struct Part {
  std::string name;
  std::string value;
  std::string filename{};  // non-empty: a file part
};

std::string Multipart(const std::vector<Part>& parts) {
  std::string body;
  for (const Part& p : parts) {
    body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + p.name +
            "\"";
    if (!p.filename.empty()) {
      // The declared type is deliberately wrong: only the bytes decide.
      body += "; filename=\"" + p.filename + "\"\r\nContent-Type: image/png";
    }
    body += "\r\n\r\n" + p.value + "\r\n";
  }
  return body + "--" + kBoundary + "--\r\n";
}

class ProducerUploadsTest : public ::testing::Test {
 protected:
  ProducerUploadsTest()
      : clock_(core::ParseRfc3339("2026-06-01T09:00:00+07:00").value()),
        random_(17),
        ids_(registry::PlatformIds::Create("http://127.0.0.1:8080").value()) {
    store_ = store::OpenStore({.location = (dir_.path() / "u.db").string()}).value();
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
  ~ProducerUploadsTest() override {
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
  Response Post(const std::string& path, const std::string& cookie, std::vector<Part> parts) {
    parts.push_back({"csrf", testing::Csrf(router_, cookie, "/app")});
    return Send(Method::kPost, path, Multipart(parts), cookie,
                std::string("multipart/form-data; boundary=") + kBoundary);
  }
  std::size_t MediaAudits() {
    const std::vector<store::AuditEntry> audit = store_->registry().ListAudit("", 1000).value();
    std::size_t n = 0;
    for (const store::AuditEntry& e : audit) {
      n += e.entity == "media" ? 1 : 0;
    }
    return n;
  }
  std::vector<store::Product> Products(const std::string& org) {
    return store_->registry().ListProducts(org).value();
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

TEST_F(ProducerUploadsTest, ProductImageIsStoredServedAndShown) {
  const std::string cookie = testing::SignIn(router_, "a@htx.vn", kPassword);
  const std::string image = Png(800, 600, 2000);
  Response created =
      Post("/app/products/new", cookie,
           {{"name", "Bò khô Nghĩa Ân"}, {"unit", "kg"}, {"image", image, "bo-kho.jpg"}});
  ASSERT_EQ(created.status, 303) << created.body;
  std::vector<store::Product> products = Products(org_a_);
  ASSERT_EQ(products.size(), 1u);
  const std::string url = "/media/" + core::Sha256Hex(image);
  EXPECT_EQ(products[0].image_ref, url);

  // Served publicly (no session), byte for byte, with the recognised type and for a year.
  Response served = Send(Method::kGet, url);
  ASSERT_EQ(served.status, 200);
  EXPECT_EQ(served.body, image);
  EXPECT_EQ(served.headers["Content-Type"], "image/png");
  EXPECT_EQ(served.headers["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(served.headers["Cache-Control"], "public, max-age=31536000, immutable");
  EXPECT_EQ(served.headers["ETag"], "\"" + core::Sha256Hex(image) + "\"");
  Request again;
  again.method = Method::kGet;
  again.path = url;
  again.remote_address = "127.0.0.1";
  again.headers["If-None-Match"] = served.headers["ETag"];
  Response not_modified = router_.Handle(again);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
  EXPECT_EQ(Send(Method::kGet, "/media/" + std::string(64, '0')).status, 404);
  EXPECT_EQ(Send(Method::kGet, "/media/..%2Fetc").status, 404);

  // The list shows a thumbnail scaled into 64 px, the form the current image.
  Response list = Send(Method::kGet, "/app/products", {}, cookie);
  EXPECT_NE(
      list.body.find("src=\"" + url + "\" alt=\"\" width=\"64\" height=\"48\" loading=\"lazy\""),
      std::string::npos)
      << list.body;
  EXPECT_LT(list.body.size(), 50'000u);
  const std::string edit = "/app/products/" + UrlEncode(products[0].id) + "/edit";
  Response form = Send(Method::kGet, edit, {}, cookie);
  EXPECT_NE(form.body.find("enctype=\"multipart/form-data\""), std::string::npos);
  EXPECT_NE(form.body.find("src=\"" + url + "\""), std::string::npos);

  // Replacing keeps the old file; saving without a file keeps the image.
  const std::string second = Png(100, 300);
  ASSERT_EQ(
      Post(edit, cookie, {{"name", "Bò khô"}, {"unit", "kg"}, {"image", second, "b.png"}}).status,
      303);
  EXPECT_EQ(Products(org_a_)[0].image_ref, "/media/" + core::Sha256Hex(second));
  EXPECT_EQ(Send(Method::kGet, url).body, image);
  ASSERT_EQ(Post(edit, cookie, {{"name", "Bò khô 2"}, {"unit", "kg"}}).status, 303);
  EXPECT_EQ(Products(org_a_)[0].image_ref, "/media/" + core::Sha256Hex(second));
}

TEST_F(ProducerUploadsTest, WrongOrTooLargeImageIsRefusedBesideTheFieldAndNothingIsStored) {
  const std::string cookie = testing::SignIn(router_, "a@htx.vn", kPassword);
  const std::size_t audits = MediaAudits();
  Response wrong =
      Post("/app/products/new", cookie,
           {{"name", "Ớt rừng"}, {"unit", "kg"}, {"image", "<svg onload=alert(1)>", "anh.png"}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("id=\"image-error\" role=\"alert\">Ảnh phải là JPEG, PNG hoặc WebP<"),
            std::string::npos)
      << wrong.body;
  EXPECT_NE(wrong.body.find("value=\"Ớt rừng\""), std::string::npos);  // typed values kept
  Response large = Post("/app/products/new", cookie,
                        {{"name", "Ớt rừng"},
                         {"unit", "kg"},
                         {"image", Png(10, 10, registry::kMaxImageBytes), "lon.png"}});
  EXPECT_EQ(large.status, 400);
  EXPECT_NE(large.body.find("Ảnh quá lớn (tối đa 2 MB)"), std::string::npos);
  EXPECT_TRUE(Products(org_a_).empty());
  EXPECT_EQ(MediaAudits(), audits);

  Response english = Send(Method::kGet, "/app/products/new?lang=en", {}, cookie);
  ASSERT_EQ(english.status, 200);
  wrong = Post("/app/products/new", cookie + "; vt_lang=en",
               {{"name", "Chili"}, {"unit", "kg"}, {"image", "GIF89a", "a.gif"}});
  EXPECT_NE(wrong.body.find("The image must be JPEG, PNG or WebP"), std::string::npos);
}

TEST_F(ProducerUploadsTest, AnotherOrganisationCannotAttachAnImageToAProduct) {
  store::Product product =
      registry::CreateProduct(Ctx(), registry::Actor::CommandLine(),
                              {.org_id = org_a_, .name = "Khổ qua rừng sấy", .unit = "kg"})
          .value();
  const std::string cookie_b = testing::SignIn(router_, "b@htx.vn", kPassword);
  const std::string image = Png(20, 20);
  Response res = Post("/app/products/" + UrlEncode(product.id) + "/edit", cookie_b,
                      {{"name", "Chiếm"}, {"unit", "kg"}, {"image", image, "x.png"}});
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(Products(org_a_)[0].image_ref, "");
  EXPECT_EQ(Send(Method::kGet, "/media/" + core::Sha256Hex(image)).status, 404);
}

TEST_F(ProducerUploadsTest, CertificateFileAtCreationAndLaterByTheOwnerOnly) {
  const std::string cookie = testing::SignIn(router_, "a@htx.vn", kPassword);
  const std::string pdf = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
  ASSERT_EQ(Post("/app/certificates/new", cookie,
                 {{"kind", "VietGAP"},
                  {"number", "VG-01"},
                  {"issuer", "Trung tâm"},
                  {"issued_on", "2025-01-01"},
                  {"file", pdf, "giay.pdf"}})
                .status,
            303);
  std::vector<store::Certificate> certs = store_->registry().ListCertificates(org_a_).value();
  ASSERT_EQ(certs.size(), 1u);
  const std::string url = "/media/" + core::Sha256Hex(pdf);
  EXPECT_EQ(certs[0].file_ref, url);
  Response served = Send(Method::kGet, url);
  EXPECT_EQ(served.body, pdf);
  EXPECT_EQ(served.headers["Content-Type"], "application/pdf");
  Response list = Send(Method::kGet, "/app/certificates", {}, cookie);
  EXPECT_NE(list.body.find("href=\"" + url + "\""), std::string::npos) << list.body;
  EXPECT_NE(list.body.find("Xem tệp"), std::string::npos);

  // A certificate without a file gets one later through its edit page.
  ASSERT_EQ(Post("/app/certificates/new", cookie,
                 {{"kind", "Hữu cơ"},
                  {"number", "HC-02"},
                  {"issuer", "Trung tâm"},
                  {"issued_on", "2025-02-01"}})
                .status,
            303);
  certs = store_->registry().ListCertificates(org_a_).value();
  ASSERT_EQ(certs.size(), 2u);
  const store::Certificate& bare = certs[0].number == "HC-02" ? certs[0] : certs[1];
  EXPECT_EQ(bare.file_ref, "");
  const std::string edit = "/app/certificates/" + UrlEncode(bare.id) + "/edit";
  Response form = Send(Method::kGet, edit, {}, cookie);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("value=\"HC-02\""), std::string::npos);

  const std::string cookie_b = testing::SignIn(router_, "b@htx.vn", kPassword);
  EXPECT_EQ(Send(Method::kGet, edit, {}, cookie_b).status, 404);
  const std::string photo = Png(1200, 1600);
  EXPECT_EQ(Post(edit, cookie_b,
                 {{"kind", "Hữu cơ"},
                  {"number", "HC-02"},
                  {"issuer", "Trung tâm"},
                  {"issued_on", "2025-02-01"},
                  {"file", photo, "x.png"}})
                .status,
            404);
  EXPECT_EQ(Send(Method::kGet, "/media/" + core::Sha256Hex(photo)).status, 404);

  Response wrong = Post(edit, cookie,
                        {{"kind", "Hữu cơ"},
                         {"number", "HC-02"},
                         {"issuer", "Trung tâm"},
                         {"issued_on", "2025-02-01"},
                         {"file", "PK\3\4zip", "a.docx"}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("Tệp phải là PDF, JPEG hoặc PNG"), std::string::npos) << wrong.body;
  Response large =
      Post(edit, cookie,
           {{"kind", "Hữu cơ"},
            {"number", "HC-02"},
            {"issuer", "Trung tâm"},
            {"issued_on", "2025-02-01"},
            {"file", "%PDF-" + std::string(registry::kMaxCertificateFileBytes, ' '), "lon.pdf"}});
  EXPECT_EQ(large.status, 400);
  EXPECT_NE(large.body.find("Tệp quá lớn (tối đa 5 MB)"), std::string::npos);

  ASSERT_EQ(Post(edit, cookie,
                 {{"kind", "Hữu cơ"},
                  {"number", "HC-02"},
                  {"issuer", "Trung tâm"},
                  {"issued_on", "2025-02-01"},
                  {"file", photo, "anh.png"}})
                .status,
            303);
  EXPECT_EQ(store_->registry().GetCertificate(bare.id)->file_ref,
            "/media/" + core::Sha256Hex(photo));
  EXPECT_EQ(Send(Method::kGet, "/media/" + core::Sha256Hex(photo)).body, photo);
}

TEST_F(ProducerUploadsTest, XlsxTemplateDownloadsAndUploadsWithRowErrors) {
  const std::string cookie = testing::SignIn(router_, "a@htx.vn", kPassword);
  Response page = Send(Method::kGet, "/app/diary/csv", {}, cookie);
  EXPECT_NE(page.body.find("href=\"/app/diary/xlsx/harvest\""), std::string::npos);
  EXPECT_NE(page.body.find(".xlsx"), std::string::npos);
  Response xlsx = Send(Method::kGet, "/app/diary/xlsx/harvest", {}, cookie);
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.headers["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_NE(xlsx.headers["Content-Disposition"].find("nhat-ky-harvest.xlsx"), std::string::npos);
  core::Result<std::vector<registry::XlsxRow>> header = registry::ReadXlsx(xlsx.body);
  ASSERT_TRUE(header.ok()) << header.error().ToString();
  EXPECT_EQ(Send(Method::kGet, "/app/diary/xlsx/nope", {}, cookie).status, 404);

  registry::CreateFacility(Ctx(), registry::Actor::CommandLine(),
                           {.org_id = org_a_, .kind = store::FacilityKind::kPlot, .name = "Lô 1"})
      .value();
  registry::CreateProduct(Ctx(), registry::Actor::CommandLine(),
                          {.org_id = org_a_, .name = "Ớt rừng", .unit = "kg"})
      .value();
  registry::XlsxSheet sheet{.name = "Thu hoạch"};
  for (const std::string& h : header->front().cells) sheet.columns.push_back({h, 20});
  sheet.rows = {{"Lô 1", "2026-05-20", "Ớt rừng", "10", "kg", "L1"},
                {"Lô 1", "2026-05-21", "Ớt rừng", "không phải số", "kg", "L2"}};
  Response bad = Post(
      "/app/diary/csv", cookie,
      {{"template", "harvest"}, {"file", registry::WriteXlsx(sheet).value(), "thu-hoach.xlsx"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("id=\"row-errors\""), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("<td>3</td><td>quantity</td>"), std::string::npos) << bad.body;
  EXPECT_TRUE(store_->registry().ListLots(Products(org_a_)[0].id)->empty());

  sheet.rows.pop_back();
  Response good = Post(
      "/app/diary/csv", cookie,
      {{"template", "harvest"}, {"file", registry::WriteXlsx(sheet).value(), "thu-hoach.xlsx"}});
  EXPECT_EQ(good.status, 200) << good.body;
  EXPECT_NE(good.body.find("id=\"csv-ok\""), std::string::npos);
  EXPECT_EQ(store_->registry().ListLots(Products(org_a_)[0].id)->size(), 1u);

  Response broken =
      Post("/app/diary/csv", cookie, {{"template", "harvest"}, {"file", "PK\3\4broken", "x.xlsx"}});
  EXPECT_EQ(broken.status, 400);
  EXPECT_NE(broken.body.find("Tệp Excel bị hỏng hoặc không phải tệp .xlsx."), std::string::npos)
      << broken.body;
}

}  // namespace
}  // namespace vntrace::http::pages
