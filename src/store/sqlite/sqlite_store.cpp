#include "store/sqlite/sqlite_store.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "store/internal/index_codec.hpp"
#include "store/internal/page_token.hpp"
#include "store/internal/query_plan.hpp"
#include "store/migrations/sqlite_migrations.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/event_key.hpp"
#include "store/sqlite/log_rows.hpp"
#include "store/sqlite/master_data_rows.hpp"
#include "store/sqlite/trace_links.hpp"

namespace vntrace::store::sqlite {
namespace {

using internal::EventCursor;
using internal::Hit;
using internal::SortOrder;
using internal::TimeRange;

constexpr std::int64_t kMinInt64 = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();

core::Status ConfigureConnection(Connection& connection, std::chrono::milliseconds busy_timeout,
                                 bool reader) {
  static constexpr std::string_view kForeignKeysOn = "PRAGMA foreign_keys = ON";
  static constexpr std::string_view kSynchronousFull = "PRAGMA synchronous = FULL";
  // A page cache of up to 32 MiB per connection (negative: KiB); PRAGMA values cannot be bound.
  static constexpr std::string_view kCacheSize = "PRAGMA cache_size = -32768";
  static constexpr std::string_view kTempStoreMemory = "PRAGMA temp_store = MEMORY";
  static constexpr std::string_view kQueryOnly = "PRAGMA query_only = ON";
  // Readers map up to 2 GiB of the database file (SQLite's default ceiling) instead of copying
  // each page they read out of the kernel's cache: graph walks read thousands of pages.
  static constexpr std::string_view kMmapSize = "PRAGMA mmap_size = 2147418112";
  // The writer checkpoints the WAL into the database once it holds 16384 pages (64 MiB): a
  // page dirtied by several captures in between is copied once, which matters for the pages
  // of the eventID index that random IDs dirty all over.
  static constexpr std::string_view kWalAutocheckpoint = "PRAGMA wal_autocheckpoint = 16384";
  const int rc = sqlite3_busy_timeout(connection.handle(), static_cast<int>(busy_timeout.count()));
  if (rc != SQLITE_OK) {
    return SqliteError(rc, connection.handle(), "setting busy timeout");
  }
  VNTRACE_RETURN_IF_ERROR(connection.Execute(kForeignKeysOn));
  VNTRACE_RETURN_IF_ERROR(connection.Execute(kSynchronousFull));
  VNTRACE_RETURN_IF_ERROR(connection.Execute(kCacheSize));
  VNTRACE_RETURN_IF_ERROR(connection.Execute(kTempStoreMemory));
  if (reader) {
    VNTRACE_RETURN_IF_ERROR(connection.Execute(kQueryOnly));
    VNTRACE_RETURN_IF_ERROR(connection.Execute(kMmapSize));
  } else {
    VNTRACE_RETURN_IF_ERROR(connection.Execute(kWalAutocheckpoint));
  }
  return core::Ok();
}

// Switches the database file to write-ahead logging (persistent: later connections inherit it).
core::Status EnableWal(Connection& connection) {
  static constexpr std::string_view kJournalModeWal = "PRAGMA journal_mode = WAL";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement statement, connection.Prepare(kJournalModeWal));
  VNTRACE_ASSIGN_OR_RETURN(bool row, statement.Step());
  if (!row || statement.ColumnText(0) != "wal") {
    return core::Internal("SQLite refused WAL mode for the database");
  }
  return core::Ok();
}

core::Result<int> CurrentSchemaVersion(Connection& connection) {
  static constexpr std::string_view kSelectVersion =
      "SELECT coalesce(max(version), 0) FROM schema_version";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement statement, connection.Prepare(kSelectVersion));
  VNTRACE_ASSIGN_OR_RETURN(bool row, statement.Step());
  VNTRACE_ASSERT(row);  // an aggregate always yields one row
  return static_cast<int>(statement.ColumnInt64(0));
}

// Applies every migration newer than the database, in one transaction.
core::Status Migrate(Connection& connection) {
  static constexpr std::string_view kCreateSchemaVersion =
      "CREATE TABLE IF NOT EXISTS schema_version ("
      "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
  static constexpr std::string_view kRecordVersion =
      "INSERT INTO schema_version (version, name, applied_at) "
      "VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
  const std::span<const migrations::Migration> all = migrations::SqliteMigrations();
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionMode::kImmediate));
  VNTRACE_RETURN_IF_ERROR(connection.Execute(kCreateSchemaVersion));
  VNTRACE_ASSIGN_OR_RETURN(int current, CurrentSchemaVersion(connection));
  const int latest = all.empty() ? 0 : all.back().version;
  if (current > latest) {
    return core::FailedPrecondition("the database has schema version " + std::to_string(current) +
                                    ", newer than this build of vntrace knows (" +
                                    std::to_string(latest) + "); upgrade vntrace");
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    const migrations::Migration& migration = all[i];
    VNTRACE_ASSERT(migration.version == static_cast<int>(i) + 1);  // versions 1, 2, ... in order
    if (migration.version <= current) {
      continue;
    }
    core::Status applied = connection.ExecuteScript(migration.sql);
    if (!applied.ok()) {
      core::Error error = std::move(applied).error();
      error.message = "schema migration " + std::to_string(migration.version) + " (" +
                      std::string(migration.name) + "): " + error.message;
      return error;
    }
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement record, connection.Prepare(kRecordVersion));
    record.BindInt64(1, migration.version);
    record.BindText(2, migration.name);
    VNTRACE_RETURN_IF_ERROR(record.Run());
  }
  return transaction.Commit();
}

// The columns of every statement that reads an event row, in this order.
constexpr int kColId = 0;
constexpr int kColEventId = 1;
constexpr int kColType = 2;
constexpr int kColEventTime = 3;
constexpr int kColEventTimeOffset = 4;
constexpr int kColRecordTime = 5;
constexpr int kColAction = 6;
constexpr int kColBizStep = 7;
constexpr int kColDisposition = 8;
constexpr int kColReadPoint = 9;
constexpr int kColBizLocation = 10;
constexpr int kColErrorDeclarationTime = 11;
constexpr int kColIndexEntries = 12;
constexpr int kColJson = 13;

// Fills the decoded fields of `event` from an event row (leaving index and json empty) and
// returns its rowid. kInternal for values no capture writes (a damaged database).
core::Result<std::int64_t> ReadEventRow(const BoundStatement& row, epcis::Event& event) {
  const std::int64_t rowid = row.ColumnInt64(kColId);
  const std::int64_t type = row.ColumnInt64(kColType);
  const std::int64_t offset = row.ColumnInt64(kColEventTimeOffset);
  if (type < static_cast<int>(epcis::EventType::kObjectEvent) ||
      type > static_cast<int>(epcis::EventType::kAssociationEvent) ||
      offset < -core::kMaxUtcOffsetMinutes || offset > core::kMaxUtcOffsetMinutes) {
    return core::Internal("event row " + std::to_string(rowid) + " holds invalid values");
  }
  event.event_id.assign(row.ColumnText(kColEventId));
  event.type = static_cast<epcis::EventType>(type);
  event.event_time =
      core::Timestamp::FromUnixNanos(row.ColumnInt64(kColEventTime), static_cast<int>(offset));
  event.record_time = core::Timestamp::FromUnixNanos(row.ColumnInt64(kColRecordTime));
  event.action.assign(row.ColumnText(kColAction));
  event.biz_step.assign(row.ColumnText(kColBizStep));
  event.disposition.assign(row.ColumnText(kColDisposition));
  event.read_point.assign(row.ColumnText(kColReadPoint));
  event.biz_location.assign(row.ColumnText(kColBizLocation));
  if (row.ColumnIsNull(kColErrorDeclarationTime)) {
    event.error_declaration_time.reset();
  } else {
    event.error_declaration_time =
        core::Timestamp::FromUnixNanos(row.ColumnInt64(kColErrorDeclarationTime));
  }
  event.index.clear();
  event.json.clear();
  return rowid;
}

