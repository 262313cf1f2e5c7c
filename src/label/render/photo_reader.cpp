#include "label/render/photo_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include <cairo.h>
#include <turbojpeg.h>

#include <ZXing/ReadBarcode.h>

#include "label/render/cairo_support.hpp"

namespace vntrace::label::render {
namespace {

// A photo as 8-bit luminance, one byte per pixel, rows without padding.
struct Luminance {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels{};
};

// Phone photos are decoded at the largest libjpeg-turbo scale that keeps the long side at or
// under this many pixels first: a stamp filling part of a 12-megapixel photo still has modules
// of several pixels there, and the read takes a fraction of the time. Full size is tried when
// the smaller image shows no code.
constexpr int kFirstPassLongSide = 2048;

core::Error BadImage(std::string_view why) {
  return core::InvalidArgument(std::string("the photo could not be read: ") + std::string(why),
                               "photo.image");
}

core::Error TooLarge(std::size_t max_pixels) {
  return core::InvalidArgument(
      "the photo has more than " + std::to_string(max_pixels / 1'000'000) + " megapixels",
      "photo.image");
}

struct TurboDeleter {
  void operator()(void* handle) const { tjDestroy(handle); }
};

core::Result<Luminance> DecodeJpeg(std::string_view bytes, bool reduced, std::size_t max_pixels) {
  std::unique_ptr<void, TurboDeleter> tj(tjInitDecompress());
  if (!tj) return core::Internal("libjpeg-turbo: cannot start a decompressor");
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  int width = 0;
  int height = 0;
  int subsampling = 0;
  int colorspace = 0;
  if (tjDecompressHeader3(tj.get(), data, static_cast<unsigned long>(bytes.size()), &width, &height,
                          &subsampling, &colorspace) != 0) {
    return BadImage(tjGetErrorStr2(tj.get()));
  }
  if (width <= 0 || height <= 0 ||
      static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) > max_pixels) {
    return TooLarge(max_pixels);
  }
  int out_w = width;
  int out_h = height;
  if (reduced) {
    int count = 0;
    const tjscalingfactor* factors = tjGetScalingFactors(&count);
    // The factors come largest first; keep the last (smallest) that leaves the long side at or
    // above the first-pass size, so that small symbols keep enough pixels per module.
    for (int i = 0; factors != nullptr && i < count; ++i) {
      if (factors[i].num > factors[i].denom) continue;  // never enlarge
      const int w = TJSCALED(width, factors[i]);
      const int h = TJSCALED(height, factors[i]);
      if (std::max(w, h) < kFirstPassLongSide) continue;
      if (static_cast<std::int64_t>(w) * h < static_cast<std::int64_t>(out_w) * out_h) {
        out_w = w;
        out_h = h;
      }
    }
  }
  Luminance image{.width = out_w,
                  .height = out_h,
                  .pixels = std::vector<std::uint8_t>(static_cast<std::size_t>(out_w) * out_h)};
  if (tjDecompress2(tj.get(), data, static_cast<unsigned long>(bytes.size()), image.pixels.data(),
                    out_w, out_w, out_h, TJPF_GRAY, TJFLAG_ACCURATEDCT) != 0 &&
      tjGetErrorCode(tj.get()) == TJERR_FATAL) {
    return BadImage(tjGetErrorStr2(tj.get()));
  }
  return image;
}

struct PngSource {
  std::string_view bytes;
  std::size_t offset = 0;
};

cairo_status_t ReadPng(void* closure, unsigned char* data, unsigned int length) {
  auto* source = static_cast<PngSource*>(closure);
  if (source->bytes.size() - source->offset < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, source->bytes.data() + source->offset, length);
  source->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

// The PNG's width and height from its IHDR chunk, read before cairo allocates the pixels.
std::optional<std::pair<std::uint32_t, std::uint32_t>> PngSize(std::string_view bytes) {
  if (bytes.size() < 24 || bytes.substr(12, 4) != "IHDR") return std::nullopt;
  auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
  };
  return std::make_pair(be32(16), be32(20));
}

core::Result<Luminance> DecodePng(std::string_view bytes, std::size_t max_pixels) {
  const auto size = PngSize(bytes);
  if (!size) return BadImage("the PNG has no header");
  if (size->first == 0 || size->second == 0 ||
      static_cast<std::uint64_t>(size->first) * size->second > max_pixels) {
    return TooLarge(max_pixels);
  }
  PngSource source{.bytes = bytes};
  std::unique_ptr<cairo_surface_t, CairoDeleter> surface(
      cairo_image_surface_create_from_png_stream(&ReadPng, &source));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return BadImage(cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  // Whatever the PNG's colour type, paint it over white into one ARGB32 surface, so that
  // transparent areas read as paper.
  const int width = cairo_image_surface_get_width(surface.get());
  const int height = cairo_image_surface_get_height(surface.get());
  std::unique_ptr<cairo_surface_t, CairoDeleter> flat(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
  {
    std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(flat.get()));
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_paint(cr.get());
    cairo_set_source_surface(cr.get(), surface.get(), 0, 0);
    cairo_paint(cr.get());
  }
  cairo_surface_flush(flat.get());
  if (cairo_surface_status(flat.get()) != CAIRO_STATUS_SUCCESS) {
    return BadImage(cairo_status_to_string(cairo_surface_status(flat.get())));
  }
  const unsigned char* rows = cairo_image_surface_get_data(flat.get());
  const int stride = cairo_image_surface_get_stride(flat.get());
  Luminance image{.width = width,
                  .height = height,
                  .pixels = std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height)};
  for (int y = 0; y < height; ++y) {
    const auto* row =
        reinterpret_cast<const std::uint32_t*>(rows + static_cast<std::size_t>(y) * stride);
    for (int x = 0; x < width; ++x) {
      const std::uint32_t p = row[x];
      const unsigned r = (p >> 16) & 0xff;
      const unsigned g = (p >> 8) & 0xff;
      const unsigned b = p & 0xff;
      // ITU-R BT.601 luma in integer arithmetic.
      image.pixels[static_cast<std::size_t>(y) * width + x] =
          static_cast<std::uint8_t>((299 * r + 587 * g + 114 * b) / 1000);
    }
  }
  return image;
}

struct Found {
  PhotoCode code;
  int x = 0;  // top-left corner in the whole image
  int y = 0;
};

void Collect(const ZXing::Results& results, int left, int top, std::vector<Found>& found) {
  for (const ZXing::Result& r : results) {
    if (!r.isValid()) continue;
    PhotoCode code{.format = ZXing::ToString(r.format()),
                   .gs1 = r.contentType() == ZXing::ContentType::GS1};
    code.text = code.gs1 ? r.symbologyIdentifier() + r.text() : r.text();
    if (code.text.empty()) continue;
    if (std::any_of(found.begin(), found.end(), [&](const Found& f) { return f.code == code; })) {
      continue;
    }
    const ZXing::PointI corner = r.position().topLeft();
    found.push_back({.code = std::move(code), .x = left + corner.x, .y = top + corner.y});
  }
}

std::vector<PhotoCode> Read(const Luminance& image) {
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode | ZXing::BarcodeFormat::DataMatrix |
                   ZXing::BarcodeFormat::Code128 | ZXing::BarcodeFormat::EAN13 |
                   ZXing::BarcodeFormat::EAN8 | ZXing::BarcodeFormat::UPCA);
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  const ZXing::ImageView view(image.pixels.data(), image.width, image.height,
                              ZXing::ImageFormat::Lum, image.width);
  std::vector<Found> found;
  Collect(ZXing::ReadBarcodes(view, hints), 0, 0, found);
  // zxing-cpp 1.4 looks for a DataMatrix symbol from the centre of the image outwards and misses
  // one that lies away from it, as a stamp does in a photo of a whole pack. When the whole image
  // shows no DataMatrix, windows of half and then a quarter of its size, overlapping by half,
  // are searched in turn until one level finds a symbol.
  const auto has_data_matrix = [&] {
    return std::any_of(found.begin(), found.end(),
                       [](const Found& f) { return f.code.format == "DataMatrix"; });
  };
  ZXing::DecodeHints dm_hints;
  dm_hints.setFormats(ZXing::BarcodeFormat::DataMatrix);
  dm_hints.setTryHarder(true);
  for (int parts = 2; parts <= 4 && !has_data_matrix(); parts *= 2) {
    const int w = image.width / parts;
    const int h = image.height / parts;
    if (w < 64 || h < 64) break;
    for (int top = 0; top + h <= image.height; top += h / 2) {
      for (int left = 0; left + w <= image.width; left += w / 2) {
        Collect(ZXing::ReadBarcodes(view.cropped(left, top, w, h), dm_hints), left, top, found);
      }
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return a.y != b.y ? a.y < b.y : a.x < b.x;
  });
  std::vector<PhotoCode> codes;
  codes.reserve(found.size());
  for (Found& f : found) codes.push_back(std::move(f.code));
  return codes;
}

}  // namespace

core::Result<std::vector<PhotoCode>> ReadCodesFromPhoto(std::string_view bytes,
                                                        std::size_t max_pixels) {
  const bool jpeg = bytes.size() >= 3 && bytes.substr(0, 3) == "\xFF\xD8\xFF";
  const bool png = bytes.size() >= 8 && bytes.substr(0, 8) == "\x89PNG\r\n\x1A\n";
  if (!jpeg && !png) {
    return core::InvalidArgument("the photo must be a JPEG or PNG image", "photo.type");
  }
  if (png) {
    VNTRACE_ASSIGN_OR_RETURN(Luminance image, DecodePng(bytes, max_pixels));
    return Read(image);
  }
  VNTRACE_ASSIGN_OR_RETURN(Luminance reduced, DecodeJpeg(bytes, /*reduced=*/true, max_pixels));
  std::vector<PhotoCode> codes = Read(reduced);
  if (!codes.empty()) return codes;
  VNTRACE_ASSIGN_OR_RETURN(Luminance full, DecodeJpeg(bytes, /*reduced=*/false, max_pixels));
  if (full.width == reduced.width) return codes;  // the first pass was already full size
  return Read(full);
}

}  // namespace vntrace::label::render
