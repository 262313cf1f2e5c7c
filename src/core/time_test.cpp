#include "core/time.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>

namespace vntrace::core {
namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

struct ParseCase {
  std::string_view input;
  std::int64_t unix_nanos;
  int offset_minutes;
};

TEST(ParseRfc3339Test, AcceptsValidDateTimes) {
  const ParseCase kCases[] = {
      {"1970-01-01T00:00:00Z", 0, 0},
      {"1970-01-01t00:00:00z", 0, 0},
      {"1970-01-01T00:00:00+00:00", 0, 0},
      {"1970-01-01T00:00:00-00:00", 0, 0},
      {"2005-04-05T02:33:31.116+02:00", 1112661211116000000, 120},
      {"2005-04-05T00:33:31.116Z", 1112661211116000000, 0},
      {"1985-04-12T23:20:50.52Z", 482196050520000000, 0},
      {"1996-12-19T16:39:57-08:00", 851042397 * kNanosPerSecond, -480},
      {"1937-01-01T12:00:27.87+00:20", -1041337172130000000, 20},
      {"1969-12-31T23:59:59.999999999Z", -1, 0},
      {"1970-01-01T00:00:00.000000001Z", 1, 0},
      {"1970-01-01T00:00:00.1Z", 100000000, 0},
      {"2024-02-29T12:00:00+07:00", 1709182800 * kNanosPerSecond, 420},
      {"2000-02-29T00:00:00Z", 951782400 * kNanosPerSecond, 0},
      {"2023-12-31T23:59:59+23:59", 1704067199 * kNanosPerSecond - 1439 * 60 * kNanosPerSecond,
       1439},
      {"2023-12-31T23:59:59-23:59", 1704067199 * kNanosPerSecond + 1439 * 60 * kNanosPerSecond,
       -1439},
      {"2021-06-01T09:30:00+05:45", 1622519100 * kNanosPerSecond, 345},
      // Digits after the ninth are checked and truncated toward the past.
      {"1970-01-01T00:00:00.1234567899999Z", 123456789, 0},
      {"1969-12-31T23:59:59.9999999999Z", -1, 0},
      // Leap seconds, where they can fall, become the last nanosecond before the next second.
      {"1990-12-31T23:59:60Z", 662688000 * kNanosPerSecond - 1, 0},
      {"1990-12-31T15:59:60-08:00", 662688000 * kNanosPerSecond - 1, -480},
      {"2016-12-31T23:59:60.5Z", 1483228800 * kNanosPerSecond - 1, 0},
      {"2015-06-30T23:59:60Z", 1435708800 * kNanosPerSecond - 1, 0},
      {"2015-07-01T06:59:60+07:00", 1435708800 * kNanosPerSecond - 1, 420},
      // The ends of the representable range.
      {"1677-09-21T00:12:43.145224192Z", std::numeric_limits<std::int64_t>::min(), 0},
      {"2262-04-11T23:47:16.854775807Z", std::numeric_limits<std::int64_t>::max(), 0},
      {"2262-04-12T06:47:16.854775807+07:00", std::numeric_limits<std::int64_t>::max(), 420},
  };
  for (const ParseCase& c : kCases) {
    SCOPED_TRACE(c.input);
    const Result<Timestamp> t = ParseRfc3339(c.input);
    ASSERT_TRUE(t.ok()) << t.error().ToString();
    EXPECT_EQ(t->unix_nanos(), c.unix_nanos);
    EXPECT_EQ(t->utc_offset_minutes(), c.offset_minutes);
  }
}

struct ErrorCase {
  std::string_view input;
  std::string_view message;  // the full message, so the wording and offset are both checked
};

TEST(ParseRfc3339Test, RejectsInvalidInputWithPosition) {
  const ErrorCase kCases[] = {
      {"", "expected a 4-digit year at offset 0, found the end of the input"},
      {"05-04-05T02:33:31Z", "expected a 4-digit year at offset 2, found '-'"},
      {"2005/04/05T02:33:31Z", "expected '-' after the year at offset 4, found '/'"},
      {"2005-4-05T02:33:31Z", "expected a 2-digit month at offset 6, found '-'"},
      {"2005-00-05T02:33:31Z", "month 00 is not in 01-12 at offset 5"},
      {"2005-13-05T02:33:31Z", "month 13 is not in 01-12 at offset 5"},
      {"2005-04-00T02:33:31Z", "day 00 is not in 01-30 for 2005-04 at offset 8"},
      {"2005-04-31T02:33:31Z", "day 31 is not in 01-30 for 2005-04 at offset 8"},
      {"2023-02-29T00:00:00Z", "day 29 is not in 01-28 for 2023-02 at offset 8"},
      {"1900-02-29T00:00:00Z", "day 29 is not in 01-28 for 1900-02 at offset 8"},
      {"2024-02-30T00:00:00Z", "day 30 is not in 01-29 for 2024-02 at offset 8"},
      {"2005-04-05",
       "expected 'T' between the date and the time at offset 10, found the end of "
       "the input"},
      {"2005-04-05 02:33:31Z",
       "expected 'T' between the date and the time at offset 10, found a "
       "space"},
      {"2005-04-05T24:00:00Z", "hour 24 is not in 00-23 at offset 11"},
      {"2005-04-05T2:33:31Z", "expected a 2-digit hour at offset 12, found ':'"},
      {"2005-04-05T02:60:00Z", "minute 60 is not in 00-59 at offset 14"},
      {"2005-04-05T02:33Z", "expected ':' after the minute at offset 16, found 'Z'"},
      {"2005-04-05T02:33:61Z", "second 61 is not in 00-60 at offset 17"},
      {"2005-04-05T02:33:31",
       "expected 'Z' or a UTC offset such as '+07:00' at offset 19, found "
       "the end of the input"},
      {"2005-04-05T02:33:31.Z", "expected a digit after '.' at offset 20, found 'Z'"},
      {"2005-04-05T02:33:31,5Z",
       "expected 'Z' or a UTC offset such as '+07:00' at offset 19, "
       "found ','"},
      {"2005-04-05T02:33:31 Z",
       "expected 'Z' or a UTC offset such as '+07:00' at offset 19, "
       "found a space"},
      {"2005-04-05T02:33:31+0200",
       "expected ':' between the offset hour and minute at offset "
       "22, found '0'"},
      {"2005-04-05T02:33:31+2:00", "expected a 2-digit offset hour at offset 21, found ':'"},
      {"2005-04-05T02:33:31+24:00", "offset hour 24 is not in 00-23 at offset 20"},
      {"2005-04-05T02:33:31+02:60", "offset minute 60 is not in 00-59 at offset 23"},
      {"2005-04-05T02:33:31Zx", "expected the end of the date-time at offset 20, found 'x'"},
      {"2005-04-05T02:33:31+02:00 ",
       "expected the end of the date-time at offset 25, found a "
       "space"},
      {"2005-04-05T02:33:31Z\n",
       "expected the end of the date-time at offset 20, found byte "
       "0x0A"},
      {"2005-04-05T02:33:31\xC3\xA9",
       "expected 'Z' or a UTC offset such as '+07:00' at offset "
       "19, found byte 0xC3"},
      {"\xEF\xBC\x92\x30\x30\x35-04-05T02:33:31Z",
       "expected a 4-digit year at offset 0, found "
       "byte 0xEF"},
      {"2005-04-05T23:59:60Z",
       "second 60 (a leap second) is only allowed at 23:59:60 UTC on "
       "June 30 or December 31 at offset 17"},
      {"1990-12-31T23:59:60-08:00",
       "second 60 (a leap second) is only allowed at 23:59:60 UTC "
       "on June 30 or December 31 at offset 17"},
      {"1990-12-31T23:58:60Z",
       "second 60 (a leap second) is only allowed at 23:59:60 UTC on "
       "June 30 or December 31 at offset 17"},
      {"1677-09-21T00:12:43.145224191Z",
       "the instant is outside the representable range 1677-09-21T00:12:43.145224192Z to "
       "2262-04-11T23:47:16.854775807Z at offset 0"},
      {"2262-04-11T23:47:16.854775808Z",
       "the instant is outside the representable range 1677-09-21T00:12:43.145224192Z to "
       "2262-04-11T23:47:16.854775807Z at offset 0"},
      {"0000-01-01T00:00:00Z",
       "the instant is outside the representable range 1677-09-21T00:12:43.145224192Z to "
       "2262-04-11T23:47:16.854775807Z at offset 0"},
      {"9999-12-31T23:59:59Z",
       "the instant is outside the representable range 1677-09-21T00:12:43.145224192Z to "
       "2262-04-11T23:47:16.854775807Z at offset 0"},
  };
  for (const ErrorCase& c : kCases) {
    SCOPED_TRACE(c.input);
    const Result<Timestamp> t = ParseRfc3339(c.input);
    ASSERT_FALSE(t.ok()) << FormatRfc3339(*t);
    EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(t.error().message, "invalid RFC 3339 date-time: " + std::string(c.message));
  }
}

TEST(ParseRfc3339Test, DetailsCarryTheOffset) {
  const Result<Timestamp> t = ParseRfc3339("2005-04-05T02:33:31+24:00");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().details, "offset=20");
}

