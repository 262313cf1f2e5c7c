#include "label/render/internal/datamatrix.hpp"

#include <array>
#include <cstddef>

namespace vntrace::label::render::internal {
namespace {

// Square ECC 200 symbols: size, data region size, regions per side, data codewords, check
// codewords, interleaved blocks (ISO/IEC 16022 Table 7). 144x144 is left out on purpose: its
// interleaving of two block lengths is read differently by different decoders (zxing-cpp issue
// #259; the zxing-cpp 1.4 of Debian 12 rejects the standard's reading), and a stamp must scan
// everywhere. GS1 data never needs it.
struct SymbolSize {
  int size;
  int region;
  int regions;
  int data;
  int check;
  int blocks;
};
constexpr std::array<SymbolSize, 23> kSizes = {{
    {10, 8, 1, 3, 5, 1},        {12, 10, 1, 5, 7, 1},       {14, 12, 1, 8, 10, 1},
    {16, 14, 1, 12, 12, 1},     {18, 16, 1, 18, 14, 1},     {20, 18, 1, 22, 18, 1},
    {22, 20, 1, 30, 20, 1},     {24, 22, 1, 36, 24, 1},     {26, 24, 1, 44, 28, 1},
    {32, 14, 2, 62, 36, 1},     {36, 16, 2, 86, 42, 1},     {40, 18, 2, 114, 48, 1},
    {44, 20, 2, 144, 56, 1},    {48, 22, 2, 174, 68, 1},    {52, 24, 2, 204, 84, 2},
    {64, 14, 4, 280, 112, 2},   {72, 16, 4, 368, 144, 4},   {80, 18, 4, 456, 192, 4},
    {88, 20, 4, 576, 224, 4},   {96, 22, 4, 696, 272, 4},   {104, 24, 4, 816, 336, 6},
    {120, 18, 6, 1050, 408, 6}, {132, 20, 6, 1304, 496, 8},
}};

struct Gf256 {
  std::array<int, 256> exp{};
  std::array<int, 256> log{};
  Gf256() {
    int x = 1;
    for (int i = 0; i < 255; ++i) {
      exp[static_cast<std::size_t>(i)] = x;
      log[static_cast<std::size_t>(x)] = i;
      x <<= 1;
      if (x >= 256) {
        x ^= 0x12D;
      }
    }
    exp[255] = exp[0];
  }
  int Mul(int a, int b) const {
    if (a == 0 || b == 0) {
      return 0;
    }
    return exp[static_cast<std::size_t>(
        (log[static_cast<std::size_t>(a)] + log[static_cast<std::size_t>(b)]) % 255)];
  }
};

const Gf256& Field() {
  static const Gf256 field;
  return field;
}

// Annex F placement of the codewords into the mapping matrix (without finder patterns).
class Placement {
 public:
  Placement(int rows, int cols, const std::vector<std::uint8_t>& codewords)
      : rows_(rows),
        cols_(cols),
        codewords_(codewords),
        bits_(static_cast<std::size_t>(rows * cols), -1) {}

  void Run() {
    int pos = 0;
    int row = 4;
    int col = 0;
    do {
      if (row == rows_ && col == 0) {
        Corner1(pos++);
      }
      if (row == rows_ - 2 && col == 0 && cols_ % 4 != 0) {
        Corner2(pos++);
      }
      if (row == rows_ - 2 && col == 0 && cols_ % 8 == 4) {
        Corner3(pos++);
      }
      if (row == rows_ + 4 && col == 2 && cols_ % 8 == 0) {
        Corner4(pos++);
      }
      do {
        if (row < rows_ && col >= 0 && At(row, col) < 0) {
          Utah(row, col, pos++);
        }
        row -= 2;
        col += 2;
      } while (row >= 0 && col < cols_);
      row += 1;
      col += 3;
      do {
        if (row >= 0 && col < cols_ && At(row, col) < 0) {
          Utah(row, col, pos++);
        }
        row += 2;
        col -= 2;
      } while (row < rows_ && col >= 0);
      row += 3;
      col += 1;
    } while (row < rows_ || col < cols_);
    if (At(rows_ - 1, cols_ - 1) < 0) {
      Set(rows_ - 1, cols_ - 1, 1);
      Set(rows_ - 2, cols_ - 2, 1);
      Set(rows_ - 1, cols_ - 2, 0);
      Set(rows_ - 2, cols_ - 1, 0);
    }
  }

