#include "label/render/sheet.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/utf8.hpp"
#include "gs1/digital_link.hpp"
#include "gs1/element_string.hpp"
#include "label/render/cairo_support.hpp"

namespace vntrace::label::render {
namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr std::size_t kMaxLabels = 100000;
constexpr std::size_t kMaxTextBytes = 1000;
constexpr double kSymbolTextGapMm = 1.5;
constexpr double kMinTextWidthMm = 8.0;
constexpr double kMaxFontPt = 9.0;
constexpr double kCropMarkOffsetMm = 1.0;
constexpr double kCropMarkLengthMm = 4.0;

bool Positive(double v) { return std::isfinite(v) && v > 0; }
bool NonNegative(double v) { return std::isfinite(v) && v >= 0; }

core::Error LayoutError(std::string message, std::string field) {
  return core::InvalidArgument("sheet layout: " + std::move(message), std::move(field));
}

// Where things go inside one label, in millimetres from its top-left corner.
struct LabelGeometry {
  bool linear = false;
  bool text_beside = false;
  double symbol_x = 0, symbol_y = 0;
  double symbol_w = 0, symbol_h = 0;  // matrix: the square side (w == h)
  double text_x = 0, text_y = 0, text_w = 0, text_h = 0;
};

core::Result<LabelGeometry> ComputeGeometry(const SheetLayout& l) {
  LabelGeometry g;
  g.linear = l.symbology == Symbology::kGs1_128;
  const double iw = l.label_width_mm - 2 * l.padding_mm;
  const double ih = l.label_height_mm - 2 * l.padding_mm;
  if (iw <= 0 || ih <= 0) {
    return LayoutError(fmt::format("padding {} mm leaves no room in a {}x{} mm label", l.padding_mm,
                                   l.label_width_mm, l.label_height_mm),
                       "padding_mm");
  }
  g.symbol_x = l.padding_mm;
  g.symbol_y = l.padding_mm;
  if (g.linear) {
    g.symbol_w = l.symbol_size_mm > 0 ? l.symbol_size_mm : iw;
    if (g.symbol_w > iw + 1e-9) {
      return LayoutError(
          fmt::format("a {} mm wide bar code does not fit the {} mm inside the label", g.symbol_w,
                      iw),
          "symbol_size_mm");
    }
    g.symbol_x = l.padding_mm + (iw - g.symbol_w) / 2;
    g.symbol_h = ih * 0.5;
    g.text_x = l.padding_mm;
    g.text_y = l.padding_mm + g.symbol_h + kSymbolTextGapMm / 2;
    g.text_w = iw;
    g.text_h = ih - g.symbol_h - kSymbolTextGapMm / 2;
    return g;
  }
  g.text_beside = iw >= ih * 1.6;
  if (g.text_beside) {
    const double s = l.symbol_size_mm > 0 ? l.symbol_size_mm : ih;
    if (s > ih + 1e-9 || s + kSymbolTextGapMm + kMinTextWidthMm > iw + 1e-9) {
      return LayoutError(fmt::format("a {} mm symbol and {} mm of text do not fit the {}x{} mm "
                                     "inside the label",
                                     s, kMinTextWidthMm, iw, ih),
                         "symbol_size_mm");
    }
    g.symbol_w = g.symbol_h = s;
    g.symbol_y = l.padding_mm + (ih - s) / 2;
    g.text_x = l.padding_mm + s + kSymbolTextGapMm;
    g.text_y = l.padding_mm;
    g.text_w = iw - s - kSymbolTextGapMm;
    g.text_h = ih;
  } else {
    const double s = l.symbol_size_mm > 0 ? l.symbol_size_mm : std::min(iw, ih * 0.62);
    if (s > iw + 1e-9 || s + kSymbolTextGapMm + 3.0 > ih + 1e-9) {
      return LayoutError(fmt::format("a {} mm symbol and a line of text do not fit the {}x{} mm "
                                     "inside the label",
                                     s, iw, ih),
                         "symbol_size_mm");
    }
    g.symbol_w = g.symbol_h = s;
    g.symbol_x = l.padding_mm + (iw - s) / 2;
    g.text_x = l.padding_mm;
    g.text_y = l.padding_mm + s + kSymbolTextGapMm;
    g.text_w = iw;
    g.text_h = ih - s - kSymbolTextGapMm;
  }
  return g;
}

core::Status CheckText(const std::string& text, std::size_t index, std::string_view field) {
  if (text.size() > kMaxTextBytes) {
    return core::InvalidArgument(fmt::format("label {}: {} is {} bytes long, more than {}", index,
                                             field, text.size(), kMaxTextBytes),
                                 fmt::format("labels[{}].{}", index, field));
  }
  if (std::optional<std::size_t> bad = core::Utf8ErrorOffset(text)) {
    return core::InvalidArgument(
        fmt::format("label {}: {} is not valid UTF-8 at byte offset {}", index, field, *bad),
        fmt::format("labels[{}].{}", index, field));
  }
  if (text.find('\0') != std::string::npos) {
    return core::InvalidArgument(fmt::format("label {}: {} holds a NUL byte", index, field),
                                 fmt::format("labels[{}].{}", index, field));
  }
  return {};
}

core::Status CheckLabels(std::span<const LabelContent> labels) {
  if (labels.empty()) {
    return core::InvalidArgument("no labels to render", "labels");
  }
  if (labels.size() > kMaxLabels) {
    return core::InvalidArgument(
        fmt::format("{} labels are more than {} in one sheet", labels.size(), kMaxLabels),
        "labels");
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const LabelContent& c = labels[i];
    if (c.code.empty()) {
      return core::InvalidArgument(fmt::format("label {}: code is empty", i),
                                   fmt::format("labels[{}].code", i));
    }
    VNTRACE_RETURN_IF_ERROR(CheckText(c.code, i, "code"));
    VNTRACE_RETURN_IF_ERROR(CheckText(c.product_name, i, "product_name"));
    VNTRACE_RETURN_IF_ERROR(CheckText(c.lot, i, "lot"));
    VNTRACE_RETURN_IF_ERROR(CheckText(c.expiry, i, "expiry"));
    VNTRACE_RETURN_IF_ERROR(CheckText(c.short_code, i, "short_code"));
  }
  return {};
}

core::Result<gs1::AiElements> CodeElements(const std::string& code) {
  const bool uri =
      code.size() > 4 && (code.compare(0, 4, "http") == 0 || code.compare(0, 4, "HTTP") == 0);
  if (uri) {
    VNTRACE_ASSIGN_OR_RETURN(gs1::DigitalLink dl, gs1::ParseDigitalLink(code));
    return dl.AllElements();
  }
  return gs1::ParseElementString(code);
}

// A label's symbol, plus the GS1-128 human-readable line.
struct EncodedLabel {
  Symbol symbol;
  std::string hri;
};

core::Result<EncodedLabel> EncodeLabel(const SheetLayout& layout, const LabelGeometry& g,
                                       const LabelContent& content, std::size_t index) {
  SymbolOptions options;
  options.quiet_zone = layout.quiet_zone_modules;
  options.qr_error_correction = layout.qr_error_correction;
  EncodedLabel out;
  core::Result<Symbol> symbol = core::Internal("unreachable");
  switch (layout.symbology) {
    case Symbology::kQr:
      symbol = RenderQr(content.code, options);
      break;
    case Symbology::kDataMatrix:
    case Symbology::kGs1_128: {
      core::Result<gs1::AiElements> elements = CodeElements(content.code);
      if (!elements.ok()) {
        return core::InvalidArgument(
            fmt::format("label {}: code is not GS1 data: {}", index, elements.error().message),
            fmt::format("labels[{}].code", index));
      }
      if (layout.symbology == Symbology::kDataMatrix) {
        symbol = RenderDataMatrix(*elements, options);
      } else {
        symbol = RenderGs1_128(*elements, options);
        out.hri = gs1::ToHri(*elements);
      }
      break;
    }
  }
  if (!symbol.ok()) {
    core::Error e = std::move(symbol).error();
    e.message = fmt::format("label {}: {}", index, e.message);
    e.details = fmt::format("labels[{}].code", index);
    return e;
  }
  out.symbol = std::move(symbol).value();
  const double module_mm = g.symbol_w / out.symbol.width;
  if (module_mm + 1e-9 < layout.min_module_mm) {
    return core::InvalidArgument(
        fmt::format("label {}: {} modules across {:.1f} mm make {:.3f} mm modules, under the "
                    "{:.3f} mm minimum: shorten the code, or use a larger symbol or label",
                    index, out.symbol.width, g.symbol_w, module_mm, layout.min_module_mm),
        fmt::format("labels[{}].code", index));
  }
  return out;
}

// Draws pages onto a cairo context whose unit is the point. Not thread-safe; one per surface.
class PageDrawer {
 public:
  PageDrawer(cairo_t* cr, const SheetLayout& layout, const LabelGeometry& geometry)
      : cr_(cr),
        layout_(layout),
        g_(geometry),
        fixed_(pango_cairo_create_layout(cr)),
        line_(pango_layout_new(pango_layout_get_context(fixed_.get()))) {
    for (PangoLayout* text : {fixed_.get(), line_.get()}) {
      pango_layout_set_wrap(text, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_ellipsize(text, PANGO_ELLIPSIZE_END);
      pango_layout_set_width(text, Pango(g_.text_w * kPointsPerMm));
    }
  }

  void DrawPage(std::span<const LabelContent> labels, std::span<const EncodedLabel> encoded) {
    if (layout_.crop_marks && LabelsPerPage(layout_) > 1) {
      DrawCropMarks();
    }
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const int column = static_cast<int>(i) % layout_.columns;
      const int row = static_cast<int>(i) / layout_.columns;
      const double x =
          layout_.margin_left_mm + column * (layout_.label_width_mm + layout_.gap_x_mm);
      const double y = layout_.margin_top_mm + row * (layout_.label_height_mm + layout_.gap_y_mm);
      cairo_save(cr_);
      cairo_scale(cr_, kPointsPerMm, kPointsPerMm);
      cairo_translate(cr_, x, y);
      DrawSymbol(encoded[i].symbol);
      cairo_restore(cr_);
      DrawText(labels[i], encoded[i].hri, x + g_.text_x, y + g_.text_y);
    }
  }

