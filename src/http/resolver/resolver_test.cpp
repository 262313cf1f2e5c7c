#include "http/resolver/resolver.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "core/test_support.hpp"
#include "epcis/document.hpp"
#include "gs1/digital_link.hpp"
#include "gs1/dl_compression.hpp"
#include "http/internal/target.hpp"
#include "label/stamp_fixture.hpp"
#include "report/problem_reports.hpp"
#include "trace/trace_fixture.hpp"

namespace vntrace::http {
namespace {

constexpr char kBase[] = "http://127.0.0.1:8080";
constexpr char kGtin[] = "08935000000014";
constexpr char kSscc[] = "https://id.gs1.org/00/089350000000000014";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ResolverTest : public label::testing::StampFixture {
 protected:
  ResolverTest() : stamps_(*store_, clock_, random_, kBase) {
    org_ = MakeOrg("a", "HTX Nghĩa Ân", "Quảng Ngãi");
    product_ = MakeProduct(org_, "p1", kGtin, "Tỏi Lý Sơn");
    lot_ = MakeLot(org_, product_, "l1", "L2026A", kGtin);
    plain_product_ = MakeProduct(org_, "p2", "", "Mật ong rừng");
    plain_lot_ = MakeLot(org_, plain_product_, "l2", "M01", "");
    store::Certificate cert{.id = "c1",
                            .org_id = org_,
                            .product_id = product_,
                            .kind = "VietGAP",
                            .number = "VG-123",
                            .issuer = "Sở NN&PTNT",
                            .issued_on = "2025-01-01",
                            .valid_until = "2025-06-30",
                            .created_at = clock_.Now()};
    EXPECT_TRUE(store_->registry().CreateCertificate(cert, Audit()).ok());
    label::Issuer issuer{.org_id = org_};
    batch_ = stamps_.Issue(issuer, {.lot_id = lot_, .count = 3}).value();
    EXPECT_TRUE(stamps_.Activate(issuer, batch_.batch.id).ok());
    code_ = batch_.stamps[0].code;
    path_ = code_.substr(gs1::kCanonicalStem.size());
    context_ = std::make_unique<ResolverContext>(ResolverContext{*store_, clock_, stamps_, kBase});
    RegisterResolver(router_, *context_);
  }

  Response Get(const std::string& target, Headers headers = {},
               const std::string& remote = "203.0.113.9") {
    Request req;
    req.method = Method::kGet;
    req.target = target;
    internal::ParsedTarget parsed = internal::ParseTarget(target).value();
    req.path = parsed.path;
    req.query = parsed.query;
    req.headers = std::move(headers);
    if (!req.headers.contains("Accept")) {
      req.headers["Accept"] = "text/html,application/xhtml+xml,*/*;q=0.8";
    }
    req.remote_address = remote;
    return router_.Handle(req);
  }

  void Capture(std::vector<boost::json::object> events) {
    epcis::DecodeResult decoded = trace::testing::DecodeEvents(std::move(events));
    ASSERT_TRUE(decoded.issues.empty()) << decoded.issues.front().ToString();
    ASSERT_TRUE(store_->CaptureEvents(decoded.events).ok());
  }

  static boost::json::object Event(std::string id, std::string time, std::string step,
                                   std::string what, std::string where) {
    return boost::json::object{
        {"type", "ObjectEvent"},
        {"eventID", id},
        {"eventTime", time},
        {"eventTimeZoneOffset", "+07:00"},
        {"action", step == "commissioning" ? "ADD" : "OBSERVE"},
        {"bizStep", step},
        {"quantityList", boost::json::array{boost::json::object{
                             {"epcClass", what}, {"quantity", 10}, {"uom", "KGM"}}}},
        {"bizLocation", boost::json::object{{"id", where}}}};
  }

  label::StampService stamps_;
  std::unique_ptr<ResolverContext> context_;
  Router router_;
  std::string org_, product_, lot_, plain_product_, plain_lot_;
  label::IssuedBatch batch_;
  std::string code_, path_;
};

TEST_F(ResolverTest, DefaultIsTheVietnameseScanPageThenScannedBefore) {
  Response first = Get(path_);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(Contains(first.headers["Content-Type"], "text/html"));
  EXPECT_EQ(first.headers["Content-Language"], "vi");
  EXPECT_TRUE(Contains(first.body, "Tem chính hãng")) << first.body;
  EXPECT_TRUE(Contains(first.body, "Tỏi Lý Sơn"));
  EXPECT_TRUE(Contains(first.body, "HTX Nghĩa Ân"));
  EXPECT_TRUE(Contains(first.body, "Thôn 3, Xã Nghĩa Ân, Quảng Ngãi"));
  EXPECT_TRUE(Contains(first.body, "L2026A"));
  EXPECT_TRUE(Contains(first.body, "31/12/2026"));
  EXPECT_TRUE(Contains(first.body, batch_.stamps[0].serial));
  EXPECT_TRUE(Contains(first.body, "★★★★"));
  EXPECT_TRUE(Contains(first.body, "VietGAP"));
  EXPECT_TRUE(Contains(first.body, "Hết hiệu lực"));  // valid until 2025-06-30
  EXPECT_FALSE(Contains(first.body, "<script"));
  EXPECT_LT(first.body.size(), 30u * 1024);
  EXPECT_TRUE(Contains(first.headers["Link"], "rel=\"linkset\""));

  Response second = Get(path_, {{"X-Vntrace-Area", "Hà Nội"}}, "127.0.0.1");
  EXPECT_TRUE(Contains(second.body, "Mã đã được quét trước đây")) << second.body;
  EXPECT_TRUE(Contains(second.body, "đã được quét 1 lần, lần đầu ngày 01/01/2026"));
  // The scan was recorded without the address; the trusted proxy's area was kept.
  std::vector<store::Scan> scans = store_->stamps().ListScans(code_, 10).value();
  ASSERT_EQ(scans.size(), 2u);
  EXPECT_EQ(scans[0].province, "");
  EXPECT_EQ(scans[1].province, "Hà Nội");
}

TEST_F(ResolverTest, EnglishByAcceptLanguage) {
  Response page = Get(path_, {{"Accept-Language", "en-GB,en;q=0.9"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.headers["Content-Language"], "en");
  EXPECT_TRUE(Contains(page.body, "Genuine stamp"));
  EXPECT_TRUE(Contains(page.body, "Producer"));
}

TEST_F(ResolverTest, AreaHeaderFromUntrustedPeersIsIgnored) {
  Get(path_, {{"X-Vntrace-Area", "Hà Nội"}});
  EXPECT_EQ(store_->stamps().ListScans(code_, 10).value()[0].province, "");
}

TEST_F(ResolverTest, LinksetByAcceptOrLinkTypeAll) {
  for (Response res :
       {Get(path_, {{"Accept", "application/linkset+json"}}), Get(path_ + "?linkType=all"),
        Get(path_, {{"Accept", "application/json"}})}) {
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.headers["Content-Type"], "application/linkset+json");
    EXPECT_TRUE(Contains(res.headers["Link"], "linkset-context"));
    boost::json::object set = boost::json::parse(res.body).at("linkset").at(0).as_object();
    EXPECT_EQ(set.at("anchor").as_string(), std::string(kBase) + path_);
    EXPECT_EQ(set.at("itemDescription").as_string(), "Tỏi Lý Sơn");
    EXPECT_EQ(set.at("https://gs1.org/voc/pip").as_array().size(), 2u);
    EXPECT_TRUE(set.contains("https://gs1.org/voc/epcis"));
    EXPECT_TRUE(set.contains("https://gs1.org/voc/traceability"));
    EXPECT_TRUE(set.contains("https://gs1.org/voc/certificationInfo"));
    EXPECT_TRUE(set.contains("https://gs1.org/voc/recallStatus"));
  }
  // A linkset request is not a consumer's scan.
  EXPECT_EQ(store_->stamps().CountScans(code_).value(), 0);
}

TEST_F(ResolverTest, LinksetMatchesGs1Schema) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  if (std::system("python3 -c 'import jsonschema' 2>/dev/null") != 0) {
    GTEST_SKIP() << "python3-jsonschema is not installed: the linkset was NOT validated";
  }
  Response res = Get(path_ + "?linkType=all");
  const std::string file = dir_ / "linkset.json";
  std::ofstream(file) << res.body;
  const std::string schema =
      (conformance / "digital-link/linkset/gs1-linkset-schema.json").string();
  const std::string command =
      "python3 -c 'import json,sys,jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[1])), "
      "json.load(open(sys.argv[2])))' " +
      file + " " + schema;
  EXPECT_EQ(std::system(command.c_str()), 0) << res.body;
}

TEST_F(ResolverTest, LinkTypesRedirect) {
  const std::string enc = gs1::PercentEncodeDlValue(code_);
  struct Case {
    std::string link_type;
    std::string location;
  };
  const Case cases[] = {
      {"gs1:pip", std::string(kBase) + path_},
      {"https://gs1.org/voc/pip", std::string(kBase) + path_},
      {"gs1:epcis", std::string(kBase) + "/epcis/events?MATCH_anyEPC=" + enc},
      {"gs1:traceability", std::string(kBase) + "/api/v1/trace?id=" + enc},
      {"gs1:certificationInfo", std::string(kBase) + path_ + "#certificates"},
      {"gs1:recallStatus", std::string(kBase) + path_ + "#recall"},
  };
  for (const Case& c : cases) {
    Response res = Get(path_ + "?linkType=" + gs1::PercentEncodeDlValue(c.link_type));
    EXPECT_EQ(res.status, 307) << c.link_type;
    EXPECT_EQ(res.headers["Location"], c.location) << c.link_type;
  }
  EXPECT_EQ(Get(path_ + "?linkType=gs1:nutritionalInfo").status, 404);
}

TEST_F(ResolverTest, ResolverDescription) {
  Response res = Get("/.well-known/gs1resolver", {{"Accept", "application/json"}});
  ASSERT_EQ(res.status, 200);
  boost::json::object body = boost::json::parse(res.body).as_object();
  EXPECT_EQ(body.at("resolverRoot").as_string(), kBase);
  const boost::json::array& keys = body.at("supportedPrimaryKeys").as_array();
  for (const char* key : {"00", "01", "414", "417"}) {
    EXPECT_NE(std::find(keys.begin(), keys.end(), boost::json::value(key)), keys.end()) << key;
  }
  EXPECT_TRUE(body.at("activeLinkTypes").at("en").as_object().contains("gs1:pip"));
  EXPECT_TRUE(body.at("activeLinkTypes").at("vi").as_object().contains("gs1:epcis"));
}

TEST_F(ResolverTest, UnknownIdentifierIsAHelpful404InVietnamese) {
  Response res = Get("/01/09506000134352");
  EXPECT_EQ(res.status, 404);
  EXPECT_TRUE(Contains(res.body, "Không tìm thấy mã")) << res.body;
  EXPECT_TRUE(Contains(res.body, "lang=\"vi\""));
}

TEST_F(ResolverTest, InvalidDigitalLinkIs400WithTheParsersMessage) {
  Response html = Get("/01/08935000000015");  // wrong check digit
  EXPECT_EQ(html.status, 400);
  EXPECT_TRUE(Contains(html.body, "check digit")) << html.body;
  EXPECT_TRUE(Contains(html.body, "Mã không hợp lệ"));
  Response json = Get("/01/" + std::string(kGtin) + "/21/X/10/L", {{"Accept", "application/json"}});
  EXPECT_EQ(json.status, 400);
  EXPECT_TRUE(Contains(json.headers["Content-Type"], "problem+json")) << json.body;
}

TEST_F(ResolverTest, CompressedDigitalLinkResolves) {
  gs1::DigitalLink dl = gs1::ParseDigitalLink(code_).value();
  dl.stem = kBase;
  std::string compressed = gs1::CompressDigitalLink(dl);
  std::string target = compressed.substr(std::string(kBase).size());
  Response res = Get(target);
  ASSERT_EQ(res.status, 200) << target << " " << res.body;
  EXPECT_TRUE(Contains(res.body, "Tem chính hãng"));
  EXPECT_EQ(Get("/favicon.ico").status, 404);
}

TEST_F(ResolverTest, QualifiersAndDataAttributes) {
  Response res = Get("/01/" + std::string(kGtin) + "/10/L2026A?17=261231",
                     {{"Accept", "application/linkset+json"}});
  ASSERT_EQ(res.status, 200) << res.body;
  // A lot without a stamp: a neutral page with the lot.
  Response page = Get("/01/" + std::string(kGtin) + "/10/L2026A?17=261231");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "Đã ghi nhận trong chuỗi cung ứng")) << page.body;
  Response product = Get("/01/" + std::string(kGtin));
  EXPECT_EQ(product.status, 200);
}

