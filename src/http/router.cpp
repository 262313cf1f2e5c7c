#include "http/router.hpp"

#include <array>
#include <exception>
#include <utility>

#include "core/log.hpp"
#include "core/result.hpp"
#include "http/internal/target.hpp"

namespace vntrace::http {
namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// The order in which Allow lists methods.
constexpr std::array<Method, 7> kAllowOrder = {Method::kGet,    Method::kHead,  Method::kPost,
                                               Method::kPut,    Method::kPatch, Method::kDelete,
                                               Method::kOptions};

unsigned MethodBit(Method method) { return 1u << static_cast<unsigned>(method); }

// "/a/b/" → {"a", "b", ""}; "/" → {""}. `path` starts with '/'.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  path.remove_prefix(1);
  while (true) {
    std::size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      return segments;
    }
    path.remove_prefix(slash + 1);
  }
}

// The decoded segments of the request's path, split before decoding so that "%2F" stays
// inside its segment; nullopt when there is no path to route.
std::optional<std::vector<std::string>> PathSegments(const Request& request) {
  std::vector<std::string> segments;
  if (request.target.empty()) {
    // A request built in a test: its path is already decoded.
    if (request.path.empty() || request.path.front() != '/') {
      return std::nullopt;
    }
    for (std::string_view segment : SplitPath(request.path)) {
      segments.emplace_back(segment);
    }
    return segments;
  }
  std::optional<internal::TargetParts> parts = internal::SplitTarget(request.target);
  if (!parts) {
    return std::nullopt;
  }
  for (std::string_view segment : SplitPath(parts->raw_path)) {
    core::Result<std::string> decoded = internal::PercentDecode(segment, false);
    if (!decoded.ok()) {
      return std::nullopt;
    }
    segments.push_back(std::move(decoded).value());
  }
  return segments;
}

std::string AllowHeader(unsigned allowed) {
  if ((allowed & MethodBit(Method::kGet)) != 0) {
    allowed |= MethodBit(Method::kHead);
  }
  allowed |= MethodBit(Method::kOptions);
  std::string out;
  for (Method method : kAllowOrder) {
    if ((allowed & MethodBit(method)) != 0) {
      if (!out.empty()) {
        out += ", ";
      }
      out += MethodName(method);
    }
  }
  return out;
}

Response InternalErrorResponse(std::string_view what, const Request& request) {
  return ErrorResponse(
      core::Internal("handler threw: " + std::string(what),
                     std::string(MethodName(request.method)) + " " + std::string(request.path)));
}

Response CallHandler(const Handler& handler, Request& request) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    return InternalErrorResponse(e.what(), request);
  } catch (...) {
    return InternalErrorResponse("a non-standard exception", request);
  }
}

}  // namespace

