// store::InspectionStore: the persisted records of the inspector workspace — inspections with
// their violations and photos, and lot recalls ordered by an inspector or authority officer
// (which lots they covered, which organisations must see them, and the recall report attached
// at the time).
//
// The records are plain values; src/report/inspection.hpp decides who may record or read what.
// Every write takes the AuditEntry (or entries) that describe it and stores everything in one
// transaction. Photos are stored in the database (BLOB), so that a backup of the database is a
// backup of the evidence; the domain layer limits their size and kind.
//
// An inspection and a recall keep the province and commune of the organisation they concern as
// it was at the time, so that counts per area do not move when an address is later corrected.
//
// Thread-safety: as Store (safe from several threads at once).
//
// Example:
//   store::InspectionStore& inspections = db->inspections();
//   VNTRACE_RETURN_IF_ERROR(inspections.CreateInspection(inspection, photos, audit));
//   VNTRACE_ASSIGN_OR_RETURN(store::InspectionTally tally,
//                            inspections.CountInspections({.area = {.province = "Quảng Ngãi"}}));
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "store/registry_store.hpp"

namespace vntrace::store {

// The outcome of an inspection (persisted).
enum class InspectionResult : std::uint8_t {
  kPassed = 1,             // đạt
  kPassedWithRemarks = 2,  // đạt, có khuyến nghị
  kFailed = 3,             // không đạt
  kFollowUp = 4,           // cần kiểm tra lại
};

// The kinds of violation an inspector flags (persisted).
enum class ViolationKind : std::uint8_t {
  kMisusedInformation = 1,   // traceability information used wrongly or falsely
  kExpiredCertificate = 2,   // a certificate claimed is expired
  kUnregisteredProduct = 3,  // the product is not registered
  kClonedStamp = 4,          // a stamp copied or never issued
  kOther = 5,                // anything else (the description says what)
};

struct Violation {
  ViolationKind kind = ViolationKind::kOther;
  std::string description{};
  friend bool operator==(const Violation&, const Violation&) = default;
};

// A photo's metadata (without its bytes).
struct PhotoInfo {
  std::string id{};
  std::string content_type{};  // "image/jpeg" or "image/png"
  std::int64_t size = 0;       // bytes
  core::Timestamp added_at{};
  friend bool operator==(const PhotoInfo&, const PhotoInfo&) = default;
};

struct InspectionPhoto {
  std::string id{};
  std::string inspection_id{};
  std::string content_type{};
  std::string data{};  // the image bytes
  core::Timestamp added_at{};
  friend bool operator==(const InspectionPhoto&, const InspectionPhoto&) = default;
};

struct Inspection {
  std::string id{};
  std::string org_id{};    // the organisation inspected
  std::string province{};  // its address when inspected
  std::string commune{};
  std::string facility_id{};  // the facility inspected; empty when the place is free text
  std::string place{};        // where: free text (a market stall, a shop), or the facility's name
  std::optional<double> latitude{};
  std::optional<double> longitude{};
  std::string inspected_on{};  // ISO date
  InspectionResult result = InspectionResult::kPassed;
  std::string notes{};
  std::string code{};                   // the code checked on the spot; empty when none
  std::string lot_id{};                 // the registered lot concerned; empty when none
  std::string inspector{};              // as AuditEntry::actor ("user:…")
  std::string inspector_name{};         // for the record, as shown at the time
  std::vector<Violation> violations{};  // in the order flagged
  std::vector<PhotoInfo> photos{};      // oldest first; filled by GetInspection only
  core::Timestamp created_at{};
  friend bool operator==(const Inspection&, const Inspection&) = default;
};

struct InspectionQuery {
  AreaFilter area{};  // province and commune (district is not kept on inspections)
  std::string org_id{};
  std::optional<InspectionResult> result{};
  bool with_violations_only = false;
  std::string from{};  // ISO date, inclusive; empty: no bound
  std::string to{};    // ISO date, inclusive; empty: no bound
  std::size_t limit = 200;
};

struct InspectionCountQuery {
  AreaFilter area{};
  std::string from{};  // ISO dates, inclusive; empty: no bound
  std::string to{};
};

struct InspectionTally {
  std::int64_t inspections = 0;
  std::int64_t failed = 0;                          // result kFailed
  std::int64_t organisations = 0;                   // distinct organisations inspected
  std::int64_t with_violations = 0;                 // inspections with at least one violation
  std::int64_t violations = 0;                      // violations flagged in all
  std::map<ViolationKind, std::int64_t> by_kind{};  // kinds with at least one violation
  friend bool operator==(const InspectionTally&, const InspectionTally&) = default;
};

enum class RecallScope : std::uint8_t {
  kLotOnly = 1,     // this lot only
  kDownstream = 2,  // this lot and every lot its material reached (the forward trace)
};

// Why an organisation must see a recall.
enum class RecallRole : std::uint8_t {
  kProducer = 1,       // it made the lot recalled
  kDownstreamLot = 2,  // one of its lots was recalled because the material reached it
  kRecipient = 3,      // it received affected material
};

struct RecalledLot {
  std::string lot_id{};
  std::string org_id{};
  friend bool operator==(const RecalledLot&, const RecalledLot&) = default;
};

struct RecallParty {
  std::string org_id{};
  RecallRole role = RecallRole::kProducer;
  friend bool operator==(const RecallParty&, const RecallParty&) = default;
};

struct Recall {
  std::string id{};
  std::string lot_id{};  // the lot the recall started from
  std::string org_id{};  // its producer
  std::string province{};
  std::string commune{};
  std::string reason{};
  RecallScope scope = RecallScope::kLotOnly;
  std::string actor{};  // as AuditEntry::actor
  std::string actor_name{};
  core::Timestamp created_at{};
  std::vector<RecalledLot> lots{};     // the root lot first, then by lot id
  std::vector<RecallParty> parties{};  // by role, then organisation id
  // The recall report (trace/recall.hpp) as generated when the recall was ordered; filled by
  // GetRecall only.
  std::string report_csv{};
  std::string report_html_vi{};
  std::string report_html_en{};
  friend bool operator==(const Recall&, const Recall&) = default;
};

struct RecallQuery {
  AreaFilter area{};           // of the producer; empty province: any
  std::string party_org_id{};  // only recalls this organisation is a party of; empty: any
  std::size_t limit = 200;
};

class InspectionStore {
 public:
  virtual ~InspectionStore() = default;

