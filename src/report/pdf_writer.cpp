#include "report/pdf_writer.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <fmt/format.h>

#include "label/render/cairo_support.hpp"

namespace vntrace::report {
namespace {

using label::render::AppendToString;
using label::render::AttrListDeleter;
using label::render::CairoDeleter;
using label::render::FontDeleter;
using label::render::GObjectDeleter;
using label::render::IterDeleter;

constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr double kCellPaddingMm = 1.5;
constexpr double kLineSpacing = 1.1;

// Text without the control characters pango would draw as boxes (tab becomes a space).
std::string Clean(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\t') {
      out += ' ';
    } else if (u >= 0x20 || c == '\n') {
      out += c;
    }
  }
  return out;
}

using Layout = std::unique_ptr<PangoLayout, GObjectDeleter>;

class Drawer {
 public:
  Drawer(cairo_t* cr, const Document& d) : cr_(cr), d_(d) {
    top_ = d.margin_top_mm * kPointsPerMm;
    bottom_ = (d.page_height_mm - d.margin_bottom_mm) * kPointsPerMm;
    left_ = d.margin_left_mm * kPointsPerMm;
    width_ = (d.page_width_mm - d.margin_left_mm - d.margin_right_mm) * kPointsPerMm;
    y_ = top_;
  }

  void Draw() {
    for (const Block& block : d_.blocks) {
      if (const auto* p = std::get_if<Paragraph>(&block)) {
        DrawParagraph(*p);
      } else {
        DrawTable(std::get<Table>(block));
      }
    }
    cairo_show_page(cr_);
  }

 private:
  // A laid out paragraph `width` points wide.
  Layout MakeLayout(const Paragraph& p, double width) {
    Layout layout(pango_cairo_create_layout(cr_));
    std::string text;
    std::unique_ptr<PangoAttrList, AttrListDeleter> attrs(pango_attr_list_new());
    double base_size = 14;
    for (const Run& run : p.runs) {
      const auto start = static_cast<guint>(text.size());
      text += Clean(run.text);
      const auto end = static_cast<guint>(text.size());
      base_size = run.size_pt;
      auto add = [&](PangoAttribute* a) {
        a->start_index = start;
        a->end_index = end;
        pango_attr_list_insert(attrs.get(), a);
      };
      add(pango_attr_size_new_absolute(static_cast<int>(run.size_pt * PANGO_SCALE)));
      if (run.bold) add(pango_attr_weight_new(PANGO_WEIGHT_BOLD));
      if (run.italic) add(pango_attr_style_new(PANGO_STYLE_ITALIC));
      if (run.underline) add(pango_attr_underline_new(PANGO_UNDERLINE_SINGLE));
    }
    // Set as a family (from_string would read "Roman" in "Times New Roman" as a style), with
    // its metric-compatible free twin and the generic serif after it.
    std::unique_ptr<PangoFontDescription, FontDeleter> font(pango_font_description_new());
    const std::string families = d_.font_family + ",Liberation Serif,serif";
    pango_font_description_set_family(font.get(), families.c_str());
    pango_font_description_set_absolute_size(font.get(), base_size * PANGO_SCALE);
    pango_layout_set_font_description(layout.get(), font.get());
    pango_layout_set_text(layout.get(), text.c_str(), static_cast<int>(text.size()));
    pango_layout_set_attributes(layout.get(), attrs.get());
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_spacing(layout.get(),
                             static_cast<int>(base_size * (kLineSpacing - 1) * PANGO_SCALE));
    pango_layout_set_indent(layout.get(),
                            static_cast<int>(p.first_line_indent_mm * kPointsPerMm * PANGO_SCALE));
    switch (p.align) {
      case Align::kLeft:
        pango_layout_set_alignment(layout.get(), PANGO_ALIGN_LEFT);
        break;
      case Align::kCenter:
        pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
        break;
      case Align::kRight:
        pango_layout_set_alignment(layout.get(), PANGO_ALIGN_RIGHT);
        break;
      case Align::kJustify:
        pango_layout_set_alignment(layout.get(), PANGO_ALIGN_LEFT);
        pango_layout_set_justify(layout.get(), TRUE);
        break;
    }
    return layout;
  }

  static double Height(PangoLayout* layout) {
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }

  void NewPage() {
    cairo_show_page(cr_);
    ++page_;
    y_ = top_;
    // The page number, centred in the top margin.
    Paragraph number{.runs = {{.text = std::to_string(page_), .size_pt = 13}},
                     .align = Align::kCenter};
    Layout layout = MakeLayout(number, width_);
    cairo_move_to(cr_, left_, top_ / 2 - Height(layout.get()) / 2);
    pango_cairo_show_layout(cr_, layout.get());
  }

