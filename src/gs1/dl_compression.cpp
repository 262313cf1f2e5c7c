#include "gs1/dl_compression.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "gs1/ai.hpp"
#include "gs1/element.hpp"

#include "gs1/internal/dl_compression_tables.inc"

// The compressed form (GS1 Digital Link 1.1) is a bit string written in URI-safe base64:
//   - each AI: its digits as 4-bit nibbles, then its value;
//   - or an optimisation code (two nibbles, one of them A-F) standing for a fixed sequence of
//     AIs, followed by their values;
//   - or a non-GS1 key=value pair: nibble F, a 7-bit key length, the key in 6-bit base64 and the
//     value as a 7-bit-length alphanumeric string;
//   - zero bits up to the next multiple of 6.
// A value is encoded part by part following the AI's format: a fixed-length numeric part as a
// binary number, a variable-length numeric part as a length indicator then a binary number, and
// an alphanumeric part as a 3-bit encoding indicator, a length indicator (variable length only)
// and the characters (as a number, 4-bit hex digits, 6-bit base64 or 7-bit ASCII).

namespace vntrace::gs1 {
namespace {

using internal::DlOptimisation;
using internal::kDlBase64Alphabet;
using internal::kDlMaxChars;
using internal::kDlNumericValueBits;
using internal::kDlOptimisations;

// Encoding indicators of alphanumeric values.
constexpr std::uint32_t kEncNumeric = 0;
constexpr std::uint32_t kEncHexLower = 1;
constexpr std::uint32_t kEncHexUpper = 2;
constexpr std::uint32_t kEncBase64 = 3;
constexpr std::uint32_t kEncAscii = 4;

constexpr std::uint32_t kNonGs1Nibble = 0xF;
constexpr int kCharBits = 6;
constexpr int kPairLengthBits = 7;

constexpr std::array<std::int8_t, 256> MakeBase64Index() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (std::size_t i = 0; i < kDlBase64Alphabet.size(); ++i) {
    t[static_cast<unsigned char>(kDlBase64Alphabet[i])] = static_cast<std::int8_t>(i);
  }
  return t;
}
constexpr std::array<std::int8_t, 256> kBase64Index = MakeBase64Index();

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsBase64Char(char c) { return kBase64Index[static_cast<unsigned char>(c)] >= 0; }

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return IsDigit(c); });
}

// FindAi for text from the input, which may be any length.
const AiDefinition* FindAiCode(std::string_view code) {
  return code.size() >= 2 && code.size() <= 4 ? FindAi(code) : nullptr;
}

// Bits of the length indicator of a variable-length part of at most `max` characters.
inline int LengthBits(std::size_t max) { return std::bit_width(max); }

// Bits of an n-digit number (n <= kDlMaxChars).
inline int NumericBits(std::size_t n) { return kDlNumericValueBits[n]; }

// ---------------------------------------------------------------------------------------------
// Bit streams.

// Appends bits, most significant first, to a string as base64url characters.
class BitWriter {
 public:
  explicit BitWriter(std::string& out) : out_(out) {}

  // Writes the low `nbits` (at most 32) bits of `value`.
  void Write(std::uint32_t value, int nbits) {
    if (nbits == 0) return;
    acc_ = (acc_ << nbits) | (value & Mask(nbits));
    pending_ += nbits;
    while (pending_ >= kCharBits) {
      pending_ -= kCharBits;
      out_.push_back(kDlBase64Alphabet[(acc_ >> pending_) & 0x3F]);
    }
    acc_ &= Mask(pending_);
  }

  // Pads with zero bits to a whole character.
  void Finish() {
    if (pending_ > 0) Write(0, kCharBits - pending_);
  }

 private:
  static std::uint64_t Mask(int nbits) { return (std::uint64_t{1} << nbits) - 1; }

  std::string& out_;
  std::uint64_t acc_ = 0;
  int pending_ = 0;
};

// Reads bits, most significant first, from a segment already checked to hold only base64url
// characters.
class BitReader {
 public:
  explicit BitReader(std::string_view segment)
      : segment_(segment), size_(segment.size() * kCharBits) {}

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return size_ - pos_; }

  // Reads `nbits` (at most 32) bits; the caller has checked remaining() >= nbits.
  std::uint32_t Read(int nbits) {
    std::uint32_t result = 0;
    while (nbits > 0) {
      int offset = static_cast<int>(pos_ % kCharBits);
      int avail = kCharBits - offset;
      int take = std::min(avail, nbits);
      auto sextet = static_cast<std::uint32_t>(
          kBase64Index[static_cast<unsigned char>(segment_[pos_ / kCharBits])]);
      std::uint32_t bits = (sextet >> (avail - take)) & ((1u << take) - 1);
      result = (result << take) | bits;
      pos_ += static_cast<std::size_t>(take);
      nbits -= take;
    }
    return result;
  }

 private:
  std::string_view segment_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// Where bit `bit` of the compressed segment is, for error messages.
std::string BitPlace(std::size_t bit) {
  return fmt::format("bit {} (character {} of the compressed segment)", bit, bit / kCharBits + 1);
}

