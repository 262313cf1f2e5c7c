#include "ledger/log.hpp"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "store/contract/event_builder.hpp"
#include "store/contract/fixture.hpp"
#include "store/store.hpp"

namespace vntrace::ledger {
namespace {

using store::testing::EventBuilder;

constexpr std::int64_t kT0 = 1'700'000'000;

epcis::Event Observed(std::string id, int serial) {
  return EventBuilder(std::move(id))
      .EventTimeSeconds(kT0 + serial, 7 * 60)
      .RecordTimeSeconds(kT0 + 1000)
      .Epc("https://id.gs1.org/01/08935001200017/21/" + std::to_string(serial))
      .BizStep("harvesting")
      .Build();
}

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::Result<std::unique_ptr<store::Store>> opened =
        store::OpenStore({.location = (dir_.path() / "log.db").string()});
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    store_ = std::move(opened).value();
    log_ = std::make_unique<TransparencyLog>(*store_, key_, clock_);
  }

  std::vector<Hash> AllLeafHashes() {
    std::vector<Hash> out;
    const std::int64_t size = *store_->log().LogSize();
    for (std::int64_t begin = 0; begin < size; begin += 10'000) {
      const std::vector<store::LogLeaf> leaves = *store_->log().ReadLeaves(begin, begin + 10'000);
      for (const store::LogLeaf& leaf : leaves) {
        out.push_back(leaf.hash);
      }
    }
    return out;
  }

  void Append(int count, std::string_view prefix) {
    std::vector<std::string> data;
    for (int i = 0; i < count; ++i) {
      data.push_back(std::string(prefix) + std::to_string(i));
    }
    ASSERT_TRUE(store_->log().AppendLeaves(data).ok());
  }

  store::testing::TempDir dir_;
  core::FakeClock clock_{core::Timestamp::FromUnixSeconds(kT0)};
  SigningKey key_ = std::move(SigningKey::FromSeed(std::string(32, '\x07'))).value();
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<TransparencyLog> log_;
};

TEST_F(LogTest, TreeHeadsAreSignedFreshAndAtMostAMinuteOld) {
  core::Result<store::TreeHead> first = log_->CurrentTreeHead();
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(first->tree_size, 0);
  EXPECT_EQ(first->root_hash, EmptyRoot());
  EXPECT_EQ(first->timestamp_ms, kT0 * 1000);
  EXPECT_EQ(first->public_key, key_.public_key());
  EXPECT_TRUE(VerifyTreeHead(*first, key_.public_key()).ok());
  EXPECT_EQ(**store_->log().LatestTreeHead(), *first);

  // Within a second nothing is signed again, even if the log grew.
  Append(5, "a");
  clock_.Advance(std::chrono::milliseconds(500));
  EXPECT_EQ(*log_->CurrentTreeHead(), *first);
  // After a second, a grown log gets a new head.
  clock_.Advance(std::chrono::milliseconds(600));
  core::Result<store::TreeHead> second = log_->CurrentTreeHead();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->tree_size, 5);
  EXPECT_EQ(second->root_hash, RootOfLeaves(AllLeafHashes()));
  EXPECT_TRUE(VerifyTreeHead(*second, key_.public_key()).ok());
  // An unchanged log keeps its head for up to a minute, then it is signed again.
  clock_.Advance(std::chrono::seconds(59));
  EXPECT_EQ(*log_->CurrentTreeHead(), *second);
  clock_.Advance(std::chrono::seconds(2));
  core::Result<store::TreeHead> third = log_->CurrentTreeHead();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->tree_size, 5);
  EXPECT_EQ(third->root_hash, second->root_hash);
  EXPECT_GE(third->timestamp_ms - second->timestamp_ms, 60'000);
  // A clock that goes back never makes a head older than the last one.
  clock_.Advance(std::chrono::hours(-1));
  core::Result<store::TreeHead> fourth = log_->SignTreeHead();
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(fourth->timestamp_ms, third->timestamp_ms);
}

TEST_F(LogTest, ANewKeySignsANewHeadAtOnce) {
  ASSERT_TRUE(log_->CurrentTreeHead().ok());
  SigningKey other = std::move(SigningKey::FromSeed(std::string(32, '\x08'))).value();
  TransparencyLog rotated(*store_, other, clock_);
  core::Result<store::TreeHead> head = rotated.CurrentTreeHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->public_key, other.public_key());
  EXPECT_TRUE(VerifyTreeHead(*head, other.public_key()).ok());
}

