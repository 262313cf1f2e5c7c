#include "epcis/document.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/test_support.hpp"
#include "core/time.hpp"
#include "epcis/event.hpp"
#include "epcis/event_hash.hpp"
#include "epcis/master_data.hpp"
#include "epcis/query.hpp"
#include "gs1/epc_urn.hpp"

namespace vntrace::epcis {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

core::Timestamp Time(std::string_view text) {
  core::Result<core::Timestamp> t = core::ParseRfc3339(text);
  EXPECT_TRUE(t.ok()) << text;
  return t.ok() ? *t : core::Timestamp();
}

DecodeOptions Options() {
  DecodeOptions options;
  options.record_time = Time("2025-01-02T03:04:05.678Z");
  return options;
}

std::string IssuesText(const DecodeResult& r) {
  std::string out;
  for (const ValidationIssue& i : r.issues) out += "\n  " + i.ToString();
  return out;
}

// The number of events a document holds, read without the codec.
std::size_t EventCount(const json::value& doc) {
  const json::object& o = doc.as_object();
  const std::string_view type = o.at("type").as_string();
  if (type == "EPCISDocument") return o.at("epcisBody").at("eventList").as_array().size();
  if (type == "EPCISQueryDocument") {
    return o.at("epcisBody").at("queryResults").at("resultsBody").at("eventList").as_array().size();
  }
  return 1;
}

std::vector<fs::path> JsonFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".json" || ext == ".jsonld")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool HasIssue(const DecodeResult& r, int event_index, std::string_view field,
              std::string_view message_part = {}) {
  return std::any_of(r.issues.begin(), r.issues.end(), [&](const ValidationIssue& i) {
    return i.event_index == event_index && i.field == field &&
           i.message.find(message_part) != std::string::npos;
  });
}

// ---- Conformance ----------------------------------------------------------------------------

// Every GS1 EPCIS 2.0 JSON example passes GS1's JSON schema (checked with a draft-07 validator,
// date-time formats included), so every one must decode without an issue.
TEST(DocumentConformance, Gs1ExamplesDecode) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  int files = 0;
  std::size_t events = 0;
  for (const fs::path& file : JsonFiles(conformance / "epcis/JSON")) {
    SCOPED_TRACE(file.string());
    const std::string text = testing::ReadFileOrEmpty(file);
    const DecodeResult r = DecodeDocument(text, Options());
    EXPECT_TRUE(r.issues.empty()) << IssuesText(r);
    EXPECT_EQ(r.events.size(), EventCount(json::parse(text)));
    ++files;
    events += r.events.size();
  }
  EXPECT_GE(files, 47);
  EXPECT_GE(events, 50u);
}

// Each OpenEPCIS document under an Invalid/ folder, with the issue that must name its fault.
struct InvalidCase {
  std::string_view file;  // under openepcis-test-resources/2.0/EPCIS/JSON/
  int event_index;
  std::string_view field;
};

constexpr InvalidCase kInvalidCases[] = {
    {"Capture/Invalid/Combination_of_events_with_missing_mandatory_fields.json", 0, "action"},
    {"Capture/Invalid/Combination_of_events_with_missing_mandatory_fields.json", 1,
     "eventTimeZoneOffset"},
    {"Capture/Invalid/Combination_of_events_with_missing_mandatory_fields.json", 1, "action"},
    {"Capture/Invalid/Combination_of_multiple_invalid_fields.json", 0, "bizStep"},
    {"Capture/Invalid/Combination_of_multiple_invalid_fields.json", 1, "disposition"},
    {"Capture/Invalid/Combination_of_multiple_invalid_fields.json", 2, "sourceList[0].type"},
    {"Capture/Invalid/Combination_of_multiple_invalid_fields.json", 3, "ilmd.materialType"},
    {"Capture/Invalid/Combination_of_multiple_invalid_fields.json", 4, "eventTime"},
    {"Capture/Invalid/Combination_of_multiple_invalid_fields.json", 4, "action"},
    {"Capture/Invalid/Combination_of_non_standard_bizStep_and_disposition.json", 0, "bizStep"},
    {"Capture/Invalid/Combination_of_non_standard_bizStep_and_disposition.json", 1, "disposition"},
    {"Capture/Invalid/EPCISDocument_without_context.json", -1, "@context"},
    {"Capture/Invalid/ObjectEvent_with_ilmd_field_without_namespace.json", 0, "ilmd.materialType"},
    {"Capture/Invalid/ObjectEvent_with_invalid_action.json", 0, "action"},
    {"Capture/Invalid/ObjectEvent_with_invalid_certificationInfo.json", 0, "certificationInfo[0]"},
    {"Capture/Invalid/ObjectEvent_with_invalid_eventTime_format.json", 0, "eventTime"},
    {"Capture/Invalid/ObjectEvent_with_non_standard_bizStep.json", 0, "bizStep"},
    {"Capture/Invalid/ObjectEvent_with_non_standard_bizStep_in_second_event.json", 1, "bizStep"},
    {"Capture/Invalid/ObjectEvent_with_non_standard_disposition.json", 0, "disposition"},
    {"Capture/Invalid/ObjectEvent_with_quantity_as_text.json", 0, "quantityList[0].quantity"},
    {"Capture/Invalid/ObjectEvent_with_unknown_field_in_quantityList.json", 0,
     "quantityList[0].weight"},
    {"Capture/Invalid/ObjectEvent_without_action_and_eventTime.json", 0, "action"},
    {"Capture/Invalid/ObjectEvent_without_action_and_eventTime.json", 0, "eventTime"},
    {"Capture/Invalid/ObjectEvent_without_identifier_list.json", 0, "epcList"},
    {"Query/Invalid/QueryDocument_with_invalid_action.json", 0, "action"},
    {"Query/Invalid/QueryDocument_with_invalid_eventType.json", 0, "type"},
    // Named-query bodies, not EPCIS documents at all.
    {"Query/Queries/Invalid/Query_with_invalid_values.json", -1, "type"},
    {"Query/Queries/Invalid/Query_with_unknown_parameter.json", -1, "type"},
};

TEST(DocumentConformance, OpenEpcisInvalidDocumentsAreRefused) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  const fs::path base = conformance / "openepcis-test-resources/2.0/EPCIS/JSON";
  std::set<std::string> covered;
  for (const InvalidCase& c : kInvalidCases) {
    SCOPED_TRACE(std::string(c.file));
    const DecodeResult r = DecodeDocument(testing::ReadFileOrEmpty(base / c.file), Options());
    EXPECT_TRUE(r.events.empty());
    EXPECT_TRUE(HasIssue(r, c.event_index, c.field))
        << "expected an issue at event " << c.event_index << ", " << c.field << IssuesText(r);
    for (const ValidationIssue& i : r.issues) EXPECT_FALSE(i.message.empty());
    covered.insert(std::string(c.file));
  }
  // Every file under an Invalid/ folder is refused, and the table names all of them.
  int invalid = 0;
  for (const fs::path& file : JsonFiles(base)) {
    const std::string relative = fs::relative(file, base).generic_string();
    if (relative.find("/Invalid/") == std::string::npos) continue;
    SCOPED_TRACE(relative);
    ++invalid;
    EXPECT_TRUE(covered.contains(relative));
    const DecodeResult r = DecodeDocument(testing::ReadFileOrEmpty(file), Options());
    EXPECT_FALSE(r.issues.empty());
    EXPECT_TRUE(r.events.empty());
  }
  EXPECT_EQ(invalid, 19);
}

// Documents OpenEPCIS files as valid that GS1's EPCIS 2.0 JSON schema refuses, with the issues
// that must name each fault. Queries answer with the events as captured, so these are refused.
struct SchemaRefusedCase {
  std::string_view file;  // under openepcis-test-resources/2.0/EPCIS/JSON/
  int event_index;
  std::string_view field;
  std::string_view message_part;
};

constexpr SchemaRefusedCase kSchemaRefusedCases[] = {
    {"Capture/Documents/AggregationEvent_with_persistentDisposition.json", 1,
     "persistentDisposition", "not a field of AggregationEvent"},
    {"Capture/Documents/SensorData_with_combined_events.json", 7,
     "sensorElementList[0].sensorReport[1].type", "Molar_concentration"},
    {"Capture/Documents/SensorData_with_combined_events.json", 8,
     "sensorElementList[0].sensorReport[0].type", "required"},
    {"Capture/Documents/SensorData_with_combined_events.json", 10,
     "sensorElementList[0].sensorReport[0].type", "gs1:EffectiveDoseRate"},
    {"Capture/Documents/TransactionEvent_with_userExtensions.json", 0,
     "sensorElementList[0].sensorReport[0].type", "gs1:EffectiveDoseRate"},
    {"Query/SensorData_with_combined_events.json", 8, "sensorElementList[0].sensorReport[0].type",
     "required"},
    {"Query/TransactionEvent_with_userExtensions.json", 0,
     "sensorElementList[0].sensorReport[0].type", "measurement types"},
};

bool IsSchemaRefused(std::string_view relative) {
  return std::any_of(std::begin(kSchemaRefusedCases), std::end(kSchemaRefusedCases),
                     [relative](const SchemaRefusedCase& c) { return c.file == relative; });
}

// The OpenEPCIS capture documents that GS1's schema accepts.
std::vector<fs::path> OpenEpcisCaptureDocuments(const fs::path& conformance) {
  const fs::path base = conformance / "openepcis-test-resources/2.0/EPCIS/JSON";
  std::vector<fs::path> files;
  for (const fs::path& f : JsonFiles(base / "Capture/Documents")) {
    if (!IsSchemaRefused(fs::relative(f, base).generic_string())) files.push_back(f);
  }
  return files;
}

