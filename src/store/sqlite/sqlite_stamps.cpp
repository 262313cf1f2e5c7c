// SqliteStore's StampStore: the stamp, scan and recall tables of migration 4.
//
// As the registry, every call runs on the writer connection under writer_mu_: a batch and all
// its codes commit with their audit entry in one IMMEDIATE transaction, and reads see every
// committed write.
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/audit_rows.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/stamp_store.hpp"

namespace vntrace::store::sqlite {
namespace {

StampBatch ReadBatch(const BoundStatement& row) {
  StampBatch batch;
  batch.id = std::string(row.ColumnText(0));
  batch.org_id = std::string(row.ColumnText(1));
  batch.product_id = std::string(row.ColumnText(2));
  batch.lot_id = std::string(row.ColumnText(3));
  batch.mode = static_cast<StampMode>(row.ColumnInt64(4));
  batch.count = static_cast<int>(row.ColumnInt64(5));
  batch.active = row.ColumnInt64(6) != 0;
  batch.created_at = core::Timestamp::FromUnixNanos(row.ColumnInt64(7));
  if (!row.ColumnIsNull(8)) {
    batch.activated_at = core::Timestamp::FromUnixNanos(row.ColumnInt64(8));
  }
  return batch;
}

Stamp ReadStamp(const BoundStatement& row) {
  return Stamp{.code = std::string(row.ColumnText(0)),
               .batch_id = std::string(row.ColumnText(1)),
               .serial = std::string(row.ColumnText(2)),
               .sequence = static_cast<int>(row.ColumnInt64(3))};
}

}  // namespace

core::Status SqliteStore::CreateStampBatch(const StampBatch& batch, std::span<const Stamp> stamps,
                                           const AuditEntry& audit) {
  static constexpr std::string_view kInsertBatch =
      "INSERT INTO stamp_batches (id, org_id, product_id, lot_id, mode, count, active, "
      "created_at_ns, activated_at_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
  static constexpr std::string_view kInsertStamp =
      "INSERT INTO stamps (code, batch_id, serial, sequence) VALUES (?1, ?2, ?3, ?4)";
  std::lock_guard<std::mutex> lock(writer_mu_);
  Connection& connection = *writer_;
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionMode::kImmediate));
  auto conflict = [](core::Status status, std::string_view what) -> core::Status {
    if (!status.ok() && IsUniqueConflict(status.error())) {
      return core::AlreadyExists(std::string(what) + " already exists");
    }
    return status;
  };
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsertBatch));
    insert.BindText(1, batch.id);
    insert.BindText(2, batch.org_id);
    insert.BindText(3, batch.product_id);
    insert.BindText(4, batch.lot_id);
    insert.BindInt64(5, static_cast<std::int64_t>(batch.mode));
    insert.BindInt64(6, batch.count);
    insert.BindInt64(7, batch.active ? 1 : 0);
    insert.BindInt64(8, batch.created_at.unix_nanos());
    insert.BindInt64OrNull(9, batch.activated_at.has_value()
                                  ? std::optional<std::int64_t>(batch.activated_at->unix_nanos())
                                  : std::nullopt);
    VNTRACE_RETURN_IF_ERROR(conflict(insert.Run(), "a stamp batch with this id"));
  }
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsertStamp));
    for (const Stamp& stamp : stamps) {
      insert.BindText(1, stamp.code);
      insert.BindText(2, stamp.batch_id);
      insert.BindText(3, stamp.serial);
      insert.BindInt64(4, stamp.sequence);
      VNTRACE_RETURN_IF_ERROR(conflict(insert.Run(), "a stamp with code '" + stamp.code + "'"));
    }
  }
  VNTRACE_RETURN_IF_ERROR(InsertAudit(connection, audit));
  return transaction.Commit();
}

core::Result<StampBatch> SqliteStore::GetStampBatch(std::string_view id) {
  static constexpr std::string_view kSelect =
      "SELECT id, org_id, product_id, lot_id, mode, count, active, created_at_ns, "
      "activated_at_ns FROM stamp_batches WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, id);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return core::NotFound("no stamp batch '" + std::string(id) + "'");
  }
  return ReadBatch(select);
}

core::Result<std::vector<StampBatch>> SqliteStore::ListStampBatches(std::string_view lot_id) {
  static constexpr std::string_view kSelect =
      "SELECT id, org_id, product_id, lot_id, mode, count, active, created_at_ns, "
      "activated_at_ns FROM stamp_batches WHERE lot_id = ?1 ORDER BY created_at_ns DESC, id";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, lot_id);
  std::vector<StampBatch> out;
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      break;
    }
    out.push_back(ReadBatch(select));
  }
  return out;
}

core::Result<std::vector<Stamp>> SqliteStore::ListStamps(std::string_view batch_id) {
  static constexpr std::string_view kSelect =
      "SELECT code, batch_id, serial, sequence FROM stamps WHERE batch_id = ?1 ORDER BY sequence";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, batch_id);
  std::vector<Stamp> out;
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      break;
    }
    out.push_back(ReadStamp(select));
  }
  return out;
}

