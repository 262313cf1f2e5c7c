// SqliteStore's RegistryStore: the registry and accounts tables of migration 2.
//
// Registry traffic is small next to event capture and query, so every call runs on the writer
// connection under writer_mu_: a write and its audit entry commit in one IMMEDIATE transaction,
// and reads see every committed write.
#include <algorithm>
#include <limits>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/registry_store.hpp"
#include "store/sqlite/audit_rows.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/log_rows.hpp"
#include "store/sqlite/registry_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace vntrace::store::sqlite {

core::Status InsertAudit(Connection& connection, const AuditEntry& audit) {
  static constexpr std::string_view kInsertAudit =
      "INSERT INTO audit_log (at_ns, actor, org_id, action, entity, entity_id, changes_json) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsertAudit));
  insert.BindInt64(1, audit.at.unix_nanos());
  insert.BindText(2, audit.actor);
  insert.BindText(3, audit.org_id);
  insert.BindText(4, audit.action);
  insert.BindText(5, audit.entity);
  insert.BindText(6, audit.entity_id);
  insert.BindText(7, audit.changes_json.empty() ? std::string_view("{}") : audit.changes_json);
  VNTRACE_RETURN_IF_ERROR(insert.Run());
  // The tamper-evident log records every change in the same transaction (log_store.hpp).
  LogAppender leaves(connection);
  return leaves.AppendAudit(audit, connection.LastInsertRowid());
}

namespace {

core::Timestamp FromNanos(std::int64_t nanos) { return core::Timestamp::FromUnixNanos(nanos); }

std::string Text(const BoundStatement& row, int column) {
  return std::string(row.ColumnText(column));
}

std::optional<double> OptionalDouble(const BoundStatement& row, int column) {
  if (row.ColumnIsNull(column)) {
    return std::nullopt;
  }
  return row.ColumnDouble(column);
}

void BindOptionalDouble(BoundStatement& statement, int index, std::optional<double> value) {
  if (value.has_value()) {
    statement.BindDouble(index, *value);
  } else {
    statement.BindNull(index);
  }
}

// Standards are stored one per line.
std::string JoinLines(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) {
      out += '\n';
    }
    out += item;
  }
  return out;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    out.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) {
      break;
    }
    text.remove_prefix(end + 1);
  }
  return out;
}

// Runs `bind` on the statement `sql` and the audit insert in one transaction. `what` names the
// record for kAlreadyExists / kNotFound messages; `update` makes "no row changed" kNotFound.
template <typename Bind>
core::Status WriteWithAudit(Connection& connection, std::string_view sql, const AuditEntry& audit,
                            std::string_view what, bool update, Bind bind) {
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionMode::kImmediate));
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement statement, connection.Prepare(sql));
    bind(statement);
    core::Status ran = statement.Run();
    if (!ran.ok()) {
      if (IsUniqueConflict(ran.error())) {
        return core::AlreadyExists(std::string(what) + " already exists");
      }
      return ran;
    }
    if (update && connection.Changes() == 0) {
      return core::NotFound("no " + std::string(what));
    }
  }
  VNTRACE_RETURN_IF_ERROR(InsertAudit(connection, audit));
  return transaction.Commit();
}

// Reads one record with `read` from the statement `sql` bound to `key`.
template <typename Record, typename Read>
core::Result<Record> ReadOne(Connection& connection, std::string_view sql, std::string_view key,
                             std::string_view what, Read read) {
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(sql));
  select.BindText(1, key);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return core::NotFound("no " + std::string(what) + " '" + std::string(key) + "'");
  }
  return read(select);
}

template <typename Record, typename Read>
core::Result<std::vector<Record>> ReadAll(BoundStatement& select, Read read) {
  std::vector<Record> out;
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      break;
    }
    out.push_back(read(select));
  }
  return out;
}

// ---- organisations

void BindOrganisation(BoundStatement& s, const Organisation& o) {
  s.BindText(1, o.id);
  s.BindInt64(2, static_cast<int>(o.kind));
  s.BindText(3, o.name);
  s.BindTextOrNull(4, o.tax_code);
  s.BindText(5, o.address.province);
  s.BindText(6, o.address.district);
  s.BindText(7, o.address.commune);
  s.BindText(8, o.address.street);
  s.BindText(9, o.phone);
  s.BindText(10, o.gs1_company_prefix);
  s.BindText(11, o.gln);
  s.BindText(12, o.representative);
  s.BindInt64(13, o.created_at.unix_nanos());
  s.BindInt64(14, o.updated_at.unix_nanos());
}

