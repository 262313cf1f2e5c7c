#include "registry/registry.hpp"

#include <array>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "gs1/ai.hpp"
#include "gs1/digital_link.hpp"
#include "gs1/keys.hpp"
#include "registry/internal/audit.hpp"
#include "registry/validation.hpp"

namespace vntrace::registry {
namespace {

using internal::Fields;

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxText = 2000;

constexpr std::array<std::pair<store::OrganisationKind, std::string_view>, 4> kOrgKinds = {{
    {store::OrganisationKind::kEnterprise, "enterprise"},
    {store::OrganisationKind::kCooperative, "cooperative"},
    {store::OrganisationKind::kHouseholdBusiness, "household_business"},
    {store::OrganisationKind::kIndividual, "individual"},
}};

constexpr std::array<std::pair<store::FacilityKind, std::string_view>, 5> kFacilityKinds = {{
    {store::FacilityKind::kFarm, "farm"},
    {store::FacilityKind::kPlot, "plot"},
    {store::FacilityKind::kWorkshop, "workshop"},
    {store::FacilityKind::kWarehouse, "warehouse"},
    {store::FacilityKind::kShop, "shop"},
}};

core::Error Denied(const Actor& actor, std::string_view what) {
  return core::PermissionDenied(actor.AuditName() + " may not " + std::string(what));
}

std::string Number(std::optional<double> value) {
  return value.has_value() ? fmt::format("{}", *value) : std::string();
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    out += out.empty() ? "" : "; ";
    out += item;
  }
  return out;
}

Fields AddressFields(const store::Address& a) {
  return {{"province", a.province},
          {"district", a.district},
          {"commune", a.commune},
          {"street", a.street}};
}

Fields OrgFields(const store::Organisation& o) {
  Fields f = {{"kind", std::string(OrganisationKindName(o.kind))},
              {"name", o.name},
              {"tax_code", o.tax_code}};
  for (auto& field : AddressFields(o.address)) {
    f.push_back(std::move(field));
  }
  f.insert(f.end(), {{"phone", o.phone},
                     {"gs1_company_prefix", o.gs1_company_prefix},
                     {"gln", o.gln},
                     {"representative", o.representative}});
  return f;
}

Fields FacilityFields(const store::Facility& x) {
  Fields f = {{"kind", std::string(FacilityKindName(x.kind))},
              {"name", x.name},
              {"identifier", x.identifier},
              {"gln", x.gln},
              {"gln_extension", x.gln_extension},
              {"parent_id", x.parent_id}};
  for (auto& field : AddressFields(x.address)) {
    f.push_back(std::move(field));
  }
  f.insert(f.end(), {{"area_m2", Number(x.area_m2)},
                     {"crop", x.crop},
                     {"latitude", Number(x.latitude)},
                     {"longitude", Number(x.longitude)}});
  return f;
}

Fields ProductFields(const store::Product& p) {
  const store::OcopRating ocop = p.ocop.value_or(store::OcopRating{});
  return {{"identifier", p.identifier},
          {"gtin", p.gtin},
          {"name", p.name},
          {"description", p.description},
          {"image_ref", p.image_ref},
          {"category", p.category},
          {"unit", p.unit},
          {"brand", p.brand},
          {"origin", p.origin},
          {"standards", Join(p.standards)},
          {"ocop.stars", p.ocop.has_value() ? std::to_string(ocop.stars) : ""},
          {"ocop.decision_number", ocop.decision_number},
          {"ocop.decision_date", ocop.decision_date},
          {"ocop.valid_until", ocop.valid_until}};
}

Fields CertificateFields(const store::Certificate& c) {
  return {
      {"product_id", c.product_id},   {"facility_id", c.facility_id}, {"kind", c.kind},
      {"number", c.number},           {"issuer", c.issuer},           {"issued_on", c.issued_on},
      {"valid_until", c.valid_until}, {"file_ref", c.file_ref}};
}

Fields LotFields(const store::Lot& l) {
  return {{"product_id", l.product_id},
          {"code", l.code},
          {"identifier", l.identifier},
          {"produced_on", l.produced_on},
          {"expires_on", l.expires_on},
          {"quantity", Number(l.quantity)},
          {"unit", l.unit}};
}

core::Status ValidateAddress(const store::Address& a, bool required) {
  VNTRACE_RETURN_IF_ERROR(ValidateText(a.province, "address.province", kMaxName, required));
  VNTRACE_RETURN_IF_ERROR(ValidateText(a.district, "address.district", kMaxName, false));
  VNTRACE_RETURN_IF_ERROR(ValidateText(a.commune, "address.commune", kMaxName, required));
  return ValidateText(a.street, "address.street", kMaxName, false);
}

core::Status ValidateOrganisation(store::Organisation& o) {
  VNTRACE_RETURN_IF_ERROR(ValidateText(o.name, "name", kMaxName, true));
  if (o.kind < store::OrganisationKind::kEnterprise ||
      o.kind > store::OrganisationKind::kIndividual) {
    return core::InvalidArgument("unknown organisation kind", "organisation_kind.invalid");
  }
  if (!o.tax_code.empty()) {
    VNTRACE_RETURN_IF_ERROR(ValidateTaxCode(o.tax_code));
  } else if (o.kind == store::OrganisationKind::kEnterprise ||
             o.kind == store::OrganisationKind::kCooperative) {
    return core::InvalidArgument("an enterprise or cooperative must give its tax code",
                                 "tax_code.required");
  }
  VNTRACE_RETURN_IF_ERROR(ValidateAddress(o.address, true));
  if (!o.phone.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(o.phone, NormalisePhone(o.phone));
  }
  if (!o.gs1_company_prefix.empty()) {
    VNTRACE_RETURN_IF_ERROR(ValidateCompanyPrefix(o.gs1_company_prefix));
  }
  if (!o.gln.empty()) {
    core::Result<gs1::Gln> gln = gs1::Gln::Parse(o.gln);
    if (!gln.ok()) {
      return core::InvalidArgument("GLN: " + gln.error().message, "gln.invalid");
    }
    if (!o.gs1_company_prefix.empty() && !o.gln.starts_with(o.gs1_company_prefix)) {
      return core::InvalidArgument(
          "the GLN " + o.gln + " does not start with the company prefix " + o.gs1_company_prefix,
          "gln.prefix_mismatch");
    }
  }
  return ValidateText(o.representative, "representative", kMaxName, false);
}

core::Status ValidateCoordinate(std::optional<double> value, double limit, std::string_view field) {
  if (value.has_value() && (!std::isfinite(*value) || std::fabs(*value) > limit)) {
    return core::InvalidArgument(std::string(field) + " is out of range",
                                 std::string(field) + ".range");
  }
  return core::Ok();
}

// Validates the organisation exists and the actor may change its data.
core::Result<store::Organisation> OrgForWrite(const Context& ctx, const Actor& actor,
                                              std::string_view org_id, std::string_view what) {
  if (!CanWriteOrgData(actor, org_id)) {
    return Denied(actor, std::string(what) + " of organisation '" + std::string(org_id) + "'");
  }
  return ctx.store.GetOrganisation(org_id);
}

core::Status CheckReadPrivate(const Context& ctx, const Actor& actor, std::string_view org_id,
                              std::string_view what) {
  core::Result<store::Organisation> org = ctx.store.GetOrganisation(org_id);
  if (!org.ok()) {
    return std::move(org).error();
  }
  if (!CanReadPrivate(actor, *org)) {
    return Denied(actor,
                  "read " + std::string(what) + " of organisation '" + std::string(org_id) + "'");
  }
  return core::Ok();
}

core::Status ValidateFacility(store::Facility& f) {
  VNTRACE_RETURN_IF_ERROR(ValidateText(f.name, "name", kMaxName, true));
  if (f.kind < store::FacilityKind::kFarm || f.kind > store::FacilityKind::kShop) {
    return core::InvalidArgument("unknown facility kind", "facility_kind.invalid");
  }
  VNTRACE_RETURN_IF_ERROR(ValidateAddress(f.address, false));
  VNTRACE_RETURN_IF_ERROR(ValidateText(f.crop, "crop", kMaxName, false));
  if (f.area_m2.has_value() && (!std::isfinite(*f.area_m2) || *f.area_m2 <= 0)) {
    return core::InvalidArgument("area must be a positive number of square metres",
                                 "area_m2.range");
  }
  VNTRACE_RETURN_IF_ERROR(ValidateCoordinate(f.latitude, 90, "latitude"));
  VNTRACE_RETURN_IF_ERROR(ValidateCoordinate(f.longitude, 180, "longitude"));
  if (f.latitude.has_value() != f.longitude.has_value()) {
    return core::InvalidArgument("give both latitude and longitude, or neither",
                                 "coordinates.incomplete");
  }
  if (f.gln.empty()) {
    if (!f.gln_extension.empty()) {
      return core::InvalidArgument("a GLN extension needs a GLN", "gln_extension.without_gln");
    }
    return core::Ok();
  }
  core::Result<gs1::Gln> gln = gs1::Gln::Parse(f.gln);
  if (!gln.ok()) {
    return core::InvalidArgument("GLN: " + gln.error().message, "gln.invalid");
  }
  if (!f.gln_extension.empty()) {
    const gs1::AiDefinition* extension = gs1::FindAi("254");
    if (extension == nullptr || !gs1::ValidateAiValue(*extension, f.gln_extension).ok()) {
      return core::InvalidArgument("the GLN extension must be 1 to 20 GS1 AI 82 characters",
                                   "gln_extension.invalid");
    }
  }
  return core::Ok();
}

// The location trace code of a facility with a GLN: its canonical Digital Link.
std::string FacilityIdentifier(const store::Facility& f) {
  std::string out = std::string(gs1::kCanonicalStem) + "/414/" + f.gln;
  if (!f.gln_extension.empty()) {
    out += "/254/" + gs1::PercentEncodeDlValue(f.gln_extension);
  }
  return out;
}

core::Status ValidateProduct(store::Product& p) {
  VNTRACE_RETURN_IF_ERROR(ValidateText(p.name, "name", kMaxName, true));
  VNTRACE_RETURN_IF_ERROR(ValidateText(p.description, "description", kMaxText, false));
  VNTRACE_RETURN_IF_ERROR(ValidateText(p.category, "category", kMaxName, false));
  VNTRACE_RETURN_IF_ERROR(ValidateText(p.unit, "unit", 50, false));
  VNTRACE_RETURN_IF_ERROR(ValidateText(p.brand, "brand", kMaxName, false));
  VNTRACE_RETURN_IF_ERROR(ValidateText(p.origin, "origin", kMaxName, false));
  VNTRACE_RETURN_IF_ERROR(ValidateText(p.image_ref, "image_ref", 500, false));
  for (const std::string& standard : p.standards) {
    VNTRACE_RETURN_IF_ERROR(ValidateText(standard, "standards", kMaxName, true));
    if (standard.find('\n') != std::string::npos) {
      return core::InvalidArgument("a standard's name is one line", "standards.format");
    }
  }
  if (!p.gtin.empty()) {
    core::Result<gs1::Gtin> gtin = gs1::Gtin::Parse(p.gtin);
    if (!gtin.ok()) {
      return core::InvalidArgument("GTIN: " + gtin.error().message, "gtin.invalid");
    }
    p.gtin = gtin->digits();
  }
  if (p.ocop.has_value()) {
    const store::OcopRating& r = *p.ocop;
    if (r.stars < 1 || r.stars > 5) {
      return core::InvalidArgument("an OCOP rating has 1 to 5 stars", "ocop.stars.range");
    }
    VNTRACE_RETURN_IF_ERROR(
        ValidateText(r.decision_number, "ocop.decision_number", kMaxName, true));
    VNTRACE_RETURN_IF_ERROR(ValidateDate(r.decision_date, "ocop.decision_date"));
    if (!r.valid_until.empty()) {
      VNTRACE_RETURN_IF_ERROR(ValidateDate(r.valid_until, "ocop.valid_until"));
      if (r.valid_until < r.decision_date) {
        return core::InvalidArgument("the OCOP rating ends before its decision date",
                                     "ocop.valid_until.before_decision");
      }
    }
  }
  return core::Ok();
}

core::Status ValidateCertificate(const store::Certificate& c) {
  VNTRACE_RETURN_IF_ERROR(ValidateText(c.kind, "certificate_kind", kMaxName, true));
  VNTRACE_RETURN_IF_ERROR(ValidateText(c.number, "number", kMaxName, true));
  VNTRACE_RETURN_IF_ERROR(ValidateText(c.issuer, "issuer", kMaxName, true));
  VNTRACE_RETURN_IF_ERROR(ValidateText(c.file_ref, "file_ref", 500, false));
  VNTRACE_RETURN_IF_ERROR(ValidateDate(c.issued_on, "issued_on"));
  if (!c.valid_until.empty()) {
    VNTRACE_RETURN_IF_ERROR(ValidateDate(c.valid_until, "valid_until"));
    if (c.valid_until < c.issued_on) {
      return core::InvalidArgument("the certificate ends before it was issued",
                                   "valid_until.before_issued");
    }
  }
  return core::Ok();
}

core::Status ValidateLot(const store::Lot& l, bool gs1_lot) {
  if (gs1_lot) {
    const gs1::AiDefinition* batch = gs1::FindAi("10");
    if (l.code.empty() || batch == nullptr || !gs1::ValidateAiValue(*batch, l.code).ok()) {
      return core::InvalidArgument(
          "a lot code of a GTIN product is 1 to 20 characters of GS1 AI 82 (letters, digits, "
          "-._/ and a few others)",
          "lot_code.format");
    }
  } else {
    VNTRACE_RETURN_IF_ERROR(ValidateText(l.code, "lot_code", 40, true));
    if (l.code.find_first_of("\r\n\t") != std::string::npos) {
      return core::InvalidArgument("a lot code is one line", "lot_code.format");
    }
  }
  VNTRACE_RETURN_IF_ERROR(ValidateDate(l.produced_on, "produced_on"));
  if (!l.expires_on.empty()) {
    VNTRACE_RETURN_IF_ERROR(ValidateDate(l.expires_on, "expires_on"));
    if (l.expires_on < l.produced_on) {
      return core::InvalidArgument("the lot expires before it was produced",
                                   "expires_on.before_produced");
    }
  }
  if (l.quantity.has_value() && (!std::isfinite(*l.quantity) || *l.quantity < 0)) {
    return core::InvalidArgument("quantity must be a number of at least 0", "quantity.range");
  }
  if (l.quantity.has_value() && l.unit.empty()) {
    return core::InvalidArgument("a quantity needs its unit", "unit.required");
  }
  return ValidateText(l.unit, "unit", 50, false);
}

CertificateView View(store::Certificate c, const core::Clock& clock) {
  const bool expired = IsExpired(c.valid_until, clock);
  return CertificateView{.certificate = std::move(c), .expired = expired};
}

}  // namespace

