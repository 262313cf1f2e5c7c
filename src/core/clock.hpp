// core::Clock: the injectable source of the current time.
//
// Code that stamps records (recordTime, audit entries, session expiry) takes a `const Clock&`
// instead of reading the system clock, so that tests can fix and move time with FakeClock.
// Only the composition root (cli/) creates a SystemClock.
//
// Thread-safety: every Clock here is safe to use from many threads at once.
//
// Example:
//   core::FakeClock clock(core::Timestamp::FromUnixSeconds(1'700'000'000));
//   const core::Clock& injected = clock;  // what the code under test holds
//   core::Timestamp issued = injected.Now();
//   clock.Advance(std::chrono::hours(2));
//   EXPECT_EQ(injected.Now(), issued.Plus(std::chrono::hours(2)));
#pragma once

#include <chrono>
#include <mutex>

#include "core/time.hpp"

namespace vntrace::core {

// The current time. Implementations return UTC timestamps (offset 0) unless they say otherwise.
// Thread-safety: implementations must be thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;

  virtual Timestamp Now() const = 0;

 protected:
  Clock() = default;
};

// std::chrono::system_clock, in UTC with nanosecond resolution. Not monotonic: it follows the
// host's wall clock, including steps made by NTP or an operator.
// Thread-safety: stateless, thread-safe.
class SystemClock final : public Clock {
 public:
  SystemClock() = default;

  Timestamp Now() const override;
};

// A clock that stands still until told to move, for tests.
// Thread-safety: thread-safe (a mutex guards the current time).
class FakeClock final : public Clock {
 public:
  // Starts at `start`, the Unix epoch by default.
  explicit FakeClock(Timestamp start = Timestamp());

  Timestamp Now() const override;

  // Sets the time Now() returns, offset included. Time may go backwards.
  void Set(Timestamp now);
  // Moves the time by `delta` (which may be negative), keeping its offset. Leaving the
  // representable range aborts (see Timestamp::Plus).
  void Advance(std::chrono::nanoseconds delta);

 private:
  mutable std::mutex mu_;
  Timestamp now_;  // GUARDED_BY(mu_)
};

}  // namespace vntrace::core
