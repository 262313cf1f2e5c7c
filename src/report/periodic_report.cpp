#include "report/periodic_report.hpp"

#include <chrono>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "registry/validation.hpp"
#include "report/internal/org_data.hpp"

namespace vntrace::report {
namespace {

constexpr double kBody = 14;
constexpr double kIndentMm = 12.7;
constexpr double kTextWidthMm = 165;  // 210 - 30 - 15

std::string_view KindVi(std::string_view kind) {
  if (kind == "cooperative") return "hợp tác xã";
  if (kind == "enterprise") return "doanh nghiệp";
  if (kind == "household_business") return "hộ kinh doanh";
  if (kind == "individual") return "cá nhân";
  return kind;
}

// Appends the UTF-8 encoding of `cp`.
void AppendUtf8(std::string& out, char32_t cp) {
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

char32_t Upper(char32_t c) {
  if (c >= 'a' && c <= 'z') return c - 0x20;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 0x20;      // Latin-1: à..þ
  if (c >= 0x1EA1 && c <= 0x1EF9 && (c % 2) == 1) return c - 1;  // ạ..ỹ (pairs)
  switch (c) {
    case 0x0103:  // ă
    case 0x0111:  // đ
    case 0x0129:  // ĩ
    case 0x0169:  // ũ
      return c - 1;
    case 0x01A1:  // ơ
      return 0x01A0;
    case 0x01B0:  // ư
      return 0x01AF;
    default:
      return c;
  }
}

Run Text(std::string text, double size = kBody, bool bold = false, bool italic = false) {
  return Run{.text = std::move(text), .bold = bold, .italic = italic, .size_pt = size};
}

Paragraph Center(std::vector<Run> runs, double after = 0) {
  return Paragraph{.runs = std::move(runs), .align = Align::kCenter, .space_after_pt = after};
}

Paragraph Heading(std::string text) {
  return Paragraph{.runs = {Text(std::move(text), kBody, true)},
                   .align = Align::kJustify,
                   .first_line_indent_mm = kIndentMm,
                   .space_before_pt = 6,
                   .space_after_pt = 6};
}

Paragraph SubHeading(std::string text) {
  return Paragraph{.runs = {Text(std::move(text), kBody, false, true)},
                   .align = Align::kJustify,
                   .first_line_indent_mm = kIndentMm,
                   .space_after_pt = 6};
}

Paragraph Body(std::string text) {
  return Paragraph{.runs = {Text(std::move(text))},
                   .align = Align::kJustify,
                   .first_line_indent_mm = kIndentMm,
                   .space_after_pt = 6};
}

// One body paragraph per non-blank line of `text`.
void AppendBody(std::vector<Block>& blocks, std::string_view text) {
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (!line.empty()) blocks.push_back(Body(std::string(line)));
  }
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '-')) line.remove_prefix(1);
    if (!line.empty()) out.emplace_back(line);
  }
  return out;
}

// "xã Ba Tơ, tỉnh Quảng Ngãi" or "tỉnh Quảng Ngãi".
std::string AreaName(const Area& area) {
  std::string province = "tỉnh " + area.province;
  if (area.commune.empty()) return province;
  std::string commune = area.commune;
  for (auto [upper, lower] :
       {std::pair<std::string_view, std::string_view>{"Xã ", "xã "}, {"Phường ", "phường "}}) {
    if (commune.starts_with(upper)) commune = std::string(lower) + commune.substr(upper.size());
  }
  return commune + ", " + province;
}

// "ngày 01 tháng 6 năm 2026": a zero before days under 10 and months 1 and 2 (Decree 30).
std::string LongDate(std::string_view iso) {
  if (iso.size() != 10) return std::string(iso);
  const std::string day(iso.substr(8, 2));
  std::string month(iso.substr(5, 2));
  if (month[0] == '0' && month != "01" && month != "02") month = month.substr(1);
  return fmt::format("ngày {} tháng {} năm {}", day, month, iso.substr(0, 4));
}

std::string KindList(const AdoptionReport& a) {
  std::string out;
  for (const auto& [kind, count] : a.by_kind) {
    if (!out.empty()) out += ", ";
    out += FormatCount(count) + " " + std::string(KindVi(kind));
  }
  return out;
}

