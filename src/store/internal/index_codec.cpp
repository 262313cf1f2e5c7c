#include "store/internal/index_codec.hpp"

#include <cstdint>
#include <limits>
#include <optional>

namespace vntrace::store::internal {
namespace {

void PutVarint(std::uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
}

// Reads a varint at `pos`, advancing it; nullopt when truncated or longer than 64 bits.
std::optional<std::uint64_t> GetVarint(std::string_view bytes, std::size_t& pos) {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= bytes.size()) {
      return std::nullopt;
    }
    const auto byte = static_cast<std::uint8_t>(bytes[pos++]);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      return value;
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> GetString(std::string_view bytes, std::size_t& pos) {
  const std::optional<std::uint64_t> size = GetVarint(bytes, pos);
  if (!size || *size > bytes.size() - pos) {
    return std::nullopt;
  }
  const std::string_view s = bytes.substr(pos, static_cast<std::size_t>(*size));
  pos += static_cast<std::size_t>(*size);
  return s;
}

}  // namespace

void EncodeIndexEntries(std::span<const epcis::IndexEntry> entries, std::string& out) {
  out.clear();
  for (const epcis::IndexEntry& entry : entries) {
    PutVarint(static_cast<std::uint64_t>(entry.kind), out);
    PutVarint(entry.type.size(), out);
    out += entry.type;
    PutVarint(entry.value.size(), out);
    out += entry.value;
  }
}

core::Status DecodeIndexEntries(std::string_view bytes, std::vector<epcis::IndexEntry>& entries) {
  entries.clear();
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const std::optional<std::uint64_t> kind = GetVarint(bytes, pos);
    if (!kind || *kind == 0 || *kind > std::numeric_limits<std::uint8_t>::max()) {
      return core::Internal("stored index entries are damaged", "offset=" + std::to_string(pos));
    }
    const std::optional<std::string_view> type = GetString(bytes, pos);
    const std::optional<std::string_view> value = type ? GetString(bytes, pos) : std::nullopt;
    if (!value) {
      return core::Internal("stored index entries are damaged", "offset=" + std::to_string(pos));
    }
    entries.push_back({.kind = static_cast<epcis::IndexKind>(*kind),
                       .type = std::string(*type),
                       .value = std::string(*value)});
  }
  return core::Ok();
}

}  // namespace vntrace::store::internal
