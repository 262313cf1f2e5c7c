// gs1::digital_link: GS1 Digital Link URIs (URI syntax 1.2+), uncompressed and compressed.
//
// Parses any conforming URI: http or https (lower or upper case), any host (name, IPv4 in any
// form, IPv6 literal, port), an optional path prefix before the primary key (the rightmost
// primary key wins), percent-encoding, key qualifiers in an allowed order, data attributes in
// the query string, and other query parameters kept apart. Builds canonical
// (`https://id.gs1.org/...`) and custom-domain URIs. Compressed URIs (GS1 Digital Link
// compression) are decoded and encoded in `gs1/dl_compression.hpp`.
//
// Thread-safety: stateless functions; safe from any thread.
//
// Example:
//   auto dl = gs1::ParseDigitalLink("https://example.com/01/09520123456788/10/ABC1?17=251231");
//   dl->path[0].value == "09520123456788"; dl->attributes[0].code() == "17";
//   std::string canon = gs1::BuildDigitalLink(*dl);  //
//   "https://id.gs1.org/01/.../10/ABC1?17=251231"
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "gs1/element.hpp"

namespace vntrace::gs1 {

inline constexpr std::string_view kCanonicalStem = "https://id.gs1.org";
inline constexpr std::size_t kMaxDigitalLinkLength = 8192;

struct DigitalLinkOptions {
  // Accept GTIN-8/12/13 in /01/ (and ?01=), padding to 14 digits.
  bool permit_zero_suppressed_gtin = false;
  // Accept legacy convenience names (/gtin/, /lot/, /ser/, /sscc/...).
  bool permit_convenience_alphas = false;
  // Check AI associations (req/ex) over path and attributes.
  bool validate_associations = true;
};

struct DigitalLink {
  std::string stem;       // "https://example.com/some/prefix": scheme, authority, path prefix
  AiElements path;        // primary key first, then its qualifiers in order
  AiElements attributes;  // GS1 data attributes from the query string, in query order
  // Query parameters that are not AIs (e.g. "linkType", "context"), in order, decoded.
  std::vector<std::pair<std::string, std::string>> other_params;
  std::string fragment;  // without '#', not interpreted

  const AiElement& primary_key() const { return path.front(); }
  // Path elements then attributes: everything the URI says as AI data.
  AiElements AllElements() const;
};

// Parses and fully validates a Digital Link URI. Returns kInvalidArgument with a message saying
// what is wrong and where (which AI, which character) otherwise.
core::Result<DigitalLink> ParseDigitalLink(std::string_view uri,
                                           const DigitalLinkOptions& options = {});

// Checks a Digital Link assembled in memory (e.g. decoded from the compressed form) by the
// same rules ParseDigitalLink applies: a primary key first, qualifiers in an allowed order,
// attributes that may be data attributes and not belong in the path, every value valid, no
// duplicate AI, associations. Returns kInvalidArgument naming the AI otherwise.
core::Status ValidateDigitalLink(const DigitalLink& dl, const DigitalLinkOptions& options = {});

// Builds the URI text: `stem` (or kCanonicalStem when empty) + path + "?" + attributes + other
// params; values percent-encoded as the syntax requires.
std::string BuildDigitalLink(const DigitalLink& dl);

// Builds a Digital Link from a set of elements (e.g. from an element string): picks the primary
// key, orders the qualifiers, and puts the remaining data attributes in the query (fixed-length
// AIs first, then in input order), dropping exact duplicates. Returns kInvalidArgument when no
// primary key is present, or an AI may not be a data attribute.
struct FromElementsOptions {
  // GS1's generator refuses (01)(235)(10): 10 is a qualifier of 01 that cannot join 235 in the
  // path. A parsed /01/.../235/X?10=L is valid, though; decoders that rebuild such a link from
  // its elements set this to place leftover qualifiers that may be data attributes in the query.
  bool qualifiers_may_be_attributes = false;
};
core::Result<DigitalLink> DigitalLinkFromElements(const AiElements& elements,
                                                  std::string_view stem = kCanonicalStem,
                                                  const FromElementsOptions& options = {});

// The canonical form of a Digital Link: id.gs1.org, GTIN-14, no other params, no fragment.
std::string CanonicalDigitalLink(const DigitalLink& dl);

// Percent-encodes a value for a Digital Link path segment or query value (RFC 3986
// unreserved characters kept).
std::string PercentEncodeDlValue(std::string_view value);

}  // namespace vntrace::gs1
