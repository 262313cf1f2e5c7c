#include "report/periodic_report.hpp"

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <zip.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "report/docx_writer.hpp"
#include "report/outreach.hpp"
#include "report/pdf_writer.hpp"
#include "report/report_fixture.hpp"

// fontconfig (under pango, for the PDF) keeps its caches until exit; only allocations made
// inside libfontconfig are suppressed.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

namespace vntrace::report {
namespace {

using testing::kProvince;

constexpr char kStampL1[] = "https://id.gs1.org/01/08935049500018/10/L1";

// Whitespace runs as one space: text extracted from a PDF wraps lines anywhere.
std::string Squeeze(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string Shell(const std::string& command) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return out;
  char buffer[4096];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe.get())) > 0) out.append(buffer, n);
  return out;
}

bool HasCommand(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// Skips when `tool` is missing, except in CI (CI=true), where the test fails instead.
#define REQUIRE_TOOL(tool, package)                                                        \
  do {                                                                                     \
    if (!HasCommand(tool)) {                                                               \
      const char* ci = std::getenv("CI");                                                  \
      if (ci != nullptr && std::string(ci) == "true") {                                    \
        FAIL() << tool << " is missing; scripts/install-deps.sh installs " << package;     \
      }                                                                                    \
      GTEST_SKIP()                                                                         \
          << tool << " is not installed (Debian package " << package                       \
          << ", installed by scripts/install-deps.sh): the generated file is not checked"; \
    }                                                                                      \
  } while (false)

// The entry `name` of the zip archive in `bytes`, or "" when missing.
std::string ZipEntry(const std::string& bytes, const std::string& name) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* archive = src ? zip_open_from_source(src, ZIP_RDONLY, &error) : nullptr;
  zip_error_fini(&error);
  if (archive == nullptr) {
    if (src) zip_source_free(src);
    return {};
  }
  std::string out;
  zip_stat_t stat;
  if (zip_stat(archive, name.c_str(), 0, &stat) == 0) {
    zip_file_t* file = zip_fopen(archive, name.c_str(), 0);
    if (file != nullptr) {
      out.resize(stat.size);
      const zip_int64_t read = zip_fread(file, out.data(), stat.size);
      out.resize(read < 0 ? 0 : static_cast<std::size_t>(read));
      zip_fclose(file);
    }
  }
  zip_close(archive);
  return out;
}

class PeriodicReportTest : public testing::ReportFixture {
 protected:
  PeriodicReportTest() {
    for (const char* at :
         {"2026-04-02T10:00:00+07:00", "2026-05-20T10:00:00+07:00", "2026-06-10T10:00:00+07:00"}) {
      EXPECT_TRUE(
          store_->stamps()
              .RecordScan(
                  {.code = kStampL1, .at = core::ParseRfc3339(at).value(), .province = kProvince})
              .ok());
    }
    EXPECT_TRUE(RecordOutreach({*store_, clock_, random_}, Officer(kProvince),
                               {.kind = "training",
                                .held_on = "2026-03-12",
                                .topic = "Tập huấn nhật ký điện tử",
                                .attendees = "30",
                                .organisations = "9"})
                    .ok());
    EXPECT_TRUE(RecordOutreach({*store_, clock_, random_}, Officer(kProvince),
                               {.kind = "information",
                                .held_on = "2025-12-01",  // before the period
                                .topic = "Hội nghị",
                                .attendees = "100"})
                    .ok());
  }

  PeriodicReport Build() {
    core::Result<PeriodicReport> r =
        BuildPeriodicReport(ctx(), Officer(kProvince), {.province = kProvince},
                            {.from = "2026-01-01", .to = "2026-05-31"}, clock_.Now());
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : PeriodicReport{};
  }

  // The sentences whose figures must equal the dashboard's (AdoptionStats of the same area).
  std::vector<std::string> Figures() {
    const AdoptionReport a =
        AdoptionStats(ctx(), Officer(kProvince), {.province = kProvince}, clock_.Now()).value();
    return {
        "có " + std::to_string(a.organisations) + " cơ sở sản xuất, kinh doanh",
        "trong đó " + std::to_string(a.levels.gs1_prefix) +
            " cơ sở đã đăng ký mã số mã vạch GS1, " + std::to_string(a.levels.qr_stamps) +
            " cơ sở sử dụng tem truy xuất nguồn gốc (mã QR), " +
            std::to_string(a.levels.diary_kept) + " cơ sở ghi nhật ký sản xuất trong 90 ngày",
        std::to_string(a.levels.self_assessment_passed) +
            " cơ sở tự đánh giá đạt yêu cầu TCVN 12850:2019",
        "Có " + std::to_string(a.ocop_products.size()) + " sản phẩm OCOP, trong đó " +
            std::to_string(a.ocop_meeting_traceability) + " sản phẩm đáp ứng",
        "được quét 2 lượt",
        "thực hiện 0 lượt kiểm tra, phát hiện 0 vi phạm",
        "đã tổ chức 1 lớp tập huấn và 0 hội nghị, buổi tuyên truyền về truy xuất nguồn gốc với 30 "
        "lượt người tham dự, tiếp cận 9 tổ chức",
    };
  }

