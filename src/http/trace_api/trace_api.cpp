#include "http/trace_api/trace_api.hpp"

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/serialize.hpp>

#include "http/auth.hpp"
#include "trace/graph.hpp"
#include "trace/recall.hpp"

namespace vntrace::http {
namespace {

constexpr ErrorMapping kQueryErrors{"QueryParameterException", "QueryTooLargeException"};
constexpr int kMaxDepth = 1000;

Response BadParameter(std::string detail) {
  return ErrorResponse(core::InvalidArgument(std::move(detail)), kQueryErrors);
}

// The one identifier parameter `name`: required, not repeated, not empty.
core::Result<std::string> IdentifierParam(const Request& request, std::string_view name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : request.query) {
    if (key != name) continue;
    if (found.has_value()) {
      return core::InvalidArgument("the parameter " + std::string(name) + " is given twice");
    }
    found = value;
  }
  if (!found.has_value() || found->empty()) {
    return core::InvalidArgument("the parameter " + std::string(name) +
                                 " (the URI of a lot, item, container or location) is required");
  }
  return *found;
}

Response TraceHandler(Request& request, TraceApiContext& ctx) {
  core::Result<std::string> id = IdentifierParam(request, "id");
  if (!id.ok()) return ErrorResponse(id.error(), kQueryErrors);
  trace::TraceOptions options;
  if (std::optional<std::string_view> direction = request.QueryParam("direction")) {
    core::Result<trace::Direction> parsed = trace::ParseDirection(*direction);
    if (!parsed.ok()) return ErrorResponse(parsed.error(), kQueryErrors);
    options.direction = *parsed;
  }
  if (std::optional<std::string_view> depth = request.QueryParam("depth")) {
    int value = -1;
    auto [end, ec] = std::from_chars(depth->data(), depth->data() + depth->size(), value);
    if (ec != std::errc() || end != depth->data() + depth->size() || value < 0 ||
        value > kMaxDepth) {
      return BadParameter("depth must be a whole number from 0 to " + std::to_string(kMaxDepth) +
                          ", not \"" + std::string(*depth) + "\"");
    }
    options.depth = value;
  }
  core::Result<trace::TraceResult> result = trace::Trace(ctx.store, *id, options);
  if (!result.ok()) return ErrorResponse(result.error(), kQueryErrors);
  return Response::Json(200,
                        boost::json::serialize(trace::TraceToJson(*result, options.direction)));
}

Response RecallHandler(Request& request, TraceApiContext& ctx) {
  core::Result<std::string> lot = IdentifierParam(request, "lot");
  if (!lot.ok()) return ErrorResponse(lot.error(), kQueryErrors);
  const std::string_view format = request.QueryParam("format").value_or("json");
  const std::string_view lang = request.QueryParam("lang").value_or("vi");
  if (format != "json" && format != "csv" && format != "html") {
    return BadParameter("format must be json, csv or html, not \"" + std::string(format) + "\"");
  }
  if (lang != "vi" && lang != "en") {
    return BadParameter("lang must be vi or en, not \"" + std::string(lang) + "\"");
  }
  core::Result<trace::RecallReport> report = trace::BuildRecall(ctx.store, *lot, ctx.clock.Now());
  if (!report.ok()) return ErrorResponse(report.error(), kQueryErrors);
  if (format == "csv") {
    Response response = Response::Text(200, trace::RecallCsv(*report), "text/csv; charset=utf-8");
    response.headers["Content-Disposition"] = "attachment; filename=\"recall.csv\"";
    return response;
  }
  if (format == "html") {
    return Response::Text(200,
                          trace::RecallHtml(*report, lang == "en" ? trace::Language::kEnglish
                                                                  : trace::Language::kVietnamese),
                          "text/html; charset=utf-8");
  }
  return Response::Json(200, boost::json::serialize(trace::RecallToJson(*report)));
}

}  // namespace

void RegisterTraceApi(Router& router, TraceApiContext& ctx) {
  auto add = [&](std::string_view pattern, Response (*handler)(Request&, TraceApiContext&)) {
    Handler bound = [&ctx, handler](Request& request) { return handler(request, ctx); };
    router.Add(Method::kGet, pattern,
               ctx.require_api_key ? RequireApiKey(ctx.store, std::move(bound)) : bound);
  };
  add("/api/v1/trace", TraceHandler);
  add("/api/v1/recall", RecallHandler);
}

}  // namespace vntrace::http
