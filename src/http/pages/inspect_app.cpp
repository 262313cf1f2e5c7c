#include "http/pages/inspect_app.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/time.hpp"
#include "http/pages/form.hpp"
#include "http/pages/internal/app_shell.hpp"
#include "http/pages/internal/view.hpp"
#include "label/render/photo_reader.hpp"
#include "registry/accounts.hpp"
#include "registry/registry.hpp"
#include "registry/validation.hpp"
#include "report/inspection.hpp"
#include "trace/graph.hpp"

namespace vntrace::http::pages {
namespace {

using internal::Data;
using internal::List;
using internal::Page;
using internal::SetText;
using internal::ShowDate;
using internal::ShowVietnamTime;

constexpr int kViolationRows = 3;
constexpr int kRecentItems = 5;

std::string Query(const Page& page, std::string_view name) {
  return std::string(page.req.QueryParam(name).value_or(""));
}

std::string Address(const store::Address& a) {
  std::string out = a.street;
  for (const std::string* part : {&a.commune, &a.district, &a.province}) {
    if (!part->empty()) out += (out.empty() ? "" : ", ") + *part;
  }
  return out;
}

class InspectApp : public internal::AppShell {
 public:
  InspectApp(ProducerAppContext& context, registry::PlatformIds ids)
      : AppShell(context, std::move(ids)),
        ictx_{context.store, context.clock, context.random, context.base_url} {}

  using PageMethod = Response (InspectApp::*)(Page&);

  Handler Wrap(std::shared_ptr<InspectApp> self, PageMethod method) {
    return [self, method](Request& req) {
      return self->Dispatch(req, true,
                            [&self, method](Page& page) { return ((*self).*method)(page); });
    };
  }

  // ---- rendering

  std::string T(const Page& page, const std::string& key) const {
    return view().Text(page.lang, key);
  }

  // Renders `name` with the workspace's navigation.
  Response ShowInspect(Page& page, std::string_view name, Data data, int status = 200) {
    Data nav;
    nav.set("is_inspector", report::MayInspect(page.actor()));
    data.set("inspect_nav", view().RenderPart("inspect_nav", nav, page.lang));
    return Show(page, name, std::move(data), status);
  }

  Response Failed(Page& page, const core::Error& error) { return ErrorPage(page, error); }

  // The signed-in user's name, for the record.
  std::string DisplayName(const Page& page) {
    core::Result<store::User> user = registry::GetUser(ctx_, page.actor(), page.actor().id);
    return user.ok() ? user->display_name : std::string();
  }

  Data StatusData(const Page& page, report::CodeStatus status) {
    const std::string name(report::CodeStatusName(status));
    Data d;
    d.set("class", name);
    d.set("name", name);
    d.set("heading", T(page, "inspect.status." + name));
    d.set("text", T(page, "inspect.status." + name + ".text"));
    d.set("alert",
          status != report::CodeStatus::kGenuine && status != report::CodeStatus::kRegistered);
    return d;
  }

  Data StepList(const Page& page, const std::vector<report::TraceStep>& steps) {
    Data list = List();
    for (const report::TraceStep& s : steps) {
      Data row;
      row.set("kind", T(page, "inspect.node." + std::string(trace::NodeKindName(s.kind))));
      row.set("label", s.label);
      SetText(row, "org", s.org_name);
      if (s.when) row.set("when", ShowVietnamTime(*s.when, true));
      if (!s.lot_id.empty()) row.set("check", "/app/inspect/check?code=" + UrlEncode(s.id));
      list.push_back(row);
    }
    return list;
  }

  Data InspectionRow(const Page& page, const store::Inspection& i,
                     const std::map<std::string, std::string>& org_names) {
    Data row;
    row.set("href", "/app/inspect/inspections/" + UrlEncode(i.id));
    row.set("date", ShowDate(i.inspected_on));
    auto name = org_names.find(i.org_id);
    row.set("org", name == org_names.end() ? i.org_id : name->second);
    row.set("place", i.place);
    const std::string result(report::InspectionResultName(i.result));
    row.set("result", T(page, "inspect.result." + result));
    row.set("result_class", result);
    row.set("violations", std::to_string(i.violations.size()));
    row.set("has_violations", !i.violations.empty());
    return row;
  }