  std::filesystem::path Write(const std::string& name, const std::string& bytes) {
    const std::filesystem::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
};

TEST(PeriodicReportFormatTest, NumbersDatesAndUpperCase) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1234), "1.234");
  EXPECT_EQ(FormatCount(1234567), "1.234.567");
  EXPECT_EQ(UpperVietnamese("Quảng Ngãi"), "QUẢNG NGÃI");
  EXPECT_EQ(UpperVietnamese("xã Đăk Hà, phường Ơn Ưu, ỹ ạ đ ơ ư ă â ê ô"),
            "XÃ ĐĂK HÀ, PHƯỜNG ƠN ƯU, Ỹ Ạ Đ Ơ Ư Ă Â Ê Ô");
  EXPECT_EQ(DayMonthYear("2026-06-01"), "01/06/2026");
}

TEST_F(PeriodicReportTest, FiguresAreHandCounted) {
  const PeriodicReport r = Build();
  const AdoptionReport& a = r.figures.adoption;
  // The fixture: two organisations in Quảng Ngãi (HTX Nghĩa Hành complete, Ba Tơ with gaps).
  EXPECT_EQ(a.organisations, 2);
  EXPECT_EQ(a.levels.gs1_prefix, 1);
  EXPECT_EQ(a.levels.qr_stamps, 1);
  EXPECT_EQ(a.levels.diary_kept, 1);
  EXPECT_EQ(a.levels.self_assessment_passed, 1);
  EXPECT_EQ(a.ocop_products.size(), 2u);
  EXPECT_EQ(a.ocop_meeting_traceability, 1);
  EXPECT_EQ(r.figures.scans, 2);  // April and May; not June
  EXPECT_EQ(r.figures.outreach.trainings, 1);
  EXPECT_EQ(r.figures.outreach.information_sessions, 0);
  EXPECT_EQ(r.figures.outreach.attendees, 30);
  EXPECT_EQ(r.figures.inspections.inspections, 0);
  EXPECT_EQ(r.text.parent_agency, "UBND TỈNH QUẢNG NGÃI");
  EXPECT_EQ(r.issued_on, "2026-06-01");

  const std::string text = Squeeze(PlainText(LayoutReport(r)));
  for (const std::string& figure : Figures()) {
    EXPECT_NE(text.find(figure), std::string::npos) << figure << "\n" << text;
  }
  EXPECT_NE(text.find("Quảng Ngãi, ngày 01 tháng 6 năm 2026"), std::string::npos);
  EXPECT_NE(text.find("(từ ngày 01/01/2026 đến ngày 31/05/2026)"), std::string::npos);
  EXPECT_NE(text.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), std::string::npos);
  EXPECT_NE(text.find("Nơi nhận:"), std::string::npos);
}

TEST_F(PeriodicReportTest, EditsAreCheckedAndUsed) {
  PeriodicReport r = Build();
  ReportText edits = r.text;
  edits.proposals = "Đề nghị hỗ trợ <kinh phí> & \"tem\".";
  edits.signer_name = "Nguyễn Văn A";
  ASSERT_TRUE(SetEdits(r, edits).ok());
  const std::string xml = DocxDocumentXml(LayoutReport(r));
  EXPECT_NE(xml.find("Đề nghị hỗ trợ &lt;kinh phí&gt; &amp; &quot;tem&quot;."), std::string::npos);
  EXPECT_NE(xml.find("Nguyễn Văn A"), std::string::npos);
  ReportText bad = r.text;
  bad.direction = std::string(kMaxNarrativeChars + 1, 'a');
  EXPECT_EQ(SetEdits(r, bad).error().details, "direction.too_long");
  bad = r.text;
  bad.other = "\xFF";
  EXPECT_EQ(SetEdits(r, bad).error().details, "other.encoding");
}

TEST_F(PeriodicReportTest, OnlyTheAreasAuthoritiesReport) {
  EXPECT_EQ(
      BuildPeriodicReport(ctx(), Officer("Kon Tum"), {.province = kProvince}, {}, clock_.Now())
          .error()
          .code,
      core::ErrorCode::kPermissionDenied);
  EXPECT_EQ(BuildPeriodicReport(ctx(), Member(a_), {.province = kProvince}, {}, clock_.Now())
                .error()
                .code,
            core::ErrorCode::kPermissionDenied);
}