std::string_view OrganisationKindName(store::OrganisationKind kind) {
  for (const auto& [k, name] : kOrgKinds) {
    if (k == kind) {
      return name;
    }
  }
  return "unknown";
}

core::Result<store::OrganisationKind> ParseOrganisationKind(std::string_view name) {
  for (const auto& [k, n] : kOrgKinds) {
    if (n == name) {
      return k;
    }
  }
  return core::InvalidArgument(
      "organisation kind must be enterprise, cooperative, "
      "household_business or individual; got '" +
          std::string(name) + "'",
      "organisation_kind.invalid");
}

std::string_view FacilityKindName(store::FacilityKind kind) {
  for (const auto& [k, name] : kFacilityKinds) {
    if (k == kind) {
      return name;
    }
  }
  return "unknown";
}

core::Result<store::FacilityKind> ParseFacilityKind(std::string_view name) {
  for (const auto& [k, n] : kFacilityKinds) {
    if (n == name) {
      return k;
    }
  }
  return core::InvalidArgument(
      "facility kind must be farm, plot, workshop, warehouse or shop; got '" + std::string(name) +
          "'",
      "facility_kind.invalid");
}

// ---- organisations

core::Result<store::Organisation> CreateOrganisation(const Context& ctx, const Actor& actor,
                                                     store::Organisation draft) {
  if (!IsSystem(actor)) {
    return Denied(actor, "register organisations");
  }
  VNTRACE_RETURN_IF_ERROR(ValidateOrganisation(draft));
  draft.id = ctx.ids.Issue(IdKind::kOrg, ctx.random);
  draft.created_at = draft.updated_at = ctx.clock.Now();
  VNTRACE_RETURN_IF_ERROR(ctx.store.CreateOrganisation(
      draft, internal::MakeAudit(draft.created_at, actor, draft.id, "create", "organisation",
                                 draft.id, internal::CreatedJson(OrgFields(draft)))));
  return draft;
}