  // Names of the organisations the actor may read, by id.
  std::map<std::string, std::string> OrgNames(const Page& page) {
    std::map<std::string, std::string> out;
    core::Result<std::vector<store::Organisation>> orgs =
        registry::ListOrganisations(ctx_, page.actor());
    if (orgs.ok()) {
      for (const store::Organisation& o : *orgs) out[o.id] = o.name;
    }
    return out;
  }

  std::string OrgName(const Page& page, const std::string& id) {
    core::Result<store::Organisation> org = registry::GetOrganisation(ctx_, page.actor(), id);
    return org.ok() ? org->name : id;
  }

  // "Khổ qua rừng sấy khô · KQ-250101" for a lot id.
  std::string LotName(const Page& page, const std::string& lot_id) {
    core::Result<store::Lot> lot = registry::GetLot(ctx_, page.actor(), lot_id);
    if (!lot.ok()) return lot_id;
    core::Result<store::Product> product =
        registry::GetProduct(ctx_, page.actor(), lot->product_id);
    return (product.ok() ? product->name + " · " : std::string()) + lot->code;
  }

  Data RecallRow(const Page& page, const store::Recall& r) {
    Data row;
    row.set("href", "/app/inspect/recalls/" + UrlEncode(r.id));
    row.set("date", ShowVietnamTime(r.created_at, true));
    row.set("lot", LotName(page, r.lot_id));
    row.set("org", OrgName(page, r.org_id));
    row.set("reason", r.reason);
    row.set("lots", std::to_string(r.lots.size()));
    row.set("scope", T(page, "recall.scope." + std::string(report::RecallScopeName(r.scope))));
    return row;
  }

  // ---- quick check

  Response Home(Page& page) {
    if (!report::MayInspect(page.actor())) {
      return Failed(page, core::PermissionDenied("not an inspector"));
    }
    Data data;
    std::map<std::string, std::string> names = OrgNames(page);
    core::Result<std::vector<store::Inspection>> inspections =
        report::ListInspections(ictx_, page.actor(), {.limit = kRecentItems});
    if (!inspections.ok()) return Failed(page, inspections.error());
    Data rows = List();
    for (const store::Inspection& i : *inspections) rows.push_back(InspectionRow(page, i, names));
    data.set("inspections", rows);
    data.set("no_inspections", inspections->empty());
    core::Result<std::vector<store::Recall>> recalls = report::ListRecalls(ictx_, page.actor());
    if (!recalls.ok()) return Failed(page, recalls.error());
    Data recall_rows = List();
    for (std::size_t i = 0; i < recalls->size() && i < kRecentItems; ++i) {
      recall_rows.push_back(RecallRow(page, (*recalls)[i]));
    }
    data.set("recalls", recall_rows);
    data.set("no_recalls", recalls->empty());
    return ShowInspect(page, "inspect_home", std::move(data));
  }

