#include "gs1/epc_urn.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gs1/ai.hpp"
#include "gs1/element.hpp"
#include "gs1/keys.hpp"

namespace vntrace::gs1 {
namespace {

// Longer input cannot be a pure-identity URN: the longest (a GIAI of 30 characters, each
// %-escaped) stays well below this.
constexpr std::size_t kMaxUrnLength = 512;
constexpr int kMinGcpLength = 6;
constexpr int kMaxGcpLength = 12;
// Digits before the check digit of each key, company prefix included (TDS partition tables).
constexpr int kGtinBodyDigits = 13;
constexpr int kSsccBodyDigits = 17;
constexpr int kGlnBodyDigits = 12;
constexpr int kGsrnBodyDigits = 17;
constexpr int kGsinBodyDigits = 16;
// Maximum length of AI 8004, 401 and 8010, which hold the company prefix and a reference.
constexpr std::size_t kMaxGcpPlusReference = 30;
constexpr std::size_t kMaxCpiSerialDigits = 12;
constexpr std::size_t kMaxSgcnSerialDigits = 12;

// EPC schemes of the Tag Data Standard that have no GS1 key and so no Digital Link form.
constexpr std::array<std::string_view, 5> kSchemesWithoutDigitalLink = {"gid", "usdod", "adi",
                                                                        "bic", "imovn"};

enum class Category { kId, kClass, kIdpat };

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) { return std::all_of(s.begin(), s.end(), IsDigit); }

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

bool IsAlnum(char c) { return IsDigit(c) || IsUpper(c) || (c >= 'a' && c <= 'z'); }

char AsciiLower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// "'x'" for a printable character, "byte 0xNN" otherwise.
std::string DescribeChar(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02X}", byte);
}

// `s` cut to 16 characters with anything outside printable ASCII shown as '?', for messages.
std::string Printable(std::string_view s) {
  std::string out(s.substr(0, 16));
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) c = '?';
  }
  return out;
}

// Characters of a GS1 AI component (character set 82) that TDS lets appear unescaped in an
// EPC URI component: letters, digits and ! ' ( ) * + , - . : ; = _ . The other seven
// characters of the set (" % & / < > ?) must be written %22 %25 %26 %2F %3C %3E %3F.
bool IsGs3a3Raw(char c) {
  constexpr std::string_view kRawPunctuation = "!'()*+,-.:;=_";
  return IsAlnum(c) || kRawPunctuation.find(c) != std::string_view::npos;
}

// Characters of a CPI component/part reference (character set 39) that TDS lets appear
// unescaped: digits, capital letters and '-'; '#' and '/' are written %23 and %2F.
bool IsCpiRefRaw(char c) { return IsDigit(c) || IsUpper(c) || c == '-'; }

// Component syntaxes of the EPC pure-identity URIs.
enum class Syntax {
  kGs3a3,   // GS1 AI character set 82 with %-escapes; not empty
  kCpiRef,  // GS1 AI character set 39 with %-escapes; not empty
};

core::Error UrnError(std::string_view scheme, std::string_view message) {
  return core::InvalidArgument(fmt::format("EPC URN {}: {}", scheme, message));
}

// Decodes the %-escapes of one URN component and checks its characters.
core::Result<std::string> DecodeComponent(std::string_view scheme, std::string_view name,
                                          std::string_view text, Syntax syntax) {
  if (text.empty()) {
    return UrnError(scheme, fmt::format("{} is empty", name));
  }
  const bool cpi = syntax == Syntax::kCpiRef;
  const CharSet charset = cpi ? CharSet::kCset39 : CharSet::kCset82;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const int hi = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return UrnError(scheme, fmt::format("{}: malformed %-escape at position {} (expected "
                                            "'%' and two hexadecimal digits)",
                                            name, i + 1));
      }
      const char decoded = static_cast<char>(hi * 16 + lo);
      if (!InCharSet(charset, std::string_view(&decoded, 1))) {
        return UrnError(
            scheme,
            fmt::format("{}: escape {} at position {} decodes to {}, which is not in "
                        "GS1 AI character set {}",
                        name, text.substr(i, 3), i + 1, DescribeChar(decoded), cpi ? "39" : "82"));
      }
      out += decoded;
      i += 2;
      continue;
    }
    if (cpi ? IsCpiRefRaw(c) : IsGs3a3Raw(c)) {
      out += c;
      continue;
    }
    if (InCharSet(charset, std::string_view(&c, 1))) {
      return UrnError(scheme,
                      fmt::format("{}: character {} at position {} must be %-escaped "
                                  "as %{:02X}",
                                  name, DescribeChar(c), i + 1, static_cast<unsigned char>(c)));
    }
    return UrnError(scheme, fmt::format("{}: character {} at position {} is not allowed", name,
                                        DescribeChar(c), i + 1));
  }
  return out;
}

