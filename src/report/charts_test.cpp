#include "report/charts.hpp"

#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace vntrace::report {
namespace {

int Count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t pos = text.find(needle); pos != std::string::npos;
       pos = text.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

TEST(ChartsTest, NiceCeiling) {
  struct Case {
    std::int64_t in, out;
  };
  for (const Case& c : std::vector<Case>{
           {0, 1}, {1, 1}, {2, 2}, {3, 5}, {5, 5}, {6, 10}, {11, 20}, {21, 50}, {501, 1000}}) {
    EXPECT_EQ(NiceCeiling(c.in), c.out) << c.in;
  }
}

TEST(ChartsTest, BarChartIsAccessibleAndEscaped) {
  const std::vector<ChartItem> items = {{"Hợp tác xã", 4}, {"<script>alert(1)</script>", 2}};
  const std::string svg = BarChart({.id = "k", .title = "Cơ sở theo loại hình & xã"}, items);
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(svg.ends_with("</svg>"));
  EXPECT_NE(svg.find("role=\"img\" aria-labelledby=\"k-title k-desc\""), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"k-title\">Cơ sở theo loại hình &amp; xã</title>"),
            std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"k-desc\">Hợp tác xã: 4; &lt;script&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("style="), std::string::npos);
  EXPECT_EQ(Count(svg, "<rect "), 2);
  // The longest bar fills the plot (640 - 200 - 60 = 380), the other is proportional.
  EXPECT_NE(svg.find("width=\"380\""), std::string::npos);
  EXPECT_NE(svg.find("width=\"190\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"value\">4</text>"), std::string::npos);
}

TEST(ChartsTest, LongLabelsAreShortenedByCharacters) {
  const std::string label = "Xã Nghĩa Hành, huyện Nghĩa Hành, tỉnh Quảng Ngãi";
  const std::string svg = BarChart({.id = "c", .title = "t"}, std::vector<ChartItem>{{label, 1}});
  EXPECT_NE(svg.find("<title>" + label + ": 1</title>"), std::string::npos);
  EXPECT_NE(svg.find(">Xã Nghĩa Hành, huyện Nghĩa…</text>"), std::string::npos) << svg;
}

TEST(ChartsTest, EmptyChartsSaySo) {
  const std::string none = BarChart({.id = "e", .title = "t"}, {});
  EXPECT_NE(none.find("class=\"chart-empty\">Chưa có dữ liệu</text>"), std::string::npos);
  const std::string zeros = ColumnChart({.id = "z", .title = "t", .empty_text = "No data"},
                                        std::vector<ChartItem>{{"a", 0}, {"b", 0}});
  EXPECT_NE(zeros.find(">No data</text>"), std::string::npos);
  EXPECT_EQ(Count(zeros, "<rect "), 0);
}

TEST(ChartsTest, ColumnChartHasOneColumnPerItemAndALine) {
  std::vector<ChartItem> weeks;
  for (int i = 0; i < 12; ++i) {
    weeks.push_back({"T" + std::to_string(i + 1), i == 5 ? 7 : i % 3});
  }
  const std::string svg = ColumnChart({.id = "w", .title = "Lượt quét theo tuần"}, weeks);
  EXPECT_EQ(Count(svg, "<g class=\"column\">"), 12);
  EXPECT_EQ(Count(svg, "<polyline "), 1);
  EXPECT_NE(svg.find("<title>T6: 7</title>"), std::string::npos);
  // Max 7 over 4 gridlines: steps of 2, top 8.
  EXPECT_NE(svg.find(">8</text>"), std::string::npos);
  EXPECT_NE(svg.find(">2</text>"), std::string::npos);
  std::smatch m;
  const std::string polyline = svg.substr(svg.find("<polyline"));
  ASSERT_TRUE(std::regex_search(polyline, m, std::regex("points=\"([^\"]*)\"")));
  EXPECT_EQ(Count(m[1], ","), 12);
}

TEST(ChartsTest, NegativeValuesCountAsZero) {
  const std::string svg =
      BarChart({.id = "n", .title = "t"}, std::vector<ChartItem>{{"a", -3}, {"b", 2}});
  EXPECT_NE(svg.find("<title>a: 0</title>"), std::string::npos);
}

}  // namespace
}  // namespace vntrace::report
