// Every rendered symbol is decoded back with zxing-cpp: from the PNG writer, from the SVG path,
// from the sheet's own PNG preview and from the PDF rasterised by poppler's pdftoppm (installed
// by scripts/install-deps.sh; those tests skip, saying so, when it is missing).
#include "label/render/sheet.hpp"
#include "label/render/symbol.hpp"

#include <cairo.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <ZXing/ReadBarcode.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "gs1/digital_link.hpp"
#include "gs1/element_string.hpp"
#include "label/render/internal/datamatrix.hpp"

// fontconfig keeps its patterns' values behind offset-encoded pointers that LeakSanitizer cannot
// follow, so the font caches that cairo and pango hold for the process's lifetime look leaked.
// Only allocations made inside libfontconfig are suppressed.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

namespace vntrace::label::render {
namespace {

struct Gray {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;
};

ZXing::Result Decode(const Gray& image, ZXing::BarcodeFormat format, int x = 0, int y = 0,
                     int w = -1, int h = -1) {
  if (w < 0) {
    w = image.width;
    h = image.height;
  }
  ZXing::DecodeHints hints;
  hints.setFormats(format);
  hints.setTryHarder(true);
  const ZXing::ImageView view(image.pixels.data() + static_cast<std::size_t>(y) * image.width + x,
                              w, h, ZXing::ImageFormat::Lum, image.width);
  return ZXing::ReadBarcode(view, hints);
}

struct PngReader {
  const std::string* data;
  std::size_t offset = 0;
};

cairo_status_t ReadPng(void* closure, unsigned char* out, unsigned int length) {
  auto* reader = static_cast<PngReader*>(closure);
  if (reader->offset + length > reader->data->size()) {
    return CAIRO_STATUS_READ_ERROR;
  }
  std::copy_n(reader->data->data() + reader->offset, length, out);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

Gray GrayFromPng(const std::string& png) {
  PngReader reader{&png};
  cairo_surface_t* surface = cairo_image_surface_create_from_png_stream(&ReadPng, &reader);
  EXPECT_EQ(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
  Gray gray;
  if (cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS) {
    EXPECT_EQ(cairo_image_surface_get_format(surface), CAIRO_FORMAT_RGB24);
    gray.width = cairo_image_surface_get_width(surface);
    gray.height = cairo_image_surface_get_height(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    const unsigned char* data = cairo_image_surface_get_data(surface);
    gray.pixels.resize(static_cast<std::size_t>(gray.width) * gray.height);
    for (int y = 0; y < gray.height; ++y) {
      const auto* row = reinterpret_cast<const std::uint32_t*>(data + y * stride);
      for (int x = 0; x < gray.width; ++x) {
        gray.pixels[static_cast<std::size_t>(y) * gray.width + x] =
            static_cast<std::uint8_t>(row[x] & 0xFF);
      }
    }
  }
  cairo_surface_destroy(surface);
  return gray;
}

ZXing::Result DecodePng(const Symbol& symbol, ZXing::BarcodeFormat format, int ppm = 4) {
  core::Result<std::string> png = ToPng(symbol, ppm);
  EXPECT_TRUE(png.ok()) << png.error().ToString();
  EXPECT_EQ(png->substr(0, 8), "\x89PNG\r\n\x1a\n");
  return Decode(GrayFromPng(*png), format);
}

gs1::AiElements Elements(std::string_view text) {
  if (text.starts_with("https://")) {
    core::Result<gs1::DigitalLink> dl = gs1::ParseDigitalLink(text);
    EXPECT_TRUE(dl.ok()) << dl.error().ToString();
    return dl->AllElements();
  }
  core::Result<gs1::AiElements> e = gs1::ParseElementString(text);
  EXPECT_TRUE(e.ok()) << e.error().ToString();
  return *e;
}

std::string RandomSerial(std::mt19937& rng, int length) {
  static constexpr std::string_view kChars =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789";
  std::string s;
  for (int i = 0; i < length; ++i) {
    s += kChars[rng() % kChars.size()];
  }
  return s;
}

// Digital Links from short to about 300 characters.
std::vector<std::string> DigitalLinks() {
  std::vector<std::string> out = {
      "https://id.gs1.org/01/08935000000014",
      "https://id.gs1.org/01/08935000000014/10/L1/21/Ab3xK9pQ2mZt",
      "https://truyxuat.example.vn/01/08935000000014/10/LOT-2026-07/21/7Hq2?17=271231",
      "HTTPS://ID.GS1.ORG/01/08935000000014/10/ABC/21/XYZ",
  };
  std::string long_link = "https://truyxuat.example.vn/some/long/prefix/01/08935000000014/10/";
  long_link += std::string(20, 'L');
  long_link += "/21/";
  long_link += std::string(20, 'S');
  long_link += "?17=271231&11=260101&linkType=gs1:pip&context=";
  while (long_link.size() < 300) {
    long_link += "abcdefghij";
  }
  out.push_back(long_link);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Symbols from PNG

TEST(RenderQr, DigitalLinksDecodeFromPngAtEveryLevel) {
  for (QrErrorCorrection level : {QrErrorCorrection::kL, QrErrorCorrection::kM,
                                  QrErrorCorrection::kQ, QrErrorCorrection::kH}) {
    for (const std::string& link : DigitalLinks()) {
      SymbolOptions options;
      options.qr_error_correction = level;
      core::Result<Symbol> qr = RenderQr(link, options);
      ASSERT_TRUE(qr.ok()) << qr.error().ToString();
      EXPECT_EQ(qr->kind, SymbolKind::kQr);
      EXPECT_EQ(qr->quiet_zone, kQrMinQuietZone);
      EXPECT_EQ(qr->width, qr->height);
      EXPECT_EQ((qr->width - 2 * kQrMinQuietZone - 17) % 4, 0);  // 21, 25, ... modules
      const ZXing::Result result = DecodePng(*qr, ZXing::BarcodeFormat::QRCode);
      ASSERT_TRUE(result.isValid()) << link;
      EXPECT_EQ(result.text(), link);
    }
  }
}

TEST(RenderQr, QuietZoneIsLightAndConfigurable) {
  SymbolOptions options;
  options.quiet_zone = 8;
  core::Result<Symbol> qr = RenderQr("https://id.gs1.org/01/08935000000014", options);
  ASSERT_TRUE(qr.ok());
  EXPECT_EQ(qr->quiet_zone, 8);
  for (int i = 0; i < qr->width; ++i) {
    for (int q = 0; q < 8; ++q) {
      EXPECT_FALSE(qr->Dark(i, q));
      EXPECT_FALSE(qr->Dark(q, i));
      EXPECT_FALSE(qr->Dark(i, qr->height - 1 - q));
      EXPECT_FALSE(qr->Dark(qr->width - 1 - q, i));
    }
  }
  EXPECT_TRUE(qr->Dark(8, 8));  // the finder pattern's corner
  EXPECT_TRUE(DecodePng(*qr, ZXing::BarcodeFormat::QRCode, 3).isValid());
}

TEST(RenderDataMatrix, Gs1DataFromDigitalLinksDecodesToTheElementString) {
  const std::vector<std::string> inputs = {
      "https://id.gs1.org/01/08935000000014",
      "https://id.gs1.org/01/08935000000014/10/L1/21/Ab3xK9pQ2mZt",
      "https://truyxuat.example.vn/01/08935000000014/10/LOT-2026-07/21/7Hq2?17=271231",
      "https://id.gs1.org/01/08935000000014/10/ABCDEFGHIJKLMNOPQRST/21/"
      "abcdefghijklmnopqrst?17=271231&11=260101&3103=001250",
      "(00)389350000000000008",
      "(414)8935000000007(254)A1",
  };
  for (const std::string& input : inputs) {
    const gs1::AiElements elements = Elements(input);
    core::Result<Symbol> dm = RenderDataMatrix(elements);
    ASSERT_TRUE(dm.ok()) << dm.error().ToString();
    EXPECT_EQ(dm->kind, SymbolKind::kDataMatrix);
    const ZXing::Result result = DecodePng(*dm, ZXing::BarcodeFormat::DataMatrix, 5);
    ASSERT_TRUE(result.isValid()) << input;
    EXPECT_EQ(result.symbologyIdentifier(), "]d2") << input;  // FNC1 first: GS1 DataMatrix
    EXPECT_EQ(result.text(), gs1::ToRawElementString(elements)) << input;
  }
}

TEST(RenderDataMatrix, EverySymbolSizeDecodes) {
  // Plain ASCII codewords (char + 1) to fill each of the 23 square sizes written, multi-region
  // and interleaved Reed-Solomon blocks included (132x132 has eight blocks).
  std::mt19937 rng(6);
  for (int length : {1,   3,   5,   8,   12,  18,  22,  30,  36,  44,  62,   86,
                     114, 144, 174, 204, 280, 368, 456, 576, 696, 816, 1050, 1304}) {
    std::string text = RandomSerial(rng, length);
    std::vector<std::uint8_t> codewords;
    for (char c : text) {
      codewords.push_back(static_cast<std::uint8_t>(c + 1));
    }
    std::optional<internal::DataMatrixModules> dm = internal::EncodeDataMatrix(codewords);
    ASSERT_TRUE(dm.has_value()) << length;
    Symbol symbol;
    symbol.kind = SymbolKind::kDataMatrix;
    symbol.quiet_zone = 2;
    symbol.width = symbol.height = dm->size + 4;
    symbol.modules.assign(static_cast<std::size_t>(symbol.width * symbol.width), 0);
    for (int y = 0; y < dm->size; ++y) {
      for (int x = 0; x < dm->size; ++x) {
        symbol.modules[static_cast<std::size_t>((y + 2) * symbol.width + x + 2)] =
            dm->modules[static_cast<std::size_t>(y * dm->size + x)];
      }
    }
    const ZXing::Result result = DecodePng(symbol, ZXing::BarcodeFormat::DataMatrix, 3);
    ASSERT_TRUE(result.isValid()) << length << " codewords, " << dm->size << "x" << dm->size;
    EXPECT_EQ(result.text(), text);
  }
  EXPECT_FALSE(internal::EncodeDataMatrix(std::vector<std::uint8_t>(1305, 'A' + 1)).has_value());
}

TEST(RenderDataMatrix, ReedSolomonMatchesTheStandardsExample) {
  // ISO/IEC 16022 Annex O: "123456" in a 10x10 symbol: data 142 164 186, check codewords
  // 114 25 5 88 102.
  EXPECT_EQ(internal::ReedSolomonDataMatrix({142, 164, 186}, 5),
            (std::vector<std::uint8_t>{114, 25, 5, 88, 102}));
}

TEST(RenderGs1_128, ElementsDecodeWithFnc1) {
  const std::vector<std::string> inputs = {
      "(01)08935000000014(10)L1",
      "(01)08935000000014(17)271231(10)LOT-2026-07",
      "(00)389350000000000008",
      "(01)08935000000014(21)Ab3xK9pQ2m(17)271231",
  };
  for (const std::string& input : inputs) {
    const gs1::AiElements elements = Elements(input);
    core::Result<Symbol> bars = RenderGs1_128(elements);
    ASSERT_TRUE(bars.ok()) << bars.error().ToString();
    EXPECT_TRUE(bars->linear);
    EXPECT_EQ(bars->height, 50);
    for (int q = 0; q < kGs1_128MinQuietZone; ++q) {
      EXPECT_FALSE(bars->Dark(q, 0));
      EXPECT_FALSE(bars->Dark(bars->width - 1 - q, 0));
    }
    const ZXing::Result result = DecodePng(*bars, ZXing::BarcodeFormat::Code128, 2);
    ASSERT_TRUE(result.isValid()) << input;
    EXPECT_EQ(result.symbologyIdentifier(), "]C1") << input;  // FNC1 first: GS1-128
    EXPECT_EQ(result.text(), gs1::ToRawElementString(elements)) << input;
  }
}

// ---------------------------------------------------------------------------------------------
// SVG

// Rebuilds the module grid from the SVG's one path ("M x yh n v k h-n z" per dark run).
Symbol SymbolFromSvg(const std::string& svg, const Symbol& like) {
  Symbol out = like;
  std::fill(out.modules.begin(), out.modules.end(), 0);
  std::smatch m;
  EXPECT_TRUE(std::regex_search(svg, m, std::regex(R"(viewBox="0 0 (\d+) (\d+)\")")));
  EXPECT_EQ(std::stoi(m[1]), like.width);
  EXPECT_EQ(std::stoi(m[2]), like.height);
  EXPECT_NE(svg.find(R"(shape-rendering="crispEdges")"), std::string::npos);
  std::size_t paths = 0;
  for (std::size_t p = svg.find("<path"); p != std::string::npos; p = svg.find("<path", p + 1)) {
    ++paths;
  }
  EXPECT_EQ(paths, 1u);
  const std::regex run(R"(M(\d+) (\d+)h(\d+)v(\d+)h-(\d+)z)");
  const std::size_t start = svg.find(R"(d=")") + 3;
  const std::string d = svg.substr(start, svg.find('"', start) - start);
  std::size_t covered = 0;
  for (auto it = std::sregex_iterator(d.begin(), d.end(), run); it != std::sregex_iterator();
       ++it) {
    const int x = std::stoi((*it)[1]);
    const int y = std::stoi((*it)[2]);
    const int n = std::stoi((*it)[3]);
    EXPECT_EQ(std::stoi((*it)[4]), like.linear ? like.height : 1);
    EXPECT_EQ(n, std::stoi((*it)[5]));
    for (int i = 0; i < n; ++i) {
      out.modules[static_cast<std::size_t>(like.linear ? x + i : y * like.width + x + i)] = 1;
    }
    covered += it->length();
  }
  EXPECT_EQ(covered, d.size()) << "the path holds only dark runs";
  return out;
}

TEST(ToSvg, PathRebuildsTheModulesOfEverySymbology) {
  const std::string link = "https://id.gs1.org/01/08935000000014/10/L1/21/Ab3xK9pQ2mZt";
  std::vector<Symbol> symbols;
  symbols.push_back(*RenderQr(link));
  symbols.push_back(*RenderDataMatrix(Elements(link)));
  symbols.push_back(*RenderGs1_128(Elements("(01)08935000000014(10)L1")));
  for (const Symbol& symbol : symbols) {
    const std::string svg = ToSvg(symbol, 0.33);
    EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    EXPECT_NE(svg.find("mm\""), std::string::npos);
    const Symbol rebuilt = SymbolFromSvg(svg, symbol);
    EXPECT_EQ(rebuilt.modules, symbol.modules);
    // And what was rebuilt still scans.
    const auto format = symbol.kind == SymbolKind::kQr           ? ZXing::BarcodeFormat::QRCode
                        : symbol.kind == SymbolKind::kDataMatrix ? ZXing::BarcodeFormat::DataMatrix
                                                                 : ZXing::BarcodeFormat::Code128;
    EXPECT_TRUE(DecodePng(rebuilt, format, 3).isValid());
  }
  EXPECT_EQ(ToSvg(symbols[0]).find("mm\""), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Symbol errors

TEST(RenderErrors, InvalidInputsAreInvalidArgument) {
  const auto expect_invalid = [](const core::Result<Symbol>& r, std::string_view says) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find(says), std::string::npos) << r.error().message;
  };
  expect_invalid(RenderQr(""), "empty");
  expect_invalid(RenderQr(std::string("a\0b", 3)), "NUL");
  expect_invalid(RenderQr(std::string(3000, 'a')), "too long");
  SymbolOptions high;
  high.qr_error_correction = QrErrorCorrection::kH;
  expect_invalid(RenderQr(std::string(1300, 'a'), high), "level H");
  SymbolOptions small_quiet;
  small_quiet.quiet_zone = 3;
  expect_invalid(RenderQr("x", small_quiet), "quiet zone");
  small_quiet.quiet_zone = 101;
  expect_invalid(RenderQr("x", small_quiet), "quiet zone");

  expect_invalid(RenderDataMatrix({}), "at least one");
  gs1::AiElements many;
  for (int i = 0; i < 20; ++i) {
    many.push_back({gs1::FindAi("91"), std::string(90, 'A')});
  }
  expect_invalid(RenderDataMatrix(many), "largest DataMatrix");
  gs1::AiElements no_ai = {{nullptr, "x"}};
  expect_invalid(RenderDataMatrix(no_ai), "without an AI");

  expect_invalid(RenderGs1_128({}), "at least one");
  expect_invalid(
      RenderGs1_128(Elements("(01)08935000000014(10)ABCDEFGHIJKLMNOPQRST(21)ABCDEFGHIJ")),
      "at most 48");
  SymbolOptions flat;
  flat.bar_height = 0;
  expect_invalid(RenderGs1_128(Elements("(01)08935000000014"), flat), "bar height");

  core::Result<std::string> png = ToPng(*RenderQr("x"), 0);
  ASSERT_FALSE(png.ok());
  EXPECT_EQ(png.error().code, core::ErrorCode::kInvalidArgument);
  Symbol huge;
  huge.width = huge.height = 10000;
  huge.modules.assign(100000000, 0);
  EXPECT_FALSE(ToPng(huge, 1).ok());
}

// ---------------------------------------------------------------------------------------------
// Sheets

std::vector<LabelContent> Stamps(int count, std::string_view lot = "L1") {
  std::mt19937 rng(42);
  std::vector<LabelContent> labels;
  for (int i = 0; i < count; ++i) {
    const std::string serial = RandomSerial(rng, 12);
    labels.push_back(
        {.code = "https://id.gs1.org/01/08935000000014/10/" + std::string(lot) + "/21/" + serial,
         .product_name = "Cà phê rang xay Buôn Ma Thuột",
         .lot = std::string(lot),
         .expiry = "31/12/2027",
         .short_code = serial.substr(0, 6)});
  }
  return labels;
}

int CountPages(const std::string& pdf) {
  const std::regex page(R"(/Type /Page[^s])");
  return static_cast<int>(
      std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page), std::sregex_iterator()));
}

// Every /MediaBox must be `width` x `height` points.
void ExpectMediaBoxes(const std::string& pdf, double width_mm, double height_mm) {
  const std::regex box(R"(/MediaBox \[ *0 0 ([0-9.]+) ([0-9.]+) *\])");
  int boxes = 0;
  for (auto it = std::sregex_iterator(pdf.begin(), pdf.end(), box); it != std::sregex_iterator();
       ++it) {
    ++boxes;
    EXPECT_NEAR(std::stod((*it)[1]), width_mm * 72 / 25.4, 0.01);
    EXPECT_NEAR(std::stod((*it)[2]), height_mm * 72 / 25.4, 0.01);
  }
  EXPECT_GT(boxes, 0);
}

bool HavePoppler() { return std::system("command -v pdftoppm >/dev/null 2>&1") == 0; }

std::filesystem::path TempDir() {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("vntrace_render_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

void WriteFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Page `page` (1-based) of `pdf` rasterised by pdftoppm as 8-bit gray.
Gray Rasterise(const std::string& pdf, int page, int dpi) {
  const std::filesystem::path dir = TempDir();
  WriteFile(dir / "sheet.pdf", pdf);
  const std::string command = "pdftoppm -r " + std::to_string(dpi) + " -gray -f " +
                              std::to_string(page) + " -l " + std::to_string(page) +
                              " -singlefile " + (dir / "sheet.pdf").string() + " " +
                              (dir / "page").string();
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  const std::string pgm = ReadFile(dir / "page.pgm");
  std::filesystem::remove_all(dir);
  Gray gray;
  std::istringstream header(pgm);
  std::string magic;
  int maxval = 0;
  header >> magic >> gray.width >> gray.height >> maxval;
  EXPECT_EQ(magic, "P5");
  EXPECT_EQ(maxval, 255);
  const std::size_t offset = static_cast<std::size_t>(header.tellg()) + 1;
  const std::size_t size = static_cast<std::size_t>(gray.width) * gray.height;
  EXPECT_EQ(pgm.size(), offset + size);
  gray.pixels.assign(pgm.begin() + static_cast<std::ptrdiff_t>(offset),
                     pgm.begin() + static_cast<std::ptrdiff_t>(offset + size));
  return gray;
}

std::string PdfText(const std::string& pdf) {
  const std::filesystem::path dir = TempDir();
  WriteFile(dir / "sheet.pdf", pdf);
  const std::string command =
      "pdftotext -enc UTF-8 " + (dir / "sheet.pdf").string() + " " + (dir / "sheet.txt").string();
  EXPECT_EQ(std::system(command.c_str()), 0);
  std::string text = ReadFile(dir / "sheet.txt");
  std::filesystem::remove_all(dir);
  return text;
}

// Decodes each label cell of a page image and compares with the labels' codes.
void ExpectPageDecodes(const Gray& page, double dpi, const SheetLayout& layout,
                       std::span<const LabelContent> labels, ZXing::BarcodeFormat format,
                       const std::function<std::string(const LabelContent&)>& expected) {
  const double px = dpi / 25.4;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const int column = static_cast<int>(i) % layout.columns;
    const int row = static_cast<int>(i) / layout.columns;
    const int x = static_cast<int>(
        (layout.margin_left_mm + column * (layout.label_width_mm + layout.gap_x_mm)) * px);
    const int y = static_cast<int>(
        (layout.margin_top_mm + row * (layout.label_height_mm + layout.gap_y_mm)) * px);
    const int w = std::min(static_cast<int>(layout.label_width_mm * px), page.width - x);
    const int h = std::min(static_cast<int>(layout.label_height_mm * px), page.height - y);
    const ZXing::Result result = Decode(page, format, x, y, w, h);
    ASSERT_TRUE(result.isValid()) << "label " << i;
    EXPECT_EQ(result.text(), expected(labels[i])) << "label " << i;
  }
}

std::string CodeOf(const LabelContent& c) { return c.code; }
std::string RawOf(const LabelContent& c) { return gs1::ToRawElementString(Elements(c.code)); }

TEST(RenderSheet, A4PdfHasThePagesAndSizeAsked) {
  const SheetLayout layout = A4Sheet(LabelStock::k70x37);
  EXPECT_EQ(LabelsPerPage(layout), 24);
  const std::vector<LabelContent> labels = Stamps(30);
  core::Result<std::string> pdf = RenderSheet(layout, labels);
  ASSERT_TRUE(pdf.ok()) << pdf.error().ToString();
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  EXPECT_EQ(CountPages(*pdf), 2);
  ExpectMediaBoxes(*pdf, 210, 297);
}

TEST(RenderSheet, EveryLabelStockRendersAndScansFromThePdf) {
  if (!HavePoppler()) {
    GTEST_SKIP() << "pdftoppm (poppler-utils) is not installed; run scripts/install-deps.sh";
  }
  for (LabelStock stock :
       {LabelStock::k30x20, LabelStock::k40x30, LabelStock::k50x30, LabelStock::k70x37}) {
    const SheetLayout layout = A4Sheet(stock);
    ASSERT_TRUE(ValidateLayout(layout).ok()) << ValidateLayout(layout).error().ToString();
    const std::vector<LabelContent> labels = Stamps(LabelsPerPage(layout) + 3);
    core::Result<std::string> pdf = RenderSheet(layout, labels);
    ASSERT_TRUE(pdf.ok()) << pdf.error().ToString();
    EXPECT_EQ(CountPages(*pdf), 2);
    // Page 2 holds the last three labels.
    const Gray page = Rasterise(*pdf, 2, 300);
    EXPECT_NEAR(page.width, 2480, 1);  // 210 mm at 300 dpi
    ExpectPageDecodes(page, 300, layout, std::span(labels).subspan(LabelsPerPage(layout)),
                      ZXing::BarcodeFormat::QRCode, CodeOf);
  }
}

TEST(RenderSheet, FullA4PageScansFromPdfAndFromPngPreview) {
  const SheetLayout layout = A4Sheet(LabelStock::k70x37);
  const std::vector<LabelContent> labels = Stamps(24);
  core::Result<std::string> png = RenderSheetPagePng(layout, labels, 0, 200);
  ASSERT_TRUE(png.ok()) << png.error().ToString();
  ExpectPageDecodes(GrayFromPng(*png), 200, layout, labels, ZXing::BarcodeFormat::QRCode, CodeOf);
  if (!HavePoppler()) {
    GTEST_SKIP() << "pdftoppm (poppler-utils) is not installed; run scripts/install-deps.sh";
  }
  core::Result<std::string> pdf = RenderSheet(layout, labels);
  ASSERT_TRUE(pdf.ok());
  EXPECT_NE(pdf->find("/ImageMask true"), std::string::npos);
  ExpectPageDecodes(Rasterise(*pdf, 1, 200), 200, layout, labels, ZXing::BarcodeFormat::QRCode,
                    CodeOf);
  // The same with vector paths instead of image masks.
  SheetLayout vector = layout;
  vector.vector_symbols = true;
  core::Result<std::string> vector_pdf = RenderSheet(vector, labels);
  ASSERT_TRUE(vector_pdf.ok());
  EXPECT_EQ(vector_pdf->find("/ImageMask true"), std::string::npos);
  ExpectPageDecodes(Rasterise(*vector_pdf, 1, 200), 200, vector, labels,
                    ZXing::BarcodeFormat::QRCode, CodeOf);
  core::Result<std::string> vector_png = RenderSheetPagePng(vector, labels, 0, 200);
  ASSERT_TRUE(vector_png.ok());
  ExpectPageDecodes(GrayFromPng(*vector_png), 200, vector, labels, ZXing::BarcodeFormat::QRCode,
                    CodeOf);
}

TEST(RenderSheet, VietnameseTextIsInThePdf) {
  if (!HavePoppler()) {
    GTEST_SKIP() << "pdftotext (poppler-utils) is not installed; run scripts/install-deps.sh";
  }
  SheetLayout layout = A4Sheet(LabelStock::k70x37);
  const std::vector<LabelContent> labels = Stamps(2, "LÔ-7");
  core::Result<std::string> pdf = RenderSheet(layout, labels);
  ASSERT_TRUE(pdf.ok()) << pdf.error().ToString();
  const std::string text = PdfText(*pdf);
  EXPECT_NE(text.find("Cà phê rang xay Buôn Ma Thuột"), std::string::npos) << text;
  EXPECT_NE(text.find("Lô: LÔ-7"), std::string::npos) << text;
  EXPECT_NE(text.find("HSD: 31/12/2027"), std::string::npos) << text;
  EXPECT_NE(text.find("Mã: " + labels[1].short_code), std::string::npos) << text;
}

TEST(RenderSheet, RollLabelsOnePerPageOfTheLabelsSize) {
  const SheetLayout layout = RollLayout(50, 30);
  const std::vector<LabelContent> labels = Stamps(3);
  core::Result<std::string> pdf = RenderSheet(layout, labels);
  ASSERT_TRUE(pdf.ok()) << pdf.error().ToString();
  EXPECT_EQ(CountPages(*pdf), 3);
  ExpectMediaBoxes(*pdf, 50, 30);
  if (!HavePoppler()) {
    GTEST_SKIP() << "pdftoppm (poppler-utils) is not installed; run scripts/install-deps.sh";
  }
  for (int p = 0; p < 3; ++p) {
    ExpectPageDecodes(Rasterise(*pdf, p + 1, 300), 300, layout,
                      std::span(labels).subspan(static_cast<std::size_t>(p), 1),
                      ZXing::BarcodeFormat::QRCode, CodeOf);
  }
  // A portrait roll label puts the text below the symbol.
  const SheetLayout tall = RollLayout(30, 45);
  core::Result<std::string> tall_png = RenderSheetPagePng(tall, labels, 2, 300);
  ASSERT_TRUE(tall_png.ok()) << tall_png.error().ToString();
  ExpectPageDecodes(GrayFromPng(*tall_png), 300, tall, std::span(labels).subspan(2),
                    ZXing::BarcodeFormat::QRCode, CodeOf);
}

TEST(RenderSheet, DataMatrixAndGs1_128SheetsScan) {
  std::vector<LabelContent> labels = Stamps(5);
  SheetLayout dm = A4Sheet(LabelStock::k40x30);
  dm.symbology = Symbology::kDataMatrix;
  dm.quiet_zone_modules = 2;
  core::Result<std::string> dm_png = RenderSheetPagePng(dm, labels, 0, 300);
  ASSERT_TRUE(dm_png.ok()) << dm_png.error().ToString();
  ExpectPageDecodes(GrayFromPng(*dm_png), 300, dm, labels, ZXing::BarcodeFormat::DataMatrix, RawOf);

  for (LabelContent& c : labels) {
    c.code = "(01)08935000000014(17)271231(10)" + c.short_code;
  }
  SheetLayout bars = A4Sheet(LabelStock::k70x37);
  bars.symbology = Symbology::kGs1_128;
  core::Result<std::string> bars_png = RenderSheetPagePng(bars, labels, 0, 300);
  ASSERT_TRUE(bars_png.ok()) << bars_png.error().ToString();
  ExpectPageDecodes(GrayFromPng(*bars_png), 300, bars, labels, ZXing::BarcodeFormat::Code128,
                    RawOf);

  if (!HavePoppler()) {
    GTEST_SKIP() << "pdftoppm (poppler-utils) is not installed; run scripts/install-deps.sh";
  }
  core::Result<std::string> dm_pdf = RenderSheet(dm, Stamps(5));
  ASSERT_TRUE(dm_pdf.ok());
  ExpectPageDecodes(Rasterise(*dm_pdf, 1, 300), 300, dm, Stamps(5),
                    ZXing::BarcodeFormat::DataMatrix, RawOf);
  core::Result<std::string> bars_pdf = RenderSheet(bars, labels);
  ASSERT_TRUE(bars_pdf.ok());
  ExpectPageDecodes(Rasterise(*bars_pdf, 1, 300), 300, bars, labels, ZXing::BarcodeFormat::Code128,
                    RawOf);
}

TEST(RenderSheet, ConfigurableSymbolSizeAndThreadCountGiveTheSameSymbols) {
  SheetLayout layout = A4Sheet(LabelStock::k70x37);
  layout.symbol_size_mm = 25;
  layout.quiet_zone_modules = 6;
  layout.qr_error_correction = QrErrorCorrection::kQ;
  const std::vector<LabelContent> labels = Stamps(80);
  layout.threads = 1;
  core::Result<std::string> one = RenderSheet(layout, labels);
  layout.threads = 2;
  core::Result<std::string> two = RenderSheet(layout, labels);
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_EQ(CountPages(*one), 4);
  EXPECT_EQ(CountPages(*two), 4);
  core::Result<std::string> png = RenderSheetPagePng(layout, labels, 3, 200);
  ASSERT_TRUE(png.ok());
  ExpectPageDecodes(GrayFromPng(*png), 200, layout, std::span(labels).subspan(72),
                    ZXing::BarcodeFormat::QRCode, CodeOf);
}

TEST(RenderSheet, InvalidLayoutsAndLabelsAreInvalidArgumentNamingTheField) {
  const std::vector<LabelContent> labels = Stamps(3);
  const auto expect_invalid = [&](const SheetLayout& layout, std::span<const LabelContent> l,
                                  std::string_view says, std::string_view field) {
    core::Result<std::string> pdf = RenderSheet(layout, l);
    ASSERT_FALSE(pdf.ok()) << says;
    EXPECT_EQ(pdf.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_NE(pdf.error().message.find(says), std::string::npos) << pdf.error().message;
    EXPECT_EQ(pdf.error().details, field) << pdf.error().message;
  };
  SheetLayout l = A4Sheet(LabelStock::k70x37);
  l.columns = 4;
  expect_invalid(l, labels, "the page is 210 mm wide", "columns");
  l = A4Sheet(LabelStock::k70x37);
  l.rows = 9;
  expect_invalid(l, labels, "the page is 297 mm high", "rows");
  l = A4Sheet(LabelStock::k70x37);
  l.label_width_mm = -1;
  expect_invalid(l, labels, "label_width_mm must be a positive", "label_width_mm");
  l = A4Sheet(LabelStock::k70x37);
  l.label_height_mm = std::nan("");
  expect_invalid(l, labels, "label_height_mm", "label_height_mm");
  l = A4Sheet(LabelStock::k70x37);
  l.symbol_size_mm = 40;
  expect_invalid(l, labels, "a 40 mm symbol", "symbol_size_mm");
  l = A4Sheet(LabelStock::k70x37);
  l.padding_mm = 20;
  expect_invalid(l, labels, "leaves no room", "padding_mm");
  l = A4Sheet(LabelStock::k70x37);
  l.threads = 0;
  expect_invalid(l, labels, "threads", "threads");
  l = A4Sheet(LabelStock::k70x37);
  l.font_family = "";
  expect_invalid(l, labels, "font_family", "font_family");
  l = A4Sheet(LabelStock::k70x37);
  l.quiet_zone_modules = 2;  // below QR's 4
  expect_invalid(l, labels, "quiet zone of 2 modules", "labels[0].code");

  l = A4Sheet(LabelStock::k70x37);
  expect_invalid(l, {}, "no labels", "labels");
  std::vector<LabelContent> bad = labels;
  bad[1].code.clear();
  expect_invalid(l, bad, "label 1: code is empty", "labels[1].code");
  bad = labels;
  bad[2].product_name = "C\xC3";
  expect_invalid(l, bad, "label 2: product_name is not valid UTF-8", "labels[2].product_name");
  bad = labels;
  bad[0].code = std::string(2000, 'a');
  expect_invalid(l, bad, "label 0: code is 2000 bytes", "labels[0].code");

  // A 300-character link in a QR Code on a 30x20 mm label: modules too small to print.
  SheetLayout small = A4Sheet(LabelStock::k30x20);
  bad = labels;
  bad[1].code = DigitalLinks().back();
  expect_invalid(small, bad, "under the 0.190 mm minimum", "labels[1].code");

  // A GS1 symbology needs GS1 data; GS1-128 refuses data over 48 characters.
  SheetLayout dm = A4Sheet(LabelStock::k70x37);
  dm.symbology = Symbology::kDataMatrix;
  bad = labels;
  bad[2].code = "https://example.com/not-a-digital-link";
  expect_invalid(dm, bad, "label 2: code is not GS1 data", "labels[2].code");
  SheetLayout bars = A4Sheet(LabelStock::k70x37);
  bars.symbology = Symbology::kGs1_128;
  bad = labels;
  bad[0].code += "?17=271231&11=260101";
  expect_invalid(bars, bad, "label 0:", "labels[0].code");

  core::Result<std::string> png = RenderSheetPagePng(l, labels, 1, 300);
  ASSERT_FALSE(png.ok());
  EXPECT_EQ(png.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(RenderSheetPagePng(l, labels, 0, 10).ok());
}

}  // namespace
}  // namespace vntrace::label::render