TEST_F(ResolverTest, IdentifierKnownOnlyFromEventsIsNeutral) {
  const std::string farm = "https://id.gs1.org/414/8935000000014";
  boost::json::object e = Event("urn:uuid:1", "2026-03-01T08:00:00+07:00", "shipping", kSscc, farm);
  e.erase("quantityList");
  e["epcList"] = boost::json::array{kSscc};
  e["sourceList"] = boost::json::array{boost::json::object{
      {"type", "owning_party"}, {"source", "https://id.gs1.org/417/8935000000014"}}};
  Capture({e});
  Response res = Get("/00/089350000000000014");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_TRUE(Contains(res.body, "Đã ghi nhận trong chuỗi cung ứng"));
  EXPECT_TRUE(Contains(res.body, "Vận chuyển"));
  EXPECT_EQ(Get("/414/8935000000014").status, 200);
  EXPECT_EQ(Get("/417/8935000000014").status, 200);
  EXPECT_EQ(Get("/417/8935000000021").status, 404);
}

TEST_F(ResolverTest, JourneyTimeline) {
  const std::string lot = "https://id.gs1.org/01/" + std::string(kGtin) + "/10/L2026A";
  const std::string farm = "https://id.gs1.org/414/8935000000014";
  Capture({Event("urn:uuid:a", "2026-03-01T06:00:00+07:00", "commissioning", lot, farm),
           Event("urn:uuid:b", "2026-03-02T06:00:00+07:00", "packing", lot, farm),
           Event("urn:uuid:c", "2026-03-03T06:00:00+07:00", "shipping", lot, farm)});
  Response res = Get(path_);
  ASSERT_EQ(res.status, 200);
  const std::size_t made = res.body.find("Sản xuất");
  const std::size_t packed = res.body.find("Đóng gói");
  const std::size_t shipped = res.body.find("Vận chuyển");
  ASSERT_NE(made, std::string::npos) << res.body;
  ASSERT_NE(packed, std::string::npos);
  ASSERT_NE(shipped, std::string::npos);
  EXPECT_LT(made, packed);
  EXPECT_LT(packed, shipped);
  EXPECT_TRUE(Contains(res.body, "01/03/2026"));
}

