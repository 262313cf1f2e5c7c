#include "store/sqlite/log_rows.hpp"

#include <algorithm>

#include "core/sha256.hpp"
#include "epcis/event_hash.hpp"

namespace vntrace::store::sqlite {
namespace {

constexpr std::string_view kHashIdPrefix = "ni:///sha-256;";

// Appends one field of a canonical form: "\n", its length in bytes, ":", its bytes.
void AppendField(std::string& out, std::string_view value) {
  out += '\n';
  out += std::to_string(value.size());
  out += ':';
  out += value;
}

std::string Sha256Leaf(const std::string& canonical) {
  std::string data = "sha256:";
  core::AppendHex(core::Sha256Digest(canonical), data);
  return data;
}

std::string_view StringMember(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) {
    return {};
  }
  return std::string_view(value->as_string().data(), value->as_string().size());
}

}  // namespace

core::Result<std::string> ContentHashId(const boost::json::object& event) {
  const boost::json::value* own = event.if_contains("@context");
  if (own == nullptr) {
    static const epcis::JsonLdContext* const kEpcisContext = new epcis::JsonLdContext();
    return epcis::EventHashId(event, *kEpcisContext);
  }
  epcis::JsonLdContext context;
  context.Add(*own);
  return epcis::EventHashId(event, context);
}

core::Result<std::string> EventLeafData(const epcis::Event& event) {
  if (event.event_id.starts_with(kHashIdPrefix)) {
    return event.event_id;
  }
  core::Result<std::string> id = ContentHashId(event.json);
  if (!id.ok()) {
    return core::InvalidArgument("event '" + event.event_id +
                                 "' has no CBV 2.0 hash ID for the log: " + id.error().message);
  }
  return id;
}

std::string AuditLeafData(const AuditEntry& audit, std::int64_t sequence) {
  std::string canonical = "vntrace-audit-v1";
  AppendField(canonical, std::to_string(sequence));
  AppendField(canonical, std::to_string(audit.at.unix_nanos()));
  AppendField(canonical, audit.actor);
  AppendField(canonical, audit.org_id);
  AppendField(canonical, audit.action);
  AppendField(canonical, audit.entity);
  AppendField(canonical, audit.entity_id);
  AppendField(canonical, audit.changes_json.empty() ? std::string_view("{}") : audit.changes_json);
  return Sha256Leaf(canonical);
}

std::string MasterDataLeafData(std::string_view type, std::string_view id,
                               std::string_view element_json) {
  std::string canonical = "vntrace-master-data-v1";
  AppendField(canonical, type);
  AppendField(canonical, id);
  AppendField(canonical, element_json);
  return Sha256Leaf(canonical);
}

std::string DeclarationLeafData(const epcis::Event& declaration,
                                std::string_view declaration_hash_id) {
  std::string canonical = "vntrace-error-declaration-v1";
  AppendField(canonical, declaration_hash_id);
  AppendField(canonical, declaration.error_declaration_time.has_value()
                             ? std::to_string(declaration.error_declaration_time->unix_nanos())
                             : std::string());
  std::string_view reason;
  std::vector<std::string_view> corrective;
  if (const boost::json::value* member = declaration.json.if_contains("errorDeclaration");
      member != nullptr && member->is_object()) {
    reason = StringMember(member->as_object(), "reason");
    if (const boost::json::value* ids = member->as_object().if_contains("correctiveEventIDs");
        ids != nullptr && ids->is_array()) {
      for (const boost::json::value& id : ids->as_array()) {
        if (id.is_string()) {
          corrective.emplace_back(id.as_string().data(), id.as_string().size());
        }
      }
    }
  }
  AppendField(canonical, reason);
  AppendField(canonical, std::to_string(corrective.size()));
  for (std::string_view id : corrective) {
    AppendField(canonical, id);
  }
  return Sha256Leaf(canonical);
}

core::Status LogAppender::AppendEvent(const epcis::Event& event, std::int64_t rowid) {
  VNTRACE_ASSIGN_OR_RETURN(std::string data, EventLeafData(event));
  VNTRACE_RETURN_IF_ERROR(Append(LeafKind::kEvent, data, rowid));
  return core::Ok();
}

