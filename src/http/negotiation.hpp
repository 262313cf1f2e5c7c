// http::negotiation: content negotiation for the bindings vntrace speaks (RFC 9110 §12).
//
// Which of a handler's offered media types the client prefers by its Accept header (q-values,
// type/* and */* ranges, the most specific range deciding a type's q), and which binding a
// request body is in by its Content-Type. Handlers call these through the EPCIS API's shared
// render/parse helpers, never on their own.
//
// Thread-safety: pure functions.
//
// Example:
//   if (http::PreferredMediaType(request.Header("Accept"), {"application/json",
//                                "application/xml"}) == "application/xml") { ... }
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace vntrace::http {

// The quality (0..1) the Accept header gives `media_type` ("type/subtype", lower case): the q
// of the most specific matching range, 1 for an empty header, 0 when nothing matches.
double AcceptQuality(std::string_view accept, std::string_view media_type);

// The first of `offered` with the highest quality (ties keep the order of `offered`, so the
// first is the default), or "" when the header accepts none of them.
std::string PreferredMediaType(std::string_view accept,
                               std::initializer_list<std::string_view> offered);

// The media type of a Content-Type header without parameters, lower case
// ("application/xml; charset=utf-8" → "application/xml").
std::string MediaTypeOf(std::string_view content_type);

// True for application/xml, text/xml and any +xml type.
bool IsXmlMediaType(std::string_view media_type);

}  // namespace vntrace::http