// Escapes a character-set-82 value for an EPC URI component.
std::string EscapeGs3a3(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '"':
        out += "%22";
        break;
      case '%':
        out += "%25";
        break;
      case '&':
        out += "%26";
        break;
      case '/':
        out += "%2F";
        break;
      case '<':
        out += "%3C";
        break;
      case '>':
        out += "%3E";
        break;
      case '?':
        out += "%3F";
        break;
      default:
        out += c;
        break;
    }
  }
  return out;
}

// Escapes a character-set-39 CPI reference for an EPC URI component.
std::string EscapeCpiRef(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '#':
        out += "%23";
        break;
      case '/':
        out += "%2F";
        break;
      default:
        out += c;
        break;
    }
  }
  return out;
}

std::string WithCheckDigit(std::string body) {
  const int check = ComputeCheckDigit(body);
  VNTRACE_ASSERT(check >= 0);  // callers pass digits only
  body += static_cast<char>('0' + check);
  return body;
}

// The URN body of one scheme, split into its components, with the checks every scheme shares.
class UrnBody {
 public:
  UrnBody(std::string_view scheme, std::vector<std::string_view> parts)
      : scheme_(scheme), parts_(std::move(parts)) {}

  std::string_view part(std::size_t i) const { return parts_[i]; }
  std::size_t size() const { return parts_.size(); }

  core::Error Fail(std::string_view message) const { return UrnError(scheme_, message); }

  // The GS1 Company Prefix, component 0: 6 to 12 digits.
  core::Result<std::string_view> CompanyPrefix() const {
    const std::string_view gcp = parts_[0];
    if (gcp.empty()) return Fail("company prefix is empty");
    if (!AllDigits(gcp)) return Fail(NotDigits("company prefix", gcp));
    if (gcp.size() < static_cast<std::size_t>(kMinGcpLength) ||
        gcp.size() > static_cast<std::size_t>(kMaxGcpLength)) {
      return Fail(fmt::format("company prefix must be {} to {} digits, got {}", kMinGcpLength,
                              kMaxGcpLength, gcp.size()));
    }
    return gcp;
  }

  // Component `i`: digits that, with the company prefix, make `total` digits.
  core::Result<std::string_view> PaddedDigits(std::size_t i, std::string_view name,
                                              int total) const {
    const std::string_view value = parts_[i];
    if (!AllDigits(value)) return Fail(NotDigits(name, value));
    const std::size_t want = static_cast<std::size_t>(total) - parts_[0].size();
    if (value.size() != want) {
      return Fail(
          fmt::format("{} must be {} digit{} ({} minus the {}-digit company prefix), "
                      "got {}",
                      name, want, want == 1 ? "" : "s", total, parts_[0].size(), value.size()));
    }
    return value;
  }

  // Component `i`: a fixed number of digits.
  core::Result<std::string_view> FixedDigits(std::size_t i, std::string_view name,
                                             std::size_t digits) const {
    const std::string_view value = parts_[i];
    if (!AllDigits(value)) return Fail(NotDigits(name, value));
    if (value.size() != digits) {
      return Fail(fmt::format("{} must be {} digits, got {}", name, digits, value.size()));
    }
    return value;
  }

  core::Result<std::string> Decoded(std::size_t i, std::string_view name, Syntax syntax) const {
    return DecodeComponent(scheme_, name, parts_[i], syntax);
  }

 private:
  static std::string NotDigits(std::string_view name, std::string_view value) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (!IsDigit(value[i])) {
        return fmt::format("{} must be digits: {} at position {}", name, DescribeChar(value[i]),
                           i + 1);
      }
    }
    return fmt::format("{} must be digits", name);
  }

  std::string_view scheme_;
  std::vector<std::string_view> parts_;
};

// The GTIN of a C.IR pair: indicator digit (first of IR), company prefix, rest of IR, check.
core::Result<std::string> GtinFrom(const UrnBody& body) {
  VNTRACE_ASSIGN_OR_RETURN(std::string_view gcp, body.CompanyPrefix());
  VNTRACE_ASSIGN_OR_RETURN(
      std::string_view item,
      body.PaddedDigits(1, "indicator digit and item reference", kGtinBodyDigits));
  std::string digits;
  digits += item[0];
  digits += gcp;
  digits += item.substr(1);
  return WithCheckDigit(std::move(digits));
}

// The 13-digit key of a C.R pair whose reference fills 12 digits (GLN, GRAI, GDTI, GCN).
core::Result<std::string> TwelveDigitKeyFrom(const UrnBody& body, std::string_view ref_name) {
  VNTRACE_ASSIGN_OR_RETURN(std::string_view gcp, body.CompanyPrefix());
  VNTRACE_ASSIGN_OR_RETURN(std::string_view ref, body.PaddedDigits(1, ref_name, kGlnBodyDigits));
  std::string digits(gcp);
  digits += ref;
  return WithCheckDigit(std::move(digits));
}

