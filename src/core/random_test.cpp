#include "core/random.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <set>
#include <thread>
#include <vector>

namespace vntrace::core {
namespace {

TEST(FakeRandomTest, IsSplitMix64) {
  // Reference outputs of splitmix64 (Vigna's splitmix64.c) seeded with 1234567.
  FakeRandom random(1234567);
  EXPECT_EQ(random.Uint64(), 6457827717110365317ULL);
  EXPECT_EQ(random.Uint64(), 3203168211198807973ULL);
  EXPECT_EQ(random.Uint64(), 9817491932198370423ULL);
  EXPECT_EQ(random.Uint64(), 4593380528125082431ULL);
  EXPECT_EQ(random.Uint64(), 16408922859458223821ULL);
}

TEST(FakeRandomTest, SameSeedSameBytes) {
  FakeRandom a(42);
  FakeRandom b(42);
  FakeRandom c(43);
  std::array<std::byte, 37> bytes_a;
  std::array<std::byte, 37> bytes_b;
  std::array<std::byte, 37> bytes_c;
  a.Fill(bytes_a);
  b.Fill(bytes_b);
  c.Fill(bytes_c);
  EXPECT_EQ(bytes_a, bytes_b);
  EXPECT_NE(bytes_a, bytes_c);
}

TEST(FakeRandomTest, FillUsesOneOutputPerStartedBlockLittleEndian) {
  FakeRandom reference(7);
  const std::uint64_t first = reference.Uint64();
  const std::uint64_t second = reference.Uint64();
  const std::uint64_t third = reference.Uint64();

  FakeRandom random(7);
  std::array<std::byte, 11> bytes;
  random.Fill(bytes);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(std::to_integer<std::uint64_t>(bytes[i]), (first >> (8 * i)) & 0xff) << i;
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(std::to_integer<std::uint64_t>(bytes[8 + i]), (second >> (8 * i)) & 0xff) << i;
  }
  // The five unused bytes of `second` are dropped.
  EXPECT_EQ(random.Uint64(), third);
}

TEST(FakeRandomTest, EmptyFillConsumesNothing) {
  FakeRandom a(1);
  FakeRandom b(1);
  a.Fill({});
  EXPECT_EQ(a.Uint64(), b.Uint64());
}

TEST(RandomTest, UniformBelowStaysInRangeAndCoversIt) {
  FakeRandom random(99);
  std::array<int, 10> counts{};
  for (int i = 0; i < 10'000; ++i) {
    const std::uint64_t digit = random.UniformBelow(10);
    ASSERT_LT(digit, 10u);
    ++counts[digit];
  }
  for (int count : counts) {
    EXPECT_GT(count, 850);  // expected 1000 each; a loose bound that never flakes for seed 99
    EXPECT_LT(count, 1150);
  }
  EXPECT_EQ(random.UniformBelow(1), 0u);
  const std::uint64_t big = (std::uint64_t{1} << 63) + 1;  // rejects almost half the values
  for (int i = 0; i < 100; ++i) {
    EXPECT_LT(random.UniformBelow(big), big);
  }
}

TEST(RandomDeathTest, UniformBelowZeroAborts) {
  FakeRandom random(1);
  EXPECT_DEATH(random.UniformBelow(0), "assertion failed");
}

TEST(SystemRandomTest, FillsLargeAndSmallBuffers) {
  SystemRandom random;
  std::vector<std::byte> large(1 << 20);  // getrandom(2) only promises 256 bytes per call
  random.Fill(large);
  // A megabyte of zeros from a CSPRNG is not going to happen.
  EXPECT_TRUE(
      std::any_of(large.begin(), large.end(), [](std::byte b) { return b != std::byte{0}; }));
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 100; ++i) {
    seen.insert(random.Uint64());
  }
  EXPECT_EQ(seen.size(), 100u);
  random.Fill({});
}

TEST(SystemRandomTest, IsThreadSafe) {
  SystemRandom random;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&random] {
      for (int j = 0; j < 1000; ++j) {
        (void)random.Uint64();
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
}

TEST(RandomTest, HexIsTwoLowerCaseDigitsPerByte) {
  FakeRandom a(7);
  FakeRandom b(7);
  std::string hex = a.Hex(16);
  ASSERT_EQ(hex.size(), 32u);
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(b.Hex(16), hex);
  EXPECT_NE(a.Hex(16), hex);
}

}  // namespace
}  // namespace vntrace::core
