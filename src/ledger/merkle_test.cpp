#include "ledger/merkle.hpp"

#include <string>
#include <unordered_map>
#include <vector>

#include <gtest/gtest.h>

#include "core/sha256.hpp"

namespace vntrace::ledger {
namespace {

using store::NodeId;

std::string Hex(const Hash& hash) {
  std::string out;
  core::AppendHex(hash, out);
  return out;
}

std::vector<std::string> Hexes(const std::vector<Hash>& hashes) {
  std::vector<std::string> out;
  for (const Hash& h : hashes) {
    out.push_back(Hex(h));
  }
  return out;
}

std::string Unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

Hash HashOfHex(std::string_view hex) {
  const std::string bytes = Unhex(hex);
  Hash hash{};
  std::copy(bytes.begin(), bytes.end(), hash.begin());
  return hash;
}

// SHA-256 written out for the reference, not through LogLeafHash/LogNodeHash.
Hash Sha(std::string_view bytes) { return core::Sha256Digest(bytes); }
std::string Raw(const Hash& h) { return {reinterpret_cast<const char*>(h.data()), h.size()}; }

// A naive recursive reference of RFC 6962 §2.1, straight from the definitions, over leaf data,
// with the Merkle tree hash of each range memoised.
class Reference {
 public:
  explicit Reference(std::vector<std::string> data) : data_(std::move(data)) {
    memo_.reserve(1 << 16);
  }

  Hash Mth(std::int64_t begin, std::int64_t end) {
    const std::int64_t key = begin * 1'000'003 + end;
    if (auto it = memo_.find(key); it != memo_.end()) {
      return it->second;
    }
    Hash h;
    if (end - begin == 0) {
      h = Sha("");
    } else if (end - begin == 1) {
      h = Sha(std::string(1, '\0') + data_[static_cast<std::size_t>(begin)]);
    } else {
      const std::int64_t k = Split(end - begin);
      h = Sha(std::string(1, '\1') + Raw(Mth(begin, begin + k)) + Raw(Mth(begin + k, end)));
    }
    memo_.emplace(key, h);
    return h;
  }

  // PATH(m, D[begin:end]) with m relative to begin, appended to `out`.
  void Path(std::int64_t m, std::int64_t begin, std::int64_t end, std::vector<Hash>& out) {
    const std::int64_t n = end - begin;
    if (n <= 1) {
      return;
    }
    const std::int64_t k = Split(n);
    if (m < k) {
      Path(m, begin, begin + k, out);
      out.push_back(Mth(begin + k, end));
    } else {
      Path(m - k, begin + k, end, out);
      out.push_back(Mth(begin, begin + k));
    }
  }

  // SUBPROOF(m, D[begin:end], b) with m relative to begin, appended to `out`.
  void SubProof(std::int64_t m, std::int64_t begin, std::int64_t end, bool b,
                std::vector<Hash>& out) {
    const std::int64_t n = end - begin;
    if (m == n) {
      if (!b) {
        out.push_back(Mth(begin, end));
      }
      return;
    }
    const std::int64_t k = Split(n);
    if (m <= k) {
      SubProof(m, begin, begin + k, b, out);
      out.push_back(Mth(begin + k, end));
    } else {
      SubProof(m - k, begin + k, end, false, out);
      out.push_back(Mth(begin, begin + k));
    }
  }

  std::vector<Hash> Path(std::int64_t m, std::int64_t n) {
    std::vector<Hash> out;
    Path(m, 0, n, out);
    return out;
  }

  std::vector<Hash> Proof(std::int64_t m, std::int64_t n) {
    std::vector<Hash> out;
    if (m != 0 && m != n) {
      SubProof(m, 0, n, true, out);
    }
    return out;
  }

 private:
  static std::int64_t Split(std::int64_t n) {
    std::int64_t k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    return k;
  }

