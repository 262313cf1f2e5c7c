// DataMatrix ECC 200 encoder (ISO/IEC 16022): ASCII encodation with FNC1, Reed-Solomon error
// correction over GF(256), the module placement of Annex F and the finder/clock patterns.
// Square symbols 10x10 to 132x132 (144x144 is not written: see datamatrix.cpp).
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace vntrace::label::render::internal {

inline constexpr std::uint8_t kDataMatrixFnc1 = 232;
inline constexpr int kDataMatrixMaxDataCodewords = 1304;

// ASCII-encodation codewords of GS1 data: FNC1 first, then `raw` (a raw element string whose
// separators are GS, ASCII 29, each written as FNC1), digit pairs packed. `raw` must be
// printable ASCII and GS only (the caller checked it).
std::vector<std::uint8_t> EncodeGs1Ascii(std::string_view raw);

// The symbol for `data` codewords: `size` x `size` modules without quiet zone, row-major,
// 1 = dark. nullopt when the data exceeds the largest symbol.
struct DataMatrixModules {
  int size = 0;
  std::vector<std::uint8_t> modules;
};
std::optional<DataMatrixModules> EncodeDataMatrix(const std::vector<std::uint8_t>& data);

// Reed-Solomon check codewords of `data` (generator roots a^1..a^n, GF(256) mod 0x12D).
std::vector<std::uint8_t> ReedSolomonDataMatrix(const std::vector<std::uint8_t>& data,
                                                int check_count);

}  // namespace vntrace::label::render::internal
