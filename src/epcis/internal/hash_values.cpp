#include "epcis/internal/hash_values.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "epcis/internal/canonical.hpp"
#include "gs1/digital_link.hpp"
#include "gs1/epc_urn.hpp"

namespace vntrace::epcis::internal {
namespace {

struct VocabularyTable {
  std::span<const std::string_view> terms;
  std::string_view uri_prefix;
};

VocabularyTable TableOf(Vocabulary vocabulary) {
  switch (vocabulary) {
    case Vocabulary::kNone:
      break;
    case Vocabulary::kBizStep:
      return {CbvTerms(CbvList::kBizStep), "https://ref.gs1.org/cbv/BizStep-"};
    case Vocabulary::kDisposition:
      return {CbvTerms(CbvList::kDisposition), "https://ref.gs1.org/cbv/Disp-"};
    case Vocabulary::kBizTransactionType:
      return {CbvTerms(CbvList::kBizTransactionType), "https://ref.gs1.org/cbv/BTT-"};
    case Vocabulary::kSourceDestType:
      return {CbvTerms(CbvList::kSourceDestType), "https://ref.gs1.org/cbv/SDT-"};
    case Vocabulary::kErrorReason:
      return {CbvTerms(CbvList::kErrorReason), "https://ref.gs1.org/cbv/ER-"};
    case Vocabulary::kMeasurementType:
      return {CbvTerms(CbvList::kMeasurementType), "https://gs1.org/voc/"};
    case Vocabulary::kSensorAlertType:
      return {CbvTerms(CbvList::kSensorAlertType), "https://gs1.org/voc/"};
    case Vocabulary::kComponent:
      return {CbvTerms(CbvList::kComponent), "https://ref.gs1.org/cbv/Comp-"};
  }
  return {};
}

struct UrnPrefix {
  std::string_view urn;
  std::string_view web;
};

constexpr UrnPrefix kCbvUrnPrefixes[] = {
    {"bizstep:", "https://ref.gs1.org/cbv/BizStep-"}, {"disp:", "https://ref.gs1.org/cbv/Disp-"},
    {"btt:", "https://ref.gs1.org/cbv/BTT-"},         {"sdt:", "https://ref.gs1.org/cbv/SDT-"},
    {"er:", "https://ref.gs1.org/cbv/ER-"},
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// ---- Numbers ----------------------------------------------------------------------------

// Scans `digit (["_"] digit)*` at s[i], appending the digits to `clean`. False when there is
// no digit at s[i] or an underscore is not between two digits.
bool ScanDigitPart(std::string_view s, std::size_t& i, std::string& clean) {
  if (i >= s.size() || !IsDigit(s[i])) return false;
  clean.push_back(s[i++]);
  while (i < s.size()) {
    if (IsDigit(s[i])) {
      clean.push_back(s[i++]);
    } else if (s[i] == '_' && i + 1 < s.size() && IsDigit(s[i + 1])) {
      clean.push_back(s[i + 1]);
      i += 2;
    } else {
      break;
    }
  }
  return true;
}

// Parses Python float() syntax (already trimmed) into `value`. Infinity and NaN are refused.
bool ParsePythonFloat(std::string_view s, double& value) {
  if (s.empty()) return false;
  const char first = s[0];
  if (!IsDigit(first) && first != '+' && first != '-' && first != '.') return false;
  std::string clean;
  clean.reserve(s.size());
  std::size_t i = 0;
  if (s[i] == '+' || s[i] == '-') {
    if (s[i] == '-') clean.push_back('-');
    ++i;
  }
  bool mantissa_digits = ScanDigitPart(s, i, clean);
  if (i < s.size() && s[i] == '.') {
    clean.push_back('.');
    ++i;
    if (ScanDigitPart(s, i, clean)) mantissa_digits = true;
  }
  if (!mantissa_digits) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    clean.push_back('e');
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) clean.push_back(s[i++]);
    if (!ScanDigitPart(s, i, clean)) return false;
  }
  if (i != s.size()) return false;
  const auto [end, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), value);
  if (ec == std::errc::result_out_of_range) {
    // Python gives 0.0 for an underflow (written "0") and inf for an overflow (not a number
    // here). from_chars reports both as out of range; tell them apart by the exponent sign.
    const std::size_t e = clean.find('e');
    if (e != std::string::npos && e + 1 < clean.size() && clean[e + 1] == '-') {
      value = 0;
      return true;
    }
    return false;
  }
  return ec == std::errc() && end == clean.data() + clean.size() && std::isfinite(value);
}

