#include "ledger/witness.hpp"

#include <utility>

namespace vntrace::ledger {
namespace {

constexpr std::int64_t kMaxClockSkewMs = 5 * 60 * 1000;
constexpr int kAttempts = 3;

// Checks `head` against `last`, the head last co-signed for the same log.
core::Status CheckExtends(const store::WitnessedHead& last, const WitnessRequest& request) {
  const store::TreeHead& head = request.head;
  const store::TreeHead& before = last.head;
  const std::string sizes =
      std::to_string(before.tree_size) + " and " + std::to_string(head.tree_size) + " leaves";
  if (head.tree_size < before.tree_size) {
    return core::FailedPrecondition("this witness already co-signed a tree head of " +
                                    std::to_string(before.tree_size) +
                                    " leaves for this log; send a head at least that large");
  }
  if (head.timestamp_ms < before.timestamp_ms) {
    return core::FailedPrecondition(
        "the tree head is older than the one this witness co-signed last for this log");
  }
  if (head.tree_size == before.tree_size) {
    if (head.root_hash != before.root_hash) {
      return core::FailedPrecondition("fork: the log signed two different roots for " +
                                      std::to_string(head.tree_size) + " leaves");
    }
    return core::Ok();
  }
  if (before.tree_size > 0 && request.consistency.empty()) {
    return core::InvalidArgument("a consistency proof from the last co-signed tree head (" +
                                 std::to_string(before.tree_size) + " leaves) is required");
  }
  core::Status consistent = VerifyConsistency(before.tree_size, head.tree_size, before.root_hash,
                                              head.root_hash, request.consistency);
  if (!consistent.ok()) {
    return core::FailedPrecondition("fork: the tree heads of " + sizes + " are not consistent (" +
                                    consistent.error().message + ")");
  }
  return core::Ok();
}

}  // namespace

Witness::Witness(store::Store& store, const SigningKey& key, const core::Clock& clock)
    : store_(store), key_(key), clock_(clock) {}

core::Result<store::WitnessedHead> Witness::CoSign(const WitnessRequest& request) {
  const store::TreeHead& head = request.head;
  if (head.tree_size < 0 || head.timestamp_ms < 0) {
    return core::InvalidArgument("tree_size and timestamp must be whole numbers");
  }
  if (head.public_key == key_.public_key()) {
    return core::InvalidArgument("this is the witness's own log; a log cannot witness itself");
  }
  const core::Timestamp now = clock_.Now();
  if (head.timestamp_ms > now.UnixMillisFloor() + kMaxClockSkewMs) {
    return core::InvalidArgument("the tree head's timestamp is more than five minutes ahead");
  }
  if (core::Status signed_by_log = VerifyTreeHead(head, head.public_key); !signed_by_log.ok()) {
    return core::InvalidArgument(signed_by_log.error().message);
  }
  for (int attempt = 1;; ++attempt) {
    VNTRACE_ASSIGN_OR_RETURN(std::optional<store::WitnessedHead> last,
                             store_.log().LastWitnessed(head.public_key));
    if (last.has_value()) {
      VNTRACE_RETURN_IF_ERROR(CheckExtends(*last, request));
    }
    store::WitnessedHead witnessed{.origin = request.origin,
                                   .head = head,
                                   .cosignature = key_.Sign(TreeHeadSignatureInput(head)),
                                   .witness_public_key = key_.public_key(),
                                   .cosigned_at = now};
    core::Result<std::int64_t> recorded =
        store_.log().RecordWitnessed(witnessed, last.has_value() ? last->sequence : 0);
    if (recorded.ok()) {
      witnessed.sequence = *recorded;
      return witnessed;
    }
    if (recorded.error().code != core::ErrorCode::kUnavailable || attempt == kAttempts) {
      return recorded.error();
    }
  }
}

core::Result<std::optional<store::WitnessedHead>> Witness::Last(std::string_view log_public_key) {
  return store_.log().LastWitnessed(log_public_key);
}

}  // namespace vntrace::ledger
