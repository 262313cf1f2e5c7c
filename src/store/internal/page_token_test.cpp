#include "store/internal/page_token.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace vntrace::store::internal {
namespace {

TEST(Base64Url, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    bytes += static_cast<char>(i * 37 + 200);
    core::Result<std::string> back = Base64UrlDecode(Base64UrlEncode(bytes));
    ASSERT_TRUE(back.ok()) << back.error().ToString();
    EXPECT_EQ(*back, bytes);
  }
}

TEST(Base64Url, KnownVectors) {
  struct Case {
    std::string bytes;
    std::string text;
  };
  // RFC 4648 section 10, without padding; 0xfb 0xff shows the URL-safe alphabet.
  const Case cases[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}, {"\xfb\xff", "-_8"}};
  for (const Case& c : cases) {
    EXPECT_EQ(Base64UrlEncode(c.bytes), c.text);
    core::Result<std::string> back = Base64UrlDecode(c.text);
    ASSERT_TRUE(back.ok()) << c.text;
    EXPECT_EQ(*back, c.bytes);
  }
}

TEST(Base64Url, RejectsMalformedText) {
  for (const std::string text : {"Z", "Zm9v=", "Zm+v", "Zm/v", "Zm 9", "Zh"}) {
    core::Result<std::string> decoded = Base64UrlDecode(text);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_EQ(decoded.error().code, core::ErrorCode::kInvalidArgument);
  }
}

TEST(EventCursor, RoundTrips) {
  const EventCursor cursors[] = {
      {.order = SortOrder::kRecordOrder, .key = 1, .rowid = 1, .returned = 0},
      {.order = SortOrder::kEventTimeDesc,
       .key = std::numeric_limits<std::int64_t>::min(),
       .rowid = 42,
       .returned = 30},
      {.order = SortOrder::kRecordTimeAsc,
       .key = std::numeric_limits<std::int64_t>::max(),
       .rowid = std::numeric_limits<std::int64_t>::max(),
       .returned = 7},
  };
  for (const EventCursor& cursor : cursors) {
    core::Result<EventCursor> back = DecodeEventCursor(EncodeEventCursor(cursor));
    ASSERT_TRUE(back.ok()) << back.error().ToString();
    EXPECT_EQ(*back, cursor);
  }
}

TEST(EventCursor, RejectsOtherTokens) {
  for (const std::string text : {"", "e1.", "e1.1.2.3", "e1.9.1.1.1", "e1.1.1.1.-1", "e1.1.x.1.1",
                                 "e2.1.1.1.1", "v1.abc", "e1.1.1.1.1.1"}) {
    core::Result<EventCursor> cursor = DecodeEventCursor(Base64UrlEncode(text));
    EXPECT_FALSE(cursor.ok()) << text;
  }
  EXPECT_FALSE(DecodeEventCursor(EncodeValueCursor("x")).ok());
  EXPECT_FALSE(DecodeEventCursor(EncodeRowidCursor(5)).ok());
}

epcis::OrderKey Key(epcis::OrderKey::Kind kind) {
  epcis::OrderKey key;
  key.kind = kind;
  return key;
}

TEST(EventCursor, ExtensionOrderCursorsRoundTripEveryKey) {
  using Kind = epcis::OrderKey::Kind;
  std::vector<epcis::OrderKey> keys;
  for (double number : {0.0, -4.25, 0.1, 1e300, -2.2250738585072014e-308, 12345678901234567.0}) {
    epcis::OrderKey k = Key(Kind::kNumber);
    k.number = number;
    keys.push_back(k);
  }
  for (std::int64_t time : {std::numeric_limits<std::int64_t>::min(), std::int64_t{0},
                            std::int64_t{1'700'000'000'123'456'789}}) {
    epcis::OrderKey k = Key(Kind::kTime);
    k.time = time;
    keys.push_back(k);
  }
  for (std::string text :
       {std::string(), std::string("a.b.c"), std::string("Hà Nội. 3"), std::string("x\0y", 3)}) {
    epcis::OrderKey k = Key(Kind::kString);
    k.text = text;
    keys.push_back(k);
  }
  keys.push_back(Key(Kind::kMissing));
  for (const epcis::OrderKey& key : keys) {
    for (SortOrder order : {SortOrder::kExtensionAsc, SortOrder::kExtensionDesc}) {
      const EventCursor cursor{.order = order,
                               .key = 0,
                               .rowid = 77,
                               .returned = 12,
                               .field = key,
                               .field_hash = OrderFieldHash("{https://ns.example.com/}rank")};
      core::Result<EventCursor> back = DecodeEventCursor(EncodeEventCursor(cursor));
      ASSERT_TRUE(back.ok()) << back.error().ToString();
      EXPECT_EQ(*back, cursor);
    }
  }
  EXPECT_NE(OrderFieldHash("{https://ns.example.com/}rank"),
            OrderFieldHash("{https://ns.example.com/}rang"));
}

TEST(EventCursor, RejectsMalformedExtensionTokens) {
  for (const std::string text :
       {"x1.", "x1.5.1.1.1", "x1.5.1.1.1.0", "x1.1.1.1.1.0.2", "x1.7.1.1.1.3.", "x1.5.1.-1.1.3.",
        "x1.5.1.1.-1.3.", "x1.5.1.1.1.4.", "x1.5.1.1.1.0.ten", "x1.5.1.1.1.0.", "x1.5.1.1.1.1.2.5",
        "x1.5.1.1.1.3.x", "x1.5.x.1.1.3."}) {
    core::Result<EventCursor> cursor = DecodeEventCursor(Base64UrlEncode(text));
    EXPECT_FALSE(cursor.ok()) << text;
  }
  // An extension order is never written as an e1 token.
  EXPECT_FALSE(DecodeEventCursor(Base64UrlEncode("e1.5.1.1.1")).ok());
  EXPECT_TRUE(DecodeEventCursor(Base64UrlEncode("x1.6.1.1.1.3.")).ok());
}

TEST(ValueCursor, RoundTripsAnyValue) {
  for (const std::string value :
       {"", "shipping", "https://id.gs1.org/01/08935001200017/21/a.b", "Thành phố Hồ Chí Minh"}) {
    core::Result<std::string> back = DecodeValueCursor(EncodeValueCursor(value));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, value);
  }
  EXPECT_FALSE(DecodeValueCursor(EncodeRowidCursor(5)).ok());
}

TEST(RowidCursor, RoundTrips) {
  core::Result<std::int64_t> back = DecodeRowidCursor(EncodeRowidCursor(123456789));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, 123456789);
  EXPECT_FALSE(DecodeRowidCursor(Base64UrlEncode("r1.")).ok());
  EXPECT_FALSE(DecodeRowidCursor(Base64UrlEncode("r1.12a")).ok());
}

}  // namespace
}  // namespace vntrace::store::internal