  Response Check(Page& page) {
    const std::string code = Query(page, "code");
    Data data;
    data.set("f_code", code);
    core::Result<report::CodeCheck> check = report::CheckCode(ictx_, page.actor(), code);
    if (!check.ok()) {
      if (check.error().code != core::ErrorCode::kInvalidArgument) {
        return Failed(page, check.error());
      }
      data.set("err_code", view().ErrorText(page.lang, check.error().details));
      data.set("err_detail", check.error().message);
      return ShowInspect(page, "inspect_check", std::move(data), 400);
    }
    const report::CodeCheck& c = *check;
    data.set("checked", true);
    data.set("code", c.code);
    data.set("status", StatusData(page, c.status));
    data.set("scans", std::to_string(c.scans));
    data.set("in_area", c.in_area);
    data.set("out_of_area", c.product.has_value() && !c.in_area);
    if (c.product) {
      Data p;
      p.set("name", c.product->name);
      p.set("code", c.product->gtin.empty() ? c.product->identifier : c.product->gtin);
      SetText(p, "category", c.product->category);
      if (c.product->ocop) {
        std::string stars;
        for (int i = 0; i < c.product->ocop->stars && i < 5; ++i) stars += "★";
        p.set("stars", stars);
      }
      data.set("product", p);
    }
    if (c.org) {
      Data o;
      o.set("name", c.org->name);
      SetText(o, "address", Address(c.org->address));
      SetText(o, "phone", c.org->phone);
      SetText(o, "tax_code", c.org->tax_code);
      o.set("href", "/app/inspect/orgs/" + UrlEncode(c.org->id));
      data.set("org", o);
    }
    if (c.lot) {
      Data l;
      l.set("code", c.lot->code);
      SetText(l, "produced_on", ShowDate(c.lot->produced_on));
      SetText(l, "expires_on", ShowDate(c.lot->expires_on));
      l.set("expired",
            !c.lot->expires_on.empty() && c.lot->expires_on < registry::TodayInVietnam(app_.clock));
      if (c.in_area) {
        l.set("trace_href", "/app/inspect/trace?lot=" + UrlEncode(c.lot->id));
        l.set("recall_href", "/app/inspect/recalls/new?lot=" + UrlEncode(c.lot->id));
      }
      data.set("lot", l);
    }
    if (c.recall) {
      Data r;
      r.set("reason", c.recall->reason);
      r.set("date", ShowVietnamTime(c.recall->recalled_at, true));
      data.set("recall", r);
    }
    if (c.stamp) {
      Data s;
      SetText(s, "serial", c.stamp->serial);
      s.set("active", c.batch && c.batch->active);
      data.set("stamp", s);
    }
    Data certs = List();
    for (const registry::CertificateView& v : c.certificates) {
      Data row;
      row.set("kind", v.certificate.kind);
      row.set("number", v.certificate.number);
      row.set("issuer", v.certificate.issuer);
      row.set("valid_until", v.certificate.valid_until.empty()
                                 ? T(page, "inspect.cert.open_ended")
                                 : ShowDate(v.certificate.valid_until));
      row.set("expired", v.expired);
      certs.push_back(row);
    }
    data.set("certificates", certs);
    data.set("no_certificates", c.in_area && c.certificates.empty());
    data.set("one_up", StepList(page, c.one_up));
    data.set("one_down", StepList(page, c.one_down));
    data.set("has_trace", c.in_area && !c.trace_root.empty());
    data.set("no_trace", c.in_area && c.trace_root.empty());
    if (c.in_area && c.org) {
      std::string href =
          "/app/inspect/inspections/new?org=" + UrlEncode(c.org->id) + "&code=" + UrlEncode(c.code);
      if (c.lot) href += "&lot=" + UrlEncode(c.lot->id);
      data.set("inspect_href", href);
    }
    return ShowInspect(page, "inspect_check", std::move(data));
  }

  // A photo of the code instead of the camera (phones without BarcodeDetector, or a picture
  // taken earlier): read on the server; one code opens its check, several are offered.
  Response CheckPhoto(Page& page) {
    if (!report::MayInspect(page.actor())) {
      return Failed(page, core::PermissionDenied("not an inspector"));
    }
    core::Result<std::vector<label::render::PhotoCode>> codes =
        page.form.file && !page.form.file->content.empty()
            ? label::render::ReadCodesFromPhoto(page.form.file->content)
            : core::Result<std::vector<label::render::PhotoCode>>(
                  core::InvalidArgument("choose a photo", "photo.required"));
    if (codes.ok() && codes->size() == 1) {
      return Redirect("/app/inspect/check?code=" + UrlEncode(codes->front().text));
    }
    Data data;
    if (!codes.ok()) {
      if (codes.error().code != core::ErrorCode::kInvalidArgument) {
        return Failed(page, codes.error());
      }
      data.set("err_photo", view().ErrorText(page.lang, codes.error().details));
      return ShowInspect(page, "inspect_check", std::move(data), 400);
    }
    if (codes->empty()) {
      data.set("err_photo", view().ErrorText(page.lang, "photo.no_code"));
      return ShowInspect(page, "inspect_check", std::move(data), 422);
    }
    Data found = List();
    for (const label::render::PhotoCode& c : *codes) {
      Data row;
      row.set("text", c.text);
      row.set("format", c.format);
      row.set("href", "/app/inspect/check?code=" + UrlEncode(c.text));
      found.push_back(row);
    }
    data.set("photo_codes", found);
    data.set("has_photo_codes", true);
    return ShowInspect(page, "inspect_check", std::move(data));
  }

