#include "label/stamps.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "core/sha256.hpp"
#include "gs1/digital_link.hpp"

namespace vntrace::label {
namespace {

constexpr std::size_t kMaxScansJudged = 1000;

bool MayActOn(const Issuer& issuer, std::string_view org_id) {
  return issuer.system || (!issuer.org_id.empty() && issuer.org_id == org_id);
}

core::Error Refused(std::string_view what) {
  return core::PermissionDenied("this organisation may not " + std::string(what),
                                "stamp.permission_denied");
}

store::AuditEntry Audit(const Issuer& issuer, core::Timestamp at, std::string_view org_id,
                        std::string action, std::string entity, std::string entity_id,
                        std::string changes = "{}") {
  return store::AuditEntry{.at = at,
                           .actor = issuer.audit_name,
                           .org_id = std::string(org_id),
                           .action = std::move(action),
                           .entity = std::move(entity),
                           .entity_id = std::move(entity_id),
                           .changes_json = std::move(changes)};
}

// The canonical Digital Link of a GTIN product's stamp: /01/{gtin}/10/{lot}[/21/{serial}].
core::Result<std::string> Gs1StampCode(std::string_view gtin, std::string_view lot_code,
                                       std::string_view serial) {
  std::string uri = std::string(gs1::kCanonicalStem) + "/01/" + std::string(gtin) + "/10/" +
                    gs1::PercentEncodeDlValue(lot_code);
  if (!serial.empty()) {
    uri += "/21/" + std::string(serial);
  }
  core::Result<gs1::DigitalLink> dl = gs1::ParseDigitalLink(uri);
  if (!dl.ok()) {
    return core::InvalidArgument(
        "the lot code cannot be printed in a GS1 Digital Link: " + dl.error().message,
        "stamp.lot_code");
  }
  return gs1::CanonicalDigitalLink(*dl);
}

// True when some kCloneWindow holds scans from kCloneProvinces or more provinces; fills them.
bool ClonePattern(std::span<const store::Scan> scans, std::vector<std::string>& provinces) {
  const std::int64_t window =
      std::chrono::duration_cast<std::chrono::nanoseconds>(kCloneWindow).count();
  std::size_t start = 0;
  for (std::size_t end = 0; end < scans.size(); ++end) {
    while (scans[end].at.unix_nanos() - scans[start].at.unix_nanos() > window) {
      ++start;
    }
    std::set<std::string> seen;
    for (std::size_t i = start; i <= end; ++i) {
      if (!scans[i].province.empty()) {
        seen.insert(scans[i].province);
      }
    }
    if (seen.size() >= static_cast<std::size_t>(kCloneProvinces)) {
      provinces.assign(seen.begin(), seen.end());
      return true;
    }
  }
  return false;
}

}  // namespace

std::string NewSerial(core::Random& random) {
  std::string serial;
  serial.reserve(kSerialLength);
  for (std::size_t i = 0; i < kSerialLength; ++i) {
    serial += kSerialAlphabet[random.UniformBelow(kSerialAlphabet.size())];
  }
  return serial;
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kGenuine:
      return "genuine";
    case Verdict::kScannedBefore:
      return "scanned_before";
    case Verdict::kSuspicious:
      return "suspicious";
    case Verdict::kRecalled:
      return "recalled";
    case Verdict::kNeutral:
      return "neutral";
  }
  return "neutral";
}

std::string_view SuspicionName(Suspicion suspicion) {
  switch (suspicion) {
    case Suspicion::kNone:
      return "";
    case Suspicion::kNeverIssued:
      return "never_issued";
    case Suspicion::kNotActivated:
      return "not_activated";
    case Suspicion::kClonePattern:
      return "clone_pattern";
  }
  return "";
}

Assessment Judge(const VerdictInput& input) {
  Assessment out;
  const std::span<const store::Scan> scans = input.scans;
  out.previous_scans = scans.empty() ? 0 : static_cast<std::int64_t>(scans.size()) - 1;
  if (!scans.empty()) {
    out.first_scan = scans.front().at;
    out.first_province = scans.front().province;
  }
  if (input.recalled) {
    out.verdict = Verdict::kRecalled;
    return out;
  }
  if (input.stamp == nullptr) {
    if (input.claims_stamp || !input.known) {
      out.verdict = Verdict::kSuspicious;
      out.suspicion = Suspicion::kNeverIssued;
    } else {
      out.verdict = Verdict::kNeutral;
    }
    return out;
  }
  if (input.batch == nullptr || !input.batch->active) {
    out.verdict = Verdict::kSuspicious;
    out.suspicion = Suspicion::kNotActivated;
    return out;
  }
  if (ClonePattern(scans, out.clone_provinces)) {
    out.verdict = Verdict::kSuspicious;
    out.suspicion = Suspicion::kClonePattern;
    return out;
  }
  out.verdict = out.previous_scans == 0 ? Verdict::kGenuine : Verdict::kScannedBefore;
  return out;
}

StampService::StampService(store::Store& store, const core::Clock& clock, core::Random& random,
                           std::string base_url)
    : store_(store), clock_(clock), random_(random), base_url_(std::move(base_url)) {}

std::string StampService::PlatformStampUri(std::string_view serial) const {
  return base_url_ + "/id/stamp/" + std::string(serial);
}

