#include "ledger/witness.hpp"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "ledger/log.hpp"
#include "store/contract/fixture.hpp"
#include "store/store.hpp"

namespace vntrace::ledger {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000;

std::unique_ptr<store::Store> Open(const std::filesystem::path& path) {
  core::Result<std::unique_ptr<store::Store>> opened =
      store::OpenStore({.location = path.string()});
  EXPECT_TRUE(opened.ok()) << opened.error().ToString();
  return std::move(opened).value();
}

SigningKey Key(char seed) { return std::move(SigningKey::FromSeed(std::string(32, seed))).value(); }

// A log: its own store, signed with `key`.
struct Log {
  Log(const std::filesystem::path& path, const SigningKey& key, const core::Clock& clock)
      : store(Open(path)), log(*store, key, clock) {}
  void Append(const std::vector<std::string>& data) {
    ASSERT_TRUE(store->log().AppendLeaves(data).ok());
  }
  store::TreeHead Sign() { return std::move(log.SignTreeHead()).value(); }
  // The request for `head`, proving it from the witness's last head of `from` leaves.
  WitnessRequest Request(const store::TreeHead& head, std::int64_t from) {
    WitnessRequest request{.origin = "https://log.example", .head = head};
    if (from > 0 && from < head.tree_size) {
      request.consistency = std::move(ProveConsistency(store->log(), from, head.tree_size)).value();
    }
    return request;
  }
  std::unique_ptr<store::Store> store;
  TransparencyLog log;
};

class WitnessTest : public ::testing::Test {
 protected:
  store::testing::TempDir dir_;
  core::FakeClock clock_{core::Timestamp::FromUnixSeconds(kT0)};
  SigningKey log_key_ = Key('L');
  SigningKey witness_key_ = Key('W');
  Log log_{dir_.path() / "log.db", log_key_, clock_};
  std::unique_ptr<store::Store> witness_store_ = Open(dir_.path() / "witness.db");
  Witness witness_{*witness_store_, witness_key_, clock_};
};

TEST_F(WitnessTest, CoSignsAGrowingLog) {
  log_.Append({"a", "b", "c"});
  const store::TreeHead first = log_.Sign();
  core::Result<store::WitnessedHead> cosigned = witness_.CoSign(log_.Request(first, 0));
  ASSERT_TRUE(cosigned.ok()) << cosigned.error().ToString();
  EXPECT_EQ(cosigned->head, first);
  EXPECT_EQ(cosigned->origin, "https://log.example");
  EXPECT_EQ(cosigned->witness_public_key, witness_key_.public_key());
  // The co-signature is the witness's signature of the same TreeHeadSignature bytes.
  EXPECT_TRUE(VerifyCosignature(first, witness_key_.public_key(), cosigned->cosignature).ok());
  EXPECT_FALSE(VerifyCosignature(first, log_key_.public_key(), cosigned->cosignature).ok());

  log_.Append({"d", "e", "f", "g", "h", "i"});
  clock_.Advance(std::chrono::seconds(30));
  const store::TreeHead second = log_.Sign();
  // Without the consistency proof the witness cannot tell: refused as malformed.
  EXPECT_EQ(witness_.CoSign(log_.Request(second, 0)).error().code,
            core::ErrorCode::kInvalidArgument);
  core::Result<store::WitnessedHead> next = witness_.CoSign(log_.Request(second, 3));
  ASSERT_TRUE(next.ok()) << next.error().ToString();
  EXPECT_GT(next->sequence, cosigned->sequence);
  EXPECT_EQ((*witness_.Last(log_key_.public_key()))->head, second);
  // The same head again (or re-signed later at the same size) is fine.
  EXPECT_TRUE(witness_.CoSign(log_.Request(second, 9)).ok());
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_TRUE(witness_.CoSign(log_.Request(log_.Sign(), 9)).ok());
  // An older head is refused.
  EXPECT_EQ(witness_.CoSign(log_.Request(first, 0)).error().code,
            core::ErrorCode::kFailedPrecondition);
}

TEST_F(WitnessTest, RefusesAForkedLog) {
  log_.Append({"a", "b", "c", "d"});
  ASSERT_TRUE(witness_.CoSign(log_.Request(log_.Sign(), 0)).ok());
  // The same key signs another history (a copy of the database, then different leaves).
  Log forked(dir_.path() / "fork.db", log_key_, clock_);
  forked.Append({"a", "b", "X", "d"});
  clock_.Advance(std::chrono::seconds(1));
  core::Result<store::WitnessedHead> same_size = witness_.CoSign(forked.Request(forked.Sign(), 4));
  ASSERT_FALSE(same_size.ok());
  EXPECT_EQ(same_size.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(same_size.error().message.find("fork"), std::string::npos);
  forked.Append({"e", "f"});
  core::Result<store::WitnessedHead> larger = witness_.CoSign(forked.Request(forked.Sign(), 4));
  ASSERT_FALSE(larger.ok());
  EXPECT_EQ(larger.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(larger.error().message.find("fork"), std::string::npos);
  // The honest log still extends what the witness saw.
  log_.Append({"e", "f"});
  EXPECT_TRUE(witness_.CoSign(log_.Request(log_.Sign(), 4)).ok());
}

TEST_F(WitnessTest, RefusesMalformedRequests) {
  log_.Append({"a"});
  const store::TreeHead head = log_.Sign();
  WitnessRequest bad_signature = log_.Request(head, 0);
  bad_signature.head.signature[0] ^= 1;
  EXPECT_EQ(witness_.CoSign(bad_signature).error().code, core::ErrorCode::kInvalidArgument);
  WitnessRequest other_key = log_.Request(head, 0);
  other_key.head.public_key = Key('Z').public_key();
  EXPECT_EQ(witness_.CoSign(other_key).error().code, core::ErrorCode::kInvalidArgument);
  // A log cannot be its own witness.
  Witness self(*log_.store, log_key_, clock_);
  EXPECT_EQ(self.CoSign(log_.Request(head, 0)).error().code, core::ErrorCode::kInvalidArgument);
  // A head from the future.
  clock_.Advance(std::chrono::minutes(-10));
  EXPECT_EQ(witness_.CoSign(log_.Request(head, 0)).error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(witness_.Last(log_key_.public_key())->has_value());
}

}  // namespace
}  // namespace vntrace::ledger
