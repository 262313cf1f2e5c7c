// SQLite-specific tests: the connection wrapper, migrations, OpenStore's location handling, the
// scan path of queries, and I/O errors injected below SQLite through a faulty VFS.
#include "store/sqlite/sqlite_store.hpp"
#include "store/migrations/sqlite_migrations.hpp"

#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/contract/event_builder.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/fault_vfs.hpp"

namespace vntrace::store::sqlite {
namespace {

using testing::EventBuilder;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::path(::testing::TempDir()) / "sqlite-XXXXXX").string();
    VNTRACE_ASSERT(mkdtemp(pattern.data()) != nullptr);  // the temp dir must be writable
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Test-only statements on a scratch table.
constexpr std::string_view kCreateScratch = "CREATE TABLE scratch (n INTEGER NOT NULL)";
constexpr std::string_view kInsertScratch = "INSERT INTO scratch (n) VALUES (?1)";
constexpr std::string_view kCountScratch = "SELECT count(*) FROM scratch";
constexpr std::string_view kSelectScratch = "SELECT n FROM scratch ORDER BY n";

std::int64_t CountScratch(Connection& connection) {
  core::Result<BoundStatement> count = connection.Prepare(kCountScratch);
  VNTRACE_ASSERT(count.ok());  // test SQL
  core::Result<bool> row = count->Step();
  VNTRACE_ASSERT(row.ok() && *row);  // an aggregate has one row
  return count->ColumnInt64(0);
}

TEST(Transaction, RollsBackUnlessCommitted) {
  TempDir dir;
  core::Result<std::unique_ptr<Connection>> connection = Connection::Open(dir.File("t.db"), true);
  ASSERT_TRUE(connection.ok()) << connection.error().ToString();
  Connection& c = **connection;
  ASSERT_TRUE(c.Execute(kCreateScratch).ok());
  {
    core::Result<Transaction> tx = Transaction::Begin(c, TransactionMode::kImmediate);
    ASSERT_TRUE(tx.ok()) << tx.error().ToString();
    core::Result<BoundStatement> insert = c.Prepare(kInsertScratch);
    ASSERT_TRUE(insert.ok());
    insert->BindInt64(1, 1);
    ASSERT_TRUE(insert->Run().ok());
    EXPECT_EQ(CountScratch(c), 1);
  }  // no Commit()
  EXPECT_EQ(CountScratch(c), 0);
  {
    core::Result<Transaction> tx = Transaction::Begin(c, TransactionMode::kImmediate);
    ASSERT_TRUE(tx.ok()) << tx.error().ToString();
    core::Result<BoundStatement> insert = c.Prepare(kInsertScratch);
    ASSERT_TRUE(insert.ok());
    insert->BindInt64(1, 2);
    ASSERT_TRUE(insert->Run().ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(CountScratch(c), 1);
  // A moved-from transaction does nothing; the moved-to one still rolls back.
  {
    core::Result<Transaction> tx = Transaction::Begin(c, TransactionMode::kDeferred);
    ASSERT_TRUE(tx.ok());
    Transaction moved = std::move(tx).value();
    core::Result<BoundStatement> insert = c.Prepare(kInsertScratch);
    ASSERT_TRUE(insert.ok());
    insert->BindInt64(1, 3);
    ASSERT_TRUE(insert->Run().ok());
  }
  EXPECT_EQ(CountScratch(c), 1);
}

TEST(BoundStatement, IsResetWhenReturnedToTheCache) {
  TempDir dir;
  core::Result<std::unique_ptr<Connection>> connection = Connection::Open(dir.File("t.db"), true);
  ASSERT_TRUE(connection.ok());
  Connection& c = **connection;
  ASSERT_TRUE(c.Execute(kCreateScratch).ok());
  for (int n : {3, 1, 2}) {
    core::Result<BoundStatement> insert = c.Prepare(kInsertScratch);
    ASSERT_TRUE(insert.ok());
    insert->BindInt64(1, n);
    ASSERT_TRUE(insert->Run().ok());
  }
  sqlite3_stmt* raw = nullptr;
  {
    core::Result<BoundStatement> select = c.Prepare(kSelectScratch);
    ASSERT_TRUE(select.ok());
    core::Result<bool> row = select->Step();
    ASSERT_TRUE(row.ok() && *row);
    EXPECT_EQ(select->ColumnInt64(0), 1);
    raw = sqlite3_next_stmt(c.handle(), nullptr);
    bool busy = false;
    for (sqlite3_stmt* s = raw; s != nullptr; s = sqlite3_next_stmt(c.handle(), s)) {
      busy = busy || sqlite3_stmt_busy(s) != 0;
    }
    EXPECT_TRUE(busy);
  }  // dropped mid-result
  for (sqlite3_stmt* s = sqlite3_next_stmt(c.handle(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(c.handle(), s)) {
    EXPECT_EQ(sqlite3_stmt_busy(s), 0) << sqlite3_sql(s);
  }
  // The same cached statement starts from the first row again.
  core::Result<BoundStatement> again = c.Prepare(kSelectScratch);
  ASSERT_TRUE(again.ok());
  core::Result<bool> row = again->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(again->ColumnInt64(0), 1);
}

TEST(Connection, ReportsErrorsAsValues) {
  TempDir dir;
  core::Result<std::unique_ptr<Connection>> missing = Connection::Open(dir.File("no.db"), false);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);

  core::Result<std::unique_ptr<Connection>> connection = Connection::Open(dir.File("t.db"), true);
  ASSERT_TRUE(connection.ok());
  static constexpr std::string_view kBroken = "SELEKT 1";
  core::Result<BoundStatement> broken = (*connection)->Prepare(kBroken);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, core::ErrorCode::kInternal);

  ASSERT_TRUE((*connection)->Execute(kCreateScratch).ok());
  static constexpr std::string_view kInsertNull = "INSERT INTO scratch (n) VALUES (NULL)";
  core::Status violated = (*connection)->Execute(kInsertNull);
  ASSERT_FALSE(violated.ok());
  EXPECT_EQ(violated.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(violated.error().message.find("NOT NULL"), std::string::npos)
      << violated.error().message;
}

// --- opening -----------------------------------------------------------------------------------

TEST(OpenStore, ChoosesTheBackendFromTheLocation) {
  TempDir dir;
  struct Case {
    std::string location;
    core::ErrorCode code;
  };
  const Case refused[] = {
      {"postgresql://vntrace@localhost/vntrace", core::ErrorCode::kUnsupported},
      {"postgres://localhost", core::ErrorCode::kUnsupported},
      {"mysql://localhost/db", core::ErrorCode::kUnsupported},
      {"sqlite:", core::ErrorCode::kInvalidArgument},
      {"", core::ErrorCode::kInvalidArgument},
      {"sqlite::memory:", core::ErrorCode::kUnsupported},
  };
  for (const Case& c : refused) {
    core::Result<std::unique_ptr<Store>> store = OpenStore({.location = c.location});
    ASSERT_FALSE(store.ok()) << c.location;
    EXPECT_EQ(store.error().code, c.code) << c.location << ": " << store.error().ToString();
  }
  core::Result<std::unique_ptr<Store>> pg = OpenStore({.location = "postgresql://h/db"});
  ASSERT_FALSE(pg.ok());
  EXPECT_NE(pg.error().message.find("PostgreSQL"), std::string::npos);

  for (const std::string& location : {dir.File("plain.db"), "sqlite:" + dir.File("prefixed.db")}) {
    core::Result<std::unique_ptr<Store>> store = OpenStore({.location = location});
    ASSERT_TRUE(store.ok()) << location << ": " << store.error().ToString();
  }
  EXPECT_TRUE(std::filesystem::exists(dir.File("plain.db")));
  EXPECT_TRUE(std::filesystem::exists(dir.File("prefixed.db")));

  core::Result<std::unique_ptr<Store>> absent =
      OpenStore({.location = dir.File("absent.db"), .create_if_missing = false});
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ(absent.error().code, core::ErrorCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir.File("absent.db")));
}

TEST(SqliteStore, UsesWalAndRecordsTheSchemaVersion) {
  const int kLatest = migrations::SqliteMigrations().back().version;
  TempDir dir;
  const std::string path = dir.File("v.db");
  {
    core::Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open({.path = path});
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    core::Result<int> version = (*store)->SchemaVersionForTest();
    ASSERT_TRUE(version.ok()) << version.error().ToString();
    EXPECT_EQ(*version, kLatest);
  }
  // Reopening applies nothing twice.
  {
    core::Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open({.path = path});
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    EXPECT_EQ(*(*store)->SchemaVersionForTest(), kLatest);
  }
  core::Result<std::unique_ptr<Connection>> raw = Connection::Open(path, false);
  ASSERT_TRUE(raw.ok());
  static constexpr std::string_view kJournalMode = "PRAGMA journal_mode";
  static constexpr std::string_view kVersions = "SELECT count(*), max(version) FROM schema_version";
  {
    core::Result<BoundStatement> mode = (*raw)->Prepare(kJournalMode);
    ASSERT_TRUE(mode.ok());
    ASSERT_TRUE(*mode->Step());
    EXPECT_EQ(mode->ColumnText(0), "wal");
    core::Result<BoundStatement> versions = (*raw)->Prepare(kVersions);
    ASSERT_TRUE(versions.ok());
    ASSERT_TRUE(*versions->Step());
    EXPECT_EQ(versions->ColumnInt64(0), kLatest);
    EXPECT_EQ(versions->ColumnInt64(1), kLatest);
  }
  // A database from a newer vntrace is refused rather than misread.
  static constexpr std::string_view kFutureVersion =
      "INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', 'now')";
  ASSERT_TRUE((*raw)->Execute(kFutureVersion).ok());
  raw->reset();
  core::Result<std::unique_ptr<SqliteStore>> newer = SqliteStore::Open({.path = path});
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.error().code, core::ErrorCode::kFailedPrecondition);
}

// --- the scan path -----------------------------------------------------------------------------

std::vector<std::string> AllPages(Store& store, const epcis::EventQuery& query, std::size_t limit) {
  std::vector<std::string> ids;
  PageRequest request{.limit = limit, .after = ""};
  for (int guard = 0; guard < 1000; ++guard) {
    core::Result<EventPage> page = store.QueryEvents(query, request);
    EXPECT_TRUE(page.ok()) << page.error().ToString();
    if (!page.ok()) {
      break;
    }
    for (const StoredEvent& e : page->events) {
      ids.push_back(e.event_id);
    }
    if (page->next.empty()) {
      break;
    }
    request.after = page->next;
  }
  return ids;
}

// With a candidate limit below the probe's size, the query scans in result order and still
// returns what the probed query returns, page after page.
TEST(SqliteStore, ScanAndProbeAgreeWhenAProbeIsTooLarge) {
  TempDir dir;
  core::Result<std::unique_ptr<SqliteStore>> probing =
      SqliteStore::Open({.path = dir.File("s.db")});
  ASSERT_TRUE(probing.ok()) << probing.error().ToString();
  std::vector<epcis::Event> events;
  for (int i = 0; i < 40; ++i) {
    EventBuilder b("urn:uuid:s" + std::to_string(i));
    b.EventTimeSeconds(1'700'000'000 + (i * 13) % 40).RecordTimeSeconds(1'700'000'000 - i);
    b.BizStep(i % 2 == 0 ? "shipping" : "receiving");
    b.Epc("https://id.gs1.org/01/08935001200017/21/" + std::to_string(i % 5));
    events.push_back(b.Build());
  }
  ASSERT_TRUE((*probing)->CaptureEvents(events).ok());
  core::Result<std::unique_ptr<SqliteStore>> scanning =
      SqliteStore::Open({.path = dir.File("s.db"), .max_candidates = 2});
  ASSERT_TRUE(scanning.ok()) << scanning.error().ToString();

  for (const epcis::OrderBy order_by :
       {epcis::OrderBy::kNone, epcis::OrderBy::kEventTime, epcis::OrderBy::kRecordTime}) {
    for (const bool descending : {false, true}) {
      SCOPED_TRACE(::testing::Message() << static_cast<int>(order_by) << " " << descending);
      epcis::EventQuery q;
      q.order_by = order_by;
      q.descending = descending;
      q.eq_biz_step = {"shipping"};
      q.match_epc = {{.value = "https://id.gs1.org/01/08935001200017/21/", .prefix = true}};
      const std::vector<std::string> probed = AllPages(**probing, q, 3);
      EXPECT_EQ(probed.size(), 20u);
      EXPECT_EQ(AllPages(**scanning, q, 3), probed);
      EXPECT_EQ(AllPages(**scanning, q, 100), probed);
      q.ge_event_time = core::Timestamp::FromUnixSeconds(1'700'000'010);
      q.lt_event_time = core::Timestamp::FromUnixSeconds(1'700'000'030);
      const std::vector<std::string> ranged = AllPages(**probing, q, 4);
      EXPECT_EQ(ranged.size(), 10u);
      EXPECT_EQ(AllPages(**scanning, q, 4), ranged);
      q.max_event_count = 9;
      core::Result<EventPage> too_many = (*scanning)->QueryEvents(q, {.limit = 2});
      ASSERT_FALSE(too_many.ok());
      EXPECT_EQ(too_many.error().code, core::ErrorCode::kResourceExhausted);
    }
  }
}

// --- I/O errors under SQLite -------------------------------------------------------------------

std::vector<epcis::Event> Batch(const std::string& prefix, int count) {
  std::vector<epcis::Event> events;
  for (int i = 0; i < count; ++i) {
    events.push_back(
        EventBuilder("urn:uuid:" + prefix + std::to_string(i))
            .EventTimeSeconds(1'700'000'000 + i)
            .Epc("https://id.gs1.org/01/08935001200017/21/" + prefix + std::to_string(i))
            .BizStep("shipping")
            .Build());
  }
  return events;
}

void ExpectAbsent(Store& store, const std::vector<epcis::Event>& events) {
  for (const epcis::Event& e : events) {
    core::Result<StoredEvent> got = store.GetEvent(e.event_id);
    ASSERT_FALSE(got.ok()) << e.event_id << " stored by a failed capture";
    EXPECT_EQ(got.error().code, core::ErrorCode::kNotFound);
  }
}

// A write that fails anywhere in a capture (the first WAL frame, or one in the middle) fails the
// capture with kInternal and leaves nothing of it, before and after reopening; the store works
// again once the disk does.
TEST(SqliteStore, FailedWritesLeaveNothingOfTheCapture) {
  TempDir dir;
  const std::string path = dir.File("io.db");
  FaultVfs vfs("vntrace-fault-writes");
  const std::vector<epcis::Event> kept = Batch("kept-", 50);
  {
    core::Result<std::unique_ptr<SqliteStore>> store =
        SqliteStore::Open({.path = path, .vfs_for_test = vfs.name()});
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    ASSERT_TRUE((*store)->CaptureEvents(kept).ok());
    for (const int after : {0, 3, 20}) {
      SCOPED_TRACE(after);
      const std::vector<epcis::Event> lost = Batch("lost-" + std::to_string(after) + "-", 300);
      vfs.FailWritesAfter(after);
      core::Result<CaptureOutcome> outcome = (*store)->CaptureEvents(lost);
      vfs.Heal();
      ASSERT_FALSE(outcome.ok());
      EXPECT_EQ(outcome.error().code, core::ErrorCode::kInternal) << outcome.error().ToString();
      ExpectAbsent(**store, lost);
    }
    const std::vector<epcis::Event> later = Batch("later-", 10);
    core::Result<CaptureOutcome> outcome = (*store)->CaptureEvents(later);
    ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
    EXPECT_EQ(outcome->stored, 10u);
  }
  core::Result<std::unique_ptr<SqliteStore>> reopened = SqliteStore::Open({.path = path});
  ASSERT_TRUE(reopened.ok()) << reopened.error().ToString();
  for (const int after : {0, 3, 20}) {
    ExpectAbsent(**reopened, Batch("lost-" + std::to_string(after) + "-", 300));
  }
  EXPECT_EQ(AllPages(**reopened, {}, 1000).size(), 60u);
}

// A failed fsync fails the capture (it was not acknowledged) and the store carries on. Whether
// its frames, written but not known to be on disk, come back after a reopen is up to the disk,
// so that is not asserted.
TEST(SqliteStore, FailedSyncFailsTheCapture) {
  TempDir dir;
  FaultVfs vfs("vntrace-fault-syncs");
  core::Result<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open({.path = dir.File("sync.db"), .vfs_for_test = vfs.name()});
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  vfs.FailSyncs(true);
  core::Result<CaptureOutcome> failed = (*store)->CaptureEvents(Batch("unsynced-", 5));
  vfs.Heal();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, core::ErrorCode::kInternal) << failed.error().ToString();
  const std::vector<epcis::Event> next = Batch("next-", 5);
  core::Result<CaptureOutcome> outcome = (*store)->CaptureEvents(next);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_TRUE((*store)->GetEvent("urn:uuid:next-4").ok());
}

}  // namespace
}  // namespace vntrace::store::sqlite
