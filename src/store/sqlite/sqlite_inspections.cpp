// SqliteStore's InspectionStore: the inspection and recall tables of migration 5.
//
// As the registry, every call runs on the writer connection under writer_mu_: an inspection
// commits with its violations, photos and audit entry in one IMMEDIATE transaction, and a recall
// with its lots, parties, the lot_recalls rows of migration 4 and its audit entries.
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/inspection_store.hpp"
#include "store/sqlite/audit_rows.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace vntrace::store::sqlite {
namespace {

Inspection ReadInspection(const BoundStatement& row) {
  Inspection out;
  out.id = std::string(row.ColumnText(0));
  out.org_id = std::string(row.ColumnText(1));
  out.province = std::string(row.ColumnText(2));
  out.commune = std::string(row.ColumnText(3));
  out.facility_id = std::string(row.ColumnText(4));
  out.place = std::string(row.ColumnText(5));
  if (!row.ColumnIsNull(6)) out.latitude = row.ColumnDouble(6);
  if (!row.ColumnIsNull(7)) out.longitude = row.ColumnDouble(7);
  out.inspected_on = std::string(row.ColumnText(8));
  out.result = static_cast<InspectionResult>(row.ColumnInt64(9));
  out.notes = std::string(row.ColumnText(10));
  out.code = std::string(row.ColumnText(11));
  out.lot_id = std::string(row.ColumnText(12));
  out.inspector = std::string(row.ColumnText(13));
  out.inspector_name = std::string(row.ColumnText(14));
  out.created_at = core::Timestamp::FromUnixNanos(row.ColumnInt64(15));
  return out;
}

core::Status ReadViolations(Connection& connection, Inspection& inspection) {
  static constexpr std::string_view kSelect =
      "SELECT kind, description FROM inspection_violations WHERE inspection_id = ?1 "
      "ORDER BY position";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelect));
  select.BindText(1, inspection.id);
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    inspection.violations.push_back(
        Violation{.kind = static_cast<ViolationKind>(select.ColumnInt64(0)),
                  .description = std::string(select.ColumnText(1))});
  }
  return core::Ok();
}

core::Status InsertPhoto(Connection& connection, const InspectionPhoto& photo) {
  static constexpr std::string_view kInsert =
      "INSERT INTO inspection_photos (id, inspection_id, content_type, data, added_at_ns) "
      "VALUES (?1, ?2, ?3, ?4, ?5)";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsert));
  insert.BindText(1, photo.id);
  insert.BindText(2, photo.inspection_id);
  insert.BindText(3, photo.content_type);
  insert.BindBlob(4, photo.data);
  insert.BindInt64(5, photo.added_at.unix_nanos());
  core::Status status = insert.Run();
  if (!status.ok() && IsUniqueConflict(status.error())) {
    return core::AlreadyExists("a photo with id '" + photo.id + "' already exists");
  }
  return status;
}

core::Status ReadRecallLinks(Connection& connection, Recall& recall) {
  static constexpr std::string_view kLots =
      "SELECT lot_id, org_id FROM recall_lots WHERE recall_id = ?1 ORDER BY position";
  static constexpr std::string_view kParties =
      "SELECT org_id, role FROM recall_parties WHERE recall_id = ?1 ORDER BY role, org_id";
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kLots));
    select.BindText(1, recall.id);
    while (true) {
      VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      recall.lots.push_back(RecalledLot{.lot_id = std::string(select.ColumnText(0)),
                                        .org_id = std::string(select.ColumnText(1))});
    }
  }
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kParties));
  select.BindText(1, recall.id);
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    recall.parties.push_back(RecallParty{.org_id = std::string(select.ColumnText(0)),
                                         .role = static_cast<RecallRole>(select.ColumnInt64(1))});
  }
  return core::Ok();
}

