// report::periodic_report: the periodic report of an authority on traceability in its area
// ("Báo cáo kết quả triển khai truy xuất nguồn gốc"), built from live data and laid out as a
// Vietnamese administrative document (Decree 30/2020/NĐ-CP): the agency and the national
// motto side by side, number and symbol, place and date, the title, four sections —
// 1. direction and management; 2. results (the figures in sentences and in a table, then
// outreach, support to producers and pilot systems, other results); 3. advantages and
// difficulties; 4. proposals — then the recipients ("Nơi nhận:") and the signature block.
//
// The figures are computed (AdoptionStats as of the end of the period, the outreach held in the
// period, the scans of the area's stamps in the period, the inspections and violations recorded
// in the period); the header and the narrative sections are drafts in Vietnamese, filled with
// the same figures, which the officer edits before generating the files (SetEdits).
//
// Errors: as BuildDashboard (area, permission, period); SetEdits: kInvalidArgument with the
// code "{field}.too_long" or "{field}.encoding".
//
// Thread-safety: stateless functions.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(report::PeriodicReport r,
//       report::BuildPeriodicReport(ctx, officer, {.province = "Quảng Ngãi"},
//                                   {.from = "2026-01-01", .to = "2026-06-30"}, clock.Now()));
//   VNTRACE_ASSIGN_OR_RETURN(std::string docx, report::WriteDocx(report::LayoutReport(r)));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "registry/actor.hpp"
#include "report/adoption.hpp"
#include "report/dashboard.hpp"
#include "report/document.hpp"
#include "report/outreach.hpp"
#include "store/store.hpp"

namespace vntrace::report {

inline constexpr std::size_t kMaxNarrativeChars = 20'000;

struct ReportFigures {
  AdoptionReport adoption{};
  OutreachSummary outreach{};
  std::int64_t scans = 0;
  store::InspectionTally inspections{};
};

// The editable parts. Multi-line texts: one paragraph per line; recipients one per line.
struct ReportText {
  std::string parent_agency{};  // "UBND TỈNH QUẢNG NGÃI"
  std::string agency{};         // "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
  std::string number{};         // "Số: …/BC-SKHCN" without "Số: "
  std::string place{};          // "Quảng Ngãi"
  std::string direction{};      // 1.
  std::string outreach{};       // 2.a
  std::string support{};        // 2.b
  std::string other{};          // 2.c
  std::string advantages{};     // 3.
  std::string proposals{};      // 4.
  std::string recipients{};
  std::string signer_title{};
  std::string signer_name{};
};

struct PeriodicReport {
  Area area{};
  ResolvedPeriod period{};
  std::string issued_on{};  // "YYYY-MM-DD", today in Vietnam
  ReportFigures figures{};
  ReportText text{};
};

core::Result<PeriodicReport> BuildPeriodicReport(const Context& ctx, const registry::Actor& actor,
                                                 const Area& area, const Period& period,
                                                 core::Timestamp now);

// The drafts of every editable part for `report`'s figures (BuildPeriodicReport uses them).
ReportText DraftText(const PeriodicReport& report);

// Every field of ReportText by its form name ("direction", "signer_name", ...), in order.
std::vector<std::pair<std::string_view, std::string ReportText::*>> ReportTextFields();

// Replaces the text with `edits` after checking each field (valid UTF-8, at most
// kMaxNarrativeChars characters).
core::Status SetEdits(PeriodicReport& report, ReportText edits);

// The document in the administrative layout.
Document LayoutReport(const PeriodicReport& report);

// The file name for the report: "bao-cao-truy-xuat-{from}-{to}.{extension}".
std::string ReportFileName(const PeriodicReport& report, std::string_view extension);

// 1234567 → "1.234.567" (Vietnamese digit grouping).
std::string FormatCount(std::int64_t value);
// Upper case of Vietnamese text (precomposed letters; others unchanged).
std::string UpperVietnamese(std::string_view text);
// "2026-06-01" → "01/06/2026".
std::string DayMonthYear(std::string_view iso_date);

}  // namespace vntrace::report
