// store::StampStore: the persisted records of traceability stamps (tem truy xuất): batches of
// issued codes, every issued code, the scans of codes, and lot recalls.
//
// The records are plain values; src/label decides what may be issued, who may activate a batch
// and what a scan means. Writes that change a producer's data take the AuditEntry that
// describes them and store both in one transaction. Scans hold no personal data: a time, a
// coarse area (province) and at most a hash of the user agent.
//
// Thread-safety: as Store (safe from several threads at once).
//
// Example:
//   store::StampStore& stamps = db->stamps();
//   VNTRACE_RETURN_IF_ERROR(stamps.CreateStampBatch(batch, codes, audit));
//   VNTRACE_ASSIGN_OR_RETURN(store::Stamp stamp, stamps.FindStamp(code));
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "store/registry_store.hpp"

namespace vntrace::store {

enum class StampMode : std::uint8_t {
  kPerItem = 1,  // one code per item, each with its own random serial
  kPerLot = 2,   // one code for the whole lot
};

struct StampBatch {
  std::string id{};  // random, URL-safe
  std::string org_id{};
  std::string product_id{};
  std::string lot_id{};
  StampMode mode = StampMode::kPerItem;
  int count = 0;  // codes issued in the batch
  bool active = false;
  core::Timestamp created_at{};
  std::optional<core::Timestamp> activated_at{};
  friend bool operator==(const StampBatch&, const StampBatch&) = default;
};

struct Stamp {
  // The code the symbol carries, in canonical form: https://id.gs1.org/01/{GTIN}/10/{lot}/21/
  // {serial} (or .../10/{lot} for a per-lot code), or a platform URI
  // https://{domain}/id/stamp/{serial} for producers without GS1 keys.
  std::string code{};
  std::string batch_id{};
  std::string serial{};  // the random part: AI 21 or the platform token
  int sequence = 0;      // 1..count within the batch, the printing order
  friend bool operator==(const Stamp&, const Stamp&) = default;
};

struct Scan {
  std::string code{};  // the canonical code scanned (issued or not)
  core::Timestamp at{};
  std::string province{};         // coarse area; empty when unknown
  std::string user_agent_hash{};  // hex; empty when none
  friend bool operator==(const Scan&, const Scan&) = default;
};

struct LotRecall {
  std::string lot_id{};
  std::string reason{};
  core::Timestamp recalled_at{};
  friend bool operator==(const LotRecall&, const LotRecall&) = default;
};

class StampStore {
 public:
  virtual ~StampStore() = default;

  // Stores `batch` and all its `stamps` in one transaction with `audit`. kAlreadyExists when
  // the batch id or a code is taken (nothing is stored then).
  virtual core::Status CreateStampBatch(const StampBatch& batch, std::span<const Stamp> stamps,
                                        const AuditEntry& audit) = 0;
  // kNotFound when no batch has this id.
  virtual core::Result<StampBatch> GetStampBatch(std::string_view id) = 0;
  // The batches of a lot, newest first.
  virtual core::Result<std::vector<StampBatch>> ListStampBatches(std::string_view lot_id) = 0;
  // The codes of a batch in sequence order.
  virtual core::Result<std::vector<Stamp>> ListStamps(std::string_view batch_id) = 0;
  // Marks the batch active at `at`. kNotFound when no batch has this id; activating an active
  // batch changes nothing and succeeds.
  virtual core::Status ActivateStampBatch(std::string_view id, core::Timestamp at,
                                          const AuditEntry& audit) = 0;
  // The stamp carrying `code` (canonical form). kNotFound when none was issued.
  virtual core::Result<Stamp> FindStamp(std::string_view code) = 0;

  virtual core::Status RecordScan(const Scan& scan) = 0;
  // The scans of `code`, oldest first, at most `limit` (the oldest ones).
  virtual core::Result<std::vector<Scan>> ListScans(std::string_view code, std::size_t limit) = 0;
  // The number of scans of `code`.
  virtual core::Result<std::int64_t> CountScans(std::string_view code) = 0;
  // The number of scans of all the codes of batch `batch_id` (0 for an unknown batch).
  virtual core::Result<std::int64_t> CountBatchScans(std::string_view batch_id) = 0;

  // Records that the lot is recalled (a second recall keeps the first). kNotFound when no lot
  // has this id.
  virtual core::Status RecallLot(const LotRecall& recall, const AuditEntry& audit) = 0;
  // The recall of a lot, nullopt when it is not recalled.
  virtual core::Result<std::optional<LotRecall>> GetLotRecall(std::string_view lot_id) = 0;
};

}  // namespace vntrace::store
