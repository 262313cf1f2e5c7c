// store::migrations: the SQLite schema as an ordered list of versioned migrations.
//
// Migration N turns a database at schema version N-1 into version N. The SQLite backend applies,
// at open and in one transaction each, every migration newer than the highest version recorded
// in the schema_version table, and records it there. Migrations are never edited once released:
// a schema change is a new migration appended to the list. The schema is specified in
// docs/store-schema.md.
//
// The SQL is compiled in (no file is read at run time) and is for the SQLite backend only;
// PostgreSQL will have its own list.
//
// Thread-safety: constant data.
//
// Example:
//   for (const migrations::Migration& m : migrations::SqliteMigrations()) { ... m.sql ... }
#pragma once

#include <span>
#include <string_view>

namespace vntrace::store::migrations {

struct Migration {
  int version = 0;        // 1, 2, 3, ... without gaps
  std::string_view name;  // what it does, recorded in schema_version
  std::string_view sql;   // one or more statements separated by ';', no parameters
};

// Every SQLite migration, in ascending version order.
std::span<const Migration> SqliteMigrations();

}  // namespace vntrace::store::migrations