Recall ReadRecall(const BoundStatement& row) {
  Recall out;
  out.id = std::string(row.ColumnText(0));
  out.lot_id = std::string(row.ColumnText(1));
  out.org_id = std::string(row.ColumnText(2));
  out.province = std::string(row.ColumnText(3));
  out.commune = std::string(row.ColumnText(4));
  out.reason = std::string(row.ColumnText(5));
  out.scope = static_cast<RecallScope>(row.ColumnInt64(6));
  out.actor = std::string(row.ColumnText(7));
  out.actor_name = std::string(row.ColumnText(8));
  out.created_at = core::Timestamp::FromUnixNanos(row.ColumnInt64(9));
  return out;
}

std::optional<std::int64_t> OptionalResult(const std::optional<InspectionResult>& result) {
  if (!result) return std::nullopt;
  return static_cast<std::int64_t>(*result);
}

}  // namespace

core::Status SqliteStore::CreateInspection(const Inspection& inspection,
                                           std::span<const InspectionPhoto> photos,
                                           const AuditEntry& audit) {
  static constexpr std::string_view kInsert =
      "INSERT INTO inspections (id, org_id, province, commune, facility_id, place, latitude, "
      "longitude, inspected_on, result, notes, code, lot_id, inspector, inspector_name, "
      "created_at_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
      "?16)";
  static constexpr std::string_view kInsertViolation =
      "INSERT INTO inspection_violations (inspection_id, position, kind, description) "
      "VALUES (?1, ?2, ?3, ?4)";
  std::lock_guard<std::mutex> lock(writer_mu_);
  Connection& connection = *writer_;
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionMode::kImmediate));
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsert));
    insert.BindText(1, inspection.id);
    insert.BindText(2, inspection.org_id);
    insert.BindText(3, inspection.province);
    insert.BindText(4, inspection.commune);
    insert.BindTextOrNull(5, inspection.facility_id);
    insert.BindText(6, inspection.place);
    if (inspection.latitude) {
      insert.BindDouble(7, *inspection.latitude);
    } else {
      insert.BindNull(7);
    }
    if (inspection.longitude) {
      insert.BindDouble(8, *inspection.longitude);
    } else {
      insert.BindNull(8);
    }
    insert.BindText(9, inspection.inspected_on);
    insert.BindInt64(10, static_cast<std::int64_t>(inspection.result));
    insert.BindText(11, inspection.notes);
    insert.BindText(12, inspection.code);
    insert.BindTextOrNull(13, inspection.lot_id);
    insert.BindText(14, inspection.inspector);
    insert.BindText(15, inspection.inspector_name);
    insert.BindInt64(16, inspection.created_at.unix_nanos());
    core::Status status = insert.Run();
    if (!status.ok() && IsUniqueConflict(status.error())) {
      return core::AlreadyExists("an inspection with id '" + inspection.id + "' already exists");
    }
    VNTRACE_RETURN_IF_ERROR(status);
  }
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsertViolation));
    std::int64_t position = 0;
    for (const Violation& violation : inspection.violations) {
      insert.BindText(1, inspection.id);
      insert.BindInt64(2, ++position);
      insert.BindInt64(3, static_cast<std::int64_t>(violation.kind));
      insert.BindText(4, violation.description);
      VNTRACE_RETURN_IF_ERROR(insert.Run());
    }
  }
  for (const InspectionPhoto& photo : photos) {
    VNTRACE_RETURN_IF_ERROR(InsertPhoto(connection, photo));
  }
  VNTRACE_RETURN_IF_ERROR(InsertAudit(connection, audit));
  return transaction.Commit();
}

core::Status SqliteStore::AddInspectionPhoto(const InspectionPhoto& photo,
                                             const AuditEntry& audit) {
  static constexpr std::string_view kExists = "SELECT 1 FROM inspections WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  Connection& connection = *writer_;
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionMode::kImmediate));
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement exists, connection.Prepare(kExists));
    exists.BindText(1, photo.inspection_id);
    VNTRACE_ASSIGN_OR_RETURN(bool row, exists.Step());
    if (!row) {
      return core::NotFound("no inspection '" + photo.inspection_id + "'");
    }
  }
  VNTRACE_RETURN_IF_ERROR(InsertPhoto(connection, photo));
  VNTRACE_RETURN_IF_ERROR(InsertAudit(connection, audit));
  return transaction.Commit();
}

