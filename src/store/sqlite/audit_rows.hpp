// Helpers shared by the SQLite registry and stamp tables (sqlite_registry.cpp,
// sqlite_stamps.cpp): the audit_log insert every write makes in its own transaction, and the
// test for a primary-key or UNIQUE conflict.
//
// Thread-safety: call with the writer connection held (writer_mu_).
#pragma once

#include "core/result.hpp"
#include "store/registry_store.hpp"
#include "store/sqlite/connection.hpp"

namespace vntrace::store::sqlite {

// True when `error` is a PRIMARY KEY or UNIQUE constraint failure from Connection.
bool IsUniqueConflict(const core::Error& error);

// Appends `audit` to audit_log (an empty changes_json is stored as "{}").
core::Status InsertAudit(Connection& connection, const AuditEntry& audit);

}  // namespace vntrace::store::sqlite