Organisation ReadOrganisation(const BoundStatement& r) {
  return Organisation{
      .id = Text(r, 0),
      .kind = static_cast<OrganisationKind>(r.ColumnInt64(1)),
      .name = Text(r, 2),
      .tax_code = Text(r, 3),
      .address = {.province = Text(r, 4),
                  .district = Text(r, 5),
                  .commune = Text(r, 6),
                  .street = Text(r, 7)},
      .phone = Text(r, 8),
      .gs1_company_prefix = Text(r, 9),
      .gln = Text(r, 10),
      .representative = Text(r, 11),
      .created_at = FromNanos(r.ColumnInt64(12)),
      .updated_at = FromNanos(r.ColumnInt64(13)),
  };
}

// ---- facilities

void BindFacility(BoundStatement& s, const Facility& f) {
  s.BindText(1, f.id);
  s.BindText(2, f.org_id);
  s.BindInt64(3, static_cast<int>(f.kind));
  s.BindText(4, f.name);
  s.BindText(5, f.identifier);
  s.BindText(6, f.gln);
  s.BindText(7, f.gln_extension);
  s.BindTextOrNull(8, f.parent_id);
  s.BindText(9, f.address.province);
  s.BindText(10, f.address.district);
  s.BindText(11, f.address.commune);
  s.BindText(12, f.address.street);
  BindOptionalDouble(s, 13, f.area_m2);
  s.BindText(14, f.crop);
  BindOptionalDouble(s, 15, f.latitude);
  BindOptionalDouble(s, 16, f.longitude);
  s.BindInt64(17, f.created_at.unix_nanos());
  s.BindInt64(18, f.updated_at.unix_nanos());
}

Facility ReadFacility(const BoundStatement& r) {
  return Facility{
      .id = Text(r, 0),
      .org_id = Text(r, 1),
      .kind = static_cast<FacilityKind>(r.ColumnInt64(2)),
      .name = Text(r, 3),
      .identifier = Text(r, 4),
      .gln = Text(r, 5),
      .gln_extension = Text(r, 6),
      .parent_id = Text(r, 7),
      .address = {.province = Text(r, 8),
                  .district = Text(r, 9),
                  .commune = Text(r, 10),
                  .street = Text(r, 11)},
      .area_m2 = OptionalDouble(r, 12),
      .crop = Text(r, 13),
      .latitude = OptionalDouble(r, 14),
      .longitude = OptionalDouble(r, 15),
      .created_at = FromNanos(r.ColumnInt64(16)),
      .updated_at = FromNanos(r.ColumnInt64(17)),
  };
}

// ---- products

void BindProduct(BoundStatement& s, const Product& p, const std::string& standards) {
  s.BindText(1, p.id);
  s.BindText(2, p.org_id);
  s.BindText(3, p.identifier);
  s.BindText(4, p.gtin);
  s.BindText(5, p.name);
  s.BindText(6, p.description);
  s.BindText(7, p.image_ref);
  s.BindText(8, p.category);
  s.BindText(9, p.unit);
  s.BindText(10, p.brand);
  s.BindText(11, p.origin);
  s.BindText(12, standards);
  if (p.ocop.has_value()) {
    s.BindInt64(13, p.ocop->stars);
    s.BindText(14, p.ocop->decision_number);
    s.BindText(15, p.ocop->decision_date);
    s.BindText(16, p.ocop->valid_until);
  } else {
    s.BindNull(13);
    s.BindNull(14);
    s.BindNull(15);
    s.BindNull(16);
  }
  s.BindInt64(17, p.created_at.unix_nanos());
  s.BindInt64(18, p.updated_at.unix_nanos());
}

Product ReadProduct(const BoundStatement& r) { return ReadProductColumns(r, 0); }

// ---- certificates

void BindCertificate(BoundStatement& s, const Certificate& c) {
  s.BindText(1, c.id);
  s.BindText(2, c.org_id);
  s.BindTextOrNull(3, c.product_id);
  s.BindTextOrNull(4, c.facility_id);
  s.BindText(5, c.kind);
  s.BindText(6, c.number);
  s.BindText(7, c.issuer);
  s.BindText(8, c.issued_on);
  s.BindText(9, c.valid_until);
  s.BindText(10, c.file_ref);
  s.BindInt64(11, c.created_at.unix_nanos());
}

