#include "registry/xlsx.hpp"

#include <zip.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "core/markup.hpp"
#include "core/zip.hpp"

namespace vntrace::registry {
namespace {

constexpr std::string_view kXmlHead =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr std::string_view kMainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kDocRelNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr std::string_view kPackageRelNs =
    "http://schemas.openxmlformats.org/package/2006/relationships";

core::Error Invalid(std::string message, std::string_view code) {
  return core::InvalidArgument(std::move(message), std::string(code));
}

// "A" for 0, "Z" for 25, "AA" for 26.
std::string ColumnName(std::size_t index) {
  std::string out;
  ++index;
  while (index > 0) {
    const std::size_t rest = (index - 1) % 26;
    out.insert(out.begin(), static_cast<char>('A' + rest));
    index = (index - 1) / 26;
  }
  return out;
}

// Text as XML character data: escaped, without the control characters XML 1.0 forbids.
std::string XmlText(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
      clean += c;
    }
  }
  return core::EscapeMarkup(clean);
}

std::string SheetName(std::string_view name) {
  std::string out;
  std::size_t chars = 0;
  for (const char c : name) {
    const bool lead = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (lead && ++chars > 31) {
      break;
    }
    out += std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '-';
  }
  return out.empty() ? "Sheet1" : out;
}

std::string InlineCell(std::size_t column, std::size_t row, std::string_view text, int style) {
  const bool preserve = !text.empty() && (text.front() == ' ' || text.back() == ' ' ||
                                          text.find('\n') != std::string_view::npos);
  return fmt::format("<c r=\"{}{}\" t=\"inlineStr\"{}><is><t{}>{}</t></is></c>", ColumnName(column),
                     row, style > 0 ? fmt::format(" s=\"{}\"", style) : "",
                     preserve ? " xml:space=\"preserve\"" : "", XmlText(text));
}

std::string SheetXml(const XlsxSheet& sheet) {
  std::string xml(kXmlHead);
  xml += fmt::format("<worksheet xmlns=\"{}\" xmlns:r=\"{}\">", kMainNs, kDocRelNs);
  xml += fmt::format("<dimension ref=\"A1:{}{}\"/>",
                     ColumnName(std::max<std::size_t>(sheet.columns.size(), 1) - 1),
                     sheet.rows.size() + 1);
  xml +=
      "<sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\">"
      "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
      "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>"
      "<sheetFormatPr defaultRowHeight=\"15\"/>";
  if (!sheet.columns.empty()) {
    xml += "<cols>";
    for (std::size_t i = 0; i < sheet.columns.size(); ++i) {
      xml += fmt::format("<col min=\"{0}\" max=\"{0}\" width=\"{1:.1f}\" customWidth=\"1\"/>",
                         i + 1, std::clamp(sheet.columns[i].width, 1.0, 255.0));
    }
    xml += "</cols>";
  }
  xml += "<sheetData><row r=\"1\">";
  for (std::size_t i = 0; i < sheet.columns.size(); ++i) {
    xml += InlineCell(i, 1, sheet.columns[i].header, 1);
  }
  xml += "</row>";
  for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
    xml += fmt::format("<row r=\"{}\">", r + 2);
    for (std::size_t c = 0; c < sheet.rows[r].size(); ++c) {
      if (!sheet.rows[r][c].empty()) {
        xml += InlineCell(c, r + 2, sheet.rows[r][c], 0);
      }
    }
    xml += "</row>";
  }
  xml += "</sheetData></worksheet>";
  return xml;
}

std::string WorkbookXml(const XlsxSheet& sheet) {
  return std::string(kXmlHead) +
         fmt::format(
             "<workbook xmlns=\"{}\" xmlns:r=\"{}\"><bookViews><workbookView activeTab=\"0\"/>"
             "</bookViews><sheets><sheet name=\"{}\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
             "</workbook>",
             kMainNs, kDocRelNs, XmlText(SheetName(sheet.name)));
}

