// label::render sheets: print-ready PDF pages of traceability stamps (tem truy xuất).
//
// A sheet is a grid of labels on a page (A4 label stock such as 3x8 labels of 70x37 mm) or a
// roll (one label per page of the label's size, for thermal label printers). Each label holds
// the symbol (QR Code, GS1 DataMatrix or GS1-128) and, beside or below it, the product name,
// the lot ("Lô"), the expiry ("HSD", hạn sử dụng) and the short code ("Mã") set with pango in
// a font that has the Vietnamese diacritics (DejaVu Sans by default). Grid sheets get crop
// marks in the page margin at every cut line. Symbols are encoded on `threads` threads while
// the pages are drawn.
//
// Thread-safety: stateless functions; safe from any thread (each call has its own cairo
// surface and pango context).
//
// Example:
//   render::SheetLayout layout = render::A4Sheet(render::LabelStock::k70x37);
//   std::vector<render::LabelContent> labels = {{
//       .code = "https://id.gs1.org/01/08935000000014/10/L1/21/X7K2", .product_name = "Cà phê",
//       .lot = "L1", .expiry = "31/12/2026", .short_code = "X7K2"}};
//   core::Result<std::string> pdf = render::RenderSheet(layout, labels);
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "core/result.hpp"
#include "label/render/symbol.hpp"

namespace vntrace::label::render {

struct LabelContent {
  // What the symbol carries. QR Code: any text, normally a Digital Link URI. GS1 DataMatrix and
  // GS1-128: a GS1 Digital Link URI or an element string (bracketed or raw), converted to its
  // AIs with the gs1 toolkit. Must not be empty.
  std::string code;
  // Printed text, UTF-8; an empty field leaves its line out.
  std::string product_name;
  std::string lot;
  std::string expiry;
  std::string short_code;
};

enum class Symbology { kQr, kDataMatrix, kGs1_128 };

// All lengths in millimetres. A roll is a layout whose page is one label (RollLayout()).
struct SheetLayout {
  double page_width_mm = 210.0;
  double page_height_mm = 297.0;
  double label_width_mm = 70.0;
  double label_height_mm = 37.0;
  int columns = 3;
  int rows = 8;
  // Page edge to the first label, and the space between labels.
  double margin_left_mm = 0.0;
  double margin_top_mm = 0.5;
  double gap_x_mm = 0.0;
  double gap_y_mm = 0.0;
  // Inside each label, around the symbol and the text.
  double padding_mm = 2.0;
  // Symbol side including its quiet zone (QR, DataMatrix), or GS1-128 width; 0 = as large as
  // the label allows.
  double symbol_size_mm = 0.0;
  // Quiet zone in modules; -1 = the symbology's minimum (see symbol.hpp).
  int quiet_zone_modules = -1;
  // Smaller modules are refused: most label printers (203 dpi) cannot print them reliably.
  double min_module_mm = 0.19;
  Symbology symbology = Symbology::kQr;
  QrErrorCorrection qr_error_correction = QrErrorCorrection::kM;
  bool crop_marks = true;
  // How symbols go into the PDF. false: each symbol is a 1-bit image mask, one pixel per module,
  // scaled without interpolation (compact, and fast to write). true: each symbol is one vector
  // path of its dark runs (larger files, several times slower to write).
  bool vector_symbols = false;
  std::string font_family = "DejaVu Sans";
  // Threads encoding symbols (1 to 16), the calling thread included.
  int threads = 2;
};

// Common label stock on A4, centred: 30x20 mm (6x13), 40x30 mm (4x9), 50x30 mm (3x9) and the
// Avery-like 70x37 mm (3x8, edge to edge).
enum class LabelStock { k30x20, k40x30, k50x30, k70x37 };
SheetLayout A4Sheet(LabelStock stock);
// One label per page of `width_mm` x `height_mm`, no crop marks.
SheetLayout RollLayout(double width_mm, double height_mm);

// Labels per page of `layout`.
int LabelsPerPage(const SheetLayout& layout);

// Checks `layout`: positive sizes, labels inside the page, room for a symbol of at least
// `min_module_mm` modules, a font family, threads in range. Returns kInvalidArgument naming the
// field otherwise.
core::Status ValidateLayout(const SheetLayout& layout);

// The PDF of `labels` on as many pages as they need, in order (row by row). Returns
// kInvalidArgument when the layout is invalid, `labels` is empty (or more than 100,000), or a
// label is: empty or non-UTF-8 text, a code that is not valid GS1 data for a GS1 symbology, or
// data too long for the symbol or for its printed size (the message names the label's index);
// kInternal when cairo fails.
core::Result<std::string> RenderSheet(const SheetLayout& layout,
                                      std::span<const LabelContent> labels);

// Page `page` (0-based) of the same sheet as a PNG at `dpi` (50 to 1200), drawn by the same code
// as the PDF: a preview, and what tests decode. Errors as RenderSheet, and kInvalidArgument when
// `page` is past the last page.
core::Result<std::string> RenderSheetPagePng(const SheetLayout& layout,
                                             std::span<const LabelContent> labels, int page,
                                             double dpi);

}  // namespace vntrace::label::render
