// store::sqlite master data rows: the reads of the vocabulary tables (migration "EPCIS master
// data") that query resolution needs, on one connection.
//
// Private to the SQLite backend (sqlite_store.cpp, sqlite_master_data.cpp). The writes are
// SqliteStore::StoreMasterData's, in sqlite_master_data.cpp.
//
// Thread-safety: as the connection it borrows (one thread at a time).
//
// Example:
//   MasterDataRows rows(connection);  // inside the query's read transaction
//   VNTRACE_RETURN_IF_ERROR(epcis::ResolveMasterData(query, rows));
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "epcis/master_data.hpp"
#include "epcis/query.hpp"

namespace vntrace::store::sqlite {

class Connection;

class MasterDataRows final : public epcis::MasterDataReader {
 public:
  // `connection` must outlive this object.
  explicit MasterDataRows(Connection& connection) : connection_(connection) {}

  core::Result<std::vector<std::string>> Children(std::string_view type,
                                                  std::string_view id) override;
  core::Result<std::vector<epcis::AttributeValue>> AttributeValues(
      std::string_view type, std::string_view attribute) override;

  // The element `id` of vocabulary `type` as stored; kNotFound when there is none.
  core::Result<epcis::VocabularyElement> Element(std::string_view type, std::string_view id);

 private:
  Connection& connection_;
};

}  // namespace vntrace::store::sqlite
