#include "report/inspection.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <utility>

#include <boost/json.hpp>

#include "core/utf8.hpp"
#include "epcis/query.hpp"
#include "gs1/digital_link.hpp"
#include "gs1/dl_compression.hpp"
#include "gs1/element.hpp"
#include "gs1/element_string.hpp"
#include "gs1/epc_urn.hpp"
#include "registry/validation.hpp"
#include "trace/recall.hpp"

namespace vntrace::report {
namespace {

using store::InspectionResult;
using store::RecallRole;
using store::RecallScope;
using store::ViolationKind;

constexpr std::array<std::pair<InspectionResult, std::string_view>, 4> kResultNames = {{
    {InspectionResult::kPassed, "passed"},
    {InspectionResult::kPassedWithRemarks, "passed_with_remarks"},
    {InspectionResult::kFailed, "failed"},
    {InspectionResult::kFollowUp, "follow_up"},
}};

constexpr std::array<std::pair<ViolationKind, std::string_view>, 5> kViolationNames = {{
    {ViolationKind::kMisusedInformation, "misused_information"},
    {ViolationKind::kExpiredCertificate, "expired_certificate"},
    {ViolationKind::kUnregisteredProduct, "unregistered_product"},
    {ViolationKind::kClonedStamp, "cloned_stamp"},
    {ViolationKind::kOther, "other"},
}};

constexpr std::size_t kMaxPlaceChars = 300;
constexpr std::size_t kMaxNotesChars = 5000;
constexpr std::size_t kMaxViolationChars = 1000;
constexpr std::size_t kMaxReasonChars = 1000;

core::Error Refused(std::string what) {
  return core::PermissionDenied("this account may not " + std::move(what));
}

template <typename T>
core::Result<std::optional<T>> Optional(core::Result<T> found) {
  if (found.ok()) return std::optional<T>(std::move(*found));
  if (found.error().code == core::ErrorCode::kNotFound) return std::optional<T>();
  return found.error();
}

// May the actor act on (read privately, inspect, recall) the organisation?
bool InArea(const registry::Actor& actor, const store::Organisation& org) {
  if (registry::IsSystem(actor)) return true;
  return MayInspect(actor) && registry::AreaContains(actor.area, org.address);
}

// May the actor read a record kept with this area (an inspection, a recall)?
bool AreaReadable(const registry::Actor& actor, const std::string& province,
                  const std::string& commune) {
  if (registry::IsSystem(actor)) return true;
  return MayInspect(actor) &&
         registry::AreaContains(actor.area, {.province = province, .commune = commune});
}

std::string Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

bool IsShortCode(std::string_view text) {
  return text.size() == label::kSerialLength && std::all_of(text.begin(), text.end(), [](char c) {
           return label::kSerialAlphabet.find(c) != std::string_view::npos;
         });
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// What a code names, before anything is looked up.
struct ParsedCode {
  std::optional<gs1::DigitalLink> dl{};  // a GS1 key
  std::string platform_serial{};         // a platform stamp
  std::string platform_id{};             // a platform lot id
};

core::Result<ParsedCode> ParseCode(const InspectContext& ctx, std::string_view raw) {
  const std::string text = Trim(raw);
  if (text.empty()) return core::InvalidArgument("type or scan a code", "code.required");
  if (text.size() > kMaxCodeLength || !core::IsValidUtf8(text)) {
    return core::InvalidArgument("the code is too long or not text", "code.format");
  }
  const gs1::DigitalLinkOptions options{.permit_zero_suppressed_gtin = true};
  auto invalid = [&](const core::Error& why) {
    return core::InvalidArgument("'" + text + "' is not a code vntrace can read: " + why.message,
                                 "code.format");
  };
  ParsedCode out;
  std::string upper = text;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (IsShortCode(upper)) {
    out.platform_serial = upper;
    return out;
  }
  if (text.starts_with("urn:epc:")) {
    core::Result<gs1::DigitalLink> dl = gs1::EpcUrnToDigitalLink(text);
    if (!dl.ok()) return invalid(dl.error());
    out.dl = std::move(*dl);
    return out;
  }
  if (text.front() == '(' || text.starts_with("]")) {
    core::Result<gs1::AiElements> elements =
        gs1::ParseElementString(text, {.validate_associations = false});
    if (!elements.ok()) return invalid(elements.error());
    core::Result<gs1::DigitalLink> dl = gs1::DigitalLinkFromElements(*elements);
    if (!dl.ok()) return invalid(dl.error());
    out.dl = std::move(*dl);
    return out;
  }
  if (AllDigits(text)) {
    core::Result<gs1::DigitalLink> dl =
        gs1::ParseDigitalLink(std::string(gs1::kCanonicalStem) + "/01/" + text, options);
    if (!dl.ok()) return invalid(dl.error());
    out.dl = std::move(*dl);
    return out;
  }
  std::string uri = text;
  if (uri.starts_with("/")) uri = std::string(gs1::kCanonicalStem) + uri;
  if (!uri.starts_with("https://") && !uri.starts_with("http://")) {
    return invalid(core::InvalidArgument("not a URL, URN, element string, GTIN or short code"));
  }
  const std::string stamp_prefix = ctx.base_url + "/id/stamp/";
  if (uri.starts_with(stamp_prefix)) {
    std::string serial = uri.substr(stamp_prefix.size());
    serial = serial.substr(0, serial.find_first_of("?#/"));
    if (serial.empty()) return invalid(core::InvalidArgument("the stamp URL has no serial"));
    out.platform_serial = std::move(serial);
    return out;
  }
  if (uri.starts_with(ctx.base_url + "/id/lot/")) {
    out.platform_id = uri.substr(0, uri.find_first_of("?#"));
    return out;
  }
  core::Result<gs1::DigitalLink> dl = gs1::ParseDigitalLink(uri, options);
  if (!dl.ok() && gs1::LooksLikeCompressedDigitalLink(uri)) {
    dl = gs1::DecompressDigitalLink(uri, options);
  }
  if (!dl.ok()) return invalid(dl.error());
  out.dl = std::move(*dl);
  return out;
}

// The registered lot an identifier names: a platform lot id, or a GTIN Digital Link with /10/.
core::Result<std::optional<store::Lot>> FindRegisteredLot(store::Store& store,
                                                          std::string_view identifier) {
  if (identifier.starts_with(gs1::kCanonicalStem)) {
    core::Result<gs1::DigitalLink> dl = gs1::ParseDigitalLink(identifier);
    if (!dl.ok() || dl->primary_key().code() != "01") return std::optional<store::Lot>();
    const std::string_view lot_code = gs1::FindValue(dl->path, "10");
    if (lot_code.empty()) return std::optional<store::Lot>();
    VNTRACE_ASSIGN_OR_RETURN(
        std::optional<store::Product> product,
        Optional(store.registry().FindProductByIdentifier(std::string(gs1::kCanonicalStem) +
                                                          "/01/" + dl->primary_key().value)));
    if (!product) return std::optional<store::Lot>();
    VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Lot> lots, store.registry().ListLots(product->id));
    for (store::Lot& lot : lots) {
      if (lot.code == lot_code) return std::optional<store::Lot>(std::move(lot));
    }
    return std::optional<store::Lot>();
  }
  return Optional(store.registry().GetLot(identifier));
}

// The first of `candidates` that stored events name; empty when none.
core::Result<std::string> NamedByEvents(store::Store& store,
                                        const std::vector<std::string>& candidates) {
  static constexpr std::array kKinds = {
      epcis::IndexKind::kEpc,           epcis::IndexKind::kChildEpc,
      epcis::IndexKind::kParentId,      epcis::IndexKind::kInputEpc,
      epcis::IndexKind::kOutputEpc,     epcis::IndexKind::kEpcClass,
      epcis::IndexKind::kChildEpcClass, epcis::IndexKind::kInputEpcClass,
      epcis::IndexKind::kOutputEpcClass};
  VNTRACE_ASSIGN_OR_RETURN(std::unique_ptr<store::EventLinkReader> reader, store.OpenLinkReader());
  for (const std::string& candidate : candidates) {
    std::vector<std::int64_t> records;
    VNTRACE_RETURN_IF_ERROR(reader->FindRecords(kKinds, candidate, records));
    if (!records.empty()) return candidate;
  }
  return std::string();
}

// Registered names for a trace node: a lot's product and code, a facility's or party's name.
core::Result<TraceStep> Describe(store::Store& store, const trace::Node& node) {
  TraceStep step{.id = node.id, .kind = node.kind, .label = node.label, .when = node.first_seen};
  store::RegistryStore& reg = store.registry();
  std::string org_id;
  if (node.kind == trace::NodeKind::kLot ||
      (node.kind == trace::NodeKind::kItem && !node.id.starts_with(gs1::kCanonicalStem))) {
    // A platform lot URI is no GS1 key: the trace cannot tell it from an item's.
    VNTRACE_ASSIGN_OR_RETURN(std::optional<store::Lot> lot, FindRegisteredLot(store, node.id));
    if (lot) {
      step.kind = trace::NodeKind::kLot;
      step.lot_id = lot->id;
      org_id = lot->org_id;
      VNTRACE_ASSIGN_OR_RETURN(std::optional<store::Product> product,
                               Optional(reg.GetProduct(lot->product_id)));
      step.label = (product ? product->name : std::string()) + " · " + lot->code;
    }
  } else if (node.kind == trace::NodeKind::kParty || node.kind == trace::NodeKind::kLocation) {
    VNTRACE_ASSIGN_OR_RETURN(std::optional<store::Organisation> org,
                             Optional(reg.GetOrganisation(node.id)));
    if (org) {
      step.label = org->name;
    } else {
      VNTRACE_ASSIGN_OR_RETURN(std::optional<store::Facility> facility,
                               Optional(reg.GetFacility(node.id)));
      if (facility) {
        step.label = facility->name;
        org_id = facility->org_id;
      }
    }
  }
  if (!org_id.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(std::optional<store::Organisation> org,
                             Optional(reg.GetOrganisation(org_id)));
    if (org) step.org_name = org->name;
  }
  return step;
}

core::Result<std::vector<TraceStep>> OneStep(store::Store& store, const std::string& root,
                                             trace::Direction direction) {
  VNTRACE_ASSIGN_OR_RETURN(
      trace::TraceResult result,
      trace::Trace(store, root, {.direction = direction, .depth = 1, .max_nodes = 200}));
  std::vector<TraceStep> out;
  for (const trace::Node& node : result.nodes) {
    if (node.depth != 1) continue;
    VNTRACE_ASSIGN_OR_RETURN(TraceStep step, Describe(store, node));
    out.push_back(std::move(step));
  }
  return out;
}

CodeStatus StatusOf(const label::Assessment& a, bool known) {
  switch (a.verdict) {
    case label::Verdict::kRecalled:
      return CodeStatus::kRecalled;
    case label::Verdict::kGenuine:
    case label::Verdict::kScannedBefore:
      return CodeStatus::kGenuine;
    case label::Verdict::kNeutral:
      return CodeStatus::kRegistered;
    case label::Verdict::kSuspicious:
      if (a.suspicion == label::Suspicion::kNotActivated) return CodeStatus::kInactive;
      if (a.suspicion == label::Suspicion::kNeverIssued && !known) return CodeStatus::kUnknown;
      return CodeStatus::kSuspicious;
  }
  return CodeStatus::kUnknown;
}

// A date: ISO, existing. `field` names the error code.
core::Status CheckDate(std::string_view date, std::string_view field) {
  return registry::ValidateDate(date, field);
}

core::Result<std::optional<double>> Coordinate(std::string_view text, std::string_view field,
                                               double limit) {
  const std::string trimmed = Trim(text);
  if (trimmed.empty()) return std::optional<double>();
  std::string copy = trimmed;
  std::replace(copy.begin(), copy.end(), ',', '.');
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(value) || std::abs(value) > limit) {
    return core::InvalidArgument(std::string(field) + " must be a number of degrees between -" +
                                     std::to_string(static_cast<int>(limit)) + " and " +
                                     std::to_string(static_cast<int>(limit)),
                                 std::string(field) + ".range");
  }
  return std::optional<double>(value);
}

// "image/jpeg" or "image/png" from the first bytes; kInvalidArgument otherwise.
core::Result<std::string> PhotoType(const PhotoUpload& photo) {
  const std::string_view data = photo.data;
  if (data.size() > kMaxPhotoBytes) {
    return core::InvalidArgument(
        "a photo may hold at most " + std::to_string(kMaxPhotoBytes >> 20) + " MB",
        "photo.too_large");
  }
  if (data.size() >= 3 && data.substr(0, 3) == std::string_view("\xFF\xD8\xFF", 3)) {
    return std::string("image/jpeg");
  }
  if (data.size() >= 8 && data.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8)) {
    return std::string("image/png");
  }
  return core::InvalidArgument("'" + photo.filename + "' is not a JPEG or PNG image", "photo.type");
}