// kInvalidArgument unless `n` more bits are available for `what`.
core::Status Need(const BitReader& r, std::size_t n, std::string_view what) {
  if (r.remaining() >= n) return core::Ok();
  return core::InvalidArgument(
      fmt::format("compressed Digital Link is truncated: {} needs {} bits at {}, only {} remain",
                  what, n, BitPlace(r.position()), r.remaining()));
}

// ---------------------------------------------------------------------------------------------
// Numbers of up to kDlMaxChars decimal digits.

class BigNumber {
 public:
  static constexpr int kLimbBits = 32;
  static constexpr std::size_t kLimbs = 14;  // 448 bits >= kDlNumericValueBits.back()

  static BigNumber FromDigits(std::string_view digits) {
    BigNumber n;
    for (char c : digits) n.MulAdd(10, static_cast<std::uint32_t>(c - '0'));
    return n;
  }

  // Writes the low `nbits` bits, most significant first.
  void WriteTo(BitWriter& w, int nbits) const {
    while (nbits > 0) {
      int take = (nbits - 1) % kLimbBits + 1;
      std::size_t limb = static_cast<std::size_t>(nbits - 1) / kLimbBits;
      w.Write(limb < kLimbs ? limbs_[limb] : 0, take);
      nbits -= take;
    }
  }

  // Reads `nbits` bits (at most kLimbs * 32; the caller has checked they are available).
  static BigNumber ReadFrom(BitReader& r, int nbits) {
    BigNumber n;
    while (nbits > 0) {
      int take = (nbits - 1) % kLimbBits + 1;
      std::size_t limb = static_cast<std::size_t>(nbits - 1) / kLimbBits;
      n.limbs_[limb] = r.Read(take);
      nbits -= take;
    }
    return n;
  }

  // Appends the number as exactly `width` decimal digits (leading zeros added). Returns false,
  // appending nothing, when it needs more than `width` digits.
  bool AppendDecimal(std::size_t width, std::string& out) const {
    std::array<char, kLimbs * 10> reversed{};
    std::size_t count = 0;
    BigNumber n = *this;
    std::size_t top = kLimbs;
    while (top > 0 && n.limbs_[top - 1] == 0) --top;
    while (top > 0) {
      std::uint64_t rem = 0;
      for (std::size_t i = top; i-- > 0;) {
        std::uint64_t cur = (rem << kLimbBits) | n.limbs_[i];
        n.limbs_[i] = static_cast<std::uint32_t>(cur / 10);
        rem = cur % 10;
      }
      if (count == width) return false;
      reversed[count++] = static_cast<char>('0' + rem);
      while (top > 0 && n.limbs_[top - 1] == 0) --top;
    }
    out.append(width - count, '0');
    for (std::size_t i = count; i-- > 0;) out.push_back(reversed[i]);
    return true;
  }

 private:
  void MulAdd(std::uint32_t mul, std::uint32_t add) {
    std::uint64_t carry = add;
    for (std::uint32_t& limb : limbs_) {
      std::uint64_t v = std::uint64_t{limb} * mul + carry;
      limb = static_cast<std::uint32_t>(v);
      carry = v >> kLimbBits;
    }
  }

  std::array<std::uint32_t, kLimbs> limbs_{};
};

// ---------------------------------------------------------------------------------------------
// Value layout of an AI, derived from its format in the AI dictionary: adjacent mandatory
// fixed-length components of the same kind (numeric or not) form one fixed-length part ("N6 N4"
// is N10, "X1 X1 X1" is X3), adjacent optional components form one variable-length part
// ("[N3] [N3]" is N..6), and any other component is a part of its own. This reproduces the
// formats of the GS1 General Specifications the standard's encoding table is written from
// (8006 N14+N2+N2 = N18, 8008 N8+N..4, 7040 N1+X3, 423 N3+N..12).

struct Part {
  bool numeric = false;
  bool fixed = false;
  bool from_optional = false;
  std::size_t length = 0;  // the length when fixed, else the maximum length
};

struct Layout {
  std::array<Part, kMaxComponents> parts{};
  std::size_t count = 0;
};

Layout LayoutOf(const AiDefinition& ai) {
  Layout layout;
  for (const AiComponent& c : ai.Components()) {
    bool numeric = c.charset == CharSet::kNumeric;
    bool fixed = !c.optional && c.min_length == c.max_length;
    Part* last = layout.count > 0 ? &layout.parts[layout.count - 1] : nullptr;
    if (last != nullptr && last->numeric == numeric && fixed && last->fixed &&
        !last->from_optional) {
      last->length += c.max_length;
    } else if (last != nullptr && last->numeric == numeric && c.optional && last->from_optional) {
      last->length += c.max_length;
    } else {
      layout.parts[layout.count++] = Part{numeric, fixed, c.optional, c.max_length};
    }
  }
  return layout;
}

// Splits `value` into the parts of `layout`; false when it does not fit them.
bool SplitValue(const Layout& layout, std::string_view value,
                std::array<std::string_view, kMaxComponents>& pieces) {
  std::size_t cursor = 0;
  for (std::size_t i = 0; i < layout.count; ++i) {
    const Part& p = layout.parts[i];
    std::size_t left = value.size() - cursor;
    std::size_t take = 0;
    if (p.fixed) {
      if (left < p.length) return false;
      take = p.length;
    } else {
      take = i + 1 == layout.count ? left : std::min(left, p.length);
      if (take > p.length) return false;
    }
    pieces[i] = value.substr(cursor, take);
    cursor += take;
  }
  return cursor == value.size();
}

