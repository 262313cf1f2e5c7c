// report::Document: a small page-independent model of a printed document — paragraphs of styled
// runs and tables — that the periodic report is laid out in once (periodic_report.hpp) and
// written from twice, as WordprocessingML (docx_writer.hpp) and as PDF (pdf_writer.hpp), so the
// two files say the same thing in the same layout.
//
// Sizes are in typographic points and millimetres; the page is A4 portrait. Text is UTF-8;
// '\n' inside a run is a line break.
//
// Thread-safety: plain values.
#pragma once

#include <string>
#include <variant>
#include <vector>

namespace vntrace::report {

enum class Align { kLeft, kCenter, kRight, kJustify };

struct Run {
  std::string text{};
  bool bold = false;
  bool italic = false;
  bool underline = false;
  double size_pt = 14;
};

struct Paragraph {
  std::vector<Run> runs{};
  Align align = Align::kJustify;
  double first_line_indent_mm = 0;
  double space_before_pt = 0;
  double space_after_pt = 6;
};

struct TableCell {
  std::vector<Paragraph> paragraphs{};
};

struct Table {
  std::vector<double> column_widths_mm{};
  std::vector<std::vector<TableCell>> rows{};  // each row has one cell per column
  bool borders = true;
};

using Block = std::variant<Paragraph, Table>;

struct Document {
  std::string title{};  // metadata
  std::vector<Block> blocks{};
  // A4 and the margins of Decree 30/2020/NĐ-CP (top and bottom 20-25 mm, left 30-35 mm, right
  // 15-20 mm).
  double page_width_mm = 210;
  double page_height_mm = 297;
  double margin_top_mm = 20;
  double margin_bottom_mm = 20;
  double margin_left_mm = 30;
  double margin_right_mm = 15;
  std::string font_family = "Times New Roman";
};

// All the text of the document, paragraphs separated by '\n' (for tests and search).
std::string PlainText(const Document& document);

}  // namespace vntrace::report