TEST(DocumentConformance, OpenEpcisDocumentsTheSchemaRefusesAreRefused) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  const fs::path base = conformance / "openepcis-test-resources/2.0/EPCIS/JSON";
  for (const SchemaRefusedCase& c : kSchemaRefusedCases) {
    SCOPED_TRACE(std::string(c.file));
    const DecodeResult r = DecodeDocument(testing::ReadFileOrEmpty(base / c.file), Options());
    EXPECT_TRUE(r.events.empty());
    EXPECT_TRUE(HasIssue(r, c.event_index, c.field, c.message_part))
        << "expected: event " << c.event_index << ", " << c.field << ": ..." << c.message_part
        << "..." << IssuesText(r);
  }
}

// Capture/ holds documents and bare events that must be accepted, Query/ holds query documents
// (also accepted by capture) and Query/Queries/ named-query bodies, which are not EPCIS
// documents. The files of kSchemaRefusedCases fail GS1's schema and are refused (above).
TEST(DocumentConformance, OpenEpcisValidDocumentsAreAccepted) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  const fs::path base = conformance / "openepcis-test-resources/2.0/EPCIS/JSON";
  int accepted = 0;
  int refused = 0;
  for (const fs::path& file : JsonFiles(base)) {
    const std::string relative = fs::relative(file, base).generic_string();
    if (relative.find("/Invalid/") != std::string::npos || relative.starts_with("Query/Queries/")) {
      continue;
    }
    SCOPED_TRACE(relative);
    const std::string text = testing::ReadFileOrEmpty(file);
    const DecodeResult r = DecodeDocument(text, Options());
    if (IsSchemaRefused(relative)) {
      EXPECT_FALSE(r.issues.empty());
      EXPECT_TRUE(r.events.empty());
      ++refused;
      continue;
    }
    EXPECT_TRUE(r.issues.empty()) << IssuesText(r);
    EXPECT_EQ(r.events.size(), EventCount(json::parse(text)));
    EXPECT_EQ(r.is_query_document, relative.starts_with("Query/"));
    ++accepted;
  }
  EXPECT_EQ(accepted, 47);
  EXPECT_EQ(refused, 5);
}

// The event hash IDs given to events without an eventID are those of the hash module.
TEST(DocumentConformance, EventsWithoutIdGetTheirHashId) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  int hashed = 0;
  std::vector<fs::path> files = JsonFiles(conformance / "epcis/JSON");
  for (const fs::path& f : OpenEpcisCaptureDocuments(conformance)) files.push_back(f);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    const std::string text = testing::ReadFileOrEmpty(file);
    const json::value doc = json::parse(text);
    if (doc.at("type").as_string() != "EPCISDocument") continue;
    const DecodeResult r = DecodeDocument(text, Options());
    core::Result<std::vector<std::string>> hashes = DocumentEventHashIds(text);
    ASSERT_TRUE(hashes.ok()) << hashes.error().ToString();
    ASSERT_EQ(r.events.size(), hashes->size());
    const json::array& events = doc.at("epcisBody").at("eventList").as_array();
    for (std::size_t i = 0; i < r.events.size(); ++i) {
      if (events[i].as_object().contains("eventID")) continue;
      EXPECT_EQ(r.events[i].event_id, (*hashes)[i]);
      ++hashed;
    }
  }
  EXPECT_GE(hashed, 30);
}

// ---- Rules, one at a time -------------------------------------------------------------------

// A document with the standard context, the "example" prefix and these events.
std::string Document(std::string_view events) {
  return std::string(
             R"({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                    {"example": "http://ns.example.com/epcis/"}],
      "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2025-01-01T00:00:00Z",
      "epcisBody": {"eventList": [)") +
         std::string(events) + "]}}";
}

// A valid ObjectEvent with `extra` members spliced in (each ending with a comma).
std::string ObjectEvent(std::string_view extra, std::string_view action = "OBSERVE") {
  return std::string(R"({"type": "ObjectEvent", )") + std::string(extra) +
         R"( "eventTime": "2025-01-01T10:00:00.000+07:00", "eventTimeZoneOffset": "+07:00",
             "action": ")" +
         std::string(action) + R"(", "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"]})";
}

struct RuleCase {
  std::string_view name;
  std::string events;      // the eventList items
  int event_index;         // of the expected issue
  std::string_view field;  // of the expected issue
  std::string_view message_part;
};

