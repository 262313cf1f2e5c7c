// store::sqlite connection wrapper: RAII ownership of sqlite3* and sqlite3_stmt*, a per-connection
// cache of prepared statements, and Transaction, which rolls back unless committed.
//
// Private to the store module: only the SQLite backend and its tests include it.
//
// Statements are prepared once per connection, keyed by the address of their constexpr SQL text
// (every statement is a named constexpr string next to its single user), and lent out as a
// BoundStatement that resets the statement and clears its bindings when it goes out of scope, so
// that a cached statement never holds a read transaction open.
//
// Thread-safety: a Connection, its statements and its transactions are used by one thread at a
// time (the connection is opened with SQLITE_OPEN_NOMUTEX); callers serialise access.
//
// Example:
//   constexpr std::string_view kFindName = "SELECT name FROM t WHERE id = ?1";
//   VNTRACE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(conn, TransactionMode::kDeferred));
//   VNTRACE_ASSIGN_OR_RETURN(BoundStatement find, conn.Prepare(kFindName));
//   find.BindInt64(1, id);
//   VNTRACE_ASSIGN_OR_RETURN(bool row, find.Step());
//   if (row) name = std::string(find.ColumnText(0));
//   VNTRACE_RETURN_IF_ERROR(tx.Commit());
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <sqlite3.h>

#include "core/result.hpp"

namespace vntrace::store::sqlite {

// The Error for SQLite result code `rc` (extended codes understood): kUnavailable for
// SQLITE_BUSY and SQLITE_LOCKED (retrying may succeed), kInvalidArgument for constraint
// violations, kInternal otherwise. The message names `what` and SQLite's own message of `db`
// (which may be null).
core::Error SqliteError(int rc, sqlite3* db, std::string_view what);

// True when `error` came from SqliteError for a PRIMARY KEY or UNIQUE constraint failure.
bool IsUniqueConflict(const core::Error& error);

// Owns a sqlite3_stmt*: finalizes it on destruction.
class Statement {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// A cached statement lent by Connection::Prepare. Binding indexes are 1-based, column indexes
// 0-based, as in SQLite. Bound text is not copied: it must stay alive until the statement is
// stepped to completion, Reset or destroyed (rvalue std::string arguments are therefore refused).
// Destruction resets the statement and clears its bindings.
class BoundStatement {
 public:
  BoundStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~BoundStatement();
  BoundStatement(BoundStatement&& other) noexcept;
  BoundStatement& operator=(BoundStatement&&) = delete;
  BoundStatement(const BoundStatement&) = delete;
  BoundStatement& operator=(const BoundStatement&) = delete;

  void BindInt64(int index, std::int64_t value);
  void BindDouble(int index, double value);
  void BindText(int index, std::string_view value);
  void BindText(int index, std::string&& value) = delete;  // would dangle
  void BindBlob(int index, std::string_view bytes);
  void BindBlob(int index, std::string&& bytes) = delete;  // would dangle
  void BindNull(int index);
  // NULL for an empty string, otherwise the text.
  void BindTextOrNull(int index, std::string_view value);
  // NULL for nullopt.
  void BindInt64OrNull(int index, std::optional<std::int64_t> value);

  // Advances to the next row: true when a row is ready, false when the statement is done.
  // Errors are mapped by SqliteError.
  core::Result<bool> Step();
  // Steps to completion, ignoring rows, then resets the statement (bindings are kept) so that it
  // can be bound and run again.
  core::Status Run();
  // Resets the statement so that it runs again from the start; bindings are kept.
  void Reset();

  bool ColumnIsNull(int column) const;
  std::int64_t ColumnInt64(int column) const;
  double ColumnDouble(int column) const;
  // Valid until the next Step, Reset or destruction. Empty for NULL.
  std::string_view ColumnText(int column) const;
  std::string_view ColumnBlob(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;  // borrowed from the connection's cache; null once moved from
};

// Owns a sqlite3* and the prepared statements cached for it.
class Connection {
 public:
  // Opens `path` (SQLITE_OPEN_READWRITE, plus SQLITE_OPEN_CREATE when `create` is true), with
  // extended result codes, through the VFS named `vfs` (empty: the default). kNotFound when the
  // file is missing and `create` is false; kInternal (or kUnavailable) when SQLite cannot open
  // it.
  static core::Result<std::unique_ptr<Connection>> Open(const std::string& path, bool create,
                                                        const std::string& vfs = "");

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The cached statement for `sql`, prepared on first use. `sql` must have static storage (a
  // constexpr string): its address is the cache key. kInternal when it does not compile.
  core::Result<BoundStatement> Prepare(std::string_view sql);

  // Runs one parameterless statement (a PRAGMA, BEGIN, ...) to completion.
  core::Status Execute(std::string_view sql);

  // Runs `script`, a sequence of parameterless statements separated by ';', without caching
  // them. Used for migrations.
  core::Status ExecuteScript(std::string_view script);

  std::int64_t LastInsertRowid() const;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int Changes() const;

  sqlite3* handle() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<const char*, Statement> statements_;  // destroyed before db_ is closed
};

enum class TransactionMode {
  kDeferred,   // BEGIN: a read snapshot from the first read on
  kImmediate,  // BEGIN IMMEDIATE: takes the write lock now (waits up to busy_timeout)
};

// A transaction on a Connection (which must outlive it). Rolls back in its destructor unless
// Commit() succeeded.
class Transaction {
 public:
  // kUnavailable when the database stays locked past the busy timeout.
  static core::Result<Transaction> Begin(Connection& connection, TransactionMode mode);

  ~Transaction();
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Commits. On failure the transaction is rolled back (by the destructor) and the error
  // returned: nothing of it is stored.
  core::Status Commit();

 private:
  explicit Transaction(Connection* connection) : connection_(connection) {}

  Connection* connection_;  // null once committed or moved from
};

}  // namespace vntrace::store::sqlite
