// epcis::query: the EPCIS 2.0 SimpleEventQuery, parsed from REST query parameters or a named
// query's JSON body, and evaluated against an Event.
//
// Parameter names and semantics are EPCIS 2.0's (see ../shared/GS1-DIGEST.md §4.1): eventType,
// GE_/LT_eventTime, GE_/LT_recordTime, EQ_action, EQ_bizStep, EQ_disposition,
// EQ_persistentDisposition_set/unset, EQ_/WD_readPoint, EQ_/WD_bizLocation,
// EQ_transformationID, MATCH_epc, MATCH_parentID, MATCH_inputEPC, MATCH_outputEPC,
// MATCH_anyEPC, MATCH_epcClass, MATCH_inputEPCClass, MATCH_outputEPCClass, MATCH_anyEPCClass,
// EQ_/GT_/GE_/LT_/LE_quantity, EQ_eventID, EXISTS_errorDeclaration, GE_/LT_errorDeclarationTime,
// EQ_errorReason, EQ_correctiveEventID, EQ_bizTransaction_{type}, EQ_source_{type},
// EQ_destination_{type}, EQ_/GT_/GE_/LT_/LE_/EXISTS_ on extension fields
// (`EQ_{prefix}:{name}` with the prefix declared in GS1-Extensions or the EPCIS context;
// INNER_, ILMD_, ERROR_DECLARATION_, SENSORELEMENT_, SENSORMETADATA_, SENSORREPORT_, readPoint_,
// bizLocation_ variants), the sensor parameters (EXISTS_sensorElementList, GE_/LT_time,
// GE_/LT_startTime, GE_/LT_endTime, EQ_type, EQ_deviceID, EQ_dataProcessingMethod, EQ_bizRules,
// EQ_microorganism, EQ_chemicalSubstance, EQ_stringValue, EQ_hexBinaryValue, EQ_uriValue,
// EQ_booleanValue, GT_/GE_/LT_/LE_percRank, {EQ,GT,GE,LT,LE}_{value|minValue|maxValue|meanValue|
// sDev|percValue|quantity}_{uom}), orderBy, orderDirection, eventCountLimit, maxEventCount.
// List values are '|'-separated. AND holds across parameters, OR within one parameter's list.
//
// Identifiers in MATCH_ parameters may be EPC URNs, EPC pattern URNs (urn:epc:idpat:...) or
// Digital Links, all canonicalised so that the URN and the Digital Link of one thing match:
//   - urn:epc:idpat:sgtin:C.I.* (and a Digital Link naming only a GTIN, its equivalent) matches
//     the class itself and every identifier under that GTIN: serials, lots (LGTIN classes).
//     Likewise for the other schemes with only the last component starred (sgln C.L.*: the GLN
//     and all its extensions; grai C.T.*, gdti, sgcn, cpi, itip, upui).
//   - A pattern that fixes only the GS1 Company Prefix (sgtin C.*.*, sscc C.*, sgln C.*.*, giai
//     C.*, ...) matches every key whose digits after the indicator / extension digit (GTIN, SSCC,
//     ITIP) or from the start (other keys) begin with C. Without GCP length tables a longer
//     company prefix that starts with C matches too.
//   - All components starred (sgtin *.*.*) matches every identifier of that key type (for sgtin:
//     every GTIN-based identifier). upui C.*.* and *.*.* cannot be told apart from SGTINs this
//     way and are refused as kUnsupported.
//   - gid, usdod and adi patterns match their URNs by prefix.
// Master data (master_data.hpp) answers three kinds of parameters, resolved before matching
// (ResolveMasterData, which a store runs on the snapshot it queries):
//   - WD_readPoint and WD_bizLocation ("with descendants") match a location given or any
//     element below it through the `children` of the ReadPoint, respectively BusinessLocation,
//     vocabulary, transitively (a cycle in the hierarchy ends the walk);
//   - HASATTR_{field}=attr1|attr2 matches events whose field names an element that has one of
//     the attributes (with a non-null value), and EQ_ATTR_{field}_{attr}=v1|v2 those whose field
//     names an element whose attribute `attr` has one of the values (strings compared exactly,
//     numbers numerically). The fields are readPoint and bizLocation (vocabularies ReadPoint and
//     BusinessLocation), parentID, epcList, childEPCs, inputEPCList and outputEPCList (EPCInstance)
//     and quantityList, childQuantityList, inputQuantityList and outputQuantityList (their
//     epcClass, EPCClass). Attribute names are URIs or CURIEs ("cbvmda:sst"); HASATTR_ and
//     EQ_ATTR_ on an extension field are kUnsupported (master data is kept for the standard
//     fields only).
// Before resolution WD_ matches the locations given only and HASATTR_/EQ_ATTR_ match nothing.
// orderBy takes eventTime, recordTime or an extension field at the top level of the event
// (`prefix:localName` with a declared prefix, or its full IRI): numbers sort numerically, RFC
// 3339 times as instants, other strings by their UTF-8 bytes (numbers before times before
// strings); events without the field, or with an array, object, boolean or null in it, come
// last in either direction. An extension event type in eventType is refused as kUnsupported.
//
// Thread-safety: values and pure functions.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(epcis::EventQuery q,
//       epcis::ParseEventQuery({{"MATCH_anyEPC", "urn:epc:id:sgtin:0614141.107346.2017"}}));
//   bool hit = epcis::Matches(event, q);
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "epcis/event.hpp"
#include "epcis/master_data.hpp"

