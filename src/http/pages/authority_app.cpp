#include "http/pages/authority_app.hpp"

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "http/pages/internal/app_shell.hpp"
#include "registry/registry.hpp"
#include "registry/validation.hpp"
#include "report/charts.hpp"
#include "report/dashboard.hpp"
#include "report/docx_writer.hpp"
#include "report/outreach.hpp"
#include "report/pdf_writer.hpp"
#include "report/periodic_report.hpp"
#include "report/problem_reports.hpp"
#include "report/self_assessment.hpp"

namespace vntrace::http::pages {
namespace {

using internal::Data;
using internal::List;
using internal::Page;

// "2026-03-02 08:15" in Vietnam time.
std::string VietnamTime(const core::Timestamp& t) {
  std::string text = core::FormatRfc3339(t.Plus(std::chrono::hours(7)), 0);
  if (text.size() >= 16) text = text.substr(0, 16);
  if (text.size() > 10) text[10] = ' ';
  return text;
}

std::string Stars(int n) {
  std::string out;
  for (int i = 0; i < n && i < 5; ++i) out += "★";
  return out;
}

class AuthorityApp : public internal::AppShell {
 public:
  using AppShell::AppShell;

  using PageMethod = Response (AuthorityApp::*)(Page&);
  enum class Access { kAuthority, kOrgMember };

  Handler Wrap(std::shared_ptr<AuthorityApp> self, PageMethod method, Access access) {
    return [self, method, access](Request& req) {
      return self->Dispatch(req, true, [&self, method, access](Page& page) {
        const registry::Actor& actor = page.actor();
        const bool allowed =
            access == Access::kAuthority
                ? registry::IsSystem(actor) || actor.Is(store::Role::kAuthorityOfficer)
                : !actor.org_id.empty();
        if (!allowed) {
          return self->ErrorPage(page, core::PermissionDenied("not for your role"));
        }
        return ((*self).*method)(page);
      });
    };
  }

  // ---- shared

  report::Context rctx() { return report::Context{app_.store}; }

  // A query parameter (GET) or form field (POST).
  static std::string Param(Page& page, std::string_view name) {
    if (page.req.method == Method::kPost) return std::string(page.form.Get(name));
    std::optional<std::string_view> v = page.req.QueryParam(name);
    return v ? std::string(*v) : std::string();
  }

  // The area of the page: the officer's own (a commune chosen inside a province-wide area), or
  // for administrators the province asked for (default: the first organisation's).
  report::Area AreaOf(Page& page) {
    const registry::Actor& actor = page.actor();
    report::Area area{.province = actor.area.province, .commune = actor.area.commune};
    if (registry::IsSystem(actor)) {
      area.province = Param(page, "province");
      if (area.province.empty()) {
        core::Result<std::vector<store::Organisation>> orgs =
            app_.store.registry().ListOrganisations({});
        if (orgs.ok() && !orgs->empty()) area.province = orgs->front().address.province;
      }
    }
    if (actor.area.commune.empty()) area.commune = Param(page, "commune");
    return area;
  }

  std::string AreaName(Page& page, const report::Area& area) {
    if (area.province.empty()) return view_.Text(page.lang, "authority.no_area");
    return area.commune.empty() ? area.province : area.commune + ", " + area.province;
  }

  // Filters shared by the dashboard and the report editor.
  void Filters(Page& page, Data& data, const report::Area& area) {
    const registry::Actor& actor = page.actor();
    data.set("is_admin", registry::IsSystem(actor));
    data.set("province", area.province);
    data.set("commune", area.commune);
    data.set("area_name", AreaName(page, area));
    if (!actor.area.commune.empty() || area.province.empty()) return;
    std::set<std::string> communes;
    core::Result<std::vector<store::Organisation>> orgs =
        app_.store.registry().ListOrganisations({.province = area.province});
    if (orgs.ok()) {
      for (const store::Organisation& o : *orgs) {
        if (!o.address.commune.empty()) communes.insert(o.address.commune);
      }
    }
    std::vector<std::pair<std::string, std::string>> values;
    for (const std::string& c : communes) values.emplace_back(c, c);
    data.set("commune_choice", true);
    data.set("commune_options",
             Options(values, area.commune, true, view_.Text(page.lang, "authority.all_communes")));
  }

