// Row readers of the SQLite registry tables shared by the files that select them
// (sqlite_registry.cpp, and sqlite_problems.cpp for product versions, whose rows hold a
// product's columns after their own).
//
// Thread-safety: plain functions over a statement the caller holds.
#pragma once

#include "store/registry_store.hpp"
#include "store/sqlite/connection.hpp"

namespace vntrace::store::sqlite {

// The product whose columns start at `first`, in the products table's order: id, org_id,
// identifier, gtin, name, description, image_ref, category, unit, brand, origin, standards (one
// per line), ocop_stars, ocop_decision_number, ocop_decision_date, ocop_valid_until,
// created_at_ns, updated_at_ns.
Product ReadProductColumns(const BoundStatement& row, int first);

}  // namespace vntrace::store::sqlite
