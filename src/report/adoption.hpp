// report::AdoptionStats: how far the organisations of an area have adopted traceability, and
// whether their OCOP products meet it, computed from live data for the authority dashboard and
// the periodic report.
//
// Figures for the organisations whose address lies in the area (province, optionally one
// commune):
//   - organisations ("cơ sở") in total, by kind and by commune;
//   - adoption levels: a GS1 company prefix registered; QR stamps in use (at least one activated
//     stamp batch); diary kept (a diary entry or an event at its facilities in the last
//     kDiaryWindowDays days); the TCVN 12850 self-assessment passed (self_assessment.hpp);
//     connected to the national portal: the organisation has events, and this deployment
//     delivers events to a national-portal sync destination (store/sync_store.hpp) that is
//     enabled and delivered successfully in the last kPortalWindowHours hours (status
//     "connected"); with such a destination failing or paused, 0 and status "failing"; without
//     one, 0 and status "not_connected";
//   - OCOP products by stars, and for each whether it meets traceability: the product is
//     identified, has at least one lot, its events cover each stage (every lot is named by an
//     event, and a harvest or production event is recorded), and a valid (unexpired)
//     certificate covers it (of the product, or of the whole organisation).
//
// Errors: kInvalidArgument when the area has no province; kPermissionDenied unless the actor is
// system_admin, or an authority officer or inspector whose area contains the requested area;
// store errors are passed on.
//
// Thread-safety: stateless functions; the store does its own locking.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(report::AdoptionReport r,
//       report::AdoptionStats(ctx, officer, {.province = "Quảng Ngãi"}, clock.Now()));
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "core/time.hpp"
#include "registry/actor.hpp"
#include "report/self_assessment.hpp"

namespace vntrace::report {

inline constexpr int kDiaryWindowDays = 90;
inline constexpr int kPortalWindowHours = 24;

struct Area {
  std::string province{};
  std::string commune{};  // empty: the whole province
};

struct AdoptionLevels {
  std::int64_t gs1_prefix = 0;
  std::int64_t qr_stamps = 0;
  std::int64_t diary_kept = 0;
  std::int64_t self_assessment_passed = 0;
  std::int64_t national_portal = 0;
  std::string national_portal_status = "not_connected";  // or "connected", "failing"
};

struct OcopProduct {
  std::string product_id{};
  std::string name{};
  std::string org_id{};
  std::string org_name{};
  int stars = 0;
  bool rating_expired = false;  // the OCOP rating's valid_until has passed
  bool identified = false;
  std::int64_t lots = 0;
  std::int64_t lots_with_events = 0;
  bool production_recorded = false;
  bool events_at_each_stage = false;
  bool valid_certificate = false;
  bool meets_traceability = false;
};

struct AdoptionReport {
  Area area{};
  core::Timestamp generated_at{};
  std::int64_t organisations = 0;
  std::map<std::string, std::int64_t> by_kind{};     // "cooperative" → 3 (registry kind names)
  std::map<std::string, std::int64_t> by_commune{};  // commune name → count ("" when unknown)
  AdoptionLevels levels{};
  std::map<int, std::int64_t> ocop_by_stars{};  // 1..5 → products
  std::int64_t ocop_meeting_traceability = 0;
  std::vector<OcopProduct> ocop_products{};  // by stars (most first), then name
};

core::Result<AdoptionReport> AdoptionStats(const Context& ctx, const registry::Actor& actor,
                                           const Area& area, core::Timestamp now);

// {"area": {"province", "commune"|null}, "generatedAt", "organisations",
//  "byKind": {...}, "byCommune": {...},
//  "adoption": {"gs1Prefix", "qrStamps", "diaryKept", "selfAssessmentPassed",
//               "nationalPortal", "nationalPortalStatus"},
//  "ocop": {"byStars": {"1".."5"}, "meetingTraceability", "products": [...]}}
boost::json::object AdoptionToJson(const AdoptionReport& report);

}  // namespace vntrace::report