core::Status LogAppender::AppendDeclaration(const epcis::Event& declaration, std::int64_t rowid) {
  VNTRACE_ASSIGN_OR_RETURN(std::string hash_id, EventLeafData(declaration));
  VNTRACE_RETURN_IF_ERROR(
      Append(LeafKind::kErrorDeclaration, DeclarationLeafData(declaration, hash_id), rowid));
  return core::Ok();
}

core::Status LogAppender::AppendMasterData(std::string_view type, std::string_view id,
                                           std::string_view element_json, std::int64_t rowid) {
  VNTRACE_RETURN_IF_ERROR(
      Append(LeafKind::kMasterData, MasterDataLeafData(type, id, element_json), rowid));
  return core::Ok();
}

core::Status LogAppender::AppendAudit(const AuditEntry& audit, std::int64_t sequence) {
  VNTRACE_RETURN_IF_ERROR(Append(LeafKind::kAudit, AuditLeafData(audit, sequence), sequence));
  return core::Ok();
}

core::Result<LogHash> LogAppender::StoredNode(int level, std::int64_t index) {
  static constexpr std::string_view kSelectLeafHash =
      "SELECT leaf_hash FROM log_leaves WHERE leaf_index = ?1";
  static constexpr std::string_view kSelectNode =
      "SELECT hash FROM log_nodes WHERE level = ?1 AND node_index = ?2";
  const auto slot = static_cast<std::size_t>(level);
  if (slot < left_.size() && left_[slot].has_value() && left_[slot]->first == index) {
    return left_[slot]->second;
  }
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select,
                           connection_.Prepare(level == 0 ? kSelectLeafHash : kSelectNode));
  if (level == 0) {
    select.BindInt64(1, index);
  } else {
    select.BindInt64(1, level);
    select.BindInt64(2, index);
  }
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  const std::string_view blob = row ? select.ColumnBlob(0) : std::string_view();
  if (blob.size() != LogHash().size()) {
    return core::Internal("the log's node (" + std::to_string(level) + ", " +
                          std::to_string(index) + ") is missing: the database is damaged");
  }
  LogHash hash{};
  std::copy(blob.begin(), blob.end(), hash.begin());
  return hash;
}

core::Result<std::int64_t> LogAppender::Append(LeafKind kind, std::string_view data,
                                               std::optional<std::int64_t> source_row) {
  static constexpr std::string_view kSelectSize =
      "SELECT coalesce(max(leaf_index) + 1, 0) FROM log_leaves";
  static constexpr std::string_view kInsertLeaf =
      "INSERT INTO log_leaves (leaf_index, kind, data, leaf_hash, source_row) "
      "VALUES (?1, ?2, ?3, ?4, ?5)";
  static constexpr std::string_view kInsertNode =
      "INSERT INTO log_nodes (level, node_index, hash) VALUES (?1, ?2, ?3)";
  if (!size_.has_value()) {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection_.Prepare(kSelectSize));
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    VNTRACE_ASSERT(row);  // an aggregate always yields one row
    size_ = select.ColumnInt64(0);
  }
  const std::int64_t leaf_index = *size_;
  LogHash hash = LogLeafHash(data);
  auto bytes = [](const LogHash& h) {
    return std::string_view(reinterpret_cast<const char*>(h.data()), h.size());
  };
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection_.Prepare(kInsertLeaf));
    insert.BindInt64(1, leaf_index);
    insert.BindInt64(2, static_cast<std::int64_t>(kind));
    insert.BindText(3, data);
    insert.BindBlob(4, bytes(hash));
    insert.BindInt64OrNull(5, source_row);
    VNTRACE_RETURN_IF_ERROR(insert.Run());
  }
  // Climb while the node is a right child: it completes its parent.
  int level = 0;
  std::int64_t index = leaf_index;
  while ((index & 1) != 0) {
    VNTRACE_ASSIGN_OR_RETURN(LogHash left, StoredNode(level, index - 1));
    hash = LogNodeHash(left, hash);
    ++level;
    index >>= 1;
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection_.Prepare(kInsertNode));
    insert.BindInt64(1, level);
    insert.BindInt64(2, index);
    insert.BindBlob(3, bytes(hash));
    VNTRACE_RETURN_IF_ERROR(insert.Run());
  }
  const auto slot = static_cast<std::size_t>(level);
  if (left_.size() <= slot) {
    left_.resize(slot + 1);
  }
  left_[slot] = std::make_pair(index, hash);
  size_ = leaf_index + 1;
  return leaf_index;
}

}  // namespace vntrace::store::sqlite