 private:
  static int Pango(double points) { return static_cast<int>(points * PANGO_SCALE); }

  // In millimetres, label origin.
  void DrawSymbol(const Symbol& symbol) {
    const double module = g_.symbol_w / symbol.width;
    const double bar_h = g_.linear ? g_.symbol_h : module;
    cairo_set_source_rgb(cr_, 0, 0, 0);
    if (layout_.vector_symbols) {
      cairo_new_path(cr_);
      for (const DarkRun& run : DarkRuns(symbol)) {
        cairo_rectangle(cr_, g_.symbol_x + run.x * module, g_.symbol_y + run.y * module,
                        run.length * module, bar_h);
      }
      cairo_fill(cr_);
      return;
    }
    // One module per pixel of a 1-bit stencil, scaled without interpolation: a PDF image mask
    // (/ImageMask true, /Interpolate false) that a printer fills exactly like the vector path.
    const int rows = symbol.linear ? 1 : symbol.height;
    std::unique_ptr<cairo_surface_t, CairoDeleter> stencil(
        cairo_image_surface_create(CAIRO_FORMAT_A1, symbol.width, rows));
    cairo_surface_flush(stencil.get());
    unsigned char* data = cairo_image_surface_get_data(stencil.get());
    const int stride = cairo_image_surface_get_stride(stencil.get());
    for (int y = 0; y < rows; ++y) {
      auto* row = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
      for (int x = 0; x < symbol.width; ++x) {
        if (symbol.Dark(x, y)) {
          // A1 pixels are the bits of native-endian 32-bit words, least significant first on
          // little-endian hosts.
          if constexpr (std::endian::native == std::endian::little) {
            row[x >> 5] |= 1u << (x & 31);
          } else {
            row[x >> 5] |= 0x80000000u >> (x & 31);
          }
        }
      }
    }
    cairo_surface_mark_dirty(stencil.get());
    cairo_save(cr_);
    cairo_translate(cr_, g_.symbol_x, g_.symbol_y);
    cairo_scale(cr_, module, bar_h);
    cairo_pattern_t* pattern = cairo_pattern_create_for_surface(stencil.get());
    cairo_pattern_set_filter(pattern, CAIRO_FILTER_NEAREST);
    cairo_mask(cr_, pattern);
    cairo_pattern_destroy(pattern);
    cairo_restore(cr_);
  }

