#include "epcis/query.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include "epcis/event_hash.hpp"
#include "epcis/internal/hash_values.hpp"

namespace vntrace::epcis {
namespace {

namespace json = boost::json;
using Extensions = std::map<std::string, std::string>;
using internal::Vocabulary;

constexpr std::string_view kCanonicalStem = "https://id.gs1.org/";

std::string_view View(json::string_view s) { return {s.data(), s.size()}; }

// The IRI of a prefix the EPCIS 2.0 JSON-LD context itself declares, or nullptr; a
// GS1-Extensions declaration of the same prefix wins over it.
const std::string* ContextPrefix(std::string_view prefix) {
  static const JsonLdContext kEpcisContext;
  return kEpcisContext.FindPrefix(prefix);
}

// ---------------------------------------------------------------------------------------------
// Errors and scalar values.

std::string Quoted(std::string_view s) {
  std::string out = "'";
  out.append(s);
  out += '\'';
  return out;
}

core::Error ParamError(std::string_view param, std::string_view what) {
  std::string message(param);
  message += ": ";
  message.append(what);
  return core::InvalidArgument(std::move(message), std::string(param));
}

core::Error ParamUnsupported(std::string_view param, std::string_view what) {
  std::string message(param);
  message += ": ";
  message.append(what);
  return core::Unsupported(std::move(message), std::string(param));
}

// A finite decimal number as JSON or XML Schema write it ("12", "-0.5", "1e3", "+4").
std::optional<double> ParseNumber(std::string_view s) {
  const char* first = s.data();
  const char* last = first + s.size();
  if (first != last && *first == '+') {
    ++first;
    if (first != last && *first == '-') {
      return std::nullopt;
    }
  }
  if (first == last || *first == 'i' || *first == 'I' || *first == 'n' || *first == 'N') {
    return std::nullopt;
  }
  double value = 0;
  const auto [ptr, ec] = std::from_chars(first, last, value, std::chars_format::general);
  if (ec != std::errc() || ptr != last || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

// Cheap shape test run before ParseRfc3339, so that ordinary strings never reach its (allocating)
// error path: "YYYY-MM-DDThh:mm" at least.
bool LooksLikeDateTime(std::string_view s) {
  return s.size() >= 20 && IsDigit(s[0]) && IsDigit(s[3]) && s[4] == '-' && s[7] == '-' &&
         (s[10] == 'T' || s[10] == 't') && s[13] == ':';
}

std::optional<core::Timestamp> ParseTime(std::string_view s) {
  if (!LooksLikeDateTime(s)) {
    return std::nullopt;
  }
  core::Result<core::Timestamp> t = core::ParseRfc3339(s);
  if (!t.ok()) {
    return std::nullopt;
  }
  return *t;
}

template <typename T>
bool Compare(const T& candidate, Comparison op, const T& bound) {
  switch (op) {
    case Comparison::kEq:
      return candidate == bound;
    case Comparison::kGt:
      return candidate > bound;
    case Comparison::kGe:
      return candidate >= bound;
    case Comparison::kLt:
      return candidate < bound;
    case Comparison::kLe:
      return candidate <= bound;
    case Comparison::kExists:
      return true;
  }
  return false;
}

// Instants only: the UTC offset a time was written in does not order it.
bool CompareTimes(const core::Timestamp& candidate, Comparison op, const core::Timestamp& bound) {
  return Compare(candidate.unix_nanos(), op, bound.unix_nanos());
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) {
      return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary and identifiers.

// The bare word of a GS1 measurement type ("gs1:Temperature", "https://gs1.org/voc/Temperature"
// → "Temperature"); any other value unchanged.
std::string_view MeasurementWord(std::string_view v) {
  static constexpr std::string_view kPrefixes[] = {"https://gs1.org/voc/", "http://gs1.org/voc/",
                                                   "gs1:"};
  for (std::string_view p : kPrefixes) {
    if (v.starts_with(p)) {
      return v.substr(p.size());
    }
  }
  return v;
}

// "scheme:" as RFC 3986 has it: a letter, then letters, digits, '+', '-', '.'.
bool HasUriScheme(std::string_view v) {
  const std::size_t colon = v.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return false;
  }
  const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!is_alpha(v[0])) {
    return false;
  }
  return std::all_of(v.begin() + 1, v.begin() + static_cast<std::ptrdiff_t>(colon), [&](char c) {
    return is_alpha(c) || IsDigit(c) || c == '+' || c == '-' || c == '.';
  });
}

// The namespace of `prefix`: GS1-Extensions first, then the EPCIS context.
std::optional<std::string_view> FindNamespace(std::string_view prefix, const Extensions& ext) {
  if (auto it = ext.find(std::string(prefix)); it != ext.end()) {
    return std::string_view(it->second);
  }
  if (const std::string* iri = ContextPrefix(prefix)) {
    return std::string_view(*iri);
  }
  return std::nullopt;
}

// A value written as a CURIE with a known prefix ("example:step") as its IRI; nullopt for
// anything else (URIs such as "urn:..." and "https://..." included, unless their scheme was
// declared as a prefix).
std::optional<std::string> ExpandCurie(std::string_view v, const Extensions& ext) {
  const std::size_t colon = v.find(':');
  if (colon == std::string_view::npos || v.substr(colon + 1).starts_with("//")) {
    return std::nullopt;
  }
  std::optional<std::string_view> ns = FindNamespace(v.substr(0, colon), ext);
  if (!ns) {
    return std::nullopt;
  }
  std::string out(*ns);
  out.append(v.substr(colon + 1));
  return out;
}

core::Result<std::vector<std::string_view>> SplitList(std::string_view param,
                                                      std::string_view value) {
  if (value.empty()) {
    return ParamError(param, "empty value");
  }
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t bar = value.find('|', start);
    const std::string_view item =
        value.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    if (item.empty()) {
      return ParamError(param, "empty element in the '|'-separated list " + Quoted(value));
    }
    out.push_back(item);
    if (bar == std::string_view::npos) {
      return out;
    }
    start = bar + 1;
  }
}

core::Result<std::string_view> SingleValue(std::string_view param, std::string_view value) {
  if (value.empty()) {
    return ParamError(param, "empty value");
  }
  if (value.find('|') != std::string_view::npos) {
    return ParamError(param, "takes a single value, got the list " + Quoted(value));
  }
  return value;
}

core::Result<core::Timestamp> ParseTimeParam(std::string_view param, std::string_view value) {
  VNTRACE_ASSIGN_OR_RETURN(std::string_view v, SingleValue(param, value));
  core::Result<core::Timestamp> t = core::ParseRfc3339(v);
  if (!t.ok()) {
    return ParamError(param,
                      "expected an RFC 3339 date-time such as "
                      "2022-06-30T00:15:47.000-05:00, got " +
                          Quoted(v) + " (" + t.error().message + ")");
  }
  return *t;
}

core::Result<double> ParseNumberParam(std::string_view param, std::string_view value) {
  VNTRACE_ASSIGN_OR_RETURN(std::string_view v, SingleValue(param, value));
  std::optional<double> d = ParseNumber(v);
  if (!d) {
    return ParamError(param, "expected a number, got " + Quoted(v));
  }
  return *d;
}

core::Result<int> ParseCountParam(std::string_view param, std::string_view value) {
  VNTRACE_ASSIGN_OR_RETURN(std::string_view v, SingleValue(param, value));
  int n = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (!AllDigits(v) || ec != std::errc() || ptr != v.data() + v.size()) {
    return ParamError(param, "expected a non-negative integer, got " + Quoted(v));
  }
  return n;
}

// EXISTS_ parameters carry no value in EPCIS 1.x and a boolean in the REST binding: empty,
// "true" or "1" set the condition; "false" or "0" leave events unconstrained.
core::Result<bool> ParseExistsFlag(std::string_view param, std::string_view value) {
  if (value.empty() || value == "true" || value == "1") {
    return true;
  }
  if (value == "false" || value == "0") {
    return false;
  }
  return ParamError(param, "expected no value, true or false, got " + Quoted(value));
}

// A CBV vocabulary value (bizStep, disposition, error reason): a bare word must be a term of
// the CBV list; a URI or CURIE is a custom value (CBV URNs and Web URIs become bare words).
// A CURIE with a known prefix adds both its IRI and the CURIE as written, since either may be
// what the event holds.
core::Status AppendVocabularyValues(std::string_view param, std::string_view value,
                                    Vocabulary vocabulary, std::string_view vocabulary_name,
                                    const Extensions& ext, std::vector<std::string>& out) {
  VNTRACE_ASSIGN_OR_RETURN(std::vector<std::string_view> items, SplitList(param, value));
  std::string scratch;
  for (std::string_view v : items) {
    if (v.find(':') == std::string_view::npos) {
      scratch.clear();
      if (!internal::AppendVocabularyTerm(vocabulary, v, scratch)) {
        return ParamError(param, Quoted(v) + " is not a CBV " + std::string(vocabulary_name) +
                                     " (a custom value must be a URI, or a CURIE with a "
                                     "declared prefix)");
      }
      out.emplace_back(v);
      continue;
    }
    if (std::optional<std::string> iri = ExpandCurie(v, ext)) {
      out.push_back(CanonicalVocabulary(*iri));
      out.emplace_back(v);
      continue;
    }
    out.push_back(CanonicalVocabulary(v));
  }
  return core::Ok();
}

// GS1 EPC schemes: a URN of one of these that does not canonicalise is malformed.
bool IsGs1EpcUrn(std::string_view v) {
  static constexpr std::string_view kSchemes[] = {"sgtin", "sscc", "sgln", "grai",  "giai", "gsrn",
                                                  "gsrnp", "gdti", "sgcn", "cpi",   "itip", "upui",
                                                  "pgln",  "ginc", "gsin", "lgtin", "gcn"};
  std::string_view rest;
  if (v.starts_with("urn:epc:id:")) {
    rest = v.substr(11);
  } else if (v.starts_with("urn:epc:class:")) {
    rest = v.substr(14);
  } else {
    return false;
  }
  const std::string_view scheme = rest.substr(0, rest.find(':'));
  return std::find(std::begin(kSchemes), std::end(kSchemes), scheme) != std::end(kSchemes);
}

core::Result<std::string> ParseIdentifier(std::string_view param, std::string_view v) {
  if (!HasUriScheme(v)) {
    return ParamError(param, "expected a URI, got " + Quoted(v));
  }
  std::string canonical = CanonicalIdentifier(v);
  if (IsGs1EpcUrn(v) && !canonical.starts_with(kCanonicalStem)) {
    return ParamError(param, Quoted(v) + " is not a valid EPC URN");
  }
  return canonical;
}

core::Status AppendIdentifiers(std::string_view param, std::string_view value, bool canonicalise,
                               std::vector<std::string>& out) {
  VNTRACE_ASSIGN_OR_RETURN(std::vector<std::string_view> items, SplitList(param, value));
  for (std::string_view v : items) {
    if (!canonicalise) {
      if (!HasUriScheme(v)) {
        return ParamError(param, "expected a URI, got " + Quoted(v));
      }
      out.emplace_back(v);
      continue;
    }
    VNTRACE_ASSIGN_OR_RETURN(std::string id, ParseIdentifier(param, v));
    out.push_back(std::move(id));
  }
  return core::Ok();
}

// ---------------------------------------------------------------------------------------------
// EPC patterns (urn:epc:idpat:{scheme}:{components}).

struct PatternScheme {
  std::string_view name;
  int components;
  std::string_view ai;  // "" for the schemes that are not GS1 keys (matched as URNs)
  // GTIN, SSCC and ITIP start with an indicator or extension digit before the company prefix.
  bool lead_digit = false;
  std::string_view key_pad = {};  // written before the company prefix ("0" for GRAI)
  // Class level (all but the last component given): a value for the last component and the
  // tail its canonical Digital Link ends with, cut off to leave the prefix of the class.
  std::string_view placeholder = {};
  std::string_view cut = {};
};

constexpr PatternScheme kPatternSchemes[] = {
    {.name = "sgtin",
     .components = 3,
     .ai = "01",
     .lead_digit = true,
     .placeholder = "0",
     .cut = "21/0"},
    {.name = "sscc", .components = 2, .ai = "00", .lead_digit = true},
    {.name = "sgln", .components = 3, .ai = "414", .placeholder = "1", .cut = "254/1"},
    {.name = "grai", .components = 3, .ai = "8003", .key_pad = "0", .placeholder = "0", .cut = "0"},
    {.name = "giai", .components = 2, .ai = "8004"},
    {.name = "gsrn", .components = 2, .ai = "8018"},
    {.name = "gsrnp", .components = 2, .ai = "8017"},
    {.name = "gdti", .components = 3, .ai = "253", .placeholder = "0", .cut = "0"},
    {.name = "sgcn", .components = 3, .ai = "255", .placeholder = "0", .cut = "0"},
    {.name = "cpi", .components = 3, .ai = "8010", .placeholder = "0", .cut = "8011/0"},
    {.name = "itip",
     .components = 5,
     .ai = "8006",
     .lead_digit = true,
     .placeholder = "0",
     .cut = "21/0"},
    {.name = "upui", .components = 3, .ai = "01", .placeholder = "0", .cut = "0"},
    {.name = "pgln", .components = 2, .ai = "417"},
    {.name = "ginc", .components = 2, .ai = "401"},
    {.name = "gsin", .components = 2, .ai = "402"},
    {.name = "gid", .components = 3, .ai = ""},
    {.name = "usdod", .components = 2, .ai = ""},
    {.name = "adi", .components = 3, .ai = ""},
};

std::string JoinComponents(const std::vector<std::string_view>& parts, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) {
      out += '.';
    }
    out.append(parts[i]);
  }
  return out;
}

