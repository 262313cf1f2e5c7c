// epcis::internal::ParsePreciseJson: Boost.JSON parsing with correctly rounded numbers.
//
// Boost.JSON 1.81 turns some decimal numbers into a double one unit in the last place away from
// the nearest one (long mantissas, exponents). The event hash prints numbers in their shortest
// round-trip form, so such an error would change the hash. This parser builds the same
// boost::json::value as boost::json::parse but converts every non-integer number from its text
// with std::from_chars, which rounds correctly.
//
// Thread-safety: stateless function; safe from any thread.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(boost::json::value doc, internal::ParsePreciseJson(text));
#pragma once

#include <string_view>

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include "core/result.hpp"

namespace vntrace::epcis::internal {

// Parses one JSON text (RFC 8259, nothing after it but whitespace). The result's memory comes
// from `storage`. Returns kInvalidArgument with the byte offset when the text is not valid JSON
// or nests deeper than 64 levels.
core::Result<boost::json::value> ParsePreciseJson(std::string_view text,
                                                  boost::json::storage_ptr storage = {});

}  // namespace vntrace::epcis::internal
