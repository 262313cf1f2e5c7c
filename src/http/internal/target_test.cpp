#include "http/internal/target.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace vntrace::http::internal {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

struct TargetCase {
  std::string_view target;
  bool ok;
  std::string path;
  Query query;
};

TEST(ParseTargetTest, Table) {
  const TargetCase kCases[] = {
      {"/", true, "/", {}},
      {"/epcis/events", true, "/epcis/events", {}},
      {"/a%20b/c%2Fd", true, "/a b/c/d", {}},
      {"/a+b", true, "/a+b", {}},
      {"/%C4%91%E1%BB%8Bnh", true, "/\xC4\x91\xE1\xBB\x8Bnh", {}},
      {"/q?x=1&y=2", true, "/q", {{"x", "1"}, {"y", "2"}}},
      {"/q?x=1+2&x=%33", true, "/q", {{"x", "1 2"}, {"x", "3"}}},
      {"/q?flag&=v&&k=a=b", true, "/q", {{"flag", ""}, {"", "v"}, {"k", "a=b"}}},
      {"/q?", true, "/q", {}},
      {"/q#fragment", true, "/q", {}},
      {"/q?a=1#x", true, "/q", {{"a", "1"}}},
      {"http://example.com/x?a=b", true, "/x", {{"a", "b"}}},
      {"HTTPS://example.com", true, "/", {}},
      {"http://example.com?a=b", true, "/", {{"a", "b"}}},
      {"*", true, "*", {}},
      {"http://host", true, "/", {}},
      {"", false, "", {}},
      {"relative/path", false, "", {}},
      {"/%", false, "", {}},
      {"/%4", false, "", {}},
      {"/%zz", false, "", {}},
      {"/%00", false, "", {}},
      {"/q?a=%G1", false, "", {}},
      {"/q?%=1", false, "", {}},
  };
  for (const TargetCase& c : kCases) {
    SCOPED_TRACE(c.target);
    core::Result<ParsedTarget> parsed = ParseTarget(c.target);
    ASSERT_EQ(parsed.ok(), c.ok);
    if (c.ok) {
      EXPECT_EQ(parsed->path, c.path);
      EXPECT_EQ(parsed->query, c.query);
    } else {
      EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidArgument);
    }
  }
}

TEST(SplitTargetTest, KeepsEncoding) {
  std::optional<TargetParts> parts = SplitTarget("/events/ni%3A%2F%2F?x=%20#f");
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->raw_path, "/events/ni%3A%2F%2F");
  EXPECT_EQ(parts->raw_query, "x=%20");
  parts = SplitTarget("http://host:80?q=1");
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->raw_path, "/");
  EXPECT_EQ(parts->raw_query, "q=1");
  EXPECT_FALSE(SplitTarget("*").has_value());
  EXPECT_FALSE(SplitTarget("x/y").has_value());
}

TEST(PercentDecodeTest, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(PercentDecode("a+b%2B", true).value(), "a b+");
  EXPECT_EQ(PercentDecode("a+b%2B", false).value(), "a+b+");
  EXPECT_EQ(PercentDecode("%e1%BB%8B", false).value(), "\xE1\xBB\x8B");
  core::Result<std::string> bad = PercentDecode("ab%2", false);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().details, "offset=2");
}

}  // namespace
}  // namespace vntrace::http::internal
