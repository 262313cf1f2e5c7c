#include "report/dashboard.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "gs1/digital_link.hpp"
#include "gs1/element.hpp"
#include "label/stamps.hpp"
#include "registry/validation.hpp"
#include "report/internal/access.hpp"
#include "report/internal/org_data.hpp"

namespace vntrace::report {
namespace {

constexpr std::chrono::hours kDay{24};
constexpr std::size_t kMaxScansJudged = 2000;

core::Result<core::Timestamp> StartOfDay(const std::string& date, std::string_view field) {
  VNTRACE_RETURN_IF_ERROR(registry::ValidateDate(date, field));
  return core::ParseRfc3339(date + "T00:00:00+07:00");
}

// Does the code claim to be a stamp: a platform stamp URI, or a Digital Link with a serial?
bool ClaimsStamp(const std::string& code) {
  if (code.find("/id/stamp/") != std::string::npos) {
    return true;
  }
  core::Result<gs1::DigitalLink> dl = gs1::ParseDigitalLink(code);
  return dl.ok() && gs1::FindElement(dl->path, "21") != nullptr;
}

std::string_view ReasonOf(const label::Assessment& a) {
  if (a.verdict == label::Verdict::kRecalled) {
    return "recalled";
  }
  return label::SuspicionName(a.suspicion);
}

// The alert for one candidate code, or nullopt when none of its scans in the period is
// suspicious or recalled.
core::Result<std::optional<ScanAlert>> Judge(const Context& ctx,
                                             const store::ScanAlertCandidate& candidate,
                                             const ResolvedPeriod& period) {
  store::StampStore& stamps = ctx.store.stamps();
  std::optional<store::Stamp> stamp;
  std::optional<store::StampBatch> batch;
  bool recalled = false;
  if (core::Result<store::Stamp> found = stamps.FindStamp(candidate.code); found.ok()) {
    stamp = std::move(*found);
    VNTRACE_ASSIGN_OR_RETURN(batch, stamps.GetStampBatch(stamp->batch_id));
    VNTRACE_ASSIGN_OR_RETURN(std::optional<store::LotRecall> recall,
                             stamps.GetLotRecall(batch->lot_id));
    recalled = recall.has_value();
  } else if (found.error().code != core::ErrorCode::kNotFound) {
    return found.error();
  }
  const bool claims = stamp.has_value() || ClaimsStamp(candidate.code);
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Scan> scans,
                           stamps.ListScans(candidate.code, kMaxScansJudged));
  // Judge each scan of the period as the resolver did when it happened: with the scans before.
  std::optional<label::Assessment> flagged;
  for (std::size_t i = 0; i < scans.size(); ++i) {
    const std::int64_t at = scans[i].at.unix_nanos();
    if (at < period.start.unix_nanos() || at >= period.end.unix_nanos()) {
      continue;
    }
    label::Assessment a = label::Judge(
        {.claims_stamp = claims,
         .stamp = stamp ? &*stamp : nullptr,
         .batch = batch ? &*batch : nullptr,
         .recalled = recalled,
         // Codes that are not stamps are recorded only when known (the resolver's rule).
         .known = !claims,
         .scans = std::span<const store::Scan>(scans.data(), i + 1)});
    if (a.verdict == label::Verdict::kSuspicious || a.verdict == label::Verdict::kRecalled) {
      flagged = std::move(a);
      if (flagged->suspicion != label::Suspicion::kClonePattern) {
        break;  // the other reasons do not depend on the scan
      }
    }
  }
  if (!flagged.has_value()) {
    return std::optional<ScanAlert>();
  }
  ScanAlert alert{.code = candidate.code,
                  .reason = std::string(ReasonOf(*flagged)),
                  .scans = candidate.scans,
                  .last_scan = candidate.last_scan,
                  .provinces = flagged->clone_provinces,
                  .org_id = candidate.org_id};
  if (!candidate.org_id.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(store::Organisation org,
                             ctx.store.registry().GetOrganisation(candidate.org_id));
    alert.org_name = org.name;
  }
  return std::optional<ScanAlert>(std::move(alert));
}

}  // namespace

core::Result<ResolvedPeriod> ResolvePeriod(const Period& period, core::Timestamp now) {
  ResolvedPeriod out;
  out.to = period.to.empty() ? internal::VietnamDate(now) : period.to;
  VNTRACE_ASSIGN_OR_RETURN(core::Timestamp to_start, StartOfDay(out.to, "to"));
  out.end = to_start.Plus(kDay);
  if (period.from.empty()) {
    out.start = out.end.Plus(-kDay * (7 * kDefaultWeeks));
    out.from = internal::VietnamDate(out.start);
  } else {
    out.from = period.from;
    VNTRACE_ASSIGN_OR_RETURN(out.start, StartOfDay(out.from, "from"));
  }
  if (out.from > out.to) {
    return core::InvalidArgument("the period ends before it starts", "period.order");
  }
  const std::int64_t days =
      (out.end.unix_nanos() - out.start.unix_nanos()) / std::chrono::nanoseconds(kDay).count();
  out.weeks = static_cast<int>((days + 6) / 7);
  if (out.weeks > kMaxWeeks) {
    return core::InvalidArgument("the period is longer than two years", "period.too_long");
  }
  return out;
}