  bool Dark(int row, int col) const { return At(row, col) == 1; }

 private:
  int At(int row, int col) const { return bits_[static_cast<std::size_t>(row * cols_ + col)]; }
  void Set(int row, int col, int value) {
    bits_[static_cast<std::size_t>(row * cols_ + col)] = value;
  }

  // Bit `bit` (1 = most significant) of codeword `pos` at (row, col), wrapping around.
  void Module(int row, int col, int pos, int bit) {
    if (row < 0) {
      row += rows_;
      col += 4 - ((rows_ + 4) % 8);
    }
    if (col < 0) {
      col += cols_;
      row += 4 - ((cols_ + 4) % 8);
    }
    const int value = (codewords_[static_cast<std::size_t>(pos)] >> (8 - bit)) & 1;
    Set(row, col, value);
  }
  void Utah(int row, int col, int pos) {
    Module(row - 2, col - 2, pos, 1);
    Module(row - 2, col - 1, pos, 2);
    Module(row - 1, col - 2, pos, 3);
    Module(row - 1, col - 1, pos, 4);
    Module(row - 1, col, pos, 5);
    Module(row, col - 2, pos, 6);
    Module(row, col - 1, pos, 7);
    Module(row, col, pos, 8);
  }
  void Corner1(int pos) {
    Module(rows_ - 1, 0, pos, 1);
    Module(rows_ - 1, 1, pos, 2);
    Module(rows_ - 1, 2, pos, 3);
    Module(0, cols_ - 2, pos, 4);
    Module(0, cols_ - 1, pos, 5);
    Module(1, cols_ - 1, pos, 6);
    Module(2, cols_ - 1, pos, 7);
    Module(3, cols_ - 1, pos, 8);
  }
  void Corner2(int pos) {
    Module(rows_ - 3, 0, pos, 1);
    Module(rows_ - 2, 0, pos, 2);
    Module(rows_ - 1, 0, pos, 3);
    Module(0, cols_ - 4, pos, 4);
    Module(0, cols_ - 3, pos, 5);
    Module(0, cols_ - 2, pos, 6);
    Module(0, cols_ - 1, pos, 7);
    Module(1, cols_ - 1, pos, 8);
  }
  void Corner3(int pos) {
    Module(rows_ - 3, 0, pos, 1);
    Module(rows_ - 2, 0, pos, 2);
    Module(rows_ - 1, 0, pos, 3);
    Module(0, cols_ - 2, pos, 4);
    Module(0, cols_ - 1, pos, 5);
    Module(1, cols_ - 1, pos, 6);
    Module(2, cols_ - 1, pos, 7);
    Module(3, cols_ - 1, pos, 8);
  }
  void Corner4(int pos) {
    Module(rows_ - 1, 0, pos, 1);
    Module(rows_ - 1, cols_ - 1, pos, 2);
    Module(0, cols_ - 3, pos, 3);
    Module(0, cols_ - 2, pos, 4);
    Module(0, cols_ - 1, pos, 5);
    Module(1, cols_ - 3, pos, 6);
    Module(1, cols_ - 2, pos, 7);
    Module(1, cols_ - 1, pos, 8);
  }

