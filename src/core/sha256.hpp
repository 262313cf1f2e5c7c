// core::Sha256: the SHA-256 message digest (FIPS 180-4), for content hashes such as the CBV 2.0
// event hash ID.
//
// A small, dependency-free implementation that uses the x86 SHA extensions when the CPU has
// them (checked once, at run time) and portable C++ otherwise. Feed bytes with Update() any number
// of times, then call Finish() once. Sha256Digest() and Sha256Hex() hash one buffer in a single
// call.
//
// Thread-safety: a Sha256 object is a value with mutable state; use one per thread. The free
// functions are pure and safe from any thread.
//
// Example:
//   core::Sha256Hex("abc");
//   // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
//   core::Sha256 h;
//   h.Update("ab");
//   h.Update("c");
//   core::Sha256::Digest d = h.Finish();  // the same 32 bytes
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vntrace::core {

class Sha256 {
 public:
  static constexpr std::size_t kDigestSize = 32;
  static constexpr std::size_t kBlockSize = 64;
  using Digest = std::array<std::uint8_t, kDigestSize>;

  Sha256();

  // Appends `data` to the message.
  void Update(std::string_view data);
  void Update(const void* data, std::size_t size);

  // Pads the message and returns its digest. The object must not be used afterwards except by
  // Reset().
  Digest Finish();

  // Starts a new, empty message.
  void Reset();

 private:
  friend Digest Sha256DigestPortableForTest(std::string_view data);

  void Compress(std::array<std::uint32_t, 8>& state, const std::uint8_t* data,
                std::size_t blocks) const;

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, kBlockSize> buffer_;
  std::size_t buffered_ = 0;  // bytes waiting in buffer_
  std::uint64_t length_ = 0;  // message length so far, in bytes
  bool portable_ = false;     // never use the CPU's SHA instructions (tests only)
};

// The digest of `data`.
Sha256::Digest Sha256Digest(std::string_view data);

// The digest of `data` as 64 lowercase hexadecimal digits.
std::string Sha256Hex(std::string_view data);

// Whether this CPU's SHA instructions (x86 SHA extensions) do the work; otherwise portable C++.
bool Sha256UsesCpuExtensions();

// The digest computed by the portable code even where the CPU has SHA instructions, to test
// one against the other.
Sha256::Digest Sha256DigestPortableForTest(std::string_view data);

// Appends the 64 lowercase hexadecimal digits of `digest` to `out`.
void AppendHex(const Sha256::Digest& digest, std::string& out);

}  // namespace vntrace::core
