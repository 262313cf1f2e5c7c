#include "report/problem_reports.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utypes.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "core/utf8.hpp"
#include "registry/validation.hpp"

namespace vntrace::report {
namespace {

constexpr std::string_view kTokenDomain = "vntrace problem-report form v1";

std::string Errno(std::string_view what, const std::string& path) {
  return std::string(what) + " " + path + ": " + std::strerror(errno);
}

std::string Hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

// HMAC-SHA-256 of the code and bucket under the form secret, as hex.
std::string TokenMac(std::string_view secret, std::string_view code, std::int64_t bucket) {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  const std::string message =
      std::string(kTokenDomain) + '\0' + std::to_string(bucket) + '\0' + std::string(code);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&state, mac.data());
  return Hex(mac.data(), mac.size());
}

std::int64_t Bucket(const core::Clock& clock) {
  const std::int64_t seconds = clock.Now().unix_nanos() / 1'000'000'000;
  return seconds / kFormTokenBucketSeconds;
}

// "image/jpeg" or "image/png" from the first bytes; kInvalidArgument otherwise.
core::Result<std::string> PhotoType(std::string_view data) {
  if (data.size() > kMaxProblemPhotoBytes) {
    return core::InvalidArgument(
        "a photo may hold at most " + std::to_string(kMaxProblemPhotoBytes >> 20) + " MB",
        "photo.too_large");
  }
  if (data.size() >= 3 && static_cast<unsigned char>(data[0]) == 0xFF &&
      static_cast<unsigned char>(data[1]) == 0xD8 && static_cast<unsigned char>(data[2]) == 0xFF) {
    return std::string("image/jpeg");
  }
  if (data.size() >= 8 && data.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) {
    return std::string("image/png");
  }
  return core::InvalidArgument("the photo is neither JPEG nor PNG", "photo.type");
}

// A phone number (normalised) or an e-mail address (lower case); "" stays "".
core::Result<std::string> Contact(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) {
    return std::string();
  }
  if (text.find('@') != std::string_view::npos) {
    core::Result<std::string> email = registry::NormaliseEmail(text);
    if (email.ok()) return email;
  } else if (core::Result<std::string> phone = registry::NormalisePhone(text); phone.ok()) {
    return phone;
  }
  return core::InvalidArgument("the contact is neither a phone number nor an e-mail address",
                               "contact.format");
}

bool IsAreaReader(const registry::Actor& actor) {
  return actor.Is(store::Role::kInspector) || actor.Is(store::Role::kAuthorityOfficer);
}

bool IsOrgMember(const registry::Actor& actor) {
  return !actor.org_id.empty() &&
         (actor.Is(store::Role::kOrgAdmin) || actor.Is(store::Role::kOrgStaff));
}

// Whether the actor may read `r` at all.
bool MayRead(const registry::Actor& actor, const store::ProblemReport& r) {
  if (registry::IsSystem(actor)) return true;
  if (IsOrgMember(actor)) return !r.org_id.empty() && r.org_id == actor.org_id;
  if (IsAreaReader(actor)) {
    return !actor.area.province.empty() &&
           registry::AreaContains(actor.area, {.province = r.province, .commune = r.commune});
  }
  return false;
}

store::AuditEntry Audit(const ProblemContext& ctx, std::string actor, std::string org_id,
                        std::string action, std::string id, std::string changes) {
  return store::AuditEntry{.at = ctx.clock.Now(),
                           .actor = std::move(actor),
                           .org_id = std::move(org_id),
                           .action = std::move(action),
                           .entity = "problem_report",
                           .entity_id = std::move(id),
                           .changes_json = std::move(changes)};
}

}  // namespace

core::Result<std::string> LoadOrCreateFormSecret(const std::string& path, core::Random& random) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    std::string secret(kFormSecretBytes, '\0');
    random.Fill(std::as_writable_bytes(std::span<char>(secret.data(), secret.size())));
    const int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out >= 0) {
      const bool written =
          ::write(out, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size()) &&
          ::fsync(out) == 0;
      ::close(out);
      if (!written) {
        return core::Internal(Errno("cannot write the form secret", path));
      }
      return secret;
    }
    if (errno != EEXIST) {
      return core::Internal(Errno("cannot create the form secret", path));
    }
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);  // another process created it meanwhile
  }
  if (fd < 0) {
    return core::Internal(Errno("cannot open the form secret", path));
  }
  std::string secret(kFormSecretBytes + 1, '\0');
  const ssize_t got = ::read(fd, secret.data(), secret.size());
  ::close(fd);
  if (got != static_cast<ssize_t>(kFormSecretBytes)) {
    return core::InvalidArgument("the form secret " + path + " must hold exactly " +
                                 std::to_string(kFormSecretBytes) + " bytes");
  }
  secret.resize(kFormSecretBytes);
  return secret;
}

std::string_view ProblemKindName(store::ProblemKind kind) {
  switch (kind) {
    case store::ProblemKind::kSuspiciousStamp:
      return "suspicious_stamp";
    case store::ProblemKind::kWrongInformation:
      return "wrong_information";
    case store::ProblemKind::kQualitySafety:
      return "quality_safety";
    case store::ProblemKind::kOther:
      return "other";
  }
  return "other";
}

