#include "ledger/merkle.hpp"

#include <algorithm>
#include <bit>
#include <string>

#include "core/sha256.hpp"

namespace vntrace::ledger {
namespace {

using store::NodeId;

// The largest power of two smaller than n (n >= 2).
std::int64_t SplitOf(std::int64_t n) {
  return static_cast<std::int64_t>(std::bit_floor(static_cast<std::uint64_t>(n - 1)));
}

bool IsPowerOfTwo(std::int64_t n) {
  return n > 0 && std::has_single_bit(static_cast<std::uint64_t>(n));
}

// MTH(D[begin:end]) from complete-subtree hashes read through `node`. In the RFC's recursion
// every complete range starts at a multiple of its size, so it is one stored node.
template <typename NodeFn>
Hash Subtree(NodeFn& node, std::int64_t begin, std::int64_t end) {
  const std::int64_t size = end - begin;
  if (IsPowerOfTwo(size) && begin % size == 0) {
    const int level = std::countr_zero(static_cast<std::uint64_t>(size));
    return node(NodeId{.level = level, .index = begin >> level});
  }
  const std::int64_t k = SplitOf(size);
  const Hash left = Subtree(node, begin, begin + k);
  const Hash right = Subtree(node, begin + k, end);
  if constexpr (NodeFn::kRecordsOnly) {
    return Hash{};  // only the nodes read matter
  } else {
    return store::LogNodeHash(left, right);
  }
}

// PATH(index - begin, D[begin:end]) (RFC 9162 §2.1.3.1), appended to `out`.
template <typename NodeFn>
void Path(NodeFn& node, std::int64_t index, std::int64_t begin, std::int64_t end,
          std::vector<Hash>& out) {
  if (end - begin <= 1) {
    return;
  }
  const std::int64_t k = SplitOf(end - begin);
  if (index < begin + k) {
    Path(node, index, begin, begin + k, out);
    out.push_back(Subtree(node, begin + k, end));
  } else {
    Path(node, index, begin + k, end, out);
    out.push_back(Subtree(node, begin, begin + k));
  }
}

// SUBPROOF(first - begin, D[begin:end], whole) (RFC 9162 §2.1.4.1), appended to `out`.
template <typename NodeFn>
void SubProof(NodeFn& node, std::int64_t first, std::int64_t begin, std::int64_t end, bool whole,
              std::vector<Hash>& out) {
  if (first == end) {
    if (!whole) {
      out.push_back(Subtree(node, begin, end));
    }
    return;
  }
  const std::int64_t k = SplitOf(end - begin);
  if (first <= begin + k) {
    SubProof(node, first, begin, begin + k, whole, out);
    out.push_back(Subtree(node, begin + k, end));
  } else {
    SubProof(node, first, begin + k, end, false, out);
    out.push_back(Subtree(node, begin, begin + k));
  }
}

// Records the nodes a computation asks for (answering with a zero hash).
class Recorder {
 public:
  static constexpr bool kRecordsOnly = true;
  Hash operator()(NodeId id) {
    ids_.push_back(id);
    return Hash{};
  }
  std::vector<NodeId> Sorted() && {
    std::sort(ids_.begin(), ids_.end());
    ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
    return std::move(ids_);
  }

 private:
  std::vector<NodeId> ids_;
};

// Answers from the hashes of sorted, distinct `ids`.
class Lookup {
 public:
  static constexpr bool kRecordsOnly = false;
  Lookup(std::span<const NodeId> ids, std::span<const Hash> hashes) : ids_(ids), hashes_(hashes) {
    VNTRACE_ASSERT(ids.size() == hashes.size());  // one hash per node read
  }
  Hash operator()(NodeId id) const {
    const auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
    VNTRACE_ASSERT(it != ids_.end() && *it == id);  // the caller read what *Nodes listed
    return hashes_[static_cast<std::size_t>(it - ids_.begin())];
  }

 private:
  std::span<const NodeId> ids_;
  std::span<const Hash> hashes_;
};

// Computes complete-subtree hashes from leaf hashes in memory.
class FromLeaves {
 public:
  static constexpr bool kRecordsOnly = false;
  explicit FromLeaves(std::span<const Hash> leaves) : leaves_(leaves) {}
  Hash operator()(NodeId id) const {
    if (id.level == 0) {
      return leaves_[static_cast<std::size_t>(id.index)];
    }
    const Hash left = (*this)(NodeId{.level = id.level - 1, .index = 2 * id.index});
    const Hash right = (*this)(NodeId{.level = id.level - 1, .index = 2 * id.index + 1});
    return store::LogNodeHash(left, right);
  }