  // In points. The lines that repeat from label to label (name, lot, expiry) are laid out once
  // and drawn again while they stay the same; the per-label lines (GS1-128 HRI, short code) get
  // a layout of their own.
  void DrawText(const LabelContent& c, const std::string& hri, double x_mm, double y_mm) {
    std::string fixed;
    std::size_t fixed_lines = 0;
    const auto add = [&](std::string_view prefix, const std::string& value) {
      if (value.empty()) {
        return;
      }
      if (!fixed.empty()) {
        fixed += '\n';
      }
      fixed += prefix;
      fixed += value;
      ++fixed_lines;
    };
    add("", c.product_name);
    add("Lô: ", c.lot);
    add("HSD: ", c.expiry);
    const std::size_t lines = fixed_lines + (hri.empty() ? 0 : 1) + (c.short_code.empty() ? 0 : 1);
    if (lines == 0) {
      return;
    }
    const double box_h = g_.text_h * kPointsPerMm;
    const double size = std::min(kMaxFontPt, box_h / (static_cast<double>(lines) * 1.25));
    if (size != font_size_) {
      std::unique_ptr<PangoFontDescription, FontDeleter> font(
          pango_font_description_from_string(layout_.font_family.c_str()));
      pango_font_description_set_absolute_size(font.get(), size * PANGO_SCALE);
      pango_layout_set_font_description(fixed_.get(), font.get());
      pango_layout_set_font_description(line_.get(), font.get());
      font_size_ = size;
      fixed_text_.clear();
      pango_layout_set_text(fixed_.get(), "", 0);
    }
    if (fixed != fixed_text_) {
      pango_layout_set_text(fixed_.get(), fixed.c_str(), static_cast<int>(fixed.size()));
      PangoAttrList* attrs = pango_attr_list_new();
      if (!c.product_name.empty()) {
        PangoAttribute* bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        bold->start_index = 0;
        bold->end_index = static_cast<guint>(c.product_name.size());
        pango_attr_list_insert(attrs, bold);
      }
      pango_layout_set_attributes(fixed_.get(), attrs);
      pango_attr_list_unref(attrs);
      fixed_text_ = std::move(fixed);
    }

    const double line_h = size * 1.25;
    double fixed_h = 0;
    if (!fixed_text_.empty()) {
      int width = 0;
      int height = 0;
      pango_layout_get_size(fixed_.get(), &width, &height);
      fixed_h = static_cast<double>(height) / PANGO_SCALE;
    }
    const double total_h = fixed_h + line_h * static_cast<double>(lines - fixed_lines);
    const double x = x_mm * kPointsPerMm;
    double y = y_mm * kPointsPerMm;
    if (g_.text_beside) {
      y += std::max(0.0, (box_h - total_h) / 2);
    }
    cairo_set_source_rgb(cr_, 0, 0, 0);
    if (!hri.empty()) {
      DrawLine(hri, x, y);
      y += line_h;
    }
    if (!fixed_text_.empty()) {
      cairo_move_to(cr_, x, y);
      pango_cairo_show_layout(cr_, fixed_.get());
      y += fixed_h;
    }
    if (!c.short_code.empty()) {
      line_text_ = "Mã: ";
      line_text_ += c.short_code;
      DrawLine(line_text_, x, y);
    }
  }

