// report::inspection: the inspector workspace — checking a code on the spot, recording
// inspections (place, result, notes, photos, violations), recalling a lot and everything
// downstream of it, the recall notices organisations see, and the inspection figures of the
// periodic report.
//
// Who may do what (isolation, checked here, not in the pages):
//   - inspectors and authority officers act on the organisations whose address lies in their
//     area (registry::AreaContains): they record inspections and order recalls for those only,
//     and read the inspections and recalls of their area only; system_admin acts everywhere;
//   - a code check shows the public part (product, producer's public profile, lot, the stamp's
//     status) of any code, as the consumer scan page does; the private part (certificates, the
//     one-up/one-down trace, the right to record an inspection) only inside the area;
//   - members of an organisation read the recalls it is a party of (producer, owner of a
//     downstream lot, recipient of affected material): RecallNotices;
//   - everyone else is refused with kPermissionDenied.
// Validation errors are kInvalidArgument with a stable code in Error::details ("place.required",
// "photo.type", ...) that web/i18n translates.
//
// Photos: JPEG or PNG only, recognised by their first bytes (not by the name or the declared
// type), at most kMaxPhotoBytes each and kMaxPhotosPerInspection per inspection, stored in the
// database and served back only to those who may read the inspection.
//
// A recall marks the lot recalled (store::StampStore::GetLotRecall then answers for it, so every
// scan page of its codes shows the recall warning from the next request on); with scope
// kDownstream every registered lot its material reached (the forward trace, trace::BuildRecall)
// too. The organisations that made or received affected material become parties of the recall
// and see it in their app. The recall report (CSV and printable HTML in Vietnamese and English)
// is generated at that moment and kept with the recall.
//
// Thread-safety: stateless functions; the store does its own locking.
//
// Example:
//   report::InspectContext ctx{*db, clock, random, "https://truyxuat.example.vn"};
//   VNTRACE_ASSIGN_OR_RETURN(report::CodeCheck check, report::CheckCode(ctx, inspector, text));
//   VNTRACE_ASSIGN_OR_RETURN(store::Recall recall,
//       report::OrderRecall(ctx, inspector, {.lot_id = check.lot->id, .reason = "E. coli",
//                                            .scope = "downstream"}));
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "label/stamps.hpp"
#include "registry/actor.hpp"
#include "registry/registry.hpp"
#include "report/adoption.hpp"
#include "store/store.hpp"
#include "trace/graph.hpp"

