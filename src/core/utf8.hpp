// UTF-8 validation, for every parser that accepts text from outside.
//
// Well-formed means the Unicode Standard's definition (chapter 3, table 3-7): no stray
// continuation bytes, no truncated sequences, no overlong encodings (C0, C1, E0 80-9F,
// F0 80-8F), no UTF-16 surrogates (ED A0-BF) and nothing above U+10FFFF (F4 90 and up,
// F5-FF). U+0000 is well-formed; callers that must reject it do so themselves.
//
// Thread-safety: pure functions; safe from any thread.
//
// Example:
//   if (std::optional<std::size_t> bad = core::Utf8ErrorOffset(body)) {
//     return core::InvalidArgument(fmt::format("body is not UTF-8 at byte {}", *bad));
//   }
//   VNTRACE_RETURN_IF_ERROR(core::CheckUtf8(name, "product name"));
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace vntrace::core {

// True when `text` is well-formed UTF-8. The empty string is.
bool IsValidUtf8(std::string_view text);

// The byte offset where the first ill-formed sequence starts, or nullopt when `text` is
// well-formed. `text.substr(0, offset)` is then the longest well-formed prefix: for
// "a\xE2\x82" (a truncated euro sign) the offset is 1, the start of the truncated sequence.
std::optional<std::size_t> Utf8ErrorOffset(std::string_view text);

// Ok when `text` is well-formed; otherwise kInvalidArgument with the message
// "<what> is not valid UTF-8 at byte offset N" and details "offset=N".
Status CheckUtf8(std::string_view text, std::string_view what);

}  // namespace vntrace::core