  Response Trace(Page& page) {
    core::Result<report::LotTrace> traced =
        report::TraceLot(ictx_, page.actor(), Query(page, "lot"));
    if (!traced.ok()) return Failed(page, traced.error());
    Data data;
    data.set("lot", LotName(page, traced->lot.id));
    data.set("identifier", traced->lot.identifier);
    Data nodes = List();
    std::map<std::string, std::string> labels;
    for (const report::TraceStep& s : traced->nodes) labels[s.id] = s.label;
    for (std::size_t i = 0; i < traced->nodes.size(); ++i) {
      const report::TraceStep& s = traced->nodes[i];
      Data row;
      row.set("depth", std::to_string(traced->trace.nodes[i].depth));
      row.set("kind", T(page, "inspect.node." + std::string(trace::NodeKindName(s.kind))));
      row.set("label", s.label);
      SetText(row, "org", s.org_name);
      nodes.push_back(row);
    }
    Data edges = List();
    for (const trace::Edge& e : traced->trace.edges) {
      Data row;
      row.set("when", ShowVietnamTime(e.time, true));
      row.set("from", labels.count(e.from) ? labels[e.from] : trace::LabelOf(e.from));
      row.set("to", labels.count(e.to) ? labels[e.to] : trace::LabelOf(e.to));
      row.set("kind", T(page, "inspect.edge." + std::string(trace::EdgeKindName(e.kind))));
      edges.push_back(row);
    }
    data.set("nodes", nodes);
    data.set("edges", edges);
    data.set("truncated", traced->trace.truncated);
    return ShowInspect(page, "inspect_trace", std::move(data));
  }

  // ---- organisations of the area

  Response Orgs(Page& page) {
    if (!report::MayInspect(page.actor())) {
      return Failed(page, core::PermissionDenied("not an inspector"));
    }
    core::Result<std::vector<store::Organisation>> orgs =
        registry::ListOrganisations(ctx_, page.actor());
    if (!orgs.ok()) return Failed(page, orgs.error());
    Data rows = List();
    for (const store::Organisation& o : *orgs) {
      Data row;
      row.set("name", o.name);
      row.set("address", Address(o.address));
      row.set("href", "/app/inspect/orgs/" + UrlEncode(o.id));
      rows.push_back(row);
    }
    Data data;
    data.set("orgs", rows);
    data.set("empty", orgs->empty());
    return ShowInspect(page, "inspect_orgs", std::move(data));
  }

  Response Org(Page& page) {
    core::Result<store::Organisation> org =
        registry::GetOrganisation(ctx_, page.actor(), page.req.PathParam("id"));
    if (!org.ok()) return Failed(page, org.error());
    if (!report::MayInspect(page.actor()) || !registry::CanReadPrivate(page.actor(), *org)) {
      return Failed(page, core::PermissionDenied("outside the area"));
    }
    Data data;
    data.set("name", org->name);
    data.set("address", Address(org->address));
    SetText(data, "phone", org->phone);
    SetText(data, "tax_code", org->tax_code);
    data.set("inspect_href", "/app/inspect/inspections/new?org=" + UrlEncode(org->id));
    Data lots = List();
    core::Result<std::vector<store::Product>> products =
        registry::ListProducts(ctx_, page.actor(), org->id);
    if (!products.ok()) return Failed(page, products.error());
    for (const store::Product& p : *products) {
      core::Result<std::vector<store::Lot>> product_lots =
          registry::ListLots(ctx_, page.actor(), p.id);
      if (!product_lots.ok()) return Failed(page, product_lots.error());
      for (const store::Lot& lot : *product_lots) {
        Data row;
        row.set("product", p.name);
        row.set("code", lot.code);
        row.set("produced_on", ShowDate(lot.produced_on));
        row.set("check_href", "/app/inspect/check?code=" + UrlEncode(lot.identifier));
        row.set("recall_href", "/app/inspect/recalls/new?lot=" + UrlEncode(lot.id));
        lots.push_back(row);
      }
    }
    data.set("lots", lots);
    core::Result<std::vector<store::Inspection>> inspections =
        report::ListInspections(ictx_, page.actor(), {.org_id = org->id});
    if (!inspections.ok()) return Failed(page, inspections.error());
    Data rows = List();
    const std::map<std::string, std::string> names = {{org->id, org->name}};
    for (const store::Inspection& i : *inspections) rows.push_back(InspectionRow(page, i, names));
    data.set("inspections", rows);
    data.set("no_inspections", inspections->empty());
    return ShowInspect(page, "inspect_org", std::move(data));
  }

  // ---- inspections