// The GTIN-14 of an SGTIN-style "C.IR" pair, via the class-level canonical form.
core::Result<std::string> GtinOf(std::string_view param, std::string_view urn,
                                 const std::vector<std::string_view>& parts) {
  std::string canonical =
      CanonicalIdentifier("urn:epc:idpat:sgtin:" + JoinComponents(parts, 2) + ".*");
  const std::string expected_start = std::string(kCanonicalStem) + "01/";
  if (!canonical.starts_with(expected_start) || canonical.size() != expected_start.size() + 14) {
    return ParamError(param, Quoted(urn) + " is not a valid EPC pattern");
  }
  return canonical.substr(expected_start.size());
}

// The canonical identifiers an EPC pattern URN matches, as IdMatch values (see query.hpp).
core::Result<std::vector<IdMatch>> ParseEpcPattern(std::string_view param, std::string_view urn) {
  constexpr std::string_view kIdPat = "urn:epc:idpat:";
  const std::string_view rest = urn.substr(kIdPat.size());
  const std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) {
    return ParamError(param, Quoted(urn) + " is not an EPC pattern (urn:epc:idpat:{scheme}:...)");
  }
  const std::string_view scheme_name = rest.substr(0, colon);
  const PatternScheme* scheme = nullptr;
  for (const PatternScheme& s : kPatternSchemes) {
    if (s.name == scheme_name) {
      scheme = &s;
    }
  }
  if (scheme == nullptr) {
    return ParamError(param, Quoted(urn) + ": unknown EPC pattern scheme " + Quoted(scheme_name));
  }
  std::vector<std::string_view> parts;
  std::string_view body = rest.substr(colon + 1);
  while (true) {
    const std::size_t dot = body.find('.');
    parts.push_back(body.substr(0, dot));
    if (dot == std::string_view::npos) {
      break;
    }
    body = body.substr(dot + 1);
  }
  if (static_cast<int>(parts.size()) != scheme->components) {
    return ParamError(param, Quoted(urn) + ": an " + std::string(scheme->name) + " pattern has " +
                                 std::to_string(scheme->components) + " '.'-separated components");
  }
  std::size_t fixed = 0;
  while (fixed < parts.size() && parts[fixed] != "*") {
    if (parts[fixed].empty() || parts[fixed].find_first_of("*[]") != std::string_view::npos) {
      return ParamError(param, Quoted(urn) + ": component " + std::to_string(fixed + 1) +
                                   " must be a value or '*' (ranges are not supported)");
    }
    ++fixed;
  }
  for (std::size_t i = fixed; i < parts.size(); ++i) {
    if (parts[i] != "*") {
      return ParamError(param, Quoted(urn) + ": after a '*' every component must be '*'");
    }
  }
  const std::size_t n = parts.size();

  // Schemes that are not GS1 keys canonicalise to their own URN: match by URN prefix.
  if (scheme->ai.empty()) {
    std::string prefix = "urn:epc:id:" + std::string(scheme->name) + ":";
    prefix += JoinComponents(parts, fixed);
    if (fixed == n) {
      return std::vector<IdMatch>{{prefix, false}};
    }
    if (fixed > 0) {
      prefix += '.';
    }
    return std::vector<IdMatch>{{prefix, true}};
  }

  const std::string key_stem = std::string(kCanonicalStem) + std::string(scheme->ai) + "/";
  if (fixed == n) {  // no '*': one identifier
    std::string canonical = CanonicalIdentifier("urn:epc:id:" + std::string(scheme->name) + ":" +
                                                JoinComponents(parts, n));
    if (!canonical.starts_with(kCanonicalStem)) {
      return ParamError(param, Quoted(urn) + " is not a valid EPC pattern");
    }
    return std::vector<IdMatch>{{std::move(canonical), false}};
  }
  if (scheme->name == "upui" && fixed < 2) {
    return ParamUnsupported(param, Quoted(urn) +
                                       ": a UPUI pattern must give the GTIN (C.I.*); a wider "
                                       "one cannot be told apart from SGTINs");
  }
  if (fixed == 0) {  // every identifier of the key type
    return std::vector<IdMatch>{{key_stem, true}};
  }
  if (fixed == 1) {  // company prefix only
    const std::string_view company = parts[0];
    if (!AllDigits(company) || company.size() < 6 || company.size() > 12) {
      return ParamError(param, Quoted(urn) + ": the GS1 Company Prefix must be 6 to 12 digits");
    }
    std::vector<IdMatch> out;
    if (scheme->lead_digit) {
      for (char d = '0'; d <= '9'; ++d) {
        std::string prefix = key_stem;
        prefix += d;
        prefix.append(company);
        out.push_back({std::move(prefix), true});
      }
    } else {
      out.push_back({key_stem + std::string(scheme->key_pad) + std::string(company), true});
    }
    return out;
  }
  if (scheme->name == "itip" && fixed < n - 1) {  // C.IR.*.*.* or C.IR.P.*.*
    VNTRACE_ASSIGN_OR_RETURN(std::string gtin, GtinOf(param, urn, parts));
    std::string prefix = key_stem + gtin;
    if (fixed == 3) {
      if (parts[2].size() != 2 || !AllDigits(parts[2])) {
        return ParamError(param, Quoted(urn) + ": the ITIP piece number must be 2 digits");
      }
      prefix.append(parts[2]);
    }
    return std::vector<IdMatch>{{std::move(prefix), true}};
  }
  // Class level: canonicalise with a placeholder last component and cut it off again.
  std::string canonical =
      CanonicalIdentifier("urn:epc:id:" + std::string(scheme->name) + ":" +
                          JoinComponents(parts, fixed) + "." + std::string(scheme->placeholder));
  if (!canonical.starts_with(key_stem) || !canonical.ends_with(scheme->cut)) {
    return ParamError(param, Quoted(urn) + " is not a valid EPC pattern");
  }
  canonical.resize(canonical.size() - scheme->cut.size());
  return std::vector<IdMatch>{{std::move(canonical), true}};
}

// True for the canonical Digital Link of a GTIN alone: https://id.gs1.org/01/{14 digits}.
bool IsGtinOnly(std::string_view canonical) {
  const std::string_view stem = "https://id.gs1.org/01/";
  return canonical.starts_with(stem) && canonical.size() == stem.size() + 14 &&
         AllDigits(canonical.substr(stem.size()));
}

core::Status AppendIdMatches(std::string_view param, std::string_view value,
                             std::vector<IdMatch>& out) {
  VNTRACE_ASSIGN_OR_RETURN(std::vector<std::string_view> items, SplitList(param, value));
  for (std::string_view v : items) {
    if (v.starts_with("urn:epc:idpat:")) {
      VNTRACE_ASSIGN_OR_RETURN(std::vector<IdMatch> matches, ParseEpcPattern(param, v));
      out.insert(out.end(), matches.begin(), matches.end());
      continue;
    }
    VNTRACE_ASSIGN_OR_RETURN(std::string id, ParseIdentifier(param, v));
    if (IsGtinOnly(id)) {  // the Digital Link equivalent of urn:epc:idpat:sgtin:C.I.*
      id += '/';
      out.push_back({std::move(id), true});
    } else {
      out.push_back({std::move(id), false});
    }
  }
  return core::Ok();
}