TEST(ParseRfc3339Test, LongFractionIsLinearAndTruncated) {
  const std::string input = "2005-04-05T02:33:31." + std::string(100'000, '9') + "Z";
  const Result<Timestamp> t = ParseRfc3339(input);
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(FormatRfc3339(*t), "2005-04-05T02:33:31.999999999Z");
}

struct FormatCase {
  std::string_view input;
  int fraction_digits;
  std::string_view expected;
};

TEST(FormatRfc3339Test, FormatsInTheStoredOffset) {
  const FormatCase kCases[] = {
      {"2005-04-05T02:33:31.116+02:00", kAutoFractionDigits, "2005-04-05T02:33:31.116+02:00"},
      {"2005-04-05T02:33:31.116+02:00", 0, "2005-04-05T02:33:31+02:00"},
      {"2005-04-05T02:33:31.116+02:00", 1, "2005-04-05T02:33:31.1+02:00"},
      {"2005-04-05T02:33:31.116+02:00", 3, "2005-04-05T02:33:31.116+02:00"},
      {"2005-04-05T02:33:31.116+02:00", 6, "2005-04-05T02:33:31.116000+02:00"},
      {"2005-04-05T02:33:31.116+02:00", 9, "2005-04-05T02:33:31.116000000+02:00"},
      {"2005-04-05T02:33:31.999999999Z", 3, "2005-04-05T02:33:31.999Z"},
      {"1985-04-12T23:20:50.52z", kAutoFractionDigits, "1985-04-12T23:20:50.52Z"},
      {"1970-01-01T00:00:00.000000001Z", kAutoFractionDigits, "1970-01-01T00:00:00.000000001Z"},
      {"1970-01-01T00:00:00.000Z", kAutoFractionDigits, "1970-01-01T00:00:00Z"},
      {"1970-01-01T00:00:00+00:00", kAutoFractionDigits, "1970-01-01T00:00:00Z"},
      {"1969-12-31T23:59:59.5Z", kAutoFractionDigits, "1969-12-31T23:59:59.5Z"},
      {"1969-12-31T23:59:59.5Z", 0, "1969-12-31T23:59:59Z"},
      {"1937-01-01T12:00:27.87+00:20", kAutoFractionDigits, "1937-01-01T12:00:27.87+00:20"},
      {"1996-12-19T16:39:57-08:00", kAutoFractionDigits, "1996-12-19T16:39:57-08:00"},
      {"2023-12-31T23:59:59-23:59", kAutoFractionDigits, "2023-12-31T23:59:59-23:59"},
      {"2024-02-29T00:30:00+07:00", kAutoFractionDigits, "2024-02-29T00:30:00+07:00"},
      {"1990-12-31T23:59:60Z", kAutoFractionDigits, "1990-12-31T23:59:59.999999999Z"},
      {"1677-09-21T00:12:43.145224192Z", kAutoFractionDigits, "1677-09-21T00:12:43.145224192Z"},
      {"2262-04-11T23:47:16.854775807Z", kAutoFractionDigits, "2262-04-11T23:47:16.854775807Z"},
      {"2262-04-12T23:46:16.854775807+23:59", kAutoFractionDigits,
       "2262-04-12T23:46:16.854775807+23:59"},
      {"1677-09-20T00:13:43.145224192-23:59", kAutoFractionDigits,
       "1677-09-20T00:13:43.145224192-23:59"},
  };
  for (const FormatCase& c : kCases) {
    SCOPED_TRACE(c.input);
    const Result<Timestamp> t = ParseRfc3339(c.input);
    ASSERT_TRUE(t.ok()) << t.error().ToString();
    EXPECT_EQ(FormatRfc3339(*t, c.fraction_digits), c.expected);
  }
}

TEST(FormatRfc3339Test, RoundTripsCanonicalText) {
  const std::string_view kInputs[] = {
      "2005-04-05T02:33:31.116+02:00",
      "2019-10-21T11:00:30.123456789-05:30",
      "2024-02-29T23:59:59.5+07:00",
      "1700-03-01T00:00:00Z",
  };
  for (std::string_view input : kInputs) {
    const Result<Timestamp> t = ParseRfc3339(input);
    ASSERT_TRUE(t.ok()) << t.error().ToString();
    EXPECT_EQ(FormatRfc3339(*t), input);
  }
}

TEST(FormatRfc3339UtcMillisTest, RoundsHalfUpOnTheFourthDigit) {
  const FormatCase kCases[] = {
      {"2005-04-05T02:33:31.116+02:00", 0, "2005-04-05T00:33:31.116Z"},
      {"2005-04-05T02:33:31+02:00", 0, "2005-04-05T00:33:31.000Z"},
      {"2005-04-05T00:33:31.1164Z", 0, "2005-04-05T00:33:31.116Z"},
      {"2005-04-05T00:33:31.1165Z", 0, "2005-04-05T00:33:31.117Z"},
      {"2005-04-05T00:33:31.116499999Z", 0, "2005-04-05T00:33:31.116Z"},
      {"2005-04-05T00:33:31.0005Z", 0, "2005-04-05T00:33:31.001Z"},
      {"2005-04-05T00:33:31.0004999Z", 0, "2005-04-05T00:33:31.000Z"},
      // The carry goes through the seconds, the day, the month and the year.
      {"2019-12-31T23:59:59.9995Z", 0, "2020-01-01T00:00:00.000Z"},
      {"2020-01-01T06:59:59.9996+07:00", 0, "2020-01-01T00:00:00.000Z"},
      {"1969-12-31T23:59:59.9995Z", 0, "1970-01-01T00:00:00.000Z"},
      {"1969-12-31T23:59:59.9994Z", 0, "1969-12-31T23:59:59.999Z"},
      {"1990-12-31T23:59:60Z", 0, "1991-01-01T00:00:00.000Z"},
      {"2262-04-11T23:47:16.854775807Z", 0, "2262-04-11T23:47:16.855Z"},
      {"1677-09-21T00:12:43.145224192Z", 0, "1677-09-21T00:12:43.145Z"},
  };
  for (const FormatCase& c : kCases) {
    SCOPED_TRACE(c.input);
    const Result<Timestamp> t = ParseRfc3339(c.input);
    ASSERT_TRUE(t.ok()) << t.error().ToString();
    EXPECT_EQ(FormatRfc3339UtcMillis(*t), c.expected);
  }
}

TEST(UtcOffsetTest, ParsesValidOffsets) {
  const struct {
    std::string_view input;
    int minutes;
  } kCases[] = {
      {"+07:00", 420}, {"-03:30", -210}, {"+00:00", 0},     {"-00:00", 0},
      {"+05:45", 345}, {"+23:59", 1439}, {"-23:59", -1439}, {"+14:00", 840},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.input);
    const Result<int> minutes = ParseUtcOffset(c.input);
    ASSERT_TRUE(minutes.ok()) << minutes.error().ToString();
    EXPECT_EQ(*minutes, c.minutes);
  }
}