  Response Inspections(Page& page) {
    report::InspectionFilter filter{.org_id = Query(page, "org"),
                                    .result = Query(page, "result"),
                                    .from = Query(page, "from"),
                                    .to = Query(page, "to"),
                                    .with_violations_only = Query(page, "violations") == "1"};
    Data data;
    std::map<std::string, std::string> names = OrgNames(page);
    core::Result<std::vector<store::Inspection>> found =
        report::ListInspections(ictx_, page.actor(), filter);
    if (!found.ok()) {
      if (found.error().code != core::ErrorCode::kInvalidArgument) {
        return Failed(page, found.error());
      }
      data.set("err_filter", view().ErrorText(page.lang, found.error().details));
    }
    Data rows = List();
    if (found.ok()) {
      for (const store::Inspection& i : *found) rows.push_back(InspectionRow(page, i, names));
    }
    data.set("inspections", rows);
    data.set("empty", !found.ok() || found->empty());
    std::vector<std::pair<std::string, std::string>> orgs(names.begin(), names.end());
    for (auto& [id, name] : orgs) std::swap(id, name);
    std::sort(orgs.begin(), orgs.end());
    for (auto& [id, name] : orgs) std::swap(id, name);
    data.set("org_options", Options(orgs, filter.org_id, true, T(page, "inspect.filter.any")));
    data.set("result_options",
             Options(ResultChoices(page), filter.result, true, T(page, "inspect.filter.any")));
    data.set("f_from", filter.from);
    data.set("f_to", filter.to);
    data.set("f_violations", filter.with_violations_only);
    return ShowInspect(page, "inspect_list", std::move(data), found.ok() ? 200 : 400);
  }

  std::vector<std::pair<std::string, std::string>> ResultChoices(const Page& page) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (store::InspectionResult r :
         {store::InspectionResult::kPassed, store::InspectionResult::kPassedWithRemarks,
          store::InspectionResult::kFailed, store::InspectionResult::kFollowUp}) {
      const std::string name(report::InspectionResultName(r));
      out.emplace_back(name, T(page, "inspect.result." + name));
    }
    return out;
  }

  // The form's data; `org_id` picks the facilities offered.
  Data InspectionFormData(Page& page, const std::string& org_id) {
    Data data;
    std::map<std::string, std::string> names = OrgNames(page);
    std::vector<std::pair<std::string, std::string>> orgs(names.begin(), names.end());
    data.set("org_options", Options(orgs, org_id, true, T(page, "inspect.form.choose_org")));
    std::vector<std::pair<std::string, std::string>> facilities;
    if (!org_id.empty()) {
      core::Result<std::vector<store::Facility>> found =
          registry::ListFacilities(ctx_, page.actor(), org_id);
      if (found.ok()) {
        for (const store::Facility& f : *found) facilities.emplace_back(f.id, f.name);
      }
    }
    data.set("facility_options",
             Options(facilities, page.form.Get("facility_id"), true, T(page, "common.none")));
    data.set("result_options", Options(ResultChoices(page), page.form.Get("result"), false, ""));
    std::vector<std::pair<std::string, std::string>> kinds;
    for (store::ViolationKind k :
         {store::ViolationKind::kMisusedInformation, store::ViolationKind::kExpiredCertificate,
          store::ViolationKind::kUnregisteredProduct, store::ViolationKind::kClonedStamp,
          store::ViolationKind::kOther}) {
      const std::string name(report::ViolationKindName(k));
      kinds.emplace_back(name, T(page, "inspect.violation." + name));
    }
    Data rows = List();
    for (int i = 1; i <= kViolationRows; ++i) {
      const std::string n = std::to_string(i);
      Data row;
      row.set("n", n);
      row.set("kind_options", Options(kinds, page.form.Get("violation_kind_" + n), true,
                                      T(page, "inspect.violation.none")));
      row.set("description", std::string(page.form.Get("violation_description_" + n)));
      rows.push_back(row);
    }
    data.set("violation_rows", rows);
    data.set("max_photo_mb", std::to_string(report::kMaxPhotoBytes >> 20));
    return data;
  }

  Response InspectionNew(Page& page) {
    if (!report::MayInspect(page.actor())) {
      return Failed(page, core::PermissionDenied("not an inspector"));
    }
    const std::string org_id = Query(page, "org");
    Data data = InspectionFormData(page, org_id);
    data.set("f_code", Query(page, "code"));
    data.set("f_lot_id", Query(page, "lot"));
    if (!Query(page, "lot").empty()) data.set("lot_name", LotName(page, Query(page, "lot")));
    data.set("f_inspected_on", registry::TodayInVietnam(app_.clock));
    return ShowInspect(page, "inspect_form", std::move(data));
  }

