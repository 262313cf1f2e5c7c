// SqliteStore's master data: vocabulary elements stored and merged at capture, read back one at a
// time, and the reads of query resolution (master_data_rows.hpp).
#include <optional>
#include <string>
#include <utility>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/log_rows.hpp"
#include "store/sqlite/master_data_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace vntrace::store::sqlite {
namespace {

namespace json = boost::json;

core::Result<json::value> ParseStoredJson(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) {
    return core::Internal("stored master data " + std::string(what) + " is not JSON");
  }
  return value;
}

core::Result<epcis::VocabularyElement> ElementFromText(std::string_view type,
                                                       std::string_view text) {
  VNTRACE_ASSIGN_OR_RETURN(json::value value, ParseStoredJson(text, "element"));
  if (!value.is_object()) {
    return core::Internal("stored master data element is not a JSON object");
  }
  return epcis::VocabularyElementFromJson(type, value.as_object());
}

// Writes the lookup rows of the element stored under `rowid` (its attributes and children).
core::Status InsertLookupRows(Connection& connection, std::int64_t rowid,
                              const epcis::VocabularyElement& element) {
  static constexpr std::string_view kInsertAttribute =
      "INSERT INTO vocabulary_attributes (element_rowid, position, attribute_id, value_json) "
      "VALUES (?1, ?2, ?3, ?4)";
  static constexpr std::string_view kInsertChild =
      "INSERT INTO vocabulary_children (parent_rowid, child_id) VALUES (?1, ?2) "
      "ON CONFLICT DO NOTHING";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert_attribute, connection.Prepare(kInsertAttribute));
  std::string value_json;
  for (std::size_t i = 0; i < element.attributes.size(); ++i) {
    const epcis::MasterDataAttribute& attribute = element.attributes[i];
    value_json = json::serialize(attribute.value);
    insert_attribute.BindInt64(1, rowid);
    insert_attribute.BindInt64(2, static_cast<std::int64_t>(i));
    insert_attribute.BindText(3, attribute.id);
    insert_attribute.BindText(4, value_json);
    VNTRACE_RETURN_IF_ERROR(insert_attribute.Run());
  }
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert_child, connection.Prepare(kInsertChild));
  for (const std::string& child : element.children) {
    insert_child.BindInt64(1, rowid);
    insert_child.BindText(2, child);
    VNTRACE_RETURN_IF_ERROR(insert_child.Run());
  }
  return core::Ok();
}

}  // namespace

core::Status SqliteStore::StoreMasterData(Connection& connection,
                                          std::span<const epcis::VocabularyElement> master_data,
                                          CaptureOutcome& outcome) {
  static constexpr std::string_view kFindElement =
      "SELECT id, element_json FROM vocabulary_elements "
      "WHERE vocabulary_type = ?1 AND element_id = ?2";
  static constexpr std::string_view kInsertElement =
      "INSERT INTO vocabulary_elements (vocabulary_type, element_id, element_json) "
      "VALUES (?1, ?2, ?3)";
  static constexpr std::string_view kUpdateElement =
      "UPDATE vocabulary_elements SET element_json = ?2 WHERE id = ?1";
  static constexpr std::string_view kDeleteAttributes =
      "DELETE FROM vocabulary_attributes WHERE element_rowid = ?1";
  static constexpr std::string_view kDeleteChildren =
      "DELETE FROM vocabulary_children WHERE parent_rowid = ?1";
  LogAppender leaves(connection);
  for (const epcis::VocabularyElement& update : master_data) {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement find, connection.Prepare(kFindElement));
    find.BindText(1, update.type);
    find.BindText(2, update.id);
    VNTRACE_ASSIGN_OR_RETURN(bool stored, find.Step());
    std::optional<std::int64_t> rowid;
    epcis::VocabularyElement merged;
    if (stored) {
      rowid = find.ColumnInt64(0);
      VNTRACE_ASSIGN_OR_RETURN(merged, ElementFromText(update.type, find.ColumnText(1)));
      find.Reset();
      epcis::MergeVocabularyElement(merged, update);
    } else {
      find.Reset();
      merged = update;
    }
    const std::string element_json = json::serialize(epcis::VocabularyElementJson(merged));
    if (rowid.has_value()) {
      VNTRACE_ASSIGN_OR_RETURN(BoundStatement update_element, connection.Prepare(kUpdateElement));
      update_element.BindInt64(1, *rowid);
      update_element.BindText(2, element_json);
      VNTRACE_RETURN_IF_ERROR(update_element.Run());
      for (std::string_view sql : {kDeleteAttributes, kDeleteChildren}) {
        VNTRACE_ASSIGN_OR_RETURN(BoundStatement remove, connection.Prepare(sql));
        remove.BindInt64(1, *rowid);
        VNTRACE_RETURN_IF_ERROR(remove.Run());
      }
    } else {
      VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsertElement));
      insert.BindText(1, update.type);
      insert.BindText(2, update.id);
      insert.BindText(3, element_json);
      VNTRACE_RETURN_IF_ERROR(insert.Run());
      rowid = connection.LastInsertRowid();
    }
    VNTRACE_RETURN_IF_ERROR(InsertLookupRows(connection, *rowid, merged));
    if (append_log_) {
      VNTRACE_RETURN_IF_ERROR(
          leaves.AppendMasterData(update.type, update.id, element_json, *rowid));
    }
    ++outcome.vocabulary_elements;
  }
  return core::Ok();
}

core::Result<epcis::VocabularyElement> MasterDataRows::Element(std::string_view type,
                                                               std::string_view id) {
  static constexpr std::string_view kSelectElement =
      "SELECT element_json FROM vocabulary_elements WHERE vocabulary_type = ?1 AND element_id = ?2";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection_.Prepare(kSelectElement));
  select.BindText(1, type);
  select.BindText(2, id);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return core::NotFound("no master data for '" + std::string(id) + "' in vocabulary '" +
                          std::string(type) + "'");
  }
  return ElementFromText(type, select.ColumnText(0));
}

core::Result<std::vector<std::string>> MasterDataRows::Children(std::string_view type,
                                                                std::string_view id) {
  static constexpr std::string_view kSelectChildren =
      "SELECT c.child_id FROM vocabulary_elements e "
      "JOIN vocabulary_children c ON c.parent_rowid = e.id "
      "WHERE e.vocabulary_type = ?1 AND e.element_id = ?2";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection_.Prepare(kSelectChildren));
  select.BindText(1, type);
  select.BindText(2, id);
  std::vector<std::string> children;
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      break;
    }
    children.emplace_back(select.ColumnText(0));
  }
  return children;
}

core::Result<std::vector<epcis::AttributeValue>> MasterDataRows::AttributeValues(
    std::string_view type, std::string_view attribute) {
  static constexpr std::string_view kSelectAttributeValues =
      "SELECT e.element_id, a.value_json FROM vocabulary_attributes a "
      "JOIN vocabulary_elements e ON e.id = a.element_rowid "
      "WHERE a.attribute_id = ?1 AND e.vocabulary_type = ?2";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection_.Prepare(kSelectAttributeValues));
  select.BindText(1, attribute);
  select.BindText(2, type);
  std::vector<epcis::AttributeValue> values;
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      break;
    }
    VNTRACE_ASSIGN_OR_RETURN(json::value value, ParseStoredJson(select.ColumnText(1), "value"));
    values.push_back({.element_id = std::string(select.ColumnText(0)), .value = std::move(value)});
  }
  return values;
}

}  // namespace vntrace::store::sqlite