core::Status ParseEventJson(std::string_view text, const epcis::Event& event,
                            boost::json::object& json) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) {
    return core::Internal("stored event '" + event.event_id + "' is not a JSON object");
  }
  json = std::move(value.as_object());
  return core::Ok();
}

// Rebuilds the parts of an event that `query` needs from the current row of `row`.
class EventLoader {
 public:
  explicit EventLoader(const epcis::EventQuery& query)
      : needs_index_(internal::NeedsIndexEntries(query)), needs_json_(internal::NeedsJson(query)) {}

  // The rowid; the event is in event().
  core::Result<std::int64_t> Load(const BoundStatement& row) {
    VNTRACE_ASSIGN_OR_RETURN(std::int64_t rowid, ReadEventRow(row, event_));
    if (needs_json_) {
      VNTRACE_RETURN_IF_ERROR(ParseEventJson(row.ColumnText(kColJson), event_, event_.json));
    }
    if (needs_index_) {
      VNTRACE_RETURN_IF_ERROR(
          internal::DecodeIndexEntries(row.ColumnBlob(kColIndexEntries), event_.index));
    }
    return rowid;
  }

  const epcis::Event& event() const { return event_; }

 private:
  const bool needs_index_;
  const bool needs_json_;
  epcis::Event event_;  // reused from row to row to keep its allocations
};

void SortUnique(std::vector<std::int64_t>& rowids) {
  std::sort(rowids.begin(), rowids.end());
  rowids.erase(std::unique(rowids.begin(), rowids.end()), rowids.end());
}

// Adds the current row's first column to `rowids`; false when more than `cap` distinct rowids
// were collected.
bool Collect(std::int64_t rowid, std::size_t cap, std::vector<std::int64_t>& rowids) {
  rowids.push_back(rowid);
  if (rowids.size() > cap) {
    SortUnique(rowids);
    return rowids.size() <= cap;
  }
  return true;
}

// The rowids of the events `probe` finds (sorted, distinct), or nullopt when they are more than
// `cap`.
core::Result<std::optional<std::vector<std::int64_t>>> GatherIndexProbe(
    Connection& connection, const internal::IndexProbe& probe, std::size_t cap) {
  static constexpr std::string_view kFindExact =
      "SELECT event_rowid FROM event_index WHERE kind = ?1 AND value = ?2";
  static constexpr std::string_view kFindPrefix =
      "SELECT event_rowid FROM event_index WHERE kind = ?1 AND value >= ?2 AND value < ?3";
  static constexpr std::string_view kFindFrom =
      "SELECT event_rowid FROM event_index WHERE kind = ?1 AND value >= ?2";
  std::vector<std::int64_t> rowids;
  for (const epcis::IndexKind kind : probe.kinds) {
    for (const epcis::IdMatch& match : probe.values) {
      const std::optional<std::string> successor =
          match.prefix ? internal::PrefixSuccessor(match.value) : std::nullopt;
      const std::string_view sql =
          !match.prefix ? kFindExact : (successor.has_value() ? kFindPrefix : kFindFrom);
      VNTRACE_ASSIGN_OR_RETURN(BoundStatement find, connection.Prepare(sql));
      find.BindInt64(1, static_cast<std::int64_t>(kind));
      find.BindText(2, match.value);
      if (successor.has_value()) {
        find.BindText(3, *successor);
      }
      while (true) {
        VNTRACE_ASSIGN_OR_RETURN(bool row, find.Step());
        if (!row) {
          break;
        }
        if (!Collect(find.ColumnInt64(0), cap, rowids)) {
          return std::nullopt;
        }
      }
    }
  }
  SortUnique(rowids);
  return rowids;
}

core::Result<std::optional<std::vector<std::int64_t>>> GatherTimeRange(Connection& connection,
                                                                       bool record_time,
                                                                       const TimeRange& range,
                                                                       std::size_t cap) {
  static constexpr std::string_view kFindByEventTime =
      "SELECT id FROM events WHERE event_time_ns BETWEEN ?1 AND ?2";
  static constexpr std::string_view kFindByRecordTime =
      "SELECT id FROM events WHERE record_time_ns BETWEEN ?1 AND ?2";
  std::vector<std::int64_t> rowids;
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement find,
                           connection.Prepare(record_time ? kFindByRecordTime : kFindByEventTime));
  find.BindInt64(1, range.lo);
  find.BindInt64(2, range.hi);
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, find.Step());
    if (!row) {
      break;
    }
    if (!Collect(find.ColumnInt64(0), cap, rowids)) {
      return std::nullopt;
    }
  }
  SortUnique(rowids);
  return rowids;
}

core::Result<std::vector<std::int64_t>> GatherEventIds(Connection& connection,
                                                       const std::vector<std::string>& event_ids) {
  static constexpr std::string_view kFindByEventId =
      "SELECT id FROM events WHERE event_key = ?1 AND event_id = ?2";
  std::vector<std::int64_t> rowids;
  for (const std::string& event_id : event_ids) {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement find, connection.Prepare(kFindByEventId));
    find.BindInt64(1, EventKey(event_id));
    find.BindText(2, event_id);
    VNTRACE_ASSIGN_OR_RETURN(bool row, find.Step());
    if (row) {
      rowids.push_back(find.ColumnInt64(0));
    }
  }
  SortUnique(rowids);
  return rowids;
}

// The candidates of the most selective probe the query allows (sorted rowids), or nullopt when
// every probe finds more than `max_candidates` events.
core::Result<std::optional<std::vector<std::int64_t>>> FindCandidates(
    Connection& connection, const epcis::EventQuery& query, std::size_t max_candidates) {
  if (!query.eq_event_id.empty()) {
    // eventID is unique: no other probe can find fewer events.
    VNTRACE_ASSIGN_OR_RETURN(std::vector<std::int64_t> rowids,
                             GatherEventIds(connection, query.eq_event_id));
    return std::optional(std::move(rowids));
  }
  std::optional<std::vector<std::int64_t>> best;
  // Each later probe only has to beat the best so far, so it gives up as soon as it cannot.
  auto consider = [&best](std::optional<std::vector<std::int64_t>>&& found) {
    if (found.has_value() && (!best.has_value() || found->size() < best->size())) {
      best = std::move(found);
    }
  };
  auto cap = [&best, max_candidates] { return best.has_value() ? best->size() : max_candidates; };
  for (const internal::IndexProbe& probe : internal::IndexProbes(query)) {
    VNTRACE_ASSIGN_OR_RETURN(auto found, GatherIndexProbe(connection, probe, cap()));
    consider(std::move(found));
    if (best.has_value() && best->empty()) {
      return best;
    }
  }
  const TimeRange event_time = internal::EventTimeRange(query);
  if (event_time.Empty()) {
    return std::vector<std::int64_t>();
  }
  if (event_time.Bounded()) {
    VNTRACE_ASSIGN_OR_RETURN(auto found, GatherTimeRange(connection, false, event_time, cap()));
    consider(std::move(found));
  }
  const TimeRange record_time = internal::RecordTimeRange(query);
  if (record_time.Empty()) {
    return std::vector<std::int64_t>();
  }
  if (record_time.Bounded()) {
    VNTRACE_ASSIGN_OR_RETURN(auto found, GatherTimeRange(connection, true, record_time, cap()));
    consider(std::move(found));
  }
  return best;
}

// What a page may still hold, and where the previous one ended.
struct PagePlan {
  SortOrder order = SortOrder::kRecordOrder;
  std::optional<EventCursor> cursor;
  std::size_t take = 0;        // events this page may hold
  std::int64_t returned = 0;   // events returned by earlier pages
  std::int64_t remaining = 0;  // events the whole result may still hold (eventCountLimit)
  std::optional<std::int64_t> max_event_count;
  std::uint64_t field_hash = 0;  // extension orders: internal::OrderFieldHash of the field

