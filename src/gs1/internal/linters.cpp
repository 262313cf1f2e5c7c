#include "gs1/internal/linters.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

// The rules follow the GS1 General Specifications and GS1's Barcode Syntax Dictionary with its
// reference linters (gs1/gs1-syntax-engine), including their choice of code lists and of which
// character a failure points at.

namespace vntrace::gs1::internal {
namespace {

using LintResult = std::optional<LintFailure>;

constexpr LintResult Fail(std::string_view what, std::size_t position) {
  return LintFailure{what, position};
}

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }

constexpr bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

constexpr bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

constexpr int DigitValue(char c) { return c - '0'; }

// Value of the two digits at `pos`; the caller has checked that they are digits.
constexpr int TwoDigits(std::string_view s, std::size_t pos) {
  return DigitValue(s[pos]) * 10 + DigitValue(s[pos + 1]);
}

constexpr std::size_t FirstNonDigit(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!IsDigit(s[i])) {
      return i;
    }
  }
  return std::string_view::npos;
}

// Checks that `s` is exactly `length` digits; `wrong_length` describes the expected form.
constexpr LintResult RequireDigits(std::string_view s, std::size_t length,
                                   std::string_view wrong_length) {
  if (s.size() != length) {
    return Fail(wrong_length, 0);
  }
  if (const std::size_t pos = FirstNonDigit(s); pos != std::string_view::npos) {
    return Fail("non-digit character", pos);
  }
  return std::nullopt;
}

// Fixed-size set of small non-negative integers, usable in constant expressions.
template <std::size_t kSize>
class BitSet {
 public:
  constexpr void Set(std::size_t i) { words_[i / 64] |= std::uint64_t{1} << (i % 64); }
  constexpr bool Test(std::size_t i) const {
    return i < kSize && ((words_[i / 64] >> (i % 64)) & 1) != 0;
  }

 private:
  std::array<std::uint64_t, (kSize + 63) / 64> words_{};
};

#include "gs1/internal/iso_codes.inc"
#include "gs1/internal/package_types.inc"

template <std::size_t kCount>
constexpr BitSet<1000> MakeNumericSet(const std::array<std::uint16_t, kCount>& codes) {
  BitSet<1000> set;
  for (const std::uint16_t code : codes) {
    set.Set(code);
  }
  return set;
}

constexpr std::size_t Alpha2Index(char first, char second) {
  return static_cast<std::size_t>(first - 'A') * 26 + static_cast<std::size_t>(second - 'A');
}

constexpr BitSet<26 * 26> MakeAlpha2Set() {
  BitSet<26 * 26> set;
  for (const std::string_view code : kIso3166Alpha2) {
    set.Set(Alpha2Index(code[0], code[1]));
  }
  return set;
}

constexpr BitSet<1000> kIso3166NumericSet = MakeNumericSet(kIso3166Numeric);
constexpr BitSet<1000> kIso4217NumericSet = MakeNumericSet(kIso4217Numeric);
constexpr BitSet<26 * 26> kIso3166Alpha2Set = MakeAlpha2Set();

// Packs a code of one to three characters into an integer that sorts like the string.
constexpr std::uint32_t PackShortCode(std::string_view code) {
  std::uint32_t key = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    key = (key << 8) | (i < code.size() ? static_cast<unsigned char>(code[i]) : 0U);
  }
  return key;
}

constexpr std::array<std::uint32_t, kPackageTypes.size()> MakePackageTypeKeys() {
  std::array<std::uint32_t, kPackageTypes.size()> keys{};
  for (std::size_t i = 0; i < kPackageTypes.size(); ++i) {
    keys[i] = PackShortCode(kPackageTypes[i]);
  }
  return keys;
}

constexpr std::array<std::uint32_t, kPackageTypes.size()> kPackageTypeKeys = MakePackageTypeKeys();
static_assert(std::is_sorted(kPackageTypeKeys.begin(), kPackageTypeKeys.end()));

// Parses exactly three digits; -1 if `s` is anything else.
constexpr int ThreeDigitValue(std::string_view s) {
  if (s.size() != 3 || !IsDigit(s[0]) || !IsDigit(s[1]) || !IsDigit(s[2])) {
    return -1;
  }
  return DigitValue(s[0]) * 100 + TwoDigits(s, 1);
}

// --- Check digits ---------------------------------------------------------------------------