Certificate ReadCertificate(const BoundStatement& r) {
  return Certificate{
      .id = Text(r, 0),
      .org_id = Text(r, 1),
      .product_id = Text(r, 2),
      .facility_id = Text(r, 3),
      .kind = Text(r, 4),
      .number = Text(r, 5),
      .issuer = Text(r, 6),
      .issued_on = Text(r, 7),
      .valid_until = Text(r, 8),
      .file_ref = Text(r, 9),
      .created_at = FromNanos(r.ColumnInt64(10)),
  };
}

// ---- lots

void BindLot(BoundStatement& s, const Lot& l) {
  s.BindText(1, l.id);
  s.BindText(2, l.org_id);
  s.BindText(3, l.product_id);
  s.BindText(4, l.code);
  s.BindText(5, l.identifier);
  s.BindText(6, l.produced_on);
  s.BindText(7, l.expires_on);
  BindOptionalDouble(s, 8, l.quantity);
  s.BindText(9, l.unit);
  s.BindInt64(10, l.created_at.unix_nanos());
}

Lot ReadLot(const BoundStatement& r) {
  return Lot{
      .id = Text(r, 0),
      .org_id = Text(r, 1),
      .product_id = Text(r, 2),
      .code = Text(r, 3),
      .identifier = Text(r, 4),
      .produced_on = Text(r, 5),
      .expires_on = Text(r, 6),
      .quantity = OptionalDouble(r, 7),
      .unit = Text(r, 8),
      .created_at = FromNanos(r.ColumnInt64(9)),
  };
}

// ---- users

void BindUser(BoundStatement& s, const User& u) {
  s.BindText(1, u.id);
  s.BindText(2, u.email);
  s.BindText(3, u.display_name);
  s.BindInt64(4, static_cast<int>(u.role));
  s.BindTextOrNull(5, u.org_id);
  s.BindText(6, u.area.province);
  s.BindText(7, u.area.district);
  s.BindText(8, u.area.commune);
  s.BindText(9, u.password_hash);
  s.BindInt64(10, u.disabled ? 1 : 0);
  s.BindInt64(11, u.created_at.unix_nanos());
}

User ReadUser(const BoundStatement& r) {
  return User{
      .id = Text(r, 0),
      .email = Text(r, 1),
      .display_name = Text(r, 2),
      .role = static_cast<Role>(r.ColumnInt64(3)),
      .org_id = Text(r, 4),
      .area = {.province = Text(r, 5), .district = Text(r, 6), .commune = Text(r, 7)},
      .password_hash = Text(r, 8),
      .disabled = r.ColumnInt64(9) != 0,
      .created_at = FromNanos(r.ColumnInt64(10)),
  };
}

Session ReadSession(const BoundStatement& r) {
  return Session{
      .token_hash = Text(r, 0),
      .user_id = Text(r, 1),
      .csrf_token = Text(r, 2),
      .created_at = FromNanos(r.ColumnInt64(3)),
      .expires_at = FromNanos(r.ColumnInt64(4)),
  };
}

AuditEntry ReadAudit(const BoundStatement& r) {
  return AuditEntry{
      .sequence = r.ColumnInt64(0),
      .at = FromNanos(r.ColumnInt64(1)),
      .actor = Text(r, 2),
      .org_id = Text(r, 3),
      .action = Text(r, 4),
      .entity = Text(r, 5),
      .entity_id = Text(r, 6),
      .changes_json = Text(r, 7),
  };
}

}  // namespace

Product ReadProductColumns(const BoundStatement& r, int first) {
  Product p{
      .id = Text(r, first + 0),
      .org_id = Text(r, first + 1),
      .identifier = Text(r, first + 2),
      .gtin = Text(r, first + 3),
      .name = Text(r, first + 4),
      .description = Text(r, first + 5),
      .image_ref = Text(r, first + 6),
      .category = Text(r, first + 7),
      .unit = Text(r, first + 8),
      .brand = Text(r, first + 9),
      .origin = Text(r, first + 10),
      .standards = SplitLines(r.ColumnText(first + 11)),
      .ocop = std::nullopt,
      .created_at = FromNanos(r.ColumnInt64(first + 16)),
      .updated_at = FromNanos(r.ColumnInt64(first + 17)),
  };
  if (!r.ColumnIsNull(first + 12)) {
    p.ocop = OcopRating{.stars = static_cast<int>(r.ColumnInt64(first + 12)),
                        .decision_number = Text(r, first + 13),
                        .decision_date = Text(r, first + 14),
                        .valid_until = Text(r, first + 15)};
  }
  return p;
}

// ---- organisations

