#include "epcis/query.hpp"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/result.hpp"
#include "core/time.hpp"
#include "epcis/event.hpp"

namespace vntrace::epcis {
namespace {

const std::map<std::string, std::string> kExtensions = {
    {"example", "http://ns.example.com/epcis/"},
    {"steps", "https://example.com/steps/"},
};

core::Timestamp Time(std::string_view text) {
  core::Result<core::Timestamp> t = core::ParseRfc3339(text);
  EXPECT_TRUE(t.ok()) << text;
  return t.ok() ? *t : core::Timestamp();
}

boost::json::object Json(std::string_view text) { return boost::json::parse(text).as_object(); }

// The canonical forms below are those of GS1-DIGEST §4.5 (and check digits worked by hand):
//   urn:epc:id:sgtin:0614141.107346.2017      https://id.gs1.org/01/10614141073464/21/2017
//   urn:epc:class:lgtin:0614141.077777.987    https://id.gs1.org/01/00614141777778/10/987
//   urn:epc:id:sscc:4012345.0000000333        https://id.gs1.org/00/040123450000003338
//   urn:epc:id:sgln:4012345.00011.987         https://id.gs1.org/414/4012345000115/254/987
//   urn:epc:id:pgln:4012345.00225             https://id.gs1.org/417/4012345002256

// An ObjectEvent with a bit of everything: EPCs, a quantity, a business transaction, a source,
// extension fields at every level and sensor data.
Event ObjectEventWithEverything() {
  Event e;
  e.event_id = "urn:uuid:e1";
  e.type = EventType::kObjectEvent;
  e.event_time = Time("2005-04-03T20:33:31.116-06:00");
  e.record_time = Time("2020-01-01T00:00:00Z");
  e.action = "OBSERVE";
  e.biz_step = "shipping";
  e.disposition = "in_transit";
  e.read_point = "https://id.gs1.org/414/4012345000115/254/987";
  e.json = Json(R"({
    "type": "ObjectEvent",
    "eventID": "urn:uuid:e1",
    "action": "OBSERVE",
    "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"],
    "quantityList": [
      {"epcClass": "urn:epc:class:lgtin:0614141.077777.987", "quantity": 200, "uom": "KGM"}
    ],
    "readPoint": {"id": "urn:epc:id:sgln:4012345.00011.987", "example:zone": "A"},
    "example:myField": "Example",
    "example:count": "20",
    "example:when": "2013-06-08T14:58:56.591Z",
    "example:tags": ["a", "b"],
    "example:nested": {"example:inner": "deep", "example:deeper": {"example:level": 3}},
    "ilmd": {
      "cbvmda:lotNumber": "LOT1",
      "example:temperature": 24.5,
      "example:box": {"example:inner": "inIlmd"}
    },
    "sensorElementList": [{
      "sensorMetadata": {
        "time": "2019-04-02T13:05:00.000Z",
        "startTime": "2019-04-02T12:55:01.000Z",
        "endTime": "2019-04-02T13:55:00.000Z",
        "deviceID": "urn:epc:id:giai:4000001.111",
        "bizRules": "https://example.com/rules/1",
        "example:meta": "m"
      },
      "sensorReport": [
        {
          "type": "Temperature",
          "time": "2019-07-19T13:00:00.000Z",
          "value": 26, "minValue": 20, "maxValue": 30, "percRank": 50, "uom": "CEL",
          "stringValue": "SomeString",
          "booleanValue": true,
          "hexBinaryValue": "f0f0f0",
          "uriValue": "https://id.gs1.org/8004/4000001111",
          "microorganism": "https://www.ncbi.nlm.nih.gov/taxonomy/1126011",
          "chemicalSubstance": "https://identifiers.org/inchikey:CZMRCDWAGMRECN-UGDNZRGBSA-N",
          "dataProcessingMethod": "https://example.com/dpm/1",
          "example:reportExt": "r"
        },
        {"type": "gs1:AbsoluteHumidity", "value": 12.1, "uom": "A93"}
      ],
      "example:elementExt": "e"
    }]
  })");
  e.index = {
      {IndexKind::kEpc, "", "https://id.gs1.org/01/10614141073464/21/2017"},
      {IndexKind::kEpcClass, "", "https://id.gs1.org/01/00614141777778/10/987"},
      {IndexKind::kReadPoint, "", "https://id.gs1.org/414/4012345000115/254/987"},
      {IndexKind::kBizStep, "", "shipping"},
      {IndexKind::kDisposition, "", "in_transit"},
      {IndexKind::kBizTransaction, "po", "http://transaction.acme.com/po/12345678"},
      {IndexKind::kSource, "owning_party", "https://id.gs1.org/417/4012345002256"},
  };
  return e;
}

// An AggregationEvent with an error declaration; its extension field is stored with an expanded
// key and its destination type as a CBV Web URI.
Event AggregationEventWithErrorDeclaration() {
  Event e;
  e.event_id = "urn:uuid:e2";
  e.type = EventType::kAggregationEvent;
  e.event_time = Time("2006-01-01T00:00:00Z");
  e.record_time = Time("2020-02-01T00:00:00Z");
  e.action = "ADD";
  e.biz_step = "packing";
  e.biz_location = "https://id.gs1.org/414/4012345000115";
  e.error_declaration_time = Time("2006-11-07T14:00:00+01:00");
  e.json = Json(R"({
    "type": "AggregationEvent",
    "eventID": "urn:uuid:e2",
    "action": "ADD",
    "parentID": "urn:epc:id:sscc:4012345.0000000333",
    "childEPCs": ["https://id.gs1.org/01/10614141073464/21/2018"],
    "childQuantityList": [
      {"epcClass": "urn:epc:class:lgtin:0614141.077777.988", "quantity": 5}
    ],
    "{http://ns.example.com/epcis/}myField": "Other",
    "errorDeclaration": {
      "declarationTime": "2006-11-07T14:00:00+01:00",
      "reason": "incorrect_data",
      "correctiveEventIDs": ["urn:uuid:fix"],
      "example:why": "typo"
    }
  })");
  e.index = {
      {IndexKind::kParentId, "", "https://id.gs1.org/00/040123450000003338"},
      {IndexKind::kChildEpc, "", "https://id.gs1.org/01/10614141073464/21/2018"},
      {IndexKind::kChildEpcClass, "", "https://id.gs1.org/01/00614141777778/10/988"},
      {IndexKind::kBizLocation, "", "https://id.gs1.org/414/4012345000115"},
      {IndexKind::kDestination, "https://ref.gs1.org/cbv/SDT-location",
       "https://id.gs1.org/414/4012345000115"},
      {IndexKind::kErrorReason, "", "incorrect_data"},
      {IndexKind::kCorrectiveEventId, "", "urn:uuid:fix"},
  };
  return e;
}

