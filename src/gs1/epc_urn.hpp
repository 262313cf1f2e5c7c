// gs1::epc_urn: EPC pure-identity URNs (GS1 EPC Tag Data Standard) ⇄ GS1 Digital Link.
//
// URN → Digital Link always works: the URN carries the company-prefix boundary. Digital Link
// → URN needs the GS1 Company Prefix length, given by the caller or found in a GcpLengthTable.
// Schemes: sgtin, lgtin (urn:epc:class:lgtin), sgtin idpat (class level), sscc, sgln, pgln,
// grai, giai, gsrn, gsrnp, gdti, sgcn, cpi, itip, upui, ginc, gsin.
//
// Thread-safety: functions are stateless; a GcpLengthTable is immutable after construction and
// safe to share for reading.
//
// Example:
//   auto dl = gs1::EpcUrnToDigitalLink("urn:epc:id:sgtin:0614141.107346.2017");
//   gs1::BuildDigitalLink(*dl) == "https://id.gs1.org/01/10614141073464/21/2017";
//   auto urn = gs1::DigitalLinkToEpcUrn(*dl, 7);  // "urn:epc:id:sgtin:0614141.107346.2017"
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "gs1/digital_link.hpp"

namespace vntrace::gs1 {

// Converts an EPC URN (urn:epc:id:..., urn:epc:class:lgtin:..., urn:epc:idpat:sgtin:C.I.*) to
// its Digital Link (canonical stem). Returns kInvalidArgument naming the component at fault.
core::Result<DigitalLink> EpcUrnToDigitalLink(std::string_view urn);

// Converts a Digital Link whose primary key has an EPC scheme to the EPC URN, with the GS1
// Company Prefix `gcp_length` digits long (6-12). Returns kInvalidArgument when the key has no
// EPC form or the length does not fit the key.
core::Result<std::string> DigitalLinkToEpcUrn(const DigitalLink& dl, int gcp_length);

// GS1 Company Prefix lengths by prefix (longest prefix wins), as in GS1's
// gcpprefixformatlist or the registry's own knowledge of its organisations.
class GcpLengthTable {
 public:
  // Records that GCPs starting with `prefix` (digits) are `length` digits long.
  core::Status Add(std::string_view prefix, int length);
  // Length for the company prefix at the start of `digits`; kNotFound when no prefix matches.
  core::Result<int> Find(std::string_view digits) const;

 private:
  std::map<std::string, int, std::less<>> lengths_;
};

// Converts using the table: the GCP is looked up at the key's company-prefix position (after the
// indicator digit of a GTIN/SSCC). kNotFound when the table has no matching prefix.
core::Result<std::string> DigitalLinkToEpcUrn(const DigitalLink& dl, const GcpLengthTable& table);

}  // namespace vntrace::gs1