TEST_F(ResolverTest, RecalledLotCannotBeMissed) {
  ASSERT_TRUE(stamps_.Recall(label::Issuer{.org_id = org_}, lot_, "Nhiễm khuẩn E. coli").ok());
  Response res = Get(path_);
  ASSERT_EQ(res.status, 200);
  EXPECT_TRUE(Contains(res.body, "v-recalled\" role=\"alert\"")) << res.body;
  EXPECT_TRUE(Contains(res.body, "Sản phẩm đang bị thu hồi"));
  EXPECT_TRUE(Contains(res.body, "Nhiễm khuẩn E. coli"));
}

TEST_F(ResolverTest, ClonedCodeIsSuspicious) {
  for (const char* province : {"Quảng Ngãi", "Hà Nội", "Cần Thơ"}) {
    clock_.Advance(std::chrono::hours(2));
    Get(path_, {{"X-Vntrace-Area", province}}, "127.0.0.1");
  }
  Response res = Get(path_, {{"Accept-Language", "en"}});
  EXPECT_TRUE(Contains(res.body, "Warning: suspicious stamp")) << res.body;
  EXPECT_TRUE(Contains(res.body, "copied"));
}

TEST_F(ResolverTest, NeverIssuedSerialIsSuspicious) {
  Response res = Get("/01/" + std::string(kGtin) + "/10/L2026A/21/FAKE123456");
  ASSERT_EQ(res.status, 200);
  EXPECT_TRUE(Contains(res.body, "Cảnh báo: tem đáng ngờ"));
  EXPECT_TRUE(Contains(res.body, "không do nhà sản xuất phát hành"));
}

