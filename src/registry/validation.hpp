// registry::validation: the field rules of registry records.
//
// Every refusal is kInvalidArgument with a precise English message (for logs and API clients)
// and, in Error::details, a stable machine code "field.rule" (e.g. "tax_code.check_digit").
// The web layer shows the Vietnamese text of that code beside the field; the catalogue is
// web/i18n/vi.json and web/i18n/en.json under "error.<code>".
//
// Thread-safety: stateless functions.
//
// Example:
//   core::Status ok = registry::ValidateTaxCode("0300588569");
//   if (!ok.ok()) ShowBeside("tax_code", ok.error().details);  // "tax_code.check_digit"
#pragma once

#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace vntrace::registry {

// A Vietnamese tax code (mã số thuế): 10 digits whose last is the check digit (weights 31, 29,
// 23, 19, 17, 13, 7, 5, 3), a branch code "NNNNNNNNNN-NNN", or the 12-digit personal
// identification number that serves as tax code of individuals and household businesses
// since 1 July 2025. Codes "tax_code.format", "tax_code.check_digit".
core::Status ValidateTaxCode(std::string_view tax_code);

// A Vietnamese phone number: 0 or +84 then 9 or 10 digits; spaces, dots and dashes allowed
// between digits. Returns it normalised ("0912345678"). Code "phone.format".
core::Result<std::string> NormalisePhone(std::string_view phone);

// A GS1 company prefix: 4 to 12 digits, not starting with 0 for Vietnam's 893... (any GS1
// prefix is accepted). Code "gs1_company_prefix.format".
core::Status ValidateCompanyPrefix(std::string_view prefix);

// An ISO 8601 calendar date "YYYY-MM-DD" that exists. Code "{field}.format".
core::Status ValidateDate(std::string_view date, std::string_view field);

// Today's date in Vietnam (UTC+07:00), as "YYYY-MM-DD".
std::string TodayInVietnam(const core::Clock& clock);

// True when `valid_until` (an ISO date, the last valid day) is before today in Vietnam. An
// empty date never expires.
bool IsExpired(std::string_view valid_until, const core::Clock& clock);

// Required, valid UTF-8 text of at most `max_chars` code points. Codes "{field}.required",
// "{field}.too_long", "{field}.encoding".
core::Status ValidateText(std::string_view text, std::string_view field, std::size_t max_chars,
                          bool required);

// An e-mail address (one '@', a dot in the domain, no spaces), returned in lower case. Code
// "email.format".
core::Result<std::string> NormaliseEmail(std::string_view email);

}  // namespace vntrace::registry