std::vector<RuleCase> RuleCases() {
  const std::string time =
      R"("eventTime": "2025-01-01T10:00:00Z", "eventTimeZoneOffset": "+00:00")";
  return {
      {"ObjectEvent without action", R"({"type": "ObjectEvent", )" + time + R"(, "epcList": []})",
       0, "action", "required"},
      {"unknown action", ObjectEvent("", "CREATE"), 0, "action", "CREATE"},
      {"action in a TransformationEvent",
       R"({"type": "TransformationEvent", "action": "ADD", )" + time +
           R"(, "inputEPCList": ["urn:epc:id:sgtin:0614141.107346.1"],
              "outputEPCList": ["urn:epc:id:sgtin:0614141.107346.2"]})",
       0, "action", "not a field of TransformationEvent"},
      {"offset beyond 14:00",
       ObjectEvent("") + R"(,{"type": "ObjectEvent", "eventTime": "2025-01-01T10:00:00Z",
                             "eventTimeZoneOffset": "+15:00", "action": "ADD", "epcList": []})",
       1, "eventTimeZoneOffset", "+15:00"},
      {"eventTime without offset",
       R"({"type": "ObjectEvent", "eventTime": "2025-01-01T10:00:00",
           "eventTimeZoneOffset": "+00:00", "action": "ADD", "epcList": []})",
       0, "eventTime", "RFC 3339"},
      {"eventTime on a day that does not exist",
       R"({"type": "ObjectEvent", "eventTime": "2025-02-30T10:00:00Z",
           "eventTimeZoneOffset": "+00:00", "action": "ADD", "epcList": []})",
       0, "eventTime", "RFC 3339"},
      {"Digital Link with a wrong check digit",
       ObjectEvent(R"("bizLocation": {"id": "https://id.gs1.org/414/4012345000116"},)"), 0,
       "bizLocation.id", "Digital Link"},
      {"EPC URN that does not convert",
       R"({"type": "ObjectEvent", )" + time +
           R"(, "action": "ADD", "epcList": ["urn:epc:id:sgtin:0614141.10734.2017"]})",
       0, "epcList[0]", "EPC URN"},
      {"class URN in epcList",
       R"({"type": "ObjectEvent", )" + time +
           R"(, "action": "ADD", "epcList": ["urn:epc:class:lgtin:0614141.077777.987"]})",
       0, "epcList[0]", "class"},
      {"epcList item that is not a URI",
       R"({"type": "ObjectEvent", )" + time + R"(, "action": "ADD", "epcList": ["box 12"]})", 0,
       "epcList[0]", "not a URI"},
      {"repeated EPC",
       R"({"type": "ObjectEvent", )" + time +
           R"(, "action": "ADD", "epcList": ["urn:epc:id:sgtin:0614141.107346.1",
                                             "urn:epc:id:sgtin:0614141.107346.1"]})",
       0, "epcList[1]", "repeats item 0"},
      {"unit that is not a UN/CEFACT code",
       R"({"type": "ObjectEvent", )" + time +
           R"(, "action": "ADD", "quantityList": [{"epcClass": "urn:epc:class:lgtin:0614141.077777.987",
                                                   "quantity": 2, "uom": "kg"}]})",
       0, "quantityList[0].uom", "UN/CEFACT"},
      {"instance as epcClass",
       R"({"type": "ObjectEvent", )" + time +
           R"(, "action": "ADD", "quantityList": [{"epcClass": "urn:epc:id:sgtin:0614141.107346.1",
                                                   "quantity": 2}]})",
       0, "quantityList[0].epcClass", "instance"},
      {"empty quantityList and no epcList",
       R"({"type": "ObjectEvent", )" + time + R"(, "action": "ADD", "quantityList": []})", 0,
       "epcList", "ObjectEvent needs"},
      {"CBV URN as bizStep", ObjectEvent(R"("bizStep": "urn:epcglobal:cbv:bizstep:shipping",)"), 0,
       "bizStep", "\"shipping\""},
      {"unknown term in the CBV namespace",
       ObjectEvent(R"("bizStep": "https://ref.gs1.org/cbv/BizStep-flying",)"), 0, "bizStep",
       "not a CBV business step"},
      {"bare word that is not a disposition", ObjectEvent(R"("disposition": "lost",)"), 0,
       "disposition", "not a CBV disposition"},
      {"bare word that is not a business transaction type",
       ObjectEvent(R"("bizTransactionList": [{"type": "purchase",
                                              "bizTransaction": "urn:example:po:1"}],)"),
       0, "bizTransactionList[0].type", "purchase"},
      {"source without type",
       ObjectEvent(R"("sourceList": [{"source": "urn:epc:id:pgln:4012345.00225"}],)"), 0,
       "sourceList[0].type", "required"},
      {"AggregationEvent ADD without parentID",
       R"({"type": "AggregationEvent", )" + time +
           R"(, "action": "ADD", "childEPCs": ["urn:epc:id:sgtin:0614141.107346.1"]})",
       0, "parentID", "AggregationEvent"},
      {"AggregationEvent ADD without children",
       R"({"type": "AggregationEvent", )" + time +
           R"(, "action": "ADD", "parentID": "urn:epc:id:sscc:4012345.0000000333"})",
       0, "childEPCs", "childEPCs"},
      {"AssociationEvent without parentID",
       R"({"type": "AssociationEvent", )" + time +
           R"(, "action": "OBSERVE", "childEPCs": ["urn:epc:id:giai:4000001.12345"]})",
       0, "parentID", "AssociationEvent"},
      {"AssociationEvent ADD with no child",
       R"({"type": "AssociationEvent", )" + time +
           R"(, "action": "ADD", "parentID": "urn:epc:id:grai:4012345.55555.987",
              "childEPCs": []})",
       0, "childEPCs", "childEPCs"},
      {"sensor element without report",
       ObjectEvent(
           R"("sensorElementList": [{"sensorMetadata": {"time": "2025-01-01T09:00:00Z"}}],)"),
       0, "sensorElementList[0].sensorReport", "at least one"},
      {"sensor element with an empty report list",
       ObjectEvent(R"("sensorElementList": [{"sensorReport": []}],)"), 0,
       "sensorElementList[0].sensorReport", "non-empty"},
      {"sensor report contradicting its metadata",
       ObjectEvent(
           R"("sensorElementList": [{"sensorMetadata": {"deviceID": "urn:epc:id:giai:4000001.1"},
                      "sensorReport": [{"type": "Temperature", "value": 4, "uom": "CEL",
                                        "deviceID": "urn:epc:id:giai:4000001.2"}]}],)"),
       0, "sensorElementList[0].sensorReport[0].deviceID", "sensorMetadata"},
      {"sensor report without type",
       ObjectEvent(R"("sensorElementList": [{"sensorReport": [{"value": 4, "uom": "CEL"}]}],)"), 0,
       "sensorElementList[0].sensorReport[0].type", "required"},
      {"measurement type that is not a GS1 term",
       ObjectEvent(R"("sensorElementList": [{"sensorReport": [{"type": "temperature"}]}],)"), 0,
       "sensorElementList[0].sensorReport[0].type", "measurement type"},
      {"measurement type of the GS1 Web Vocabulary newer than the schema's list",
       ObjectEvent(R"("sensorElementList": [{"sensorReport": [{"type": "EffectiveDoseRate"}]}],)"),
       0, "sensorElementList[0].sensorReport[0].type", "\"gs1:EffectiveDoseRate\""},
      {"measurement type as a GS1 Web Vocabulary URI",
       ObjectEvent(
           R"("sensorElementList": [{"sensorReport": [{"type": "https://gs1.org/voc/Temperature"}]}],)"),
       0, "sensorElementList[0].sensorReport[0].type", "bare words"},
      {"sensor alert type that is not a GS1 term",
       ObjectEvent(R"("sensorElementList": [{"sensorReport": [{"type": "Temperature",
                                                                "exception": "ALARM"}]}],)"),
       0, "sensorElementList[0].sensorReport[0].exception", "GS1 sensor alert type"},
      {"sensor component that is not a CBV term",
       ObjectEvent(R"("sensorElementList": [{"sensorReport": [{"type": "Length",
                                                                "component": "north"}]}],)"),
       0, "sensorElementList[0].sensorReport[0].component", "CBV sensor component"},
      {"sensor component as a CBV URN",
       ObjectEvent(R"("sensorElementList": [{"sensorReport": [{"type": "Length",
                                        "component": "urn:epcglobal:cbv:comp:x"}]}],)"),
       0, "sensorElementList[0].sensorReport[0].component", "CBV URNs"},
      {"hexBinaryValue that is not hexadecimal",
       ObjectEvent(R"("sensorElementList": [{"sensorReport": [{"type": "Temperature",
                                                                "hexBinaryValue": "0x1F"}]}],)"),
       0, "sensorElementList[0].sensorReport[0].hexBinaryValue", "hexadecimal"},
      {"booleanValue that is not a boolean",
       ObjectEvent(R"("sensorElementList": [{"sensorReport": [{"type": "Temperature",
                                                                "booleanValue": "true"}]}],)"),
       0, "sensorElementList[0].sensorReport[0].booleanValue", "true or false"},
      {"sensor value that is not a number",
       ObjectEvent(R"("sensorElementList": [{"sensorReport": [{"type": "Temperature",
                                                                "value": "4"}]}],)"),
       0, "sensorElementList[0].sensorReport[0].value", "must be a number"},
      {"report attribute in sensorMetadata",
       ObjectEvent(R"("sensorElementList": [{"sensorMetadata": {"value": 4},
                                               "sensorReport": [{"type": "Temperature"}]}],)"),
       0, "sensorElementList[0].sensorMetadata.value", "not a field of sensorMetadata"},
      {"metadata attribute in a sensorReport",
       ObjectEvent(R"("sensorElementList": [{"sensorReport": [{"type": "Temperature",
                                          "startTime": "2025-01-01T09:00:00Z"}]}],)"),
       0, "sensorElementList[0].sensorReport[0].startTime", "not a field of sensorReport"},
      {"sensor time that is not a date-time",
       ObjectEvent(R"("sensorElementList": [{"sensorMetadata": {"time": "yesterday"},
                                               "sensorReport": [{"type": "Temperature"}]}],)"),
       0, "sensorElementList[0].sensorMetadata.time", "RFC 3339"},
      {"error reason that is not a CBV term",
       ObjectEvent(R"("errorDeclaration": {"declarationTime": "2025-01-02T00:00:00Z",
                                           "reason": "typo"},)"),
       0, "errorDeclaration.reason", "CBV error reason"},
      {"corrective eventID that is not a URI",
       ObjectEvent(R"("errorDeclaration": {"declarationTime": "2025-01-02T00:00:00Z",
                                           "correctiveEventIDs": ["event 2"]},)"),
       0, "errorDeclaration.correctiveEventIDs[0]", "not a URI"},
      {"source type that is not a CBV term",
       ObjectEvent(
           R"("sourceList": [{"type": "owner", "source": "urn:epc:id:pgln:4012345.00225"}],)"),
       0, "sourceList[0].type", "CBV source/destination type"},
      {"destination member that is not allowed",
       ObjectEvent(R"("destinationList": [{"type": "owning_party",
                                           "destination": "urn:epc:id:pgln:4012345.00225",
                                           "name": "x"}],)"),
       0, "destinationList[0].name", "not allowed in a destination"},
      {"business transaction without its identifier",
       ObjectEvent(R"("bizTransactionList": [{"type": "po"}],)"), 0,
       "bizTransactionList[0].bizTransaction", "required"},
      {"persistentDisposition member other than set and unset",
       ObjectEvent(R"("persistentDisposition": {"keep": ["active"]},)"), 0,
       "persistentDisposition.keep", "only set, unset"},
      {"persistentDisposition with an empty set",
       ObjectEvent(R"("persistentDisposition": {"set": []},)"), 0, "persistentDisposition.set",
       "non-empty"},
      {"persistentDisposition repeating a disposition",
       ObjectEvent(R"("persistentDisposition": {"set": ["active", "active"]},)"), 0,
       "persistentDisposition.set[1]", "repeats item 0"},
      {"persistentDisposition value that is not a disposition",
       ObjectEvent(R"("persistentDisposition": {"unset": ["lost"]},)"), 0,
       "persistentDisposition.unset[0]", "CBV disposition"},
      {"eventTimeZoneOffset without a colon",
       R"({"type": "ObjectEvent", "eventTime": "2025-01-01T10:00:00Z",
           "eventTimeZoneOffset": "+0700", "action": "ADD", "epcList": []})",
       0, "eventTimeZoneOffset", "+0700"},
      {"quantity that is not a number",
       R"({"type": "ObjectEvent", )" + time +
           R"(, "action": "ADD", "quantityList": [{"epcClass": "urn:epc:class:lgtin:0614141.077777.987",
                                                   "quantity": "2"}]})",
       0, "quantityList[0].quantity", "must be a number"},
      {"eventID that is not a URI", ObjectEvent(R"("eventID": "event-1",)"), 0, "eventID",
       "not a URI"},
      {"transformationID that is not a URI",
       R"({"type": "TransformationEvent", )" + time +
           R"(, "transformationID": "tx 1",
              "outputEPCList": ["urn:epc:id:sgtin:0614141.107346.2"]})",
       0, "transformationID", "not a URI"},
      {"undeclared extension prefix", ObjectEvent(R"("foo:bar": 1,)"), 0, "foo:bar",
       "not declared"},
      {"extension field without prefix", ObjectEvent(R"("bar": 1,)"), 0, "bar", "namespace prefix"},
      {"ILMD field without namespace", ObjectEvent(R"("ilmd": {"lot": "L1"},)", "ADD"), 0,
       "ilmd.lot", "ILMD field"},
      {"ILMD in an OBSERVE", ObjectEvent(R"("ilmd": {"example:lot": "L1"},)"), 0, "ilmd", "ADD"},
      {"readPoint that is not a URI", ObjectEvent(R"("readPoint": {"id": "warehouse 5"},)"), 0,
       "readPoint.id", "not a URI"},
      {"readPoint member without prefix",
       ObjectEvent(R"("readPoint": {"id": "urn:epc:id:sgln:4012345.00011.987", "name": "x"},)"), 0,
       "readPoint.name", "readPoint"},
      {"TransactionEvent without business transaction",
       R"({"type": "TransactionEvent", )" + time +
           R"(, "action": "ADD", "epcList": ["urn:epc:id:sgtin:0614141.107346.1"]})",
       0, "bizTransactionList", "required"},
      {"TransformationEvent with inputs only",
       R"({"type": "TransformationEvent", )" + time +
           R"(, "inputEPCList": ["urn:epc:id:sgtin:0614141.107346.1"]})",
       0, "outputEPCList", "transformationID"},
      {"empty persistentDisposition", ObjectEvent(R"("persistentDisposition": {},)"), 0,
       "persistentDisposition", "set or unset"},
      {"error declaration without time",
       ObjectEvent(R"("errorDeclaration": {"reason": "incorrect_data"},)"), 0,
       "errorDeclaration.declarationTime", "required"},
      {"certificationInfo that is not a URI", ObjectEvent(R"("certificationInfo": "ISO 22000",)"),
       0, "certificationInfo", "not a URI"},
      {"extension event type", R"({"type": "https://example.com/MyEvent", )" + time + "}", 0,
       "type", "not supported"},
      {"second event at fault", ObjectEvent("") + "," + ObjectEvent(R"("disposition": 5,)"), 1,
       "disposition", "must be a string"},
  };
}

