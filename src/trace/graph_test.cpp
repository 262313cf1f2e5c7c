#include "trace/graph.hpp"

#include <gtest/gtest.h>

#include "trace/trace_fixture.hpp"

namespace vntrace::trace {
namespace {

using boost::json::object;
using testing::At;
using testing::Base;
using testing::Gtin;
using testing::ItemId;
using testing::LotId;
using testing::Quantities;
using testing::Strings;
using Set = std::set<std::string>;

// GTINs of the chain: fresh bitter melon, dried bitter melon, salt, dried beef.
const std::string kMelon = Gtin("0893500000001");
const std::string kDried = Gtin("0893500000002");
const std::string kSalt = Gtin("0893500000003");
const std::string kBeef = Gtin("0893500000004");

object Transform(const std::string& id, int hour,
                 const std::vector<std::pair<std::string, double>>& in,
                 const std::vector<std::pair<std::string, double>>& out,
                 std::string transformation_id = "") {
  object e = Base("TransformationEvent", id, hour);
  if (!in.empty()) e["inputQuantityList"] = Quantities(in);
  if (!out.empty()) e["outputQuantityList"] = Quantities(out);
  if (!transformation_id.empty()) e["transformationID"] = transformation_id;
  e["bizStep"] = "commissioning";
  return e;
}

object Aggregate(const std::string& id, int hour, std::string_view action,
                 const std::string& parent, const std::vector<std::string>& children) {
  object e = Base("AggregationEvent", id, hour);
  e["parentID"] = parent;
  if (!children.empty()) e["childEPCs"] = Strings(children);
  e["action"] = action;
  e["bizStep"] = action == "DELETE" ? "unpacking" : "packing";
  return e;
}

object Ship(const std::string& id, int hour, const std::vector<std::string>& epcs,
            const std::string& from_party, const std::string& to_party) {
  object e = Base("ObjectEvent", id, hour);
  e["epcList"] = Strings(epcs);
  e["action"] = "OBSERVE";
  e["bizStep"] = "shipping";
  e["sourceList"] = boost::json::array{object{{"type", "owning_party"}, {"source", from_party}}};
  e["destinationList"] =
      boost::json::array{object{{"type", "owning_party"}, {"destination", to_party}}};
  return e;
}

object Commission(const std::string& id, int hour, const std::vector<std::string>& items,
                  const std::string& lot_number) {
  object e = Base("ObjectEvent", id, hour);
  e["epcList"] = Strings(items);
  e["action"] = "ADD";
  e["bizStep"] = "commissioning";
  if (!lot_number.empty()) e["ilmd"] = object{{"cbvmda:lotNumber", lot_number}};
  return e;
}

class GraphTest : public testing::TraceStoreTest {};

TEST_F(GraphTest, BackwardStopsAtTrueInputs) {
  const std::string a = LotId(kMelon, "A"), b = LotId(kSalt, "B"), c = LotId(kMelon, "C");
  const std::string z = LotId(kDried, "Z"), w = LotId(kDried, "W");
  Capture({Transform("urn:uuid:t1", 1, {{a, 10}, {b, 1}}, {{z, 3}}),
           Transform("urn:uuid:t2", 2, {{c, 10}, {b, 1}}, {{w, 3}})});
  EXPECT_EQ(Things(Run(z, Direction::kBackward)), (Set{z, a, b}));
  EXPECT_EQ(Things(Run(a, Direction::kForward)), (Set{a, z}));
  EXPECT_EQ(Things(Run(b, Direction::kForward)), (Set{b, z, w}));
  EXPECT_EQ(Things(Run(b, Direction::kBackward)), (Set{b}));
  const TraceResult both = Run(z, Direction::kBoth);
  EXPECT_EQ(both.root, z);
  EXPECT_EQ(both.nodes.front().id, z);
  EXPECT_TRUE(HasEdge(both, a, z, EdgeKind::kInput));
  EXPECT_TRUE(HasEdge(both, b, z, EdgeKind::kInput));
}

TEST_F(GraphTest, EventsSharingATransformationIdAreOneTransformation) {
  const std::string a = LotId(kMelon, "A"), z = LotId(kDried, "Z"), y = LotId(kDried, "Y");
  Capture({Transform("urn:uuid:in", 1, {{a, 10}}, {}, "urn:uuid:tx-1"),
           Transform("urn:uuid:out", 5, {}, {{z, 2}}, "urn:uuid:tx-1"),
           Transform("urn:uuid:other", 6, {}, {{y, 2}}, "urn:uuid:tx-2")});
  EXPECT_EQ(Things(Run(a, Direction::kForward)), (Set{a, z}));
  EXPECT_EQ(Things(Run(z, Direction::kBackward)), (Set{z, a}));
}

TEST_F(GraphTest, UrnAndDigitalLinkOfTheSameLotAreOneNode) {
  // urn:epc:class:lgtin:0614141.107346.L1 is GTIN 10614141073464, lot L1.
  const std::string dl = "https://id.gs1.org/01/10614141073464/10/L1";
  const std::string z = LotId(kDried, "Z");
  Capture({Transform("urn:uuid:t1", 1, {{"urn:epc:class:lgtin:0614141.107346.L1", 4}}, {{z, 1}}),
           Transform("urn:uuid:t2", 2, {{"https://example.com/01/10614141073464/10/L1", 4}},
                     {{LotId(kDried, "Z2"), 1}})});
  const TraceResult r = Run("urn:epc:class:lgtin:0614141.107346.L1", Direction::kForward);
  EXPECT_EQ(r.root, dl);
  EXPECT_EQ(Things(r), (Set{dl, z, LotId(kDried, "Z2")}));
  EXPECT_EQ(Find(r, dl)->kind, NodeKind::kLot);
}

TEST_F(GraphTest, ContainersCarryWhatTheyHoldOnlyWhileTheyHoldIt) {
  const std::string i1 = ItemId(kDried, "1"), i2 = ItemId(kDried, "2"), i3 = ItemId(kBeef, "3");
  const std::string lot_a = LotId(kDried, "A"), lot_b = LotId(kDried, "B");
  const std::string box = testing::SsccId("08935000000000001");
  const std::string p0 = testing::PartyId("893500000010"), r1 = testing::PartyId("893500000011");
  const std::string r2 = testing::PartyId("893500000012"), r0 = testing::PartyId("893500000013");
  Capture({Commission("urn:uuid:c1", 1, {i1}, "A"), Commission("urn:uuid:c2", 1, {i2}, "B"),
           Commission("urn:uuid:c3", 1, {i3}, ""),
           // Before i1 goes in, the box travels once empty-handed to r0.
           Ship("urn:uuid:s0", 2, {box}, p0, r0), Aggregate("urn:uuid:a1", 3, "ADD", box, {i1, i2}),
           Ship("urn:uuid:s1", 4, {box}, p0, r1), Aggregate("urn:uuid:d1", 5, "DELETE", box, {}),
           Aggregate("urn:uuid:a2", 6, "ADD", box, {i3}), Ship("urn:uuid:s2", 7, {box}, r1, r2)});
  const TraceResult forward = Run(i1, Direction::kForward);
  EXPECT_EQ(Things(forward), (Set{i1, box}));
  EXPECT_EQ(Ids(forward, {NodeKind::kParty}), (Set{p0, r1}));
  EXPECT_EQ(Find(forward, box)->kind, NodeKind::kContainer);
  EXPECT_TRUE(HasEdge(forward, box, i1, EdgeKind::kContains));
  EXPECT_TRUE(HasEdge(forward, box, r1, EdgeKind::kShipped));

  // From the lot: its items, then the box while it held them.
  const TraceResult from_lot = Run(lot_a, Direction::kForward);
  EXPECT_EQ(Things(from_lot), (Set{lot_a, i1, box}));
  EXPECT_TRUE(HasEdge(from_lot, i1, lot_a, EdgeKind::kBelongsTo));
  EXPECT_EQ(Ids(from_lot, {NodeKind::kParty}), (Set{p0, r1}));

  // Backward from the box: everything it ever held, and the lots they belong to.
  EXPECT_EQ(Things(Run(box, Direction::kBackward)), (Set{box, i1, i2, i3, lot_a, lot_b}));
  // Backward from i2: its lot, and the box that carried it (not what else the box held).
  EXPECT_EQ(Things(Run(i2, Direction::kBackward)), (Set{i2, lot_b, box}));
}

TEST_F(GraphTest, ObservingAContainerObservesWhatItHoldsAtThatTime) {
  const std::string i1 = ItemId(kDried, "1");
  const std::string box = testing::SsccId("08935000000000003");
  const std::string inside = testing::GlnId("893500000040");
  const std::string after = testing::GlnId("893500000041");
  auto observe = [&](const std::string& id, int hour, const std::string& where) {
    object e = Base("ObjectEvent", id, hour);
    e["epcList"] = Strings({box});
    e["action"] = "OBSERVE";
    e["bizStep"] = "storing";
    e["bizLocation"] = object{{"id", where}};
    return e;
  };
  Capture({Aggregate("urn:uuid:a", 1, "ADD", box, {i1}), observe("urn:uuid:o1", 2, inside),
           Aggregate("urn:uuid:d", 3, "DELETE", box, {i1}), observe("urn:uuid:o2", 4, after)});
  const TraceResult r = Run(i1, Direction::kForward);
  EXPECT_EQ(Ids(r, {NodeKind::kLocation}), (Set{inside}));
  EXPECT_TRUE(HasEdge(r, box, inside, EdgeKind::kObserved));
}

TEST_F(GraphTest, PartialQuantitiesKeepTheirOwnPaths) {
  const std::string a = LotId(kMelon, "A"), z1 = LotId(kDried, "Z1"), z2 = LotId(kDried, "Z2");
  const std::string s = LotId(kSalt, "S");
  Capture({Transform("urn:uuid:t1", 2, {{a, 60}}, {{z1, 20}}),
           Transform("urn:uuid:t2", 3, {{a, 40}, {s, 1}}, {{z2, 13}})});
  EXPECT_EQ(Things(Run(a, Direction::kForward)), (Set{a, z1, z2}));
  EXPECT_EQ(Things(Run(z1, Direction::kBackward)), (Set{z1, a}));
  EXPECT_EQ(Things(Run(z2, Direction::kBackward)), (Set{z2, a, s}));
}

TEST_F(GraphTest, EventsRecordedLateAreOrderedByEventTime) {
  const std::string i1 = ItemId(kDried, "1");
  const std::string box = testing::SsccId("08935000000000002");
  const std::string p0 = testing::PartyId("893500000010"), r0 = testing::PartyId("893500000013");
  const std::string r1 = testing::PartyId("893500000011");
  // The shipment after packing arrives first; the earlier one (before packing) last.
  Capture({Ship("urn:uuid:s1", 4, {box}, p0, r1)});
  Capture({Aggregate("urn:uuid:a1", 3, "ADD", box, {i1})});
  Capture({Ship("urn:uuid:s0", 2, {box}, p0, r0)});
  EXPECT_EQ(Ids(Run(i1, Direction::kForward), {NodeKind::kParty}), (Set{p0, r1}));
}

TEST_F(GraphTest, DeclaredErroneousEventsNoLongerLink) {
  const std::string a = LotId(kMelon, "A"), z = LotId(kDried, "Z"), q = LotId(kDried, "Q");
  object wrong = Transform("urn:uuid:wrong", 2, {{a, 10}}, {{q, 3}});
  wrong["errorDeclaration"] =
      object{{"declarationTime", "2026-03-05T00:00:00Z"}, {"reason", "incorrect_data"}};
  Capture({Transform("urn:uuid:right", 1, {{a, 10}}, {{z, 3}}), wrong});
  EXPECT_EQ(Things(Run(a, Direction::kForward)), (Set{a, z}));
  EXPECT_EQ(Things(Run(q, Direction::kBackward)), (Set{q}));
}

TEST_F(GraphTest, ReworkLoopsTerminate) {
  const std::string l1 = LotId(kDried, "L1"), l2 = LotId(kDried, "L2"), l3 = LotId(kDried, "L3");
  Capture({Transform("urn:uuid:t1", 1, {{l1, 5}}, {{l2, 5}}),
           Transform("urn:uuid:t2", 2, {{l2, 1}}, {{l1, 1}}),  // part of L2 reworked into L1
           Transform("urn:uuid:t3", 3, {{l1, 4}}, {{l3, 4}})});
  EXPECT_EQ(Things(Run(l1, Direction::kForward)), (Set{l1, l2, l3}));
  EXPECT_EQ(Things(Run(l3, Direction::kBackward)), (Set{l3, l1, l2}));
}

TEST_F(GraphTest, MovementsNamePartiesAndLocations) {
  const std::string a = LotId(kMelon, "A");
  const std::string farm = testing::PartyId("893500000020");
  const std::string coop = testing::PartyId("893500000021");
  const std::string warehouse = testing::GlnId("893500000022");
  object ship = Base("ObjectEvent", "urn:uuid:ship", 2);
  ship["quantityList"] = Quantities({{a, 30}});
  ship["action"] = "OBSERVE";
  ship["bizStep"] = "shipping";
  ship["sourceList"] = boost::json::array{object{{"type", "owning_party"}, {"source", farm}}};
  ship["destinationList"] =
      boost::json::array{object{{"type", "owning_party"}, {"destination", coop}},
                         object{{"type", "location"}, {"destination", warehouse}}};
  object receive = Base("ObjectEvent", "urn:uuid:recv", 3);
  receive["quantityList"] = Quantities({{a, 30}});
  receive["action"] = "OBSERVE";
  receive["bizStep"] = "receiving";
  receive["bizLocation"] = object{{"id", warehouse}};
  Capture({ship, receive});
  const TraceResult r = Run(a, Direction::kForward);
  EXPECT_EQ(Find(r, farm)->kind, NodeKind::kParty);
  EXPECT_EQ(Find(r, coop)->kind, NodeKind::kParty);
  EXPECT_EQ(Find(r, warehouse)->kind, NodeKind::kLocation);
  EXPECT_TRUE(HasEdge(r, farm, a, EdgeKind::kShipped));
  EXPECT_TRUE(HasEdge(r, a, coop, EdgeKind::kShipped));
  EXPECT_TRUE(HasEdge(r, a, warehouse, EdgeKind::kReceived));
  EXPECT_EQ(Find(r, warehouse)->first_seen->unix_nanos(), core::ParseRfc3339(At(2))->unix_nanos());
}

TEST_F(GraphTest, ItemsBelongToTheLotTheirDigitalLinkNames) {
  const std::string with_lot = "https://id.gs1.org/01/" + kBeef + "/10/L9/21/S1";
  const std::string item = ItemId(kBeef, "S1");
  const std::string lot = LotId(kBeef, "L9");
  Capture({Commission("urn:uuid:c", 1, {with_lot}, "")});
  const TraceResult back = Run(item, Direction::kBackward);
  EXPECT_EQ(Things(back), (Set{item, lot}));
  EXPECT_TRUE(HasEdge(back, item, lot, EdgeKind::kBelongsTo));
  EXPECT_EQ(Things(Run(lot, Direction::kForward)), (Set{lot, item}));
}

TEST_F(GraphTest, TraceFromALocationStartsWithWhatWasThere) {
  const std::string farm = testing::GlnId("893500000030");
  const std::string a = LotId(kMelon, "A"), z = LotId(kDried, "Z");
  object harvest = Base("ObjectEvent", "urn:uuid:h", 1);
  harvest["quantityList"] = Quantities({{a, 100}});
  harvest["action"] = "ADD";
  harvest["bizStep"] = "commissioning";
  harvest["readPoint"] = object{{"id", farm}};
  Capture({harvest, Transform("urn:uuid:t", 2, {{a, 100}}, {{z, 30}})});
  const TraceResult r = Run(farm, Direction::kForward);
  EXPECT_EQ(Find(r, farm)->kind, NodeKind::kLocation);
  EXPECT_EQ(Things(r), (Set{a, z}));
}

TEST_F(GraphTest, DepthLimitsTheWalk) {
  const std::string l1 = LotId(kDried, "D1"), l2 = LotId(kDried, "D2"), l3 = LotId(kDried, "D3");
  Capture({Transform("urn:uuid:t1", 1, {{l1, 5}}, {{l2, 5}}),
           Transform("urn:uuid:t2", 2, {{l2, 5}}, {{l3, 5}})});
  EXPECT_EQ(Things(Run(l1, Direction::kForward, 1)), (Set{l1, l2}));
  EXPECT_EQ(Things(Run(l1, Direction::kForward, 0)), (Set{l1}));
}

TEST_F(GraphTest, UnknownIdentifierGivesTheRootAlone) {
  const TraceResult r = Run("urn:example:nothing", Direction::kBoth);
  ASSERT_EQ(r.nodes.size(), 1u);
  EXPECT_EQ(r.nodes[0].id, "urn:example:nothing");
  EXPECT_TRUE(r.edges.empty());
}

TEST_F(GraphTest, RefusesEmptyIdentifiers) {
  EXPECT_FALSE(Trace(*store_, "", {}).ok());
  EXPECT_FALSE(Trace(*store_, std::string(5000, 'x'), {}).ok());
  EXPECT_FALSE(ParseDirection("sideways").ok());
}

TEST(LabelTest, NamesTheKeys) {
  EXPECT_EQ(LabelOf("https://id.gs1.org/01/08935000000019/10/L1"), "GTIN 08935000000019 · lot L1");
  EXPECT_EQ(LabelOf("urn:example:x"), "urn:example:x");
}

}  // namespace
}  // namespace vntrace::trace
