#include "http/router.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <stdexcept>
#include <string>

#include "core/log.hpp"

namespace vntrace::http {
namespace {

Request MakeRequest(Method method, std::string path) {
  Request request;
  request.method = method;
  request.path = std::move(path);
  return request;
}

// A handler that answers with its name and the path parameters, "name a=1 b=2".
Handler Echo(std::string name) {
  return [name](const Request& request) {
    std::string body = name;
    for (const auto& [key, value] : request.path_params) {
      body += " " + key + "=" + value;
    }
    return Response::Text(200, body);
  };
}

std::string ProblemType(const Response& response) {
  return std::string(boost::json::parse(response.body).at("type").as_string());
}

class RouterTest : public ::testing::Test {
 protected:
  Response Handle(Method method, std::string path) {
    Request request = MakeRequest(method, std::move(path));
    return router_.Handle(request);
  }

  Router router_;
};

struct RouteCase {
  Method method;
  std::string_view path;
  int status;
  std::string_view body;  // for 200
};

TEST_F(RouterTest, MatchesPatterns) {
  router_.Add(Method::kGet, "/", Echo("root"));
  router_.Add(Method::kGet, "/healthz", Echo("health"));
  router_.Add(Method::kGet, "/epcis/events/{eventID}", Echo("event"));
  router_.Add(Method::kGet, "/epcis/events/all", Echo("all"));
  router_.Add(Method::kGet, "/epcis/{kind}/{id}/x", Echo("two"));
  router_.Add(Method::kGet, "/r/{rest...}", Echo("rest"));
  router_.Add(Method::kGet, "/r/special/{rest...}", Echo("special"));
  router_.Add(Method::kPost, "/capture", Echo("capture"));

  const RouteCase kCases[] = {
      {Method::kGet, "/", 200, "root"},
      {Method::kGet, "/healthz", 200, "health"},
      {Method::kGet, "/healthz/", 404, ""},
      {Method::kGet, "/Healthz", 404, ""},
      {Method::kGet, "/epcis/events/urn:uuid:1", 200, "event eventID=urn:uuid:1"},
      {Method::kGet, "/epcis/events/a b", 200, "event eventID=a b"},
      {Method::kGet, "/epcis/events/all", 200, "all"},
      {Method::kGet, "/epcis/events/", 404, ""},
      {Method::kGet, "/epcis/events", 404, ""},
      {Method::kGet, "/epcis/events/1/2", 404, ""},
      {Method::kGet, "/epcis/a/b/x", 200, "two id=b kind=a"},
      {Method::kGet, "/r/01/08935000000003/10/L1", 200, "rest rest=01/08935000000003/10/L1"},
      {Method::kGet, "/r/", 200, "rest rest="},
      {Method::kGet, "/r", 404, ""},
      {Method::kGet, "/r/special/a/b", 200, "special rest=a/b"},
      {Method::kGet, "/r/specialx/a", 200, "rest rest=specialx/a"},
      {Method::kPost, "/capture", 200, "capture"},
      {Method::kGet, "/nothing", 404, ""},
      {Method::kGet, "", 404, ""},
      {Method::kGet, "*", 404, ""},
  };
  for (const RouteCase& c : kCases) {
    SCOPED_TRACE(std::string(MethodName(c.method)) + " " + std::string(c.path));
    Response response = Handle(c.method, std::string(c.path));
    EXPECT_EQ(response.status, c.status);
    if (c.status == 200) {
      EXPECT_EQ(response.body, c.body);
    }
  }
}

TEST_F(RouterTest, EncodedSlashStaysInItsSegment) {
  router_.Add(Method::kGet, "/events/{eventID}", Echo("event"));
  router_.Add(Method::kGet, "/r/{rest...}", Echo("rest"));
  Request request;
  request.method = Method::kGet;
  request.target = "/events/ni%3A%2F%2F%2Fsha-256%3Babc%3Fver%3DCBV2.0?x=1";
  request.path = "/events/ni:///sha-256;abc?ver=CBV2.0";
  Response response = router_.Handle(request);
  EXPECT_EQ(response.body, "event eventID=ni:///sha-256;abc?ver=CBV2.0");

  request.target = "/events/a%2Fb/c";
  request.path = "/events/a/b/c";
  EXPECT_EQ(router_.Handle(request).status, 404);

  request.target = "http://example.com/r/a%20b/c";
  request.path = "/r/a b/c";
  EXPECT_EQ(router_.Handle(request).body, "rest rest=a b/c");
}

TEST_F(RouterTest, MostSpecificWinsWhateverTheOrder) {
  router_.Add(Method::kGet, "/{rest...}", Echo("catch-all"));
  router_.Add(Method::kGet, "/a/{x}", Echo("param"));
  router_.Add(Method::kGet, "/a/b", Echo("literal"));
  EXPECT_EQ(Handle(Method::kGet, "/a/b").body, "literal");
  EXPECT_EQ(Handle(Method::kGet, "/a/c").body, "param x=c");
  EXPECT_EQ(Handle(Method::kGet, "/a/b/c").body, "catch-all rest=a/b/c");
  EXPECT_EQ(Handle(Method::kGet, "/").body, "catch-all rest=");
}

TEST_F(RouterTest, UnknownPathIsNoSuchResource) {
  router_.Add(Method::kGet, "/known", Echo("known"));
  Response response = Handle(Method::kGet, "/unknown");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.headers.at("Content-Type"), "application/problem+json");
  EXPECT_EQ(ProblemType(response), "epcisException:NoSuchResourceException");
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  router_.Add(Method::kGet, "/capture", Echo("list"));
  router_.Add(Method::kPost, "/capture", Echo("capture"));
  router_.Add(Method::kDelete, "/things/{id}", Echo("delete"));