// GS1 General Specifications §7.9.1: weights 3, 1, 3, ... from the right, check digit excluded.
constexpr LintResult LintCsum(std::string_view s) {
  if (s.empty()) {
    return Fail("too short for a check digit", 0);
  }
  // Sums the digits with weight 1 and, separately, those that take weight 3: the digits at an
  // odd distance from the check digit.
  const std::size_t last = s.size() - 1;
  unsigned sum_all = 0;
  unsigned sum_odd = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned digit = static_cast<unsigned>(s[i]) - '0';
    if (digit > 9) {
      return Fail("non-digit character", i);
    }
    sum_all += digit;
    sum_odd += ((last - i) & 1) != 0 ? digit : 0;
  }
  // The check digit makes sum(weighted digits) + check digit a multiple of 10.
  if ((sum_all + 2 * sum_odd) % 10 != 0) {
    return Fail("invalid check digit", last);
  }
  return std::nullopt;
}

// CSET 82 in the order of its values 0-81 (GS1 General Specifications §7.9.5).
constexpr std::string_view kCset82Ordered =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
// CSET 32, the alphabet of check characters, in the order of its values 0-31.
constexpr std::string_view kCset32Ordered = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

constexpr std::array<std::int8_t, 256> MakeValueTable(std::string_view ordered) {
  std::array<std::int8_t, 256> table{};
  table.fill(-1);
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    table[static_cast<unsigned char>(ordered[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}

constexpr std::array<std::int8_t, 256> kCset82Values = MakeValueTable(kCset82Ordered);
constexpr std::array<std::int8_t, 256> kCset32Values = MakeValueTable(kCset32Ordered);

// Prime weights for up to 97 data characters, as in GS1's reference linter (AI values have at
// most 90 characters).
constexpr std::size_t kMaxCheckPairData = 97;

constexpr std::array<std::uint16_t, kMaxCheckPairData> MakePrimes() {
  std::array<std::uint16_t, kMaxCheckPairData> primes{};
  std::size_t count = 0;
  for (std::uint16_t n = 2; count < primes.size(); ++n) {
    bool prime = true;
    for (std::uint16_t d = 2; d * d <= n; ++d) {
      if (n % d == 0) {
        prime = false;
        break;
      }
    }
    if (prime) {
      primes[count++] = n;
    }
  }
  return primes;
}

constexpr std::array<std::uint16_t, kMaxCheckPairData> kPrimes = MakePrimes();

// GS1 General Specifications §7.9.5: the CSET 82 values of the data characters, weighted from
// the right by the primes 2, 3, 5, ..., summed modulo 1021; the 10-bit result split into two
// 5-bit halves gives the two CSET 32 check characters.
constexpr LintResult LintCsumAlpha(std::string_view s) {
  if (s.size() < 2) {
    return Fail("too short for a check character pair", 0);
  }
  const std::size_t data_length = s.size() - 2;
  if (data_length > kMaxCheckPairData) {
    return Fail("too long for a check character pair", 0);
  }
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < data_length; ++i) {
    const int value = kCset82Values[static_cast<unsigned char>(s[i])];
    if (value < 0) {
      return Fail("character outside CSET 82", i);
    }
    sum += static_cast<std::uint32_t>(value) * kPrimes[data_length - 1 - i];
  }
  for (std::size_t i = data_length; i < s.size(); ++i) {
    if (kCset32Values[static_cast<unsigned char>(s[i])] < 0) {
      return Fail("invalid check character", i);
    }
  }
  sum %= 1021;
  if (s[data_length] != kCset32Ordered[sum >> 5] ||
      s[data_length + 1] != kCset32Ordered[sum & 31]) {
    return Fail("invalid check character pair", data_length);
  }
  return std::nullopt;
}

// --- GS1 Company Prefix ---------------------------------------------------------------------

// The shortest GS1 Company Prefix has four digits (as in GS1's reference linter); without
// GS1's allocation data, only those four digits can be checked.
constexpr std::size_t kMinGcpLength = 4;

constexpr LintResult LintGcpAt(std::string_view s, std::size_t offset) {
  if (s.size() < offset + kMinGcpLength) {
    return Fail("too short for a GS1 Company Prefix", offset < s.size() ? offset : 0);
  }
  for (std::size_t i = offset; i < offset + kMinGcpLength; ++i) {
    if (!IsDigit(s[i])) {
      return Fail("invalid GS1 Company Prefix", i);
    }
  }
  return std::nullopt;
}

// --- Dates and times ------------------------------------------------------------------------

constexpr int DaysInMonth(int month, bool leap_year) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap_year ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

// Checks MM at `pos` and DD at `pos + 2`; the digits have been checked.
constexpr LintResult CheckMonthDay(std::string_view s, std::size_t pos, bool leap_year,
                                   bool allow_zero_day) {
  const int month = TwoDigits(s, pos);
  if (month < 1 || month > 12) {
    return Fail("month must be 01-12", pos);
  }
  const int day = TwoDigits(s, pos + 2);
  if (day == 0 && allow_zero_day) {
    return std::nullopt;
  }
  if (day < 1 || day > DaysInMonth(month, leap_year)) {
    return Fail("day is not valid for the month", pos + 2);
  }
  return std::nullopt;
}

// YYMMDD. A two-digit year resolves to within 49 years back and 50 years ahead of today
// (GS1 General Specifications §7.12), so "00" is 2000 through 2049 and YY % 4 == 0 marks the
// leap years in that range.
constexpr LintResult LintYymmdd(std::string_view s, bool allow_zero_day) {
  if (auto failure = RequireDigits(s, 6, "date must be 6 digits (YYMMDD)")) {
    return failure;
  }
  return CheckMonthDay(s, 2, TwoDigits(s, 0) % 4 == 0, allow_zero_day);
}

constexpr LintResult LintYyyymmdd(std::string_view s) {
  if (auto failure = RequireDigits(s, 8, "date must be 8 digits (YYYYMMDD)")) {
    return failure;
  }
  const int year = TwoDigits(s, 0) * 100 + TwoDigits(s, 2);
  const bool leap_year = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return CheckMonthDay(s, 4, leap_year, false);
}

// Checks a two-digit number at `pos` against 00..max; the digits have been checked.
constexpr LintResult CheckUpTo(std::string_view s, std::size_t pos, int max,
                               std::string_view what) {
  if (TwoDigits(s, pos) > max) {
    return Fail(what, pos);
  }
  return std::nullopt;
}

constexpr std::string_view kHourRange = "hour must be 00-23";
constexpr std::string_view kMinuteRange = "minute must be 00-59";
constexpr std::string_view kSecondRange = "second must be 00-59";

constexpr LintResult LintHhmi(std::string_view s) {
  if (auto failure = RequireDigits(s, 4, "time must be 4 digits (HHMI)")) {
    return failure;
  }
  if (auto failure = CheckUpTo(s, 0, 23, kHourRange)) {
    return failure;
  }
  return CheckUpTo(s, 2, 59, kMinuteRange);
}

constexpr LintResult LintTwoDigitUpTo(std::string_view s, int max, std::string_view what) {
  if (auto failure = RequireDigits(s, 2, "must be 2 digits")) {
    return failure;
  }
  return CheckUpTo(s, 0, max, what);
}

// --- Code lists -----------------------------------------------------------------------------

constexpr LintResult LintIso3166(std::string_view s, bool allow_999) {
  const int code = ThreeDigitValue(s);
  if (code < 0 ||
      !(kIso3166NumericSet.Test(static_cast<std::size_t>(code)) || (allow_999 && code == 999))) {
    return Fail("unknown ISO 3166 country code", 0);
  }
  return std::nullopt;
}

constexpr bool IsIso3166Alpha2(char first, char second) {
  return IsUpper(first) && IsUpper(second) && kIso3166Alpha2Set.Test(Alpha2Index(first, second));
}

constexpr LintResult LintIso3166Alpha2(std::string_view s) {
  if (s.size() != 2 || !IsIso3166Alpha2(s[0], s[1])) {
    return Fail("unknown ISO 3166 alpha-2 country code", 0);
  }
  return std::nullopt;
}

constexpr LintResult LintIso4217(std::string_view s) {
  const int code = ThreeDigitValue(s);
  if (code < 0 || !kIso4217NumericSet.Test(static_cast<std::size_t>(code))) {
    return Fail("unknown ISO 4217 currency code", 0);
  }
  return std::nullopt;
}

constexpr LintResult LintIso5218(std::string_view s) {
  if (s.size() != 1 || (s[0] != '0' && s[0] != '1' && s[0] != '2' && s[0] != '9')) {
    return Fail("sex code must be 0, 1, 2 or 9", 0);
  }
  return std::nullopt;
}

constexpr LintResult LintPackageType(std::string_view s) {
  if (s.empty() || s.size() > 3 ||
      !std::binary_search(kPackageTypeKeys.begin(), kPackageTypeKeys.end(), PackShortCode(s))) {
    return Fail("unknown package type code", 0);
  }
  return std::nullopt;
}

// AIDC media types (GS1 General Specifications, AI 7241): 01-10 assigned, 80-99 for local use.
constexpr LintResult LintMediaType(std::string_view s) {
  if (s.size() == 2 && IsDigit(s[0]) && IsDigit(s[1])) {
    const int type = TwoDigits(s, 0);
    if ((type >= 1 && type <= 10) || type >= 80) {
      return std::nullopt;
    }
  }
  return Fail("unknown AIDC media type", 0);
}

// Importer index of EU 2018/574 (AI 7040): one of 0-9, A-Z, a-z, '-' or '_'.
constexpr LintResult LintImporterIdx(std::string_view s) {
  if (s.size() != 1) {
    return Fail("importer index must be one character", 0);
  }
  const char c = s[0];
  if (!(IsDigit(c) || IsUpper(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_')) {
    return Fail("invalid importer index character", 0);
  }
  return std::nullopt;
}

// --- IBAN -----------------------------------------------------------------------------------

constexpr std::size_t kIbanMaxLength = 34;
// ISO 13616 sets no minimum; GS1's linter requires more than 10 characters.
constexpr std::size_t kIbanMinLength = 11;

// ISO 13616: country code, two check digits, BBAN; moving the first four characters to the end
// and reading letters as 10-35 gives a number that is 1 modulo 97.
constexpr LintResult LintIban(std::string_view s) {
  if (s.size() < 4) {
    return Fail("IBAN too short", 0);
  }
  if (!IsIso3166Alpha2(s[0], s[1])) {
    return Fail("unknown IBAN country code", 0);
  }
  if (s.size() > kIbanMaxLength) {
    return Fail("IBAN too long", 0);
  }
  if (s.size() < kIbanMinLength) {
    return Fail("IBAN too short", 0);
  }
  // Rearranged, the IBAN reads from index 4 to the end, then indices 0-3. The remainder is
  // reduced only when it could overflow: 10^15 * 100 + 35 fits in 64 bits.
  std::uint64_t remainder = 0;
  for (std::size_t n = 0; n < s.size(); ++n) {
    const std::size_t i = n + 4 < s.size() ? n + 4 : n + 4 - s.size();
    const char c = s[i];
    if (IsDigit(c)) {
      remainder = remainder * 10 + static_cast<std::uint64_t>(DigitValue(c));
    } else if (IsUpper(c)) {
      remainder = remainder * 100 + static_cast<std::uint64_t>(c - 'A' + 10);
    } else {
      return Fail("invalid IBAN character", i);
    }
    if (remainder >= 1'000'000'000'000'000) {
      remainder %= 97;
    }
  }
  remainder %= 97;
  if (remainder != 1) {
    return Fail("invalid IBAN check digits", 2);
  }
  return std::nullopt;
}

// --- Small structural checks ----------------------------------------------------------------

constexpr LintResult LintPcenc(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && (i + 2 >= s.size() || !IsHexDigit(s[i + 1]) || !IsHexDigit(s[i + 2]))) {
      return Fail("'%' must be followed by two hexadecimal digits", i);
    }
  }
  return std::nullopt;
}

constexpr LintResult LintSingleChar(std::string_view s, std::string_view allowed,
                                    std::string_view what) {
  if (s.size() != 1 || allowed.find(s[0]) == std::string_view::npos) {
    return Fail(what, 0);
  }
  return std::nullopt;
}

constexpr LintResult LintHyphen(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '-') {
      return Fail("must be a hyphen", i);
    }
  }
  return std::nullopt;
}