namespace vntrace::epcis {

// A canonical identifier to match: exact, or (`prefix`) every identifier starting with `value`
// (from an EPC pattern such as urn:epc:idpat:sgtin:0614141.107346.*). A prefix ending in '/'
// names a class and also matches `value` without that '/', the class itself
// ("https://id.gs1.org/01/10614141073464/" matches ".../01/10614141073464" and everything under
// it).
struct IdMatch {
  std::string value;
  bool prefix = false;
  friend bool operator==(const IdMatch&, const IdMatch&) = default;
};

enum class Comparison { kEq, kGt, kGe, kLt, kLe, kExists };

// A condition on an extension field, e.g. "{https://ns.example.com/epcis/}temperature" at the top
// level of the event, or "{urn:epcglobal:cbv:mda:}lotNumber" in its ilmd.
//
// The field is looked for directly in the scope's object(s) or, when `inner` is set (the INNER_
// parameters), at any depth inside the extension fields of that object, never directly in it.
// An event key matches `name` when it is the "{namespace}localName" form itself, the full IRI,
// or a "prefix:localName" CURIE whose prefix names the namespace in the event's own "@context"
// or, when the event carries none, is the prefix the query used (`prefix`).
struct FieldCondition {
  enum class Scope {
    kTopLevel,          // the event object
    kIlmd,              // ilmd
    kErrorDeclaration,  // errorDeclaration
    kSensorElement,     // each element of sensorElementList
    kSensorMetadata,    // each sensorElementList[*].sensorMetadata
    kSensorReport,      // each sensorElementList[*].sensorReport[*]
    kReadPoint,         // readPoint
    kBizLocation,       // bizLocation
  } scope = Scope::kTopLevel;
  bool inner = false;
  std::string name;    // expanded "{namespace}localName"
  std::string prefix;  // the CURIE prefix of the parameter, e.g. "example"
  Comparison op = Comparison::kEq;
  // EQ: one or more (any may equal); GT/GE/LT/LE: exactly one, a number or an RFC 3339 time;
  // EXISTS: none. Numbers compare numerically (also against numeric strings) and times as
  // instants; anything else compares as text.
  std::vector<std::string> values;
};

// A condition on a standard field of the event's sensor data (EPCIS 2.0 sensor parameters such
// as EQ_type, GE_time, EQ_deviceID, GE_percRank, GT_value_CEL). It holds when one sensorMetadata
// or sensorReport of the event, as `in` says, has `field` satisfying `op` against `values` and,
// when `uom` is set, a "uom" member equal to it (no unit conversion is made).
struct SensorCondition {
  enum class In { kMetadata, kReport, kMetadataOrReport } in = In::kReport;
  enum class Type {
    kText,             // exact
    kNumber,           // numeric
    kTime,             // RFC 3339, as instants
    kIdentifier,       // canonical identifiers (EPC URN and Digital Link forms match)
    kMeasurementType,  // bare gs1 word ("Temperature"), or the URI of a custom type
    kHexBinary,        // case-insensitive
    kBoolean,          // "true" or "false"
  } type = Type::kText;
  std::string field;  // "time", "startTime", "type", "deviceID", "value", "percRank", ...
  std::string uom;    // UN/ECE Rec 20 code for the {OP}_{field}_{uom} parameters; else ""
  Comparison op = Comparison::kEq;
  std::vector<std::string> values;  // EQ: one or more; GT/GE/LT/LE: exactly one
};

// A condition on the quantity of the quantity elements of an event (quantityList,
// childQuantityList, inputQuantityList, outputQuantityList) whose uom is `uom`
// (EQ_quantity_KGM, GT_quantity_KGM, ...).
struct QuantityCondition {
  std::string uom;
  Comparison op = Comparison::kEq;
  std::vector<double> values;  // EQ: one or more; otherwise exactly one
};

struct TypedCondition {
  std::string type;                 // canonical type URI or bare CBV word; "" = any type
  std::vector<std::string> values;  // canonical identifiers
};

// The event fields whose values are vocabulary elements with master data (HASATTR_, EQ_ATTR_).
enum class MasterDataField {
  kReadPoint,
  kBizLocation,
  kParentId,
  kEpcList,
  kChildEpcs,
  kInputEpcList,
  kOutputEpcList,
  kQuantityList,
  kChildQuantityList,
  kInputQuantityList,
  kOutputQuantityList,
};

// The vocabulary type of the elements `field` names, e.g. kBusinessLocationVocabulary.
std::string_view VocabularyTypeOf(MasterDataField field);
// The index entries holding the field's canonical values (kReadPoint for readPoint, kEpcClass
// for the epcClass of quantityList, ...).
IndexKind IndexKindOf(MasterDataField field);

// HASATTR_{field} (`equals` false: the element has one of `attributes`) or
// EQ_ATTR_{field}_{attribute} (`equals` true: its one attribute has one of `values`).
struct AttributeCondition {
  std::string parameter;  // the parameter's name, for messages
  MasterDataField field = MasterDataField::kBizLocation;
  bool equals = false;
  std::vector<std::string> attributes;  // expanded attribute names (CanonicalAttributeName)
  std::vector<std::string> values;      // EQ_ATTR_ only
};

// The master data a query depends on, filled by ResolveMasterData.
struct ResolvedMasterData {
  bool resolved = false;
  // The WD_readPoint / WD_bizLocation values and all their descendants, sorted.
  std::vector<std::string> wd_read_point, wd_biz_location;
  // Per EventQuery::attribute_conditions entry: the ids of the elements satisfying it, sorted.
  std::vector<std::vector<std::string>> attribute_elements;
};

enum class OrderBy { kNone, kEventTime, kRecordTime, kExtensionField };

struct EventQuery {
  std::vector<EventType> event_types;
  std::optional<core::Timestamp> ge_event_time, lt_event_time;
  std::optional<core::Timestamp> ge_record_time, lt_record_time;
  std::vector<std::string> eq_action;
  // Vocabulary values (here and in the persistent dispositions and error reasons) are canonical;
  // a CURIE with a declared prefix appears both expanded and as written.
  std::vector<std::string> eq_biz_step;
  std::vector<std::string> eq_disposition;
  std::vector<std::string> eq_persistent_disposition_set, eq_persistent_disposition_unset;
  std::vector<std::string> eq_read_point, wd_read_point;
  std::vector<std::string> eq_biz_location, wd_biz_location;
  std::vector<std::string> eq_transformation_id;
  std::vector<std::string> eq_event_id;
  std::vector<IdMatch> match_epc, match_parent_id, match_input_epc, match_output_epc, match_any_epc;
  std::vector<IdMatch> match_epc_class, match_input_epc_class, match_output_epc_class,
      match_any_epc_class;
  // Hold when some quantity element (of any of the four quantity lists, any uom) satisfies
  // them; each is checked on its own. EQ_quantity may list several values (any may equal).
  std::vector<double> eq_quantity;
  std::optional<double> gt_quantity, ge_quantity, lt_quantity, le_quantity;
  // true: only events with an errorDeclaration; false (or absent): no condition.
  std::optional<bool> exists_error_declaration;
  std::optional<core::Timestamp> ge_error_declaration_time, lt_error_declaration_time;
  std::vector<std::string> eq_error_reason, eq_corrective_event_id;
  std::vector<TypedCondition> eq_biz_transaction, eq_source, eq_destination;
  std::vector<FieldCondition> fields;
  // Sensor data: EXISTS_sensorElementList (true: only events with sensor data; false: no
  // condition), then every other sensor parameter.
  std::optional<bool> exists_sensor_element_list;
  std::vector<SensorCondition> sensor;
  std::vector<QuantityCondition> quantity_by_uom;
  std::vector<AttributeCondition> attribute_conditions;
  ResolvedMasterData master_data;
  OrderBy order_by = OrderBy::kNone;
  // With OrderBy::kExtensionField: the field as "{namespace}localName" and the prefix the
  // parameter used (matched as FieldCondition::name and ::prefix are).
  std::string order_field;
  std::string order_field_prefix;
  bool descending = true;  // EPCIS 2.0 default orderDirection is DESC
  std::optional<int> event_count_limit;
  std::optional<int> max_event_count;
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Parses REST query parameters (already percent-decoded). `extensions` maps prefixes declared
// in the GS1-Extensions header to namespaces; the EPCIS context's own prefixes (cbvmda, gs1,
// cbv, epcis, ...) are known too. Returns kInvalidArgument (rendered as
// QueryParameterException) naming the parameter for an unknown parameter name, a parameter
// given twice, a bad or empty value, a malformed time, an undeclared prefix, eventCountLimit
// with maxEventCount, or eventCountLimit without orderBy; kUnsupported for the standard
// parameters vntrace cannot answer (see above). Pagination parameters (perPage, nextPageToken)
// are ignored here.
core::Result<EventQuery> ParseEventQuery(const QueryParams& params,
                                         const std::map<std::string, std::string>& extensions = {});

// True when `event` satisfies every condition of `query` (ordering and limits aside).
bool Matches(const Event& event, const EventQuery& query);

// Whether the query has conditions on master data (WD_, HASATTR_, EQ_ATTR_) to resolve.
bool NeedsMasterData(const EventQuery& query);

// What ResolveMasterData reads: the master data of a store, on one snapshot.
//
// Thread-safety: one caller at a time.
class MasterDataReader {
 public:
  virtual ~MasterDataReader() = default;
  // The children (canonical ids) of element `id` of vocabulary `type`; empty when it has none
  // or no master data.
  virtual core::Result<std::vector<std::string>> Children(std::string_view type,
                                                          std::string_view id) = 0;
  // Every value of attribute `attribute` (an expanded name) of the elements of vocabulary
  // `type`, one entry per value.
  virtual core::Result<std::vector<AttributeValue>> AttributeValues(std::string_view type,
                                                                    std::string_view attribute) = 0;
};

// Fills query.master_data from `reader`: the descendants of the WD_ locations (breadth first,
// each element visited once, so a cycle ends) and the elements satisfying each attribute
// condition. kResourceExhausted (QueryTooLargeException) when a WD_ parameter or a condition
// reaches more than `max_elements` elements; the reader's errors otherwise.
core::Status ResolveMasterData(EventQuery& query, MasterDataReader& reader,
                               std::size_t max_elements = 100000);

// The sort key of an event for orderBy on an extension field. Kinds are persisted in page
// tokens: values are stable.
struct OrderKey {
  enum class Kind : std::uint8_t { kNumber = 0, kTime = 1, kString = 2, kMissing = 3 };
  Kind kind = Kind::kMissing;
  double number = 0;      // kNumber
  std::int64_t time = 0;  // kTime: nanoseconds since the epoch
  std::string text;       // kString
  friend bool operator==(const OrderKey&, const OrderKey&) = default;
};

// The key of `event` for query.order_field (kMissing unless the field is a number, a string or
// an RFC 3339 time string at the top level of the event).
OrderKey ExtensionOrderKey(const Event& event, const EventQuery& query);

// Whether `a` sorts before `b` in the direction given, missing keys last either way (equal
// keys are not before each other).
bool OrderKeyPrecedes(const OrderKey& a, const OrderKey& b, bool descending);

// Canonical form of an identifier for indexing and matching: GS1 EPC URNs and Digital Links
// (any domain) become the canonical https://id.gs1.org Digital Link of their finest key (EPC
// class URNs: the class level); other URIs are returned unchanged.
std::string CanonicalIdentifier(std::string_view uri);

// The prefixes of the standard CBV values whose last part is a bare word (business steps,
// dispositions, business transaction types, source/destination types, error reasons), in Web
// URI and URN form. Matches compares such values by their bare word, so a store that looks them
// up through its index must try each spelling.
inline constexpr std::string_view kCbvValuePrefixes[] = {
    "https://ref.gs1.org/cbv/BizStep-", "https://ref.gs1.org/cbv/Disp-",
    "https://ref.gs1.org/cbv/BTT-",     "https://ref.gs1.org/cbv/SDT-",
    "https://ref.gs1.org/cbv/ER-",      "urn:epcglobal:cbv:bizstep:",
    "urn:epcglobal:cbv:disp:",          "urn:epcglobal:cbv:btt:",
    "urn:epcglobal:cbv:sdt:",           "urn:epcglobal:cbv:er:",
};

// The bare word of a value written with one of kCbvValuePrefixes
// ("urn:epcglobal:cbv:bizstep:shipping" → "shipping"); any other value unchanged. Unlike
// CanonicalVocabulary it does not check that the word is a CBV term.
std::string_view BareCbvWord(std::string_view value);

// Canonical form of a CBV vocabulary value: a bare word for standard CBV terms given as bare
// word, URN or Web URI (e.g. "urn:epcglobal:cbv:bizstep:shipping" → "shipping"); other URIs
// unchanged.
std::string CanonicalVocabulary(std::string_view value);

}  // namespace vntrace::epcis
