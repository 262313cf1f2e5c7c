#include "core/time.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <iterator>
#include <optional>
#include <ostream>

namespace vntrace::core {
namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
constexpr std::int64_t kNanosPerMilli = 1'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;

static_assert(std::is_same_v<std::chrono::nanoseconds::rep, std::int64_t>,
              "Timestamp converts to and from int64 nanoseconds");

constexpr std::string_view kRangeText =
    "1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z";

struct DivMod {
  std::int64_t quot;
  std::int64_t rem;  // always in [0, divisor)
};

// Division rounding toward negative infinity, without overflow for any `a` (divisor > 0).
DivMod FloorDivMod(std::int64_t a, std::int64_t divisor) {
  DivMod out{a / divisor, a % divisor};
  if (out.rem < 0) {
    out.quot -= 1;
    out.rem += divisor;
  }
  return out;
}

std::int64_t DaysFromCivil(int year, int month, int day) {
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  return std::chrono::sys_days{date}.time_since_epoch().count();
}

std::chrono::year_month_day CivilFromDays(std::int64_t days) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}};
}

int DaysInMonth(int year, int month) {
  const std::chrono::year_month_day_last last{
      std::chrono::year{year},
      std::chrono::month_day_last{std::chrono::month{static_cast<unsigned>(month)}}};
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads the fixed-width fields of RFC 3339 text and words errors with their byte offsets.
class Scanner {
 public:
  // `what` heads every error message, e.g. "invalid RFC 3339 date-time".
  Scanner(std::string_view text, std::string_view what) : text_(text), what_(what) {}

  std::size_t pos() const { return pos_; }
  bool AtEnd() const { return pos_ >= text_.size(); }

  bool Peek(char c) const { return !AtEnd() && text_[pos_] == c; }

  bool Consume(char c) {
    if (Peek(c)) {
      ++pos_;
      return true;
    }
    return false;
  }

  std::optional<int> ConsumeDigit() {
    if (AtEnd() || !IsDigit(text_[pos_])) {
      return std::nullopt;
    }
    return text_[pos_++] - '0';
  }

  // Exactly `count` ASCII digits; `expected` names the field, e.g. "a 2-digit month".
  Result<int> Digits(int count, std::string_view expected) {
    int value = 0;
    for (int i = 0; i < count; ++i) {
      const std::optional<int> digit = ConsumeDigit();
      if (!digit) {
        return Expected(expected);
      }
      value = value * 10 + *digit;
    }
    return value;
  }

  Status Expect(char c, std::string_view expected) {
    if (Consume(c)) {
      return Ok();
    }
    return Expected(expected);
  }

  // "<what>: expected <expected> at offset <pos>, found <the byte there>".
  Error Expected(std::string_view expected) const {
    return InvalidArgument(fmt::format("{}: expected {} at offset {}, found {}", what_, expected,
                                       pos_, DescribeCurrent()),
                           fmt::format("offset={}", pos_));
  }

  // "<what>: <problem> at offset <at>", for a well-formed field with a bad value.
  Error Invalid(std::size_t at, std::string_view problem) const {
    return InvalidArgument(fmt::format("{}: {} at offset {}", what_, problem, at),
                           fmt::format("offset={}", at));
  }

 private:
  std::string DescribeCurrent() const {
    if (AtEnd()) {
      return "the end of the input";
    }
    const auto byte = static_cast<unsigned char>(text_[pos_]);
    if (byte == ' ') {
      return "a space";
    }
    if (byte > ' ' && byte < 0x7f) {
      return fmt::format("'{}'", static_cast<char>(byte));
    }
    return fmt::format("byte 0x{:02X}", byte);
  }

  std::string_view text_;
  std::string_view what_;
  std::size_t pos_ = 0;
};

// ("+" / "-") hh ":" mm, in minutes east of UTC.
Result<int> ScanNumericOffset(Scanner& in) {
  int sign = 1;
  if (in.Consume('-')) {
    sign = -1;
  } else if (!in.Consume('+')) {
    return in.Expected("'+' or '-' starting a UTC offset");
  }
  const std::size_t hour_at = in.pos();
  VNTRACE_ASSIGN_OR_RETURN(const int hour, in.Digits(2, "a 2-digit offset hour"));
  if (hour > 23) {
    return in.Invalid(hour_at, fmt::format("offset hour {:02} is not in 00-23", hour));
  }
  VNTRACE_RETURN_IF_ERROR(in.Expect(':', "':' between the offset hour and minute"));
  const std::size_t minute_at = in.pos();
  VNTRACE_ASSIGN_OR_RETURN(const int minute, in.Digits(2, "a 2-digit offset minute"));
  if (minute > 59) {
    return in.Invalid(minute_at, fmt::format("offset minute {:02} is not in 00-59", minute));
  }
  return sign * (hour * 60 + minute);
}

// "YYYY-MM-DDThh:mm:ss" for `local_seconds` since the epoch in the presentation offset.
void AppendDateTime(std::string& out, std::int64_t local_seconds) {
  const DivMod day = FloorDivMod(local_seconds, kSecondsPerDay);
  const std::chrono::year_month_day date = CivilFromDays(day.quot);
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                 static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                 static_cast<unsigned>(date.day()), day.rem / 3600, day.rem / 60 % 60,
                 day.rem % 60);
}