// The company prefix and a non-numeric reference as one AI value (GIAI, GINC, CPID).
core::Result<std::string> GcpPlusReference(const UrnBody& body, std::string_view ref_name,
                                           Syntax syntax) {
  VNTRACE_ASSIGN_OR_RETURN(std::string_view gcp, body.CompanyPrefix());
  VNTRACE_ASSIGN_OR_RETURN(std::string ref, body.Decoded(1, ref_name, syntax));
  if (gcp.size() + ref.size() > kMaxGcpPlusReference) {
    return body.Fail(
        fmt::format("company prefix and {} together must be at most {} characters, "
                    "got {}",
                    ref_name, kMaxGcpPlusReference, gcp.size() + ref.size()));
  }
  std::string value(gcp);
  value += ref;
  return value;
}

struct Element {
  std::string_view code;
  std::string value;
};

// Components of each scheme, in URN order (the TDS names).
struct SchemeShape {
  std::string_view name;
  Category category;
  std::size_t components;
  std::string_view layout;  // for messages, e.g. "C.IR.S"
};

constexpr std::array<SchemeShape, 22> kShapes = {{
    {"sgtin", Category::kId, 3, "CompanyPrefix.IndicatorItemRef.Serial"},
    {"sscc", Category::kId, 2, "CompanyPrefix.ExtensionSerialRef"},
    {"sgln", Category::kId, 3, "CompanyPrefix.LocationRef.Extension"},
    {"pgln", Category::kId, 2, "CompanyPrefix.PartyRef"},
    {"grai", Category::kId, 3, "CompanyPrefix.AssetType.Serial"},
    {"giai", Category::kId, 2, "CompanyPrefix.IndividualAssetRef"},
    {"gsrn", Category::kId, 2, "CompanyPrefix.ServiceRef"},
    {"gsrnp", Category::kId, 2, "CompanyPrefix.ServiceRef"},
    {"gdti", Category::kId, 3, "CompanyPrefix.DocumentType.Serial"},
    {"sgcn", Category::kId, 3, "CompanyPrefix.CouponRef.Serial"},
    {"cpi", Category::kId, 3, "CompanyPrefix.ComponentPartRef.Serial"},
    {"itip", Category::kId, 5, "CompanyPrefix.IndicatorItemRef.Piece.Total.Serial"},
    {"upui", Category::kId, 3, "CompanyPrefix.IndicatorItemRef.TPX"},
    {"ginc", Category::kId, 2, "CompanyPrefix.ConsignmentRef"},
    {"gsin", Category::kId, 2, "CompanyPrefix.ShipperRef"},
    {"lgtin", Category::kClass, 3, "CompanyPrefix.IndicatorItemRef.Lot"},
    {"sgtin", Category::kIdpat, 3, "CompanyPrefix.IndicatorItemRef.*"},
    {"grai", Category::kIdpat, 3, "CompanyPrefix.AssetType.*"},
    {"gdti", Category::kIdpat, 3, "CompanyPrefix.DocumentType.*"},
    {"sgcn", Category::kIdpat, 3, "CompanyPrefix.CouponRef.*"},
    {"cpi", Category::kIdpat, 3, "CompanyPrefix.ComponentPartRef.*"},
    {"itip", Category::kIdpat, 5, "CompanyPrefix.IndicatorItemRef.Piece.Total.*"},
}};

