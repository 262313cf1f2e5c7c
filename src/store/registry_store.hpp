// store::RegistryStore: the persisted records of the registry and accounts (organisations,
// facilities, products with their OCOP rating, certificates, lots, users, sessions, login
// failures) and the append-only audit log.
//
// The records are plain values; src/registry validates them and decides who may read or change
// what. Every write takes the AuditEntry that describes it and stores both in one transaction,
// so no change is stored without its audit entry. Dates are ISO 8601 calendar dates
// ("2026-03-01") or empty; enumerations are persisted as small integers (see
// docs/store-schema.md).
//
// Thread-safety: as Store (safe from several threads at once).
//
// Example:
//   store::RegistryStore& registry = db->registry();
//   VNTRACE_RETURN_IF_ERROR(registry.CreateOrganisation(org, audit));
//   VNTRACE_ASSIGN_OR_RETURN(store::Organisation got, registry.GetOrganisation(org.id));
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "epcis/event.hpp"

namespace vntrace::store {

enum class OrganisationKind : std::uint8_t {
  kEnterprise = 1,
  kCooperative = 2,
  kHouseholdBusiness = 3,
  kIndividual = 4,
};

// A postal address down to the commune (province → commune, with the district kept for
// addresses written before districts were abolished on 1 July 2025).
struct Address {
  std::string province{};
  std::string district{};  // legacy; usually empty
  std::string commune{};
  std::string street{};  // house number, street, hamlet (thôn/ấp)
  friend bool operator==(const Address&, const Address&) = default;
};

struct Organisation {
  std::string id{};  // a platform URI (https://{domain}/id/org/...)
  OrganisationKind kind = OrganisationKind::kEnterprise;
  std::string name{};
  std::string tax_code{};  // empty when none
  Address address{};
  std::string phone{};
  std::string gs1_company_prefix{};  // digits; empty when the organisation has none
  std::string gln{};                 // 13 digits; empty when none
  std::string representative{};
  core::Timestamp created_at{};
  core::Timestamp updated_at{};
  friend bool operator==(const Organisation&, const Organisation&) = default;
};

enum class FacilityKind : std::uint8_t {
  kFarm = 1,
  kPlot = 2,
  kWorkshop = 3,
  kWarehouse = 4,
  kShop = 5,
};

struct Facility {
  std::string id{};      // platform id (https://{domain}/id/loc/...)
  std::string org_id{};  // the owner
  FacilityKind kind = FacilityKind::kFarm;
  std::string name{};
  // The location trace code: the canonical GS1 Digital Link of its GLN (with AI 254 for an
  // SGLN extension) or, without a GLN, the platform id.
  std::string identifier{};
  std::string gln{};            // empty when platform-issued
  std::string gln_extension{};  // AI 254; empty when none
  std::string parent_id{};      // the farm of a plot; empty when none
  Address address{};
  std::optional<double> area_m2{};
  std::string crop{};
  std::optional<double> latitude{};
  std::optional<double> longitude{};
  core::Timestamp created_at{};
  core::Timestamp updated_at{};
  friend bool operator==(const Facility&, const Facility&) = default;
};

// OCOP (Decision 148/QĐ-TTg) rating of a product.
struct OcopRating {
  int stars = 0;  // 1-5
  std::string decision_number{};
  std::string decision_date{};  // ISO date
  std::string valid_until{};    // ISO date; empty when open-ended
  friend bool operator==(const OcopRating&, const OcopRating&) = default;
};

struct Product {
  std::string id{};      // platform id (https://{domain}/id/product/...)
  std::string org_id{};  // the producer
  // The product trace code: https://id.gs1.org/01/{GTIN-14} or, without a GTIN, the platform id.
  std::string identifier{};
  std::string gtin{};  // 14 digits; empty when platform-coded
  std::string name{};
  std::string description{};
  std::string image_ref{};  // a file reference; empty when none
  std::string category{};
  std::string unit{};
  std::string brand{};
  std::string origin{};                  // xuất xứ
  std::vector<std::string> standards{};  // "TCVN 12850:2019", "VietGAP", ...
  std::optional<OcopRating> ocop{};
  core::Timestamp created_at{};
  core::Timestamp updated_at{};
  friend bool operator==(const Product&, const Product&) = default;
};

// A product as it was from `valid_from` until the next version (Decree 37/2026 Art. 52: an
// electronic label keeps its version history). Every create and update of a product stores one,
// in the same transaction; products written before versions were kept got version 1 from their
// row as it was then, valid from their creation.
struct ProductVersion {
  int version = 0;  // 1, 2, ... per product
  core::Timestamp valid_from{};
  Product product{};
  friend bool operator==(const ProductVersion&, const ProductVersion&) = default;
};

struct Certificate {
  std::string id{};
  std::string org_id{};
  std::string product_id{};   // empty when not about one product
  std::string facility_id{};  // empty when not about one facility
  std::string kind{};         // "VietGAP", "organic", "ISO 22000", "food safety", ...
  std::string number{};
  std::string issuer{};
  std::string issued_on{};    // ISO date
  std::string valid_until{};  // ISO date; empty when open-ended
  std::string file_ref{};     // the uploaded file; empty when none
  core::Timestamp created_at{};
  friend bool operator==(const Certificate&, const Certificate&) = default;
};

struct Lot {
  std::string id{};  // platform id (https://{domain}/id/lot/...)
  std::string org_id{};
  std::string product_id{};
  std::string code{};  // the lot/batch number printed on the pack (AI 10 when GS1)
  // https://id.gs1.org/01/{GTIN}/10/{code} for a GTIN product, otherwise the platform id.
  std::string identifier{};
  std::string produced_on{};  // production or harvest date (ISO)
  std::string expires_on{};   // ISO date; empty when none
  std::optional<double> quantity{};
  std::string unit{};
  core::Timestamp created_at{};
  friend bool operator==(const Lot&, const Lot&) = default;
};

enum class Role : std::uint8_t {
  kSystemAdmin = 1,
  kAuthorityOfficer = 2,
  kInspector = 3,
  kOrgAdmin = 4,
  kOrgStaff = 5,
};

struct User {
  std::string id{};
  std::string email{};  // lower case; unique
  std::string display_name{};
  Role role = Role::kOrgStaff;
  std::string org_id{};         // org_admin and org_staff only
  Address area{};               // authority_officer and inspector: the area they cover (no street)
  std::string password_hash{};  // argon2id, libsodium's crypto_pwhash_str format
  bool disabled = false;
  core::Timestamp created_at{};
  friend bool operator==(const User&, const User&) = default;
};

struct Session {
  std::string token_hash{};  // SHA-256 hex of the session token (the token itself is never stored)
  std::string user_id{};
  std::string csrf_token{};
  core::Timestamp created_at{};
  core::Timestamp expires_at{};
  friend bool operator==(const Session&, const Session&) = default;
};

struct AuditEntry {
  std::int64_t sequence = 0;  // assigned by the store, ascending
  core::Timestamp at{};
  std::string actor{};   // "user:{id}", "apikey:{id}", "cli", ...
  std::string org_id{};  // the organisation whose data changed; empty for platform data
  std::string action{};  // "create", "update", "delete", "login", ...
  std::string entity{};  // "organisation", "facility", "product", ...
  std::string entity_id{};
  std::string changes_json{};  // what changed, as a JSON object text
  friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

// An uploaded file (product image, certificate file; registry/media.hpp) without its bytes.
// `id` is the lowercase hex SHA-256 of the bytes, so a row never changes.
struct MediaInfo {
  std::string id{};
  std::string org_id{};        // the organisation that uploaded it first
  std::string content_type{};  // "image/jpeg", "image/png", "image/webp", "application/pdf"
  std::string sha256{};        // lowercase hex; equals id
  std::int64_t byte_size = 0;
  int width = 0;  // pixels; 0 when not an image
  int height = 0;
  core::Timestamp created_at{};
  friend bool operator==(const MediaInfo&, const MediaInfo&) = default;
};

struct Media {
  MediaInfo info{};
  std::string data{};  // the file's bytes
  friend bool operator==(const Media&, const Media&) = default;
};

// The organisations in an area: each non-empty field must match (all of them: every one).
struct AreaFilter {
  std::string province{};
  std::string district{};
  std::string commune{};
};

// One step of the production diary (see registry/diary.hpp).
struct DiaryEntry {
  std::string id{};  // a UUID, chosen by the client (idempotency) or issued
  std::string org_id{};
  std::string template_id{};  // "harvest", "spray", ...
  std::string facility_id{};
  std::string product_id{};  // the product grown, harvested, made; empty when none
  std::string lot_id{};      // the lot created or handled first; empty when none
  std::string actor{};       // as AuditEntry::actor
  core::Timestamp occurred_at{};
  core::Timestamp recorded_at{};
  std::string fields_json{};  // the fields as typed, normalised: {"dose": "2.5", ...}
  std::string event_id{};     // the EPCIS eventID of its event
  friend bool operator==(const DiaryEntry&, const DiaryEntry&) = default;
};

// Everything one diary step stores, written together by RecordDiary.
struct DiaryWrite {
  std::vector<Lot> new_lots{};
  std::vector<AuditEntry> lot_audits{};  // one per new lot
  std::vector<epcis::Event> events{};    // captured as Store::CaptureEvents would
  DiaryEntry entry{};
  AuditEntry entry_audit{};
};

struct DiaryQuery {
  std::string org_id{};
  std::string facility_id{};              // empty: any
  std::string template_id{};              // empty: any
  std::string lot_id{};                   // empty: any
  std::optional<core::Timestamp> from{};  // occurred_at >= from
  std::optional<core::Timestamp> to{};    // occurred_at < to
  std::size_t limit = 200;
};

class RegistryStore {
 public:
  virtual ~RegistryStore() = default;

