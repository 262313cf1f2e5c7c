#include "label/render/symbol.hpp"

#include <cairo.h>
#include <fmt/format.h>
#include <qrencode.h>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <cerrno>
#include <exception>
#include <memory>

#include "gs1/element_string.hpp"
#include "label/render/cairo_support.hpp"
#include "label/render/internal/datamatrix.hpp"

namespace vntrace::label::render {
namespace {

constexpr int kMaxQuietZone = 100;

core::Result<int> QuietZone(const SymbolOptions& options, int minimum, std::string_view name) {
  if (options.quiet_zone < 0) {
    return minimum;
  }
  if (options.quiet_zone < minimum || options.quiet_zone > kMaxQuietZone) {
    return core::InvalidArgument(fmt::format("quiet zone of {} modules is outside {}..{} for {}",
                                             options.quiet_zone, minimum, kMaxQuietZone, name),
                                 "quiet_zone");
  }
  return options.quiet_zone;
}

// A matrix symbol from `size` x `size` modules, with `quiet` light modules on every side.
template <typename DarkAt>
Symbol MatrixSymbol(SymbolKind kind, int size, int quiet, DarkAt dark_at) {
  Symbol symbol;
  symbol.kind = kind;
  symbol.quiet_zone = quiet;
  symbol.width = size + 2 * quiet;
  symbol.height = symbol.width;
  symbol.modules.assign(static_cast<std::size_t>(symbol.width) * symbol.width, 0);
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      if (dark_at(x, y)) {
        symbol.modules[static_cast<std::size_t>((y + quiet) * symbol.width + x + quiet)] = 1;
      }
    }
  }
  return symbol;
}

core::Status CheckElements(const gs1::AiElements& elements, std::string_view name) {
  if (elements.empty()) {
    return core::InvalidArgument(fmt::format("{} needs at least one GS1 element", name),
                                 "elements");
  }
  for (const gs1::AiElement& e : elements) {
    if (e.ai == nullptr) {
      return core::InvalidArgument(fmt::format("{} element without an AI", name), "elements");
    }
  }
  return {};
}

}  // namespace

std::vector<DarkRun> DarkRuns(const Symbol& symbol) {
  std::vector<DarkRun> runs;
  const int rows = symbol.linear ? 1 : symbol.height;
  for (int y = 0; y < rows; ++y) {
    int x = 0;
    while (x < symbol.width) {
      if (!symbol.Dark(x, y)) {
        ++x;
        continue;
      }
      const int start = x;
      while (x < symbol.width && symbol.Dark(x, y)) {
        ++x;
      }
      runs.push_back({start, y, x - start});
    }
  }
  return runs;
}

core::Result<Symbol> RenderQr(std::string_view text, const SymbolOptions& options) {
  VNTRACE_ASSIGN_OR_RETURN(const int quiet, QuietZone(options, kQrMinQuietZone, "a QR Code"));
  if (text.empty()) {
    return core::InvalidArgument("QR Code text is empty", "text");
  }
  if (text.find('\0') != std::string_view::npos) {
    return core::InvalidArgument("QR Code text holds a NUL byte", "text");
  }
  QRecLevel level = QR_ECLEVEL_M;
  char level_name = 'M';
  switch (options.qr_error_correction) {
    case QrErrorCorrection::kL:
      level = QR_ECLEVEL_L;
      level_name = 'L';
      break;
    case QrErrorCorrection::kM:
      break;
    case QrErrorCorrection::kQ:
      level = QR_ECLEVEL_Q;
      level_name = 'Q';
      break;
    case QrErrorCorrection::kH:
      level = QR_ECLEVEL_H;
      level_name = 'H';
      break;
  }
  const auto too_long = [&] {
    return core::InvalidArgument(
        fmt::format("{} bytes are too long for a QR Code at error correction level {}", text.size(),
                    level_name),
        "text");
  };
  if (text.size() > kQrMaxBytes) {
    return too_long();
  }
  const std::string copy(text);  // libqrencode wants a NUL-terminated string
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString(copy.c_str(), 0, level, QR_MODE_8, 1), &QRcode_free);
  if (code == nullptr) {
    if (errno == ERANGE) {
      return too_long();
    }
    return core::Internal(fmt::format("libqrencode failed: errno {}", errno));
  }
  const unsigned char* data = code->data;
  const int size = code->width;
  return MatrixSymbol(SymbolKind::kQr, size, quiet, [&](int x, int y) {
    return (data[static_cast<std::size_t>(y * size + x)] & 1) != 0;
  });
}

core::Result<Symbol> RenderDataMatrix(const gs1::AiElements& elements,
                                      const SymbolOptions& options) {
  VNTRACE_ASSIGN_OR_RETURN(const int quiet,
                           QuietZone(options, kDataMatrixMinQuietZone, "a DataMatrix"));
  VNTRACE_RETURN_IF_ERROR(CheckElements(elements, "a GS1 DataMatrix"));
  const std::string raw = gs1::ToRawElementString(elements);
  const std::vector<std::uint8_t> codewords = internal::EncodeGs1Ascii(raw);
  std::optional<internal::DataMatrixModules> dm = internal::EncodeDataMatrix(codewords);
  if (!dm) {
    return core::InvalidArgument(
        fmt::format("{} codewords of GS1 data exceed the largest DataMatrix ({})", codewords.size(),
                    internal::kDataMatrixMaxDataCodewords),
        "elements");
  }
  return MatrixSymbol(SymbolKind::kDataMatrix, dm->size, quiet, [&](int x, int y) {
    return dm->modules[static_cast<std::size_t>(y * dm->size + x)] != 0;
  });
}