// Appends the exact decimal value of an integral double of magnitude 2^63 or more.
void AppendLargeInteger(double value, std::string& out) {
  int exponent = 0;
  const double mantissa = std::frexp(std::fabs(value), &exponent);  // value = m * 2^exponent
  // 53-bit integer m2 with |value| = m2 * 2^(exponent - 53).
  std::uint64_t m2 = static_cast<std::uint64_t>(std::ldexp(mantissa, 53));
  int shift = exponent - 53;
  // Little-endian limbs in base 10^9.
  constexpr std::uint32_t kBase = 1000000000;
  std::vector<std::uint32_t> limbs;
  while (m2 > 0) {
    limbs.push_back(static_cast<std::uint32_t>(m2 % kBase));
    m2 /= kBase;
  }
  while (shift > 0) {
    const int step = std::min(shift, 29);  // 2^29 * 10^9 fits in 64 bits
    std::uint64_t carry = 0;
    for (std::uint32_t& limb : limbs) {
      const std::uint64_t v = (std::uint64_t{limb} << step) + carry;
      limb = static_cast<std::uint32_t>(v % kBase);
      carry = v / kBase;
    }
    while (carry > 0) {
      limbs.push_back(static_cast<std::uint32_t>(carry % kBase));
      carry /= kBase;
    }
    shift -= step;
  }
  if (value < 0) out.push_back('-');
  char buf[16];
  auto r = std::to_chars(buf, buf + sizeof(buf), limbs.back());
  out.append(buf, r.ptr);
  for (std::size_t i = limbs.size() - 1; i-- > 0;) {
    r = std::to_chars(buf, buf + sizeof(buf), limbs[i]);
    const std::size_t n = static_cast<std::size_t>(r.ptr - buf);
    out.append(9 - n, '0');
    out.append(buf, n);
  }
}

// ---- Timestamps -------------------------------------------------------------------------

bool ReadFixedDigits(std::string_view s, std::size_t& i, int count, int& value) {
  if (i + static_cast<std::size_t>(count) > s.size()) return false;
  value = 0;
  for (int k = 0; k < count; ++k) {
    const char c = s[i + static_cast<std::size_t>(k)];
    if (!IsDigit(c)) return false;
    value = value * 10 + (c - '0');
  }
  i += static_cast<std::size_t>(count);
  return true;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = static_cast<int>(y - era * 400);
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = static_cast<int>(z - era * 146097);
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yoe + era * 400) + (m <= 2 ? 1 : 0);
}

void AppendPadded(int value, int width, std::string& out) {
  char buf[12];
  auto r = std::to_chars(buf, buf + sizeof(buf), value);
  const int n = static_cast<int>(r.ptr - buf);
  if (n < width) out.append(static_cast<std::size_t>(width - n), '0');
  out.append(buf, r.ptr);
}

// ---- GS1 identifiers --------------------------------------------------------------------

// Characters a canonical hash Digital Link keeps as they are; everything else in a value is
// percent-encoded with upper-case hex. This reproduces the reference vectors for URN input
// ("!" "(" ")" "*" "+" "," ":" and the URN escapes encoded; "'" ";" "=" kept).
bool KeepRaw(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
         c == '.' || c == '_' || c == '\'' || c == ';' || c == '=';
}

void AppendEncoded(std::string_view value, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (KeepRaw(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0f]);
    }
  }
}

