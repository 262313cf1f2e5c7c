// store::sqlite event keys: the 64-bit integer under which the SQLite backend indexes an eventID.
//
// Private to the store module. The key is the first eight bytes of the SHA-256 digest of the
// eventID's UTF-8 bytes, big-endian, as a signed 64-bit integer (docs/store-schema.md). Keys of
// distinct eventIDs may collide: a lookup by key is always followed by a comparison of the text.
//
// Thread-safety: a pure function.
//
// Example:
//   find.BindInt64(1, EventKey(event_id));
//   find.BindText(2, event_id);  // WHERE event_key = ?1 AND event_id = ?2
#pragma once

#include <cstdint>
#include <string_view>

namespace vntrace::store::sqlite {

std::int64_t EventKey(std::string_view event_id);

}  // namespace vntrace::store::sqlite
