#include "store/internal/page_token.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <system_error>
#include <vector>

namespace vntrace::store::internal {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Version prefixes of the token texts.
constexpr std::string_view kEventPrefix = "e1.";
// Extension orders: "x1.{order}.{rowid}.{returned}.{field hash}.{key kind}.{key}", the key last
// since a string key may hold any byte.
constexpr std::string_view kExtensionEventPrefix = "x1.";
constexpr std::string_view kValuePrefix = "v1.";
constexpr std::string_view kRowidPrefix = "r1.";

core::Error BadToken() { return core::InvalidArgument("malformed page token"); }

// Splits "a.b.c" into fields.
std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) {
      return parts;
    }
    start = end + 1;
  }
}

std::optional<std::int64_t> ParseInt64(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

// Decodes `token` and strips `prefix` from its text.
core::Result<std::string> Unwrap(std::string_view token, std::string_view prefix) {
  VNTRACE_ASSIGN_OR_RETURN(std::string text, Base64UrlDecode(token));
  if (!text.starts_with(prefix)) {
    return BadToken();
  }
  return text.substr(prefix.size());
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = (static_cast<std::uint8_t>(bytes[i]) << 16) |
                            (static_cast<std::uint8_t>(bytes[i + 1]) << 8) |
                            static_cast<std::uint8_t>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t n = static_cast<std::uint8_t>(bytes[i]) << 16;
    if (rest == 2) {
      n |= static_cast<std::uint8_t>(bytes[i + 1]) << 8;
    }
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    if (rest == 2) {
      out += kAlphabet[(n >> 6) & 63];
    }
  }
  return out;
}

core::Result<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) {
    return BadToken();
  }
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const std::size_t digit = kAlphabet.find(c);
    if (digit == std::string_view::npos) {
      return BadToken();
    }
    buffer = (buffer << 6) | static_cast<std::uint32_t>(digit);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  // Leftover bits must be zero, so that every token has exactly one spelling.
  if ((buffer & ((1u << bits) - 1)) != 0) {
    return BadToken();
  }
  return out;
}

namespace {

std::optional<std::uint64_t> ParseUint64(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

std::string EncodeExtensionCursor(const EventCursor& cursor) {
  std::string text(kExtensionEventPrefix);
  text += std::to_string(static_cast<int>(cursor.order));
  text += '.';
  text += std::to_string(cursor.rowid);
  text += '.';
  text += std::to_string(cursor.returned);
  text += '.';
  text += std::to_string(cursor.field_hash);
  text += '.';
  text += std::to_string(static_cast<int>(cursor.field.kind));
  text += '.';
  switch (cursor.field.kind) {
    case epcis::OrderKey::Kind::kNumber: {
      char buffer[32];
      // The shortest text that reads back as the same double.
      const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, cursor.field.number);
      VNTRACE_ASSERT(ec == std::errc());  // 32 bytes hold any double
      text.append(buffer, end);
      break;
    }
    case epcis::OrderKey::Kind::kTime:
      text += std::to_string(cursor.field.time);
      break;
    case epcis::OrderKey::Kind::kString:
      text += cursor.field.text;
      break;
    case epcis::OrderKey::Kind::kMissing:
      break;
  }
  return Base64UrlEncode(text);
}

core::Result<EventCursor> DecodeExtensionCursor(std::string_view text) {
  // Six fields before the key, which may itself hold dots.
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const std::size_t dot = text.find('.', start);
    if (dot == std::string_view::npos) {
      return BadToken();
    }
    parts.push_back(text.substr(start, dot - start));
    start = dot + 1;
  }
  const std::string_view payload = text.substr(start);
  const std::optional<std::int64_t> order = ParseInt64(parts[0]);
  const std::optional<std::int64_t> rowid = ParseInt64(parts[1]);
  const std::optional<std::int64_t> returned = ParseInt64(parts[2]);
  const std::optional<std::uint64_t> field_hash = ParseUint64(parts[3]);
  const std::optional<std::int64_t> kind = ParseInt64(parts[4]);
  if (!order || !rowid || !returned || !field_hash || !kind ||
      (*order != static_cast<int>(SortOrder::kExtensionAsc) &&
       *order != static_cast<int>(SortOrder::kExtensionDesc)) ||
      *returned < 0 || *kind < 0 || *kind > static_cast<int>(epcis::OrderKey::Kind::kMissing)) {
    return BadToken();
  }
  EventCursor cursor{.order = static_cast<SortOrder>(*order),
                     .key = 0,
                     .rowid = *rowid,
                     .returned = *returned,
                     .field = {},
                     .field_hash = *field_hash};
  cursor.field.kind = static_cast<epcis::OrderKey::Kind>(*kind);
  switch (cursor.field.kind) {
    case epcis::OrderKey::Kind::kNumber: {
      const auto [end, ec] =
          std::from_chars(payload.data(), payload.data() + payload.size(), cursor.field.number);
      if (ec != std::errc() || end != payload.data() + payload.size() || payload.empty()) {
        return BadToken();
      }
      break;
    }
    case epcis::OrderKey::Kind::kTime: {
      const std::optional<std::int64_t> time = ParseInt64(payload);
      if (!time) {
        return BadToken();
      }
      cursor.field.time = *time;
      break;
    }
    case epcis::OrderKey::Kind::kString:
      cursor.field.text = std::string(payload);
      break;
    case epcis::OrderKey::Kind::kMissing:
      if (!payload.empty()) {
        return BadToken();
      }
      break;
  }
  return cursor;
}

}  // namespace