// A TransformationEvent that carries its own @context, declaring the extension namespace under
// another prefix.
Event TransformationEventWithOwnContext() {
  Event e;
  e.event_id = "urn:uuid:e3";
  e.type = EventType::kTransformationEvent;
  e.event_time = Time("2007-01-01T00:00:00+07:00");
  e.record_time = Time("2020-03-01T00:00:00Z");
  e.biz_step = "https://example.com/steps/mixing";
  e.json = Json(R"({
    "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                 {"ex2": "http://ns.example.com/epcis/"}],
    "type": "TransformationEvent",
    "eventID": "urn:uuid:e3",
    "inputEPCList": ["urn:epc:id:sgtin:0614141.107346.2019"],
    "inputQuantityList": [
      {"epcClass": "https://id.gs1.org/01/00614141777778", "quantity": 3}
    ],
    "outputQuantityList": [
      {"epcClass": "urn:epc:class:lgtin:0614141.077777.987", "quantity": 12.5, "uom": "KGM"}
    ],
    "transformationID": "https://example.com/tx/1",
    "persistentDisposition": {"set": ["completeness_verified"]},
    "ex2:myField": "Example",
    "other:myField": "Example",
    "example:count": 5
  })");
  e.index = {
      {IndexKind::kInputEpc, "", "https://id.gs1.org/01/10614141073464/21/2019"},
      {IndexKind::kInputEpcClass, "", "https://id.gs1.org/01/00614141777778"},
      {IndexKind::kOutputEpcClass, "", "https://id.gs1.org/01/00614141777778/10/987"},
      {IndexKind::kTransformationId, "", "https://example.com/tx/1"},
      {IndexKind::kBizStep, "", "https://example.com/steps/mixing"},
      {IndexKind::kPersistentDispositionSet, "", "completeness_verified"},
  };
  return e;
}

struct MatchCase {
  QueryParams params;
  std::array<bool, 3> expected;  // for the three events above, in order
};

