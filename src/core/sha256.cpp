#include "core/sha256.hpp"

#include <algorithm>
#include <cstring>

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define VNTRACE_SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define VNTRACE_SHA256_X86 0
#endif

namespace vntrace::core {
namespace {

constexpr std::array<std::uint32_t, 64> kRoundConstants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

constexpr std::array<std::uint32_t, 8> kInitialState = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

inline std::uint32_t RotateRight(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

inline std::uint32_t LoadBigEndian32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

// Processes `blocks` consecutive 64-byte blocks starting at `data`, in portable C++.
void CompressBlocksPortable(std::array<std::uint32_t, 8>& state, const std::uint8_t* data,
                            std::size_t blocks) {
  std::uint32_t w[64];
  for (; blocks > 0; --blocks, data += Sha256::kBlockSize) {
    for (int i = 0; i < 16; ++i) {
      w[i] = LoadBigEndian32(data + 4 * i);
    }
    for (int i = 16; i < 64; ++i) {
      const std::uint32_t s0 =
          RotateRight(w[i - 15], 7) ^ RotateRight(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const std::uint32_t s1 =
          RotateRight(w[i - 2], 17) ^ RotateRight(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = state[0];
    std::uint32_t b = state[1];
    std::uint32_t c = state[2];
    std::uint32_t d = state[3];
    std::uint32_t e = state[4];
    std::uint32_t f = state[5];
    std::uint32_t g = state[6];
    std::uint32_t h = state[7];
    for (int i = 0; i < 64; ++i) {
      const std::uint32_t s1 = RotateRight(e, 6) ^ RotateRight(e, 11) ^ RotateRight(e, 25);
      const std::uint32_t ch = (e & f) ^ (~e & g);
      const std::uint32_t t1 = h + s1 + ch + kRoundConstants[i] + w[i];
      const std::uint32_t s0 = RotateRight(a, 2) ^ RotateRight(a, 13) ^ RotateRight(a, 22);
      const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
      const std::uint32_t t2 = s0 + maj;
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
  }
}

#if VNTRACE_SHA256_X86
// The same with the x86 SHA extensions (Intel SHA-NI, AMD Zen and later): about six times
// faster. The state is kept as the two vectors the instructions want, ABEF and CDGH.
__attribute__((target("sha,sse4.1,ssse3"))) void CompressBlocksShaNi(
    std::array<std::uint32_t, 8>& state, const std::uint8_t* data, std::size_t blocks) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[0]));
  __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[4]));
  const __m128i cdab = _mm_shuffle_epi32(dcba, 0xb1);
  const __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1b);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xf0);
  for (; blocks > 0; --blocks, data += Sha256::kBlockSize) {
    const __m128i abef_saved = abef;
    const __m128i cdgh_saved = cdgh;
    // w[g] holds the message schedule words of rounds 4g..4g+3.
    __m128i w[16];
    for (int g = 0; g < 16; ++g) {
      if (g < 4) {
        w[g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * g)),
                                byte_swap);
      } else {
        const __m128i partial = _mm_add_epi32(_mm_sha256msg1_epu32(w[g - 4], w[g - 3]),
                                              _mm_alignr_epi8(w[g - 1], w[g - 2], 4));
        w[g] = _mm_sha256msg2_epu32(partial, w[g - 1]);
      }
      __m128i k_plus_w = _mm_add_epi32(
          w[g], _mm_loadu_si128(reinterpret_cast<const __m128i*>(&kRoundConstants[4 * g])));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, k_plus_w);
      k_plus_w = _mm_shuffle_epi32(k_plus_w, 0x0e);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, k_plus_w);
    }
    abef = _mm_add_epi32(abef, abef_saved);
    cdgh = _mm_add_epi32(cdgh, cdgh_saved);
  }
  const __m128i feba = _mm_shuffle_epi32(abef, 0x1b);
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);
  dcba = _mm_blend_epi16(feba, dchg, 0xf0);
  hgfe = _mm_alignr_epi8(dchg, feba, 8);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[0]), dcba);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[4]), hgfe);
}

bool CpuHasShaExtensions() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool ssse3 = (ecx & (1u << 9)) != 0;
  const bool sse41 = (ecx & (1u << 19)) != 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool sha = (ebx & (1u << 29)) != 0;
  return ssse3 && sse41 && sha;
}
#endif