  // Stores the inspection with its violations, its `photos` and `audit` in one transaction.
  // kAlreadyExists when the id (or a photo id) is taken; kInvalidArgument when the organisation,
  // facility or lot it names does not exist.
  virtual core::Status CreateInspection(const Inspection& inspection,
                                        std::span<const InspectionPhoto> photos,
                                        const AuditEntry& audit) = 0;
  // Adds one photo. kNotFound when no inspection has photo.inspection_id; kAlreadyExists when
  // the photo id is taken.
  virtual core::Status AddInspectionPhoto(const InspectionPhoto& photo,
                                          const AuditEntry& audit) = 0;
  // With violations and photo metadata. kNotFound when missing.
  virtual core::Result<Inspection> GetInspection(std::string_view id) = 0;
  // Newest inspected_on first (then newest created), with violations, without photos.
  virtual core::Result<std::vector<Inspection>> ListInspections(const InspectionQuery& query) = 0;
  // The photo with its bytes. kNotFound when missing.
  virtual core::Result<InspectionPhoto> GetInspectionPhoto(std::string_view id) = 0;
  // Counts over the inspections of an area and period.
  virtual core::Result<InspectionTally> CountInspections(const InspectionCountQuery& query) = 0;

  // Stores the recall with its lots and parties, marks every lot of recall.lots recalled
  // (StampStore::GetLotRecall then finds it; a lot already recalled keeps its first recall), and
  // appends `audits`, in one transaction. kAlreadyExists when the id is taken; kNotFound when a
  // lot is missing (nothing is stored then).
  virtual core::Status CreateRecall(const Recall& recall, std::span<const AuditEntry> audits) = 0;
  // With its lots, parties and report. kNotFound when missing.
  virtual core::Result<Recall> GetRecall(std::string_view id) = 0;
  // Newest first, with lots and parties, without the report texts.
  virtual core::Result<std::vector<Recall>> ListRecalls(const RecallQuery& query) = 0;

 protected:
  InspectionStore() = default;
  InspectionStore(const InspectionStore&) = delete;
  InspectionStore& operator=(const InspectionStore&) = delete;
};

}  // namespace vntrace::store