std::string JsonText(const boost::json::object& o) { return boost::json::serialize(o); }

store::AuditEntry Audit(const InspectContext& ctx, const registry::Actor& actor, std::string org_id,
                        std::string action, std::string entity, std::string entity_id,
                        std::string changes) {
  return store::AuditEntry{.at = ctx.clock.Now(),
                           .actor = actor.AuditName(),
                           .org_id = std::move(org_id),
                           .action = std::move(action),
                           .entity = std::move(entity),
                           .entity_id = std::move(entity_id),
                           .changes_json = std::move(changes)};
}

}  // namespace

std::string_view InspectionResultName(InspectionResult result) {
  for (const auto& [r, name] : kResultNames) {
    if (r == result) return name;
  }
  return "unknown";
}

core::Result<InspectionResult> ParseInspectionResult(std::string_view name) {
  for (const auto& [r, n] : kResultNames) {
    if (n == name) return r;
  }
  return core::InvalidArgument(
      "result must be one of passed, passed_with_remarks, failed, follow_up; got '" +
          std::string(name) + "'",
      "result.invalid");
}

std::string_view ViolationKindName(ViolationKind kind) {
  for (const auto& [k, name] : kViolationNames) {
    if (k == kind) return name;
  }
  return "other";
}

core::Result<ViolationKind> ParseViolationKind(std::string_view name) {
  for (const auto& [k, n] : kViolationNames) {
    if (n == name) return k;
  }
  return core::InvalidArgument(
      "violation kind must be one of misused_information, expired_certificate, "
      "unregistered_product, cloned_stamp, other; got '" +
          std::string(name) + "'",
      "violation.kind.invalid");
}

