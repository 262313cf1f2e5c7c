// epcis::internal canonical: the checks behind CanonicalIdentifier and CanonicalVocabulary,
// shared by the document codec and the query model.
//
// Thread-safety: pure functions; safe from any thread.
//
// Example:
//   core::Result<std::string> id =
//       internal::CheckedCanonicalIdentifier("urn:epc:id:sgtin:0614141.107346.2017");
//   // *id == "https://id.gs1.org/01/10614141073464/21/2017"
//   internal::IsCbvTerm(internal::CbvList::kBizStep, "shipping");  // true
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace vntrace::epcis::internal {

// The closed code lists of CBV 2.0 and the GS1 Web Vocabulary that EPCIS 2.0 JSON writes as
// bare words.
enum class CbvList {
  kBizStep,             // BizStep-
  kDisposition,         // Disp-
  kBizTransactionType,  // BTT-
  kSourceDestType,      // SDT-
  kErrorReason,         // ER-
  kComponent,           // Comp-
  kSensorAlertType,     // gs1:ALARM_CONDITION, gs1:ERROR_CONDITION
  kMeasurementType,     // gs1:Temperature, ...
};

// True when `word` is a term of `list` (case-sensitive).
bool IsCbvTerm(CbvList list, std::string_view word);

// The terms of `list`, sorted in byte order (the one copy of the CBV lists in vntrace).
std::span<const std::string_view> CbvTerms(CbvList list);

// What kind of identifier a URI is, judged on its form alone.
enum class IdentifierForm {
  kOther,        // not a GS1 identifier: kept as it is
  kEpcUrn,       // urn:epc:id|class|idpat of a GS1 scheme
  kNonGs1Epc,    // urn:epc:id of a scheme without a GS1 key (gid, usdod, adi, bic, imovn)
  kDigitalLink,  // http(s) URI on id.gs1.org, GS1's own Digital Link domain
  // http(s) URI on another host with a GS1 primary key AI in its path: a Digital Link when it
  // parses as one, otherwise an HTTP URI like any other (EPCIS accepts any URI).
  kCustomDigitalLink,
};
IdentifierForm ClassifyIdentifier(std::string_view uri);

// The canonical form of an identifier, as CanonicalIdentifier, but returns kInvalidArgument
// when the URI can only be a GS1 identifier and is not a valid one: an EPC URN of a GS1 scheme
// that does not convert, or a URI on id.gs1.org that does not parse as a Digital Link.
core::Result<std::string> CheckedCanonicalIdentifier(std::string_view uri);

}  // namespace vntrace::epcis::internal
