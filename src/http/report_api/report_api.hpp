// http::report_api: the authority's figures over HTTP (src/report).
//
//   GET /api/v1/report/adoption?province=P[&commune=C]
//       → report::AdoptionToJson: organisations by kind and commune, adoption levels, OCOP
//         products and whether each meets traceability
//   GET /api/v1/orgs/self-assessment?org=ID
//       → report::SelfAssessmentToJson: the TCVN 12850 self-assessment of one organisation
//
// Both require an API key (401 otherwise). A system key acts as system_admin, an
// organisation's key as org_staff of it (registry::ActorForApiKey): it may read its own
// self-assessment and no adoption figures (403). Bad or missing parameters get 400
// problem+json (QueryParameterException); an unknown organisation 404.
//
// Thread-safety: the handlers are safe to call concurrently; the context must outlive the
// router.
//
// Example:
//   http::ReportApiContext reports{store, clock, random, ids};
//   http::RegisterReportApi(router, reports);
#pragma once

#include "core/clock.hpp"
#include "core/random.hpp"
#include "http/router.hpp"
#include "registry/platform_id.hpp"
#include "store/store.hpp"

namespace vntrace::http {

struct ReportApiContext {
  store::Store& store;
  const core::Clock& clock;
  core::Random& random;
  const registry::PlatformIds& ids;
};

void RegisterReportApi(Router& router, ReportApiContext& context);

}  // namespace vntrace::http
