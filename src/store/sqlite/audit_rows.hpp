// The audit_log insert that every write of the SQLite registry and stamp tables
// (sqlite_registry.cpp, sqlite_stamps.cpp) makes in its own transaction.
//
// Thread-safety: call with the writer connection held (writer_mu_).
#pragma once

#include "core/result.hpp"
#include "store/registry_store.hpp"
#include "store/sqlite/connection.hpp"

namespace vntrace::store::sqlite {

// Appends `audit` to audit_log (an empty changes_json is stored as "{}") and its leaf to the
// tamper-evident log (log_rows.hpp). Call inside a write transaction.
core::Status InsertAudit(Connection& connection, const AuditEntry& audit);

}  // namespace vntrace::store::sqlite