core::Result<store::Organisation> UpdateOrganisation(const Context& ctx, const Actor& actor,
                                                     store::Organisation changed) {
  if (!CanManageOrg(actor, changed.id)) {
    return Denied(actor, "edit organisation '" + changed.id + "'");
  }
  VNTRACE_ASSIGN_OR_RETURN(store::Organisation before, ctx.store.GetOrganisation(changed.id));
  VNTRACE_RETURN_IF_ERROR(ValidateOrganisation(changed));
  changed.created_at = before.created_at;
  changed.updated_at = ctx.clock.Now();
  VNTRACE_RETURN_IF_ERROR(ctx.store.UpdateOrganisation(
      changed, internal::MakeAudit(changed.updated_at, actor, changed.id, "update", "organisation",
                                   changed.id,
                                   internal::ChangedJson(OrgFields(before), OrgFields(changed)))));
  return changed;
}

core::Result<store::Organisation> GetOrganisation(const Context& ctx, const Actor& actor,
                                                  std::string_view id) {
  VNTRACE_ASSIGN_OR_RETURN(store::Organisation org, ctx.store.GetOrganisation(id));
  if (!CanReadPrivate(actor, org)) {
    org.tax_code.clear();
    org.phone.clear();
    org.representative.clear();
  }
  return org;
}