std::string StylesXml() {
  return std::string(kXmlHead) +
         fmt::format(
             "<styleSheet xmlns=\"{}\">"
             "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>"
             "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
             "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
             "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
             "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border>"
             "</borders>"
             "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" "
             "borderId=\"0\"/></cellStyleXfs>"
             "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" "
             "xfId=\"0\"/><xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
             "applyFont=\"1\"/></cellXfs>"
             "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>"
             "</cellStyles></styleSheet>",
             kMainNs);
}

std::string ContentTypesXml() {
  return std::string(kXmlHead) +
         "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
         "<Default Extension=\"rels\" "
         "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
         "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
         "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/"
         "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
         "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/"
         "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
         "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/"
         "vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
         "</Types>";
}

std::string RootRelsXml() {
  return std::string(kXmlHead) +
         fmt::format(
             "<Relationships xmlns=\"{}\"><Relationship Id=\"rId1\" Type=\"{}/officeDocument\" "
             "Target=\"xl/workbook.xml\"/></Relationships>",
             kPackageRelNs, kDocRelNs);
}

std::string WorkbookRelsXml() {
  return std::string(kXmlHead) +
         fmt::format(
             "<Relationships xmlns=\"{0}\"><Relationship Id=\"rId1\" Type=\"{1}/worksheet\" "
             "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"{1}/styles\" "
             "Target=\"styles.xml\"/></Relationships>",
             kPackageRelNs, kDocRelNs);
}

struct ZipDiscard {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct SourceFree {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};
struct FileClose {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

// ---- reading

// The archive being read, with the bytes read so far counted against the limits.
class Archive {
 public:
  static core::Result<Archive> Open(std::string_view bytes, const XlsxLimits& limits) {
    zip_error_t error;
    zip_error_init(&error);
    std::unique_ptr<zip_source_t, SourceFree> source(
        zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error));
    if (!source) {
      zip_error_fini(&error);
      return core::Internal("xlsx: cannot read the upload buffer");
    }
    zip_t* zip = zip_open_from_source(source.get(), ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (zip == nullptr) {
      core::Error e = Invalid(fmt::format("the file is not a readable XLSX (zip) archive: {}",
                                          zip_error_strerror(&error)),
                              "xlsx.zip");
      zip_error_fini(&error);
      return e;
    }
    (void)source.release();  // the archive owns it now
    zip_error_fini(&error);
    Archive archive(zip, limits);
    const zip_int64_t entries = zip_get_num_entries(zip, 0);
    if (entries < 0 || static_cast<std::uint64_t>(entries) > limits.max_entries) {
      return Invalid(fmt::format("the archive has {} entries; at most {} are accepted", entries,
                                 limits.max_entries),
                     "xlsx.entries");
    }
    return archive;
  }

  // The uncompressed part `name`, or nullopt when the archive has none.
  core::Result<std::optional<std::string>> Read(const std::string& name) {
    zip_int64_t index = zip_name_locate(zip_.get(), name.c_str(), 0);
    if (index < 0) {
      index = zip_name_locate(zip_.get(), name.c_str(), ZIP_FL_NOCASE);
    }
    if (index < 0) {
      return std::optional<std::string>();
    }
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0, &stat) != 0) {
      return Invalid("cannot read the entry " + name, "xlsx.zip");
    }
    if ((stat.valid & ZIP_STAT_SIZE) != 0 && stat.size > limits_.max_part_bytes) {
      return TooLarge(name);
    }
    std::unique_ptr<zip_file_t, FileClose> file(
        zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0));
    if (!file) {
      return Invalid(fmt::format("cannot open the entry {}: {}", name, zip_strerror(zip_.get())),
                     "xlsx.zip");
    }
    std::string out;
    char chunk[16384];
    while (true) {
      const zip_int64_t n = zip_fread(file.get(), chunk, sizeof chunk);
      if (n < 0) {
        return Invalid(fmt::format("the entry {} is damaged: {}", name,
                                   zip_error_strerror(zip_file_get_error(file.get()))),
                       "xlsx.zip");
      }
      if (n == 0) {
        break;
      }
      out.append(chunk, static_cast<std::size_t>(n));
      total_ += static_cast<std::size_t>(n);
      // Counted as it is inflated: a bomb stops here, whatever its headers claim.
      if (out.size() > limits_.max_part_bytes || total_ > limits_.max_total_bytes) {
        return TooLarge(name);
      }
    }
    return std::optional<std::string>(std::move(out));
  }

 private:
  Archive(zip_t* zip, const XlsxLimits& limits) : zip_(zip), limits_(limits) {}

  core::Error TooLarge(const std::string& name) const {
    return Invalid(fmt::format("the entry {} unpacks to more than {} MB; the file is refused", name,
                               limits_.max_part_bytes >> 20),
                   "xlsx.too_large");
  }

  std::unique_ptr<zip_t, ZipDiscard> zip_;
  XlsxLimits limits_;
  std::size_t total_ = 0;
};

