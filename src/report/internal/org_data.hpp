// Private to src/report: everything one organisation keeps, read once from the store, and the
// self-assessment computed from it (no permission checks here).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "epcis/event.hpp"
#include "report/self_assessment.hpp"
#include "store/store.hpp"

namespace vntrace::report::internal {

struct LotData {
  store::Lot lot{};
  std::int64_t events = 0;           // non-erroneous events naming the lot (any organisation)
  bool production_recorded = false;  // one of them is a commissioning or production event
};

struct ProductData {
  store::Product product{};
  std::vector<LotData> lots{};
};

struct OrgData {
  store::Organisation org{};
  std::vector<store::Facility> facilities{};
  std::vector<ProductData> products{};
  std::vector<store::Certificate> certificates{};
  std::vector<store::DiaryEntry> diary{};
  std::vector<epcis::Event> events{};  // at its facilities, without declared errors, by eventTime
  std::int64_t active_stamp_batches = 0;
};

core::Result<OrgData> Gather(store::Store& store, const store::Organisation& org);

SelfAssessmentResult Assess(const OrgData& data, core::Timestamp now);

// "YYYY-MM-DD" of `t` in Vietnam time (UTC+7).
std::string VietnamDate(core::Timestamp t);
// True when the ISO date `valid_until` is empty (open-ended) or not before `today`.
bool StillValid(const std::string& valid_until, const std::string& today);

}  // namespace vntrace::report::internal
