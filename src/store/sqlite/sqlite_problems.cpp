// SqliteStore's ProblemStore and product versions: the tables of the "product versions and
// problem reports" migration.
//
// As the registry, every call runs on the writer connection under writer_mu_: a report commits
// with its photo and audit entry in one IMMEDIATE transaction. Product versions are written by
// triggers on the products table (see the migration), so that CreateProduct and UpdateProduct
// store one in their own transaction; here they are only read.
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/problem_store.hpp"
#include "store/sqlite/audit_rows.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/registry_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace vntrace::store::sqlite {
namespace {

std::string Text(const BoundStatement& row, int column) {
  return std::string(row.ColumnText(column));
}

ProblemReport ReadReport(const BoundStatement& r) {
  ProblemReport p{
      .id = Text(r, 0),
      .code = Text(r, 1),
      .kind = static_cast<ProblemKind>(r.ColumnInt64(2)),
      .message = Text(r, 3),
      .contact = Text(r, 4),
      .product_id = Text(r, 5),
      .lot_id = Text(r, 6),
      .org_id = Text(r, 7),
      .province = Text(r, 8),
      .commune = Text(r, 9),
      .scan_area = Text(r, 10),
      .photo_type = Text(r, 11),
      .photo_size = r.ColumnIsNull(12) ? 0 : r.ColumnInt64(12),
      .created_at = core::Timestamp::FromUnixNanos(r.ColumnInt64(13)),
      .handled_at = std::nullopt,
      .handled_by = Text(r, 15),
  };
  if (!r.ColumnIsNull(14)) {
    p.handled_at = core::Timestamp::FromUnixNanos(r.ColumnInt64(14));
  }
  return p;
}

// Binds the conditions of `q` to ?1..?8 of the WHERE clause the list and count share.
void BindQuery(BoundStatement& s, const ProblemQuery& q) {
  s.BindText(1, q.org_id);
  s.BindText(2, q.area.province);
  s.BindText(3, q.area.commune);
  s.BindText(4, q.code);
  s.BindText(5, q.scan_area);
  s.BindInt64(6, q.from ? q.from->unix_nanos() : std::numeric_limits<std::int64_t>::min());
  s.BindInt64(7, q.to ? q.to->unix_nanos() : std::numeric_limits<std::int64_t>::max());
  s.BindInt64(8, q.open_only ? 1 : 0);
}

}  // namespace

core::Result<std::vector<ProductVersion>> SqliteStore::ListProductVersions(
    std::string_view product_id) {
  static constexpr std::string_view kSelect =
      "SELECT version, valid_from_ns, product_id, org_id, identifier, gtin, name, description, "
      "image_ref, category, unit, brand, origin, standards, ocop_stars, ocop_decision_number, "
      "ocop_decision_date, ocop_valid_until, created_at_ns, updated_at_ns FROM product_versions "
      "WHERE product_id = ?1 ORDER BY version";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, product_id);
  std::vector<ProductVersion> out;
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      break;
    }
    out.push_back(ProductVersion{
        .version = static_cast<int>(select.ColumnInt64(0)),
        .valid_from = core::Timestamp::FromUnixNanos(select.ColumnInt64(1)),
        .product = ReadProductColumns(select, 2),
    });
  }
  return out;
}

core::Status SqliteStore::CreateProblemReport(const ProblemReport& report,
                                              std::string_view photo_data,
                                              const AuditEntry& audit) {
  static constexpr std::string_view kInsert =
      "INSERT INTO problem_reports (id, code, kind, message, contact, product_id, lot_id, org_id, "
      "province, commune, scan_area, photo_type, photo, created_at_ns, handled_at_ns, "
      "handled_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
      "?16)";
  std::lock_guard<std::mutex> lock(writer_mu_);
  Connection& connection = *writer_;
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionMode::kImmediate));
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsert));
    insert.BindText(1, report.id);
    insert.BindText(2, report.code);
    insert.BindInt64(3, static_cast<std::int64_t>(report.kind));
    insert.BindText(4, report.message);
    insert.BindText(5, report.contact);
    insert.BindTextOrNull(6, report.product_id);
    insert.BindTextOrNull(7, report.lot_id);
    insert.BindTextOrNull(8, report.org_id);
    insert.BindText(9, report.province);
    insert.BindText(10, report.commune);
    insert.BindText(11, report.scan_area);
    insert.BindText(12, photo_data.empty() ? std::string_view() : report.photo_type);
    if (photo_data.empty()) {
      insert.BindNull(13);
    } else {
      insert.BindBlob(13, photo_data);
    }
    insert.BindInt64(14, report.created_at.unix_nanos());
    insert.BindInt64OrNull(15, report.handled_at
                                   ? std::optional<std::int64_t>(report.handled_at->unix_nanos())
                                   : std::nullopt);
    insert.BindText(16, report.handled_by);
    core::Status ran = insert.Run();
    if (!ran.ok()) {
      if (IsUniqueConflict(ran.error())) {
        return core::AlreadyExists("a problem report with id '" + report.id + "' already exists");
      }
      return ran;
    }
  }
  VNTRACE_RETURN_IF_ERROR(InsertAudit(connection, audit));
  return transaction.Commit();
}

