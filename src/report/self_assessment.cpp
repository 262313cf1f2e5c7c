#include "report/self_assessment.hpp"

#include <utility>

#include <boost/json/array.hpp>

#include "report/internal/org_data.hpp"

namespace vntrace::report {

core::Result<SelfAssessmentResult> SelfAssessment(const Context& ctx, const registry::Actor& actor,
                                                  std::string_view org_id, core::Timestamp now) {
  VNTRACE_ASSIGN_OR_RETURN(store::Organisation org, ctx.store.registry().GetOrganisation(org_id));
  if (!registry::CanReadPrivate(actor, org)) {
    return core::PermissionDenied(
        "only the organisation's users, the authorities of its area and "
        "system administrators may read its self-assessment");
  }
  VNTRACE_ASSIGN_OR_RETURN(internal::OrgData data, internal::Gather(ctx.store, org));
  return internal::Assess(data, now);
}

boost::json::object SelfAssessmentToJson(const SelfAssessmentResult& result) {
  namespace json = boost::json;
  json::array criteria;
  json::array gaps;
  for (const Criterion& c : result.criteria) {
    json::object evidence;
    for (const auto& [name, count] : c.evidence) {
      evidence[name] = count;
    }
    json::object item{{"id", c.id},
                      {"title", json::object{{"vi", c.title_vi}, {"en", c.title_en}}},
                      {"passed", c.passed},
                      {"evidence", std::move(evidence)}};
    if (c.passed) {
      item["gap"] = nullptr;
      item["fixPath"] = nullptr;
    } else {
      item["gap"] = json::object{{"vi", c.gap_vi}, {"en", c.gap_en}};
      item["fixPath"] = c.fix_path;
      gaps.emplace_back(c.id);
    }
    criteria.emplace_back(std::move(item));
  }
  return json::object{
      {"org", json::object{{"id", result.org_id}, {"name", result.org_name}}},
      {"assessedAt", core::FormatRfc3339(result.assessed_at)},
      {"score", result.score},
      {"passScore", kSelfAssessmentPassScore},
      {"passed", result.passed},
      {"oldestRecordDays", result.oldest_record_days},
      {"criteria", std::move(criteria)},
      {"gaps", std::move(gaps)},
  };
}

}  // namespace vntrace::report