void AddSecurityHeaders(Headers& headers) {
  headers.try_emplace("Content-Security-Policy", kContentSecurityPolicy);
  headers.try_emplace("X-Content-Type-Options", "nosniff");
  headers.try_emplace("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.try_emplace("X-Frame-Options", "DENY");
}

void Router::Add(Method method, std::string_view pattern, Handler handler) {
  VNTRACE_ASSERT(method != Method::kOther);  // a route needs a method it can be asked for
  VNTRACE_ASSERT(!pattern.empty() && pattern.front() == '/');  // patterns are absolute paths
  VNTRACE_ASSERT(handler != nullptr);
  Route route{method, std::string(pattern), {}, std::move(handler)};
  for (std::string_view segment : SplitPath(pattern)) {
    VNTRACE_ASSERT(route.segments.empty() ||
                   route.segments.back().kind != SegmentKind::kRest);  // {rest...} is last
    if (segment.size() >= 2 && segment.front() == '{' && segment.back() == '}') {
      std::string_view name = segment.substr(1, segment.size() - 2);
      SegmentKind kind = SegmentKind::kParam;
      if (name.size() > 3 && name.substr(name.size() - 3) == "...") {
        name.remove_suffix(3);
        kind = SegmentKind::kRest;
      }
      VNTRACE_ASSERT(!name.empty() && name.find_first_of("{}/.") == std::string_view::npos);
      route.segments.push_back({kind, std::string(name)});
    } else {
      // Braces only ever delimit a whole segment.
      VNTRACE_ASSERT(segment.find_first_of("{}") == std::string_view::npos);
      route.segments.push_back({SegmentKind::kLiteral, std::string(segment)});
    }
  }
  for (const Route& existing : routes_) {
    VNTRACE_ASSERT(existing.method != route.method ||
                   existing.pattern != route.pattern);  // registered twice
  }
  routes_.push_back(std::move(route));
}

std::optional<PathParams> Router::Match(const Route& route,
                                        const std::vector<std::string>& path_segments) {
  PathParams params;
  const std::size_t count = route.segments.size();
  for (std::size_t i = 0; i < count; ++i) {
    const Segment& segment = route.segments[i];
    if (segment.kind == SegmentKind::kRest) {
      if (i >= path_segments.size()) {
        return std::nullopt;
      }
      std::string rest;
      for (std::size_t j = i; j < path_segments.size(); ++j) {
        if (j > i) {
          rest += '/';
        }
        rest += path_segments[j];
      }
      params.insert_or_assign(segment.text, std::move(rest));
      return params;
    }
    if (i >= path_segments.size()) {
      return std::nullopt;
    }
    if (segment.kind == SegmentKind::kLiteral) {
      if (segment.text != path_segments[i]) {
        return std::nullopt;
      }
    } else {
      if (path_segments[i].empty()) {
        return std::nullopt;
      }
      params.insert_or_assign(segment.text, std::string(path_segments[i]));
    }
  }
  if (count != path_segments.size()) {
    return std::nullopt;
  }
  return params;
}

bool Router::MoreSpecific(const Route& a, const Route& b) {
  const std::size_t common = std::min(a.segments.size(), b.segments.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (a.segments[i].kind != b.segments[i].kind) {
      return a.segments[i].kind < b.segments[i].kind;
    }
  }
  return false;
}

Response Router::Handle(Request& request) const {
  Response response;
  const std::optional<std::vector<std::string>> path_segments = PathSegments(request);
  if (!path_segments) {
    response = ErrorResponse(core::NotFound("no resource at this path"));
    AddSecurityHeaders(response.headers);
    return response;
  }

  unsigned allowed = 0;
  const Route* exact = nullptr;     // a route for the request's method
  const Route* fallback = nullptr;  // a GET route, for HEAD
  PathParams exact_params;
  PathParams fallback_params;
  for (const Route& route : routes_) {
    std::optional<PathParams> params = Match(route, *path_segments);
    if (!params) {
      continue;
    }
    allowed |= MethodBit(route.method);
    if (route.method == request.method) {
      if (exact == nullptr || MoreSpecific(route, *exact)) {
        exact = &route;
        exact_params = std::move(*params);
      }
    } else if (request.method == Method::kHead && route.method == Method::kGet) {
      if (fallback == nullptr || MoreSpecific(route, *fallback)) {
        fallback = &route;
        fallback_params = std::move(*params);
      }
    }
  }

  if (exact == nullptr && fallback != nullptr) {
    exact = fallback;
    exact_params = std::move(fallback_params);
  }
  if (exact != nullptr) {
    request.path_params = std::move(exact_params);
    response = CallHandler(exact->handler, request);
  } else if (allowed == 0) {
    response = ErrorResponse(core::NotFound("no resource at " + request.path));
  } else if (request.method == Method::kOptions) {
    response = Response::Empty(204);
    response.headers.insert_or_assign("Allow", AllowHeader(allowed));
  } else {
    response = ProblemResponse(
        {.type = "",
         .title = "Method not allowed",
         .status = 405,
         .detail = std::string(MethodName(request.method)) + " is not allowed on " + request.path,
         .instance = ""});
    response.headers.insert_or_assign("Allow", AllowHeader(allowed));
  }
  for (const auto& [prefix, headers] : prefix_headers_) {
    bool under = request.path.starts_with(prefix) &&
                 (request.path.size() == prefix.size() || request.path[prefix.size()] == '/');
    if (!under) {
      continue;
    }
    for (const auto& [name, value] : headers) {
      response.headers.emplace(name, value);
    }
  }
  AddSecurityHeaders(response.headers);
  return response;
}

void Router::AddResponseHeaders(std::string_view path_prefix, Headers headers) {
  prefix_headers_.emplace_back(std::string(path_prefix), std::move(headers));
}

}  // namespace vntrace::http