TEST_F(ResolverTest, InactiveBatchIsSuspicious) {
  label::IssuedBatch inactive = stamps_.Issue({.org_id = org_}, {.lot_id = lot_}).value();
  Response res = Get(inactive.stamps[0].code.substr(gs1::kCanonicalStem.size()));
  EXPECT_TRUE(Contains(res.body, "chưa được nhà sản xuất kích hoạt")) << res.body;
}

TEST_F(ResolverTest, PlatformStampsResolve) {
  label::Issuer issuer{.org_id = org_};
  label::IssuedBatch plain = stamps_.Issue(issuer, {.lot_id = plain_lot_, .count = 1}).value();
  ASSERT_TRUE(stamps_.Activate(issuer, plain.batch.id).ok());
  const std::string path = plain.stamps[0].code.substr(std::string(kBase).size());
  Response res = Get(path);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_TRUE(Contains(res.body, "Mật ong rừng"));
  EXPECT_TRUE(Contains(res.body, "Tem chính hãng"));
  Response fake = Get("/id/stamp/ZZZZZZZZZZ");
  EXPECT_TRUE(Contains(fake.body, "Cảnh báo: tem đáng ngờ"));
  Response linkset = Get(path + "?linkType=all");
  EXPECT_EQ(boost::json::parse(linkset.body).at("linkset").at(0).at("anchor").as_string(),
            plain.stamps[0].code);
}