std::string_view RecallScopeName(RecallScope scope) {
  return scope == RecallScope::kDownstream ? "downstream" : "lot_only";
}

core::Result<RecallScope> ParseRecallScope(std::string_view name) {
  if (name == "lot_only") return RecallScope::kLotOnly;
  if (name == "downstream") return RecallScope::kDownstream;
  return core::InvalidArgument(
      "scope must be lot_only or downstream; got '" + std::string(name) + "'", "scope.invalid");
}

std::string_view RecallRoleName(RecallRole role) {
  switch (role) {
    case RecallRole::kProducer:
      return "producer";
    case RecallRole::kDownstreamLot:
      return "downstream_lot";
    case RecallRole::kRecipient:
      return "recipient";
  }
  return "producer";
}

bool MayInspect(const registry::Actor& actor) {
  return registry::IsSystem(actor) || actor.Is(store::Role::kInspector) ||
         actor.Is(store::Role::kAuthorityOfficer);
}

std::string_view CodeStatusName(CodeStatus status) {
  switch (status) {
    case CodeStatus::kGenuine:
      return "genuine";
    case CodeStatus::kRegistered:
      return "registered";
    case CodeStatus::kUnknown:
      return "unknown";
    case CodeStatus::kInactive:
      return "inactive";
    case CodeStatus::kRecalled:
      return "recalled";
    case CodeStatus::kSuspicious:
      return "suspicious";
  }
  return "unknown";
}