  void DrawLine(const std::string& text, double x, double y) {
    pango_layout_set_text(line_.get(), text.c_str(), static_cast<int>(text.size()));
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, line_.get());
  }

  void DrawCropMarks() {
    const SheetLayout& l = layout_;
    const double grid_w = l.columns * l.label_width_mm + (l.columns - 1) * l.gap_x_mm;
    const double grid_h = l.rows * l.label_height_mm + (l.rows - 1) * l.gap_y_mm;
    const double left = l.margin_left_mm;
    const double top = l.margin_top_mm;
    const double right = left + grid_w;
    const double bottom = top + grid_h;
    std::vector<double> xs;
    std::vector<double> ys;
    for (int c = 0; c < l.columns; ++c) {
      xs.push_back(left + c * (l.label_width_mm + l.gap_x_mm));
      xs.push_back(xs.back() + l.label_width_mm);
    }
    for (int r = 0; r < l.rows; ++r) {
      ys.push_back(top + r * (l.label_height_mm + l.gap_y_mm));
      ys.push_back(ys.back() + l.label_height_mm);
    }
    const auto mark = [](double room) {
      return std::min(kCropMarkLengthMm, room - kCropMarkOffsetMm - 0.5);
    };
    cairo_save(cr_);
    cairo_scale(cr_, kPointsPerMm, kPointsPerMm);
    cairo_set_line_width(cr_, 0.1);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_new_path(cr_);
    const double top_len = mark(top);
    const double bottom_len = mark(l.page_height_mm - bottom);
    for (double x : xs) {
      if (top_len >= 1.0) {
        cairo_move_to(cr_, x, top - kCropMarkOffsetMm - top_len);
        cairo_line_to(cr_, x, top - kCropMarkOffsetMm);
      }
      if (bottom_len >= 1.0) {
        cairo_move_to(cr_, x, bottom + kCropMarkOffsetMm);
        cairo_line_to(cr_, x, bottom + kCropMarkOffsetMm + bottom_len);
      }
    }
    const double left_len = mark(left);
    const double right_len = mark(l.page_width_mm - right);
    for (double y : ys) {
      if (left_len >= 1.0) {
        cairo_move_to(cr_, left - kCropMarkOffsetMm - left_len, y);
        cairo_line_to(cr_, left - kCropMarkOffsetMm, y);
      }
      if (right_len >= 1.0) {
        cairo_move_to(cr_, right + kCropMarkOffsetMm, y);
        cairo_line_to(cr_, right + kCropMarkOffsetMm + right_len, y);
      }
    }
    cairo_stroke(cr_);
    cairo_restore(cr_);
  }