constexpr LintResult LintNonZero(std::string_view s) {
  if (s.find_first_not_of('0') == std::string_view::npos) {
    return Fail("must not be zero", 0);
  }
  return std::nullopt;
}

constexpr LintResult LintNoZeroPrefix(std::string_view s) {
  if (s.size() > 1 && s[0] == '0') {
    return Fail("must not start with zero", 0);
  }
  return std::nullopt;
}

constexpr LintResult LintHasNonDigit(std::string_view s) {
  if (FirstNonDigit(s) == std::string_view::npos) {
    return Fail("must contain a non-digit character", 0);
  }
  return std::nullopt;
}

// NNMM: piece number NN of a total of MM pieces (AIs 8006, 8026).
constexpr LintResult LintPieceOfTotal(std::string_view s) {
  if (auto failure = RequireDigits(s, 4, "must be 4 digits (piece and total)")) {
    return failure;
  }
  const int piece = TwoDigits(s, 0);
  const int total = TwoDigits(s, 2);
  if (piece == 0) {
    return Fail("piece number must not be zero", 0);
  }
  if (total == 0) {
    return Fail("total count must not be zero", 2);
  }
  if (piece > total) {
    return Fail("piece number exceeds total count", 0);
  }
  return std::nullopt;
}

// "<position>/<total>", both numbers without leading zeros, position <= total (AI 7258).
constexpr LintResult LintPosInSeqSlash(std::string_view s) {
  const std::size_t slash = s.find('/');
  if (slash == 0 || slash == std::string_view::npos || slash + 1 == s.size()) {
    return Fail("must be <position>/<total>", 0);
  }
  const std::string_view position = s.substr(0, slash);
  const std::string_view total = s.substr(slash + 1);
  if (FirstNonDigit(position) != std::string_view::npos ||
      FirstNonDigit(total) != std::string_view::npos) {
    return Fail("must be <position>/<total>", 0);
  }
  if (position[0] == '0') {
    return Fail("number must not be zero or start with zero", 0);
  }
  if (total[0] == '0') {
    return Fail("number must not be zero or start with zero", slash + 1);
  }
  // Without leading zeros, a longer number is larger; equal lengths compare as strings.
  if (position.size() > total.size() || (position.size() == total.size() && position > total)) {
    return Fail("position exceeds total", 0);
  }
  return std::nullopt;
}