TEST_F(ResolverTest, StaticStyle) {
  Response css = Get("/static/scan.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_TRUE(Contains(css.headers["Content-Type"], "text/css"));
  EXPECT_GT(css.body.size(), 100u);
}

// ---- report a problem, product versions, digital product passport

class ProblemFormTest : public ResolverTest {
 protected:
  ProblemFormTest() {
    context_->random = &random_;
    context_->form_secret = std::string(report::kFormSecretBytes, 'k');
  }

  // The value of the hidden input `name` in `page`.
  static std::string Hidden(const std::string& page, const std::string& name) {
    const std::string marker = "name=\"" + name + "\" value=\"";
    const std::size_t at = page.find(marker);
    if (at == std::string::npos) return {};
    const std::size_t start = at + marker.size();
    return page.substr(start, page.find('"', start) - start);
  }

  // Posts the form as a browser does (multipart/form-data), from a trusted proxy naming the area.
  Response Post(const std::vector<std::pair<std::string, std::string>>& fields,
                const std::string& photo = "", const std::string& area = "Hà Nội") {
    const std::string boundary = "----vntraceBoundary7MA4YWxk";
    std::string body;
    for (const auto& [name, value] : fields) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
              "\"\r\n\r\n" + value + "\r\n";
    }
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"" +
            (photo.empty() ? "" : "moc.png") +
            "\"\r\nContent-Type: " + (photo.empty() ? "application/octet-stream" : "image/png") +
            "\r\n\r\n" + photo + "\r\n--" + boundary + "--\r\n";
    Request req;
    req.method = Method::kPost;
    req.target = "/problem-report";
    req.path = "/problem-report";
    req.headers["Content-Type"] = "multipart/form-data; boundary=" + boundary;
    req.headers["Accept"] = "text/html";
    req.headers["X-Vntrace-Area"] = area;
    req.body = body;
    req.remote_address = "127.0.0.1";
    return router_.Handle(req);
  }

  std::vector<std::pair<std::string, std::string>> Fields(const std::string& page) {
    return {{"path", Hidden(page, "path")},      {"token", Hidden(page, "token")},
            {"lang", Hidden(page, "lang")},      {"kind", "quality_safety"},
            {"message", "Tỏi bị mốc trong túi"}, {"contact", "0912 345 678"}};
  }

  std::vector<store::ProblemReport> Stored() {
    return store_->problems().ListProblemReports({}).value();
  }
};

