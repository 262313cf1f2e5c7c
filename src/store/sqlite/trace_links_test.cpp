// The trace link tables (trace_links.hpp): what a capture writes, what the link reader returns,
// declarations, and the migration's backfill giving the same rows as capture.
#include "store/sqlite/trace_links.hpp"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "store/contract/event_builder.hpp"
#include "store/migrations/sqlite_migrations.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace vntrace::store::sqlite {
namespace {

using epcis::EventType;
using epcis::IndexKind;
using testing::EventBuilder;

constexpr std::int64_t kT0 = 1'750'000'000;
const std::string kLot = "https://id.gs1.org/01/08935000000019/10/L1";
const std::string kItem = "https://id.gs1.org/01/08935000000019/21/S1";
const std::string kCase = "https://id.gs1.org/00/089350000000000017";
const std::string kFarm = "https://id.gs1.org/414/8935000000017";
const std::string kShop = "https://id.gs1.org/417/8935000000024";

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern =
        (std::filesystem::path(::testing::TempDir()) / "trace-links-XXXXXX").string();
    VNTRACE_ASSERT(mkdtemp(pattern.data()) != nullptr);  // the temp dir must be writable
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::vector<epcis::Event> Chain() {
  return {
      EventBuilder("urn:uuid:harvest")
          .EventTimeSeconds(kT0, 420)
          .Action("ADD")
          .EpcClass(kLot, 100)
          .BizStep("commissioning")
          .BizLocation(kFarm)
          .Build(),
      EventBuilder("urn:uuid:pack")
          .EventTimeSeconds(kT0 + 60)
          .Action("ADD")
          .Epc(kItem)
          .Index(IndexKind::kInstanceLot, kLot, kItem)
          .ReadPoint(kFarm)
          .Build(),
      EventBuilder("urn:uuid:case", EventType::kAggregationEvent)
          .EventTimeSeconds(kT0 + 120)
          .Action("ADD")
          .ParentId(kCase)
          .ChildEpc(kItem)
          .Build(),
      EventBuilder("urn:uuid:ship")
          .EventTimeSeconds(kT0 + 180)
          .Epc(kCase)
          .BizStep("shipping")
          .Source("location", kFarm)
          .Destination("owning_party", kShop)
          .BizTransaction("po", "urn:epcglobal:cbv:bt:8935000000024:1")
          .Build(),
  };
}

// Every row of the link tables, by identifier rather than node number.
using LinkRow = std::tuple<std::string, std::string, std::int64_t, std::string>;
using EventRow =
    std::tuple<std::int64_t, std::string, std::int64_t, std::int64_t, std::int64_t, std::string>;
struct Dump {
  std::vector<LinkRow> links;
  std::vector<EventRow> events;
  std::int64_t nodes = 0;
};

Dump DumpTables(Connection& connection) {
  static constexpr std::string_view kLinks =
      "SELECT n.name, e.event_id, l.kind, coalesce(p.name, '') FROM trace_links l "
      "JOIN trace_nodes n ON n.id = l.node JOIN events e ON e.id = l.event_rowid "
      "LEFT JOIN trace_nodes p ON p.id = l.peer";
  static constexpr std::string_view kEvents =
      "SELECT t.event_rowid, t.event_id, t.time_ns, t.time_offset, t.flags, "
      "coalesce(n.name, '') FROM trace_events t LEFT JOIN trace_nodes n ON n.id = t.location "
      "ORDER BY t.event_rowid";
  static constexpr std::string_view kNodes = "SELECT count(*) FROM trace_nodes";
  Dump dump;
  core::Result<BoundStatement> links = connection.Prepare(kLinks);
  VNTRACE_ASSERT(links.ok());  // test SQL
  while (*links->Step()) {
    dump.links.emplace_back(links->ColumnText(0), links->ColumnText(1), links->ColumnInt64(2),
                            links->ColumnText(3));
  }
  std::sort(dump.links.begin(), dump.links.end());
  core::Result<BoundStatement> events = connection.Prepare(kEvents);
  VNTRACE_ASSERT(events.ok());  // test SQL
  while (*events->Step()) {
    dump.events.emplace_back(events->ColumnInt64(0), events->ColumnText(1), events->ColumnInt64(2),
                             events->ColumnInt64(3), events->ColumnInt64(4), events->ColumnText(5));
  }
  core::Result<BoundStatement> nodes = connection.Prepare(kNodes);
  VNTRACE_ASSERT(nodes.ok());  // test SQL
  VNTRACE_ASSERT(*nodes->Step());
  dump.nodes = nodes->ColumnInt64(0);
  return dump;
}

TEST(TraceLinks, CaptureWritesIntegerLinksAndDeclarationsStopThem) {
  ScratchDir dir;
  core::Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open({.path = dir.File("t.db")});
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  const std::vector<epcis::Event> events = Chain();
  ASSERT_TRUE((*store)->CaptureEvents(events).ok());

  {
    core::Result<std::unique_ptr<EventLinkReader>> reader = (*store)->OpenLinkReader();
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ(*(*reader)->FindNode("https://id.gs1.org/01/08935000000019/10/NONE"), 0);
    const std::int64_t lot = *(*reader)->FindNode(kLot);
    ASSERT_GT(lot, 0);
    EXPECT_EQ(*(*reader)->NodeName(lot), kLot);
    EXPECT_EQ((*reader)->NodeName(lot + 1000).error().code, core::ErrorCode::kNotFound);
    // The lot: its harvest (quantity) and the item's instance-lot entry.
    std::vector<NodeLink> links;
    ASSERT_TRUE((*reader)->FindNodeLinks(lot, links).ok());
    ASSERT_EQ(links.size(), 2u);
    EXPECT_EQ(links[0].kind, IndexKind::kEpcClass);
    EXPECT_EQ(links[1].kind, IndexKind::kInstanceLot);
    EXPECT_LT(links[0].record, links[1].record);

    EventLinks harvest;
    ASSERT_TRUE((*reader)->ReadEventLinks(links[0].record, harvest).ok());
    EXPECT_EQ(harvest.event_id, "urn:uuid:harvest");
    EXPECT_EQ(harvest.event_time, core::Timestamp::FromUnixNanos(kT0 * 1'000'000'000, 420));
    EXPECT_EQ(harvest.type, EventType::kObjectEvent);
    EXPECT_EQ(harvest.action, LinkAction::kAdd);
    EXPECT_FALSE(harvest.declared);
    EXPECT_EQ(*(*reader)->NodeName(harvest.location), kFarm);

    EventLinks pack;
    ASSERT_TRUE((*reader)->ReadEventLinks(links[1].record, pack).ok());
    EXPECT_EQ(*(*reader)->NodeName(pack.location), kFarm);  // readPoint, no bizLocation
    const auto lot_entry =
        std::find_if(pack.entries.begin(), pack.entries.end(),
                     [](const LinkEntry& e) { return e.kind == IndexKind::kInstanceLot; });
    ASSERT_NE(lot_entry, pack.entries.end());
    EXPECT_EQ(lot_entry->node, lot);
    EXPECT_EQ(*(*reader)->NodeName(lot_entry->peer), kItem);

    // The shipment: typed source and destination, shipping; no bizTransaction link.
    const std::int64_t shop = *(*reader)->FindNode(kShop);
    links.clear();
    ASSERT_TRUE((*reader)->FindNodeLinks(shop, links).ok());
    ASSERT_EQ(links.size(), 1u);
    EXPECT_EQ(links[0].kind, IndexKind::kDestination);
    EventLinks ship;
    ASSERT_TRUE((*reader)->ReadEventLinks(links[0].record, ship).ok());
    EXPECT_TRUE(ship.shipping);
    EXPECT_FALSE(ship.receiving);
    EXPECT_EQ(ship.action, LinkAction::kObserve);
    EXPECT_EQ(ship.location, 0);
    ASSERT_EQ(ship.entries.size(), 3u);  // epc, source, destination, by kind
    EXPECT_EQ(ship.entries[0].kind, IndexKind::kEpc);
    EXPECT_EQ(ship.entries[0].peer, 0);
    EXPECT_EQ(ship.entries[1].kind, IndexKind::kSource);
    EXPECT_EQ(*(*reader)->NodeName(ship.entries[1].peer), "location");
    EXPECT_EQ(ship.entries[2].kind, IndexKind::kDestination);
    EXPECT_EQ(*(*reader)->NodeName(ship.entries[2].peer), "owning_party");
    EXPECT_EQ(ship.entries[2].node, shop);
    EventLinks missing;
    EXPECT_EQ((*reader)->ReadEventLinks(9999, missing).error().code, core::ErrorCode::kNotFound);
  }

  // Declaring the aggregation erroneous marks it in the same capture.
  const epcis::Event declaration =
      EventBuilder("urn:uuid:case", EventType::kAggregationEvent)
          .EventTimeSeconds(kT0 + 120)
          .Action("ADD")
          .ParentId(kCase)
          .ChildEpc(kItem)
          .ErrorDeclaration(core::Timestamp::FromUnixSeconds(kT0 + 500), "incorrect_data")
          .Build();
  core::Result<CaptureOutcome> outcome = (*store)->CaptureEvents({&declaration, 1});
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ(outcome->declared, 1u);
  core::Result<std::unique_ptr<EventLinkReader>> reader = (*store)->OpenLinkReader();
  ASSERT_TRUE(reader.ok());
  std::vector<NodeLink> links;
  ASSERT_TRUE((*reader)->FindNodeLinks(*(*reader)->FindNode(kCase), links).ok());
  ASSERT_EQ(links.size(), 2u);  // parentID of the aggregation, epcList of the shipment
  EventLinks aggregation;
  ASSERT_TRUE((*reader)->ReadEventLinks(links[0].record, aggregation).ok());
  EXPECT_EQ(aggregation.event_id, "urn:uuid:case");
  EXPECT_EQ(aggregation.type, EventType::kAggregationEvent);
  EXPECT_TRUE(aggregation.declared);
  EventLinks ship;
  ASSERT_TRUE((*reader)->ReadEventLinks(links[1].record, ship).ok());
  EXPECT_FALSE(ship.declared);
}

TEST(TraceLinks, BackfillWritesWhatCaptureWrites) {
  ScratchDir dir;
  const std::string path = dir.File("b.db");
  {
    core::Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open({.path = path});
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    std::vector<epcis::Event> events = Chain();
    events.push_back(
        EventBuilder("urn:uuid:declared-at-capture")
            .EventTimeSeconds(kT0 + 240)
            .Epc(kItem)
            .BizStep("receiving")
            .BizLocation(kShop)
            .ErrorDeclaration(core::Timestamp::FromUnixSeconds(kT0 + 300), "did_not_occur")
            .Build());
    ASSERT_TRUE((*store)->CaptureEvents(events).ok());
  }
  core::Result<std::unique_ptr<Connection>> raw = Connection::Open(path, false);
  ASSERT_TRUE(raw.ok());
  const Dump captured = DumpTables(**raw);
  EXPECT_EQ(captured.events.size(), 5u);
  // ObjectEvent, OBSERVE, receiving, declared.
  EXPECT_EQ(std::get<4>(captured.events[4]), 1 | (2 << 3) | 64 | 128);
  EXPECT_EQ(std::get<5>(captured.events[4]), kShop);

  // An older database: the tables as the migration found them, then its statements.
  ASSERT_TRUE((*raw)
                  ->ExecuteScript("DROP TABLE trace_links; DROP TABLE trace_events; "
                                  "DROP TABLE trace_nodes;")
                  .ok());
  const auto migrations = migrations::SqliteMigrations();
  const auto trace_links = std::find_if(migrations.begin(), migrations.end(),
                                        [](const auto& m) { return m.name == "trace links"; });
  ASSERT_NE(trace_links, migrations.end());
  ASSERT_TRUE((*raw)->ExecuteScript(trace_links->sql).ok());
  const Dump backfilled = DumpTables(**raw);
  EXPECT_EQ(backfilled.links, captured.links);
  EXPECT_EQ(backfilled.events, captured.events);
  EXPECT_EQ(backfilled.nodes, captured.nodes);
}

}  // namespace
}  // namespace vntrace::store::sqlite
