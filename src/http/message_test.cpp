#include "http/message.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>

#include "core/log.hpp"

namespace vntrace::http {
namespace {

boost::json::object ParseBody(const Response& response) {
  return boost::json::parse(response.body).as_object();
}

std::string StringField(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value == nullptr ? std::string("<absent>") : std::string(value->as_string());
}

TEST(MethodNameTest, EveryMethod) {
  EXPECT_EQ(MethodName(Method::kGet), "GET");
  EXPECT_EQ(MethodName(Method::kHead), "HEAD");
  EXPECT_EQ(MethodName(Method::kPost), "POST");
  EXPECT_EQ(MethodName(Method::kPut), "PUT");
  EXPECT_EQ(MethodName(Method::kPatch), "PATCH");
  EXPECT_EQ(MethodName(Method::kDelete), "DELETE");
  EXPECT_EQ(MethodName(Method::kOptions), "OPTIONS");
  EXPECT_EQ(MethodName(Method::kOther), "OTHER");
}

TEST(HeaderLessTest, IgnoresAsciiCase) {
  HeaderLess less;
  EXPECT_FALSE(less("Content-Type", "content-type"));
  EXPECT_FALSE(less("content-type", "CONTENT-TYPE"));
  EXPECT_TRUE(less("Accept", "content-type"));
  EXPECT_TRUE(less("a", "AB"));
  EXPECT_FALSE(less("AB", "a"));
  // Letters fold to lower case: '_' (0x5F) sorts before 'a' (0x61), and so before 'A'.
  EXPECT_TRUE(less("_", "A"));
  EXPECT_FALSE(less("A", "_"));
}

TEST(RequestTest, Accessors) {
  Request request;
  request.headers.emplace("Content-Type", "application/json");
  request.query = {{"a", "1"}, {"b", ""}, {"a", "2"}};
  request.path_params.emplace("eventID", "ni:///sha-256;abc");

  EXPECT_EQ(request.Header("content-type"), "application/json");
  EXPECT_EQ(request.Header("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(request.Header("Accept"), "");
  EXPECT_EQ(request.QueryParam("a"), "1");
  EXPECT_EQ(request.QueryParam("b"), "");
  EXPECT_EQ(request.QueryParam("c"), std::nullopt);
  EXPECT_EQ(request.PathParam("eventID"), "ni:///sha-256;abc");
  EXPECT_EQ(request.PathParam("eventid"), "");
}

TEST(ResponseTest, Factories) {
  Response json = Response::Json(201, "{}");
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.headers.at("content-type"), "application/json");
  EXPECT_EQ(json.body, "{}");

  Response text = Response::Text(200, "xin chào");
  EXPECT_EQ(text.headers.at("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(text.body, "xin chào");

  Response html = Response::Text(200, "<p>", "text/html; charset=utf-8");
  EXPECT_EQ(html.headers.at("Content-Type"), "text/html; charset=utf-8");

  Response empty = Response::Empty(204);
  EXPECT_EQ(empty.status, 204);
  EXPECT_TRUE(empty.headers.empty());
  EXPECT_TRUE(empty.body.empty());
}

TEST(ProblemResponseTest, RendersRfc7807Fields) {
  Response response = ProblemResponse({.type = "epcisException:ValidationException",
                                       .title = "Invalid",
                                       .status = 400,
                                       .detail = "bad eventTime",
                                       .instance = "/capture/17"});
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.headers.at("Content-Type"), "application/problem+json");
  EXPECT_EQ(response.body,
            R"({"type":"epcisException:ValidationException","title":"Invalid","status":400,)"
            R"("detail":"bad eventTime","instance":"/capture/17"})");
}

TEST(ProblemResponseTest, OmitsEmptyOptionalFieldsAndDefaultsType) {
  Problem problem;
  problem.title = "Not found";
  problem.status = 404;
  Response response = ProblemResponse(problem);
  boost::json::object body = ParseBody(response);
  EXPECT_EQ(StringField(body, "type"), "about:blank");
  EXPECT_EQ(body.at("status").as_int64(), 404);
  EXPECT_FALSE(body.contains("detail"));
  EXPECT_FALSE(body.contains("instance"));
}

TEST(ProblemResponseTest, EscapesAndRepairsText) {
  const std::string detail = std::string("quote \" backslash \\ newline \n nul ") + '\0' +
                             " tab \t bad \xC3( tiếng Việt </script>";
  Problem problem;
  problem.title = "t";
  problem.status = 400;
  problem.detail = detail;
  Response response = ProblemResponse(problem);
  EXPECT_EQ(response.body.find('\n'), std::string::npos);
  boost::json::object body = ParseBody(response);  // valid JSON
  EXPECT_EQ(StringField(body, "detail"), std::string("quote \" backslash \\ newline \n nul ") +
                                             '\0' +
                                             " tab \t bad \xEF\xBF\xBD( tiếng Việt </script>");
}

// The one error table: every core::ErrorCode, its status and problem type.
struct ErrorRowCase {
  core::ErrorCode code;
  int status;
  std::string_view type;
};

constexpr ErrorRowCase kErrorTable[] = {
    {core::ErrorCode::kInvalidArgument, 400, "epcisException:ValidationException"},
    {core::ErrorCode::kNotFound, 404, "epcisException:NoSuchResourceException"},
    {core::ErrorCode::kAlreadyExists, 409, "epcisException:ResourceAlreadyExistsException"},
    {core::ErrorCode::kPermissionDenied, 403, "epcisException:SecurityException"},
    {core::ErrorCode::kUnauthenticated, 401, "epcisException:SecurityException"},
    {core::ErrorCode::kFailedPrecondition, 409, "about:blank"},
    {core::ErrorCode::kResourceExhausted, 413, "epcisException:CaptureLimitExceededException"},
    {core::ErrorCode::kUnavailable, 503, "epcisException:ImplementationException"},
    {core::ErrorCode::kUnsupported, 501, "epcisException:ImplementationException"},
    {core::ErrorCode::kInternal, 500, "epcisException:ImplementationException"},
};

TEST(ErrorResponseTest, TableCoversEveryCode) {
  // kInternal is the last enumerator; the table lists each code once, in order.
  constexpr std::size_t kCodeCount = static_cast<std::size_t>(core::ErrorCode::kInternal) + 1;
  ASSERT_EQ(std::size(kErrorTable), kCodeCount);
  for (std::size_t i = 0; i < kCodeCount; ++i) {
    EXPECT_EQ(static_cast<std::size_t>(kErrorTable[i].code), i);
  }
}

TEST(ErrorResponseTest, MapsEveryCode) {
  core::ScopedLogCapture capture;  // kInternal logs
  for (const ErrorRowCase& row : kErrorTable) {
    SCOPED_TRACE(core::ErrorCodeName(row.code));
    Response response = ErrorResponse(core::Error{row.code, "the message", ""});
    EXPECT_EQ(response.status, row.status);
    EXPECT_EQ(response.headers.at("Content-Type"), "application/problem+json");
    boost::json::object body = ParseBody(response);
    EXPECT_EQ(StringField(body, "type"), row.type);
    EXPECT_EQ(body.at("status").as_int64(), row.status);
    EXPECT_FALSE(StringField(body, "title").empty());
    if (row.code == core::ErrorCode::kInternal) {
      EXPECT_FALSE(body.contains("detail"));
    } else {
      EXPECT_EQ(StringField(body, "detail"), "the message");
    }
  }
}

TEST(ErrorResponseTest, MappingOverridesTypes) {
  ErrorMapping mapping{.invalid_argument_type = "QueryParameterException",
                       .exhausted_type = "QueryTooLargeException"};
  boost::json::object invalid =
      ParseBody(ErrorResponse(core::InvalidArgument("bad parameter"), mapping));
  EXPECT_EQ(StringField(invalid, "type"), "epcisException:QueryParameterException");
  Response exhausted = ErrorResponse(core::ResourceExhausted("too many"), mapping);
  EXPECT_EQ(exhausted.status, 413);
  EXPECT_EQ(StringField(ParseBody(exhausted), "type"), "epcisException:QueryTooLargeException");
}

TEST(ErrorResponseTest, ProblemOfIsWhatErrorResponseRenders) {
  const core::Error error = core::InvalidArgument("event 2, action: bad");
  const Problem problem = ProblemOf(error, {.invalid_argument_type = "ValidationException"});
  EXPECT_EQ(problem.type, "epcisException:ValidationException");
  EXPECT_EQ(problem.status, 400);
  EXPECT_EQ(problem.detail, "event 2, action: bad");
  EXPECT_EQ(ProblemJson(problem), ErrorResponse(error).body);
}

TEST(ErrorResponseTest, DetailIncludesDetails) {
  boost::json::object body =
      ParseBody(ErrorResponse(core::InvalidArgument("bad time", "offset=13")));
  EXPECT_EQ(StringField(body, "detail"), "bad time (offset=13)");
}

TEST(ErrorResponseTest, InternalHidesDetailAndLogsIt) {
  core::ScopedLogCapture capture;
  Response response = ErrorResponse(core::Internal("db password=hunter2", "conn 3"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("hunter2"), std::string::npos);
  std::vector<core::LogRecord> records = capture.records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].level, core::LogLevel::kError);
  ASSERT_TRUE(records[0].FieldValue("error").has_value());
  EXPECT_NE(records[0].FieldValue("error")->find("hunter2"), std::string_view::npos);
}

}  // namespace
}  // namespace vntrace::http
