#include "http/negotiation.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace vntrace::http {
namespace {

struct Case {
  std::string_view accept;
  std::string_view expected;  // of {"application/json", "application/ld+json", "application/xml"}
};

TEST(NegotiationTest, PreferredMediaType) {
  const std::vector<Case> cases = {
      {"", "application/json"},
      {"*/*", "application/json"},
      {"application/xml", "application/xml"},
      {"text/html, application/xml;q=0.9, */*;q=0.8", "application/xml"},
      {"application/json;q=0.5, application/xml", "application/xml"},
      {"application/xml;q=0.5, application/json", "application/json"},
      {"application/xml;q=0.5, */*;q=0.9", "application/json"},
      {"application/*;q=0.2, application/xml;q=0.3", "application/xml"},
      {"APPLICATION/XML", "application/xml"},
      {"application/ld+json", "application/ld+json"},
      {"application/xml;q=0, */*", "application/json"},
      {"text/html", ""},
      {"application/xml;q=2", ""},  // an invalid q counts as 0
  };
  for (const Case& c : cases) {
    EXPECT_EQ(PreferredMediaType(c.accept,
                                 {"application/json", "application/ld+json", "application/xml"}),
              c.expected)
        << c.accept;
  }
}

TEST(NegotiationTest, AcceptQualityUsesTheMostSpecificRange) {
  EXPECT_DOUBLE_EQ(
      AcceptQuality("*/*;q=0.1, application/*;q=0.4, application/xml;q=0.7", "application/xml"),
      0.7);
  EXPECT_DOUBLE_EQ(AcceptQuality("*/*;q=0.1, application/*;q=0.4", "application/json"), 0.4);
  EXPECT_DOUBLE_EQ(AcceptQuality("*/*;q=0.1, application/*;q=0.4", "text/xml"), 0.1);
  EXPECT_DOUBLE_EQ(AcceptQuality("", "text/xml"), 1);
}

TEST(NegotiationTest, ContentTypes) {
  EXPECT_EQ(MediaTypeOf("Application/XML; charset=UTF-8"), "application/xml");
  EXPECT_EQ(MediaTypeOf("application/json"), "application/json");
  EXPECT_TRUE(IsXmlMediaType("application/xml"));
  EXPECT_TRUE(IsXmlMediaType("text/xml"));
  EXPECT_TRUE(IsXmlMediaType("application/epcis+xml"));
  EXPECT_FALSE(IsXmlMediaType("application/ld+json"));
}

}  // namespace
}  // namespace vntrace::http