core::Result<std::vector<store::Organisation>> ListOrganisations(const Context& ctx,
                                                                 const Actor& actor) {
  if (IsSystem(actor)) {
    return ctx.store.ListOrganisations({});
  }
  if (actor.Is(Role::kAuthorityOfficer) || actor.Is(Role::kInspector)) {
    if (actor.area.province.empty()) {
      return std::vector<store::Organisation>{};
    }
    return ctx.store.ListOrganisations({.province = actor.area.province,
                                        .district = actor.area.district,
                                        .commune = actor.area.commune});
  }
  std::vector<store::Organisation> out;
  if (!actor.org_id.empty()) {
    core::Result<store::Organisation> own = ctx.store.GetOrganisation(actor.org_id);
    if (own.ok()) {
      out.push_back(std::move(own).value());
    } else if (own.error().code != core::ErrorCode::kNotFound) {
      return std::move(own).error();
    }
  }
  return out;
}

// ---- facilities

core::Result<store::Facility> CreateFacility(const Context& ctx, const Actor& actor,
                                             store::Facility draft) {
  VNTRACE_ASSIGN_OR_RETURN(store::Organisation org,
                           OrgForWrite(ctx, actor, draft.org_id, "add facilities"));
  VNTRACE_RETURN_IF_ERROR(ValidateFacility(draft));
  if (!draft.parent_id.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(store::Facility parent, ctx.store.GetFacility(draft.parent_id));
    if (parent.org_id != org.id) {
      return core::NotFound("no facility '" + draft.parent_id + "' in this organisation",
                            "parent_id.not_found");
    }
  }
  draft.id = ctx.ids.Issue(IdKind::kLocation, ctx.random);
  draft.identifier = draft.gln.empty() ? draft.id : FacilityIdentifier(draft);
  draft.created_at = draft.updated_at = ctx.clock.Now();
  VNTRACE_RETURN_IF_ERROR(ctx.store.CreateFacility(
      draft, internal::MakeAudit(draft.created_at, actor, org.id, "create", "facility", draft.id,
                                 internal::CreatedJson(FacilityFields(draft)))));
  return draft;
}

