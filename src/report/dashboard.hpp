// report::dashboard: everything the authority dashboard shows for an area and a period —
// the adoption figures (adoption.hpp), the scans of the area's stamps per week, and the alerts:
// stamps whose scans look wrong, certificates that have expired, and the problems consumers
// reported from the scan page (problem_reports.hpp) about the area's producers in the period.
//
// Period: ISO dates `from` and `to` (inclusive, Vietnam time). Without `to`, today; without
// `from`, the 12 weeks ending on `to` (kDefaultWeeks). Weeks start on `from` and run 7 days each
// (the last one may end after `to`); at most kMaxWeeks. The adoption figures are computed as of
// the end of the period (or now, if that is earlier).
//
// Scan alerts: every code scanned in the period that label::Judge would call suspicious (never
// issued, not activated, or scanned from label::kCloneProvinces provinces within
// label::kCloneWindow) or recalled at one of its scans in the period. Scans of stamps count for
// the area of the organisation that issued them; scans of codes never issued count for the
// province they were scanned in (so a commune's dashboard does not show them). A code that is
// not a stamp (no serial AI 21, not a platform stamp URI) and was never issued is not suspicious:
// the resolver records such scans only for known products and lots.
//
// Errors: as AdoptionStats (kInvalidArgument without a province, kPermissionDenied outside the
// actor's area); kInvalidArgument (details "from.format", "to.format", "period.order",
// "period.too_long") for a bad period; store errors are passed on.
//
// Thread-safety: stateless functions; the store does its own locking.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(report::Dashboard d,
//       report::BuildDashboard(ctx, officer, {.province = "Quảng Ngãi"}, {}, clock.Now()));
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "registry/actor.hpp"
#include "report/adoption.hpp"
#include "store/problem_store.hpp"

namespace vntrace::report {

inline constexpr int kDefaultWeeks = 12;
inline constexpr int kMaxWeeks = 106;  // about two years

struct Period {
  std::string from{};  // "YYYY-MM-DD"
  std::string to{};
};

// The period with its defaults applied and checked, and its bounds as timestamps:
// [start, end) = [from 00:00, to + 1 day 00:00) in Vietnam time.
struct ResolvedPeriod {
  std::string from{};
  std::string to{};
  core::Timestamp start{};
  core::Timestamp end{};
  int weeks = 0;
};

core::Result<ResolvedPeriod> ResolvePeriod(const Period& period, core::Timestamp now);

struct WeekCount {
  std::string start{};  // "YYYY-MM-DD", the first day of the week
  std::int64_t scans = 0;
};

struct ScanAlert {
  std::string code{};
  std::string reason{};    // "never_issued", "not_activated", "clone_pattern", "recalled"
  std::int64_t scans = 0;  // in the period
  core::Timestamp last_scan{};
  std::vector<std::string> provinces{};  // for clone_pattern
  std::string org_id{};                  // empty when never issued
  std::string org_name{};
};

struct CertificateAlert {
  std::string org_id{};
  std::string org_name{};
  std::string kind{};
  std::string number{};
  std::string valid_until{};
};

struct Dashboard {
  ResolvedPeriod period{};
  AdoptionReport adoption{};
  std::vector<WeekCount> weeks{};
  std::int64_t scans_in_period = 0;
  std::vector<ScanAlert> scan_alerts{};                  // most recently scanned first
  std::vector<CertificateAlert> expired_certificates{};  // most recently expired first
  bool problem_reports_tracked = true;    // consumers report problems from the scan page
  std::int64_t problem_reports = 0;       // sent in the period about the area's producers
  std::int64_t problem_reports_open = 0;  // of those, not handled yet by the producer
  // The newest kMaxListedProblemReports of them, newest first; org_names by organisation id.
  std::vector<store::ProblemReport> problem_report_list{};
  std::vector<std::pair<std::string, std::string>> problem_org_names{};
};

inline constexpr std::size_t kMaxListedProblemReports = 50;

core::Result<Dashboard> BuildDashboard(const Context& ctx, const registry::Actor& actor,
                                       const Area& area, const Period& period, core::Timestamp now);

// The scans of the area's stamps in each week of the period (after the permission check).
core::Result<std::vector<WeekCount>> WeeklyScans(const Context& ctx, const registry::Actor& actor,
                                                 const Area& area, const ResolvedPeriod& period);

}  // namespace vntrace::report
