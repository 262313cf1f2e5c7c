// SqliteStore's uploaded files (RegistryStore::CreateMedia and reads): the media table of
// migration 9. Like the rest of the registry, every call runs on the writer connection under
// writer_mu_; a file and its audit entry commit in one IMMEDIATE transaction.
#include <mutex>
#include <string>
#include <string_view>

#include "store/registry_store.hpp"
#include "store/sqlite/audit_rows.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace vntrace::store::sqlite {
namespace {

MediaInfo ReadInfo(const BoundStatement& row) {
  return MediaInfo{.id = std::string(row.ColumnText(0)),
                   .org_id = std::string(row.ColumnText(1)),
                   .content_type = std::string(row.ColumnText(2)),
                   .sha256 = std::string(row.ColumnText(3)),
                   .byte_size = row.ColumnInt64(4),
                   .width = static_cast<int>(row.ColumnInt64(5)),
                   .height = static_cast<int>(row.ColumnInt64(6)),
                   .created_at = core::Timestamp::FromUnixNanos(row.ColumnInt64(7))};
}

}  // namespace

core::Status SqliteStore::CreateMedia(const Media& media, const AuditEntry& audit) {
  static constexpr std::string_view kInsert =
      "INSERT INTO media (id, org_id, content_type, sha256, byte_size, width, height, data, "
      "created_at_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(*writer_, TransactionMode::kImmediate));
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, writer_->Prepare(kInsert));
    const MediaInfo& i = media.info;
    insert.BindText(1, i.id);
    insert.BindText(2, i.org_id);
    insert.BindText(3, i.content_type);
    insert.BindText(4, i.sha256);
    insert.BindInt64(5, i.byte_size);
    insert.BindInt64(6, i.width);
    insert.BindInt64(7, i.height);
    insert.BindBlob(8, media.data);
    insert.BindInt64(9, i.created_at.unix_nanos());
    core::Status ran = insert.Run();
    if (!ran.ok() && IsUniqueConflict(ran.error())) {
      return core::AlreadyExists("a file with id '" + i.id + "' is stored already");
    }
    VNTRACE_RETURN_IF_ERROR(ran);
  }
  VNTRACE_RETURN_IF_ERROR(InsertAudit(*writer_, audit));
  return transaction.Commit();
}

core::Result<Media> SqliteStore::GetMedia(std::string_view id) {
  static constexpr std::string_view kSelect =
      "SELECT id, org_id, content_type, sha256, byte_size, width, height, created_at_ns, data "
      "FROM media WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, id);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return core::NotFound("no file '" + std::string(id) + "'");
  }
  return Media{.info = ReadInfo(select), .data = std::string(select.ColumnBlob(8))};
}

core::Result<MediaInfo> SqliteStore::GetMediaInfo(std::string_view id) {
  static constexpr std::string_view kSelect =
      "SELECT id, org_id, content_type, sha256, byte_size, width, height, created_at_ns "
      "FROM media WHERE id = ?1";
  std::lock_guard<std::mutex> lock(writer_mu_);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, writer_->Prepare(kSelect));
  select.BindText(1, id);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return core::NotFound("no file '" + std::string(id) + "'");
  }
  return ReadInfo(select);
}

}  // namespace vntrace::store::sqlite
