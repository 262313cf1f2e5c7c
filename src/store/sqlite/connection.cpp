#include "store/sqlite/connection.hpp"

#include <filesystem>
#include <string>
#include <utility>

namespace vntrace::store::sqlite {

core::Error SqliteError(int rc, sqlite3* db, std::string_view what) {
  std::string message(what);
  message += ": ";
  // sqlite3_errmsg describes the most recent failure on `db`, which is `rc` when the caller asks
  // right after it; fall back to the generic text of the code otherwise.
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  message += detail != nullptr ? detail : sqlite3_errstr(rc);
  std::string details = "sqlite_code=" + std::to_string(rc);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return core::Unavailable(std::move(message), std::move(details));
    case SQLITE_CONSTRAINT:
      return core::InvalidArgument(std::move(message), std::move(details));
    default:
      return core::Internal(std::move(message), std::move(details));
  }
}

bool IsUniqueConflict(const core::Error& error) {
  return error.code == core::ErrorCode::kInvalidArgument &&
         (error.details == "sqlite_code=" + std::to_string(SQLITE_CONSTRAINT_PRIMARYKEY) ||
          error.details == "sqlite_code=" + std::to_string(SQLITE_CONSTRAINT_UNIQUE));
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

BoundStatement::~BoundStatement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

BoundStatement::BoundStatement(BoundStatement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

// Binding only fails for an index out of range or a statement in use, both programmer errors
// that the first test run reveals; the results are asserted rather than returned.
void BoundStatement::BindInt64(int index, std::int64_t value) {
  VNTRACE_ASSERT(sqlite3_bind_int64(stmt_, index, value) == SQLITE_OK);  // see above
}

void BoundStatement::BindDouble(int index, double value) {
  VNTRACE_ASSERT(sqlite3_bind_double(stmt_, index, value) == SQLITE_OK);  // see above
}

void BoundStatement::BindText(int index, std::string_view value) {
  // A non-null pointer even for an empty view, so that "" binds as text and not as NULL.
  const char* data = value.data() != nullptr ? value.data() : "";
  VNTRACE_ASSERT(sqlite3_bind_text64(stmt_, index, data, value.size(), SQLITE_STATIC,
                                     SQLITE_UTF8) == SQLITE_OK);  // see above
}

void BoundStatement::BindBlob(int index, std::string_view bytes) {
  // A non-null pointer even when empty, so that an empty blob is not NULL.
  const char* data = bytes.data() != nullptr ? bytes.data() : "";
  VNTRACE_ASSERT(sqlite3_bind_blob64(stmt_, index, data, bytes.size(), SQLITE_STATIC) ==
                 SQLITE_OK);  // see above
}

void BoundStatement::BindNull(int index) {
  VNTRACE_ASSERT(sqlite3_bind_null(stmt_, index) == SQLITE_OK);  // see above
}

void BoundStatement::BindTextOrNull(int index, std::string_view value) {
  if (value.empty()) {
    BindNull(index);
  } else {
    BindText(index, value);
  }
}

void BoundStatement::BindInt64OrNull(int index, std::optional<std::int64_t> value) {
  if (value.has_value()) {
    BindInt64(index, *value);
  } else {
    BindNull(index);
  }
}

core::Result<bool> BoundStatement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  return SqliteError(rc, db_, "executing statement");
}

core::Status BoundStatement::Run() {
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) {
      break;
    }
  }
  sqlite3_reset(stmt_);
  return core::Ok();
}

void BoundStatement::Reset() { sqlite3_reset(stmt_); }

bool BoundStatement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t BoundStatement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double BoundStatement::ColumnDouble(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string_view BoundStatement::ColumnText(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) {
    return {};
  }
  return std::string_view(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string_view BoundStatement::ColumnBlob(int column) const {
  const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  if (bytes == nullptr) {
    return {};
  }
  return std::string_view(bytes, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

core::Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool create,
                                                           const std::string& vfs) {
  if (!create) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return core::NotFound("no SQLite database at '" + path + "'");
    }
  }
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) {
    flags |= SQLITE_OPEN_CREATE;
  }
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    core::Error error = SqliteError(rc, db, "opening SQLite database '" + path + "'");
    sqlite3_close_v2(db);  // a handle is returned even on failure
    return error;
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  statements_.clear();  // finalize every statement before closing
  sqlite3_close_v2(db_);
}

core::Result<BoundStatement> Connection::Prepare(std::string_view sql) {
  auto it = statements_.find(sql.data());
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      core::Error error = SqliteError(rc, db_, "preparing statement");
      error.code = core::ErrorCode::kInternal;  // our SQL does not compile: a bug
      error.details += " sql=" + std::string(sql);
      return error;
    }
    it = statements_.emplace(sql.data(), Statement(stmt)).first;
  }
  return BoundStatement(db_, it->second.get());
}

core::Status Connection::Execute(std::string_view sql) {
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement statement, Prepare(sql));
  return statement.Run();
}

core::Status Connection::ExecuteScript(std::string_view script) {
  const char* next = script.data();
  const char* const end = script.data() + script.size();
  while (next < end) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v2(db_, next, static_cast<int>(end - next), &raw, &tail);
    Statement statement(raw);
    if (rc != SQLITE_OK) {
      return SqliteError(rc, db_, "preparing script statement");
    }
    next = tail;
    if (raw == nullptr) {
      continue;  // whitespace or a comment
    }
    BoundStatement run(db_, raw);
    VNTRACE_RETURN_IF_ERROR(run.Run());
  }
  return core::Ok();
}

std::int64_t Connection::LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }

int Connection::Changes() const { return sqlite3_changes(db_); }

core::Result<Transaction> Transaction::Begin(Connection& connection, TransactionMode mode) {
  static constexpr std::string_view kBeginDeferred = "BEGIN DEFERRED";
  static constexpr std::string_view kBeginImmediate = "BEGIN IMMEDIATE";
  VNTRACE_RETURN_IF_ERROR(
      connection.Execute(mode == TransactionMode::kImmediate ? kBeginImmediate : kBeginDeferred));
  return Transaction(&connection);
}

Transaction::~Transaction() {
  static constexpr std::string_view kRollback = "ROLLBACK";
  // SQLite rolls back by itself after some errors (I/O, full disk): then there is nothing left.
  if (connection_ != nullptr && sqlite3_get_autocommit(connection_->handle()) == 0) {
    // A failed rollback leaves nothing to do here: SQLite then rolls back when the connection
    // next begins a transaction or closes.
    (void)connection_->Execute(kRollback);
  }
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

core::Status Transaction::Commit() {
  static constexpr std::string_view kCommit = "COMMIT";
  VNTRACE_ASSERT(connection_ != nullptr);  // Commit() twice is a programmer error
  VNTRACE_RETURN_IF_ERROR(connection_->Execute(kCommit));
  connection_ = nullptr;
  return core::Ok();
}

}  // namespace vntrace::store::sqlite