  // Shows a period or area error beside the filters; false for any other error.
  bool FilterError(Page& page, Data& data, const core::Error& error) {
    if (error.code != core::ErrorCode::kInvalidArgument) return false;
    const std::string text = view_.ErrorText(page.lang, error.details);
    if (error.details.starts_with("from.")) {
      data.set("err_from", text);
    } else if (error.details.starts_with("to.")) {
      data.set("err_to", text);
    } else if (error.details.starts_with("period.")) {
      data.set("err_period", text);
    } else {
      data.set("err_form", text);
    }
    return true;
  }

  // ---- dashboard

  Data Figure(Page& page, std::string_view key, std::int64_t value) {
    Data f;
    f.set("key", std::string(key));
    f.set("value", report::FormatCount(value));
    f.set("label", view_.Text(page.lang, "authority.figure." + std::string(key)));
    return f;
  }

  std::string WhyNot(Page& page, const report::OcopProduct& o) {
    std::vector<std::string> reasons;
    auto add = [&](std::string_view key) {
      reasons.push_back(view_.Text(page.lang, "authority.why." + std::string(key)));
    };
    if (!o.identified) add("identified");
    if (o.lots == 0) add("lots");
    if (o.lots > 0 && !o.events_at_each_stage) add("events");
    if (!o.valid_certificate) add("certificate");
    if (o.rating_expired) add("rating_expired");
    std::string out;
    for (const std::string& r : reasons) out += (out.empty() ? "" : "; ") + r;
    return out;
  }