std::string_view LocalName(std::string_view name) {
  const std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool Is(const pugi::xml_node& node, std::string_view local) {
  return node.type() == pugi::node_element && LocalName(node.name()) == local;
}

pugi::xml_node Child(const pugi::xml_node& node, std::string_view local) {
  for (pugi::xml_node child : node.children()) {
    if (Is(child, local)) {
      return child;
    }
  }
  return {};
}

// An unprefixed attribute by name, or (prefixed: true) the prefixed attribute with this local
// name, such as r:id.
std::string_view Attr(const pugi::xml_node& node, std::string_view name, bool prefixed = false) {
  for (pugi::xml_attribute a : node.attributes()) {
    const std::string_view full = a.name();
    const bool has_prefix = full.find(':') != std::string_view::npos;
    if (has_prefix == prefixed && LocalName(full) == name) {
      return a.value();
    }
  }
  return {};
}

core::Result<pugi::xml_node> ParseXml(pugi::xml_document& doc, const std::string& text,
                                      const std::string& part, std::string_view root) {
  const pugi::xml_parse_result parsed =
      doc.load_buffer(text.data(), text.size(), pugi::parse_default | pugi::parse_ws_pcdata_single,
                      pugi::encoding_auto);
  if (!parsed) {
    return Invalid(fmt::format("{} is not well-formed XML ({} at byte {})", part,
                               parsed.description(), parsed.offset),
                   "xlsx.xml");
  }
  pugi::xml_node top = doc.document_element();
  if (!Is(top, root)) {
    return Invalid(fmt::format("{} is not a SpreadsheetML {}", part, root), "xlsx.xml");
  }
  return top;
}

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes the _xHHHH_ escapes SpreadsheetML uses for characters XML cannot carry.
std::string Unescape(std::string_view text) {
  if (text.find("_x") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_' && i + 6 < text.size() && text[i + 1] == 'x' && text[i + 6] == '_' &&
        std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i) + 2,
                    text.begin() + static_cast<std::ptrdiff_t>(i) + 6,
                    [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; })) {
      const std::uint32_t cp = static_cast<std::uint32_t>(
          std::strtoul(std::string(text.substr(i + 2, 4)).c_str(), nullptr, 16));
      if (cp < 0xD800 || cp > 0xDFFF) {
        AppendUtf8(out, cp);
      }
      i += 6;
      continue;
    }
    out += text[i];
  }
  return out;
}

// The text of a string item (<si> or <is>): its <t>, or the <t> of its rich-text runs; phonetic
// runs (<rPh>) are not part of the text.
std::string ItemText(const pugi::xml_node& item) {
  std::string out;
  for (pugi::xml_node child : item.children()) {
    if (Is(child, "t")) {
      out += child.child_value();
    } else if (Is(child, "r")) {
      out += Child(child, "t").child_value();
    }
  }
  return Unescape(out);
}

// Built-in date and time number formats (ECMA-376 Part 1, 18.8.30, with the East Asian ones).
bool BuiltinDateFormat(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58);
}

// True when the first section of a custom format code has date or time tokens outside quoted
// text, bracketed conditions/colours and escaped characters.
bool CustomDateFormat(std::string_view code) {
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == ';') {
      return false;
    }
    if (c == '"') {
      const std::size_t end = code.find('"', i + 1);
      if (end == std::string_view::npos) return false;
      i = end;
    } else if (c == '[') {
      const std::size_t end = code.find(']', i + 1);
      if (end == std::string_view::npos) return false;
      const std::string_view inside = code.substr(i + 1, end - i - 1);
      if (inside == "h" || inside == "hh" || inside == "m" || inside == "mm" || inside == "s" ||
          inside == "ss") {
        return true;  // elapsed time
      }
      i = end;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else if (std::string_view("dDmMyYhHsS").find(c) != std::string_view::npos) {
      return true;
    } else if (c == 'G' && code.substr(i, 7) == "General") {
      i += 6;
    }
  }
  return false;
}