core::Result<Symbol> RenderGs1_128(const gs1::AiElements& elements, const SymbolOptions& options) {
  VNTRACE_ASSIGN_OR_RETURN(const int quiet,
                           QuietZone(options, kGs1_128MinQuietZone, "a GS1-128 bar code"));
  VNTRACE_RETURN_IF_ERROR(CheckElements(elements, "a GS1-128 bar code"));
  if (options.bar_height < 1 || options.bar_height > 10000) {
    return core::InvalidArgument(
        fmt::format("bar height of {} modules is outside 1..10000", options.bar_height),
        "bar_height");
  }
  const std::string raw = gs1::ToRawElementString(elements);
  if (raw.size() > kGs1_128MaxDataCharacters) {
    return core::InvalidArgument(
        fmt::format("{} has {} data characters; GS1-128 carries at most {}: use a DataMatrix or "
                    "QR Code, or fewer AIs",
                    gs1::ToBracketedElementString(elements), raw.size(), kGs1_128MaxDataCharacters),
        "elements");
  }
  // zxing-cpp's Code 128 writer takes U+00F1 as FNC1.
  std::wstring content = L"\u00f1";
  for (char c : raw) {
    if (c == gs1::kGroupSeparator) {
      content += L'\u00f1';
    } else {
      content += static_cast<wchar_t>(static_cast<unsigned char>(c));
    }
  }
  ZXing::BitMatrix bars;
  try {
    bars =
        ZXing::MultiFormatWriter(ZXing::BarcodeFormat::Code128).setMargin(0).encode(content, 0, 1);
  } catch (const std::exception& e) {
    return core::InvalidArgument(fmt::format("Code 128 encoding failed: {}", e.what()), "elements");
  }
  Symbol symbol;
  symbol.kind = SymbolKind::kGs1_128;
  symbol.linear = true;
  symbol.quiet_zone = quiet;
  symbol.width = bars.width() + 2 * quiet;
  symbol.height = options.bar_height;
  symbol.modules.assign(static_cast<std::size_t>(symbol.width), 0);
  for (int x = 0; x < bars.width(); ++x) {
    symbol.modules[static_cast<std::size_t>(x + quiet)] = bars.get(x, 0) ? 1 : 0;
  }
  return symbol;
}

std::string ToSvg(const Symbol& symbol, double module_size_mm) {
  std::string out;
  out.reserve(256 + symbol.modules.size() * 4);
  std::string size;
  if (module_size_mm > 0) {
    size = fmt::format(R"( width="{:.3f}mm" height="{:.3f}mm")", symbol.width * module_size_mm,
                       symbol.height * module_size_mm);
  }
  out += fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}"{} )"
      R"(shape-rendering="crispEdges"><rect width="{}" height="{}" fill="#fff"/><path d=")",
      symbol.width, symbol.height, size, symbol.width, symbol.height);
  const int bar_height = symbol.linear ? symbol.height : 1;
  for (const DarkRun& run : DarkRuns(symbol)) {
    fmt::format_to(std::back_inserter(out), "M{} {}h{}v{}h-{}z", run.x, run.y, run.length,
                   bar_height, run.length);
  }
  out += R"(" fill="#000"/></svg>)";
  out += '\n';
  return out;
}

core::Result<std::string> ToPng(const Symbol& symbol, int pixels_per_module) {
  if (pixels_per_module < 1 || pixels_per_module > 100) {
    return core::InvalidArgument(
        fmt::format("{} pixels per module is outside 1..100", pixels_per_module),
        "pixels_per_module");
  }
  const long long w = static_cast<long long>(symbol.width) * pixels_per_module;
  const long long h = static_cast<long long>(symbol.height) * pixels_per_module;
  if (w <= 0 || h <= 0 || w * h > 64LL * 1024 * 1024) {
    return core::InvalidArgument(fmt::format("a {}x{} pixel image is too large", w, h),
                                 "pixels_per_module");
  }
  std::unique_ptr<cairo_surface_t, CairoDeleter> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(w), static_cast<int>(h)));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return core::Internal("cairo could not create the image surface");
  }
  cairo_surface_flush(surface.get());
  unsigned char* data = cairo_image_surface_get_data(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  for (long long py = 0; py < h; ++py) {
    auto* row = reinterpret_cast<std::uint32_t*>(data + py * stride);
    const int my = symbol.linear ? 0 : static_cast<int>(py / pixels_per_module);
    for (long long px = 0; px < w; ++px) {
      row[px] = symbol.Dark(static_cast<int>(px / pixels_per_module), my) ? 0x000000u : 0xFFFFFFu;
    }
  }
  cairo_surface_mark_dirty(surface.get());
  std::string png;
  if (cairo_surface_write_to_png_stream(surface.get(), &AppendToString, &png) !=
      CAIRO_STATUS_SUCCESS) {
    return core::Internal("cairo could not write the PNG");
  }
  return png;
}

}  // namespace vntrace::label::render