std::string FiguresSentence(const PeriodicReport& r) {
  const ReportFigures& f = r.figures;
  const AdoptionReport& a = f.adoption;
  std::string kinds = KindList(a);
  return fmt::format(
      "Tính đến {}, trên địa bàn {} có {} cơ sở sản xuất, kinh doanh tham gia hệ thống truy "
      "xuất nguồn gốc{}; trong đó {} cơ sở đã đăng ký mã số mã vạch GS1, {} cơ sở sử dụng tem "
      "truy xuất nguồn gốc (mã QR), {} cơ sở ghi nhật ký sản xuất trong {} ngày gần nhất và {} "
      "cơ sở tự đánh giá đạt yêu cầu TCVN 12850:2019. Có {} sản phẩm OCOP, trong đó {} sản "
      "phẩm đáp ứng yêu cầu truy xuất nguồn gốc. Trong kỳ báo cáo, mã truy xuất của các cơ sở "
      "được quét {} lượt; cơ quan chức năng thực hiện {} lượt kiểm tra, phát hiện {} vi phạm.",
      LongDate(r.period.to), AreaName(r.area), FormatCount(a.organisations),
      kinds.empty() ? "" : " (" + kinds + ")", FormatCount(a.levels.gs1_prefix),
      FormatCount(a.levels.qr_stamps), FormatCount(a.levels.diary_kept), kDiaryWindowDays,
      FormatCount(a.levels.self_assessment_passed), FormatCount(a.ocop_products.size()),
      FormatCount(a.ocop_meeting_traceability), FormatCount(f.scans),
      FormatCount(f.inspections.inspections), FormatCount(f.inspections.violations));
}

TableCell Cell(std::string text, Align align = Align::kLeft, bool bold = false) {
  return TableCell{
      .paragraphs = {Paragraph{
          .runs = {Text(std::move(text), 13, bold)}, .align = align, .space_after_pt = 0}}};
}

Table FiguresTable(const PeriodicReport& r) {
  const AdoptionReport& a = r.figures.adoption;
  const store::InspectionTally& i = r.figures.inspections;
  Table t{.column_widths_mm = {12, 103, 22, 28}};
  t.rows.push_back({Cell("TT", Align::kCenter, true), Cell("Chỉ tiêu", Align::kCenter, true),
                    Cell("Số lượng", Align::kCenter, true), Cell("Ghi chú", Align::kCenter, true)});
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"Cơ sở sản xuất, kinh doanh tham gia hệ thống", FormatCount(a.organisations)},
      {"Cơ sở có mã số mã vạch GS1", FormatCount(a.levels.gs1_prefix)},
      {"Cơ sở sử dụng tem truy xuất nguồn gốc (mã QR)", FormatCount(a.levels.qr_stamps)},
      {fmt::format("Cơ sở ghi nhật ký sản xuất trong {} ngày", kDiaryWindowDays),
       FormatCount(a.levels.diary_kept)},
      {"Cơ sở áp dụng TCVN 12850:2019 (tự đánh giá đạt)",
       FormatCount(a.levels.self_assessment_passed)},
      {"Sản phẩm OCOP", FormatCount(a.ocop_products.size())},
      {"Sản phẩm OCOP đáp ứng yêu cầu truy xuất nguồn gốc",
       FormatCount(a.ocop_meeting_traceability)},
      {"Lượt quét mã truy xuất trong kỳ", FormatCount(r.figures.scans)},
      {"Lượt kiểm tra trong kỳ", FormatCount(i.inspections)},
      {"Vi phạm phát hiện trong kỳ", FormatCount(i.violations)},
      {"Cơ sở kết nối Cổng thông tin truy xuất nguồn gốc quốc gia", "—"},
  };
  int n = 0;
  for (const auto& [label, value] : rows) {
    ++n;
    std::string note;
    if (n == 11) note = "Chưa theo dõi";
    t.rows.push_back({Cell(std::to_string(n), Align::kCenter), Cell(label),
                      Cell(value, Align::kCenter), Cell(note)});
  }
  return t;
}

}  // namespace

std::string FormatCount(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string UpperVietnamese(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    char32_t cp = b;
    std::size_t len = 1;
    if (b >= 0xE0 && b < 0xF0 && i + 2 < text.size()) {
      cp = ((b & 0x0F) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3F) << 6) |
           (static_cast<unsigned char>(text[i + 2]) & 0x3F);
      len = 3;
    } else if (b >= 0xC0 && b < 0xE0 && i + 1 < text.size()) {
      cp = ((b & 0x1F) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3F);
      len = 2;
    } else if (b >= 0x80) {
      // A 4-byte sequence or a stray byte: copied as is.
      out += text[i];
      ++i;
      continue;
    }
    AppendUtf8(out, Upper(cp));
    i += len;
  }
  return out;
}