core::Result<IssuedBatch> StampService::Issue(const Issuer& issuer, const IssueRequest& request) {
  const bool per_lot = request.mode == store::StampMode::kPerLot;
  const int count = per_lot ? 1 : request.count;
  if (count < 1 || count > kMaxStampsPerBatch) {
    return core::InvalidArgument(
        "the number of stamps must be between 1 and " + std::to_string(kMaxStampsPerBatch),
        "stamp.count");
  }
  VNTRACE_ASSIGN_OR_RETURN(store::Lot lot, store_.registry().GetLot(request.lot_id));
  if (!MayActOn(issuer, lot.org_id)) {
    return Refused("issue stamps for this lot");
  }
  VNTRACE_ASSIGN_OR_RETURN(store::Product product, store_.registry().GetProduct(lot.product_id));
  const core::Timestamp now = clock_.Now();
  IssuedBatch out;
  out.batch = store::StampBatch{.id = "sb_" + random_.Hex(10),
                                .org_id = lot.org_id,
                                .product_id = product.id,
                                .lot_id = lot.id,
                                .mode = request.mode,
                                .count = count,
                                .active = false,
                                .created_at = now};
  out.stamps.reserve(static_cast<std::size_t>(count));
  std::set<std::string> codes;
  while (out.stamps.size() < static_cast<std::size_t>(count)) {
    std::string serial = per_lot && !product.gtin.empty() ? std::string() : NewSerial(random_);
    std::string code;
    if (product.gtin.empty()) {
      code = PlatformStampUri(serial);
    } else {
      VNTRACE_ASSIGN_OR_RETURN(code, Gs1StampCode(product.gtin, lot.code, serial));
    }
    if (!codes.insert(code).second) {
      continue;  // a repeated serial (≈2^-50 per pair): draw again
    }
    out.stamps.push_back(store::Stamp{.code = std::move(code),
                                      .batch_id = out.batch.id,
                                      .serial = std::move(serial),
                                      .sequence = static_cast<int>(out.stamps.size()) + 1});
  }
  VNTRACE_RETURN_IF_ERROR(store_.stamps().CreateStampBatch(
      out.batch, out.stamps,
      Audit(issuer, now, lot.org_id, "create", "stamp_batch", out.batch.id,
            "{\"lot_id\":\"" + lot.id + "\",\"count\":" + std::to_string(count) + "}")));
  return out;
}

core::Status StampService::Activate(const Issuer& issuer, std::string_view batch_id) {
  VNTRACE_ASSIGN_OR_RETURN(store::StampBatch batch, store_.stamps().GetStampBatch(batch_id));
  if (!MayActOn(issuer, batch.org_id)) {
    return Refused("activate this batch of stamps");
  }
  const core::Timestamp now = clock_.Now();
  return store_.stamps().ActivateStampBatch(
      batch_id, now, Audit(issuer, now, batch.org_id, "activate", "stamp_batch", batch.id));
}

core::Result<IssuedBatch> StampService::GetBatch(const Issuer& issuer, std::string_view batch_id) {
  IssuedBatch out;
  VNTRACE_ASSIGN_OR_RETURN(out.batch, store_.stamps().GetStampBatch(batch_id));
  if (!MayActOn(issuer, out.batch.org_id)) {
    return Refused("read this batch of stamps");
  }
  VNTRACE_ASSIGN_OR_RETURN(out.stamps, store_.stamps().ListStamps(batch_id));
  return out;
}

core::Status StampService::Recall(const Issuer& issuer, std::string_view lot_id,
                                  std::string reason) {
  VNTRACE_ASSIGN_OR_RETURN(store::Lot lot, store_.registry().GetLot(lot_id));
  if (!MayActOn(issuer, lot.org_id)) {
    return Refused("recall this lot");
  }
  const core::Timestamp now = clock_.Now();
  return store_.stamps().RecallLot(
      store::LotRecall{.lot_id = lot.id, .reason = std::move(reason), .recalled_at = now},
      Audit(issuer, now, lot.org_id, "recall", "lot", lot.id));
}

core::Result<ScanResult> StampService::RecordScan(const ScanRequest& request) {
  ScanResult out;
  store::StampStore& stamps = store_.stamps();
  std::string lot_id = request.lot_id;
  core::Result<store::Stamp> stamp = stamps.FindStamp(request.code);
  if (stamp.ok()) {
    out.stamp = *stamp;
    VNTRACE_ASSIGN_OR_RETURN(out.batch, stamps.GetStampBatch(stamp->batch_id));
    lot_id = out.batch->lot_id;
  } else if (stamp.error().code != core::ErrorCode::kNotFound) {
    return stamp.error();
  }
  if (!lot_id.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(out.recall, stamps.GetLotRecall(lot_id));
  }
  VNTRACE_RETURN_IF_ERROR(stamps.RecordScan(store::Scan{
      .code = request.code,
      .at = clock_.Now(),
      .province = request.province,
      .user_agent_hash =
          request.user_agent.empty() ? std::string() : core::Sha256Hex(request.user_agent)}));
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Scan> scans,
                           stamps.ListScans(request.code, kMaxScansJudged));
  VNTRACE_ASSIGN_OR_RETURN(std::int64_t total, stamps.CountScans(request.code));
  out.assessment = Judge(VerdictInput{.claims_stamp = request.claims_stamp,
                                      .stamp = out.stamp ? &*out.stamp : nullptr,
                                      .batch = out.batch ? &*out.batch : nullptr,
                                      .recalled = out.recall.has_value(),
                                      .known = request.known || out.stamp.has_value(),
                                      .scans = scans});
  out.assessment.previous_scans = total - 1;
  return out;
}

}  // namespace vntrace::label