  Response InspectionCreate(Page& page) {
    const FormData& f = page.form;
    report::InspectionInput input{.org_id = std::string(f.Get("org_id")),
                                  .facility_id = std::string(f.Get("facility_id")),
                                  .place = std::string(f.Get("place")),
                                  .latitude = std::string(f.Get("latitude")),
                                  .longitude = std::string(f.Get("longitude")),
                                  .inspected_on = std::string(f.Get("inspected_on")),
                                  .result = std::string(f.Get("result")),
                                  .notes = std::string(f.Get("notes")),
                                  .code = std::string(f.Get("code")),
                                  .lot_id = std::string(f.Get("lot_id")),
                                  .inspector_name = DisplayName(page)};
    for (int i = 1; i <= kViolationRows; ++i) {
      const std::string n = std::to_string(i);
      std::string kind(f.Get("violation_kind_" + n));
      std::string description(f.Get("violation_description_" + n));
      if (kind.empty() && description.empty()) continue;
      input.violations.emplace_back(std::move(kind), std::move(description));
    }
    if (f.file && !f.file->content.empty()) {
      input.photos.push_back({.filename = f.file->filename, .data = f.file->content});
    }
    core::Result<store::Inspection> created =
        report::RecordInspection(ictx_, page.actor(), std::move(input));
    if (!created.ok()) {
      Data data = InspectionFormData(page, std::string(f.Get("org_id")));
      FormErrors(page, data, created.error());
      if (!f.Get("lot_id").empty())
        data.set("lot_name", LotName(page, std::string(f.Get("lot_id"))));
      return ShowInspect(page, "inspect_form", std::move(data), ProblemOf(created.error()).status);
    }
    return Redirect("/app/inspect/inspections/" + UrlEncode(created->id) + "?saved=1");
  }

  Response InspectionDetail(Page& page) {
    core::Result<store::Inspection> found =
        report::GetInspection(ictx_, page.actor(), page.req.PathParam("id"));
    if (!found.ok()) return Failed(page, found.error());
    return ShowInspect(page, "inspect_detail", DetailData(page, *found));
  }

  Data DetailData(Page& page, const store::Inspection& i) {
    Data data;
    data.set("saved", Query(page, "saved") == "1");
    data.set("id", i.id);
    data.set("org", OrgName(page, i.org_id));
    data.set("org_href", "/app/inspect/orgs/" + UrlEncode(i.org_id));
    data.set("place", i.place);
    if (i.latitude && i.longitude) {
      data.set("coordinates", std::to_string(*i.latitude).substr(0, 9) + ", " +
                                  std::to_string(*i.longitude).substr(0, 10));
    }
    data.set("date", ShowDate(i.inspected_on));
    const std::string result(report::InspectionResultName(i.result));
    data.set("result", T(page, "inspect.result." + result));
    data.set("result_class", result);
    SetText(data, "notes", i.notes);
    SetText(data, "code", i.code);
    if (!i.code.empty()) data.set("check_href", "/app/inspect/check?code=" + UrlEncode(i.code));
    if (!i.lot_id.empty()) {
      data.set("lot", LotName(page, i.lot_id));
      data.set("recall_href", "/app/inspect/recalls/new?lot=" + UrlEncode(i.lot_id));
    }
    data.set("inspector", i.inspector_name.empty() ? i.inspector : i.inspector_name);
    data.set("recorded_at", ShowVietnamTime(i.created_at, true));
    Data violations = List();
    for (const store::Violation& v : i.violations) {
      Data row;
      row.set("kind",
              T(page, "inspect.violation." + std::string(report::ViolationKindName(v.kind))));
      SetText(row, "description", v.description);
      violations.push_back(row);
    }
    data.set("violations", violations);
    data.set("no_violations", i.violations.empty());
    Data photos = List();
    for (const store::PhotoInfo& p : i.photos) {
      Data row;
      row.set("src", "/app/inspect/photos/" + UrlEncode(p.id));
      row.set("size_kb", std::to_string((p.size + 1023) / 1024));
      photos.push_back(row);
    }
    data.set("photos", photos);
    data.set("can_add_photo", i.photos.size() < report::kMaxPhotosPerInspection);
    data.set("photo_action", "/app/inspect/inspections/" + UrlEncode(i.id) + "/photos");
    data.set("max_photo_mb", std::to_string(report::kMaxPhotoBytes >> 20));
    return data;
  }

