#include "core/sha256.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace vntrace::core {
namespace {

struct Vector {
  std::string message;
  std::string_view hex;
};

// FIPS 180-2 appendix B (and the empty message).
TEST(Sha256Test, FipsVectors) {
  const Vector vectors[] = {
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {std::string(1000000, 'a'),
       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
  for (const Vector& v : vectors) {
    EXPECT_EQ(Sha256Hex(v.message), v.hex) << "message of " << v.message.size() << " bytes";
  }
}

TEST(Sha256Test, IncrementalUpdatesMatchOneShot) {
  std::string message;
  for (int i = 0; i < 300; ++i) {
    message.push_back(static_cast<char>('a' + i % 26));
  }
  // Every length around the block and padding boundaries, fed in uneven pieces.
  for (std::size_t length = 0; length <= message.size(); ++length) {
    const std::string_view m(message.data(), length);
    Sha256 h;
    std::size_t pos = 0;
    std::size_t piece = 1;
    while (pos < m.size()) {
      const std::size_t take = std::min(piece, m.size() - pos);
      h.Update(m.substr(pos, take));
      pos += take;
      piece = piece * 3 % 71 + 1;
    }
    std::string hex;
    AppendHex(h.Finish(), hex);
    EXPECT_EQ(hex, Sha256Hex(m)) << "length " << length;
  }
}

TEST(Sha256Test, MillionAFedInChunks) {
  Sha256 h;
  const std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) {
    h.Update(chunk);
  }
  std::string hex;
  AppendHex(h.Finish(), hex);
  EXPECT_EQ(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, ResetStartsOver) {
  Sha256 h;
  h.Update("garbage");
  (void)h.Finish();
  h.Reset();
  h.Update("abc");
  std::string hex;
  AppendHex(h.Finish(), hex);
  EXPECT_EQ(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// Where the CPU has SHA instructions, they and the portable code must agree on every length
// around the block boundaries and on longer messages.
TEST(Sha256Test, CpuExtensionsAgreeWithPortableCode) {
  std::string message;
  std::uint32_t x = 12345;
  for (int i = 0; i < 5000; ++i) {
    x = x * 1103515245u + 12345u;
    message.push_back(static_cast<char>(x >> 24));
  }
  for (std::size_t length = 0; length <= message.size(); length += length < 300 ? 1 : 97) {
    const std::string_view m(message.data(), length);
    EXPECT_EQ(Sha256Digest(m), Sha256DigestPortableForTest(m)) << "length " << length;
  }
  std::string hex;
  AppendHex(Sha256DigestPortableForTest("abc"), hex);
  EXPECT_EQ(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::printf("[          ] SHA-256 uses CPU extensions: %s\n",
              Sha256UsesCpuExtensions() ? "yes" : "no");
}

}  // namespace
}  // namespace vntrace::core