core::Result<std::vector<Element>> ConvertId(std::string_view scheme, const UrnBody& body) {
  std::vector<Element> out;
  if (scheme == "sgtin" || scheme == "upui") {
    VNTRACE_ASSIGN_OR_RETURN(std::string gtin, GtinFrom(body));
    const bool upui = scheme == "upui";
    VNTRACE_ASSIGN_OR_RETURN(std::string serial,
                             body.Decoded(2, upui ? "TPX" : "serial", Syntax::kGs3a3));
    out.push_back({"01", std::move(gtin)});
    out.push_back({upui ? "235" : "21", std::move(serial)});
  } else if (scheme == "sscc") {
    VNTRACE_ASSIGN_OR_RETURN(std::string_view gcp, body.CompanyPrefix());
    VNTRACE_ASSIGN_OR_RETURN(
        std::string_view ref,
        body.PaddedDigits(1, "extension digit and serial reference", kSsccBodyDigits));
    std::string digits;
    digits += ref[0];
    digits += gcp;
    digits += ref.substr(1);
    out.push_back({"00", WithCheckDigit(std::move(digits))});
  } else if (scheme == "sgln") {
    VNTRACE_ASSIGN_OR_RETURN(std::string gln, TwelveDigitKeyFrom(body, "location reference"));
    VNTRACE_ASSIGN_OR_RETURN(std::string extension, body.Decoded(2, "extension", Syntax::kGs3a3));
    out.push_back({"414", std::move(gln)});
    // TDS: extension "0" stands for a GLN without extension.
    if (extension != "0") out.push_back({"254", std::move(extension)});
  } else if (scheme == "pgln") {
    VNTRACE_ASSIGN_OR_RETURN(std::string gln, TwelveDigitKeyFrom(body, "party reference"));
    out.push_back({"417", std::move(gln)});
  } else if (scheme == "grai") {
    VNTRACE_ASSIGN_OR_RETURN(std::string key, TwelveDigitKeyFrom(body, "asset type"));
    VNTRACE_ASSIGN_OR_RETURN(std::string serial, body.Decoded(2, "serial", Syntax::kGs3a3));
    out.push_back({"8003", "0" + key + serial});
  } else if (scheme == "giai") {
    VNTRACE_ASSIGN_OR_RETURN(std::string value,
                             GcpPlusReference(body, "individual asset reference", Syntax::kGs3a3));
    out.push_back({"8004", std::move(value)});
  } else if (scheme == "gsrn" || scheme == "gsrnp") {
    VNTRACE_ASSIGN_OR_RETURN(std::string_view gcp, body.CompanyPrefix());
    VNTRACE_ASSIGN_OR_RETURN(std::string_view ref,
                             body.PaddedDigits(1, "service reference", kGsrnBodyDigits));
    out.push_back(
        {scheme == "gsrn" ? "8018" : "8017", WithCheckDigit(std::string(gcp) + std::string(ref))});
  } else if (scheme == "gdti") {
    VNTRACE_ASSIGN_OR_RETURN(std::string key, TwelveDigitKeyFrom(body, "document type"));
    VNTRACE_ASSIGN_OR_RETURN(std::string serial, body.Decoded(2, "serial", Syntax::kGs3a3));
    out.push_back({"253", key + serial});
  } else if (scheme == "sgcn") {
    VNTRACE_ASSIGN_OR_RETURN(std::string key, TwelveDigitKeyFrom(body, "coupon reference"));
    const std::string_view serial = body.part(2);
    if (serial.empty() || serial.size() > kMaxSgcnSerialDigits || !AllDigits(serial)) {
      return body.Fail(fmt::format("serial must be 1 to {} digits, got \"{}\"",
                                   kMaxSgcnSerialDigits, EscapeGs3a3(serial)));
    }
    out.push_back({"255", key + std::string(serial)});
  } else if (scheme == "cpi") {
    VNTRACE_ASSIGN_OR_RETURN(std::string cpid,
                             GcpPlusReference(body, "component/part reference", Syntax::kCpiRef));
    const std::string_view serial = body.part(2);
    if (serial.empty() || serial.size() > kMaxCpiSerialDigits || !AllDigits(serial) ||
        (serial.size() > 1 && serial[0] == '0')) {
      return body.Fail(
          fmt::format("serial must be 1 to {} digits without leading zeros, got "
                      "\"{}\"",
                      kMaxCpiSerialDigits, EscapeGs3a3(serial)));
    }
    out.push_back({"8010", std::move(cpid)});
    out.push_back({"8011", std::string(serial)});
  } else if (scheme == "itip") {
    VNTRACE_ASSIGN_OR_RETURN(std::string gtin, GtinFrom(body));
    VNTRACE_ASSIGN_OR_RETURN(std::string_view piece, body.FixedDigits(2, "piece", 2));
    VNTRACE_ASSIGN_OR_RETURN(std::string_view total, body.FixedDigits(3, "total", 2));
    VNTRACE_ASSIGN_OR_RETURN(std::string serial, body.Decoded(4, "serial", Syntax::kGs3a3));
    out.push_back({"8006", gtin + std::string(piece) + std::string(total)});
    out.push_back({"21", std::move(serial)});
  } else if (scheme == "ginc") {
    VNTRACE_ASSIGN_OR_RETURN(std::string value,
                             GcpPlusReference(body, "consignment reference", Syntax::kGs3a3));
    out.push_back({"401", std::move(value)});
  } else if (scheme == "gsin") {
    VNTRACE_ASSIGN_OR_RETURN(std::string_view gcp, body.CompanyPrefix());
    VNTRACE_ASSIGN_OR_RETURN(std::string_view ref,
                             body.PaddedDigits(1, "shipper reference", kGsinBodyDigits));
    out.push_back({"402", WithCheckDigit(std::string(gcp) + std::string(ref))});
  } else {
    VNTRACE_ASSERT(false);  // kShapes lists exactly the schemes handled here
  }
  return out;
}

