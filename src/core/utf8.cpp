#include "core/utf8.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <cstring>

namespace vntrace::core {
namespace {

// The length of the well-formed sequence starting at text[pos], or 0 when none starts there.
// Ranges from the Unicode Standard, table 3-7.
std::size_t SequenceLength(std::string_view text, std::size_t pos) {
  const auto at = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const std::size_t available = text.size() - pos;
  const unsigned char lead = at(0);
  if (lead < 0x80) {
    return 1;
  }
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  std::size_t length = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead == 0xE0) {
    length = 3;
    second_min = 0xA0;  // below is an overlong 2-byte value
  } else if (lead >= 0xE1 && lead <= 0xEC) {
    length = 3;
  } else if (lead == 0xED) {
    length = 3;
    second_max = 0x9F;  // above are the surrogates U+D800-U+DFFF
  } else if (lead >= 0xEE && lead <= 0xEF) {
    length = 3;
  } else if (lead == 0xF0) {
    length = 4;
    second_min = 0x90;  // below is an overlong 3-byte value
  } else if (lead >= 0xF1 && lead <= 0xF3) {
    length = 4;
  } else if (lead == 0xF4) {
    length = 4;
    second_max = 0x8F;  // above is beyond U+10FFFF
  } else {
    return 0;  // a continuation byte, C0/C1 (always overlong) or F5-FF
  }
  if (available < length) {
    return 0;
  }
  if (at(1) < second_min || at(1) > second_max) {
    return 0;
  }
  for (std::size_t i = 2; i < length; ++i) {
    if (at(i) < 0x80 || at(i) > 0xBF) {
      return 0;
    }
  }
  return length;
}

}  // namespace

std::optional<std::size_t> Utf8ErrorOffset(std::string_view text) {
  constexpr std::uint64_t kHighBits = 0x8080808080808080;
  std::size_t pos = 0;
  while (pos < text.size()) {
    // Skip eight ASCII bytes at a time: most text in this system is mostly ASCII.
    if (text.size() - pos >= 8) {
      std::uint64_t block = 0;
      std::memcpy(&block, text.data() + pos, sizeof(block));
      if ((block & kHighBits) == 0) {
        pos += 8;
        continue;
      }
    }
    const std::size_t length = SequenceLength(text, pos);
    if (length == 0) {
      return pos;
    }
    pos += length;
  }
  return std::nullopt;
}

bool IsValidUtf8(std::string_view text) { return !Utf8ErrorOffset(text).has_value(); }

Status CheckUtf8(std::string_view text, std::string_view what) {
  if (const std::optional<std::size_t> offset = Utf8ErrorOffset(text)) {
    return InvalidArgument(fmt::format("{} is not valid UTF-8 at byte offset {}", what, *offset),
                           fmt::format("offset={}", *offset));
  }
  return Ok();
}

}  // namespace vntrace::core
