#include "core/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace vntrace::core {
namespace {

Result<int> ParsePositive(int x) {
  if (x <= 0) {
    return InvalidArgument("not positive", "x");
  }
  return x;
}

Status CheckEven(int x) {
  if (x % 2 != 0) {
    return FailedPrecondition("odd");
  }
  return Ok();
}

TEST(ErrorTest, CodeNamesAreStable) {
  const std::pair<ErrorCode, std::string_view> kCases[] = {
      {ErrorCode::kInvalidArgument, "invalid_argument"},
      {ErrorCode::kNotFound, "not_found"},
      {ErrorCode::kAlreadyExists, "already_exists"},
      {ErrorCode::kPermissionDenied, "permission_denied"},
      {ErrorCode::kUnauthenticated, "unauthenticated"},
      {ErrorCode::kFailedPrecondition, "failed_precondition"},
      {ErrorCode::kResourceExhausted, "resource_exhausted"},
      {ErrorCode::kUnavailable, "unavailable"},
      {ErrorCode::kUnsupported, "unsupported"},
      {ErrorCode::kInternal, "internal"},
  };
  for (const auto& [code, name] : kCases) {
    EXPECT_EQ(ErrorCodeName(code), name);
  }
}

TEST(ErrorTest, FactoriesSetTheCode) {
  EXPECT_EQ(InvalidArgument("m").code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(NotFound("m").code, ErrorCode::kNotFound);
  EXPECT_EQ(AlreadyExists("m").code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(PermissionDenied("m").code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(FailedPrecondition("m").code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(ResourceExhausted("m").code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(Unavailable("m").code, ErrorCode::kUnavailable);
  EXPECT_EQ(Internal("m").code, ErrorCode::kInternal);
  const Error error = NotFound("no such lot", "lot=42");
  EXPECT_EQ(error.message, "no such lot");
  EXPECT_EQ(error.details, "lot=42");
}

TEST(ErrorTest, ToString) {
  EXPECT_EQ(InvalidArgument("bad check digit").ToString(), "invalid_argument: bad check digit");
  EXPECT_EQ(NotFound("no such lot", "lot=42").ToString(), "not_found: no such lot [lot=42]");
  EXPECT_EQ(Error{}.ToString(), "internal: ");
}

TEST(ResultTest, HoldsAValue) {
  const Result<int> r = ParsePositive(5);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 5);
  EXPECT_EQ(*r, 5);
}

TEST(ResultTest, HoldsAnError) {
  const Result<int> r = ParsePositive(-1);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, "not positive");
  EXPECT_EQ(r.error().details, "x");
}

TEST(ResultTest, ConvertsFromConstructibleValues) {
  const Result<std::string> from_literal = "text";
  EXPECT_EQ(*from_literal, "text");
  EXPECT_EQ(from_literal->size(), 4u);
  const std::string lvalue = "copy";
  const Result<std::string> from_lvalue = lvalue;
  EXPECT_EQ(*from_lvalue, "copy");
  const Result<std::vector<int>> from_vector = std::vector<int>{1, 2, 3};
  EXPECT_EQ(from_vector->size(), 3u);
}

TEST(ResultTest, MutatesThroughAccessors) {
  Result<std::string> r = std::string("a");
  r.value() += "b";
  *r += "c";
  r->append("d");
  EXPECT_EQ(*r, "abcd");
}

TEST(ResultTest, SupportsMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(**r, 7);
  std::unique_ptr<int> owned = std::move(r).value();
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(*owned, 7);

  Result<std::unique_ptr<int>> moved_result = std::make_unique<int>(8);
  Result<std::unique_ptr<int>> target = std::move(moved_result);
  EXPECT_EQ(**target, 8);
  std::unique_ptr<int> via_star = *std::move(target);
  EXPECT_EQ(*via_star, 8);

  const Result<std::unique_ptr<int>> error = NotFound("none");
  EXPECT_EQ(error.error().code, ErrorCode::kNotFound);
}

TEST(ResultTest, ErrorCanBeMovedOut) {
  Result<int> r = Internal("boom", "where");
  const Error error = std::move(r).error();
  EXPECT_EQ(error.message, "boom");
  EXPECT_EQ(error.details, "where");
}

TEST(ResultTest, CopiesAndAssigns) {
  Result<int> a = 1;
  const Result<int> b = a;
  EXPECT_EQ(*b, 1);
  a = InvalidArgument("now an error");
  EXPECT_FALSE(a.ok());
  EXPECT_TRUE(b.ok());
  a = 3;
  EXPECT_EQ(*a, 3);
}

TEST(StatusTest, OkAndError) {
  const Status ok = Ok();
  EXPECT_TRUE(ok.ok());
  EXPECT_TRUE(static_cast<bool>(ok));
  const Status defaulted;
  EXPECT_TRUE(defaulted.ok());
  const Status error = CheckEven(3);
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(error.error().message, "odd");
  Status movable = CheckEven(1);
  const Error moved = std::move(movable).error();
  EXPECT_EQ(moved.message, "odd");
}

Status SumEvenPositives(int a, int b, int* sum) {
  VNTRACE_RETURN_IF_ERROR(CheckEven(a));
  VNTRACE_RETURN_IF_ERROR(ParsePositive(b));  // a Result<T> works too; its value is dropped
  VNTRACE_ASSIGN_OR_RETURN(const int checked_a, ParsePositive(a));
  int checked_b = 0;
  VNTRACE_ASSIGN_OR_RETURN(checked_b, ParsePositive(b));  // assigns an existing variable
  *sum = checked_a + checked_b;
  return Ok();
}

TEST(MacrosTest, ReturnIfErrorAndAssignOrReturn) {
  int sum = 0;
  EXPECT_TRUE(SumEvenPositives(2, 3, &sum).ok());
  EXPECT_EQ(sum, 5);

  const Status odd = SumEvenPositives(1, 3, &sum);
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error().message, "odd");

  const Status negative_b = SumEvenPositives(2, -3, &sum);
  ASSERT_FALSE(negative_b.ok());
  EXPECT_EQ(negative_b.error().code, ErrorCode::kInvalidArgument);

  const Status negative_a = SumEvenPositives(-2, 3, &sum);
  ASSERT_FALSE(negative_a.ok());
  EXPECT_EQ(negative_a.error().message, "not positive");
}

Result<std::unique_ptr<int>> MakeBox(int x) {
  VNTRACE_ASSIGN_OR_RETURN(const int positive, ParsePositive(x));
  return std::make_unique<int>(positive);
}

Result<int> Unbox(int x) {
  VNTRACE_ASSIGN_OR_RETURN(std::unique_ptr<int> box, MakeBox(x));
  VNTRACE_ASSIGN_OR_RETURN(auto again, MakeBox(*box + 1));
  return *box + *again;
}

TEST(MacrosTest, WorkWithMoveOnlyValues) {
  const Result<int> ok = Unbox(2);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 5);
  const Result<int> error = Unbox(0);
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error().message, "not positive");
}

// A type that remembers the first failure and reports it on every later call.
class Connection {
 public:
  Status Send() {
    VNTRACE_RETURN_IF_ERROR(status_);  // an lvalue: must be copied, not moved from
    return Ok();
  }
  void Fail() { status_ = Unavailable("connection lost", "peer=db"); }