  Response PhotoAdd(Page& page) {
    const std::string id(page.req.PathParam("id"));
    report::PhotoUpload upload;
    if (page.form.file) {
      upload.filename = page.form.file->filename;
      upload.data = page.form.file->content;
    }
    core::Result<store::PhotoInfo> added =
        upload.data.empty()
            ? core::Result<store::PhotoInfo>(
                  core::InvalidArgument("choose a photo", "photo.required"))
            : report::AddInspectionPhoto(ictx_, page.actor(), id, std::move(upload));
    if (!added.ok()) {
      core::Result<store::Inspection> found = report::GetInspection(ictx_, page.actor(), id);
      if (!found.ok()) return Failed(page, found.error());
      Data data = DetailData(page, *found);
      FormErrors(page, data, added.error());
      return ShowInspect(page, "inspect_detail", std::move(data), ProblemOf(added.error()).status);
    }
    return Redirect("/app/inspect/inspections/" + UrlEncode(id));
  }

  Response Photo(Page& page) {
    core::Result<store::InspectionPhoto> photo =
        report::GetInspectionPhoto(ictx_, page.actor(), page.req.PathParam("id"));
    if (!photo.ok()) return Failed(page, photo.error());
    Response res = Response::Text(200, std::move(photo->data), photo->content_type);
    res.headers["Cache-Control"] = "private, no-store";
    res.headers["Content-Disposition"] = "inline";
    return res;
  }

  // ---- recalls

  Response Recalls(Page& page) {
    core::Result<std::vector<store::Recall>> found = report::ListRecalls(ictx_, page.actor());
    if (!found.ok()) return Failed(page, found.error());
    Data rows = List();
    for (const store::Recall& r : *found) rows.push_back(RecallRow(page, r));
    Data data;
    data.set("recalls", rows);
    data.set("empty", found->empty());
    return ShowInspect(page, "recall_list", std::move(data));
  }

  Data RecallFormData(Page& page, const std::string& lot_id) {
    Data data;
    data.set("lot_id", lot_id);
    data.set("lot", LotName(page, lot_id));
    core::Result<store::Lot> lot = registry::GetLot(ctx_, page.actor(), lot_id);
    if (lot.ok()) data.set("org", OrgName(page, lot->org_id));
    const std::string scope(page.form.Get("scope"));
    data.set("scope_downstream", scope.empty() || scope == "downstream");
    data.set("scope_lot_only", scope == "lot_only");
    data.set("f_reason", std::string(page.form.Get("reason")));
    return data;
  }

  Response RecallNew(Page& page) {
    if (!report::MayInspect(page.actor())) {
      return Failed(page, core::PermissionDenied("not an inspector"));
    }
    const std::string lot_id = Query(page, "lot");
    core::Result<store::Lot> lot = registry::GetLot(ctx_, page.actor(), lot_id);
    if (!lot.ok()) return Failed(page, lot.error());
    return ShowInspect(page, "recall_form", RecallFormData(page, lot_id));
  }

  Response RecallCreate(Page& page) {
    const std::string lot_id(page.form.Get("lot_id"));
    if (page.form.Get("confirm") != "1") {
      Data data = RecallFormData(page, lot_id);
      data.set("err_confirm", view().ErrorText(page.lang, "confirm.required"));
      return ShowInspect(page, "recall_form", std::move(data), 400);
    }
    core::Result<store::Recall> recall =
        report::OrderRecall(ictx_, page.actor(),
                            {.lot_id = lot_id,
                             .reason = std::string(page.form.Get("reason")),
                             .scope = std::string(page.form.Get("scope")),
                             .actor_name = DisplayName(page)});
    if (!recall.ok()) {
      if (recall.error().code == core::ErrorCode::kNotFound) return Failed(page, recall.error());
      Data data = RecallFormData(page, lot_id);
      FormErrors(page, data, recall.error());
      return ShowInspect(page, "recall_form", std::move(data), ProblemOf(recall.error()).status);
    }
    return Redirect("/app/inspect/recalls/" + UrlEncode(recall->id) + "?saved=1");
  }