core::Result<store::Facility> UpdateFacility(const Context& ctx, const Actor& actor,
                                             store::Facility changed) {
  VNTRACE_ASSIGN_OR_RETURN(store::Facility before, ctx.store.GetFacility(changed.id));
  if (!CanWriteOrgData(actor, before.org_id)) {
    return Denied(actor, "change facility '" + changed.id + "'");
  }
  changed.org_id = before.org_id;
  VNTRACE_RETURN_IF_ERROR(ValidateFacility(changed));
  if (changed.parent_id == changed.id) {
    return core::InvalidArgument("a facility cannot be inside itself", "parent_id.self");
  }
  if (!changed.parent_id.empty() && changed.parent_id != before.parent_id) {
    VNTRACE_ASSIGN_OR_RETURN(store::Facility parent, ctx.store.GetFacility(changed.parent_id));
    if (parent.org_id != before.org_id) {
      return core::NotFound("no facility '" + changed.parent_id + "' in this organisation",
                            "parent_id.not_found");
    }
  }
  changed.identifier = changed.gln.empty() ? changed.id : FacilityIdentifier(changed);
  changed.created_at = before.created_at;
  changed.updated_at = ctx.clock.Now();
  VNTRACE_RETURN_IF_ERROR(ctx.store.UpdateFacility(
      changed, internal::MakeAudit(
                   changed.updated_at, actor, changed.org_id, "update", "facility", changed.id,
                   internal::ChangedJson(FacilityFields(before), FacilityFields(changed)))));
  return changed;
}

