// Codes read back from photos: PNGs of our own symbols, the same symbols drawn small on a large
// JPEG "photo" (grey paper, a second code beside the first), and refusals of what is not a photo.
#include "label/render/photo_reader.hpp"

#include <gtest/gtest.h>
#include <turbojpeg.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <cairo.h>

#include "gs1/element_string.hpp"
#include "label/render/cairo_support.hpp"
#include "label/render/symbol.hpp"

namespace vntrace::label::render {
namespace {

constexpr std::string_view kLink = "https://id.gs1.org/01/09520123456788/10/ABC1/21/X7Q2M9K4TZ";

// A grey "photo" of `width` × `height` pixels with each symbol drawn at (x, y) with `scale`
// pixels per module, as luminance.
struct Placed {
  const Symbol* symbol;
  int x;
  int y;
  int scale;
};

std::vector<std::uint8_t> Photo(int width, int height, const std::vector<Placed>& placed) {
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width) * height, 200);
  for (const Placed& p : placed) {
    const int quiet = 4 * p.scale;
    const int w = p.symbol->width * p.scale + 2 * quiet;
    const int h = p.symbol->height * p.scale + 2 * quiet;
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        const int mx = (x - quiet) / p.scale;
        const int my = (y - quiet) / p.scale;
        const bool inside =
            x >= quiet && y >= quiet && mx < p.symbol->width && my < p.symbol->height;
        const bool dark = inside && p.symbol->Dark(mx, my);
        pixels[static_cast<std::size_t>(p.y + y) * width + p.x + x] = dark ? 20 : 245;
      }
    }
  }
  return pixels;
}

std::string Jpeg(const std::vector<std::uint8_t>& gray, int width, int height) {
  std::unique_ptr<void, decltype(&tjDestroy)> tj(tjInitCompress(), &tjDestroy);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  EXPECT_EQ(tjCompress2(tj.get(), gray.data(), width, width, height, TJPF_GRAY, &out, &size,
                        TJSAMP_GRAY, 85, 0),
            0)
      << tjGetErrorStr2(tj.get());
  std::string bytes(reinterpret_cast<const char*>(out), size);
  tjFree(out);
  return bytes;
}

TEST(PhotoReaderTest, ReadsAQrCodePng) {
  core::Result<Symbol> qr = RenderQr(kLink);
  ASSERT_TRUE(qr.ok()) << qr.error().ToString();
  core::Result<std::string> png = ToPng(*qr, 6);
  ASSERT_TRUE(png.ok());
  core::Result<std::vector<PhotoCode>> codes = ReadCodesFromPhoto(*png);
  ASSERT_TRUE(codes.ok()) << codes.error().ToString();
  ASSERT_EQ(codes->size(), 1u);
  EXPECT_EQ(codes->front().text, kLink);
  EXPECT_EQ(codes->front().format, "QRCode");
  EXPECT_FALSE(codes->front().gs1);
}

TEST(PhotoReaderTest, ReadsGs1DataMatrixAsAnElementStringTheToolkitParses) {
  core::Result<gs1::AiElements> elements =
      gs1::ParseElementString("(01)09520123456788(17)271231(10)ABC1");
  ASSERT_TRUE(elements.ok());
  core::Result<Symbol> dm = RenderDataMatrix(*elements);
  ASSERT_TRUE(dm.ok()) << dm.error().ToString();
  core::Result<std::string> png = ToPng(*dm, 8);
  ASSERT_TRUE(png.ok());
  core::Result<std::vector<PhotoCode>> codes = ReadCodesFromPhoto(*png);
  ASSERT_TRUE(codes.ok()) << codes.error().ToString();
  ASSERT_EQ(codes->size(), 1u);
  EXPECT_TRUE(codes->front().gs1);
  EXPECT_TRUE(codes->front().text.starts_with("]d2")) << codes->front().text;
  core::Result<gs1::AiElements> read = gs1::ParseElementString(codes->front().text);
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_EQ(gs1::ToBracketedElementString(*read), "(01)09520123456788(17)271231(10)ABC1");
}

TEST(PhotoReaderTest, ReadsSmallSymbolsOnALargeJpegInReadingOrder) {
  core::Result<Symbol> qr = RenderQr(kLink);
  core::Result<gs1::AiElements> elements = gs1::ParseElementString("(01)09520123456788(10)LOT-7");
  ASSERT_TRUE(qr.ok() && elements.ok());
  core::Result<Symbol> dm = RenderDataMatrix(*elements);
  ASSERT_TRUE(dm.ok());
  // 4000 × 3000 like a phone camera; the QR code below the DataMatrix.
  const int width = 4000;
  const int height = 3000;
  const std::vector<std::uint8_t> gray =
      Photo(width, height, {{&*qr, 1500, 1700, 9}, {&*dm, 2200, 600, 10}});
  const std::string jpeg = Jpeg(gray, width, height);
  core::Result<std::vector<PhotoCode>> codes = ReadCodesFromPhoto(jpeg);
  ASSERT_TRUE(codes.ok()) << codes.error().ToString();
  ASSERT_EQ(codes->size(), 2u) << codes->front().format << " " << codes->front().text;
  EXPECT_EQ(codes->at(0).format, "DataMatrix");
  EXPECT_TRUE(codes->at(0).text.starts_with("]d201095201234567881"));
  EXPECT_EQ(codes->at(1).text, kLink);
}

TEST(PhotoReaderTest, APhotoWithoutACodeGivesNone) {
  const std::vector<std::uint8_t> gray = Photo(640, 480, {});
  core::Result<std::vector<PhotoCode>> codes = ReadCodesFromPhoto(Jpeg(gray, 640, 480));
  ASSERT_TRUE(codes.ok()) << codes.error().ToString();
  EXPECT_TRUE(codes->empty());
}

TEST(PhotoReaderTest, RefusesWhatIsNotAJpegOrPng) {
  core::Result<std::vector<PhotoCode>> gif = ReadCodesFromPhoto("GIF89a\x01\x00\x01\x00");
  ASSERT_FALSE(gif.ok());
  EXPECT_EQ(gif.error().details, "photo.type");
  EXPECT_EQ(ReadCodesFromPhoto("").error().details, "photo.type");
  // A JPEG cut after its first bytes, a PNG without its chunks.
  EXPECT_EQ(ReadCodesFromPhoto("\xFF\xD8\xFF\xE0\x00\x10JFIF").error().details, "photo.image");
  EXPECT_EQ(ReadCodesFromPhoto(std::string("\x89PNG\r\n\x1A\n", 8)).error().details, "photo.image");
}

TEST(PhotoReaderTest, RefusesAnImageLargerThanTheLimitBeforeDecodingIt) {
  // A PNG header announcing 100000 × 100000 pixels.
  std::string png("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR", 16);
  const std::uint32_t side = 100000;
  for (int i = 0; i < 2; ++i) {
    for (int shift = 24; shift >= 0; shift -= 8) png.push_back(static_cast<char>(side >> shift));
  }
  png += std::string("\x08\x00\x00\x00\x00", 5);
  core::Result<std::vector<PhotoCode>> codes = ReadCodesFromPhoto(png);
  ASSERT_FALSE(codes.ok());
  EXPECT_EQ(codes.error().details, "photo.image");
  EXPECT_NE(codes.error().message.find("24 megapixels"), std::string::npos);
}

}  // namespace
}  // namespace vntrace::label::render
