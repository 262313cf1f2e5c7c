// registry::diary: the production diary (nhật ký sản xuất), its templates, reviewer warnings,
// bulk CSV entry, and the product list for the national barcode registry.
//
// A diary step is one filled template (prepare land, plant, fertilise, spray, harvest; receive
// inputs, process, pack; ship, receive, sell). RecordStep validates every field, builds the
// EPCIS 2.0 event of the step with CBV vocabulary, decodes it with epcis::DecodeDocument (so it
// is valid by construction and carries its CBV 2.0 hash eventID), and stores in ONE transaction
// the lots the step creates (harvest, process), the event, the diary entry and the audit
// entries (store::RegistryStore::RecordDiary). The event then answers EPCIS queries like any
// captured event.
//
// Events of a step:
//   crop steps before harvest   ObjectEvent OBSERVE, quantityList [product class], bizStep
//                               "other" (prepare land, fertilise, spray) or "commissioning"
//                               (plant); dose, pesticide, PHI, ... as extension fields
//   harvest                     ObjectEvent ADD "commissioning", disposition "active",
//                               quantityList [lot class, quantity], ILMD cbvmda:lotNumber,
//                               cbvmda:harvestStartDate, cbvmda:itemExpirationDate
//   receive inputs, receive     ObjectEvent OBSERVE "receiving", disposition "in_progress",
//                               sourceList owning_party (the sender when given)
//   process                     TransformationEvent "creating_class_instance", input and output
//                               quantity lists, ILMD of the output lot
//   pack                        ObjectEvent OBSERVE "packing"
//   ship                        ObjectEvent OBSERVE "shipping", disposition "in_transit",
//                               sourceList/destinationList owning_party + location
//   sell                        ObjectEvent OBSERVE "retail_selling", disposition "retail_sold"
// Every event has readPoint and bizLocation = the facility's location trace code (GLN Digital
// Link or platform id), eventTimeZoneOffset "+07:00", and the diary fields under the
// namespace kDiaryNamespace (prefix "vntrace").
//
// Errors: kInvalidArgument with Error::details "field.rule" (e.g. "dose.range",
// "phi_days.required", "lot.not_found"; the catalogue is web/i18n/{vi,en}.json, "error.<code>"),
// kPermissionDenied when the actor may not write the organisation's diary (or read it, for
// ListDiary/ReviewDiary), kNotFound for an unknown template or organisation, kAlreadyExists
// ("entry_id.taken") when another organisation used the entry id.
//
// Idempotency: DiaryStepInput::entry_id, a UUID made by the phone's offline queue, names the
// step; submitting the same id again returns the stored entry (replayed = true) and stores
// nothing.
//
// Thread-safety: stateless functions; the store does its own locking.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(
//       registry::DiaryStepResult step,
//       registry::RecordStep(ctx, actor,
//                            {.entry_id = "3f1c...-...", .org_id = org.id,
//                             .template_id = "harvest",
//                             .fields = {{"facility", plot.id}, {"occurred_at", "2026-03-02"},
//                                        {"product", product.id}, {"quantity", "120"},
//                                        {"unit", "kg"}}}));
//   // step.entry.event_id is the eventID; step.entry.lot_id the new lot; step.warnings.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "registry/actor.hpp"
#include "registry/registry.hpp"
#include "store/registry_store.hpp"