core::Status SqliteStore::CreateOrganisation(const Organisation& org, const AuditEntry& audit) {
  static constexpr std::string_view kInsert =
      "INSERT INTO organisations (id, kind, name, tax_code, province, district, commune, street, "
      "phone, gs1_company_prefix, gln, representative, created_at_ns, updated_at_ns) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return WriteWithAudit(*writer_, kInsert, audit, "an organisation with this id or tax code", false,
                        [&](BoundStatement& s) { BindOrganisation(s, org); });
}

core::Status SqliteStore::UpdateOrganisation(const Organisation& org, const AuditEntry& audit) {
  static constexpr std::string_view kUpdate =
      "UPDATE organisations SET kind = ?2, name = ?3, tax_code = ?4, province = ?5, "
      "district = ?6, commune = ?7, street = ?8, phone = ?9, gs1_company_prefix = ?10, gln = ?11, "
      "representative = ?12, updated_at_ns = ?14 WHERE id = ?1 AND ?13 = ?13";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return WriteWithAudit(*writer_, kUpdate, audit, "organisation '" + org.id + "'", true,
                        [&](BoundStatement& s) { BindOrganisation(s, org); });
}

core::Result<Organisation> SqliteStore::GetOrganisation(std::string_view id) {
  static constexpr std::string_view kSelect =
      "SELECT id, kind, name, tax_code, province, district, commune, street, phone, "
      "gs1_company_prefix, gln, representative, created_at_ns, updated_at_ns "
      "FROM organisations WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return ReadOne<Organisation>(*writer_, kSelect, id, "organisation", ReadOrganisation);
}

core::Result<std::vector<Organisation>> SqliteStore::ListOrganisations(const AreaFilter& area) {
  static constexpr std::string_view kSelect =
      "SELECT id, kind, name, tax_code, province, district, commune, street, phone, "
      "gs1_company_prefix, gln, representative, created_at_ns, updated_at_ns "
      "FROM organisations WHERE (?1 = '' OR province = ?1) AND (?2 = '' OR district = ?2) "
      "AND (?3 = '' OR commune = ?3) ORDER BY name, id";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, area.province);
  select.BindText(2, area.district);
  select.BindText(3, area.commune);
  return ReadAll<Organisation>(select, ReadOrganisation);
}

// ---- facilities

core::Status SqliteStore::CreateFacility(const Facility& facility, const AuditEntry& audit) {
  static constexpr std::string_view kInsert =
      "INSERT INTO facilities (id, org_id, kind, name, identifier, gln, gln_extension, parent_id, "
      "province, district, commune, street, area_m2, crop, latitude, longitude, created_at_ns, "
      "updated_at_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
      "?16, ?17, ?18)";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return WriteWithAudit(*writer_, kInsert, audit, "a facility with this id or identifier", false,
                        [&](BoundStatement& s) { BindFacility(s, facility); });
}

core::Status SqliteStore::UpdateFacility(const Facility& facility, const AuditEntry& audit) {
  static constexpr std::string_view kUpdate =
      "UPDATE facilities SET kind = ?3, name = ?4, identifier = ?5, gln = ?6, gln_extension = ?7, "
      "parent_id = ?8, province = ?9, district = ?10, commune = ?11, street = ?12, area_m2 = ?13, "
      "crop = ?14, latitude = ?15, longitude = ?16, updated_at_ns = ?18 "
      "WHERE id = ?1 AND org_id = ?2 AND ?17 = ?17";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return WriteWithAudit(*writer_, kUpdate, audit, "facility '" + facility.id + "'", true,
                        [&](BoundStatement& s) { BindFacility(s, facility); });
}

core::Result<Facility> SqliteStore::GetFacility(std::string_view id) {
  static constexpr std::string_view kSelect =
      "SELECT id, org_id, kind, name, identifier, gln, gln_extension, parent_id, province, "
      "district, commune, street, area_m2, crop, latitude, longitude, created_at_ns, "
      "updated_at_ns FROM facilities WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return ReadOne<Facility>(*writer_, kSelect, id, "facility", ReadFacility);
}

core::Result<std::vector<Facility>> SqliteStore::ListFacilities(std::string_view org_id) {
  static constexpr std::string_view kSelect =
      "SELECT id, org_id, kind, name, identifier, gln, gln_extension, parent_id, province, "
      "district, commune, street, area_m2, crop, latitude, longitude, created_at_ns, "
      "updated_at_ns FROM facilities WHERE org_id = ?1 ORDER BY name, id";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, org_id);
  return ReadAll<Facility>(select, ReadFacility);
}

// ---- products

