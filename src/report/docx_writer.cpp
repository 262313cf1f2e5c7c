#include "report/docx_writer.hpp"

#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/markup.hpp"
#include "core/zip.hpp"

namespace vntrace::report {
namespace {

constexpr std::string_view kWordNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr std::string_view kRelNs = "http://schemas.openxmlformats.org/package/2006/relationships";
constexpr std::string_view kOfficeRelNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr std::string_view kXmlHead =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

long Twips(double mm) { return std::lround(mm * 1440.0 / 25.4); }
long HalfPoints(double pt) { return std::lround(pt * 2); }
long PointsTwentieths(double pt) { return std::lround(pt * 20); }

std::string_view Justification(Align align) {
  switch (align) {
    case Align::kLeft:
      return "left";
    case Align::kCenter:
      return "center";
    case Align::kRight:
      return "right";
    case Align::kJustify:
      return "both";
  }
  return "both";
}

void AppendRun(std::string& xml, const Run& run) {
  std::string props;
  if (run.bold) props += "<w:b/><w:bCs/>";
  if (run.italic) props += "<w:i/><w:iCs/>";
  if (run.underline) props += "<w:u w:val=\"single\"/>";
  props += fmt::format("<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>", HalfPoints(run.size_pt));
  xml += "<w:r><w:rPr>" + props + "</w:rPr>";
  std::string_view text = run.text;
  bool first = true;
  while (true) {
    const std::size_t nl = text.find('\n');
    if (!first) xml += "<w:br/>";
    first = false;
    xml += "<w:t xml:space=\"preserve\">" + core::EscapeMarkup(text.substr(0, nl)) + "</w:t>";
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  xml += "</w:r>";
}

void AppendParagraph(std::string& xml, const Paragraph& p) {
  xml += fmt::format("<w:p><w:pPr><w:spacing w:before=\"{}\" w:after=\"{}\"/>",
                     PointsTwentieths(p.space_before_pt), PointsTwentieths(p.space_after_pt));
  if (p.first_line_indent_mm > 0) {
    xml += fmt::format("<w:ind w:firstLine=\"{}\"/>", Twips(p.first_line_indent_mm));
  }
  xml += fmt::format("<w:jc w:val=\"{}\"/></w:pPr>", Justification(p.align));
  for (const Run& run : p.runs) {
    AppendRun(xml, run);
  }
  xml += "</w:p>";
}

void AppendTable(std::string& xml, const Table& t) {
  long total = 0;
  for (double w : t.column_widths_mm) total += Twips(w);
  const std::string_view border = t.borders ? "single" : "nil";
  xml += fmt::format(
      "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>"
      "<w:tblBorders>",
      total);
  for (std::string_view side : {"top", "left", "bottom", "right", "insideH", "insideV"}) {
    xml += fmt::format("<w:{} w:val=\"{}\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>", side,
                       border);
  }
  xml +=
      "</w:tblBorders><w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/>"
      "<w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>";
  for (double w : t.column_widths_mm) {
    xml += fmt::format("<w:gridCol w:w=\"{}\"/>", Twips(w));
  }
  xml += "</w:tblGrid>";
  for (const std::vector<TableCell>& row : t.rows) {
    xml += "<w:tr><w:trPr><w:cantSplit/></w:trPr>";
    for (std::size_t c = 0; c < row.size(); ++c) {
      const double width = c < t.column_widths_mm.size() ? t.column_widths_mm[c] : 30;
      xml += fmt::format("<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/></w:tcPr>", Twips(width));
      if (row[c].paragraphs.empty()) {
        xml += "<w:p/>";  // a cell needs one paragraph
      }
      for (const Paragraph& p : row[c].paragraphs) {
        AppendParagraph(xml, p);
      }
      xml += "</w:tc>";
    }
    xml += "</w:tr>";
  }
  xml += "</w:tbl>";
}

std::string StylesXml(const Document& d) {
  const std::string font = core::EscapeMarkup(d.font_family);
  return std::string(kXmlHead) +
         fmt::format(
             "<w:styles xmlns:w=\"{0}\"><w:docDefaults><w:rPrDefault><w:rPr>"
             "<w:rFonts w:ascii=\"{1}\" w:hAnsi=\"{1}\" w:cs=\"{1}\" w:eastAsia=\"{1}\"/>"
             "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\"/>"
             "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"120\" "
             "w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
             "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
             "<w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
             "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
             "<w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>"
             "</w:tblPr></w:style></w:styles>",
             kWordNs, font);
}

std::string ContentTypesXml() {
  return std::string(kXmlHead) +
         "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
         "<Default Extension=\"rels\" "
         "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
         "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
         "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
         "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
         "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
         "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
         "<Override PartName=\"/word/header1.xml\" ContentType=\"application/"
         "vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
         "<Override PartName=\"/docProps/core.xml\" "
         "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
         "</Types>";
}

std::string RootRelsXml() {
  return std::string(kXmlHead) + fmt::format(
                                     "<Relationships xmlns=\"{}\">"
                                     "<Relationship Id=\"rId1\" Type=\"http://schemas."
                                     "openxmlformats.org/officeDocument/2006/relationships/"
                                     "officeDocument\" Target=\"word/document.xml\"/>"
                                     "<Relationship Id=\"rId2\" Type=\"http://schemas."
                                     "openxmlformats.org/package/2006/relationships/metadata/"
                                     "core-properties\" Target=\"docProps/core.xml\"/>"
                                     "</Relationships>",
                                     kRelNs);
}

std::string DocumentRelsXml() {
  return std::string(kXmlHead) +
         fmt::format(
             "<Relationships xmlns=\"{}\"><Relationship Id=\"rId1\" "
             "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
             "Target=\"styles.xml\"/><Relationship Id=\"rId2\" "
             "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" "
             "Target=\"header1.xml\"/></Relationships>",
             kRelNs);
}

// The page number, centred at the top of every page but the first (Decree 30/2020, Appendix I:
// numbered from the second page), as a PAGE field that Word and LibreOffice fill in.
std::string HeaderXml() {
  return std::string(kXmlHead) +
         fmt::format(
             "<w:hdr xmlns:w=\"{}\"><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
             "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
             "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
             "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
             "<w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:t>2</w:t></w:r>"
             "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:hdr>",
             kWordNs);
}

std::string CoreXml(const Document& d) {
  return std::string(kXmlHead) +
         "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
         "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
         "<dc:title>" +
         core::EscapeMarkup(d.title) +
         "</dc:title><dc:creator>vntrace</dc:creator><dc:language>vi-VN" +
         "</dc:language></cp:coreProperties>";
}

}  // namespace

std::string DocxDocumentXml(const Document& document) {
  std::string xml(kXmlHead);
  xml += fmt::format("<w:document xmlns:w=\"{}\" xmlns:r=\"{}\"><w:body>", kWordNs, kOfficeRelNs);
  for (const Block& block : document.blocks) {
    if (const auto* p = std::get_if<Paragraph>(&block)) {
      AppendParagraph(xml, *p);
    } else {
      AppendTable(xml, std::get<Table>(block));
      xml += "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\"/></w:pPr></w:p>";
    }
  }
  xml += fmt::format(
      "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId2\"/>"
      "<w:pgSz w:w=\"{}\" w:h=\"{}\"/><w:pgMar w:top=\"{}\" w:right=\"{}\" "
      "w:bottom=\"{}\" w:left=\"{}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>"
      "<w:titlePg/></w:sectPr></w:body></w:document>",
      Twips(document.page_width_mm), Twips(document.page_height_mm), Twips(document.margin_top_mm),
      Twips(document.margin_right_mm), Twips(document.margin_bottom_mm),
      Twips(document.margin_left_mm));
  return xml;
}

core::Result<std::string> WriteDocx(const Document& document) {
  // The parts must stay alive until the archive is closed (libzip reads them then).
  const std::vector<core::ZipPart> parts = {
      {"[Content_Types].xml", ContentTypesXml()},
      {"_rels/.rels", RootRelsXml()},
      {"word/document.xml", DocxDocumentXml(document)},
      {"word/styles.xml", StylesXml(document)},
      {"word/_rels/document.xml.rels", DocumentRelsXml()},
      {"docProps/core.xml", CoreXml(document)},
      {"word/header1.xml", HeaderXml()},
  };
  return core::WriteZip(parts, "docx");
}

}  // namespace vntrace::report
