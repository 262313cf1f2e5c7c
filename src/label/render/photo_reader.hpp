// Reading GS1 and QR codes from a photo of a stamp or a pack, for the inspector who uploads a
// picture instead of using the phone's camera in the browser: JPEG (libjpeg-turbo) or PNG
// (cairo), recognised by their first bytes, decoded to luminance and read with zxing-cpp (QR
// Code, DataMatrix, Code 128, EAN/UPC). Best with the code filling a good part of the picture,
// as an inspector photographs a stamp: a small DataMatrix far from the centre of a large photo
// may be missed (zxing-cpp 1.4 looks for it from the centre; overlapping windows help only so
// far).
//
// A code with GS1 content (GS1 DataMatrix, GS1 QR, GS1-128) comes back as its raw element string
// prefixed with the symbology identifier ("]d2010952…\x1d10…"), which gs1::ParseElementString
// reads; other codes (a Digital Link URL in a plain QR code, a short code) as their UTF-8 text.
//
// Example:
//   core::Result<std::vector<PhotoCode>> codes = ReadCodesFromPhoto(upload.content);
//   if (codes.ok() && !codes->empty()) Check(codes->front().text);
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace vntrace::label::render {

// Phone cameras write 12 megapixels by default (their 48–50 MP modes are opt-in); a larger image
// is refused before it is decoded, so that an upload cannot cost more than a second or two.
inline constexpr std::size_t kMaxPhotoPixels = 24'000'000;

struct PhotoCode {
  std::string text{};    // as described above
  std::string format{};  // zxing's name of the symbology: "QRCode", "DataMatrix", "Code128", ...
  bool gs1 = false;      // GS1 content (text is an element string with its symbology identifier)
  friend bool operator==(const PhotoCode&, const PhotoCode&) = default;
};

// Every distinct code found, in reading order (top to bottom, left to right); empty when the
// photo shows none. Errors (kInvalidArgument, Error::details "photo.type" or "photo.image"): not
// a JPEG or PNG, a damaged image, or more than `max_pixels` pixels.
core::Result<std::vector<PhotoCode>> ReadCodesFromPhoto(std::string_view bytes,
                                                        std::size_t max_pixels = kMaxPhotoPixels);

}  // namespace vntrace::label::render