// ---------------------------------------------------------------------------------------------
// Encoding.

std::uint32_t ChooseEncoding(std::string_view s) {
  if (s.empty()) return kEncAscii;
  bool digits = true;
  bool hex_lower = true;
  bool hex_upper = true;
  bool base64 = true;
  for (char c : s) {
    bool digit = IsDigit(c);
    digits = digits && digit;
    hex_lower = hex_lower && (digit || (c >= 'a' && c <= 'f'));
    hex_upper = hex_upper && (digit || (c >= 'A' && c <= 'F'));
    base64 = base64 && IsBase64Char(c);
  }
  if (digits) return kEncNumeric;
  if (hex_lower) return kEncHexLower;
  if (hex_upper) return kEncHexUpper;
  if (base64) return kEncBase64;
  return kEncAscii;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Writes the characters of `s` in encoding `enc` (no indicator, no length).
void WriteChars(BitWriter& w, std::uint32_t enc, std::string_view s) {
  switch (enc) {
    case kEncNumeric:
      BigNumber::FromDigits(s).WriteTo(w, NumericBits(s.size()));
      break;
    case kEncHexLower:
    case kEncHexUpper:
      for (char c : s) {
        w.Write(static_cast<std::uint32_t>(IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10), 4);
      }
      break;
    case kEncBase64:
      for (char c : s) {
        w.Write(static_cast<std::uint32_t>(kBase64Index[static_cast<unsigned char>(c)]), 6);
      }
      break;
    default:
      for (char c : s) w.Write(static_cast<unsigned char>(c), 7);
      break;
  }
}

// True when `value` can be written in the compressed form for `ai`.
bool Encodable(const AiDefinition& ai, std::string_view value) {
  Layout layout = LayoutOf(ai);
  if (layout.count == 0) return false;
  std::array<std::string_view, kMaxComponents> pieces{};
  if (!SplitValue(layout, value, pieces)) return false;
  for (std::size_t i = 0; i < layout.count; ++i) {
    const Part& p = layout.parts[i];
    if (pieces[i].size() > kDlMaxChars || (!p.fixed && LengthBits(p.length) > 32)) return false;
    if (p.numeric ? !AllDigits(pieces[i]) : !IsAscii(pieces[i])) return false;
  }
  return true;
}

// Writes the value of `ai`; Encodable(ai, value) holds.
void WriteValue(BitWriter& w, const AiDefinition& ai, std::string_view value) {
  Layout layout = LayoutOf(ai);
  std::array<std::string_view, kMaxComponents> pieces{};
  SplitValue(layout, value, pieces);
  for (std::size_t i = 0; i < layout.count; ++i) {
    const Part& p = layout.parts[i];
    std::string_view s = pieces[i];
    if (p.numeric) {
      if (!p.fixed) w.Write(static_cast<std::uint32_t>(s.size()), LengthBits(p.length));
      BigNumber::FromDigits(s).WriteTo(w, NumericBits(s.size()));
    } else {
      std::uint32_t enc = ChooseEncoding(s);
      w.Write(enc, 3);
      if (!p.fixed) w.Write(static_cast<std::uint32_t>(s.size()), LengthBits(p.length));
      WriteChars(w, enc, s);
    }
  }
}

void WriteAiCode(BitWriter& w, std::string_view code) {
  for (char c : code) w.Write(static_cast<std::uint32_t>(c - '0'), 4);
}

bool PairCompressible(std::string_view key, std::string_view value) {
  return !key.empty() && key.size() <= kDlMaxChars && !AllDigits(key) &&
         std::all_of(key.begin(), key.end(), IsBase64Char) && value.size() <= kDlMaxChars &&
         IsAscii(value);
}

void WritePair(BitWriter& w, std::string_view key, std::string_view value) {
  w.Write(kNonGs1Nibble, 4);
  w.Write(static_cast<std::uint32_t>(key.size()), kPairLengthBits);
  WriteChars(w, kEncBase64, key);
  std::uint32_t enc = ChooseEncoding(value);
  w.Write(enc, 3);
  w.Write(static_cast<std::uint32_t>(value.size()), kPairLengthBits);
  WriteChars(w, enc, value);
}

struct ChosenOptimisation {
  const DlOptimisation* code;
  std::array<const AiElement*, internal::kMaxOptimisedAis> elements;
};

// Picks the optimisation codes for `pending` (sorted by AI code) the way the standard's
// encoder does: repeatedly the table entry whose AIs are all pending and whose AI codes are
// longest together (the earliest on a tie), taking its elements out of `pending`.
std::vector<ChosenOptimisation> ChooseOptimisations(std::vector<const AiElement*>& pending) {
  std::vector<ChosenOptimisation> chosen;
  auto find = [&pending](std::string_view code) {
    return std::find_if(pending.begin(), pending.end(),
                        [code](const AiElement* e) { return e->code() == code; });
  };
  while (true) {
    const DlOptimisation* best = nullptr;
    std::size_t best_saving = 0;
    for (const DlOptimisation& opt : kDlOptimisations) {
      std::size_t saving = 0;
      bool all = true;
      for (std::size_t i = 0; i < opt.count && all; ++i) {
        all = find(opt.ais[i]) != pending.end();
        saving += opt.ais[i].size();
      }
      if (all && saving > best_saving) {
        best = &opt;
        best_saving = saving;
      }
    }
    if (best == nullptr) return chosen;
    ChosenOptimisation c{best, {}};
    for (std::size_t i = 0; i < best->count; ++i) {
      auto it = find(best->ais[i]);
      c.elements[i] = *it;
      pending.erase(it);
    }
    chosen.push_back(c);
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding.

struct Decoded {
  AiElements elements;
  std::vector<std::size_t> element_bits;  // where each element starts, for messages
  std::vector<std::pair<std::string, std::string>> pairs;
};

std::string AiLabel(const AiDefinition& ai) { return fmt::format("AI ({})", ai.code); }

// Reads `n` characters in encoding `enc` into `out`.
core::Status ReadChars(BitReader& r, std::uint32_t enc, std::size_t n, std::string_view what,
                       std::string& out) {
  std::size_t start = r.position();
  switch (enc) {
    case kEncNumeric: {
      auto nbits = static_cast<std::size_t>(NumericBits(n));
      VNTRACE_RETURN_IF_ERROR(Need(r, nbits, what));
      BigNumber number = BigNumber::ReadFrom(r, static_cast<int>(nbits));
      if (!number.AppendDecimal(n, out)) {
        return core::InvalidArgument(
            fmt::format("compressed Digital Link: the number for {} at {} has more than {} digits",
                        what, BitPlace(start), n));
      }
      return core::Ok();
    }
    case kEncHexLower:
    case kEncHexUpper: {
      VNTRACE_RETURN_IF_ERROR(Need(r, n * 4, what));
      std::string_view digits = enc == kEncHexLower ? internal::kDlHexLower : internal::kDlHexUpper;
      for (std::size_t i = 0; i < n; ++i) out.push_back(digits[r.Read(4)]);
      return core::Ok();
    }
    case kEncBase64:
      VNTRACE_RETURN_IF_ERROR(Need(r, n * 6, what));
      for (std::size_t i = 0; i < n; ++i) out.push_back(kDlBase64Alphabet[r.Read(6)]);
      return core::Ok();
    case kEncAscii:
      VNTRACE_RETURN_IF_ERROR(Need(r, n * 7, what));
      for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<char>(r.Read(7)));
      return core::Ok();
    default:
      return core::InvalidArgument(
          fmt::format("compressed Digital Link: reserved encoding indicator {} for {} at {}", enc,
                      what, BitPlace(start - 3)));
  }
}

// Reads a length indicator of `nbits` bits announcing at most `max` characters.
core::Result<std::size_t> ReadLength(BitReader& r, int nbits, std::size_t max,
                                     std::string_view what) {
  std::size_t start = r.position();
  VNTRACE_RETURN_IF_ERROR(Need(r, static_cast<std::size_t>(nbits), what));
  std::size_t n = r.Read(nbits);
  if (n > max) {
    return core::InvalidArgument(
        fmt::format("compressed Digital Link: length {} of {} at {} exceeds the maximum {}", n,
                    what, BitPlace(start), max));
  }
  return n;
}

core::Status ReadValue(BitReader& r, const AiDefinition& ai, std::string& value) {
  Layout layout = LayoutOf(ai);
  std::string what = AiLabel(ai);
  if (layout.count == 0) {
    return core::InvalidArgument(fmt::format(
        "compressed Digital Link: {} at {} has no value format", what, BitPlace(r.position())));
  }
  value.clear();
  for (std::size_t i = 0; i < layout.count; ++i) {
    const Part& p = layout.parts[i];
    std::size_t n = p.length;
    if (p.numeric) {
      if (!p.fixed) {
        VNTRACE_ASSIGN_OR_RETURN(
            n, ReadLength(r, LengthBits(p.length), std::min(p.length, kDlMaxChars), what));
      }
      if (n > kDlMaxChars) {
        return core::InvalidArgument(fmt::format(
            "compressed Digital Link: {} has a part longer than {} digits", what, kDlMaxChars));
      }
      VNTRACE_RETURN_IF_ERROR(ReadChars(r, kEncNumeric, n, what, value));
      continue;
    }
    VNTRACE_RETURN_IF_ERROR(Need(r, 3, what));
    std::uint32_t enc = r.Read(3);
    if (enc > kEncAscii) {
      return core::InvalidArgument(
          fmt::format("compressed Digital Link: reserved encoding indicator {} for {} at {}", enc,
                      what, BitPlace(r.position() - 3)));
    }
    if (!p.fixed) {
      VNTRACE_ASSIGN_OR_RETURN(
          n, ReadLength(r, LengthBits(p.length), std::min(p.length, kDlMaxChars), what));
    }
    if (n > kDlMaxChars) {
      return core::InvalidArgument(fmt::format(
          "compressed Digital Link: {} has a part longer than {} characters", what, kDlMaxChars));
    }
    VNTRACE_RETURN_IF_ERROR(ReadChars(r, enc, n, what, value));
  }
  return core::Ok();
}

core::Status AddElement(BitReader& r, const AiDefinition& ai, std::size_t start, Decoded& out) {
  for (std::size_t i = 0; i < out.elements.size(); ++i) {
    if (out.elements[i].ai == &ai) {
      return core::InvalidArgument(
          fmt::format("compressed Digital Link: AI ({}) at {} repeats the one at bit {}", ai.code,
                      BitPlace(start), out.element_bits[i]));
    }
  }
  AiElement e{&ai, {}};
  VNTRACE_RETURN_IF_ERROR(ReadValue(r, ai, e.value));
  out.elements.push_back(std::move(e));
  out.element_bits.push_back(start);
  return core::Ok();
}

core::Status ReadPair(BitReader& r, std::uint32_t second_nibble, std::size_t start, Decoded& out) {
  VNTRACE_RETURN_IF_ERROR(Need(r, 3, "the key length of a non-GS1 pair"));
  std::size_t key_length = (second_nibble << 3) | r.Read(3);
  if (key_length == 0) {
    return core::InvalidArgument(fmt::format(
        "compressed Digital Link: non-GS1 pair at {} has an empty key", BitPlace(start)));
  }
  std::string key;
  VNTRACE_RETURN_IF_ERROR(ReadChars(r, kEncBase64, key_length, "a non-GS1 key", key));
  if (AllDigits(key)) {
    return core::InvalidArgument(
        fmt::format("compressed Digital Link: non-GS1 pair at {} has the numeric key '{}'",
                    BitPlace(start), key));
  }
  std::string what = fmt::format("the value of non-GS1 key '{}'", key);
  VNTRACE_RETURN_IF_ERROR(Need(r, 3, what));
  std::uint32_t enc = r.Read(3);
  if (enc > kEncAscii) {
    return core::InvalidArgument(
        fmt::format("compressed Digital Link: reserved encoding indicator {} for {} at {}", enc,
                    what, BitPlace(r.position() - 3)));
  }
  VNTRACE_ASSIGN_OR_RETURN(std::size_t n, ReadLength(r, kPairLengthBits, kDlMaxChars, what));
  std::string value;
  VNTRACE_RETURN_IF_ERROR(ReadChars(r, enc, n, what, value));
  out.pairs.emplace_back(std::move(key), std::move(value));
  return core::Ok();
}

const DlOptimisation* FindOptimisation(std::uint32_t code) {
  for (const DlOptimisation& opt : kDlOptimisations) {
    if (opt.code == code) return &opt;
  }
  return nullptr;
}

core::Status DecodeSegment(std::string_view segment, Decoded& out) {
  BitReader r(segment);
  while (r.remaining() >= static_cast<std::size_t>(kCharBits)) {
    std::size_t start = r.position();
    VNTRACE_RETURN_IF_ERROR(Need(r, 8, "an AI code"));
    std::uint32_t h1 = r.Read(4);
    std::uint32_t h2 = r.Read(4);
    if (h1 <= 9 && h2 <= 9) {
      std::array<char, 4> digits{static_cast<char>('0' + h1), static_cast<char>('0' + h2)};
      int length = AiLengthForPrefix(std::string_view(digits.data(), 2));
      if (length == 0) {
        return core::InvalidArgument(fmt::format(
            "compressed Digital Link: the AI code at {} starts with {}{}, as no AI does",
            BitPlace(start), digits[0], digits[1]));
      }
      for (int i = 2; i < length; ++i) {
        VNTRACE_RETURN_IF_ERROR(Need(r, 4, "an AI code"));
        std::uint32_t d = r.Read(4);
        if (d > 9) {
          return core::InvalidArgument(fmt::format(
              "compressed Digital Link: AI code digit 0x{:X} at {} is not a decimal digit", d,
              BitPlace(r.position() - 4)));
        }
        digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + d);
      }
      std::string_view code(digits.data(), static_cast<std::size_t>(length));
      const AiDefinition* ai = FindAi(code);
      if (ai == nullptr) {
        return core::InvalidArgument(
            fmt::format("compressed Digital Link: unknown AI ({}) at {}", code, BitPlace(start)));
      }
      VNTRACE_RETURN_IF_ERROR(AddElement(r, *ai, start, out));
    } else if (const DlOptimisation* opt = FindOptimisation((h1 << 4) | h2)) {
      for (std::size_t i = 0; i < opt->count; ++i) {
        const AiDefinition* ai = FindAi(opt->ais[i]);
        if (ai == nullptr) {
          return core::InvalidArgument(
              fmt::format("compressed Digital Link: optimisation code {:02X} at {} names AI ({}), "
                          "which this dictionary does not define",
                          opt->code, BitPlace(start), opt->ais[i]));
        }
        VNTRACE_RETURN_IF_ERROR(AddElement(r, *ai, start, out));
      }
    } else if (h1 == kNonGs1Nibble) {
      VNTRACE_RETURN_IF_ERROR(ReadPair(r, h2, start, out));
    } else {
      return core::InvalidArgument(
          fmt::format("compressed Digital Link: undefined optimisation code {:X}{:X} at {}", h1, h2,
                      BitPlace(start)));
    }
  }
  std::size_t pad_start = r.position();
  if (r.Read(static_cast<int>(r.remaining())) != 0) {
    return core::InvalidArgument(fmt::format(
        "compressed Digital Link: padding bits from {} are not zero", BitPlace(pad_start)));
  }
  return core::Ok();
}

// ---------------------------------------------------------------------------------------------
// URI handling.

struct UriParts {
  std::size_t scheme_length = 0;
  std::string_view before_query;  // scheme, authority and path
  std::string_view query;
  std::string_view fragment;
  bool has_fragment = false;
};

bool SplitUri(std::string_view uri, UriParts& parts) {
  for (std::string_view scheme : {"https://", "HTTPS://", "http://", "HTTP://"}) {
    if (uri.starts_with(scheme)) {
      parts.scheme_length = scheme.size();
      break;
    }
  }
  if (parts.scheme_length == 0) return false;
  std::string_view rest = uri;
  if (std::size_t hash = rest.find('#'); hash != std::string_view::npos) {
    parts.fragment = rest.substr(hash + 1);
    parts.has_fragment = true;
    rest = rest.substr(0, hash);
  }
  if (std::size_t q = rest.find('?'); q != std::string_view::npos) {
    parts.query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  parts.before_query = rest;
  return true;
}

inline int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Percent-decodes a query component starting at URI offset `offset`; '+' means a space.
core::Status DecodeQueryComponent(std::string_view in, std::size_t offset, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      int hi = i + 2 < in.size() ? HexValue(in[i + 1]) : -1;
      int lo = i + 2 < in.size() ? HexValue(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return core::InvalidArgument(
            fmt::format("malformed percent-escape at position {}", offset + i + 1));
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c == '+' ? ' ' : c);
    }
  }
  return core::Ok();
}

