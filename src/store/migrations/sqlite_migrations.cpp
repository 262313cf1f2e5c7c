#include "store/migrations/sqlite_migrations.hpp"

#include <array>

namespace vntrace::store::migrations {
namespace {

// Version 1: events with their index, capture jobs, named queries and API keys.
//
// events.id is the rowid: it grows with every stored event and is the "record order" used when a
// query has no orderBy and as the tie-breaker of every ordering. Empty optional values (action,
// bizStep, ...) are NULL. events.index_entries holds the event's index entries (see
// store/internal/index_codec.hpp) so that rebuilding an event needs no index walk.
// event_index is clustered by (kind, value, event_rowid): finding the events that name a value
// is one range read, and each index row costs one B-tree insert at capture. It declares no
// foreign key to events: both are written in one transaction by CaptureEvents only, and the
// check would cost a lookup per index row.
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE CHECK (event_id <> ''),
  event_type INTEGER NOT NULL CHECK (event_type BETWEEN 1 AND 5),
  event_time_ns INTEGER NOT NULL,
  event_time_offset INTEGER NOT NULL CHECK (event_time_offset BETWEEN -1439 AND 1439),
  record_time_ns INTEGER NOT NULL,
  action TEXT CHECK (action IN ('ADD', 'OBSERVE', 'DELETE')),
  biz_step TEXT,
  disposition TEXT,
  read_point TEXT,
  biz_location TEXT,
  error_declaration_time_ns INTEGER,
  index_entries BLOB NOT NULL,
  json TEXT NOT NULL
);
CREATE INDEX events_by_event_time ON events (event_time_ns);
CREATE INDEX events_by_record_time ON events (record_time_ns);
CREATE INDEX events_by_type ON events (event_type);

CREATE TABLE event_index (
  kind INTEGER NOT NULL CHECK (kind > 0),
  value TEXT NOT NULL,
  event_rowid INTEGER NOT NULL,
  type TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (kind, value, event_rowid, type)
) WITHOUT ROWID;

CREATE TABLE capture_jobs (
  id INTEGER PRIMARY KEY,
  capture_id TEXT NOT NULL UNIQUE CHECK (capture_id <> ''),
  created_at_ns INTEGER NOT NULL,
  finished_at_ns INTEGER,
  running INTEGER NOT NULL CHECK (running IN (0, 1)),
  success INTEGER NOT NULL CHECK (success IN (0, 1)),
  error_behaviour TEXT NOT NULL,
  errors_json TEXT NOT NULL
);

CREATE TABLE named_queries (
  name TEXT PRIMARY KEY CHECK (name <> ''),
  definition_json TEXT NOT NULL,
  created_at_ns INTEGER NOT NULL
);

CREATE TABLE api_keys (
  key_id TEXT PRIMARY KEY CHECK (key_id <> ''),
  secret_hash TEXT NOT NULL,
  label TEXT NOT NULL,
  created_at_ns INTEGER NOT NULL
);
)sql";

constexpr std::array kMigrations = {
    Migration{.version = 1, .name = "initial schema", .sql = kInitialSchema},
};

}  // namespace

std::span<const Migration> SqliteMigrations() { return kMigrations; }

}  // namespace vntrace::store::migrations