TEST(DocumentRules, EachRuleNamesEventAndField) {
  for (const RuleCase& c : RuleCases()) {
    SCOPED_TRACE(std::string(c.name));
    const DecodeResult r = DecodeDocument(Document(c.events), Options());
    EXPECT_TRUE(r.events.empty());
    EXPECT_TRUE(HasIssue(r, c.event_index, c.field, c.message_part))
        << "expected: event " << c.event_index << ", " << c.field << ": ..." << c.message_part
        << "..." << IssuesText(r);
  }
}

// The standard members of each event type, as the propertyNames of the EPCIS 2.0 JSON schema
// (besides @context, type, eventTime, recordTime, eventTimeZoneOffset, eventID,
// certificationInfo and errorDeclaration, which every type has).
struct TypeMembers {
  std::string_view type;
  std::string_view base;  // a valid event of the type, without its closing brace
  std::vector<std::string_view> members;
};

std::vector<TypeMembers> SchemaMembers() {
  return {
      {"ObjectEvent",
       R"({"type": "ObjectEvent", "eventTime": "2025-01-01T10:00:00Z",
           "eventTimeZoneOffset": "+00:00", "action": "ADD",
           "quantityList": [{"epcClass": "urn:epc:class:lgtin:0614141.077777.987"}])",
       {"action", "epcList", "quantityList", "bizStep", "disposition", "persistentDisposition",
        "readPoint", "bizLocation", "bizTransactionList", "sourceList", "destinationList",
        "sensorElementList", "ilmd"}},
      {"AggregationEvent",
       R"({"type": "AggregationEvent", "eventTime": "2025-01-01T10:00:00Z",
           "eventTimeZoneOffset": "+00:00", "action": "ADD",
           "parentID": "urn:epc:id:sscc:4012345.0000000333",
           "childEPCs": ["urn:epc:id:sgtin:0614141.107346.1"])",
       {"parentID", "childEPCs", "childQuantityList", "action", "bizStep", "disposition",
        "readPoint", "bizLocation", "bizTransactionList", "sourceList", "destinationList",
        "sensorElementList"}},
      {"TransactionEvent",
       R"({"type": "TransactionEvent", "eventTime": "2025-01-01T10:00:00Z",
           "eventTimeZoneOffset": "+00:00", "action": "ADD",
           "bizTransactionList": [{"bizTransaction": "urn:example:po:1"}],
           "epcList": ["urn:epc:id:sgtin:0614141.107346.1"])",
       {"bizTransactionList", "parentID", "epcList", "quantityList", "action", "bizStep",
        "disposition", "readPoint", "bizLocation", "sourceList", "destinationList",
        "sensorElementList"}},
      {"TransformationEvent",
       R"({"type": "TransformationEvent", "eventTime": "2025-01-01T10:00:00Z",
           "eventTimeZoneOffset": "+00:00",
           "inputEPCList": ["urn:epc:id:sgtin:0614141.107346.1"],
           "outputEPCList": ["urn:epc:id:sgtin:0614141.107346.2"])",
       {"inputEPCList", "inputQuantityList", "outputEPCList", "outputQuantityList",
        "transformationID", "bizStep", "disposition", "persistentDisposition", "readPoint",
        "bizLocation", "bizTransactionList", "sourceList", "destinationList", "sensorElementList",
        "ilmd"}},
      {"AssociationEvent",
       R"({"type": "AssociationEvent", "eventTime": "2025-01-01T10:00:00Z",
           "eventTimeZoneOffset": "+00:00", "action": "ADD",
           "parentID": "urn:epc:id:grai:4012345.55555.987",
           "childEPCs": ["urn:epc:id:giai:4000001.12345"])",
       {"parentID", "childEPCs", "childQuantityList", "action", "bizStep", "disposition",
        "readPoint", "bizLocation", "bizTransactionList", "sourceList", "destinationList",
        "sensorElementList"}},
  };
}

// A valid value of each standard event member.
const std::map<std::string_view, std::string_view>& MemberValues() {
  static const std::map<std::string_view, std::string_view> kValues = {
      {"action", R"("ADD")"},
      {"epcList", R"(["urn:epc:id:sgtin:0614141.107346.7"])"},
      {"quantityList", R"([{"epcClass": "urn:epc:class:lgtin:0614141.077777.7", "quantity": 1}])"},
      {"bizStep", R"("shipping")"},
      {"disposition", R"("in_transit")"},
      {"persistentDisposition", R"({"set": ["completeness_verified"]})"},
      {"readPoint", R"({"id": "urn:epc:id:sgln:4012345.00011.987"})"},
      {"bizLocation", R"({"id": "urn:epc:id:sgln:4012345.00011.0"})"},
      {"bizTransactionList", R"([{"type": "po", "bizTransaction": "urn:example:po:2"}])"},
      {"sourceList", R"([{"type": "owning_party", "source": "urn:epc:id:pgln:4012345.00225"}])"},
      {"destinationList",
       R"([{"type": "owning_party", "destination": "urn:epc:id:pgln:4012345.00226"}])"},
      {"sensorElementList", R"([{"sensorReport": [{"type": "Temperature", "value": 4}]}])"},
      {"ilmd", R"({"example:lot": "L1"})"},
      {"parentID", R"("urn:epc:id:sscc:4012345.0000000444")"},
      {"childEPCs", R"(["urn:epc:id:sgtin:0614141.107346.8"])"},
      {"childQuantityList", R"([{"epcClass": "urn:epc:class:lgtin:0614141.077777.8"}])"},
      {"inputEPCList", R"(["urn:epc:id:sgtin:0614141.107346.9"])"},
      {"inputQuantityList", R"([{"epcClass": "urn:epc:class:lgtin:0614141.077777.9"}])"},
      {"outputEPCList", R"(["urn:epc:id:sgtin:0614141.107346.10"])"},
      {"outputQuantityList", R"([{"epcClass": "urn:epc:class:lgtin:0614141.077777.10"}])"},
      {"transformationID", R"("urn:example:t:9")"},
  };
  return kValues;
}

// Every standard member in every event type: refused, naming the event and the member, where the
// schema does not list it; accepted where it does.
TEST(DocumentRules, EachEventTypeTakesTheSchemasMembersOnly) {
  int refused = 0;
  for (const TypeMembers& t : SchemaMembers()) {
    for (const auto& [member, value] : MemberValues()) {
      const std::string quoted = "\"" + std::string(member) + "\"";
      if (t.base.find(quoted) != std::string_view::npos) continue;  // already in the base event
      SCOPED_TRACE(std::string(t.type) + " with " + std::string(member));
      const std::string event =
          std::string(t.base) + ", " + quoted + ": " + std::string(value) + "}";
      const DecodeResult r = DecodeDocument(Document(event), Options());
      const bool allowed = std::find(t.members.begin(), t.members.end(), member) != t.members.end();
      if (allowed) {
        EXPECT_TRUE(r.issues.empty()) << IssuesText(r);
        EXPECT_EQ(r.events.size(), 1u);
      } else {
        EXPECT_TRUE(r.events.empty());
        EXPECT_TRUE(HasIssue(r, 0, member, "is not a field of " + std::string(t.type)))
            << IssuesText(r);
        ++refused;
      }
    }
  }
  EXPECT_EQ(refused, 8 + 9 + 9 + 6 + 9);
}