TEST_F(ProblemFormTest, ThePageHoldsAPlainFormThatWorksWithoutScript) {
  Response page = Get(path_);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "Báo cáo vấn đề"));
  EXPECT_TRUE(Contains(page.body,
                       "<form method=\"post\" action=\"/problem-report\" "
                       "enctype=\"multipart/form-data\">"));
  EXPECT_TRUE(Contains(page.body, "value=\"suspicious_stamp\""));
  EXPECT_TRUE(Contains(page.body, "Tem giả hoặc tem đáng ngờ"));
  EXPECT_EQ(Hidden(page.body, "path"), path_);
  EXPECT_FALSE(Hidden(page.body, "token").empty());
  EXPECT_FALSE(Contains(page.body, "<script"));
  EXPECT_LT(page.body.size(), 30u * 1024);
}

TEST_F(ProblemFormTest, WithoutASecretThereIsNoForm) {
  context_->form_secret.clear();
  EXPECT_FALSE(Contains(Get(path_).body, "/problem-report"));
  Response post = Post({{"path", path_}});
  EXPECT_EQ(post.status, 404);
  EXPECT_TRUE(Stored().empty());
}

TEST_F(ProblemFormTest, ASentReportIsConfirmedAndReachesTheProducer) {
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  Response sent = Post(Fields(Get(path_).body), png);
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_TRUE(Contains(sent.body, "Đã gửi báo cáo"));
  EXPECT_TRUE(Contains(sent.body, "href=\"" + path_ + "?lang=vi\""));
  std::vector<store::ProblemReport> stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  const store::ProblemReport& r = stored[0];
  EXPECT_EQ(r.code, code_);
  EXPECT_EQ(r.lot_id, lot_);
  EXPECT_EQ(r.product_id, product_);
  EXPECT_EQ(r.org_id, org_);
  EXPECT_EQ(r.province, "Quảng Ngãi");
  EXPECT_EQ(r.scan_area, "Hà Nội");  // the coarse area; the address is kept nowhere
  EXPECT_EQ(r.message, "Tỏi bị mốc trong túi");
  EXPECT_EQ(r.contact, "0912345678");
  EXPECT_EQ(r.photo_type, "image/png");
  EXPECT_EQ(store_->problems().GetProblemPhoto(r.id)->data, png);
  // Sending it counts no scan.
  EXPECT_EQ(store_->stamps().CountScans(code_).value(), 1);
}

TEST_F(ProblemFormTest, ErrorsStandBesideTheirFieldWithTheValuesKept) {
  const std::string page = Get(path_).body;
  std::vector<std::pair<std::string, std::string>> fields = Fields(page);
  fields[4].second = "   ";  // message
  Response refused = Post(fields);
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(Contains(refused.body, "<p class=\"error\">Vui lòng mô tả vấn đề.</p>"))
      << refused.body;
  EXPECT_TRUE(Contains(refused.body, "value=\"0912 345 678\""));  // contact kept
  EXPECT_TRUE(Contains(refused.body, "value=\"quality_safety\" checked"));
  EXPECT_FALSE(Hidden(refused.body, "token").empty());  // a fresh token to send again

  fields = Fields(page);
  fields[5].second = "gọi tôi";
  refused = Post(fields);
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(Contains(refused.body, "số điện thoại hoặc email hợp lệ"));

  refused = Post(Fields(page), "GIF89a not a png");
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(Contains(refused.body, "Ảnh phải là tệp JPEG hoặc PNG."));

  fields = Fields(page);
  fields[3].second = "";
  refused = Post(fields);
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(Contains(refused.body, "Vui lòng chọn loại vấn đề."));
  EXPECT_TRUE(Stored().empty());
}

TEST_F(ProblemFormTest, TheTokenMustBeSignedForThisCodeAndFresh) {
  const std::string page = Get(path_).body;
  std::vector<std::pair<std::string, std::string>> fields = Fields(page);
  fields[1].second = "1.deadbeef";
  Response forged = Post(fields);
  EXPECT_EQ(forged.status, 403);
  EXPECT_TRUE(Contains(forged.body, "Biểu mẫu đã hết hạn"));
  // The token of another code's page does not fit this one.
  fields = Fields(page);
  fields[0].second = "/01/" + std::string(kGtin) + "/10/L2026A";
  EXPECT_EQ(Post(fields).status, 403);
  // Two hours later the page's token has expired.
  clock_.Advance(std::chrono::hours(3));
  EXPECT_EQ(Post(Fields(page)).status, 403);
  EXPECT_TRUE(Stored().empty());
}