// ---------------------------------------------------------------------------------------------
// Fixed parameter names.

enum class FixedKind { kTime, kVocabulary, kIdentifier, kUri, kIdMatch, kNumber, kNumbers };

struct FixedParam {
  std::string_view name;
  FixedKind kind;
  std::optional<core::Timestamp> EventQuery::*time = nullptr;
  std::vector<std::string> EventQuery::*strings = nullptr;
  std::vector<IdMatch> EventQuery::*ids = nullptr;
  std::optional<double> EventQuery::*number = nullptr;
  std::vector<double> EventQuery::*numbers = nullptr;
  Vocabulary vocabulary = Vocabulary::kNone;
  std::string_view vocabulary_name = {};
};

constexpr FixedParam kFixedParams[] = {
    {.name = "GE_eventTime", .kind = FixedKind::kTime, .time = &EventQuery::ge_event_time},
    {.name = "LT_eventTime", .kind = FixedKind::kTime, .time = &EventQuery::lt_event_time},
    {.name = "GE_recordTime", .kind = FixedKind::kTime, .time = &EventQuery::ge_record_time},
    {.name = "LT_recordTime", .kind = FixedKind::kTime, .time = &EventQuery::lt_record_time},
    {.name = "GE_errorDeclarationTime",
     .kind = FixedKind::kTime,
     .time = &EventQuery::ge_error_declaration_time},
    {.name = "LT_errorDeclarationTime",
     .kind = FixedKind::kTime,
     .time = &EventQuery::lt_error_declaration_time},
    // The spelling of GS1's query-schema.json.
    {.name = "GE_errorDeclaration_Time",
     .kind = FixedKind::kTime,
     .time = &EventQuery::ge_error_declaration_time},
    {.name = "LT_errorDeclaration_Time",
     .kind = FixedKind::kTime,
     .time = &EventQuery::lt_error_declaration_time},
    {.name = "EQ_bizStep",
     .kind = FixedKind::kVocabulary,
     .strings = &EventQuery::eq_biz_step,
     .vocabulary = Vocabulary::kBizStep,
     .vocabulary_name = "bizStep"},
    {.name = "EQ_disposition",
     .kind = FixedKind::kVocabulary,
     .strings = &EventQuery::eq_disposition,
     .vocabulary = Vocabulary::kDisposition,
     .vocabulary_name = "disposition"},
    {.name = "EQ_persistentDisposition_set",
     .kind = FixedKind::kVocabulary,
     .strings = &EventQuery::eq_persistent_disposition_set,
     .vocabulary = Vocabulary::kDisposition,
     .vocabulary_name = "disposition"},
    {.name = "EQ_persistentDisposition_unset",
     .kind = FixedKind::kVocabulary,
     .strings = &EventQuery::eq_persistent_disposition_unset,
     .vocabulary = Vocabulary::kDisposition,
     .vocabulary_name = "disposition"},
    {.name = "EQ_errorReason",
     .kind = FixedKind::kVocabulary,
     .strings = &EventQuery::eq_error_reason,
     .vocabulary = Vocabulary::kErrorReason,
     .vocabulary_name = "error reason"},
    {.name = "EQ_readPoint", .kind = FixedKind::kIdentifier, .strings = &EventQuery::eq_read_point},
    {.name = "WD_readPoint", .kind = FixedKind::kIdentifier, .strings = &EventQuery::wd_read_point},
    {.name = "EQ_bizLocation",
     .kind = FixedKind::kIdentifier,
     .strings = &EventQuery::eq_biz_location},
    {.name = "WD_bizLocation",
     .kind = FixedKind::kIdentifier,
     .strings = &EventQuery::wd_biz_location},
    {.name = "EQ_transformationID",
     .kind = FixedKind::kIdentifier,
     .strings = &EventQuery::eq_transformation_id},
    {.name = "EQ_correctiveEventID",
     .kind = FixedKind::kIdentifier,
     .strings = &EventQuery::eq_corrective_event_id},
    {.name = "EQ_eventID", .kind = FixedKind::kUri, .strings = &EventQuery::eq_event_id},
    {.name = "MATCH_epc", .kind = FixedKind::kIdMatch, .ids = &EventQuery::match_epc},
    {.name = "MATCH_parentID", .kind = FixedKind::kIdMatch, .ids = &EventQuery::match_parent_id},
    {.name = "MATCH_inputEPC", .kind = FixedKind::kIdMatch, .ids = &EventQuery::match_input_epc},
    {.name = "MATCH_outputEPC", .kind = FixedKind::kIdMatch, .ids = &EventQuery::match_output_epc},
    {.name = "MATCH_anyEPC", .kind = FixedKind::kIdMatch, .ids = &EventQuery::match_any_epc},
    {.name = "MATCH_epcClass", .kind = FixedKind::kIdMatch, .ids = &EventQuery::match_epc_class},
    {.name = "MATCH_inputEPCClass",
     .kind = FixedKind::kIdMatch,
     .ids = &EventQuery::match_input_epc_class},
    {.name = "MATCH_outputEPCClass",
     .kind = FixedKind::kIdMatch,
     .ids = &EventQuery::match_output_epc_class},
    {.name = "MATCH_anyEPCClass",
     .kind = FixedKind::kIdMatch,
     .ids = &EventQuery::match_any_epc_class},
    {.name = "EQ_quantity", .kind = FixedKind::kNumbers, .numbers = &EventQuery::eq_quantity},
    {.name = "GT_quantity", .kind = FixedKind::kNumber, .number = &EventQuery::gt_quantity},
    {.name = "GE_quantity", .kind = FixedKind::kNumber, .number = &EventQuery::ge_quantity},
    {.name = "LT_quantity", .kind = FixedKind::kNumber, .number = &EventQuery::lt_quantity},
    {.name = "LE_quantity", .kind = FixedKind::kNumber, .number = &EventQuery::le_quantity},
};

core::Status ApplyFixed(const FixedParam& p, std::string_view value, const Extensions& ext,
                        EventQuery& q) {
  switch (p.kind) {
    case FixedKind::kTime: {
      VNTRACE_ASSIGN_OR_RETURN(q.*p.time, ParseTimeParam(p.name, value));
      return core::Ok();
    }
    case FixedKind::kVocabulary:
      return AppendVocabularyValues(p.name, value, p.vocabulary, p.vocabulary_name, ext,
                                    q.*p.strings);
    case FixedKind::kIdentifier:
      return AppendIdentifiers(p.name, value, /*canonicalise=*/true, q.*p.strings);
    case FixedKind::kUri:
      return AppendIdentifiers(p.name, value, /*canonicalise=*/false, q.*p.strings);
    case FixedKind::kIdMatch:
      return AppendIdMatches(p.name, value, q.*p.ids);
    case FixedKind::kNumber: {
      VNTRACE_ASSIGN_OR_RETURN(q.*p.number, ParseNumberParam(p.name, value));
      return core::Ok();
    }
    case FixedKind::kNumbers: {
      VNTRACE_ASSIGN_OR_RETURN(std::vector<std::string_view> items, SplitList(p.name, value));
      for (std::string_view v : items) {
        VNTRACE_ASSIGN_OR_RETURN(double d, ParseNumberParam(p.name, v));
        (q.*p.numbers).push_back(d);
      }
      return core::Ok();
    }
  }
  return core::Ok();
}

// ---------------------------------------------------------------------------------------------
// Sensor parameters with fixed names.

struct SensorParam {
  std::string_view name;
  SensorCondition::In in;
  SensorCondition::Type type;
  std::string_view field;
  Comparison op = Comparison::kEq;
};

using In = SensorCondition::In;
using SType = SensorCondition::Type;

constexpr SensorParam kSensorParams[] = {
    {"GE_time", In::kMetadataOrReport, SType::kTime, "time", Comparison::kGe},
    {"LT_time", In::kMetadataOrReport, SType::kTime, "time", Comparison::kLt},
    {"GE_startTime", In::kMetadata, SType::kTime, "startTime", Comparison::kGe},
    {"LT_startTime", In::kMetadata, SType::kTime, "startTime", Comparison::kLt},
    {"GE_endTime", In::kMetadata, SType::kTime, "endTime", Comparison::kGe},
    {"LT_endTime", In::kMetadata, SType::kTime, "endTime", Comparison::kLt},
    {"EQ_type", In::kReport, SType::kMeasurementType, "type"},
    {"EQ_deviceID", In::kMetadataOrReport, SType::kIdentifier, "deviceID"},
    {"EQ_dataProcessingMethod", In::kMetadataOrReport, SType::kIdentifier, "dataProcessingMethod"},
    {"EQ_bizRules", In::kMetadataOrReport, SType::kIdentifier, "bizRules"},
    {"EQ_microorganism", In::kReport, SType::kIdentifier, "microorganism"},
    {"EQ_chemicalSubstance", In::kReport, SType::kIdentifier, "chemicalSubstance"},
    {"EQ_uriValue", In::kReport, SType::kIdentifier, "uriValue"},
    {"EQ_stringValue", In::kReport, SType::kText, "stringValue"},
    {"EQ_hexBinaryValue", In::kReport, SType::kHexBinary, "hexBinaryValue"},
    {"EQ_booleanValue", In::kReport, SType::kBoolean, "booleanValue"},
    {"GT_percRank", In::kReport, SType::kNumber, "percRank", Comparison::kGt},
    {"GE_percRank", In::kReport, SType::kNumber, "percRank", Comparison::kGe},
    {"LT_percRank", In::kReport, SType::kNumber, "percRank", Comparison::kLt},
    {"LE_percRank", In::kReport, SType::kNumber, "percRank", Comparison::kLe},
};

