#include "core/clock.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace vntrace::core {
namespace {

TEST(SystemClockTest, IsCloseToTheSystemTimeInUtc) {
  const SystemClock clock;
  const auto before = std::chrono::system_clock::now();
  const Timestamp now = clock.Now();
  const auto after = std::chrono::system_clock::now();
  EXPECT_EQ(now.utc_offset_minutes(), 0);
  EXPECT_GE(now.ToSysTime(), before);
  EXPECT_LE(now.ToSysTime(), after);
  // Sanity: after 2024-01-01.
  EXPECT_GT(now.unix_nanos(), Timestamp::FromUnixSeconds(1'704'067'200).unix_nanos());
}

TEST(FakeClockTest, StandsStillUntilMoved) {
  FakeClock clock(Timestamp::FromUnixSeconds(1'700'000'000));
  const Clock& injected = clock;
  EXPECT_EQ(injected.Now(), Timestamp::FromUnixSeconds(1'700'000'000));
  EXPECT_EQ(injected.Now(), injected.Now());

  clock.Advance(std::chrono::hours(2));
  EXPECT_EQ(injected.Now(), Timestamp::FromUnixSeconds(1'700'007'200));
  clock.Advance(std::chrono::nanoseconds(-1));
  EXPECT_EQ(injected.Now().unix_nanos(), 1'700'007'200'000'000'000 - 1);

  clock.Set(Timestamp::FromUnixNanos(5, 420));
  EXPECT_EQ(injected.Now(), Timestamp::FromUnixNanos(5, 420));
  clock.Advance(std::chrono::seconds(1));
  EXPECT_EQ(injected.Now(), Timestamp::FromUnixNanos(1'000'000'005, 420));
}

TEST(FakeClockTest, DefaultsToTheEpoch) {
  const FakeClock clock;
  EXPECT_EQ(clock.Now(), Timestamp());
}

TEST(FakeClockTest, IsThreadSafe) {
  FakeClock clock;
  constexpr int kThreads = 4;
  constexpr int kSteps = 1000;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&clock] {
      for (int step = 0; step < kSteps; ++step) {
        clock.Advance(std::chrono::nanoseconds(1));
        (void)clock.Now();
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(clock.Now().unix_nanos(), kThreads * kSteps);
}

}  // namespace
}  // namespace vntrace::core