// Adds the query parameters of a compressed URI: numeric keys as AI elements, others as pairs.
core::Status ReadQuery(std::string_view query, std::size_t query_offset, AiElements& elements,
                       std::vector<std::pair<std::string, std::string>>& pairs) {
  std::size_t pos = 0;
  while (pos <= query.size()) {
    std::size_t amp = query.find('&', pos);
    std::size_t end = amp == std::string_view::npos ? query.size() : amp;
    std::string_view param = query.substr(pos, end - pos);
    if (!param.empty()) {
      std::size_t eq = param.find('=');
      std::string_view name = param.substr(0, eq);
      std::string_view raw =
          eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1);
      std::size_t name_offset = query_offset + pos;
      std::size_t value_offset = name_offset + name.size() + 1;
      std::string key;
      std::string value;
      VNTRACE_RETURN_IF_ERROR(DecodeQueryComponent(name, name_offset, key));
      VNTRACE_RETURN_IF_ERROR(DecodeQueryComponent(raw, value_offset, value));
      if (!key.empty() && AllDigits(key)) {
        const AiDefinition* ai = FindAiCode(key);
        if (ai == nullptr) {
          return core::InvalidArgument(fmt::format("unknown AI ({}) in the query string", key));
        }
        if (value.empty()) {
          return core::InvalidArgument(
              fmt::format("AI ({}) in the query string has an empty value", key));
        }
        elements.push_back(AiElement{ai, std::move(value)});
      } else {
        pairs.emplace_back(std::move(key), std::move(value));
      }
    }
    if (amp == std::string_view::npos) break;
    pos = amp + 1;
  }
  return core::Ok();
}