// Events each rule above would refuse in another form, and are valid.
TEST(DocumentRules, ValidVariantsAreAccepted) {
  const std::string time =
      R"("eventTime": "2025-01-01T10:00:00Z", "eventTimeZoneOffset": "+00:00")";
  const std::vector<std::pair<std::string_view, std::string>> cases = {
      {"TransformationEvent with outputs and a transformationID",
       R"({"type": "TransformationEvent", )" + time +
           R"(, "transformationID": "urn:example:t:1",
              "outputQuantityList": [{"epcClass": "https://id.gs1.org/01/09521141012345/10/L1",
                                      "quantity": 5.5, "uom": "KGM"}]})"},
      {"AggregationEvent DELETE without children",
       R"({"type": "AggregationEvent", )" + time +
           R"(, "action": "DELETE", "parentID": "urn:epc:id:sscc:4012345.0000000333"})"},
      {"AggregationEvent OBSERVE without parentID",
       R"({"type": "AggregationEvent", )" + time +
           R"(, "action": "OBSERVE", "childEPCs": ["urn:epc:id:sgtin:0614141.107346.1"]})"},
      {"TransactionEvent DELETE", R"({"type": "TransactionEvent", )" + time +
                                      R"(, "action": "DELETE",
              "bizTransactionList": [{"bizTransaction": "urn:epcglobal:cbv:bt:4012345000009:1"}]})"},
      {"ObjectEvent with sensor data and readPoint only",
       R"({"type": "ObjectEvent", )" + time +
           R"(, "action": "OBSERVE", "readPoint": {"id": "https://id.gs1.org/414/4012345000115"},
              "sensorElementList": [{"sensorReport": [{"type": "gs1:EffectiveDoseRate", "value": 1,
                                                       "uom": "P71"}]}]})"},
      {"measurement type and alert of one's own",
       ObjectEvent(R"("sensorElementList": [{"sensorReport": [{"type": "example:Brix",
                                                                "exception": "example:high"}]}],)")},
      {"persistentDisposition in a TransformationEvent",
       R"({"type": "TransformationEvent", )" + time +
           R"(, "transformationID": "urn:example:t:2",
              "outputEPCList": ["urn:epc:id:sgtin:0614141.107346.2"],
              "persistentDisposition": {"unset": ["needs_replacement"]}})"},
      {"URIs of one's own and CBV Web URIs",
       ObjectEvent(R"("bizStep": "https://ref.gs1.org/cbv/BizStep-shipping",
                      "disposition": "example:in_transport", "example:note": {"text": "x"},
                      "https://example.com/voc/other": 1, "urn:example:voc:x": 2,
                      "bizTransactionList": [{"type": "cbv:BTT-po", "bizTransaction": "urn:example:po:1"}],)")},
      {"ILMD with a declared prefix and action ADD",
       ObjectEvent(R"("ilmd": {"example:lot": "L1", "gs1:bestBeforeDate": "2025-06-01"},)", "ADD")},
      {"event with a context of its own",
       ObjectEvent(R"("@context": [{"own": "https://own.example.com/"}], "own:field": 1,)")},
      {"HTTP URI on another host that looks like a Digital Link but is not one",
       ObjectEvent(R"("bizLocation": {"id": "https://id.example.com/414/4012345000116"},)")},
      {"GID, which has no Digital Link",
       R"({"type": "ObjectEvent", )" + time +
           R"(, "action": "OBSERVE", "epcList": ["urn:epc:id:gid:95100000.12345.400"]})"},
      {"sensor metadata repeated identically in the report",
       ObjectEvent(
           R"("sensorElementList": [{"sensorMetadata": {"deviceID": "urn:epc:id:giai:4000001.1",
                                                                "time": "2025-01-01T09:00:00Z"},
                      "sensorReport": [{"type": "Temperature", "value": 4, "uom": "CEL",
                                        "deviceID": "urn:epc:id:giai:4000001.1",
                                        "time": "2025-01-01T09:30:00Z"}]}],)")},
  };
  for (const auto& [name, events] : cases) {
    SCOPED_TRACE(std::string(name));
    const DecodeResult r = DecodeDocument(Document(events), Options());
    EXPECT_TRUE(r.issues.empty()) << IssuesText(r);
    EXPECT_EQ(r.events.size(), 1u);
  }
}

TEST(DocumentRules, DocumentLevelIssues) {
  struct Case {
    std::string_view name;
    std::string text;
    std::string_view field;
    std::string_view message_part;
  };
  const std::string event = ObjectEvent("");
  const std::vector<Case> cases = {
      {"not JSON", "{\"type\": ", "", "offset"},
      {"not an object", "[1, 2]", "", "JSON object"},
      {"no type", "{}", "type", "required"},
      {"unknown type", R"({"type": "Document"})", "type", "not EPCISDocument"},
      {"only an unknown context",
       R"({"@context": "https://example.com/context.jsonld", "type": "EPCISDocument",
           "schemaVersion": "2.0", "creationDate": "2025-01-01T00:00:00Z",
           "epcisBody": {"eventList": []}})",
       "@context", "EPCIS 2.0 context"},
      {"bare event without context", event, "@context", "required"},
      {"repeated context item",
       R"({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
           "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2025-01-01T00:00:00Z",
           "epcisBody": {"eventList": []}})",
       "@context[1]", "repeats"},
      {"bad schemaVersion", Document("").replace(Document("").find("\"2.0\""), 5, "\"two\""),
       "schemaVersion", "version"},
      {"no creationDate",
       R"({"@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
           "type": "EPCISDocument", "schemaVersion": "2.0", "epcisBody": {"eventList": []}})",
       "creationDate", "required"},
      {"no eventList",
       R"({"@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
           "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2025-01-01T00:00:00Z",
           "epcisBody": {"event": {}}})",
       "epcisBody.eventList", "required"},
      {"undeclared document extension",
       R"({"@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
           "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2025-01-01T00:00:00Z",
           "vendor": 1, "epcisBody": {"eventList": []}})",
       "vendor", "not a field of the EPCISDocument"},
      {"query document without queryName",
       R"({"@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
           "type": "EPCISQueryDocument",
           "epcisBody": {"queryResults": {"resultsBody": {"eventList": []}}}})",
       "epcisBody.queryResults.queryName", "required"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.name));
    const DecodeResult r = DecodeDocument(c.text, Options());
    EXPECT_TRUE(HasIssue(r, -1, c.field, c.message_part)) << IssuesText(r);
  }
}

// ---- Master data ----------------------------------------------------------------------------

// A document with the standard context, the "example" prefix, master data `vocabularies` (the
// items of its vocabularyList) in its header and one valid event.
std::string DocumentWithMasterData(std::string_view vocabularies) {
  return std::string(
             R"({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                    {"example": "http://ns.example.com/epcis/"}],
      "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2025-01-01T00:00:00Z",
      "epcisHeader": {"epcisMasterData": {"vocabularyList": [)") +
         std::string(vocabularies) + R"(]}}, "epcisBody": {"eventList": [)" + ObjectEvent("") +
         "]}}";
}

TEST(DocumentMasterData, VocabularyElementsAreRead) {
  const DecodeResult r = DecodeDocument(DocumentWithMasterData(R"(
    {"type": "urn:epcglobal:epcis:vtype:BusinessLocation",
     "vocabularyElementList": [
       {"id": "urn:epc:id:sgln:4012345.00011.0",
        "attributes": [
          {"id": "cbvmda:sst", "attribute": "201"},
          {"id": "urn:epcglobal:cbv:mda#name", "attribute": "Kho Hà Nội"},
          {"id": "example:address", "attribute": {"example:street": "1 Tràng Tiền"}},
          {"id": "https://example.com/md/capacity", "attribute": 1250},
          {"id": "example:note"}],
        "children": ["urn:epc:id:sgln:4012345.00011.1", "https://id.gs1.org/414/4012345000115/254/1",
                     "urn:epc:id:sgln:4012345.00011.2"]},
       {"id": "https://example.com/locations/farm-7"}]},
    {"type": "urn:epcglobal:epcis:vtype:EPCClass",
     "vocabularyElementList": [
       {"id": "urn:epc:idpat:sgtin:4012345.011111.*",
        "attributes": [{"id": "cbvmda:regulatedProductName", "attribute": "Cà phê"}],
        "children": []}]},
    {"type": "urn:example:vtype:Farmer"})"),
                                        Options());
  ASSERT_TRUE(r.issues.empty()) << IssuesText(r);
  EXPECT_EQ(r.events.size(), 1u);
  ASSERT_EQ(r.master_data.size(), 3u);
  const VocabularyElement& site = r.master_data[0];
  EXPECT_EQ(site.type, kBusinessLocationVocabulary);
  EXPECT_EQ(site.id, "https://id.gs1.org/414/4012345000115");
  const std::vector<MasterDataAttribute> attributes = {
      {"urn:epcglobal:cbv:mda:sst", "201"},
      {"urn:epcglobal:cbv:mda:name", "Kho Hà Nội"},
      {"http://ns.example.com/epcis/address", json::parse(R"({"example:street": "1 Tràng Tiền"})")},
      {"https://example.com/md/capacity", 1250},
      {"http://ns.example.com/epcis/note", nullptr}};
  EXPECT_EQ(site.attributes, attributes);
  // Children canonical, without repeats.
  EXPECT_EQ(site.children,
            (std::vector<std::string>{"https://id.gs1.org/414/4012345000115/254/1",
                                      "https://id.gs1.org/414/4012345000115/254/2"}));
  EXPECT_TRUE(site.has_children);
  EXPECT_EQ(r.master_data[1].id, "https://example.com/locations/farm-7");
  EXPECT_FALSE(r.master_data[1].has_children);
  EXPECT_EQ(r.master_data[2].type, kEpcClassVocabulary);
  EXPECT_EQ(r.master_data[2].id, "https://id.gs1.org/01/04012345111118");
  EXPECT_TRUE(r.master_data[2].has_children);
  EXPECT_TRUE(r.master_data[2].children.empty());
}

TEST(DocumentMasterData, QueryDocumentVocabularyListIsRead) {
  const DecodeResult r = DecodeDocument(R"({
    "@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    "type": "EPCISQueryDocument", "schemaVersion": "2.0",
    "epcisBody": {"queryResults": {"queryName": "SimpleMasterDataQuery", "resultsBody": {
      "eventList": [],
      "vocabularyList": [{"type": "urn:epcglobal:epcis:vtype:ReadPoint",
                          "vocabularyElementList": [{"id": "urn:epc:id:sgln:4012345.00011.987",
                            "attributes": [{"id": "cbvmda:name", "attribute": "Cổng 1"}]}]}]}}}})",
                                        Options());
  ASSERT_TRUE(r.issues.empty()) << IssuesText(r);
  ASSERT_EQ(r.master_data.size(), 1u);
  EXPECT_EQ(r.master_data[0].type, kReadPointVocabulary);
  EXPECT_EQ(r.master_data[0].id, "https://id.gs1.org/414/4012345000115/254/987");
}

// Each fault of master data refuses the document (events included), naming the member.
TEST(DocumentMasterData, FaultsAreDocumentIssues) {
  constexpr std::string_view kList = "epcisHeader.epcisMasterData.vocabularyList";
  struct Case {
    std::string_view name;
    std::string vocabularies;
    std::string field;  // under kList
    std::string_view message_part;
  };
  const std::vector<Case> cases = {
      {"vocabulary without type", R"({"vocabularyElementList": []})", "[0].type", "required"},
      {"type that is not a URI", R"({"type": "Location"})", "[0].type", "not a URI"},
      {"element list that is not an array",
       R"({"type": "urn:epcglobal:epcis:vtype:ReadPoint", "vocabularyElementList": {}})",
       "[0].vocabularyElementList", "must be an array"},
      {"element without id",
       R"({"type": "urn:epcglobal:epcis:vtype:ReadPoint", "vocabularyElementList": [{}]})",
       "[0].vocabularyElementList[0].id", "required"},
      {"element id that is not a valid EPC URN",
       R"({"type": "urn:epcglobal:epcis:vtype:ReadPoint",
           "vocabularyElementList": [{"id": "urn:epc:id:sgln:4012345.0001.0"}]})",
       "[0].vocabularyElementList[0].id", "EPC URN"},
      {"child that is not a URI",
       R"({"type": "urn:epcglobal:epcis:vtype:ReadPoint",
           "vocabularyElementList": [{"id": "urn:example:loc:1", "children": ["dock 2"]}]})",
       "[0].vocabularyElementList[0].children[0]", "not a URI"},
      {"children that are not an array",
       R"({"type": "urn:epcglobal:epcis:vtype:ReadPoint",
           "vocabularyElementList": [{"id": "urn:example:loc:1", "children": "urn:example:loc:2"}]})",
       "[0].vocabularyElementList[0].children", "array of URIs"},
      {"attribute without id",
       R"({"type": "urn:epcglobal:epcis:vtype:ReadPoint",
           "vocabularyElementList": [{"id": "urn:example:loc:1", "attributes": [{"attribute": 1}]}]})",
       "[0].vocabularyElementList[0].attributes[0].id", "required"},
      {"attribute name without namespace",
       R"({"type": "urn:epcglobal:epcis:vtype:ReadPoint",
           "vocabularyElementList": [{"id": "urn:example:loc:1",
                                      "attributes": [{"id": "name", "attribute": "x"}]}]})",
       "[0].vocabularyElementList[0].attributes[0].id", "not an attribute name"},
      {"attribute name with an undeclared prefix",
       R"({"type": "urn:epcglobal:epcis:vtype:ReadPoint",
           "vocabularyElementList": [{"id": "urn:example:loc:1",
                                      "attributes": [{"id": "nope:name", "attribute": "x"}]}]})",
       "[0].vocabularyElementList[0].attributes[0].id", "prefix \"nope\""},
      {"attribute value that is a boolean",
       R"({"type": "urn:epcglobal:epcis:vtype:ReadPoint",
           "vocabularyElementList": [{"id": "urn:example:loc:1",
                                      "attributes": [{"id": "cbvmda:sst", "attribute": true}]}]})",
       "[0].vocabularyElementList[0].attributes[0].attribute", "number, a string or an object"},
      {"attribute value that is an array",
       R"({"type": "urn:epcglobal:epcis:vtype:ReadPoint",
           "vocabularyElementList": [{"id": "urn:example:loc:1",
                                      "attributes": [{"id": "cbvmda:sst", "attribute": [1]}]}]})",
       "[0].vocabularyElementList[0].attributes[0].attribute", "number, a string or an object"},
      {"attributes that are not an array",
       R"({"type": "urn:epcglobal:epcis:vtype:ReadPoint",
           "vocabularyElementList": [{"id": "urn:example:loc:1", "attributes": {}}]})",
       "[0].vocabularyElementList[0].attributes", "must be an array"},
      {"vocabulary that is not an object", R"("urn:epcglobal:epcis:vtype:ReadPoint")", "[0]",
       "must be an object"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.name));
    const DecodeResult r = DecodeDocument(DocumentWithMasterData(c.vocabularies), Options());
    EXPECT_TRUE(r.document_has_issues);
    EXPECT_TRUE(r.events.empty());
    EXPECT_TRUE(r.master_data.empty());
    EXPECT_TRUE(HasIssue(r, -1, std::string(kList) + c.field, c.message_part)) << IssuesText(r);
  }
}