  void DashboardData(Page& page, Data& data, const report::Dashboard& d) {
    const report::AdoptionReport& a = d.adoption;
    const report::AdoptionLevels& l = a.levels;
    const std::string lang = page.lang;
    auto text = [&](std::string_view key) { return view_.Text(lang, std::string(key)); };
    data.set("has_data", true);
    Data figures = List();
    figures.push_back(Figure(page, "organisations", a.organisations));
    figures.push_back(Figure(page, "gs1", l.gs1_prefix));
    figures.push_back(Figure(page, "qr", l.qr_stamps));
    figures.push_back(Figure(page, "diary", l.diary_kept));
    figures.push_back(Figure(page, "tcvn", l.self_assessment_passed));
    Data portal;
    portal.set("key", "portal");
    portal.set("value", l.national_portal_status == "connected"
                            ? std::to_string(l.national_portal)
                            : text("authority.portal." + l.national_portal_status));
    portal.set("label", text("authority.figure.portal"));
    figures.push_back(portal);
    data.set("figures", figures);

    const std::vector<report::ChartItem> levels = {
        {text("authority.figure.organisations"), a.organisations},
        {text("authority.figure.gs1"), l.gs1_prefix},
        {text("authority.figure.qr"), l.qr_stamps},
        {text("authority.figure.diary"), l.diary_kept},
        {text("authority.figure.tcvn"), l.self_assessment_passed}};
    const std::string empty = text("authority.chart_empty");
    data.set("chart_levels", report::BarChart({.id = "chart-levels",
                                               .title = text("authority.chart.levels"),
                                               .empty_text = empty},
                                              levels));
    std::vector<report::ChartItem> kinds;
    for (const auto& [kind, count] : a.by_kind) kinds.push_back({text("org.kind." + kind), count});
    data.set("chart_kinds",
             report::BarChart(
                 {.id = "chart-kinds", .title = text("authority.chart.kinds"), .empty_text = empty},
                 kinds));
    std::vector<report::ChartItem> communes;
    for (const auto& [commune, count] : a.by_commune) {
      communes.push_back({commune.empty() ? text("authority.unknown_commune") : commune, count});
    }
    data.set("chart_communes", report::BarChart({.id = "chart-communes",
                                                 .title = text("authority.chart.communes"),
                                                 .empty_text = empty},
                                                communes));
    std::vector<report::ChartItem> stars;
    for (int s = 5; s >= 1; --s) {
      auto it = a.ocop_by_stars.find(s);
      stars.push_back({Stars(s), it == a.ocop_by_stars.end() ? 0 : it->second});
    }
    data.set("chart_stars",
             report::BarChart(
                 {.id = "chart-stars", .title = text("authority.chart.stars"), .empty_text = empty},
                 stars));
    data.set("ocop_meeting", report::FormatCount(a.ocop_meeting_traceability));
    data.set("ocop_total", report::FormatCount(static_cast<std::int64_t>(a.ocop_products.size())));
    Data ocop = List();
    for (const report::OcopProduct& o : a.ocop_products) {
      Data row;
      row.set("name", o.name);
      row.set("org", o.org_name);
      row.set("stars", Stars(o.stars));
      row.set("meets", o.meets_traceability);
      row.set("why", WhyNot(page, o));
      ocop.push_back(row);
    }
    data.set("ocop", ocop);
    data.set("has_ocop", !a.ocop_products.empty());

    std::vector<report::ChartItem> weeks;
    for (const report::WeekCount& w : d.weeks) {
      weeks.push_back({report::DayMonthYear(w.start).substr(0, 5), w.scans});
    }
    data.set("chart_weeks",
             report::ColumnChart(
                 {.id = "chart-weeks", .title = text("authority.chart.weeks"), .empty_text = empty},
                 weeks));
    data.set("scans_total", report::FormatCount(d.scans_in_period));

    Data alerts = List();
    for (const report::ScanAlert& s : d.scan_alerts) {
      Data row;
      row.set("code", s.code);
      row.set("reason", text("authority.reason." + s.reason));
      std::string provinces;
      for (const std::string& p : s.provinces) provinces += (provinces.empty() ? "" : ", ") + p;
      if (!provinces.empty()) row.set("provinces", provinces);
      row.set("scans", report::FormatCount(s.scans));
      row.set("last", VietnamTime(s.last_scan));
      row.set("org", s.org_name.empty() ? text("authority.not_issued") : s.org_name);
      alerts.push_back(row);
    }
    data.set("scan_alerts", alerts);
    data.set("has_scan_alerts", !d.scan_alerts.empty());
    Data certs = List();
    for (const report::CertificateAlert& c : d.expired_certificates) {
      Data row;
      row.set("kind", c.kind);
      row.set("number", c.number);
      row.set("valid_until", report::DayMonthYear(c.valid_until));
      row.set("org", c.org_name);
      certs.push_back(row);
    }
    data.set("certificates", certs);
    // Consumers' problem reports about the area's producers in the period.
    data.set("problems_total", report::FormatCount(d.problem_reports));
    data.set("problems_open", report::FormatCount(d.problem_reports_open));
    Data problems = List();
    for (const store::ProblemReport& r : d.problem_report_list) {
      Data row;
      row.set("date", VietnamTime(r.created_at));
      row.set("kind", text("scan.problem.kind." + std::string(report::ProblemKindName(r.kind))));
      row.set("message", r.message);
      row.set("code", r.code);
      std::string org = text("authority.not_issued");
      for (const auto& [id, name] : d.problem_org_names) {
        if (id == r.org_id) org = name;
      }
      row.set("org", org);
      row.set("handled", r.handled_at.has_value());
      problems.push_back(row);
    }
    data.set("problems", problems);
  }

  Response Dashboard(Page& page) {
    const report::Area area = AreaOf(page);
    Data data;
    Filters(page, data, area);
    data.set("from", Param(page, "from"));
    data.set("to", Param(page, "to"));
    core::Result<report::Dashboard> d = report::BuildDashboard(
        rctx(), page.actor(), area, {.from = Param(page, "from"), .to = Param(page, "to")},
        app_.clock.Now());
    if (!d.ok()) {
      if (!FilterError(page, data, d.error())) return ErrorPage(page, d.error());
      return Show(page, "authority_dashboard", std::move(data), ProblemOf(d.error()).status);
    }
    data.set("from", d->period.from);
    data.set("to", d->period.to);
    data.set("from_text", report::DayMonthYear(d->period.from));
    data.set("to_text", report::DayMonthYear(d->period.to));
    DashboardData(page, data, *d);
    data.set("wide", true);
    return Show(page, "authority_dashboard", std::move(data));
  }

  // ---- organisations and self-assessment

