#include "core/result.hpp"

namespace vntrace::core {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kAlreadyExists:
      return "already_exists";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kFailedPrecondition:
      return "failed_precondition";
    case ErrorCode::kResourceExhausted:
      return "resource_exhausted";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

std::string Error::ToString() const {
  std::string out(ErrorCodeName(code));
  out += ": ";
  out += message;
  if (!details.empty()) {
    out += " [";
    out += details;
    out += "]";
  }
  return out;
}

namespace {
Error Make(ErrorCode code, std::string message, std::string details) {
  return Error{code, std::move(message), std::move(details)};
}
}  // namespace

Error InvalidArgument(std::string m, std::string d) {
  return Make(ErrorCode::kInvalidArgument, std::move(m), std::move(d));
}
Error NotFound(std::string m, std::string d) {
  return Make(ErrorCode::kNotFound, std::move(m), std::move(d));
}
Error AlreadyExists(std::string m, std::string d) {
  return Make(ErrorCode::kAlreadyExists, std::move(m), std::move(d));
}
Error PermissionDenied(std::string m, std::string d) {
  return Make(ErrorCode::kPermissionDenied, std::move(m), std::move(d));
}
Error Unauthenticated(std::string m, std::string d) {
  return Make(ErrorCode::kUnauthenticated, std::move(m), std::move(d));
}
Error Unsupported(std::string m, std::string d) {
  return Make(ErrorCode::kUnsupported, std::move(m), std::move(d));
}
Error FailedPrecondition(std::string m, std::string d) {
  return Make(ErrorCode::kFailedPrecondition, std::move(m), std::move(d));
}
Error ResourceExhausted(std::string m, std::string d) {
  return Make(ErrorCode::kResourceExhausted, std::move(m), std::move(d));
}
Error Unavailable(std::string m, std::string d) {
  return Make(ErrorCode::kUnavailable, std::move(m), std::move(d));
}
Error Internal(std::string m, std::string d) {
  return Make(ErrorCode::kInternal, std::move(m), std::move(d));
}

}  // namespace vntrace::core