core::Result<std::vector<WeekCount>> WeeklyScans(const Context& ctx, const registry::Actor& actor,
                                                 const Area& area, const ResolvedPeriod& period) {
  if (!internal::MayReadArea(actor, area)) {
    return core::PermissionDenied("only the authorities of the area may read its scans");
  }
  const std::int64_t week = std::chrono::nanoseconds(kDay * 7).count();
  VNTRACE_ASSIGN_OR_RETURN(std::vector<std::int64_t> counts,
                           ctx.store.reports().CountAreaScans({.province = area.province,
                                                               .commune = area.commune,
                                                               .start = period.start,
                                                               .bucket_nanos = week,
                                                               .buckets = period.weeks}));
  std::vector<WeekCount> weeks;
  for (int i = 0; i < period.weeks; ++i) {
    weeks.push_back({.start = internal::VietnamDate(period.start.Plus(kDay * (7 * i))),
                     .scans = counts[static_cast<std::size_t>(i)]});
  }
  return weeks;
}

core::Result<Dashboard> BuildDashboard(const Context& ctx, const registry::Actor& actor,
                                       const Area& area, const Period& period,
                                       core::Timestamp now) {
  Dashboard d;
  VNTRACE_ASSIGN_OR_RETURN(d.period, ResolvePeriod(period, now));
  const core::Timestamp as_of = d.period.end.unix_nanos() < now.unix_nanos()
                                    ? d.period.end.Plus(-std::chrono::seconds(1))
                                    : now;
  // AdoptionStats checks the area and the actor's right to read it.
  VNTRACE_ASSIGN_OR_RETURN(d.adoption, AdoptionStats(ctx, actor, area, as_of));
  VNTRACE_ASSIGN_OR_RETURN(d.weeks, WeeklyScans(ctx, actor, area, d.period));
  // The last week may run past the period: count the period itself for the total.
  VNTRACE_ASSIGN_OR_RETURN(
      std::vector<std::int64_t> total,
      ctx.store.reports().CountAreaScans(
          {.province = area.province,
           .commune = area.commune,
           .start = d.period.start,
           .bucket_nanos = d.period.end.unix_nanos() - d.period.start.unix_nanos(),
           .buckets = 1}));
  d.scans_in_period = total.front();

  VNTRACE_ASSIGN_OR_RETURN(
      std::vector<store::ScanAlertCandidate> candidates,
      ctx.store.reports().ListScanAlertCandidates({.province = area.province,
                                                   .commune = area.commune,
                                                   .from = d.period.start,
                                                   .to = d.period.end,
                                                   .min_provinces = label::kCloneProvinces}));
  for (const store::ScanAlertCandidate& candidate : candidates) {
    VNTRACE_ASSIGN_OR_RETURN(std::optional<ScanAlert> alert, Judge(ctx, candidate, d.period));
    if (alert.has_value()) {
      d.scan_alerts.push_back(std::move(*alert));
    }
  }

  const std::string today = internal::VietnamDate(as_of);
  VNTRACE_ASSIGN_OR_RETURN(
      std::vector<store::Organisation> orgs,
      ctx.store.registry().ListOrganisations({.province = area.province, .commune = area.commune}));
  for (const store::Organisation& org : orgs) {
    VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Certificate> certs,
                             ctx.store.registry().ListCertificates(org.id));
    for (const store::Certificate& c : certs) {
      if (!internal::StillValid(c.valid_until, today)) {
        d.expired_certificates.push_back({.org_id = org.id,
                                          .org_name = org.name,
                                          .kind = c.kind,
                                          .number = c.number,
                                          .valid_until = c.valid_until});
      }
    }
  }
  std::stable_sort(d.expired_certificates.begin(), d.expired_certificates.end(),
                   [](const CertificateAlert& a, const CertificateAlert& b) {
                     return a.valid_until > b.valid_until;
                   });

  // Problem reports about the area's producers (or sent from it, for codes nobody issued).
  store::ProblemQuery problems{.area = {.province = area.province, .commune = area.commune},
                               .from = d.period.start,
                               .to = d.period.end,
                               .limit = kMaxListedProblemReports};
  VNTRACE_ASSIGN_OR_RETURN(d.problem_reports, ctx.store.problems().CountProblemReports(problems));
  problems.open_only = true;
  VNTRACE_ASSIGN_OR_RETURN(d.problem_reports_open,
                           ctx.store.problems().CountProblemReports(problems));
  problems.open_only = false;
  VNTRACE_ASSIGN_OR_RETURN(d.problem_report_list,
                           ctx.store.problems().ListProblemReports(problems));
  for (const store::Organisation& org : orgs) {
    d.problem_org_names.emplace_back(org.id, org.name);
  }
  return d;
}

}  // namespace vntrace::report