  cairo_t* const cr_;
  const SheetLayout& layout_;
  const LabelGeometry& g_;
  std::unique_ptr<PangoLayout, GObjectDeleter> fixed_;
  std::unique_ptr<PangoLayout, GObjectDeleter> line_;
  std::string fixed_text_;  // what fixed_ holds
  std::string line_text_;
  double font_size_ = -1;
};

// Encodes the labels of every page on `threads` threads while `draw(page, encoded)` is called
// on the calling thread for pages in order. Stops at the first failing label.
template <typename Draw>
core::Status EncodeAndDraw(const SheetLayout& layout, const LabelGeometry& g,
                           std::span<const LabelContent> labels, int first_page, int page_count,
                           Draw draw) {
  const int per_page = LabelsPerPage(layout);
  struct Page {
    std::vector<EncodedLabel> labels;
    std::optional<core::Error> error;
    bool ready = false;
  };
  std::vector<Page> pages(static_cast<std::size_t>(page_count));
  std::atomic<int> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable cv;

  const auto encode_page = [&](int p) {
    Page result;
    const std::size_t begin = static_cast<std::size_t>(first_page + p) * per_page;
    const std::size_t end = std::min(labels.size(), begin + static_cast<std::size_t>(per_page));
    result.labels.reserve(end - begin);
    for (std::size_t i = begin; i < end && !stop.load(std::memory_order_relaxed); ++i) {
      core::Result<EncodedLabel> e = EncodeLabel(layout, g, labels[i], i);
      if (!e.ok()) {
        result.error = std::move(e).error();
        break;
      }
      result.labels.push_back(std::move(e).value());
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      pages[static_cast<std::size_t>(p)].labels = std::move(result.labels);
      pages[static_cast<std::size_t>(p)].error = std::move(result.error);
      pages[static_cast<std::size_t>(p)].ready = true;
    }
    cv.notify_all();
  };
  const auto worker = [&] {
    for (int p = next.fetch_add(1); p < page_count && !stop.load(); p = next.fetch_add(1)) {
      encode_page(p);
    }
  };

  const int workers = std::min(layout.threads, page_count) - 1;
  std::vector<std::thread> threads;
  for (int i = 0; i < workers; ++i) {
    threads.emplace_back(worker);
  }
  core::Status status;
  for (int p = 0; p < page_count; ++p) {
    Page* page = &pages[static_cast<std::size_t>(p)];
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu);
        if (page->ready) {
          break;
        }
      }
      // Help: encode a page nobody has claimed yet, or wait for page p.
      const int claimed = next.fetch_add(1);
      if (claimed < page_count) {
        encode_page(claimed);
        continue;
      }
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return page->ready; });
    }
    if (page->error) {
      status = std::move(*page->error);
      break;
    }
    draw(first_page + p, page->labels);
    page->labels.clear();
    page->labels.shrink_to_fit();
  }
  stop.store(true);
  for (std::thread& t : threads) {
    t.join();
  }
  return status;
}