core::Result<store::Facility> GetFacility(const Context& ctx, const Actor& actor,
                                          std::string_view id) {
  VNTRACE_ASSIGN_OR_RETURN(store::Facility facility, ctx.store.GetFacility(id));
  VNTRACE_RETURN_IF_ERROR(CheckReadPrivate(ctx, actor, facility.org_id, "facilities"));
  return facility;
}

core::Result<std::vector<store::Facility>> ListFacilities(const Context& ctx, const Actor& actor,
                                                          std::string_view org_id) {
  VNTRACE_RETURN_IF_ERROR(CheckReadPrivate(ctx, actor, org_id, "facilities"));
  return ctx.store.ListFacilities(org_id);
}

// ---- products

core::Result<store::Product> CreateProduct(const Context& ctx, const Actor& actor,
                                           store::Product draft) {
  VNTRACE_ASSIGN_OR_RETURN(store::Organisation org,
                           OrgForWrite(ctx, actor, draft.org_id, "add products"));
  VNTRACE_RETURN_IF_ERROR(ValidateProduct(draft));
  draft.id = ctx.ids.Issue(IdKind::kProduct, ctx.random);
  draft.identifier =
      draft.gtin.empty() ? draft.id : std::string(gs1::kCanonicalStem) + "/01/" + draft.gtin;
  draft.created_at = draft.updated_at = ctx.clock.Now();
  core::Status created = ctx.store.CreateProduct(
      draft, internal::MakeAudit(draft.created_at, actor, org.id, "create", "product", draft.id,
                                 internal::CreatedJson(ProductFields(draft))));
  if (!created.ok() && created.error().code == core::ErrorCode::kAlreadyExists) {
    return core::AlreadyExists("a product with GTIN " + draft.gtin + " is already registered",
                               "gtin.taken");
  }
  VNTRACE_RETURN_IF_ERROR(created);
  return draft;
}

core::Result<store::Product> UpdateProduct(const Context& ctx, const Actor& actor,
                                           store::Product changed) {
  VNTRACE_ASSIGN_OR_RETURN(store::Product before, ctx.store.GetProduct(changed.id));
  if (!CanWriteOrgData(actor, before.org_id)) {
    return Denied(actor, "change product '" + changed.id + "'");
  }
  changed.org_id = before.org_id;
  VNTRACE_RETURN_IF_ERROR(ValidateProduct(changed));
  // A platform-coded product that gets a GTIN is now identified by it; its platform id stays
  // its record id, so history recorded under the platform code is kept.
  changed.identifier =
      changed.gtin.empty() ? changed.id : std::string(gs1::kCanonicalStem) + "/01/" + changed.gtin;
  changed.created_at = before.created_at;
  changed.updated_at = ctx.clock.Now();
  core::Status updated = ctx.store.UpdateProduct(
      changed, internal::MakeAudit(
                   changed.updated_at, actor, changed.org_id, "update", "product", changed.id,
                   internal::ChangedJson(ProductFields(before), ProductFields(changed))));
  if (!updated.ok() && updated.error().code == core::ErrorCode::kAlreadyExists) {
    return core::AlreadyExists("a product with GTIN " + changed.gtin + " is already registered",
                               "gtin.taken");
  }
  VNTRACE_RETURN_IF_ERROR(updated);
  return changed;
}

