// ledger::witness: co-signing other vntrace servers' tree heads, so that a log cannot show one
// history to some and another history to others (a fork) without a witness noticing.
//
// A log sends its current signed tree head, its public key, the URL it serves from and the
// consistency proof from the head this witness co-signed last for that key (the witness tells
// which: Last). The witness checks the log's signature, checks consistency with its last
// co-signed head of that log (equal sizes need equal roots; a head older than the last one is
// refused), co-signs the same TreeHeadSignature bytes with its own key and records it. A head
// that does not extend the last one is a fork and is refused (kFailedPrecondition → 409). The
// witness never fetches anything itself: the proof comes in the request (docs/ledger.md).
//
// Thread-safety: safe from several threads (and processes) at once: recording is a
// compare-and-set on the last head of the log, retried after a concurrent one.
//
// Example:
//   ledger::Witness witness(store, key, clock);
//   VNTRACE_ASSIGN_OR_RETURN(store::WitnessedHead cosigned, witness.CoSign(request));
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "ledger/merkle.hpp"
#include "ledger/tree_head.hpp"
#include "store/store.hpp"

namespace vntrace::ledger {

struct WitnessRequest {
  std::string origin{};             // the log's URL, as it says (kept for the record)
  store::TreeHead head{};           // signed by the log; public_key is the log's key
  std::vector<Hash> consistency{};  // from the last co-signed head of this log to `head`
};

class Witness {
 public:
  // `store`, `key` (this witness's own key) and `clock` must outlive the witness.
  Witness(store::Store& store, const SigningKey& key, const core::Clock& clock);
  Witness(const Witness&) = delete;
  Witness& operator=(const Witness&) = delete;

  // Co-signs request.head and returns the record. kInvalidArgument for a malformed request
  // (sizes, a signature that does not verify, a timestamp more than five minutes ahead, this
  // witness's own key, a missing consistency proof); kFailedPrecondition for a fork (a head
  // inconsistent with the last co-signed one) or a head older than it.
  core::Result<store::WitnessedHead> CoSign(const WitnessRequest& request);

  // The head last co-signed for the log with this public key; nullopt when none was.
  core::Result<std::optional<store::WitnessedHead>> Last(std::string_view log_public_key);

 private:
  store::Store& store_;
  const SigningKey& key_;
  const core::Clock& clock_;
};

}  // namespace vntrace::ledger
