#include "http/pages/stamps_app.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <ZXing/ReadBarcode.h>
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "http/pages/app_test_support.hpp"
#include "http/pages/form.hpp"
#include "http/pages/producer_app.hpp"
#include "label/stamp_print.hpp"
#include "registry/accounts.hpp"
#include "registry/registry.hpp"
#include "store/contract/fixture.hpp"

// fontconfig (under pango) keeps its caches until exit by design (as in render_test.cpp).
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

namespace vntrace::http::pages {
namespace {

using testing::Find;

constexpr char kPassword[] = "mat-khau-du-dai";
constexpr char kForm[] = "application/x-www-form-urlencoded";
constexpr char kGtin[] = "08935000000014";

struct Gray {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;
};

bool HavePoppler() { return std::system("command -v pdftoppm >/dev/null 2>&1") == 0; }

// Page 1 of `pdf` rasterised by poppler's pdftoppm as 8-bit gray at `dpi`.
Gray Rasterise(const std::string& pdf, const std::filesystem::path& dir, int dpi) {
  {
    std::ofstream out(dir / "sheet.pdf", std::ios::binary);
    out << pdf;
  }
  const std::string command = "pdftoppm -r " + std::to_string(dpi) + " -gray -f 1 -l 1 " +
                              "-singlefile " + (dir / "sheet.pdf").string() + " " +
                              (dir / "page").string();
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  std::ifstream in(dir / "page.pgm", std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string pgm = bytes.str();
  Gray gray;
  std::istringstream header(pgm);
  std::string magic;
  int maxval = 0;
  header >> magic >> gray.width >> gray.height >> maxval;
  EXPECT_EQ(magic, "P5");
  const std::size_t offset = static_cast<std::size_t>(header.tellg()) + 1;
  const std::size_t size = static_cast<std::size_t>(gray.width) * gray.height;
  if (pgm.size() < offset + size) {
    ADD_FAILURE() << "short PGM";
    return {};
  }
  gray.pixels.assign(pgm.begin() + static_cast<std::ptrdiff_t>(offset),
                     pgm.begin() + static_cast<std::ptrdiff_t>(offset + size));
  return gray;
}

// Decodes the QR Code inside the first label cell of a sheet laid out as `layout`.
std::string DecodeFirstLabel(const Gray& page, const label::render::SheetLayout& layout,
                             double dpi) {
  const double px = dpi / 25.4;
  const int x = static_cast<int>(layout.margin_left_mm * px);
  const int y = static_cast<int>(layout.margin_top_mm * px);
  const int w = static_cast<int>(layout.label_width_mm * px);
  const int h = static_cast<int>(layout.label_height_mm * px);
  if (page.width < x + w || page.height < y + h) return {};
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  hints.setTryHarder(true);
  const ZXing::ImageView view(page.pixels.data() + static_cast<std::size_t>(y) * page.width + x, w,
                              h, ZXing::ImageFormat::Lum, page.width);
  const ZXing::Result result = ZXing::ReadBarcode(view, hints);
  return result.isValid() ? result.text() : std::string();
}

class StampsAppTest : public ::testing::Test {
 protected:
  StampsAppTest()
      : clock_(core::Timestamp::FromUnixSeconds(1'767'225'600)),
        random_(17),
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
    EXPECT_TRUE(RegisterStampsApp(router_, *app_).ok());
    org_a_ = MakeOrg("HTX Nghĩa Ân", "a@htx.vn");
    org_b_ = MakeOrg("HTX Khác", "b@htx.vn");
    const registry::Actor cli = registry::Actor::CommandLine();
    store::Product product = registry::CreateProduct(Ctx(), cli,
                                                     {.org_id = org_a_,
                                                      .gtin = kGtin,
                                                      .name = "Tỏi Lý Sơn",
                                                      .unit = "hộp",
                                                      .origin = "Việt Nam"})
                                 .value();
    lot_ = registry::CreateLot(Ctx(), cli,
                               {.org_id = org_a_,
                                .product_id = product.id,
                                .code = "L2026A",
                                .produced_on = "2026-01-01",
                                .expires_on = "2026-12-31"})
               .value()
               .id;
  }
  ~StampsAppTest() override {
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

  Response Get(const std::string& path, const std::string& cookie) {
    return testing::Send(router_, Method::kGet, path, {}, cookie);
  }
  Response Post(const std::string& path, const std::string& body, const std::string& cookie) {
    return testing::Send(router_, Method::kPost, path, body, cookie, kForm);
  }
  std::string Csrf(const std::string& cookie) {
    return testing::Csrf(router_, cookie, "/app/stamps/new");
  }

  // Issues `count` per-item stamps for the lot through the form; the batch id.
  std::string IssueThroughForm(const std::string& cookie, int count) {
    Response res = Post("/app/stamps/new",
                        "csrf=" + Csrf(cookie) + "&lot_id=" + UrlEncode(lot_) +
                            "&mode=per_item&count=" + std::to_string(count),
                        cookie);
    EXPECT_EQ(res.status, 303) << res.body;
    const std::string location = res.headers["Location"];
    return Find(location, "^/app/stamps/([^?/]+)\\?issued=1$");
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
  std::string lot_;
};

TEST_F(StampsAppTest, IssueListActivateAndPrintAPdfWhoseFirstSymbolScans) {
  const std::string cookie = testing::SignIn(router_, "a@htx.vn", kPassword);
  // The home page links to the stamps; the issue form offers the organisation's lot.
  EXPECT_NE(Get("/app", cookie).body.find("href=\"/app/stamps\""), std::string::npos);
  Response form = Get("/app/stamps/new", cookie);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("Tỏi Lý Sơn · L2026A · HSD 31/12/2026"), std::string::npos);
  EXPECT_NE(form.body.find("value=\"100\""), std::string::npos);  // default count

  const std::string batch = IssueThroughForm(cookie, 5);
  ASSERT_FALSE(batch.empty());
  std::vector<store::Stamp> issued = store_->stamps().ListStamps(batch).value();
  ASSERT_EQ(issued.size(), 5u);
  EXPECT_FALSE(store_->stamps().GetStampBatch(batch)->active);

  Response list = Get("/app/stamps", cookie);
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("data-batch=\"" + batch + "\""), std::string::npos);
  EXPECT_NE(list.body.find("Chưa kích hoạt"), std::string::npos);
  EXPECT_NE(list.body.find("Mỗi sản phẩm một mã riêng"), std::string::npos);

  // Activating needs the confirmation box.
  const std::string token = Csrf(cookie);
  Response unconfirmed = Post("/app/stamps/" + batch + "/activate", "csrf=" + token, cookie);
  EXPECT_EQ(unconfirmed.status, 400);
  EXPECT_NE(unconfirmed.body.find("Vui lòng đánh dấu xác nhận trước khi kích hoạt."),
            std::string::npos);
  EXPECT_FALSE(store_->stamps().GetStampBatch(batch)->active);
  Response activated =
      Post("/app/stamps/" + batch + "/activate", "csrf=" + token + "&confirm=1", cookie);
  ASSERT_EQ(activated.status, 303);
  EXPECT_EQ(activated.headers["Location"], "/app/stamps/" + batch + "?activated=1");
  EXPECT_TRUE(store_->stamps().GetStampBatch(batch)->active);
  EXPECT_NE(Get("/app/stamps", cookie).body.find("Đã kích hoạt"), std::string::npos);
  std::vector<store::AuditEntry> audit = store_->registry().ListAudit(org_a_, 5).value();
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit[0].action, "activate");
  EXPECT_EQ(audit[0].entity_id, batch);
  EXPECT_EQ(audit[0].actor.rfind("user:", 0), 0u);

  Response pdf = Get("/app/stamps/" + batch + "/sheet.pdf?stock=70x37&symbology=qr", cookie);
  ASSERT_EQ(pdf.status, 200) << pdf.body.substr(0, 400);
  EXPECT_EQ(pdf.headers["Content-Type"], "application/pdf");
  EXPECT_NE(pdf.headers["Content-Disposition"].find("attachment"), std::string::npos);
  ASSERT_EQ(pdf.body.substr(0, 5), "%PDF-");
  if (!HavePoppler()) {
    GTEST_SKIP() << "pdftoppm (poppler-utils) is not installed; run scripts/install-deps.sh";
  }
  const label::render::SheetLayout layout =
      label::ParsePrintOptions("70x37", "qr", "").value().layout;
  const std::string decoded = DecodeFirstLabel(Rasterise(pdf.body, dir_.path(), 200), layout, 200);
  EXPECT_EQ(decoded, issued[0].code);
  EXPECT_EQ(decoded.rfind(std::string("https://id.gs1.org/01/") + kGtin + "/10/L2026A/21/", 0), 0u);
}

TEST_F(StampsAppTest, CsvAndSingleCodesDownload) {
  const std::string cookie = testing::SignIn(router_, "a@htx.vn", kPassword);
  const std::string batch = IssueThroughForm(cookie, 2);
  std::vector<store::Stamp> issued = store_->stamps().ListStamps(batch).value();
  Response csv = Get("/app/stamps/" + batch + "/codes.csv", cookie);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.headers["Content-Type"], "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find("1," + issued[0].code + "," + issued[0].serial + ",L2026A,Tỏi Lý Sơn"),
            std::string::npos);
  Response svg = Get("/app/stamps/" + batch + "/code/2?format=svg", cookie);
  ASSERT_EQ(svg.status, 200);
  EXPECT_EQ(svg.headers["Content-Type"], "image/svg+xml");
  EXPECT_NE(svg.body.find("<svg"), std::string::npos);
  Response png = Get("/app/stamps/" + batch + "/code/1?format=png&symbology=datamatrix", cookie);
  ASSERT_EQ(png.status, 200);
  EXPECT_EQ(png.body.substr(1, 3), "PNG");
  EXPECT_EQ(Get("/app/stamps/" + batch + "/code/3?format=svg", cookie).status, 404);
  // A bad print option: the batch page with the Vietnamese message beside the field.
  Response bad = Get("/app/stamps/" + batch + "/sheet.pdf?stock=70x37&quiet_zone=2", cookie);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("Lề trắng phải từ mức tối thiểu"), std::string::npos);
  // Too many stamps: the message beside the count.
  Response big = Post(
      "/app/stamps/new",
      "csrf=" + Csrf(cookie) + "&lot_id=" + UrlEncode(lot_) + "&mode=per_item&count=10001", cookie);
  EXPECT_EQ(big.status, 400);
  EXPECT_NE(big.body.find("Số tem phải từ 1 đến 10.000."), std::string::npos);
}

TEST_F(StampsAppTest, AnotherOrganisationGets404) {
  const std::string owner = testing::SignIn(router_, "a@htx.vn", kPassword);
  const std::string batch = IssueThroughForm(owner, 2);
  const std::string other = testing::SignIn(router_, "b@htx.vn", kPassword);
  for (const std::string& path :
       {"/app/stamps/" + batch, "/app/stamps/" + batch + "/sheet.pdf",
        "/app/stamps/" + batch + "/codes.csv", "/app/stamps/" + batch + "/code/1?format=svg"}) {
    EXPECT_EQ(Get(path, other).status, 404) << path;
  }
  EXPECT_EQ(Get("/app/stamps", other).body.find(batch), std::string::npos);
  Response activate =
      Post("/app/stamps/" + batch + "/activate", "csrf=" + Csrf(other) + "&confirm=1", other);
  EXPECT_EQ(activate.status, 404);
  EXPECT_FALSE(store_->stamps().GetStampBatch(batch)->active);
  // Nor may it issue stamps for the lot.
  Response issue = Post("/app/stamps/new",
                        "csrf=" + Csrf(other) + "&lot_id=" + UrlEncode(lot_) + "&count=3", other);
  EXPECT_EQ(issue.status, 404);
  EXPECT_NE(issue.body.find("Không tìm thấy lô hàng này trong cơ sở của bạn."), std::string::npos);
}

TEST_F(StampsAppTest, PostsWithoutTheCsrfTokenAre403) {
  const std::string cookie = testing::SignIn(router_, "a@htx.vn", kPassword);
  const std::string batch = IssueThroughForm(cookie, 1);
  EXPECT_EQ(Post("/app/stamps/" + batch + "/activate", "confirm=1", cookie).status, 403);
  EXPECT_EQ(Post("/app/stamps/" + batch + "/activate", "csrf=wrong&confirm=1", cookie).status, 403);
  EXPECT_FALSE(store_->stamps().GetStampBatch(batch)->active);
  EXPECT_EQ(Post("/app/stamps/new", "lot_id=" + UrlEncode(lot_) + "&count=3", cookie).status, 403);
  EXPECT_EQ(store_->stamps().ListStampBatches(lot_)->size(), 1u);
  // And without a session: GET goes to the login page.
  EXPECT_EQ(Get("/app/stamps", "").status, 303);
}

TEST_F(StampsAppTest, EnglishPages) {
  const std::string cookie = testing::SignIn(router_, "a@htx.vn", kPassword);
  Response page = Get("/app/stamps?lang=en", cookie);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Traceability stamps"), std::string::npos);
}

}  // namespace
}  // namespace vntrace::http::pages
