// http::router: maps (method, path pattern) to handlers; patterns have named segments
// ("/epcis/events/{eventID}") and an optional trailing wildcard ("/r/{rest...}").
//
// Matching splits the path of `Request::target` at '/' and then percent-decodes each segment,
// so "%2F" stays inside its segment: "/events/ni%3A%2F%2F%2Fsha-256%3Bx" gives
// {eventID} = "ni:///sha-256;x". (A Request without a target, as built in tests, is matched on
// its `path` as is.) Empty segments count, so "/a/" and "/a" differ. A named segment matches one
// whole, non-empty segment; `{rest...}` matches everything after its '/' (possibly nothing:
// "/r/" gives rest ""), the decoded segments joined back with '/'. When several patterns
// match, the most specific wins whatever the order of Add: at the first segment where they
// differ, a literal beats a named segment, which beats the wildcard.
//
// Answers 404 (NoSuchResourceException) for unknown paths, 405 with Allow for a known path
// and another method, and OPTIONS with 204 + Allow automatically. HEAD goes to the GET handler
// when there is no HEAD route (the transport sends no body for HEAD). Adds the security headers
// (Content-Security-Policy, X-Content-Type-Options, Referrer-Policy, X-Frame-Options) to every
// response that does not set them. An exception escaping a handler becomes a 500 problem
// (ImplementationException) and is logged; it never reaches the server.
//
// Thread-safety: configure (Add) before serving; Handle is then safe from any thread.
//
// Example:
//   Router r;
//   r.Add(Method::kGet, "/healthz", [](const Request&) { return Response::Text(200, "ok"); });
//   Response res = r.Handle(request);
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace vntrace::http {

// Handlers see the request with its path_params filled; they do no I/O of their own. (A
// lambda taking `const Request&` fits too.)
using Handler = std::function<Response(Request&)>;

// Sets the security headers that `headers` does not already hold (see the module comment).
// The router calls it for every response; the transport for the responses it makes itself.
void AddSecurityHeaders(Headers& headers);

class Router {
 public:
  // Registers `handler` for `method` and `pattern`. A pattern starts with '/'; "{name}" must be
  // a whole segment and "{name...}" the last one. A malformed pattern, a repeated
  // (method, pattern) and Method::kOther are programmer errors and abort.
  void Add(Method method, std::string_view pattern, Handler handler);
  // Adds `headers` (unless already set) to every response for a path equal to `path_prefix` or
  // below it, including the automatic OPTIONS, 404 and 405 answers.
  void AddResponseHeaders(std::string_view path_prefix, Headers headers);
  // Routes `request` (filling path_params) and returns the handler's response.
  Response Handle(Request& request) const;

 private:
  enum class SegmentKind { kLiteral, kParam, kRest };
  struct Segment {
    SegmentKind kind;
    std::string text;  // the literal, or the parameter's name
  };
  struct Route {
    Method method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };

  // The parameters when `route` matches `path_segments`, else nullopt.
  static std::optional<PathParams> Match(const Route& route,
                                         const std::vector<std::string>& path_segments);
  // True when `a` is more specific than `b` (both matching the same path).
  static bool MoreSpecific(const Route& a, const Route& b);

  std::vector<Route> routes_;
  std::vector<std::pair<std::string, Headers>> prefix_headers_;
};

}  // namespace vntrace::http