TEST(UtcOffsetTest, RejectsInvalidOffsets) {
  const ErrorCase kCases[] = {
      {"", "expected '+' or '-' starting a UTC offset at offset 0, found the end of the input"},
      {"Z", "expected '+' or '-' starting a UTC offset at offset 0, found 'Z'"},
      {"07:00", "expected '+' or '-' starting a UTC offset at offset 0, found '0'"},
      {"+7:00", "expected a 2-digit offset hour at offset 2, found ':'"},
      {"+0700", "expected ':' between the offset hour and minute at offset 3, found '0'"},
      {"+24:00", "offset hour 24 is not in 00-23 at offset 1"},
      {"+07:60", "offset minute 60 is not in 00-59 at offset 4"},
      {"+07:0", "expected a 2-digit offset minute at offset 5, found the end of the input"},
      {"+07:00 ", "expected the end of the offset at offset 6, found a space"},
      {"+07:00:00", "expected the end of the offset at offset 6, found ':'"},
  };
  for (const ErrorCase& c : kCases) {
    SCOPED_TRACE(c.input);
    const Result<int> minutes = ParseUtcOffset(c.input);
    ASSERT_FALSE(minutes.ok());
    EXPECT_EQ(minutes.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(minutes.error().message, "invalid UTC offset: " + std::string(c.message));
  }
}

TEST(UtcOffsetTest, Formats) {
  EXPECT_EQ(FormatUtcOffset(420), "+07:00");
  EXPECT_EQ(FormatUtcOffset(0), "+00:00");
  EXPECT_EQ(FormatUtcOffset(-210), "-03:30");
  EXPECT_EQ(FormatUtcOffset(kMaxUtcOffsetMinutes), "+23:59");
  EXPECT_EQ(FormatUtcOffset(-kMaxUtcOffsetMinutes), "-23:59");
  for (int minutes = -kMaxUtcOffsetMinutes; minutes <= kMaxUtcOffsetMinutes; ++minutes) {
    const Result<int> parsed = ParseUtcOffset(FormatUtcOffset(minutes));
    ASSERT_TRUE(parsed.ok()) << minutes;
    EXPECT_EQ(*parsed, minutes);
  }
}

TEST(UtcOffsetDeathTest, FormatRejectsOutOfRange) {
  EXPECT_DEATH(FormatUtcOffset(kMaxUtcOffsetMinutes + 1), "assertion failed");
}

TEST(TimestampTest, DefaultIsTheEpochInUtc) {
  constexpr Timestamp t;
  static_assert(t.unix_nanos() == 0 && t.utc_offset_minutes() == 0);
  EXPECT_EQ(FormatRfc3339(t), "1970-01-01T00:00:00Z");
}

TEST(TimestampTest, Conversions) {
  EXPECT_EQ(Timestamp::FromUnixSeconds(1'700'000'000).unix_nanos(),
            1'700'000'000 * kNanosPerSecond);
  EXPECT_EQ(Timestamp::FromUnixMillis(-1).unix_nanos(), -1'000'000);
  EXPECT_EQ(Timestamp::FromUnixNanos(-1).UnixMillisFloor(), -1);
  EXPECT_EQ(Timestamp::FromUnixNanos(1'999'999).UnixMillisFloor(), 1);
  const Timestamp t = Timestamp::FromUnixNanos(123456789, 420);
  EXPECT_EQ(Timestamp::FromSysTime(t.ToSysTime()), t.ToUtc());
  EXPECT_EQ(t.Plus(std::chrono::seconds(1)).unix_nanos(), 1'123'456'789);
  EXPECT_EQ(t.Plus(std::chrono::seconds(1)).utc_offset_minutes(), 420);
}

TEST(TimestampTest, OffsetIsPartOfTheValueButNotOfTheInstant) {
  const Timestamp utc = *ParseRfc3339("2005-04-05T00:33:31.116Z");
  const Timestamp plus2 = *ParseRfc3339("2005-04-05T02:33:31.116+02:00");
  EXPECT_TRUE(utc.SameInstant(plus2));
  EXPECT_NE(utc, plus2);
  EXPECT_EQ(plus2.ToUtc(), utc);
  EXPECT_EQ(utc.WithUtcOffset(120), plus2);
  EXPECT_LT(utc, plus2);  // same instant: ordered by offset, consistent with ==
  const Timestamp later = *ParseRfc3339("2005-04-05T01:33:31.117+01:00");
  EXPECT_LT(plus2, later);  // an earlier instant orders first whatever the offsets
}

TEST(TimestampTest, StreamsAsRfc3339) {
  std::ostringstream out;
  out << *ParseRfc3339("2005-04-05T02:33:31.116+02:00");
  EXPECT_EQ(out.str(), "2005-04-05T02:33:31.116+02:00");
}

TEST(TimestampDeathTest, ProgrammerErrorsAbort) {
  EXPECT_DEATH(Timestamp::FromUnixNanos(0, kMaxUtcOffsetMinutes + 1), "assertion failed");
  EXPECT_DEATH(Timestamp().WithUtcOffset(-kMaxUtcOffsetMinutes - 1), "assertion failed");
  EXPECT_DEATH(Timestamp::FromUnixSeconds(std::numeric_limits<std::int64_t>::max()),
               "assertion failed");
  EXPECT_DEATH(Timestamp::FromUnixNanos(std::numeric_limits<std::int64_t>::max())
                   .Plus(std::chrono::nanoseconds(1)),
               "assertion failed");
  EXPECT_DEATH(FormatRfc3339(Timestamp(), 10), "assertion failed");
  EXPECT_DEATH(FormatRfc3339(Timestamp(), -2), "assertion failed");
}

// Every day from 1899 to 2101 formats and parses back to itself: checks the calendar
// arithmetic in both directions across 1900 and 2100 (not leap years) and 2000 (a leap year).
// The ends of the representable range are covered by the tables above.
TEST(TimestampTest, EveryDayRoundTrips) {
  constexpr std::int64_t kDay = 86'400 * kNanosPerSecond;
  const Timestamp first = *ParseRfc3339("1899-01-01T12:34:56.789+07:00");
  const Timestamp last = *ParseRfc3339("2101-12-31T12:34:56.789+07:00");
  std::int64_t days = 0;
  for (Timestamp t = first; t <= last; t = t.Plus(std::chrono::nanoseconds(kDay))) {
    const std::string text = FormatRfc3339(t);
    const Result<Timestamp> back = ParseRfc3339(text);
    if (!back.ok() || *back != t) {
      FAIL() << text << " -> " << (back.ok() ? FormatRfc3339(*back) : back.error().ToString());
    }
    ++days;
  }
  // 203 years, 49 of them leap years (1904 to 2096).
  EXPECT_EQ(days, 203 * 365 + 49);
}

}  // namespace
}  // namespace vntrace::core