  bool AfterCursor(const Hit& hit) const {
    return !cursor.has_value() ||
           internal::Precedes(
               order, Hit{.key = cursor->key, .rowid = cursor->rowid, .field = cursor->field}, hit);
  }

  // The token of the page that ends with `last` and holds `count` events, or "" when `more` is
  // false or the result is complete.
  std::string NextToken(const Hit& last, std::size_t count, bool more) const {
    const auto count64 = static_cast<std::int64_t>(count);
    if (!more || count64 >= remaining) {
      return "";
    }
    return internal::EncodeEventCursor({.order = order,
                                        .key = last.key,
                                        .rowid = last.rowid,
                                        .returned = returned + count64,
                                        .field = last.field,
                                        .field_hash = field_hash});
  }
};

core::Error TooManyEvents(std::int64_t max_event_count) {
  return core::ResourceExhausted("the query matches more than maxEventCount (" +
                                 std::to_string(max_event_count) + ") events");
}

// A page from candidate rowids (sorted ascending): every candidate is checked with Matches,
// the hits are put in order and the page is cut after the cursor.
core::Result<EventPage> PageFromCandidates(Connection& connection, const epcis::EventQuery& query,
                                           const std::vector<std::int64_t>& candidates,
                                           const PagePlan& plan) {
  static constexpr std::string_view kSelectEvent =
      "SELECT id, event_id, event_type, event_time_ns, event_time_offset, record_time_ns, action, "
      "biz_step, disposition, read_point, biz_location, error_declaration_time_ns, index_entries, "
      "json "
      "FROM events WHERE id = ?1";
  static constexpr std::string_view kSelectEventJson =
      "SELECT event_id, json FROM events WHERE id = ?1";
  EventLoader loader(query);
  std::vector<Hit> hits;
  // In record order without maxEventCount the candidates are already in result order: start
  // after the cursor and stop one past the page.
  const bool stream = plan.order == SortOrder::kRecordOrder && !plan.max_event_count.has_value();
  auto begin = candidates.begin();
  if (stream && plan.cursor.has_value()) {
    begin = std::upper_bound(candidates.begin(), candidates.end(), plan.cursor->rowid);
  }
  for (auto it = begin; it != candidates.end(); ++it) {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelectEvent));
    select.BindInt64(1, *it);
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      continue;
    }
    VNTRACE_ASSIGN_OR_RETURN(std::int64_t rowid, loader.Load(select));
    if (!epcis::Matches(loader.event(), query)) {
      continue;
    }
    hits.push_back(internal::HitOf(plan.order, query, loader.event(), rowid));
    if (plan.max_event_count.has_value() &&
        static_cast<std::int64_t>(hits.size()) > *plan.max_event_count) {
      return TooManyEvents(*plan.max_event_count);
    }
    if (stream && hits.size() > plan.take) {
      break;
    }
  }
  std::sort(hits.begin(), hits.end(),
            [&plan](const Hit& a, const Hit& b) { return internal::Precedes(plan.order, a, b); });
  auto first = hits.begin();
  if (plan.cursor.has_value()) {
    first = std::find_if(hits.begin(), hits.end(),
                         [&plan](const Hit& hit) { return plan.AfterCursor(hit); });
  }
  const auto available = static_cast<std::size_t>(hits.end() - first);
  const std::size_t count = std::min(available, plan.take);
  EventPage page;
  page.events.reserve(count);
  for (auto it = first; it != first + static_cast<std::ptrdiff_t>(count); ++it) {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelectEventJson));
    select.BindInt64(1, it->rowid);
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      return core::Internal("event row " + std::to_string(it->rowid) + " vanished mid-query");
    }
    page.events.push_back(
        {.event_id = std::string(select.ColumnText(0)), .json = std::string(select.ColumnText(1))});
  }
  if (count > 0) {
    page.next =
        plan.NextToken(*(first + static_cast<std::ptrdiff_t>(count) - 1), count, available > count);
  }
  return page;
}

// A page from scanning events in result order (through the rowid or a time index), checking
// each with Matches. Stops one past the page, unless maxEventCount needs every match counted.
core::Result<EventPage> PageFromScan(Connection& connection, const epcis::EventQuery& query,
                                     const PagePlan& plan) {
  static constexpr std::string_view kScanRecordOrder =
      "SELECT id, event_id, event_type, event_time_ns, event_time_offset, record_time_ns, action, "
      "biz_step, disposition, read_point, biz_location, error_declaration_time_ns, index_entries, "
      "json "
      "FROM events WHERE id > ?1 ORDER BY id";
  static constexpr std::string_view kScanEventTimeAsc =
      "SELECT id, event_id, event_type, event_time_ns, event_time_offset, record_time_ns, action, "
      "biz_step, disposition, read_point, biz_location, error_declaration_time_ns, index_entries, "
      "json "
      "FROM events WHERE event_time_ns BETWEEN ?1 AND ?2 AND (event_time_ns > ?3 OR id > ?4) "
      "ORDER BY event_time_ns, id";
  static constexpr std::string_view kScanEventTimeDesc =
      "SELECT id, event_id, event_type, event_time_ns, event_time_offset, record_time_ns, action, "
      "biz_step, disposition, read_point, biz_location, error_declaration_time_ns, index_entries, "
      "json "
      "FROM events WHERE event_time_ns BETWEEN ?1 AND ?2 AND (event_time_ns < ?3 OR id < ?4) "
      "ORDER BY event_time_ns DESC, id DESC";
  static constexpr std::string_view kScanRecordTimeAsc =
      "SELECT id, event_id, event_type, event_time_ns, event_time_offset, record_time_ns, action, "
      "biz_step, disposition, read_point, biz_location, error_declaration_time_ns, index_entries, "
      "json "
      "FROM events WHERE record_time_ns BETWEEN ?1 AND ?2 AND (record_time_ns > ?3 OR id > ?4) "
      "ORDER BY record_time_ns, id";
  static constexpr std::string_view kScanRecordTimeDesc =
      "SELECT id, event_id, event_type, event_time_ns, event_time_offset, record_time_ns, action, "
      "biz_step, disposition, read_point, biz_location, error_declaration_time_ns, index_entries, "
      "json "
      "FROM events WHERE record_time_ns BETWEEN ?1 AND ?2 AND (record_time_ns < ?3 OR id < ?4) "
      "ORDER BY record_time_ns DESC, id DESC";

  // With maxEventCount every match counts, so the scan starts at the beginning and the cursor
  // is applied here; otherwise the statement starts right after the cursor.
  const bool count_all = plan.max_event_count.has_value();
  const bool from_cursor = !count_all && plan.cursor.has_value();
  const EventCursor start = from_cursor ? *plan.cursor : EventCursor{};
  const bool descending = internal::IsDescending(plan.order);
  std::string_view sql = kScanRecordOrder;
  TimeRange range;
  switch (plan.order) {
    case SortOrder::kRecordOrder:
      break;
    case SortOrder::kEventTimeAsc:
      sql = kScanEventTimeAsc;
      range = internal::EventTimeRange(query);
      break;
    case SortOrder::kEventTimeDesc:
      sql = kScanEventTimeDesc;
      range = internal::EventTimeRange(query);
      break;
    case SortOrder::kRecordTimeAsc:
      sql = kScanRecordTimeAsc;
      range = internal::RecordTimeRange(query);
      break;
    case SortOrder::kRecordTimeDesc:
      sql = kScanRecordTimeDesc;
      range = internal::RecordTimeRange(query);
      break;
    case SortOrder::kExtensionAsc:
    case SortOrder::kExtensionDesc:
      return core::Internal("extension orders are paged by PageByExtensionField");
  }
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement scan, connection.Prepare(sql));
  if (plan.order == SortOrder::kRecordOrder) {
    scan.BindInt64(1, from_cursor ? start.rowid : 0);
  } else if (!descending) {
    scan.BindInt64(1, from_cursor ? std::max(range.lo, start.key) : range.lo);
    scan.BindInt64(2, range.hi);
    scan.BindInt64(3, from_cursor ? start.key : kMinInt64);
    scan.BindInt64(4, from_cursor ? start.rowid : 0);
  } else {
    scan.BindInt64(1, range.lo);
    scan.BindInt64(2, from_cursor ? std::min(range.hi, start.key) : range.hi);
    scan.BindInt64(3, from_cursor ? start.key : kMaxInt64);
    scan.BindInt64(4, from_cursor ? start.rowid : kMaxInt64);
  }

  EventLoader loader(query);
  EventPage page;
  Hit last;
  bool more = false;
  std::int64_t matched = 0;
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, scan.Step());
    if (!row) {
      break;
    }
    VNTRACE_ASSIGN_OR_RETURN(std::int64_t rowid, loader.Load(scan));
    if (!epcis::Matches(loader.event(), query)) {
      continue;
    }
    ++matched;
    if (count_all && matched > *plan.max_event_count) {
      return TooManyEvents(*plan.max_event_count);
    }
    const Hit hit = internal::HitOf(plan.order, query, loader.event(), rowid);
    if (!plan.AfterCursor(hit)) {
      continue;
    }
    if (page.events.size() < plan.take) {
      page.events.push_back(
          {.event_id = loader.event().event_id, .json = std::string(scan.ColumnText(kColJson))});
      last = hit;
      continue;
    }
    more = true;
    if (!count_all) {
      break;
    }
  }
  if (!page.events.empty()) {
    page.next = plan.NextToken(last, page.events.size(), more);
  }
  return page;
}

