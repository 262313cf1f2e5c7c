// Character-set tables of the GS1 General Specifications (§7.11). Private to src/gs1.
//
// Thread-safety: constant tables; safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "gs1/ai.hpp"

namespace vntrace::gs1::internal {

inline constexpr std::uint8_t kBitNumeric = 1;
inline constexpr std::uint8_t kBitCset82 = 2;
inline constexpr std::uint8_t kBitCset39 = 4;
inline constexpr std::uint8_t kBitCset64 = 8;

constexpr std::array<std::uint8_t, 256> MakeCharSetTable() {
  std::array<std::uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] |= kBitNumeric | kBitCset82 | kBitCset39 | kBitCset64;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] |= kBitCset82 | kBitCset39 | kBitCset64;
  for (int c = 'a'; c <= 'z'; ++c) t[c] |= kBitCset82 | kBitCset64;
  for (char c : std::string_view("!\"%&'()*+,-./:;<=>?_")) {
    t[static_cast<unsigned char>(c)] |= kBitCset82;
  }
  for (char c : std::string_view("#-/")) t[static_cast<unsigned char>(c)] |= kBitCset39;
  for (char c : std::string_view("-_")) t[static_cast<unsigned char>(c)] |= kBitCset64;
  return t;
}

inline constexpr std::array<std::uint8_t, 256> kCharSetTable = MakeCharSetTable();

constexpr std::uint8_t CharSetBit(CharSet cs) {
  switch (cs) {
    case CharSet::kNumeric:
      return kBitNumeric;
    case CharSet::kCset82:
      return kBitCset82;
    case CharSet::kCset39:
      return kBitCset39;
    case CharSet::kCset64:
      return kBitCset64;
  }
  return 0;
}

// Offset of the first character of `s` outside `cs`, or npos. For CSET 64 '=' is allowed only
// as trailing padding.
inline std::size_t FirstOutside(CharSet cs, std::string_view s) {
  const std::uint8_t bit = CharSetBit(cs);
  std::size_t n = s.size();
  if (cs == CharSet::kCset64) {
    while (n > 0 && s[n - 1] == '=') --n;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if ((kCharSetTable[static_cast<unsigned char>(s[i])] & bit) == 0) return i;
  }
  return std::string_view::npos;
}

}  // namespace vntrace::gs1::internal
