// Content checks ("linters") of the GS1 Barcode Syntax Dictionary, one per gs1::Linter.
// Private to src/gs1.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "gs1/ai.hpp"

namespace vntrace::gs1::internal {

struct LintFailure {
  // What is wrong, in English, lower case, no AI named: "invalid check digit",
  // "month must be 01-12", "unknown ISO 3166 country code".
  std::string_view what;
  // 0-based offset inside the component of the first offending character (0 when the whole
  // component is at fault).
  std::size_t position = 0;
};

// Applies one linter to one component's data (already checked for length and character set).
// Returns std::nullopt when the component passes.
std::optional<LintFailure> Lint(Linter linter, std::string_view component);

}  // namespace vntrace::gs1::internal