namespace vntrace::registry {

// The JSON-LD namespace of diary extension fields in events (prefix "vntrace").
inline constexpr std::string_view kDiaryNamespace = "https://vntrace.vn/ns/diary#";

// The kind of production a template serves.
enum class DiaryKind { kCrop, kProcessing, kTrade };
// "crop", "processing", "trade".
std::string_view DiaryKindName(DiaryKind kind);

enum class DiaryFieldType {
  kText,          // one line of text
  kNumber,        // a decimal number ("12.5"; a decimal comma "12,5" is accepted)
  kInteger,       // a whole number
  kDate,          // "YYYY-MM-DD"
  kDateTime,      // "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" (Vietnam time) or RFC 3339
  kUnit,          // a unit of measure: kg, g, tan, l, ml, or a count word (quả, gói, hộp...)
  kFacility,      // a facility of the organisation: its id (or, in CSV, its exact name)
  kProduct,       // a product of the organisation: its id (or, in CSV, its exact name)
  kLot,           // a lot: its id or identifier, or (own lots) its lot code
  kOrganisation,  // another organisation: its id
};

struct DiaryField {
  std::string_view name;      // stable key: form field name, CSV column key, JSON member
  std::string_view label_vi;  // "Liều lượng"
  std::string_view label_en;  // "Dose"
  DiaryFieldType type = DiaryFieldType::kText;
  bool required = false;
  // Several values allowed (process and receive inputs: one per input lot). Repeated fields of
  // a template are matched by position; in CSV their cell holds the values separated by ';'.
  bool repeated = false;
  std::string_view unit_hint{};  // "kg", "ngày", "l/ha"...; empty when none
};

struct DiaryTemplate {
  std::string_view id;       // "harvest"
  std::string_view name_vi;  // "Thu hoạch"
  std::string_view name_en;  // "Harvest"
  DiaryKind kind = DiaryKind::kCrop;
  std::string_view biz_step;  // the CBV business step of its event
  // Every template starts with "facility" and "occurred_at" and ends with "note".
  std::span<const DiaryField> fields;
};

// Every template, crop first, then processing, then trade; ids are stable:
// prepare_land, plant, fertilise, spray, harvest, receive_inputs, process, pack, ship, receive,
// sell.
std::span<const DiaryTemplate> DiaryTemplates();
// nullptr when no template has this id.
const DiaryTemplate* FindDiaryTemplate(std::string_view id);

struct DiaryStepInput {
  // A UUID (8-4-4-4-12 hex digits) chosen by the client; empty: the server issues one (and the
  // call is not idempotent). "entry_id.format" otherwise.
  std::string entry_id{};
  std::string org_id{};
  std::string template_id{};
  // (field name, value as typed); a repeated field appears once per value, in order. Unknown
  // names are refused ("<name>.unknown"); empty values count as absent.
  std::vector<std::pair<std::string, std::string>> fields{};
};

// A reviewer's warning: the step is stored, but someone should look at it.
struct DiaryWarning {
  // "harvest.within_phi", "diary.copied_intervals", "ship.before_harvest"; the catalogue has
  // "warning.<code>".
  std::string code{};
  std::string message{};           // English, with the names and dates involved
  std::string entry_id{};          // the entry warned about
  std::string related_entry_id{};  // the spray, the copied diary's first entry, the harvest
  std::string facility_id{};
  std::string lot_id{};
  friend bool operator==(const DiaryWarning&, const DiaryWarning&) = default;
};

struct DiaryStepResult {
  store::DiaryEntry entry;
  bool replayed = false;  // the entry id was already stored: nothing new was stored
  // Warnings about this step (PHI, shipped before harvest); see ReviewDiary for the rest.
  std::vector<DiaryWarning> warnings;
};

// Records one diary step (see the top of this file). Needs CanWriteOrgData(actor, org_id).
core::Result<DiaryStepResult> RecordStep(const Context& ctx, const Actor& actor,
                                         const DiaryStepInput& input);

struct DiaryFilter {
  std::string facility_id{};              // empty: every facility
  std::string template_id{};              // empty: every template
  std::string lot_id{};                   // empty: every lot
  std::optional<core::Timestamp> from{};  // occurred_at >= from
  std::optional<core::Timestamp> to{};    // occurred_at < to
  std::size_t limit = 200;                // 1..1000
};

// The diary of `org_id`, newest occurred_at first. Needs CanReadPrivate.
core::Result<std::vector<store::DiaryEntry>> ListDiary(const Context& ctx, const Actor& actor,
                                                       std::string_view org_id,
                                                       const DiaryFilter& filter);
// One entry; kNotFound when missing, kPermissionDenied without CanReadPrivate.
core::Result<store::DiaryEntry> GetDiaryEntry(const Context& ctx, const Actor& actor,
                                              std::string_view entry_id);

// Every warning over the whole diary of `org_id`: harvests inside a pesticide's pre-harvest
// interval on the same facility, lots shipped before they were harvested or produced, and
// diaries copied across facilities or seasons (two sequences of at least 4 steps with the same
// templates at the same day intervals). Needs CanReadPrivate.
core::Result<std::vector<DiaryWarning>> ReviewDiary(const Context& ctx, const Actor& actor,
                                                    std::string_view org_id);

// ---- bulk entry

// The CSV header line (UTF-8, CRLF-terminated) of a template: one column per field, labelled
// "Vietnamese / English (key)", e.g. "Liều lượng / Dose (dose)". kNotFound for an unknown
// template.
core::Result<std::string> DiaryCsvTemplate(std::string_view template_id);

struct DiaryRowError {
  std::size_t row = 0;   // 1-based line of the record in the file (the header is row 1)
  std::string column{};  // the field key; empty for the whole row
  std::string code{};    // "dose.range", "csv.columns", ...
  std::string message{};
  friend bool operator==(const DiaryRowError&, const DiaryRowError&) = default;
};

struct DiaryImportResult {
  std::vector<store::DiaryEntry> entries;  // in file order; empty when there are errors
  std::vector<DiaryRowError> errors;       // every row's errors; non-empty: NOTHING was stored
  std::vector<DiaryWarning> warnings;
};

inline constexpr std::size_t kMaxCsvBytes = 2u << 20;
inline constexpr std::size_t kMaxCsvRows = 2000;

// Imports the rows of a CSV file filled from DiaryCsvTemplate: RFC 4180 (quoted fields, doubled
// quotes, CRLF or LF), UTF-8 with or without BOM, ',' or ';' as separator, header cells matched
// by key, "(key)" suffix, or Vietnamese or English label. An optional column "entry_id" makes
// rows idempotent. Every row is validated; when any row has an error nothing is stored and
// `errors` lists them all, otherwise every row is stored in one transaction. kInvalidArgument
// for a file that is not CSV of this template ("csv.too_large", "csv.too_many_rows",
// "csv.encoding", "csv.quote", "csv.header", "csv.empty"); kNotFound for an unknown template;
// kPermissionDenied as RecordStep.
core::Result<DiaryImportResult> ImportDiaryCsv(const Context& ctx, const Actor& actor,
                                               std::string_view org_id,
                                               std::string_view template_id,
                                               std::string_view csv_text);

// The XLSX template of a template: one sheet named after it, the header row of
// DiaryCsvTemplate's labels in bold and frozen. kNotFound for an unknown template.
core::Result<std::string> DiaryXlsxTemplate(std::string_view template_id);

// Imports the first sheet of an XLSX workbook (registry/xlsx.hpp: cells as the text they show,
// dates in date-formatted cells as ISO dates) under exactly the rules of ImportDiaryCsv; a row
// error names the spreadsheet's row number. kInvalidArgument "xlsx.*" for a file that is not a
// readable workbook or is beyond the limits (at most kMaxCsvBytes, kMaxCsvRows rows).
core::Result<DiaryImportResult> ImportDiaryXlsx(const Context& ctx, const Actor& actor,
                                                std::string_view org_id,
                                                std::string_view template_id,
                                                std::string_view xlsx_bytes);

// ImportDiaryXlsx for a file that starts as a zip archive ("PK\3\4"), ImportDiaryCsv otherwise:
// the file's bytes decide, not its name or declared type.
core::Result<DiaryImportResult> ImportDiaryFile(const Context& ctx, const Actor& actor,
                                                std::string_view org_id,
                                                std::string_view template_id,
                                                std::string_view file);

// ---- national barcode registry

// The organisation's products as CSV (UTF-8 with BOM, CRLF) with the columns Decree 37/2026
// Art. 28.2 asks when a GTIN is declared: GTIN, product name, brand, description, product
// group, company, target market ("Việt Nam"), image; Vietnamese/English header. Products
// without a GTIN are listed with an empty GTIN. Needs CanReadPrivate.
core::Result<std::string> ExportProductsForGs1(const Context& ctx, const Actor& actor,
                                               std::string_view org_id);

}  // namespace vntrace::registry