// The primary key of a partially compressed URI (".../01/09520123456788/<compressed>"): set
// when `key_segment`/`value_segment` name one; `found` stays false otherwise.
core::Status ReadUncompressedKey(std::string_view key_segment, std::string_view value_segment,
                                 const DigitalLinkOptions& options, bool& found, AiElement& key) {
  found = false;
  bool numeric = !key_segment.empty() && AllDigits(key_segment);
  if (numeric) {
    const AiDefinition* ai = FindAiCode(key_segment);
    if (ai == nullptr || !ai->dl_primary_key) return core::Ok();
  } else if (!options.permit_convenience_alphas || key_segment.empty()) {
    return core::Ok();
  }
  // Let the Digital Link parser handle percent-encoding, GTIN padding and convenience names.
  std::string uri = fmt::format("{}/{}/{}", kCanonicalStem, key_segment, value_segment);
  DigitalLinkOptions key_options = options;
  key_options.validate_associations = false;
  core::Result<DigitalLink> parsed = ParseDigitalLink(uri, key_options);
  if (!parsed.ok() || parsed->path.size() != 1 || !parsed->attributes.empty()) {
    if (!numeric) return core::Ok();  // not a convenience name: part of the stem
    if (!parsed.ok()) {
      return core::InvalidArgument(
          fmt::format("uncompressed primary key of a partially compressed Digital Link: {}",
                      parsed.error().message));
    }
    return core::InvalidArgument("malformed uncompressed primary key");
  }
  key = std::move(parsed->path.front());
  found = true;
  return core::Ok();
}