  // Draws the paragraph's lines at the cursor, breaking pages between lines.
  void DrawParagraph(const Paragraph& p) {
    y_ += p.space_before_pt;
    Layout layout = MakeLayout(p, width_);
    std::unique_ptr<PangoLayoutIter, IterDeleter> iter(pango_layout_get_iter(layout.get()));
    double offset = 0;  // layout y of the first line drawn on this page
    bool first_on_page = true;
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter.get(), nullptr, &logical);
      const double line_top = static_cast<double>(logical.y) / PANGO_SCALE;
      const double line_h = static_cast<double>(logical.height) / PANGO_SCALE;
      if (first_on_page) {
        offset = line_top;
        first_on_page = false;
      }
      if (y_ + (line_top - offset) + line_h > bottom_ && y_ > top_) {
        NewPage();
        offset = line_top;
      }
      const double baseline =
          static_cast<double>(pango_layout_iter_get_baseline(iter.get())) / PANGO_SCALE;
      PangoLayoutLine* line = pango_layout_iter_get_line_readonly(iter.get());
      cairo_move_to(cr_, left_ + static_cast<double>(logical.x) / PANGO_SCALE,
                    y_ + (baseline - offset));
      pango_cairo_show_layout_line(cr_, line);
      if (!pango_layout_iter_next_line(iter.get())) {
        y_ += line_top - offset + line_h;
        break;
      }
    } while (true);
    y_ += p.space_after_pt;
  }

  void DrawTable(const Table& t) {
    const double pad = kCellPaddingMm * kPointsPerMm;
    for (const std::vector<TableCell>& row : t.rows) {
      // Lay out every cell, then draw the row where it fits whole.
      std::vector<std::vector<std::pair<Layout, const Paragraph*>>> cells;
      double row_h = 0;
      for (std::size_t c = 0; c < row.size(); ++c) {
        const double w =
            (c < t.column_widths_mm.size() ? t.column_widths_mm[c] : 30) * kPointsPerMm;
        std::vector<std::pair<Layout, const Paragraph*>> laid;
        double h = 2 * pad;
        for (const Paragraph& p : row[c].paragraphs) {
          Layout layout = MakeLayout(p, std::max(w - 2 * pad, 10.0));
          h += p.space_before_pt + Height(layout.get()) + p.space_after_pt;
          laid.emplace_back(std::move(layout), &p);
        }
        row_h = std::max(row_h, h);
        cells.push_back(std::move(laid));
      }
      if (y_ + row_h > bottom_ && y_ > top_) {
        NewPage();
      }
      double x = left_;
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const double w =
            (c < t.column_widths_mm.size() ? t.column_widths_mm[c] : 30) * kPointsPerMm;
        double cy = y_ + pad;
        for (auto& [layout, p] : cells[c]) {
          cy += p->space_before_pt;
          cairo_move_to(cr_, x + pad, cy);
          pango_cairo_show_layout(cr_, layout.get());
          cy += Height(layout.get()) + p->space_after_pt;
        }
        if (t.borders) {
          cairo_set_line_width(cr_, 0.5);
          cairo_rectangle(cr_, x, y_, w, row_h);
          cairo_stroke(cr_);
        }
        x += w;
      }
      y_ += row_h;
    }
    y_ += 4;
  }

  cairo_t* cr_;
  const Document& d_;
  double top_ = 0, bottom_ = 0, left_ = 0, width_ = 0, y_ = 0;
  int page_ = 1;
};

}  // namespace

core::Result<std::string> WritePdf(const Document& document) {
  std::string pdf;
  std::unique_ptr<cairo_surface_t, CairoDeleter> surface(cairo_pdf_surface_create_for_stream(
      &AppendToString, &pdf, document.page_width_mm * kPointsPerMm,
      document.page_height_mm * kPointsPerMm));
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, document.title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "vntrace");
  std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(surface.get()));
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    return core::Internal("cairo could not create the PDF surface");
  }
  cairo_set_source_rgb(cr.get(), 0, 0, 0);
  Drawer(cr.get(), document).Draw();
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return core::Internal(fmt::format("cairo failed writing the PDF: {}",
                                      cairo_status_to_string(cairo_surface_status(surface.get()))));
  }
  return pdf;
}

}  // namespace vntrace::report
