// SqliteStore's LogStore (store/log_store.hpp): reads on reader connections, each in one
// snapshot; writes through Write (the writer connection, one IMMEDIATE transaction each).
#include <algorithm>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/parse.hpp>

#include "store/log_store.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/event_key.hpp"
#include "store/sqlite/log_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace vntrace::store::sqlite {
namespace {

constexpr std::size_t kMaxLeavesPerRead = 10'000;
constexpr int kMaxLevel = 62;  // a node of 2^62 leaves: far beyond any log

constexpr std::string_view kSelectSize = "SELECT coalesce(max(leaf_index) + 1, 0) FROM log_leaves";

std::string_view Bytes(const LogHash& hash) {
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

core::Result<LogHash> HashOf(std::string_view blob, std::string_view what) {
  LogHash hash{};
  if (blob.size() != hash.size()) {
    return core::Internal(std::string(what) + " is not a 32-byte hash: the database is damaged");
  }
  std::copy(blob.begin(), blob.end(), hash.begin());
  return hash;
}

core::Result<std::int64_t> SizeOf(Connection& connection) {
  VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelectSize));
  VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
  VNTRACE_ASSERT(row);  // an aggregate always yields one row
  return select.ColumnInt64(0);
}

core::Result<LogLeaf> ReadLeafRow(const BoundStatement& row) {
  LogLeaf leaf;
  leaf.index = row.ColumnInt64(0);
  const std::int64_t kind = row.ColumnInt64(1);
  if (kind < static_cast<std::int64_t>(LeafKind::kEvent) ||
      kind > static_cast<std::int64_t>(LeafKind::kMasterData)) {
    return core::Internal("log leaf " + std::to_string(leaf.index) + " has an unknown kind");
  }
  leaf.kind = static_cast<LeafKind>(kind);
  leaf.data.assign(row.ColumnText(2));
  VNTRACE_ASSIGN_OR_RETURN(leaf.hash,
                           HashOf(row.ColumnBlob(3), "log leaf " + std::to_string(leaf.index)));
  return leaf;
}

// Columns: tree_size, timestamp_ms, root_hash, signature, public_key.
core::Result<TreeHead> ReadTreeHeadRow(const BoundStatement& row, int first) {
  TreeHead head;
  head.tree_size = row.ColumnInt64(first);
  head.timestamp_ms = row.ColumnInt64(first + 1);
  VNTRACE_ASSIGN_OR_RETURN(head.root_hash, HashOf(row.ColumnBlob(first + 2), "a tree head root"));
  head.signature.assign(row.ColumnBlob(first + 3));
  head.public_key.assign(row.ColumnBlob(first + 4));
  return head;
}

}  // namespace

core::Status BackfillLog(Connection& connection) {
  static constexpr std::string_view kLogIsEmpty =
      "SELECT NOT EXISTS (SELECT 1 FROM log_leaves) AND "
      "(EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM audit_log))";
  static constexpr std::string_view kSelectEvents =
      "SELECT id, event_id, json, error_declaration_time_ns FROM events ORDER BY id";
  static constexpr std::string_view kSelectAudit =
      "SELECT sequence, at_ns, actor, org_id, action, entity, entity_id, changes_json "
      "FROM audit_log ORDER BY sequence";
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement check, connection.Prepare(kLogIsEmpty));
    VNTRACE_ASSIGN_OR_RETURN(bool row, check.Step());
    if (!row || check.ColumnInt64(0) == 0) {
      return core::Ok();
    }
  }
  VNTRACE_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionMode::kImmediate));
  LogAppender leaves(connection);
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelectEvents));
    epcis::Event event;
    while (true) {
      VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) {
        break;
      }
      const std::int64_t rowid = select.ColumnInt64(0);
      event.event_id.assign(select.ColumnText(1));
      boost::system::error_code ec;
      boost::json::value json = boost::json::parse(select.ColumnText(2), ec);
      if (ec || !json.is_object()) {
        return core::Internal("stored event '" + event.event_id + "' is not a JSON object");
      }
      event.json = std::move(json.as_object());
      event.error_declaration_time.reset();
      if (!select.ColumnIsNull(3)) {
        event.error_declaration_time = core::Timestamp::FromUnixNanos(select.ColumnInt64(3));
      }
      VNTRACE_RETURN_IF_ERROR(leaves.AppendEvent(event, rowid));
      if (event.error_declaration_time.has_value()) {
        VNTRACE_RETURN_IF_ERROR(leaves.AppendDeclaration(event, rowid));
      }
    }
  }
  {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelectAudit));
    while (true) {
      VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) {
        break;
      }
      const AuditEntry audit{.at = core::Timestamp::FromUnixNanos(select.ColumnInt64(1)),
                             .actor = std::string(select.ColumnText(2)),
                             .org_id = std::string(select.ColumnText(3)),
                             .action = std::string(select.ColumnText(4)),
                             .entity = std::string(select.ColumnText(5)),
                             .entity_id = std::string(select.ColumnText(6)),
                             .changes_json = std::string(select.ColumnText(7))};
      VNTRACE_RETURN_IF_ERROR(leaves.AppendAudit(audit, select.ColumnInt64(0)));
    }
  }
  return transaction.Commit();
}