core::Result<ProblemReport> SqliteStore::GetProblemReport(std::string_view id) {
  static constexpr std::string_view kSelect =
      "SELECT id, code, kind, message, contact, product_id, lot_id, org_id, province, commune, "
      "scan_area, photo_type, length(photo), created_at_ns, handled_at_ns, handled_by "
      "FROM problem_reports WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, id);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return core::NotFound("no problem report '" + std::string(id) + "'");
  }
  return ReadReport(select);
}

core::Result<std::vector<ProblemReport>> SqliteStore::ListProblemReports(
    const ProblemQuery& query) {
  static constexpr std::string_view kSelect =
      "SELECT id, code, kind, message, contact, product_id, lot_id, org_id, province, commune, "
      "scan_area, photo_type, length(photo), created_at_ns, handled_at_ns, handled_by "
      "FROM problem_reports"
      " WHERE (?1 = '' OR org_id = ?1) AND (?2 = '' OR province = ?2) AND "
      "(?3 = '' OR commune = ?3) AND (?4 = '' OR code = ?4) AND (?5 = '' OR scan_area = ?5) AND "
      "created_at_ns >= ?6 AND created_at_ns < ?7 AND (?8 = 0 OR handled_at_ns IS NULL)"
      " ORDER BY created_at_ns DESC, id LIMIT ?9";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  BindQuery(select, query);
  select.BindInt64(9, static_cast<std::int64_t>(query.limit));
  std::vector<ProblemReport> out;
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      break;
    }
    out.push_back(ReadReport(select));
  }
  return out;
}

core::Result<std::int64_t> SqliteStore::CountProblemReports(const ProblemQuery& query) {
  static constexpr std::string_view kCount =
      "SELECT count(*) FROM problem_reports"
      " WHERE (?1 = '' OR org_id = ?1) AND (?2 = '' OR province = ?2) AND "
      "(?3 = '' OR commune = ?3) AND (?4 = '' OR code = ?4) AND (?5 = '' OR scan_area = ?5) AND "
      "created_at_ns >= ?6 AND created_at_ns < ?7 AND (?8 = 0 OR handled_at_ns IS NULL)";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kCount));
  BindQuery(select, query);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  return row ? select.ColumnInt64(0) : 0;
}

core::Result<ProblemPhoto> SqliteStore::GetProblemPhoto(std::string_view id) {
  static constexpr std::string_view kSelect =
      "SELECT photo_type, photo FROM problem_reports WHERE id = ?1 AND photo IS NOT NULL";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, id);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return core::NotFound("no photo with problem report '" + std::string(id) + "'");
  }
  return ProblemPhoto{.content_type = Text(select, 0), .data = std::string(select.ColumnBlob(1))};
}

core::Status SqliteStore::MarkProblemHandled(std::string_view id, core::Timestamp at,
                                             std::string_view actor, const AuditEntry& audit) {
  static constexpr std::string_view kSelect =
      "SELECT handled_at_ns FROM problem_reports WHERE id = ?1";
  static constexpr std::string_view kUpdate =
      "UPDATE problem_reports SET handled_at_ns = ?2, handled_by = ?3 WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  Connection& connection = *writer_;
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionMode::kImmediate));
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelect));
    select.BindText(1, id);
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      return core::NotFound("no problem report '" + std::string(id) + "'");
    }
    if (!select.ColumnIsNull(0)) {
      return core::FailedPrecondition("problem report '" + std::string(id) +
                                      "' was already handled");
    }
  }
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement update, connection.Prepare(kUpdate));
    update.BindText(1, id);
    update.BindInt64(2, at.unix_nanos());
    update.BindText(3, actor);
    VNTRACE_RETURN_IF_ERROR(update.Run());
  }
  VNTRACE_RETURN_IF_ERROR(InsertAudit(connection, audit));
  return transaction.Commit();
}

}  // namespace vntrace::store::sqlite