// True when `code` is among the qualifiers of primary key `key` ("22,10,21|235").
bool IsQualifierOf(const AiDefinition& key, std::string_view code) {
  std::string_view q = key.dl_qualifiers;
  while (!q.empty()) {
    std::size_t end = q.find_first_of(",|");
    if (q.substr(0, end) == code) return true;
    if (end == std::string_view::npos) break;
    q.remove_prefix(end + 1);
  }
  return false;
}

bool HasQualifierAmong(const AiDefinition& key, const AiElements& elements) {
  return std::any_of(elements.begin(), elements.end(),
                     [&key](const AiElement& e) { return IsQualifierOf(key, e.code()); });
}

core::Result<DigitalLink> BuildAndValidate(
    const AiElements& elements, std::string_view stem,
    const std::vector<std::pair<std::string, std::string>>& pairs, const UriParts& parts,
    const DigitalLinkOptions& options) {
  VNTRACE_ASSIGN_OR_RETURN(
      DigitalLink dl,
      DigitalLinkFromElements(elements, stem, {.qualifiers_may_be_attributes = true}));
  dl.other_params = pairs;
  if (parts.has_fragment) dl.fragment = std::string(parts.fragment);
  VNTRACE_RETURN_IF_ERROR(ValidateDigitalLink(dl, options));
  return dl;
}

