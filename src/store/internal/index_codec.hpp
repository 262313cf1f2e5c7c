// store::internal index codec: an event's index entries as one compact byte string, stored with
// the event so that rebuilding its epcis::Event::index is one column read, not an index walk.
//
// Format: for each entry, varint(kind) varint(len(type)) type varint(len(value)) value, where a
// varint is LEB128 (7 bits per byte, least significant first, high bit = more). Specified in
// docs/store-schema.md.
//
// Thread-safety: pure functions.
//
// Example:
//   std::string bytes = EncodeIndexEntries(event.index);
//   VNTRACE_RETURN_IF_ERROR(DecodeIndexEntries(bytes, event.index));
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "epcis/event.hpp"

namespace vntrace::store::internal {

// Appends the encoding of `entries` to `out` (cleared first).
void EncodeIndexEntries(std::span<const epcis::IndexEntry> entries, std::string& out);

// Replaces `entries` with the entries encoded in `bytes`. kInternal when `bytes` is not a valid
// encoding (a damaged database).
core::Status DecodeIndexEntries(std::string_view bytes, std::vector<epcis::IndexEntry>& entries);

}  // namespace vntrace::store::internal
