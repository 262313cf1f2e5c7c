// The LogStore contract: every backend passes these tests (typed GoogleTest over the backends,
// as store_contract_test.cpp).
#include "store/log_store.hpp"

#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

#include "core/sha256.hpp"
#include "epcis/event_hash.hpp"
#include "epcis/master_data.hpp"
#include "store/contract/event_builder.hpp"
#include "store/contract/fixture.hpp"
#include "store/fault_injection.hpp"
#include "store/store.hpp"

namespace vntrace::store {
namespace {

using testing::EventBuilder;

constexpr std::int64_t kT0 = 1'700'000'000;

std::string Hex(const LogHash& hash) {
  std::string out;
  core::AppendHex(hash, out);
  return out;
}

// SHA-256(prefix || parts...), written out here rather than through LogLeafHash/LogNodeHash.
LogHash Sha(std::uint8_t prefix, const std::vector<std::string_view>& parts) {
  core::Sha256 sha;
  sha.Update(&prefix, 1);
  for (std::string_view part : parts) {
    sha.Update(part);
  }
  return sha.Finish();
}

std::string_view View(const LogHash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

// The RFC 6962 hash of the complete subtree of `leaves` [index << level, (index + 1) << level).
LogHash NaiveNode(const std::vector<std::string>& leaves, int level, std::int64_t index) {
  if (level == 0) {
    return Sha(0x00, {leaves[static_cast<std::size_t>(index)]});
  }
  const LogHash left = NaiveNode(leaves, level - 1, 2 * index);
  const LogHash right = NaiveNode(leaves, level - 1, 2 * index + 1);
  return Sha(0x01, {View(left), View(right)});
}

std::string ContentHash(const epcis::Event& event) {
  core::Result<std::string> id = epcis::EventHashId(event.json, epcis::JsonLdContext());
  EXPECT_TRUE(id.ok());
  return id.ok() ? *id : std::string();
}

// "<length>:<bytes>" fields of docs/ledger.md's canonical forms.
std::string Field(std::string_view value) {
  return "\n" + std::to_string(value.size()) + ":" + std::string(value);
}

epcis::Event Observed(std::string id, int serial) {
  return EventBuilder(std::move(id))
      .EventTimeSeconds(kT0 + serial, 7 * 60)
      .RecordTimeSeconds(kT0 + 1000)
      .Epc("https://id.gs1.org/01/08935001200017/21/" + std::to_string(serial))
      .BizStep("shipping")
      .Build();
}

template <typename Backend>
class LogContractTest : public testing::ContractFixture<Backend> {
 public:
  LogStore& log() { return this->store_->log(); }

  std::vector<LogLeaf> Leaves() {
    core::Result<std::int64_t> size = log().LogSize();
    EXPECT_TRUE(size.ok());
    core::Result<std::vector<LogLeaf>> leaves = log().ReadLeaves(0, *size);
    EXPECT_TRUE(leaves.ok()) << leaves.error().ToString();
    return *leaves;
  }
};

TYPED_TEST_SUITE(LogContractTest, testing::Backends);

TYPED_TEST(LogContractTest, AFreshLogIsEmpty) {
  EXPECT_EQ(*this->log().LogSize(), 0);
  EXPECT_TRUE(this->log().ReadLeaves(0, 0)->empty());
  EXPECT_FALSE(this->log().LatestTreeHead()->has_value());
  EXPECT_EQ(this->log().ReadNodes(std::vector<NodeId>{{.level = 0, .index = 0}}).error().code,
            core::ErrorCode::kNotFound);
}

TYPED_TEST(LogContractTest, LeafHashesAreRfc6962) {
  // RFC 6962 §2.1 and the Certificate Transparency test data: the hash of the empty leaf.
  EXPECT_EQ(Hex(LogLeafHash("")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  EXPECT_EQ(Hex(LogLeafHash(std::string(1, '\0'))),
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
  const LogHash a = LogLeafHash("a");
  const LogHash b = LogLeafHash("b");
  EXPECT_EQ(LogNodeHash(a, b), Sha(0x01, {View(a), View(b)}));
  EXPECT_NE(LogNodeHash(a, b), LogNodeHash(b, a));
}

TYPED_TEST(LogContractTest, CaptureAppendsOneLeafPerNewEventInAcceptanceOrder) {
  const epcis::Event first = Observed("urn:uuid:8a1c0f5e-0001-4000-8000-000000000001", 1);
  epcis::Event second = Observed("", 2);
  second.event_id = ContentHash(second);  // as the decoder names an event sent without eventID
  second.json["eventID"] = second.event_id;
  const epcis::Event third = Observed("urn:uuid:8a1c0f5e-0001-4000-8000-000000000003", 3);
  ASSERT_TRUE(this->store_->CaptureEvents(std::vector{first, second}).ok());
  // A repeated event is skipped and appends nothing; a new one follows.
  ASSERT_TRUE(this->store_->CaptureEvents(std::vector{second, third}).ok());

  const std::vector<LogLeaf> leaves = this->Leaves();
  ASSERT_EQ(leaves.size(), 3u);
  EXPECT_EQ(leaves[0].data, ContentHash(first));
  EXPECT_EQ(leaves[1].data, second.event_id);
  EXPECT_EQ(leaves[2].data, ContentHash(third));
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    EXPECT_EQ(leaves[i].index, static_cast<std::int64_t>(i));
    EXPECT_EQ(leaves[i].kind, LeafKind::kEvent);
    EXPECT_TRUE(leaves[i].data.starts_with("ni:///sha-256;")) << leaves[i].data;
    EXPECT_EQ(leaves[i].hash, Sha(0x00, {leaves[i].data}));
  }

  core::Result<EventLeaf> found = this->log().FindEventLeaf(third.event_id);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->leaf, leaves[2]);
  EXPECT_EQ(found->event_id, third.event_id);
  EXPECT_EQ(found->content_hash_id, leaves[2].data);
  EXPECT_EQ(this->log().FindEventLeaf("urn:uuid:nothing").error().code, core::ErrorCode::kNotFound);
}

TYPED_TEST(LogContractTest, AFailedCaptureAppendsNothing) {
  ASSERT_TRUE(this->store_->CaptureEvents(std::vector{Observed("urn:uuid:a", 1)}).ok());
  this->store_.reset();
  FailAt fault(FaultPoint::kCommit, 1);
  this->store_ = this->Open(&fault);
  EXPECT_FALSE(
      this->store_->CaptureEvents(std::vector{Observed("urn:uuid:b", 2), Observed("urn:uuid:c", 3)})
          .ok());
  EXPECT_EQ(*this->log().LogSize(), 1);
  // The next capture continues the tree where the last committed one left it.
  ASSERT_TRUE(this->store_->CaptureEvents(std::vector{Observed("urn:uuid:d", 4)}).ok());
  const std::vector<LogLeaf> leaves = this->Leaves();
  ASSERT_EQ(leaves.size(), 2u);
  EXPECT_EQ(leaves[1].data, ContentHash(Observed("urn:uuid:d", 4)));
  const std::vector<std::string> data = {leaves[0].data, leaves[1].data};
  EXPECT_EQ(*this->log().ReadNodes(std::vector<NodeId>{{.level = 1, .index = 0}}),
            std::vector<LogHash>{NaiveNode(data, 1, 0)});
}

TYPED_TEST(LogContractTest, AnErrorDeclarationAppendsItsOwnLeaf) {
  const epcis::Event event = Observed("urn:uuid:e", 1);
  ASSERT_TRUE(this->store_->CaptureEvents(std::vector{event}).ok());
  const core::Timestamp declared = core::Timestamp::FromUnixNanos((kT0 + 500) * 1'000'000'000);
  const epcis::Event declaration =
      EventBuilder("urn:uuid:e")
          .EventTimeSeconds(kT0 + 1, 7 * 60)
          .RecordTimeSeconds(kT0 + 1000)
          .Epc("https://id.gs1.org/01/08935001200017/21/1")
          .BizStep("shipping")
          .ErrorDeclaration(declared, "incorrect_data", "urn:uuid:fixed")
          .Build();
  core::Result<CaptureOutcome> outcome = this->store_->CaptureEvents(std::vector{declaration});
  ASSERT_TRUE(outcome.ok());
  ASSERT_EQ(outcome->declared, 1u);
  // Declaring it again is skipped and appends nothing.
  ASSERT_TRUE(this->store_->CaptureEvents(std::vector{declaration}).ok());

  const std::vector<LogLeaf> leaves = this->Leaves();
  ASSERT_EQ(leaves.size(), 2u);
  EXPECT_EQ(leaves[1].kind, LeafKind::kErrorDeclaration);
  const std::string canonical = "vntrace-error-declaration-v1" + Field(ContentHash(declaration)) +
                                Field(std::to_string(declared.unix_nanos())) +
                                Field("incorrect_data") + Field("1") + Field("urn:uuid:fixed");
  EXPECT_EQ(leaves[1].data, "sha256:" + core::Sha256Hex(canonical));
  // The event keeps its own leaf.
  EXPECT_EQ(this->log().FindEventLeaf("urn:uuid:e")->leaf.index, 0);
}

TYPED_TEST(LogContractTest, EveryAuditedChangeAppendsALeaf) {
  const AuditEntry audit{.at = core::Timestamp::FromUnixNanos(1'700'000'000'123'456'789),
                         .actor = "cli",
                         .org_id = "https://x.vn/id/org/a",
                         .action = "create",
                         .entity = "organisation",
                         .entity_id = "https://x.vn/id/org/a",
                         .changes_json = R"({"name":"HTX Tỏi Lý Sơn"})"};
  ASSERT_TRUE(this->store_->registry()
                  .CreateOrganisation({.id = "https://x.vn/id/org/a",
                                       .kind = OrganisationKind::kCooperative,
                                       .name = "HTX Tỏi Lý Sơn"},
                                      audit)
                  .ok());
  ASSERT_TRUE(this->store_->registry()
                  .AppendAudit({.at = audit.at, .actor = "user:u", .action = "login"})
                  .ok());
  // A refused change (the id is taken) stores neither its audit entry nor a leaf.
  EXPECT_FALSE(this->store_->registry()
                   .CreateOrganisation({.id = "https://x.vn/id/org/a", .name = "again"}, audit)
                   .ok());

  const std::vector<LogLeaf> leaves = this->Leaves();
  ASSERT_EQ(leaves.size(), 2u);
  const std::vector<AuditEntry> entries = *this->store_->registry().ListAudit("", 10);
  ASSERT_EQ(entries.size(), 2u);
  const AuditEntry& stored = entries[1];  // newest first
  const std::string canonical =
      "vntrace-audit-v1" + Field(std::to_string(stored.sequence)) + Field("1700000000123456789") +
      Field("cli") + Field("https://x.vn/id/org/a") + Field("create") + Field("organisation") +
      Field("https://x.vn/id/org/a") + Field(R"({"name":"HTX Tỏi Lý Sơn"})");
  EXPECT_EQ(leaves[0].kind, LeafKind::kAudit);
  EXPECT_EQ(leaves[0].data, "sha256:" + core::Sha256Hex(canonical));
  EXPECT_EQ(leaves[1].kind, LeafKind::kAudit);
  EXPECT_TRUE(leaves[1].data.starts_with("sha256:"));
  EXPECT_EQ(leaves[1].data.size(), 7u + 64u);
}

TYPED_TEST(LogContractTest, EveryCapturedVocabularyElementAppendsALeaf) {
  const std::string site = "https://id.gs1.org/414/8935001000013";
  const std::string name = "urn:epcglobal:cbv:mda:name";
  auto element = [&](std::string_view value) {
    return epcis::VocabularyElement{
        .type = std::string(epcis::kBusinessLocationVocabulary),
        .id = site,
        .attributes = {{.id = name, .value = boost::json::string(value)}},
        .children = {},
        .has_children = false};
  };
  const std::vector<epcis::Event> events = {EventBuilder("urn:uuid:md").Build()};
  ASSERT_TRUE(this->store_->CaptureDocument(events, std::vector{element("Kho Nghĩa Ân")}).ok());
  // A later document changes the element: one more leaf, for the element as now stored.
  ASSERT_TRUE(this->store_->CaptureDocument({}, std::vector{element("Kho Sa Huỳnh")}).ok());

  const std::vector<LogLeaf> leaves = this->Leaves();
  ASSERT_EQ(leaves.size(), 3u);
  EXPECT_EQ(leaves[0].kind, LeafKind::kMasterData);  // master data first, then the events
  EXPECT_EQ(leaves[1].kind, LeafKind::kEvent);
  EXPECT_EQ(leaves[2].kind, LeafKind::kMasterData);
  EXPECT_NE(leaves[0].data, leaves[2].data);
  core::Result<epcis::VocabularyElement> stored =
      this->store_->GetVocabularyElement(epcis::kBusinessLocationVocabulary, site);
  ASSERT_TRUE(stored.ok()) << stored.error().ToString();
  const std::string canonical =
      "vntrace-master-data-v1" + Field(epcis::kBusinessLocationVocabulary) + Field(site) +
      Field(boost::json::serialize(epcis::VocabularyElementJson(*stored)));
  EXPECT_EQ(leaves[2].data, "sha256:" + core::Sha256Hex(canonical));
}

TYPED_TEST(LogContractTest, EveryCompleteSubtreeIsStoredAndNothingElse) {
  std::vector<std::string> data;
  for (int i = 0; i < 45; ++i) {
    data.push_back("leaf " + std::to_string(i));
  }
  // In uneven batches, with a reopen in between: appends continue from the stored tree.
  ASSERT_EQ(*this->log().AppendLeaves(std::span(data).subspan(0, 1)), 0);
  ASSERT_EQ(*this->log().AppendLeaves(std::span(data).subspan(1, 12)), 1);
  this->Reopen();
  ASSERT_EQ(*this->log().AppendLeaves(std::span(data).subspan(13, 19)), 13);
  ASSERT_EQ(*this->log().AppendLeaves(std::span(data).subspan(32)), 32);
  EXPECT_EQ(*this->log().AppendLeaves({}), 45);
  ASSERT_EQ(*this->log().LogSize(), 45);

  std::vector<NodeId> complete;
  std::vector<LogHash> expected;
  for (int level = 0; (std::int64_t{1} << level) <= 45; ++level) {
    for (std::int64_t index = 0; (index + 1) << level <= 45; ++index) {
      complete.push_back({.level = level, .index = index});
      expected.push_back(NaiveNode(data, level, index));
    }
  }
  core::Result<std::vector<LogHash>> read = this->log().ReadNodes(complete);
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_EQ(*read, expected);
  for (NodeId incomplete : {NodeId{.level = 0, .index = 45}, NodeId{.level = 1, .index = 22},
                            NodeId{.level = 4, .index = 2}, NodeId{.level = 6, .index = 0}}) {
    EXPECT_EQ(this->log().ReadNodes(std::vector{incomplete}).error().code,
              core::ErrorCode::kNotFound)
        << incomplete.level << "," << incomplete.index;
  }
  EXPECT_EQ(this->log().ReadNodes(std::vector<NodeId>{{.level = -1, .index = 0}}).error().code,
            core::ErrorCode::kInvalidArgument);

  const std::vector<LogLeaf> some = *this->log().ReadLeaves(40, 50);
  ASSERT_EQ(some.size(), 5u);
  EXPECT_EQ(some.front().data, "leaf 40");
  EXPECT_EQ(some.front().kind, LeafKind::kOther);
  EXPECT_EQ(this->log().ReadLeaves(5, 4).error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(this->log().ReadLeaves(0, 10'001).error().code, core::ErrorCode::kInvalidArgument);
}

TYPED_TEST(LogContractTest, TreeHeadsAreKeptNewestLast) {
  ASSERT_TRUE(this->log().AppendLeaves(std::vector<std::string>{"a", "b", "c"}).ok());
  const TreeHead first{.tree_size = 2,
                       .timestamp_ms = 1'700'000'000'000,
                       .root_hash = LogLeafHash("x"),
                       .signature = std::string(64, 's'),
                       .public_key = std::string(32, 'k')};
  TreeHead second = first;
  second.tree_size = 3;
  second.timestamp_ms += 60'000;
  ASSERT_TRUE(this->log().SaveTreeHead(first).ok());
  ASSERT_TRUE(this->log().SaveTreeHead(second).ok());
  this->Reopen();
  EXPECT_EQ(**this->log().LatestTreeHead(), second);
  TreeHead beyond = second;
  beyond.tree_size = 4;
  EXPECT_EQ(this->log().SaveTreeHead(beyond).error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(**this->log().LatestTreeHead(), second);
}

TYPED_TEST(LogContractTest, WitnessedHeadsAreRecordedOnlyOverTheLastOne) {
  WitnessedHead witnessed{.origin = "https://a.example",
                          .head = {.tree_size = 5,
                                   .timestamp_ms = 1'700'000'000'000,
                                   .root_hash = LogLeafHash("r5"),
                                   .signature = std::string(64, 's'),
                                   .public_key = std::string(32, 'L')},
                          .cosignature = std::string(64, 'c'),
                          .witness_public_key = std::string(32, 'W'),
                          .cosigned_at = core::Timestamp::FromUnixSeconds(kT0)};
  EXPECT_FALSE(this->log().LastWitnessed(witnessed.head.public_key)->has_value());
  core::Result<std::int64_t> first = this->log().RecordWitnessed(witnessed, 0);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  WitnessedHead later = witnessed;
  later.head.tree_size = 9;
  later.head.root_hash = LogLeafHash("r9");
  // Recorded against a stale view of the last head: refused.
  EXPECT_EQ(this->log().RecordWitnessed(later, 0).error().code, core::ErrorCode::kUnavailable);
  core::Result<std::int64_t> second = this->log().RecordWitnessed(later, *first);
  ASSERT_TRUE(second.ok());
  EXPECT_GT(*second, *first);
  this->Reopen();
  core::Result<std::optional<WitnessedHead>> last =
      this->log().LastWitnessed(witnessed.head.public_key);
  ASSERT_TRUE(last.ok() && last->has_value());
  later.sequence = *second;
  EXPECT_EQ(**last, later);
  // Another log's key starts its own history.
  WitnessedHead other = witnessed;
  other.head.public_key = std::string(32, 'M');
  EXPECT_FALSE(this->log().LastWitnessed(other.head.public_key)->has_value());
  EXPECT_TRUE(this->log().RecordWitnessed(other, 0).ok());
}

TYPED_TEST(LogContractTest, CosignaturesAreListedNewestFirst) {
  const Cosignature a{.witness = "https://w1.example",
                      .witness_public_key = std::string(32, '1'),
                      .tree_size = 4,
                      .timestamp_ms = 1,
                      .root_hash = LogLeafHash("4"),
                      .cosignature = std::string(64, 'a'),
                      .received_at = core::Timestamp::FromUnixSeconds(kT0)};
  Cosignature b = a;
  b.witness = "https://w2.example";
  b.cosignature = std::string(64, 'b');
  ASSERT_TRUE(this->log().SaveCosignature(a).ok());
  ASSERT_TRUE(this->log().SaveCosignature(b).ok());
  EXPECT_EQ(*this->log().ListCosignatures(10), (std::vector<Cosignature>{b, a}));
  EXPECT_EQ(*this->log().ListCosignatures(1), (std::vector<Cosignature>{b}));
}

}  // namespace
}  // namespace vntrace::store