core::Result<std::int64_t> SqliteStore::AppendLeaves(std::span<const std::string> data) {
  if (data.empty()) {
    return LogSize();
  }
  std::int64_t first = 0;
  core::Status written = Write([&data, &first](Connection& connection) -> core::Status {
    LogAppender leaves(connection);
    for (std::size_t i = 0; i < data.size(); ++i) {
      VNTRACE_ASSIGN_OR_RETURN(std::int64_t index,
                               leaves.Append(LeafKind::kOther, data[i], std::nullopt));
      if (i == 0) {
        first = index;
      }
    }
    return core::Ok();
  });
  VNTRACE_RETURN_IF_ERROR(written);
  return first;
}

core::Result<std::int64_t> SqliteStore::LogSize() {
  std::int64_t size = 0;
  core::Status read = Read([&size](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(size, SizeOf(connection));
    return core::Ok();
  });
  VNTRACE_RETURN_IF_ERROR(read);
  return size;
}

core::Result<std::vector<LogHash>> SqliteStore::ReadNodes(std::span<const NodeId> nodes) {
  static constexpr std::string_view kSelectLeafHash =
      "SELECT leaf_hash FROM log_leaves WHERE leaf_index = ?1";
  static constexpr std::string_view kSelectNode =
      "SELECT hash FROM log_nodes WHERE level = ?1 AND node_index = ?2";
  for (const NodeId& node : nodes) {
    if (node.level < 0 || node.level > kMaxLevel || node.index < 0 ||
        node.index > (std::numeric_limits<std::int64_t>::max() >> node.level) - 1) {
      return core::InvalidArgument("no log node (" + std::to_string(node.level) + ", " +
                                   std::to_string(node.index) + ") can exist");
    }
  }
  std::vector<LogHash> hashes;
  hashes.reserve(nodes.size());
  core::Status read = Read([&nodes, &hashes](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(Transaction snapshot,
                             Transaction::Begin(connection, TransactionMode::kDeferred));
    VNTRACE_ASSIGN_OR_RETURN(std::int64_t size, SizeOf(connection));
    for (const NodeId& node : nodes) {
      const std::string name =
          "log node (" + std::to_string(node.level) + ", " + std::to_string(node.index) + ")";
      if ((node.index + 1) << node.level > size) {
        return core::NotFound("the " + name + " is not complete in a log of " +
                              std::to_string(size) + " leaves");
      }
      VNTRACE_ASSIGN_OR_RETURN(BoundStatement select,
                               connection.Prepare(node.level == 0 ? kSelectLeafHash : kSelectNode));
      if (node.level == 0) {
        select.BindInt64(1, node.index);
      } else {
        select.BindInt64(1, node.level);
        select.BindInt64(2, node.index);
      }
      VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) {
        return core::Internal("the " + name + " is missing: the database is damaged");
      }
      VNTRACE_ASSIGN_OR_RETURN(LogHash hash, HashOf(select.ColumnBlob(0), "the " + name));
      hashes.push_back(hash);
    }
    return snapshot.Commit();
  });
  VNTRACE_RETURN_IF_ERROR(read);
  return hashes;
}

core::Result<std::vector<LogLeaf>> SqliteStore::ReadLeaves(std::int64_t begin, std::int64_t end) {
  static constexpr std::string_view kSelectLeaves =
      "SELECT leaf_index, kind, data, leaf_hash FROM log_leaves "
      "WHERE leaf_index >= ?1 AND leaf_index < ?2 ORDER BY leaf_index";
  if (begin < 0 || end < begin || static_cast<std::uint64_t>(end - begin) > kMaxLeavesPerRead) {
    return core::InvalidArgument("leaves [" + std::to_string(begin) + ", " + std::to_string(end) +
                                 ") are not a range of at most " +
                                 std::to_string(kMaxLeavesPerRead) + " from 0 on");
  }
  std::vector<LogLeaf> leaves;
  core::Status read = Read([&](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelectLeaves));
    select.BindInt64(1, begin);
    select.BindInt64(2, end);
    while (true) {
      VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) {
        return core::Ok();
      }
      VNTRACE_ASSIGN_OR_RETURN(LogLeaf leaf, ReadLeafRow(select));
      leaves.push_back(std::move(leaf));
    }
  });
  VNTRACE_RETURN_IF_ERROR(read);
  return leaves;
}