 private:
  std::span<const Hash> leaves_;
};

bool Lsb(std::uint64_t n) { return (n & 1) != 0; }

std::string SizeText(std::int64_t n) { return std::to_string(n); }

}  // namespace

Hash EmptyRoot() { return core::Sha256Digest(""); }

std::vector<NodeId> RootNodes(std::int64_t size) {
  VNTRACE_ASSERT(size >= 0);  // a tree size
  Recorder recorder;
  if (size > 0) {
    Subtree(recorder, 0, size);
  }
  return std::move(recorder).Sorted();
}

Hash RootFrom(std::int64_t size, std::span<const Hash> hashes) {
  if (size == 0) {
    return EmptyRoot();
  }
  const std::vector<NodeId> ids = RootNodes(size);
  Lookup lookup(ids, hashes);
  return Subtree(lookup, 0, size);
}

std::vector<NodeId> InclusionNodes(std::int64_t index, std::int64_t size) {
  VNTRACE_ASSERT(index >= 0 && index < size);  // checked by callers
  Recorder recorder;
  std::vector<Hash> ignored;
  Path(recorder, index, 0, size, ignored);
  return std::move(recorder).Sorted();
}

std::vector<Hash> InclusionFrom(std::int64_t index, std::int64_t size, std::span<const NodeId> ids,
                                std::span<const Hash> hashes) {
  Lookup lookup(ids, hashes);
  std::vector<Hash> path;
  Path(lookup, index, 0, size, path);
  return path;
}

std::vector<NodeId> ConsistencyNodes(std::int64_t first, std::int64_t second) {
  VNTRACE_ASSERT(first >= 0 && first <= second);  // checked by callers
  Recorder recorder;
  if (first > 0 && first < second) {
    std::vector<Hash> ignored;
    SubProof(recorder, first, 0, second, true, ignored);
  }
  return std::move(recorder).Sorted();
}

std::vector<Hash> ConsistencyFrom(std::int64_t first, std::int64_t second,
                                  std::span<const NodeId> ids, std::span<const Hash> hashes) {
  std::vector<Hash> proof;
  if (first > 0 && first < second) {
    Lookup lookup(ids, hashes);
    SubProof(lookup, first, 0, second, true, proof);
  }
  return proof;
}

Hash RootOfLeaves(std::span<const Hash> leaves) {
  if (leaves.empty()) {
    return EmptyRoot();
  }
  FromLeaves nodes(leaves);
  return Subtree(nodes, 0, static_cast<std::int64_t>(leaves.size()));
}

std::vector<Hash> InclusionOfLeaves(std::span<const Hash> leaves, std::int64_t index,
                                    std::int64_t size) {
  VNTRACE_ASSERT(index >= 0 && index < size &&
                 size <= static_cast<std::int64_t>(leaves.size()));  // checked by callers
  FromLeaves nodes(leaves);
  std::vector<Hash> path;
  Path(nodes, index, 0, size, path);
  return path;
}

std::vector<Hash> ConsistencyOfLeaves(std::span<const Hash> leaves, std::int64_t first,
                                      std::int64_t second) {
  VNTRACE_ASSERT(first >= 0 && first <= second &&
                 second <= static_cast<std::int64_t>(leaves.size()));  // checked by callers
  std::vector<Hash> proof;
  if (first > 0 && first < second) {
    FromLeaves nodes(leaves);
    SubProof(nodes, first, 0, second, true, proof);
  }
  return proof;
}

core::Status VerifyInclusion(const Hash& leaf_hash, std::int64_t index, std::int64_t size,
                             std::span<const Hash> path, const Hash& root) {
  if (index < 0 || size <= 0 || index >= size) {
    return core::InvalidArgument("leaf " + SizeText(index) + " is not in a tree of " +
                                 SizeText(size) + " leaves");
  }
  auto fn = static_cast<std::uint64_t>(index);
  auto sn = static_cast<std::uint64_t>(size - 1);
  Hash r = leaf_hash;
  for (const Hash& p : path) {
    if (sn == 0) {
      return core::FailedPrecondition("the audit path of leaf " + SizeText(index) +
                                      " in a tree of " + SizeText(size) + " leaves is too long");
    }
    if (Lsb(fn) || fn == sn) {
      r = store::LogNodeHash(p, r);
      while (!Lsb(fn) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = store::LogNodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return core::FailedPrecondition("the audit path of leaf " + SizeText(index) + " in a tree of " +
                                    SizeText(size) + " leaves is too short");
  }
  if (r != root) {
    return core::FailedPrecondition("the audit path of leaf " + SizeText(index) + " in a tree of " +
                                    SizeText(size) + " leaves does not lead to the root");
  }
  return core::Ok();
}

core::Status VerifyConsistency(std::int64_t first, std::int64_t second, const Hash& first_root,
                               const Hash& second_root, std::span<const Hash> proof) {
  const std::string between = "between " + SizeText(first) + " and " + SizeText(second) + " leaves";
  if (first < 0 || second < first) {
    return core::InvalidArgument("no consistency proof exists " + between);
  }
  if (first == second || first == 0) {
    if (!proof.empty()) {
      return core::FailedPrecondition("the consistency proof " + between + " must be empty");
    }
    if (first == 0 ? first_root != EmptyRoot() : first_root != second_root) {
      return core::FailedPrecondition("the roots " + between + " differ: the log forked");
    }
    return core::Ok();
  }
  if (proof.empty()) {
    return core::FailedPrecondition("the consistency proof " + between + " is empty");
  }
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (IsPowerOfTwo(first)) {
    path.push_back(first_root);
  }
  path.insert(path.end(), proof.begin(), proof.end());
  auto fn = static_cast<std::uint64_t>(first - 1);
  auto sn = static_cast<std::uint64_t>(second - 1);
  while (Lsb(fn)) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path.front();
  Hash sr = path.front();
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) {
      return core::FailedPrecondition("the consistency proof " + between + " is too long");
    }
    if (Lsb(fn) || fn == sn) {
      fr = store::LogNodeHash(c, fr);
      sr = store::LogNodeHash(c, sr);
      while (!Lsb(fn) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = store::LogNodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return core::FailedPrecondition("the consistency proof " + between + " is too short");
  }
  if (fr != first_root) {
    return core::FailedPrecondition("the consistency proof " + between +
                                    " does not lead to the first root: the log forked or a leaf "
                                    "before it changed");
  }
  if (sr != second_root) {
    return core::FailedPrecondition("the consistency proof " + between +
                                    " does not lead to the second root: the log forked");
  }
  return core::Ok();
}

}  // namespace vntrace::ledger