bool IsHexBinary(std::string_view s) {
  return s.size() % 2 == 0 && std::all_of(s.begin(), s.end(), [](char c) {
           return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

// Checks and stores the values of a sensor condition.
core::Status AppendSensorValues(std::string_view param, std::string_view value,
                                const Extensions& ext, SensorCondition& c) {
  std::vector<std::string_view> items;
  if (c.op == Comparison::kEq && c.type != SType::kBoolean) {
    VNTRACE_ASSIGN_OR_RETURN(items, SplitList(param, value));
  } else {
    VNTRACE_ASSIGN_OR_RETURN(std::string_view single, SingleValue(param, value));
    items.push_back(single);
  }
  for (std::string_view v : items) {
    switch (c.type) {
      case SType::kText:
        c.values.emplace_back(v);
        break;
      case SType::kNumber:
        if (!ParseNumber(v)) {
          return ParamError(param, "expected a number, got " + Quoted(v));
        }
        c.values.emplace_back(v);
        break;
      case SType::kTime: {
        VNTRACE_RETURN_IF_ERROR(ParseTimeParam(param, v));
        c.values.emplace_back(v);
        break;
      }
      case SType::kIdentifier: {
        if (std::optional<std::string> iri = ExpandCurie(v, ext)) {
          c.values.push_back(CanonicalIdentifier(*iri));
          c.values.emplace_back(v);
          break;
        }
        VNTRACE_ASSIGN_OR_RETURN(std::string id, ParseIdentifier(param, v));
        c.values.push_back(std::move(id));
        break;
      }
      case SType::kMeasurementType: {
        const std::string_view word = MeasurementWord(v);
        if (word.find(':') == std::string_view::npos) {
          std::string scratch;
          if (!internal::AppendVocabularyTerm(Vocabulary::kMeasurementType, word, scratch)) {
            return ParamError(param, Quoted(v) +
                                         " is not a GS1 measurement type (a custom type must be "
                                         "a URI, or a CURIE with a declared prefix)");
          }
          c.values.emplace_back(word);
        } else if (std::optional<std::string> iri = ExpandCurie(v, ext)) {
          c.values.push_back(std::move(*iri));
          c.values.emplace_back(v);
        } else {
          c.values.emplace_back(v);
        }
        break;
      }
      case SType::kHexBinary:
        if (!IsHexBinary(v)) {
          return ParamError(param, "expected hexadecimal octets, got " + Quoted(v));
        }
        c.values.emplace_back(v);
        break;
      case SType::kBoolean:
        if (v != "true" && v != "false") {
          return ParamError(param, "expected true or false, got " + Quoted(v));
        }
        c.values.emplace_back(v);
        break;
    }
  }
  return core::Ok();
}

// ---------------------------------------------------------------------------------------------
// Patterned parameter names.

struct OpPrefix {
  std::string_view text;
  Comparison op;
};

constexpr OpPrefix kOpPrefixes[] = {
    {"EQ_", Comparison::kEq}, {"GT_", Comparison::kGt}, {"GE_", Comparison::kGe},
    {"LT_", Comparison::kLt}, {"LE_", Comparison::kLe}, {"EXISTS_", Comparison::kExists},
};

std::optional<OpPrefix> SplitOp(std::string_view name) {
  for (const OpPrefix& p : kOpPrefixes) {
    if (name.starts_with(p.text)) {
      return p;
    }
  }
  return std::nullopt;
}

bool IsUomCode(std::string_view s) {
  return s.size() >= 2 && s.size() <= 4 && std::all_of(s.begin(), s.end(), [](char c) {
           return IsDigit(c) || (c >= 'A' && c <= 'Z');
         });
}

// EQ_bizTransaction_{type}, EQ_source_{type}, EQ_destination_{type}.
core::Status ParseTyped(std::string_view name, std::string_view type, std::string_view value,
                        Vocabulary vocabulary, std::string_view vocabulary_name,
                        const Extensions& ext, std::vector<TypedCondition>& out) {
  TypedCondition c;
  if (type.empty()) {
    return ParamError(name, "the " + std::string(vocabulary_name) + " type is missing");
  }
  if (type.find(':') == std::string_view::npos) {
    std::string scratch;
    if (!internal::AppendVocabularyTerm(vocabulary, type, scratch)) {
      return ParamError(name, Quoted(type) + " is not a CBV " + std::string(vocabulary_name) +
                                  " type (a custom type must be a URI, or a CURIE with a "
                                  "declared prefix)");
    }
    c.type = std::string(type);
  } else if (std::optional<std::string> iri = ExpandCurie(type, ext)) {
    c.type = CanonicalVocabulary(*iri);
  } else {
    c.type = CanonicalVocabulary(type);
  }
  VNTRACE_RETURN_IF_ERROR(AppendIdentifiers(name, value, /*canonicalise=*/true, c.values));
  out.push_back(std::move(c));
  return core::Ok();
}

struct ScopeInfix {
  std::string_view text;
  FieldCondition::Scope scope;
};

constexpr ScopeInfix kScopeInfixes[] = {
    {"ILMD_", FieldCondition::Scope::kIlmd},
    {"ERROR_DECLARATION_", FieldCondition::Scope::kErrorDeclaration},
    {"SENSORELEMENT_", FieldCondition::Scope::kSensorElement},
    {"SENSORMETADATA_", FieldCondition::Scope::kSensorMetadata},
    {"SENSORREPORT_", FieldCondition::Scope::kSensorReport},
    {"readPoint_", FieldCondition::Scope::kReadPoint},
    {"bizLocation_", FieldCondition::Scope::kBizLocation},
};

bool IsCuriePrefix(std::string_view s) {
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' ||
           c == '.';
  });
}

bool IsLocalName(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' ||
           c == '.';
  });
}

core::Error UnknownParameter(std::string_view name) {
  return ParamError(name, "unknown query parameter");
}

// {OP}_[INNER_][scope_]{prefix}:{localName}; `rest` is the name after the operator.
core::Status ParseExtensionField(std::string_view name, Comparison op, std::string_view rest,
                                 std::string_view value, const Extensions& ext, EventQuery& q) {
  FieldCondition c;
  c.op = op;
  if (rest.starts_with("INNER_")) {
    c.inner = true;
    rest.remove_prefix(6);
  }
  for (const ScopeInfix& s : kScopeInfixes) {
    if (rest.starts_with(s.text)) {
      c.scope = s.scope;
      rest.remove_prefix(s.text.size());
      break;
    }
  }
  const std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) {
    return UnknownParameter(name);
  }
  const std::string_view prefix = rest.substr(0, colon);
  const std::string_view local = rest.substr(colon + 1);
  if (!IsCuriePrefix(prefix) || !IsLocalName(local)) {
    return ParamError(name,
                      "the extension field must be written prefix:localName, got " + Quoted(rest));
  }
  std::optional<std::string_view> ns = FindNamespace(prefix, ext);
  if (!ns) {
    return ParamError(name, "namespace prefix " + Quoted(prefix) +
                                " is not declared (declare it in the GS1-Extensions header)");
  }
  c.name = "{" + std::string(*ns) + "}" + std::string(local);
  c.prefix = std::string(prefix);
  if (op == Comparison::kExists) {
    VNTRACE_ASSIGN_OR_RETURN(bool set, ParseExistsFlag(name, value));
    if (set) {
      q.fields.push_back(std::move(c));
    }
    return core::Ok();
  }
  if (op == Comparison::kEq) {
    VNTRACE_ASSIGN_OR_RETURN(std::vector<std::string_view> items, SplitList(name, value));
    c.values.assign(items.begin(), items.end());
  } else {
    VNTRACE_ASSIGN_OR_RETURN(std::string_view v, SingleValue(name, value));
    if (!ParseNumber(v) && !ParseTime(v)) {
      return ParamError(
          name, "expected a number or an RFC 3339 date-time to compare with, got " + Quoted(v));
    }
    c.values.emplace_back(v);
  }
  q.fields.push_back(std::move(c));
  return core::Ok();
}

// --- Master data attributes.

struct MasterDataFieldName {
  std::string_view name;
  MasterDataField field;
};

constexpr MasterDataFieldName kMasterDataFields[] = {
    {"readPoint", MasterDataField::kReadPoint},
    {"bizLocation", MasterDataField::kBizLocation},
    {"parentID", MasterDataField::kParentId},
    {"epcList", MasterDataField::kEpcList},
    {"childEPCs", MasterDataField::kChildEpcs},
    {"inputEPCList", MasterDataField::kInputEpcList},
    {"outputEPCList", MasterDataField::kOutputEpcList},
    {"quantityList", MasterDataField::kQuantityList},
    {"childQuantityList", MasterDataField::kChildQuantityList},
    {"inputQuantityList", MasterDataField::kInputQuantityList},
    {"outputQuantityList", MasterDataField::kOutputQuantityList},
};

core::Result<MasterDataField> ParseMasterDataField(std::string_view param, std::string_view field) {
  for (const MasterDataFieldName& f : kMasterDataFields) {
    if (f.name == field) {
      return f.field;
    }
  }
  if (field.find(':') != std::string_view::npos || field.find('#') != std::string_view::npos) {
    return ParamUnsupported(param,
                            "master data is kept for the standard fields only, not for "
                            "the extension field " +
                                Quoted(field));
  }
  return ParamError(param, Quoted(field) +
                               " is not a field whose values have master data (readPoint, "
                               "bizLocation, parentID, epcList, childEPCs, inputEPCList, "
                               "outputEPCList, quantityList, childQuantityList, "
                               "inputQuantityList, outputQuantityList)");
}

// A master data attribute name: a CURIE with a known prefix or an absolute IRI, expanded.
core::Result<std::string> ParseAttributeName(std::string_view param, std::string_view v,
                                             const Extensions& ext) {
  const std::size_t colon = v.find(':');
  if (colon == std::string_view::npos || colon == 0 || !HasUriScheme(v)) {
    return ParamError(param, Quoted(v) +
                                 " is not an attribute name: a URI, or a CURIE whose prefix is "
                                 "declared (\"cbvmda:sst\")");
  }
  const std::string_view prefix = v.substr(0, colon);
  const std::string_view rest = v.substr(colon + 1);
  if (prefix != "urn" && !rest.starts_with("//")) {
    std::optional<std::string_view> ns = FindNamespace(prefix, ext);
    if (!ns) {
      return ParamError(param, "namespace prefix " + Quoted(prefix) + " of attribute name " +
                                   Quoted(v) +
                                   " is not declared (declare it in the GS1-Extensions header)");
    }
    return CanonicalAttributeName(std::string(*ns) + std::string(rest));
  }
  return CanonicalAttributeName(v);
}

