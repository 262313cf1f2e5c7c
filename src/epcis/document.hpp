// epcis::document: EPCIS 2.0 JSON-LD documents in and out.
//
// Decodes an EPCISDocument, an EPCISQueryDocument or a bare event into validated epcis::Event
// values, reporting every problem with the event index and the field; encodes query results as
// an EPCISQueryDocument. The standard EPCIS 2.0 context is built in and a remote @context is
// never fetched; extension prefixes come from the document's own context.
//
// Validation covers the rules of the EPCIS 2.0 JSON schema
// (../shared/conformance/epcis/EPCIS-JSON-Schema.json) and the semantic rules the schema
// misses: action where required, identifiers valid per the GS1 toolkit, CBV bare words that are
// CBV terms, quantities with UN/CEFACT unit codes, time formats and offsets, AssociationEvent
// parentID/childEPCs rules, sensor report rules, extension terms that resolve through @context.
// Whatever the decoder accepts validates against the schema, since queries answer with the
// events as captured: the fields of each event type are the schema's (persistentDisposition only
// in ObjectEvent and TransformationEvent, although the data model and the XSD allow it in every
// type), and closed lists take only their own bare words (a GS1 Web Vocabulary measurement type
// newer than the schema's list is written "gs1:EffectiveDoseRate"). Beyond the schema the
// decoder applies the rest of the standard:
//   - an AggregationEvent with action ADD or DELETE needs a parentID;
//   - a sensorReport may not contradict the deviceID, deviceMetadata, rawData,
//     dataProcessingMethod or bizRules of its sensorMetadata (TCR-53);
//   - Digital Links on id.gs1.org and EPC URNs of GS1 schemes must be valid; a URI on another
//     host that does not parse as a Digital Link is taken as an ordinary HTTP URI;
//   - extension event types (a URI as "type") are refused: epcis::Event cannot hold them.
//
// Thread-safety: pure functions.
//
// Example:
//   epcis::DecodeResult r = epcis::DecodeDocument(body, {.record_time = clock.Now()});
//   if (!r.issues.empty()) { ... 400 ValidationException listing r.issues ... }
//   store.CaptureDocument(r.events, r.master_data);
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "epcis/event.hpp"
#include "epcis/master_data.hpp"

namespace vntrace::gs1 {
class GcpLengthTable;
}  // namespace vntrace::gs1

namespace vntrace::epcis {

struct ValidationIssue {
  int event_index = -1;  // 0-based index in the eventList; -1 for the document itself
  std::string field;     // JSON path inside the event, e.g. "epcList[2]", "quantityList[0].uom"
  std::string message;   // what is wrong, for a person
  // "event 3, epcList[2]: ..." (or "document, @context: ...").
  std::string ToString() const;
};

struct DecodeOptions {
  core::Timestamp record_time;        // stamped on every event as recordTime
  std::size_t max_events = 10000;     // more: one issue, nothing decoded
  std::size_t max_bytes = 32u << 20;  // larger body: one issue, nothing decoded
  std::size_t max_issues = 100;       // stop collecting after this many
  // GS1-Capture-Error-Behaviour "proceed": keep the events without issues of their own in
  // DecodeResult::events when other events have issues, and list the others in
  // DecodeResult::rejected_events. Issues of the document itself still refuse every event.
  bool keep_valid_events = false;
};

struct DecodeResult {
  // The valid events in document order; empty when there are issues, unless
  // DecodeOptions::keep_valid_events is set and none of them is the document's own.
  std::vector<Event> events;
  std::vector<ValidationIssue> issues;  // empty when the document is valid; capped at max_issues
  // With keep_valid_events: the 0-based eventList index of every event refused for its own
  // issues (all of them, even when `issues` was capped before naming each).
  std::vector<std::size_t> rejected_events;
  bool document_has_issues = false;               // an issue with event_index -1
  std::map<std::string, std::string> namespaces;  // prefix → namespace from @context
  bool is_query_document = false;
  // The vocabulary elements of the document's master data (epcisHeader.epcisMasterData of an
  // EPCISDocument, resultsBody.vocabularyList of an EPCISQueryDocument), in document order, ids
  // canonical and attribute ids expanded (see master_data.hpp); empty as `events` is when there
  // are issues (an invalid element is an issue of the document itself).
  std::vector<VocabularyElement> master_data;
};

// Decodes and validates an EPCISDocument, EPCISQueryDocument or a bare event (JSON text).
// Events without an eventID get their CBV 2.0 hash ID.
//
// The @context must name the EPCIS 2.0 context
// (https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld, its unversioned alias
// https://ref.gs1.org/standards/epcis/epcis-context.jsonld, or the draft's
// https://gs1.github.io/EPCIS/epcis-context.jsonld); other context URLs are accepted beside it
// but never fetched, so they declare nothing. Extension prefixes come from the context objects
// of the document and of each event. Each Event::json is the event as sent with "eventID" and
// "recordTime" set; when it uses a prefix declared only in the document's context, an event
// "@context" declaring that prefix is added (before any context of its own) so that the stored
// event stands alone.
DecodeResult DecodeDocument(std::string_view json, const DecodeOptions& options);

// How identifiers and vocabulary are written in responses (GS1-EPC-Format, GS1-CBV-Format).
// kNoPreference and kNeverTranslates keep identifiers as captured. kAlwaysDigitalLink turns EPC
// URNs into canonical Digital Links; kAlwaysEpcUrn turns Digital Links into EPC URNs where the
// GS1 Company Prefix length is known (EncodeOptions::gcp_lengths) and keeps them otherwise.
enum class EpcFormat { kNoPreference, kAlwaysDigitalLink, kAlwaysEpcUrn, kNeverTranslates };
// The JSON binding writes CBV terms as bare words (its schema forbids CBV URNs), so this only
// matters for the XML binding; the JSON encoder keeps vocabulary values as captured.
enum class CbvFormat { kNoPreference, kAlwaysWebUri, kAlwaysUrn, kNeverTranslates };

struct EncodeOptions {
  EpcFormat epc_format = EpcFormat::kNoPreference;
  CbvFormat cbv_format = CbvFormat::kNoPreference;
  // GS1 Company Prefix lengths for kAlwaysEpcUrn; null: Digital Links stay as they are. Must
  // outlive the call.
  const gs1::GcpLengthTable* gcp_lengths = nullptr;
  // The document's creationDate (from the caller's core::Clock); empty: omitted, as the
  // EPCISQueryDocument schema allows.
  std::optional<core::Timestamp> creation_date;
  std::string query_name = "SimpleEventQuery";
  std::string subscription_id;                    // empty: omitted
  std::map<std::string, std::string> namespaces;  // extension prefixes to declare in @context
};

// An EPCISQueryDocument holding `events` (canonical JSON texts as stored), in order.
// kInternal when a stored text is not valid JSON.
core::Result<std::string> EncodeQueryDocument(std::span<const std::string> event_jsons,
                                              const EncodeOptions& options);

// An EPCISQueryDocument answering for master data (queryName "SimpleMasterDataQuery", the
// standard's master data query; options.query_name is not used): an empty eventList and a
// vocabularyList holding `elements` grouped by vocabulary type, types in order of first
// appearance. Ids are written as kept, in canonical form (GS1 Digital Links); epc_format and
// cbv_format do not apply.
std::string EncodeMasterDataDocument(std::span<const VocabularyElement> elements,
                                     const EncodeOptions& options);

}  // namespace vntrace::epcis
