// report::SelfAssessment: the TCVN 12850:2019 self-assessment of one organisation, computed
// from the data it keeps in vntrace (not from a questionnaire).
//
// Criteria, in this order (ids are stable; the web app and the printable page key on them):
//   identification    products and lots carry unique codes (GTIN or platform id)
//   cte_recorded      every critical tracking event at its facilities answers who (a
//                     registered facility or an owning party), what (an identifier or quantity),
//                     where (bizLocation or readPoint), when (eventTime) and why (bizStep)
//   one_step_back     the origin of its goods is recorded (harvest/production or receipt) and
//                     every receiving event names its source
//   one_step_forward  shipments are recorded and every shipping event names its destination
//   data_types        master data (facilities, products), transaction data (shipments or
//                     receipts between parties, or business transactions) and event data
//   retention         event data is kept (the age of the oldest record is the evidence)
//   minimum_data      Decree 37/2026 Art. 23.5 minimum fields for every product: name,
//                     producer name and address, origin, at least one lot, and lot dates
// Each criterion counts its evidence and, when failed, names the gap and the page that fixes
// it. The score is the share of criteria passed (0-100, rounded); the organisation passes at
// kSelfAssessmentPassScore.
//
// The events of an organisation are the stored events whose bizLocation or readPoint is one of
// its facilities' location trace codes; events whose error was declared are ignored.
//
// Errors: kPermissionDenied unless registry::CanReadPrivate(actor, org) (the organisation's own
// users and keys, authority officers and inspectors of its area, system_admin); kNotFound for
// an unknown organisation; store errors are passed on.
//
// Thread-safety: stateless functions; the store does its own locking.
//
// Example:
//   report::Context ctx{*db};
//   VNTRACE_ASSIGN_OR_RETURN(report::SelfAssessmentResult r,
//                            report::SelfAssessment(ctx, actor, org_id, clock.Now()));
//   boost::json::object json = report::SelfAssessmentToJson(r);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "core/time.hpp"
#include "registry/actor.hpp"
#include "store/store.hpp"

namespace vntrace::report {

// What the report functions use; the store must outlive the calls.
struct Context {
  store::Store& store;
};

inline constexpr int kSelfAssessmentPassScore = 80;

struct Criterion {
  std::string id{};        // "identification", ...
  std::string title_vi{};  // "Sản phẩm và lô được định danh bằng mã duy nhất"
  std::string title_en{};
  bool passed = false;
  // (name, count) in a fixed order per criterion, e.g. {"products", 3}, {"lots", 5}.
  std::vector<std::pair<std::string, std::int64_t>> evidence{};
  std::string gap_vi{};  // empty when passed
  std::string gap_en{};
  std::string fix_path{};  // the page that fixes the gap ("/app/products"); empty when passed
};

struct SelfAssessmentResult {
  std::string org_id{};
  std::string org_name{};
  core::Timestamp assessed_at{};
  int score = 0;  // 0-100
  bool passed = false;
  std::vector<Criterion> criteria{};
  // Whole days since the oldest record (event, diary entry, product, lot); -1 when none.
  std::int64_t oldest_record_days = -1;
};

// The self-assessment of `org_id` at `now` (see the top of this file).
core::Result<SelfAssessmentResult> SelfAssessment(const Context& ctx, const registry::Actor& actor,
                                                  std::string_view org_id, core::Timestamp now);

// {"org": {"id", "name"}, "assessedAt", "score", "passScore", "passed", "oldestRecordDays",
//  "criteria": [{"id", "title": {"vi", "en"}, "passed", "evidence": {name: count},
//                "gap": {"vi", "en"} | null, "fixPath" | null}],
//  "gaps": [criterion ids not passed]}
boost::json::object SelfAssessmentToJson(const SelfAssessmentResult& result);

}  // namespace vntrace::report
