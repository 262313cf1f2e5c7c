// SQLite-specific tests of the tamper-evident log: the backfill of a database written before the
// log existed, the append-only tables, and the switch that benchmarks use.
#include "store/sqlite/sqlite_store.hpp"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "epcis/event_hash.hpp"
#include "store/contract/event_builder.hpp"
#include "store/contract/fixture.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/log_rows.hpp"

namespace vntrace::store::sqlite {
namespace {

using testing::EventBuilder;

constexpr std::int64_t kT0 = 1'700'000'000;

epcis::Event Observed(std::string id, int serial) {
  return EventBuilder(std::move(id))
      .EventTimeSeconds(kT0 + serial)
      .RecordTimeSeconds(kT0 + 1000)
      .Epc("https://id.gs1.org/01/08935001200017/21/" + std::to_string(serial))
      .Build();
}

std::unique_ptr<SqliteStore> OpenOrFail(const std::string& path, bool append_log = true) {
  core::Result<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open({.path = path, .append_log = append_log});
  EXPECT_TRUE(store.ok()) << store.error().ToString();
  return std::move(store).value();
}

TEST(SqliteLog, CaptureWithoutTheLogAppendsNoEventLeaves) {
  store::testing::TempDir dir;
  const std::string path = (dir.path() / "off.db").string();
  std::unique_ptr<SqliteStore> store = OpenOrFail(path, false);
  ASSERT_TRUE(store->CaptureEvents(std::vector{Observed("urn:uuid:a", 1)}).ok());
  EXPECT_EQ(*store->LogSize(), 0);
  EXPECT_EQ(store->FindEventLeaf("urn:uuid:a").error().code, core::ErrorCode::kNotFound);
}

TEST(SqliteLog, ADatabaseWrittenBeforeTheLogIsBackfilledOnceInOrder) {
  store::testing::TempDir dir;
  const std::string path = (dir.path() / "old.db").string();
  const epcis::Event declared =
      EventBuilder("urn:uuid:b")
          .EventTimeSeconds(kT0 + 2)
          .RecordTimeSeconds(kT0 + 1000)
          .Epc("https://id.gs1.org/01/08935001200017/21/2")
          .ErrorDeclaration(core::Timestamp::FromUnixSeconds(kT0 + 5), "incorrect_data")
          .Build();
  {
    std::unique_ptr<SqliteStore> store = OpenOrFail(path, false);
    ASSERT_TRUE(
        store->CaptureEvents(std::vector{Observed("urn:uuid:a", 1), Observed("urn:uuid:b", 2)})
            .ok());
    ASSERT_TRUE(store->CaptureEvents(std::vector{declared}).ok());
    // An audit row written by a vntrace without the log.
    core::Result<std::unique_ptr<Connection>> raw = Connection::Open(path, false);
    ASSERT_TRUE(raw.ok());
    static constexpr std::string_view kInsertAudit =
        "INSERT INTO audit_log (at_ns, actor, org_id, action, entity, entity_id, changes_json) "
        "VALUES (7, 'cli', '', 'create', 'organisation', 'o', '{}')";
    ASSERT_TRUE((*raw)->Execute(kInsertAudit).ok());
  }
  std::unique_ptr<SqliteStore> store = OpenOrFail(path);
  core::Result<std::vector<LogLeaf>> leaves = store->ReadLeaves(0, 100);
  ASSERT_TRUE(leaves.ok());
  ASSERT_EQ(leaves->size(), 4u);
  const auto content = [](const epcis::Event& e) {
    return *epcis::EventHashId(e.json, epcis::JsonLdContext());
  };
  EXPECT_EQ((*leaves)[0].kind, LeafKind::kEvent);
  EXPECT_EQ((*leaves)[0].data, content(Observed("urn:uuid:a", 1)));
  EXPECT_EQ((*leaves)[1].kind, LeafKind::kEvent);
  EXPECT_EQ((*leaves)[1].data, content(Observed("urn:uuid:b", 2)));
  EXPECT_EQ((*leaves)[2].kind, LeafKind::kErrorDeclaration);
  EXPECT_EQ((*leaves)[2].data, DeclarationLeafData(declared, content(declared)));
  EXPECT_EQ((*leaves)[3].kind, LeafKind::kAudit);
  EXPECT_EQ((*leaves)[3].data, AuditLeafData({.at = core::Timestamp::FromUnixNanos(7),
                                              .actor = "cli",
                                              .action = "create",
                                              .entity = "organisation",
                                              .entity_id = "o",
                                              .changes_json = "{}"},
                                             1));
  EXPECT_EQ(store->FindEventLeaf("urn:uuid:b")->leaf.index, 1);
  // Once: a second open finds the log filled and adds nothing.
  store.reset();
  store = OpenOrFail(path);
  EXPECT_EQ(*store->LogSize(), 4);
}

TEST(SqliteLog, TheLogTablesRefuseChanges) {
  store::testing::TempDir dir;
  const std::string path = (dir.path() / "t.db").string();
  {
    std::unique_ptr<SqliteStore> store = OpenOrFail(path);
    ASSERT_TRUE(store->AppendLeaves(std::vector<std::string>{"a", "b"}).ok());
    ASSERT_TRUE(store
                    ->SaveTreeHead({.tree_size = 2,
                                    .root_hash = LogLeafHash("r"),
                                    .signature = std::string(64, 's'),
                                    .public_key = std::string(32, 'k')})
                    .ok());
  }
  core::Result<std::unique_ptr<Connection>> raw = Connection::Open(path, false);
  ASSERT_TRUE(raw.ok());
  static constexpr std::string_view kChanges[] = {
      "UPDATE log_leaves SET data = 'x' WHERE leaf_index = 0",
      "DELETE FROM log_leaves WHERE leaf_index = 1",
      "UPDATE log_nodes SET hash = zeroblob(32)",
      "DELETE FROM log_nodes",
      "UPDATE log_tree_heads SET tree_size = 1",
      "DELETE FROM log_tree_heads",
  };
  for (std::string_view change : kChanges) {
    core::Status done = (*raw)->Execute(change);
    ASSERT_FALSE(done.ok()) << change;
    EXPECT_NE(done.error().message.find("append-only"), std::string::npos) << done.error().message;
  }
}

}  // namespace
}  // namespace vntrace::store::sqlite