  Response Orgs(Page& page) {
    const report::Area area = AreaOf(page);
    core::Result<std::vector<store::Organisation>> orgs =
        registry::ListOrganisations(ctx_, page.actor());
    if (!orgs.ok()) return ErrorPage(page, orgs.error());
    Data rows = List();
    for (const store::Organisation& o : *orgs) {
      if (!registry::AreaContains({.province = area.province, .commune = area.commune},
                                  o.address)) {
        continue;
      }
      Data row;
      row.set("name", o.name);
      row.set(
          "kind",
          view_.Text(page.lang, "org.kind." + std::string(registry::OrganisationKindName(o.kind))));
      row.set("commune", o.address.commune);
      row.set("href", "/app/authority/orgs/" + UrlEncode(o.id) + "/self-assessment");
      rows.push_back(row);
    }
    Data data;
    data.set("orgs", rows);
    data.set("area_name", AreaName(page, area));
    return Show(page, "authority_orgs", std::move(data));
  }

  Response ShowSelfAssessment(Page& page, std::string_view org_id, std::string back) {
    core::Result<report::SelfAssessmentResult> r =
        report::SelfAssessment(rctx(), page.actor(), org_id, app_.clock.Now());
    if (!r.ok()) return ErrorPage(page, r.error());
    core::Result<store::Organisation> org = registry::GetOrganisation(ctx_, page.actor(), org_id);
    if (!org.ok()) return ErrorPage(page, org.error());
    const bool own = page.actor().org_id == r->org_id;
    Data data;
    data.set("back", std::move(back));
    data.set("org_name", r->org_name);
    std::string address = org->address.street;
    for (const std::string* part : {&org->address.commune, &org->address.province}) {
      if (!part->empty()) address += (address.empty() ? "" : ", ") + *part;
    }
    data.set("address", address);
    const std::string today = report::DayMonthYear(
        core::FormatRfc3339(r->assessed_at.Plus(std::chrono::hours(7)), 0).substr(0, 10));
    data.set("assessed_at", today);
    data.set("score", std::to_string(r->score));
    data.set("pass_score", std::to_string(report::kSelfAssessmentPassScore));
    data.set("passed", r->passed);
    Data criteria = List();
    int n = 0;
    for (const report::Criterion& c : r->criteria) {
      Data row;
      row.set("n", std::to_string(++n));
      row.set("id", c.id);
      row.set("title", page.lang == "en" ? c.title_en : c.title_vi);
      row.set("passed", c.passed);
      row.set("gap", page.lang == "en" ? c.gap_en : c.gap_vi);
      if (own && !c.fix_path.empty()) row.set("fix", c.fix_path);
      std::string evidence;
      for (const auto& [name, count] : c.evidence) {
        evidence += (evidence.empty() ? "" : " · ") + view_.Text(page.lang, "sa.evidence." + name) +
                    ": " + report::FormatCount(count);
      }
      row.set("evidence", evidence);
      criteria.push_back(row);
    }
    data.set("criteria", criteria);
    data.set("place_date", (org->address.province.empty() ? "" : org->address.province + ", ") +
                               view_.Text(page.lang, "sa.date") + " " + today);
    return Show(page, "self_assessment", std::move(data));
  }

  Response OrgSelfAssessment(Page& page) {
    return ShowSelfAssessment(page, page.req.PathParam("id"), "/app/authority/orgs");
  }

  Response OwnSelfAssessment(Page& page) { return ShowSelfAssessment(page, page.org(), "/app"); }

  // ---- outreach

  Response Outreach(Page& page) {
    const report::Area area = AreaOf(page);
    core::Result<std::vector<store::OutreachSession>> sessions =
        report::ListOutreach(rctx(), page.actor(), area);
    if (!sessions.ok()) return ErrorPage(page, sessions.error());
    Data rows = List();
    for (const store::OutreachSession& s : *sessions) {
      Data row;
      row.set("held_on", report::DayMonthYear(s.held_on));
      row.set("kind", view_.Text(page.lang,
                                 "outreach.kind." + std::string(report::OutreachKindName(s.kind))));
      row.set("topic", s.topic);
      if (!s.notes.empty()) row.set("notes", s.notes);
      row.set("attendees", report::FormatCount(s.attendees));
      row.set("organisations", report::FormatCount(s.organisations));
      row.set("commune", s.commune);
      rows.push_back(row);
    }
    const report::OutreachSummary sum = report::Summarise(*sessions);
    Data data;
    data.set("sessions", rows);
    data.set("has_sessions", !sessions->empty());
    data.set("trainings", report::FormatCount(sum.trainings));
    data.set("information", report::FormatCount(sum.information_sessions));
    data.set("attendees", report::FormatCount(sum.attendees));
    data.set("organisations", report::FormatCount(sum.organisations));
    data.set("area_name", AreaName(page, area));
    data.set("saved", Param(page, "saved") == "1");
    data.set("can_record", true);
    return Show(page, "authority_outreach", std::move(data));
  }