namespace vntrace::report {

inline constexpr std::size_t kMaxPhotoBytes = 3u << 20;  // 3 MiB
inline constexpr std::size_t kMaxPhotosPerInspection = 10;
inline constexpr std::size_t kMaxViolations = 20;
inline constexpr std::size_t kMaxCodeLength = 2048;

// What the inspector functions use. Every member must outlive the calls.
struct InspectContext {
  store::Store& store;
  const core::Clock& clock;
  core::Random& random;
  // The deployment's URL ("https://host[:port]"), the stem of platform stamp URIs.
  std::string base_url;
};

// "passed", "passed_with_remarks", "failed", "follow_up" and back ("result.invalid").
std::string_view InspectionResultName(store::InspectionResult result);
core::Result<store::InspectionResult> ParseInspectionResult(std::string_view name);
// "misused_information", "expired_certificate", "unregistered_product", "cloned_stamp", "other"
// and back ("violation.kind.invalid").
std::string_view ViolationKindName(store::ViolationKind kind);
core::Result<store::ViolationKind> ParseViolationKind(std::string_view name);
// "lot_only", "downstream" and back ("scope.invalid").
std::string_view RecallScopeName(store::RecallScope scope);
core::Result<store::RecallScope> ParseRecallScope(std::string_view name);
// "producer", "downstream_lot", "recipient".
std::string_view RecallRoleName(store::RecallRole role);

// May the actor use the inspector workspace at all (inspector, authority officer, system admin)?
bool MayInspect(const registry::Actor& actor);

// ---- checking a code

// The status of a checked code, from label::Judge without recording a scan.
enum class CodeStatus {
  kGenuine,     // a stamp issued here, active, no clone pattern
  kRegistered,  // a registered product or lot (or an identifier events name), no stamp claimed
  kUnknown,     // nothing here knows the code
  kInactive,    // a stamp issued here whose batch was never activated
  kRecalled,    // the lot is recalled
  kSuspicious,  // a serial never issued here, or scanned from too many provinces too fast
};
// "genuine", "registered", "unknown", "inactive", "recalled", "suspicious".
std::string_view CodeStatusName(CodeStatus status);

// One thing one step up or down the chain.
struct TraceStep {
  std::string id{};  // canonical identifier
  trace::NodeKind kind = trace::NodeKind::kLot;
  std::string label{};     // registered name when known ("Xưởng sấy HTX Ba Tơ"), else LabelOf
  std::string lot_id{};    // the registered lot, for kLot nodes registered here
  std::string org_name{};  // the organisation of a registered lot, facility or party
  std::optional<core::Timestamp> when{};
};

struct CodeCheck {
  std::string code{};  // the canonical code looked up
  CodeStatus status = CodeStatus::kUnknown;
  label::Assessment assessment{};
  std::optional<store::Product> product{};
  std::optional<store::Organisation> org{};  // public profile unless in_area
  std::optional<store::Lot> lot{};
  std::optional<store::Stamp> stamp{};
  std::optional<store::StampBatch> batch{};
  std::optional<store::LotRecall> recall{};
  std::int64_t scans = 0;  // consumer scans of the code so far
  // The producer lies in the actor's area: certificates and trace are filled and an
  // inspection or a recall may be recorded.
  bool in_area = false;
  std::vector<registry::CertificateView> certificates{};  // of the product or the organisation
  std::string trace_root{};  // the identifier the trace starts from; empty when no event names it
  std::vector<TraceStep> one_up{};    // where it came from (one step back)
  std::vector<TraceStep> one_down{};  // where it went (one step forward)
};

// Reads a code as typed, pasted or scanned: a GS1 Digital Link (any host; compressed too), an
// EPC URN, a GS1 element string ("(01)…(10)…"), a bare GTIN, a platform stamp URL
// ({base_url}/id/stamp/{serial}), a platform lot URI ({base_url}/id/lot/…), or a stamp's short
// code (its 10-character serial, as printed under the symbol). kInvalidArgument ("code.required",
// "code.format") otherwise; kPermissionDenied unless MayInspect.
core::Result<CodeCheck> CheckCode(const InspectContext& ctx, const registry::Actor& actor,
                                  std::string_view input);

// The whole trace of a registered lot (both directions), with registered names: for the full
// trace page. kNotFound when the lot is missing; kPermissionDenied outside the area.
struct LotTrace {
  store::Lot lot{};
  trace::TraceResult trace{};
  std::vector<TraceStep> nodes{};  // as trace.nodes, with labels
};
core::Result<LotTrace> TraceLot(const InspectContext& ctx, const registry::Actor& actor,
                                std::string_view lot_id);

// ---- inspections

struct PhotoUpload {
  std::string filename{};
  std::string data{};
};

// An inspection as entered in the form (text fields as typed).
struct InspectionInput {
  std::string org_id{};
  std::string facility_id{};  // optional; must be the organisation's
  std::string place{};        // required unless a facility is chosen (then its name)
  std::string latitude{};     // optional decimal degrees, both or neither
  std::string longitude{};
  std::string inspected_on{};  // ISO date, not after today; empty: today
  std::string result{};        // ParseInspectionResult
  std::string notes{};
  std::string code{};    // the code checked, if any
  std::string lot_id{};  // the registered lot concerned, if any (must be the organisation's)
  // (kind name, description) of each violation flagged; a description is required for "other".
  std::vector<std::pair<std::string, std::string>> violations{};
  std::vector<PhotoUpload> photos{};
  std::string inspector_name{};  // the signed-in user's display name
};

// Validates and stores the inspection with its violations and photos, audit-logged against the
// organisation. Codes: "org_id.required", "org_id.not_found", "facility_id.not_found",
// "place.required", "place.too_long", "latitude.range", "longitude.range", "latitude.pair",
// "inspected_on.format", "inspected_on.future", "result.invalid", "notes.too_long",
// "violation.kind.invalid", "violation.description.required", "violation.too_many",
// "lot_id.not_found", "photo.type", "photo.too_large", "photo.too_many".
core::Result<store::Inspection> RecordInspection(const InspectContext& ctx,
                                                 const registry::Actor& actor,
                                                 InspectionInput input);
// Adds one photo to an inspection (same rules). kNotFound when missing.
core::Result<store::PhotoInfo> AddInspectionPhoto(const InspectContext& ctx,
                                                  const registry::Actor& actor,
                                                  std::string_view inspection_id,
                                                  PhotoUpload photo);
core::Result<store::Inspection> GetInspection(const InspectContext& ctx,
                                              const registry::Actor& actor, std::string_view id);
// A photo with its bytes, for those who may read its inspection.
core::Result<store::InspectionPhoto> GetInspectionPhoto(const InspectContext& ctx,
                                                        const registry::Actor& actor,
                                                        std::string_view photo_id);

struct InspectionFilter {
  std::string org_id{};
  std::string commune{};  // inside the actor's area
  std::string result{};   // a result name; empty: any
  std::string from{};     // ISO dates, inclusive; empty: no bound
  std::string to{};
  bool with_violations_only = false;
  std::size_t limit = 200;
};
// The inspections of the actor's area (everything for system_admin) matching `filter`.
// kInvalidArgument for a malformed date ("from.format", "to.format") or result.
core::Result<std::vector<store::Inspection>> ListInspections(const InspectContext& ctx,
                                                             const registry::Actor& actor,
                                                             const InspectionFilter& filter);

// Inspections and violations in `area` whose inspection date lies in [from, to] (ISO dates,
// inclusive; empty: unbounded), for the authority dashboard and the periodic report. Same
// permission as AdoptionStats: system_admin, or an authority officer or inspector whose area
// contains `area`; kInvalidArgument when the area has no province or a date is malformed.
core::Result<store::InspectionTally> InspectionCounts(const Context& ctx,
                                                      const registry::Actor& actor,
                                                      const Area& area, std::string_view from,
                                                      std::string_view to);

// ---- recalls

struct RecallRequest {
  std::string lot_id{};
  std::string reason{};  // required, at most 1000 characters
  std::string scope{};   // ParseRecallScope
  std::string actor_name{};
};

// Recalls the lot (and, for "downstream", every registered lot its material reached), makes the
// producing, downstream and receiving organisations parties, attaches the recall report, and
// audit-logs it against every organisation whose lot is recalled. kNotFound ("lot_id.not_found")
// for a missing lot; kPermissionDenied unless the lot's organisation is in the actor's area;
// "reason.required", "reason.too_long", "scope.invalid".
core::Result<store::Recall> OrderRecall(const InspectContext& ctx, const registry::Actor& actor,
                                        const RecallRequest& request);
// A recall, for inspectors and officers of its area, system_admin, and members of its parties.
core::Result<store::Recall> GetRecall(const InspectContext& ctx, const registry::Actor& actor,
                                      std::string_view id);
// The recalls of the actor's area (everything for system_admin), newest first.
core::Result<std::vector<store::Recall>> ListRecalls(const InspectContext& ctx,
                                                     const registry::Actor& actor);
// The recalls organisation `org_id` is a party of, newest first, for its members (and
// system_admin): the notices of the producer app.
core::Result<std::vector<store::Recall>> RecallNotices(const InspectContext& ctx,
                                                       const registry::Actor& actor,
                                                       std::string_view org_id);

}  // namespace vntrace::report
