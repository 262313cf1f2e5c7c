// http::message: the transport-independent request and response that handlers see.
//
// The Beast session (http/server.hpp) turns bytes into a Request and a Response into bytes;
// everything between — routing, authentication, handlers — works on these plain values and
// does no I/O, so handlers are tested without a socket.
//
// Thread-safety: values.
//
// Example:
//   Response Handle(const Request& req, Context& ctx) {
//     std::string_view id = req.PathParam("eventID");
//     ...
//     return Response::Json(200, body);
//   }
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace vntrace::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view MethodName(Method method);

// Case-insensitive header map (names compared ASCII case-insensitively).
struct HeaderLess {
  bool operator()(std::string_view a, std::string_view b) const;
  using is_transparent = void;
};
using Headers = std::map<std::string, std::string, HeaderLess>;
using PathParams = std::map<std::string, std::string, std::less<>>;

struct Request {
  Method method = Method::kGet;
  std::string target;  // as received: path and query, percent-encoded
  std::string path;    // percent-decoded path
  // Query parameters in order, percent-decoded ('+' as space).
  std::vector<std::pair<std::string, std::string>> query;
  Headers headers;
  std::string body;
  std::string remote_address;
  // Filled by the router for patterns such as "/epcis/events/{eventID}"; percent-decoded.
  PathParams path_params;

  // Header value or "" when absent. Repeated header fields arrive joined by ", ".
  std::string_view Header(std::string_view name) const;
  // Path parameter value or "" when the route has no such parameter.
  std::string_view PathParam(std::string_view name) const;
  // First value of a query parameter, if present.
  std::optional<std::string_view> QueryParam(std::string_view name) const;
};

// The transport sets Content-Length, Date, Server and Connection itself and ignores them here; a
// handler may ask for the connection to be closed with "Connection: close". Header fields whose
// name is not an RFC 9110 token or whose value holds CR, LF or NUL are dropped (and logged).
struct Response {
  int status = 200;
  Headers headers;
  // Set-Cookie values, each sent as its own field (a field that may not be folded into one).
  std::vector<std::string> cookies;
  std::string body;

  // Content-Type application/json.
  static Response Json(int status, std::string body);
  static Response Text(int status, std::string body,
                       std::string_view content_type = "text/plain; charset=utf-8");
  // No body and no Content-Type, e.g. 204.
  static Response Empty(int status);
};

// Problem details (RFC 7807). `type` is e.g. "epcisException:ValidationException"; an empty
// type is rendered as "about:blank" (the problem means no more than its HTTP status).
struct Problem {
  std::string type;
  std::string title;
  int status = 500;
  std::string detail;
  std::string instance;
};

// Renders `problem` as application/problem+json: type, title and status always, detail and
// instance when not empty. Text that is not valid UTF-8 is repaired with U+FFFD.
Response ProblemResponse(const Problem& problem);

// The JSON object text of ProblemResponse's body, for problems reported inside another
// resource (a capture job's `errors`).
std::string ProblemJson(const Problem& problem);

// The one table that maps core::Error codes to HTTP status and EPCIS exception type:
//   kInvalidArgument → 400 ValidationException (or `invalid_argument_type` when given, e.g.
//   QueryParameterException), kNotFound → 404 NoSuchResourceException, kAlreadyExists → 409
//   ResourceAlreadyExistsException, kPermissionDenied → 403 SecurityException,
//   kUnauthenticated → 401 SecurityException, kResourceExhausted → 413
//   (CaptureLimitExceededException or QueryTooLargeException per `exhausted_type`),
//   kFailedPrecondition → 409 about:blank (EPCIS names no exception for it), kUnsupported → 501
//   ImplementationException, kUnavailable → 503 ImplementationException, kInternal → 500
//   ImplementationException (detail hidden from the client and logged with core::LogError).
// EPCIS types are rendered with the "epcisException:" prefix. The detail is the error's message,
// followed by " (details)" when it has details.
struct ErrorMapping {
  std::string_view invalid_argument_type = "ValidationException";
  std::string_view exhausted_type = "CaptureLimitExceededException";
};
Response ErrorResponse(const core::Error& error, const ErrorMapping& mapping = {});

// The problem ErrorResponse renders for `error` (and logs, for kInternal).
Problem ProblemOf(const core::Error& error, const ErrorMapping& mapping = {});

}  // namespace vntrace::http