core::Result<EventLeaf> SqliteStore::FindEventLeaf(std::string_view event_id) {
  static constexpr std::string_view kSelectEvent =
      "SELECT id, json FROM events WHERE event_key = ?1 AND event_id = ?2";
  static constexpr std::string_view kSelectLeaf =
      "SELECT leaf_index, kind, data, leaf_hash FROM log_leaves WHERE source_row = ?1 AND kind = 1";
  EventLeaf found;
  found.event_id = std::string(event_id);
  core::Status read = Read([&](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(Transaction snapshot,
                             Transaction::Begin(connection, TransactionMode::kDeferred));
    std::int64_t rowid = 0;
    {
      VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelectEvent));
      select.BindInt64(1, EventKey(event_id));
      select.BindText(2, event_id);
      VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) {
        return core::NotFound("no event with eventID '" + std::string(event_id) + "'");
      }
      rowid = select.ColumnInt64(0);
      boost::system::error_code ec;
      boost::json::value json = boost::json::parse(select.ColumnText(1), ec);
      if (!ec && json.is_object()) {
        core::Result<std::string> hash_id = ContentHashId(json.as_object());
        if (hash_id.ok()) {
          found.content_hash_id = std::move(*hash_id);
        }
      }
    }
    {
      VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelectLeaf));
      select.BindInt64(1, rowid);
      VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) {
        return core::NotFound("the event '" + std::string(event_id) +
                              "' has no leaf in the log (it was stored while the log was off)");
      }
      VNTRACE_ASSIGN_OR_RETURN(found.leaf, ReadLeafRow(select));
    }
    return snapshot.Commit();
  });
  VNTRACE_RETURN_IF_ERROR(read);
  return found;
}

core::Status SqliteStore::SaveTreeHead(const TreeHead& head) {
  static constexpr std::string_view kInsert =
      "INSERT INTO log_tree_heads (tree_size, timestamp_ms, root_hash, signature, public_key) "
      "VALUES (?1, ?2, ?3, ?4, ?5)";
  return Write([&head](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(std::int64_t size, SizeOf(connection));
    if (head.tree_size < 0 || head.tree_size > size) {
      return core::InvalidArgument("a tree head of " + std::to_string(head.tree_size) +
                                   " leaves for a log of " + std::to_string(size));
    }
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsert));
    insert.BindInt64(1, head.tree_size);
    insert.BindInt64(2, head.timestamp_ms);
    insert.BindBlob(3, Bytes(head.root_hash));
    insert.BindBlob(4, head.signature);
    insert.BindBlob(5, head.public_key);
    return insert.Run();
  });
}

core::Result<std::optional<TreeHead>> SqliteStore::LatestTreeHead() {
  static constexpr std::string_view kSelect =
      "SELECT tree_size, timestamp_ms, root_hash, signature, public_key FROM log_tree_heads "
      "ORDER BY id DESC LIMIT 1";
  std::optional<TreeHead> latest;
  core::Status read = Read([&latest](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelect));
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (row) {
      VNTRACE_ASSIGN_OR_RETURN(latest, ReadTreeHeadRow(select, 0));
    }
    return core::Ok();
  });
  VNTRACE_RETURN_IF_ERROR(read);
  return latest;
}