const MatchCase kMatchCases[] = {
    {{}, {true, true, true}},
    // eventType, times, action, vocabulary.
    {{{"eventType", "ObjectEvent"}}, {true, false, false}},
    {{{"eventType", "ObjectEvent|TransformationEvent"}}, {true, false, true}},
    {{{"GE_eventTime", "2005-04-04T02:33:31.116Z"}}, {true, true, true}},
    {{{"GE_eventTime", "2005-04-03T20:33:31.117-06:00"}}, {false, true, true}},
    {{{"LT_eventTime", "2005-04-03T20:33:31.116-06:00"}}, {false, false, false}},
    {{{"LT_eventTime", "2006-01-01T07:00:00+07:00"}}, {true, false, false}},
    {{{"GE_recordTime", "2020-02-01T00:00:00Z"}, {"LT_recordTime", "2020-03-01T00:00:00Z"}},
     {false, true, false}},
    {{{"EQ_action", "ADD"}}, {false, true, false}},
    {{{"EQ_action", "ADD|OBSERVE"}}, {true, true, false}},
    {{{"EQ_bizStep", "shipping"}}, {true, false, false}},
    {{{"EQ_bizStep", "urn:epcglobal:cbv:bizstep:packing"}}, {false, true, false}},
    {{{"EQ_bizStep", "https://ref.gs1.org/cbv/BizStep-shipping|packing"}}, {true, true, false}},
    {{{"EQ_bizStep", "https://example.com/steps/mixing"}}, {false, false, true}},
    {{{"EQ_bizStep", "steps:mixing"}}, {false, false, true}},
    {{{"EQ_disposition", "in_transit"}}, {true, false, false}},
    {{{"EQ_persistentDisposition_set", "completeness_verified"}}, {false, false, true}},
    {{{"EQ_persistentDisposition_unset", "completeness_verified"}}, {false, false, false}},
    // Locations: URN and Digital Link (any domain) of one GLN match; WD_ is EQ_ without
    // master data.
    {{{"EQ_readPoint", "urn:epc:id:sgln:4012345.00011.987"}}, {true, false, false}},
    {{{"EQ_readPoint", "https://example.com/414/4012345000115/254/987"}}, {true, false, false}},
    {{{"WD_readPoint", "urn:epc:id:sgln:4012345.00011.987"}}, {true, false, false}},
    {{{"EQ_bizLocation", "urn:epc:id:sgln:4012345.00011.0"}}, {false, true, false}},
    {{{"WD_bizLocation", "urn:epc:id:sgln:4012345.00011.987"}}, {false, false, false}},
    {{{"EQ_transformationID", "https://example.com/tx/1"}}, {false, false, true}},
    {{{"EQ_eventID", "urn:uuid:e2|urn:uuid:e3"}}, {false, true, true}},
    // MATCH_ on instances.
    {{{"MATCH_epc", "urn:epc:id:sgtin:0614141.107346.2017"}}, {true, false, false}},
    {{{"MATCH_epc", "https://id.gs1.org/01/10614141073464/21/2018"}}, {false, true, false}},
    {{{"MATCH_epc", "urn:epc:idpat:sgtin:0614141.107346.*"}}, {true, true, false}},
    {{{"MATCH_anyEPC", "urn:epc:idpat:sgtin:0614141.107346.*"}}, {true, true, true}},
    {{{"MATCH_anyEPC", "urn:epc:idpat:sgtin:0614141.*.*"}}, {true, true, true}},
    {{{"MATCH_anyEPC", "urn:epc:idpat:sgtin:0614142.*.*"}}, {false, false, false}},
    {{{"MATCH_anyEPC", "urn:epc:idpat:sgtin:*.*.*"}}, {true, true, true}},
    {{{"MATCH_anyEPC", "https://id.gs1.org/01/10614141073464"}}, {true, true, true}},
    {{{"MATCH_anyEPC", "urn:epc:idpat:sgtin:0614141.107346.2019"}}, {false, false, true}},
    {{{"MATCH_parentID", "urn:epc:id:sscc:4012345.0000000333"}}, {false, true, false}},
    {{{"MATCH_parentID", "urn:epc:idpat:sscc:4012345.*"}}, {false, true, false}},
    {{{"MATCH_anyEPC", "urn:epc:idpat:sscc:4012345.*|urn:epc:id:sgtin:0614141.107346.2017"}},
     {true, true, false}},
    {{{"MATCH_inputEPC", "urn:epc:id:sgtin:0614141.107346.2019"}}, {false, false, true}},
    {{{"MATCH_outputEPC", "urn:epc:id:sgtin:0614141.107346.2019"}}, {false, false, false}},
    // MATCH_ on classes: a GTIN pattern matches its lots and the GTIN class itself.
    {{{"MATCH_epcClass", "urn:epc:class:lgtin:0614141.077777.987"}}, {true, false, false}},
    {{{"MATCH_epcClass", "urn:epc:idpat:sgtin:0614141.077777.*"}}, {true, true, false}},
    {{{"MATCH_anyEPCClass", "urn:epc:idpat:sgtin:0614141.077777.*"}}, {true, true, true}},
    {{{"MATCH_outputEPCClass", "https://id.gs1.org/01/00614141777778/10/987"}},
     {false, false, true}},
    {{{"MATCH_inputEPCClass", "https://example.com/01/00614141777778"}}, {false, false, true}},
    {{{"MATCH_inputEPCClass", "urn:epc:idpat:sgtin:0614141.077777.*"}}, {false, false, true}},
    // Quantities: any element of any quantity list; with a unit, only elements in that unit.
    {{{"EQ_quantity", "200"}}, {true, false, false}},
    {{{"EQ_quantity", "200|5"}}, {true, true, false}},  // a list, as in query-schema.json
    {{{"GT_quantity", "10"}}, {true, false, true}},
    {{{"LT_quantity", "4"}}, {false, false, true}},
    // Each quantity parameter is checked on its own: 12.5 satisfies GE_, 3 satisfies LE_.
    {{{"GE_quantity", "5"}, {"LE_quantity", "5"}}, {false, true, true}},
    {{{"EQ_quantity_KGM", "12.5|200"}}, {true, false, true}},
    {{{"GT_quantity_KGM", "100"}}, {true, false, false}},
    {{{"EQ_quantity_KGM", "5"}}, {false, false, false}},
    // Error declarations.
    {{{"EXISTS_errorDeclaration", ""}}, {false, true, false}},
    {{{"EXISTS_errorDeclaration", "true"}}, {false, true, false}},
    {{{"EXISTS_errorDeclaration", "false"}}, {true, true, true}},
    {{{"GE_errorDeclarationTime", "2006-11-07T13:00:00Z"}}, {false, true, false}},
    {{{"LT_errorDeclarationTime", "2006-11-07T13:00:00Z"}}, {false, false, false}},
    {{{"EQ_errorReason", "incorrect_data"}}, {false, true, false}},
    {{{"EQ_errorReason", "urn:epcglobal:cbv:er:did_not_occur"}}, {false, false, false}},
    {{{"EQ_correctiveEventID", "urn:uuid:fix"}}, {false, true, false}},
    // Business transactions, sources and destinations, typed by bare word or URI.
    {{{"EQ_bizTransaction_po", "http://transaction.acme.com/po/12345678"}}, {true, false, false}},
    {{{"EQ_bizTransaction_urn:epcglobal:cbv:btt:po", "http://transaction.acme.com/po/12345678"}},
     {true, false, false}},
    {{{"EQ_bizTransaction_inv", "http://transaction.acme.com/po/12345678"}}, {false, false, false}},
    {{{"EQ_source_owning_party", "urn:epc:id:pgln:4012345.00225"}}, {true, false, false}},
    {{{"EQ_source_possessing_party", "urn:epc:id:pgln:4012345.00225"}}, {false, false, false}},
    {{{"EQ_destination_location", "urn:epc:id:sgln:4012345.00011.0"}}, {false, true, false}},
    // Extension fields: CURIE, expanded key, and a prefix of the event's own @context.
    {{{"EQ_example:myField", "Example"}}, {true, false, true}},
    {{{"EQ_example:myField", "Other"}}, {false, true, false}},
    {{{"EQ_example:myField", "Example|Other"}}, {true, true, true}},
    {{{"EXISTS_example:myField", ""}}, {true, true, true}},
    {{{"EXISTS_example:myField", "false"}}, {true, true, true}},
    {{{"EXISTS_example:absent", ""}}, {false, false, false}},
    {{{"EQ_example:count", "20.0"}}, {true, false, false}},
    {{{"GT_example:count", "10"}}, {true, false, false}},
    {{{"LT_example:count", "10"}}, {false, false, true}},
    {{{"GE_example:count", "5"}}, {true, false, true}},
    {{{"GT_example:when", "2013-06-08T14:00:00Z"}}, {true, false, false}},
    {{{"LT_example:when", "2013-06-08T16:58:56.591+02:00"}}, {false, false, false}},
    {{{"LE_example:when", "2013-06-08T16:58:56.591+02:00"}}, {true, false, false}},
    {{{"EQ_example:tags", "b"}}, {true, false, false}},
    {{{"EQ_example:inner", "deep"}}, {false, false, false}},
    {{{"EQ_INNER_example:inner", "deep"}}, {true, false, false}},
    {{{"EQ_INNER_example:level", "3"}}, {true, false, false}},
    {{{"EXISTS_INNER_example:myField", ""}}, {false, false, false}},
    {{{"EQ_ILMD_cbvmda:lotNumber", "LOT1"}}, {true, false, false}},
    {{{"GT_ILMD_example:temperature", "24"}}, {true, false, false}},
    {{{"EQ_ILMD_example:inner", "inIlmd"}}, {false, false, false}},
    {{{"EQ_INNER_ILMD_example:inner", "inIlmd"}}, {true, false, false}},
    {{{"EQ_ERROR_DECLARATION_example:why", "typo"}}, {false, true, false}},
    {{{"EQ_readPoint_example:zone", "A"}}, {true, false, false}},
    {{{"EQ_bizLocation_example:zone", "A"}}, {false, false, false}},
    {{{"EQ_SENSORMETADATA_example:meta", "m"}}, {true, false, false}},
    {{{"EQ_SENSORREPORT_example:reportExt", "r"}}, {true, false, false}},
    {{{"EQ_SENSORELEMENT_example:elementExt", "e"}}, {true, false, false}},
    {{{"EQ_SENSORELEMENT_example:meta", "m"}}, {false, false, false}},
    {{{"EQ_INNER_SENSORELEMENT_example:meta", "m"}}, {false, false, false}},
    // Sensor data.
    {{{"EXISTS_sensorElementList", ""}}, {true, false, false}},
    {{{"EQ_type", "Temperature"}}, {true, false, false}},
    {{{"EQ_type", "gs1:Temperature"}}, {true, false, false}},
    {{{"EQ_type", "AbsoluteHumidity"}}, {true, false, false}},
    {{{"EQ_type", "Speed"}}, {false, false, false}},
    {{{"GE_time", "2019-07-19T13:00:00Z"}}, {true, false, false}},
    {{{"GE_time", "2019-07-19T13:00:00.001Z"}}, {false, false, false}},
    {{{"LT_time", "2019-04-02T13:05:00.001Z"}}, {true, false, false}},
    {{{"GE_startTime", "2019-04-02T12:55:01Z"}, {"LT_endTime", "2019-04-02T13:55:00.001Z"}},
     {true, false, false}},
    {{{"LT_startTime", "2019-04-02T12:55:01Z"}}, {false, false, false}},
    {{{"EQ_deviceID", "https://id.gs1.org/8004/4000001111"}}, {true, false, false}},
    {{{"EQ_deviceID", "urn:epc:id:giai:4000001.111"}}, {true, false, false}},
    {{{"EQ_bizRules", "https://example.com/rules/1"}}, {true, false, false}},
    {{{"EQ_dataProcessingMethod", "https://example.com/dpm/1"}}, {true, false, false}},
    {{{"EQ_microorganism", "https://www.ncbi.nlm.nih.gov/taxonomy/1126011"}}, {true, false, false}},
    {{{"EQ_chemicalSubstance", "https://identifiers.org/inchikey:CZMRCDWAGMRECN-UGDNZRGBSA-N"}},
     {true, false, false}},
    {{{"EQ_uriValue", "urn:epc:id:giai:4000001.111"}}, {true, false, false}},
    {{{"EQ_stringValue", "SomeString"}}, {true, false, false}},
    {{{"EQ_stringValue", "somestring"}}, {false, false, false}},
    {{{"EQ_hexBinaryValue", "F0F0F0"}}, {true, false, false}},
    {{{"EQ_booleanValue", "true"}}, {true, false, false}},
    {{{"EQ_booleanValue", "false"}}, {false, false, false}},
    {{{"GE_percRank", "50"}}, {true, false, false}},
    {{{"GT_percRank", "50"}}, {false, false, false}},
    {{{"EQ_value_CEL", "26"}}, {true, false, false}},
    {{{"GT_value_CEL", "26"}}, {false, false, false}},
    {{{"GT_value_A93", "12"}}, {true, false, false}},
    {{{"GT_maxValue_CEL", "29"}}, {true, false, false}},
    {{{"LT_minValue_CEL", "20"}}, {false, false, false}},
    {{{"EQ_value_FAH", "26"}}, {false, false, false}},  // no unit conversion
    {{{"EQ_value_CEL", "25|26"}}, {true, false, false}},
    {{{"GE_minValue_CEL", "20"}, {"LE_maxValue_CEL", "30"}}, {true, false, false}},
    {{{"GT_minValue_CEL", "20"}}, {false, false, false}},
    {{{"GE_percValue_CEL", "1"}}, {false, false, false}},    // no percValue in the report
    {{{"LT_sDev_CEL", "1"}}, {false, false, false}},         // nor sDev
    {{{"LE_meanValue_CEL", "100"}}, {false, false, false}},  // nor meanValue
    {{{"EQ_type", "https://example.com/types/custom|Temperature"}}, {true, false, false}},
    // EXISTS_ and INNER_ in every scope.
    {{{"EXISTS_ILMD_cbvmda:lotNumber", ""}}, {true, false, false}},
    {{{"EXISTS_INNER_ILMD_example:inner", ""}}, {true, false, false}},
    {{{"EXISTS_ERROR_DECLARATION_example:why", ""}}, {false, true, false}},
    {{{"EXISTS_INNER_ERROR_DECLARATION_example:why", ""}}, {false, false, false}},
    {{{"EXISTS_SENSORELEMENT_example:elementExt", ""}}, {true, false, false}},
    {{{"EXISTS_SENSORMETADATA_example:meta", ""}}, {true, false, false}},
    {{{"EXISTS_SENSORREPORT_example:reportExt", ""}}, {true, false, false}},
    {{{"EQ_INNER_readPoint_example:zone", "A"}}, {false, false, false}},
    {{{"EQ_INNER_bizLocation_example:zone", "A"}}, {false, false, false}},
    {{{"GT_SENSORREPORT_example:reportExt", "1"}}, {false, false, false}},
    {{{"EQ_eventID", "urn:uuid:e1"}}, {true, false, false}},
    // AND across parameters; ordering, limits and pagination do not filter.
    {{{"eventType", "ObjectEvent"}, {"EQ_bizStep", "packing"}}, {false, false, false}},
    {{{"eventType", "AggregationEvent"}, {"EQ_bizStep", "packing"}}, {false, true, false}},
    {{{"orderBy", "eventTime"},
      {"orderDirection", "ASC"},
      {"eventCountLimit", "1"},
      {"perPage", "10"},
      {"nextPageToken", "abc"}},
     {true, true, true}},
};