core::Status SqliteStore::CreateProduct(const Product& product, const AuditEntry& audit) {
  static constexpr std::string_view kInsert =
      "INSERT INTO products (id, org_id, identifier, gtin, name, description, image_ref, "
      "category, unit, brand, origin, standards, ocop_stars, ocop_decision_number, "
      "ocop_decision_date, ocop_valid_until, created_at_ns, updated_at_ns) VALUES (?1, ?2, ?3, "
      "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";
  const std::string standards = JoinLines(product.standards);
  std::lock_guard<std::mutex> lock(writer_mu_);
  return WriteWithAudit(*writer_, kInsert, audit, "a product with this id or identifier", false,
                        [&](BoundStatement& s) { BindProduct(s, product, standards); });
}

core::Status SqliteStore::UpdateProduct(const Product& product, const AuditEntry& audit) {
  static constexpr std::string_view kUpdate =
      "UPDATE products SET identifier = ?3, gtin = ?4, name = ?5, description = ?6, "
      "image_ref = ?7, category = ?8, unit = ?9, brand = ?10, origin = ?11, standards = ?12, "
      "ocop_stars = ?13, ocop_decision_number = ?14, ocop_decision_date = ?15, "
      "ocop_valid_until = ?16, updated_at_ns = ?18 WHERE id = ?1 AND org_id = ?2 AND ?17 = ?17";
  const std::string standards = JoinLines(product.standards);
  std::lock_guard<std::mutex> lock(writer_mu_);
  return WriteWithAudit(*writer_, kUpdate, audit, "product '" + product.id + "'", true,
                        [&](BoundStatement& s) { BindProduct(s, product, standards); });
}

core::Result<Product> SqliteStore::GetProduct(std::string_view id) {
  static constexpr std::string_view kSelect =
      "SELECT id, org_id, identifier, gtin, name, description, image_ref, category, unit, brand, "
      "origin, standards, ocop_stars, ocop_decision_number, ocop_decision_date, "
      "ocop_valid_until, created_at_ns, updated_at_ns FROM products WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return ReadOne<Product>(*writer_, kSelect, id, "product", ReadProduct);
}

core::Result<Product> SqliteStore::FindProductByIdentifier(std::string_view identifier) {
  static constexpr std::string_view kSelect =
      "SELECT id, org_id, identifier, gtin, name, description, image_ref, category, unit, brand, "
      "origin, standards, ocop_stars, ocop_decision_number, ocop_decision_date, "
      "ocop_valid_until, created_at_ns, updated_at_ns FROM products WHERE identifier = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return ReadOne<Product>(*writer_, kSelect, identifier, "product", ReadProduct);
}

core::Result<std::vector<Product>> SqliteStore::ListProducts(std::string_view org_id) {
  static constexpr std::string_view kSelect =
      "SELECT id, org_id, identifier, gtin, name, description, image_ref, category, unit, brand, "
      "origin, standards, ocop_stars, ocop_decision_number, ocop_decision_date, "
      "ocop_valid_until, created_at_ns, updated_at_ns FROM products WHERE org_id = ?1 "
      "ORDER BY name, id";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, org_id);
  return ReadAll<Product>(select, ReadProduct);
}

// ---- certificates

core::Status SqliteStore::CreateCertificate(const Certificate& certificate,
                                            const AuditEntry& audit) {
  static constexpr std::string_view kInsert =
      "INSERT INTO certificates (id, org_id, product_id, facility_id, kind, number, issuer, "
      "issued_on, valid_until, file_ref, created_at_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
      "?9, ?10, ?11)";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return WriteWithAudit(*writer_, kInsert, audit, "a certificate with this id", false,
                        [&](BoundStatement& s) { BindCertificate(s, certificate); });
}

core::Status SqliteStore::UpdateCertificate(const Certificate& certificate,
                                            const AuditEntry& audit) {
  static constexpr std::string_view kUpdate =
      "UPDATE certificates SET product_id = ?3, facility_id = ?4, kind = ?5, number = ?6, "
      "issuer = ?7, issued_on = ?8, valid_until = ?9, file_ref = ?10 "
      "WHERE id = ?1 AND org_id = ?2 AND ?11 = ?11";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return WriteWithAudit(*writer_, kUpdate, audit, "certificate '" + certificate.id + "'", true,
                        [&](BoundStatement& s) { BindCertificate(s, certificate); });
}

core::Result<Certificate> SqliteStore::GetCertificate(std::string_view id) {
  static constexpr std::string_view kSelect =
      "SELECT id, org_id, product_id, facility_id, kind, number, issuer, issued_on, valid_until, "
      "file_ref, created_at_ns FROM certificates WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return ReadOne<Certificate>(*writer_, kSelect, id, "certificate", ReadCertificate);
}