core::Result<std::vector<Element>> ConvertIdpat(std::string_view scheme, const UrnBody& body) {
  const std::size_t last = body.size() - 1;
  for (std::size_t i = 0; i < last; ++i) {
    if (body.part(i) == "*") {
      return body.Fail(fmt::format(
          "only the last component may be '*': component {} is a wildcard, which has no "
          "Digital Link form",
          i + 1));
    }
  }
  if (body.part(last) != "*") {
    return body.Fail("the last component of an idpat URN must be '*'");
  }
  std::vector<Element> out;
  if (scheme == "sgtin") {
    VNTRACE_ASSIGN_OR_RETURN(std::string gtin, GtinFrom(body));
    out.push_back({"01", std::move(gtin)});
  } else if (scheme == "grai") {
    VNTRACE_ASSIGN_OR_RETURN(std::string key, TwelveDigitKeyFrom(body, "asset type"));
    out.push_back({"8003", "0" + key});
  } else if (scheme == "gdti") {
    VNTRACE_ASSIGN_OR_RETURN(std::string key, TwelveDigitKeyFrom(body, "document type"));
    out.push_back({"253", std::move(key)});
  } else if (scheme == "sgcn") {
    VNTRACE_ASSIGN_OR_RETURN(std::string key, TwelveDigitKeyFrom(body, "coupon reference"));
    out.push_back({"255", std::move(key)});
  } else if (scheme == "cpi") {
    VNTRACE_ASSIGN_OR_RETURN(std::string cpid,
                             GcpPlusReference(body, "component/part reference", Syntax::kCpiRef));
    out.push_back({"8010", std::move(cpid)});
  } else if (scheme == "itip") {
    VNTRACE_ASSIGN_OR_RETURN(std::string gtin, GtinFrom(body));
    VNTRACE_ASSIGN_OR_RETURN(std::string_view piece, body.FixedDigits(2, "piece", 2));
    VNTRACE_ASSIGN_OR_RETURN(std::string_view total, body.FixedDigits(3, "total", 2));
    out.push_back({"8006", gtin + std::string(piece) + std::string(total)});
  } else {
    VNTRACE_ASSERT(false);  // kShapes lists exactly the schemes handled here
  }
  return out;
}

std::string_view CategoryName(Category category) {
  switch (category) {
    case Category::kId:
      return "id";
    case Category::kClass:
      return "class";
    case Category::kIdpat:
      return "idpat";
  }
  return "";
}

// Splits `body` at its first `count - 1` dots; the last component keeps any further dots
// (they are ordinary characters of a serial). nullopt when there are too few dots.
std::optional<std::vector<std::string_view>> SplitComponents(std::string_view body,
                                                             std::size_t count) {
  std::vector<std::string_view> parts;
  parts.reserve(count);
  while (parts.size() + 1 < count) {
    const std::size_t dot = body.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    parts.push_back(body.substr(0, dot));
    body.remove_prefix(dot + 1);
  }
  parts.push_back(body);
  return parts;
}

// --- Digital Link → URN ----------------------------------------------------------------------

core::Error DlError(std::string_view message) {
  return core::InvalidArgument(fmt::format("Digital Link to EPC URN: {}", message));
}

// Where the GS1 Company Prefix starts in the primary key's value.
std::size_t GcpOffset(std::string_view key_ai) {
  return key_ai == "00" || key_ai == "01" || key_ai == "8006" || key_ai == "8003" ? 1 : 0;
}

constexpr std::array<std::string_view, 14> kKeysWithEpcForm = {
    "00",  "01",   "253",  "255",  "401",  "402",  "414",
    "417", "8003", "8004", "8006", "8010", "8017", "8018"};

bool HasEpcForm(std::string_view key_ai) {
  return std::find(kKeysWithEpcForm.begin(), kKeysWithEpcForm.end(), key_ai) !=
         kKeysWithEpcForm.end();
}

// Checks the path: known AIs with valid values, the key first, no repeated qualifier, and
// only qualifiers from `allowed`. Returns the qualifier values by position in `allowed`.
template <std::size_t N>
core::Result<std::array<std::optional<std::string_view>, N>> Qualifiers(
    const DigitalLink& dl, const std::array<std::string_view, N>& allowed) {
  std::array<std::optional<std::string_view>, N> found;
  const std::string_view key = dl.path[0].code();
  for (std::size_t i = 1; i < dl.path.size(); ++i) {
    const std::string_view code = dl.path[i].code();
    const auto it = std::find(allowed.begin(), allowed.end(), code);
    if (it == allowed.end()) {
      return DlError(
          fmt::format("AI ({}) with primary key AI ({}) has no EPC URN form", code, key));
    }
    auto& slot = found[static_cast<std::size_t>(it - allowed.begin())];
    if (slot.has_value()) {
      return DlError(fmt::format("AI ({}) appears more than once", code));
    }
    slot = dl.path[i].value;
  }
  return found;
}