// A page in the order of an extension field, which no index holds: each candidate (or, without a
// selective probe, each stored event) is checked with Matches and keyed, the first take + 1 hits
// after the cursor kept in a bounded heap, and the page read back by rowid. Costs a read of every
// candidate per page, whatever the page.
core::Result<EventPage> PageByExtensionField(
    Connection& connection, const epcis::EventQuery& query,
    const std::optional<std::vector<std::int64_t>>& candidates, const PagePlan& plan) {
  static constexpr std::string_view kSelectEvent =
      "SELECT id, event_id, event_type, event_time_ns, event_time_offset, record_time_ns, action, "
      "biz_step, disposition, read_point, biz_location, error_declaration_time_ns, index_entries, "
      "json "
      "FROM events WHERE id = ?1";
  static constexpr std::string_view kScanEvents =
      "SELECT id, event_id, event_type, event_time_ns, event_time_offset, record_time_ns, action, "
      "biz_step, disposition, read_point, biz_location, error_declaration_time_ns, index_entries, "
      "json "
      "FROM events ORDER BY id";
  static constexpr std::string_view kSelectEventJson =
      "SELECT event_id, json FROM events WHERE id = ?1";
  EventLoader loader(query);
  // A max-heap in result order: its top is the hit that would come last.
  auto before = [&plan](const Hit& a, const Hit& b) {
    return internal::Precedes(plan.order, a, b);
  };
  std::vector<Hit> kept;
  const std::size_t keep = plan.take + 1;  // one more tells whether another page follows
  std::int64_t matched = 0;
  auto consider = [&](const BoundStatement& row) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(std::int64_t rowid, loader.Load(row));
    if (!epcis::Matches(loader.event(), query)) {
      return core::Ok();
    }
    ++matched;
    if (plan.max_event_count.has_value() && matched > *plan.max_event_count) {
      return TooManyEvents(*plan.max_event_count);
    }
    Hit hit = internal::HitOf(plan.order, query, loader.event(), rowid);
    if (!plan.AfterCursor(hit)) {
      return core::Ok();
    }
    if (kept.size() < keep) {
      kept.push_back(std::move(hit));
      std::push_heap(kept.begin(), kept.end(), before);
    } else if (before(hit, kept.front())) {
      std::pop_heap(kept.begin(), kept.end(), before);
      kept.back() = std::move(hit);
      std::push_heap(kept.begin(), kept.end(), before);
    }
    return core::Ok();
  };
  if (candidates.has_value()) {
    for (const std::int64_t rowid : *candidates) {
      VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelectEvent));
      select.BindInt64(1, rowid);
      VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (row) {
        VNTRACE_RETURN_IF_ERROR(consider(select));
      }
    }
  } else {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement scan, connection.Prepare(kScanEvents));
    while (true) {
      VNTRACE_ASSIGN_OR_RETURN(bool row, scan.Step());
      if (!row) {
        break;
      }
      VNTRACE_RETURN_IF_ERROR(consider(scan));
    }
  }
  std::sort_heap(kept.begin(), kept.end(), before);
  const std::size_t count = std::min(kept.size(), plan.take);
  EventPage page;
  page.events.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelectEventJson));
    select.BindInt64(1, kept[i].rowid);
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      return core::Internal("event row " + std::to_string(kept[i].rowid) + " vanished mid-query");
    }
    page.events.push_back(
        {.event_id = std::string(select.ColumnText(0)), .json = std::string(select.ColumnText(1))});
  }
  if (count > 0) {
    page.next = plan.NextToken(kept[count - 1], count, kept.size() > count);
  }
  return page;
}

core::Result<std::string> DecodeAfter(const PageRequest& page) {
  if (page.limit == 0) {
    return core::InvalidArgument("the page limit must be at least 1");
  }
  if (page.after.empty()) {
    return std::string();
  }
  return internal::DecodeValueCursor(page.after);
}

// The smallest value of index `kind` greater than `after`, if any.
core::Result<std::optional<std::string>> NextIndexValue(Connection& connection,
                                                        epcis::IndexKind kind,
                                                        std::string_view after) {
  static constexpr std::string_view kNextValue =
      "SELECT value FROM event_index WHERE kind = ?1 AND value > ?2 ORDER BY value LIMIT 1";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement next, connection.Prepare(kNextValue));
  next.BindInt64(1, static_cast<std::int64_t>(kind));
  next.BindText(2, after);
  VNTRACE_ASSIGN_OR_RETURN(bool row, next.Step());
  if (!row) {
    return std::nullopt;
  }
  return std::string(next.ColumnText(0));
}

core::Result<bool> HasEventsOfType(Connection& connection, epcis::EventType type) {
  static constexpr std::string_view kAnyOfType =
      "SELECT 1 FROM events WHERE event_type = ?1 LIMIT 1";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement any, connection.Prepare(kAnyOfType));
  any.BindInt64(1, static_cast<std::int64_t>(type));
  return any.Step();
}

std::vector<epcis::IndexKind> KindsOf(Vocabulary vocabulary) {
  using epcis::IndexKind;
  switch (vocabulary) {
    case Vocabulary::kEpcs:
      return {IndexKind::kEpc, IndexKind::kChildEpc, IndexKind::kParentId, IndexKind::kInputEpc,
              IndexKind::kOutputEpc};
    case Vocabulary::kBizSteps:
      return {IndexKind::kBizStep};
    case Vocabulary::kBizLocations:
      return {IndexKind::kBizLocation};
    case Vocabulary::kReadPoints:
      return {IndexKind::kReadPoint};
    case Vocabulary::kDispositions:
      return {IndexKind::kDisposition};
    case Vocabulary::kEventTypes:
      break;
  }
  return {};
}

core::Timestamp TimestampFromNanos(std::int64_t nanos) {
  return core::Timestamp::FromUnixNanos(nanos);
}