std::string DayMonthYear(std::string_view iso) {
  if (iso.size() != 10) return std::string(iso);
  return fmt::format("{}/{}/{}", iso.substr(8, 2), iso.substr(5, 2), iso.substr(0, 4));
}

ReportText DraftText(const PeriodicReport& r) {
  const ReportFigures& f = r.figures;
  const AdoptionReport& a = f.adoption;
  const bool commune = !r.area.commune.empty();
  ReportText t;
  t.parent_agency = commune ? "TỈNH " + UpperVietnamese(r.area.province)
                            : "UBND TỈNH " + UpperVietnamese(r.area.province);
  t.agency =
      commune ? "ỦY BAN NHÂN DÂN " + UpperVietnamese(r.area.commune) : "SỞ KHOA HỌC VÀ CÔNG NGHỆ";
  t.number = commune ? "      /BC-UBND" : "      /BC-SKHCN";
  t.place = r.area.province;
  const std::string who =
      commune ? "Ủy ban nhân dân " + AreaName(r.area) : "Sở Khoa học và Công nghệ";
  t.direction = fmt::format(
      "Thực hiện Quyết định số 100/QĐ-TTg ngày 19/01/2019 của Thủ tướng Chính phủ phê duyệt Đề "
      "án triển khai, áp dụng và quản lý hệ thống truy xuất nguồn gốc, {} đã tham mưu ban hành "
      "và tổ chức thực hiện các văn bản chỉ đạo, hướng dẫn triển khai truy xuất nguồn gốc sản "
      "phẩm, hàng hóa trên địa bàn {}.\n"
      "Phối hợp với các cơ quan, đơn vị liên quan hướng dẫn tổ chức, cá nhân sản xuất, kinh "
      "doanh áp dụng hệ thống truy xuất nguồn gốc theo TCVN 12850:2019 và sử dụng mã số, mã vạch "
      "theo tiêu chuẩn GS1.",
      who, AreaName(r.area));
  const OutreachSummary& o = f.outreach;
  t.outreach =
      o.trainings + o.information_sessions == 0
          ? std::string(
                "Trong kỳ báo cáo, chưa tổ chức lớp tập huấn hoặc hội nghị tuyên truyền "
                "nào về truy xuất nguồn gốc.")
          : fmt::format(
                "Trong kỳ báo cáo, đã tổ chức {} lớp tập huấn và {} hội nghị, buổi tuyên truyền "
                "về truy xuất nguồn gốc với {} lượt người tham dự, tiếp cận {} tổ chức, cá nhân "
                "sản xuất, kinh doanh.",
                FormatCount(o.trainings), FormatCount(o.information_sessions),
                FormatCount(o.attendees), FormatCount(o.organisations));
  t.support = fmt::format(
      "Hỗ trợ {} cơ sở sản xuất, kinh doanh sử dụng hệ thống truy xuất nguồn gốc: khai báo sản "
      "phẩm, vùng trồng và cơ sở sản xuất; ghi nhật ký sản xuất điện tử; in và kích hoạt tem truy "
      "xuất nguồn gốc. Đến nay {} cơ sở đã đưa tem truy xuất (mã QR) vào sử dụng, {} cơ sở đã "
      "đăng ký mã số mã vạch GS1.\n"
      "Hệ thống ghi nhận dữ liệu theo tiêu chuẩn GS1 EPCIS 2.0 và GS1 Digital Link, sẵn sàng kết "
      "nối với Cổng thông tin truy xuất nguồn gốc sản phẩm, hàng hóa quốc gia.",
      FormatCount(a.organisations), FormatCount(a.levels.qr_stamps),
      FormatCount(a.levels.gs1_prefix));
  t.other = fmt::format(
      "Trên địa bàn có {} sản phẩm OCOP, trong đó {} sản phẩm đáp ứng yêu cầu truy xuất nguồn "
      "gốc (sản phẩm được định danh, có lô hàng, ghi nhận sự kiện ở từng công đoạn và có giấy "
      "chứng nhận còn hiệu lực). {} cơ sở tự đánh giá đạt yêu cầu TCVN 12850:2019.",
      FormatCount(a.ocop_products.size()), FormatCount(a.ocop_meeting_traceability),
      FormatCount(a.levels.self_assessment_passed));
  t.advantages = fmt::format(
      "Thuận lợi: được sự quan tâm chỉ đạo của các cấp; hệ thống truy xuất nguồn gốc dễ sử dụng "
      "trên điện thoại, không cần cài đặt ứng dụng; người tiêu dùng quét mã bằng camera điện "
      "thoại.\n"
      "Khó khăn: còn {} cơ sở chưa đăng ký mã số mã vạch GS1 và {} cơ sở chưa ghi nhật ký sản "
      "xuất trong {} ngày gần nhất; nhiều hộ kinh doanh còn hạn chế về kỹ năng số; việc kết nối "
      "với Cổng thông tin truy xuất nguồn gốc quốc gia chưa được theo dõi.",
      FormatCount(a.organisations - a.levels.gs1_prefix),
      FormatCount(a.organisations - a.levels.diary_kept), kDiaryWindowDays);
  t.proposals =
      "Đề nghị Bộ Khoa học và Công nghệ tiếp tục hướng dẫn việc kết nối, chia sẻ dữ liệu với "
      "Cổng thông tin truy xuất nguồn gốc sản phẩm, hàng hóa quốc gia.\n"
      "Bố trí kinh phí hỗ trợ cơ sở sản xuất, kinh doanh, nhất là hợp tác xã và hộ kinh doanh "
      "có sản phẩm OCOP, đăng ký mã số mã vạch và áp dụng truy xuất nguồn gốc.";
  t.recipients =
      commune ? fmt::format("UBND tỉnh {};\nSở Khoa học và Công nghệ;\nLưu: VT.", r.area.province)
              : fmt::format("Bộ Khoa học và Công nghệ;\nUBND tỉnh {};\nLưu: VT, QLCN.",
                            r.area.province);
  t.signer_title = commune ? "CHỦ TỊCH" : "GIÁM ĐỐC";
  return t;
}