core::Result<std::int64_t> SqliteStore::RecordWitnessed(const WitnessedHead& witnessed,
                                                        std::int64_t expected_last_sequence) {
  static constexpr std::string_view kSelectLast =
      "SELECT coalesce(max(sequence), 0) FROM log_witnessed WHERE log_public_key = ?1";
  static constexpr std::string_view kInsert =
      "INSERT INTO log_witnessed (log_public_key, origin, tree_size, timestamp_ms, root_hash, "
      "signature, cosignature, witness_public_key, cosigned_at_ns) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
  std::int64_t sequence = 0;
  core::Status written = Write([&](Connection& connection) -> core::Status {
    {
      VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelectLast));
      select.BindBlob(1, witnessed.head.public_key);
      VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
      VNTRACE_ASSERT(row);  // an aggregate always yields one row
      if (select.ColumnInt64(0) != expected_last_sequence) {
        return core::Unavailable(
            "another tree head of this log was co-signed meanwhile; check it again");
      }
    }
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsert));
    insert.BindBlob(1, witnessed.head.public_key);
    insert.BindText(2, witnessed.origin);
    insert.BindInt64(3, witnessed.head.tree_size);
    insert.BindInt64(4, witnessed.head.timestamp_ms);
    insert.BindBlob(5, Bytes(witnessed.head.root_hash));
    insert.BindBlob(6, witnessed.head.signature);
    insert.BindBlob(7, witnessed.cosignature);
    insert.BindBlob(8, witnessed.witness_public_key);
    insert.BindInt64(9, witnessed.cosigned_at.unix_nanos());
    core::Status inserted = insert.Run();
    sequence = connection.LastInsertRowid();
    return inserted;
  });
  VNTRACE_RETURN_IF_ERROR(written);
  return sequence;
}

core::Result<std::optional<WitnessedHead>> SqliteStore::LastWitnessed(
    std::string_view log_public_key) {
  static constexpr std::string_view kSelect =
      "SELECT sequence, origin, tree_size, timestamp_ms, root_hash, signature, log_public_key, "
      "cosignature, witness_public_key, cosigned_at_ns FROM log_witnessed "
      "WHERE log_public_key = ?1 ORDER BY sequence DESC LIMIT 1";
  std::optional<WitnessedHead> last;
  core::Status read = Read([&](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelect));
    select.BindBlob(1, log_public_key);
    VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      return core::Ok();
    }
    WitnessedHead witnessed;
    witnessed.sequence = select.ColumnInt64(0);
    witnessed.origin.assign(select.ColumnText(1));
    VNTRACE_ASSIGN_OR_RETURN(witnessed.head, ReadTreeHeadRow(select, 2));
    witnessed.cosignature.assign(select.ColumnBlob(7));
    witnessed.witness_public_key.assign(select.ColumnBlob(8));
    witnessed.cosigned_at = core::Timestamp::FromUnixNanos(select.ColumnInt64(9));
    last = std::move(witnessed);
    return core::Ok();
  });
  VNTRACE_RETURN_IF_ERROR(read);
  return last;
}

core::Status SqliteStore::SaveCosignature(const Cosignature& cosignature) {
  static constexpr std::string_view kInsert =
      "INSERT INTO log_cosignatures (witness, witness_public_key, tree_size, timestamp_ms, "
      "root_hash, cosignature, received_at_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
  return Write([&cosignature](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement insert, connection.Prepare(kInsert));
    insert.BindText(1, cosignature.witness);
    insert.BindBlob(2, cosignature.witness_public_key);
    insert.BindInt64(3, cosignature.tree_size);
    insert.BindInt64(4, cosignature.timestamp_ms);
    insert.BindBlob(5, Bytes(cosignature.root_hash));
    insert.BindBlob(6, cosignature.cosignature);
    insert.BindInt64(7, cosignature.received_at.unix_nanos());
    return insert.Run();
  });
}

core::Result<std::vector<Cosignature>> SqliteStore::ListCosignatures(std::size_t limit) {
  static constexpr std::string_view kSelect =
      "SELECT witness, witness_public_key, tree_size, timestamp_ms, root_hash, cosignature, "
      "received_at_ns FROM log_cosignatures ORDER BY id DESC LIMIT ?1";
  std::vector<Cosignature> out;
  core::Status read = Read([&](Connection& connection) -> core::Status {
    VNTRACE_ASSIGN_OR_RETURN(BoundStatement select, connection.Prepare(kSelect));
    select.BindInt64(1, static_cast<std::int64_t>(std::min<std::size_t>(limit, 1'000'000)));
    while (true) {
      VNTRACE_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) {
        return core::Ok();
      }
      Cosignature c;
      c.witness.assign(select.ColumnText(0));
      c.witness_public_key.assign(select.ColumnBlob(1));
      c.tree_size = select.ColumnInt64(2);
      c.timestamp_ms = select.ColumnInt64(3);
      VNTRACE_ASSIGN_OR_RETURN(c.root_hash, HashOf(select.ColumnBlob(4), "a co-signed root"));
      c.cosignature.assign(select.ColumnBlob(5));
      c.received_at = core::Timestamp::FromUnixNanos(select.ColumnInt64(6));
      out.push_back(std::move(c));
    }
  });
  VNTRACE_RETURN_IF_ERROR(read);
  return out;
}

}  // namespace vntrace::store::sqlite