struct Prepared {
  LabelGeometry geometry;
  int pages = 0;
};

core::Result<Prepared> Prepare(const SheetLayout& layout, std::span<const LabelContent> labels) {
  VNTRACE_RETURN_IF_ERROR(ValidateLayout(layout));
  VNTRACE_RETURN_IF_ERROR(CheckLabels(labels));
  Prepared p;
  VNTRACE_ASSIGN_OR_RETURN(p.geometry, ComputeGeometry(layout));
  const std::size_t per_page = static_cast<std::size_t>(LabelsPerPage(layout));
  p.pages = static_cast<int>((labels.size() + per_page - 1) / per_page);
  return p;
}

}  // namespace

SheetLayout A4Sheet(LabelStock stock) {
  SheetLayout l;
  double gap_x = 0;
  double gap_y = 0;
  switch (stock) {
    case LabelStock::k30x20:
      l.label_width_mm = 30;
      l.label_height_mm = 20;
      l.columns = 6;
      l.rows = 13;
      gap_x = 2;
      gap_y = 2;
      l.padding_mm = 1.2;
      break;
    case LabelStock::k40x30:
      l.label_width_mm = 40;
      l.label_height_mm = 30;
      l.columns = 4;
      l.rows = 9;
      gap_x = 3;
      gap_y = 2;
      l.padding_mm = 1.5;
      break;
    case LabelStock::k50x30:
      l.label_width_mm = 50;
      l.label_height_mm = 30;
      l.columns = 3;
      l.rows = 9;
      gap_x = 5;
      gap_y = 2;
      l.padding_mm = 1.5;
      break;
    case LabelStock::k70x37:
      l.label_width_mm = 70;
      l.label_height_mm = 37;
      l.columns = 3;
      l.rows = 8;
      l.padding_mm = 2;
      break;
  }
  l.gap_x_mm = gap_x;
  l.gap_y_mm = gap_y;
  l.margin_left_mm = (l.page_width_mm - l.columns * l.label_width_mm - (l.columns - 1) * gap_x) / 2;
  l.margin_top_mm = (l.page_height_mm - l.rows * l.label_height_mm - (l.rows - 1) * gap_y) / 2;
  return l;
}