 private:
  Status status_;
};

TEST(MacrosTest, ReturnIfErrorLeavesAnLvalueIntact) {
  Connection connection;
  EXPECT_TRUE(connection.Send().ok());
  connection.Fail();
  for (int i = 0; i < 2; ++i) {
    const Status status = connection.Send();
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message, "connection lost") << "call " << i;
    EXPECT_EQ(status.error().details, "peer=db") << "call " << i;
  }
}

Status ForwardLvalueResult(Result<std::unique_ptr<int>>& input) {
  VNTRACE_RETURN_IF_ERROR(input);  // move-only T: copies only the error
  return Ok();
}

TEST(MacrosTest, ReturnIfErrorAcceptsAnLvalueWithMoveOnlyValue) {
  Result<std::unique_ptr<int>> box = std::make_unique<int>(1);
  EXPECT_TRUE(ForwardLvalueResult(box).ok());
  EXPECT_EQ(**box, 1);
  Result<std::unique_ptr<int>> none = NotFound("none");
  EXPECT_EQ(ForwardLvalueResult(none).error().message, "none");
  EXPECT_EQ(none.error().message, "none");
}

TEST(ResultDeathTest, WrongAlternativeAborts) {
  const Result<int> error = InvalidArgument("bad input");
  EXPECT_DEATH((void)error.value(), "Result::value\\(\\) on error: invalid_argument: bad input");
  EXPECT_DEATH((void)*error, "Result::value\\(\\) on error");
  const Result<int> value = 1;
  EXPECT_DEATH((void)value.error(), "Result::error\\(\\) on a value");
  const Status ok = Ok();
  EXPECT_DEATH((void)ok.error(), "Result::error\\(\\) on success");
}

TEST(AssertDeathTest, AbortsWithTheCondition) {
  const int answer = 41;
  EXPECT_DEATH(VNTRACE_ASSERT(answer == 42), "assertion failed: answer == 42 at .*result_test");
  VNTRACE_ASSERT(answer == 41);
}

}  // namespace
}  // namespace vntrace::core
