// SqliteStore's SyncStore: the destinations of outbound sync and the changes they deliver, read
// from the tamper-evident log's leaves joined to the events they record.
//
// Destination writes run through Write (the writer connection, one IMMEDIATE transaction, with
// their audit entry where they are platform changes); progress updates are plain writes (they
// describe the delivery, not the data, and are not audited). Reads of changes use a reader
// connection, so a delivery never waits for a capture.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/audit_rows.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sync_store.hpp"

namespace vntrace::store::sqlite {
namespace {

// Connection::Prepare keys its cache by the SQL text's address: every statement is a constant.
#define VNTRACE_SYNC_COLUMNS                                                                   \
  "id, name, url, authorization, national_portal, enabled, created_at_ns, cursor, delivered, " \
  "last_attempt_ns, last_success_ns, last_error, failures"
constexpr std::string_view kInsertDestination =
    "INSERT INTO sync_destinations (" VNTRACE_SYNC_COLUMNS
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
constexpr std::string_view kSelectDestination =
    "SELECT " VNTRACE_SYNC_COLUMNS " FROM sync_destinations WHERE id = ?1";
constexpr std::string_view kListDestinations =
    "SELECT " VNTRACE_SYNC_COLUMNS " FROM sync_destinations ORDER BY id";
#undef VNTRACE_SYNC_COLUMNS

std::optional<core::Timestamp> OptionalTime(const BoundStatement& row, int column) {
  if (row.ColumnIsNull(column)) return std::nullopt;
  return core::Timestamp::FromUnixNanos(row.ColumnInt64(column));
}

SyncDestination ReadDestination(const BoundStatement& r) {
  return SyncDestination{
      .id = std::string(r.ColumnText(0)),
      .name = std::string(r.ColumnText(1)),
      .url = std::string(r.ColumnText(2)),
      .authorization = std::string(r.ColumnText(3)),
      .national_portal = r.ColumnInt64(4) != 0,
      .enabled = r.ColumnInt64(5) != 0,
      .created_at = core::Timestamp::FromUnixNanos(r.ColumnInt64(6)),
      .cursor = r.ColumnInt64(7),
      .delivered = r.ColumnInt64(8),
      .last_attempt_at = OptionalTime(r, 9),
      .last_success_at = OptionalTime(r, 10),
      .last_error = std::string(r.ColumnText(11)),
      .failures = static_cast<int>(r.ColumnInt64(12)),
  };
}

core::Status ExpectOneRow(Connection& connection, std::string_view id) {
  if (connection.Changes() == 0) {
    return core::NotFound("no sync destination '" + std::string(id) + "'");
  }
  return core::Ok();
}

}  // namespace

core::Status SqliteStore::CreateSyncDestination(const SyncDestination& d, const AuditEntry& audit) {
  if (d.id.empty() || d.url.empty()) {
    return core::InvalidArgument("a sync destination needs an id and a url");
  }
  return Write([&](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsertDestination));
    insert.BindText(1, d.id);
    insert.BindText(2, d.name);
    insert.BindText(3, d.url);
    insert.BindText(4, d.authorization);
    insert.BindInt64(5, d.national_portal ? 1 : 0);
    insert.BindInt64(6, d.enabled ? 1 : 0);
    insert.BindInt64(7, d.created_at.unix_nanos());
    insert.BindInt64(8, d.cursor);
    insert.BindInt64(9, d.delivered);
    insert.BindInt64OrNull(
        10, d.last_attempt_at ? std::optional(d.last_attempt_at->unix_nanos()) : std::nullopt);
    insert.BindInt64OrNull(
        11, d.last_success_at ? std::optional(d.last_success_at->unix_nanos()) : std::nullopt);
    insert.BindText(12, d.last_error);
    insert.BindInt64(13, d.failures);
    core::Status ran = insert.Run();
    if (!ran.ok()) {
      if (IsUniqueConflict(ran.error())) {
        return core::AlreadyExists("a sync destination '" + d.id + "' already exists");
      }
      return ran;
    }
    return InsertAudit(connection, audit);
  });
}

