// store::FaultInjection: a test hook that makes a backend fail at chosen points of a write, as
// if the database had failed there, to check that a failed capture leaves nothing behind.
//
// A backend consults the hook (when StoreOptions::fault_injection_for_test is set) before each
// event row, each index row and the commit of a capture; an error returned by the hook is
// returned by the capture after rolling back. Production code never sets it.
//
// Thread-safety: FailAt is safe to use from several threads at once.
//
// Example:
//   store::FailAt fault(store::FaultPoint::kEventInsert, 2);  // the second event row fails
//   auto db = store::OpenStore({.location = path, .fault_injection_for_test = &fault});
//   EXPECT_FALSE((*db)->CaptureEvents(events).ok());          // and nothing is stored
#pragma once

#include <atomic>
#include <cstdint>

#include "core/result.hpp"

namespace vntrace::store {

enum class FaultPoint {
  kEventInsert,  // before storing one event row
  kIndexInsert,  // before storing one index row
  kCommit,       // before committing a capture
};

class FaultInjection {
 public:
  virtual ~FaultInjection() = default;
  FaultInjection(const FaultInjection&) = delete;
  FaultInjection& operator=(const FaultInjection&) = delete;

  // OK to carry on; an error to fail the operation at `point` with that error.
  virtual core::Status Check(FaultPoint point) = 0;

 protected:
  FaultInjection() = default;
};

// Fails the `nth` (1-based) check of `point` with kInternal, once; every other check passes.
class FailAt final : public FaultInjection {
 public:
  FailAt(FaultPoint point, std::int64_t nth) : point_(point), countdown_(nth) {}

  core::Status Check(FaultPoint point) override {
    if (point == point_ && countdown_.fetch_sub(1) == 1) {
      return core::Internal("injected fault");
    }
    return core::Ok();
  }

 private:
  const FaultPoint point_;
  std::atomic<std::int64_t> countdown_;
};

}  // namespace vntrace::store
