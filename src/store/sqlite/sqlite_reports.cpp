// SqliteStore's ReportStore: the outreach registry of migration 7 and the dashboard's aggregate
// reads over the scan, stamp and organisation tables.
//
// As the registry and the stamps, every call runs on the writer connection under writer_mu_, so
// that reads see every committed write.
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/report_store.hpp"
#include "store/sqlite/audit_rows.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace vntrace::store::sqlite {
namespace {

constexpr int kMaxBuckets = 1000;

OutreachSession ReadOutreach(const BoundStatement& row) {
  return OutreachSession{.id = std::string(row.ColumnText(0)),
                         .kind = static_cast<OutreachKind>(row.ColumnInt64(1)),
                         .held_on = std::string(row.ColumnText(2)),
                         .topic = std::string(row.ColumnText(3)),
                         .attendees = row.ColumnInt64(4),
                         .organisations = row.ColumnInt64(5),
                         .province = std::string(row.ColumnText(6)),
                         .commune = std::string(row.ColumnText(7)),
                         .notes = std::string(row.ColumnText(8)),
                         .created_by = std::string(row.ColumnText(9)),
                         .created_at = core::Timestamp::FromUnixNanos(row.ColumnInt64(10))};
}

}  // namespace

core::Status SqliteStore::CreateOutreach(const OutreachSession& session, const AuditEntry& audit) {
  static constexpr std::string_view kInsert =
      "INSERT INTO outreach_sessions (id, kind, held_on, topic, attendees, organisations, "
      "province, commune, notes, created_by, created_at_ns) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
  std::lock_guard<std::mutex> lock(writer_mu_);
  Connection& connection = *writer_;
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionMode::kImmediate));
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsert));
    insert.BindText(1, session.id);
    insert.BindInt64(2, static_cast<std::int64_t>(session.kind));
    insert.BindText(3, session.held_on);
    insert.BindText(4, session.topic);
    insert.BindInt64(5, session.attendees);
    insert.BindInt64(6, session.organisations);
    insert.BindText(7, session.province);
    insert.BindText(8, session.commune);
    insert.BindText(9, session.notes);
    insert.BindText(10, session.created_by);
    insert.BindInt64(11, session.created_at.unix_nanos());
    core::Status inserted = insert.Run();
    if (!inserted.ok() && IsUniqueConflict(inserted.error())) {
      return core::AlreadyExists("an outreach session with id '" + session.id + "' exists");
    }
    VNTRACE_RETURN_IF_ERROR(inserted);
  }
  VNTRACE_RETURN_IF_ERROR(InsertAudit(connection, audit));
  return transaction.Commit();
}

core::Result<OutreachSession> SqliteStore::GetOutreach(std::string_view id) {
  static constexpr std::string_view kSelect =
      "SELECT id, kind, held_on, topic, attendees, organisations, province, commune, notes, "
      "created_by, created_at_ns FROM outreach_sessions WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, id);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return core::NotFound("no outreach session '" + std::string(id) + "'");
  }
  return ReadOutreach(select);
}

core::Result<std::vector<OutreachSession>> SqliteStore::ListOutreach(const OutreachQuery& query) {
  static constexpr std::string_view kSelect =
      "SELECT id, kind, held_on, topic, attendees, organisations, province, commune, notes, "
      "created_by, created_at_ns FROM outreach_sessions "
      "WHERE province = ?1 AND (?2 = '' OR commune = ?2) AND (?3 = '' OR held_on >= ?3) "
      "AND (?4 = '' OR held_on <= ?4) "
      "ORDER BY held_on DESC, created_at_ns DESC, id LIMIT ?5";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, query.province);
  select.BindText(2, query.commune);
  select.BindText(3, query.from);
  select.BindText(4, query.to);
  select.BindInt64(5, static_cast<std::int64_t>(query.limit));
  std::vector<OutreachSession> out;
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      break;
    }
    out.push_back(ReadOutreach(select));
  }
  return out;
}

core::Result<std::vector<std::int64_t>> SqliteStore::CountAreaScans(const AreaScanQuery& query) {
  // Scans joined to the organisation that issued the stamp: scans_by_time bounds the range, the
  // primary keys of stamps, stamp_batches and organisations do the rest.
  static constexpr std::string_view kCount =
      "SELECT (s.at_ns - ?1) / ?2 AS bucket, COUNT(*) FROM scans s "
      "JOIN stamps st ON st.code = s.code "
      "JOIN stamp_batches b ON b.id = st.batch_id "
      "JOIN organisations o ON o.id = b.org_id "
      "WHERE s.at_ns >= ?1 AND s.at_ns < ?3 AND o.province = ?4 AND (?5 = '' OR o.commune = ?5) "
      "GROUP BY bucket";
  if (query.bucket_nanos <= 0 || query.buckets < 1 || query.buckets > kMaxBuckets) {
    return core::InvalidArgument("scan counts need a positive bucket and 1 to 1000 buckets");
  }
  const std::int64_t start = query.start.unix_nanos();
  std::vector<std::int64_t> counts(static_cast<std::size_t>(query.buckets), 0);
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kCount));
  select.BindInt64(1, start);
  select.BindInt64(2, query.bucket_nanos);
  select.BindInt64(3, start + query.bucket_nanos * query.buckets);
  select.BindText(4, query.province);
  select.BindText(5, query.commune);
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      break;
    }
    const std::int64_t bucket = select.ColumnInt64(0);
    if (bucket >= 0 && bucket < query.buckets) {
      counts[static_cast<std::size_t>(bucket)] = select.ColumnInt64(1);
    }
  }
  return counts;
}

core::Result<std::vector<ScanAlertCandidate>> SqliteStore::ListScanAlertCandidates(
    const ScanAlertQuery& query) {
  static constexpr std::string_view kSelect =
      "SELECT s.code, COUNT(*), MAX(s.at_ns), COALESCE(b.org_id, '') FROM scans s "
      "LEFT JOIN stamps st ON st.code = s.code "
      "LEFT JOIN stamp_batches b ON b.id = st.batch_id "
      "LEFT JOIN organisations o ON o.id = b.org_id "
      "LEFT JOIN lot_recalls r ON r.lot_id = b.lot_id "
      "WHERE s.at_ns >= ?1 AND s.at_ns < ?2 "
      "AND ((o.id IS NOT NULL AND o.province = ?3 AND (?4 = '' OR o.commune = ?4)) "
      "  OR (st.code IS NULL AND ?4 = '' AND s.province = ?3)) "
      "GROUP BY s.code "
      "HAVING st.code IS NULL OR b.active = 0 OR r.lot_id IS NOT NULL "
      "  OR COUNT(DISTINCT NULLIF(s.province, '')) >= ?5 "
      "ORDER BY MAX(s.at_ns) DESC, s.code LIMIT ?6";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindInt64(1, query.from.unix_nanos());
  select.BindInt64(2, query.to.unix_nanos());
  select.BindText(3, query.province);
  select.BindText(4, query.commune);
  select.BindInt64(5, query.min_provinces);
  select.BindInt64(6, static_cast<std::int64_t>(query.limit));
  std::vector<ScanAlertCandidate> out;
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      break;
    }
    out.push_back({.code = std::string(select.ColumnText(0)),
                   .scans = select.ColumnInt64(1),
                   .last_scan = core::Timestamp::FromUnixNanos(select.ColumnInt64(2)),
                   .org_id = std::string(select.ColumnText(3))});
  }
  return out;
}

}  // namespace vntrace::store::sqlite