std::uint64_t OrderFieldHash(std::string_view order_field) {
  std::uint64_t hash = 0xcbf29ce484222325u;
  for (char c : order_field) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3u;
  }
  return hash;
}

std::string EncodeEventCursor(const EventCursor& cursor) {
  if (IsExtensionOrder(cursor.order)) {
    return EncodeExtensionCursor(cursor);
  }
  std::string text(kEventPrefix);
  text += std::to_string(static_cast<int>(cursor.order));
  text += '.';
  text += std::to_string(cursor.key);
  text += '.';
  text += std::to_string(cursor.rowid);
  text += '.';
  text += std::to_string(cursor.returned);
  return Base64UrlEncode(text);
}

core::Result<EventCursor> DecodeEventCursor(std::string_view token) {
  VNTRACE_ASSIGN_OR_RETURN(std::string decoded, Base64UrlDecode(token));
  if (decoded.starts_with(kExtensionEventPrefix)) {
    return DecodeExtensionCursor(std::string_view(decoded).substr(kExtensionEventPrefix.size()));
  }
  if (!decoded.starts_with(kEventPrefix)) {
    return BadToken();
  }
  const std::vector<std::string_view> parts =
      Split(std::string_view(decoded).substr(kEventPrefix.size()), '.');
  if (parts.size() != 4) {
    return BadToken();
  }
  const std::optional<std::int64_t> order = ParseInt64(parts[0]);
  const std::optional<std::int64_t> key = ParseInt64(parts[1]);
  const std::optional<std::int64_t> rowid = ParseInt64(parts[2]);
  const std::optional<std::int64_t> returned = ParseInt64(parts[3]);
  if (!order || !key || !rowid || !returned || *order < 0 ||
      *order > static_cast<int>(SortOrder::kRecordTimeDesc) || *returned < 0) {
    return BadToken();
  }
  return EventCursor{.order = static_cast<SortOrder>(*order),
                     .key = *key,
                     .rowid = *rowid,
                     .returned = *returned,
                     .field = {},
                     .field_hash = 0};
}

std::string EncodeValueCursor(std::string_view last_value) {
  std::string text(kValuePrefix);
  text += last_value;
  return Base64UrlEncode(text);
}

core::Result<std::string> DecodeValueCursor(std::string_view token) {
  return Unwrap(token, kValuePrefix);
}

std::string EncodeRowidCursor(std::int64_t last_rowid) {
  std::string text(kRowidPrefix);
  text += std::to_string(last_rowid);
  return Base64UrlEncode(text);
}

core::Result<std::int64_t> DecodeRowidCursor(std::string_view token) {
  VNTRACE_ASSIGN_OR_RETURN(std::string text, Unwrap(token, kRowidPrefix));
  const std::optional<std::int64_t> rowid = ParseInt64(text);
  if (!rowid) {
    return BadToken();
  }
  return *rowid;
}

}  // namespace vntrace::store::internal