// ---- checking a code

core::Result<CodeCheck> CheckCode(const InspectContext& ctx, const registry::Actor& actor,
                                  std::string_view input) {
  if (!MayInspect(actor)) return Refused("use the inspector workspace");
  VNTRACE_ASSIGN_OR_RETURN(ParsedCode parsed, ParseCode(ctx, input));
  store::Store& store = ctx.store;
  store::RegistryStore& reg = store.registry();
  CodeCheck out;
  bool claims_stamp = false;
  std::vector<std::string> candidates;
  if (!parsed.platform_serial.empty()) {
    out.code = ctx.base_url + "/id/stamp/" + parsed.platform_serial;
    claims_stamp = true;
  } else if (!parsed.platform_id.empty()) {
    out.code = parsed.platform_id;
    VNTRACE_ASSIGN_OR_RETURN(out.lot, Optional(reg.GetLot(parsed.platform_id)));
  } else {
    gs1::DigitalLink path_only = *parsed.dl;
    path_only.attributes.clear();
    path_only.other_params.clear();
    path_only.fragment.clear();
    out.code = gs1::CanonicalDigitalLink(path_only);
    claims_stamp = gs1::FindElement(parsed.dl->path, "21") != nullptr;
    if (parsed.dl->primary_key().code() == "01") {
      const std::string gtin_link =
          std::string(gs1::kCanonicalStem) + "/01/" + parsed.dl->primary_key().value;
      VNTRACE_ASSIGN_OR_RETURN(out.product, Optional(reg.FindProductByIdentifier(gtin_link)));
      const std::string_view lot_code = gs1::FindValue(parsed.dl->path, "10");
      if (!lot_code.empty()) {
        const std::string lot_link = gtin_link + "/10/" + gs1::PercentEncodeDlValue(lot_code);
        VNTRACE_ASSIGN_OR_RETURN(out.lot, FindRegisteredLot(store, lot_link));
        candidates.push_back(lot_link);
      }
    }
  }
  VNTRACE_ASSIGN_OR_RETURN(out.stamp, Optional(store.stamps().FindStamp(out.code)));
  if (out.stamp) {
    VNTRACE_ASSIGN_OR_RETURN(store::StampBatch batch,
                             store.stamps().GetStampBatch(out.stamp->batch_id));
    out.batch = batch;
    if (!out.lot) {
      VNTRACE_ASSIGN_OR_RETURN(out.lot, Optional(reg.GetLot(batch.lot_id)));
    }
    if (!out.product) {
      VNTRACE_ASSIGN_OR_RETURN(out.product, Optional(reg.GetProduct(batch.product_id)));
    }
  }
  if (out.lot && !out.product) {
    VNTRACE_ASSIGN_OR_RETURN(out.product, Optional(reg.GetProduct(out.lot->product_id)));
  }
  // The lot first: its one-up/one-down is what an inspector wants.
  if (out.lot) candidates.insert(candidates.begin(), out.lot->identifier);
  candidates.push_back(out.code);
  VNTRACE_ASSIGN_OR_RETURN(out.trace_root, NamedByEvents(store, candidates));
  if (out.lot) {
    VNTRACE_ASSIGN_OR_RETURN(out.recall, store.stamps().GetLotRecall(out.lot->id));
  }
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Scan> scans,
                           store.stamps().ListScans(out.code, 1000));
  VNTRACE_ASSIGN_OR_RETURN(out.scans, store.stamps().CountScans(out.code));
  const bool known = out.product.has_value() || out.lot.has_value() || !out.trace_root.empty();
  out.assessment = label::Judge({.claims_stamp = claims_stamp,
                                 .stamp = out.stamp ? &*out.stamp : nullptr,
                                 .batch = out.batch ? &*out.batch : nullptr,
                                 .recalled = out.recall.has_value(),
                                 .known = known || out.stamp.has_value(),
                                 .scans = scans});
  out.assessment.previous_scans = out.scans;
  out.status = StatusOf(out.assessment, known || out.stamp.has_value());

  if (out.product) {
    VNTRACE_ASSIGN_OR_RETURN(store::Organisation org, reg.GetOrganisation(out.product->org_id));
    out.in_area = InArea(actor, org);
    if (!out.in_area) {
      org.tax_code.clear();
      org.phone.clear();
      org.representative.clear();
    }
    out.org = std::move(org);
  }
  if (!out.in_area) return out;
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Certificate> certificates,
                           reg.ListCertificates(out.org->id));
  for (store::Certificate& c : certificates) {
    if (!c.product_id.empty() && c.product_id != out.product->id) continue;
    const bool expired = registry::IsExpired(c.valid_until, ctx.clock);
    out.certificates.push_back({.certificate = std::move(c), .expired = expired});
  }
  if (!out.trace_root.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(out.one_up,
                             OneStep(store, out.trace_root, trace::Direction::kBackward));
    VNTRACE_ASSIGN_OR_RETURN(out.one_down,
                             OneStep(store, out.trace_root, trace::Direction::kForward));
  }
  return out;
}