const std::vector<store::ProblemKind>& AllProblemKinds() {
  static const std::vector<store::ProblemKind> kinds = {
      store::ProblemKind::kSuspiciousStamp, store::ProblemKind::kWrongInformation,
      store::ProblemKind::kQualitySafety, store::ProblemKind::kOther};
  return kinds;
}

core::Result<store::ProblemKind> ParseProblemKind(std::string_view name) {
  if (name.empty()) {
    return core::InvalidArgument("choose what the problem is", "problem_kind.required");
  }
  for (store::ProblemKind kind : AllProblemKinds()) {
    if (ProblemKindName(kind) == name) return kind;
  }
  return core::InvalidArgument("unknown kind of problem '" + std::string(name) + "'",
                               "problem_kind.invalid");
}

core::Result<std::string> NormalizeNfc(std::string_view text, std::string_view field) {
  const std::string code = std::string(field) + ".encoding";
  if (!core::IsValidUtf8(text)) {
    return core::InvalidArgument(std::string(field) + " is not valid UTF-8", code);
  }
  if (text.empty()) {
    return std::string();
  }
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* nfc = unorm2_getNFCInstance(&status);
  std::vector<UChar> utf16(text.size() + 1);
  int32_t utf16_length = 0;
  u_strFromUTF8(utf16.data(), static_cast<int32_t>(utf16.size()), &utf16_length, text.data(),
                static_cast<int32_t>(text.size()), &status);
  if (U_FAILURE(status)) {
    return core::InvalidArgument(std::string(field) + " is not valid UTF-8", code);
  }
  // NFC never grows UTF-16 text by more than a factor of 3.
  std::vector<UChar> normal(static_cast<std::size_t>(utf16_length) * 3 + 1);
  const int32_t normal_length = unorm2_normalize(nfc, utf16.data(), utf16_length, normal.data(),
                                                 static_cast<int32_t>(normal.size()), &status);
  if (U_FAILURE(status)) {
    return core::Internal(std::string("cannot normalise ") + std::string(field) + ": " +
                          u_errorName(status));
  }
  std::string out(static_cast<std::size_t>(normal_length) * 3 + 1, '\0');
  int32_t out_length = 0;
  u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &out_length, normal.data(),
              normal_length, &status);
  if (U_FAILURE(status)) {
    return core::Internal(std::string("cannot encode ") + std::string(field) + ": " +
                          u_errorName(status));
  }
  out.resize(static_cast<std::size_t>(out_length));
  return out;
}

std::string ProblemFormToken(const ProblemContext& ctx, std::string_view code) {
  const std::int64_t bucket = Bucket(ctx.clock);
  return std::to_string(bucket) + "." + TokenMac(ctx.form_secret, code, bucket);
}

core::Status CheckProblemFormToken(const ProblemContext& ctx, std::string_view code,
                                   std::string_view token) {
  const core::Error refused = core::PermissionDenied(
      "the form token is missing, expired or not for this code", "form.token");
  const std::size_t dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 18) {
    return refused;
  }
  std::int64_t bucket = 0;
  for (char c : token.substr(0, dot)) {
    if (c < '0' || c > '9') return refused;
    bucket = bucket * 10 + (c - '0');
  }
  const std::int64_t now = Bucket(ctx.clock);
  if (bucket > now || bucket <= now - kFormTokenBuckets) {
    return refused;
  }
  const std::string expected = TokenMac(ctx.form_secret, code, bucket);
  const std::string_view mac = token.substr(dot + 1);
  if (mac.size() != expected.size() ||
      sodium_memcmp(mac.data(), expected.data(), expected.size()) != 0) {
    return refused;
  }
  return core::Ok();
}