// Builds and validates the Digital Link from the decoded data, with `key` (when set) as the
// uncompressed primary key of a partially compressed URI. The compressed form does not say
// which AI is the primary key: when several could be, the first (in stream order) that has
// one of its qualifiers present, else the first, that gives a valid Digital Link wins.
core::Result<DigitalLink> Assemble(const AiElement* key, std::string_view stem,
                                   const Decoded& decoded, const UriParts& parts,
                                   const DigitalLinkOptions& options) {
  AiElements elements;
  elements.reserve(decoded.elements.size() + 1);
  if (key != nullptr) {
    elements.push_back(*key);
    for (const AiElement& e : decoded.elements) {
      if (e.ai == key->ai) {
        return core::InvalidArgument(fmt::format(
            "compressed Digital Link repeats the uncompressed primary key AI ({})", e.code()));
      }
    }
  }
  elements.insert(elements.end(), decoded.elements.begin(), decoded.elements.end());
  std::vector<std::pair<std::string, std::string>> pairs = decoded.pairs;
  std::size_t compressed_count = elements.size();
  VNTRACE_RETURN_IF_ERROR(ReadQuery(parts.query, parts.before_query.size() + 1, elements, pairs));
  for (std::size_t i = compressed_count; i < elements.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (elements[j].ai == elements[i].ai) {
        return core::InvalidArgument(fmt::format(
            "AI ({}) in the query string is also in the compressed data", elements[i].code()));
      }
    }
  }

  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (elements[i].ai->dl_primary_key && (key == nullptr || i == 0)) candidates.push_back(i);
  }
  if (candidates.size() <= 1) return BuildAndValidate(elements, stem, pairs, parts, options);
  std::stable_partition(candidates.begin(), candidates.end(), [&elements](std::size_t i) {
    return HasQualifierAmong(*elements[i].ai, elements);
  });
  std::optional<core::Error> first_error;
  AiElements ordered;
  for (std::size_t c : candidates) {
    ordered.clear();
    ordered.push_back(elements[c]);
    for (std::size_t i = 0; i < elements.size(); ++i) {
      if (i != c) ordered.push_back(elements[i]);
    }
    auto dl = BuildAndValidate(ordered, stem, pairs, parts, options);
    if (dl.ok()) return dl;
    if (!first_error) first_error = std::move(dl).error();
  }
  return std::move(*first_error);
}

}  // namespace

std::string CompressDigitalLink(const DigitalLink& dl, const CompressionOptions& options) {
  std::vector<const AiElement*> pending;
  std::vector<const AiElement*> plain;  // values the format cannot carry: left in the query
  pending.reserve(dl.path.size() + dl.attributes.size());
  for (const AiElements* list : {&dl.path, &dl.attributes}) {
    for (const AiElement& e : *list) {
      if (e.ai == nullptr) continue;
      (Encodable(*e.ai, e.value) ? pending : plain).push_back(&e);
    }
  }
  std::stable_sort(pending.begin(), pending.end(),
                   [](const AiElement* a, const AiElement* b) { return a->code() < b->code(); });
  std::vector<ChosenOptimisation> optimisations;
  if (options.use_optimisations) optimisations = ChooseOptimisations(pending);

  std::string out = dl.stem.empty() ? std::string(kCanonicalStem) : dl.stem;
  while (!out.empty() && out.back() == '/') out.pop_back();
  out.push_back('/');
  BitWriter w(out);
  for (const ChosenOptimisation& opt : optimisations) {
    w.Write(opt.code->code, 8);
    for (std::size_t i = 0; i < opt.code->count; ++i) {
      WriteValue(w, *opt.elements[i]->ai, opt.elements[i]->value);
    }
  }
  for (const AiElement* e : pending) {
    WriteAiCode(w, e->code());
    WriteValue(w, *e->ai, e->value);
  }
  std::vector<const std::pair<std::string, std::string>*> plain_pairs;
  for (const auto& pair : dl.other_params) {
    if (options.compress_other_params && PairCompressible(pair.first, pair.second)) {
      WritePair(w, pair.first, pair.second);
    } else {
      plain_pairs.push_back(&pair);
    }
  }
  w.Finish();

  char separator = '?';
  for (const AiElement* e : plain) {
    out.push_back(separator);
    separator = '&';
    out += e->code();
    out.push_back('=');
    out += PercentEncodeDlValue(e->value);
  }
  for (const auto* pair : plain_pairs) {
    out.push_back(separator);
    separator = '&';
    out += PercentEncodeDlValue(pair->first);
    if (!pair->second.empty()) {
      out.push_back('=');
      out += PercentEncodeDlValue(pair->second);
    }
  }
  if (!dl.fragment.empty()) {
    out.push_back('#');
    out += dl.fragment;
  }
  return out;
}

