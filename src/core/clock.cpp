#include "core/clock.hpp"

namespace vntrace::core {

Timestamp SystemClock::Now() const {
  return Timestamp::FromSysTime(
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()));
}

FakeClock::FakeClock(Timestamp start) : now_(start) {}

Timestamp FakeClock::Now() const {
  std::lock_guard<std::mutex> lock(mu_);
  return now_;
}

void FakeClock::Set(Timestamp now) {
  std::lock_guard<std::mutex> lock(mu_);
  now_ = now;
}

void FakeClock::Advance(std::chrono::nanoseconds delta) {
  std::lock_guard<std::mutex> lock(mu_);
  now_ = now_.Plus(delta);
}

}  // namespace vntrace::core