// Reads a capture job from columns capture_id, created_at_ns, finished_at_ns, running, success,
// error_behaviour, errors_json starting at `first`.
CaptureJob ReadCaptureJob(const BoundStatement& row, int first) {
  CaptureJob job;
  job.capture_id = std::string(row.ColumnText(first));
  job.created_at = TimestampFromNanos(row.ColumnInt64(first + 1));
  if (!row.ColumnIsNull(first + 2)) {
    job.finished_at = TimestampFromNanos(row.ColumnInt64(first + 2));
  }
  job.running = row.ColumnInt64(first + 3) != 0;
  job.success = row.ColumnInt64(first + 4) != 0;
  job.error_behaviour = std::string(row.ColumnText(first + 5));
  job.errors_json = std::string(row.ColumnText(first + 6));
  return job;
}

// The index entries an error declaration adds to its event.
bool IsDeclarationEntry(const epcis::IndexEntry& entry) {
  return entry.kind == epcis::IndexKind::kErrorReason ||
         entry.kind == epcis::IndexKind::kCorrectiveEventId;
}

}  // namespace

// A reader connection borrowed from the pool; returned to it on destruction.
class SqliteStore::ReaderLease {
 public:
  ReaderLease(SqliteStore& store, std::unique_ptr<Connection> connection)
      : store_(&store), connection_(std::move(connection)) {}
  ~ReaderLease() {
    // A connection left inside a transaction (which RAII prevents) is dropped, not reused.
    if (connection_ != nullptr && sqlite3_get_autocommit(connection_->handle()) != 0) {
      std::lock_guard<std::mutex> lock(store_->readers_mu_);
      store_->idle_readers_.push_back(std::move(connection_));
    }
  }
  ReaderLease(ReaderLease&& other) noexcept
      : store_(other.store_), connection_(std::move(other.connection_)) {}
  ReaderLease& operator=(ReaderLease&&) = delete;
  ReaderLease(const ReaderLease&) = delete;
  ReaderLease& operator=(const ReaderLease&) = delete;

  Connection& connection() { return *connection_; }

 private:
  SqliteStore* store_;
  std::unique_ptr<Connection> connection_;
};

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const SqliteOptions& options) {
  // SQLite keeps global memory statistics behind a mutex taken on every allocation; vntrace
  // does not read them. This only takes effect before SQLite is first used in the process
  // (later it is refused, harmlessly), and costs nothing else.
  static const int kMemStatusOff = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)kMemStatusOff;
  if (options.path.empty()) {
    return core::InvalidArgument("the SQLite store path is empty");
  }
  if (options.path == ":memory:" || options.path.starts_with("file:")) {
    return core::Unsupported("the SQLite store needs a plain file path, not '" + options.path +
                             "'");
  }
  VNTRACE_ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> writer,
      Connection::Open(options.path, options.create_if_missing, options.vfs_for_test));
  VNTRACE_RETURN_IF_ERROR(ConfigureConnection(*writer, options.busy_timeout, false));
  VNTRACE_RETURN_IF_ERROR(EnableWal(*writer));
  VNTRACE_RETURN_IF_ERROR(Migrate(*writer));
  if (options.append_log) {
    VNTRACE_RETURN_IF_ERROR(BackfillLog(*writer));
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(options, std::move(writer)));
}

SqliteStore::SqliteStore(const SqliteOptions& options, std::unique_ptr<Connection> writer)
    : path_(options.path),
      busy_timeout_(options.busy_timeout),
      max_candidates_(options.max_candidates),
      vfs_(options.vfs_for_test),
      fault_injection_(options.fault_injection),
      append_log_(options.append_log),
      writer_(std::move(writer)) {}

SqliteStore::~SqliteStore() = default;

core::Result<SqliteStore::ReaderLease> SqliteStore::AcquireReader() {
  {
    std::lock_guard<std::mutex> lock(readers_mu_);
    if (!idle_readers_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return ReaderLease(*this, std::move(connection));
    }
  }
  VNTRACE_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection,
                           Connection::Open(path_, /*create=*/false, vfs_));
  VNTRACE_RETURN_IF_ERROR(ConfigureConnection(*connection, busy_timeout_, true));
  return ReaderLease(*this, std::move(connection));
}

core::Status SqliteStore::Read(const std::function<core::Status(Connection&)>& work) {
  VNTRACE_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader());
  return work(lease.connection());
}

core::Status SqliteStore::InjectFault(FaultPoint point) {
  if (fault_injection_ == nullptr) {
    return core::Ok();
  }
  return fault_injection_->Check(point);
}

// Every write runs `work` in its own BEGIN IMMEDIATE transaction on the writer connection. (A
// group commit, several callers' writes in one transaction with a savepoint each, was measured
// and did not help: docs/benchmarks.md.)
core::Status SqliteStore::Write(const std::function<core::Status(Connection&)>& work) {
  std::lock_guard<std::mutex> lock(writer_mu_);
  Connection& connection = *writer_;
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionMode::kImmediate));
  VNTRACE_RETURN_IF_ERROR(work(connection));
  return transaction.Commit();
}

core::Result<CaptureOutcome> SqliteStore::CaptureEvents(std::span<const epcis::Event> events) {
  return CaptureDocument(events, {});
}

core::Result<CaptureOutcome> SqliteStore::CaptureDocument(
    std::span<const epcis::Event> events, std::span<const epcis::VocabularyElement> master_data) {
  CaptureOutcome outcome;
  core::Status written =
      Write([this, events, master_data, &outcome](Connection& connection) -> core::Status {
        core::Status stored = StoreMasterData(connection, master_data, outcome);
        if (!stored.ok()) {
          return stored;
        }
        return CaptureInTransaction(connection, events, outcome);
      });
  if (!written.ok()) {
    return std::move(written).error();
  }
  return outcome;
}

core::Result<epcis::VocabularyElement> SqliteStore::GetVocabularyElement(std::string_view type,
                                                                         std::string_view id) {
  VNTRACE_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader());
  return MasterDataRows(lease.connection()).Element(type, id);
}