core::Result<std::vector<Certificate>> SqliteStore::ListCertificates(std::string_view org_id) {
  static constexpr std::string_view kSelect =
      "SELECT id, org_id, product_id, facility_id, kind, number, issuer, issued_on, valid_until, "
      "file_ref, created_at_ns FROM certificates WHERE org_id = ?1 "
      "ORDER BY valid_until = '', valid_until, id";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, org_id);
  return ReadAll<Certificate>(select, ReadCertificate);
}

// ---- lots

core::Status SqliteStore::CreateLot(const Lot& lot, const AuditEntry& audit) {
  static constexpr std::string_view kInsert =
      "INSERT INTO lots (id, org_id, product_id, code, identifier, produced_on, expires_on, "
      "quantity, unit, created_at_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return WriteWithAudit(*writer_, kInsert, audit, "a lot with this code for this product", false,
                        [&](BoundStatement& s) { BindLot(s, lot); });
}

core::Status SqliteStore::UpdateLot(const Lot& lot, const AuditEntry& audit) {
  static constexpr std::string_view kUpdate =
      "UPDATE lots SET produced_on = ?6, expires_on = ?7, quantity = ?8, unit = ?9 "
      "WHERE id = ?1 AND org_id = ?2 AND product_id = ?3 AND code = ?4 AND identifier = ?5 "
      "AND ?10 = ?10";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return WriteWithAudit(*writer_, kUpdate, audit, "lot '" + lot.id + "'", true,
                        [&](BoundStatement& s) { BindLot(s, lot); });
}

core::Result<Lot> SqliteStore::GetLot(std::string_view id) {
  static constexpr std::string_view kSelect =
      "SELECT id, org_id, product_id, code, identifier, produced_on, expires_on, quantity, unit, "
      "created_at_ns FROM lots WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return ReadOne<Lot>(*writer_, kSelect, id, "lot", ReadLot);
}

core::Result<std::vector<Lot>> SqliteStore::ListLots(std::string_view product_id) {
  static constexpr std::string_view kSelect =
      "SELECT id, org_id, product_id, code, identifier, produced_on, expires_on, quantity, unit, "
      "created_at_ns FROM lots WHERE product_id = ?1 "
      "ORDER BY produced_on DESC, created_at_ns DESC, id";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, product_id);
  return ReadAll<Lot>(select, ReadLot);
}

// ---- users

core::Status SqliteStore::CreateUser(const User& user, const AuditEntry& audit) {
  static constexpr std::string_view kInsert =
      "INSERT INTO users (id, email, display_name, role, org_id, area_province, area_district, "
      "area_commune, password_hash, disabled, created_at_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
      "?8, ?9, ?10, ?11)";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return WriteWithAudit(*writer_, kInsert, audit, "a user with this id or email", false,
                        [&](BoundStatement& s) { BindUser(s, user); });
}

core::Status SqliteStore::UpdateUser(const User& user, const AuditEntry& audit) {
  static constexpr std::string_view kUpdate =
      "UPDATE users SET email = ?2, display_name = ?3, role = ?4, org_id = ?5, "
      "area_province = ?6, area_district = ?7, area_commune = ?8, password_hash = ?9, "
      "disabled = ?10 WHERE id = ?1 AND ?11 = ?11";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return WriteWithAudit(*writer_, kUpdate, audit, "user '" + user.id + "'", true,
                        [&](BoundStatement& s) { BindUser(s, user); });
}

core::Result<User> SqliteStore::GetUser(std::string_view id) {
  static constexpr std::string_view kSelect =
      "SELECT id, email, display_name, role, org_id, area_province, area_district, area_commune, "
      "password_hash, disabled, created_at_ns FROM users WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return ReadOne<User>(*writer_, kSelect, id, "user", ReadUser);
}

core::Result<User> SqliteStore::FindUserByEmail(std::string_view email) {
  static constexpr std::string_view kSelect =
      "SELECT id, email, display_name, role, org_id, area_province, area_district, area_commune, "
      "password_hash, disabled, created_at_ns FROM users WHERE email = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return ReadOne<User>(*writer_, kSelect, email, "user with email", ReadUser);
}

core::Result<std::vector<User>> SqliteStore::ListUsers(std::string_view org_id) {
  static constexpr std::string_view kSelect =
      "SELECT id, email, display_name, role, org_id, area_province, area_district, area_commune, "
      "password_hash, disabled, created_at_ns FROM users WHERE coalesce(org_id, '') = ?1 "
      "ORDER BY email";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, org_id);
  return ReadAll<User>(select, ReadUser);
}