TEST_F(ProblemFormTest, TooManyReportsAboutOneCodeAreRefused) {
  for (int i = 0; i < report::kMaxReportsPerCodePerHour; ++i) {
    ASSERT_EQ(Post(Fields(Get(path_).body)).status, 200);
  }
  Response refused = Post(Fields(Get(path_).body));
  // kResourceExhausted, whose status the one error table gives (as for login rate limiting).
  EXPECT_EQ(refused.status, ProblemOf(core::ResourceExhausted("")).status);
  EXPECT_GE(refused.status, 400);
  EXPECT_TRUE(Contains(refused.body, "Mã này đã nhận nhiều báo cáo"));
  EXPECT_EQ(Stored().size(), static_cast<std::size_t>(report::kMaxReportsPerCodePerHour));
}

TEST_F(ProblemFormTest, AFakeStampCanBeReportedToTheAreaItWasScannedIn) {
  const std::string page = Get("/id/stamp/ZZZZZZZZZZ").body;
  std::vector<std::pair<std::string, std::string>> fields = Fields(page);
  fields[3].second = "suspicious_stamp";
  ASSERT_EQ(Post(fields, "", "Đà Nẵng").status, 200);
  std::vector<store::ProblemReport> stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].org_id, "");
  EXPECT_EQ(stored[0].province, "Đà Nẵng");
}

TEST_F(ResolverTest, ALotShowsTheProductVersionOfItsProductionDay) {
  // The product is renamed ten days after the lot was made.
  store::Product renamed = store_->registry().GetProduct(product_).value();
  renamed.name = "Tỏi cô đơn Lý Sơn";
  clock_.Advance(std::chrono::hours(24 * 10));
  renamed.updated_at = clock_.Now();
  ASSERT_TRUE(store_->registry().UpdateProduct(renamed, Audit()).ok());

  Response lot_page = Get(path_);
  ASSERT_EQ(lot_page.status, 200);
  EXPECT_TRUE(Contains(lot_page.body, "<h2>Tỏi Lý Sơn</h2>")) << lot_page.body;
  EXPECT_TRUE(Contains(lot_page.body, "Thông tin sản phẩm theo phiên bản ngày 01/01/2026"));
  EXPECT_TRUE(Contains(lot_page.body, "Lịch sử phiên bản"));
  EXPECT_TRUE(Contains(lot_page.body, "Phiên bản 2 · 11/01/2026 · Tỏi cô đơn Lý Sơn"));
  EXPECT_TRUE(Contains(lot_page.body, "Phiên bản 1 · 01/01/2026 · Tỏi Lý Sơn <strong>"));

  // The product's own page (no lot) shows the current version, without the lot's note.
  Response product_page = Get("/01/" + std::string(kGtin));
  EXPECT_TRUE(Contains(product_page.body, "<h2>Tỏi cô đơn Lý Sơn</h2>"));
  EXPECT_FALSE(Contains(product_page.body, "theo phiên bản ngày"));

  // A lot made after the change shows the new name.
  MakeLot(org_, product_, "l3", "L2026B", kGtin);
  store::Lot later = store_->registry().GetLot("http://127.0.0.1:8080/id/lot/l3").value();
  later.produced_on = "2026-01-20";
  ASSERT_TRUE(store_->registry().UpdateLot(later, Audit()).ok());
  Response later_page = Get("/01/" + std::string(kGtin) + "/10/L2026B");
  EXPECT_TRUE(Contains(later_page.body, "<h2>Tỏi cô đơn Lý Sơn</h2>"));
  EXPECT_TRUE(Contains(later_page.body, "theo phiên bản ngày 11/01/2026"));

  // Long after the lot's expiry its page still resolves (products and lots are never deleted).
  clock_.Advance(std::chrono::hours(24 * 800));
  EXPECT_EQ(Get(path_).status, 200);
}