core::Status SqliteStore::CaptureInTransaction(Connection& connection,
                                               std::span<const epcis::Event> events,
                                               CaptureOutcome& outcome) {
  static constexpr std::string_view kFindEvent =
      "SELECT id, error_declaration_time_ns FROM events WHERE event_key = ?1 AND event_id = ?2";
  static constexpr std::string_view kInsertEvent =
      "INSERT INTO events (event_key, event_id, event_type, event_time_ns, event_time_offset, "
      "record_time_ns, action, biz_step, disposition, read_point, biz_location, "
      "error_declaration_time_ns, index_entries, json) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
  static constexpr std::string_view kInsertIndexEntry =
      "INSERT INTO event_index (kind, value, event_rowid, type) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT DO NOTHING";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement find_event, connection.Prepare(kFindEvent));
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert_event, connection.Prepare(kInsertEvent));
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert_entry, connection.Prepare(kInsertIndexEntry));
  LogAppender leaves(connection);
  TraceLinkWriter links(connection);
  auto insert_entries = [this, &insert_entry](std::int64_t rowid,
                                              std::span<const epcis::IndexEntry> entries,
                                              bool declaration_only) -> core::Status {
    for (const epcis::IndexEntry& entry : entries) {
      if (declaration_only && !IsDeclarationEntry(entry)) {
        continue;
      }
      VNTRACE_RETURN_IF_ERROR(InjectFault(FaultPoint::kIndexInsert));
      insert_entry.BindInt64(1, static_cast<std::int64_t>(entry.kind));
      insert_entry.BindText(2, entry.value);
      insert_entry.BindInt64(3, rowid);
      insert_entry.BindText(4, entry.type);
      VNTRACE_RETURN_IF_ERROR(insert_entry.Run());
    }
    return core::Ok();
  };
  std::string json;
  std::string index_entries;
  for (const epcis::Event& event : events) {
    VNTRACE_RETURN_IF_ERROR(InjectFault(FaultPoint::kEventInsert));
    const std::int64_t key = EventKey(event.event_id);
    find_event.BindInt64(1, key);
    find_event.BindText(2, event.event_id);
    VNTRACE_ASSIGN_OR_RETURN(bool stored, find_event.Step());
    if (stored) {
      const std::int64_t rowid = find_event.ColumnInt64(0);
      const bool declared = !find_event.ColumnIsNull(1);
      find_event.Reset();
      if (!event.error_declaration_time.has_value() || declared) {
        ++outcome.skipped;
        continue;
      }
      VNTRACE_RETURN_IF_ERROR(DeclareError(connection, rowid, event));
      VNTRACE_RETURN_IF_ERROR(links.MarkDeclared(rowid));
      if (append_log_) {
        VNTRACE_RETURN_IF_ERROR(leaves.AppendDeclaration(event, rowid));
      }
      VNTRACE_RETURN_IF_ERROR(insert_entries(rowid, event.index, true));
      ++outcome.declared;
      continue;
    }
    find_event.Reset();
    json = boost::json::serialize(event.json);
    insert_event.BindInt64(1, key);
    insert_event.BindText(2, event.event_id);
    insert_event.BindInt64(3, static_cast<std::int64_t>(event.type));
    insert_event.BindInt64(4, event.event_time.unix_nanos());
    insert_event.BindInt64(5, event.event_time.utc_offset_minutes());
    insert_event.BindInt64(6, event.record_time.unix_nanos());
    insert_event.BindTextOrNull(7, event.action);
    insert_event.BindTextOrNull(8, event.biz_step);
    insert_event.BindTextOrNull(9, event.disposition);
    insert_event.BindTextOrNull(10, event.read_point);
    insert_event.BindTextOrNull(11, event.biz_location);
    insert_event.BindInt64OrNull(12, event.error_declaration_time.has_value()
                                         ? std::optional(event.error_declaration_time->unix_nanos())
                                         : std::nullopt);
    internal::EncodeIndexEntries(event.index, index_entries);
    insert_event.BindBlob(13, index_entries);
    insert_event.BindText(14, json);
    core::Status inserted = insert_event.Run();
    if (!inserted.ok()) {
      core::Error error = std::move(inserted).error();
      error.message = "storing event '" + event.event_id + "': " + error.message;
      return error;
    }
    const std::int64_t rowid = connection.LastInsertRowid();
    VNTRACE_RETURN_IF_ERROR(insert_entries(rowid, event.index, false));
    VNTRACE_RETURN_IF_ERROR(links.AddEvent(rowid, event));
    if (append_log_) {
      VNTRACE_RETURN_IF_ERROR(leaves.AppendEvent(event, rowid));
    }
    ++outcome.stored;
  }
  return InjectFault(FaultPoint::kCommit);
}

// Records the error declaration of `declaration` on the stored event `rowid`, which has none:
// its declaration time, the errorDeclaration member of its JSON and its index entries (the
// caller inserts the index rows).
core::Status SqliteStore::DeclareError(Connection& connection, std::int64_t rowid,
                                       const epcis::Event& declaration) {
  static constexpr std::string_view kSelectStored =
      "SELECT event_id, json, index_entries FROM events WHERE id = ?1";
  static constexpr std::string_view kUpdateDeclared =
      "UPDATE events SET error_declaration_time_ns = ?2, index_entries = ?3, json = ?4 "
      "WHERE id = ?1";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelectStored));
  select.BindInt64(1, rowid);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  VNTRACE_ASSERT(row);  // the caller has just found it in this transaction
  epcis::Event stored;
  stored.event_id.assign(select.ColumnText(0));
  VNTRACE_RETURN_IF_ERROR(ParseEventJson(select.ColumnText(1), stored, stored.json));
  VNTRACE_RETURN_IF_ERROR(internal::DecodeIndexEntries(select.ColumnBlob(2), stored.index));
  select.Reset();
  if (const boost::json::value* member = declaration.json.if_contains("errorDeclaration")) {
    stored.json["errorDeclaration"] = *member;
  }
  for (const epcis::IndexEntry& entry : declaration.index) {
    if (IsDeclarationEntry(entry) &&
        std::find(stored.index.begin(), stored.index.end(), entry) == stored.index.end()) {
      stored.index.push_back(entry);
    }
  }
  const std::string json = boost::json::serialize(stored.json);
  std::string index_entries;
  internal::EncodeIndexEntries(stored.index, index_entries);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement update, connection.Prepare(kUpdateDeclared));
  update.BindInt64(1, rowid);
  update.BindInt64(2, declaration.error_declaration_time->unix_nanos());
  update.BindBlob(3, index_entries);
  update.BindText(4, json);
  return update.Run();
}

core::Result<StoredEvent> SqliteStore::GetEvent(std::string_view event_id) {
  static constexpr std::string_view kSelectEvent =
      "SELECT event_id, json FROM events WHERE event_key = ?1 AND event_id = ?2";
  VNTRACE_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader());
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, lease.connection().Prepare(kSelectEvent));
  select.BindInt64(1, EventKey(event_id));
  select.BindText(2, event_id);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return core::NotFound("no event with eventID '" + std::string(event_id) + "'");
  }
  return StoredEvent{.event_id = std::string(select.ColumnText(0)),
                     .json = std::string(select.ColumnText(1))};
}

core::Result<EventPage> SqliteStore::QueryEvents(const epcis::EventQuery& query,
                                                 const PageRequest& page) {
  if (page.limit == 0) {
    return core::InvalidArgument("the page limit must be at least 1");
  }
  PagePlan plan;
  plan.order = internal::SortOrderOf(query);
  if (!page.after.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(plan.cursor, internal::DecodeEventCursor(page.after));
    if (plan.cursor->order != plan.order) {
      return core::InvalidArgument("the page token belongs to a query with another orderBy");
    }
    plan.returned = plan.cursor->returned;
  }
  if (internal::IsExtensionOrder(plan.order)) {
    plan.field_hash = internal::OrderFieldHash(query.order_field);
    if (plan.cursor.has_value() && plan.cursor->field_hash != plan.field_hash) {
      return core::InvalidArgument(
          "the page token belongs to a query ordered by another field than " + query.order_field);
    }
  }
  const std::int64_t count_limit = query.event_count_limit.has_value()
                                       ? std::max<std::int64_t>(*query.event_count_limit, 0)
                                       : kMaxInt64;
  plan.remaining = count_limit - std::min(plan.returned, count_limit);
  plan.take = static_cast<std::size_t>(std::min<std::int64_t>(
      plan.remaining, static_cast<std::int64_t>(std::min<std::size_t>(page.limit, kMaxInt64))));
  if (query.max_event_count.has_value()) {
    plan.max_event_count = std::max<std::int64_t>(*query.max_event_count, 0);
  }

  EventPage result;
  if (plan.take == 0 && !plan.max_event_count.has_value()) {
    return result;  // eventCountLimit reached on an earlier page
  }
  VNTRACE_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader());
  Connection& connection = lease.connection();
  // One snapshot for the whole query: candidates, rows and index rows agree.
  VNTRACE_ASSIGN_OR_RETURN(Transaction snapshot,
                           Transaction::Begin(connection, TransactionMode::kDeferred));
  // Conditions on master data become sets of ids read on the same snapshot, before matching.
  std::optional<epcis::EventQuery> resolved;
  if (epcis::NeedsMasterData(query) && !query.master_data.resolved) {
    resolved.emplace(query);
    MasterDataRows rows(connection);
    VNTRACE_RETURN_IF_ERROR(epcis::ResolveMasterData(*resolved, rows));
  }
  const epcis::EventQuery& effective = resolved.has_value() ? *resolved : query;
  VNTRACE_ASSIGN_OR_RETURN(std::optional<std::vector<std::int64_t>> candidates,
                           FindCandidates(connection, effective, max_candidates_));
  if (internal::IsExtensionOrder(plan.order)) {
    VNTRACE_ASSIGN_OR_RETURN(result, PageByExtensionField(connection, effective, candidates, plan));
  } else if (candidates.has_value()) {
    VNTRACE_ASSIGN_OR_RETURN(result, PageFromCandidates(connection, effective, *candidates, plan));
  } else {
    VNTRACE_ASSIGN_OR_RETURN(result, PageFromScan(connection, effective, plan));
  }
  VNTRACE_RETURN_IF_ERROR(snapshot.Commit());
  return result;
}

