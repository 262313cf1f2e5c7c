#include "core/utf8.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

namespace vntrace::core {
namespace {

using std::string_view_literals::operator""sv;

TEST(Utf8Test, AcceptsWellFormedText) {
  const std::string_view kCases[] = {
      ""sv,
      "plain ASCII, longer than eight bytes"sv,
      "\0"sv,                // U+0000 is well-formed
      "\x7F"sv,              // the last 1-byte value
      "\xC2\x80"sv,          // U+0080, the first 2-byte value
      "\xDF\xBF"sv,          // U+07FF
      "\xE0\xA0\x80"sv,      // U+0800, the first 3-byte value
      "\xED\x9F\xBF"sv,      // U+D7FF, just below the surrogates
      "\xEE\x80\x80"sv,      // U+E000, just above them
      "\xEF\xBF\xBF"sv,      // U+FFFF
      "\xEF\xBB\xBF"sv,      // a byte-order mark is a character like any other
      "\xF0\x90\x80\x80"sv,  // U+10000, the first 4-byte value
      "\xF4\x8F\xBF\xBF"sv,  // U+10FFFF, the last code point
      "Truy xu\xE1\xBA\xA5t ngu\xE1\xBB\x93n g\xE1\xBB\x91\x63"sv,    // "Truy xuất nguồn gốc"
      "H\xC3\xA0 N\xE1\xBB\x99i \xF0\x9F\x87\xBB\xF0\x9F\x87\xB3"sv,  // "Hà Nội 🇻🇳"
  };
  for (std::string_view text : kCases) {
    SCOPED_TRACE(testing::PrintToString(std::string(text)));
    EXPECT_TRUE(IsValidUtf8(text));
    EXPECT_EQ(Utf8ErrorOffset(text), std::nullopt);
    EXPECT_TRUE(CheckUtf8(text, "text").ok());
  }
}

struct InvalidCase {
  std::string_view text;
  std::size_t offset;
};

TEST(Utf8Test, RejectsIllFormedTextAtTheStartOfTheBadSequence) {
  const InvalidCase kCases[] = {
      {"\x80"sv, 0},                      // a lone continuation byte
      {"ab\xBF"sv, 2},                    // the last continuation byte
      {"\xC0\x80"sv, 0},                  // overlong U+0000 ("modified UTF-8")
      {"\xC1\xBF"sv, 0},                  // overlong U+007F
      {"\xE0\x80\x80"sv, 0},              // overlong U+0000 in three bytes
      {"\xE0\x9F\xBF"sv, 0},              // overlong U+07FF
      {"\xF0\x80\x80\x80"sv, 0},          // overlong in four bytes
      {"\xF0\x8F\xBF\xBF"sv, 0},          // overlong U+FFFF
      {"\xED\xA0\x80"sv, 0},              // U+D800, a high surrogate
      {"\xED\xBF\xBF"sv, 0},              // U+DFFF, a low surrogate
      {"\xED\xA0\xBD\xED\xB2\xA9"sv, 0},  // a CESU-8 surrogate pair
      {"\xF4\x90\x80\x80"sv, 0},          // U+110000
      {"\xF5\x80\x80\x80"sv, 0},          // F5 never starts a sequence
      {"\xFE"sv, 0},
      {"\xFF"sv, 0},
      {"a\xE2\x82"sv, 1},     // a truncated euro sign at the end
      {"a\xE2\x82z"sv, 1},    // a truncated euro sign followed by ASCII
      {"\xC3"sv, 0},          // a lead byte with nothing after it
      {"\xC3\xC3\xA9"sv, 0},  // a lead byte followed by another lead byte
      {"\xF0\x9F\x87"sv, 0},  // three bytes of a four-byte sequence
      {"\xF0\x9F\x87\xBB\xF0\x9F\x87"sv, 4},
      {"0123456789abcdef\xE2\x82\xAC\x80"sv, 19},  // after the ASCII fast path and a euro sign
      {"01234567\xC3\xA9"
       "89abcdef\xC0"sv,
       18},
      {"\0\0\0\0\0\0\0\0\x80"sv, 8},
  };
  for (const InvalidCase& c : kCases) {
    SCOPED_TRACE(testing::PrintToString(std::string(c.text)));
    EXPECT_FALSE(IsValidUtf8(c.text));
    EXPECT_EQ(Utf8ErrorOffset(c.text), c.offset);
    // The prefix before the offset is always well-formed.
    EXPECT_TRUE(IsValidUtf8(c.text.substr(0, c.offset)));
  }
}

TEST(Utf8Test, AgreesWithADecoderOnEveryTwoAndThreeByteSequence) {
  // A slow reference: decode the sequence and check it is the shortest form of a scalar value.
  const auto reference_ok = [](std::string_view s) {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    if (s.size() == 2) {
      if ((b(0) & 0xE0) != 0xC0 || (b(1) & 0xC0) != 0x80) {
        return false;
      }
      const unsigned cp = ((b(0) & 0x1Fu) << 6) | (b(1) & 0x3Fu);
      return cp >= 0x80;
    }
    if ((b(0) & 0xF0) != 0xE0 || (b(1) & 0xC0) != 0x80 || (b(2) & 0xC0) != 0x80) {
      return false;
    }
    const unsigned cp = ((b(0) & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
    return cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF);
  };
  for (unsigned first = 0xC0; first <= 0xEF; ++first) {
    for (unsigned second = 0; second <= 0xFF; ++second) {
      const std::string two{static_cast<char>(first), static_cast<char>(second)};
      if (first < 0xE0) {
        ASSERT_EQ(IsValidUtf8(two), reference_ok(two)) << std::hex << first << " " << second;
        continue;
      }
      for (unsigned third = 0x70; third <= 0xC0; ++third) {
        const std::string three = two + static_cast<char>(third);
        ASSERT_EQ(IsValidUtf8(three), reference_ok(three))
            << std::hex << first << " " << second << " " << third;
      }
    }
  }
}

TEST(Utf8Test, CheckUtf8NamesTheFieldAndOffset) {
  const Status status = CheckUtf8("ok \xC3\x28", "product name");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message, "product name is not valid UTF-8 at byte offset 3");
  EXPECT_EQ(status.error().details, "offset=3");
}

}  // namespace
}  // namespace vntrace::core