core::Result<LotTrace> TraceLot(const InspectContext& ctx, const registry::Actor& actor,
                                std::string_view lot_id) {
  if (!MayInspect(actor)) return Refused("use the inspector workspace");
  LotTrace out;
  VNTRACE_ASSIGN_OR_RETURN(out.lot, ctx.store.registry().GetLot(lot_id));
  VNTRACE_ASSIGN_OR_RETURN(store::Organisation org,
                           ctx.store.registry().GetOrganisation(out.lot.org_id));
  if (!InArea(actor, org)) return Refused("trace the lots of an organisation outside its area");
  VNTRACE_ASSIGN_OR_RETURN(out.trace, trace::Trace(ctx.store, out.lot.identifier,
                                                   {.direction = trace::Direction::kBoth,
                                                    .depth = std::nullopt,
                                                    .max_nodes = 2000}));
  for (const trace::Node& node : out.trace.nodes) {
    VNTRACE_ASSIGN_OR_RETURN(TraceStep step, Describe(ctx.store, node));
    out.nodes.push_back(std::move(step));
  }
  return out;
}

// ---- inspections

core::Result<store::Inspection> RecordInspection(const InspectContext& ctx,
                                                 const registry::Actor& actor,
                                                 InspectionInput input) {
  if (!MayInspect(actor)) return Refused("record inspections");
  store::RegistryStore& reg = ctx.store.registry();
  if (input.org_id.empty()) {
    return core::InvalidArgument("choose the organisation inspected", "org_id.required");
  }
  core::Result<store::Organisation> org = reg.GetOrganisation(input.org_id);
  if (!org.ok()) {
    if (org.error().code != core::ErrorCode::kNotFound) return org.error();
    return core::InvalidArgument("no organisation '" + input.org_id + "'", "org_id.not_found");
  }
  if (!InArea(actor, *org)) {
    return Refused("record inspections of an organisation outside its area");
  }
  store::Inspection out{.org_id = org->id,
                        .province = org->address.province,
                        .commune = org->address.commune,
                        .place = Trim(input.place),
                        .notes = Trim(input.notes),
                        .code = Trim(input.code),
                        .inspector = actor.AuditName(),
                        .inspector_name = input.inspector_name,
                        .created_at = ctx.clock.Now()};
  if (!input.facility_id.empty()) {
    core::Result<store::Facility> facility = reg.GetFacility(input.facility_id);
    if (!facility.ok() || facility->org_id != org->id) {
      return core::InvalidArgument("no facility '" + input.facility_id + "' of this organisation",
                                   "facility_id.not_found");
    }
    out.facility_id = facility->id;
    if (out.place.empty()) out.place = facility->name;
  }
  if (out.place.empty()) {
    return core::InvalidArgument("say where the inspection took place", "place.required");
  }
  VNTRACE_RETURN_IF_ERROR(registry::ValidateText(out.place, "place", kMaxPlaceChars, true));
  VNTRACE_ASSIGN_OR_RETURN(out.latitude, Coordinate(input.latitude, "latitude", 90));
  VNTRACE_ASSIGN_OR_RETURN(out.longitude, Coordinate(input.longitude, "longitude", 180));
  if (out.latitude.has_value() != out.longitude.has_value()) {
    return core::InvalidArgument("give both latitude and longitude, or neither", "latitude.pair");
  }
  const std::string today = registry::TodayInVietnam(ctx.clock);
  out.inspected_on = Trim(input.inspected_on);
  if (out.inspected_on.empty()) out.inspected_on = today;
  VNTRACE_RETURN_IF_ERROR(CheckDate(out.inspected_on, "inspected_on"));
  if (out.inspected_on > today) {
    return core::InvalidArgument("the inspection date " + out.inspected_on + " is after today",
                                 "inspected_on.future");
  }
  VNTRACE_ASSIGN_OR_RETURN(out.result, ParseInspectionResult(input.result));
  VNTRACE_RETURN_IF_ERROR(registry::ValidateText(out.notes, "notes", kMaxNotesChars, false));
  if (out.code.size() > kMaxCodeLength) {
    return core::InvalidArgument("the code is too long", "code.format");
  }
  if (!input.lot_id.empty()) {
    core::Result<store::Lot> lot = reg.GetLot(input.lot_id);
    if (!lot.ok() || lot->org_id != org->id) {
      return core::InvalidArgument("no lot '" + input.lot_id + "' of this organisation",
                                   "lot_id.not_found");
    }
    out.lot_id = lot->id;
  }
  if (input.violations.size() > kMaxViolations) {
    return core::InvalidArgument(
        "at most " + std::to_string(kMaxViolations) + " violations per inspection",
        "violation.too_many");
  }
  for (auto& [kind_name, description] : input.violations) {
    VNTRACE_ASSIGN_OR_RETURN(ViolationKind kind, ParseViolationKind(kind_name));
    std::string text = Trim(description);
    if (kind == ViolationKind::kOther && text.empty()) {
      return core::InvalidArgument("describe the violation of kind 'other'",
                                   "violation.description.required");
    }
    VNTRACE_RETURN_IF_ERROR(
        registry::ValidateText(text, "violation.description", kMaxViolationChars, false));
    out.violations.push_back({.kind = kind, .description = std::move(text)});
  }
  if (input.photos.size() > kMaxPhotosPerInspection) {
    return core::InvalidArgument(
        "at most " + std::to_string(kMaxPhotosPerInspection) + " photos per inspection",
        "photo.too_many");
  }
  out.id = "insp_" + ctx.random.Hex(10);
  std::vector<store::InspectionPhoto> photos;
  for (PhotoUpload& upload : input.photos) {
    VNTRACE_ASSIGN_OR_RETURN(std::string type, PhotoType(upload));
    photos.push_back({.id = "ph_" + ctx.random.Hex(12),
                      .inspection_id = out.id,
                      .content_type = std::move(type),
                      .data = std::move(upload.data),
                      .added_at = out.created_at});
  }
  boost::json::array violations;
  for (const store::Violation& v : out.violations) {
    violations.push_back(
        boost::json::object{{"kind", ViolationKindName(v.kind)}, {"description", v.description}});
  }
  const std::string changes = JsonText({{"place", out.place},
                                        {"inspected_on", out.inspected_on},
                                        {"result", InspectionResultName(out.result)},
                                        {"violations", std::move(violations)},
                                        {"photos", photos.size()}});
  VNTRACE_RETURN_IF_ERROR(ctx.store.inspections().CreateInspection(
      out, photos, Audit(ctx, actor, out.org_id, "create", "inspection", out.id, changes)));
  for (const store::InspectionPhoto& p : photos) {
    out.photos.push_back({.id = p.id,
                          .content_type = p.content_type,
                          .size = static_cast<std::int64_t>(p.data.size()),
                          .added_at = p.added_at});
  }
  return out;
}