core::Result<ValuePage> SqliteStore::ListVocabulary(Vocabulary vocabulary,
                                                    const PageRequest& page) {
  VNTRACE_ASSIGN_OR_RETURN(std::string after, DecodeAfter(page));
  VNTRACE_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader());
  Connection& connection = lease.connection();
  VNTRACE_ASSIGN_OR_RETURN(Transaction snapshot,
                           Transaction::Begin(connection, TransactionMode::kDeferred));
  ValuePage result;
  if (vocabulary == Vocabulary::kEventTypes) {
    static constexpr std::array kTypes = {
        epcis::EventType::kObjectEvent, epcis::EventType::kAggregationEvent,
        epcis::EventType::kTransactionEvent, epcis::EventType::kTransformationEvent,
        epcis::EventType::kAssociationEvent};
    for (const epcis::EventType type : kTypes) {
      const std::string_view name = epcis::EventTypeName(type);
      if (name <= after) {
        continue;
      }
      VNTRACE_ASSIGN_OR_RETURN(bool present, HasEventsOfType(connection, type));
      if (present) {
        result.values.emplace_back(name);
      }
    }
    std::sort(result.values.begin(), result.values.end());
  } else {
    // A merge of the per-kind value lists, each read one value at a time from the index, so that
    // a page costs (page size x kinds) index seeks however many events name each value.
    const std::vector<epcis::IndexKind> kinds = KindsOf(vocabulary);
    std::vector<std::optional<std::string>> heads;
    for (const epcis::IndexKind kind : kinds) {
      VNTRACE_ASSIGN_OR_RETURN(std::optional<std::string> head,
                               NextIndexValue(connection, kind, after));
      heads.push_back(std::move(head));
    }
    while (result.values.size() <= page.limit) {
      const std::optional<std::string>* smallest = nullptr;
      for (const std::optional<std::string>& head : heads) {
        if (head.has_value() && (smallest == nullptr || *head < **smallest)) {
          smallest = &head;
        }
      }
      if (smallest == nullptr) {
        break;
      }
      std::string value = **smallest;
      for (std::size_t i = 0; i < kinds.size(); ++i) {
        if (heads[i].has_value() && *heads[i] == value) {
          VNTRACE_ASSIGN_OR_RETURN(heads[i], NextIndexValue(connection, kinds[i], value));
        }
      }
      result.values.push_back(std::move(value));
    }
  }
  if (result.values.size() > page.limit) {
    result.values.resize(page.limit);
    result.next = internal::EncodeValueCursor(result.values.back());
  }
  VNTRACE_RETURN_IF_ERROR(snapshot.Commit());
  return result;
}

core::Status SqliteStore::SaveCaptureJob(const CaptureJob& job) {
  static constexpr std::string_view kUpsertCaptureJob =
      "INSERT INTO capture_jobs (capture_id, created_at_ns, finished_at_ns, running, success, "
      "error_behaviour, errors_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
      "ON CONFLICT (capture_id) DO UPDATE SET created_at_ns = excluded.created_at_ns, "
      "finished_at_ns = excluded.finished_at_ns, running = excluded.running, "
      "success = excluded.success, error_behaviour = excluded.error_behaviour, "
      "errors_json = excluded.errors_json";
  return Write([&job](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement upsert, connection.Prepare(kUpsertCaptureJob));
    upsert.BindText(1, job.capture_id);
    upsert.BindInt64(2, job.created_at.unix_nanos());
    upsert.BindInt64OrNull(3, job.finished_at.has_value()
                                  ? std::optional(job.finished_at->unix_nanos())
                                  : std::nullopt);
    upsert.BindInt64(4, job.running ? 1 : 0);
    upsert.BindInt64(5, job.success ? 1 : 0);
    upsert.BindText(6, job.error_behaviour);
    upsert.BindText(7, job.errors_json);
    return upsert.Run();
  });
}

core::Result<CaptureJob> SqliteStore::GetCaptureJob(std::string_view capture_id) {
  static constexpr std::string_view kSelectCaptureJob =
      "SELECT capture_id, created_at_ns, finished_at_ns, running, success, error_behaviour, "
      "errors_json FROM capture_jobs WHERE capture_id = ?1";
  VNTRACE_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader());
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, lease.connection().Prepare(kSelectCaptureJob));
  select.BindText(1, capture_id);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return core::NotFound("no capture job '" + std::string(capture_id) + "'");
  }
  return ReadCaptureJob(select, 0);
}

core::Result<CaptureJobPage> SqliteStore::ListCaptureJobs(const PageRequest& page) {
  static constexpr std::string_view kListCaptureJobs =
      "SELECT id, capture_id, created_at_ns, finished_at_ns, running, success, error_behaviour, "
      "errors_json FROM capture_jobs WHERE id < ?1 ORDER BY id DESC LIMIT ?2";
  if (page.limit == 0) {
    return core::InvalidArgument("the page limit must be at least 1");
  }
  std::int64_t before = kMaxInt64;
  if (!page.after.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(before, internal::DecodeRowidCursor(page.after));
  }
  VNTRACE_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader());
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement list, lease.connection().Prepare(kListCaptureJobs));
  list.BindInt64(1, before);
  // One more than the page, to know whether another page follows.
  list.BindInt64(2,
                 static_cast<std::int64_t>(std::min<std::size_t>(page.limit, kMaxInt64 - 1)) + 1);
  CaptureJobPage result;
  std::int64_t last_rowid = 0;
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, list.Step());
    if (!row) {
      break;
    }
    if (result.jobs.size() == page.limit) {
      result.next = internal::EncodeRowidCursor(last_rowid);
      break;
    }
    last_rowid = list.ColumnInt64(0);
    result.jobs.push_back(ReadCaptureJob(list, 1));
  }
  return result;
}

core::Status SqliteStore::CreateNamedQuery(const NamedQuery& query) {
  static constexpr std::string_view kInsertNamedQuery =
      "INSERT INTO named_queries (name, definition_json, created_at_ns) VALUES (?1, ?2, ?3)";
  return Write([&query](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsertNamedQuery));
    insert.BindText(1, query.name);
    insert.BindText(2, query.definition_json);
    insert.BindInt64(3, query.created_at.unix_nanos());
    core::Status inserted = insert.Run();
    if (!inserted.ok() && IsUniqueConflict(inserted.error())) {
      return core::AlreadyExists("a named query '" + query.name + "' already exists");
    }
    return inserted;
  });
}

core::Result<NamedQuery> SqliteStore::GetNamedQuery(std::string_view name) {
  static constexpr std::string_view kSelectNamedQuery =
      "SELECT name, definition_json, created_at_ns FROM named_queries WHERE name = ?1";
  VNTRACE_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader());
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, lease.connection().Prepare(kSelectNamedQuery));
  select.BindText(1, name);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return core::NotFound("no named query '" + std::string(name) + "'");
  }
  return NamedQuery{.name = std::string(select.ColumnText(0)),
                    .definition_json = std::string(select.ColumnText(1)),
                    .created_at = TimestampFromNanos(select.ColumnInt64(2))};
}

core::Result<std::vector<NamedQuery>> SqliteStore::ListNamedQueries() {
  static constexpr std::string_view kListNamedQueries =
      "SELECT name, definition_json, created_at_ns FROM named_queries ORDER BY name";
  VNTRACE_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader());
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement list, lease.connection().Prepare(kListNamedQueries));
  std::vector<NamedQuery> queries;
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, list.Step());
    if (!row) {
      break;
    }
    queries.push_back({.name = std::string(list.ColumnText(0)),
                       .definition_json = std::string(list.ColumnText(1)),
                       .created_at = TimestampFromNanos(list.ColumnInt64(2))});
  }
  return queries;
}