TEST_F(ResolverTest, DigitalProductPassportIsJsonLdBehindALinkType) {
  Response redirect = Get(path_ + "?linkType=gs1:dpp");
  EXPECT_EQ(redirect.status, 307);
  EXPECT_EQ(redirect.headers["Location"], std::string(kBase) + "/dpp" + path_);
  EXPECT_EQ(Get(path_ + "?linkType=https://gs1.org/voc/dpp").status, 307);

  Response linkset = Get(path_ + "?linkType=all");
  const boost::json::object set = boost::json::parse(linkset.body).at("linkset").at(0).as_object();
  ASSERT_TRUE(set.contains("https://gs1.org/voc/dpp"));
  EXPECT_EQ(set.at("https://gs1.org/voc/dpp").at(0).at("type").as_string(), "application/ld+json");
  EXPECT_TRUE(Contains(Get("/.well-known/gs1resolver").body, "gs1:dpp"));

  Response dpp = Get("/dpp" + path_, {{"Accept", "application/ld+json"}});
  ASSERT_EQ(dpp.status, 200) << dpp.body;
  EXPECT_EQ(dpp.headers["Content-Type"], "application/ld+json");
  const boost::json::object doc = boost::json::parse(dpp.body).as_object();
  EXPECT_EQ(doc.at("@context").at("gs1").as_string(), "https://gs1.org/voc/");
  EXPECT_EQ(doc.at("@type").at(0).as_string(), "IndividualProduct");
  EXPECT_EQ(doc.at("@id").as_string(), std::string(kBase) + path_);
  EXPECT_EQ(doc.at("name").as_string(), "Tỏi Lý Sơn");
  EXPECT_EQ(doc.at("gtin").as_string(), kGtin);
  EXPECT_EQ(doc.at("brand").at("name").as_string(), "Nghĩa Ân");
  EXPECT_EQ(doc.at("manufacturer").at("name").as_string(), "HTX Nghĩa Ân");
  EXPECT_EQ(doc.at("manufacturer").at("address").at("addressRegion").as_string(), "Quảng Ngãi");
  EXPECT_EQ(doc.at("countryOfOrigin").at("name").as_string(), "Việt Nam");
  EXPECT_EQ(doc.at("gs1:hasBatchLotNumber").as_string(), "L2026A");
  EXPECT_EQ(doc.at("gs1:expirationDate").as_string(), "2026-12-31");
  EXPECT_EQ(doc.at("serialNumber").as_string(), batch_.stamps[0].serial);
  const boost::json::array& certs = doc.at("gs1:certification").as_array();
  ASSERT_EQ(certs.size(), 2u);  // VietGAP (expired) and the OCOP rating
  EXPECT_EQ(certs[0].at("gs1:certificationStandard").as_string(), "VietGAP");
  EXPECT_EQ(certs[0].at("gs1:certificationStatus").as_string(), "EXPIRED");
  EXPECT_EQ(certs[0].at("gs1:certificationEndDate").as_string(), "2025-06-30");
  EXPECT_EQ(certs[1].at("gs1:certificationValue").as_string(), "4");
  EXPECT_TRUE(Contains(std::string(doc.at("gs1:traceability").as_string()), "/api/v1/trace?id="));
  EXPECT_TRUE(Contains(std::string(doc.at("gs1:epcis").as_string()), "/epcis/events?"));
  EXPECT_EQ(doc.at("version").as_string(), "1");
  EXPECT_EQ(std::string(doc.at("dateModified").as_string()).substr(0, 10), "2026-01-01");
  // Reading the passport records no scan.
  EXPECT_EQ(store_->stamps().CountScans(code_).value(), 0);

  EXPECT_EQ(Get("/dpp/01/" + std::string(kGtin)).status, 200);
  EXPECT_EQ(Get("/dpp/01/08935000000021", {{"Accept", "application/json"}}).status, 404);
  EXPECT_EQ(Get("/dpp/01/123", {{"Accept", "application/json"}}).status, 400);
}

}  // namespace
}  // namespace vntrace::http