core::Status SqliteStore::SetSyncDestinationEnabled(std::string_view id, bool enabled,
                                                    const AuditEntry& audit) {
  return Write([&](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(
        BoundStatement update,
        connection.Prepare("UPDATE sync_destinations SET enabled = ?2 WHERE id = ?1"));
    update.BindText(1, id);
    update.BindInt64(2, enabled ? 1 : 0);
    VNTRACE_RETURN_IF_ERROR(update.Run());
    VNTRACE_RETURN_IF_ERROR(ExpectOneRow(connection, id));
    return InsertAudit(connection, audit);
  });
}

core::Result<SyncDestination> SqliteStore::GetSyncDestination(std::string_view id) {
  std::optional<SyncDestination> found;
  VNTRACE_RETURN_IF_ERROR(Read([&](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelectDestination));
    select.BindText(1, id);
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (row) found = ReadDestination(select);
    return core::Ok();
  }));
  if (!found) return core::NotFound("no sync destination '" + std::string(id) + "'");
  return *std::move(found);
}

core::Result<std::vector<SyncDestination>> SqliteStore::ListSyncDestinations() {
  std::vector<SyncDestination> out;
  VNTRACE_RETURN_IF_ERROR(Read([&](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kListDestinations));
    while (true) {
      VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) return core::Ok();
      out.push_back(ReadDestination(select));
    }
  }));
  return out;
}

core::Result<std::vector<SyncChange>> SqliteStore::ReadEventChanges(std::int64_t after,
                                                                    std::size_t limit) {
  std::vector<SyncChange> out;
  VNTRACE_RETURN_IF_ERROR(Read([&](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(
        BoundStatement select,
        connection.Prepare("SELECT l.leaf_index, l.kind, e.event_id, e.json FROM log_leaves l "
                           "JOIN events e ON e.id = l.source_row WHERE l.leaf_index > ?1 AND "
                           "l.kind IN (1, 2) ORDER BY l.leaf_index LIMIT ?2"));
    select.BindInt64(1, after);
    select.BindInt64(2, static_cast<std::int64_t>(limit));
    while (true) {
      VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) return core::Ok();
      out.push_back(SyncChange{.leaf_index = select.ColumnInt64(0),
                               .kind = static_cast<LeafKind>(select.ColumnInt64(1)),
                               .event_id = std::string(select.ColumnText(2)),
                               .json = std::string(select.ColumnText(3))});
    }
  }));
  return out;
}

core::Result<std::int64_t> SqliteStore::CountEventChangesAfter(std::int64_t after) {
  std::int64_t count = 0;
  VNTRACE_RETURN_IF_ERROR(Read([&](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select,
                             connection.Prepare("SELECT count(*) FROM log_leaves WHERE "
                                                "leaf_index > ?1 AND kind IN (1, 2)"));
    select.BindInt64(1, after);
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (row) count = select.ColumnInt64(0);
    return core::Ok();
  }));
  return count;
}

core::Status SqliteStore::RecordSyncSuccess(std::string_view id, std::int64_t cursor,
                                            std::int64_t events, core::Timestamp at) {
  return Write([&](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(
        BoundStatement update,
        connection.Prepare("UPDATE sync_destinations SET cursor = max(cursor, ?2), delivered = "
                           "delivered + ?3, last_attempt_ns = ?4, last_success_ns = ?4, "
                           "last_error = '', failures = 0 WHERE id = ?1"));
    update.BindText(1, id);
    update.BindInt64(2, cursor);
    update.BindInt64(3, events);
    update.BindInt64(4, at.unix_nanos());
    VNTRACE_RETURN_IF_ERROR(update.Run());
    return ExpectOneRow(connection, id);
  });
}

core::Status SqliteStore::RecordSyncFailure(std::string_view id, std::string_view error,
                                            core::Timestamp at) {
  return Write([&](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(
        BoundStatement update,
        connection.Prepare("UPDATE sync_destinations SET last_attempt_ns = ?2, last_error = ?3, "
                           "failures = failures + 1 WHERE id = ?1"));
    update.BindText(1, id);
    update.BindInt64(2, at.unix_nanos());
    update.BindText(3, error.substr(0, 2000));
    VNTRACE_RETURN_IF_ERROR(update.Run());
    return ExpectOneRow(connection, id);
  });
}

}  // namespace vntrace::store::sqlite