// HASATTR_{field}=attr|attr and EQ_ATTR_{field}_{attr}=value|value.
core::Status ParseAttributeCondition(std::string_view name, std::string_view value,
                                     const Extensions& ext, EventQuery& q) {
  AttributeCondition c;
  c.parameter = std::string(name);
  if (name.starts_with("HASATTR_")) {
    VNTRACE_ASSIGN_OR_RETURN(c.field, ParseMasterDataField(name, name.substr(8)));
    VNTRACE_ASSIGN_OR_RETURN(std::vector<std::string_view> items, SplitList(name, value));
    for (std::string_view item : items) {
      VNTRACE_ASSIGN_OR_RETURN(std::string attribute, ParseAttributeName(name, item, ext));
      c.attributes.push_back(std::move(attribute));
    }
  } else {
    const std::string_view rest = name.substr(8);
    const std::size_t underscore = rest.find('_');
    if (underscore == std::string_view::npos || underscore + 1 == rest.size()) {
      return ParamError(name, "expected EQ_ATTR_{field}_{attribute name}");
    }
    c.equals = true;
    VNTRACE_ASSIGN_OR_RETURN(c.field, ParseMasterDataField(name, rest.substr(0, underscore)));
    VNTRACE_ASSIGN_OR_RETURN(std::string attribute,
                             ParseAttributeName(name, rest.substr(underscore + 1), ext));
    c.attributes.push_back(std::move(attribute));
    VNTRACE_ASSIGN_OR_RETURN(std::vector<std::string_view> items, SplitList(name, value));
    c.values.assign(items.begin(), items.end());
  }
  q.attribute_conditions.push_back(std::move(c));
  return core::Ok();
}

core::Status ParsePatterned(std::string_view name, std::string_view value, const Extensions& ext,
                            EventQuery& q) {
  constexpr std::string_view kBizTransaction = "EQ_bizTransaction_";
  constexpr std::string_view kSource = "EQ_source_";
  constexpr std::string_view kDestination = "EQ_destination_";
  if (name.starts_with(kBizTransaction)) {
    return ParseTyped(name, name.substr(kBizTransaction.size()), value,
                      Vocabulary::kBizTransactionType, "bizTransaction", ext, q.eq_biz_transaction);
  }
  if (name.starts_with(kSource)) {
    return ParseTyped(name, name.substr(kSource.size()), value, Vocabulary::kSourceDestType,
                      "source", ext, q.eq_source);
  }
  if (name.starts_with(kDestination)) {
    return ParseTyped(name, name.substr(kDestination.size()), value, Vocabulary::kSourceDestType,
                      "destination", ext, q.eq_destination);
  }
  if (name.starts_with("HASATTR_") || name.starts_with("EQ_ATTR_")) {
    return ParseAttributeCondition(name, value, ext, q);
  }
  std::optional<OpPrefix> op = SplitOp(name);
  if (!op) {
    return UnknownParameter(name);
  }
  const std::string_view rest = name.substr(op->text.size());

  // {OP}_{value|minValue|maxValue|meanValue|sDev|percValue|quantity}_{uom}
  if (op->op != Comparison::kExists && rest.find(':') == std::string_view::npos) {
    const std::size_t underscore = rest.rfind('_');
    if (underscore != std::string_view::npos) {
      const std::string_view field = rest.substr(0, underscore);
      const std::string_view uom = rest.substr(underscore + 1);
      static constexpr std::string_view kValueFields[] = {
          "value", "minValue", "maxValue", "meanValue", "sDev", "percValue", "quantity"};
      if (std::find(std::begin(kValueFields), std::end(kValueFields), field) !=
          std::end(kValueFields)) {
        if (!IsUomCode(uom)) {
          return ParamError(name,
                            "the unit must be a UN/ECE Rec 20 code of 2 to 4 upper-case "
                            "letters or digits, got " +
                                Quoted(uom));
        }
        std::vector<std::string_view> items;
        if (op->op == Comparison::kEq) {
          VNTRACE_ASSIGN_OR_RETURN(items, SplitList(name, value));
        } else {
          VNTRACE_ASSIGN_OR_RETURN(std::string_view single, SingleValue(name, value));
          items.push_back(single);
        }
        if (field == "quantity") {
          QuantityCondition c{.uom = std::string(uom), .op = op->op, .values = {}};
          for (std::string_view v : items) {
            std::optional<double> d = ParseNumber(v);
            if (!d) {
              return ParamError(name, "expected a number, got " + Quoted(v));
            }
            c.values.push_back(*d);
          }
          q.quantity_by_uom.push_back(std::move(c));
          return core::Ok();
        }
        SensorCondition c{.in = In::kReport,
                          .type = SType::kNumber,
                          .field = std::string(field),
                          .uom = std::string(uom),
                          .op = op->op,
                          .values = {}};
        for (std::string_view v : items) {
          if (!ParseNumber(v)) {
            return ParamError(name, "expected a number, got " + Quoted(v));
          }
          c.values.emplace_back(v);
        }
        q.sensor.push_back(std::move(c));
        return core::Ok();
      }
    }
  }
  return ParseExtensionField(name, op->op, rest, value, ext, q);
}

// ---------------------------------------------------------------------------------------------
// Parameters with their own rules.

core::Status ParseEventTypes(std::string_view name, std::string_view value, EventQuery& q) {
  VNTRACE_ASSIGN_OR_RETURN(std::vector<std::string_view> items, SplitList(name, value));
  for (std::string_view v : items) {
    core::Result<EventType> type = ParseEventType(v);
    if (!type.ok()) {
      if (v.find(':') != std::string_view::npos) {
        return ParamUnsupported(name, "extension event type " + Quoted(v) +
                                          " is not supported; this repository holds only the "
                                          "five EPCIS 2.0 event types");
      }
      return ParamError(name, Quoted(v) +
                                  " is not an event type (ObjectEvent, AggregationEvent, "
                                  "TransactionEvent, TransformationEvent, AssociationEvent)");
    }
    q.event_types.push_back(*type);
  }
  return core::Ok();
}

core::Status ParseActions(std::string_view name, std::string_view value, EventQuery& q) {
  VNTRACE_ASSIGN_OR_RETURN(std::vector<std::string_view> items, SplitList(name, value));
  for (std::string_view v : items) {
    if (v != "ADD" && v != "OBSERVE" && v != "DELETE") {
      return ParamError(name, "expected ADD, OBSERVE or DELETE, got " + Quoted(v));
    }
    q.eq_action.emplace_back(v);
  }
  return core::Ok();
}

core::Status ParseOrderBy(std::string_view name, std::string_view value, const Extensions& ext,
                          EventQuery& q) {
  VNTRACE_ASSIGN_OR_RETURN(std::string_view v, SingleValue(name, value));
  if (v == "eventTime") {
    q.order_by = OrderBy::kEventTime;
    return core::Ok();
  }
  if (v == "recordTime") {
    q.order_by = OrderBy::kRecordTime;
    return core::Ok();
  }
  if (v == "quantity") {
    return ParamError(name,
                      "'quantity' is no longer an orderBy field (deprecated since EPCIS "
                      "1.1); expected eventTime, recordTime or an extension field");
  }
  const std::size_t colon = v.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    const std::string_view prefix = v.substr(0, colon);
    const std::string_view rest = v.substr(colon + 1);
    if (prefix != "urn" && !rest.starts_with("//") && IsCuriePrefix(prefix) && IsLocalName(rest)) {
      std::optional<std::string_view> ns = FindNamespace(prefix, ext);
      if (!ns) {
        return ParamError(name, "namespace prefix " + Quoted(prefix) +
                                    " is not declared (declare it in the GS1-Extensions header)");
      }
      q.order_by = OrderBy::kExtensionField;
      q.order_field = "{" + std::string(*ns) + "}" + std::string(rest);
      q.order_field_prefix = std::string(prefix);
      return core::Ok();
    }
    // The full IRI of the field: namespace up to its last '#', '/' or ':'.
    const std::size_t cut = v.find_last_of("#/:");
    if (HasUriScheme(v) && cut != std::string_view::npos && cut + 1 < v.size() &&
        IsLocalName(v.substr(cut + 1))) {
      q.order_by = OrderBy::kExtensionField;
      q.order_field =
          "{" + std::string(v.substr(0, cut + 1)) + "}" + std::string(v.substr(cut + 1));
      q.order_field_prefix.clear();
      return core::Ok();
    }
  }
  return ParamError(name,
                    "expected eventTime, recordTime or an extension field "
                    "(prefix:localName, or its full IRI), got " +
                        Quoted(v));
}

core::Status ParseOne(std::string_view name, std::string_view value, const Extensions& ext,
                      EventQuery& q) {
  if (name == "perPage" || name == "nextPageToken") {
    return core::Ok();  // pagination belongs to the caller
  }
  for (const FixedParam& p : kFixedParams) {
    if (p.name == name) {
      return ApplyFixed(p, value, ext, q);
    }
  }
  for (const SensorParam& p : kSensorParams) {
    if (p.name == name) {
      SensorCondition c{.in = p.in,
                        .type = p.type,
                        .field = std::string(p.field),
                        .uom = {},
                        .op = p.op,
                        .values = {}};
      VNTRACE_RETURN_IF_ERROR(AppendSensorValues(name, value, ext, c));
      q.sensor.push_back(std::move(c));
      return core::Ok();
    }
  }
  if (name == "eventType") {
    return ParseEventTypes(name, value, q);
  }
  if (name == "EQ_action") {
    return ParseActions(name, value, q);
  }
  if (name == "EXISTS_errorDeclaration") {
    VNTRACE_ASSIGN_OR_RETURN(q.exists_error_declaration, ParseExistsFlag(name, value));
    return core::Ok();
  }
  if (name == "EXISTS_sensorElementList") {
    VNTRACE_ASSIGN_OR_RETURN(q.exists_sensor_element_list, ParseExistsFlag(name, value));
    return core::Ok();
  }
  if (name == "orderBy") {
    return ParseOrderBy(name, value, ext, q);
  }
  if (name == "orderDirection") {
    if (value == "ASC") {
      q.descending = false;
    } else if (value == "DESC") {
      q.descending = true;
    } else {
      return ParamError(name, "expected ASC or DESC, got " + Quoted(value));
    }
    return core::Ok();
  }
  if (name == "eventCountLimit") {
    VNTRACE_ASSIGN_OR_RETURN(q.event_count_limit, ParseCountParam(name, value));
    return core::Ok();
  }
  if (name == "maxEventCount") {
    VNTRACE_ASSIGN_OR_RETURN(q.max_event_count, ParseCountParam(name, value));
    return core::Ok();
  }
  return ParsePatterned(name, value, ext, q);
}

// ---------------------------------------------------------------------------------------------
// Matching.

