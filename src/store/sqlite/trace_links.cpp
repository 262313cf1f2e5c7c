#include "store/sqlite/trace_links.hpp"

#include <utility>

#include "core/time.hpp"

namespace vntrace::store::sqlite {
namespace {

// trace_events.flags (see the migration).
constexpr std::int64_t kTypeMask = 7;
constexpr int kActionShift = 3;
constexpr std::int64_t kActionMask = 3;
constexpr std::int64_t kShipping = 32;
constexpr std::int64_t kReceiving = 64;
constexpr std::int64_t kDeclared = 128;

std::int64_t ActionBits(std::string_view action) {
  if (action == "ADD") return 1;
  if (action == "OBSERVE") return 2;
  if (action == "DELETE") return 3;
  return 0;
}

}  // namespace

bool IsTraceLinkKind(epcis::IndexKind kind) {
  switch (kind) {
    case epcis::IndexKind::kEpc:
    case epcis::IndexKind::kChildEpc:
    case epcis::IndexKind::kParentId:
    case epcis::IndexKind::kInputEpc:
    case epcis::IndexKind::kOutputEpc:
    case epcis::IndexKind::kEpcClass:
    case epcis::IndexKind::kChildEpcClass:
    case epcis::IndexKind::kInputEpcClass:
    case epcis::IndexKind::kOutputEpcClass:
    case epcis::IndexKind::kReadPoint:
    case epcis::IndexKind::kBizLocation:
    case epcis::IndexKind::kSource:
    case epcis::IndexKind::kDestination:
    case epcis::IndexKind::kTransformationId:
    case epcis::IndexKind::kInstanceLot:
      return true;
    default:
      return false;
  }
}

core::Result<std::int64_t> TraceLinkWriter::Node(std::string_view name) {
  static constexpr std::string_view kFind = "SELECT id FROM trace_nodes WHERE name = ?1";
  static constexpr std::string_view kInsert = "INSERT INTO trace_nodes (name) VALUES (?1)";
  auto it = nodes_.find(std::string(name));
  if (it != nodes_.end()) return it->second;
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement find, connection_.Prepare(kFind));
  find.BindText(1, name);
  VNTRACE_ASSIGN_OR_RETURN(bool row, find.Step());
  std::int64_t id = 0;
  if (row) {
    id = find.ColumnInt64(0);
    find.Reset();
  } else {
    find.Reset();
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection_.Prepare(kInsert));
    insert.BindText(1, name);
    VNTRACE_RETURN_IF_ERROR(insert.Run());
    id = connection_.LastInsertRowid();
  }
  nodes_.emplace(std::string(name), id);
  return id;
}

core::Status TraceLinkWriter::AddEvent(std::int64_t rowid, const epcis::Event& event) {
  static constexpr std::string_view kInsertEvent =
      "INSERT INTO trace_events (event_rowid, event_id, time_ns, time_offset, flags, location) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
  static constexpr std::string_view kInsertLink =
      "INSERT INTO trace_links (node, event_rowid, kind, peer) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT DO NOTHING";
  const std::string& location_name =
      !event.biz_location.empty() ? event.biz_location : event.read_point;
  std::int64_t location = 0;
  if (!location_name.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(location, Node(location_name));
  }
  std::int64_t flags = static_cast<std::int64_t>(event.type) |
                       (ActionBits(event.action) << kActionShift) |
                       (event.biz_step == "shipping" ? kShipping : 0) |
                       (event.biz_step == "receiving" ? kReceiving : 0) |
                       (event.error_declaration_time.has_value() ? kDeclared : 0);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert_event, connection_.Prepare(kInsertEvent));
  insert_event.BindInt64(1, rowid);
  insert_event.BindText(2, event.event_id);
  insert_event.BindInt64(3, event.event_time.unix_nanos());
  insert_event.BindInt64(4, event.event_time.utc_offset_minutes());
  insert_event.BindInt64(5, flags);
  insert_event.BindInt64(6, location);
  VNTRACE_RETURN_IF_ERROR(insert_event.Run());
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert_link, connection_.Prepare(kInsertLink));
  for (const epcis::IndexEntry& entry : event.index) {
    if (!IsTraceLinkKind(entry.kind)) continue;
    VNTRACE_ASSIGN_OR_RETURN(const std::int64_t node, Node(entry.value));
    std::int64_t peer = 0;
    if (!entry.type.empty()) {
      VNTRACE_ASSIGN_OR_RETURN(peer, Node(entry.type));
    }
    insert_link.BindInt64(1, node);
    insert_link.BindInt64(2, rowid);
    insert_link.BindInt64(3, static_cast<std::int64_t>(entry.kind));
    insert_link.BindInt64(4, peer);
    VNTRACE_RETURN_IF_ERROR(insert_link.Run());
  }
  return core::Ok();
}