  const int rows_;
  const int cols_;
  const std::vector<std::uint8_t>& codewords_;
  std::vector<int> bits_;  // -1 unset, 0 light, 1 dark
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::vector<std::uint8_t> EncodeGs1Ascii(std::string_view raw) {
  std::vector<std::uint8_t> out;
  out.reserve(raw.size() + 1);
  out.push_back(kDataMatrixFnc1);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (IsDigit(c) && i + 1 < raw.size() && IsDigit(raw[i + 1])) {
      out.push_back(static_cast<std::uint8_t>(130 + (c - '0') * 10 + (raw[i + 1] - '0')));
      ++i;
    } else if (c == '\x1d') {
      out.push_back(kDataMatrixFnc1);
    } else {
      out.push_back(static_cast<std::uint8_t>(static_cast<unsigned char>(c) + 1));
    }
  }
  return out;
}

std::vector<std::uint8_t> ReedSolomonDataMatrix(const std::vector<std::uint8_t>& data,
                                                int check_count) {
  const Gf256& gf = Field();
  // Generator polynomial, highest degree first without the leading 1: g[0..n-1].
  std::vector<int> gen(static_cast<std::size_t>(check_count) + 1, 0);
  gen[0] = 1;
  for (int i = 1; i <= check_count; ++i) {
    const int root = gf.exp[static_cast<std::size_t>(i)];
    for (int j = i; j >= 1; --j) {
      gen[static_cast<std::size_t>(j)] =
          gen[static_cast<std::size_t>(j)] ^ gf.Mul(gen[static_cast<std::size_t>(j - 1)], root);
    }
  }
  std::vector<int> remainder(static_cast<std::size_t>(check_count), 0);
  for (std::uint8_t d : data) {
    const int feedback = d ^ remainder[0];
    for (int j = 0; j + 1 < check_count; ++j) {
      remainder[static_cast<std::size_t>(j)] =
          remainder[static_cast<std::size_t>(j + 1)] ^
          gf.Mul(feedback, gen[static_cast<std::size_t>(j + 1)]);
    }
    remainder[static_cast<std::size_t>(check_count - 1)] =
        gf.Mul(feedback, gen[static_cast<std::size_t>(check_count)]);
  }
  return {remainder.begin(), remainder.end()};
}

std::optional<DataMatrixModules> EncodeDataMatrix(const std::vector<std::uint8_t>& data) {
  const SymbolSize* chosen = nullptr;
  for (const SymbolSize& s : kSizes) {
    if (static_cast<int>(data.size()) <= s.data) {
      chosen = &s;
      break;
    }
  }
  if (chosen == nullptr) {
    return std::nullopt;
  }
  const SymbolSize& s = *chosen;

  // Data with padding: 129 first, then the 253-state randomised pad.
  std::vector<std::uint8_t> codewords = data;
  if (static_cast<int>(codewords.size()) < s.data) {
    codewords.push_back(129);
  }
  while (static_cast<int>(codewords.size()) < s.data) {
    const int position = static_cast<int>(codewords.size()) + 1;
    int pad = 129 + ((149 * position) % 253) + 1;
    if (pad > 254) {
      pad -= 254;
    }
    codewords.push_back(static_cast<std::uint8_t>(pad));
  }

  // Interleaved blocks: data codeword i goes to block i % blocks; check codeword j of block b
  // is at data + j * blocks + b.
  const int check_per_block = s.check / s.blocks;
  codewords.resize(static_cast<std::size_t>(s.data + s.check));
  for (int b = 0; b < s.blocks; ++b) {
    std::vector<std::uint8_t> block;
    for (int i = b; i < s.data; i += s.blocks) {
      block.push_back(codewords[static_cast<std::size_t>(i)]);
    }
    const std::vector<std::uint8_t> check = ReedSolomonDataMatrix(block, check_per_block);
    for (int j = 0; j < check_per_block; ++j) {
      codewords[static_cast<std::size_t>(s.data + j * s.blocks + b)] =
          check[static_cast<std::size_t>(j)];
    }
  }

  const int mapping = s.region * s.regions;
  Placement placement(mapping, mapping, codewords);
  placement.Run();

  DataMatrixModules out;
  out.size = s.size;
  out.modules.assign(static_cast<std::size_t>(s.size * s.size), 0);
  const int step = s.region + 2;
  for (int y = 0; y < s.size; ++y) {
    for (int x = 0; x < s.size; ++x) {
      const int ly = y % step;
      const int lx = x % step;
      bool dark;
      if (lx == 0 || ly == step - 1) {
        dark = true;  // the solid L of the finder pattern
      } else if (ly == 0) {
        dark = lx % 2 == 0;  // top clock track
      } else if (lx == step - 1) {
        dark = ly % 2 == 1;  // right clock track
      } else {
        const int my = (y / step) * s.region + ly - 1;
        const int mx = (x / step) * s.region + lx - 1;
        dark = placement.Dark(my, mx);
      }
      out.modules[static_cast<std::size_t>(y * s.size + x)] = dark ? 1 : 0;
    }
  }
  return out;
}

}  // namespace vntrace::label::render::internal