  // Creates return kAlreadyExists when the id (or another unique key named below) is taken;
  // updates return kNotFound when no record has the id. Reads return kNotFound when missing.

  // Unique: id, tax_code (when set).
  virtual core::Status CreateOrganisation(const Organisation& org, const AuditEntry& audit) = 0;
  virtual core::Status UpdateOrganisation(const Organisation& org, const AuditEntry& audit) = 0;
  virtual core::Result<Organisation> GetOrganisation(std::string_view id) = 0;
  // By name, then id.
  virtual core::Result<std::vector<Organisation>> ListOrganisations(const AreaFilter& area) = 0;

  // Unique: id, identifier.
  virtual core::Status CreateFacility(const Facility& facility, const AuditEntry& audit) = 0;
  virtual core::Status UpdateFacility(const Facility& facility, const AuditEntry& audit) = 0;
  virtual core::Result<Facility> GetFacility(std::string_view id) = 0;
  // By name, then id.
  virtual core::Result<std::vector<Facility>> ListFacilities(std::string_view org_id) = 0;

  // Unique: id, identifier.
  virtual core::Status CreateProduct(const Product& product, const AuditEntry& audit) = 0;
  virtual core::Status UpdateProduct(const Product& product, const AuditEntry& audit) = 0;
  virtual core::Result<Product> GetProduct(std::string_view id) = 0;
  // kNotFound when no product has this identifier (GTIN Digital Link or platform id).
  virtual core::Result<Product> FindProductByIdentifier(std::string_view identifier) = 0;
  virtual core::Result<std::vector<Product>> ListProducts(std::string_view org_id) = 0;
  // Every version of the product, oldest first; empty when no product has this id. Products are
  // never deleted, and their versions neither.
  virtual core::Result<std::vector<ProductVersion>> ListProductVersions(
      std::string_view product_id) = 0;

