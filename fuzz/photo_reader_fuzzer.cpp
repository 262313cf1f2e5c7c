// Fuzzes the inspector's photo reader (label/render/photo_reader.hpp): any bytes are refused with
// a precise error or read, never crash; the pixel limit is enforced before decoding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "label/render/photo_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // At most 1 megapixel, so that each input is read in well under libFuzzer's timeout.
  auto codes = vntrace::label::render::ReadCodesFromPhoto(input, 1'000'000);
  if (!codes.ok() && codes.error().details != "photo.type" &&
      codes.error().details != "photo.image") {
    std::abort();  // an error callers cannot show beside the field
  }
  return 0;
}