// Style index → is a date format.
core::Result<std::vector<bool>> DateStyles(Archive& archive, const std::string& path) {
  std::vector<bool> out;
  if (path.empty()) {
    return out;
  }
  VNTRACE_ASSIGN_OR_RETURN(std::optional<std::string> text, archive.Read(path));
  if (!text) {
    return out;
  }
  pugi::xml_document doc;
  VNTRACE_ASSIGN_OR_RETURN(pugi::xml_node top, ParseXml(doc, *text, path, "styleSheet"));
  std::map<int, bool> custom;
  for (pugi::xml_node f : Child(top, "numFmts").children()) {
    if (Is(f, "numFmt")) {
      custom[std::atoi(std::string(Attr(f, "numFmtId")).c_str())] =
          CustomDateFormat(Attr(f, "formatCode"));
    }
  }
  for (pugi::xml_node xf : Child(top, "cellXfs").children()) {
    if (!Is(xf, "xf")) continue;
    const int id = std::atoi(std::string(Attr(xf, "numFmtId")).c_str());
    const auto found = custom.find(id);
    out.push_back(found != custom.end() ? found->second : BuiltinDateFormat(id));
  }
  return out;
}

// "xl/" + target, with "/abs" targets and "../" segments resolved.
std::string ResolveTarget(std::string_view target) {
  std::string path;
  if (target.starts_with("/")) {
    path = std::string(target.substr(1));
  } else {
    path = "xl/" + std::string(target);
  }
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::string part =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (const std::string& p : parts) {
    out += (out.empty() ? "" : "/") + p;
  }
  return out;
}

// A serial day number as an ISO date (with " HH:MM" when it has a time of day).
std::string SerialDate(double serial, bool date1904) {
  using namespace std::chrono;
  double whole = std::floor(serial);
  long long seconds = std::llround((serial - whole) * 86400.0);
  if (seconds >= 86400) {
    whole += 1;
    seconds -= 86400;
  }
  const auto days = static_cast<long long>(whole);
  sys_days day;
  if (date1904) {
    day = sys_days(year{1904} / January / 1) + std::chrono::days(days);
  } else if (days >= 61) {
    day = sys_days(year{1899} / December / 30) + std::chrono::days(days);
  } else if (days == 60) {
    return "1900-02-29";  // the day Lotus 1-2-3 invented; refused by date validation
  } else {
    day = sys_days(year{1899} / December / 31) + std::chrono::days(days);
  }
  const year_month_day ymd(day);
  std::string out =
      fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  const long long minutes = (seconds + 30) / 60;
  if (minutes > 0 && minutes < 24 * 60) {
    out += fmt::format(" {:02}:{:02}", minutes / 60, minutes % 60);
  }
  return out;
}

std::string NumberText(std::string_view v) {
  if (v.find_first_of("eE") == std::string_view::npos) {
    return std::string(v);
  }
  char* end = nullptr;
  const std::string copy(v);
  const double d = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(d)) {
    return copy;
  }
  return fmt::format("{}", d);
}

// "C5" → column 2 (0-based) and row 5; false when malformed.
bool ParseRef(std::string_view ref, std::size_t& column, std::size_t& row) {
  std::size_t i = 0;
  std::size_t col = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z' && i < 3) {
    col = col * 26 + static_cast<std::size_t>(ref[i] - 'A' + 1);
    ++i;
  }
  if (i == 0 || i == ref.size() || ref.size() - i > 7) {
    return false;
  }
  std::size_t r = 0;
  for (; i < ref.size(); ++i) {
    if (ref[i] < '0' || ref[i] > '9') return false;
    r = r * 10 + static_cast<std::size_t>(ref[i] - '0');
  }
  if (r == 0) return false;
  column = col - 1;
  row = r;
  return true;
}

