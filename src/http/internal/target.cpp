#include "http/internal/target.hpp"

namespace vntrace::http::internal {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool StartsWithAsciiCaseless(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    if (c != prefix[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

core::Result<std::string> PercentDecode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const int high = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return core::InvalidArgument("malformed percent-encoding in the request target",
                                     "offset=" + std::to_string(i));
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<TargetParts> SplitTarget(std::string_view target) {
  if (std::size_t hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  for (std::string_view scheme : {std::string_view("http://"), std::string_view("https://")}) {
    if (StartsWithAsciiCaseless(target, scheme)) {
      target.remove_prefix(scheme.size());
      const std::size_t path_start = target.find_first_of("/?");
      target =
          path_start == std::string_view::npos ? std::string_view() : target.substr(path_start);
      if (target.empty() || target.front() == '?') {
        // An absolute-form target with an empty path means "/".
        TargetParts parts{"/", target.empty() ? std::string_view() : target.substr(1)};
        return parts;
      }
      break;
    }
  }
  if (target.empty() || target.front() != '/') {
    return std::nullopt;
  }
  TargetParts parts{target, {}};
  if (std::size_t question = target.find('?'); question != std::string_view::npos) {
    parts.raw_path = target.substr(0, question);
    parts.raw_query = target.substr(question + 1);
  }
  return parts;
}

core::Result<ParsedTarget> ParseTarget(std::string_view target) {
  ParsedTarget parsed;
  if (target == "*" || target.substr(0, 2) == "*#") {
    parsed.path = "*";
    return parsed;
  }
  std::optional<TargetParts> parts = SplitTarget(target);
  if (!parts) {
    return core::InvalidArgument("the request target is not an absolute path");
  }
  VNTRACE_ASSIGN_OR_RETURN(parsed.path, PercentDecode(parts->raw_path, /*plus_as_space=*/false));
  if (parsed.path.find('\0') != std::string::npos) {
    return core::InvalidArgument("the request path contains a NUL byte");
  }

  std::string_view raw_query = parts->raw_query;
  while (!raw_query.empty()) {
    const std::size_t amp = raw_query.find('&');
    std::string_view pair = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    const std::size_t equals = pair.find('=');
    VNTRACE_ASSIGN_OR_RETURN(std::string name,
                             PercentDecode(pair.substr(0, equals), /*plus_as_space=*/true));
    std::string value;
    if (equals != std::string_view::npos) {
      VNTRACE_ASSIGN_OR_RETURN(value,
                               PercentDecode(pair.substr(equals + 1), /*plus_as_space=*/true));
    }
    parsed.query.emplace_back(std::move(name), std::move(value));
  }
  return parsed;
}

}  // namespace vntrace::http::internal
