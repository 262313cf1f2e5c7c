#include "registry/xlsx.hpp"

#include <zip.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "store/contract/fixture.hpp"

namespace vntrace::registry {
namespace {

using Parts = std::vector<std::pair<std::string, std::string>>;

// A zip archive of `parts` (deflated), written with libzip.
std::string Zip(const Parts& parts) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  EXPECT_NE(archive, nullptr);
  zip_source_keep(buffer);
  for (const auto& [name, data] : parts) {
    zip_source_t* source = zip_source_buffer(archive, data.data(), data.size(), 0);
    EXPECT_GE(zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8), 0);
  }
  EXPECT_EQ(zip_close(archive), 0);
  EXPECT_EQ(zip_source_open(buffer), 0);
  zip_source_seek(buffer, 0, SEEK_END);
  const zip_int64_t size = zip_source_tell(buffer);
  zip_source_seek(buffer, 0, SEEK_SET);
  std::string out(static_cast<std::size_t>(size), '\0');
  EXPECT_EQ(zip_source_read(buffer, out.data(), static_cast<zip_uint64_t>(size)), size);
  zip_source_close(buffer);
  zip_source_free(buffer);
  zip_error_fini(&error);
  return out;
}

constexpr char kRels[] =
    R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/first.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/second.xml"/>)"
    R"(<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>)"
    R"(<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)"
    R"(</Relationships>)";

std::string Workbook(bool date1904 = false) {
  return std::string(
             R"(<?xml version="1.0"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
             R"(xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)") +
         (date1904 ? R"(<x:workbookPr date1904="1"/>)" : "") +
         R"(<x:sheets><x:sheet name="Nhật ký" sheetId="7" rel:id="rId1"/>)"
         R"(<x:sheet name="Khác" sheetId="8" rel:id="rId2"/></x:sheets></x:workbook>)";
}

constexpr char kStrings[] =
    R"(<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
    R"(<si><t>Lô ớt 1</t></si>)"
    R"(<si><r><rPr><b/></rPr><t xml:space="preserve">Ớt </t></r><r><t>rừng</t></r><rPh><t>x</t></rPh></si>)"
    R"(<si><t>dòng_x000A_mới</t></si>)"
    R"(</sst>)";

// Style 0 general, 1 built-in date 14, 2 custom "dd/mm/yyyy hh:mm", 3 custom number with a
// quoted "d" (not a date), 4 a percentage.
constexpr char kStyles[] =
    R"(<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
    R"(<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy\ hh:mm"/>)"
    R"(<numFmt numFmtId="165" formatCode="0.0&quot; d&quot;"/></numFmts>)"
    R"(<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="10"/></cellXfs>)"
    R"(</styleSheet>)";

std::string Sheet(std::string rows) {
  return R"(<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
         rows + "</sheetData></worksheet>";
}

Parts Book(std::string first_sheet_rows, bool date1904 = false) {
  return {{"[Content_Types].xml", "<Types/>"},
          {"xl/workbook.xml", Workbook(date1904)},
          {"xl/_rels/workbook.xml.rels", kRels},
          {"xl/sharedStrings.xml", kStrings},
          {"xl/styles.xml", kStyles},
          {"xl/worksheets/first.xml", Sheet(std::move(first_sheet_rows))},
          {"xl/worksheets/second.xml",
           Sheet(R"(<row r="1"><c t="inlineStr"><is><t>khác</t></is></c></row>)")}};
}

std::string ErrorCodeOf(const core::Result<std::vector<XlsxRow>>& r) {
  return r.ok() ? "ok" : r.error().details;
}

TEST(Xlsx, TemplateRoundTripsThroughTheReader) {
  XlsxSheet sheet{.name = "Thu hoạch: lô [1]/2 — tên rất dài quá ba mươi mốt ký tự",
                  .columns = {{"Cơ sở / Facility (facility)", 30}, {"Ngày (occurred_at)", 14}},
                  .rows = {{"Lô ớt 1", "2026-05-20"}, {"", " cách  "}, {"a<b>&\"c\"", ""}}};
  core::Result<std::string> bytes = WriteXlsx(sheet);
  ASSERT_TRUE(bytes.ok()) << bytes.error().ToString();
  EXPECT_TRUE(LooksLikeZip(*bytes));
  core::Result<std::vector<XlsxRow>> rows = ReadXlsx(*bytes);
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0].row, 1u);
  EXPECT_EQ((*rows)[0].cells,
            (std::vector<std::string>{"Cơ sở / Facility (facility)", "Ngày (occurred_at)"}));
  EXPECT_EQ((*rows)[1].cells, (std::vector<std::string>{"Lô ớt 1", "2026-05-20"}));
  EXPECT_EQ((*rows)[2].cells, (std::vector<std::string>{"", " cách  "}));
  EXPECT_EQ((*rows)[3].row, 4u);
  EXPECT_EQ((*rows)[3].cells, (std::vector<std::string>{"a<b>&\"c\""}));
}