bool IdMatches(const IdMatch& m, std::string_view candidate) {
  if (!m.prefix) {
    return candidate == m.value;
  }
  if (candidate.starts_with(m.value)) {
    return true;
  }
  // A prefix ending in '/' names a class and everything under it: the class itself matches.
  const std::string_view v = m.value;
  return v.ends_with('/') && candidate == v.substr(0, v.size() - 1);
}

constexpr std::uint32_t Bit(IndexKind kind) { return 1u << static_cast<unsigned>(kind); }

constexpr std::uint32_t kEpcKinds = Bit(IndexKind::kEpc) | Bit(IndexKind::kChildEpc);
constexpr std::uint32_t kAnyEpcKinds =
    kEpcKinds | Bit(IndexKind::kParentId) | Bit(IndexKind::kInputEpc) | Bit(IndexKind::kOutputEpc);
constexpr std::uint32_t kClassKinds = Bit(IndexKind::kEpcClass) | Bit(IndexKind::kChildEpcClass);
constexpr std::uint32_t kAnyClassKinds =
    kClassKinds | Bit(IndexKind::kInputEpcClass) | Bit(IndexKind::kOutputEpcClass);

bool MatchesIds(const Event& event, std::uint32_t kinds, const std::vector<IdMatch>& ids) {
  if (ids.empty()) {
    return true;
  }
  for (const IndexEntry& entry : event.index) {
    if ((kinds & Bit(entry.kind)) == 0) {
      continue;
    }
    for (const IdMatch& id : ids) {
      if (IdMatches(id, entry.value)) {
        return true;
      }
    }
  }
  return false;
}

