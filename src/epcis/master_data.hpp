// epcis::master_data: EPCIS master data, the vocabulary elements a document may carry in
// epcisHeader.epcisMasterData.vocabularyList (or a query document's resultsBody.vocabularyList):
// each element of a vocabulary type has an id, attributes (id and value, any JSON value; an
// attribute id may repeat, giving it several values) and children (the ids of the elements
// below it in a hierarchy, EPCIS 2.0 §6.5).
//
// Element ids and children are kept in canonical form (epcis::CanonicalIdentifier: an EPC URN
// and the Digital Link of one location or object are one element), attribute ids as expanded
// IRIs with the CBV master-data namespace written one way ("urn:epcglobal:cbv:mda#sst" and the
// JSON-LD "cbvmda:sst" are both "urn:epcglobal:cbv:mda:sst").
//
// How a later document changes an element (the standard leaves master data maintenance to the
// repository): what it gives replaces, what it leaves out stays. Every value of an attribute id
// it gives replaces all values stored under that id; attributes it does not name are kept; a
// "children" member replaces the stored children (an element without one keeps them).
//
// Thread-safety: values and pure functions.
//
// Example:
//   epcis::VocabularyElement stored = ...;          // as merged so far
//   epcis::MergeVocabularyElement(stored, update);  // a later document's element
//   std::string text = boost::json::serialize(epcis::VocabularyElementJson(stored));
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/result.hpp"

namespace vntrace::epcis {

// The standard vocabulary types whose master data the query conditions use.
inline constexpr std::string_view kReadPointVocabulary = "urn:epcglobal:epcis:vtype:ReadPoint";
inline constexpr std::string_view kBusinessLocationVocabulary =
    "urn:epcglobal:epcis:vtype:BusinessLocation";
inline constexpr std::string_view kEpcClassVocabulary = "urn:epcglobal:epcis:vtype:EPCClass";
inline constexpr std::string_view kEpcInstanceVocabulary = "urn:epcglobal:epcis:vtype:EPCInstance";

struct MasterDataAttribute {
  std::string id;            // expanded IRI (CanonicalAttributeName)
  boost::json::value value;  // null when the attribute was given without a value
  friend bool operator==(const MasterDataAttribute&, const MasterDataAttribute&) = default;
};

struct VocabularyElement {
  std::string type;  // the vocabulary type URI, e.g. kBusinessLocationVocabulary
  std::string id;    // canonical identifier
  std::vector<MasterDataAttribute> attributes;  // in the order given
  std::vector<std::string> children;            // canonical identifiers, without repeats
  // Whether the element had a "children" member (even an empty one): only then does a merge
  // replace the stored children.
  bool has_children = false;
  friend bool operator==(const VocabularyElement&, const VocabularyElement&) = default;
};

// One value of an attribute of an element, as read for a query condition.
struct AttributeValue {
  std::string element_id;  // canonical
  boost::json::value value;
};

// The name under which an attribute id is kept and looked up: "urn:epcglobal:cbv:mda#X" (the
// XML binding's form) becomes "urn:epcglobal:cbv:mda:X"; any other id is returned unchanged.
std::string CanonicalAttributeName(std::string_view expanded_id);

// Merges `update`, a later description of the same element (same type and id), into `stored`,
// as the header comment says.
void MergeVocabularyElement(VocabularyElement& stored, const VocabularyElement& update);

// The element as an item of a vocabularyElementList of the EPCIS 2.0 JSON binding:
// {"id": ..., "attributes": [{"id": ..., "attribute": ...}], "children": [...]}, the empty
// members left out.
boost::json::object VocabularyElementJson(const VocabularyElement& element);

// The element of vocabulary `type` from the JSON VocabularyElementJson wrote. kInternal when
// `json` is not of that form (a damaged store).
core::Result<VocabularyElement> VocabularyElementFromJson(std::string_view type,
                                                          const boost::json::object& json);

// Whether a master data attribute value equals the query value `text` (EQ_ATTR_): a string
// equal to it, a number equal to it read as a number, a boolean written "true" or "false".
// Objects, arrays and null equal nothing.
bool AttributeValueEquals(const boost::json::value& value, std::string_view text);

}  // namespace vntrace::epcis
