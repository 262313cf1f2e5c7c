// label::render symbols: QR Code, GS1 DataMatrix and GS1-128 as module matrices, SVG and PNG.
//
// Every symbol is first encoded to a `Symbol`: a grid of dark/light modules with its quiet zone
// (a matrix for QR and DataMatrix, one row of bars for GS1-128). The SVG and PNG writers and the
// PDF sheets of `sheet.hpp` draw from that grid, so what is tested on one output holds for all.
// QR uses libqrencode; GS1 DataMatrix (ECC 200, FNC1 first) is encoded here; GS1-128 uses
// zxing-cpp's Code 128 writer with FNC1.
//
// Thread-safety: stateless functions; safe from any thread.
//
// Example:
//   auto qr = label::render::RenderQr("https://id.gs1.org/01/08935000000014/10/L1/21/X7", {});
//   std::string svg = label::render::ToSvg(*qr);
//   auto png = label::render::ToPng(*qr, 8);  // 8 pixels per module
//
//   auto dl = gs1::ParseDigitalLink("https://id.gs1.org/01/08935000000014/10/L1?17=261231");
//   auto dm = label::render::RenderDataMatrix(dl->AllElements(), {});  // (01)...(10)L1(17)...
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "gs1/element.hpp"

namespace vntrace::label::render {

enum class SymbolKind { kQr, kDataMatrix, kGs1_128 };

// QR Code error correction: recovers about 7, 15, 25 and 30 % of the symbol.
enum class QrErrorCorrection { kL, kM, kQ, kH };

// Minimum quiet zones, in modules: ISO/IEC 18004 (QR), ISO/IEC 16022 (DataMatrix), GS1 General
// Specifications 5.4.4.5 (GS1-128: 10X on each side).
inline constexpr int kQrMinQuietZone = 4;
inline constexpr int kDataMatrixMinQuietZone = 1;
inline constexpr int kGs1_128MinQuietZone = 10;
// GS1-128 carries at most 48 data characters (GS1 General Specifications 5.4.1).
inline constexpr std::size_t kGs1_128MaxDataCharacters = 48;
// Largest text accepted for a QR Code: version 40-L holds 2953 bytes.
inline constexpr std::size_t kQrMaxBytes = 2953;

struct SymbolOptions {
  // Quiet zone on every side, in modules; -1 means the symbology's minimum (above). A value
  // below the minimum, or above 100, is kInvalidArgument.
  int quiet_zone = -1;
  QrErrorCorrection qr_error_correction = QrErrorCorrection::kM;
  // GS1-128 only: the bar height in modules (the SVG/PNG height). At least 1.
  int bar_height = 50;
};

// A rendered symbol as modules. `width` and `height` include the quiet zone. A matrix symbol
// holds `width * height` modules, row-major; a linear one (GS1-128) holds one row of `width`
// modules that is `height` modules tall.
struct Symbol {
  SymbolKind kind = SymbolKind::kQr;
  int width = 0;
  int height = 0;
  int quiet_zone = 0;
  bool linear = false;
  std::vector<std::uint8_t> modules;  // 1 = dark

  bool Dark(int x, int y) const {
    return modules[static_cast<std::size_t>(linear ? x : y * width + x)] != 0;
  }
};

// One horizontal run of dark modules: the unit of every drawing (a bar of a linear symbol is a
// run on its one row).
struct DarkRun {
  int x = 0;
  int y = 0;
  int length = 0;
};
// The dark runs of `symbol`, row by row, left to right (for a linear symbol: its bars, y = 0).
std::vector<DarkRun> DarkRuns(const Symbol& symbol);

// A QR Code of `text` (bytes, usually a Digital Link URI), smallest version for the error
// correction level. Returns kInvalidArgument when `text` is empty, holds a NUL byte, or is too
// long for a QR Code at that level (the message gives the size and the level), or when the
// quiet zone is out of range.
core::Result<Symbol> RenderQr(std::string_view text, const SymbolOptions& options = {});

// A GS1 DataMatrix (ECC 200, square, FNC1 first) of `elements` in their raw element-string
// form (FNC1 between a variable-length value and the next AI). Returns kInvalidArgument when
// `elements` is empty or holds an element without AI, when the data exceeds the 132x132 symbol
// (1304 codewords; 144x144 is not written because decoders disagree on it), or when the quiet zone
// is out of range.
core::Result<Symbol> RenderDataMatrix(const gs1::AiElements& elements,
                                      const SymbolOptions& options = {});

// A GS1-128 bar code (Code 128, FNC1 in first position and as separator) of `elements`.
// Returns kInvalidArgument when `elements` is empty, when the raw data exceeds 48 characters
// (kGs1_128MaxDataCharacters; say which AIs to move to a DataMatrix or QR), or when the quiet
// zone or bar height is out of range.
core::Result<Symbol> RenderGs1_128(const gs1::AiElements& elements,
                                   const SymbolOptions& options = {});

// SVG text of the symbol: a white background and one black path of the dark runs, viewBox in
// modules, `shape-rendering="crispEdges"`. `module_size_mm` > 0 sets width/height attributes
// in millimetres; otherwise the SVG has no intrinsic size.
std::string ToSvg(const Symbol& symbol, double module_size_mm = 0.0);

// PNG bytes, opaque black on white, `pixels_per_module` pixels per module (1 to 100). Returns
// kInvalidArgument when out of range or the image would exceed 64 megapixels, kInternal when
// cairo fails.
core::Result<std::string> ToPng(const Symbol& symbol, int pixels_per_module);

}  // namespace vntrace::label::render