TEST(DocumentMasterData, EncodedAsAMasterDataQueryDocument) {
  const DecodeResult r = DecodeDocument(DocumentWithMasterData(R"(
    {"type": "urn:epcglobal:epcis:vtype:BusinessLocation",
     "vocabularyElementList": [{"id": "urn:epc:id:sgln:4012345.00011.0",
                                "attributes": [{"id": "cbvmda:sst", "attribute": "201"}],
                                "children": ["urn:epc:id:sgln:4012345.00011.1"]}]},
    {"type": "urn:epcglobal:epcis:vtype:ReadPoint",
     "vocabularyElementList": [{"id": "urn:epc:id:sgln:4012345.00011.987"}]})"),
                                        Options());
  ASSERT_TRUE(r.issues.empty()) << IssuesText(r);
  EncodeOptions options;
  options.creation_date = Time("2025-02-01T00:00:00Z");
  const std::string text = EncodeMasterDataDocument(r.master_data, options);
  const json::value doc = json::parse(text);
  EXPECT_EQ(doc.at("type"), "EPCISQueryDocument");
  const json::value& results = doc.at("epcisBody").at("queryResults");
  EXPECT_EQ(results.at("queryName"), "SimpleMasterDataQuery");
  EXPECT_TRUE(results.at("resultsBody").at("eventList").as_array().empty());
  EXPECT_EQ(json::serialize(results.at("resultsBody").at("vocabularyList")),
            R"([{"type":"urn:epcglobal:epcis:vtype:BusinessLocation","vocabularyElementList":[)"
            R"({"id":"https://id.gs1.org/414/4012345000115","attributes":[)"
            R"({"id":"urn:epcglobal:cbv:mda:sst","attribute":"201"}],)"
            R"("children":["https://id.gs1.org/414/4012345000115/254/1"]}]},)"
            R"({"type":"urn:epcglobal:epcis:vtype:ReadPoint","vocabularyElementList":[)"
            R"({"id":"https://id.gs1.org/414/4012345000115/254/987"}]}])");
  // Captured again, it is the same master data.
  const DecodeResult again = DecodeDocument(text, Options());
  ASSERT_TRUE(again.issues.empty()) << IssuesText(again);
  EXPECT_EQ(again.master_data, r.master_data);
}

TEST(DocumentRules, UnknownContextBesideTheStandardOneIsAccepted) {
  const std::string text =
      R"({"@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
                       "https://example.com/more-context.jsonld"],
          "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2025-01-01T00:00:00Z",
          "epcisBody": {"eventList": [)" +
      ObjectEvent("") + "]}}";
  const DecodeResult r = DecodeDocument(text, Options());
  EXPECT_TRUE(r.issues.empty()) << IssuesText(r);
}

TEST(DocumentRules, Limits) {
  DecodeOptions options = Options();
  options.max_events = 2;
  DecodeResult r = DecodeDocument(
      Document(ObjectEvent("") + "," + ObjectEvent("") + "," + ObjectEvent("")), options);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("at most 2"), std::string::npos);
  EXPECT_TRUE(r.events.empty());

  options = Options();
  options.max_bytes = 100;
  r = DecodeDocument(Document(ObjectEvent("")), options);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("bytes"), std::string::npos);

  options = Options();
  options.max_issues = 3;
  std::string events;
  for (int i = 0; i < 10; ++i) events += (i ? "," : "") + ObjectEvent("", "BAD");
  r = DecodeDocument(Document(events), options);
  EXPECT_EQ(r.issues.size(), 3u);
}

// GS1-Capture-Error-Behaviour proceed: the valid events are kept and every refused one listed,
// even past max_issues; an issue of the document itself still refuses everything.
TEST(DocumentRules, KeepValidEvents) {
  DecodeOptions options = Options();
  options.keep_valid_events = true;
  const std::string valid = ObjectEvent(R"("eventID": "urn:uuid:keep-1",)");
  const std::string also_valid = ObjectEvent(R"("eventID": "urn:uuid:keep-2",)");
  const std::string bad = ObjectEvent("", "JUMP");
  DecodeResult r = DecodeDocument(Document(bad + "," + valid + ",1," + also_valid), options);
  ASSERT_EQ(r.events.size(), 2u) << IssuesText(r);
  EXPECT_EQ(r.events[0].event_id, "urn:uuid:keep-1");
  EXPECT_EQ(r.events[1].event_id, "urn:uuid:keep-2");
  EXPECT_EQ(r.rejected_events, (std::vector<std::size_t>{0, 2}));
  EXPECT_FALSE(r.document_has_issues);
  EXPECT_TRUE(HasIssue(r, 0, "action"));
  EXPECT_TRUE(HasIssue(r, 2, "", "must be an object"));

  options.max_issues = 2;
  std::string events;
  for (int i = 0; i < 5; ++i) events += bad + ",";
  r = DecodeDocument(Document(events + valid), options);
  EXPECT_EQ(r.issues.size(), 2u);
  EXPECT_EQ(r.rejected_events, (std::vector<std::size_t>{0, 1, 2, 3, 4}));
  ASSERT_EQ(r.events.size(), 1u);

  options.max_issues = 100;
  std::string without_date = Document(valid + "," + bad);
  without_date.replace(without_date.find(R"("creationDate")"), 14, R"("creationDat_")");
  r = DecodeDocument(without_date, options);
  EXPECT_TRUE(r.document_has_issues);
  EXPECT_TRUE(HasIssue(r, -1, "creationDate", "required"));
  EXPECT_TRUE(r.events.empty());

  options.keep_valid_events = false;  // the default: one issue refuses every event
  r = DecodeDocument(Document(valid + "," + bad), options);
  EXPECT_TRUE(r.events.empty());
  EXPECT_TRUE(r.rejected_events.empty());
  EXPECT_FALSE(r.document_has_issues);
}

TEST(DocumentRules, IssueToString) {
  EXPECT_EQ((ValidationIssue{3, "epcList[2]", "bad"}.ToString()), "event 3, epcList[2]: bad");
  EXPECT_EQ((ValidationIssue{-1, "@context", "missing"}.ToString()), "document, @context: missing");
  EXPECT_EQ((ValidationIssue{-1, "", "not JSON"}.ToString()), "document: not JSON");
}

// ---- What a decoded event holds ---------------------------------------------------------------