TEST_F(LogTest, ProofsFromTheStoreVerifyAgainstItsRoots) {
  Append(300, "leaf ");
  const std::vector<Hash> leaves = AllLeafHashes();
  for (std::int64_t size : {1, 2, 7, 64, 129, 300}) {
    core::Result<Hash> root = RootAt(store_->log(), size);
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(*root, RootOfLeaves(std::span(leaves).first(static_cast<std::size_t>(size))));
    for (std::int64_t index : {std::int64_t{0}, size / 2, size - 1}) {
      core::Result<InclusionProof> proof = ProveLeaf(store_->log(), index, size);
      ASSERT_TRUE(proof.ok()) << proof.error().ToString();
      EXPECT_EQ(proof->audit_path, InclusionOfLeaves(leaves, index, size));
      EXPECT_TRUE(VerifyInclusion(leaves[static_cast<std::size_t>(index)], index, size,
                                  proof->audit_path, *root)
                      .ok());
    }
    for (std::int64_t first : {std::int64_t{1}, size / 3 + 1, size}) {
      core::Result<std::vector<Hash>> proof = ProveConsistency(store_->log(), first, size);
      ASSERT_TRUE(proof.ok()) << proof.error().ToString();
      EXPECT_TRUE(
          VerifyConsistency(first, size, *RootAt(store_->log(), first), *root, *proof).ok());
    }
  }
  EXPECT_EQ(RootAt(store_->log(), 301).error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(ProveLeaf(store_->log(), 300, 300).error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(ProveLeaf(store_->log(), 0, 301).error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(ProveConsistency(store_->log(), 0, 10).error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(ProveConsistency(store_->log(), 11, 10).error().code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(ProveConsistency(store_->log(), 10, 301).error().code,
            core::ErrorCode::kInvalidArgument);
}

TEST_F(LogTest, CapturedEventsAreProvedInTheCurrentHead) {
  Append(3, "before ");
  ASSERT_TRUE(
      store_->CaptureEvents(std::vector{Observed("urn:uuid:1", 1), Observed("urn:uuid:2", 2)})
          .ok());
  clock_.Advance(std::chrono::seconds(2));
  core::Result<store::TreeHead> head = log_->CurrentTreeHead();
  ASSERT_TRUE(head.ok());
  ASSERT_EQ(head->tree_size, 5);
  core::Result<InclusionProof> proof = ProveEvent(store_->log(), "urn:uuid:2", head->tree_size);
  ASSERT_TRUE(proof.ok()) << proof.error().ToString();
  EXPECT_EQ(proof->leaf_index, 4);
  const store::EventLeaf leaf = *store_->log().FindEventLeaf("urn:uuid:2");
  EXPECT_TRUE(VerifyInclusion(leaf.leaf.hash, proof->leaf_index, proof->tree_size,
                              proof->audit_path, head->root_hash)
                  .ok());
  EXPECT_TRUE(VerifyEventIncluded(store_->log(), *head, "urn:uuid:1").ok());
  EXPECT_TRUE(VerifyEventIncluded(store_->log(), *head, "urn:uuid:2").ok());

  // Captured after the head: not in it yet.
  ASSERT_TRUE(store_->CaptureEvents(std::vector{Observed("urn:uuid:3", 3)}).ok());
  EXPECT_EQ(ProveEvent(store_->log(), "urn:uuid:3", head->tree_size).error().code,
            core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(VerifyEventIncluded(store_->log(), *head, "urn:uuid:3").error().code,
            core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(ProveEvent(store_->log(), "urn:uuid:none", head->tree_size).error().code,
            core::ErrorCode::kNotFound);
  // Against a head of another tree (here, a forged root), inclusion fails.
  store::TreeHead forged = *head;
  forged.root_hash[0] ^= 1;
  EXPECT_EQ(VerifyEventIncluded(store_->log(), forged, "urn:uuid:1").error().code,
            core::ErrorCode::kFailedPrecondition);
}

TEST_F(LogTest, AnEventWhoseContentDoesNotMatchItsLeafIsNotVerified) {
  // Named by a hash ID its content does not have: the leaf records the name, the content
  // hashes to something else, so the event cannot be shown as unchanged.
  const std::string wrong = "ni:///sha-256;" + std::string(64, '0') + "?ver=CBV2.0";
  ASSERT_TRUE(store_->CaptureEvents(std::vector{Observed(wrong, 1)}).ok());
  core::Result<store::TreeHead> head = log_->SignTreeHead();
  ASSERT_TRUE(head.ok());
  core::Status verified = VerifyEventIncluded(store_->log(), *head, wrong);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(verified.error().message.find("changed after it was logged"), std::string::npos)
      << verified.error().message;
}

}  // namespace
}  // namespace vntrace::ledger
