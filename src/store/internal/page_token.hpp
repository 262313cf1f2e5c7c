// store::internal page tokens: the opaque keyset-pagination tokens of every Store backend.
//
// A token is base64url (no padding) of a short versioned text, so that it travels unescaped in a
// URL and can be changed later without breaking old tokens silently: a token that does not
// decode is kInvalidArgument.
//
// Thread-safety: values and pure functions.
//
// Example:
//   std::string next = EncodeEventCursor({.order = SortOrder::kEventTimeDesc, .key = t,
//                                         .rowid = 42, .returned = 30});
//   VNTRACE_ASSIGN_OR_RETURN(EventCursor c, DecodeEventCursor(next));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/internal/query_plan.hpp"

namespace vntrace::store::internal {

// Where the previous page of events ended.
struct EventCursor {
  SortOrder order = SortOrder::kRecordOrder;  // the ordering the token was made for
  std::int64_t key = 0;       // sort key of the last event returned (its rowid in record order)
  std::int64_t rowid = 0;     // rowid of the last event returned
  std::int64_t returned = 0;  // events returned by this and the earlier pages
  // Extension orders only: the last event's key, and OrderFieldHash of the field ordered by.
  epcis::OrderKey field{};
  std::uint64_t field_hash = 0;
  friend bool operator==(const EventCursor&, const EventCursor&) = default;
};

// A 64-bit hash (FNV-1a) of an extension order's field name, kept in its tokens so that a token
// is refused by a query ordered by another field.
std::uint64_t OrderFieldHash(std::string_view order_field);

std::string EncodeEventCursor(const EventCursor& cursor);
// kInvalidArgument when `token` is not an event token.
core::Result<EventCursor> DecodeEventCursor(std::string_view token);

// Where the previous page of a value list ended: its last value.
std::string EncodeValueCursor(std::string_view last_value);
core::Result<std::string> DecodeValueCursor(std::string_view token);

// Where the previous page of a rowid-ordered list ended: its last rowid.
std::string EncodeRowidCursor(std::int64_t last_rowid);
core::Result<std::int64_t> DecodeRowidCursor(std::string_view token);

// base64url without padding (RFC 4648 section 5).
std::string Base64UrlEncode(std::string_view bytes);
// kInvalidArgument for characters outside the alphabet or an impossible length.
core::Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace vntrace::store::internal
