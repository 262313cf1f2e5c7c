// store::ReportStore: what the authorities' workspace keeps and counts beyond the registry — the
// outreach registry (training courses and information sessions held in an area) and the
// aggregate reads of the dashboard and the periodic report (scans per period of an area's
// stamps, and codes whose scans need a look). Inspections are in InspectionStore.
//
// An area is a province and optionally one commune; an organisation is in it when its address
// matches. src/report decides who may read or write what; the records here are plain values.
// Writes take the AuditEntry that describes them and store both in one transaction.
//
// Thread-safety: as Store (safe from several threads at once).
//
// Example:
//   store::ReportStore& reports = db->reports();
//   VNTRACE_RETURN_IF_ERROR(reports.CreateOutreach(session, audit));
//   VNTRACE_ASSIGN_OR_RETURN(std::vector<std::int64_t> weeks, reports.CountAreaScans(query));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "store/registry_store.hpp"

namespace vntrace::store {

enum class OutreachKind : std::uint8_t {
  kTraining = 1,     // a training course (lớp tập huấn)
  kInformation = 2,  // an information session or conference (hội nghị, tuyên truyền)
};

struct OutreachSession {
  std::string id{};
  OutreachKind kind = OutreachKind::kTraining;
  std::string held_on{};  // "YYYY-MM-DD"
  std::string topic{};
  std::int64_t attendees = 0;
  std::int64_t organisations = 0;  // organisations reached
  std::string province{};
  std::string commune{};  // empty: province-wide
  std::string notes{};
  std::string created_by{};  // the audit actor ("user:…")
  core::Timestamp created_at{};
  friend bool operator==(const OutreachSession&, const OutreachSession&) = default;
};

// Sessions held in an area between two dates. A province-wide query (empty commune) finds the
// sessions of every commune of the province too; a commune's query finds only that commune's.
struct OutreachQuery {
  std::string province{};
  std::string commune{};
  std::string from{};  // "YYYY-MM-DD" inclusive; empty: no lower bound
  std::string to{};    // "YYYY-MM-DD" inclusive; empty: no upper bound
  std::size_t limit = 500;
};

// Scans of the stamps issued by the organisations of an area, counted in `buckets` consecutive
// periods of `bucket` starting at `start` (a scan at t falls in bucket (t - start) / bucket).
struct AreaScanQuery {
  std::string province{};
  std::string commune{};
  core::Timestamp start{};
  std::int64_t bucket_nanos = 0;  // > 0
  int buckets = 0;                // 1..1000
};

// Codes scanned in [from, to) that may be suspicious: never issued here, of a batch not
// activated, of a recalled lot, or scanned from `min_provinces` or more provinces. Issued codes
// count for the area of their batch's organisation; codes never issued count for a
// province-wide query when a scan came from that province.
struct ScanAlertQuery {
  std::string province{};
  std::string commune{};
  core::Timestamp from{};
  core::Timestamp to{};
  int min_provinces = 3;
  std::size_t limit = 200;
};

struct ScanAlertCandidate {
  std::string code{};
  std::int64_t scans = 0;  // in the period
  core::Timestamp last_scan{};
  std::string org_id{};  // of the stamp's batch; empty when never issued
  friend bool operator==(const ScanAlertCandidate&, const ScanAlertCandidate&) = default;
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;

  // Stores `session` with `audit`. kAlreadyExists when the id is taken.
  virtual core::Status CreateOutreach(const OutreachSession& session, const AuditEntry& audit) = 0;
  // kNotFound when no session has this id.
  virtual core::Result<OutreachSession> GetOutreach(std::string_view id) = 0;
  // Newest held first (then newest recorded), at most query.limit.
  virtual core::Result<std::vector<OutreachSession>> ListOutreach(const OutreachQuery& query) = 0;

  // One count per bucket (query.buckets values). kInvalidArgument for a bucket <= 0 or a
  // bucket count outside 1..1000.
  virtual core::Result<std::vector<std::int64_t>> CountAreaScans(const AreaScanQuery& query) = 0;
  // The candidates, most recently scanned first, at most query.limit.
  virtual core::Result<std::vector<ScanAlertCandidate>> ListScanAlertCandidates(
      const ScanAlertQuery& query) = 0;
};

}  // namespace vntrace::store