core::Result<Inspection> SqliteStore::GetInspection(std::string_view id) {
  static constexpr std::string_view kSelect =
      "SELECT id, org_id, province, commune, facility_id, place, latitude, longitude, "
      "inspected_on, result, notes, code, lot_id, inspector, inspector_name, created_at_ns "
      "FROM inspections WHERE id = ?1";
  static constexpr std::string_view kPhotos =
      "SELECT id, content_type, length(data), added_at_ns FROM inspection_photos "
      "WHERE inspection_id = ?1 ORDER BY added_at_ns, id";
  std::lock_guard<std::mutex> lock(writer_mu_);
  Connection& connection = *writer_;
  Inspection out;
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelect));
    select.BindText(1, id);
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      return core::NotFound("no inspection '" + std::string(id) + "'");
    }
    out = ReadInspection(select);
  }
  VNTRACE_RETURN_IF_ERROR(ReadViolations(connection, out));
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement photos, connection.Prepare(kPhotos));
  photos.BindText(1, out.id);
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, photos.Step());
    if (!row) break;
    out.photos.push_back(
        PhotoInfo{.id = std::string(photos.ColumnText(0)),
                  .content_type = std::string(photos.ColumnText(1)),
                  .size = photos.ColumnInt64(2),
                  .added_at = core::Timestamp::FromUnixNanos(photos.ColumnInt64(3))});
  }
  return out;
}

core::Result<std::vector<Inspection>> SqliteStore::ListInspections(const InspectionQuery& query) {
  static constexpr std::string_view kSelect =
      "SELECT id, org_id, province, commune, facility_id, place, latitude, longitude, "
      "inspected_on, result, notes, code, lot_id, inspector, inspector_name, created_at_ns "
      "FROM inspections i "
      "WHERE (?1 = '' OR province = ?1) AND (?2 = '' OR commune = ?2) "
      "AND (?3 = '' OR org_id = ?3) AND (?4 IS NULL OR result = ?4) "
      "AND (?5 = '' OR inspected_on >= ?5) AND (?6 = '' OR inspected_on <= ?6) "
      "AND (?7 = 0 OR EXISTS (SELECT 1 FROM inspection_violations v "
      "WHERE v.inspection_id = i.id)) "
      "ORDER BY inspected_on DESC, created_at_ns DESC, id LIMIT ?8";
  std::lock_guard<std::mutex> lock(writer_mu_);
  Connection& connection = *writer_;
  std::vector<Inspection> out;
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelect));
    select.BindText(1, query.area.province);
    select.BindText(2, query.area.commune);
    select.BindText(3, query.org_id);
    select.BindInt64OrNull(4, OptionalResult(query.result));
    select.BindText(5, query.from);
    select.BindText(6, query.to);
    select.BindInt64(7, query.with_violations_only ? 1 : 0);
    select.BindInt64(8, static_cast<std::int64_t>(query.limit));
    while (true) {
      VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      out.push_back(ReadInspection(select));
    }
  }
  for (Inspection& inspection : out) {
    VNTRACE_RETURN_IF_ERROR(ReadViolations(connection, inspection));
  }
  return out;
}

core::Result<InspectionPhoto> SqliteStore::GetInspectionPhoto(std::string_view id) {
  static constexpr std::string_view kSelect =
      "SELECT id, inspection_id, content_type, data, added_at_ns FROM inspection_photos "
      "WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, id);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return core::NotFound("no photo '" + std::string(id) + "'");
  }
  return InspectionPhoto{.id = std::string(select.ColumnText(0)),
                         .inspection_id = std::string(select.ColumnText(1)),
                         .content_type = std::string(select.ColumnText(2)),
                         .data = std::string(select.ColumnBlob(3)),
                         .added_at = core::Timestamp::FromUnixNanos(select.ColumnInt64(4))};
}