bool ContainsValue(const std::vector<std::string>& values, std::string_view v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

bool ContainsVocabulary(const std::vector<std::string>& values, std::string_view v) {
  const std::string_view word = BareCbvWord(v);
  return std::any_of(values.begin(), values.end(),
                     [&](const std::string& value) { return BareCbvWord(value) == word; });
}

// An index entry of `kind` whose value is one of `values` (vocabulary values compare as CBV
// words). An empty list is no condition.
bool MatchesIndex(const Event& event, IndexKind kind, const std::vector<std::string>& values,
                  bool vocabulary) {
  if (values.empty()) {
    return true;
  }
  for (const IndexEntry& entry : event.index) {
    if (entry.kind == kind && (vocabulary ? ContainsVocabulary(values, entry.value)
                                          : ContainsValue(values, entry.value))) {
      return true;
    }
  }
  return false;
}

bool MatchesTyped(const Event& event, IndexKind kind, const TypedCondition& c) {
  const std::string_view type = BareCbvWord(c.type);
  for (const IndexEntry& entry : event.index) {
    if (entry.kind == kind && (type.empty() || BareCbvWord(entry.type) == type) &&
        ContainsValue(c.values, entry.value)) {
      return true;
    }
  }
  return false;
}

std::optional<double> NumberOf(const json::value& v) {
  switch (v.kind()) {
    case json::kind::int64:
      return static_cast<double>(v.get_int64());
    case json::kind::uint64:
      return static_cast<double>(v.get_uint64());
    case json::kind::double_:
      return v.get_double();
    case json::kind::string:
      return ParseNumber(View(v.get_string()));
    default:
      return std::nullopt;
  }
}

// Calls `f` on each quantity element of the four quantity lists until it returns true.
template <typename F>
bool AnyQuantityElement(const json::object& event, F&& f) {
  static constexpr std::string_view kLists[] = {"quantityList", "childQuantityList",
                                                "inputQuantityList", "outputQuantityList"};
  for (std::string_view list : kLists) {
    const json::value* v = event.if_contains(list);
    if (v == nullptr || !v->is_array()) {
      continue;
    }
    for (const json::value& element : v->get_array()) {
      if (element.is_object() && f(element.get_object())) {
        return true;
      }
    }
  }
  return false;
}

bool MatchesQuantity(const json::object& event, Comparison op, double bound, std::string_view uom,
                     bool any_uom) {
  return AnyQuantityElement(event, [&](const json::object& element) {
    if (!any_uom) {
      const json::value* u = element.if_contains("uom");
      if (u == nullptr || !u->is_string() || View(u->get_string()) != uom) {
        return false;
      }
    }
    const json::value* quantity = element.if_contains("quantity");
    if (quantity == nullptr) {
      return false;
    }
    std::optional<double> d = NumberOf(*quantity);
    return d && Compare(*d, op, bound);
  });
}

bool MatchesQuantityCondition(const json::object& event, const QuantityCondition& c) {
  if (c.op == Comparison::kEq) {
    return std::any_of(c.values.begin(), c.values.end(), [&](double bound) {
      return MatchesQuantity(event, Comparison::kEq, bound, c.uom, false);
    });
  }
  return !c.values.empty() && MatchesQuantity(event, c.op, c.values.front(), c.uom, false);
}

// Calls `f` on each sensorMetadata and/or sensorReport object of the event until it returns
// true.
template <typename F>
bool AnySensorObject(const json::object& event, SensorCondition::In in, F&& f) {
  const json::value* list = event.if_contains("sensorElementList");
  if (list == nullptr || !list->is_array()) {
    return false;
  }
  for (const json::value& element : list->get_array()) {
    if (!element.is_object()) {
      continue;
    }
    const json::object& e = element.get_object();
    if (in != In::kReport) {
      const json::value* metadata = e.if_contains("sensorMetadata");
      if (metadata != nullptr && metadata->is_object() && f(metadata->get_object())) {
        return true;
      }
    }
    if (in != In::kMetadata) {
      const json::value* reports = e.if_contains("sensorReport");
      if (reports != nullptr && reports->is_array()) {
        for (const json::value& r : reports->get_array()) {
          if (r.is_object() && f(r.get_object())) {
            return true;
          }
        }
      }
    }
  }
  return false;
}

bool LooksLikeGs1Identifier(std::string_view v) {
  return v.starts_with("urn:epc:") || v.starts_with("http://") || v.starts_with("https://");
}

bool SensorValueMatches(const SensorCondition& c, const json::value& v) {
  if (c.type == SType::kNumber) {
    std::optional<double> d = NumberOf(v);
    if (!d) {
      return false;
    }
    return std::any_of(c.values.begin(), c.values.end(), [&](const std::string& value) {
      std::optional<double> bound = ParseNumber(value);
      return bound && Compare(*d, c.op, *bound);
    });
  }
  if (c.type == SType::kBoolean) {
    const bool want = !c.values.empty() && c.values.front() == "true";
    if (v.is_bool()) {
      return v.get_bool() == want;
    }
    return v.is_string() && View(v.get_string()) == (want ? "true" : "false");
  }
  if (!v.is_string()) {
    return false;
  }
  const std::string_view s = View(v.get_string());
  switch (c.type) {
    case SType::kText:
      return ContainsValue(c.values, s);
    case SType::kTime: {
      std::optional<core::Timestamp> t = ParseTime(s);
      if (!t) {
        return false;
      }
      return std::any_of(c.values.begin(), c.values.end(), [&](const std::string& value) {
        std::optional<core::Timestamp> bound = ParseTime(value);
        return bound && CompareTimes(*t, c.op, *bound);
      });
    }
    case SType::kIdentifier:
      if (ContainsValue(c.values, s)) {
        return true;
      }
      // Rare enough to afford the allocation: an EPC URN against a Digital Link.
      return LooksLikeGs1Identifier(s) && ContainsValue(c.values, CanonicalIdentifier(s));
    case SType::kMeasurementType:
      return ContainsValue(c.values, MeasurementWord(s)) || ContainsValue(c.values, s);
    case SType::kHexBinary:
      return std::any_of(c.values.begin(), c.values.end(),
                         [&](const std::string& value) { return EqualsIgnoringCase(value, s); });
    case SType::kNumber:
    case SType::kBoolean:
      break;
  }
  return false;
}

bool MatchesSensor(const json::object& event, const SensorCondition& c) {
  return AnySensorObject(event, c.in, [&](const json::object& o) {
    if (!c.uom.empty()) {
      const json::value* u = o.if_contains("uom");
      if (u == nullptr || !u->is_string() || View(u->get_string()) != c.uom) {
        return false;
      }
    }
    const json::value* v = o.if_contains(c.field);
    return v != nullptr && SensorValueMatches(c, *v);
  });
}

// --- Extension fields.

// The parts of a FieldCondition name "{namespace}localName".
struct ExpandedName {
  std::string_view full;
  std::string_view ns;
  std::string_view local;
  std::string_view prefix;
};

ExpandedName SplitName(std::string_view name, std::string_view prefix) {
  ExpandedName n{.full = name, .ns = {}, .local = {}, .prefix = prefix};
  const std::size_t close = n.full.find('}');
  if (n.full.starts_with('{') && close != std::string_view::npos) {
    n.ns = n.full.substr(1, close - 1);
    n.local = n.full.substr(close + 1);
  } else {
    n.local = n.full;
  }
  return n;
}

ExpandedName SplitName(const FieldCondition& c) { return SplitName(c.name, c.prefix); }

// The IRI an event's own "@context" gives `prefix` (a later declaration wins), if any.
std::optional<std::string_view> EventContextPrefix(const json::value* context,
                                                   std::string_view prefix) {
  if (context == nullptr) {
    return std::nullopt;
  }
  if (context->is_array()) {
    std::optional<std::string_view> found;
    for (const json::value& c : context->get_array()) {
      if (std::optional<std::string_view> iri = EventContextPrefix(&c, prefix)) {
        found = iri;
      }
    }
    return found;
  }
  if (!context->is_object()) {
    return std::nullopt;
  }
  const json::value* entry = context->get_object().if_contains(prefix);
  if (entry == nullptr) {
    return std::nullopt;
  }
  if (entry->is_string()) {
    return View(entry->get_string());
  }
  if (entry->is_object()) {
    const json::value* id = entry->get_object().if_contains("@id");
    if (id != nullptr && id->is_string()) {
      return View(id->get_string());
    }
  }
  return std::nullopt;
}

// Whether an event key names the field `n`: "{ns}local", the full IRI, or a CURIE whose prefix
// the event's @context (or the EPCIS context) maps to the namespace, or, failing both, the
// prefix the query itself used.
bool KeyNames(std::string_view key, const ExpandedName& n, const json::value* context) {
  if (key == n.full) {
    return true;
  }
  if (n.ns.empty()) {
    return false;
  }
  if (key.size() == n.ns.size() + n.local.size() && key.starts_with(n.ns) &&
      key.ends_with(n.local)) {
    return true;
  }
  const std::size_t colon = key.find(':');
  if (colon == std::string_view::npos || key.substr(colon + 1) != n.local) {
    return false;
  }
  const std::string_view prefix = key.substr(0, colon);
  if (std::optional<std::string_view> iri = EventContextPrefix(context, prefix)) {
    return *iri == n.ns;
  }
  if (const std::string* iri = ContextPrefix(prefix)) {
    return *iri == n.ns;
  }
  return prefix == n.prefix;
}

// Extension keys are CURIEs or IRIs; the standard fields are plain words.
bool IsExtensionKey(std::string_view key) {
  return key.find(':') != std::string_view::npos || key.starts_with('{');
}

bool FieldValueMatches(const FieldCondition& c, const json::value& v) {
  if (c.op == Comparison::kExists) {
    return !v.is_null();
  }
  switch (v.kind()) {
    case json::kind::array:
      return std::any_of(v.get_array().begin(), v.get_array().end(),
                         [&](const json::value& e) { return FieldValueMatches(c, e); });
    case json::kind::object:
    case json::kind::null:
      return false;
    case json::kind::bool_:
      return c.op == Comparison::kEq && ContainsValue(c.values, v.get_bool() ? "true" : "false");
    default:
      break;
  }
  const std::optional<double> number = NumberOf(v);
  const std::string_view text = v.is_string() ? View(v.get_string()) : std::string_view();
  std::optional<core::Timestamp> time;
  bool time_parsed = false;
  for (const std::string& value : c.values) {
    if (c.op == Comparison::kEq && v.is_string() && text == value) {
      return true;
    }
    if (number) {
      if (std::optional<double> bound = ParseNumber(value);
          bound && Compare(*number, c.op, *bound)) {
        return true;
      }
    }
    if (v.is_string()) {
      if (!time_parsed) {
        time = ParseTime(text);
        time_parsed = true;
      }
      if (time) {
        if (std::optional<core::Timestamp> bound = ParseTime(value);
            bound && CompareTimes(*time, c.op, *bound)) {
          return true;
        }
      }
    }
  }
  return false;
}

// Looks for the field in objects nested anywhere inside `v`.
bool NestedFieldMatches(const json::value& v, const FieldCondition& c, const ExpandedName& n,
                        const json::value* context) {
  if (v.is_array()) {
    for (const json::value& e : v.get_array()) {
      if (NestedFieldMatches(e, c, n, context)) {
        return true;
      }
    }
    return false;
  }
  if (!v.is_object()) {
    return false;
  }
  for (const auto& member : v.get_object()) {
    if (KeyNames(View(member.key()), n, context) && FieldValueMatches(c, member.value())) {
      return true;
    }
    if (NestedFieldMatches(member.value(), c, n, context)) {
      return true;
    }
  }
  return false;
}

bool FieldMatchesIn(const json::object& scope, const FieldCondition& c, const ExpandedName& n,
                    const json::value* context) {
  for (const auto& member : scope) {
    const std::string_view key = View(member.key());
    if (!c.inner) {
      if (KeyNames(key, n, context) && FieldValueMatches(c, member.value())) {
        return true;
      }
    } else if (IsExtensionKey(key) && NestedFieldMatches(member.value(), c, n, context)) {
      return true;
    }
  }
  return false;
}

const json::object* ObjectMember(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

bool MatchesField(const json::object& event, const FieldCondition& c) {
  const ExpandedName n = SplitName(c);
  const json::value* context = event.if_contains("@context");
  using Scope = FieldCondition::Scope;
  switch (c.scope) {
    case Scope::kTopLevel:
      return FieldMatchesIn(event, c, n, context);
    case Scope::kIlmd:
    case Scope::kErrorDeclaration:
    case Scope::kReadPoint:
    case Scope::kBizLocation: {
      const std::string_view key = c.scope == Scope::kIlmd               ? "ilmd"
                                   : c.scope == Scope::kErrorDeclaration ? "errorDeclaration"
                                   : c.scope == Scope::kReadPoint        ? "readPoint"
                                                                         : "bizLocation";
      const json::object* scope = ObjectMember(event, key);
      return scope != nullptr && FieldMatchesIn(*scope, c, n, context);
    }
    case Scope::kSensorElement: {
      const json::value* list = event.if_contains("sensorElementList");
      if (list == nullptr || !list->is_array()) {
        return false;
      }
      return std::any_of(list->get_array().begin(), list->get_array().end(),
                         [&](const json::value& e) {
                           return e.is_object() && FieldMatchesIn(e.get_object(), c, n, context);
                         });
    }
    case Scope::kSensorMetadata:
      return AnySensorObject(event, In::kMetadata, [&](const json::object& o) {
        return FieldMatchesIn(o, c, n, context);
      });
    case Scope::kSensorReport:
      return AnySensorObject(event, In::kReport, [&](const json::object& o) {
        return FieldMatchesIn(o, c, n, context);
      });
  }
  return false;
}

bool InTimeRange(const core::Timestamp& t, const std::optional<core::Timestamp>& ge,
                 const std::optional<core::Timestamp>& lt) {
  if (ge && t.unix_nanos() < ge->unix_nanos()) {
    return false;
  }
  return !(lt && t.unix_nanos() >= lt->unix_nanos());
}

bool MatchesLocation(const std::string& location, const std::vector<std::string>& values) {
  return values.empty() || (!location.empty() && ContainsValue(values, location));
}

bool ContainsSorted(const std::vector<std::string>& sorted, std::string_view v) {
  return std::binary_search(sorted.begin(), sorted.end(), v, std::less<>());
}

// WD_: the locations given, or once resolved, they and their descendants.
bool MatchesWithDescendants(const std::string& location, const std::vector<std::string>& values,
                            const ResolvedMasterData& master_data,
                            const std::vector<std::string>& resolved) {
  if (values.empty()) {
    return true;
  }
  if (location.empty()) {
    return false;
  }
  return master_data.resolved ? ContainsSorted(resolved, location)
                              : ContainsValue(values, location);
}

// Whether the event's `field` names one of `elements` (sorted).
bool FieldNamesElement(const Event& event, MasterDataField field,
                       const std::vector<std::string>& elements) {
  switch (field) {
    case MasterDataField::kReadPoint:
      return !event.read_point.empty() && ContainsSorted(elements, event.read_point);
    case MasterDataField::kBizLocation:
      return !event.biz_location.empty() && ContainsSorted(elements, event.biz_location);
    default:
      break;
  }
  const IndexKind kind = IndexKindOf(field);
  return std::any_of(event.index.begin(), event.index.end(), [&](const IndexEntry& entry) {
    return entry.kind == kind && ContainsSorted(elements, entry.value);
  });
}

// Every element of `type` reached from `roots` through children, the roots included, sorted.
core::Result<std::vector<std::string>> Descendants(std::string_view param, std::string_view type,
                                                   const std::vector<std::string>& roots,
                                                   MasterDataReader& reader,
                                                   std::size_t max_elements) {
  std::vector<std::string> seen(roots.begin(), roots.end());
  std::sort(seen.begin(), seen.end());
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  std::vector<std::string> frontier = seen;
  while (!frontier.empty()) {
    std::vector<std::string> next;
    for (const std::string& id : frontier) {
      VNTRACE_ASSIGN_OR_RETURN(std::vector<std::string> children, reader.Children(type, id));
      for (std::string& child : children) {
        auto at = std::lower_bound(seen.begin(), seen.end(), child);
        if (at != seen.end() && *at == child) {
          continue;  // visited: a shared child, or a cycle
        }
        seen.insert(at, child);
        next.push_back(std::move(child));
        if (seen.size() > max_elements) {
          return core::ResourceExhausted(
              std::string(param) + ": the locations given have more than " +
                  std::to_string(max_elements) + " descendants in master data",
              std::string(param));
        }
      }
    }
    frontier = std::move(next);
  }
  return seen;
}

// The elements satisfying `c`, sorted.
core::Result<std::vector<std::string>> ElementsSatisfying(const AttributeCondition& c,
                                                          MasterDataReader& reader,
                                                          std::size_t max_elements) {
  std::vector<std::string> elements;
  for (const std::string& attribute : c.attributes) {
    VNTRACE_ASSIGN_OR_RETURN(std::vector<AttributeValue> values,
                             reader.AttributeValues(VocabularyTypeOf(c.field), attribute));
    for (AttributeValue& v : values) {
      if (v.value.is_null()) {
        continue;
      }
      if (c.equals && std::none_of(c.values.begin(), c.values.end(), [&](const std::string& x) {
            return AttributeValueEquals(v.value, x);
          })) {
        continue;
      }
      elements.push_back(std::move(v.element_id));
    }
    std::sort(elements.begin(), elements.end());
    elements.erase(std::unique(elements.begin(), elements.end()), elements.end());
    if (elements.size() > max_elements) {
      return core::ResourceExhausted(c.parameter + ": more than " + std::to_string(max_elements) +
                                         " elements of master data satisfy it",
                                     c.parameter);
    }
  }
  return elements;
}

std::optional<core::Timestamp> ErrorDeclarationTime(const Event& event) {
  if (event.error_declaration_time) {
    return event.error_declaration_time;
  }
  const json::object* declaration = ObjectMember(event.json, "errorDeclaration");
  if (declaration == nullptr) {
    return std::nullopt;
  }
  const json::value* t = declaration->if_contains("declarationTime");
  return t != nullptr && t->is_string() ? ParseTime(View(t->get_string())) : std::nullopt;
}

}  // namespace

std::string_view BareCbvWord(std::string_view value) {
  for (std::string_view prefix : kCbvValuePrefixes) {
    if (value.starts_with(prefix)) {
      return value.substr(prefix.size());
    }
  }
  return value;
}

core::Result<EventQuery> ParseEventQuery(const QueryParams& params,
                                         const std::map<std::string, std::string>& extensions) {
  EventQuery q;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string& name = params[i].first;
    for (std::size_t j = 0; j < i; ++j) {
      if (params[j].first == name) {
        return ParamError(name, "given more than once (join values with '|' instead)");
      }
    }
    VNTRACE_RETURN_IF_ERROR(ParseOne(name, params[i].second, extensions, q));
  }
  if (q.event_count_limit && q.max_event_count) {
    return ParamError("eventCountLimit", "cannot be combined with maxEventCount");
  }
  if (q.event_count_limit && q.order_by == OrderBy::kNone) {
    return ParamError("eventCountLimit", "requires orderBy");
  }
  return q;
}