bool ParseIndex(std::string_view text, std::size_t& out) {
  if (text.empty() || text.size() > 9) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<std::size_t>(c - '0');
  }
  return true;
}

}  // namespace

core::Result<std::string> WriteXlsx(const XlsxSheet& sheet) {
  // The parts must stay alive until the archive is closed (libzip reads them then).
  const std::vector<core::ZipPart> parts = {
      {"[Content_Types].xml", ContentTypesXml()},
      {"_rels/.rels", RootRelsXml()},
      {"xl/workbook.xml", WorkbookXml(sheet)},
      {"xl/_rels/workbook.xml.rels", WorkbookRelsXml()},
      {"xl/styles.xml", StylesXml()},
      {"xl/worksheets/sheet1.xml", SheetXml(sheet)},
  };
  return core::WriteZip(parts, "xlsx");
}

bool LooksLikeZip(std::string_view bytes) {
  return bytes.starts_with(std::string_view("PK\3\4", 4));
}

core::Result<std::vector<XlsxRow>> ReadXlsx(std::string_view bytes, const XlsxLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return Invalid(fmt::format("the file is larger than {} MB", limits.max_file_bytes >> 20),
                   "xlsx.too_large");
  }
  if (!LooksLikeZip(bytes)) {
    return Invalid("the file is not an XLSX (zip) archive", "xlsx.zip");
  }
  VNTRACE_ASSIGN_OR_RETURN(Archive archive, Archive::Open(bytes, limits));

  // The workbook: its first sheet and the date system.
  VNTRACE_ASSIGN_OR_RETURN(std::optional<std::string> workbook_text,
                           archive.Read("xl/workbook.xml"));
  if (!workbook_text) {
    return Invalid("the archive has no workbook (xl/workbook.xml)", "xlsx.no_sheet");
  }
  pugi::xml_document workbook_doc;
  VNTRACE_ASSIGN_OR_RETURN(pugi::xml_node workbook,
                           ParseXml(workbook_doc, *workbook_text, "xl/workbook.xml", "workbook"));
  const std::string_view date1904_attr = Attr(Child(workbook, "workbookPr"), "date1904");
  const bool date1904 = date1904_attr == "1" || date1904_attr == "true";
  pugi::xml_node first_sheet = Child(Child(workbook, "sheets"), "sheet");
  const std::string sheet_rid(Attr(first_sheet, "id", true));
  if (!first_sheet || sheet_rid.empty()) {
    return Invalid("the workbook lists no sheet", "xlsx.no_sheet");
  }

  VNTRACE_ASSIGN_OR_RETURN(std::optional<std::string> rels_text,
                           archive.Read("xl/_rels/workbook.xml.rels"));
  if (!rels_text) {
    return Invalid("the archive has no xl/_rels/workbook.xml.rels", "xlsx.no_sheet");
  }
  pugi::xml_document rels_doc;
  VNTRACE_ASSIGN_OR_RETURN(
      pugi::xml_node rels,
      ParseXml(rels_doc, *rels_text, "xl/_rels/workbook.xml.rels", "Relationships"));
  std::string sheet_path;
  std::string strings_path;
  std::string styles_path;
  for (pugi::xml_node rel : rels.children()) {
    if (!Is(rel, "Relationship") || Attr(rel, "TargetMode") == "External") continue;
    const std::string_view type = Attr(rel, "Type");
    const std::string target = ResolveTarget(Attr(rel, "Target"));
    if (Attr(rel, "Id") == sheet_rid) {
      sheet_path = target;
    } else if (type.ends_with("/sharedStrings")) {
      strings_path = target;
    } else if (type.ends_with("/styles")) {
      styles_path = target;
    }
  }
  if (sheet_path.empty()) {
    return Invalid("the workbook's first sheet (" + sheet_rid + ") has no part", "xlsx.no_sheet");
  }

  std::vector<std::string> shared;
  if (!strings_path.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(std::optional<std::string> text, archive.Read(strings_path));
    if (text) {
      pugi::xml_document doc;
      VNTRACE_ASSIGN_OR_RETURN(pugi::xml_node sst, ParseXml(doc, *text, strings_path, "sst"));
      for (pugi::xml_node si : sst.children()) {
        if (Is(si, "si")) shared.push_back(ItemText(si));
      }
    }
  }
  VNTRACE_ASSIGN_OR_RETURN(std::vector<bool> date_styles, DateStyles(archive, styles_path));

  VNTRACE_ASSIGN_OR_RETURN(std::optional<std::string> sheet_text, archive.Read(sheet_path));
  if (!sheet_text) {
    return Invalid("the archive has no " + sheet_path + ", the workbook's first sheet",
                   "xlsx.no_sheet");
  }
  pugi::xml_document sheet_doc;
  VNTRACE_ASSIGN_OR_RETURN(pugi::xml_node worksheet,
                           ParseXml(sheet_doc, *sheet_text, sheet_path, "worksheet"));

  std::vector<XlsxRow> rows;
  std::size_t row_number = 0;
  for (pugi::xml_node row : Child(worksheet, "sheetData").children()) {
    if (!Is(row, "row")) continue;
    std::size_t number = row_number + 1;
    if (const std::string_view r = Attr(row, "r"); !r.empty() && !ParseIndex(r, number)) {
      return Invalid(fmt::format("a row has the number '{}'", r), "xlsx.cell");
    }
    if (number <= row_number || number == 0) {
      return Invalid(fmt::format("row {} comes after row {}", number, row_number), "xlsx.cell");
    }
    row_number = number;
    XlsxRow out{.row = number};
    std::size_t next_column = 0;
    bool any = false;
    for (pugi::xml_node c : row.children()) {
      if (!Is(c, "c")) continue;
      std::size_t column = next_column;
      if (const std::string_view ref = Attr(c, "r"); !ref.empty()) {
        std::size_t ref_row = 0;
        if (!ParseRef(ref, column, ref_row) || ref_row != number) {
          return Invalid(
              fmt::format("row {}: the cell reference '{}' is not in this row", number, ref),
              "xlsx.cell");
        }
      }
      if (column >= limits.max_columns) {
        return Invalid(fmt::format("row {} has a cell in column {}; at most {} columns are read",
                                   number, ColumnName(column), limits.max_columns),
                       "xlsx.too_many_columns");
      }
      next_column = column + 1;
      const std::string_view type = Attr(c, "t");
      const std::string_view v = Child(c, "v").child_value();
      std::string value;
      if (type == "s") {
        std::size_t index = 0;
        if (!ParseIndex(v, index) || index >= shared.size()) {
          return Invalid(fmt::format("cell {}{}: shared string {} does not exist",
                                     ColumnName(column), number, v),
                         "xlsx.cell");
        }
        value = shared[index];
      } else if (type == "inlineStr") {
        value = ItemText(Child(c, "is"));
      } else if (type == "str" || type == "e") {
        value = Unescape(v);
      } else if (type == "b") {
        value = v == "1" || v == "true" ? "TRUE" : "FALSE";
      } else if (type == "d") {
        value = std::string(v.substr(0, 10));
        if (v.size() >= 16 && v.substr(10, 1) == "T" && v.substr(11, 5) != "00:00") {
          value += " " + std::string(v.substr(11, 5));
        }
      } else if (!v.empty()) {  // a number
        std::size_t style = 0;
        const bool dated =
            ParseIndex(Attr(c, "s"), style) && style < date_styles.size() && date_styles[style];
        char* end = nullptr;
        const std::string copy(v);
        const double serial = std::strtod(copy.c_str(), &end);
        if (dated && end == copy.c_str() + copy.size() && std::isfinite(serial) && serial >= 0 &&
            serial < 2958466) {  // up to 9999-12-31
          value = SerialDate(serial, date1904);
        } else {
          value = NumberText(v);
        }
      }
      if (out.cells.size() <= column) {
        out.cells.resize(column + 1);
      }
      out.cells[column] = std::move(value);
      any = true;
    }
    if (!any) continue;
    if (rows.size() >= limits.max_rows) {
      return Invalid(fmt::format("the sheet has more than {} rows", limits.max_rows),
                     "xlsx.too_many_rows");
    }
    rows.push_back(std::move(out));
  }
  return rows;
}

}  // namespace vntrace::registry
