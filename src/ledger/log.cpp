#include "ledger/log.hpp"

#include <algorithm>
#include <optional>
#include <utility>

namespace vntrace::ledger {
namespace {

constexpr std::string_view kHashIdPrefix = "ni:///sha-256;";

// The hashes of `ids`; kInvalidArgument when one is not in the log yet.
core::Result<std::vector<Hash>> Read(store::LogStore& log, std::span<const store::NodeId> ids,
                                     std::int64_t tree_size) {
  core::Result<std::vector<Hash>> hashes = log.ReadNodes(ids);
  if (!hashes.ok() && hashes.error().code == core::ErrorCode::kNotFound) {
    return core::InvalidArgument("the log has fewer than " + std::to_string(tree_size) + " leaves");
  }
  return hashes;
}

core::Status CheckTreeSize(store::LogStore& log, std::int64_t tree_size) {
  if (tree_size < 0) {
    return core::InvalidArgument("a tree size is a whole number, not " + std::to_string(tree_size));
  }
  VNTRACE_ASSIGN_OR_RETURN(std::int64_t size, log.LogSize());
  if (tree_size > size) {
    return core::InvalidArgument("the log has " + std::to_string(size) + " leaves, fewer than " +
                                 std::to_string(tree_size));
  }
  return core::Ok();
}

}  // namespace

TransparencyLog::TransparencyLog(store::Store& store, const SigningKey& key,
                                 const core::Clock& clock, LogOptions options)
    : store_(store), key_(key), clock_(clock), options_(options) {}

core::Result<store::TreeHead> TransparencyLog::CurrentTreeHead() {
  std::lock_guard<std::mutex> lock(mu_);
  VNTRACE_ASSIGN_OR_RETURN(std::optional<store::TreeHead> newest, store_.log().LatestTreeHead());
  if (!newest.has_value() || newest->public_key != key_.public_key()) {
    return SignLocked(newest);
  }
  const std::int64_t age = clock_.Now().UnixMillisFloor() - newest->timestamp_ms;
  if (age >= options_.max_age.count()) {
    return SignLocked(newest);
  }
  if (age >= options_.refresh_after.count()) {
    VNTRACE_ASSIGN_OR_RETURN(std::int64_t size, store_.log().LogSize());
    if (size != newest->tree_size) {
      return SignLocked(newest);
    }
  }
  return *std::move(newest);
}

core::Result<store::TreeHead> TransparencyLog::SignTreeHead() {
  std::lock_guard<std::mutex> lock(mu_);
  VNTRACE_ASSIGN_OR_RETURN(std::optional<store::TreeHead> newest, store_.log().LatestTreeHead());
  return SignLocked(newest);
}

core::Result<store::TreeHead> TransparencyLog::SignLocked(
    const std::optional<store::TreeHead>& newest) {
  store::LogStore& log = store_.log();
  store::TreeHead head;
  VNTRACE_ASSIGN_OR_RETURN(head.tree_size, log.LogSize());
  VNTRACE_ASSIGN_OR_RETURN(head.root_hash, RootAt(log, head.tree_size));
  head.timestamp_ms = clock_.Now().UnixMillisFloor();
  if (newest.has_value()) {
    head.timestamp_ms = std::max(head.timestamp_ms, newest->timestamp_ms);
  }
  head.signature = key_.Sign(TreeHeadSignatureInput(head));
  head.public_key = key_.public_key();
  VNTRACE_RETURN_IF_ERROR(log.SaveTreeHead(head));
  return head;
}

core::Result<Hash> RootAt(store::LogStore& log, std::int64_t tree_size) {
  VNTRACE_RETURN_IF_ERROR(CheckTreeSize(log, tree_size));
  const std::vector<store::NodeId> ids = RootNodes(tree_size);
  VNTRACE_ASSIGN_OR_RETURN(std::vector<Hash> hashes, Read(log, ids, tree_size));
  return RootFrom(tree_size, hashes);
}

core::Result<InclusionProof> ProveLeaf(store::LogStore& log, std::int64_t index,
                                       std::int64_t tree_size) {
  if (index < 0 || index >= tree_size) {
    return core::InvalidArgument("leaf " + std::to_string(index) + " is not in a tree of " +
                                 std::to_string(tree_size) + " leaves");
  }
  VNTRACE_RETURN_IF_ERROR(CheckTreeSize(log, tree_size));
  const std::vector<store::NodeId> ids = InclusionNodes(index, tree_size);
  VNTRACE_ASSIGN_OR_RETURN(std::vector<Hash> hashes, Read(log, ids, tree_size));
  return InclusionProof{.leaf_index = index,
                        .tree_size = tree_size,
                        .audit_path = InclusionFrom(index, tree_size, ids, hashes)};
}

core::Result<InclusionProof> ProveEvent(store::LogStore& log, std::string_view event_id,
                                        std::int64_t tree_size) {
  VNTRACE_ASSIGN_OR_RETURN(store::EventLeaf found, log.FindEventLeaf(event_id));
  if (found.leaf.index >= tree_size) {
    return core::FailedPrecondition("the event '" + std::string(event_id) + "' is leaf " +
                                    std::to_string(found.leaf.index) +
                                    ", appended after the tree of " + std::to_string(tree_size) +
                                    " leaves; ask again with a later tree head");
  }
  return ProveLeaf(log, found.leaf.index, tree_size);
}

core::Result<std::vector<Hash>> ProveConsistency(store::LogStore& log, std::int64_t first,
                                                 std::int64_t second) {
  if (first < 1 || second < first) {
    return core::InvalidArgument("a consistency proof needs 1 <= first <= second, not first = " +
                                 std::to_string(first) + ", second = " + std::to_string(second));
  }
  VNTRACE_RETURN_IF_ERROR(CheckTreeSize(log, second));
  const std::vector<store::NodeId> ids = ConsistencyNodes(first, second);
  VNTRACE_ASSIGN_OR_RETURN(std::vector<Hash> hashes, Read(log, ids, second));
  return ConsistencyFrom(first, second, ids, hashes);
}

core::Status VerifyEventIncluded(store::LogStore& log, const store::TreeHead& head,
                                 std::string_view event_id) {
  VNTRACE_ASSIGN_OR_RETURN(store::EventLeaf found, log.FindEventLeaf(event_id));
  const std::string quoted = "the event '" + std::string(event_id) + "'";
  if (found.content_hash_id.empty()) {
    return core::FailedPrecondition(quoted + " as stored can no longer be hashed");
  }
  if (found.leaf.data != found.content_hash_id) {
    return core::FailedPrecondition(
        quoted + " changed after it was logged: its content hashes to " + found.content_hash_id +
        ", leaf " + std::to_string(found.leaf.index) + " recorded " + found.leaf.data);
  }
  if (event_id.starts_with(kHashIdPrefix) && event_id != found.content_hash_id) {
    return core::FailedPrecondition(quoted + " is named by a hash ID its content does not have (" +
                                    found.content_hash_id + ")");
  }
  if (found.leaf.index >= head.tree_size) {
    return core::FailedPrecondition(quoted + " is not yet in the tree head of " +
                                    std::to_string(head.tree_size) + " leaves");
  }
  VNTRACE_ASSIGN_OR_RETURN(InclusionProof proof, ProveLeaf(log, found.leaf.index, head.tree_size));
  core::Status included =
      VerifyInclusion(store::LogLeafHash(found.content_hash_id), proof.leaf_index, proof.tree_size,
                      proof.audit_path, head.root_hash);
  if (!included.ok()) {
    return core::FailedPrecondition(quoted + ": " + included.error().message);
  }
  return core::Ok();
}

core::Status VerifyCosignature(const store::TreeHead& head, std::string_view witness_public_key,
                               std::string_view cosignature) {
  return VerifySignature(witness_public_key, TreeHeadSignatureInput(head), cosignature);
}

}  // namespace vntrace::ledger