// ---- sessions

core::Status SqliteStore::CreateSession(const Session& session) {
  static constexpr std::string_view kInsert =
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at_ns, expires_at_ns) "
      "VALUES (?1, ?2, ?3, ?4, ?5)";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, writer_->Prepare(kInsert));
  insert.BindText(1, session.token_hash);
  insert.BindText(2, session.user_id);
  insert.BindText(3, session.csrf_token);
  insert.BindInt64(4, session.created_at.unix_nanos());
  insert.BindInt64(5, session.expires_at.unix_nanos());
  core::Status inserted = insert.Run();
  if (!inserted.ok() && IsUniqueConflict(inserted.error())) {
    return core::AlreadyExists("a session with this token already exists");
  }
  return inserted;
}

core::Result<Session> SqliteStore::FindSession(std::string_view token_hash) {
  static constexpr std::string_view kSelect =
      "SELECT token_hash, user_id, csrf_token, created_at_ns, expires_at_ns FROM sessions "
      "WHERE token_hash = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return ReadOne<Session>(*writer_, kSelect, token_hash, "session", ReadSession);
}

core::Status SqliteStore::DeleteSession(std::string_view token_hash) {
  static constexpr std::string_view kDelete = "DELETE FROM sessions WHERE token_hash = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement remove, writer_->Prepare(kDelete));
  remove.BindText(1, token_hash);
  return remove.Run();
}

core::Status SqliteStore::DeleteUserSessions(std::string_view user_id) {
  static constexpr std::string_view kDelete = "DELETE FROM sessions WHERE user_id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement remove, writer_->Prepare(kDelete));
  remove.BindText(1, user_id);
  return remove.Run();
}

// ---- login failures

core::Status SqliteStore::RecordLoginFailure(std::string_view subject, core::Timestamp at) {
  static constexpr std::string_view kInsert =
      "INSERT INTO login_failures (subject, at_ns) VALUES (?1, ?2)";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, writer_->Prepare(kInsert));
  insert.BindText(1, subject);
  insert.BindInt64(2, at.unix_nanos());
  return insert.Run();
}

core::Result<int> SqliteStore::CountLoginFailures(std::string_view subject, core::Timestamp since) {
  static constexpr std::string_view kCount =
      "SELECT count(*) FROM login_failures WHERE subject = ?1 AND at_ns >= ?2";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement count, writer_->Prepare(kCount));
  count.BindText(1, subject);
  count.BindInt64(2, since.unix_nanos());
  VNTRACE_ASSIGN_OR_RETURN(bool row, count.Step());
  VNTRACE_ASSERT(row);  // an aggregate always yields one row
  return static_cast<int>(count.ColumnInt64(0));
}

core::Status SqliteStore::ClearLoginFailures(std::string_view subject) {
  static constexpr std::string_view kDelete = "DELETE FROM login_failures WHERE subject = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement remove, writer_->Prepare(kDelete));
  remove.BindText(1, subject);
  return remove.Run();
}

// ---- audit

core::Status SqliteStore::AppendAudit(const AuditEntry& audit) {
  return Write([&audit](Connection& connection) { return InsertAudit(connection, audit); });
}

core::Result<std::vector<AuditEntry>> SqliteStore::ListAudit(std::string_view org_id,
                                                             std::size_t limit) {
  static constexpr std::string_view kSelect =
      "SELECT sequence, at_ns, actor, org_id, action, entity, entity_id, changes_json "
      "FROM audit_log WHERE ?1 = '' OR org_id = ?1 ORDER BY sequence DESC LIMIT ?2";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, org_id);
  select.BindInt64(2, static_cast<std::int64_t>(std::min<std::size_t>(limit, 1'000'000)));
  return ReadAll<AuditEntry>(select, ReadAudit);
}

// ---- production diary (migration 3)

namespace {

constexpr std::string_view kDiaryColumns =
    "id, org_id, template_id, facility_id, product_id, lot_id, actor, occurred_at_ns, "
    "occurred_at_offset, recorded_at_ns, fields_json, event_id";

DiaryEntry ReadDiaryEntry(const BoundStatement& r) {
  return DiaryEntry{
      .id = Text(r, 0),
      .org_id = Text(r, 1),
      .template_id = Text(r, 2),
      .facility_id = Text(r, 3),
      .product_id = Text(r, 4),
      .lot_id = Text(r, 5),
      .actor = Text(r, 6),
      .occurred_at =
          core::Timestamp::FromUnixNanos(r.ColumnInt64(7), static_cast<int>(r.ColumnInt64(8))),
      .recorded_at = FromNanos(r.ColumnInt64(9)),
      .fields_json = Text(r, 10),
      .event_id = Text(r, 11),
  };
}

}  // namespace