using CompressFunction = void (*)(std::array<std::uint32_t, 8>&, const std::uint8_t*, std::size_t);

CompressFunction ChooseCompress() {
#if VNTRACE_SHA256_X86
  if (CpuHasShaExtensions()) return CompressBlocksShaNi;
#endif
  return CompressBlocksPortable;
}

// Chosen once, at the first use.
void CompressBlocks(std::array<std::uint32_t, 8>& state, const std::uint8_t* data,
                    std::size_t blocks) {
  static const CompressFunction compress = ChooseCompress();
  compress(state, data, blocks);
}

}  // namespace

bool Sha256UsesCpuExtensions() {
#if VNTRACE_SHA256_X86
  static const bool uses = CpuHasShaExtensions();
  return uses;
#else
  return false;
#endif
}

Sha256::Digest Sha256DigestPortableForTest(std::string_view data) {
  // Runs the padding of Sha256 with the portable block function.
  Sha256 h;
  h.portable_ = true;
  h.Update(data);
  return h.Finish();
}

Sha256::Sha256() : state_(kInitialState), buffer_{} {}

void Sha256::Compress(std::array<std::uint32_t, 8>& state, const std::uint8_t* data,
                      std::size_t blocks) const {
  if (portable_) {
    CompressBlocksPortable(state, data, blocks);
  } else {
    CompressBlocks(state, data, blocks);
  }
}

void Sha256::Reset() {
  state_ = kInitialState;
  buffered_ = 0;
  length_ = 0;
}

void Sha256::Update(std::string_view data) { Update(data.data(), data.size()); }

void Sha256::Update(const void* data, std::size_t size) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  length_ += size;
  if (buffered_ > 0) {
    const std::size_t take = std::min(size, kBlockSize - buffered_);
    std::memcpy(buffer_.data() + buffered_, p, take);
    buffered_ += take;
    p += take;
    size -= take;
    if (buffered_ < kBlockSize) return;
    Compress(state_, buffer_.data(), 1);
    buffered_ = 0;
  }
  const std::size_t blocks = size / kBlockSize;
  if (blocks > 0) {
    Compress(state_, p, blocks);
    p += blocks * kBlockSize;
    size -= blocks * kBlockSize;
  }
  if (size > 0) {
    std::memcpy(buffer_.data(), p, size);
    buffered_ = size;
  }
}

Sha256::Digest Sha256::Finish() {
  const std::uint64_t bit_length = length_ * 8;
  buffer_[buffered_++] = 0x80;
  if (buffered_ > kBlockSize - 8) {
    std::memset(buffer_.data() + buffered_, 0, kBlockSize - buffered_);
    Compress(state_, buffer_.data(), 1);
    buffered_ = 0;
  }
  std::memset(buffer_.data() + buffered_, 0, kBlockSize - 8 - buffered_);
  for (int i = 0; i < 8; ++i) {
    buffer_[kBlockSize - 1 - i] = static_cast<std::uint8_t>(bit_length >> (8 * i));
  }
  Compress(state_, buffer_.data(), 1);
  buffered_ = 0;
  Digest digest;
  for (int i = 0; i < 8; ++i) {
    digest[4 * i] = static_cast<std::uint8_t>(state_[i] >> 24);
    digest[4 * i + 1] = static_cast<std::uint8_t>(state_[i] >> 16);
    digest[4 * i + 2] = static_cast<std::uint8_t>(state_[i] >> 8);
    digest[4 * i + 3] = static_cast<std::uint8_t>(state_[i]);
  }
  return digest;
}

Sha256::Digest Sha256Digest(std::string_view data) {
  Sha256 h;
  h.Update(data);
  return h.Finish();
}

void AppendHex(const Sha256::Digest& digest, std::string& out) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  const std::size_t start = out.size();
  out.resize(start + 2 * digest.size());
  char* p = out.data() + start;
  for (std::uint8_t byte : digest) {
    *p++ = kHexDigits[byte >> 4];
    *p++ = kHexDigits[byte & 0x0f];
  }
}

std::string Sha256Hex(std::string_view data) {
  std::string out;
  AppendHex(Sha256Digest(data), out);
  return out;
}

}  // namespace vntrace::core
