#include "gs1/keys.hpp"

#include <fmt/format.h>

#include "gs1/ai.hpp"

namespace vntrace::gs1 {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

core::Status ValidateAs(KeyType type, std::string_view value) {
  const AiDefinition* def = FindAi(KeyAi(type));
  VNTRACE_ASSERT(def != nullptr);  // every key AI is in the compiled table
  core::Status status = ValidateAiValue(*def, value);
  if (!status.ok()) {
    return core::InvalidArgument(
        fmt::format("invalid {}: {}", KeyTypeName(type), status.error().message));
  }
  return core::Ok();
}

}  // namespace

int ComputeCheckDigit(std::string_view body) {
  if (body.empty()) return -1;
  int sum = 0;
  int weight = 3;
  for (std::size_t i = body.size(); i-- > 0;) {
    char c = body[i];
    if (c < '0' || c > '9') return -1;
    sum += (c - '0') * weight;
    weight = 4 - weight;
  }
  return (10 - sum % 10) % 10;
}

bool HasValidCheckDigit(std::string_view digits) {
  if (digits.size() < 2) return false;
  char last = digits.back();
  if (last < '0' || last > '9') return false;
  return ComputeCheckDigit(digits.substr(0, digits.size() - 1)) == last - '0';
}

std::string_view KeyTypeName(KeyType type) {
  switch (type) {
    case KeyType::kGtin:
      return "GTIN";
    case KeyType::kGln:
      return "GLN";
    case KeyType::kSscc:
      return "SSCC";
    case KeyType::kGrai:
      return "GRAI";
    case KeyType::kGiai:
      return "GIAI";
    case KeyType::kGsrn:
      return "GSRN";
    case KeyType::kGsrnp:
      return "GSRN-P";
    case KeyType::kGdti:
      return "GDTI";
    case KeyType::kGcn:
      return "GCN";
    case KeyType::kGinc:
      return "GINC";
    case KeyType::kGsin:
      return "GSIN";
    case KeyType::kItip:
      return "ITIP";
    case KeyType::kGmn:
      return "GMN";
    case KeyType::kCpid:
      return "CPID";
  }
  return "";
}

std::string_view KeyAi(KeyType type) {
  switch (type) {
    case KeyType::kGtin:
      return "01";
    case KeyType::kGln:
      return "414";
    case KeyType::kSscc:
      return "00";
    case KeyType::kGrai:
      return "8003";
    case KeyType::kGiai:
      return "8004";
    case KeyType::kGsrn:
      return "8018";
    case KeyType::kGsrnp:
      return "8017";
    case KeyType::kGdti:
      return "253";
    case KeyType::kGcn:
      return "255";
    case KeyType::kGinc:
      return "401";
    case KeyType::kGsin:
      return "402";
    case KeyType::kItip:
      return "8006";
    case KeyType::kGmn:
      return "8013";
    case KeyType::kCpid:
      return "8010";
  }
  return "";
}

core::Status ValidateKey(KeyType type, std::string_view value) { return ValidateAs(type, value); }

core::Result<CheckedKey> CheckKey(std::string_view value) {
  // "type:value" names the key type explicitly, e.g. "gln:8935001200014".
  if (std::size_t colon = value.find(':'); colon != std::string_view::npos) {
    std::string_view name = value.substr(0, colon);
    std::string_view rest = value.substr(colon + 1);
    for (int t = 0; t <= static_cast<int>(KeyType::kCpid); ++t) {
      auto type = static_cast<KeyType>(t);
      std::string_view kn = KeyTypeName(type);
      bool same = kn.size() == name.size();
      for (std::size_t i = 0; same && i < kn.size(); ++i) {
        same = (kn[i] | 0x20) == (name[i] | 0x20);
      }
      if (!same) continue;
      if (type == KeyType::kGtin) {
        VNTRACE_ASSIGN_OR_RETURN(Gtin gtin, Gtin::Parse(rest));
        return CheckedKey{type, gtin.digits()};
      }
      VNTRACE_RETURN_IF_ERROR(ValidateAs(type, rest));
      return CheckedKey{type, std::string(rest)};
    }
    return core::InvalidArgument(fmt::format(
        "unknown key type '{}': use GTIN, GLN, SSCC, GRAI, GIAI, GSRN, GSRN-P, GDTI, GCN, GINC, "
        "GSIN, ITIP, GMN or CPID",
        name));
  }
  if (value.empty()) return core::InvalidArgument("key is empty");
  if (!AllDigits(value)) {
    return core::InvalidArgument(
        "a key without a type must be digits only (GTIN-8/12/13/14, SSCC, GSIN); write "
        "TYPE:VALUE for other keys, e.g. giai:8935001ABC");
  }
  switch (value.size()) {
    case 8:
    case 12:
    case 13:
    case 14: {
      VNTRACE_ASSIGN_OR_RETURN(Gtin gtin, Gtin::Parse(value));
      return CheckedKey{KeyType::kGtin, gtin.digits()};
    }
    case 17:
      VNTRACE_RETURN_IF_ERROR(ValidateAs(KeyType::kGsin, value));
      return CheckedKey{KeyType::kGsin, std::string(value)};
    case 18:
      VNTRACE_RETURN_IF_ERROR(ValidateAs(KeyType::kSscc, value));
      return CheckedKey{KeyType::kSscc, std::string(value)};
    default:
      return core::InvalidArgument(fmt::format(
          "{} digits is not the length of any GS1 key (GTIN 8/12/13/14, GSIN 17, SSCC 18)",
          value.size()));
  }
}

core::Result<Gtin> Gtin::Parse(std::string_view digits) {
  if (digits.size() != 8 && digits.size() != 12 && digits.size() != 13 && digits.size() != 14) {
    return core::InvalidArgument(
        fmt::format("GTIN must have 8, 12, 13 or 14 digits, got {}", digits.size()));
  }
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (digits[i] < '0' || digits[i] > '9') {
      return core::InvalidArgument(fmt::format("GTIN: non-digit at position {}", i + 1));
    }
  }
  if (!HasValidCheckDigit(digits)) {
    return core::InvalidArgument(
        fmt::format("GTIN: invalid check digit at position {}: expected {}", digits.size(),
                    ComputeCheckDigit(digits.substr(0, digits.size() - 1))));
  }
  std::string padded(14 - digits.size(), '0');
  padded.append(digits);
  return Gtin(std::move(padded));
}

core::Result<Gln> Gln::Parse(std::string_view digits) {
  VNTRACE_RETURN_IF_ERROR(ValidateAs(KeyType::kGln, digits));
  return Gln(std::string(digits));
}

core::Result<Sscc> Sscc::Parse(std::string_view digits) {
  VNTRACE_RETURN_IF_ERROR(ValidateAs(KeyType::kSscc, digits));
  return Sscc(std::string(digits));
}

}  // namespace vntrace::gs1
