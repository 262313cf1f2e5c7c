#include "report/adoption.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include <boost/json/array.hpp>

#include "registry/registry.hpp"
#include "report/internal/access.hpp"
#include "report/internal/org_data.hpp"

namespace vntrace::report {
namespace {

bool DiaryKept(const internal::OrgData& data, core::Timestamp since) {
  const auto recent = [&](core::Timestamp t) { return t.unix_nanos() >= since.unix_nanos(); };
  return std::any_of(data.diary.begin(), data.diary.end(),
                     [&](const store::DiaryEntry& d) { return recent(d.occurred_at); }) ||
         std::any_of(data.events.begin(), data.events.end(),
                     [&](const epcis::Event& e) { return recent(e.event_time); });
}

OcopProduct AssessOcop(const internal::OrgData& data, const internal::ProductData& p,
                       const std::string& today) {
  const store::Product& product = p.product;
  OcopProduct o{.product_id = product.id,
                .name = product.name,
                .org_id = data.org.id,
                .org_name = data.org.name,
                .stars = product.ocop->stars,
                .rating_expired = !internal::StillValid(product.ocop->valid_until, today),
                .identified = !product.identifier.empty(),
                .lots = static_cast<std::int64_t>(p.lots.size())};
  for (const internal::LotData& l : p.lots) {
    o.lots_with_events += l.events > 0 ? 1 : 0;
    o.production_recorded = o.production_recorded || l.production_recorded;
  }
  o.events_at_each_stage = o.lots > 0 && o.lots_with_events == o.lots && o.production_recorded;
  o.valid_certificate = std::any_of(data.certificates.begin(), data.certificates.end(),
                                    [&](const store::Certificate& c) {
                                      return (c.product_id.empty() || c.product_id == product.id) &&
                                             (c.issued_on.empty() || c.issued_on <= today) &&
                                             internal::StillValid(c.valid_until, today);
                                    });
  o.meets_traceability =
      o.identified && o.lots > 0 && o.events_at_each_stage && o.valid_certificate;
  return o;
}

}  // namespace

core::Result<AdoptionReport> AdoptionStats(const Context& ctx, const registry::Actor& actor,
                                           const Area& area, core::Timestamp now) {
  if (area.province.empty()) {
    return core::InvalidArgument("the area needs a province", "province.required");
  }
  if (!internal::MayReadArea(actor, area)) {
    return core::PermissionDenied(
        "only system administrators and the authority officers and inspectors of the area may "
        "read its adoption statistics");
  }
  VNTRACE_ASSIGN_OR_RETURN(
      std::vector<store::Organisation> orgs,
      ctx.store.registry().ListOrganisations({.province = area.province, .commune = area.commune}));
  AdoptionReport report{.area = area, .generated_at = now};
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::SyncDestination> destinations,
                           ctx.store.sync().ListSyncDestinations());
  const core::Timestamp portal_since = now.Plus(-std::chrono::hours(kPortalWindowHours));
  for (const store::SyncDestination& d : destinations) {
    if (!d.national_portal) continue;
    const bool delivering = d.enabled && d.failures == 0 && d.last_success_at &&
                            d.last_success_at->unix_nanos() >= portal_since.unix_nanos();
    if (delivering) {
      report.levels.national_portal_status = "connected";
    } else if (report.levels.national_portal_status != "connected") {
      report.levels.national_portal_status = "failing";
    }
  }
  const bool portal_connected = report.levels.national_portal_status == "connected";
  const std::string today = internal::VietnamDate(now);
  const core::Timestamp since = now.Plus(-std::chrono::hours(24 * kDiaryWindowDays));
  for (const store::Organisation& org : orgs) {
    ++report.organisations;
    ++report.by_kind[std::string(registry::OrganisationKindName(org.kind))];
    ++report.by_commune[org.address.commune];
    VNTRACE_ASSIGN_OR_RETURN(internal::OrgData data, internal::Gather(ctx.store, org));
    report.levels.gs1_prefix += org.gs1_company_prefix.empty() ? 0 : 1;
    report.levels.qr_stamps += data.active_stamp_batches > 0 ? 1 : 0;
    report.levels.diary_kept += DiaryKept(data, since) ? 1 : 0;
    report.levels.self_assessment_passed += internal::Assess(data, now).passed ? 1 : 0;
    report.levels.national_portal += portal_connected && !data.events.empty() ? 1 : 0;
    for (const internal::ProductData& p : data.products) {
      if (!p.product.ocop.has_value() || p.product.ocop->stars < 1 || p.product.ocop->stars > 5) {
        continue;
      }
      OcopProduct o = AssessOcop(data, p, today);
      ++report.ocop_by_stars[o.stars];
      report.ocop_meeting_traceability += o.meets_traceability ? 1 : 0;
      report.ocop_products.push_back(std::move(o));
    }
  }
  std::stable_sort(report.ocop_products.begin(), report.ocop_products.end(),
                   [](const OcopProduct& a, const OcopProduct& b) {
                     return a.stars != b.stars ? a.stars > b.stars : a.name < b.name;
                   });
  return report;
}

boost::json::object AdoptionToJson(const AdoptionReport& report) {
  namespace json = boost::json;
  json::object by_kind;
  for (const auto& [kind, count] : report.by_kind) {
    by_kind[kind] = count;
  }
  json::object by_commune;
  for (const auto& [commune, count] : report.by_commune) {
    by_commune[commune] = count;
  }
  json::object by_stars;
  for (int stars = 1; stars <= 5; ++stars) {
    auto it = report.ocop_by_stars.find(stars);
    by_stars[std::to_string(stars)] = it == report.ocop_by_stars.end() ? 0 : it->second;
  }
  json::array products;
  for (const OcopProduct& o : report.ocop_products) {
    products.emplace_back(json::object{
        {"id", o.product_id},
        {"name", o.name},
        {"org", json::object{{"id", o.org_id}, {"name", o.org_name}}},
        {"stars", o.stars},
        {"ratingExpired", o.rating_expired},
        {"identified", o.identified},
        {"lots", o.lots},
        {"lotsWithEvents", o.lots_with_events},
        {"productionRecorded", o.production_recorded},
        {"eventsAtEachStage", o.events_at_each_stage},
        {"validCertificate", o.valid_certificate},
        {"meetsTraceability", o.meets_traceability},
    });
  }
  json::object area{{"province", report.area.province}};
  if (report.area.commune.empty()) {
    area["commune"] = nullptr;
  } else {
    area["commune"] = report.area.commune;
  }
  const AdoptionLevels& l = report.levels;
  return json::object{
      {"area", std::move(area)},
      {"generatedAt", core::FormatRfc3339(report.generated_at)},
      {"organisations", report.organisations},
      {"byKind", std::move(by_kind)},
      {"byCommune", std::move(by_commune)},
      {"adoption", json::object{{"gs1Prefix", l.gs1_prefix},
                                {"qrStamps", l.qr_stamps},
                                {"diaryKept", l.diary_kept},
                                {"selfAssessmentPassed", l.self_assessment_passed},
                                {"nationalPortal", l.national_portal},
                                {"nationalPortalStatus", l.national_portal_status}}},
      {"ocop", json::object{{"byStars", std::move(by_stars)},
                            {"meetingTraceability", report.ocop_meeting_traceability},
                            {"products", std::move(products)}}},
  };
}

}  // namespace vntrace::report
