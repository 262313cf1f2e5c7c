// store::SyncStore: outbound sync of the stored events to other EPCIS 2.0 repositories — the
// national traceability portal, a buyer's or a province's repository (src/sync).
//
// The queue is the tamper-evident log itself (log_store.hpp): every newly stored event and every
// error declaration recorded on one already appends a leaf, in acceptance order, inside the
// write's transaction. A destination keeps a cursor, the last leaf it has delivered, so nothing
// acknowledged here can be missed, a restart resumes where the last delivery ended, and a
// declaration made after the event was sent travels too (as the event with its
// errorDeclaration, which the receiving repository records on the event it already has).
// Receivers are idempotent by eventID (EPCIS capture skips a stored eventID), so a delivery
// repeated after a crash between sending and recording the cursor stores nothing twice.
//
// Destinations are platform data: created and switched on or off by a system administrator
// (`vntrace sync`), each change audited (and so logged). Their Authorization header is a secret:
// stored, sent, never shown.
//
// Thread-safety: as Store (safe from several threads at once).
//
// Example:
//   store::SyncStore& sync = db->sync();
//   VNTRACE_ASSIGN_OR_RETURN(std::vector<store::SyncChange> changes,
//                            sync.ReadEventChanges(destination.cursor, 500));
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "store/log_store.hpp"
#include "store/registry_store.hpp"

namespace vntrace::store {

struct SyncDestination {
  std::string id{};    // short name, [a-z0-9-], unique: "cong-quoc-gia"
  std::string name{};  // shown to people: "Cổng thông tin truy xuất nguồn gốc quốc gia"
  // The root of the receiver's EPCIS 2.0 REST interface: "https://portal.example/epcis"
  // (documents go to {url}/capture).
  std::string url{};
  std::string authorization{};   // the Authorization header value sent; empty: none
  bool national_portal = false;  // the national portal (counted on the authority dashboard)
  bool enabled = true;
  core::Timestamp created_at{};
  // Progress, kept by RecordSyncSuccess and RecordSyncFailure.
  std::int64_t cursor = -1;    // the index of the last log leaf delivered; -1 before the first
  std::int64_t delivered = 0;  // events delivered (declarations count as events)
  std::optional<core::Timestamp> last_attempt_at{};
  std::optional<core::Timestamp> last_success_at{};
  std::string last_error{};  // of the last attempt; empty after a success
  int failures = 0;          // consecutive failed attempts
  friend bool operator==(const SyncDestination&, const SyncDestination&) = default;
};

// One change to deliver: a leaf of kind kEvent or kErrorDeclaration and the stored event's
// canonical JSON as it is now (with its errorDeclaration once one was recorded).
struct SyncChange {
  std::int64_t leaf_index = 0;
  LeafKind kind = LeafKind::kEvent;
  std::string event_id{};
  std::string json{};
  friend bool operator==(const SyncChange&, const SyncChange&) = default;
};

class SyncStore {
 public:
  virtual ~SyncStore() = default;

  // kAlreadyExists when the id is taken; kInvalidArgument for an empty id or url.
  virtual core::Status CreateSyncDestination(const SyncDestination& destination,
                                             const AuditEntry& audit) = 0;
  // kNotFound when there is no such destination.
  virtual core::Status SetSyncDestinationEnabled(std::string_view id, bool enabled,
                                                 const AuditEntry& audit) = 0;
  virtual core::Result<SyncDestination> GetSyncDestination(std::string_view id) = 0;
  // Every destination, by id.
  virtual core::Result<std::vector<SyncDestination>> ListSyncDestinations() = 0;

  // Up to `limit` changes after leaf `after` (−1: from the start), in leaf order.
  virtual core::Result<std::vector<SyncChange>> ReadEventChanges(std::int64_t after,
                                                                 std::size_t limit) = 0;
  // How many changes lie after leaf `after`: a destination's backlog.
  virtual core::Result<std::int64_t> CountEventChangesAfter(std::int64_t after) = 0;

  // A delivery of the changes up to leaf `cursor` (`events` of them) succeeded at `at`: the
  // cursor moves there (never backwards: a smaller cursor keeps the stored one), failures reset.
  virtual core::Status RecordSyncSuccess(std::string_view id, std::int64_t cursor,
                                         std::int64_t events, core::Timestamp at) = 0;
  // A delivery failed at `at` with `error`; the cursor stays.
  virtual core::Status RecordSyncFailure(std::string_view id, std::string_view error,
                                         core::Timestamp at) = 0;
};

}  // namespace vntrace::store