  virtual core::Status CreateCertificate(const Certificate& certificate,
                                         const AuditEntry& audit) = 0;
  virtual core::Status UpdateCertificate(const Certificate& certificate,
                                         const AuditEntry& audit) = 0;
  virtual core::Result<Certificate> GetCertificate(std::string_view id) = 0;
  // By valid_until (open-ended last), then id.
  virtual core::Result<std::vector<Certificate>> ListCertificates(std::string_view org_id) = 0;

  // Unique: id, identifier, (product_id, code).
  virtual core::Status CreateLot(const Lot& lot, const AuditEntry& audit) = 0;
  virtual core::Status UpdateLot(const Lot& lot, const AuditEntry& audit) = 0;
  virtual core::Result<Lot> GetLot(std::string_view id) = 0;
  // Newest first (by produced_on, then creation).
  virtual core::Result<std::vector<Lot>> ListLots(std::string_view product_id) = 0;

  // Unique: id, email.
  virtual core::Status CreateUser(const User& user, const AuditEntry& audit) = 0;
  virtual core::Status UpdateUser(const User& user, const AuditEntry& audit) = 0;
  virtual core::Result<User> GetUser(std::string_view id) = 0;
  virtual core::Result<User> FindUserByEmail(std::string_view email) = 0;
  // Every user of `org_id` (empty: users without an organisation), by email.
  virtual core::Result<std::vector<User>> ListUsers(std::string_view org_id) = 0;