core::Result<store::ProblemReport> SubmitProblemReport(const ProblemContext& ctx,
                                                       const ProblemSubmission& input) {
  VNTRACE_RETURN_IF_ERROR(CheckProblemFormToken(ctx, input.code, input.token));
  const core::Timestamp now = ctx.clock.Now();
  const core::Timestamp hour_ago = now.Plus(-std::chrono::hours(1));
  store::ProblemStore& problems = ctx.store.problems();
  VNTRACE_ASSIGN_OR_RETURN(std::int64_t about_code,
                           problems.CountProblemReports({.code = input.code, .from = hour_ago}));
  if (about_code >= kMaxReportsPerCodePerHour) {
    return core::ResourceExhausted("too many reports about this code in the last hour",
                                   "rate.code");
  }
  VNTRACE_ASSIGN_OR_RETURN(
      std::int64_t from_area,
      problems.CountProblemReports({.scan_area = input.scan_area, .from = hour_ago}));
  if (from_area >= kMaxReportsPerAreaPerHour) {
    return core::ResourceExhausted("too many reports from this area in the last hour", "rate.area");
  }

  store::ProblemReport report{.code = input.code, .scan_area = input.scan_area, .created_at = now};
  VNTRACE_ASSIGN_OR_RETURN(report.kind, ParseProblemKind(input.kind));
  VNTRACE_ASSIGN_OR_RETURN(report.message, NormalizeNfc(input.message, "message"));
  VNTRACE_RETURN_IF_ERROR(
      registry::ValidateText(report.message, "message", kMaxProblemMessageChars, true));
  VNTRACE_ASSIGN_OR_RETURN(std::string contact_nfc, NormalizeNfc(input.contact, "contact"));
  VNTRACE_ASSIGN_OR_RETURN(report.contact, Contact(contact_nfc));
  if (!input.photo.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(report.photo_type, PhotoType(input.photo));
    report.photo_size = static_cast<std::int64_t>(input.photo.size());
  }

  // What the code is about, as stored here (never as the sender says).
  if (!input.lot_id.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(store::Lot lot, ctx.store.registry().GetLot(input.lot_id));
    report.lot_id = lot.id;
    report.product_id = lot.product_id;
    report.org_id = lot.org_id;
  }
  if (report.product_id.empty() && !input.product_id.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(store::Product product,
                             ctx.store.registry().GetProduct(input.product_id));
    report.product_id = product.id;
    report.org_id = product.org_id;
  }
  if (!report.org_id.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(store::Organisation org,
                             ctx.store.registry().GetOrganisation(report.org_id));
    report.province = org.address.province;
    report.commune = org.address.commune;
  } else {
    report.province = input.scan_area;  // a code nobody here issued: the sender's area
  }
  report.id = "pr_" + ctx.random.Hex(12);
  boost::json::object changes{{"code", report.code},
                              {"kind", ProblemKindName(report.kind)},
                              {"photo", !report.photo_type.empty()}};
  VNTRACE_RETURN_IF_ERROR(
      problems.CreateProblemReport(report, input.photo,
                                   Audit(ctx, "anonymous", report.org_id, "create", report.id,
                                         boost::json::serialize(changes))));
  return report;
}

core::Result<std::vector<store::ProblemReport>> ListProblemReports(const ProblemContext& ctx,
                                                                   const registry::Actor& actor,
                                                                   const ProblemFilter& filter) {
  store::ProblemQuery query{
      .from = filter.from, .to = filter.to, .open_only = filter.open_only, .limit = filter.limit};
  if (registry::IsSystem(actor)) {
    // everything
  } else if (IsOrgMember(actor)) {
    query.org_id = actor.org_id;
  } else if (IsAreaReader(actor) && !actor.area.province.empty()) {
    query.area = {.province = actor.area.province, .commune = actor.area.commune};
  } else {
    return core::PermissionDenied("may not read problem reports");
  }
  return ctx.store.problems().ListProblemReports(query);
}

core::Result<std::int64_t> CountOpenProblemReports(const ProblemContext& ctx,
                                                   const registry::Actor& actor) {
  store::ProblemQuery query{.open_only = true};
  if (registry::IsSystem(actor)) {
    // everything
  } else if (IsOrgMember(actor)) {
    query.org_id = actor.org_id;
  } else if (IsAreaReader(actor) && !actor.area.province.empty()) {
    query.area = {.province = actor.area.province, .commune = actor.area.commune};
  } else {
    return core::PermissionDenied("may not read problem reports");
  }
  return ctx.store.problems().CountProblemReports(query);
}

core::Result<store::ProblemReport> GetProblemReport(const ProblemContext& ctx,
                                                    const registry::Actor& actor,
                                                    std::string_view id) {
  core::Result<store::ProblemReport> report = ctx.store.problems().GetProblemReport(id);
  if (!report.ok()) return report.error();
  if (!MayRead(actor, *report)) {
    return core::NotFound("no problem report '" + std::string(id) + "'");
  }
  return report;
}

core::Result<store::ProblemPhoto> GetProblemPhoto(const ProblemContext& ctx,
                                                  const registry::Actor& actor,
                                                  std::string_view id) {
  VNTRACE_ASSIGN_OR_RETURN(store::ProblemReport report, GetProblemReport(ctx, actor, id));
  if (!registry::IsSystem(actor) && !IsAreaReader(actor)) {
    return core::PermissionDenied("only inspectors and authority officers see the photo");
  }
  return ctx.store.problems().GetProblemPhoto(report.id);
}

core::Status MarkProblemHandled(const ProblemContext& ctx, const registry::Actor& actor,
                                std::string_view id) {
  VNTRACE_ASSIGN_OR_RETURN(store::ProblemReport report, GetProblemReport(ctx, actor, id));
  if (!registry::IsSystem(actor) && !(IsOrgMember(actor) && report.org_id == actor.org_id)) {
    return core::PermissionDenied("only the producer marks a problem report handled");
  }
  if (report.handled_at) {
    return core::FailedPrecondition("the problem report was already handled", "problem.handled");
  }
  core::Status marked = ctx.store.problems().MarkProblemHandled(
      report.id, ctx.clock.Now(), actor.AuditName(),
      Audit(ctx, actor.AuditName(), report.org_id, "handle", report.id, "{}"));
  if (!marked.ok() && marked.error().code == core::ErrorCode::kFailedPrecondition) {
    return core::FailedPrecondition(marked.error().message, "problem.handled");
  }
  return marked;
}

}  // namespace vntrace::report
