#include "gs1/element_string.hpp"

#include <gtest/gtest.h>

namespace vntrace::gs1 {
namespace {

constexpr char kGs = kGroupSeparator;

struct Case {
  std::string input;
  bool valid;
  std::string expected;  // bracketed form when valid, else a fragment of the message
};

TEST(ElementString, ParseTable) {
  const Case cases[] = {
      {"(01)08935001200017(10)L01", true, "(01)08935001200017(10)L01"},
      {"(01)08935001200017(17)261231(10)KQ-2026(21)A1", true,
       "(01)08935001200017(17)261231(10)KQ-2026(21)A1"},
      {"(01)08935001200018", false, "AI (01): invalid check digit"},
      {"(01)08935001200017(99)", false, "AI (99) at position 19 has no value"},
      {"(89)123", false, "unknown AI (89) at position 1"},
      {"(01)08935001200017(10)L01(10)L02", false, "twice with different values"},
      {"(10)ABC", false, "AI (10) requires (01) or (02) or (03) or (8006) or (8026)"},
      {"(01)08935001200017(03)08935001200017", false,
       "AI (03) may not be used together with AI (01)"},
      {"(01)08935001200017(3103)000195(3102)001950", false, "may not be used together"},
      {"(01)08935001200017(10)a\\(b", true, "(01)08935001200017(10)a\\(b"},
      {"(01)08935001200017(10", false, "never closed"},
      {"x(01)08935001200017", false, "no known AI at position 1"},
      {"0108935001200017", true, "(01)08935001200017"},
      {"]d2010893500120001710L01" + std::string(1, kGs) + "17261231", true,
       "(01)08935001200017(10)L01(17)261231"},
      {"]C1" + std::string(1, kGs) + "0108935001200017" + "17261231" + "10L01", true,
       "(01)08935001200017(17)261231(10)L01"},
      {"]Q3010893500120001721SER" + std::string(1, kGs), false, "ends with an FNC1"},
      {"]X10108935001200017", false, "unknown symbology identifier"},
      {"010893500120001710123456789012345678901234567890", false, "FNC1 separator missing"},
      {"01089350012000", false, "value must be 14 characters, only 12 left"},
      {"0108935001200017" + std::string(1, kGs) + "10L01", true, "(01)08935001200017(10)L01"},
      {"", false, "empty"},
      {"(01)08935001200017(8200)https://vntrace.vn", true,
       "(01)08935001200017(8200)https://vntrace.vn"},
      {"(01)08935001200017(8200)https://vntrace.vn/s\xC3\xA2m", false,
       "invalid character byte 0xC3"},
      {"(00)089350012000000017(02)08935001200017(37)24", true,
       "(00)089350012000000017(02)08935001200017(37)24"},
      {"(00)089350012000000017(02)08935001200017", false, "requires (37)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    auto elements = ParseElementString(c.input);
    if (c.valid) {
      ASSERT_TRUE(elements.ok()) << elements.error().message;
      EXPECT_EQ(ToBracketedElementString(*elements), c.expected);
    } else {
      ASSERT_FALSE(elements.ok()) << ToBracketedElementString(*elements);
      EXPECT_NE(elements.error().message.find(c.expected), std::string::npos)
          << elements.error().message;
    }
  }
}

TEST(ElementString, RawSerialisationUsesSeparatorsOnlyWhereNeeded) {
  auto elements = ParseElementString("(01)08935001200017(10)L01(17)261231(21)S1");
  ASSERT_TRUE(elements.ok());
  std::string raw = ToRawElementString(*elements, "]d2");
  EXPECT_EQ(raw,
            "]d20108935001200017"
            "10L01" +
                std::string(1, kGs) +
                "17261231"
                "21S1");
  auto back = ParseElementString(raw);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, *elements);
  EXPECT_EQ(ToHri(*elements), "(01) 08935001200017 (10) L01 (17) 261231 (21) S1");
}

TEST(ElementString, AssociationsCanBeSkipped) {
  ElementStringOptions options;
  options.validate_associations = false;
  EXPECT_TRUE(ParseElementString("(10)ABC", options).ok());
}

TEST(ElementString, RejectsOverlongInput) {
  std::string input = "(01)08935001200017(10)" + std::string(kMaxBracketedElementStringLength, 'A');
  auto elements = ParseElementString(input);
  ASSERT_FALSE(elements.ok());
  EXPECT_NE(elements.error().message.find("longer than"), std::string::npos);
}

// Found by the fuzzer: a raw string at the size limit must have an accepted bracketed form.
TEST(ElementString, LongestRawStringHasABracketedForm) {
  std::string raw;
  while (raw.size() + 20 <= kMaxElementStringLength) raw += "00000000000000000000";
  auto elements = ParseElementString(raw);
  ASSERT_TRUE(elements.ok()) << elements.error().message;
  auto bracketed = ParseElementString(ToBracketedElementString(*elements));
  ASSERT_TRUE(bracketed.ok()) << bracketed.error().message;
  EXPECT_EQ(*bracketed, *elements);
}

}  // namespace
}  // namespace vntrace::gs1