  virtual core::Status CreateSession(const Session& session) = 0;
  virtual core::Result<Session> FindSession(std::string_view token_hash) = 0;
  // Deleting a missing session succeeds.
  virtual core::Status DeleteSession(std::string_view token_hash) = 0;
  // Removes every session of the user (after a password change or when disabled).
  virtual core::Status DeleteUserSessions(std::string_view user_id) = 0;

  // Login rate limiting: failures per subject ("email:…", "addr:…").
  virtual core::Status RecordLoginFailure(std::string_view subject, core::Timestamp at) = 0;
  // Failures of `subject` at or after `since`.
  virtual core::Result<int> CountLoginFailures(std::string_view subject, core::Timestamp since) = 0;
  virtual core::Status ClearLoginFailures(std::string_view subject) = 0;

  // Appends an entry on its own (for events that change no record, such as a login).
  virtual core::Status AppendAudit(const AuditEntry& audit) = 0;
  // The entries of `org_id` (empty: every entry), newest first, at most `limit`.
  virtual core::Result<std::vector<AuditEntry>> ListAudit(std::string_view org_id,
                                                          std::size_t limit) = 0;

  // ---- uploaded files (migration 9)
  // Stores the file with its audit entry. kAlreadyExists when a file with this id (the same
  // bytes) is stored already; nothing is written then.
  virtual core::Status CreateMedia(const Media& media, const AuditEntry& audit) = 0;
  // The file with its bytes; kNotFound when missing.
  virtual core::Result<Media> GetMedia(std::string_view id) = 0;
  // The file's metadata only (no bytes); kNotFound when missing.
  virtual core::Result<MediaInfo> GetMediaInfo(std::string_view id) = 0;

  // ---- production diary (migration 3)
  // Stores every write (lots, events, entry, audit entries) in one transaction: all or nothing.
  // kAlreadyExists when an entry id, a lot id or a (product_id, lot code) is taken.
  virtual core::Status RecordDiary(std::span<const DiaryWrite> writes) = 0;
  virtual core::Result<DiaryEntry> GetDiaryEntry(std::string_view id) = 0;
  // Newest occurred_at first (then newest recorded), at most query.limit.
  virtual core::Result<std::vector<DiaryEntry>> ListDiaryEntries(const DiaryQuery& query) = 0;

 protected:
  RegistryStore() = default;
  RegistryStore(const RegistryStore&) = delete;
  RegistryStore& operator=(const RegistryStore&) = delete;
};

}  // namespace vntrace::store
