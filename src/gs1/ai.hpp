// gs1::ai: the GS1 Application Identifier dictionary.
//
// Every AI of the GS1 General Specifications (as machine-readably published in GS1's Barcode
// Syntax Dictionary, release 2026-01-27) with its title, its data format broken into
// components (character set, fixed or variable length, optional parts), the content checks
// ("linters") applied to each component, whether it needs an FNC1 separator, its GS1 Digital
// Link role and the AIs it requires or excludes. The table is compiled in; tests check it
// against `../shared/conformance/gs1/gs1-syntax-dictionary.txt`.
//
// Thread-safety: immutable after static initialisation; safe from any thread.
//
// Example:
//   const gs1::AiDefinition* def = gs1::FindAi("3103");
//   // def->title == "NET WEIGHT (kg)", def->decimal_places == 3
//   gs1::Result<void> ok = gs1::ValidateAiValue(*def, "000195");
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace vntrace::gs1 {

// Character sets of the GS1 General Specifications (§7.11).
enum class CharSet : std::uint8_t {
  kNumeric,  // "N": digits 0-9
  kCset82,   // "X": GS1 AI encodable character set 82
  kCset39,   // "Y": GS1 AI encodable character set 39 (CPID)
  kCset64,   // "Z": GS1 AI encodable character set 64 (base64url, with '=' padding)
};

// Content checks applied to one component of an AI's data, named as in the Syntax Dictionary.
enum class Linter : std::uint8_t {
  kNone,
  kCsum,            // GS1 mod-10 check digit in the last position
  kCsumAlpha,       // pair of check characters (GMN, MUDI)
  kGcpPos1,         // a GS1 Company Prefix starts at position 1
  kGcpPos2,         // a GS1 Company Prefix starts at position 2
  kYymmd0,          // date YYMMDD, DD may be 00
  kYymmdd,          // date YYMMDD
  kYyyymmdd,        // date YYYYMMDD
  kHhmi,            // time HHMI
  kHh,              // hour HH
  kMi,              // minute MI
  kSs,              // second SS
  kIso3166,         // ISO 3166-1 numeric country code
  kIso3166999,      // ISO 3166-1 numeric country code or 999
  kIso3166Alpha2,   // ISO 3166-1 alpha-2 country code
  kIso4217,         // ISO 4217 numeric currency code
  kIso5218,         // ISO/IEC 5218 sex code (0, 1, 2, 9)
  kIban,            // IBAN with valid mod-97 check
  kPcenc,           // percent-encoding, each %XX well formed
  kYesNo,           // 0 or 1
  kHyphen,          // the character '-'
  kImporterIdx,     // importer index character of AI 7040
  kPackageType,     // UN/ECE Recommendation 21 package type code
  kMediaType,       // AIDC media type 01-10 or 80-99
  kPosInSeqSlash,   // position/total, e.g. "1/3"
  kNonZero,         // not all zeros
  kWinding,         // winding direction 0, 1 or 9
  kZero,            // the digit 0
  kPieceOfTotal,    // piece number NN of total NN, piece <= total, neither zero
  kNoZeroPrefix,    // no leading zero unless the value is "0"
  kHasNonDigit,     // at least one non-digit character
  kCouponCode,      // North American coupon code structure (AI 8110)
  kCouponPosOffer,  // positive offer file coupon structure (AI 8112)
  kLatitude,        // 10 digits, value <= 1800000000
  kLongitude,       // 10 digits, value <= 3600000000
};

// Returns the Syntax Dictionary's name of `linter`, e.g. "csum"; "" for kNone.
std::string_view LinterName(Linter linter);

inline constexpr std::size_t kMaxLintersPerComponent = 3;
inline constexpr std::size_t kMaxComponents = 5;

struct AiComponent {
  CharSet charset = CharSet::kNumeric;
  std::uint8_t min_length = 0;  // equal to max_length for fixed-length components
  std::uint8_t max_length = 0;
  bool optional = false;
  std::array<Linter, kMaxLintersPerComponent> linters{};
};

struct AiDefinition {
  std::string_view code;   // "01", "3103", "7040"
  std::string_view title;  // GS1 data title, e.g. "GTIN", "BATCH/LOT"
  // '*' in the dictionary: a predefined-length AI that never needs an FNC1 separator.
  bool predefined_length = false;
  // '?' in the dictionary: may appear as a Digital Link data attribute (query parameter).
  bool dl_data_attribute = false;
  // Whether this AI is a Digital Link primary key; `dl_qualifiers` then lists the allowed
  // ordered qualifier sequences, alternatives separated by '|', e.g. "22,10,21|235".
  bool dl_primary_key = false;
  std::string_view dl_qualifiers;
  // Association rules as written in the dictionary: each space-separated group of `requires`
  // must be satisfied ("01+21,02" = (01 and 21) or 02); `excludes` lists AIs or patterns ("310n",
  // "31nn") that may not appear with it.
  std::string_view requires_all;
  std::string_view excludes;
  // For AIs whose last digit is an implied decimal point position (31nn-36nn, 39nn); -1 otherwise.
  std::int8_t decimal_places = -1;
  std::uint8_t component_count = 0;
  std::array<AiComponent, kMaxComponents> components{};
  std::uint8_t min_length = 0;  // total data length bounds
  std::uint8_t max_length = 0;

  std::span<const AiComponent> Components() const { return {components.data(), component_count}; }
};

// All AIs in ascending order of code (ranges such as 3100-3105 expanded).
std::span<const AiDefinition> AllAis();

// Returns the AI with exactly this code, or nullptr.
const AiDefinition* FindAi(std::string_view code);

// Returns the known AI that `data` starts with (element-string parsing: AIs are prefix-free),
// or nullptr when no AI matches.
const AiDefinition* MatchAiPrefix(std::string_view data);

// Length of the AI that starts with these two digits per the GS1 General Specifications'
// AI prefix table (2, 3 or 4); 0 when `two_digits` is not two digits or the prefix is unassigned.
int AiLengthForPrefix(std::string_view two_digits);

// Checks `value` against the AI's format and every linter of every component. On failure
// returns kInvalidArgument whose message names the AI and, where it applies, the 1-based
// character position, e.g. "AI (01): invalid check digit at position 14".
core::Status ValidateAiValue(const AiDefinition& ai, std::string_view value);

// True when every character of `s` belongs to `charset`.
bool InCharSet(CharSet charset, std::string_view s);
// Position of the first character of `s` outside `charset`, or std::string_view::npos.
std::size_t FirstOutsideCharSet(CharSet charset, std::string_view s);

}  // namespace vntrace::gs1