TEST(Xlsx, ReadsTheFirstSheetsCellsAsTheyShow) {
  const std::string rows =
      R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>)"
      R"(<row r="3"><c r="B3" s="1"><v>46162</v></c><c r="C3" s="2"><v>46162.3125</v></c>)"
      R"(<c r="D3" s="3"><v>2.5</v></c><c r="E3" t="b"><v>1</v></c><c r="F3"><v>1.5E-3</v></c>)"
      R"(<c r="G3" t="str"><f>A1</f><v>Lô ớt 1</v></c><c r="H3" t="s"><v>2</v></c>)"
      R"(<c r="I3" s="4"><v>0.25</v></c><c r="J3"/></row>)"
      R"(<row r="4"><c t="inlineStr"><is><t>x</t></is></c><c><v>7</v></c></row>)";
  core::Result<std::vector<XlsxRow>> read = ReadXlsx(Zip(Book(rows)));
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  ASSERT_EQ(read->size(), 3u);
  EXPECT_EQ((*read)[0].cells, (std::vector<std::string>{"Lô ớt 1", "", "Ớt rừng"}));
  EXPECT_EQ((*read)[1].row, 3u);
  EXPECT_EQ((*read)[1].cells,
            (std::vector<std::string>{"", "2026-05-20", "2026-05-20 07:30", "2.5", "TRUE", "0.0015",
                                      "Lô ớt 1", "dòng\nmới", "0.25", ""}));
  EXPECT_EQ((*read)[2].cells, (std::vector<std::string>{"x", "7"}));
}

TEST(Xlsx, DateSystemsAndTheLeapYearBug) {
  // 1900 system: serial 1 is 1900-01-01, 59 is 1900-02-28, 61 is 1900-03-01.
  core::Result<std::vector<XlsxRow>> read = ReadXlsx(Zip(Book(
      R"(<row r="1"><c s="1"><v>1</v></c><c s="1"><v>59</v></c><c s="1"><v>61</v></c></row>)")));
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_EQ((*read)[0].cells, (std::vector<std::string>{"1900-01-01", "1900-02-28", "1900-03-01"}));
  // 1904 system: serial 0 is 1904-01-01.
  read = ReadXlsx(
      Zip(Book(R"(<row r="1"><c s="1"><v>0</v></c><c s="1"><v>44700</v></c></row>)", true)));
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_EQ((*read)[0].cells, (std::vector<std::string>{"1904-01-01", "2026-05-20"}));
}

TEST(Xlsx, RefusesWhatIsNotAWorkbookWithPreciseCodes) {
  EXPECT_EQ(ErrorCodeOf(ReadXlsx("Cơ sở,Ngày\n")), "xlsx.zip");
  EXPECT_EQ(ErrorCodeOf(ReadXlsx(std::string("PK\3\4") + "garbage that is no archive")),
            "xlsx.zip");
  std::string truncated = Zip(Book("<row/>"));
  truncated.resize(truncated.size() / 2);
  EXPECT_EQ(ErrorCodeOf(ReadXlsx(truncated)), "xlsx.zip");

  Parts no_workbook = Book("");
  no_workbook.erase(no_workbook.begin() + 1);
  EXPECT_EQ(ErrorCodeOf(ReadXlsx(Zip(no_workbook))), "xlsx.no_sheet");
  Parts missing_sheet = Book("");
  missing_sheet.erase(missing_sheet.begin() + 5);  // xl/worksheets/first.xml
  core::Result<std::vector<XlsxRow>> r = ReadXlsx(Zip(missing_sheet));
  EXPECT_EQ(ErrorCodeOf(r), "xlsx.no_sheet");
  EXPECT_NE(r.error().message.find("xl/worksheets/first.xml"), std::string::npos);
  Parts no_sheets = Book("");
  no_sheets[1].second =
      R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>)";
  EXPECT_EQ(ErrorCodeOf(ReadXlsx(Zip(no_sheets))), "xlsx.no_sheet");

  Parts bad_xml = Book("<row r=\"1\"><c><v>1</v></row>");
  EXPECT_EQ(ErrorCodeOf(ReadXlsx(Zip(bad_xml))), "xlsx.xml");
  EXPECT_EQ(ErrorCodeOf(ReadXlsx(Zip(Book(R"(<row r="2"><c r="A3"><v>1</v></c></row>)")))),
            "xlsx.cell");
  EXPECT_EQ(ErrorCodeOf(ReadXlsx(Zip(Book(R"(<row r="2"/><row r="1"><c><v>1</v></c></row>)")))),
            "xlsx.cell");
  EXPECT_EQ(ErrorCodeOf(ReadXlsx(Zip(Book(R"(<row r="1"><c t="s"><v>99</v></c></row>)")))),
            "xlsx.cell");
  EXPECT_EQ(ErrorCodeOf(ReadXlsx(Zip(Book(R"(<row r="1"><c r="ZZZ1"><v>1</v></c></row>)")))),
            "xlsx.too_many_columns");
  std::string many;
  for (int i = 1; i <= 5; ++i) many += "<row><c><v>1</v></c></row>";
  EXPECT_EQ(ErrorCodeOf(ReadXlsx(Zip(Book(many)), {.max_rows = 4})), "xlsx.too_many_rows");
}

