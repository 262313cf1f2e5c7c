#include "core/random.hpp"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>
#include <vector>

#include "core/result.hpp"

namespace vntrace::core {

std::uint64_t Random::Uint64() {
  std::array<std::byte, 8> bytes;
  Fill(bytes);
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) {
    value = (value << 8) | std::to_integer<std::uint64_t>(bytes[i]);
  }
  return value;
}

std::uint64_t Random::UniformBelow(std::uint64_t bound) {
  VNTRACE_ASSERT(bound > 0);  // an empty range has no value to return
  // Values below `threshold` (2^64 mod bound) would make the low residues more likely.
  const std::uint64_t threshold = (0 - bound) % bound;
  while (true) {
    const std::uint64_t value = Uint64();
    if (value >= threshold) {
      return value % bound;
    }
  }
}

void SystemRandom::Fill(std::span<std::byte> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      const std::string reason = std::generic_category().message(errno);
      std::fprintf(stderr, "vntrace: getrandom(2) failed: %s\n", reason.c_str());
      std::abort();
    }
    done += static_cast<std::size_t>(n);
  }
}

FakeRandom::FakeRandom(std::uint64_t seed) : state_(seed) {}

std::uint64_t FakeRandom::Next() {
  state_ += 0x9e3779b97f4a7c15;
  std::uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

void FakeRandom::Fill(std::span<std::byte> out) {
  std::lock_guard<std::mutex> lock(mu_);
  for (std::size_t block = 0; block < out.size(); block += 8) {
    std::uint64_t value = Next();
    const std::size_t end = std::min(out.size(), block + 8);
    for (std::size_t i = block; i < end; ++i) {
      out[i] = static_cast<std::byte>(value & 0xff);
      value >>= 8;
    }
  }
}

std::string Random::Hex(std::size_t bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::vector<std::byte> raw(bytes);
  Fill(raw);
  std::string out;
  out.reserve(2 * bytes);
  for (std::byte b : raw) {
    auto v = std::to_integer<unsigned>(b);
    out.push_back(kDigits[v >> 4]);
    out.push_back(kDigits[v & 15]);
  }
  return out;
}

}  // namespace vntrace::core