// The company prefix and reference of a key whose value starts with the prefix followed by a
// reference of any characters (GIAI, GINC, CPID).
core::Result<std::pair<std::string_view, std::string_view>> SplitGcpReference(
    std::string_view key_ai, std::string_view value, std::size_t gcp_length) {
  if (value.size() <= gcp_length) {
    return DlError(
        fmt::format("AI ({}) value \"{}\" is too short for a {}-digit company prefix "
                    "followed by a reference",
                    key_ai, EscapeGs3a3(value), gcp_length));
  }
  const std::string_view gcp = value.substr(0, gcp_length);
  if (!AllDigits(gcp)) {
    return DlError(
        fmt::format("AI ({}) value \"{}\" does not start with a {}-digit company "
                    "prefix",
                    key_ai, EscapeGs3a3(value), gcp_length));
  }
  return std::pair{gcp, value.substr(gcp_length)};
}

core::Result<std::string> ToUrn(const DigitalLink& dl, std::size_t g) {
  const std::string_view key = dl.primary_key().code();
  const std::string_view v = dl.primary_key().value;
  const auto cat = [](auto... pieces) {
    std::string s;
    (s.append(std::string_view(pieces)), ...);
    return s;
  };
  if (key == "01") {
    constexpr std::array<std::string_view, 4> kAllowed = {"10", "21", "235", "22"};
    VNTRACE_ASSIGN_OR_RETURN(auto q, Qualifiers(dl, kAllowed));
    if (q[3].has_value()) {
      return DlError("AI (22) CPV has no EPC URN form");
    }
    // GTIN: indicator, company prefix, item reference, check digit.
    const std::string item = cat(v.substr(0, 1), v.substr(1 + g, 12 - g));
    const std::string_view gcp = v.substr(1, g);
    if (q[2].has_value()) {
      if (q[0].has_value() || q[1].has_value()) {
        return DlError("AI (235) cannot be combined with AI (10) or (21)");
      }
      return cat("urn:epc:id:upui:", gcp, ".", item, ".", EscapeGs3a3(*q[2]));
    }
    if (q[1].has_value()) {
      // The serial identifies the instance; a lot alongside it is not part of the EPC.
      return cat("urn:epc:id:sgtin:", gcp, ".", item, ".", EscapeGs3a3(*q[1]));
    }
    if (q[0].has_value()) {
      return cat("urn:epc:class:lgtin:", gcp, ".", item, ".", EscapeGs3a3(*q[0]));
    }
    return cat("urn:epc:idpat:sgtin:", gcp, ".", item, ".*");
  }
  if (key == "8006") {
    constexpr std::array<std::string_view, 1> kAllowed = {"21"};
    VNTRACE_ASSIGN_OR_RETURN(auto q, Qualifiers(dl, kAllowed));
    const std::string item = cat(v.substr(0, 1), v.substr(1 + g, 12 - g));
    const std::string head =
        cat(v.substr(1, g), ".", item, ".", v.substr(14, 2), ".", v.substr(16, 2), ".");
    if (q[0].has_value()) return cat("urn:epc:id:itip:", head, EscapeGs3a3(*q[0]));
    return cat("urn:epc:idpat:itip:", head, "*");
  }
  if (key == "414") {
    constexpr std::array<std::string_view, 1> kAllowed = {"254"};
    VNTRACE_ASSIGN_OR_RETURN(auto q, Qualifiers(dl, kAllowed));
    if (q[0].has_value() && *q[0] == "0") {
      return DlError(
          "GLN extension \"0\" cannot be told apart from a GLN without extension "
          "in an SGLN");
    }
    const std::string_view extension = q[0].has_value() ? *q[0] : std::string_view("0");
    return cat("urn:epc:id:sgln:", v.substr(0, g), ".", v.substr(g, 12 - g), ".",
               EscapeGs3a3(extension));
  }
  // The remaining keys take no qualifier except 8010's 8011.
  if (key == "8010") {
    constexpr std::array<std::string_view, 1> kAllowed = {"8011"};
    VNTRACE_ASSIGN_OR_RETURN(auto q, Qualifiers(dl, kAllowed));
    VNTRACE_ASSIGN_OR_RETURN(auto parts, SplitGcpReference(key, v, g));
    const std::string head = cat(parts.first, ".", EscapeCpiRef(parts.second), ".");
    if (q[0].has_value()) return cat("urn:epc:id:cpi:", head, *q[0]);
    return cat("urn:epc:idpat:cpi:", head, "*");
  }
  constexpr std::array<std::string_view, 0> kNone = {};
  VNTRACE_RETURN_IF_ERROR(Qualifiers(dl, kNone));
  if (key == "00") {
    return cat("urn:epc:id:sscc:", v.substr(1, g), ".", v.substr(0, 1), v.substr(1 + g, 16 - g));
  }
  if (key == "417") {
    return cat("urn:epc:id:pgln:", v.substr(0, g), ".", v.substr(g, 12 - g));
  }
  if (key == "8003") {
    // AI 8003 is a filler '0', the 13-digit GRAI key and an optional serial.
    const std::string head = cat(v.substr(1, g), ".", v.substr(1 + g, 12 - g), ".");
    const std::string_view serial = v.substr(14);
    if (serial.empty()) return cat("urn:epc:idpat:grai:", head, "*");
    return cat("urn:epc:id:grai:", head, EscapeGs3a3(serial));
  }
  if (key == "253" || key == "255") {
    const std::string head = cat(v.substr(0, g), ".", v.substr(g, 12 - g), ".");
    const std::string_view serial = v.substr(13);
    const std::string_view scheme = key == "253" ? "gdti:" : "sgcn:";
    if (serial.empty()) return cat("urn:epc:idpat:", scheme, head, "*");
    return cat("urn:epc:id:", scheme, head, EscapeGs3a3(serial));
  }
  if (key == "8004" || key == "401") {
    VNTRACE_ASSIGN_OR_RETURN(auto parts, SplitGcpReference(key, v, g));
    return cat(key == "8004" ? "urn:epc:id:giai:" : "urn:epc:id:ginc:", parts.first, ".",
               EscapeGs3a3(parts.second));
  }
  if (key == "8017" || key == "8018") {
    return cat(key == "8018" ? "urn:epc:id:gsrn:" : "urn:epc:id:gsrnp:", v.substr(0, g), ".",
               v.substr(g, 17 - g));
  }
  if (key == "402") {
    return cat("urn:epc:id:gsin:", v.substr(0, g), ".", v.substr(g, 16 - g));
  }
  VNTRACE_ASSERT(false);  // HasEpcForm admits only the keys handled above
  return DlError("unreachable");
}