TEST_F(PeriodicReportTest, DocxIsAWordprocessingPackage) {
  core::Result<std::string> docx = WriteDocx(LayoutReport(Build()));
  ASSERT_TRUE(docx.ok()) << docx.error().ToString();
  EXPECT_EQ(docx->substr(0, 2), "PK");
  for (const char* part : {"[Content_Types].xml", "_rels/.rels", "word/document.xml",
                           "word/styles.xml", "word/_rels/document.xml.rels"}) {
    EXPECT_FALSE(ZipEntry(*docx, part).empty()) << part;
  }
  const std::string document = ZipEntry(*docx, "word/document.xml");
  EXPECT_NE(document.find("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), std::string::npos);  // A4
  EXPECT_NE(document.find("w:left=\"1701\""), std::string::npos);                        // 30 mm
  EXPECT_NE(ZipEntry(*docx, "word/styles.xml").find("w:ascii=\"Times New Roman\""),
            std::string::npos);
}

TEST_F(PeriodicReportTest, DocxOpensInLibreOfficeWithTheDashboardsFigures) {
  REQUIRE_TOOL("soffice", "libreoffice-writer-nogui");
  REQUIRE_TOOL("pdftotext", "poppler-utils");
  core::Result<std::string> docx = WriteDocx(LayoutReport(Build()));
  ASSERT_TRUE(docx.ok());
  const std::filesystem::path input = Write("bao-cao.docx", *docx);
  const std::filesystem::path profile = dir_ / "lo-profile";
  const std::string convert = "timeout 180 soffice -env:UserInstallation=file://" +
                              profile.string() + " --headless --convert-to pdf --outdir " +
                              dir_.string() + " " + input.string() + " 2>&1";
  const std::string log = Shell(convert);
  const std::filesystem::path pdf = dir_ / "bao-cao.pdf";
  ASSERT_TRUE(std::filesystem::exists(pdf)) << "LibreOffice did not convert the DOCX: " << log;
  const std::string text = Squeeze(Shell("pdftotext -enc UTF-8 " + pdf.string() + " -"));
  for (const std::string& figure : Figures()) {
    EXPECT_NE(text.find(figure), std::string::npos) << figure << "\n--- text:\n" << text;
  }
  EXPECT_NE(text.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), std::string::npos);
  EXPECT_NE(text.find("Độc lập - Tự do - Hạnh phúc"), std::string::npos);
  EXPECT_NE(text.find("Số: /BC-SKHCN"), std::string::npos);
  // Pages are numbered at the top from the second page on; the first page has no number.
  const std::string info = Shell("pdfinfo " + pdf.string());
  ASSERT_NE(info.find("Pages:"), std::string::npos) << info;
  const int pages = std::stoi(info.substr(info.find("Pages:") + 6));
  ASSERT_GE(pages, 2) << "the report fits one page; the page number cannot be checked";
  for (int page = 1; page <= pages; ++page) {
    const std::string one =
        Shell(fmt::format("pdftotext -enc UTF-8 -f {0} -l {0} {1} -", page, pdf.string()));
    const std::string first_line = one.substr(0, one.find('\n'));
    if (page == 1) {
      EXPECT_NE(first_line, "1") << one.substr(0, 200);
    } else {
      EXPECT_EQ(first_line, std::to_string(page)) << one.substr(0, 200);
    }
  }
}

TEST_F(PeriodicReportTest, PdfHasTheDashboardsFigures) {
  REQUIRE_TOOL("pdftotext", "poppler-utils");
  core::Result<std::string> pdf = WritePdf(LayoutReport(Build()));
  ASSERT_TRUE(pdf.ok()) << pdf.error().ToString();
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  const std::filesystem::path path = Write("bao-cao-cairo.pdf", *pdf);
  const std::string text = Squeeze(Shell("pdftotext -enc UTF-8 " + path.string() + " -"));
  for (const std::string& figure : Figures()) {
    EXPECT_NE(text.find(figure), std::string::npos) << figure << "\n--- text:\n" << text;
  }
  EXPECT_NE(text.find("BÁO CÁO"), std::string::npos);
  EXPECT_NE(text.find("Nơi nhận:"), std::string::npos);
  const std::string info = Shell("pdfinfo " + path.string());
  EXPECT_NE(info.find("595.276 x 841.89"), std::string::npos) << info;  // A4
}

}  // namespace
}  // namespace vntrace::report
