#include "report/charts.hpp"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "core/markup.hpp"

namespace vntrace::report {
namespace {

constexpr std::string_view kBarColour = "#1f6f2b";
constexpr std::string_view kLineColour = "#b57a00";
constexpr std::string_view kTextColour = "#1b2b1b";
constexpr std::string_view kGridColour = "#c8d3c8";

// `text` cut to `max` code points (UTF-8 aware), with "…" when cut.
std::string Shorten(std::string_view text, std::size_t max) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (points == max) {
        return std::string(text.substr(0, i)) + "…";
      }
      ++points;
    }
  }
  return std::string(text);
}

std::int64_t Clamp(std::int64_t v) { return v < 0 ? 0 : v; }

std::string Describe(const ChartOptions& options, std::span<const ChartItem> items) {
  if (!options.description.empty()) {
    return options.description;
  }
  std::string out;
  for (const ChartItem& item : items) {
    if (!out.empty()) {
      out += "; ";
    }
    out += fmt::format("{}: {}", item.label, Clamp(item.value));
  }
  return out.empty() ? options.empty_text : out;
}

std::string Open(const ChartOptions& options, std::span<const ChartItem> items, int height,
                 std::string_view kind) {
  const std::string id = core::EscapeMarkup(options.id);
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-{}\" viewBox=\"0 0 {} {}\" "
      "role=\"img\" aria-labelledby=\"{}-title {}-desc\" font-family=\"sans-serif\" "
      "font-size=\"13\">"
      "<title id=\"{}-title\">{}</title><desc id=\"{}-desc\">{}</desc>",
      kind, options.width, height, id, id, id, core::EscapeMarkup(options.title), id,
      core::EscapeMarkup(Describe(options, items)));
}

bool AllZero(std::span<const ChartItem> items) {
  return std::all_of(items.begin(), items.end(),
                     [](const ChartItem& item) { return item.value <= 0; });
}

std::string Empty(const ChartOptions& options, std::span<const ChartItem> items,
                  std::string_view kind) {
  return Open(options, items, 60, kind) +
         fmt::format(
             "<text x=\"{}\" y=\"35\" text-anchor=\"middle\" fill=\"{}\" class=\"chart-empty\">{}"
             "</text></svg>",
             options.width / 2, kTextColour, core::EscapeMarkup(options.empty_text));
}

}  // namespace

std::int64_t NiceCeiling(std::int64_t value) {
  std::int64_t step = 1;
  while (true) {
    for (std::int64_t m : {1, 2, 5}) {
      if (m * step >= value) {
        return m * step;
      }
    }
    step *= 10;
  }
}

std::string BarChart(const ChartOptions& options, std::span<const ChartItem> items) {
  if (items.empty() || AllZero(items)) {
    return Empty(options, items, "bar");
  }
  constexpr int kRow = 30;
  constexpr int kBar = 20;
  constexpr int kLabelWidth = 200;
  constexpr int kValueWidth = 60;
  const int height = static_cast<int>(items.size()) * kRow + 10;
  const int plot = std::max(options.width - kLabelWidth - kValueWidth, 40);
  std::int64_t max = 0;
  for (const ChartItem& item : items) {
    max = std::max(max, Clamp(item.value));
  }
  std::string svg = Open(options, items, height, "bar");
  int y = 5;
  for (const ChartItem& item : items) {
    const std::int64_t v = Clamp(item.value);
    const int w = static_cast<int>(v * plot / max);
    svg += fmt::format(
        "<g class=\"bar\"><title>{}: {}</title>"
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{}\">{}</text>"
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\" fill=\"{}\" class=\"value\">{}</text></g>",
        core::EscapeMarkup(item.label), v, kLabelWidth - 8, y + kBar - 5, kTextColour,
        core::EscapeMarkup(Shorten(item.label, kMaxLabelChars)), kLabelWidth, y,
        std::max(w, v > 0 ? 2 : 0), kBar, kBarColour, kLabelWidth + std::max(w, 2) + 6,
        y + kBar - 5, kTextColour, v);
    y += kRow;
  }
  svg += "</svg>";
  return svg;
}

std::string ColumnChart(const ChartOptions& options, std::span<const ChartItem> items) {
  if (items.empty() || AllZero(items)) {
    return Empty(options, items, "column");
  }
  constexpr int kHeight = 240;
  constexpr int kLeft = 44;
  constexpr int kRight = 10;
  constexpr int kTop = 14;
  constexpr int kBottom = 40;
  constexpr int kGridLines = 4;
  const int plot_h = kHeight - kTop - kBottom;
  const int plot_w = std::max(options.width - kLeft - kRight, 40);
  std::int64_t max = 0;
  for (const ChartItem& item : items) {
    max = std::max(max, Clamp(item.value));
  }
  // A ceiling that divides into kGridLines round steps.
  const std::int64_t top = NiceCeiling((max + kGridLines - 1) / kGridLines) * kGridLines;
  std::string svg = Open(options, items, kHeight, "column");
  for (int i = 0; i <= kGridLines; ++i) {
    const int gy = kTop + plot_h - plot_h * i / kGridLines;
    svg += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{}\" font-size=\"11\">{}</text>",
        kLeft, gy, kLeft + plot_w, gy, kGridColour, kLeft - 6, gy + 4, kTextColour,
        top * i / kGridLines);
  }
  const double slot = static_cast<double>(plot_w) / static_cast<double>(items.size());
  const double col = std::max(slot * 0.6, 1.0);
  std::string points;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::int64_t v = Clamp(items[i].value);
    const double h =
        static_cast<double>(plot_h) * static_cast<double>(v) / static_cast<double>(top);
    const double x = kLeft + slot * static_cast<double>(i) + (slot - col) / 2;
    const double cx = x + col / 2;
    const double y = kTop + plot_h - h;
    svg += fmt::format(
        "<g class=\"column\"><title>{}: {}</title>"
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>"
        "<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\" font-size=\"11\">{}</text>"
        "</g>",
        core::EscapeMarkup(items[i].label), v, x, y, col, h, kBarColour, cx, kTop + plot_h + 16,
        kTextColour, core::EscapeMarkup(Shorten(items[i].label, 8)));
    points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", cx, y);
  }
  svg += fmt::format(
      "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" class=\"line\"/>"
      "</svg>",
      points, kLineColour);
  return svg;
}

}  // namespace vntrace::report