  Response response = Handle(Method::kPut, "/capture");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.at("Allow"), "GET, HEAD, POST, OPTIONS");
  EXPECT_EQ(response.headers.at("Content-Type"), "application/problem+json");

  Response other = Handle(Method::kOther, "/things/1");
  EXPECT_EQ(other.status, 405);
  EXPECT_EQ(other.headers.at("Allow"), "DELETE, OPTIONS");
}

TEST_F(RouterTest, OptionsIsAutomatic) {
  router_.Add(Method::kGet, "/events/{id}", Echo("get"));
  router_.Add(Method::kPatch, "/events/{id}", Echo("patch"));
  Response response = Handle(Method::kOptions, "/events/1");
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(response.headers.at("Allow"), "GET, HEAD, PATCH, OPTIONS");
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(Handle(Method::kOptions, "/nowhere").status, 404);
}

TEST_F(RouterTest, ExplicitOptionsRouteWins) {
  router_.Add(Method::kGet, "/capture", Echo("get"));
  router_.Add(Method::kOptions, "/capture", [](const Request&) {
    Response response = Response::Empty(204);
    response.headers.emplace("Allow", "GET, OPTIONS");
    response.headers.emplace("GS1-EPCIS-Version", "2.0.0");
    return response;
  });
  Response response = Handle(Method::kOptions, "/capture");
  EXPECT_EQ(response.headers.at("GS1-EPCIS-Version"), "2.0.0");
  EXPECT_EQ(response.headers.at("Allow"), "GET, OPTIONS");
}

TEST_F(RouterTest, HeadFallsBackToGet) {
  router_.Add(Method::kGet, "/page", Echo("get"));
  router_.Add(Method::kGet, "/both", Echo("get"));
  router_.Add(Method::kHead, "/both", Echo("head"));
  EXPECT_EQ(Handle(Method::kHead, "/page").body, "get");
  EXPECT_EQ(Handle(Method::kHead, "/both").body, "head");
}

TEST_F(RouterTest, AddsSecurityHeadersUnlessSet) {
  router_.Add(Method::kGet, "/plain", Echo("plain"));
  router_.Add(Method::kGet, "/framed", [](const Request&) {
    Response response = Response::Text(200, "x");
    response.headers.emplace("x-frame-options", "SAMEORIGIN");
    return response;
  });

  for (std::string path : {"/plain", "/missing"}) {
    SCOPED_TRACE(path);
    Response response = Handle(Method::kGet, path);
    EXPECT_EQ(response.headers.at("Content-Security-Policy"),
              "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
              "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    EXPECT_EQ(response.headers.at("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(response.headers.at("Referrer-Policy"), "strict-origin-when-cross-origin");
    EXPECT_EQ(response.headers.at("X-Frame-Options"), "DENY");
  }
  Response framed = Handle(Method::kGet, "/framed");
  EXPECT_EQ(framed.headers.at("X-Frame-Options"), "SAMEORIGIN");
  EXPECT_EQ(framed.headers.count("X-Frame-Options"), 1u);
}

TEST_F(RouterTest, ExceptionBecomesInternalProblem) {
  core::ScopedLogCapture capture;
  router_.Add(Method::kGet, "/throws",
              [](const Request&) -> Response { throw std::runtime_error("secret detail"); });
  router_.Add(Method::kGet, "/throws-int", [](const Request&) -> Response { throw 42; });

  for (std::string path : {"/throws", "/throws-int"}) {
    SCOPED_TRACE(path);
    Response response = Handle(Method::kGet, path);
    EXPECT_EQ(response.status, 500);
    EXPECT_EQ(ProblemType(response), "epcisException:ImplementationException");
    EXPECT_EQ(response.body.find("secret"), std::string::npos);
    EXPECT_EQ(response.headers.at("X-Content-Type-Options"), "nosniff");
  }
  std::vector<core::LogRecord> records = capture.records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_NE(records[0].FieldValue("error")->find("secret detail"), std::string_view::npos);
}

TEST_F(RouterTest, PathParamsAreReplacedPerRequest) {
  router_.Add(Method::kGet, "/a/{x}", Echo("a"));
  Request request = MakeRequest(Method::kGet, "/a/1");
  request.path_params.emplace("stale", "value");
  Response response = router_.Handle(request);
  EXPECT_EQ(response.body, "a x=1");
  EXPECT_EQ(request.PathParam("x"), "1");
  EXPECT_EQ(request.PathParam("stale"), "");
}

TEST(RouterDeathTest, MalformedPatternsAbort) {
  Router router;
  EXPECT_DEATH(router.Add(Method::kGet, "no-slash", Echo("x")), "assertion failed");
  EXPECT_DEATH(router.Add(Method::kGet, "/{rest...}/x", Echo("x")), "assertion failed");
  EXPECT_DEATH(router.Add(Method::kGet, "/a{b}", Echo("x")), "assertion failed");
  EXPECT_DEATH(router.Add(Method::kGet, "/{}", Echo("x")), "assertion failed");
  EXPECT_DEATH(router.Add(Method::kOther, "/x", Echo("x")), "assertion failed");
  router.Add(Method::kGet, "/dup", Echo("x"));
  EXPECT_DEATH(router.Add(Method::kGet, "/dup", Echo("y")), "assertion failed");
}

}  // namespace
}  // namespace vntrace::http