core::Result<store::Inspection> GetInspection(const InspectContext& ctx,
                                              const registry::Actor& actor, std::string_view id) {
  if (!MayInspect(actor)) return Refused("read inspections");
  VNTRACE_ASSIGN_OR_RETURN(store::Inspection inspection, ctx.store.inspections().GetInspection(id));
  if (!AreaReadable(actor, inspection.province, inspection.commune)) {
    return Refused("read the inspections of another area");
  }
  return inspection;
}

core::Result<store::PhotoInfo> AddInspectionPhoto(const InspectContext& ctx,
                                                  const registry::Actor& actor,
                                                  std::string_view inspection_id,
                                                  PhotoUpload photo) {
  VNTRACE_ASSIGN_OR_RETURN(store::Inspection inspection, GetInspection(ctx, actor, inspection_id));
  if (inspection.photos.size() >= kMaxPhotosPerInspection) {
    return core::InvalidArgument(
        "at most " + std::to_string(kMaxPhotosPerInspection) + " photos per inspection",
        "photo.too_many");
  }
  VNTRACE_ASSIGN_OR_RETURN(std::string type, PhotoType(photo));
  store::InspectionPhoto stored{.id = "ph_" + ctx.random.Hex(12),
                                .inspection_id = inspection.id,
                                .content_type = std::move(type),
                                .data = std::move(photo.data),
                                .added_at = ctx.clock.Now()};
  VNTRACE_RETURN_IF_ERROR(ctx.store.inspections().AddInspectionPhoto(
      stored, Audit(ctx, actor, inspection.org_id, "add_photo", "inspection", inspection.id,
                    JsonText({{"photo", stored.id}, {"bytes", stored.data.size()}}))));
  return store::PhotoInfo{.id = stored.id,
                          .content_type = stored.content_type,
                          .size = static_cast<std::int64_t>(stored.data.size()),
                          .added_at = stored.added_at};
}

