// store::ProblemStore: the problems consumers report from the public scan page ("Báo cáo vấn
// đề") — a fake-looking stamp, wrong information, a quality or food-safety problem — with the
// optional photo, and whether the producer has handled them.
//
// The records are plain values; src/report/problem_reports.hpp validates them and decides who
// may read what (the producer its own reports, inspectors and authority officers their area).
// Every write takes the AuditEntry that describes it and stores both in one transaction (so the
// tamper-evident log records it). No personal data of the reporter is kept beyond what they
// typed (the optional contact): no IP address, only the coarse area their scans are logged with.
//
// A report keeps the province and commune of the producing organisation as it was when the
// report was made (or, for a code nobody here issued, the province it was sent from), so that
// counts per area do not move when an address is later corrected.
//
// Thread-safety: as Store (safe from several threads at once).
//
// Example:
//   store::ProblemStore& problems = db->problems();
//   VNTRACE_RETURN_IF_ERROR(problems.CreateProblemReport(report, photo, audit));
//   VNTRACE_ASSIGN_OR_RETURN(std::vector<store::ProblemReport> open,
//                            problems.ListProblemReports({.org_id = org, .open_only = true}));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "store/registry_store.hpp"

namespace vntrace::store {

// What a consumer reports (persisted).
enum class ProblemKind : std::uint8_t {
  kSuspiciousStamp = 1,   // tem giả, tem đáng ngờ
  kWrongInformation = 2,  // thông tin sai
  kQualitySafety = 3,     // chất lượng, an toàn thực phẩm
  kOther = 4,             // vấn đề khác
};

struct ProblemReport {
  std::string id{};
  std::string code{};  // the canonical code of the scan page it was sent from
  ProblemKind kind = ProblemKind::kOther;
  std::string message{};  // NFC, at most 2000 code points
  std::string contact{};  // a phone number or e-mail address; empty when not given
  std::string product_id{};
  std::string lot_id{};
  std::string org_id{};      // the producing organisation; empty for a code nobody here issued
  std::string province{};    // of the producer as it was (else the area the report came from)
  std::string commune{};     // of the producer; empty when unknown
  std::string scan_area{};   // the coarse area the report was sent from (proxy header); may be ""
  std::string photo_type{};  // "image/jpeg", "image/png", or empty when no photo
  std::int64_t photo_size = 0;
  core::Timestamp created_at{};
  std::optional<core::Timestamp> handled_at{};
  std::string handled_by{};  // as AuditEntry::actor; empty while open
  friend bool operator==(const ProblemReport&, const ProblemReport&) = default;
};

struct ProblemPhoto {
  std::string content_type{};
  std::string data{};
};

// Every non-empty condition must hold.
struct ProblemQuery {
  std::string org_id{};
  AreaFilter area{};  // province and commune (district is not kept on reports)
  std::string code{};
  std::string scan_area{};
  std::optional<core::Timestamp> from{};  // created_at >= from
  std::optional<core::Timestamp> to{};    // created_at < to
  bool open_only = false;                 // not handled yet
  std::size_t limit = 200;                // ListProblemReports only
};

class ProblemStore {
 public:
  virtual ~ProblemStore() = default;

  // Stores the report, its photo (`photo_data`, empty when none; report.photo_type says its
  // type) and `audit` in one transaction. kAlreadyExists when the id is taken; kInvalidArgument
  // when the product, lot or organisation it names does not exist.
  virtual core::Status CreateProblemReport(const ProblemReport& report, std::string_view photo_data,
                                           const AuditEntry& audit) = 0;
  // kNotFound when missing.
  virtual core::Result<ProblemReport> GetProblemReport(std::string_view id) = 0;
  // Newest first, at most query.limit, without photo bytes.
  virtual core::Result<std::vector<ProblemReport>> ListProblemReports(
      const ProblemQuery& query) = 0;
  // How many reports match `query` (its limit ignored).
  virtual core::Result<std::int64_t> CountProblemReports(const ProblemQuery& query) = 0;
  // The photo of report `id`. kNotFound when the report is missing or has no photo.
  virtual core::Result<ProblemPhoto> GetProblemPhoto(std::string_view id) = 0;
  // Marks the report handled at `at` by `actor`, with `audit`, in one transaction. kNotFound
  // when missing; kFailedPrecondition when it was already handled.
  virtual core::Status MarkProblemHandled(std::string_view id, core::Timestamp at,
                                          std::string_view actor, const AuditEntry& audit) = 0;

 protected:
  ProblemStore() = default;
  ProblemStore(const ProblemStore&) = delete;
  ProblemStore& operator=(const ProblemStore&) = delete;
};

}  // namespace vntrace::store
