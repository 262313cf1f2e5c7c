#include "gs1/digital_link.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "gs1/dl_compression.hpp"

namespace vntrace::gs1 {
namespace {

// Characters allowed unescaped in a URI path or query (RFC 3986 pchar plus '/' and '?').
constexpr std::array<bool, 256> MakeUriCharTable() {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (char c : std::string_view("-._~!$&'()*+,;=:@/?%")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kUriChar = MakeUriCharTable();

constexpr std::array<bool, 256> MakeUnreservedTable() {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (char c : std::string_view("-._~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kUnreserved = MakeUnreservedTable();

// Legacy convenience names of the first Digital Link versions, accepted behind an option.
struct Alpha {
  std::string_view name;
  std::string_view code;
};
constexpr Alpha kConvenienceAlphas[] = {
    {"gtin", "01"},   {"itip", "8006"}, {"cpv", "22"},     {"lot", "10"},    {"ser", "21"},
    {"sscc", "00"},   {"gln", "414"},   {"glnx", "254"},   {"party", "417"}, {"grai", "8003"},
    {"giai", "8004"}, {"gsrn", "8018"}, {"gsrnp", "8017"}, {"srin", "8019"}, {"gdti", "253"},
    {"gcn", "255"},   {"ginc", "401"},  {"gsin", "402"},   {"cpid", "8010"}, {"cpsn", "8011"},
    {"gmn", "8013"},  {"tpx", "235"},
};

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// Percent-decodes `in` (at URI offset `offset`) into `out`; in the query '+' means space.
core::Status Decode(std::string_view in, std::size_t offset, bool plus_is_space, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      int hi = i + 2 < in.size() ? HexValue(in[i + 1]) : -1;
      int lo = i + 2 < in.size() ? HexValue(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return core::InvalidArgument(
            fmt::format("malformed percent-escape at position {}", offset + i + 1));
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return core::Ok();
}

// Resolves a path segment naming an AI: digits, or a convenience name behind the option.
const AiDefinition* PathAi(std::string_view segment, const DigitalLinkOptions& options) {
  if (AllDigits(segment)) return FindAi(segment);
  if (options.permit_convenience_alphas) {
    for (const Alpha& a : kConvenienceAlphas) {
      if (a.name == segment) return FindAi(a.code);
    }
  }
  return nullptr;
}

// Pads a zero-suppressed GTIN (8, 12 or 13 digits) to 14 when the option allows it.
void MaybeExpandGtin(const AiDefinition& ai, std::string& value,
                     const DigitalLinkOptions& options) {
  if (!options.permit_zero_suppressed_gtin || ai.code != "01") return;
  if ((value.size() == 8 || value.size() == 12 || value.size() == 13) && AllDigits(value)) {
    value.insert(0, 14 - value.size(), '0');
  }
}

// Index (in `quals`, e.g. "22,10,21|235") of the alternative in which `path` (the qualifiers
// after the key) appears in order; -1 when none.
int MatchingAlternative(std::string_view quals, const AiElements& path) {
  int index = 0;
  while (true) {
    std::size_t bar = quals.find('|');
    std::string_view alt = quals.substr(0, bar);
    std::size_t pos = 0;
    bool ok = true;
    for (std::size_t i = 1; i < path.size() && ok; ++i) {
      std::string_view code = path[i].code();
      // Find `code` as a whole comma-separated item at or after pos.
      bool found = false;
      while (pos < alt.size()) {
        std::size_t comma = alt.find(',', pos);
        std::string_view item = alt.substr(pos, comma - pos);
        pos = comma == std::string_view::npos ? alt.size() : comma + 1;
        if (item == code) {
          found = true;
          break;
        }
      }
      ok = found;
    }
    if (ok) return index;
    if (bar == std::string_view::npos) return -1;
    quals.remove_prefix(bar + 1);
    ++index;
  }
}

// True when `code` is a qualifier of the key in any alternative.
bool IsQualifierOf(const AiDefinition& key, std::string_view code) {
  std::string_view q = key.dl_qualifiers;
  while (!q.empty()) {
    std::size_t sep = q.find_first_of(",|");
    if (q.substr(0, sep) == code) return true;
    if (sep == std::string_view::npos) break;
    q.remove_prefix(sep + 1);
  }
  return false;
}

core::Status ValidateHost(std::string_view authority, std::size_t offset) {
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {
    std::size_t close = host.find(']');
    if (close == std::string_view::npos) {
      return core::InvalidArgument("IPv6 address in the URI has no closing ']'");
    }
    for (std::size_t i = 1; i < close; ++i) {
      char c = host[i];
      if (!(HexValue(c) >= 0 || c == ':' || c == '.')) {
        return core::InvalidArgument(fmt::format(
            "invalid character '{}' in IPv6 address at position {}", c, offset + i + 1));
      }
    }
    host.remove_prefix(close + 1);
    if (!host.empty() && host.front() != ':') {
      return core::InvalidArgument(fmt::format(
          "unexpected character after IPv6 address at position {}", offset + close + 2));
    }
  } else {
    std::size_t colon = host.find(':');
    std::string_view name = host.substr(0, colon);
    if (name.empty()) return core::InvalidArgument("URI has no host name");
    for (std::size_t i = 0; i < name.size(); ++i) {
      char c = name[i];
      bool ok =
          IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.';
      if (!ok) {
        return core::InvalidArgument(fmt::format("invalid character {} in host name at position {}",
                                                 fmt::format("'{}'", c), offset + i + 1));
      }
    }
    host.remove_prefix(name.size());
  }
  if (!host.empty()) {  // ":port"
    std::string_view port = host.substr(1);
    if (port.empty() || port.size() > 5 || !AllDigits(port)) {
      return core::InvalidArgument("invalid port in the URI");
    }
  }
  return core::Ok();
}

core::Status CheckQueryAttribute(const DigitalLink& dl, const AiDefinition& ai) {
  if (!ai.dl_data_attribute) {
    return core::InvalidArgument(
        fmt::format("AI ({}) may not be a Digital Link data attribute (query parameter)", ai.code));
  }
  const AiDefinition& key = *dl.path.front().ai;
  if (&ai != &key && IsQualifierOf(key, ai.code)) {
    // A qualifier belongs in the path when it would fit there in order: try every insertion
    // point.
    for (std::size_t pos = 1; pos <= dl.path.size(); ++pos) {
      AiElements candidate(dl.path.begin(), dl.path.begin() + static_cast<std::ptrdiff_t>(pos));
      candidate.push_back(AiElement{&ai, {}});
      candidate.insert(candidate.end(), dl.path.begin() + static_cast<std::ptrdiff_t>(pos),
                       dl.path.end());
      if (MatchingAlternative(key.dl_qualifiers, candidate) >= 0) {
        return core::InvalidArgument(fmt::format(
            "AI ({}) is a key qualifier of AI ({}) and must be in the URI path, not the query",
            ai.code, key.code));
      }
    }
  }
  return core::Ok();
}

core::Status CheckNoDuplicates(const DigitalLink& dl) {
  auto duplicate = [](const AiElement& e) {
    return core::InvalidArgument(
        fmt::format("AI ({}) appears more than once in the Digital Link", e.code()));
  };
  for (std::size_t i = 0; i < dl.attributes.size(); ++i) {
    const AiElement& e = dl.attributes[i];
    if (FindElement(dl.path, e.code()) != nullptr) return duplicate(e);
    for (std::size_t j = 0; j < i; ++j) {
      if (dl.attributes[j].ai == e.ai) return duplicate(e);
    }
  }
  for (std::size_t i = 1; i < dl.path.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (dl.path[j].ai == dl.path[i].ai) return duplicate(dl.path[i]);
    }
  }
  return core::Ok();
}

void AppendEncoded(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (kUnreserved[u]) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
}

}  // namespace

AiElements DigitalLink::AllElements() const {
  AiElements all = path;
  all.insert(all.end(), attributes.begin(), attributes.end());
  return all;
}

core::Status ValidateDigitalLink(const DigitalLink& dl, const DigitalLinkOptions& options) {
  if (dl.path.empty()) return core::InvalidArgument("Digital Link has no primary key");
  const AiDefinition& key = *dl.path.front().ai;
  if (!key.dl_primary_key) {
    return core::InvalidArgument(
        fmt::format("AI ({}) is not a Digital Link primary key", key.code));
  }
  for (std::size_t i = 1; i < dl.path.size(); ++i) {
    if (!IsQualifierOf(key, dl.path[i].code())) {
      return core::InvalidArgument(
          fmt::format("AI ({}) is not a key qualifier of AI ({})", dl.path[i].code(), key.code));
    }
  }
  if (dl.path.size() > 1 && MatchingAlternative(key.dl_qualifiers, dl.path) < 0) {
    std::string order(key.dl_qualifiers);
    for (char& c : order) {
      if (c == ',') c = '/';
    }
    return core::InvalidArgument(
        fmt::format("key qualifiers of AI ({}) are out of order: allowed order is {} (alternatives "
                    "separated by '|')",
                    key.code, order));
  }
  for (const AiElement& e : dl.path) {
    VNTRACE_RETURN_IF_ERROR(ValidateAiValue(*e.ai, e.value));
  }
  for (const AiElement& e : dl.attributes) {
    VNTRACE_RETURN_IF_ERROR(CheckQueryAttribute(dl, *e.ai));
    VNTRACE_RETURN_IF_ERROR(ValidateAiValue(*e.ai, e.value));
  }
  VNTRACE_RETURN_IF_ERROR(CheckNoDuplicates(dl));
  if (options.validate_associations) {
    VNTRACE_RETURN_IF_ERROR(ValidateAssociations(dl.path, dl.attributes));
  }
  return core::Ok();
}

core::Result<DigitalLink> ParseDigitalLink(std::string_view uri,
                                           const DigitalLinkOptions& options) {
  if (uri.empty()) return core::InvalidArgument("Digital Link URI is empty");
  if (uri.size() > kMaxDigitalLinkLength) {
    return core::InvalidArgument(
        fmt::format("Digital Link URI is longer than {} characters", kMaxDigitalLinkLength));
  }
  std::size_t scheme_len = 0;
  if (uri.starts_with("https://") || uri.starts_with("HTTPS://")) {
    scheme_len = 8;
  } else if (uri.starts_with("http://") || uri.starts_with("HTTP://")) {
    scheme_len = 7;
  } else {
    return core::InvalidArgument(
        "a Digital Link URI must start with http:// or https:// (all lower or all upper case)");
  }
  // Split off the fragment, then the query.
  std::string_view rest = uri;
  DigitalLink dl;
  if (std::size_t hash = rest.find('#'); hash != std::string_view::npos) {
    dl.fragment = std::string(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  std::string_view query;
  std::size_t query_offset = 0;
  if (std::size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    query_offset = q + 1;
    rest = rest.substr(0, q);
  }
  std::size_t slash = rest.find('/', scheme_len);
  std::string_view authority = rest.substr(scheme_len, slash - scheme_len);
  if (authority.empty()) return core::InvalidArgument("Digital Link URI has no host");
  VNTRACE_RETURN_IF_ERROR(ValidateHost(authority, scheme_len));
  if (slash == std::string_view::npos || slash + 1 >= rest.size()) {
    return core::InvalidArgument("Digital Link URI has no path with a GS1 key");
  }
  for (std::size_t i = slash; i < uri.size(); ++i) {
    if (!kUriChar[static_cast<unsigned char>(uri[i])] && uri[i] != '#') {
      return core::InvalidArgument(fmt::format(
          "character {} at position {} is not allowed in a URI; percent-encode it",
          (static_cast<unsigned char>(uri[i]) >= 0x21 && static_cast<unsigned char>(uri[i]) < 0x7f)
              ? fmt::format("'{}'", uri[i])
              : fmt::format("0x{:02X}", static_cast<unsigned char>(uri[i])),
          i + 1));
    }
  }
  std::string_view path = rest.substr(slash);  // starts with '/'
  if (path.back() == '/') {
    return core::InvalidArgument("Digital Link URI path must not end with '/'");
  }
  // Walk (AI, value) pairs from the right until the rightmost primary key.
  std::size_t end = path.size();
  std::size_t key_start = std::string_view::npos;
  struct Pair {
    const AiDefinition* ai;
    std::size_t value_begin;
    std::size_t value_end;
  };
  std::array<Pair, 8> pairs{};
  std::size_t npairs = 0;
  while (end > 0) {
    std::size_t vslash = path.rfind('/', end - 1);
    if (vslash == std::string_view::npos || vslash == 0) break;
    std::size_t aslash = path.rfind('/', vslash - 1);
    if (aslash == std::string_view::npos) break;
    std::string_view ai_seg = path.substr(aslash + 1, vslash - aslash - 1);
    const AiDefinition* ai = PathAi(ai_seg, options);
    if (ai == nullptr) break;
    if (vslash + 1 == end) {
      return core::InvalidArgument(fmt::format("AI ({}) in the path has an empty value", ai->code));
    }
    if (npairs == pairs.size()) break;
    pairs[npairs++] = Pair{ai, slash + vslash + 1, slash + end};
    if (ai->dl_primary_key) {
      key_start = aslash;
      break;
    }
    end = aslash;
  }
  if (key_start == std::string_view::npos) {
    if (LooksLikeCompressedDigitalLink(uri)) {
      return DecompressDigitalLink(uri, options);
    }
    if (npairs > 0) {
      return core::InvalidArgument(fmt::format(
          "no GS1 primary key in the path: AI ({}) is not a primary key and none precedes it",
          pairs[npairs - 1].ai->code));
    }
    return core::InvalidArgument("no GS1 primary key (/01/, /00/, /414/, ...) in the URI path");
  }
  dl.stem = std::string(uri.substr(0, slash + key_start));
  dl.path.reserve(npairs);
  std::string value;
  for (std::size_t k = npairs; k-- > 0;) {
    const Pair& p = pairs[k];
    VNTRACE_RETURN_IF_ERROR(Decode(uri.substr(p.value_begin, p.value_end - p.value_begin),
                                   p.value_begin, false, value));
    MaybeExpandGtin(*p.ai, value, options);
    dl.path.push_back(AiElement{p.ai, value});
  }
  // Query: GS1 data attributes (numeric keys) and other parameters.
  std::size_t qpos = 0;
  while (qpos <= query.size() && !query.empty()) {
    std::size_t amp = query.find('&', qpos);
    std::size_t qend = amp == std::string_view::npos ? query.size() : amp;
    std::string_view param = query.substr(qpos, qend - qpos);
    if (!param.empty()) {
      std::size_t eq = param.find('=');
      std::string_view name = param.substr(0, eq);
      std::string_view raw_value =
          eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1);
      std::size_t value_offset = query_offset + qpos + name.size() + 1;
      std::string decoded_name;
      VNTRACE_RETURN_IF_ERROR(Decode(name, query_offset + qpos, true, decoded_name));
      if (AllDigits(decoded_name)) {
        const AiDefinition* ai = FindAi(decoded_name);
        if (ai == nullptr) {
          return core::InvalidArgument(
              fmt::format("unknown AI ({}) in the query string", decoded_name));
        }
        if (raw_value.empty()) {
          return core::InvalidArgument(
              fmt::format("AI ({}) in the query string has an empty value", decoded_name));
        }
        VNTRACE_RETURN_IF_ERROR(Decode(raw_value, value_offset, true, value));
        MaybeExpandGtin(*ai, value, options);
        dl.attributes.push_back(AiElement{ai, value});
      } else {
        VNTRACE_RETURN_IF_ERROR(Decode(raw_value, value_offset, true, value));
        dl.other_params.emplace_back(std::move(decoded_name), value);
      }
    }
    if (amp == std::string_view::npos) break;
    qpos = amp + 1;
  }
  VNTRACE_RETURN_IF_ERROR(ValidateDigitalLink(dl, options));
  return dl;
}

std::string PercentEncodeDlValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  AppendEncoded(out, value);
  return out;
}

std::string BuildDigitalLink(const DigitalLink& dl) {
  std::string out = dl.stem.empty() ? std::string(kCanonicalStem) : dl.stem;
  while (!out.empty() && out.back() == '/') out.pop_back();
  for (const AiElement& e : dl.path) {
    out += '/';
    out += e.code();
    out += '/';
    AppendEncoded(out, e.value);
  }
  char sep = '?';
  for (const AiElement& e : dl.attributes) {
    out += sep;
    sep = '&';
    out += e.code();
    out += '=';
    AppendEncoded(out, e.value);
  }
  for (const auto& [name, value] : dl.other_params) {
    out += sep;
    sep = '&';
    AppendEncoded(out, name);
    if (!value.empty()) {
      out += '=';
      AppendEncoded(out, value);
    }
  }
  if (!dl.fragment.empty()) {
    out += '#';
    out += dl.fragment;
  }
  return out;
}

std::string CanonicalDigitalLink(const DigitalLink& dl) {
  DigitalLink canon;
  canon.stem = std::string(kCanonicalStem);
  canon.path = dl.path;
  canon.attributes = dl.attributes;
  return BuildDigitalLink(canon);
}

core::Result<DigitalLink> DigitalLinkFromElements(const AiElements& elements, std::string_view stem,
                                                  const FromElementsOptions& options) {
  const AiElement* key = nullptr;
  for (const AiElement& e : elements) {
    if (e.ai->dl_primary_key) {
      key = &e;
      break;
    }
  }
  if (key == nullptr) {
    return core::InvalidArgument(
        "no GS1 primary key (GTIN, SSCC, GLN, GRAI, GIAI, ...) among the elements: a Digital "
        "Link needs one");
  }
  DigitalLink dl;
  dl.stem = std::string(stem.empty() ? kCanonicalStem : stem);
  while (!dl.stem.empty() && dl.stem.back() == '/') dl.stem.pop_back();
  dl.path.push_back(*key);
  // Qualifiers go to the path, in the order of the alternative that holds them all.
  AiElements qualifiers;
  for (const AiElement& e : elements) {
    if (&e == key || e.ai == key->ai) continue;
    if (IsQualifierOf(*key->ai, e.code()) && FindElement(qualifiers, e.code()) == nullptr) {
      qualifiers.push_back(e);
    }
  }
  if (!qualifiers.empty()) {
    // Pass 0: an alternative that holds every qualifier. Pass 1 (when allowed): one whose
    // leftover qualifiers may be data attributes, e.g. /01/.../235/X?10=L.
    bool placed = false;
    for (int pass = 0; pass < (options.qualifiers_may_be_attributes ? 2 : 1) && !placed; ++pass) {
      std::string_view quals = key->ai->dl_qualifiers;
      while (!placed) {
        std::size_t bar = quals.find('|');
        std::string_view alt = quals.substr(0, bar);
        AiElements ordered;
        std::size_t pos = 0;
        while (pos < alt.size()) {
          std::size_t comma = alt.find(',', pos);
          std::string_view item = alt.substr(pos, comma - pos);
          pos = comma == std::string_view::npos ? alt.size() : comma + 1;
          if (const AiElement* q = FindElement(qualifiers, item)) ordered.push_back(*q);
        }
        bool fits = ordered.size() == qualifiers.size();
        if (!fits && pass == 1 && !ordered.empty()) {
          fits = std::all_of(qualifiers.begin(), qualifiers.end(), [&](const AiElement& q) {
            return FindElement(ordered, q.code()) != nullptr || q.ai->dl_data_attribute;
          });
        }
        if (fits) {
          dl.path.insert(dl.path.end(), ordered.begin(), ordered.end());
          placed = true;
        }
        if (bar == std::string_view::npos) break;
        quals.remove_prefix(bar + 1);
      }
    }
    if (!placed) {
      std::string names;
      for (const AiElement& q : qualifiers) names += fmt::format("({})", q.code());
      return core::InvalidArgument(
          fmt::format("key qualifiers {} of AI ({}) cannot be used together", names, key->code()));
    }
  }
  // Remaining data attributes: predefined-length AIs first, then the others, each in order.
  for (int pass = 0; pass < 2; ++pass) {
    for (const AiElement& e : elements) {
      if (FindElement(dl.path, e.code()) != nullptr) continue;
      if (e.ai->predefined_length != (pass == 0)) continue;
      if (const AiElement* seen = FindElement(dl.attributes, e.code())) {
        if (seen->value != e.value) {
          return core::InvalidArgument(
              fmt::format("AI ({}) appears twice with different values", e.code()));
        }
        continue;
      }
      dl.attributes.push_back(e);
    }
  }
  for (const AiElement& e : elements) {
    if (const AiElement* in_path = FindElement(dl.path, e.code());
        in_path != nullptr && in_path->value != e.value) {
      return core::InvalidArgument(
          fmt::format("AI ({}) appears twice with different values", e.code()));
    }
  }
  VNTRACE_RETURN_IF_ERROR(ValidateDigitalLink(dl));
  return dl;
}

}  // namespace vntrace::gs1