void AppendFraction(std::string& out, std::int64_t nanos, int fraction_digits) {
  int digits = fraction_digits;
  if (digits == kAutoFractionDigits) {
    if (nanos == 0) {
      return;
    }
    digits = 9;
    while (nanos % 10 == 0) {
      nanos /= 10;
      --digits;
    }
  } else {
    if (digits == 0) {
      return;
    }
    for (int i = digits; i < 9; ++i) {
      nanos /= 10;
    }
  }
  fmt::format_to(std::back_inserter(out), ".{:0{}}", nanos, digits);
}

}  // namespace

Timestamp Timestamp::FromUnixSeconds(std::int64_t unix_seconds) {
  std::int64_t nanos = 0;
  const bool overflow = __builtin_mul_overflow(unix_seconds, kNanosPerSecond, &nanos);
  VNTRACE_ASSERT(!overflow);  // callers convert from trusted, in-range clocks
  return FromUnixNanos(nanos);
}

Timestamp Timestamp::FromUnixMillis(std::int64_t unix_millis) {
  std::int64_t nanos = 0;
  const bool overflow = __builtin_mul_overflow(unix_millis, kNanosPerMilli, &nanos);
  VNTRACE_ASSERT(!overflow);  // callers convert from trusted, in-range clocks
  return FromUnixNanos(nanos);
}

Timestamp Timestamp::FromSysTime(std::chrono::sys_time<std::chrono::nanoseconds> time) {
  return FromUnixNanos(time.time_since_epoch().count());
}

std::int64_t Timestamp::UnixMillisFloor() const {
  return FloorDivMod(unix_nanos_, kNanosPerMilli).quot;
}

std::chrono::sys_time<std::chrono::nanoseconds> Timestamp::ToSysTime() const {
  return std::chrono::sys_time<std::chrono::nanoseconds>{std::chrono::nanoseconds{unix_nanos_}};
}

Timestamp Timestamp::Plus(std::chrono::nanoseconds delta) const {
  std::int64_t nanos = 0;
  const bool overflow = __builtin_add_overflow(unix_nanos_, delta.count(), &nanos);
  VNTRACE_ASSERT(!overflow);  // documented as a programmer error
  return Timestamp(nanos, utc_offset_minutes_);
}

std::ostream& operator<<(std::ostream& os, const Timestamp& t) { return os << FormatRfc3339(t); }