  Data OutreachFormData(Page& page) {
    Data data;
    std::vector<std::pair<std::string, std::string>> kinds;
    for (std::string_view k : {"training", "information"}) {
      kinds.emplace_back(std::string(k), view_.Text(page.lang, "outreach.kind." + std::string(k)));
    }
    data.set("kind_options", Options(kinds, page.form.Get("kind"), false, ""));
    data.set("is_admin", registry::IsSystem(page.actor()));
    return data;
  }

  Response OutreachNew(Page& page) {
    Data data = OutreachFormData(page);
    data.set("f_held_on", registry::TodayInVietnam(app_.clock));
    data.set("f_commune", page.actor().area.commune);
    return Show(page, "authority_outreach_form", std::move(data));
  }

  Response OutreachCreate(Page& page) {
    const FormData& f = page.form;
    core::Result<store::OutreachSession> created =
        report::RecordOutreach({app_.store, app_.clock, app_.random}, page.actor(),
                               {.kind = std::string(f.Get("kind")),
                                .held_on = std::string(f.Get("held_on")),
                                .topic = std::string(f.Get("topic")),
                                .attendees = std::string(f.Get("attendees")),
                                .organisations = std::string(f.Get("organisations")),
                                .province = std::string(f.Get("province")),
                                .commune = std::string(f.Get("commune")),
                                .notes = std::string(f.Get("notes"))});
    if (!created.ok()) {
      Data data = OutreachFormData(page);
      FormErrors(page, data, created.error());
      if (created.error().details == "area.outside") {
        data.set("err_area", view_.ErrorText(page.lang, "area.outside"));
      }
      return Show(page, "authority_outreach_form", std::move(data),
                  ProblemOf(created.error()).status);
    }
    return Redirect("/app/authority/outreach?saved=1");
  }

  // ---- periodic report

  Data Field(Page& page, std::string_view name, const std::string& value,
             const core::Error* error) {
    Data d;
    d.set("name", std::string(name));
    d.set("label", view_.Text(page.lang, "report.field." + std::string(name)));
    d.set("value", value);
    d.set("rows", std::string(name == "recipients" ? "4" : "6"));
    if (error && internal::ErrorField(error->details) == name) {
      d.set("error", view_.ErrorText(page.lang, error->details));
    }
    return d;
  }

  void EditorData(Page& page, Data& data, const report::PeriodicReport& r,
                  const core::Error* error) {
    data.set("has_data", true);
    data.set("from", r.period.from);
    data.set("to", r.period.to);
    data.set("from_text", report::DayMonthYear(r.period.from));
    data.set("to_text", report::DayMonthYear(r.period.to));
    const report::AdoptionReport& a = r.figures.adoption;
    const std::vector<std::pair<std::string, std::int64_t>> figures = {
        {"organisations", a.organisations},
        {"gs1", a.levels.gs1_prefix},
        {"qr", a.levels.qr_stamps},
        {"diary", a.levels.diary_kept},
        {"tcvn", a.levels.self_assessment_passed},
        {"ocop", static_cast<std::int64_t>(a.ocop_products.size())},
        {"ocop_meeting", a.ocop_meeting_traceability},
        {"scans", r.figures.scans},
        {"inspections", r.figures.inspections.inspections},
        {"violations", r.figures.inspections.violations},
        {"trainings", r.figures.outreach.trainings},
        {"attendees", r.figures.outreach.attendees}};
    Data rows = List();
    for (const auto& [key, value] : figures) {
      Data row;
      row.set("label", view_.Text(page.lang, "report.figure." + key));
      row.set("value", report::FormatCount(value));
      rows.push_back(row);
    }
    data.set("rows", rows);
    Data header = List(), sections = List(), signer = List();
    for (const auto& [name, member] : report::ReportTextFields()) {
      Data field = Field(page, name, r.text.*member, error);
      if (name == "parent_agency" || name == "agency" || name == "number" || name == "place") {
        header.push_back(field);
      } else if (name == "signer_title" || name == "signer_name") {
        signer.push_back(field);
      } else {
        sections.push_back(field);
      }
    }
    data.set("header_fields", header);
    data.set("sections", sections);
    data.set("signer_fields", signer);
  }