constexpr LintResult LintCoordinate(std::string_view s, std::uint64_t max,
                                    std::string_view out_of_range) {
  if (auto failure = RequireDigits(s, 10, "must be 10 digits")) {
    return failure;
  }
  std::uint64_t value = 0;
  for (const char c : s) {
    value = value * 10 + static_cast<std::uint64_t>(DigitValue(c));
  }
  if (value > max) {
    return Fail(out_of_range, 0);
  }
  return std::nullopt;
}

// --- Coupons --------------------------------------------------------------------------------

// Walks the digit fields of a coupon code. Failures for missing data point at 0 (the whole
// component); failures for a truncated field point at its first character.
class CouponReader {
 public:
  explicit constexpr CouponReader(std::string_view data) : data_(data) {}

  constexpr bool AtEnd() const { return pos_ == data_.size(); }
  constexpr std::size_t Position() const { return pos_; }
  // Value of the last digit read by Digit().
  constexpr int Last() const { return last_; }

  // Consumes the option indicator `c` if it comes next.
  constexpr bool TakeIndicator(char c) {
    if (pos_ < data_.size() && data_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  // Consumes one digit, which must be one of `allowed`.
  constexpr LintResult Digit(std::string_view allowed, std::string_view missing,
                             std::string_view invalid) {
    if (AtEnd()) {
      return Fail(missing, 0);
    }
    if (allowed.find(data_[pos_]) == std::string_view::npos) {
      return Fail(invalid, pos_);
    }
    last_ = DigitValue(data_[pos_++]);
    return std::nullopt;
  }

  // Consumes `length` digits.
  constexpr LintResult Field(std::size_t length, std::string_view truncated) {
    if (data_.size() - pos_ < length) {
      return Fail(truncated, AtEnd() ? 0 : pos_);
    }
    pos_ += length;
    return std::nullopt;
  }

  // Consumes a length indicator (digits in `allowed`) and the field of Last() + `extra` digits.
  constexpr LintResult LengthAndField(std::string_view allowed, int extra, std::string_view missing,
                                      std::string_view invalid, std::string_view truncated) {
    if (auto failure = Digit(allowed, missing, invalid)) {
      return failure;
    }
    return Field(static_cast<std::size_t>(Last() + extra), truncated);
  }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
  int last_ = 0;
};

constexpr std::string_view kAnyDigit = "0123456789";
constexpr std::string_view kNotADigit = "non-digit character";
constexpr std::string_view kExcessData = "unexpected data after the last coupon field";

// An additional purchase requirement: requirement, its code, its family code and the company
// prefix of the item (length indicator 9: none).
constexpr LintResult ReadAdditionalPurchase(CouponReader& reader, std::string_view missing,
                                            std::string_view invalid, std::string_view truncated) {
  if (auto failure = reader.LengthAndField("12345", 0, missing, invalid, truncated)) {
    return failure;
  }
  if (auto failure = reader.Digit("012349", missing, invalid)) {
    return failure;
  }
  if (auto failure = reader.Field(3, truncated)) {
    return failure;
  }
  if (auto failure = reader.Digit("01234569", missing, invalid)) {
    return failure;
  }
  if (reader.Last() != 9) {
    return reader.Field(static_cast<std::size_t>(reader.Last() + 6), truncated);
  }
  return std::nullopt;
}

// North American coupon code of AI (8110), per "North American Coupon Application Guideline
// Using GS1 DataBar Expanded Symbols": a mandatory part, then optional fields introduced by
// the indicators 1, 2, 3, 4, 5, 6 and 9, in that order.
constexpr LintResult LintCouponCode(std::string_view s) {
  if (const std::size_t pos = FirstNonDigit(s); pos != std::string_view::npos) {
    return Fail(kNotADigit, pos);
  }
  CouponReader reader(s);
  // Company prefix of 6-12 digits (the GS1 Company Prefix check always passes on them).
  if (auto failure =
          reader.LengthAndField("0123456", 6, "missing company prefix length",
                                "invalid company prefix length", "truncated company prefix")) {
    return failure;
  }
  if (auto failure = reader.Field(6, "truncated offer code")) {
    return failure;
  }
  if (auto failure = reader.LengthAndField("12345", 0, "missing save value length",
                                           "invalid save value length", "truncated save value")) {
    return failure;
  }
  if (auto failure =
          reader.LengthAndField("12345", 0, "missing primary purchase requirement length",
                                "invalid primary purchase requirement length",
                                "truncated primary purchase requirement")) {
    return failure;
  }
  if (auto failure = reader.Digit("012349", "missing primary purchase requirement code",
                                  "invalid primary purchase requirement code")) {
    return failure;
  }
  if (auto failure = reader.Field(3, "truncated primary purchase family code")) {
    return failure;
  }
  if (reader.TakeIndicator('1')) {
    if (auto failure = reader.Digit("0123", "missing additional purchase rules code",
                                    "invalid additional purchase rules code")) {
      return failure;
    }
    if (auto failure = ReadAdditionalPurchase(reader, "missing second purchase requirement field",
                                              "invalid second purchase requirement field",
                                              "truncated second purchase requirement field")) {
      return failure;
    }
  }
  if (reader.TakeIndicator('2')) {
    if (auto failure = ReadAdditionalPurchase(reader, "missing third purchase requirement field",
                                              "invalid third purchase requirement field",
                                              "truncated third purchase requirement field")) {
      return failure;
    }
  }
  std::size_t expiration = std::string_view::npos;
  if (reader.TakeIndicator('3')) {
    expiration = reader.Position();
    if (auto failure = reader.Field(6, "truncated expiration date")) {
      return failure;
    }
    if (LintYymmdd(s.substr(expiration, 6), false)) {
      return Fail("invalid expiration date", expiration);
    }
  }
  if (reader.TakeIndicator('4')) {
    const std::size_t start = reader.Position();
    if (auto failure = reader.Field(6, "truncated start date")) {
      return failure;
    }
    if (LintYymmdd(s.substr(start, 6), false)) {
      return Fail("invalid start date", start);
    }
    if (expiration != std::string_view::npos && s.substr(start, 6) > s.substr(expiration, 6)) {
      return Fail("expiration date before start date", expiration);
    }
  }
  if (reader.TakeIndicator('5')) {
    if (auto failure = reader.LengthAndField(kAnyDigit, 6, "missing serial number length", "",
                                             "truncated serial number")) {
      return failure;
    }
  }
  if (reader.TakeIndicator('6')) {
    if (auto failure =
            reader.LengthAndField("1234567", 6, "missing retailer company prefix or GLN length",
                                  "invalid retailer company prefix or GLN length",
                                  "truncated retailer company prefix or GLN")) {
      return failure;
    }
  }
  if (reader.TakeIndicator('9')) {
    if (auto failure =
            reader.Digit("01256", "missing save value code", "invalid save value code")) {
      return failure;
    }
    if (auto failure = reader.Digit("012", "missing save value applies to item",
                                    "invalid save value applies to item")) {
      return failure;
    }
    if (auto failure = reader.Digit(kAnyDigit, "missing store coupon flag", "")) {
      return failure;
    }
    if (auto failure =
            reader.Digit("01", "missing don't multiply flag", "invalid don't multiply flag")) {
      return failure;
    }
  }
  if (!reader.AtEnd()) {
    return Fail(kExcessData, reader.Position());
  }
  return std::nullopt;
}

// Positive offer file coupon of AI (8112), per "GS1 AI (8112) Coupon Data Specification":
// format code, funder ID, offer code, serial number.
constexpr LintResult LintCouponPosOffer(std::string_view s) {
  if (const std::size_t pos = FirstNonDigit(s); pos != std::string_view::npos) {
    return Fail(kNotADigit, pos);
  }
  CouponReader reader(s);
  if (auto failure =
          reader.Digit("01", "missing coupon format code", "invalid coupon format code")) {
    return failure;
  }
  if (auto failure = reader.LengthAndField("0123456", 6, "missing funder ID length",
                                           "invalid funder ID length", "truncated funder ID")) {
    return failure;
  }
  if (auto failure = reader.Field(6, "truncated offer code")) {
    return failure;
  }
  if (auto failure = reader.LengthAndField(kAnyDigit, 6, "missing serial number length", "",
                                           "truncated serial number")) {
    return failure;
  }
  if (!reader.AtEnd()) {
    return Fail(kExcessData, reader.Position());
  }
  return std::nullopt;
}

}  // namespace

std::optional<LintFailure> Lint(Linter linter, std::string_view component) {
  switch (linter) {
    case Linter::kNone:
      return std::nullopt;
    case Linter::kCsum:
      return LintCsum(component);
    case Linter::kCsumAlpha:
      return LintCsumAlpha(component);
    case Linter::kGcpPos1:
      return LintGcpAt(component, 0);
    case Linter::kGcpPos2:
      return LintGcpAt(component, 1);
    case Linter::kYymmd0:
      return LintYymmdd(component, true);
    case Linter::kYymmdd:
      return LintYymmdd(component, false);
    case Linter::kYyyymmdd:
      return LintYyyymmdd(component);
    case Linter::kHhmi:
      return LintHhmi(component);
    case Linter::kHh:
      return LintTwoDigitUpTo(component, 23, kHourRange);
    case Linter::kMi:
      return LintTwoDigitUpTo(component, 59, kMinuteRange);
    case Linter::kSs:
      return LintTwoDigitUpTo(component, 59, kSecondRange);
    case Linter::kIso3166:
      return LintIso3166(component, false);
    case Linter::kIso3166999:
      return LintIso3166(component, true);
    case Linter::kIso3166Alpha2:
      return LintIso3166Alpha2(component);
    case Linter::kIso4217:
      return LintIso4217(component);
    case Linter::kIso5218:
      return LintIso5218(component);
    case Linter::kIban:
      return LintIban(component);
    case Linter::kPcenc:
      return LintPcenc(component);
    case Linter::kYesNo:
      return LintSingleChar(component, "01", "must be 0 or 1");
    case Linter::kHyphen:
      return LintHyphen(component);
    case Linter::kImporterIdx:
      return LintImporterIdx(component);
    case Linter::kPackageType:
      return LintPackageType(component);
    case Linter::kMediaType:
      return LintMediaType(component);
    case Linter::kPosInSeqSlash:
      return LintPosInSeqSlash(component);
    case Linter::kNonZero:
      return LintNonZero(component);
    case Linter::kWinding:
      return LintSingleChar(component, "019", "winding direction must be 0, 1 or 9");
    case Linter::kZero:
      return LintSingleChar(component, "0", "must be 0");
    case Linter::kPieceOfTotal:
      return LintPieceOfTotal(component);
    case Linter::kNoZeroPrefix:
      return LintNoZeroPrefix(component);
    case Linter::kHasNonDigit:
      return LintHasNonDigit(component);
    case Linter::kCouponCode:
      return LintCouponCode(component);
    case Linter::kCouponPosOffer:
      return LintCouponPosOffer(component);
    case Linter::kLatitude:
      return LintCoordinate(component, 1'800'000'000, "latitude out of range");
    case Linter::kLongitude:
      return LintCoordinate(component, 3'600'000'000, "longitude out of range");
  }
  return std::nullopt;
}

}  // namespace vntrace::gs1::internal