core::Status SqliteStore::RecordDiary(std::span<const DiaryWrite> writes) {
  static constexpr std::string_view kInsertLot =
      "INSERT INTO lots (id, org_id, product_id, code, identifier, produced_on, expires_on, "
      "quantity, unit, created_at_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
  static constexpr std::string_view kInsertEntry =
      "INSERT INTO diary_entries (id, org_id, template_id, facility_id, product_id, lot_id, "
      "actor, occurred_at_ns, occurred_at_offset, recorded_at_ns, fields_json, event_id) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
  auto run = [](BoundStatement& statement, std::string_view what) -> core::Status {
    core::Status ran = statement.Run();
    if (!ran.ok() && IsUniqueConflict(ran.error())) {
      return core::AlreadyExists(std::string(what) + " already exists");
    }
    return ran;
  };
  return Write([&](Connection& connection) -> core::Status {
    for (const DiaryWrite& write : writes) {
      for (const Lot& lot : write.new_lots) {
        VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsertLot));
        BindLot(insert, lot);
        VNTRACE_RETURN_IF_ERROR(run(insert, "a lot with this code for this product"));
      }
      for (const AuditEntry& audit : write.lot_audits) {
        VNTRACE_RETURN_IF_ERROR(InsertAudit(connection, audit));
      }
      CaptureOutcome outcome;
      VNTRACE_RETURN_IF_ERROR(CaptureInTransaction(connection, write.events, outcome));
      const DiaryEntry& e = write.entry;
      VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsertEntry));
      insert.BindText(1, e.id);
      insert.BindText(2, e.org_id);
      insert.BindText(3, e.template_id);
      insert.BindText(4, e.facility_id);
      insert.BindText(5, e.product_id);
      insert.BindText(6, e.lot_id);
      insert.BindText(7, e.actor);
      insert.BindInt64(8, e.occurred_at.unix_nanos());
      insert.BindInt64(9, e.occurred_at.utc_offset_minutes());
      insert.BindInt64(10, e.recorded_at.unix_nanos());
      insert.BindText(11, e.fields_json.empty() ? std::string_view("{}") : e.fields_json);
      insert.BindText(12, e.event_id);
      VNTRACE_RETURN_IF_ERROR(run(insert, "diary entry '" + e.id + "'"));
      VNTRACE_RETURN_IF_ERROR(InsertAudit(connection, write.entry_audit));
    }
    return core::Ok();
  });
}

core::Result<DiaryEntry> SqliteStore::GetDiaryEntry(std::string_view id) {
  static const std::string kSelect =
      "SELECT " + std::string(kDiaryColumns) + " FROM diary_entries WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  return ReadOne<DiaryEntry>(*writer_, kSelect, id, "diary entry", ReadDiaryEntry);
}

core::Result<std::vector<DiaryEntry>> SqliteStore::ListDiaryEntries(const DiaryQuery& query) {
  // Empty filters match everything ('' = '' is true); the bounds default to the whole range.
  static const std::string kSelect =
      "SELECT " + std::string(kDiaryColumns) +
      " FROM diary_entries WHERE org_id = ?1 AND (?2 = '' OR facility_id = ?2) "
      "AND (?3 = '' OR template_id = ?3) AND (?4 = '' OR lot_id = ?4) "
      "AND occurred_at_ns >= ?5 AND occurred_at_ns < ?6 "
      "ORDER BY occurred_at_ns DESC, recorded_at_ns DESC, id LIMIT ?7";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, query.org_id);
  select.BindText(2, query.facility_id);
  select.BindText(3, query.template_id);
  select.BindText(4, query.lot_id);
  select.BindInt64(5, query.from.has_value() ? query.from->unix_nanos()
                                             : std::numeric_limits<std::int64_t>::min());
  select.BindInt64(
      6, query.to.has_value() ? query.to->unix_nanos() : std::numeric_limits<std::int64_t>::max());
  select.BindInt64(7, static_cast<std::int64_t>(std::min<std::size_t>(query.limit, 100'000)));
  return ReadAll<DiaryEntry>(select, ReadDiaryEntry);
}

}  // namespace vntrace::store::sqlite
