// ledger::merkle: the Merkle tree hash of RFC 6962 §2.1 (RFC 9162 §2.1), its inclusion and
// consistency proofs, and their verification.
//
// MTH({}) = SHA-256(""); MTH({d}) = SHA-256(0x00 || d); MTH(D[n]) = SHA-256(0x01 ||
// MTH(D[0:k]) || MTH(D[k:n])) with k the largest power of two smaller than n. Proofs are
// computed from the hashes of complete subtrees (store::NodeId: 2^level leaves from
// index * 2^level), which is what the store keeps: a root or a proof at any size needs O(log n)
// of them and never rehashes the tree. The functions run in two steps so that a store is read
// once per proof: *Nodes(...) lists the subtrees needed, *From(...) computes the answer from
// their hashes. Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2, and is what `vntrace
// verify`, the witness and the scan page use.
//
// Thread-safety: pure functions over values.
//
// Example:
//   std::vector<store::NodeId> ids = ledger::InclusionNodes(leaf, size);
//   VNTRACE_ASSIGN_OR_RETURN(std::vector<store::LogHash> hashes, log.ReadNodes(ids));
//   std::vector<store::LogHash> path = ledger::InclusionFrom(leaf, size, ids, hashes);
//   VNTRACE_RETURN_IF_ERROR(ledger::VerifyInclusion(leaf_hash, leaf, size, path, root));
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "store/log_store.hpp"

namespace vntrace::ledger {

using Hash = store::LogHash;

// SHA-256 of the empty string: the root of the empty tree.
Hash EmptyRoot();

// The subtrees whose hashes RootFrom needs for a tree of `size` leaves, in ascending order of
// their first leaf (the binary decomposition of `size`; none for size 0).
std::vector<store::NodeId> RootNodes(std::int64_t size);
// The root of the first `size` leaves from the hashes of RootNodes(size), in that order.
Hash RootFrom(std::int64_t size, std::span<const Hash> hashes);

// The subtrees an inclusion proof of leaf `index` in a tree of `size` leaves reads (distinct,
// sorted). Requires 0 <= index < size.
std::vector<store::NodeId> InclusionNodes(std::int64_t index, std::int64_t size);
// The audit path PATH(index, D[size]) of RFC 9162 §2.1.3.1, from the hashes of `ids` (as
// InclusionNodes gave them).
std::vector<Hash> InclusionFrom(std::int64_t index, std::int64_t size,
                                std::span<const store::NodeId> ids, std::span<const Hash> hashes);

// The subtrees a consistency proof between sizes `first` and `second` reads (distinct, sorted).
// Requires 0 <= first <= second.
std::vector<store::NodeId> ConsistencyNodes(std::int64_t first, std::int64_t second);
// The consistency proof PROOF(first, D[second]) of RFC 9162 §2.1.4.1 (empty when first is 0 or
// equal to second), from the hashes of `ids` (as ConsistencyNodes gave them).
std::vector<Hash> ConsistencyFrom(std::int64_t first, std::int64_t second,
                                  std::span<const store::NodeId> ids, std::span<const Hash> hashes);

// The root, audit paths and consistency proofs over leaf hashes held in memory (tests, small
// trees): the same algorithms, reading the nodes from `leaves`.
Hash RootOfLeaves(std::span<const Hash> leaves);
std::vector<Hash> InclusionOfLeaves(std::span<const Hash> leaves, std::int64_t index,
                                    std::int64_t size);
std::vector<Hash> ConsistencyOfLeaves(std::span<const Hash> leaves, std::int64_t first,
                                      std::int64_t second);

// Checks that `path` proves the leaf with hash `leaf_hash` at `index` in the tree of `size`
// leaves whose root is `root` (RFC 9162 §2.1.3.2). kInvalidArgument when index >= size;
// kFailedPrecondition when the path (or its length) does not lead to `root`.
core::Status VerifyInclusion(const Hash& leaf_hash, std::int64_t index, std::int64_t size,
                             std::span<const Hash> path, const Hash& root);

// Checks that `proof` shows the tree of `first` leaves with root `first_root` to be a prefix of
// the tree of `second` leaves with root `second_root` (RFC 9162 §2.1.4.2). An empty tree is a
// prefix of every tree (first = 0: `first_root` must be EmptyRoot() and the proof empty); equal
// sizes need equal roots and an empty proof. kInvalidArgument for sizes out of order;
// kFailedPrecondition when the proof (or its length) does not lead to both roots: the log
// forked, or a leaf was changed, removed or reordered.
core::Status VerifyConsistency(std::int64_t first, std::int64_t second, const Hash& first_root,
                               const Hash& second_root, std::span<const Hash> proof);

}  // namespace vntrace::ledger
