// epcis::event_hash: the CBV 2.0 EPCIS event hash ID of events in the JSON-LD binding.
//
// The event hash ID names an event by its content, whatever the syntax it was written in:
// "ni:///sha-256;{64 lowercase hex digits}?ver=CBV2.0", the SHA-256 of a canonical pre-hash
// string. The pre-hash string lists the event's fields as key=value pairs with no separator,
// in a fixed order (eventType, eventTime, eventTimeZoneOffset, certificationInfo, parentID, the
// EPC and quantity lists, action, transformationID, bizStep, disposition,
// persistentDisposition, readPoint, bizLocation, sensorElementList), then every other field
// (bizTransactionList, sourceList, destinationList, ilmd, extensions) sorted as strings. Values
// are canonicalised first:
//   - EPC URNs and Digital Links of EPC keys -> https://id.gs1.org/{key}/{value}, no query,
//     serial rather than lot;
//   - CBV URNs (urn:epcglobal:cbv:bizstep:...) and bare CBV words ("shipping") -> Web URIs;
//   - CURIEs with a declared prefix ("gs1:Temperature") -> IRIs; extension keys ->
//     "{namespace}localName";
//   - eventTime and sensor times -> UTC with exactly three decimals, the fourth rounding half
//     up; numbers (also numeric strings: "0012" -> "12", "452.0" -> "452") -> shortest form;
//   - leading and trailing white space trimmed.
// eventID, recordTime, errorDeclaration, "comment"/"rdfs:comment" and the fields a document
// lists under an `ignoreFields` extension (any namespace) do not take part.
//
// The reference is GS1's reference implementation (github.com/RalphTro/epcis-event-hash-
// generator); its published vectors reproduce exactly. Where that implementation depends on
// accidents of its own code, this one follows the evident intent instead: JSON booleans are
// "true"/"false" as in XML (not Python's "True"), a bare word is expanded only in the field
// whose vocabulary it belongs to, the EPCIS context's own prefixes (gs1, cbv, cbvmda, ...)
// count as declared, and a time without an offset is read as UTC.
//
// Thread-safety: JsonLdContext is immutable after construction and may be shared for reading;
// the functions are otherwise stateless and safe from any thread.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(std::vector<std::string> ids,
//                            epcis::DocumentEventHashIds(document_text));
//   // ids[0] == "ni:///sha-256;6ae96341...39d7?ver=CBV2.0"
//
//   epcis::JsonLdContext context;
//   context.Add(document.at("@context"));
//   VNTRACE_ASSIGN_OR_RETURN(std::string id, epcis::EventHashId(event, context));
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/result.hpp"

namespace vntrace::epcis {

// What the hash leaves out besides eventID, recordTime and errorDeclaration.
struct HashOptions {
  // Top-level event fields to leave out, as written in the document ("example:captureID") or
  // expanded ("{https://ns.example.com/epcis/}captureID"). DocumentEventHashIds adds the
  // fields the document lists under an `ignoreFields` extension.
  std::vector<std::string> ignore_fields;
};

// The namespace prefixes of a JSON-LD `@context`, used to expand extension keys and CURIE
// values.
//
// Thread-safety: immutable once filled; share it for reading across threads.
class JsonLdContext {
 public:
  // Knows the prefixes the EPCIS 2.0 context declares: epcis, cbv, cbvmda, gs1, rdfs, owl, xsd,
  // dcterms.
  JsonLdContext();

  // Adds the prefixes declared by an `@context` value: an object's "prefix": "IRI" entries (or
  // "prefix": {"@id": "IRI"}), recursively through arrays. Strings name remote contexts and add
  // nothing. A later declaration of the same prefix wins.
  void Add(const boost::json::value& context);
  void AddPrefix(std::string_view prefix, std::string_view iri);

  // The IRI of `prefix`, or nullptr when it is not declared.
  const std::string* FindPrefix(std::string_view prefix) const;

 private:
  std::vector<std::pair<std::string, std::string>> prefixes_;
};

// The canonical pre-hash string of one event given as its JSON-LD object (an element of an
// EPCISDocument's eventList), with the prefixes of the document's @context. Returns
// kInvalidArgument when the event has no string "type".
core::Result<std::string> EventPreHashString(const boost::json::object& event,
                                             const JsonLdContext& context,
                                             const HashOptions& options = {});

// The event hash ID, "ni:///sha-256;{hex}?ver=CBV2.0", of one event. Errors as
// EventPreHashString.
core::Result<std::string> EventHashId(const boost::json::object& event,
                                      const JsonLdContext& context,
                                      const HashOptions& options = {});

// The hash ID of a pre-hash string.
std::string HashIdOfPreHash(std::string_view pre_hash);

// The pre-hash strings of every event of a JSON-LD document, in document order. The document is
// an EPCISDocument (epcisBody.eventList, or epcisBody.event), an EPCISQueryDocument
// (epcisBody.queryResults.resultsBody.eventList), or one bare event object. Returns
// kInvalidArgument when the text is not JSON, is not one of these shapes, or an event is not an
// object with a string "type".
core::Result<std::vector<std::string>> DocumentEventPreHashStrings(std::string_view json_text,
                                                                   const HashOptions& options = {});

// The hash IDs of every event of a JSON-LD document, in document order. Errors as
// DocumentEventPreHashStrings.
core::Result<std::vector<std::string>> DocumentEventHashIds(std::string_view json_text,
                                                            const HashOptions& options = {});

}  // namespace vntrace::epcis
