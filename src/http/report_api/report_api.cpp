#include "http/report_api/report_api.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/serialize.hpp>

#include "http/auth.hpp"
#include "registry/accounts.hpp"
#include "report/adoption.hpp"
#include "report/self_assessment.hpp"

namespace vntrace::http {
namespace {

constexpr ErrorMapping kQueryErrors{"QueryParameterException", "QueryTooLargeException"};

// The one value of parameter `name`: not repeated; nullopt when absent or empty.
core::Result<std::optional<std::string>> Param(const Request& request, std::string_view name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : request.query) {
    if (key != name) continue;
    if (found.has_value()) {
      return core::InvalidArgument("the parameter " + std::string(name) + " is given twice");
    }
    found = value;
  }
  if (found.has_value() && found->empty()) found.reset();
  return found;
}

// The actor of the request's API key, or the 401/500 response.
core::Result<registry::Actor> ActorOf(const Request& request, ReportApiContext& ctx) {
  VNTRACE_ASSIGN_OR_RETURN(Principal who, Authenticate(request, ctx.store));
  const registry::Context reg{ctx.store.registry(), ctx.clock, ctx.random, ctx.ids};
  return registry::ActorForApiKey(reg, {.key_id = who.key_id, .org_id = who.org_id});
}

Response Unauthenticated(const core::Error& error) {
  Response response = ErrorResponse(error);
  if (error.code == core::ErrorCode::kUnauthenticated) {
    response.headers["WWW-Authenticate"] = "Bearer realm=\"vntrace\"";
  }
  return response;
}

Response AdoptionHandler(Request& request, ReportApiContext& ctx) {
  core::Result<registry::Actor> actor = ActorOf(request, ctx);
  if (!actor.ok()) return Unauthenticated(actor.error());
  core::Result<std::optional<std::string>> province = Param(request, "province");
  if (!province.ok()) return ErrorResponse(province.error(), kQueryErrors);
  core::Result<std::optional<std::string>> commune = Param(request, "commune");
  if (!commune.ok()) return ErrorResponse(commune.error(), kQueryErrors);
  if (!province->has_value()) {
    return ErrorResponse(core::InvalidArgument("the parameter province is required"), kQueryErrors);
  }
  core::Result<report::AdoptionReport> stats = report::AdoptionStats(
      report::Context{ctx.store}, *actor,
      {.province = **province, .commune = commune->value_or("")}, ctx.clock.Now());
  if (!stats.ok()) return ErrorResponse(stats.error(), kQueryErrors);
  return Response::Json(200, boost::json::serialize(report::AdoptionToJson(*stats)));
}

Response SelfAssessmentHandler(Request& request, ReportApiContext& ctx) {
  core::Result<registry::Actor> actor = ActorOf(request, ctx);
  if (!actor.ok()) return Unauthenticated(actor.error());
  core::Result<std::optional<std::string>> org = Param(request, "org");
  if (!org.ok()) return ErrorResponse(org.error(), kQueryErrors);
  if (!org->has_value()) {
    return ErrorResponse(
        core::InvalidArgument("the parameter org (the organisation's id) is required"),
        kQueryErrors);
  }
  core::Result<report::SelfAssessmentResult> result =
      report::SelfAssessment(report::Context{ctx.store}, *actor, **org, ctx.clock.Now());
  if (!result.ok()) return ErrorResponse(result.error(), kQueryErrors);
  return Response::Json(200, boost::json::serialize(report::SelfAssessmentToJson(*result)));
}

}  // namespace

void RegisterReportApi(Router& router, ReportApiContext& ctx) {
  auto add = [&](std::string_view pattern, Response (*handler)(Request&, ReportApiContext&)) {
    router.Add(Method::kGet, pattern,
               [&ctx, handler](Request& request) { return handler(request, ctx); });
  };
  add("/api/v1/report/adoption", AdoptionHandler);
  add("/api/v1/orgs/self-assessment", SelfAssessmentHandler);
}

}  // namespace vntrace::http