bool IsEpcKey(std::string_view code) {
  static constexpr std::string_view kKeys[] = {"00",   "01",   "253",  "255",  "401",
                                               "402",  "414",  "417",  "8003", "8004",
                                               "8006", "8010", "8017", "8018"};
  return std::find(std::begin(kKeys), std::end(kKeys), code) != std::end(kKeys);
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

void AppendKeyPath(const gs1::AiElements& path, std::string& out) {
  const bool has_serial = gs1::FindElement(path, "21") != nullptr;
  out.append(gs1::kCanonicalStem);
  for (const gs1::AiElement& e : path) {
    const std::string_view code = e.code();
    if (code == "22" || (code == "10" && has_serial)) continue;
    out.push_back('/');
    out.append(code);
    out.push_back('/');
    AppendEncoded(e.value, out);
  }
}

// The length in bytes of the white-space character at s[pos] (what Python's str.isspace()
// accepts: ASCII controls 9-13 and 28-31, space, U+0085, U+00A0, U+1680, U+2000-U+200A,
// U+2028, U+2029, U+202F, U+205F, U+3000), or 0.
std::size_t SpaceLengthAt(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) return 0;
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)) return 1;
  const std::size_t left = s.size() - pos;
  if (c == 0xc2 && left >= 2) {
    const auto c1 = static_cast<unsigned char>(s[pos + 1]);
    return c1 == 0x85 || c1 == 0xa0 ? 2 : 0;
  }
  if (left < 3) return 0;
  const auto c1 = static_cast<unsigned char>(s[pos + 1]);
  const auto c2 = static_cast<unsigned char>(s[pos + 2]);
  if (c == 0xe1 && c1 == 0x9a && c2 == 0x80) return 3;
  if (c == 0xe2 && c1 == 0x80 &&
      ((c2 >= 0x80 && c2 <= 0x8a) || c2 == 0xa8 || c2 == 0xa9 || c2 == 0xaf))
    return 3;
  if (c == 0xe2 && c1 == 0x81 && c2 == 0x9f) return 3;
  if (c == 0xe3 && c1 == 0x80 && c2 == 0x80) return 3;
  return 0;
}

}  // namespace

bool AppendVocabularyTerm(Vocabulary vocabulary, std::string_view word, std::string& out) {
  const VocabularyTable table = TableOf(vocabulary);
  if (table.terms.empty() || !std::binary_search(table.terms.begin(), table.terms.end(), word)) {
    return false;
  }
  out.append(table.uri_prefix);
  out.append(word);
  return true;
}

bool AppendCbvWebUri(std::string_view urn, std::string& out) {
  constexpr std::string_view kCbvUrn = "urn:epcglobal:cbv:";
  if (!StartsWith(urn, kCbvUrn)) return false;
  const std::string_view rest = urn.substr(kCbvUrn.size());
  for (const UrnPrefix& p : kCbvUrnPrefixes) {
    if (StartsWith(rest, p.urn)) {
      out.append(p.web);
      out.append(rest.substr(p.urn.size()));
      return true;
    }
  }
  return false;
}

bool AppendCanonicalTimestamp(std::string_view s, std::string& out) {
  std::size_t i = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (!ReadFixedDigits(s, i, 4, year) || i >= s.size() || s[i++] != '-' ||
      !ReadFixedDigits(s, i, 2, month) || i >= s.size() || s[i++] != '-' ||
      !ReadFixedDigits(s, i, 2, day)) {
    return false;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return false;
  }
  int offset_minutes = 0;
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return false;
    ++i;
    if (!ReadFixedDigits(s, i, 2, hour) || i >= s.size() || s[i++] != ':' ||
        !ReadFixedDigits(s, i, 2, minute)) {
      return false;
    }
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!ReadFixedDigits(s, i, 2, second)) return false;
      if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        ++i;
        const std::size_t start = i;
        while (i < s.size() && IsDigit(s[i])) ++i;
        if (i == start) return false;
        const std::string_view fraction = s.substr(start, i - start);
        for (std::size_t k = 0; k < 3; ++k) {
          millis = millis * 10 + (k < fraction.size() ? fraction[k] - '0' : 0);
        }
        if (fraction.size() > 3 && fraction[3] >= '5') ++millis;  // may reach 1000: carried
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return false;
    if (i < s.size()) {
      if (s[i] == 'Z' || s[i] == 'z') {
        ++i;
      } else if (s[i] == '+' || s[i] == '-') {
        const int sign = s[i] == '-' ? -1 : 1;
        ++i;
        int oh = 0, om = 0;
        if (!ReadFixedDigits(s, i, 2, oh)) return false;
        if (i < s.size() && s[i] == ':') ++i;
        if (i < s.size() && !ReadFixedDigits(s, i, 2, om)) return false;
        if (oh > 23 || om > 59) return false;
        offset_minutes = sign * (oh * 60 + om);
      } else {
        return false;
      }
    }
    if (i != s.size()) return false;
  }
  std::int64_t total_ms = (DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                           second - std::int64_t{offset_minutes} * 60) *
                              1000 +
                          millis;
  const std::int64_t days = (total_ms >= 0 ? total_ms : total_ms - 86399999) / 86400000;
  std::int64_t ms_of_day = total_ms - days * 86400000;
  int y = 0, m = 0, d = 0;
  CivilFromDays(days, y, m, d);
  if (y < 1 || y > 9999) return false;
  AppendPadded(y, 4, out);
  out.push_back('-');
  AppendPadded(m, 2, out);
  out.push_back('-');
  AppendPadded(d, 2, out);
  out.push_back('T');
  AppendPadded(static_cast<int>(ms_of_day / 3600000), 2, out);
  ms_of_day %= 3600000;
  out.push_back(':');
  AppendPadded(static_cast<int>(ms_of_day / 60000), 2, out);
  ms_of_day %= 60000;
  out.push_back(':');
  AppendPadded(static_cast<int>(ms_of_day / 1000), 2, out);
  out.push_back('.');
  AppendPadded(static_cast<int>(ms_of_day % 1000), 3, out);
  out.push_back('Z');
  return true;
}