core::Result<store::InspectionPhoto> GetInspectionPhoto(const InspectContext& ctx,
                                                        const registry::Actor& actor,
                                                        std::string_view photo_id) {
  if (!MayInspect(actor)) return Refused("read inspections");
  VNTRACE_ASSIGN_OR_RETURN(store::InspectionPhoto photo,
                           ctx.store.inspections().GetInspectionPhoto(photo_id));
  core::Result<store::Inspection> owner = GetInspection(ctx, actor, photo.inspection_id);
  if (!owner.ok()) return owner.error();
  return photo;
}

core::Result<std::vector<store::Inspection>> ListInspections(const InspectContext& ctx,
                                                             const registry::Actor& actor,
                                                             const InspectionFilter& filter) {
  if (!MayInspect(actor)) return Refused("read inspections");
  store::InspectionQuery query{.org_id = filter.org_id,
                               .with_violations_only = filter.with_violations_only,
                               .from = filter.from,
                               .to = filter.to,
                               .limit = filter.limit};
  if (!filter.from.empty()) {
    VNTRACE_RETURN_IF_ERROR(CheckDate(filter.from, "from"));
  }
  if (!filter.to.empty()) {
    VNTRACE_RETURN_IF_ERROR(CheckDate(filter.to, "to"));
  }
  if (!filter.result.empty()) {
    VNTRACE_ASSIGN_OR_RETURN(query.result, ParseInspectionResult(filter.result));
  }
  if (!registry::IsSystem(actor)) {
    if (actor.area.province.empty()) return Refused("read inspections without an area");
    query.area.province = actor.area.province;
    query.area.commune = actor.area.commune;
  }
  if (!filter.commune.empty()) {
    if (!query.area.commune.empty() && query.area.commune != filter.commune) {
      return Refused("read the inspections of another commune");
    }
    query.area.commune = filter.commune;
  }
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Inspection> found,
                           ctx.store.inspections().ListInspections(query));
  // The district of an actor's area is not kept on inspections: filter it here.
  std::erase_if(found, [&](const store::Inspection& i) {
    return !AreaReadable(actor, i.province, i.commune);
  });
  return found;
}

core::Result<store::InspectionTally> InspectionCounts(const Context& ctx,
                                                      const registry::Actor& actor,
                                                      const Area& area, std::string_view from,
                                                      std::string_view to) {
  if (area.province.empty()) {
    return core::InvalidArgument("the area must name its province", "area.province.required");
  }
  if (!registry::IsSystem(actor) &&
      !(MayInspect(actor) &&
        registry::AreaContains(actor.area, {.province = area.province, .commune = area.commune}))) {
    return Refused("read the figures of this area");
  }
  if (!from.empty()) {
    VNTRACE_RETURN_IF_ERROR(CheckDate(from, "from"));
  }
  if (!to.empty()) {
    VNTRACE_RETURN_IF_ERROR(CheckDate(to, "to"));
  }
  return ctx.store.inspections().CountInspections(
      {.area = {.province = area.province, .commune = area.commune},
       .from = std::string(from),
       .to = std::string(to)});
}

// ---- recalls