TEST(EventQueryTest, MatchesTable) {
  const Event events[] = {ObjectEventWithEverything(), AggregationEventWithErrorDeclaration(),
                          TransformationEventWithOwnContext()};
  for (const MatchCase& c : kMatchCases) {
    std::string label;
    for (const auto& [name, value] : c.params) {
      label += name + "=" + value + "&";
    }
    core::Result<EventQuery> query = ParseEventQuery(c.params, kExtensions);
    ASSERT_TRUE(query.ok()) << label << ": " << query.error().ToString();
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(Matches(events[i], *query), c.expected[i]) << label << " on event " << i + 1;
    }
  }
}

struct InvalidCase {
  QueryParams params;
  core::ErrorCode code;
  std::string_view message;  // a fragment of the error message
};

const InvalidCase kInvalidCases[] = {
    {{{"foo", "1"}}, core::ErrorCode::kInvalidArgument, "foo: unknown query parameter"},
    {{{"EQ_foo", "1"}}, core::ErrorCode::kInvalidArgument, "EQ_foo: unknown query parameter"},
    {{{"MATCH_everything", "x:y"}}, core::ErrorCode::kInvalidArgument, "MATCH_everything: unknown"},
    {{{"EQ_bizStep", "shiping"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_bizStep: 'shiping' is not a CBV bizStep"},
    {{{"EQ_disposition", "lost"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_disposition: 'lost' is not a CBV disposition"},
    {{{"EQ_errorReason", "oops"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_errorReason: 'oops' is not a CBV error reason"},
    {{{"EQ_bizStep", ""}}, core::ErrorCode::kInvalidArgument, "EQ_bizStep: empty value"},
    {{{"EQ_bizStep", "shipping||receiving"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_bizStep: empty element"},
    {{{"EQ_bizStep", "shipping"}, {"EQ_bizStep", "receiving"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_bizStep: given more than once"},
    {{{"GE_eventTime", "2020-01-01"}},
     core::ErrorCode::kInvalidArgument,
     "GE_eventTime: expected an RFC 3339 date-time"},
    {{{"LT_recordTime", "2020-01-01T00:00:00"}},
     core::ErrorCode::kInvalidArgument,
     "LT_recordTime: expected an RFC 3339 date-time"},
    {{{"GE_eventTime", "2020-01-01T00:00:00Z|2021-01-01T00:00:00Z"}},
     core::ErrorCode::kInvalidArgument,
     "GE_eventTime: takes a single value"},
    {{{"eventType", "Foo"}}, core::ErrorCode::kInvalidArgument, "eventType: 'Foo' is not an event"},
    {{{"eventType", "https://example.com/MyEvent"}},
     core::ErrorCode::kUnsupported,
     "eventType: extension event type"},
    {{{"EQ_action", "add"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_action: expected ADD, OBSERVE or DELETE, got 'add'"},
    {{{"EQ_readPoint", "4012345000115"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_readPoint: expected a URI"},
    {{{"EQ_eventID", "e1"}}, core::ErrorCode::kInvalidArgument, "EQ_eventID: expected a URI"},
    {{{"EQ_quantity", "many"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_quantity: expected a number"},
    {{{"GT_quantity", "inf"}}, core::ErrorCode::kInvalidArgument, "GT_quantity: expected a number"},
    {{{"EQ_quantity", "1|many"}}, core::ErrorCode::kInvalidArgument, "EQ_quantity: expected a"},
    {{{"GT_quantity", "1|2"}}, core::ErrorCode::kInvalidArgument, "GT_quantity: takes a single"},
    {{{"EQ_quantity_kg", "1"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_quantity_kg: the unit must be a UN/ECE Rec 20 code"},
    {{{"GT_value_CEL", "hot"}},
     core::ErrorCode::kInvalidArgument,
     "GT_value_CEL: expected a number"},
    {{{"eventCountLimit", "5"}},
     core::ErrorCode::kInvalidArgument,
     "eventCountLimit: requires orderBy"},
    {{{"orderBy", "eventTime"}, {"eventCountLimit", "5"}, {"maxEventCount", "10"}},
     core::ErrorCode::kInvalidArgument,
     "eventCountLimit: cannot be combined with maxEventCount"},
    {{{"eventCountLimit", "-1"}, {"orderBy", "eventTime"}},
     core::ErrorCode::kInvalidArgument,
     "eventCountLimit: expected a non-negative integer"},
    {{{"maxEventCount", "99999999999"}},
     core::ErrorCode::kInvalidArgument,
     "maxEventCount: expected a non-negative integer"},
    {{{"orderBy", "quantity"}},
     core::ErrorCode::kInvalidArgument,
     "orderBy: 'quantity' is no longer an orderBy field"},
    {{{"orderBy", "bizStep"}},
     core::ErrorCode::kInvalidArgument,
     "orderBy: expected eventTime, recordTime or an extension field"},
    {{{"orderBy", "nope:temperature"}},
     core::ErrorCode::kInvalidArgument,
     "orderBy: namespace prefix 'nope' is not declared"},
    {{{"orderBy", "eventTime|recordTime"}},
     core::ErrorCode::kInvalidArgument,
     "orderBy: takes a single value"},
    {{{"orderDirection", "up"}},
     core::ErrorCode::kInvalidArgument,
     "orderDirection: expected ASC or DESC"},
    {{{"EXISTS_errorDeclaration", "maybe"}},
     core::ErrorCode::kInvalidArgument,
     "EXISTS_errorDeclaration: expected no value, true or false"},
    // Extension fields.
    {{{"EQ_unknown:field", "1"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_unknown:field: namespace prefix 'unknown' is not declared"},
    {{{"EQ_INNER_ILMD_nope:lot", "1"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_INNER_ILMD_nope:lot: namespace prefix 'nope' is not declared"},
    {{{"EQ_example:", "1"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_example:: the extension field must be written prefix:localName"},
    {{{"GT_example:count", "ten"}},
     core::ErrorCode::kInvalidArgument,
     "GT_example:count: expected a number or an RFC 3339 date-time"},
    {{{"GT_example:count", "1|2"}},
     core::ErrorCode::kInvalidArgument,
     "GT_example:count: takes a single value"},
    // Master data attributes.
    {{{"HASATTR_bizStep", "cbvmda:name"}},
     core::ErrorCode::kInvalidArgument,
     "HASATTR_bizStep: 'bizStep' is not a field whose values have master data"},
    {{{"HASATTR_example:myField", "cbvmda:name"}},
     core::ErrorCode::kUnsupported,
     "HASATTR_example:myField: master data is kept for the standard fields only"},
    {{{"HASATTR_readPoint", "name"}},
     core::ErrorCode::kInvalidArgument,
     "HASATTR_readPoint: 'name' is not an attribute name"},
    {{{"HASATTR_readPoint", "nope:name"}},
     core::ErrorCode::kInvalidArgument,
     "HASATTR_readPoint: namespace prefix 'nope' of attribute name 'nope:name' is not declared"},
    {{{"HASATTR_readPoint", ""}}, core::ErrorCode::kInvalidArgument, "HASATTR_readPoint: empty"},
    {{{"EQ_ATTR_bizLocation", "x"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_ATTR_bizLocation: expected EQ_ATTR_{field}_{attribute name}"},
    {{{"EQ_ATTR_bizLocation_", "x"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_ATTR_bizLocation_: expected EQ_ATTR_{field}_{attribute name}"},
    {{{"EQ_ATTR_disposition_cbvmda:name", "x"}},
     core::ErrorCode::kInvalidArgument,
     "'disposition' is not a field whose values have master data"},
    {{{"EQ_ATTR_bizLocation_cbvmda:sst", ""}},
     core::ErrorCode::kInvalidArgument,
     "EQ_ATTR_bizLocation_cbvmda:sst: empty value"},
    // Typed parameters.
    {{{"EQ_bizTransaction_foo", "urn:x:1"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_bizTransaction_foo: 'foo' is not a CBV bizTransaction type"},
    {{{"EQ_source_", "urn:x:1"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_source_: the source type is missing"},
    {{{"EQ_destination_owner", "urn:x:1"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_destination_owner: 'owner' is not a CBV destination type"},
    {{{"EQ_bizTransaction_po", "12345"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_bizTransaction_po: expected a URI"},
    // Identifiers and EPC patterns.
    {{{"MATCH_epc", "0614141.107346.2017"}},
     core::ErrorCode::kInvalidArgument,
     "MATCH_epc: expected a URI"},
    {{{"MATCH_epc", "urn:epc:id:sgtin:0614141.107346"}},
     core::ErrorCode::kInvalidArgument,
     "MATCH_epc: 'urn:epc:id:sgtin:0614141.107346' is not a valid EPC URN"},
    {{{"MATCH_epc", "urn:epc:idpat:sgtin:0614141.*.2017"}},
     core::ErrorCode::kInvalidArgument,
     "after a '*' every component must be '*'"},
    {{{"MATCH_epc", "urn:epc:idpat:sgtin:0614141.107346"}},
     core::ErrorCode::kInvalidArgument,
     "an sgtin pattern has 3 '.'-separated components"},
    {{{"MATCH_epc", "urn:epc:idpat:sgtin:0614141.107346.[1-9]"}},
     core::ErrorCode::kInvalidArgument,
     "ranges are not supported"},
    {{{"MATCH_anyEPC", "urn:epc:idpat:foo:1.2.*"}},
     core::ErrorCode::kInvalidArgument,
     "MATCH_anyEPC: 'urn:epc:idpat:foo:1.2.*': unknown EPC pattern scheme 'foo'"},
    {{{"MATCH_epc", "urn:epc:idpat:sgtin:12345.*.*"}},
     core::ErrorCode::kInvalidArgument,
     "the GS1 Company Prefix must be 6 to 12 digits"},
    {{{"MATCH_epc", "urn:epc:idpat:sgtin:0614141.10734.*"}},
     core::ErrorCode::kInvalidArgument,
     "is not a valid EPC pattern"},
    {{{"MATCH_epc", "urn:epc:idpat:upui:0614141.*.*"}},
     core::ErrorCode::kUnsupported,
     "MATCH_epc: 'urn:epc:idpat:upui:0614141.*.*': a UPUI pattern must give the GTIN"},
    // Sensor parameters.
    {{{"EQ_type", "Warmth"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_type: 'Warmth' is not a GS1 measurement type"},
    {{{"EQ_booleanValue", "yes"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_booleanValue: expected true or false"},
    {{{"EQ_hexBinaryValue", "xyz"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_hexBinaryValue: expected hexadecimal octets"},
    {{{"GE_percRank", "high"}},
     core::ErrorCode::kInvalidArgument,
     "GE_percRank: expected a number"},
    {{{"GE_time", "yesterday"}},
     core::ErrorCode::kInvalidArgument,
     "GE_time: expected an RFC 3339 date-time"},
    {{{"EQ_deviceID", "sensor-1"}},
     core::ErrorCode::kInvalidArgument,
     "EQ_deviceID: expected a URI"},
};

TEST(EventQueryTest, InvalidParametersTable) {
  for (const InvalidCase& c : kInvalidCases) {
    std::string label;
    for (const auto& [name, value] : c.params) {
      label += name + "=" + value + "&";
    }
    core::Result<EventQuery> query = ParseEventQuery(c.params, kExtensions);
    ASSERT_FALSE(query.ok()) << label;
    EXPECT_EQ(query.error().code, c.code) << label << ": " << query.error().ToString();
    EXPECT_NE(query.error().message.find(c.message), std::string::npos)
        << label << ": got \"" << query.error().message << "\", expected it to contain \""
        << c.message << "\"";
  }
}

struct PatternCase {
  std::string_view pattern;
  std::vector<IdMatch> expected;
};

std::vector<IdMatch> LeadDigitPrefixes(std::string_view stem, std::string_view company) {
  std::vector<IdMatch> out;
  for (char d = '0'; d <= '9'; ++d) {
    out.push_back({std::string(stem) + d + std::string(company), true});
  }
  return out;
}

TEST(EventQueryTest, EpcPatternsBecomeCanonicalPrefixes) {
  const PatternCase cases[] = {
      {"urn:epc:idpat:sgtin:0614141.107346.2017",
       {{"https://id.gs1.org/01/10614141073464/21/2017", false}}},
      {"urn:epc:idpat:sgtin:0614141.107346.*", {{"https://id.gs1.org/01/10614141073464/", true}}},
      {"urn:epc:idpat:sgtin:0614141.*.*", LeadDigitPrefixes("https://id.gs1.org/01/", "0614141")},
      {"urn:epc:idpat:sgtin:*.*.*", {{"https://id.gs1.org/01/", true}}},
      {"urn:epc:idpat:sscc:4012345.*", LeadDigitPrefixes("https://id.gs1.org/00/", "4012345")},
      {"urn:epc:idpat:sgln:4012345.00011.*", {{"https://id.gs1.org/414/4012345000115/", true}}},
      {"urn:epc:idpat:sgln:4012345.*.*", {{"https://id.gs1.org/414/4012345", true}}},
      {"urn:epc:idpat:grai:0614141.12345.*", {{"https://id.gs1.org/8003/00614141123452", true}}},
      {"urn:epc:idpat:grai:0614141.*.*", {{"https://id.gs1.org/8003/00614141", true}}},
      {"urn:epc:idpat:giai:4000001.*", {{"https://id.gs1.org/8004/4000001", true}}},
      {"urn:epc:idpat:pgln:4012345.*", {{"https://id.gs1.org/417/4012345", true}}},
      {"urn:epc:idpat:gid:95100000.12345.*", {{"urn:epc:id:gid:95100000.12345.", true}}},
      {"urn:epc:idpat:gid:*.*.*", {{"urn:epc:id:gid:", true}}},
      {"https://id.gs1.org/01/10614141073464", {{"https://id.gs1.org/01/10614141073464/", true}}},
      {"urn:epc:id:sgtin:0614141.107346.2017",
       {{"https://id.gs1.org/01/10614141073464/21/2017", false}}},
  };
  for (const PatternCase& c : cases) {
    core::Result<EventQuery> query =
        ParseEventQuery({{"MATCH_anyEPC", std::string(c.pattern)}}, kExtensions);
    ASSERT_TRUE(query.ok()) << c.pattern << ": " << query.error().ToString();
    EXPECT_EQ(query->match_any_epc, c.expected) << c.pattern;
  }
}

TEST(EventQueryTest, ParsesOrderingAndLimits) {
  core::Result<EventQuery> defaults = ParseEventQuery({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->order_by, OrderBy::kNone);
  EXPECT_TRUE(defaults->descending);
  EXPECT_FALSE(defaults->event_count_limit.has_value());
  EXPECT_FALSE(defaults->max_event_count.has_value());

  core::Result<EventQuery> q = ParseEventQuery({{"orderBy", "recordTime"},
                                                {"orderDirection", "ASC"},
                                                {"eventCountLimit", "7"},
                                                {"perPage", "30"}});
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  EXPECT_EQ(q->order_by, OrderBy::kRecordTime);
  EXPECT_FALSE(q->descending);
  EXPECT_EQ(q->event_count_limit, 7);

  core::Result<EventQuery> m = ParseEventQuery({{"maxEventCount", "0"}});
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->max_event_count, 0);
}

TEST(EventQueryTest, ParsesOrderByExtensionField) {
  core::Result<EventQuery> q =
      ParseEventQuery({{"orderBy", "example:temperature"}, {"orderDirection", "ASC"}}, kExtensions);
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  EXPECT_EQ(q->order_by, OrderBy::kExtensionField);
  EXPECT_EQ(q->order_field, "{http://ns.example.com/epcis/}temperature");
  EXPECT_EQ(q->order_field_prefix, "example");
  EXPECT_FALSE(q->descending);

  core::Result<EventQuery> iri =
      ParseEventQuery({{"orderBy", "http://ns.example.com/epcis/temperature"}}, kExtensions);
  ASSERT_TRUE(iri.ok()) << iri.error().ToString();
  EXPECT_EQ(iri->order_field, "{http://ns.example.com/epcis/}temperature");
  EXPECT_EQ(iri->order_field_prefix, "");
  EXPECT_TRUE(iri->descending);

  core::Result<EventQuery> urn = ParseEventQuery({{"orderBy", "urn:example:fields:rank"}});
  ASSERT_TRUE(urn.ok()) << urn.error().ToString();
  EXPECT_EQ(urn->order_field, "{urn:example:fields:}rank");

  // An extension field is an orderBy as good as eventTime for eventCountLimit.
  EXPECT_TRUE(
      ParseEventQuery({{"orderBy", "example:rank"}, {"eventCountLimit", "1"}}, kExtensions).ok());
}

// Events with `value` under example:rank (or, for a null `value`, without it).
Event RankedEvent(std::string_view key, boost::json::value value) {
  Event e;
  e.event_id = "urn:uuid:ranked";
  e.json = Json(R"({"type": "ObjectEvent"})");
  if (!value.is_null()) {
    e.json[key] = std::move(value);
  }
  return e;
}

TEST(EventQueryTest, ExtensionOrderKeys) {
  core::Result<EventQuery> q = ParseEventQuery({{"orderBy", "example:rank"}}, kExtensions);
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  using Kind = OrderKey::Kind;
  const OrderKey number = ExtensionOrderKey(RankedEvent("example:rank", 2.5), *q);
  EXPECT_EQ(number.kind, Kind::kNumber);
  EXPECT_EQ(number.number, 2.5);
  // The full IRI, or another prefix the event's own context binds to the namespace, names it
  // too.
  EXPECT_EQ(ExtensionOrderKey(RankedEvent("http://ns.example.com/epcis/rank", 7), *q).number, 7);
  Event own = RankedEvent("ex2:rank", -1);
  own.json["@context"] = Json(R"({"ex2": "http://ns.example.com/epcis/"})");
  EXPECT_EQ(ExtensionOrderKey(own, *q).number, -1);
  const OrderKey time =
      ExtensionOrderKey(RankedEvent("example:rank", "2025-01-01T07:00:00+07:00"), *q);
  EXPECT_EQ(time.kind, Kind::kTime);
  EXPECT_EQ(time.time, Time("2025-01-01T00:00:00Z").unix_nanos());
  const OrderKey text = ExtensionOrderKey(RankedEvent("example:rank", "B-12"), *q);
  EXPECT_EQ(text.kind, Kind::kString);
  EXPECT_EQ(text.text, "B-12");
  EXPECT_EQ(ExtensionOrderKey(RankedEvent("example:rank", nullptr), *q).kind, Kind::kMissing);
  EXPECT_EQ(ExtensionOrderKey(RankedEvent("example:rank", true), *q).kind, Kind::kMissing);
  EXPECT_EQ(ExtensionOrderKey(RankedEvent("example:rank", boost::json::array{1}), *q).kind,
            Kind::kMissing);
  EXPECT_EQ(ExtensionOrderKey(RankedEvent("other:rank", 1), *q).kind, Kind::kMissing);
}

TEST(EventQueryTest, OrderKeysSortNumbersTimesStringsThenMissing) {
  auto number = [](double n) {
    OrderKey k;
    k.kind = OrderKey::Kind::kNumber;
    k.number = n;
    return k;
  };
  auto time = [](std::int64_t t) {
    OrderKey k;
    k.kind = OrderKey::Kind::kTime;
    k.time = t;
    return k;
  };
  auto text = [](std::string t) {
    OrderKey k;
    k.kind = OrderKey::Kind::kString;
    k.text = std::move(t);
    return k;
  };
  const OrderKey missing;
  // Ascending: each before the next.
  const std::vector<OrderKey> ascending = {number(-3), number(2), number(10), time(5),
                                           time(9),    text("B"), text("a"),  text("\xc3\xa1")};
  for (std::size_t i = 0; i < ascending.size(); ++i) {
    for (std::size_t j = 0; j < ascending.size(); ++j) {
      EXPECT_EQ(OrderKeyPrecedes(ascending[i], ascending[j], false), i < j) << i << " " << j;
      EXPECT_EQ(OrderKeyPrecedes(ascending[i], ascending[j], true), i > j) << i << " " << j;
    }
    // Missing keys come last in both directions.
    EXPECT_TRUE(OrderKeyPrecedes(ascending[i], missing, false));
    EXPECT_TRUE(OrderKeyPrecedes(ascending[i], missing, true));
    EXPECT_FALSE(OrderKeyPrecedes(missing, ascending[i], false));
    EXPECT_FALSE(OrderKeyPrecedes(missing, ascending[i], true));
  }
  EXPECT_FALSE(OrderKeyPrecedes(missing, missing, false));
}

TEST(EventQueryTest, ParsesMasterDataConditions) {
  core::Result<EventQuery> q = ParseEventQuery(
      {{"HASATTR_bizLocation", "cbvmda:sst|urn:epcglobal:cbv:mda#ssa|example:owner"},
       {"EQ_ATTR_readPoint_cbvmda:name", "Kho 1|Kho 2"},
       {"EQ_ATTR_quantityList_https://example.com/md/grade", "A"},
       {"WD_bizLocation", "urn:epc:id:sgln:4012345.00011.0"}},
      kExtensions);
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  ASSERT_EQ(q->attribute_conditions.size(), 3u);
  const AttributeCondition& has = q->attribute_conditions[0];
  EXPECT_EQ(has.parameter, "HASATTR_bizLocation");
  EXPECT_EQ(has.field, MasterDataField::kBizLocation);
  EXPECT_FALSE(has.equals);
  EXPECT_EQ(has.attributes,
            (std::vector<std::string>{"urn:epcglobal:cbv:mda:sst", "urn:epcglobal:cbv:mda:ssa",
                                      "http://ns.example.com/epcis/owner"}));
  const AttributeCondition& eq = q->attribute_conditions[1];
  EXPECT_EQ(eq.field, MasterDataField::kReadPoint);
  EXPECT_TRUE(eq.equals);
  EXPECT_EQ(eq.attributes, (std::vector<std::string>{"urn:epcglobal:cbv:mda:name"}));
  EXPECT_EQ(eq.values, (std::vector<std::string>{"Kho 1", "Kho 2"}));
  EXPECT_EQ(q->attribute_conditions[2].field, MasterDataField::kQuantityList);
  EXPECT_EQ(q->attribute_conditions[2].attributes,
            (std::vector<std::string>{"https://example.com/md/grade"}));
  EXPECT_EQ(q->wd_biz_location, (std::vector<std::string>{"https://id.gs1.org/414/4012345000115"}));
  EXPECT_TRUE(NeedsMasterData(*q));
  EXPECT_FALSE(NeedsMasterData(*ParseEventQuery({{"EQ_bizLocation", "urn:x:1"}})));
  EXPECT_EQ(VocabularyTypeOf(MasterDataField::kReadPoint), kReadPointVocabulary);
  EXPECT_EQ(VocabularyTypeOf(MasterDataField::kBizLocation), kBusinessLocationVocabulary);
  EXPECT_EQ(VocabularyTypeOf(MasterDataField::kChildEpcs), kEpcInstanceVocabulary);
  EXPECT_EQ(VocabularyTypeOf(MasterDataField::kOutputQuantityList), kEpcClassVocabulary);
  EXPECT_EQ(IndexKindOf(MasterDataField::kInputQuantityList), IndexKind::kInputEpcClass);
  EXPECT_EQ(IndexKindOf(MasterDataField::kParentId), IndexKind::kParentId);
}

// Master data held in memory, counting the reads.
class FakeMasterData final : public MasterDataReader {
 public:
  void Child(std::string_view type, std::string parent, std::string child) {
    children_[{std::string(type), std::move(parent)}].push_back(std::move(child));
  }
  void Attribute(std::string_view type, std::string element, std::string attribute,
                 boost::json::value value) {
    attributes_.push_back({std::string(type), std::move(attribute),
                           AttributeValue{std::move(element), std::move(value)}});
  }
  core::Result<std::vector<std::string>> Children(std::string_view type,
                                                  std::string_view id) override {
    ++reads;
    auto it = children_.find({std::string(type), std::string(id)});
    return it == children_.end() ? std::vector<std::string>() : it->second;
  }
  core::Result<std::vector<AttributeValue>> AttributeValues(std::string_view type,
                                                            std::string_view attribute) override {
    ++reads;
    std::vector<AttributeValue> out;
    for (const auto& [t, a, v] : attributes_) {
      if (t == type && a == attribute) out.push_back(v);
    }
    return out;
  }
  int reads = 0;

 private:
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> children_;
  std::vector<std::tuple<std::string, std::string, AttributeValue>> attributes_;
};

constexpr std::string_view kSite = "https://id.gs1.org/414/4012345000115";
constexpr std::string_view kDock = "https://id.gs1.org/414/4012345000115/254/1";
constexpr std::string_view kDoor = "https://id.gs1.org/414/4012345000115/254/2";
constexpr std::string_view kOther = "https://id.gs1.org/414/4012345000122";

Event EventAt(std::string_view read_point, std::string_view biz_location) {
  Event e;
  e.event_id = "urn:uuid:at";
  e.read_point = std::string(read_point);
  e.biz_location = std::string(biz_location);
  return e;
}

TEST(EventQueryTest, WithDescendantsFollowsChildrenTransitivelyAndSurvivesCycles) {
  FakeMasterData md;
  md.Child(kBusinessLocationVocabulary, std::string(kSite), std::string(kDock));
  md.Child(kBusinessLocationVocabulary, std::string(kDock), std::string(kDoor));
  md.Child(kBusinessLocationVocabulary, std::string(kDoor), std::string(kSite));  // a cycle
  md.Child(kReadPointVocabulary, std::string(kOther), std::string(kDock));  // another vocabulary
  core::Result<EventQuery> q = ParseEventQuery({{"WD_bizLocation", std::string(kSite)}});
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  // Unresolved: the location itself only.
  EXPECT_TRUE(Matches(EventAt("", kSite), *q));
  EXPECT_FALSE(Matches(EventAt("", kDoor), *q));
  ASSERT_TRUE(ResolveMasterData(*q, md).ok());
  EXPECT_EQ(q->master_data.wd_biz_location,
            (std::vector<std::string>{std::string(kSite), std::string(kDock), std::string(kDoor)}));
  EXPECT_EQ(md.reads, 3);  // each element read once, the cycle back to the site not followed
  EXPECT_TRUE(Matches(EventAt("", kSite), *q));
  EXPECT_TRUE(Matches(EventAt("", kDock), *q));
  EXPECT_TRUE(Matches(EventAt("", kDoor), *q));
  EXPECT_FALSE(Matches(EventAt("", kOther), *q));
  EXPECT_FALSE(Matches(EventAt(kDoor, ""), *q));  // readPoint is another field

  core::Result<EventQuery> rp = ParseEventQuery({{"WD_readPoint", std::string(kOther)}});
  ASSERT_TRUE(rp.ok());
  ASSERT_TRUE(ResolveMasterData(*rp, md).ok());
  EXPECT_TRUE(Matches(EventAt(kDock, ""), *rp));
  EXPECT_FALSE(Matches(EventAt(kDoor, ""), *rp));  // the BusinessLocation hierarchy is not used

  core::Result<EventQuery> big = ParseEventQuery({{"WD_bizLocation", std::string(kSite)}});
  ASSERT_TRUE(big.ok());
  core::Status too_many = ResolveMasterData(*big, md, /*max_elements=*/2);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code, core::ErrorCode::kResourceExhausted);
  EXPECT_NE(too_many.error().message.find("WD_bizLocation"), std::string::npos);
}

TEST(EventQueryTest, AttributeConditionsMatchTheElementsResolved) {
  FakeMasterData md;
  md.Attribute(kBusinessLocationVocabulary, std::string(kSite), "urn:epcglobal:cbv:mda:sst", "201");
  md.Attribute(kBusinessLocationVocabulary, std::string(kDock), "urn:epcglobal:cbv:mda:sst", "202");
  md.Attribute(kBusinessLocationVocabulary, std::string(kDock), "urn:epcglobal:cbv:mda:name",
               nullptr);
  md.Attribute(kReadPointVocabulary, std::string(kOther), "urn:epcglobal:cbv:mda:sst", "201");
  md.Attribute(kEpcClassVocabulary, "https://id.gs1.org/01/00614141777778/10/987",
               "http://ns.example.com/epcis/grade", 3);
  md.Attribute(kEpcInstanceVocabulary, "https://id.gs1.org/01/10614141073464/21/2017",
               "http://ns.example.com/epcis/owner", "HTX");

  struct Case {
    QueryParams params;
    Event event;
    bool expected;
  };
  Event with_class;
  with_class.index = {{IndexKind::kEpcClass, "", "https://id.gs1.org/01/00614141777778/10/987"}};
  Event with_epc;
  with_epc.index = {{IndexKind::kEpc, "", "https://id.gs1.org/01/10614141073464/21/2017"}};
  Event with_child = with_epc;
  with_child.index[0].kind = IndexKind::kChildEpc;
  const Case cases[] = {
      {{{"HASATTR_bizLocation", "cbvmda:sst"}}, EventAt("", kSite), true},
      {{{"HASATTR_bizLocation", "cbvmda:sst"}}, EventAt("", kDock), true},
      {{{"HASATTR_bizLocation", "cbvmda:sst"}}, EventAt("", kOther), false},
      {{{"HASATTR_bizLocation", "cbvmda:sst"}}, EventAt("", ""), false},
      {{{"HASATTR_bizLocation", "cbvmda:name"}}, EventAt("", kDock), false},  // null value
      {{{"HASATTR_bizLocation", "cbvmda:name|cbvmda:sst"}}, EventAt("", kDock), true},
      {{{"HASATTR_readPoint", "cbvmda:sst"}}, EventAt(kOther, ""), true},
      {{{"HASATTR_readPoint", "cbvmda:sst"}}, EventAt(kSite, ""), false},
      {{{"EQ_ATTR_bizLocation_cbvmda:sst", "201"}}, EventAt("", kSite), true},
      {{{"EQ_ATTR_bizLocation_urn:epcglobal:cbv:mda#sst", "202|203"}}, EventAt("", kDock), true},
      {{{"EQ_ATTR_bizLocation_cbvmda:sst", "202"}}, EventAt("", kSite), false},
      {{{"EQ_ATTR_quantityList_example:grade", "3.0"}}, with_class, true},
      {{{"EQ_ATTR_quantityList_example:grade", "4"}}, with_class, false},
      {{{"EQ_ATTR_childQuantityList_example:grade", "3"}}, with_class, false},
      {{{"HASATTR_epcList", "example:owner"}}, with_epc, true},
      {{{"HASATTR_epcList", "example:owner"}}, with_child, false},
      {{{"HASATTR_childEPCs", "example:owner"}}, with_child, true},
      {{{"EQ_ATTR_epcList_example:owner", "htx"}}, with_epc, false},
      // Both conditions must hold.
      {{{"HASATTR_bizLocation", "cbvmda:sst"}, {"EQ_ATTR_bizLocation_cbvmda:sst", "202"}},
       EventAt("", kSite),
       false},
  };
  for (const Case& c : cases) {
    std::string label;
    for (const auto& [name, value] : c.params) label += name + "=" + value + "&";
    core::Result<EventQuery> q = ParseEventQuery(c.params, kExtensions);
    ASSERT_TRUE(q.ok()) << label << ": " << q.error().ToString();
    EXPECT_FALSE(Matches(c.event, *q)) << label << ": unresolved conditions hold for nothing";
    ASSERT_TRUE(ResolveMasterData(*q, md).ok()) << label;
    EXPECT_EQ(Matches(c.event, *q), c.expected) << label;
  }
}

TEST(EventQueryTest, ParsesExtensionFieldConditions) {
  core::Result<EventQuery> q = ParseEventQuery({{"EQ_INNER_ILMD_example:lot", "A|B"},
                                                {"GE_ERROR_DECLARATION_example:level", "3"},
                                                {"EXISTS_example:flag", ""},
                                                {"EXISTS_example:ignored", "false"},
                                                {"EQ_ILMD_cbvmda:lotNumber", "LOT1"}},
                                               kExtensions);
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  ASSERT_EQ(q->fields.size(), 4u);
  EXPECT_EQ(q->fields[0].scope, FieldCondition::Scope::kIlmd);
  EXPECT_TRUE(q->fields[0].inner);
  EXPECT_EQ(q->fields[0].name, "{http://ns.example.com/epcis/}lot");
  EXPECT_EQ(q->fields[0].prefix, "example");
  EXPECT_EQ(q->fields[0].op, Comparison::kEq);
  EXPECT_EQ(q->fields[0].values, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(q->fields[1].scope, FieldCondition::Scope::kErrorDeclaration);
  EXPECT_FALSE(q->fields[1].inner);
  EXPECT_EQ(q->fields[1].op, Comparison::kGe);
  EXPECT_EQ(q->fields[2].op, Comparison::kExists);
  EXPECT_TRUE(q->fields[2].values.empty());
  EXPECT_EQ(q->fields[3].name, "{urn:epcglobal:cbv:mda:}lotNumber");
}

TEST(EventQueryTest, CanonicalisesVocabularyAndTypedValues) {
  core::Result<EventQuery> q = ParseEventQuery(
      {{"EQ_bizStep", "urn:epcglobal:cbv:bizstep:shipping|https://ref.gs1.org/cbv/BizStep-packing"},
       {"EQ_bizTransaction_urn:epcglobal:cbv:btt:po", "urn:epc:id:gdti:0614141.00001.1618034"},
       {"EQ_source_owning_party", "urn:epc:id:pgln:4012345.00225"}},
      kExtensions);
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  EXPECT_EQ(q->eq_biz_step, (std::vector<std::string>{"shipping", "packing"}));
  ASSERT_EQ(q->eq_biz_transaction.size(), 1u);
  EXPECT_EQ(q->eq_biz_transaction[0].type, "po");
  ASSERT_EQ(q->eq_source.size(), 1u);
  EXPECT_EQ(q->eq_source[0].type, "owning_party");
  EXPECT_EQ(q->eq_source[0].values,
            (std::vector<std::string>{"https://id.gs1.org/417/4012345002256"}));
}

}  // namespace
}  // namespace vntrace::epcis
