// registry: organisations, facilities, products (with OCOP rating), certificates and lots,
// with the isolation rules of actor.hpp and an audit entry for every write.
//
// A domain function takes the Actor who calls, plain values and a Context (the store, clock,
// random source and platform id issuer), validates, checks permissions, and returns a Result:
//   kInvalidArgument   a field breaks a rule (Error::details holds the code, see validation.hpp)
//   kPermissionDenied  the actor may not read or change this organisation's data
//   kNotFound          the record (or the organisation, product, facility it names) is missing
//   kAlreadyExists     a unique key is taken (tax code, GTIN, lot code of a product, email)
// Create functions ignore the id, identifier, owner-independent timestamps of the draft and
// assign them; update functions keep id, owner, identifier and created_at of the stored record.
//
// Thread-safety: stateless functions; the store does its own locking.
//
// Example:
//   registry::Context ctx{db->registry(), clock, random, ids};
//   VNTRACE_ASSIGN_OR_RETURN(store::Product p,
//                            registry::CreateProduct(ctx, actor, {.org_id = org, .name = "Mật
//                            ong"}));
//   VNTRACE_ASSIGN_OR_RETURN(store::Product seen,
//                            registry::GetProduct(ctx, registry::Actor::Anonymous(), p.id));
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "registry/actor.hpp"
#include "registry/platform_id.hpp"
#include "store/registry_store.hpp"

namespace vntrace::registry {

// What the domain functions use. Every member must outlive the calls.
struct Context {
  store::RegistryStore& store;
  const core::Clock& clock;
  core::Random& random;
  const PlatformIds& ids;
};

// "enterprise", "cooperative", "household_business", "individual" and back
// ("organisation_kind.invalid").
std::string_view OrganisationKindName(store::OrganisationKind kind);
core::Result<store::OrganisationKind> ParseOrganisationKind(std::string_view name);
// "farm", "plot", "workshop", "warehouse", "shop" and back ("facility_kind.invalid").
std::string_view FacilityKindName(store::FacilityKind kind);
core::Result<store::FacilityKind> ParseFacilityKind(std::string_view name);

// ---- organisations: created by system_admin; edited by system_admin or its org_admin.
core::Result<store::Organisation> CreateOrganisation(const Context& ctx, const Actor& actor,
                                                     store::Organisation draft);
core::Result<store::Organisation> UpdateOrganisation(const Context& ctx, const Actor& actor,
                                                     store::Organisation changed);
// Anyone may read an organisation; those who may not read its private data get the public
// profile only (tax code, phone and representative cleared).
core::Result<store::Organisation> GetOrganisation(const Context& ctx, const Actor& actor,
                                                  std::string_view id);
// The organisations the actor may read privately: every one for system_admin, the area's for
// authority officers and inspectors, its own for organisation members; empty for others.
core::Result<std::vector<store::Organisation>> ListOrganisations(const Context& ctx,
                                                                 const Actor& actor);

// ---- facilities (private): a GLN (with optional AI 254 extension) or a platform id.
core::Result<store::Facility> CreateFacility(const Context& ctx, const Actor& actor,
                                             store::Facility draft);
core::Result<store::Facility> UpdateFacility(const Context& ctx, const Actor& actor,
                                             store::Facility changed);
core::Result<store::Facility> GetFacility(const Context& ctx, const Actor& actor,
                                          std::string_view id);
core::Result<std::vector<store::Facility>> ListFacilities(const Context& ctx, const Actor& actor,
                                                          std::string_view org_id);

// ---- products (published): a GTIN or a platform code; OCOP rating optional.
core::Result<store::Product> CreateProduct(const Context& ctx, const Actor& actor,
                                           store::Product draft);
core::Result<store::Product> UpdateProduct(const Context& ctx, const Actor& actor,
                                           store::Product changed);
core::Result<store::Product> GetProduct(const Context& ctx, const Actor& actor,
                                        std::string_view id);
core::Result<std::vector<store::Product>> ListProducts(const Context& ctx, const Actor& actor,
                                                       std::string_view org_id);
// True when the product's OCOP rating has passed its validity date.
bool OcopExpired(const store::Product& product, const core::Clock& clock);

// ---- certificates (private to the organisation and the authorities of its area).
struct CertificateView {
  store::Certificate certificate;
  bool expired = false;  // valid_until is before today (Vietnam time)
};
core::Result<CertificateView> CreateCertificate(const Context& ctx, const Actor& actor,
                                                store::Certificate draft);
core::Result<CertificateView> UpdateCertificate(const Context& ctx, const Actor& actor,
                                                store::Certificate changed);
core::Result<CertificateView> GetCertificate(const Context& ctx, const Actor& actor,
                                             std::string_view id);
core::Result<std::vector<CertificateView>> ListCertificates(const Context& ctx, const Actor& actor,
                                                            std::string_view org_id);

// ---- lots (published): of a product of the organisation; the code is unique per product.
core::Result<store::Lot> CreateLot(const Context& ctx, const Actor& actor, store::Lot draft);
// Changes dates, quantity and unit (the code and product are fixed).
core::Result<store::Lot> UpdateLot(const Context& ctx, const Actor& actor, store::Lot changed);
core::Result<store::Lot> GetLot(const Context& ctx, const Actor& actor, std::string_view id);
core::Result<std::vector<store::Lot>> ListLots(const Context& ctx, const Actor& actor,
                                               std::string_view product_id);

// ---- audit: system_admin reads everything, an org_admin its organisation's entries.
core::Result<std::vector<store::AuditEntry>> ListAudit(const Context& ctx, const Actor& actor,
                                                       std::string_view org_id, std::size_t limit);

}  // namespace vntrace::registry