  std::vector<std::string> data_;
  std::unordered_map<std::int64_t, Hash> memo_;
};

// Every complete subtree of `leaves`, as the store keeps them: table[level][index].
using NodeTable = std::vector<std::vector<Hash>>;

NodeTable MakeNodeTable(const std::vector<Hash>& leaves) {
  NodeTable table;
  table.push_back(leaves);
  while (table.back().size() >= 2) {
    const std::vector<Hash>& below = table.back();
    std::vector<Hash> up;
    for (std::size_t i = 1; i < below.size(); i += 2) {
      up.push_back(store::LogNodeHash(below[i - 1], below[i]));
    }
    table.push_back(std::move(up));
  }
  return table;
}

// Reads `ids` from `table`, as LogStore::ReadNodes does; fails the test for a node that is not
// complete in a tree of `size` leaves.
std::vector<Hash> ReadTable(const NodeTable& table, const std::vector<NodeId>& ids,
                            std::int64_t size) {
  std::vector<Hash> out;
  out.reserve(ids.size());
  for (const NodeId& id : ids) {
    if (((id.index + 1) << id.level) > size) {
      ADD_FAILURE() << "node (" << id.level << ", " << id.index << ") read for size " << size;
      return {};
    }
    out.push_back(table[static_cast<std::size_t>(id.level)][static_cast<std::size_t>(id.index)]);
  }
  return out;
}

// The leaves and roots of the Certificate Transparency test data (RFC 6962's reference
// implementation), checked by hand against the definitions.
const std::vector<std::string>& CtLeaves() {
  static const std::vector<std::string> leaves = {"",
                                                  Unhex("00"),
                                                  Unhex("10"),
                                                  Unhex("2021"),
                                                  Unhex("3031"),
                                                  Unhex("40414243"),
                                                  Unhex("5051525354555657"),
                                                  Unhex("606162636465666768696a6b6c6d6e6f")};
  return leaves;
}

constexpr std::string_view kCtRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

std::vector<Hash> LeafHashes(const std::vector<std::string>& data) {
  std::vector<Hash> out;
  for (const std::string& d : data) {
    out.push_back(store::LogLeafHash(d));
  }
  return out;
}

TEST(Merkle, Rfc6962TestVectors) {
  EXPECT_EQ(Hex(EmptyRoot()), kCtRoots[0]);
  const std::vector<Hash> leaves = LeafHashes(CtLeaves());
  const NodeTable table = MakeNodeTable(leaves);
  for (std::int64_t n = 0; n <= 8; ++n) {
    EXPECT_EQ(Hex(RootOfLeaves(std::span(leaves).first(static_cast<std::size_t>(n)))), kCtRoots[n])
        << n;
    const std::vector<NodeId> ids = RootNodes(n);
    EXPECT_EQ(Hex(RootFrom(n, ReadTable(table, ids, n))), kCtRoots[n]) << n;
  }
  struct Vector {
    std::int64_t a, b;
    std::vector<std::string_view> proof;
  };
  const std::vector<Vector> inclusion = {
      {0,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {5,
       8,
       {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
  };
  for (const Vector& v : inclusion) {
    const std::vector<NodeId> ids = InclusionNodes(v.a, v.b);
    const std::vector<Hash> path = InclusionFrom(v.a, v.b, ids, ReadTable(table, ids, v.b));
    EXPECT_EQ(Hexes(path), std::vector<std::string>(v.proof.begin(), v.proof.end()));
    EXPECT_TRUE(VerifyInclusion(leaves[static_cast<std::size_t>(v.a)], v.a, v.b, path,
                                HashOfHex(kCtRoots[v.b]))
                    .ok());
  }
  const std::vector<Vector> consistency = {
      {2,
       8,
       {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {6,
       8,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
  };
  for (const Vector& v : consistency) {
    const std::vector<NodeId> ids = ConsistencyNodes(v.a, v.b);
    const std::vector<Hash> proof = ConsistencyFrom(v.a, v.b, ids, ReadTable(table, ids, v.b));
    EXPECT_EQ(Hexes(proof), std::vector<std::string>(v.proof.begin(), v.proof.end()));
    EXPECT_TRUE(
        VerifyConsistency(v.a, v.b, HashOfHex(kCtRoots[v.a]), HashOfHex(kCtRoots[v.b]), proof)
            .ok());
  }
}

// Roots, inclusion proofs of every leaf and consistency proofs of every pair of sizes, for every
// tree size from 1 to 1,000: generated from stored subtrees, equal to the naive reference, and
// verified.
TEST(Merkle, EveryTreeSizeFromOneToAThousand) {
  constexpr std::int64_t kMax = 1000;
  std::vector<std::string> data;
  for (std::int64_t i = 0; i < kMax; ++i) {
    data.push_back("ni:///sha-256;" + core::Sha256Hex(std::to_string(i)) + "?ver=CBV2.0");
  }
  const std::vector<Hash> leaves = LeafHashes(data);
  const NodeTable table = MakeNodeTable(leaves);
  Reference reference(data);
  std::vector<Hash> roots(kMax + 1);
  for (std::int64_t n = 0; n <= kMax; ++n) {
    roots[static_cast<std::size_t>(n)] = RootFrom(n, ReadTable(table, RootNodes(n), n));
    ASSERT_EQ(roots[static_cast<std::size_t>(n)], reference.Mth(0, n)) << "size " << n;
    EXPECT_LE(RootNodes(n).size(), 10u);  // the binary decomposition of n: O(log n)
  }
  std::size_t max_read = 0;
  for (std::int64_t n = 1; n <= kMax; ++n) {
    const Hash& root = roots[static_cast<std::size_t>(n)];
    for (std::int64_t m = 0; m < n; ++m) {
      const std::vector<NodeId> ids = InclusionNodes(m, n);
      max_read = std::max(max_read, ids.size());
      const std::vector<Hash> path = InclusionFrom(m, n, ids, ReadTable(table, ids, n));
      ASSERT_EQ(path, reference.Path(m, n)) << "inclusion of " << m << " in " << n;
      ASSERT_TRUE(VerifyInclusion(leaves[static_cast<std::size_t>(m)], m, n, path, root).ok())
          << "inclusion of " << m << " in " << n;
    }
    for (std::int64_t m = 0; m <= n; ++m) {
      const std::vector<NodeId> ids = ConsistencyNodes(m, n);
      max_read = std::max(max_read, ids.size());
      const std::vector<Hash> proof = ConsistencyFrom(m, n, ids, ReadTable(table, ids, n));
      ASSERT_EQ(proof, reference.Proof(m, n)) << "consistency " << m << " -> " << n;
      ASSERT_TRUE(VerifyConsistency(m, n, roots[static_cast<std::size_t>(m)], root, proof).ok())
          << "consistency " << m << " -> " << n;
    }
  }
  // A proof reads O(log n) stored hashes: at most about 2 log2(1000).
  EXPECT_LE(max_read, 20u);
}

class Mangled : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 64; ++i) {
      data_.push_back("leaf " + std::to_string(i));
    }
    leaves_ = LeafHashes(data_);
  }
  Hash Root(std::int64_t n) const {
    return RootOfLeaves(std::span(leaves_).first(static_cast<std::size_t>(n)));
  }
  std::vector<std::string> data_;
  std::vector<Hash> leaves_;
};

TEST_F(Mangled, InclusionProofsAreRefused) {
  for (std::int64_t n = 2; n <= 64; ++n) {
    const Hash root = Root(n);
    for (std::int64_t m = 0; m < n; ++m) {
      const Hash& leaf = leaves_[static_cast<std::size_t>(m)];
      const std::vector<Hash> path = InclusionOfLeaves(leaves_, m, n);
      ASSERT_TRUE(VerifyInclusion(leaf, m, n, path, root).ok());
      std::vector<Hash> flipped = path;
      flipped.back()[7] ^= 0x01;
      EXPECT_FALSE(VerifyInclusion(leaf, m, n, flipped, root).ok());
      std::vector<Hash> truncated(path.begin(), path.end() - 1);
      EXPECT_FALSE(VerifyInclusion(leaf, m, n, truncated, root).ok());
      std::vector<Hash> extended = path;
      extended.push_back(Hash{});
      EXPECT_FALSE(VerifyInclusion(leaf, m, n, extended, root).ok());
      if (path.size() >= 2 && path[0] != path[1]) {
        std::vector<Hash> swapped = path;
        std::swap(swapped[0], swapped[1]);
        EXPECT_FALSE(VerifyInclusion(leaf, m, n, swapped, root).ok());
      }
      // The proof of one leaf does not prove another.
      EXPECT_FALSE(
          VerifyInclusion(leaves_[static_cast<std::size_t>((m + 1) % n)], m, n, path, root).ok());
      EXPECT_FALSE(VerifyInclusion(leaf, m, n, path, Root(n - 1)).ok());
    }
  }
  const std::vector<Hash> path = InclusionOfLeaves(leaves_, 5, 8);
  EXPECT_EQ(VerifyInclusion(leaves_[5], 8, 8, path, Root(8)).error().code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(VerifyInclusion(leaves_[5], -1, 8, path, Root(8)).error().code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(VerifyInclusion(leaves_[5], 5, 8, path, Root(7)).error().code,
            core::ErrorCode::kFailedPrecondition);
}

TEST_F(Mangled, ConsistencyProofsAreRefused) {
  for (std::int64_t n = 2; n <= 64; ++n) {
    for (std::int64_t m = 1; m < n; ++m) {
      const std::vector<Hash> proof = ConsistencyOfLeaves(leaves_, m, n);
      ASSERT_FALSE(proof.empty());
      ASSERT_TRUE(VerifyConsistency(m, n, Root(m), Root(n), proof).ok());
      std::vector<Hash> flipped = proof;
      flipped.front()[3] ^= 0x80;
      EXPECT_FALSE(VerifyConsistency(m, n, Root(m), Root(n), flipped).ok());
      EXPECT_FALSE(
          VerifyConsistency(m, n, Root(m), Root(n), std::span(proof).first(proof.size() - 1)).ok());
      std::vector<Hash> extended = proof;
      extended.push_back(Hash{});
      EXPECT_FALSE(VerifyConsistency(m, n, Root(m), Root(n), extended).ok());
      EXPECT_FALSE(VerifyConsistency(m, n, Root(m - 1), Root(n), proof).ok());
      EXPECT_FALSE(VerifyConsistency(m, n, Root(m), Root(n - 1), proof).ok());
    }
  }
  // The degenerate cases: equal sizes need equal roots and no proof; the empty tree is a prefix
  // of every tree; sizes out of order are refused.
  EXPECT_TRUE(VerifyConsistency(4, 4, Root(4), Root(4), {}).ok());
  EXPECT_FALSE(VerifyConsistency(4, 4, Root(4), Root(5), {}).ok());
  EXPECT_FALSE(VerifyConsistency(4, 4, Root(4), Root(4), std::vector<Hash>{Hash{}}).ok());
  EXPECT_TRUE(VerifyConsistency(0, 8, EmptyRoot(), Root(8), {}).ok());
  EXPECT_FALSE(VerifyConsistency(0, 8, Root(1), Root(8), {}).ok());
  EXPECT_FALSE(VerifyConsistency(6, 8, Root(6), Root(8), {}).ok());
  EXPECT_EQ(VerifyConsistency(8, 6, Root(8), Root(6), {}).error().code,
            core::ErrorCode::kInvalidArgument);
}

// A log that changed a leaf, removed one or reordered two is caught: its new root cannot be
// proved consistent with a head taken before, and a proof from the new tree does not verify a
// leaf against the old root.
TEST_F(Mangled, TamperingIsCaught) {
  const std::int64_t kHeadSize = 40;
  const Hash head = Root(kHeadSize);
  auto check_tampered = [&](const std::vector<std::string>& tampered_data, std::string_view what) {
    const std::vector<Hash> tampered = LeafHashes(tampered_data);
    const auto n = static_cast<std::int64_t>(tampered.size());
    const std::vector<Hash> proof = ConsistencyOfLeaves(tampered, kHeadSize, n);
    EXPECT_EQ(VerifyConsistency(kHeadSize, n, head, RootOfLeaves(tampered), proof).error().code,
              core::ErrorCode::kFailedPrecondition)
        << what;
    // What the tampered log now holds at leaf 12 cannot be proved in the head, whatever path the
    // tampered log gives for it.
    const std::vector<Hash> path = InclusionOfLeaves(tampered, 12, kHeadSize);
    EXPECT_FALSE(VerifyInclusion(tampered[12], 12, kHeadSize, path, head).ok()) << what;
    EXPECT_FALSE(VerifyInclusion(tampered[12], 12, kHeadSize,
                                 InclusionOfLeaves(leaves_, 12, kHeadSize), head)
                     .ok())
        << what;
  };
  std::vector<std::string> changed = data_;
  changed[12] = "leaf 12, edited";
  check_tampered(changed, "changed");
  std::vector<std::string> removed = data_;
  removed.erase(removed.begin() + 12);
  check_tampered(removed, "removed");
  std::vector<std::string> reordered = data_;
  std::swap(reordered[12], reordered[13]);
  check_tampered(reordered, "reordered");
  // A fork: two histories that share their first 30 leaves. Each is consistent with itself;
  // a proof from one to the other is not.
  std::vector<std::string> fork = data_;
  for (std::size_t i = 30; i < fork.size(); ++i) {
    fork[i] = "other " + std::to_string(i);
  }
  const std::vector<Hash> forked = LeafHashes(fork);
  const std::vector<Hash> proof = ConsistencyOfLeaves(forked, kHeadSize, 50);
  EXPECT_TRUE(VerifyConsistency(kHeadSize, 50, RootOfLeaves(std::span(forked).first(kHeadSize)),
                                RootOfLeaves(std::span(forked).first(50)), proof)
                  .ok());
  EXPECT_FALSE(
      VerifyConsistency(kHeadSize, 50, head, RootOfLeaves(std::span(forked).first(50)), proof)
          .ok());
  // Before the fork point both agree.
  EXPECT_TRUE(VerifyConsistency(20, 50, Root(20), RootOfLeaves(std::span(forked).first(50)),
                                ConsistencyOfLeaves(forked, 20, 50))
                  .ok());
}

}  // namespace
}  // namespace vntrace::ledger