TEST(DocumentEvents, FieldsAndIndex) {
  const std::string text = Document(R"(
    {"type": "TransactionEvent", "eventTime": "2025-03-05T10:15:00.5+07:00",
     "eventTimeZoneOffset": "+07:00", "action": "ADD",
     "bizStep": "cbv:BizStep-shipping",
     "disposition": "https://ref.gs1.org/cbv/Disp-in_transit",
     "epcList": ["urn:epc:id:sgtin:0614141.107346.2017",
                 "https://example.com/01/10614141073464/21/2017?17=260101",
                 "urn:epc:id:sgtin:0614141.107346.2018"],
     "parentID": "urn:epc:id:sscc:4012345.0000000333",
     "quantityList": [{"epcClass": "urn:epc:class:lgtin:0614141.077777.987", "quantity": 3}],
     "readPoint": {"id": "urn:epc:id:sgln:4012345.00011.987"},
     "bizLocation": {"id": "https://id.gs1.org/414/4012345000115"},
     "bizTransactionList": [{"type": "https://ref.gs1.org/cbv/BTT-po",
                             "bizTransaction": "urn:epcglobal:cbv:bt:4012345000009:PO-1"},
                            {"bizTransaction": "urn:example:ref:9"}],
     "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:4012345.00225"}],
     "destinationList": [{"type": "location", "destination": "urn:epc:id:sgln:4012345.00011.0"}],
     "errorDeclaration": {"declarationTime": "2025-03-06T00:00:00Z", "reason": "incorrect_data",
                          "correctiveEventIDs": ["urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8"]},
     "example:note": "hello"})");
  const DecodeResult r = DecodeDocument(text, Options());
  ASSERT_TRUE(r.issues.empty()) << IssuesText(r);
  ASSERT_EQ(r.events.size(), 1u);
  const Event& e = r.events[0];
  EXPECT_EQ(e.type, EventType::kTransactionEvent);
  EXPECT_EQ(e.event_time, Time("2025-03-05T10:15:00.5+07:00"));
  EXPECT_EQ(e.event_time.utc_offset_minutes(), 420);
  EXPECT_EQ(e.record_time, Time("2025-01-02T03:04:05.678Z"));
  EXPECT_EQ(e.action, "ADD");
  EXPECT_EQ(e.biz_step, "shipping");
  EXPECT_EQ(e.disposition, "in_transit");
  EXPECT_EQ(e.read_point, "https://id.gs1.org/414/4012345000115/254/987");
  EXPECT_EQ(e.biz_location, "https://id.gs1.org/414/4012345000115");
  ASSERT_TRUE(e.error_declaration_time.has_value());
  EXPECT_EQ(*e.error_declaration_time, Time("2025-03-06T00:00:00Z"));
  EXPECT_TRUE(e.event_id.starts_with("ni:///sha-256;")) << e.event_id;
  EXPECT_EQ(e.json.at("eventID").as_string(), e.event_id);
  EXPECT_EQ(e.json.at("recordTime").as_string(), "2025-01-02T03:04:05.678Z");
  EXPECT_EQ(e.json.at("example:note").as_string(), "hello");
  // The document's prefix travels with the event that uses it.
  EXPECT_EQ(json::serialize(e.json.at("@context")),
            R"([{"example":"http://ns.example.com/epcis/"}])");
  EXPECT_EQ(r.namespaces,
            (std::map<std::string, std::string>{{"example", "http://ns.example.com/epcis/"}}));

  const std::vector<IndexEntry> expected = {
      // The URN and the Digital Link (other domain, with a query) of one SGTIN: one entry.
      {IndexKind::kEpc, "", "https://id.gs1.org/01/10614141073464/21/2017"},
      {IndexKind::kEpc, "", "https://id.gs1.org/01/10614141073464/21/2018"},
      {IndexKind::kParentId, "", "https://id.gs1.org/00/040123450000003338"},
      {IndexKind::kEpcClass, "", "https://id.gs1.org/01/00614141777778/10/987"},
      {IndexKind::kReadPoint, "", "https://id.gs1.org/414/4012345000115/254/987"},
      {IndexKind::kBizLocation, "", "https://id.gs1.org/414/4012345000115"},
      {IndexKind::kBizTransaction, "", "urn:example:ref:9"},
      {IndexKind::kBizTransaction, "po", "urn:epcglobal:cbv:bt:4012345000009:PO-1"},
      {IndexKind::kSource, "owning_party", "https://id.gs1.org/417/4012345002256"},
      {IndexKind::kDestination, "location", "https://id.gs1.org/414/4012345000115"},
      {IndexKind::kBizStep, "", "shipping"},
      {IndexKind::kDisposition, "", "in_transit"},
      {IndexKind::kErrorReason, "", "incorrect_data"},
      {IndexKind::kCorrectiveEventId, "", "urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8"},
  };
  EXPECT_EQ(e.index, expected);
}

TEST(DocumentEvents, TransformationAndAggregationIndex) {
  const DecodeResult r = DecodeDocument(Document(R"(
    {"type": "TransformationEvent", "eventTime": "2025-03-05T10:15:00Z",
     "eventTimeZoneOffset": "+00:00", "transformationID": "urn:example:tx:7",
     "inputEPCList": ["urn:epc:id:sgtin:0614141.107346.1"],
     "inputQuantityList": [{"epcClass": "urn:epc:idpat:sgtin:4012345.098765.*", "quantity": 1}],
     "outputQuantityList": [{"epcClass": "https://id.gs1.org/01/09521141012345", "quantity": 2}],
     "persistentDisposition": {"set": ["completeness_verified"], "unset": ["needs_replacement"]}},
    {"type": "AggregationEvent", "eventTime": "2025-03-05T10:15:00Z",
     "eventTimeZoneOffset": "+00:00", "action": "ADD",
     "parentID": "https://id.gs1.org/00/040123450000003338",
     "childEPCs": ["urn:epc:id:sgtin:0614141.107346.1"],
     "childQuantityList": [{"epcClass": "urn:epc:class:lgtin:0614141.077777.987"}]})"),
                                        Options());
  ASSERT_TRUE(r.issues.empty()) << IssuesText(r);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].action, "");
  const std::vector<IndexEntry> transformation = {
      {IndexKind::kInputEpc, "", "https://id.gs1.org/01/10614141073464/21/1"},
      {IndexKind::kInputEpcClass, "", "https://id.gs1.org/01/04012345987652"},
      {IndexKind::kOutputEpcClass, "", "https://id.gs1.org/01/09521141012345"},
      {IndexKind::kTransformationId, "", "urn:example:tx:7"},
      {IndexKind::kPersistentDispositionSet, "", "completeness_verified"},
      {IndexKind::kPersistentDispositionUnset, "", "needs_replacement"},
  };
  EXPECT_EQ(r.events[0].index, transformation);
  const std::vector<IndexEntry> aggregation = {
      {IndexKind::kChildEpc, "", "https://id.gs1.org/01/10614141073464/21/1"},
      {IndexKind::kParentId, "", "https://id.gs1.org/00/040123450000003338"},
      {IndexKind::kChildEpcClass, "", "https://id.gs1.org/01/00614141777778/10/987"},
  };
  EXPECT_EQ(r.events[1].index, aggregation);
  // No document prefix is used: the events are stored exactly as sent, plus ID and time.
  EXPECT_FALSE(r.events[0].json.contains("@context"));
}

TEST(DocumentEvents, EventIdAsSentIsKept) {
  const DecodeResult r = DecodeDocument(
      Document(ObjectEvent(R"("eventID": "urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8",)")),
      Options());
  ASSERT_TRUE(r.issues.empty()) << IssuesText(r);
  EXPECT_EQ(r.events[0].event_id, "urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8");
}

TEST(DocumentEvents, BareEvent) {
  std::string event = ObjectEvent(
      R"("@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",)");
  const DecodeResult r = DecodeDocument(event, Options());
  ASSERT_TRUE(r.issues.empty()) << IssuesText(r);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_FALSE(r.is_query_document);
}

// ---- Canonical forms --------------------------------------------------------------------------

TEST(Canonical, Identifiers) {
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {"urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017"},
      {"https://id.gs1.org/01/10614141073464/21/2017",
       "https://id.gs1.org/01/10614141073464/21/2017"},
      {"https://example.com/shop/01/10614141073464/10/LOT/21/2017?17=260101#x",
       "https://id.gs1.org/01/10614141073464/21/2017"},
      {"urn:epc:class:lgtin:0614141.077777.987", "https://id.gs1.org/01/00614141777778/10/987"},
      {"urn:epc:idpat:sgtin:0614141.107346.*", "https://id.gs1.org/01/10614141073464"},
      {"urn:epc:id:sscc:4012345.0000000333", "https://id.gs1.org/00/040123450000003338"},
      {"urn:epc:id:sgln:4012345.00011.987", "https://id.gs1.org/414/4012345000115/254/987"},
      {"urn:epc:id:sgln:4012345.00011.0", "https://id.gs1.org/414/4012345000115"},
      {"urn:epc:id:pgln:4012345.00225", "https://id.gs1.org/417/4012345002256"},
      {"https://id.gs1.org/01/9521141012345", "https://id.gs1.org/01/09521141012345"},
      // Not GS1 identifiers, or not valid ones: unchanged.
      {"urn:epc:id:gid:95100000.12345.400", "urn:epc:id:gid:95100000.12345.400"},
      {"http://transaction.acme.com/po/12345678", "http://transaction.acme.com/po/12345678"},
      {"urn:uuid:fd338495-0e6d-41dd-afee-a862ecd32518",
       "urn:uuid:fd338495-0e6d-41dd-afee-a862ecd32518"},
      {"urn:epc:id:sgtin:0614141.10734.2017", "urn:epc:id:sgtin:0614141.10734.2017"},
      {"https://id.gs1.org/01/10614141073465", "https://id.gs1.org/01/10614141073465"},
      // On another host, a URI that is not a valid Digital Link is an ordinary HTTP URI.
      {"https://id.example.com/8003/030013450007718765",
       "https://id.example.com/8003/030013450007718765"},
      {"", ""},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(CanonicalIdentifier(in), out) << in;
}