TEST(Xlsx, StopsZipBombsAndOversizedArchives) {
  // 8 MiB of one byte deflates to a few kilobytes; the reader stops at the part limit while
  // inflating, whatever the entry's header says.
  Parts bomb = Book("");
  bomb[5].second = Sheet(std::string(8u << 20, ' '));
  const std::string bytes = Zip(bomb);
  ASSERT_LT(bytes.size(), 100'000u);
  core::Result<std::vector<XlsxRow>> r = ReadXlsx(bytes, {.max_part_bytes = 1u << 20});
  EXPECT_EQ(ErrorCodeOf(r), "xlsx.too_large");
  EXPECT_EQ(ErrorCodeOf(ReadXlsx(bytes, {.max_total_bytes = 2u << 20})), "xlsx.too_large");

  Parts crowded = Book("");
  for (int i = 0; i < 300; ++i) crowded.emplace_back("junk/" + std::to_string(i), "x");
  EXPECT_EQ(ErrorCodeOf(ReadXlsx(Zip(crowded))), "xlsx.entries");
  EXPECT_EQ(ErrorCodeOf(ReadXlsx(bytes, {.max_file_bytes = 100})), "xlsx.too_large");
}

// A workbook LibreOffice Calc writes: a CSV converted by `soffice --headless --convert-to xlsx`.
TEST(Xlsx, ReadsAWorkbookWrittenByLibreOffice) {
  if (std::system("command -v soffice >/dev/null 2>&1") != 0 ||
      !std::filesystem::exists("/usr/lib/libreoffice/program/libsclo.so")) {
    GTEST_SKIP() << "LibreOffice Calc (soffice with libreoffice-calc-nogui) is not installed";
  }
  store::testing::TempDir dir;
  const std::filesystem::path csv = dir.path() / "nhat-ky.csv";
  {
    std::ofstream out(csv, std::ios::binary);
    out << "Cơ sở (facility),Thời gian (occurred_at),Sản lượng (quantity),Ghi chú (note)\n"
           "Lô ớt 1,2026-05-20,100.5,\"có dấu, phẩy\"\n"
           ",,,\n"
           "Lô ớt 2,2026-05-21 07:30,80,\n";
  }
  const std::string command =
      "cd '" + dir.path().string() + "' && HOME='" + dir.path().string() +
      "' timeout 120 soffice --headless --norestore "
      "--infilter=CSV:44,34,76,1,,1066 --convert-to xlsx:'Calc MS Excel 2007 XML' nhat-ky.csv "
      ">/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::ifstream in(dir.path() / "nhat-ky.xlsx", std::ios::binary);
  ASSERT_TRUE(in.good()) << "soffice wrote no nhat-ky.xlsx";
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  core::Result<std::vector<XlsxRow>> rows = ReadXlsx(bytes);
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 3u);  // the empty line holds no cell
  EXPECT_EQ((*rows)[0].cells[1], "Thời gian (occurred_at)");
  EXPECT_EQ((*rows)[1].row, 2u);
  // Calc recognises the dates and numbers and stores them as serial numbers in date-formatted
  // cells; they come back as the text the producer typed.
  EXPECT_EQ((*rows)[1].cells,
            (std::vector<std::string>{"Lô ớt 1", "2026-05-20", "100.5", "có dấu, phẩy"}));
  EXPECT_EQ((*rows)[2].row, 4u);
  EXPECT_EQ((*rows)[2].cells[0], "Lô ớt 2");
  EXPECT_EQ((*rows)[2].cells[1], "2026-05-21 07:30");
  EXPECT_EQ((*rows)[2].cells[2], "80");
}

}  // namespace
}  // namespace vntrace::registry