std::vector<std::pair<std::string_view, std::string ReportText::*>> ReportTextFields() {
  return {{"parent_agency", &ReportText::parent_agency},
          {"agency", &ReportText::agency},
          {"number", &ReportText::number},
          {"place", &ReportText::place},
          {"direction", &ReportText::direction},
          {"outreach", &ReportText::outreach},
          {"support", &ReportText::support},
          {"other", &ReportText::other},
          {"advantages", &ReportText::advantages},
          {"proposals", &ReportText::proposals},
          {"recipients", &ReportText::recipients},
          {"signer_title", &ReportText::signer_title},
          {"signer_name", &ReportText::signer_name}};
}

core::Status SetEdits(PeriodicReport& report, ReportText edits) {
  for (const auto& [name, member] : ReportTextFields()) {
    VNTRACE_RETURN_IF_ERROR(registry::ValidateText(edits.*member, name, kMaxNarrativeChars, false));
  }
  report.text = std::move(edits);
  return core::Ok();
}

core::Result<PeriodicReport> BuildPeriodicReport(const Context& ctx, const registry::Actor& actor,
                                                 const Area& area, const Period& period,
                                                 core::Timestamp now) {
  PeriodicReport r{.area = area, .issued_on = internal::VietnamDate(now)};
  VNTRACE_ASSIGN_OR_RETURN(r.period, ResolvePeriod(period, now));
  const core::Timestamp as_of = r.period.end.unix_nanos() < now.unix_nanos()
                                    ? r.period.end.Plus(-std::chrono::seconds(1))
                                    : now;
  // AdoptionStats checks the area and the actor's right to read it before anything else.
  VNTRACE_ASSIGN_OR_RETURN(r.figures.adoption, AdoptionStats(ctx, actor, area, as_of));
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::OutreachSession> sessions,
                           ListOutreach(ctx, actor, area, r.period.from, r.period.to));
  r.figures.outreach = Summarise(sessions);
  VNTRACE_ASSIGN_OR_RETURN(
      std::vector<std::int64_t> scans,
      ctx.store.reports().CountAreaScans(
          {.province = area.province,
           .commune = area.commune,
           .start = r.period.start,
           .bucket_nanos = r.period.end.unix_nanos() - r.period.start.unix_nanos(),
           .buckets = 1}));
  r.figures.scans = scans.front();
  VNTRACE_ASSIGN_OR_RETURN(r.figures.inspections,
                           ctx.store.inspections().CountInspections(
                               {.area = {.province = area.province, .commune = area.commune},
                                .from = r.period.from,
                                .to = r.period.to}));
  r.text = DraftText(r);
  return r;
}

