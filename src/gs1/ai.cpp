#include "gs1/ai.hpp"

#include <cstdint>

#include <fmt/format.h>

#include "gs1/internal/charset.hpp"
#include "gs1/internal/linters.hpp"

namespace vntrace::gs1 {
namespace {

#define AI(code, title, predefined, attr, key, quals, req, ex, dec, min_len, max_len, ncomp, ...) \
  AiDefinition{code, title, predefined, attr,          key,     quals,  req,                      \
               ex,   dec,   ncomp,      {__VA_ARGS__}, min_len, max_len},

constexpr AiDefinition kAis[] = {
#include "gs1/internal/ai_table_data.inc"
};

#undef AI

constexpr std::int16_t kNoAi = -1;

// Direct-index lookup by AI code: codes are 2, 3 or 4 digits.
struct AiIndex {
  std::int16_t by2[100];
  std::int16_t by3[1000];
  std::int16_t by4[10000];
  std::uint8_t length_by_prefix[100];  // 0 when no AI starts with these two digits

  AiIndex() {
    for (auto& v : by2) v = kNoAi;
    for (auto& v : by3) v = kNoAi;
    for (auto& v : by4) v = kNoAi;
    for (auto& v : length_by_prefix) v = 0;
    for (std::size_t i = 0; i < std::size(kAis); ++i) {
      std::string_view c = kAis[i].code;
      int n = 0;
      for (char ch : c) n = n * 10 + (ch - '0');
      auto idx = static_cast<std::int16_t>(i);
      if (c.size() == 2) {
        by2[n] = idx;
      } else if (c.size() == 3) {
        by3[n] = idx;
      } else {
        by4[n] = idx;
      }
      length_by_prefix[(c[0] - '0') * 10 + (c[1] - '0')] = static_cast<std::uint8_t>(c.size());
    }
  }
};

const AiIndex& Index() {
  static const AiIndex index;
  return index;
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string_view LinterName(Linter linter) {
  switch (linter) {
    case Linter::kNone:
      return "";
    case Linter::kCsum:
      return "csum";
    case Linter::kCsumAlpha:
      return "csumalpha";
    case Linter::kGcpPos1:
      return "gcppos1";
    case Linter::kGcpPos2:
      return "gcppos2";
    case Linter::kYymmd0:
      return "yymmd0";
    case Linter::kYymmdd:
      return "yymmdd";
    case Linter::kYyyymmdd:
      return "yyyymmdd";
    case Linter::kHhmi:
      return "hhmi";
    case Linter::kHh:
      return "hh";
    case Linter::kMi:
      return "mi";
    case Linter::kSs:
      return "ss";
    case Linter::kIso3166:
      return "iso3166";
    case Linter::kIso3166999:
      return "iso3166999";
    case Linter::kIso3166Alpha2:
      return "iso3166alpha2";
    case Linter::kIso4217:
      return "iso4217";
    case Linter::kIso5218:
      return "iso5218";
    case Linter::kIban:
      return "iban";
    case Linter::kPcenc:
      return "pcenc";
    case Linter::kYesNo:
      return "yesno";
    case Linter::kHyphen:
      return "hyphen";
    case Linter::kImporterIdx:
      return "importeridx";
    case Linter::kPackageType:
      return "packagetype";
    case Linter::kMediaType:
      return "mediatype";
    case Linter::kPosInSeqSlash:
      return "posinseqslash";
    case Linter::kNonZero:
      return "nonzero";
    case Linter::kWinding:
      return "winding";
    case Linter::kZero:
      return "zero";
    case Linter::kPieceOfTotal:
      return "pieceoftotal";
    case Linter::kNoZeroPrefix:
      return "nozeroprefix";
    case Linter::kHasNonDigit:
      return "hasnondigit";
    case Linter::kCouponCode:
      return "couponcode";
    case Linter::kCouponPosOffer:
      return "couponposoffer";
    case Linter::kLatitude:
      return "latitude";
    case Linter::kLongitude:
      return "longitude";
  }
  return "";
}

std::span<const AiDefinition> AllAis() { return {kAis, std::size(kAis)}; }

const AiDefinition* FindAi(std::string_view code) {
  if (code.size() < 2 || code.size() > 4) return nullptr;
  const AiIndex& index = Index();
  int n = 0;
  for (char c : code) {
    if (!IsDigit(c)) return nullptr;
    n = n * 10 + (c - '0');
  }
  std::int16_t i = kNoAi;
  switch (code.size()) {
    case 2:
      i = index.by2[n];
      break;
    case 3:
      i = index.by3[n];
      break;
    case 4:
      i = index.by4[n];
      break;
    default:
      return nullptr;
  }
  return i == kNoAi ? nullptr : &kAis[i];
}

const AiDefinition* MatchAiPrefix(std::string_view data) {
  int len = AiLengthForPrefix(data.substr(0, 2));
  if (len == 0 || data.size() < static_cast<std::size_t>(len)) return nullptr;
  return FindAi(data.substr(0, static_cast<std::size_t>(len)));
}

int AiLengthForPrefix(std::string_view two_digits) {
  if (two_digits.size() != 2 || !IsDigit(two_digits[0]) || !IsDigit(two_digits[1])) return 0;
  return Index().length_by_prefix[(two_digits[0] - '0') * 10 + (two_digits[1] - '0')];
}

bool InCharSet(CharSet charset, std::string_view s) {
  return FirstOutsideCharSet(charset, s) == std::string_view::npos;
}

std::size_t FirstOutsideCharSet(CharSet charset, std::string_view s) {
  return internal::FirstOutside(charset, s);
}

core::Status ValidateAiValue(const AiDefinition& ai, std::string_view value) {
  if (value.size() < ai.min_length || value.size() > ai.max_length) {
    if (ai.min_length == ai.max_length) {
      return core::InvalidArgument(fmt::format("AI ({}): value must be {} characters, got {}",
                                               ai.code, ai.max_length, value.size()));
    }
    if (value.empty()) {
      return core::InvalidArgument(fmt::format("AI ({}): value is empty", ai.code));
    }
    return core::InvalidArgument(fmt::format("AI ({}): value must be {} to {} characters, got {}",
                                             ai.code, ai.min_length, ai.max_length, value.size()));
  }
  std::size_t offset = 0;
  for (const AiComponent& comp : ai.Components()) {
    std::size_t left = value.size() - offset;
    if (left == 0) {
      if (comp.optional) break;
      return core::InvalidArgument(fmt::format("AI ({}): value is too short", ai.code));
    }
    std::size_t len = comp.min_length == comp.max_length ? comp.max_length : left;
    if (len > left) {
      return core::InvalidArgument(
          fmt::format("AI ({}): value is too short: the part at position {} needs {} characters",
                      ai.code, offset + 1, comp.max_length));
    }
    if (len > comp.max_length) len = comp.max_length;
    std::string_view part = value.substr(offset, len);
    if (std::size_t bad = internal::FirstOutside(comp.charset, part);
        bad != std::string_view::npos) {
      unsigned char ch = static_cast<unsigned char>(part[bad]);
      std::string shown = (ch >= 0x21 && ch < 0x7f) ? fmt::format("'{}'", static_cast<char>(ch))
                                                    : fmt::format("byte 0x{:02X}", ch);
      return core::InvalidArgument(
          fmt::format("AI ({}): invalid character {} at position {}{}", ai.code, shown,
                      offset + bad + 1, comp.charset == CharSet::kNumeric ? " (digits only)" : ""));
    }
    for (Linter linter : comp.linters) {
      if (linter == Linter::kNone) break;
      if (auto failure = internal::Lint(linter, part)) {
        return core::InvalidArgument(fmt::format("AI ({}): {} at position {}", ai.code,
                                                 failure->what, offset + failure->position + 1));
      }
    }
    offset += len;
  }
  if (offset != value.size()) {
    return core::InvalidArgument(
        fmt::format("AI ({}): value is too long: {} characters", ai.code, value.size()));
  }
  return core::Ok();
}

}  // namespace vntrace::gs1