core::Status SqliteStore::DeleteNamedQuery(std::string_view name) {
  static constexpr std::string_view kDeleteNamedQuery = "DELETE FROM named_queries WHERE name = ?1";
  return Write([name](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement remove, connection.Prepare(kDeleteNamedQuery));
    remove.BindText(1, name);
    VNTRACE_RETURN_IF_ERROR(remove.Run());
    if (connection.Changes() == 0) {
      return core::NotFound("no named query '" + std::string(name) + "'");
    }
    return core::Ok();
  });
}

core::Status SqliteStore::CreateApiKey(const ApiKey& key) {
  static constexpr std::string_view kInsertApiKey =
      "INSERT INTO api_keys (key_id, secret_hash, label, created_at_ns, org_id) "
      "VALUES (?1, ?2, ?3, ?4, ?5)";
  return Write([&key](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsertApiKey));
    insert.BindText(1, key.key_id);
    insert.BindText(2, key.secret_hash);
    insert.BindText(3, key.label);
    insert.BindInt64(4, key.created_at.unix_nanos());
    insert.BindTextOrNull(5, key.org_id);
    core::Status inserted = insert.Run();
    if (!inserted.ok() && IsUniqueConflict(inserted.error())) {
      return core::AlreadyExists("an API key '" + key.key_id + "' already exists");
    }
    return inserted;
  });
}

core::Result<ApiKey> SqliteStore::FindApiKey(std::string_view key_id) {
  static constexpr std::string_view kSelectApiKey =
      "SELECT key_id, secret_hash, label, created_at_ns, org_id FROM api_keys WHERE key_id = ?1";
  VNTRACE_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader());
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, lease.connection().Prepare(kSelectApiKey));
  select.BindText(1, key_id);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return core::NotFound("no API key '" + std::string(key_id) + "'");
  }
  return ApiKey{.key_id = std::string(select.ColumnText(0)),
                .secret_hash = std::string(select.ColumnText(1)),
                .label = std::string(select.ColumnText(2)),
                .created_at = TimestampFromNanos(select.ColumnInt64(3)),
                .org_id = std::string(select.ColumnText(4))};
}

// Graph-walk lookups on one reader connection inside one read transaction (one snapshot). The
// statements are the connection's cached ones, so a walk of thousands of lookups prepares each
// once.
class SqliteStore::SqliteLinkReader final : public EventLinkReader {
 public:
  SqliteLinkReader(ReaderLease lease, Transaction transaction)
      : lease_(std::move(lease)), transaction_(std::move(transaction)) {}

  core::Status FindRecords(std::span<const epcis::IndexKind> kinds, std::string_view value,
                           std::vector<std::int64_t>& records) override {
    if (kinds.empty()) return core::Ok();
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement find, lease_.connection().Prepare(FindSql(kinds)));
    find.BindText(1, value);
    while (true) {
      VNTRACE_ASSIGN_OR_RETURN(bool row, find.Step());
      if (!row) break;
      records.push_back(find.ColumnInt64(0));
    }
    return core::Ok();
  }

  // The statement finding the events that name a value under `kinds`. The kinds are the enum's
  // own numbers, written into the SQL so that one prepared statement per set of kinds does every
  // seek; the text lives as long as the process (Connection::Prepare keys its cache by address).
  static std::string_view FindSql(std::span<const epcis::IndexKind> kinds) {
    static std::mutex mu;
    static std::map<std::vector<epcis::IndexKind>, std::string> texts;
    std::vector<epcis::IndexKind> key(kinds.begin(), kinds.end());
    std::lock_guard<std::mutex> lock(mu);
    auto [it, inserted] = texts.try_emplace(std::move(key));
    if (inserted) {
      std::string sql = "SELECT event_rowid FROM event_index WHERE kind IN (";
      for (std::size_t i = 0; i < kinds.size(); ++i) {
        if (i > 0) sql += ',';
        sql += std::to_string(static_cast<int>(kinds[i]));
      }
      it->second = sql + ") AND value = ?1";
    }
    return it->second;
  }

  core::Result<epcis::Event> ReadLinks(std::int64_t record) override {
    static constexpr std::string_view kReadLinks =
        "SELECT event_id, event_type, event_time_ns, event_time_offset, record_time_ns, action, "
        "biz_step, disposition, read_point, biz_location, error_declaration_time_ns, "
        "index_entries FROM events WHERE id = ?1";
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, lease_.connection().Prepare(kReadLinks));
    select.BindInt64(1, record);
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return core::NotFound("no event record " + std::to_string(record));
    const std::int64_t type = select.ColumnInt64(1);
    const std::int64_t offset = select.ColumnInt64(3);
    if (type < static_cast<int>(epcis::EventType::kObjectEvent) ||
        type > static_cast<int>(epcis::EventType::kAssociationEvent) ||
        offset < -core::kMaxUtcOffsetMinutes || offset > core::kMaxUtcOffsetMinutes) {
      return core::Internal("event row " + std::to_string(record) + " holds invalid values");
    }
    epcis::Event event;
    event.event_id.assign(select.ColumnText(0));
    event.type = static_cast<epcis::EventType>(type);
    event.event_time =
        core::Timestamp::FromUnixNanos(select.ColumnInt64(2), static_cast<int>(offset));
    event.record_time = core::Timestamp::FromUnixNanos(select.ColumnInt64(4));
    event.action.assign(select.ColumnText(5));
    event.biz_step.assign(select.ColumnText(6));
    event.disposition.assign(select.ColumnText(7));
    event.read_point.assign(select.ColumnText(8));
    event.biz_location.assign(select.ColumnText(9));
    if (!select.ColumnIsNull(10)) {
      event.error_declaration_time = core::Timestamp::FromUnixNanos(select.ColumnInt64(10));
    }
    VNTRACE_RETURN_IF_ERROR(internal::DecodeIndexEntries(select.ColumnBlob(11), event.index));
    return event;
  }

  core::Result<std::string> ReadJson(std::int64_t record) override {
    static constexpr std::string_view kReadJson = "SELECT json FROM events WHERE id = ?1";
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, lease_.connection().Prepare(kReadJson));
    select.BindInt64(1, record);
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return core::NotFound("no event record " + std::to_string(record));
    return std::string(select.ColumnText(0));
  }

  core::Result<std::int64_t> FindNode(std::string_view name) override {
    return FindTraceNode(lease_.connection(), name);
  }
  core::Result<std::string> NodeName(std::int64_t node) override {
    return TraceNodeName(lease_.connection(), node);
  }
  core::Status FindNodeLinks(std::int64_t node, std::vector<NodeLink>& links) override {
    return FindTraceNodeLinks(lease_.connection(), node, links);
  }
  core::Status ReadEventLinks(std::int64_t record, EventLinks& event) override {
    return ReadTraceEvent(lease_.connection(), record, event);
  }

 private:
  // Declared first, destroyed last: the transaction ends before the connection goes back to
  // the pool.
  ReaderLease lease_;
  Transaction transaction_;
};

core::Result<std::unique_ptr<EventLinkReader>> SqliteStore::OpenLinkReader() {
  VNTRACE_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader());
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(lease.connection(), TransactionMode::kDeferred));
  return std::unique_ptr<EventLinkReader>(
      std::make_unique<SqliteLinkReader>(std::move(lease), std::move(transaction)));
}

core::Result<int> SqliteStore::SchemaVersionForTest() {
  VNTRACE_ASSIGN_OR_RETURN(ReaderLease lease, AcquireReader());
  return CurrentSchemaVersion(lease.connection());
}

}  // namespace vntrace::store::sqlite
