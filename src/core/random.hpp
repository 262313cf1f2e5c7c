// core::Random: the injectable source of random bytes.
//
// Code that makes serial numbers, stamp codes, tokens or salts takes a `Random&` instead of
// calling an RNG itself, so that tests are deterministic with FakeRandom. Only the composition
// root (cli/) creates a SystemRandom, the one source fit for secrets.
//
// Thread-safety: every Random here is safe to use from many threads at once.
//
// Example:
//   core::FakeRandom random(42);  // the same sequence on every run
//   std::array<std::byte, 16> token;
//   random.Fill(token);
//   std::uint64_t digit = random.UniformBelow(10);  // 0-9, unbiased
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>

namespace vntrace::core {

// A source of uniformly distributed random bytes.
// Thread-safety: implementations must be thread-safe.
class Random {
 public:
  virtual ~Random() = default;
  Random(const Random&) = delete;
  Random& operator=(const Random&) = delete;

  // Fills `out` with random bytes. Never fails: an implementation that cannot produce
  // randomness terminates the process with a message rather than return weak bytes.
  virtual void Fill(std::span<std::byte> out) = 0;

  // Eight bytes from Fill(), read little-endian.
  std::uint64_t Uint64();

  // A uniform value in [0, bound), without modulo bias. `bound` must be positive (zero is a
  // programmer error and aborts).
  std::uint64_t UniformBelow(std::uint64_t bound);

  // `bytes` random bytes as 2*bytes lower-case hex digits (identifiers such as API key ids).
  std::string Hex(std::size_t bytes);

 protected:
  Random() = default;
};

// The kernel's CSPRNG through getrandom(2), blocking only until the kernel's pool is first
// initialised at boot. Suitable for secrets (tokens, keys, salts).
// Thread-safety: stateless, thread-safe.
class SystemRandom final : public Random {
 public:
  SystemRandom() = default;

  // Terminates the process if getrandom(2) fails (it cannot on Linux 3.17 or later).
  void Fill(std::span<std::byte> out) override;
};

// A deterministic generator for tests: splitmix64 from `seed`. Fill() takes one splitmix64
// output per started block of 8 bytes, written little-endian, and drops the unused bytes of a
// last partial block, so Uint64() returns exactly the splitmix64 sequence. Never for secrets.
// Thread-safety: thread-safe (a mutex guards the state).
class FakeRandom final : public Random {
 public:
  explicit FakeRandom(std::uint64_t seed);

  void Fill(std::span<std::byte> out) override;

 private:
  std::uint64_t Next();  // REQUIRES(mu_)

  std::mutex mu_;
  std::uint64_t state_;  // GUARDED_BY(mu_)
};

}  // namespace vntrace::core
