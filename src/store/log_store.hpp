// store::LogStore: the persisted tamper-evident log (src/ledger): its leaves in acceptance
// order, the hashes of its complete subtrees, the signed tree heads, and the co-signatures
// exchanged with witnesses.
//
// The log is a Merkle tree as RFC 6962 (and RFC 9162) define it, over SHA-256: a leaf's hash is
// SHA-256(0x00 || data), a node's SHA-256(0x01 || left || right) (LogLeafHash, LogNodeHash).
// The store appends the leaves itself, inside the transaction of the write they describe, so
// that whatever a write acknowledged is in the log and acceptance order is leaf order:
//   - every event newly stored by CaptureEvents (or RecordDiary): data = the event's CBV 2.0
//     hash ID "ni:///sha-256;…?ver=CBV2.0" (its eventID when that is already a hash ID,
//     otherwise computed from its JSON), kind kEvent;
//   - every error declaration recorded on a stored event: data = "sha256:<hex>" of the
//     declaration's canonical form, kind kErrorDeclaration;
//   - every audit entry (each registry and stamp change, and AppendAudit): data =
//     "sha256:<hex>" of the entry's canonical form, kind kAudit.
// docs/ledger.md specifies the canonical forms. With each leaf the store writes the hash of every
// complete subtree the leaf completes (amortised one node per leaf, O(log n) at worst), so that
// a root or a proof at any size reads O(log n) stored hashes and never rehashes the tree.
//
// Nothing here signs or verifies: src/ledger builds tree heads and proofs from ReadNodes and
// keeps its key outside the database. Leaves, nodes, tree heads and witness records are
// append-only (the SQLite tables refuse UPDATE and DELETE).
//
// Thread-safety: as Store (safe from several threads at once).
//
// Example:
//   store::LogStore& log = db->log();
//   VNTRACE_ASSIGN_OR_RETURN(std::int64_t size, log.LogSize());
//   VNTRACE_ASSIGN_OR_RETURN(std::vector<store::LogHash> hashes,
//                            log.ReadNodes(std::vector<store::NodeId>{{.level = 0, .index = 0}}));
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace vntrace::store {

using LogHash = std::array<std::uint8_t, 32>;

// SHA-256(0x00 || data): the hash of a leaf (RFC 6962 §2.1).
LogHash LogLeafHash(std::string_view data);
// SHA-256(0x01 || left || right): the hash of an interior node (RFC 6962 §2.1).
LogHash LogNodeHash(const LogHash& left, const LogHash& right);

// What a leaf records. Persisted (store schema): values are stable.
enum class LeafKind : std::uint8_t {
  kEvent = 1,             // a newly stored EPCIS event
  kErrorDeclaration = 2,  // an error declaration recorded on a stored event
  kAudit = 3,             // an audit entry (registry, stamp or account change)
  kOther = 4,             // appended through AppendLeaves
  kMasterData = 5,        // an EPCIS vocabulary element captured (new or changed)
};

struct LogLeaf {
  std::int64_t index = 0;  // 0-based position in the log
  LeafKind kind = LeafKind::kOther;
  std::string data{};
  LogHash hash{};  // LogLeafHash(data) as stored
  friend bool operator==(const LogLeaf&, const LogLeaf&) = default;
};

// A complete subtree: the 2^level leaves from index * 2^level on. Level 0 is one leaf.
struct NodeId {
  int level = 0;
  std::int64_t index = 0;
  friend auto operator<=>(const NodeId&, const NodeId&) = default;
};

// The leaf of a stored event, with the event's hash ID computed again from its stored JSON now
// (equal to the leaf's data unless the event or the leaf was changed since, or the eventID
// was a hash ID that did not match the content when it was captured).
struct EventLeaf {
  LogLeaf leaf{};
  std::string event_id{};
  std::string content_hash_id{};
};

// A signed tree head (RFC 6962 §3.5) of this log.
struct TreeHead {
  std::int64_t tree_size = 0;
  std::int64_t timestamp_ms = 0;  // milliseconds since the Unix epoch
  LogHash root_hash{};
  std::string signature{};   // 64 bytes, Ed25519 over the TreeHeadSignature bytes
  std::string public_key{};  // 32 bytes, the Ed25519 key that signed it
  friend bool operator==(const TreeHead&, const TreeHead&) = default;
};

// A tree head of another log that this server co-signed as its witness.
struct WitnessedHead {
  std::int64_t sequence = 0;         // assigned by the store, ascending
  std::string origin{};              // the URL the log said it serves from (informative)
  TreeHead head{};                   // as the log signed it (public_key: the log's key)
  std::string cosignature{};         // 64 bytes, Ed25519 by this server's key over the same bytes
  std::string witness_public_key{};  // 32 bytes, this server's key when it co-signed
  core::Timestamp cosigned_at{};
  friend bool operator==(const WitnessedHead&, const WitnessedHead&) = default;
};

// A co-signature of one of this log's tree heads, received from a witness.
struct Cosignature {
  std::string witness{};             // the witness's URL
  std::string witness_public_key{};  // 32 bytes
  std::int64_t tree_size = 0;
  std::int64_t timestamp_ms = 0;
  LogHash root_hash{};
  std::string cosignature{};  // 64 bytes
  core::Timestamp received_at{};
  friend bool operator==(const Cosignature&, const Cosignature&) = default;
};

class LogStore {
 public:
  virtual ~LogStore() = default;

  // Appends leaves of kind kOther holding `data`, in order, in one transaction, and returns
  // the index of the first (the log size before the call). Used by tests and benchmarks; the
  // store appends the leaves of events and audit entries itself.
  virtual core::Result<std::int64_t> AppendLeaves(std::span<const std::string> data) = 0;

  // The number of leaves.
  virtual core::Result<std::int64_t> LogSize() = 0;

  // The hashes of `nodes`, in the same order, read in one snapshot. kNotFound when a node is
  // not complete in the log as it is (its last leaf is not appended yet); kInternal when a
  // complete node is missing from the database (a damaged database).
  virtual core::Result<std::vector<LogHash>> ReadNodes(std::span<const NodeId> nodes) = 0;

  // The leaves with index in [begin, end) that exist, in order; at most 10,000 per call
  // (kInvalidArgument for a larger or inverted range).
  virtual core::Result<std::vector<LogLeaf>> ReadLeaves(std::int64_t begin, std::int64_t end) = 0;

  // The leaf of the event stored under `event_id`. kNotFound when no event has this eventID, or
  // when the event has no leaf (stored while the log was switched off).
  virtual core::Result<EventLeaf> FindEventLeaf(std::string_view event_id) = 0;

  // Appends a signed tree head. kInvalidArgument when its tree_size exceeds the log size.
  virtual core::Status SaveTreeHead(const TreeHead& head) = 0;
  // The tree head saved last; nullopt when none was.
  virtual core::Result<std::optional<TreeHead>> LatestTreeHead() = 0;

  // Records a head co-signed as a witness, if the last head recorded for the same log key is
  // still the one with sequence `expected_last_sequence` (0: none recorded yet); otherwise
  // kUnavailable (another head was recorded meanwhile: check again and retry). Returns the new
  // sequence.
  virtual core::Result<std::int64_t> RecordWitnessed(const WitnessedHead& witnessed,
                                                     std::int64_t expected_last_sequence) = 0;
  // The head last recorded for the log with this public key; nullopt when none was.
  virtual core::Result<std::optional<WitnessedHead>> LastWitnessed(
      std::string_view log_public_key) = 0;

  virtual core::Status SaveCosignature(const Cosignature& cosignature) = 0;
  // Newest first, at most `limit`.
  virtual core::Result<std::vector<Cosignature>> ListCosignatures(std::size_t limit) = 0;

 protected:
  LogStore() = default;
  LogStore(const LogStore&) = delete;
  LogStore& operator=(const LogStore&) = delete;
};

}  // namespace vntrace::store