bool LooksLikeCompressedDigitalLink(std::string_view uri) {
  std::size_t scheme = uri.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view rest = uri.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("?#"));
  std::size_t path_start = rest.find('/');
  if (path_start == std::string_view::npos) return false;
  std::string_view path = rest.substr(path_start);
  std::size_t last_slash = path.rfind('/');
  std::string_view segment = path.substr(last_slash + 1);
  if (segment.empty() || !std::all_of(segment.begin(), segment.end(), IsBase64Char)) {
    return false;
  }
  // A compressed segment starts with an AI digit, or optimisation code A or C, in its first
  // nibble: 'A'..'r' or 'w'..'z'.
  std::int8_t first = kBase64Index[static_cast<unsigned char>(segment.front())];
  if (!(first < 44 || (first >= 48 && first < 52))) return false;
  // ".../<AI>/<value>" is an uncompressed path, whatever the value looks like.
  std::string_view before = path.substr(0, last_slash);
  std::string_view previous = before.substr(before.rfind('/') + 1);
  return !(AllDigits(previous) && !previous.empty() && FindAiCode(previous) != nullptr);
}

core::Result<DigitalLink> DecompressDigitalLink(std::string_view uri,
                                                const DigitalLinkOptions& options) {
  if (uri.size() > kMaxDigitalLinkLength) {
    return core::InvalidArgument(fmt::format(
        "compressed Digital Link URI is longer than {} characters", kMaxDigitalLinkLength));
  }
  for (std::size_t i = 0; i < uri.size(); ++i) {
    auto c = static_cast<unsigned char>(uri[i]);
    if (c <= 0x20 || c >= 0x7F) {
      return core::InvalidArgument(
          fmt::format("character 0x{:02X} at position {} is not allowed in a URI", c, i + 1));
    }
  }
  UriParts parts;
  if (!SplitUri(uri, parts)) {
    return core::InvalidArgument(
        "a Digital Link URI must start with http:// or https:// (all lower or all upper case)");
  }
  std::string_view before_query = parts.before_query;
  std::size_t path_start = before_query.find('/', parts.scheme_length);
  if (path_start == parts.scheme_length) {
    return core::InvalidArgument("compressed Digital Link URI has no host");
  }
  if (path_start == std::string_view::npos) {
    return core::InvalidArgument("compressed Digital Link URI has no path");
  }
  std::size_t last_slash = before_query.rfind('/');
  std::string_view segment = before_query.substr(last_slash + 1);
  if (segment.empty()) {
    return core::InvalidArgument(
        "compressed Digital Link URI has no compressed segment after the last '/'");
  }
  for (std::size_t i = 0; i < segment.size(); ++i) {
    if (!IsBase64Char(segment[i])) {
      return core::InvalidArgument(fmt::format(
          "compressed Digital Link: character '{}' at position {} is not in the base64url "
          "alphabet (A-Z a-z 0-9 - _)",
          segment[i], last_slash + 2 + i));
    }
  }

  Decoded decoded;
  VNTRACE_RETURN_IF_ERROR(DecodeSegment(segment, decoded));

  // A fully compressed segment that holds a primary key is read as such, whatever the stem
  // looks like (a stem may contain AI-like segments, e.g. https://a/8004/X/<segment>).
  // Otherwise a partially compressed URI keeps its primary key uncompressed before the
  // segment.
  std::string_view stem = before_query.substr(0, last_slash);
  auto full = Assemble(nullptr, stem, decoded, parts, options);
  if (full.ok()) return full;
  std::string_view path = stem.substr(path_start);
  std::size_t value_slash = path.rfind('/');
  core::Status key_status;
  if (value_slash != std::string_view::npos && value_slash > 0) {
    std::size_t key_slash = path.rfind('/', value_slash - 1);
    std::string_view key_segment = path.substr(key_slash + 1, value_slash - key_slash - 1);
    std::string_view value_segment = path.substr(value_slash + 1);
    bool found = false;
    AiElement key;
    key_status = ReadUncompressedKey(key_segment, value_segment, options, found, key);
    if (found) {
      auto partial =
          Assemble(&key, stem.substr(0, path_start + key_slash), decoded, parts, options);
      if (partial.ok() || !std::any_of(decoded.elements.begin(), decoded.elements.end(),
                                       [](const AiElement& e) { return e.ai->dl_primary_key; })) {
        return partial;
      }
      return full;
    }
  }
  if (!key_status.ok()) return std::move(key_status).error();
  return full;
}

}  // namespace vntrace::gs1