core::Result<store::Product> GetProduct(const Context& ctx, const Actor& /*published*/,
                                        std::string_view id) {
  return ctx.store.GetProduct(id);
}

core::Result<std::vector<store::Product>> ListProducts(const Context& ctx,
                                                       const Actor& /*published*/,
                                                       std::string_view org_id) {
  return ctx.store.ListProducts(org_id);
}

bool OcopExpired(const store::Product& product, const core::Clock& clock) {
  return product.ocop.has_value() && IsExpired(product.ocop->valid_until, clock);
}

// ---- certificates

core::Result<CertificateView> CreateCertificate(const Context& ctx, const Actor& actor,
                                                store::Certificate draft) {
  VNTRACE_ASSIGN_OR_RETURN(store::Organisation org,
                           OrgForWrite(ctx, actor, draft.org_id, "add certificates"));
  VNTRACE_RETURN_IF_ERROR(ValidateCertificate(draft));
  if (!draft.product_id.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(store::Product product, ctx.store.GetProduct(draft.product_id));
    if (product.org_id != org.id) {
      return core::NotFound("no product '" + draft.product_id + "' in this organisation",
                            "product_id.not_found");
    }
  }
  if (!draft.facility_id.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(store::Facility facility, ctx.store.GetFacility(draft.facility_id));
    if (facility.org_id != org.id) {
      return core::NotFound("no facility '" + draft.facility_id + "' in this organisation",
                            "facility_id.not_found");
    }
  }
  draft.id = ctx.ids.Issue(IdKind::kCertificate, ctx.random);
  draft.created_at = ctx.clock.Now();
  VNTRACE_RETURN_IF_ERROR(ctx.store.CreateCertificate(
      draft, internal::MakeAudit(draft.created_at, actor, org.id, "create", "certificate", draft.id,
                                 internal::CreatedJson(CertificateFields(draft)))));
  return View(std::move(draft), ctx.clock);
}

core::Result<CertificateView> UpdateCertificate(const Context& ctx, const Actor& actor,
                                                store::Certificate changed) {
  VNTRACE_ASSIGN_OR_RETURN(store::Certificate before, ctx.store.GetCertificate(changed.id));
  if (!CanWriteOrgData(actor, before.org_id)) {
    return Denied(actor, "change certificate '" + changed.id + "'");
  }
  changed.org_id = before.org_id;
  changed.created_at = before.created_at;
  VNTRACE_RETURN_IF_ERROR(ValidateCertificate(changed));
  if (!changed.product_id.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(store::Product product, ctx.store.GetProduct(changed.product_id));
    if (product.org_id != changed.org_id) {
      return core::NotFound("no product '" + changed.product_id + "' in this organisation",
                            "product_id.not_found");
    }
  }
  if (!changed.facility_id.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(store::Facility facility, ctx.store.GetFacility(changed.facility_id));
    if (facility.org_id != changed.org_id) {
      return core::NotFound("no facility '" + changed.facility_id + "' in this organisation",
                            "facility_id.not_found");
    }
  }
  VNTRACE_RETURN_IF_ERROR(ctx.store.UpdateCertificate(
      changed, internal::MakeAudit(
                   ctx.clock.Now(), actor, changed.org_id, "update", "certificate", changed.id,
                   internal::ChangedJson(CertificateFields(before), CertificateFields(changed)))));
  return View(std::move(changed), ctx.clock);
}

