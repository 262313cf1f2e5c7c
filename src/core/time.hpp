// RFC 3339 time: core::Timestamp, parsing and formatting with UTC offsets.
//
// A Timestamp is an instant (nanoseconds since 1970-01-01T00:00:00Z, leap seconds not counted,
// as in POSIX time) together with the UTC offset it was written in, so that
// "2005-04-05T02:33:31.116+02:00" parses and formats back with its +02:00. Everything here is
// plain arithmetic on the proleptic Gregorian calendar: no locale, no time zone database.
//
// Representable range: 1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z (the
// range of int64 nanoseconds). Parsing a date-time outside it returns kInvalidArgument.
//
// ParseRfc3339 accepts exactly RFC 3339 section 5.6 `date-time`:
//   YYYY-MM-DD ("T" / "t") hh:mm:ss [ "." 1*DIGIT ] ("Z" / "z" / ("+" / "-") hh:mm)
//   - The date must exist: month 01-12, day valid for the month, leap years included.
//   - hour 00-23, minute 00-59, second 00-60. Second 60 (a leap second) is accepted only where
//     a leap second can fall: at 23:59:60 UTC (after applying the offset) on June 30 or
//     December 31. It is stored as 23:59:59.999999999 UTC of that day, the last representable
//     instant before the next second, so ordering is kept.
//   - Any number of fraction digits is accepted, as the grammar allows; digits after the ninth
//     are checked and then truncated (toward the past), since a Timestamp holds nanoseconds.
//   - The offset hour must be 00-23 and its minute 00-59. "-00:00" (RFC 3339 "unknown local
//     offset") is accepted and stored as offset 0.
//   - A space instead of "T", a missing offset, a missing seconds field, a comma as the decimal
//     sign or any trailing character is rejected.
//   Errors are kInvalidArgument; the message says what was expected and the 0-based byte
//   offset where it went wrong ("... at offset 13, found 'x'"), and `details` is "offset=13".
//
// Thread-safety: values and pure functions; safe from any thread.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(core::Timestamp t,
//                            core::ParseRfc3339("2005-04-05T02:33:31.116+02:00"));
//   core::FormatRfc3339(t);               // "2005-04-05T02:33:31.116+02:00"
//   core::FormatRfc3339(t, 0);            // "2005-04-05T02:33:31+02:00"
//   core::FormatRfc3339(t.ToUtc());       // "2005-04-05T00:33:31.116Z"
//   core::FormatRfc3339UtcMillis(t);      // "2005-04-05T00:33:31.116Z"
//   core::FormatUtcOffset(t.utc_offset_minutes());  // "+02:00"
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace vntrace::core {

// The largest UTC offset RFC 3339 can write, 23:59, in minutes.
inline constexpr int kMaxUtcOffsetMinutes = 23 * 60 + 59;

// An instant plus the UTC offset (in minutes, east of Greenwich positive) it is presented in.
// The default value is the Unix epoch in UTC.
//
// == and <=> compare the instant first and then the offset, so two timestamps naming the same
// instant in different offsets are ordered but not equal; use SameInstant() to compare instants
// only.
//
// Thread-safety: a value type.
class Timestamp {
 public:
  constexpr Timestamp() = default;

  // `unix_nanos` since the epoch, presented in `utc_offset_minutes` (|offset| must not exceed
  // kMaxUtcOffsetMinutes; a larger one is a programmer error and aborts).
  static constexpr Timestamp FromUnixNanos(std::int64_t unix_nanos, int utc_offset_minutes = 0) {
    return Timestamp(unix_nanos, CheckedOffset(utc_offset_minutes));
  }
  // Aborts when the instant is outside the representable range (a programmer error).
  static Timestamp FromUnixSeconds(std::int64_t unix_seconds);
  static Timestamp FromUnixMillis(std::int64_t unix_millis);
  // `time` presented in UTC (offset 0).
  static Timestamp FromSysTime(std::chrono::sys_time<std::chrono::nanoseconds> time);

  constexpr std::int64_t unix_nanos() const { return unix_nanos_; }
  constexpr int utc_offset_minutes() const { return utc_offset_minutes_; }

  // Whole milliseconds since the epoch, rounded toward the past.
  std::int64_t UnixMillisFloor() const;
  std::chrono::sys_time<std::chrono::nanoseconds> ToSysTime() const;

  // The same instant presented in another offset (|offset| <= kMaxUtcOffsetMinutes).
  constexpr Timestamp WithUtcOffset(int utc_offset_minutes) const {
    return Timestamp(unix_nanos_, CheckedOffset(utc_offset_minutes));
  }
  constexpr Timestamp ToUtc() const { return Timestamp(unix_nanos_, 0); }

  // This instant moved by `delta`, in the same offset. Leaving the representable range is a
  // programmer error and aborts.
  Timestamp Plus(std::chrono::nanoseconds delta) const;

  constexpr bool SameInstant(const Timestamp& other) const {
    return unix_nanos_ == other.unix_nanos_;
  }

  friend constexpr auto operator<=>(const Timestamp&, const Timestamp&) = default;
  friend constexpr bool operator==(const Timestamp&, const Timestamp&) = default;

 private:
  constexpr Timestamp(std::int64_t unix_nanos, int utc_offset_minutes)
      : unix_nanos_(unix_nanos), utc_offset_minutes_(utc_offset_minutes) {}

  static constexpr int CheckedOffset(int utc_offset_minutes) {
    VNTRACE_ASSERT(utc_offset_minutes >= -kMaxUtcOffsetMinutes &&
                   utc_offset_minutes <= kMaxUtcOffsetMinutes);  // callers parse user input
    return utc_offset_minutes;
  }

  std::int64_t unix_nanos_ = 0;
  int utc_offset_minutes_ = 0;
};

// Writes FormatRfc3339(t), for test failure messages and logs.
std::ostream& operator<<(std::ostream& os, const Timestamp& t);

// Parses an RFC 3339 date-time as described at the top of this file. Returns kInvalidArgument
// for anything else, including instants outside the representable range.
Result<Timestamp> ParseRfc3339(std::string_view text);

// Asks FormatRfc3339 for the fewest fraction digits that are exact: none for a whole second,
// otherwise the nanoseconds with trailing zeros removed (".5", ".116", ".000000001").
inline constexpr int kAutoFractionDigits = -1;

// Formats `t` in its own offset: "2005-04-05T02:33:31.116+02:00", with "Z" for offset 0.
// `fraction_digits` is 0-9 (digits beyond are truncated toward the past, never rounded) or
// kAutoFractionDigits; any other value is a programmer error and aborts.
std::string FormatRfc3339(const Timestamp& t, int fraction_digits = kAutoFractionDigits);

// The EPCIS event-hash normal form: UTC, "Z", exactly three fraction digits, the fraction
// rounded half up on the fourth digit (.0005 -> .001, .0004999 -> .000), carrying into the
// seconds and the date when needed: "2005-04-05T00:33:31.116Z".
std::string FormatRfc3339UtcMillis(const Timestamp& t);

// Parses an RFC 3339 `time-numoffset`, exactly "+HH:MM" or "-HH:MM" with HH 00-23 and MM 00-59
// (the form of EPCIS eventTimeZoneOffset), into minutes east of UTC: "+07:00" -> 420,
// "-03:30" -> -210, "-00:00" -> 0. "Z" is not an offset here. Returns kInvalidArgument with
// the offending position otherwise.
Result<int> ParseUtcOffset(std::string_view text);

// Formats minutes east of UTC as "+HH:MM": 420 -> "+07:00", 0 -> "+00:00", -210 -> "-03:30".
// |minutes| must not exceed kMaxUtcOffsetMinutes (a programmer error otherwise; aborts).
std::string FormatUtcOffset(int minutes);

}  // namespace vntrace::core
