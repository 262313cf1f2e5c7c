// report::problem_reports: the problems consumers report from the public scan page ("Báo cáo
// vấn đề") — a fake-looking stamp, wrong information, a quality or food-safety problem — and who
// reads them.
//
// Sending (public, no login): the scan page embeds a form token, an HMAC-SHA-256 under the
// server's form secret over the code and a 10-minute time bucket, valid kFormTokenBuckets
// buckets; a report must carry a valid token for its own code (anti-CSRF: another site cannot
// post reports without first fetching the page). The report names the product, lot and
// producing organisation the resolver found for the code (never values the sender chose), and
// keeps the producer's province and commune as they were (for a code nobody here issued, the
// coarse area it was sent from). Rate limits: at most kMaxReportsPerCodePerHour reports about one
// code, and kMaxReportsPerAreaPerHour from one coarse area (the area a trusted proxy names; all
// reports of unknown area count together), per hour. No IP address is stored.
//
// Validation (kInvalidArgument, with a stable code in Error::details that web/i18n translates):
// kind one of ProblemKindName ("problem_kind.required", "problem_kind.invalid"); message required,
// valid UTF-8, stored in Unicode NFC, at most kMaxProblemMessageChars code points
// ("message.required", "message.encoding", "message.too_long"); contact optional, a phone number or
// an e-mail address
// ("contact.format"); photo optional, JPEG or PNG by its first bytes ("photo.type"), at most
// kMaxProblemPhotoBytes ("photo.too_large"). A bad or expired token is kPermissionDenied
// ("form.token"); too many reports kResourceExhausted ("rate.code", "rate.area").
//
// Reading (isolation, checked here): members of an organisation read the reports about its own
// products and mark them handled; inspectors and authority officers read the reports of their
// area (the report's province and commune) and their photos; system_admin reads everything.
// Producers see that a photo exists but not the photo (it may show the sender). Everyone else
// is refused with kPermissionDenied; a report outside the reader's reach is kNotFound.
//
// Thread-safety: stateless functions; the store does its own locking.
//
// Example:
//   report::ProblemContext ctx{*db, clock, random, secret};
//   std::string token = report::ProblemFormToken(ctx, code);
//   VNTRACE_ASSIGN_OR_RETURN(store::ProblemReport r, report::SubmitProblemReport(ctx, input));
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "registry/actor.hpp"
#include "store/store.hpp"

namespace vntrace::report {

inline constexpr std::size_t kMaxProblemMessageChars = 2000;
inline constexpr std::size_t kMaxProblemPhotoBytes = 3u << 20;  // 3 MiB
inline constexpr std::int64_t kMaxReportsPerCodePerHour = 5;
inline constexpr std::int64_t kMaxReportsPerAreaPerHour = 60;
inline constexpr std::int64_t kFormTokenBucketSeconds = 600;
inline constexpr std::int64_t kFormTokenBuckets = 12;  // a page stays good for two hours
inline constexpr std::size_t kFormSecretBytes = 32;

// What the problem report functions use. Every member must outlive the calls.
struct ProblemContext {
  store::Store& store;
  const core::Clock& clock;
  core::Random& random;
  // The server's secret for form tokens (kFormSecretBytes random bytes, LoadOrCreateFormSecret).
  std::string_view form_secret;
};

// Reads the form secret file at `path`, or creates it (mode 0600, kFormSecretBytes random bytes)
// when missing. kInvalidArgument when it does not hold exactly kFormSecretBytes bytes; kInternal
// on I/O errors.
core::Result<std::string> LoadOrCreateFormSecret(const std::string& path, core::Random& random);

// "suspicious_stamp", "wrong_information", "quality_safety", "other" and back.
std::string_view ProblemKindName(store::ProblemKind kind);
core::Result<store::ProblemKind> ParseProblemKind(std::string_view name);
const std::vector<store::ProblemKind>& AllProblemKinds();

// `text` in Unicode Normalization Form C. kInvalidArgument ("{field}.encoding") when it is not
// valid UTF-8.
core::Result<std::string> NormalizeNfc(std::string_view text, std::string_view field);

// The form token of the scan page of `code`, now.
std::string ProblemFormToken(const ProblemContext& ctx, std::string_view code);
// kPermissionDenied ("form.token") unless `token` was made for `code` in the last
// kFormTokenBuckets buckets.
core::Status CheckProblemFormToken(const ProblemContext& ctx, std::string_view code,
                                   std::string_view token);

struct ProblemSubmission {
  std::string code{};        // the canonical code of the scan page
  std::string product_id{};  // as the resolver found them; empty when unknown
  std::string lot_id{};
  std::string token{};
  std::string kind{};
  std::string message{};
  std::string contact{};
  std::string scan_area{};  // the coarse area of the sender (trusted proxy header); may be empty
  std::string photo{};      // the bytes; empty when none
};

// Checks the token, the limits and the fields, then stores the report with its audit entry.
// Errors as the header says; store errors are passed on.
core::Result<store::ProblemReport> SubmitProblemReport(const ProblemContext& ctx,
                                                       const ProblemSubmission& input);

struct ProblemFilter {
  std::optional<core::Timestamp> from{};
  std::optional<core::Timestamp> to{};
  bool open_only = false;
  std::size_t limit = 200;
};

// The reports the actor may read, newest first: an organisation's members its own, inspectors
// and authority officers their area, system_admin all. kPermissionDenied for anyone else.
core::Result<std::vector<store::ProblemReport>> ListProblemReports(const ProblemContext& ctx,
                                                                   const registry::Actor& actor,
                                                                   const ProblemFilter& filter);
// How many open reports the actor may read (the producer app's home page count).
core::Result<std::int64_t> CountOpenProblemReports(const ProblemContext& ctx,
                                                   const registry::Actor& actor);
// kNotFound when missing or out of the actor's reach.
core::Result<store::ProblemReport> GetProblemReport(const ProblemContext& ctx,
                                                    const registry::Actor& actor,
                                                    std::string_view id);
// The photo, for inspectors and authority officers of the report's area and system_admin only
// (kPermissionDenied for the producer); kNotFound when missing, out of reach, or without photo.
core::Result<store::ProblemPhoto> GetProblemPhoto(const ProblemContext& ctx,
                                                  const registry::Actor& actor,
                                                  std::string_view id);
// Marks the report handled: members of its organisation (not read-only roles) and system_admin.
// kNotFound when out of reach; kPermissionDenied for inspectors and officers;
// kFailedPrecondition ("problem.handled") when already handled.
core::Status MarkProblemHandled(const ProblemContext& ctx, const registry::Actor& actor,
                                std::string_view id);

}  // namespace vntrace::report