  Response ReportEditor(Page& page) {
    const report::Area area = AreaOf(page);
    Data data;
    Filters(page, data, area);
    data.set("from", Param(page, "from"));
    data.set("to", Param(page, "to"));
    core::Result<report::PeriodicReport> r = report::BuildPeriodicReport(
        rctx(), page.actor(), area, {.from = Param(page, "from"), .to = Param(page, "to")},
        app_.clock.Now());
    if (!r.ok()) {
      if (!FilterError(page, data, r.error())) return ErrorPage(page, r.error());
      return Show(page, "authority_report", std::move(data), ProblemOf(r.error()).status);
    }
    EditorData(page, data, *r, nullptr);
    return Show(page, "authority_report", std::move(data));
  }

  Response ReportGenerate(Page& page) {
    const report::Area area = AreaOf(page);
    core::Result<report::PeriodicReport> r = report::BuildPeriodicReport(
        rctx(), page.actor(), area, {.from = Param(page, "from"), .to = Param(page, "to")},
        app_.clock.Now());
    if (!r.ok()) return ErrorPage(page, r.error());
    report::ReportText edits;
    for (const auto& [name, member] : report::ReportTextFields()) {
      edits.*member = std::string(page.form.Get(name));
    }
    if (core::Status set = report::SetEdits(*r, edits); !set.ok()) {
      r->text = std::move(edits);
      Data data;
      Filters(page, data, area);
      EditorData(page, data, *r, &set.error());
      return Show(page, "authority_report", std::move(data), ProblemOf(set.error()).status);
    }
    const std::string format(page.form.Get("format"));
    if (format != "docx" && format != "pdf") {
      return ErrorPage(page, core::InvalidArgument("format must be docx or pdf", "format.invalid"));
    }
    const report::Document document = report::LayoutReport(*r);
    core::Result<std::string> bytes =
        format == "docx" ? report::WriteDocx(document) : report::WritePdf(document);
    if (!bytes.ok()) return ErrorPage(page, bytes.error());
    Response res = Response::Text(
        200, std::move(*bytes),
        format == "docx" ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                         : "application/pdf");
    res.headers["Content-Disposition"] =
        "attachment; filename=\"" + report::ReportFileName(*r, format) + "\"";
    res.headers["Cache-Control"] = "no-store";
    return res;
  }
};

}  // namespace

core::Status RegisterAuthorityApp(Router& router, ProducerAppContext& context) {
  VNTRACE_ASSIGN_OR_RETURN(registry::PlatformIds ids,
                           registry::PlatformIds::Create(context.base_url));
  // Shared by the handlers the router holds (their one owner is the router).
  auto app = std::make_shared<AuthorityApp>(context, std::move(ids));
  struct Route {
    Method method;
    std::string_view pattern;
    AuthorityApp::PageMethod page;
    AuthorityApp::Access access;
  };
  using A = AuthorityApp;
  constexpr A::Access kAuthority = A::Access::kAuthority;
  const Route routes[] = {
      {Method::kGet, "/app/authority", &A::Dashboard, kAuthority},
      {Method::kGet, "/app/authority/orgs", &A::Orgs, kAuthority},
      {Method::kGet, "/app/authority/orgs/{id}/self-assessment", &A::OrgSelfAssessment, kAuthority},
      {Method::kGet, "/app/self-assessment", &A::OwnSelfAssessment, A::Access::kOrgMember},
      {Method::kGet, "/app/authority/outreach", &A::Outreach, kAuthority},
      {Method::kGet, "/app/authority/outreach/new", &A::OutreachNew, kAuthority},
      {Method::kPost, "/app/authority/outreach/new", &A::OutreachCreate, kAuthority},
      {Method::kGet, "/app/authority/report", &A::ReportEditor, kAuthority},
      {Method::kPost, "/app/authority/report", &A::ReportGenerate, kAuthority},
  };
  for (const Route& route : routes) {
    router.Add(route.method, route.pattern, app->Wrap(app, route.page, route.access));
  }
  return core::Ok();
}

}  // namespace vntrace::http::pages
