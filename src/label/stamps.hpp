// label::stamps: issuing traceability stamps (tem truy xuất) for a lot, activating them, lot
// recalls, and the verdict a consumer sees when scanning a code.
//
// A stamp is a code printed on one item (or once for a whole lot): for a product with a GTIN the
// Digital Link https://id.gs1.org/01/{GTIN}/10/{lot}/21/{serial}, for a producer without GS1
// keys a platform URI {base_url}/id/stamp/{serial}. Serials are 10 characters drawn at random
// from kSerialAlphabet (≈50 bits: unguessable, never sequential) and valid for AI 21. Every
// issued code is recorded; a batch is inactive until its producer activates it, so stolen blank
// stamps prove nothing.
//
// Verdicts (Judge): recalled (the lot is recalled) wins over everything; a code that claims to be
// a stamp (a serial, or a platform stamp URI) but was never issued, a code of a batch not
// activated, and a code scanned from kCloneProvinces or more provinces within kCloneWindow are
// suspicious; an issued, active code is genuine on its first scan and scanned_before afterwards;
// an identifier that is known (a registered product or lot, or named by events) but carries no
// stamp issued here is neutral.
//
// Thread-safety: StampService is safe from several threads (the store, clock and random are).
//
// Example:
//   label::StampService stamps(db, clock, random, "https://truyxuat.example.vn");
//   VNTRACE_ASSIGN_OR_RETURN(label::IssuedBatch issued,
//       stamps.Issue(issuer, {.lot_id = lot.id, .count = 500}));
//   VNTRACE_RETURN_IF_ERROR(stamps.Activate(issuer, issued.batch.id));
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace vntrace::label {

// Serial characters: digits and upper-case letters without 0, 1, I and O (easy to read aloud),
// all in GS1's character set 82 and unreserved in URIs.
inline constexpr std::string_view kSerialAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
inline constexpr std::size_t kSerialLength = 10;
inline constexpr int kMaxStampsPerBatch = 100'000;
inline constexpr int kCloneProvinces = 3;
inline constexpr std::chrono::hours kCloneWindow{24};

// A new random serial of kSerialLength characters of kSerialAlphabet.
std::string NewSerial(core::Random& random);

// Who issues or activates stamps: an organisation (which may act only on its own lots) or the
// platform (system rights). `audit_name` is the audit entry's actor ("user:…", "cli").
struct Issuer {
  std::string org_id{};
  bool system = false;
  std::string audit_name = "cli";
};

struct IssueRequest {
  std::string lot_id{};
  int count = 1;  // ignored (one code) for kPerLot
  store::StampMode mode = store::StampMode::kPerItem;
};

struct IssuedBatch {
  store::StampBatch batch{};
  std::vector<store::Stamp> stamps{};
};

enum class Verdict { kGenuine, kScannedBefore, kSuspicious, kRecalled, kNeutral };
enum class Suspicion { kNone, kNeverIssued, kNotActivated, kClonePattern };

// "genuine", "scanned_before", "suspicious", "recalled", "neutral".
std::string_view VerdictName(Verdict verdict);
// "", "never_issued", "not_activated", "clone_pattern".
std::string_view SuspicionName(Suspicion suspicion);

struct VerdictInput {
  bool claims_stamp = false;                 // the code has a serial or is a platform stamp URI
  const store::Stamp* stamp = nullptr;       // null: never issued here
  const store::StampBatch* batch = nullptr;  // the stamp's batch
  bool recalled = false;
  bool known = false;  // a registered product or lot, or named by stored events
  // Every scan of the code, this one included (last), oldest first.
  std::span<const store::Scan> scans{};
};

struct Assessment {
  Verdict verdict = Verdict::kNeutral;
  Suspicion suspicion = Suspicion::kNone;
  std::int64_t previous_scans = 0;  // scans before this one
  std::optional<core::Timestamp> first_scan{};
  std::string first_province{};
  std::vector<std::string> clone_provinces{};  // for kClonePattern
};

// The verdict rules of the module comment, on plain values.
Assessment Judge(const VerdictInput& input);

// What the resolver knows about a scanned code.
struct ScanRequest {
  std::string code{};  // canonical form
  bool claims_stamp = false;
  bool known = false;
  std::string lot_id{};  // the registered lot the code names (for the recall check); may be empty
  std::string province{};
  std::string user_agent{};  // hashed before it is stored
};

struct ScanResult {
  Assessment assessment{};
  std::optional<store::Stamp> stamp{};
  std::optional<store::StampBatch> batch{};
  std::optional<store::LotRecall> recall{};
};

class StampService {
 public:
  // The store, clock and random must outlive the service. `base_url` is the deployment's URL
  // ("https://host[:port]"), the stem of platform stamp URIs.
  StampService(store::Store& store, const core::Clock& clock, core::Random& random,
               std::string base_url);
  StampService(const StampService&) = delete;
  StampService& operator=(const StampService&) = delete;

  // Issues a batch of stamps for the lot (inactive). kNotFound when the lot (or its product)
  // is missing, kPermissionDenied when the issuer is not the lot's organisation (nor system),
  // kInvalidArgument when count is outside 1..kMaxStampsPerBatch or the lot code cannot go into
  // a Digital Link, kAlreadyExists when a per-lot code was already issued for the lot.
  core::Result<IssuedBatch> Issue(const Issuer& issuer, const IssueRequest& request);

  // Activates the batch. kNotFound when missing, kPermissionDenied for another organisation's
  // batch. Activating twice is harmless.
  core::Status Activate(const Issuer& issuer, std::string_view batch_id);

  // The batch and its codes. kNotFound when missing, kPermissionDenied for another
  // organisation's batch.
  core::Result<IssuedBatch> GetBatch(const Issuer& issuer, std::string_view batch_id);

  // Recalls the lot (its stamps then scan as recalled). kNotFound, kPermissionDenied as Issue.
  core::Status Recall(const Issuer& issuer, std::string_view lot_id, std::string reason);

  // Records the scan (time, province, hash of the user agent; nothing else) and judges it.
  core::Result<ScanResult> RecordScan(const ScanRequest& request);

  // The platform stamp URI of `serial`: {base_url}/id/stamp/{serial}.
  std::string PlatformStampUri(std::string_view serial) const;
  const std::string& base_url() const { return base_url_; }

 private:
  store::Store& store_;
  const core::Clock& clock_;
  core::Random& random_;
  const std::string base_url_;
};

}  // namespace vntrace::label