core::Result<InspectionTally> SqliteStore::CountInspections(const InspectionCountQuery& query) {
  static constexpr std::string_view kTotals =
      "SELECT count(*), coalesce(sum(result = 3), 0), count(DISTINCT org_id), "
      "coalesce(sum(EXISTS (SELECT 1 FROM inspection_violations v "
      "WHERE v.inspection_id = i.id)), 0) "
      "FROM inspections i "
      "WHERE (?1 = '' OR province = ?1) AND (?2 = '' OR commune = ?2) "
      "AND (?3 = '' OR inspected_on >= ?3) AND (?4 = '' OR inspected_on <= ?4)";
  static constexpr std::string_view kByKind =
      "SELECT v.kind, count(*) FROM inspection_violations v "
      "JOIN inspections i ON i.id = v.inspection_id "
      "WHERE (?1 = '' OR i.province = ?1) AND (?2 = '' OR i.commune = ?2) "
      "AND (?3 = '' OR i.inspected_on >= ?3) AND (?4 = '' OR i.inspected_on <= ?4) "
      "GROUP BY v.kind ORDER BY v.kind";
  std::lock_guard<std::mutex> lock(writer_mu_);
  Connection& connection = *writer_;
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionMode::kDeferred));
  InspectionTally out;
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kTotals));
    select.BindText(1, query.area.province);
    select.BindText(2, query.area.commune);
    select.BindText(3, query.from);
    select.BindText(4, query.to);
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (row) {
      out.inspections = select.ColumnInt64(0);
      out.failed = select.ColumnInt64(1);
      out.organisations = select.ColumnInt64(2);
      out.with_violations = select.ColumnInt64(3);
    }
  }
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kByKind));
    select.BindText(1, query.area.province);
    select.BindText(2, query.area.commune);
    select.BindText(3, query.from);
    select.BindText(4, query.to);
    while (true) {
      VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      const std::int64_t count = select.ColumnInt64(1);
      out.by_kind[static_cast<ViolationKind>(select.ColumnInt64(0))] = count;
      out.violations += count;
    }
  }
  VNTRACE_RETURN_IF_ERROR(transaction.Commit());
  return out;
}

