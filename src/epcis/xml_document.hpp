// epcis::xml_document: EPCIS 2.0 and 1.2 XML documents in, EPCIS 2.0 XML out.
//
// The XML binding is read by turning the document into its JSON-LD twin (the mapping of the
// EPCIS 2.0 standard, section 11: CBV URNs become bare words, 1.2's `extension` and
// `baseExtension` wrappers are unwrapped, every element of a foreign namespace becomes an
// extension member whose prefix the @context declares by namespace URI) and decoding that with
// DecodeDocument, so an XML document yields the same epcis::Event values, under the same
// validation rules, as the same document in JSON-LD. Issues name the event index and the field
// with the JSON-LD name (XML element names are the same words: "epcList[2]",
// "quantityList[0].quantity"); problems of the XML itself (not well-formed, a DTD, an element
// the binding does not know) are reported with the element's path.
//
// Safety: the body is limited in size (DecodeOptions::max_bytes) and in element depth
// (kMaxXmlDepth); a DOCTYPE with an internal subset or an external identifier is refused (pugixml
// never fetches or expands entities, but such a document is not an EPCIS document); a bare
// `<!DOCTYPE name>` declares nothing and is accepted, as GS1's examples use it.
//
// Thread-safety: pure functions.
//
// Example:
//   if (epcis::LooksLikeXml(body)) {
//     epcis::DecodeResult r = epcis::DecodeXmlDocument(body, {.record_time = clock.Now()});
//   }
//   VNTRACE_ASSIGN_OR_RETURN(std::string xml, epcis::EncodeXmlQueryDocument(jsons, options));
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "epcis/document.hpp"

namespace vntrace::epcis {

inline constexpr std::size_t kMaxXmlDepth = 64;

// True when the first character after white space (and a UTF-8 byte order mark) is '<'.
bool LooksLikeXml(std::string_view text);

// The JSON-LD twin (an EPCISDocument or EPCISQueryDocument, JSON text) of an EPCIS 2.0 or 1.2
// XML document. Returns kInvalidArgument, its message naming the line or element, when the
// text is not well-formed XML, has a DTD, is too deep, is not an EPCIS document or uses an
// element the binding does not define where only standard elements may be.
core::Result<std::string> XmlToJsonLd(std::string_view xml);

// Decodes and validates an EPCIS XML document as DecodeDocument does its JSON-LD twin. XML
// problems are issues of the document (event_index -1, or the event's index when they are
// inside one).
DecodeResult DecodeXmlDocument(std::string_view xml, const DecodeOptions& options);

// The CBV 2.0 event hash IDs (and pre-hash strings) of the events of an XML document, in order.
// Errors as XmlToJsonLd.
core::Result<std::vector<std::string>> XmlDocumentEventHashIds(std::string_view xml);
core::Result<std::vector<std::string>> XmlDocumentEventPreHashStrings(std::string_view xml);

// An EPCIS 2.0 XML EPCISQueryDocument (epcisq namespace, per EPCglobal-epcis-query-2_0.xsd)
// holding `events` (canonical JSON texts as stored), in order. CBV bare words are written as
// URNs, or as Web URIs with CbvFormat::kAlwaysWebUri; identifiers as captured (EpcFormat
// applies as in EncodeQueryDocument). The XSD requires creationDate: set
// options.creation_date (from the caller's clock), else it is omitted. kInternal when a stored
// text is not a JSON event.
core::Result<std::string> EncodeXmlQueryDocument(std::span<const std::string> event_jsons,
                                                 const EncodeOptions& options);

// An EPCIS 2.0 XML EPCISDocument holding `events`, for export and round trips. Errors as
// EncodeXmlQueryDocument.
core::Result<std::string> EncodeXmlDocument(std::span<const std::string> event_jsons,
                                            const EncodeOptions& options);

}  // namespace vntrace::epcis