// Checks what DigitalLinkToEpcUrn relies on before it slices values: a primary key that has an
// EPC form and every path value valid for its AI.
core::Status CheckPath(const DigitalLink& dl) {
  if (dl.path.empty()) return DlError("the Digital Link has no primary key");
  for (const AiElement& e : dl.path) {
    if (e.ai == nullptr) return DlError("a path element has no AI");
  }
  const std::string_view key = dl.primary_key().code();
  if (!HasEpcForm(key)) {
    return DlError(fmt::format("primary key AI ({}) has no EPC URN form", key));
  }
  for (const AiElement& e : dl.path) {
    core::Status valid = ValidateAiValue(*e.ai, e.value);
    if (!valid.ok()) return DlError(valid.error().message);
  }
  return core::Ok();
}

}  // namespace

core::Result<DigitalLink> EpcUrnToDigitalLink(std::string_view urn) {
  if (urn.size() > kMaxUrnLength) {
    return core::InvalidArgument(fmt::format("EPC URN is {} characters long; at most {} expected",
                                             urn.size(), kMaxUrnLength));
  }
  // RFC 8141: "urn" and the namespace identifier are case-insensitive.
  constexpr std::string_view kUrnEpc = "urn:epc:";
  if (urn.size() < kUrnEpc.size() || !EqualsIgnoreCase(urn.substr(0, kUrnEpc.size()), kUrnEpc)) {
    return core::InvalidArgument("EPC URN must start with \"urn:epc:\"");
  }
  std::string_view rest = urn.substr(kUrnEpc.size());
  const std::size_t colon = rest.find(':');
  const std::string_view category_name = rest.substr(0, colon);
  Category category;
  if (category_name == "id") {
    category = Category::kId;
  } else if (category_name == "class") {
    category = Category::kClass;
  } else if (category_name == "idpat") {
    category = Category::kIdpat;
  } else {
    return core::InvalidArgument(
        fmt::format("EPC URN category \"{}\" is not supported (expected id, class or idpat)",
                    Printable(category_name)));
  }
  if (colon == std::string_view::npos) {
    return core::InvalidArgument(
        "EPC URN has no scheme after \"urn:epc:" + std::string(category_name) + ":\"");
  }
  rest.remove_prefix(colon + 1);
  const std::size_t scheme_end = rest.find(':');
  if (scheme_end == std::string_view::npos) {
    return core::InvalidArgument("EPC URN has no ':' after its scheme name");
  }
  const std::string_view scheme = rest.substr(0, scheme_end);
  const std::string_view body_text = rest.substr(scheme_end + 1);

  const SchemeShape* shape = nullptr;
  bool scheme_known = false;
  for (const SchemeShape& s : kShapes) {
    if (s.name == scheme) {
      scheme_known = true;
      if (s.category == category) shape = &s;
    }
  }
  if (shape == nullptr) {
    const bool no_key =
        std::find(kSchemesWithoutDigitalLink.begin(), kSchemesWithoutDigitalLink.end(), scheme) !=
        kSchemesWithoutDigitalLink.end();
    if (scheme_known || no_key) {
      return core::InvalidArgument(
          fmt::format("EPC URN scheme \"urn:epc:{}:{}\" has no GS1 Digital Link form",
                      CategoryName(category), scheme));
    }
    return core::InvalidArgument(fmt::format("unknown EPC URN scheme \"{}\"", Printable(scheme)));
  }
  auto parts = SplitComponents(body_text, shape->components);
  if (!parts.has_value()) {
    return UrnError(scheme, fmt::format("expected {} components separated by '.' ({})",
                                        shape->components, shape->layout));
  }
  const UrnBody body(scheme, std::move(*parts));

  std::vector<Element> elements;
  switch (category) {
    case Category::kId: {
      VNTRACE_ASSIGN_OR_RETURN(elements, ConvertId(scheme, body));
      break;
    }
    case Category::kClass: {
      // lgtin is the only class-level scheme.
      VNTRACE_ASSIGN_OR_RETURN(std::string gtin, GtinFrom(body));
      VNTRACE_ASSIGN_OR_RETURN(std::string lot, body.Decoded(2, "lot", Syntax::kGs3a3));
      elements.push_back({"01", std::move(gtin)});
      elements.push_back({"10", std::move(lot)});
      break;
    }
    case Category::kIdpat: {
      VNTRACE_ASSIGN_OR_RETURN(elements, ConvertIdpat(scheme, body));
      break;
    }
  }

  DigitalLink dl;
  dl.stem = std::string(kCanonicalStem);
  for (Element& e : elements) {
    const AiDefinition* def = FindAi(e.code);
    VNTRACE_ASSERT(def != nullptr);  // only AIs of the compiled dictionary are named above
    core::Status valid = ValidateAiValue(*def, e.value);
    if (!valid.ok()) return UrnError(scheme, valid.error().message);
    dl.path.push_back(AiElement{def, std::move(e.value)});
  }
  return dl;
}