core::Result<store::Recall> OrderRecall(const InspectContext& ctx, const registry::Actor& actor,
                                        const RecallRequest& request) {
  if (!MayInspect(actor)) return Refused("recall lots");
  store::Store& store = ctx.store;
  store::RegistryStore& reg = store.registry();
  core::Result<store::Lot> lot = reg.GetLot(request.lot_id);
  if (!lot.ok()) {
    if (lot.error().code != core::ErrorCode::kNotFound) return lot.error();
    return core::NotFound("no lot '" + request.lot_id + "'", "lot_id.not_found");
  }
  VNTRACE_ASSIGN_OR_RETURN(store::Organisation org, reg.GetOrganisation(lot->org_id));
  if (!InArea(actor, org)) return Refused("recall the lots of an organisation outside its area");
  const std::string reason = Trim(request.reason);
  VNTRACE_RETURN_IF_ERROR(registry::ValidateText(reason, "reason", kMaxReasonChars, true));
  VNTRACE_ASSIGN_OR_RETURN(RecallScope scope, ParseRecallScope(request.scope));

  const core::Timestamp now = ctx.clock.Now();
  VNTRACE_ASSIGN_OR_RETURN(trace::RecallReport report,
                           trace::BuildRecall(store, lot->identifier, now));
  store::Recall recall{.id = "rc_" + ctx.random.Hex(10),
                       .lot_id = lot->id,
                       .org_id = org.id,
                       .province = org.address.province,
                       .commune = org.address.commune,
                       .reason = reason,
                       .scope = scope,
                       .actor = actor.AuditName(),
                       .actor_name = request.actor_name,
                       .created_at = now,
                       .report_csv = trace::RecallCsv(report),
                       .report_html_vi = trace::RecallHtml(report, trace::Language::kVietnamese),
                       .report_html_en = trace::RecallHtml(report, trace::Language::kEnglish)};
  recall.lots.push_back({.lot_id = lot->id, .org_id = lot->org_id});
  std::set<std::pair<std::string, RecallRole>> parties = {{org.id, RecallRole::kProducer}};
  if (scope == RecallScope::kDownstream) {
    std::vector<store::RecalledLot> downstream;
    for (const trace::AffectedThing& thing : report.affected) {
      // Platform lot URIs are no GS1 keys: the trace reports them as items.
      const bool platform_lot =
          thing.kind == trace::NodeKind::kItem && !thing.id.starts_with(gs1::kCanonicalStem);
      if (thing.kind != trace::NodeKind::kLot && !platform_lot) continue;
      VNTRACE_ASSIGN_OR_RETURN(std::optional<store::Lot> found, FindRegisteredLot(store, thing.id));
      if (!found || found->id == lot->id) continue;
      downstream.push_back({.lot_id = found->id, .org_id = found->org_id});
      if (found->org_id != org.id) parties.insert({found->org_id, RecallRole::kDownstreamLot});
    }
    std::sort(downstream.begin(), downstream.end(),
              [](const auto& a, const auto& b) { return a.lot_id < b.lot_id; });
    downstream.erase(std::unique(downstream.begin(), downstream.end()), downstream.end());
    recall.lots.insert(recall.lots.end(), downstream.begin(), downstream.end());
  }
  // Registered organisations that received affected material (as a party, or at a facility).
  for (const trace::Recipient& recipient : report.recipients) {
    std::string org_id;
    VNTRACE_ASSIGN_OR_RETURN(std::optional<store::Organisation> party,
                             Optional(reg.GetOrganisation(recipient.id)));
    if (party) {
      org_id = party->id;
    } else {
      VNTRACE_ASSIGN_OR_RETURN(std::optional<store::Facility> facility,
                               Optional(reg.GetFacility(recipient.id)));
      if (facility) org_id = facility->org_id;
    }
    if (!org_id.empty() && org_id != org.id) parties.insert({org_id, RecallRole::kRecipient});
  }
  for (const auto& [party_org, role] : parties) {
    recall.parties.push_back({.org_id = party_org, .role = role});
  }
  std::sort(recall.parties.begin(), recall.parties.end(), [](const auto& a, const auto& b) {
    return std::pair(a.role, a.org_id) < std::pair(b.role, b.org_id);
  });

  std::vector<store::AuditEntry> audits;
  for (const store::RecalledLot& recalled : recall.lots) {
    audits.push_back(Audit(ctx, actor, recalled.org_id, "recall", "lot", recalled.lot_id,
                           JsonText({{"recall", recall.id},
                                     {"reason", reason},
                                     {"scope", RecallScopeName(scope)},
                                     {"from_lot", lot->id}})));
  }
  VNTRACE_RETURN_IF_ERROR(store.inspections().CreateRecall(recall, audits));
  return recall;
}

core::Result<store::Recall> GetRecall(const InspectContext& ctx, const registry::Actor& actor,
                                      std::string_view id) {
  VNTRACE_ASSIGN_OR_RETURN(store::Recall recall, ctx.store.inspections().GetRecall(id));
  if (AreaReadable(actor, recall.province, recall.commune)) return recall;
  const bool member = (actor.Is(store::Role::kOrgAdmin) || actor.Is(store::Role::kOrgStaff)) &&
                      !actor.org_id.empty() &&
                      std::any_of(recall.parties.begin(), recall.parties.end(),
                                  [&](const auto& p) { return p.org_id == actor.org_id; });
  if (!member) return Refused("read this recall");
  return recall;
}

core::Result<std::vector<store::Recall>> ListRecalls(const InspectContext& ctx,
                                                     const registry::Actor& actor) {
  if (!MayInspect(actor)) return Refused("read recalls");
  store::RecallQuery query;
  if (!registry::IsSystem(actor)) {
    if (actor.area.province.empty()) return Refused("read recalls without an area");
    query.area.province = actor.area.province;
    query.area.commune = actor.area.commune;
  }
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Recall> found,
                           ctx.store.inspections().ListRecalls(query));
  std::erase_if(
      found, [&](const store::Recall& r) { return !AreaReadable(actor, r.province, r.commune); });
  return found;
}

core::Result<std::vector<store::Recall>> RecallNotices(const InspectContext& ctx,
                                                       const registry::Actor& actor,
                                                       std::string_view org_id) {
  if (!registry::CanWriteOrgData(actor, org_id)) {
    return Refused("read the recall notices of this organisation");
  }
  return ctx.store.inspections().ListRecalls({.party_org_id = std::string(org_id)});
}

}  // namespace vntrace::report
