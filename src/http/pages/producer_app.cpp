#include "http/pages/producer_app.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include <boost/json.hpp>

#include "core/log.hpp"
#include "http/pages/form.hpp"
#include "http/pages/internal/app_shell.hpp"
#include "http/pages/internal/assets.hpp"
#include "http/pages/internal/view.hpp"
#include "registry/diary.hpp"
#include "registry/media.hpp"
#include "registry/registry.hpp"
#include "registry/validation.hpp"
#include "report/inspection.hpp"
#include "report/problem_reports.hpp"

namespace vntrace::http::pages {
namespace {

namespace json = boost::json;
namespace mustache = kainjow::mustache;
using internal::Data;
using internal::ErrorField;
using internal::kLoginCsrfCookie;
using internal::kSessionCookie;
using internal::List;
using internal::Page;

constexpr std::string_view kLastCookie = "vt_last";

std::optional<double> ParseNumber(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string copy(text);
  std::replace(copy.begin(), copy.end(), ',', '.');
  char* end = nullptr;
  double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return std::nullopt;
  return value;
}

std::string FormatNumber(const std::optional<double>& value) {
  if (!value) return {};
  std::string text = std::to_string(*value);
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

// "2026-03-02 08:15" in Vietnam time.
std::string VietnamTime(const core::Timestamp& t) {
  std::string text = core::FormatRfc3339(t.Plus(std::chrono::hours(7)), 0);
  if (text.size() >= 16) text = text.substr(0, 16);
  std::replace(text.begin(), text.end(), 'T', ' ');
  return text;
}

class ProducerApp : public internal::AppShell {
 public:
  using AppShell::AppShell;

  using PageMethod = Response (ProducerApp::*)(Page&);

  // Wraps a page: language, session (login redirect), form parsing and the CSRF check.
  Handler Wrap(std::shared_ptr<ProducerApp> self, PageMethod method, bool needs_session) {
    return [self, method, needs_session](Request& req) {
      return self->Dispatch(req, needs_session,
                            [&self, method](Page& page) { return ((*self).*method)(page); });
    };
  }

  std::vector<std::pair<std::string, std::string>> ProductChoices(Page& page) {
    std::vector<std::pair<std::string, std::string>> out;
    core::Result<std::vector<store::Product>> products =
        registry::ListProducts(ctx_, page.actor(), page.org());
    if (products.ok()) {
      for (const store::Product& p : *products) out.emplace_back(p.id, p.name);
    }
    return out;
  }

  std::vector<std::pair<std::string, std::string>> FacilityChoices(Page& page) {
    std::vector<std::pair<std::string, std::string>> out;
    core::Result<std::vector<store::Facility>> facilities =
        registry::ListFacilities(ctx_, page.actor(), page.org());
    if (facilities.ok()) {
      for (const store::Facility& f : *facilities) {
        out.emplace_back(
            f.id, f.name + " (" +
                      view_.Text(page.lang, "facility.kind." +
                                                std::string(registry::FacilityKindName(f.kind))) +
                      ")");
      }
    }
    return out;
  }

  // ---- login, logout, home

  Response LoginForm(Page& page) {
    Data data;
    std::string token = app_.random.Hex(16);
    data.set("login_csrf", token);
    page.cookies.push_back(Cookie(page.req, kLoginCsrfCookie, token, "3600"));
    return Show(page, "login", std::move(data));
  }

  Response LoginSubmit(Page& page) {
    Data data;
    data.set("f_email", std::string(page.form.Get("email")));
    std::string_view expected = CookieValue(page.req.Header("Cookie"), kLoginCsrfCookie);
    if (expected.empty() || expected != page.form.Get("login_csrf")) {
      return ErrorPage(page, core::PermissionDenied("login form token missing or wrong", "csrf"));
    }
    core::Result<registry::LoginResult> login =
        registry::Login(ctx_, page.form.Get("email"), page.form.Get("password"),
                        page.req.remote_address, app_.accounts);
    if (!login.ok()) {
      std::string token = app_.random.Hex(16);
      data.set("login_csrf", token);
      page.cookies.push_back(Cookie(page.req, kLoginCsrfCookie, token, "3600"));
      data.set("err_form",
               view_.ErrorText(page.lang, login.error().code == core::ErrorCode::kResourceExhausted
                                              ? "login.rate_limited"
                                              : "login.failed"));
      return Show(page, "login", std::move(data),
                  login.error().code == core::ErrorCode::kResourceExhausted ? 429 : 401);
    }
    Response res = Redirect("/app");
    res.cookies = page.cookies;
    res.cookies.push_back(Cookie(page.req, kSessionCookie, login->session_token,
                                 std::to_string(app_.accounts.session_lifetime.count())));
    return res;
  }

  Response LogoutSubmit(Page& page) {
    (void)registry::Logout(ctx_, CookieValue(page.req.Header("Cookie"), kSessionCookie));
    Response res = Redirect("/app/login");
    res.cookies.push_back(Cookie(page.req, kSessionCookie, "", "0"));
    return res;
  }

  Response Home(Page& page) {
    // The authorities' start page is their workspace (authority_app.hpp).
    if (page.actor().Is(store::Role::kAuthorityOfficer) ||
        page.actor().Is(store::Role::kSystemAdmin)) {
      return Redirect("/app/authority");
    }
    if (page.actor().Is(store::Role::kInspector)) return Redirect("/app/inspect");
    Data data;
    core::Result<store::Organisation> org =
        registry::GetOrganisation(ctx_, page.actor(), page.org());
    if (org.ok()) data.set("org_name", org->name);
    RecallNotices(page, data);
    // Consumers' problem reports not handled yet (report/problem_reports.hpp, /app/problems).
    if (core::Result<std::int64_t> open = report::CountOpenProblemReports(
            {app_.store, app_.clock, app_.random, std::string_view()}, page.actor());
        open.ok() && *open > 0) {
      data.set("open_problems", std::to_string(*open));
    }
    return Show(page, "home", std::move(data));
  }

  // ---- products

  Data ProductRow(Page& page, const store::Product& p) {
    Data row;
    row.set("name", p.name);
    row.set("code", p.gtin.empty() ? p.identifier : p.gtin);
    row.set("edit", "/app/products/" + UrlEncode(p.id) + "/edit");
    SetImage(row, p.image_ref, kThumbnailBox);
    if (p.ocop) {
      std::string stars;
      for (int i = 0; i < p.ocop->stars && i < 5; ++i) stars += "★";
      row.set("stars", stars);
      row.set("ocop_expired", registry::OcopExpired(p, app_.clock));
    }
    (void)page;
    return row;
  }

  Response Products(Page& page) {
    core::Result<std::vector<store::Product>> products =
        registry::ListProducts(ctx_, page.actor(), page.org());
    if (!products.ok()) return ErrorPage(page, products.error());
    Data rows = List();
    for (const store::Product& p : *products) rows.push_back(ProductRow(page, p));
    Data data;
    data.set("products", rows);
    data.set("empty", products->empty());
    return Show(page, "products", std::move(data));
  }

  static constexpr int kThumbnailBox = 64;

  // "image" (its URL), "image_width" and "image_height" (to fit a `box` square) of a stored file.
  void SetImage(Data& data, const std::string& ref, int box) {
    const std::string_view id = registry::MediaIdOf(ref);
    if (id.empty()) return;
    core::Result<store::MediaInfo> info = registry::GetMediaInfo(ctx_, id);
    if (!info.ok()) return;
    const registry::DisplaySize size = registry::FitInBox(info->width, info->height, box);
    data.set("image", ref);
    data.set("image_width", std::to_string(size.width));
    data.set("image_height", std::to_string(size.height));
  }

  // The uploaded file of a form when its field is `field` and it is not empty.
  static std::string_view UploadOf(const Page& page, std::string_view field) {
    if (!page.form.file || page.form.file->field != field) return {};
    return page.form.file->content;
  }

  Data ProductFormData(Page& page, const store::Product* p, std::string_view stars) {
    Data data;
    data.set("max_image_mb", std::to_string(registry::kMaxImageBytes >> 20));
    if (p) {
      SetImage(data, p->image_ref, 160);
      data.set("f_name", p->name);
      data.set("f_gtin", p->gtin);
      data.set("f_description", p->description);
      data.set("f_category", p->category);
      data.set("f_unit", p->unit);
      data.set("f_brand", p->brand);
      data.set("f_origin", p->origin);
      std::string standards;
      for (const std::string& s : p->standards) standards += s + "\n";
      data.set("f_standards", standards);
      if (p->ocop) {
        data.set("f_ocop_decision_number", p->ocop->decision_number);
        data.set("f_ocop_decision_date", p->ocop->decision_date);
        data.set("f_ocop_valid_until", p->ocop->valid_until);
      }
      data.set("action", "/app/products/" + UrlEncode(p->id) + "/edit");
      data.set("editing", true);
    } else {
      data.set("action", "/app/products/new");
      data.set("f_unit", "kg");
      data.set("f_origin", "Việt Nam");
    }
    std::vector<std::pair<std::string, std::string>> star_values;
    for (int i = 1; i <= 5; ++i) {
      star_values.emplace_back(std::to_string(i), std::to_string(i) + " ★");
    }
    data.set("star_options",
             Options(star_values, stars, true, view_.Text(page.lang, "product.ocop.none")));
    return data;
  }

  store::Product ProductFromForm(Page& page) {
    const FormData& f = page.form;
    store::Product p;
    p.org_id = page.org();
    p.name = f.Get("name");
    p.gtin = f.Get("gtin");
    p.description = f.Get("description");
    p.category = f.Get("category");
    p.unit = f.Get("unit");
    p.brand = f.Get("brand");
    p.origin = f.Get("origin");
    std::string_view standards = f.Get("standards");
    std::size_t pos = 0;
    while (pos <= standards.size()) {
      std::size_t nl = standards.find('\n', pos);
      std::string_view line = standards.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
      pos = nl == std::string_view::npos ? standards.size() + 1 : nl + 1;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
      if (!line.empty()) p.standards.emplace_back(line);
    }
    if (std::string_view stars = f.Get("ocop_stars"); !stars.empty()) {
      std::optional<double> n = ParseNumber(stars);
      p.ocop = store::OcopRating{.stars = n ? static_cast<int>(*n) : 0,
                                 .decision_number = std::string(f.Get("ocop_decision_number")),
                                 .decision_date = std::string(f.Get("ocop_decision_date")),
                                 .valid_until = std::string(f.Get("ocop_valid_until"))};
    }
    return p;
  }

  Response ProductNew(Page& page) {
    return Show(page, "product_form", ProductFormData(page, nullptr, ""));
  }

  Response ProductCreate(Page& page) {
    core::Result<store::Product> created = registry::CreateProductWithImage(
        ctx_, page.actor(), ProductFromForm(page), UploadOf(page, "image"));
    if (!created.ok()) {
      Data data = ProductFormData(page, nullptr, page.form.Get("ocop_stars"));
      FormErrors(page, data, created.error());
      return Show(page, "product_form", std::move(data), ProblemOf(created.error()).status);
    }
    return Redirect("/app/products?saved=1");
  }

  // The product `id` when the signed-in organisation may change it.
  core::Result<store::Product> OwnProduct(Page& page, std::string_view id) {
    VNTRACE_ASSIGN_OR_RETURN(store::Product p, registry::GetProduct(ctx_, page.actor(), id));
    if (!registry::CanWriteOrgData(page.actor(), p.org_id)) {
      return core::NotFound("no such product in your organisation", "product_id.not_found");
    }
    return p;
  }

  Response ProductEdit(Page& page) {
    core::Result<store::Product> p = OwnProduct(page, page.req.PathParam("id"));
    if (!p.ok()) return ErrorPage(page, p.error());
    return Show(page, "product_form",
                ProductFormData(page, &*p, p->ocop ? std::to_string(p->ocop->stars) : ""));
  }

  Response ProductUpdate(Page& page) {
    core::Result<store::Product> stored = OwnProduct(page, page.req.PathParam("id"));
    if (!stored.ok()) return ErrorPage(page, stored.error());
    store::Product changed = ProductFromForm(page);
    changed.id = stored->id;
    changed.org_id = stored->org_id;
    changed.image_ref = stored->image_ref;
    core::Result<store::Product> updated =
        registry::UpdateProductWithImage(ctx_, page.actor(), changed, UploadOf(page, "image"));
    if (!updated.ok()) {
      Data data = ProductFormData(page, &*stored, page.form.Get("ocop_stars"));
      FormErrors(page, data, updated.error());
      return Show(page, "product_form", std::move(data), ProblemOf(updated.error()).status);
    }
    return Redirect("/app/products?saved=1");
  }

  Response ProductExport(Page& page) {
    core::Result<std::string> csv = registry::ExportProductsForGs1(ctx_, page.actor(), page.org());
    if (!csv.ok()) return ErrorPage(page, csv.error());
    Response res = Response::Text(200, std::move(*csv), "text/csv; charset=utf-8");
    res.headers["Content-Disposition"] = "attachment; filename=\"san-pham-gs1.csv\"";
    res.headers["Cache-Control"] = "no-store";
    return res;
  }

  // ---- facilities

  Response Facilities(Page& page) {
    core::Result<std::vector<store::Facility>> facilities =
        registry::ListFacilities(ctx_, page.actor(), page.org());
    if (!facilities.ok()) return ErrorPage(page, facilities.error());
    Data rows = List();
    for (const store::Facility& f : *facilities) {
      Data row;
      row.set("name", f.name);
      row.set("kind", view_.Text(page.lang, "facility.kind." +
                                                std::string(registry::FacilityKindName(f.kind))));
      row.set("crop", f.crop);
      row.set("area", FormatNumber(f.area_m2));
      row.set("code", f.gln.empty() ? f.identifier : f.gln);
      row.set("edit", "/app/facilities/" + UrlEncode(f.id) + "/edit");
      rows.push_back(row);
    }
    Data data;
    data.set("facilities", rows);
    data.set("empty", facilities->empty());
    return Show(page, "facilities", std::move(data));
  }

  Data FacilityFormData(Page& page, const store::Facility* f, std::string_view kind,
                        std::string_view parent) {
    Data data;
    if (f) {
      data.set("f_name", f->name);
      data.set("f_gln", f->gln);
      data.set("f_crop", f->crop);
      data.set("f_area_m2", FormatNumber(f->area_m2));
      data.set("f_latitude", FormatNumber(f->latitude));
      data.set("f_longitude", FormatNumber(f->longitude));
      data.set("f_province", f->address.province);
      data.set("f_commune", f->address.commune);
      data.set("f_street", f->address.street);
      data.set("action", "/app/facilities/" + UrlEncode(f->id) + "/edit");
    } else {
      data.set("action", "/app/facilities/new");
    }
    std::vector<std::pair<std::string, std::string>> kinds;
    for (std::string_view k : {"farm", "plot", "workshop", "warehouse", "shop"}) {
      kinds.emplace_back(std::string(k), view_.Text(page.lang, "facility.kind." + std::string(k)));
    }
    data.set("kind_options", Options(kinds, kind.empty() ? "plot" : kind, false, ""));
    data.set("parent_options",
             Options(FacilityChoices(page), parent, true, view_.Text(page.lang, "common.none")));
    return data;
  }

  store::Facility FacilityFromForm(Page& page) {
    const FormData& f = page.form;
    store::Facility facility;
    facility.org_id = page.org();
    core::Result<store::FacilityKind> kind = registry::ParseFacilityKind(f.Get("kind"));
    facility.kind = kind.ok() ? *kind : store::FacilityKind::kPlot;
    facility.name = f.Get("name");
    facility.gln = f.Get("gln");
    facility.parent_id = f.Get("parent_id");
    facility.crop = f.Get("crop");
    facility.area_m2 = ParseNumber(f.Get("area_m2"));
    facility.latitude = ParseNumber(f.Get("latitude"));
    facility.longitude = ParseNumber(f.Get("longitude"));
    facility.address = {.province = std::string(f.Get("province")),
                        .commune = std::string(f.Get("commune")),
                        .street = std::string(f.Get("street"))};
    return facility;
  }

  Response FacilityNew(Page& page) {
    return Show(page, "facility_form", FacilityFormData(page, nullptr, "", ""));
  }

  Response FacilityCreate(Page& page) {
    core::Result<store::Facility> created =
        registry::CreateFacility(ctx_, page.actor(), FacilityFromForm(page));
    if (!created.ok()) {
      Data data =
          FacilityFormData(page, nullptr, page.form.Get("kind"), page.form.Get("parent_id"));
      FormErrors(page, data, created.error());
      return Show(page, "facility_form", std::move(data), ProblemOf(created.error()).status);
    }
    return Redirect("/app/facilities?saved=1");
  }

  Response FacilityEdit(Page& page) {
    core::Result<store::Facility> f =
        registry::GetFacility(ctx_, page.actor(), page.req.PathParam("id"));
    if (!f.ok() || !registry::CanWriteOrgData(page.actor(), f->org_id)) {
      return ErrorPage(page, core::NotFound("no such facility", "facility_id.not_found"));
    }
    return Show(page, "facility_form",
                FacilityFormData(page, &*f, registry::FacilityKindName(f->kind), f->parent_id));
  }

  Response FacilityUpdate(Page& page) {
    core::Result<store::Facility> stored =
        registry::GetFacility(ctx_, page.actor(), page.req.PathParam("id"));
    if (!stored.ok() || !registry::CanWriteOrgData(page.actor(), stored->org_id)) {
      return ErrorPage(page, core::NotFound("no such facility", "facility_id.not_found"));
    }
    store::Facility changed = FacilityFromForm(page);
    changed.id = stored->id;
    changed.org_id = stored->org_id;
    core::Result<store::Facility> updated = registry::UpdateFacility(ctx_, page.actor(), changed);
    if (!updated.ok()) {
      Data data =
          FacilityFormData(page, &*stored, page.form.Get("kind"), page.form.Get("parent_id"));
      FormErrors(page, data, updated.error());
      return Show(page, "facility_form", std::move(data), ProblemOf(updated.error()).status);
    }
    return Redirect("/app/facilities?saved=1");
  }

  // ---- certificates

  Response Certificates(Page& page) {
    core::Result<std::vector<registry::CertificateView>> certs =
        registry::ListCertificates(ctx_, page.actor(), page.org());
    if (!certs.ok()) return ErrorPage(page, certs.error());
    Data rows = List();
    for (const registry::CertificateView& c : *certs) {
      Data row;
      row.set("kind", c.certificate.kind);
      row.set("number", c.certificate.number);
      row.set("issuer", c.certificate.issuer);
      row.set("valid_until", c.certificate.valid_until);
      row.set("expired", c.expired);
      row.set("edit", "/app/certificates/" + UrlEncode(c.certificate.id) + "/edit");
      if (!registry::MediaIdOf(c.certificate.file_ref).empty()) {
        row.set("file", c.certificate.file_ref);
      }
      rows.push_back(row);
    }
    Data data;
    data.set("certificates", rows);
    data.set("empty", certs->empty());
    return Show(page, "certificates", std::move(data));
  }

  // The form of a new certificate, or of `stored` (its values, unless a submitted form echoes
  // them through FormErrors).
  Data CertificateFormData(Page& page, const store::Certificate* stored = nullptr) {
    Data data;
    std::string product_id(page.form.Get("product_id"));
    std::string facility_id(page.form.Get("facility_id"));
    data.set("action", "/app/certificates/new");
    data.set("max_file_mb", std::to_string(registry::kMaxCertificateFileBytes >> 20));
    if (stored) {
      if (page.form.fields.empty()) {
        product_id = stored->product_id;
        facility_id = stored->facility_id;
        data.set("f_kind", stored->kind);
        data.set("f_number", stored->number);
        data.set("f_issuer", stored->issuer);
        data.set("f_issued_on", stored->issued_on);
        data.set("f_valid_until", stored->valid_until);
      }
      data.set("editing", true);
      data.set("action", "/app/certificates/" + UrlEncode(stored->id) + "/edit");
      if (!registry::MediaIdOf(stored->file_ref).empty()) data.set("file", stored->file_ref);
    }
    data.set("product_options",
             Options(ProductChoices(page), product_id, true, view_.Text(page.lang, "common.none")));
    data.set("facility_options", Options(FacilityChoices(page), facility_id, true,
                                         view_.Text(page.lang, "common.none")));
    return data;
  }

  store::Certificate CertificateFromForm(Page& page) {
    const FormData& f = page.form;
    return store::Certificate{.org_id = page.org(),
                              .product_id = std::string(f.Get("product_id")),
                              .facility_id = std::string(f.Get("facility_id")),
                              .kind = std::string(f.Get("kind")),
                              .number = std::string(f.Get("number")),
                              .issuer = std::string(f.Get("issuer")),
                              .issued_on = std::string(f.Get("issued_on")),
                              .valid_until = std::string(f.Get("valid_until"))};
  }

  Response CertificateNew(Page& page) {
    return Show(page, "certificate_form", CertificateFormData(page));
  }

  Response CertificateCreate(Page& page) {
    core::Result<registry::CertificateView> created = registry::CreateCertificateWithFile(
        ctx_, page.actor(), CertificateFromForm(page), UploadOf(page, "file"));
    if (!created.ok()) {
      Data data = CertificateFormData(page);
      FormErrors(page, data, created.error());
      return Show(page, "certificate_form", std::move(data), ProblemOf(created.error()).status);
    }
    return Redirect("/app/certificates?saved=1");
  }

  // The certificate `id` when the signed-in organisation may change it; kNotFound otherwise,
  // so that another organisation's certificates are not even confirmed to exist.
  core::Result<store::Certificate> OwnCertificate(Page& page, std::string_view id) {
    core::Result<registry::CertificateView> c = registry::GetCertificate(ctx_, page.actor(), id);
    if (!c.ok() || !registry::CanWriteOrgData(page.actor(), c->certificate.org_id)) {
      return core::NotFound("no such certificate in your organisation", "certificate_id.not_found");
    }
    return std::move(c->certificate);
  }

  Response CertificateEdit(Page& page) {
    core::Result<store::Certificate> c = OwnCertificate(page, page.req.PathParam("id"));
    if (!c.ok()) return ErrorPage(page, c.error());
    return Show(page, "certificate_form", CertificateFormData(page, &*c));
  }

  Response CertificateUpdate(Page& page) {
    core::Result<store::Certificate> stored = OwnCertificate(page, page.req.PathParam("id"));
    if (!stored.ok()) return ErrorPage(page, stored.error());
    store::Certificate changed = CertificateFromForm(page);
    changed.id = stored->id;
    changed.file_ref = stored->file_ref;
    core::Result<registry::CertificateView> updated = registry::UpdateCertificateWithFile(
        ctx_, page.actor(), std::move(changed), UploadOf(page, "file"));
    if (!updated.ok()) {
      Data data = CertificateFormData(page, &*stored);
      FormErrors(page, data, updated.error());
      return Show(page, "certificate_form", std::move(data), ProblemOf(updated.error()).status);
    }
    return Redirect("/app/certificates?saved=1");
  }

  // ---- lots

  // The recalls the organisation is a party of (report/inspection.hpp), as "recall_notices";
  // returns the ids of its lots they recalled.
  std::set<std::string> RecallNotices(Page& page, Data& data) {
    std::set<std::string> recalled;
    const report::InspectContext ictx{app_.store, app_.clock, app_.random, app_.base_url};
    core::Result<std::vector<store::Recall>> recalls =
        report::RecallNotices(ictx, page.actor(), page.org());
    if (!recalls.ok()) return recalled;
    Data notices = List();
    for (const store::Recall& r : *recalls) {
      Data notice;
      notice.set("date", VietnamTime(r.created_at));
      notice.set("reason", r.reason);
      notice.set("href", "/app/inspect/recalls/" + UrlEncode(r.id));
      Data lots = List();
      for (const store::RecalledLot& l : r.lots) {
        if (l.org_id != page.org()) continue;
        recalled.insert(l.lot_id);
        core::Result<store::Lot> lot = registry::GetLot(ctx_, page.actor(), l.lot_id);
        Data item;
        item.set("code", lot.ok() ? lot->code : l.lot_id);
        lots.push_back(item);
      }
      notice.set("lots", lots);
      notices.push_back(notice);
    }
    data.set("recall_notices", notices);
    return recalled;
  }

  Response Lots(Page& page) {
    Data data;
    const std::set<std::string> recalled = RecallNotices(page, data);
    Data rows = List();
    core::Result<std::vector<store::Product>> products =
        registry::ListProducts(ctx_, page.actor(), page.org());
    if (!products.ok()) return ErrorPage(page, products.error());
    bool empty = true;
    for (const store::Product& p : *products) {
      core::Result<std::vector<store::Lot>> lots = registry::ListLots(ctx_, page.actor(), p.id);
      if (!lots.ok()) continue;
      for (const store::Lot& lot : *lots) {
        Data row;
        row.set("product", p.name);
        row.set("code", lot.code);
        row.set("produced_on", lot.produced_on);
        row.set("expires_on", lot.expires_on);
        row.set("quantity", FormatNumber(lot.quantity) + " " + lot.unit);
        row.set("recalled", recalled.count(lot.id) > 0);
        rows.push_back(row);
        empty = false;
      }
    }
    data.set("lots", rows);
    data.set("empty", empty);
    return Show(page, "lots", std::move(data));
  }

  Data LotFormData(Page& page) {
    Data data;
    data.set("product_options",
             Options(ProductChoices(page), page.form.Get("product_id"), false, ""));
    data.set("f_produced_on", registry::TodayInVietnam(app_.clock));
    data.set("f_unit", "kg");
    return data;
  }

  Response LotNew(Page& page) { return Show(page, "lot_form", LotFormData(page)); }

  Response LotCreate(Page& page) {
    const FormData& f = page.form;
    store::Lot lot{.org_id = page.org(),
                   .product_id = std::string(f.Get("product_id")),
                   .code = std::string(f.Get("code")),
                   .produced_on = std::string(f.Get("produced_on")),
                   .expires_on = std::string(f.Get("expires_on")),
                   .quantity = ParseNumber(f.Get("quantity")),
                   .unit = std::string(f.Get("unit"))};
    core::Result<store::Lot> created = registry::CreateLot(ctx_, page.actor(), std::move(lot));
    if (!created.ok()) {
      Data data = LotFormData(page);
      FormErrors(page, data, created.error());
      return Show(page, "lot_form", std::move(data), ProblemOf(created.error()).status);
    }
    return Redirect("/app/lots?saved=1");
  }

  // ---- the production diary

  std::string TemplateName(Page& page, const registry::DiaryTemplate& t) const {
    return std::string(page.lang == "en" ? t.name_en : t.name_vi);
  }

  Response DiaryChoose(Page& page) {
    Data groups = List();
    for (registry::DiaryKind kind : {registry::DiaryKind::kCrop, registry::DiaryKind::kProcessing,
                                     registry::DiaryKind::kTrade}) {
      Data items = List();
      for (const registry::DiaryTemplate& t : registry::DiaryTemplates()) {
        if (t.kind != kind) continue;
        Data item;
        item.set("name", TemplateName(page, t));
        item.set("href", "/app/diary/new/" + std::string(t.id));
        item.set("id", std::string(t.id));
        items.push_back(item);
      }
      Data group;
      group.set("kind",
                view_.Text(page.lang, "diary.kind." + std::string(registry::DiaryKindName(kind))));
      group.set("templates", items);
      groups.push_back(group);
    }
    Data data;
    data.set("groups", groups);
    return Show(page, "diary_choose", std::move(data));
  }

  // A new UUID (version 4 layout) for a diary entry.
  std::string NewEntryId() {
    std::string hex = app_.random.Hex(16);
    hex[12] = '4';
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20, 12);
  }

  Data DiaryFormData(Page& page, const registry::DiaryTemplate& t, const core::Error* error) {
    std::string_view last = CookieValue(page.req.Header("Cookie"), kLastCookie);
    core::Result<FormData> remembered = ParseUrlEncoded(last);
    std::string last_facility(remembered.ok() ? remembered->Get("f") : "");
    std::string last_product(remembered.ok() ? remembered->Get("p") : "");
    std::string error_field =
        error && error->code == core::ErrorCode::kInvalidArgument ? ErrorField(error->details) : "";
    auto facilities = FacilityChoices(page);
    auto products = ProductChoices(page);
    Data fields = List();
    for (const registry::DiaryField& field : t.fields) {
      std::string name(field.name);
      std::vector<std::string> values;
      for (const auto& [k, v] : page.form.fields) {
        if (k == name) values.push_back(v);
      }
      if (values.empty()) {
        std::string value;
        if (field.type == registry::DiaryFieldType::kDate ||
            field.type == registry::DiaryFieldType::kDateTime) {
          if (field.required || field.type == registry::DiaryFieldType::kDateTime) {
            value = registry::TodayInVietnam(app_.clock);
          }
        } else if (field.type == registry::DiaryFieldType::kFacility) {
          value = last_facility;
        } else if (field.type == registry::DiaryFieldType::kProduct) {
          value = last_product;
        } else if (field.type == registry::DiaryFieldType::kUnit) {
          value = field.unit_hint.empty() ? "kg" : std::string(field.unit_hint);
        }
        values.push_back(value);
        if (field.repeated) values.push_back("");
      }
      for (std::size_t i = 0; i < values.size(); ++i) {
        Data item;
        item.set("name", name);
        item.set("id", "d_" + name + (i ? "_" + std::to_string(i) : ""));
        item.set("label", std::string(page.lang == "en" ? field.label_en : field.label_vi));
        // kainjow mustache treats an empty string as true: set a hint only when there is one.
        if (!field.unit_hint.empty()) item.set("hint", std::string(field.unit_hint));
        item.set("required", field.required && i == 0);
        item.set("value", values[i]);
        item.set("first", i == 0);
        switch (field.type) {
          case registry::DiaryFieldType::kFacility:
            item.set("select", true);
            item.set("options", Options(facilities, values[i], !field.required, "—"));
            break;
          case registry::DiaryFieldType::kProduct:
            item.set("select", true);
            item.set("options", Options(products, values[i], !field.required, "—"));
            break;
          case registry::DiaryFieldType::kNumber:
          case registry::DiaryFieldType::kInteger:
            item.set("input_type", "text");
            item.set("numeric", true);
            break;
          case registry::DiaryFieldType::kDate:
          case registry::DiaryFieldType::kDateTime:
            item.set("input_type", "date");
            break;
          default:
            item.set("input_type", "text");
        }
        if (field.name == "note") item.set("textarea", true);
        if (i == 0 && name == error_field) {
          item.set("error", view_.ErrorText(page.lang, error->details));
        }
        fields.push_back(item);
      }
    }
    Data data;
    data.set("fields", fields);
    data.set("template_id", std::string(t.id));
    data.set("template_name", TemplateName(page, t));
    std::string entry_id(page.form.Get("entry_id"));
    data.set("entry_id", entry_id.empty() ? NewEntryId() : entry_id);
    if (error && error_field.empty()) {
      data.set("err_form",
               view_.ErrorText(page.lang, error->details.empty() ? "generic" : error->details));
    } else if (error) {
      bool shown = false;
      for (const registry::DiaryField& field : t.fields) shown |= field.name == error_field;
      if (!shown) data.set("err_form", view_.ErrorText(page.lang, error->details));
    }
    return data;
  }

  Response DiaryForm(Page& page) {
    const registry::DiaryTemplate* t = registry::FindDiaryTemplate(page.req.PathParam("template"));
    if (!t) return ErrorPage(page, core::NotFound("no such diary template"));
    return Show(page, "diary_form", DiaryFormData(page, *t, nullptr));
  }

  Data WarningList(Page& page, const std::vector<registry::DiaryWarning>& warnings) {
    Data list = List();
    for (const registry::DiaryWarning& w : warnings) {
      Data item;
      std::string key = "warning." + w.code;
      std::string text = view_.Text(page.lang, key);
      item.set("text", text == key ? w.message : text);
      item.set("detail", w.message);
      list.push_back(item);
    }
    return list;
  }

  Response DiarySubmit(Page& page) {
    const registry::DiaryTemplate* t = registry::FindDiaryTemplate(page.req.PathParam("template"));
    if (!t) return ErrorPage(page, core::NotFound("no such diary template"));
    registry::DiaryStepInput input{.entry_id = std::string(page.form.Get("entry_id")),
                                   .org_id = page.org(),
                                   .template_id = std::string(t->id)};
    for (const auto& [name, value] : page.form.fields) {
      if (name == "csrf" || name == "entry_id" || value.empty()) continue;
      input.fields.emplace_back(name, value);
    }
    core::Result<registry::DiaryStepResult> step = registry::RecordStep(ctx_, page.actor(), input);
    if (!step.ok()) {
      return Show(page, "diary_form", DiaryFormData(page, *t, &step.error()),
                  ProblemOf(step.error()).status);
    }
    Data data;
    data.set("template_name", TemplateName(page, *t));
    data.set("event_id", step->entry.event_id);
    data.set("entry_id", step->entry.id);
    data.set("occurred_at", VietnamTime(step->entry.occurred_at));
    data.set("replayed", step->replayed);
    data.set("warnings", WarningList(page, step->warnings));
    data.set("has_warnings", !step->warnings.empty());
    if (!step->entry.lot_id.empty()) {
      core::Result<store::Lot> lot = registry::GetLot(ctx_, page.actor(), step->entry.lot_id);
      if (lot.ok()) data.set("lot_code", lot->code);
    }
    page.cookies.push_back(Cookie(page.req, kLastCookie,
                                  UrlEncode("f=" + UrlEncode(step->entry.facility_id) +
                                            "&p=" + UrlEncode(step->entry.product_id)),
                                  "31536000"));
    // The cookie value is stored percent-encoded once more so that it holds no ';' or ','.
    return Show(page, "diary_saved", std::move(data));
  }

  Response DiaryList(Page& page) {
    core::Result<std::vector<store::DiaryEntry>> entries =
        registry::ListDiary(ctx_, page.actor(), page.org(), {.limit = 100});
    if (!entries.ok()) return ErrorPage(page, entries.error());
    std::map<std::string, std::string> facility_names;
    for (const auto& [id, name] : FacilityChoices(page)) facility_names[id] = name;
    Data rows = List();
    for (const store::DiaryEntry& e : *entries) {
      Data row;
      const registry::DiaryTemplate* t = registry::FindDiaryTemplate(e.template_id);
      row.set("step", t ? TemplateName(page, *t) : e.template_id);
      row.set("when", VietnamTime(e.occurred_at));
      row.set("facility", facility_names[e.facility_id]);
      row.set("event_id", e.event_id);
      rows.push_back(row);
    }
    Data data;
    data.set("entries", rows);
    data.set("empty", entries->empty());
    core::Result<std::vector<registry::DiaryWarning>> warnings =
        registry::ReviewDiary(ctx_, page.actor(), page.org());
    if (warnings.ok()) {
      data.set("warnings", WarningList(page, *warnings));
      data.set("has_warnings", !warnings->empty());
    }
    return Show(page, "diary_list", std::move(data));
  }

  // ---- bulk CSV

  Data CsvPageData(Page& page) {
    Data items = List();
    std::vector<std::pair<std::string, std::string>> choices;
    for (const registry::DiaryTemplate& t : registry::DiaryTemplates()) {
      Data item;
      item.set("name", TemplateName(page, t));
      item.set("href", "/app/diary/csv/" + std::string(t.id));
      item.set("xlsx_href", "/app/diary/xlsx/" + std::string(t.id));
      items.push_back(item);
      choices.emplace_back(std::string(t.id), TemplateName(page, t));
    }
    Data data;
    data.set("downloads", items);
    data.set("template_options", Options(choices, page.form.Get("template"), false, ""));
    return data;
  }

  Response CsvPage(Page& page) { return Show(page, "diary_csv", CsvPageData(page)); }

  Response CsvTemplate(Page& page) {
    std::string id(page.req.PathParam("template"));
    core::Result<std::string> header = registry::DiaryCsvTemplate(id);
    if (!header.ok()) return ErrorPage(page, header.error());
    Response res = Response::Text(200, "\xEF\xBB\xBF" + *header, "text/csv; charset=utf-8");
    res.headers["Content-Disposition"] = "attachment; filename=\"nhat-ky-" + id + ".csv\"";
    return res;
  }

  Response XlsxTemplate(Page& page) {
    std::string id(page.req.PathParam("template"));
    core::Result<std::string> workbook = registry::DiaryXlsxTemplate(id);
    if (!workbook.ok()) return ErrorPage(page, workbook.error());
    Response res =
        Response::Text(200, std::move(*workbook),
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    res.headers["Content-Disposition"] = "attachment; filename=\"nhat-ky-" + id + ".xlsx\"";
    return res;
  }

  Response CsvUpload(Page& page) {
    Data data = CsvPageData(page);
    if (!page.form.file || page.form.file->content.empty()) {
      data.set("err_file", view_.ErrorText(page.lang, "csv.empty"));
      return Show(page, "diary_csv", std::move(data), 400);
    }
    core::Result<registry::DiaryImportResult> imported = registry::ImportDiaryFile(
        ctx_, page.actor(), page.org(), page.form.Get("template"), page.form.file->content);
    if (!imported.ok()) {
      data.set("err_file", view_.ErrorText(page.lang, imported.error().details.empty()
                                                          ? "generic"
                                                          : imported.error().details));
      return Show(page, "diary_csv", std::move(data), ProblemOf(imported.error()).status);
    }
    if (!imported->errors.empty()) {
      Data rows = List();
      for (const registry::DiaryRowError& e : imported->errors) {
        Data row;
        row.set("row", std::to_string(e.row));
        row.set("column", e.column);
        std::string text = view_.ErrorText(page.lang, e.code);
        row.set("message", text == view_.ErrorText(page.lang, "generic") ? e.message : text);
        row.set("detail", e.message);
        rows.push_back(row);
      }
      data.set("row_errors", rows);
      data.set("has_row_errors", true);
      return Show(page, "diary_csv", std::move(data), 422);
    }
    data.set("stored", std::to_string(imported->entries.size()));
    data.set("warnings", WarningList(page, imported->warnings));
    data.set("has_warnings", !imported->warnings.empty());
    return Show(page, "diary_csv", std::move(data));
  }

  // ---- JSON endpoint of the offline queue

  Response DiaryApi(Page& page) {
    if (!IsJson(page.req)) {
      return ErrorResponse(core::InvalidArgument("send application/json"));
    }
    boost::system::error_code ec;
    json::value body = json::parse(page.req.body, ec);
    if (ec || !body.is_object())
      return ErrorResponse(core::InvalidArgument("body is not a JSON object"));
    const json::object& o = body.as_object();
    registry::DiaryStepInput input{.org_id = page.org()};
    if (const json::value* v = o.if_contains("entry_id"); v && v->is_string()) {
      input.entry_id = v->as_string();
    }
    if (const json::value* v = o.if_contains("template_id"); v && v->is_string()) {
      input.template_id = v->as_string();
    }
    if (const json::value* v = o.if_contains("fields"); v && v->is_array()) {
      for (const json::value& pair : v->as_array()) {
        if (!pair.is_array() || pair.as_array().size() != 2 || !pair.as_array()[0].is_string() ||
            !pair.as_array()[1].is_string()) {
          return ErrorResponse(core::InvalidArgument("fields must be [name, value] pairs"));
        }
        std::string value(pair.as_array()[1].as_string());
        if (value.empty()) continue;
        input.fields.emplace_back(std::string(pair.as_array()[0].as_string()), std::move(value));
      }
    }
    if (input.entry_id.empty()) {
      return ErrorResponse(
          core::InvalidArgument("entry_id is required for queued steps", "entry_id.required"));
    }
    core::Result<registry::DiaryStepResult> step = registry::RecordStep(ctx_, page.actor(), input);
    if (!step.ok()) {
      Response res = ErrorResponse(step.error());
      if (!step.error().details.empty()) {
        json::value problem = json::parse(res.body, ec);
        if (!ec && problem.is_object()) {
          problem.as_object()["code"] = step.error().details;
          problem.as_object()["message_local"] = view_.ErrorText(page.lang, step.error().details);
          res.body = json::serialize(problem);
        }
      }
      return res;
    }
    json::object out{{"entry_id", step->entry.id},
                     {"event_id", step->entry.event_id},
                     {"replayed", step->replayed}};
    json::array warnings;
    for (const registry::DiaryWarning& w : step->warnings) {
      warnings.push_back(json::object{{"code", w.code}, {"message", w.message}});
    }
    out["warnings"] = std::move(warnings);
    Response res = Response::Json(step->replayed ? 200 : 201, json::serialize(out));
    res.headers["Cache-Control"] = "no-store";
    return res;
  }

  // ---- static files

  static Response Asset(std::string_view path, std::string_view cache) {
    std::optional<std::string_view> data = internal::FindAsset(path);
    if (!data) return ErrorResponse(core::NotFound("no such file"));
    std::string_view type = "application/octet-stream";
    if (path.ends_with(".css")) type = "text/css; charset=utf-8";
    if (path.ends_with(".js")) type = "text/javascript; charset=utf-8";
    if (path.ends_with(".svg")) type = "image/svg+xml";
    Response res = Response::Text(200, std::string(*data), type);
    res.headers["Cache-Control"] = std::string(cache);
    return res;
  }

  Response Static(Page& page) {
    std::string_view name = page.req.PathParam("file");
    if (name.find('/') != std::string_view::npos || name.starts_with(".")) {
      return ErrorResponse(core::NotFound("no such file"));
    }
    return Asset("static/" + std::string(name), "public, max-age=600");
  }

  Response ServiceWorker(Page&) { return Asset("static/sw.js", "no-cache"); }

  // ---- uploaded files (public: products and their certificates are public information)

  // GET /media/{id}: the stored bytes with their recognised type. The id is the SHA-256 of the
  // bytes, so the answer never changes: cached for a year, revalidated by its ETag.
  Response Media(const Request& req) {
    const std::string_view id = req.PathParam("id");
    core::Result<store::MediaInfo> info = registry::GetMediaInfo(ctx_, id);
    if (!info.ok()) return ErrorResponse(info.error());
    const std::string etag = "\"" + info->sha256 + "\"";
    Response res = Response::Empty(304);
    const std::string_view match = req.Header("If-None-Match");
    if (match.find(etag) == std::string_view::npos && match != "*") {
      core::Result<store::Media> media = registry::GetMedia(ctx_, id);
      if (!media.ok()) return ErrorResponse(media.error());
      res = Response::Text(200, std::move(media->data), info->content_type);
      if (info->content_type == "application/pdf") {
        res.headers["Content-Disposition"] =
            "inline; filename=\"" + info->id.substr(0, 12) + ".pdf\"";
      }
    }
    res.headers["ETag"] = etag;
    res.headers["Cache-Control"] = "public, max-age=31536000, immutable";
    res.headers["X-Content-Type-Options"] = "nosniff";
    return res;
  }
};

}  // namespace

core::Status RegisterProducerApp(Router& router, ProducerAppContext& context) {
  VNTRACE_ASSIGN_OR_RETURN(registry::PlatformIds ids,
                           registry::PlatformIds::Create(context.base_url));
  // Shared by the handlers the router holds (their one owner is the router).
  auto app = std::make_shared<ProducerApp>(context, std::move(ids));
  router.AddResponseHeaders("/app", {{"Content-Security-Policy", kAppContentSecurityPolicy},
                                     {"X-Content-Type-Options", "nosniff"},
                                     {"Referrer-Policy", "same-origin"},
                                     {"X-Frame-Options", "DENY"},
                                     {"Cache-Control", "no-store"}});
  struct Route {
    Method method;
    std::string_view pattern;
    ProducerApp::PageMethod page;
    bool session;
  };
  using P = ProducerApp;
  const Route routes[] = {
      {Method::kGet, "/app/login", &P::LoginForm, false},
      {Method::kPost, "/app/login", &P::LoginSubmit, false},
      {Method::kPost, "/app/logout", &P::LogoutSubmit, true},
      {Method::kGet, "/app", &P::Home, true},
      {Method::kGet, "/app/", &P::Home, true},
      {Method::kGet, "/app/products", &P::Products, true},
      {Method::kGet, "/app/products/new", &P::ProductNew, true},
      {Method::kPost, "/app/products/new", &P::ProductCreate, true},
      {Method::kGet, "/app/products/export.csv", &P::ProductExport, true},
      {Method::kGet, "/app/products/{id}/edit", &P::ProductEdit, true},
      {Method::kPost, "/app/products/{id}/edit", &P::ProductUpdate, true},
      {Method::kGet, "/app/facilities", &P::Facilities, true},
      {Method::kGet, "/app/facilities/new", &P::FacilityNew, true},
      {Method::kPost, "/app/facilities/new", &P::FacilityCreate, true},
      {Method::kGet, "/app/facilities/{id}/edit", &P::FacilityEdit, true},
      {Method::kPost, "/app/facilities/{id}/edit", &P::FacilityUpdate, true},
      {Method::kGet, "/app/certificates", &P::Certificates, true},
      {Method::kGet, "/app/certificates/new", &P::CertificateNew, true},
      {Method::kPost, "/app/certificates/new", &P::CertificateCreate, true},
      {Method::kGet, "/app/certificates/{id}/edit", &P::CertificateEdit, true},
      {Method::kPost, "/app/certificates/{id}/edit", &P::CertificateUpdate, true},
      {Method::kGet, "/app/lots", &P::Lots, true},
      {Method::kGet, "/app/lots/new", &P::LotNew, true},
      {Method::kPost, "/app/lots/new", &P::LotCreate, true},
      {Method::kGet, "/app/diary", &P::DiaryList, true},
      {Method::kGet, "/app/diary/new", &P::DiaryChoose, true},
      {Method::kGet, "/app/diary/new/{template}", &P::DiaryForm, true},
      {Method::kPost, "/app/diary/new/{template}", &P::DiarySubmit, true},
      {Method::kGet, "/app/diary/csv", &P::CsvPage, true},
      {Method::kPost, "/app/diary/csv", &P::CsvUpload, true},
      {Method::kGet, "/app/diary/csv/{template}", &P::CsvTemplate, true},
      {Method::kGet, "/app/diary/xlsx/{template}", &P::XlsxTemplate, true},
      {Method::kPost, "/app/api/diary", &P::DiaryApi, true},
      {Method::kGet, "/app/static/{file}", &P::Static, false},
      {Method::kGet, "/app/sw.js", &P::ServiceWorker, false},
  };
  for (const Route& route : routes) {
    router.Add(route.method, route.pattern, app->Wrap(app, route.page, route.session));
  }
  router.Add(Method::kGet, "/media/{id}", [app](Request& req) { return app->Media(req); });
  return core::Ok();
}

}  // namespace vntrace::http::pages
