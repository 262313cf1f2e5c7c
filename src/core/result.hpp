// core::Result and core::Error: expected failures as values.
//
// A function that can fail for reasons outside the program's control (bad input, a missing
// record, a full disk) returns `Result<T>`: either a value or an `Error` with a canonical code,
// a human message and optional details. Exceptions stay inside adapters around throwing
// libraries.
//
// Choosing a code:
//   kInvalidArgument    the caller's input is malformed or violates a rule, whatever the state
//                       of the system (a bad check digit, an unknown AI, a malformed URI).
//   kNotFound           the thing named does not exist.
//   kAlreadyExists      a create found the thing already there.
//   kPermissionDenied   the caller is known but may not do this.
//   kUnauthenticated    the caller is not known.
//   kFailedPrecondition the input is well formed but the system is not in a state that allows
//                       it (activating a stamp batch twice, a lot already recalled).
//   kResourceExhausted  a size, count or rate limit was exceeded.
//   kUnavailable        a transient failure; retrying may succeed.
//   kUnsupported        a well-formed request for something this build does not offer.
//   kInternal           a broken invariant or an unexpected failure of a dependency.
//
// Thread-safety: values; safe to use from any thread as long as one object is not mutated
// concurrently.
//
// Example:
//   core::Result<int> ParsePort(std::string_view s) {
//     if (s.empty()) return core::InvalidArgument("port is empty");
//     ...
//     return port;
//   }
//   VNTRACE_ASSIGN_OR_RETURN(int port, ParsePort(text));
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace vntrace::core {

enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kUnauthenticated,
  kFailedPrecondition,
  kResourceExhausted,
  kUnavailable,
  kUnsupported,
  kInternal,
};

// Returns the stable machine name of `code`, e.g. "invalid_argument".
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // what is wrong and where, for a person
  std::string details;  // optional machine-oriented context (a field path, an offset)

  // "invalid_argument: message" (with " [details]" when present).
  std::string ToString() const;
};

Error InvalidArgument(std::string message, std::string details = {});
Error NotFound(std::string message, std::string details = {});
Error AlreadyExists(std::string message, std::string details = {});
Error PermissionDenied(std::string message, std::string details = {});
Error Unauthenticated(std::string message, std::string details = {});
Error FailedPrecondition(std::string message, std::string details = {});
Error ResourceExhausted(std::string message, std::string details = {});
Error Unavailable(std::string message, std::string details = {});
Error Unsupported(std::string message, std::string details = {});
Error Internal(std::string message, std::string details = {});

// Result<T> holds a T or an Error. Accessing the wrong alternative is a programmer error and
// aborts (in every build type).
template <typename T>
class [[nodiscard]] Result {
 public:
  static_assert(!std::is_same_v<T, Error>, "Result<Error> is meaningless");

  Result(const T& value) : state_(std::in_place_index<0>, value) {}  // NOLINT: implicit by design
  Result(T&& value) : state_(std::in_place_index<0>, std::move(value)) {}    // NOLINT
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  template <typename U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
           !std::is_same_v<std::decay_t<U>, Error> && !std::is_same_v<std::decay_t<U>, Result<T>>)
      Result(U&& value)
      : state_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return Check(), std::get<0>(state_); }
  const T& value() const& { return Check(), std::get<0>(state_); }
  T&& value() && { return Check(), std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return CheckError(), std::get<1>(state_); }
  Error&& error() && { return CheckError(), std::get<1>(std::move(state_)); }

 private:
  void Check() const {
    if (!ok()) {
      std::fprintf(stderr, "vntrace: Result::value() on error: %s\n",
                   std::get<1>(state_).ToString().c_str());
      std::abort();
    }
  }
  void CheckError() const {
    if (ok()) {
      std::fprintf(stderr, "vntrace: Result::error() on a value\n");
      std::abort();
    }
  }

  std::variant<T, Error> state_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    if (ok_) {
      std::fprintf(stderr, "vntrace: Result::error() on success\n");
      std::abort();
    }
    return error_;
  }
  Error&& error() && {
    if (ok_) {
      std::fprintf(stderr, "vntrace: Result::error() on success\n");
      std::abort();
    }
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status Ok() { return Status(); }

}  // namespace vntrace::core

#define VNTRACE_INTERNAL_CONCAT2(a, b) a##b
#define VNTRACE_INTERNAL_CONCAT(a, b) VNTRACE_INTERNAL_CONCAT2(a, b)

// Returns the error of `expr` (a Result) from the enclosing function when it holds one. The error
// of a temporary is moved; that of a named Result (an lvalue, e.g. a member) is copied, leaving
// it intact.
#define VNTRACE_RETURN_IF_ERROR(expr)                                          \
  do {                                                                         \
    auto&& vntrace_status_ = (expr);                                           \
    if (!vntrace_status_.ok()) {                                               \
      return std::forward<decltype(vntrace_status_)>(vntrace_status_).error(); \
    }                                                                          \
  } while (false)

// Declares or assigns `lhs` from the value of `expr` (a Result), or returns its error.
#define VNTRACE_ASSIGN_OR_RETURN(lhs, expr)                                                     \
  VNTRACE_INTERNAL_ASSIGN_OR_RETURN(VNTRACE_INTERNAL_CONCAT(vntrace_result_, __COUNTER__), lhs, \
                                    expr)
#define VNTRACE_INTERNAL_ASSIGN_OR_RETURN(tmp, lhs, expr) \
  auto tmp = (expr);                                      \
  if (!tmp.ok()) {                                        \
    return std::move(tmp).error();                        \
  }                                                       \
  lhs = std::move(tmp).value()

// A programmer invariant: never for user input. Aborts with the location when false.
#define VNTRACE_ASSERT(cond)                                                                       \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "vntrace: assertion failed: %s at %s:%d\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                                \
    }                                                                                              \
  } while (false)