  Response RecallDetail(Page& page) {
    core::Result<store::Recall> recall =
        report::GetRecall(ictx_, page.actor(), page.req.PathParam("id"));
    if (!recall.ok()) return Failed(page, recall.error());
    const store::Recall& r = *recall;
    Data data;
    data.set("saved", Query(page, "saved") == "1");
    data.set("lot", LotName(page, r.lot_id));
    data.set("org", OrgName(page, r.org_id));
    data.set("reason", r.reason);
    data.set("date", ShowVietnamTime(r.created_at, true));
    data.set("scope", T(page, "recall.scope." + std::string(report::RecallScopeName(r.scope))));
    data.set("actor", r.actor_name.empty() ? r.actor : r.actor_name);
    Data lots = List();
    for (const store::RecalledLot& l : r.lots) {
      Data row;
      row.set("lot", LotName(page, l.lot_id));
      row.set("org", OrgName(page, l.org_id));
      row.set("root", l.lot_id == r.lot_id);
      lots.push_back(row);
    }
    data.set("lots", lots);
    Data parties = List();
    for (const store::RecallParty& p : r.parties) {
      Data row;
      row.set("org", OrgName(page, p.org_id));
      row.set("role", T(page, "recall.role." + std::string(report::RecallRoleName(p.role))));
      parties.push_back(row);
    }
    data.set("parties", parties);
    const std::string base = "/app/inspect/recalls/" + UrlEncode(r.id);
    data.set("csv_href", base + "/report.csv");
    data.set("html_href", base + "/report.html?report_lang=" + page.lang);
    return ShowInspect(page, "recall_detail", std::move(data));
  }

  Response RecallReportCsv(Page& page) {
    core::Result<store::Recall> recall =
        report::GetRecall(ictx_, page.actor(), page.req.PathParam("id"));
    if (!recall.ok()) return Failed(page, recall.error());
    Response res = Response::Text(200, recall->report_csv, "text/csv; charset=utf-8");
    res.headers["Content-Disposition"] = "attachment; filename=\"thu-hoi-" + recall->id + ".csv\"";
    return res;
  }

  Response RecallReportHtml(Page& page) {
    core::Result<store::Recall> recall =
        report::GetRecall(ictx_, page.actor(), page.req.PathParam("id"));
    if (!recall.ok()) return Failed(page, recall.error());
    const bool english = Query(page, "report_lang") == "en";
    Response res = Response::Text(200, english ? recall->report_html_en : recall->report_html_vi,
                                  "text/html; charset=utf-8");
    // The report's own inline style (it is a standalone printable page, no scripts).
    res.headers["Content-Security-Policy"] =
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
    return res;
  }

 private:
  const report::InspectContext ictx_;
};

}  // namespace

core::Status RegisterInspectApp(Router& router, ProducerAppContext& context) {
  VNTRACE_ASSIGN_OR_RETURN(registry::PlatformIds ids,
                           registry::PlatformIds::Create(context.base_url));
  // Shared by the handlers the router holds (their one owner is the router).
  auto app = std::make_shared<InspectApp>(context, std::move(ids));
  using P = InspectApp;
  const std::pair<Method, std::pair<std::string_view, InspectApp::PageMethod>> routes[] = {
      {Method::kGet, {"/app/inspect", &P::Home}},
      {Method::kGet, {"/app/inspect/check", &P::Check}},
      {Method::kPost, {"/app/inspect/check/photo", &P::CheckPhoto}},
      {Method::kGet, {"/app/inspect/trace", &P::Trace}},
      {Method::kGet, {"/app/inspect/orgs", &P::Orgs}},
      {Method::kGet, {"/app/inspect/orgs/{id}", &P::Org}},
      {Method::kGet, {"/app/inspect/inspections", &P::Inspections}},
      {Method::kGet, {"/app/inspect/inspections/new", &P::InspectionNew}},
      {Method::kPost, {"/app/inspect/inspections/new", &P::InspectionCreate}},
      {Method::kGet, {"/app/inspect/inspections/{id}", &P::InspectionDetail}},
      {Method::kPost, {"/app/inspect/inspections/{id}/photos", &P::PhotoAdd}},
      {Method::kGet, {"/app/inspect/photos/{id}", &P::Photo}},
      {Method::kGet, {"/app/inspect/recalls", &P::Recalls}},
      {Method::kGet, {"/app/inspect/recalls/new", &P::RecallNew}},
      {Method::kPost, {"/app/inspect/recalls/new", &P::RecallCreate}},
      {Method::kGet, {"/app/inspect/recalls/{id}", &P::RecallDetail}},
      {Method::kGet, {"/app/inspect/recalls/{id}/report.csv", &P::RecallReportCsv}},
      {Method::kGet, {"/app/inspect/recalls/{id}/report.html", &P::RecallReportHtml}},
  };
  for (const auto& [method, route] : routes) {
    router.Add(method, route.first, app->Wrap(app, route.second));
  }
  return core::Ok();
}

}  // namespace vntrace::http::pages