core::Status SqliteStore::ActivateStampBatch(std::string_view id, core::Timestamp at,
                                             const AuditEntry& audit) {
  static constexpr std::string_view kExists = "SELECT active FROM stamp_batches WHERE id = ?1";
  static constexpr std::string_view kActivate =
      "UPDATE stamp_batches SET active = 1, activated_at_ns = ?2 WHERE id = ?1 AND active = 0";
  std::lock_guard<std::mutex> lock(writer_mu_);
  Connection& connection = *writer_;
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionMode::kImmediate));
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement exists, connection.Prepare(kExists));
    exists.BindText(1, id);
    VNTRACE_ASSIGN_OR_RETURN(bool row, exists.Step());
    if (!row) {
      return core::NotFound("no stamp batch '" + std::string(id) + "'");
    }
    if (exists.ColumnInt64(0) != 0) {
      return core::Ok();
    }
  }
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement update, connection.Prepare(kActivate));
    update.BindText(1, id);
    update.BindInt64(2, at.unix_nanos());
    VNTRACE_RETURN_IF_ERROR(update.Run());
  }
  VNTRACE_RETURN_IF_ERROR(InsertAudit(connection, audit));
  return transaction.Commit();
}

core::Result<Stamp> SqliteStore::FindStamp(std::string_view code) {
  static constexpr std::string_view kSelect =
      "SELECT code, batch_id, serial, sequence FROM stamps WHERE code = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, code);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return core::NotFound("no stamp with code '" + std::string(code) + "'");
  }
  return ReadStamp(select);
}

core::Status SqliteStore::RecordScan(const Scan& scan) {
  static constexpr std::string_view kInsert =
      "INSERT INTO scans (code, at_ns, province, user_agent_hash) VALUES (?1, ?2, ?3, ?4)";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, writer_->Prepare(kInsert));
  insert.BindText(1, scan.code);
  insert.BindInt64(2, scan.at.unix_nanos());
  insert.BindText(3, scan.province);
  insert.BindText(4, scan.user_agent_hash);
  return insert.Run();
}

core::Result<std::vector<Scan>> SqliteStore::ListScans(std::string_view code, std::size_t limit) {
  static constexpr std::string_view kSelect =
      "SELECT code, at_ns, province, user_agent_hash FROM scans WHERE code = ?1 "
      "ORDER BY at_ns, id LIMIT ?2";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, code);
  select.BindInt64(2, static_cast<std::int64_t>(limit));
  std::vector<Scan> out;
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      break;
    }
    out.push_back(Scan{.code = std::string(select.ColumnText(0)),
                       .at = core::Timestamp::FromUnixNanos(select.ColumnInt64(1)),
                       .province = std::string(select.ColumnText(2)),
                       .user_agent_hash = std::string(select.ColumnText(3))});
  }
  return out;
}

core::Result<std::int64_t> SqliteStore::CountScans(std::string_view code) {
  static constexpr std::string_view kCount = "SELECT count(*) FROM scans WHERE code = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kCount));
  select.BindText(1, code);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  return row ? select.ColumnInt64(0) : 0;
}

core::Result<std::int64_t> SqliteStore::CountBatchScans(std::string_view batch_id) {
  // One index walk per code of the batch (stamps_by_batch, then scans_by_code).
  static constexpr std::string_view kCount =
      "SELECT count(*) FROM stamps JOIN scans ON scans.code = stamps.code "
      "WHERE stamps.batch_id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kCount));
  select.BindText(1, batch_id);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  return row ? select.ColumnInt64(0) : 0;
}

core::Status SqliteStore::RecallLot(const LotRecall& recall, const AuditEntry& audit) {
  static constexpr std::string_view kLotExists = "SELECT 1 FROM lots WHERE id = ?1";
  static constexpr std::string_view kInsert =
      "INSERT INTO lot_recalls (lot_id, reason, recalled_at_ns) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (lot_id) DO NOTHING";
  std::lock_guard<std::mutex> lock(writer_mu_);
  Connection& connection = *writer_;
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionMode::kImmediate));
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement exists, connection.Prepare(kLotExists));
    exists.BindText(1, recall.lot_id);
    VNTRACE_ASSIGN_OR_RETURN(bool row, exists.Step());
    if (!row) {
      return core::NotFound("no lot '" + recall.lot_id + "'");
    }
  }
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsert));
    insert.BindText(1, recall.lot_id);
    insert.BindText(2, recall.reason);
    insert.BindInt64(3, recall.recalled_at.unix_nanos());
    VNTRACE_RETURN_IF_ERROR(insert.Run());
  }
  VNTRACE_RETURN_IF_ERROR(InsertAudit(connection, audit));
  return transaction.Commit();
}

core::Result<std::optional<LotRecall>> SqliteStore::GetLotRecall(std::string_view lot_id) {
  static constexpr std::string_view kSelect =
      "SELECT lot_id, reason, recalled_at_ns FROM lot_recalls WHERE lot_id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, lot_id);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return std::optional<LotRecall>();
  }
  return std::optional<LotRecall>(
      LotRecall{.lot_id = std::string(select.ColumnText(0)),
                .reason = std::string(select.ColumnText(1)),
                .recalled_at = core::Timestamp::FromUnixNanos(select.ColumnInt64(2))});
}

}  // namespace vntrace::store::sqlite
