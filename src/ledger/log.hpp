// ledger::log: the deployment's tamper-evident log of accepted events and master-data changes,
// served like a Certificate Transparency log: signed tree heads at most a minute old, inclusion
// proofs of events, consistency proofs between tree sizes.
//
// The store appends the leaves (store/log_store.hpp) in the same transaction as the events and
// changes they record, with the hashes of the complete subtrees; this module reads those hashes
// to compute roots and proofs in O(log n) reads, signs tree heads with the deployment's key
// (tree_head.hpp) and checks that a stored event is still the one the log recorded. The
// formats and the reasoning are in docs/ledger.md.
//
// Thread-safety: TransparencyLog is safe from several threads at once (signing is serialised);
// the free functions are as safe as the store they are given.
//
// Example:
//   ledger::TransparencyLog log(store, key, clock);
//   VNTRACE_ASSIGN_OR_RETURN(store::TreeHead head, log.CurrentTreeHead());
//   VNTRACE_ASSIGN_OR_RETURN(ledger::InclusionProof proof,
//                            ledger::ProveEvent(store.log(), event_id, head.tree_size));
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "ledger/merkle.hpp"
#include "ledger/tree_head.hpp"
#include "store/log_store.hpp"
#include "store/store.hpp"

namespace vntrace::ledger {

struct LogOptions {
  // A tree head older than this is replaced before it is served.
  std::chrono::milliseconds max_age{60'000};
  // A tree head this old is replaced before it is served when the log has grown since, so that
  // what was just captured can be proved within about a second (and signing is never asked for
  // more than once per interval).
  std::chrono::milliseconds refresh_after{1'000};
};

// Signs and serves the tree heads of one store's log with one key.
class TransparencyLog {
 public:
  // `store`, `key` and `clock` must outlive the log.
  TransparencyLog(store::Store& store, const SigningKey& key, const core::Clock& clock,
                  LogOptions options = {});
  TransparencyLog(const TransparencyLog&) = delete;
  TransparencyLog& operator=(const TransparencyLog&) = delete;

  const std::string& public_key() const { return key_.public_key(); }

  // The newest signed tree head, signing and saving a new one first when there is none, when
  // the newest is max_age old (or signed by another key), or when it is refresh_after old and
  // the log has grown. Store errors as they come.
  core::Result<store::TreeHead> CurrentTreeHead();

  // Signs and saves the tree head of the log as it is now. Its timestamp is the clock's time,
  // but never earlier than the newest head's.
  core::Result<store::TreeHead> SignTreeHead();

 private:
  core::Result<store::TreeHead> SignLocked(const std::optional<store::TreeHead>& newest);

  store::Store& store_;
  const SigningKey& key_;
  const core::Clock& clock_;
  const LogOptions options_;
  std::mutex mu_;  // serialises signing
};

struct InclusionProof {
  std::int64_t leaf_index = 0;
  std::int64_t tree_size = 0;
  std::vector<Hash> audit_path{};
};

// The root of the first `tree_size` leaves. kInvalidArgument when tree_size is negative or
// exceeds the log.
core::Result<Hash> RootAt(store::LogStore& log, std::int64_t tree_size);

// The inclusion proof of leaf `index` in the tree of `tree_size` leaves. kInvalidArgument when
// index is not below tree_size or tree_size exceeds the log.
core::Result<InclusionProof> ProveLeaf(store::LogStore& log, std::int64_t index,
                                       std::int64_t tree_size);

// The inclusion proof of the leaf of the event stored under `event_id` in the tree of
// `tree_size` leaves. kNotFound when no event has this eventID (or it has no leaf);
// kFailedPrecondition when its leaf was appended after that tree.
core::Result<InclusionProof> ProveEvent(store::LogStore& log, std::string_view event_id,
                                        std::int64_t tree_size);

// The consistency proof between the trees of `first` and `second` leaves. kInvalidArgument
// unless 1 <= first <= second <= the log's size.
core::Result<std::vector<Hash>> ProveConsistency(store::LogStore& log, std::int64_t first,
                                                 std::int64_t second);

// Checks that the event stored under `event_id` is in `head` unchanged: its leaf holds the hash
// ID computed from its JSON as stored now, and the leaf's inclusion proof leads to the head's
// root. kNotFound as ProveEvent; kFailedPrecondition naming what does not match.
core::Status VerifyEventIncluded(store::LogStore& log, const store::TreeHead& head,
                                 std::string_view event_id);

// Checks `cosignature`, a witness's signature of `head` with `witness_public_key`. Errors as
// VerifySignature.
core::Status VerifyCosignature(const store::TreeHead& head, std::string_view witness_public_key,
                               std::string_view cosignature);

}  // namespace vntrace::ledger