void AppendNumber(double value, std::string& out) {
  if (!std::isfinite(value)) {
    out.append(std::isnan(value) ? "nan" : (value < 0 ? "-inf" : "inf"));
    return;
  }
  char buf[40];
  if (value == std::trunc(value)) {
    if (std::fabs(value) < 9.2e18) {
      const auto r = std::to_chars(buf, buf + sizeof(buf), static_cast<std::int64_t>(value));
      out.append(buf, r.ptr);
    } else {
      AppendLargeInteger(value, out);
    }
    return;
  }
  // Shortest round-trip digits, then Python's repr layout: positional for decimal exponents
  // -4..15, scientific with a two-digit exponent otherwise.
  const auto r = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
  std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));
  bool negative = false;
  if (text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  const std::size_t e = text.find('e');
  std::string digits;
  digits.reserve(20);
  for (char c : text.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  std::string_view exp_text = text.substr(e + 1);
  const bool exp_negative = exp_text.front() == '-';
  if (exp_text.front() == '+' || exp_text.front() == '-') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  if (exp_negative) exponent = -exponent;

  if (negative) out.push_back('-');
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      out.append("0.");
      out.append(static_cast<std::size_t>(-exponent - 1), '0');
      out.append(digits);
    } else {
      const std::size_t int_digits = static_cast<std::size_t>(exponent) + 1;
      out.append(digits, 0, std::min(int_digits, digits.size()));
      if (digits.size() < int_digits) out.append(int_digits - digits.size(), '0');
      out.push_back('.');
      out.append(digits.size() > int_digits ? std::string_view(digits).substr(int_digits) : "0");
    }
    return;
  }
  out.push_back(digits[0]);
  if (digits.size() > 1) {
    out.push_back('.');
    out.append(digits, 1);
  }
  out.push_back('e');
  out.push_back(exponent < 0 ? '-' : '+');
  AppendPadded(exponent < 0 ? -exponent : exponent, 2, out);
}

bool AppendCanonicalNumber(std::string_view text, std::string& out) {
  double value = 0;
  if (!ParsePythonFloat(text, value)) return false;
  AppendNumber(value, out);
  return true;
}

bool AppendCanonicalGs1Uri(std::string_view text, std::string& out) {
  if (StartsWith(text, "urn:epc:")) {
    auto dl = gs1::EpcUrnToDigitalLink(text);
    if (!dl.ok() || dl->path.empty() || !IsEpcKey(dl->primary_key().code())) return false;
    AppendKeyPath(dl->path, out);
    return true;
  }
  if (StartsWith(text, "https://") || StartsWith(text, "http://")) {
    gs1::DigitalLinkOptions options;
    options.permit_zero_suppressed_gtin = true;
    options.permit_convenience_alphas = true;
    options.validate_associations = false;
    auto dl = gs1::ParseDigitalLink(text, options);
    if (!dl.ok() || dl->path.empty() || !IsEpcKey(dl->primary_key().code())) return false;
    AppendKeyPath(dl->path, out);
    return true;
  }
  return false;
}

std::string_view TrimSpace(std::string_view s) {
  while (const std::size_t n = SpaceLengthAt(s, 0)) s.remove_prefix(n);
  while (!s.empty()) {
    // The start of the last UTF-8 character.
    std::size_t start = s.size() - 1;
    while (start > 0 && s.size() - start < 3 &&
           (static_cast<unsigned char>(s[start]) & 0xc0) == 0x80) {
      --start;
    }
    const std::size_t n = SpaceLengthAt(s, start);
    if (n == 0 || start + n != s.size()) break;
    s.remove_suffix(n);
  }
  return s;
}

}  // namespace vntrace::epcis::internal