bool Matches(const Event& event, const EventQuery& query) {
  const EventQuery& q = query;
  if (!q.event_types.empty() &&
      std::find(q.event_types.begin(), q.event_types.end(), event.type) == q.event_types.end()) {
    return false;
  }
  if (!InTimeRange(event.event_time, q.ge_event_time, q.lt_event_time) ||
      !InTimeRange(event.record_time, q.ge_record_time, q.lt_record_time)) {
    return false;
  }
  if (!q.eq_action.empty() && !ContainsValue(q.eq_action, event.action)) {
    return false;
  }
  if (!q.eq_biz_step.empty() &&
      (event.biz_step.empty() || !ContainsVocabulary(q.eq_biz_step, event.biz_step))) {
    return false;
  }
  if (!q.eq_disposition.empty() &&
      (event.disposition.empty() || !ContainsVocabulary(q.eq_disposition, event.disposition))) {
    return false;
  }
  if (!MatchesLocation(event.read_point, q.eq_read_point) ||
      !MatchesWithDescendants(event.read_point, q.wd_read_point, q.master_data,
                              q.master_data.wd_read_point) ||
      !MatchesLocation(event.biz_location, q.eq_biz_location) ||
      !MatchesWithDescendants(event.biz_location, q.wd_biz_location, q.master_data,
                              q.master_data.wd_biz_location)) {
    return false;
  }
  for (std::size_t i = 0; i < q.attribute_conditions.size(); ++i) {
    // Unresolved, a condition on master data holds for nothing.
    if (!q.master_data.resolved || i >= q.master_data.attribute_elements.size() ||
        !FieldNamesElement(event, q.attribute_conditions[i].field,
                           q.master_data.attribute_elements[i])) {
      return false;
    }
  }
  if (!q.eq_event_id.empty() && !ContainsValue(q.eq_event_id, event.event_id)) {
    return false;
  }
  if (!MatchesIndex(event, IndexKind::kPersistentDispositionSet, q.eq_persistent_disposition_set,
                    true) ||
      !MatchesIndex(event, IndexKind::kPersistentDispositionUnset,
                    q.eq_persistent_disposition_unset, true) ||
      !MatchesIndex(event, IndexKind::kTransformationId, q.eq_transformation_id, false) ||
      !MatchesIndex(event, IndexKind::kErrorReason, q.eq_error_reason, true) ||
      !MatchesIndex(event, IndexKind::kCorrectiveEventId, q.eq_corrective_event_id, false)) {
    return false;
  }
  if (!MatchesIds(event, kEpcKinds, q.match_epc) ||
      !MatchesIds(event, Bit(IndexKind::kParentId), q.match_parent_id) ||
      !MatchesIds(event, Bit(IndexKind::kInputEpc), q.match_input_epc) ||
      !MatchesIds(event, Bit(IndexKind::kOutputEpc), q.match_output_epc) ||
      !MatchesIds(event, kAnyEpcKinds, q.match_any_epc) ||
      !MatchesIds(event, kClassKinds, q.match_epc_class) ||
      !MatchesIds(event, Bit(IndexKind::kInputEpcClass), q.match_input_epc_class) ||
      !MatchesIds(event, Bit(IndexKind::kOutputEpcClass), q.match_output_epc_class) ||
      !MatchesIds(event, kAnyClassKinds, q.match_any_epc_class)) {
    return false;
  }
  for (const TypedCondition& c : q.eq_biz_transaction) {
    if (!MatchesTyped(event, IndexKind::kBizTransaction, c)) {
      return false;
    }
  }
  for (const TypedCondition& c : q.eq_source) {
    if (!MatchesTyped(event, IndexKind::kSource, c)) {
      return false;
    }
  }
  for (const TypedCondition& c : q.eq_destination) {
    if (!MatchesTyped(event, IndexKind::kDestination, c)) {
      return false;
    }
  }
  if (q.exists_error_declaration.value_or(false) && !event.error_declaration_time &&
      !event.json.contains("errorDeclaration")) {
    return false;
  }
  if (q.ge_error_declaration_time || q.lt_error_declaration_time) {
    std::optional<core::Timestamp> declared = ErrorDeclarationTime(event);
    if (!declared ||
        !InTimeRange(*declared, q.ge_error_declaration_time, q.lt_error_declaration_time)) {
      return false;
    }
  }
  if (!q.eq_quantity.empty() &&
      std::none_of(q.eq_quantity.begin(), q.eq_quantity.end(), [&](double bound) {
        return MatchesQuantity(event.json, Comparison::kEq, bound, {}, /*any_uom=*/true);
      })) {
    return false;
  }
  const struct {
    const std::optional<double>& bound;
    Comparison op;
  } quantities[] = {{q.gt_quantity, Comparison::kGt},
                    {q.ge_quantity, Comparison::kGe},
                    {q.lt_quantity, Comparison::kLt},
                    {q.le_quantity, Comparison::kLe}};
  for (const auto& quantity : quantities) {
    if (quantity.bound &&
        !MatchesQuantity(event.json, quantity.op, *quantity.bound, {}, /*any_uom=*/true)) {
      return false;
    }
  }
  for (const QuantityCondition& c : q.quantity_by_uom) {
    if (!MatchesQuantityCondition(event.json, c)) {
      return false;
    }
  }
  if (q.exists_sensor_element_list.value_or(false)) {
    const json::value* list = event.json.if_contains("sensorElementList");
    if (list == nullptr || !list->is_array() || list->get_array().empty()) {
      return false;
    }
  }
  for (const SensorCondition& c : q.sensor) {
    if (!MatchesSensor(event.json, c)) {
      return false;
    }
  }
  for (const FieldCondition& c : q.fields) {
    if (!MatchesField(event.json, c)) {
      return false;
    }
  }
  return true;
}

std::string_view VocabularyTypeOf(MasterDataField field) {
  switch (field) {
    case MasterDataField::kReadPoint:
      return kReadPointVocabulary;
    case MasterDataField::kBizLocation:
      return kBusinessLocationVocabulary;
    case MasterDataField::kParentId:
    case MasterDataField::kEpcList:
    case MasterDataField::kChildEpcs:
    case MasterDataField::kInputEpcList:
    case MasterDataField::kOutputEpcList:
      return kEpcInstanceVocabulary;
    case MasterDataField::kQuantityList:
    case MasterDataField::kChildQuantityList:
    case MasterDataField::kInputQuantityList:
    case MasterDataField::kOutputQuantityList:
      return kEpcClassVocabulary;
  }
  return {};
}

IndexKind IndexKindOf(MasterDataField field) {
  switch (field) {
    case MasterDataField::kReadPoint:
      return IndexKind::kReadPoint;
    case MasterDataField::kBizLocation:
      return IndexKind::kBizLocation;
    case MasterDataField::kParentId:
      return IndexKind::kParentId;
    case MasterDataField::kEpcList:
      return IndexKind::kEpc;
    case MasterDataField::kChildEpcs:
      return IndexKind::kChildEpc;
    case MasterDataField::kInputEpcList:
      return IndexKind::kInputEpc;
    case MasterDataField::kOutputEpcList:
      return IndexKind::kOutputEpc;
    case MasterDataField::kQuantityList:
      return IndexKind::kEpcClass;
    case MasterDataField::kChildQuantityList:
      return IndexKind::kChildEpcClass;
    case MasterDataField::kInputQuantityList:
      return IndexKind::kInputEpcClass;
    case MasterDataField::kOutputQuantityList:
      return IndexKind::kOutputEpcClass;
  }
  return IndexKind::kEpc;
}

bool NeedsMasterData(const EventQuery& query) {
  return !query.wd_read_point.empty() || !query.wd_biz_location.empty() ||
         !query.attribute_conditions.empty();
}

core::Status ResolveMasterData(EventQuery& query, MasterDataReader& reader,
                               std::size_t max_elements) {
  ResolvedMasterData resolved;
  VNTRACE_ASSIGN_OR_RETURN(
      resolved.wd_read_point,
      Descendants("WD_readPoint", kReadPointVocabulary, query.wd_read_point, reader, max_elements));
  VNTRACE_ASSIGN_OR_RETURN(resolved.wd_biz_location,
                           Descendants("WD_bizLocation", kBusinessLocationVocabulary,
                                       query.wd_biz_location, reader, max_elements));
  for (const AttributeCondition& c : query.attribute_conditions) {
    VNTRACE_ASSIGN_OR_RETURN(std::vector<std::string> elements,
                             ElementsSatisfying(c, reader, max_elements));
    resolved.attribute_elements.push_back(std::move(elements));
  }
  resolved.resolved = true;
  query.master_data = std::move(resolved);
  return core::Ok();
}

OrderKey ExtensionOrderKey(const Event& event, const EventQuery& query) {
  OrderKey key;
  const ExpandedName n = SplitName(query.order_field, query.order_field_prefix);
  const json::value* context = event.json.if_contains("@context");
  for (const auto& member : event.json) {
    if (!KeyNames(View(member.key()), n, context)) {
      continue;
    }
    const json::value& v = member.value();
    if (std::optional<double> number = v.is_string() ? std::nullopt : NumberOf(v)) {
      key.kind = OrderKey::Kind::kNumber;
      key.number = *number;
    } else if (v.is_string()) {
      const std::string_view text = View(v.get_string());
      if (std::optional<core::Timestamp> time = ParseTime(text)) {
        key.kind = OrderKey::Kind::kTime;
        key.time = time->unix_nanos();
      } else {
        key.kind = OrderKey::Kind::kString;
        key.text = std::string(text);
      }
    }
    break;
  }
  return key;
}

bool OrderKeyPrecedes(const OrderKey& a, const OrderKey& b, bool descending) {
  using Kind = OrderKey::Kind;
  if (a.kind == Kind::kMissing || b.kind == Kind::kMissing) {
    return a.kind != Kind::kMissing && b.kind == Kind::kMissing;
  }
  if (a.kind != b.kind) {
    return descending ? a.kind > b.kind : a.kind < b.kind;
  }
  switch (a.kind) {
    case Kind::kNumber:
      return descending ? a.number > b.number : a.number < b.number;
    case Kind::kTime:
      return descending ? a.time > b.time : a.time < b.time;
    case Kind::kString:
      return descending ? a.text > b.text : a.text < b.text;
    case Kind::kMissing:
      break;
  }
  return false;
}

}  // namespace vntrace::epcis
