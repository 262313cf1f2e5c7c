// http::internal::target: splits an HTTP request target into a percent-decoded path and query.
//
// Thread-safety: pure functions; safe from any thread.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(ParsedTarget t, ParseTarget("/a%20b?x=1+2&y"));
//   // t.path == "/a b", t.query == {{"x", "1 2"}, {"y", ""}}
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace vntrace::http::internal {

// Decodes %XX escapes; with `plus_as_space` a '+' becomes ' ' (form encoding, for queries).
// Returns kInvalidArgument when a '%' is not followed by two hexadecimal digits.
core::Result<std::string> PercentDecode(std::string_view text, bool plus_as_space);

// The still-encoded components of a target.
struct TargetParts {
  std::string_view raw_path;   // starts with '/'
  std::string_view raw_query;  // after '?', without it
};

// Splits an origin-form or absolute-form target (see ParseTarget) without decoding anything;
// nullopt for any other form (including "*").
std::optional<TargetParts> SplitTarget(std::string_view target);

struct ParsedTarget {
  std::string path;  // percent-decoded, starts with '/' (or is "*")
  std::vector<std::pair<std::string, std::string>> query;
};

// Parses an origin-form target ("/path?query"), an absolute-form one
// ("http://host/path?query", whose scheme and authority are dropped) or "*". Query pairs are
// split at '&' (empty pairs skipped) and at the first '='; a name without '=' has value "".
// A fragment ('#...') is ignored. Returns kInvalidArgument for any other form, for malformed
// percent-encoding and for a path that decodes to a NUL byte.
core::Result<ParsedTarget> ParseTarget(std::string_view target);

}  // namespace vntrace::http::internal