core::Status TraceLinkWriter::MarkDeclared(std::int64_t rowid) {
  static constexpr std::string_view kUpdate =
      "UPDATE trace_events SET flags = flags | 128 WHERE event_rowid = ?1";
  static_assert(kDeclared == 128);
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement update, connection_.Prepare(kUpdate));
  update.BindInt64(1, rowid);
  return update.Run();
}

core::Result<std::int64_t> FindTraceNode(Connection& connection, std::string_view name) {
  static constexpr std::string_view kFind = "SELECT id FROM trace_nodes WHERE name = ?1";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement find, connection.Prepare(kFind));
  find.BindText(1, name);
  VNTRACE_ASSIGN_OR_RETURN(bool row, find.Step());
  return row ? find.ColumnInt64(0) : 0;
}

core::Result<std::string> TraceNodeName(Connection& connection, std::int64_t node) {
  static constexpr std::string_view kName = "SELECT name FROM trace_nodes WHERE id = ?1";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kName));
  select.BindInt64(1, node);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return core::NotFound("no trace node " + std::to_string(node));
  return std::string(select.ColumnText(0));
}

core::Status FindTraceNodeLinks(Connection& connection, std::int64_t node,
                                std::vector<NodeLink>& links) {
  static constexpr std::string_view kLinks =
      "SELECT event_rowid, kind FROM trace_links WHERE node = ?1";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kLinks));
  select.BindInt64(1, node);
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    links.push_back(NodeLink{.record = select.ColumnInt64(0),
                             .kind = static_cast<epcis::IndexKind>(select.ColumnInt64(1))});
  }
  return core::Ok();
}

core::Status ReadTraceEvent(Connection& connection, std::int64_t record, EventLinks& event) {
  static constexpr std::string_view kEvent =
      "SELECT event_id, time_ns, time_offset, flags, location FROM trace_events "
      "WHERE event_rowid = ?1";
  static constexpr std::string_view kEntries =
      "SELECT kind, node, peer FROM trace_links WHERE event_rowid = ?1 ORDER BY kind, node, peer";
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kEvent));
  select.BindInt64(1, record);
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return core::NotFound("no event record " + std::to_string(record));
  const std::int64_t offset = select.ColumnInt64(2);
  const std::int64_t flags = select.ColumnInt64(3);
  const std::int64_t type = flags & kTypeMask;
  if (type < static_cast<int>(epcis::EventType::kObjectEvent) ||
      type > static_cast<int>(epcis::EventType::kAssociationEvent) ||
      offset < -core::kMaxUtcOffsetMinutes || offset > core::kMaxUtcOffsetMinutes) {
    return core::Internal("trace event row " + std::to_string(record) + " holds invalid values");
  }
  event.event_id.assign(select.ColumnText(0));
  event.type = static_cast<epcis::EventType>(type);
  event.event_time =
      core::Timestamp::FromUnixNanos(select.ColumnInt64(1), static_cast<int>(offset));
  event.action = static_cast<LinkAction>((flags >> kActionShift) & kActionMask);
  event.shipping = (flags & kShipping) != 0;
  event.receiving = (flags & kReceiving) != 0;
  event.declared = (flags & kDeclared) != 0;
  event.location = select.ColumnInt64(4);
  select.Reset();
  event.entries.clear();
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement entries, connection.Prepare(kEntries));
  entries.BindInt64(1, record);
  while (true) {
    VNTRACE_ASSIGN_OR_RETURN(bool entry_row, entries.Step());
    if (!entry_row) break;
    event.entries.push_back(LinkEntry{.kind = static_cast<epcis::IndexKind>(entries.ColumnInt64(0)),
                                      .node = entries.ColumnInt64(1),
                                      .peer = entries.ColumnInt64(2)});
  }
  return core::Ok();
}

}  // namespace vntrace::store::sqlite