Document LayoutReport(const PeriodicReport& r) {
  const ReportText& t = r.text;
  Document d{.title = "Báo cáo kết quả triển khai truy xuất nguồn gốc"};
  // The header: the agency on the left, the national name and motto on the right.
  Table header{.column_widths_mm = {62, 103}, .borders = false};
  header.rows.push_back(
      {TableCell{.paragraphs = {Center({Text(t.parent_agency, 13)}),
                                Center({Text(t.agency, 13, true)}, 6),
                                Center({Text("Số: " + t.number, 13)})}},
       TableCell{.paragraphs = {
                     Center({Text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, true)}),
                     Center({Run{.text = "Độc lập - Tự do - Hạnh phúc",
                                 .bold = true,
                                 .underline = true,
                                 .size_pt = 14}},
                            6),
                     Center({Text(t.place + ", " + LongDate(r.issued_on), 13, false, true)})}}});
  d.blocks.emplace_back(std::move(header));
  d.blocks.emplace_back(Center({Text("BÁO CÁO", 14, true)}, 0));
  d.blocks.emplace_back(Center(
      {Text(fmt::format("Kết quả triển khai truy xuất nguồn gốc sản phẩm, hàng hóa trên địa bàn "
                        "{}\n(từ ngày {} đến ngày {})",
                        AreaName(r.area), DayMonthYear(r.period.from), DayMonthYear(r.period.to)),
            14, true)},
      12));

  d.blocks.emplace_back(Heading("1. Công tác chỉ đạo, điều hành"));
  AppendBody(d.blocks, t.direction);
  d.blocks.emplace_back(Heading("2. Kết quả thực hiện"));
  d.blocks.emplace_back(Body(FiguresSentence(r)));
  d.blocks.emplace_back(
      Center({Text("Bảng 1. Một số chỉ tiêu về truy xuất nguồn gốc", 13, true)}, 4));
  d.blocks.emplace_back(FiguresTable(r));
  d.blocks.emplace_back(SubHeading("a) Công tác thông tin, tuyên truyền, tập huấn"));
  AppendBody(d.blocks, t.outreach);
  d.blocks.emplace_back(SubHeading(
      "b) Hỗ trợ cơ sở sản xuất, kinh doanh và triển khai thí điểm hệ thống truy xuất nguồn gốc"));
  AppendBody(d.blocks, t.support);
  d.blocks.emplace_back(SubHeading("c) Kết quả khác"));
  AppendBody(d.blocks, t.other);
  d.blocks.emplace_back(Heading("3. Thuận lợi, khó khăn"));
  AppendBody(d.blocks, t.advantages);
  d.blocks.emplace_back(Heading("4. Đề xuất, kiến nghị"));
  AppendBody(d.blocks, t.proposals);

  // Recipients on the left, the signature on the right.
  TableCell recipients{.paragraphs = {Paragraph{.runs = {Text("Nơi nhận:", 12, true, true)},
                                                .align = Align::kLeft,
                                                .space_before_pt = 12,
                                                .space_after_pt = 0}}};
  for (const std::string& line : Lines(t.recipients)) {
    recipients.paragraphs.push_back(
        Paragraph{.runs = {Text("- " + line, 11)}, .align = Align::kLeft, .space_after_pt = 0});
  }
  TableCell signature{.paragraphs = {Paragraph{.runs = {Text(t.signer_title, 14, true)},
                                               .align = Align::kCenter,
                                               .space_before_pt = 12,
                                               .space_after_pt = 64},
                                     Center({Text(t.signer_name, 14, true)})}};
  Table closing{.column_widths_mm = {kTextWidthMm - 85, 85}, .borders = false};
  closing.rows.push_back({std::move(recipients), std::move(signature)});
  d.blocks.emplace_back(std::move(closing));
  return d;
}

std::string ReportFileName(const PeriodicReport& r, std::string_view extension) {
  return fmt::format("bao-cao-truy-xuat-{}-{}.{}", r.period.from, r.period.to, extension);
}

}  // namespace vntrace::report