core::Status SqliteStore::CreateRecall(const Recall& recall, std::span<const AuditEntry> audits) {
  static constexpr std::string_view kLotExists = "SELECT 1 FROM lots WHERE id = ?1";
  static constexpr std::string_view kInsert =
      "INSERT INTO recalls (id, lot_id, org_id, province, commune, reason, scope, actor, "
      "actor_name, created_at_ns, report_csv, report_html_vi, report_html_en) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
  static constexpr std::string_view kInsertLot =
      "INSERT INTO recall_lots (recall_id, lot_id, org_id, position) VALUES (?1, ?2, ?3, ?4)";
  static constexpr std::string_view kInsertParty =
      "INSERT INTO recall_parties (recall_id, org_id, role) VALUES (?1, ?2, ?3) "
      "ON CONFLICT DO NOTHING";
  static constexpr std::string_view kMarkLot =
      "INSERT INTO lot_recalls (lot_id, reason, recalled_at_ns) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (lot_id) DO NOTHING";
  std::lock_guard<std::mutex> lock(writer_mu_);
  Connection& connection = *writer_;
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionMode::kImmediate));
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement exists, connection.Prepare(kLotExists));
    std::vector<const std::string*> lot_ids = {&recall.lot_id};
    for (const RecalledLot& lot : recall.lots) lot_ids.push_back(&lot.lot_id);
    for (const std::string* lot_id : lot_ids) {
      exists.BindText(1, *lot_id);
      VNTRACE_ASSIGN_OR_RETURN(bool row, exists.Step());
      exists.Reset();
      if (!row) return core::NotFound("no lot '" + *lot_id + "'");
    }
  }
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsert));
    insert.BindText(1, recall.id);
    insert.BindText(2, recall.lot_id);
    insert.BindText(3, recall.org_id);
    insert.BindText(4, recall.province);
    insert.BindText(5, recall.commune);
    insert.BindText(6, recall.reason);
    insert.BindInt64(7, static_cast<std::int64_t>(recall.scope));
    insert.BindText(8, recall.actor);
    insert.BindText(9, recall.actor_name);
    insert.BindInt64(10, recall.created_at.unix_nanos());
    insert.BindText(11, recall.report_csv);
    insert.BindText(12, recall.report_html_vi);
    insert.BindText(13, recall.report_html_en);
    core::Status status = insert.Run();
    if (!status.ok() && IsUniqueConflict(status.error())) {
      return core::AlreadyExists("a recall with id '" + recall.id + "' already exists");
    }
    VNTRACE_RETURN_IF_ERROR(status);
  }
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsertLot));
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement mark, connection.Prepare(kMarkLot));
    std::set<std::string_view> seen;
    std::int64_t position = 0;
    for (const RecalledLot& lot : recall.lots) {
      if (!seen.insert(lot.lot_id).second) continue;
      insert.BindText(1, recall.id);
      insert.BindText(2, lot.lot_id);
      insert.BindText(3, lot.org_id);
      insert.BindInt64(4, ++position);
      VNTRACE_RETURN_IF_ERROR(insert.Run());
      mark.BindText(1, lot.lot_id);
      mark.BindText(2, recall.reason);
      mark.BindInt64(3, recall.created_at.unix_nanos());
      VNTRACE_RETURN_IF_ERROR(mark.Run());
    }
  }
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsertParty));
    for (const RecallParty& party : recall.parties) {
      insert.BindText(1, recall.id);
      insert.BindText(2, party.org_id);
      insert.BindInt64(3, static_cast<std::int64_t>(party.role));
      VNTRACE_RETURN_IF_ERROR(insert.Run());
    }
  }
  for (const AuditEntry& audit : audits) {
    VNTRACE_RETURN_IF_ERROR(InsertAudit(connection, audit));
  }
  return transaction.Commit();
}

core::Result<Recall> SqliteStore::GetRecall(std::string_view id) {
  static constexpr std::string_view kSelect =
      "SELECT id, lot_id, org_id, province, commune, reason, scope, actor, actor_name, "
      "created_at_ns, report_csv, report_html_vi, report_html_en FROM recalls WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  Connection& connection = *writer_;
  Recall out;
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelect));
    select.BindText(1, id);
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      return core::NotFound("no recall '" + std::string(id) + "'");
    }
    out = ReadRecall(select);
    out.report_csv = std::string(select.ColumnText(10));
    out.report_html_vi = std::string(select.ColumnText(11));
    out.report_html_en = std::string(select.ColumnText(12));
  }
  VNTRACE_RETURN_IF_ERROR(ReadRecallLinks(connection, out));
  return out;
}

core::Result<std::vector<Recall>> SqliteStore::ListRecalls(const RecallQuery& query) {
  static constexpr std::string_view kSelect =
      "SELECT id, lot_id, org_id, province, commune, reason, scope, actor, actor_name, "
      "created_at_ns FROM recalls r "
      "WHERE (?1 = '' OR province = ?1) AND (?2 = '' OR commune = ?2) "
      "AND (?3 = '' OR EXISTS (SELECT 1 FROM recall_parties p WHERE p.recall_id = r.id "
      "AND p.org_id = ?3)) "
      "ORDER BY created_at_ns DESC, id LIMIT ?4";
  std::lock_guard<std::mutex> lock(writer_mu_);
  Connection& connection = *writer_;
  std::vector<Recall> out;
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelect));
    select.BindText(1, query.area.province);
    select.BindText(2, query.area.commune);
    select.BindText(3, query.party_org_id);
    select.BindInt64(4, static_cast<std::int64_t>(query.limit));
    while (true) {
      VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      out.push_back(ReadRecall(select));
    }
  }
  for (Recall& recall : out) {
    VNTRACE_RETURN_IF_ERROR(ReadRecallLinks(connection, recall));
  }
  return out;
}

}  // namespace vntrace::store::sqlite
