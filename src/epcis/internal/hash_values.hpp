// epcis::internal hash values: the value rewrites of the CBV 2.0 event hash pre-hash string.
//
// Each function appends the canonical form of one value to `out` and returns true, or returns
// false and appends nothing when the rule does not apply (the value is then used as written).
// They are the building blocks of event_hash.cpp, public to the module only for its tests.
//
// Thread-safety: pure functions; safe from any thread.
//
// Example:
//   std::string out;
//   internal::AppendCanonicalTimestamp("2020-03-04T11:00:30+01:00", out);
//   // out == "2020-03-04T10:00:30.000Z"
#pragma once

#include <string>
#include <string_view>

namespace vntrace::epcis::internal {

// The CBV 2.0 closed vocabularies whose bare words JSON-LD expands through the EPCIS context.
enum class Vocabulary {
  kNone,
  kBizStep,             // "shipping" -> https://ref.gs1.org/cbv/BizStep-shipping
  kDisposition,         // "in_transit" -> https://ref.gs1.org/cbv/Disp-in_transit
  kBizTransactionType,  // "po" -> https://ref.gs1.org/cbv/BTT-po
  kSourceDestType,      // "owning_party" -> https://ref.gs1.org/cbv/SDT-owning_party
  kErrorReason,         // "did_not_occur" -> https://ref.gs1.org/cbv/ER-did_not_occur
  kMeasurementType,     // "Temperature" -> https://gs1.org/voc/Temperature
  kSensorAlertType,     // "ALARM_CONDITION" -> https://gs1.org/voc/ALARM_CONDITION
  kComponent,           // "latitude" -> https://ref.gs1.org/cbv/Comp-latitude
};

// `word` as the Web URI of a term of `vocabulary`; false when it is not one of its terms.
bool AppendVocabularyTerm(Vocabulary vocabulary, std::string_view word, std::string& out);

// A CBV 1.x URN ("urn:epcglobal:cbv:bizstep:shipping", also disp, btt, sdt, er) as its CBV 2.0
// Web URI ("https://ref.gs1.org/cbv/BizStep-shipping").
bool AppendCbvWebUri(std::string_view urn, std::string& out);

// A date-time in UTC with exactly three decimals: "2005-04-05T02:33:31.116Z". Accepts
// YYYY-MM-DD, optionally followed by T (or t or a space), hh:mm, optional :ss and fraction, and
// an optional Z or +hh:mm / +hhmm / +hh offset (none means UTC). The fourth decimal rounds
// half up ("...03.1415Z" -> "...03.142Z"); later decimals are ignored.
bool AppendCanonicalTimestamp(std::string_view text, std::string& out);

// A text that reads as a number (Python float() syntax: sign, digits with single '_' between
// them, fraction, exponent) written the way the reference implementation writes it: integral
// values as plain integers ("452.0" -> "452", "+007" -> "7", "1e3" -> "1000"), others in
// shortest round-trip form ("12.10" -> "12.1", "0.00001" -> "1e-05"). Infinities and NaN are
// not numbers here.
bool AppendCanonicalNumber(std::string_view text, std::string& out);

// A JSON number written as AppendCanonicalNumber writes it.
void AppendNumber(double value, std::string& out);

// A GS1 identifier as the canonical Digital Link the hash uses: EPC URNs (urn:epc:id, class,
// idpat) and Digital Link URIs on any host become https://id.gs1.org/{key}/{value}[/{q}/{v}],
// with no query, no fragment, no CPV (22), and no lot (10) when a serial (21) is present.
// Only the keys with an EPC scheme qualify: 00 01 253 255 401 402 414 417 8003 8004 8006 8010
// 8017 8018. False for anything else, including an invalid identifier.
bool AppendCanonicalGs1Uri(std::string_view text, std::string& out);

// `s` without leading and trailing white space (ASCII and the Unicode spaces Python strips).
std::string_view TrimSpace(std::string_view s);

}  // namespace vntrace::epcis::internal
