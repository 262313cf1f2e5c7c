#include "http/message.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstddef>

#include "core/log.hpp"
#include "core/utf8.hpp"

namespace vntrace::http {
namespace {

constexpr std::string_view kEpcisExceptionPrefix = "epcisException:";
constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// `text` with every ill-formed UTF-8 sequence start replaced by U+FFFD, so that the JSON we
// emit is always valid UTF-8 even when a message quotes raw user input.
std::string RepairUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (true) {
    std::optional<std::size_t> bad = core::Utf8ErrorOffset(text);
    if (!bad) {
      out.append(text);
      return out;
    }
    out.append(text.substr(0, *bad));
    out.append(kReplacementCharacter);
    text.remove_prefix(*bad + 1);
  }
}

// One row of the error table.
struct ErrorRow {
  int status;
  std::string_view exception;  // EPCIS exception name, or "" for about:blank
  std::string_view title;
};

ErrorRow LookUpError(core::ErrorCode code, const ErrorMapping& mapping) {
  switch (code) {
    case core::ErrorCode::kInvalidArgument:
      return {400, mapping.invalid_argument_type, "The request is invalid"};
    case core::ErrorCode::kNotFound:
      return {404, "NoSuchResourceException", "Resource not found"};
    case core::ErrorCode::kAlreadyExists:
      return {409, "ResourceAlreadyExistsException",
              "A resource with the provided identifier already exists"};
    case core::ErrorCode::kPermissionDenied:
      return {403, "SecurityException", "Access to resource forbidden"};
    case core::ErrorCode::kUnauthenticated:
      return {401, "SecurityException", "Unauthorised request"};
    case core::ErrorCode::kFailedPrecondition:
      return {409, "", "Conflict with the current state of the resource"};
    case core::ErrorCode::kResourceExhausted:
      return {413, mapping.exhausted_type, "Payload too large"};
    case core::ErrorCode::kUnsupported:
      return {501, "ImplementationException", "Functionality not supported by server"};
    case core::ErrorCode::kUnavailable:
      return {503, "ImplementationException", "Service temporarily unavailable"};
    case core::ErrorCode::kInternal:
      return {500, "ImplementationException", "A server-side error occurred"};
  }
  return {500, "ImplementationException", "A server-side error occurred"};
}

}  // namespace

std::string_view MethodName(Method method) {
  switch (method) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
    case Method::kOptions:
      return "OPTIONS";
    case Method::kOther:
      return "OTHER";
  }
  return "OTHER";
}

bool HeaderLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return AsciiLower(x) < AsciiLower(y); });
}

std::string_view Request::Header(std::string_view name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view Request::PathParam(std::string_view name) const {
  auto it = path_params.find(name);
  return it == path_params.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<std::string_view> Request::QueryParam(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) {
      return std::string_view(value);
    }
  }
  return std::nullopt;
}

Response Response::Json(int status, std::string body) {
  return Text(status, std::move(body), "application/json");
}

Response Response::Text(int status, std::string body, std::string_view content_type) {
  Response response;
  response.status = status;
  response.headers.emplace("Content-Type", content_type);
  response.body = std::move(body);
  return response;
}

Response Response::Empty(int status) {
  Response response;
  response.status = status;
  return response;
}

Response ProblemResponse(const Problem& problem) {
  return Response::Text(problem.status, ProblemJson(problem), "application/problem+json");
}

std::string ProblemJson(const Problem& problem) {
  boost::json::object object;
  object["type"] = problem.type.empty() ? std::string("about:blank") : RepairUtf8(problem.type);
  object["title"] = RepairUtf8(problem.title);
  object["status"] = problem.status;
  if (!problem.detail.empty()) {
    object["detail"] = RepairUtf8(problem.detail);
  }
  if (!problem.instance.empty()) {
    object["instance"] = RepairUtf8(problem.instance);
  }
  return boost::json::serialize(object);
}

Response ErrorResponse(const core::Error& error, const ErrorMapping& mapping) {
  return ProblemResponse(ProblemOf(error, mapping));
}

Problem ProblemOf(const core::Error& error, const ErrorMapping& mapping) {
  const ErrorRow row = LookUpError(error.code, mapping);
  Problem problem;
  if (!row.exception.empty()) {
    problem.type = std::string(kEpcisExceptionPrefix) + std::string(row.exception);
  }
  problem.title = std::string(row.title);
  problem.status = row.status;
  if (error.code == core::ErrorCode::kInternal) {
    core::LogError("internal error", {{"error", error.ToString()}});
  } else {
    problem.detail = error.message;
    if (!error.details.empty()) {
      problem.detail += " (" + error.details + ")";
    }
  }
  return problem;
}

}  // namespace vntrace::http