core::Result<CertificateView> GetCertificate(const Context& ctx, const Actor& actor,
                                             std::string_view id) {
  VNTRACE_ASSIGN_OR_RETURN(store::Certificate certificate, ctx.store.GetCertificate(id));
  VNTRACE_RETURN_IF_ERROR(CheckReadPrivate(ctx, actor, certificate.org_id, "certificates"));
  return View(std::move(certificate), ctx.clock);
}

core::Result<std::vector<CertificateView>> ListCertificates(const Context& ctx, const Actor& actor,
                                                            std::string_view org_id) {
  VNTRACE_RETURN_IF_ERROR(CheckReadPrivate(ctx, actor, org_id, "certificates"));
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Certificate> all, ctx.store.ListCertificates(org_id));
  std::vector<CertificateView> out;
  out.reserve(all.size());
  for (store::Certificate& c : all) {
    out.push_back(View(std::move(c), ctx.clock));
  }
  return out;
}

// ---- lots

core::Result<store::Lot> CreateLot(const Context& ctx, const Actor& actor, store::Lot draft) {
  VNTRACE_ASSIGN_OR_RETURN(store::Product product, ctx.store.GetProduct(draft.product_id));
  if (!CanWriteOrgData(actor, product.org_id)) {
    return Denied(actor, "add lots of product '" + product.id + "'");
  }
  draft.org_id = product.org_id;
  VNTRACE_RETURN_IF_ERROR(ValidateLot(draft, !product.gtin.empty()));
  draft.id = ctx.ids.Issue(IdKind::kLot, ctx.random);
  draft.identifier = product.gtin.empty()
                         ? draft.id
                         : std::string(gs1::kCanonicalStem) + "/01/" + product.gtin + "/10/" +
                               gs1::PercentEncodeDlValue(draft.code);
  draft.created_at = ctx.clock.Now();
  core::Status created = ctx.store.CreateLot(
      draft, internal::MakeAudit(draft.created_at, actor, draft.org_id, "create", "lot", draft.id,
                                 internal::CreatedJson(LotFields(draft))));
  if (!created.ok() && created.error().code == core::ErrorCode::kAlreadyExists) {
    return core::AlreadyExists("product '" + product.name + "' already has a lot " + draft.code,
                               "lot_code.taken");
  }
  VNTRACE_RETURN_IF_ERROR(created);
  return draft;
}

core::Result<store::Lot> UpdateLot(const Context& ctx, const Actor& actor, store::Lot changed) {
  VNTRACE_ASSIGN_OR_RETURN(store::Lot before, ctx.store.GetLot(changed.id));
  if (!CanWriteOrgData(actor, before.org_id)) {
    return Denied(actor, "change lot '" + changed.id + "'");
  }
  VNTRACE_ASSIGN_OR_RETURN(store::Product product, ctx.store.GetProduct(before.product_id));
  changed.org_id = before.org_id;
  changed.product_id = before.product_id;
  changed.code = before.code;
  changed.identifier = before.identifier;
  changed.created_at = before.created_at;
  VNTRACE_RETURN_IF_ERROR(ValidateLot(changed, !product.gtin.empty()));
  VNTRACE_RETURN_IF_ERROR(ctx.store.UpdateLot(
      changed,
      internal::MakeAudit(ctx.clock.Now(), actor, changed.org_id, "update", "lot", changed.id,
                          internal::ChangedJson(LotFields(before), LotFields(changed)))));
  return changed;
}

core::Result<store::Lot> GetLot(const Context& ctx, const Actor& /*published*/,
                                std::string_view id) {
  return ctx.store.GetLot(id);
}

core::Result<std::vector<store::Lot>> ListLots(const Context& ctx, const Actor& /*published*/,
                                               std::string_view product_id) {
  return ctx.store.ListLots(product_id);
}

// ---- audit

core::Result<std::vector<store::AuditEntry>> ListAudit(const Context& ctx, const Actor& actor,
                                                       std::string_view org_id, std::size_t limit) {
  if (org_id.empty() ? !IsSystem(actor) : !CanManageOrg(actor, org_id)) {
    return Denied(actor,
                  "read the audit log" +
                      (org_id.empty() ? std::string() : " of '" + std::string(org_id) + "'"));
  }
  return ctx.store.ListAudit(org_id, limit);
}

}  // namespace vntrace::registry
