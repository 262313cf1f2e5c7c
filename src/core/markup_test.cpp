#include "core/markup.hpp"

#include <gtest/gtest.h>

namespace vntrace::core {
namespace {

TEST(MarkupTest, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(EscapeMarkup("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
}

TEST(MarkupTest, KeepsVietnameseTextAndLineBreaks) {
  EXPECT_EQ(EscapeMarkup("Hợp tác xã\nNghĩa Ân\t\r"), "Hợp tác xã\nNghĩa Ân\t\r");
}

TEST(MarkupTest, DropsControlCharactersXmlForbids) {
  EXPECT_EQ(EscapeMarkup(std::string_view("a\0b\x01\x1f"
                                          "c",
                                          6)),
            "abc");
  EXPECT_EQ(EscapeMarkup(""), "");
}

}  // namespace
}  // namespace vntrace::core