SheetLayout RollLayout(double width_mm, double height_mm) {
  SheetLayout l;
  l.page_width_mm = width_mm;
  l.page_height_mm = height_mm;
  l.label_width_mm = width_mm;
  l.label_height_mm = height_mm;
  l.columns = 1;
  l.rows = 1;
  l.margin_left_mm = 0;
  l.margin_top_mm = 0;
  l.crop_marks = false;
  l.padding_mm = std::min(2.0, std::min(width_mm, height_mm) / 10);
  return l;
}

int LabelsPerPage(const SheetLayout& layout) { return layout.columns * layout.rows; }

core::Status ValidateLayout(const SheetLayout& l) {
  const struct {
    double value;
    const char* name;
  } positive[] = {{l.page_width_mm, "page_width_mm"},
                  {l.page_height_mm, "page_height_mm"},
                  {l.label_width_mm, "label_width_mm"},
                  {l.label_height_mm, "label_height_mm"},
                  {l.min_module_mm, "min_module_mm"}};
  for (const auto& f : positive) {
    if (!Positive(f.value)) {
      return LayoutError(fmt::format("{} must be a positive number of millimetres", f.name),
                         f.name);
    }
  }
  const struct {
    double value;
    const char* name;
  } non_negative[] = {{l.margin_left_mm, "margin_left_mm"},
                      {l.margin_top_mm, "margin_top_mm"},
                      {l.gap_x_mm, "gap_x_mm"},
                      {l.gap_y_mm, "gap_y_mm"},
                      {l.padding_mm, "padding_mm"},
                      {l.symbol_size_mm, "symbol_size_mm"}};
  for (const auto& f : non_negative) {
    if (!NonNegative(f.value)) {
      return LayoutError(fmt::format("{} must be zero or more millimetres", f.name), f.name);
    }
  }
  if (l.page_width_mm > 5000 || l.page_height_mm > 5000) {
    return LayoutError("pages larger than 5 m are not supported", "page_width_mm");
  }
  if (l.columns < 1 || l.rows < 1 || l.columns > 100 || l.rows > 100) {
    return LayoutError(
        fmt::format("{} columns x {} rows is outside 1..100 each", l.columns, l.rows), "columns");
  }
  const double grid_w =
      l.margin_left_mm + l.columns * l.label_width_mm + (l.columns - 1) * l.gap_x_mm;
  const double grid_h = l.margin_top_mm + l.rows * l.label_height_mm + (l.rows - 1) * l.gap_y_mm;
  if (grid_w > l.page_width_mm + 1e-6) {
    return LayoutError(fmt::format("{} columns of {} mm labels need {:.1f} mm, the page is {} mm "
                                   "wide",
                                   l.columns, l.label_width_mm, grid_w, l.page_width_mm),
                       "columns");
  }
  if (grid_h > l.page_height_mm + 1e-6) {
    return LayoutError(fmt::format("{} rows of {} mm labels need {:.1f} mm, the page is {} mm "
                                   "high",
                                   l.rows, l.label_height_mm, grid_h, l.page_height_mm),
                       "rows");
  }
  if (l.quiet_zone_modules != -1 && (l.quiet_zone_modules < 0 || l.quiet_zone_modules > 100)) {
    return LayoutError(
        fmt::format("quiet zone of {} modules is outside 0..100 (or -1)", l.quiet_zone_modules),
        "quiet_zone_modules");
  }
  if (l.font_family.empty() || l.font_family.size() > 200 || !core::IsValidUtf8(l.font_family) ||
      l.font_family.find('\0') != std::string::npos) {
    return LayoutError("font_family must be a font name", "font_family");
  }
  if (l.threads < 1 || l.threads > 16) {
    return LayoutError(fmt::format("{} threads is outside 1..16", l.threads), "threads");
  }
  VNTRACE_ASSIGN_OR_RETURN(const LabelGeometry g, ComputeGeometry(l));
  (void)g;
  return {};
}

