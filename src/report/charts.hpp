// report::charts: small server-drawn SVG charts for the authority dashboard — a horizontal bar
// chart (counts by category: facilities by kind or commune, OCOP stars, adoption levels) and a
// column chart with a line over the tops (counts per period: scans per week).
//
// The SVG is self-contained text meant to be inlined in HTML: role="img" with an accessible
// <title> and <desc> (aria-labelledby), every label and text XML-escaped, colours as
// presentation attributes (no style attribute, so a strict Content-Security-Policy allows it),
// and a viewBox so it scales to its container. Labels longer than kMaxLabelChars characters are
// shortened with "…" (the full label stays in the bar's own <title>). Negative values count as 0.
//
// Thread-safety: pure functions.
//
// Example:
//   std::string svg = report::BarChart({.id = "by-kind", .title = "Cơ sở theo loại hình"},
//                                      {{"Hợp tác xã", 2}, {"Doanh nghiệp", 1}});
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace vntrace::report {

inline constexpr std::size_t kMaxLabelChars = 26;

struct ChartItem {
  std::string label{};
  std::int64_t value = 0;
};

struct ChartOptions {
  std::string id{};           // unique in the page: prefixes the ids of <title> and <desc>
  std::string title{};        // the accessible name
  std::string description{};  // optional longer text; empty: the values listed
  std::string empty_text = "Chưa có dữ liệu";  // shown when there is no item or every value is 0
  int width = 640;
};

// Horizontal bars, one row per item in the given order, the value written after each bar.
std::string BarChart(const ChartOptions& options, std::span<const ChartItem> items);

// Vertical columns, one per item in the given order (oldest first), with a line joining their
// tops, a y axis with round gridlines and the labels under the columns.
std::string ColumnChart(const ChartOptions& options, std::span<const ChartItem> items);

// The smallest of 1, 2, 5 × 10^k that is >= value (at least 1).
std::int64_t NiceCeiling(std::int64_t value);

}  // namespace vntrace::report