TEST(Canonical, Vocabulary) {
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {"shipping", "shipping"},
      {"urn:epcglobal:cbv:bizstep:shipping", "shipping"},
      {"https://ref.gs1.org/cbv/BizStep-shipping", "shipping"},
      {"cbv:BizStep-shipping", "shipping"},
      {"urn:epcglobal:cbv:disp:in_transit", "in_transit"},
      {"https://ref.gs1.org/cbv/Disp-in_transit", "in_transit"},
      {"urn:epcglobal:cbv:btt:po", "po"},
      {"https://ref.gs1.org/cbv/BTT-desadv", "desadv"},
      {"urn:epcglobal:cbv:sdt:owning_party", "owning_party"},
      {"https://ref.gs1.org/cbv/SDT-location", "location"},
      {"urn:epcglobal:cbv:er:incorrect_data", "incorrect_data"},
      {"https://ref.gs1.org/cbv/ER-did_not_occur", "did_not_occur"},
      // Not CBV terms: unchanged.
      {"urn:epcglobal:cbv:bizstep:flying", "urn:epcglobal:cbv:bizstep:flying"},
      {"https://ref.gs1.org/cbv/BizStep-in_transit", "https://ref.gs1.org/cbv/BizStep-in_transit"},
      {"https://example.com/steps/shipping", "https://example.com/steps/shipping"},
      {"example:shipping", "example:shipping"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(CanonicalVocabulary(in), out) << in;
}

// ---- Encoding ---------------------------------------------------------------------------------

std::vector<std::string> StoredTexts(const DecodeResult& r) {
  std::vector<std::string> texts;
  for (const Event& e : r.events) texts.push_back(json::serialize(e.json));
  return texts;
}

TEST(DocumentEncode, QueryDocumentShape) {
  const DecodeResult r = DecodeDocument(Document(ObjectEvent("")), Options());
  ASSERT_TRUE(r.issues.empty()) << IssuesText(r);
  EncodeOptions options;
  options.query_name = "MyQuery";
  options.subscription_id = "sub-1";
  options.namespaces = {{"example", "http://ns.example.com/epcis/"}};
  options.creation_date = Time("2025-02-01T00:00:00Z");
  core::Result<std::string> text = EncodeQueryDocument(StoredTexts(r), options);
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  const json::value doc = json::parse(*text);
  EXPECT_EQ(json::serialize(doc.at("@context")),
            R"(["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",)"
            R"({"example":"http://ns.example.com/epcis/"}])");
  EXPECT_EQ(doc.at("type").as_string(), "EPCISQueryDocument");
  EXPECT_EQ(doc.at("schemaVersion").as_string(), "2.0");
  EXPECT_EQ(doc.at("creationDate").as_string(), "2025-02-01T00:00:00Z");
  const json::value& results = doc.at("epcisBody").at("queryResults");
  EXPECT_EQ(results.at("queryName").as_string(), "MyQuery");
  EXPECT_EQ(results.at("subscriptionID").as_string(), "sub-1");
  EXPECT_EQ(results.at("resultsBody").at("eventList").as_array().size(), 1u);

  const std::vector<std::string> broken = {"{\"type\": "};
  EXPECT_FALSE(EncodeQueryDocument(broken, {}).ok());
  const std::vector<std::string> not_object = {"[1]"};
  EXPECT_FALSE(EncodeQueryDocument(not_object, {}).ok());
  core::Result<std::string> empty = EncodeQueryDocument({}, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(json::parse(*empty)
                  .at("epcisBody")
                  .at("queryResults")
                  .at("resultsBody")
                  .at("eventList")
                  .as_array()
                  .empty());
}

// Everything decoded, encoded as query results and decoded again comes back the same.
TEST(DocumentEncode, RoundTripOfTheConformanceExamples) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  std::vector<fs::path> files = JsonFiles(conformance / "epcis/JSON");
  for (const fs::path& f : OpenEpcisCaptureDocuments(conformance)) files.push_back(f);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    const DecodeResult first = DecodeDocument(testing::ReadFileOrEmpty(file), Options());
    ASSERT_TRUE(first.issues.empty()) << IssuesText(first);
    EncodeOptions options;
    options.creation_date = Time("2025-02-01T00:00:00Z");
    core::Result<std::string> text = EncodeQueryDocument(StoredTexts(first), options);
    ASSERT_TRUE(text.ok()) << text.error().ToString();
    DecodeOptions later = Options();
    later.record_time = Time("2025-03-01T00:00:00Z");
    const DecodeResult second = DecodeDocument(*text, later);
    ASSERT_TRUE(second.issues.empty()) << IssuesText(second);
    EXPECT_TRUE(second.is_query_document);
    ASSERT_EQ(second.events.size(), first.events.size());
    for (std::size_t i = 0; i < first.events.size(); ++i) {
      const Event& a = first.events[i];
      const Event& b = second.events[i];
      EXPECT_EQ(a.event_id, b.event_id);
      EXPECT_EQ(a.type, b.type);
      EXPECT_EQ(a.event_time, b.event_time);
      EXPECT_EQ(b.record_time, later.record_time);
      EXPECT_EQ(a.action, b.action);
      EXPECT_EQ(a.biz_step, b.biz_step);
      EXPECT_EQ(a.disposition, b.disposition);
      EXPECT_EQ(a.read_point, b.read_point);
      EXPECT_EQ(a.biz_location, b.biz_location);
      EXPECT_EQ(a.error_declaration_time, b.error_declaration_time);
      EXPECT_EQ(a.index, b.index);
      json::object without_record_time = b.json;
      without_record_time["recordTime"] = a.json.at("recordTime");
      EXPECT_EQ(without_record_time, a.json);
    }
  }
}

TEST(DocumentEncode, EpcFormats) {
  const DecodeResult r = DecodeDocument(Document(R"(
    {"type": "ObjectEvent", "eventTime": "2025-03-05T10:15:00Z", "eventTimeZoneOffset": "+00:00",
     "action": "OBSERVE",
     "epcList": ["urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/9"],
     "quantityList": [{"epcClass": "urn:epc:class:lgtin:0614141.077777.987"}],
     "readPoint": {"id": "https://id.gs1.org/414/4012345000115/254/987"},
     "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:4012345.00225"}]})"),
                                        Options());
  ASSERT_TRUE(r.issues.empty()) << IssuesText(r);
  const std::vector<std::string> stored = StoredTexts(r);
  auto event_of = [](const std::string& text) {
    return json::parse(text)
        .at("epcisBody")
        .at("queryResults")
        .at("resultsBody")
        .at("eventList")
        .at(0);
  };

  EncodeOptions options;
  options.epc_format = EpcFormat::kAlwaysDigitalLink;
  core::Result<std::string> dl = EncodeQueryDocument(stored, options);
  ASSERT_TRUE(dl.ok());
  json::value e = event_of(*dl);
  EXPECT_EQ(json::serialize(e.at("epcList")), R"(["https://id.gs1.org/01/10614141073464/21/2017",)"
                                              R"("https://id.gs1.org/01/10614141073464/21/9"])");
  EXPECT_EQ(e.at("quantityList").at(0).at("epcClass").as_string(),
            "https://id.gs1.org/01/00614141777778/10/987");
  EXPECT_EQ(e.at("sourceList").at(0).at("source").as_string(),
            "https://id.gs1.org/417/4012345002256");

  // Without company prefix lengths, Digital Links stay as they are.
  options.epc_format = EpcFormat::kAlwaysEpcUrn;
  core::Result<std::string> kept = EncodeQueryDocument(stored, options);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(event_of(*kept).at("epcList").at(1).as_string(),
            "https://id.gs1.org/01/10614141073464/21/9");

  gs1::GcpLengthTable lengths;
  ASSERT_TRUE(lengths.Add("0614141", 7).ok());
  ASSERT_TRUE(lengths.Add("4012345", 7).ok());
  options.gcp_lengths = &lengths;
  core::Result<std::string> urn = EncodeQueryDocument(stored, options);
  ASSERT_TRUE(urn.ok());
  e = event_of(*urn);
  EXPECT_EQ(json::serialize(e.at("epcList")),
            R"(["urn:epc:id:sgtin:0614141.107346.2017","urn:epc:id:sgtin:0614141.107346.9"])");
  EXPECT_EQ(e.at("readPoint").at("id").as_string(), "urn:epc:id:sgln:4012345.00011.987");

  options.epc_format = EpcFormat::kNeverTranslates;
  core::Result<std::string> same = EncodeQueryDocument(stored, options);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(event_of(*same).at("epcList").at(0).as_string(),
            "urn:epc:id:sgtin:0614141.107346.2017");
}

// One object named as an EPC URN and as a Digital Link is written once after translation: the
// schema's EPC lists have uniqueItems.
TEST(DocumentEncode, TranslationDoesNotRepeatAnEpc) {
  const DecodeResult r = DecodeDocument(Document(R"(
    {"type": "ObjectEvent", "eventTime": "2025-03-05T10:15:00Z", "eventTimeZoneOffset": "+00:00",
     "action": "OBSERVE",
     "epcList": ["urn:epc:id:sscc:4012345.0000000333", "urn:epc:id:sgtin:0614141.107346.2017",
                 "https://id.gs1.org/00/040123450000003338"]})"),
                                        Options());
  ASSERT_TRUE(r.issues.empty()) << IssuesText(r);
  EncodeOptions options;
  options.epc_format = EpcFormat::kAlwaysDigitalLink;
  core::Result<std::string> dl = EncodeQueryDocument(StoredTexts(r), options);
  ASSERT_TRUE(dl.ok());
  EXPECT_EQ(json::serialize(json::parse(*dl)
                                .at("epcisBody")
                                .at("queryResults")
                                .at("resultsBody")
                                .at("eventList")
                                .at(0)
                                .at("epcList")),
            R"(["https://id.gs1.org/00/040123450000003338",)"
            R"("https://id.gs1.org/01/10614141073464/21/2017"])");
}

}  // namespace
}  // namespace vntrace::epcis