core::Result<std::string> DigitalLinkToEpcUrn(const DigitalLink& dl, int gcp_length) {
  if (gcp_length < kMinGcpLength || gcp_length > kMaxGcpLength) {
    return core::InvalidArgument(fmt::format("GS1 Company Prefix length must be {} to {}, got {}",
                                             kMinGcpLength, kMaxGcpLength, gcp_length));
  }
  VNTRACE_RETURN_IF_ERROR(CheckPath(dl));
  return ToUrn(dl, static_cast<std::size_t>(gcp_length));
}

core::Status GcpLengthTable::Add(std::string_view prefix, int length) {
  if (prefix.empty() || prefix.size() > static_cast<std::size_t>(kMaxGcpLength) ||
      !AllDigits(prefix)) {
    return core::InvalidArgument(fmt::format("GCP prefix must be 1 to {} digits, got \"{}\"",
                                             kMaxGcpLength, Printable(prefix)));
  }
  if (length < kMinGcpLength || length > kMaxGcpLength) {
    return core::InvalidArgument(fmt::format("GS1 Company Prefix length must be {} to {}, got {}",
                                             kMinGcpLength, kMaxGcpLength, length));
  }
  const auto [it, inserted] = lengths_.emplace(std::string(prefix), length);
  if (!inserted && it->second != length) {
    return core::AlreadyExists(
        fmt::format("GCP prefix {} is already recorded with length {}", prefix, it->second));
  }
  return core::Ok();
}

core::Result<int> GcpLengthTable::Find(std::string_view digits) const {
  for (std::size_t n = std::min(digits.size(), static_cast<std::size_t>(kMaxGcpLength)); n > 0;
       --n) {
    if (const auto it = lengths_.find(digits.substr(0, n)); it != lengths_.end()) {
      return it->second;
    }
  }
  return core::NotFound(fmt::format("no GS1 Company Prefix length is known for \"{}\"",
                                    Printable(digits.substr(0, kMaxGcpLength))));
}

core::Result<std::string> DigitalLinkToEpcUrn(const DigitalLink& dl, const GcpLengthTable& table) {
  VNTRACE_RETURN_IF_ERROR(CheckPath(dl));
  const AiElement& key = dl.primary_key();
  VNTRACE_ASSIGN_OR_RETURN(int length,
                           table.Find(std::string_view(key.value).substr(GcpOffset(key.code()))));
  return DigitalLinkToEpcUrn(dl, length);
}

}  // namespace vntrace::gs1
