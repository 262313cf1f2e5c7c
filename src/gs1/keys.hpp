// gs1::keys: GS1 identification keys, check digits and strong identifier types.
//
// Validation of GTIN-8/12/13/14, GLN, SSCC, GRAI, GIAI, GSRN, GDTI, GCN, GINC, GSIN, ITIP,
// GMN and CPID per the GS1 General Specifications, and strong types that can only be built
// by a parsing function that checks them.
//
// Thread-safety: values and stateless functions.
//
// Example:
//   auto gtin = gs1::Gtin::Parse("8935001200014");   // GTIN-13, normalised to 14 digits
//   gtin->digits() == "08935001200014";
//   gs1::ComputeCheckDigit("893500120001") == 4;
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace vntrace::gs1 {

// The GS1 mod-10 check digit of `body` (the digits before the check digit): weights 3,1,3,...
// from the right. Returns -1 when `body` is empty or has a non-digit.
int ComputeCheckDigit(std::string_view body);
// True when `digits` (at least 2) are all digits and the last one is the GS1 check digit.
bool HasValidCheckDigit(std::string_view digits);

enum class KeyType {
  kGtin,
  kGln,
  kSscc,
  kGrai,
  kGiai,
  kGsrn,
  kGsrnp,
  kGdti,
  kGcn,
  kGinc,
  kGsin,
  kItip,
  kGmn,
  kCpid,
};

// "GTIN", "GLN", ...
std::string_view KeyTypeName(KeyType type);
// The AI that carries this key: 01, 414, 00, 8003, 8004, 8018, 8017, 253, 255, 401, 402, 8006,
// 8013, 8010.
std::string_view KeyAi(KeyType type);

// Validates a key value as written in its AI (GTIN must be 14 digits here; see Gtin::Parse for
// the shorter forms). Returns kInvalidArgument saying what and where.
core::Status ValidateKey(KeyType type, std::string_view value);

// Detects the key type of a bare value and validates it: 8, 12, 13 or 14 digits → GTIN (13
// digits is ambiguous with GLN; GTIN is assumed), 18 digits → SSCC. Used by `vntrace gs1 check`.
struct CheckedKey {
  KeyType type;
  std::string normalised;  // GTIN as 14 digits
};
core::Result<CheckedKey> CheckKey(std::string_view value);

// Strong identifier types: only buildable through Parse.
class Gtin {
 public:
  // Accepts GTIN-8, -12, -13 or -14 and normalises to 14 digits.
  static core::Result<Gtin> Parse(std::string_view digits);
  const std::string& digits() const { return digits_; }  // always 14
  friend bool operator==(const Gtin&, const Gtin&) = default;

 private:
  explicit Gtin(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

class Gln {
 public:
  static core::Result<Gln> Parse(std::string_view digits);  // 13 digits
  const std::string& digits() const { return digits_; }
  friend bool operator==(const Gln&, const Gln&) = default;

 private:
  explicit Gln(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

class Sscc {
 public:
  static core::Result<Sscc> Parse(std::string_view digits);  // 18 digits
  const std::string& digits() const { return digits_; }
  friend bool operator==(const Sscc&, const Sscc&) = default;

 private:
  explicit Sscc(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

}  // namespace vntrace::gs1