Result<Timestamp> ParseRfc3339(std::string_view text) {
  Scanner in(text, "invalid RFC 3339 date-time");

  VNTRACE_ASSIGN_OR_RETURN(const int year, in.Digits(4, "a 4-digit year"));
  VNTRACE_RETURN_IF_ERROR(in.Expect('-', "'-' after the year"));
  const std::size_t month_at = in.pos();
  VNTRACE_ASSIGN_OR_RETURN(const int month, in.Digits(2, "a 2-digit month"));
  if (month < 1 || month > 12) {
    return in.Invalid(month_at, fmt::format("month {:02} is not in 01-12", month));
  }
  VNTRACE_RETURN_IF_ERROR(in.Expect('-', "'-' after the month"));
  const std::size_t day_at = in.pos();
  VNTRACE_ASSIGN_OR_RETURN(const int day, in.Digits(2, "a 2-digit day"));
  const int last_day = DaysInMonth(year, month);
  if (day < 1 || day > last_day) {
    return in.Invalid(day_at, fmt::format("day {:02} is not in 01-{} for {:04}-{:02}", day,
                                          last_day, year, month));
  }

  if (!in.Consume('T') && !in.Consume('t')) {
    return in.Expected("'T' between the date and the time");
  }

  const std::size_t hour_at = in.pos();
  VNTRACE_ASSIGN_OR_RETURN(const int hour, in.Digits(2, "a 2-digit hour"));
  if (hour > 23) {
    return in.Invalid(hour_at, fmt::format("hour {:02} is not in 00-23", hour));
  }
  VNTRACE_RETURN_IF_ERROR(in.Expect(':', "':' after the hour"));
  const std::size_t minute_at = in.pos();
  VNTRACE_ASSIGN_OR_RETURN(const int minute, in.Digits(2, "a 2-digit minute"));
  if (minute > 59) {
    return in.Invalid(minute_at, fmt::format("minute {:02} is not in 00-59", minute));
  }
  VNTRACE_RETURN_IF_ERROR(in.Expect(':', "':' after the minute"));
  const std::size_t second_at = in.pos();
  VNTRACE_ASSIGN_OR_RETURN(const int second, in.Digits(2, "a 2-digit second"));
  if (second > 60) {
    return in.Invalid(second_at, fmt::format("second {:02} is not in 00-60", second));
  }

  std::int64_t fraction_nanos = 0;
  if (in.Consume('.')) {
    int digits = 0;
    while (const std::optional<int> digit = in.ConsumeDigit()) {
      if (digits < 9) {
        fraction_nanos = fraction_nanos * 10 + *digit;
      }
      ++digits;
    }
    if (digits == 0) {
      return in.Expected("a digit after '.'");
    }
    for (; digits < 9; ++digits) {
      fraction_nanos *= 10;
    }
  }

  int offset_minutes = 0;
  if (in.Consume('Z') || in.Consume('z')) {
    offset_minutes = 0;
  } else if (in.Peek('+') || in.Peek('-')) {
    VNTRACE_ASSIGN_OR_RETURN(offset_minutes, ScanNumericOffset(in));
  } else {
    return in.Expected("'Z' or a UTC offset such as '+07:00'");
  }
  if (!in.AtEnd()) {
    return in.Expected("the end of the date-time");
  }

  // Every field is in range, so these sums fit easily in int64 (|seconds| < 2^39).
  const std::int64_t local_seconds = DaysFromCivil(year, month, day) * kSecondsPerDay +
                                     hour * 3600 + minute * 60 + (second == 60 ? 59 : second);
  const std::int64_t utc_seconds = local_seconds - std::int64_t{offset_minutes} * 60;
  if (second == 60) {
    const DivMod utc_day = FloorDivMod(utc_seconds, kSecondsPerDay);
    const std::chrono::year_month_day date = CivilFromDays(utc_day.quot);
    const bool end_of_june =
        date.month() == std::chrono::June && date.day() == std::chrono::day{30};
    const bool end_of_december =
        date.month() == std::chrono::December && date.day() == std::chrono::day{31};
    if (utc_day.rem != kSecondsPerDay - 1 || !(end_of_june || end_of_december)) {
      return in.Invalid(second_at,
                        "second 60 (a leap second) is only allowed at 23:59:60 UTC on June 30 "
                        "or December 31");
    }
    fraction_nanos = kNanosPerSecond - 1;
  }

  // Near the negative end of the range the whole seconds alone would overflow; borrow one.
  std::int64_t whole_seconds = utc_seconds;
  if (whole_seconds < 0 && fraction_nanos > 0) {
    whole_seconds += 1;
    fraction_nanos -= kNanosPerSecond;
  }
  std::int64_t unix_nanos = 0;
  if (__builtin_mul_overflow(whole_seconds, kNanosPerSecond, &unix_nanos) ||
      __builtin_add_overflow(unix_nanos, fraction_nanos, &unix_nanos)) {
    return in.Invalid(0,
                      fmt::format("the instant is outside the representable range {}", kRangeText));
  }
  return Timestamp::FromUnixNanos(unix_nanos, offset_minutes);
}

std::string FormatRfc3339(const Timestamp& t, int fraction_digits) {
  VNTRACE_ASSERT(fraction_digits >= kAutoFractionDigits && fraction_digits <= 9);  // fixed in code
  const DivMod second = FloorDivMod(t.unix_nanos(), kNanosPerSecond);
  std::string out;
  out.reserve(35);
  AppendDateTime(out, second.quot + std::int64_t{t.utc_offset_minutes()} * 60);
  AppendFraction(out, second.rem, fraction_digits);
  if (t.utc_offset_minutes() == 0) {
    out += 'Z';
  } else {
    out += FormatUtcOffset(t.utc_offset_minutes());
  }
  return out;
}

std::string FormatRfc3339UtcMillis(const Timestamp& t) {
  DivMod second = FloorDivMod(t.unix_nanos(), kNanosPerSecond);
  std::int64_t millis = (second.rem + kNanosPerMilli / 2) / kNanosPerMilli;
  if (millis == 1000) {
    second.quot += 1;
    millis = 0;
  }
  std::string out;
  out.reserve(24);
  AppendDateTime(out, second.quot);
  fmt::format_to(std::back_inserter(out), ".{:03}Z", millis);
  return out;
}

Result<int> ParseUtcOffset(std::string_view text) {
  Scanner in(text, "invalid UTC offset");
  VNTRACE_ASSIGN_OR_RETURN(const int minutes, ScanNumericOffset(in));
  if (!in.AtEnd()) {
    return in.Expected("the end of the offset");
  }
  return minutes;
}

std::string FormatUtcOffset(int minutes) {
  VNTRACE_ASSERT(minutes >= -kMaxUtcOffsetMinutes &&
                 minutes <= kMaxUtcOffsetMinutes);  // offsets come from ParseUtcOffset
  const int magnitude = std::abs(minutes);
  return fmt::format("{}{:02}:{:02}", minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
}

}  // namespace vntrace::core