core::Result<std::string> RenderSheet(const SheetLayout& layout,
                                      std::span<const LabelContent> labels) {
  VNTRACE_ASSIGN_OR_RETURN(const Prepared prepared, Prepare(layout, labels));
  std::string pdf;
  std::unique_ptr<cairo_surface_t, CairoDeleter> surface(cairo_pdf_surface_create_for_stream(
      &AppendToString, &pdf, layout.page_width_mm * kPointsPerMm,
      layout.page_height_mm * kPointsPerMm));
  std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(surface.get()));
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    return core::Internal("cairo could not create the PDF surface");
  }
  PageDrawer drawer(cr.get(), layout, prepared.geometry);
  const std::size_t per_page = static_cast<std::size_t>(LabelsPerPage(layout));
  VNTRACE_RETURN_IF_ERROR(EncodeAndDraw(
      layout, prepared.geometry, labels, 0, prepared.pages,
      [&](int page, std::span<const EncodedLabel> encoded) {
        drawer.DrawPage(labels.subspan(static_cast<std::size_t>(page) * per_page, encoded.size()),
                        encoded);
        cairo_show_page(cr.get());
      }));
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return core::Internal(fmt::format("cairo failed writing the PDF: {}",
                                      cairo_status_to_string(cairo_surface_status(surface.get()))));
  }
  return pdf;
}

core::Result<std::string> RenderSheetPagePng(const SheetLayout& layout,
                                             std::span<const LabelContent> labels, int page,
                                             double dpi) {
  VNTRACE_ASSIGN_OR_RETURN(const Prepared prepared, Prepare(layout, labels));
  if (page < 0 || page >= prepared.pages) {
    return core::InvalidArgument(fmt::format("page {} is outside 0..{}", page, prepared.pages - 1),
                                 "page");
  }
  if (!std::isfinite(dpi) || dpi < 50 || dpi > 1200) {
    return core::InvalidArgument(fmt::format("{} dpi is outside 50..1200", dpi), "dpi");
  }
  const double scale = dpi / 72.0;
  const double w = std::ceil(layout.page_width_mm * kPointsPerMm * scale);
  const double h = std::ceil(layout.page_height_mm * kPointsPerMm * scale);
  if (w * h > 256.0 * 1024 * 1024) {
    return core::InvalidArgument(fmt::format("a {}x{} pixel page is too large", w, h), "dpi");
  }
  std::unique_ptr<cairo_surface_t, CairoDeleter> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(w), static_cast<int>(h)));
  std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(surface.get()));
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    return core::Internal("cairo could not create the image surface");
  }
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  cairo_scale(cr.get(), scale, scale);
  PageDrawer drawer(cr.get(), layout, prepared.geometry);
  const std::size_t per_page = static_cast<std::size_t>(LabelsPerPage(layout));
  VNTRACE_RETURN_IF_ERROR(EncodeAndDraw(
      layout, prepared.geometry, labels, page, 1,
      [&](int p, std::span<const EncodedLabel> encoded) {
        drawer.DrawPage(labels.subspan(static_cast<std::size_t>(p) * per_page, encoded.size()),
                        encoded);
      }));
  cr.reset();
  std::string png;
  if (cairo_surface_write_to_png_stream(surface.get(), &AppendToString, &png) !=
      CAIRO_STATUS_SUCCESS) {
    return core::Internal("cairo could not write the PNG");
  }
  return png;
}

}  // namespace vntrace::label::render
