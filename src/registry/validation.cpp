#include "registry/validation.hpp"

#include <array>
#include <chrono>
#include <cstdio>

#include "core/utf8.hpp"

namespace vntrace::registry {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

std::string Code(std::string_view field, std::string_view rule) {
  return std::string(field) + "." + std::string(rule);
}

std::size_t CodePoints(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

}  // namespace

core::Status ValidateTaxCode(std::string_view tax_code) {
  constexpr std::string_view kFormat =
      "tax code must be 10 digits, 10 digits '-' 3 digits (a branch), or a 12-digit personal "
      "identification number";
  std::string_view main = tax_code;
  if (tax_code.size() == 14 && tax_code[10] == '-') {
    if (!AllDigits(tax_code.substr(11))) {
      return core::InvalidArgument(std::string(kFormat), "tax_code.format");
    }
    main = tax_code.substr(0, 10);
  }
  if (main.size() == 12 && AllDigits(main)) {
    return core::Ok();
  }
  if (main.size() != 10 || !AllDigits(main)) {
    return core::InvalidArgument(std::string(kFormat), "tax_code.format");
  }
  static constexpr std::array<int, 9> kWeights = {31, 29, 23, 19, 17, 13, 7, 5, 3};
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) {
    sum += (main[i] - '0') * kWeights[i];
  }
  const int check = 10 - sum % 11;
  if (check != main[9] - '0') {
    return core::InvalidArgument(
        "tax code " + std::string(main) + " has a wrong check digit (the 10th digit)",
        "tax_code.check_digit");
  }
  return core::Ok();
}

core::Result<std::string> NormalisePhone(std::string_view phone) {
  std::string digits;
  std::string_view rest = phone;
  if (rest.starts_with("+84")) {
    digits = "0";
    rest.remove_prefix(3);
  }
  bool last_was_separator = digits.empty();  // "+84 912 ..." may space after the prefix
  for (char c : rest) {
    if (c >= '0' && c <= '9') {
      digits += c;
      last_was_separator = false;
    } else if ((c == ' ' || c == '.' || c == '-') && !last_was_separator) {
      last_was_separator = true;
    } else {
      digits.clear();
      break;
    }
  }
  if (digits.size() < 10 || digits.size() > 11 || digits[0] != '0' || digits[1] == '0') {
    return core::InvalidArgument(
        "phone number must be 0 or +84 followed by 9 or 10 digits, e.g. 0912 345 678",
        "phone.format");
  }
  return digits;
}

core::Status ValidateCompanyPrefix(std::string_view prefix) {
  if (prefix.size() < 4 || prefix.size() > 12 || !AllDigits(prefix)) {
    return core::InvalidArgument("a GS1 company prefix is 4 to 12 digits (Vietnam's start 893)",
                                 "gs1_company_prefix.format");
  }
  return core::Ok();
}

core::Status ValidateDate(std::string_view date, std::string_view field) {
  auto invalid = [&] {
    return core::InvalidArgument(
        std::string(field) + " must be a date written YYYY-MM-DD, got '" + std::string(date) + "'",
        Code(field, "format"));
  };
  if (date.size() != 10 || date[4] != '-' || date[7] != '-' || !AllDigits(date.substr(0, 4)) ||
      !AllDigits(date.substr(5, 2)) || !AllDigits(date.substr(8, 2))) {
    return invalid();
  }
  const int y = std::stoi(std::string(date.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(date.substr(5, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(date.substr(8, 2))));
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                        std::chrono::day(d)};
  if (!ymd.ok() || y < 1900) {
    return invalid();
  }
  return core::Ok();
}

std::string TodayInVietnam(const core::Clock& clock) {
  constexpr std::int64_t kOffsetSeconds = 7 * 3600;
  const std::int64_t seconds = clock.Now().unix_nanos() / 1'000'000'000 + kOffsetSeconds;
  const std::chrono::sys_days day{
      std::chrono::floor<std::chrono::days>(std::chrono::seconds(seconds))};
  const std::chrono::year_month_day ymd(day);
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return out;
}

bool IsExpired(std::string_view valid_until, const core::Clock& clock) {
  return !valid_until.empty() && valid_until < TodayInVietnam(clock);
}

core::Status ValidateText(std::string_view text, std::string_view field, std::size_t max_chars,
                          bool required) {
  if (!core::IsValidUtf8(text)) {
    return core::InvalidArgument(std::string(field) + " is not valid UTF-8",
                                 Code(field, "encoding"));
  }
  if (required && text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return core::InvalidArgument(std::string(field) + " is required", Code(field, "required"));
  }
  if (CodePoints(text) > max_chars) {
    return core::InvalidArgument(
        std::string(field) + " is longer than " + std::to_string(max_chars) + " characters",
        Code(field, "too_long"));
  }
  return core::Ok();
}

core::Result<std::string> NormaliseEmail(std::string_view email) {
  const std::size_t at = email.find('@');
  const bool ok = !email.empty() && email.size() <= 254 && at != std::string_view::npos && at > 0 &&
                  email.find('@', at + 1) == std::string_view::npos &&
                  email.find_first_of(" \t\r\n<>\",;") == std::string_view::npos &&
                  email.find('.', at + 2) != std::string_view::npos && email.back() != '.';
  if (!ok) {
    return core::InvalidArgument("'" + std::string(email) + "' is not an e-mail address",
                                 "email.format");
  }
  std::string lower(email);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

}  // namespace vntrace::registry
