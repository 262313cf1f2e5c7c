#include "epcis/xml_document.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/test_support.hpp"
#include "core/time.hpp"
#include "epcis/document.hpp"
#include "epcis/event.hpp"
#include "epcis/event_hash.hpp"

namespace vntrace::epcis {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

DecodeOptions Options() {
  DecodeOptions options;
  core::Result<core::Timestamp> t = core::ParseRfc3339("2025-01-02T03:04:05.678Z");
  EXPECT_TRUE(t.ok());
  options.record_time = *t;
  return options;
}

std::string Issues(const DecodeResult& r) {
  std::string out;
  for (const ValidationIssue& i : r.issues) out += i.ToString() + "\n";
  return out;
}

// The pre-hash string of a decoded event: everything the event says, binding-independent.
std::string PreHash(const Event& e) {
  JsonLdContext context;
  if (const json::value* c = e.json.if_contains("@context")) context.Add(*c);
  core::Result<std::string> pre = EventPreHashString(e.json, context);
  EXPECT_TRUE(pre.ok());
  return pre.ok() ? *pre : std::string();
}

// Two decodings name the same events: same ids, fields, index entries and content.
void ExpectSameEvents(const std::vector<Event>& a, const std::vector<Event>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE("event " + std::to_string(i));
    EXPECT_EQ(a[i].event_id, b[i].event_id);
    EXPECT_EQ(a[i].type, b[i].type);
    EXPECT_EQ(core::FormatRfc3339(a[i].event_time), core::FormatRfc3339(b[i].event_time));
    EXPECT_EQ(a[i].action, b[i].action);
    EXPECT_EQ(a[i].biz_step, b[i].biz_step);
    EXPECT_EQ(a[i].disposition, b[i].disposition);
    EXPECT_EQ(a[i].read_point, b[i].read_point);
    EXPECT_EQ(a[i].biz_location, b[i].biz_location);
    EXPECT_EQ(a[i].error_declaration_time.has_value(), b[i].error_declaration_time.has_value());
    std::vector<IndexEntry> ia = a[i].index;
    std::vector<IndexEntry> ib = b[i].index;
    const auto less = [](const IndexEntry& x, const IndexEntry& y) {
      return std::tie(x.kind, x.type, x.value) < std::tie(y.kind, y.type, y.value);
    };
    std::sort(ia.begin(), ia.end(), less);
    std::sort(ib.begin(), ib.end(), less);
    EXPECT_EQ(ia, ib);
    EXPECT_EQ(PreHash(a[i]), PreHash(b[i]));
  }
}

constexpr std::string_view kObjectEventXml = R"(<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:ex="https://ns.example.com/epcis/"
    schemaVersion="2.0" creationDate="2025-01-01T00:00:00Z">
  <EPCISBody><EventList>
    <ObjectEvent>
      <eventTime>2025-01-01T08:00:00.000+07:00</eventTime>
      <eventTimeZoneOffset>+07:00</eventTimeZoneOffset>
      <epcList><epc>urn:epc:id:sgtin:8930000.012345.1001</epc></epcList>
      <action>ADD</action>
      <bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
      <disposition>https://ref.gs1.org/cbv/Disp-active</disposition>
      <readPoint><id>urn:epc:id:sgln:8930000.00001.0</id></readPoint>
      <bizTransactionList>
        <bizTransaction type="urn:epcglobal:cbv:btt:po">urn:epcglobal:cbv:bt:8930000000009:PO1</bizTransaction>
      </bizTransactionList>
      <quantityList><quantityElement>
        <epcClass>urn:epc:class:lgtin:8930000.012345.LOT1</epcClass><quantity>2.50</quantity><uom>KGM</uom>
      </quantityElement></quantityList>
      <ilmd><ex:harvest><ex:field>Ruộng 1</ex:field></ex:harvest>
        <mda:lotNumber xmlns:mda="urn:epcglobal:cbv:mda:">LOT1</mda:lotNumber></ilmd>
      <ex:note xsi:type="xsd:integer" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xmlns:xsd="http://www.w3.org/2001/XMLSchema">12</ex:note>
    </ObjectEvent>
  </EventList></EPCISBody>
</epcis:EPCISDocument>)";

constexpr std::string_view kObjectEventJson = R"({
  "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
               {"ex": "https://ns.example.com/epcis/"}],
  "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2025-01-01T00:00:00Z",
  "epcisBody": {"eventList": [{
    "type": "ObjectEvent",
    "eventTime": "2025-01-01T08:00:00.000+07:00", "eventTimeZoneOffset": "+07:00",
    "epcList": ["urn:epc:id:sgtin:8930000.012345.1001"],
    "action": "ADD", "bizStep": "commissioning", "disposition": "active",
    "readPoint": {"id": "urn:epc:id:sgln:8930000.00001.0"},
    "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:8930000000009:PO1"}],
    "quantityList": [{"epcClass": "urn:epc:class:lgtin:8930000.012345.LOT1", "quantity": 2.5, "uom": "KGM"}],
    "ilmd": {"ex:harvest": {"ex:field": "Ruộng 1"}, "cbvmda:lotNumber": "LOT1"},
    "ex:note": 12
  }]}})";

TEST(XmlDocumentTest, DecodesToTheSameEventsAsTheJsonTwin) {
  const DecodeResult xml = DecodeXmlDocument(kObjectEventXml, Options());
  ASSERT_TRUE(xml.issues.empty()) << Issues(xml);
  const DecodeResult jsonld = DecodeDocument(kObjectEventJson, Options());
  ASSERT_TRUE(jsonld.issues.empty()) << Issues(jsonld);
  ExpectSameEvents(xml.events, jsonld.events);
  ASSERT_EQ(xml.events.size(), 1u);
  EXPECT_EQ(xml.events[0].biz_step, "commissioning");
  EXPECT_EQ(xml.events[0].disposition, "active");
  EXPECT_EQ(xml.events[0].read_point, "https://id.gs1.org/414/8930000000019");
  EXPECT_EQ(json::serialize(xml.events[0].json.at("ex:note")), "12");
  // The JSON-LD context's cbvmda namespace, whatever the XML prefix: the lot is indexed.
  EXPECT_EQ(json::serialize(xml.events[0].json.at("ilmd").at("cbvmda:lotNumber")), "\"LOT1\"");
  EXPECT_NE(
      std::find(xml.events[0].index.begin(), xml.events[0].index.end(),
                IndexEntry{IndexKind::kInstanceLot, "https://id.gs1.org/01/08930000123459/21/1001",
                           "https://id.gs1.org/01/08930000123459/10/LOT1"}),
      xml.events[0].index.end());
}

TEST(XmlDocumentTest, LooksLikeXml) {
  EXPECT_TRUE(LooksLikeXml("<?xml version=\"1.0\"?><a/>"));
  EXPECT_TRUE(LooksLikeXml("\xEF\xBB\xBF  \n<a/>"));
  EXPECT_FALSE(LooksLikeXml("  {\"type\": \"EPCISDocument\"}"));
  EXPECT_FALSE(LooksLikeXml(""));
}

// Namespaces are matched by URI: another prefix for the same namespace is the same extension,
// and a prefix that the EPCIS context uses for something else is renamed.
TEST(XmlDocumentTest, NamespacesByUri) {
  const std::string xml =
      R"(<a:EPCISDocument xmlns:a="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0"
      creationDate="2025-01-01T00:00:00Z" xmlns:x="https://ns.example.com/epcis/"
      xmlns:y="https://ns.example.com/epcis/" xmlns:gs1="urn:not-gs1:">
    <EPCISBody><EventList><ObjectEvent>
      <eventTime>2025-01-01T08:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
      <epcList/><action>OBSERVE</action>
      <x:a>1</x:a><y:a>2</y:a><gs1:b>3</gs1:b>
    </ObjectEvent></EventList></EPCISBody></a:EPCISDocument>)";
  core::Result<std::string> text = XmlToJsonLd(xml);
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  const json::value doc = json::parse(*text);
  const json::object& event = doc.at("epcisBody").at("eventList").at(0).as_object();
  EXPECT_EQ(json::serialize(event.at("x:a")), R"(["1","2"])");
  EXPECT_EQ(json::serialize(event.at("ns1:b")), R"("3")");
  EXPECT_EQ(json::serialize(doc.at("@context").at(1)),
            R"({"x":"https://ns.example.com/epcis/","ns1":"urn:not-gs1:"})");
  const DecodeResult r = DecodeXmlDocument(xml, Options());
  EXPECT_TRUE(r.issues.empty()) << Issues(r);
}

// EPCIS 1.2: baseExtension, extension wrappers and TransformationEvent inside
// EventList/extension map to the 2.0 fields.
TEST(XmlDocumentTest, Epcis12Mapping) {
  const std::string xml = R"(<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1"
      schemaVersion="1.2" creationDate="2025-01-01T00:00:00Z">
    <EPCISBody><EventList>
      <ObjectEvent>
        <eventTime>2025-01-01T08:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
        <baseExtension><eventID>urn:uuid:3f1d4c1e-1d7e-4f43-9b7e-2c1b6f1d0a01</eventID></baseExtension>
        <epcList/><action>ADD</action>
        <extension>
          <quantityList><quantityElement>
            <epcClass>urn:epc:class:lgtin:8930000.012345.LOT1</epcClass><quantity>5</quantity>
            <uom>KGM</uom></quantityElement></quantityList>
          <sourceList><source type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:8930000.00001</source></sourceList>
        </extension>
      </ObjectEvent>
      <extension>
        <TransformationEvent>
          <eventTime>2025-01-02T08:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
          <inputQuantityList><quantityElement>
            <epcClass>urn:epc:class:lgtin:8930000.012345.LOT1</epcClass><quantity>5</quantity>
            <uom>KGM</uom></quantityElement></inputQuantityList>
          <outputEPCList><epc>urn:epc:id:sgtin:8930000.012345.7</epc></outputEPCList>
          <bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
        </TransformationEvent>
      </extension>
    </EventList></EPCISBody></epcis:EPCISDocument>)";
  const DecodeResult r = DecodeXmlDocument(xml, Options());
  ASSERT_TRUE(r.issues.empty()) << Issues(r);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].event_id, "urn:uuid:3f1d4c1e-1d7e-4f43-9b7e-2c1b6f1d0a01");
  EXPECT_TRUE(r.events[0].json.contains("quantityList"));
  EXPECT_EQ(json::serialize(r.events[0].json.at("sourceList")),
            R"([{"type":"owning_party","source":"urn:epc:id:pgln:8930000.00001"}])");
  EXPECT_EQ(r.events[1].type, EventType::kTransformationEvent);
  EXPECT_EQ(r.events[1].biz_step, "commissioning");
}

struct BadCase {
  std::string_view name;
  std::string xml;
  int event_index;
  std::string_view field;    // ValidationIssue::field, exactly
  std::string_view message;  // a part of the message
};

std::string Wrap(std::string_view event) {
  return std::string(R"(<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" )"
                     R"(schemaVersion="2.0" creationDate="2025-01-01T00:00:00Z">)"
                     "<EPCISBody><EventList>") +
         std::string(event) + "</EventList></EPCISBody></epcis:EPCISDocument>";
}

constexpr std::string_view kGoodEvent =
    "<ObjectEvent><eventTime>2025-01-01T08:00:00Z</eventTime>"
    "<eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList/><action>OBSERVE</action>"
    "</ObjectEvent>";

TEST(XmlDocumentTest, RefusesWithPreciseIssues) {
  const std::vector<BadCase> cases = {
      {"not well-formed", "<epcis:EPCISDocument>\n<EPCISBody>\n</epcis:EPCISDocument>", -1,
       "line 3", "not well-formed XML"},
      {"entity declarations",
       "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY x \"y\">]>\n" + Wrap(kGoodEvent), -1,
       "DOCTYPE", "not allowed"},
      {"external DTD", "<!DOCTYPE d SYSTEM \"http://evil.example/d.dtd\">" + Wrap(kGoodEvent), -1,
       "DOCTYPE", "not allowed"},
      {"not EPCIS", "<html><body/></html>", -1, "html", "not an EPCISDocument"},
      {"unknown element",
       Wrap(std::string(kGoodEvent) +
            "<ObjectEvent><eventTime>2025-01-01T08:00:00Z</eventTime><colour>red</colour>"
            "</ObjectEvent>"),
       1, "EPCISDocument/EPCISBody/EventList/ObjectEvent/colour", "<colour> is not an element"},
      {"undeclared prefix",
       Wrap("<ObjectEvent><eventTime>2025-01-01T08:00:00Z</eventTime><q:x>1</q:x>"
            "</ObjectEvent>"),
       0, "EPCISDocument/EPCISBody/EventList/ObjectEvent/x", "prefix q is not declared"},
      {"bad quantity (JSON decoder's rule)",
       Wrap("<ObjectEvent><eventTime>2025-01-01T08:00:00Z</eventTime>"
            "<eventTimeZoneOffset>+00:00</eventTimeZoneOffset><action>ADD</action>"
            "<quantityList><quantityElement><epcClass>urn:epc:class:lgtin:8930000.012345.L"
            "</epcClass><quantity>lots</quantity></quantityElement></quantityList>"
            "</ObjectEvent>"),
       0, "quantityList[0].quantity", ""},
      {"bad CBV word (JSON decoder's rule)",
       Wrap("<ObjectEvent><eventTime>2025-01-01T08:00:00Z</eventTime>"
            "<eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList/><action>ADD</action>"
            "<bizStep>urn:epcglobal:cbv:bizstep:dancing</bizStep></ObjectEvent>"),
       0, "bizStep", "dancing"},
      {"missing action",
       Wrap("<ObjectEvent><eventTime>2025-01-01T08:00:00Z</eventTime>"
            "<eventTimeZoneOffset>+00:00</eventTimeZoneOffset></ObjectEvent>"),
       0, "action", ""},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.name);
    const DecodeResult r = DecodeXmlDocument(c.xml, Options());
    ASSERT_FALSE(r.issues.empty());
    EXPECT_TRUE(r.events.empty());
    EXPECT_EQ(r.issues[0].event_index, c.event_index) << Issues(r);
    EXPECT_EQ(r.issues[0].field, c.field) << Issues(r);
    EXPECT_NE(r.issues[0].message.find(c.message), std::string::npos) << Issues(r);
  }
}

TEST(XmlDocumentTest, Limits) {
  DecodeOptions options = Options();
  options.max_bytes = 100;
  DecodeResult r = DecodeXmlDocument(Wrap(kGoodEvent), options);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("larger than 100 bytes"), std::string::npos);
  std::string deep = "<ex:a xmlns:ex=\"urn:ex:\">";
  for (int i = 0; i < 100; ++i) deep += "<ex:a>";
  for (int i = 0; i < 100; ++i) deep += "</ex:a>";
  deep += "</ex:a>";
  r = DecodeXmlDocument(
      Wrap("<ObjectEvent><eventTime>2025-01-01T08:00:00Z</eventTime>" + deep + "</ObjectEvent>"),
      Options());
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].message.find("nested deeper than"), std::string::npos) << Issues(r);
  // A bare DOCTYPE declares nothing (GS1's own examples carry one).
  r = DecodeXmlDocument("<!DOCTYPE project>" + Wrap(kGoodEvent), Options());
  EXPECT_TRUE(r.issues.empty()) << Issues(r);
}

TEST(XmlDocumentTest, EncodeRoundTrip) {
  const DecodeResult first = DecodeXmlDocument(kObjectEventXml, Options());
  ASSERT_TRUE(first.issues.empty()) << Issues(first);
  std::vector<std::string> texts;
  for (const Event& e : first.events) texts.push_back(json::serialize(e.json));
  EncodeOptions options;
  options.namespaces = first.namespaces;
  core::Result<std::string> xml = EncodeXmlQueryDocument(texts, options);
  ASSERT_TRUE(xml.ok()) << xml.error().ToString();
  EXPECT_TRUE(xml->starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<epcisq:")) << *xml;
  EXPECT_EQ(xml->find("<?xml", 1), std::string::npos) << *xml;
  EXPECT_NE(xml->find("<bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>"),
            std::string::npos)
      << *xml;
  EXPECT_NE(xml->find("<queryName>SimpleEventQuery</queryName>"), std::string::npos) << *xml;
  const DecodeResult second = DecodeXmlDocument(*xml, Options());
  ASSERT_TRUE(second.issues.empty()) << Issues(second) << *xml;
  ExpectSameEvents(first.events, second.events);
  options.cbv_format = CbvFormat::kAlwaysWebUri;
  options.creation_date = Options().record_time;
  xml = EncodeXmlDocument(texts, options);
  ASSERT_TRUE(xml.ok());
  EXPECT_NE(xml->find("https://ref.gs1.org/cbv/BizStep-commissioning"), std::string::npos);
  const DecodeResult third = DecodeXmlDocument(*xml, Options());
  ASSERT_TRUE(third.issues.empty()) << Issues(third) << *xml;
  ExpectSameEvents(first.events, third.events);
}

// ---- Conformance: GS1's XML examples ---------------------------------------------------------

std::vector<fs::path> FilesUnder(const fs::path& dir, std::string_view extension) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == extension) {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The JSON twin of an XML example: a JSON/JSON-LD file of the same stem under epcis/JSON.
std::map<std::string, fs::path> JsonTwins(const fs::path& conformance) {
  std::map<std::string, fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(conformance / "epcis/JSON")) {
    const fs::path& p = entry.path();
    if (entry.is_regular_file() && (p.extension() == ".json" || p.extension() == ".jsonld")) {
      out.emplace(p.stem().string(), p);
    }
  }
  return out;
}

// GS1's XML examples whose JSON twin of the same name says something else (checked by hand):
// the WithFullCombinationOfFields pairs differ in action, eventTime, eventID, errorDeclaration,
// certificationInfo and their extensions; ErrorDeclarationAndCorrectiveEvent in its readPoint
// and an input quantity (xsi:nil in XML, 500 KGM in JSON).
const std::set<std::string> kTwinsThatDiffer = {
    "ErrorDeclarationAndCorrectiveEvent.xml",    "aggregation_event_all_possible_fields.xml",
    "association_event_all_possible_fields.xml", "object_event_all_possible_fields.xml",
    "transaction_event_all_possible_fields.xml", "transformation_event_all_possible_fields.xml",
};

// Examples that are not EPCIS documents (capture job resources of the REST binding).
bool IsCaptureJob(const fs::path& p) { return p.parent_path().filename() == "CaptureJob"; }

TEST(XmlConformance, EveryExampleDecodesAndRoundTrips) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  const std::vector<fs::path> files = FilesUnder(conformance / "epcis/XML", ".xml");
  ASSERT_GE(files.size(), 30u) << "conformance/epcis/XML looks incomplete";
  const std::map<std::string, fs::path> twins = JsonTwins(conformance);
  int valid = 0;
  int twins_compared = 0;
  for (const fs::path& p : files) {
    SCOPED_TRACE(p.lexically_relative(conformance).string());
    const std::string text = testing::ReadFileOrEmpty(p);
    ASSERT_FALSE(text.empty());
    core::Result<std::string> mapped = XmlToJsonLd(text);
    if (IsCaptureJob(p)) {
      ASSERT_FALSE(mapped.ok());
      EXPECT_NE(mapped.error().message.find("not an EPCISDocument"), std::string::npos);
      continue;
    }
    ASSERT_TRUE(mapped.ok()) << mapped.error().ToString();
    const DecodeResult r = DecodeXmlDocument(text, Options());
    if (!r.issues.empty()) {
      std::printf("[   INFO   ] %s refused: %s", p.filename().string().c_str(), Issues(r).c_str());
      continue;
    }
    ++valid;
    // The JSON twin, where GS1 publishes one, decodes to the same events.
    if (auto twin = twins.find(p.stem().string()); twin != twins.end()) {
      const DecodeResult j = DecodeDocument(testing::ReadFileOrEmpty(twin->second), Options());
      if (j.issues.empty()) {
        bool same = j.events.size() == r.events.size();
        for (std::size_t i = 0; same && i < r.events.size(); ++i) {
          same = PreHash(r.events[i]) == PreHash(j.events[i]) &&
                 r.events[i].event_id == j.events[i].event_id;
        }
        if (kTwinsThatDiffer.contains(p.filename().string())) {
          EXPECT_FALSE(same) << "now equal to its JSON twin: remove it from kTwinsThatDiffer";
        } else {
          ++twins_compared;
          ExpectSameEvents(r.events, j.events);
        }
      }
    }
    // Encoded as an EPCIS 2.0 XML query document and decoded again: the same events.
    std::vector<std::string> texts;
    for (const Event& e : r.events) texts.push_back(json::serialize(e.json));
    EncodeOptions options;
    options.namespaces = r.namespaces;
    core::Result<std::string> xml = EncodeXmlQueryDocument(texts, options);
    ASSERT_TRUE(xml.ok()) << xml.error().ToString();
    const DecodeResult again = DecodeXmlDocument(*xml, Options());
    ASSERT_TRUE(again.issues.empty()) << Issues(again) << *xml;
    ExpectSameEvents(r.events, again.events);
  }
  std::printf(
      "[          ] %zu XML examples, %d valid and round-tripped, %d equal to their "
      "JSON twin\n",
      files.size(), valid, twins_compared);
  EXPECT_GE(valid, 25);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
    start = end + 1;
  }
  return out;
}

TEST(XmlConformance, HashVectors) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  int documents = 0;
  int events = 0;
  for (const fs::path& p : FilesUnder(conformance / "hash", ".xml")) {
    const fs::path hashes = fs::path(p).replace_extension(".hashes");
    if (!fs::exists(hashes) || p.parent_path() != conformance / "hash") continue;
    SCOPED_TRACE(p.filename().string());
    ++documents;
    const std::string text = testing::ReadFileOrEmpty(p);
    const std::vector<std::string> expected = Lines(testing::ReadFileOrEmpty(hashes));
    core::Result<std::vector<std::string>> ids = XmlDocumentEventHashIds(text);
    ASSERT_TRUE(ids.ok()) << ids.error().ToString();
    if (p.filename() == "SensorDataExamples.xml" && ids->size() == expected.size() &&
        ids->size() > 7) {
      // Event 7 has a bizRules attribute on a sensorReport, which the XSD does not allow; the
      // reference implementation's pre-hash string for it is garbled (it repeats
      // "sensorElementListsensorElement" before that attribute), so its hash is no standard to
      // meet. vntrace refuses the event when capturing it.
      EXPECT_NE((*ids)[7], expected[7]);
      (*ids)[7] = expected[7];
    }
    EXPECT_EQ(*ids, expected);
    if (*ids != expected) {
      core::Result<std::vector<std::string>> pre = XmlDocumentEventPreHashStrings(text);
      const std::vector<std::string> reference =
          Lines(testing::ReadFileOrEmpty(fs::path(p).replace_extension(".prehashes")));
      for (std::size_t i = 0; pre.ok() && i < pre->size(); ++i) {
        if (i < expected.size() && i < ids->size() && (*ids)[i] == expected[i]) continue;
        ADD_FAILURE() << "event " << i << "\n ours: " << (*pre)[i]
                      << "\n  ref: " << (i < reference.size() ? reference[i] : "");
      }
    }
    events += static_cast<int>(expected.size());
  }
  std::printf("[          ] %d XML hash vectors, %d events\n", documents, events);
  EXPECT_GE(documents, 10);
}

TEST(XmlConformance, EveryFormWithEventHashIdHashesAlike) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  const fs::path dir = conformance / "epcis/XML/WithEventHashID";
  std::set<std::string> ids;
  int events = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const fs::path& p = entry.path();
    SCOPED_TRACE(p.filename().string());
    const std::string text = testing::ReadFileOrEmpty(p);
    const bool xml = p.extension() == ".xml";
    core::Result<std::vector<std::string>> hashes =
        xml ? XmlDocumentEventHashIds(text) : DocumentEventHashIds(text);
    ASSERT_TRUE(hashes.ok()) << hashes.error().ToString();
    if (p.filename() == "event_with_identical_hash_id_2.xml") {
      // "different time zone but exactly identical event": the same instant, but its
      // eventTimeZoneOffset (-05:00 against -06:00) is part of the CBV 2.0 pre-hash string, in
      // the standard and in GS1's reference implementation alike, so its hash differs. Apart
      // from that field its pre-hash string is the base event's.
      core::Result<std::vector<std::string>> pre = XmlDocumentEventPreHashStrings(text);
      core::Result<std::vector<std::string>> base = XmlDocumentEventPreHashStrings(
          testing::ReadFileOrEmpty(dir / "event_with_identical_hash_id_1.xml"));
      ASSERT_TRUE(pre.ok() && base.ok());
      ASSERT_EQ(pre->size(), 1u);
      ASSERT_EQ(base->size(), 1u);
      std::string mine = (*pre)[0];
      const std::size_t at = mine.find("eventTimeZoneOffset=-05:00");
      ASSERT_NE(at, std::string::npos);
      mine.replace(at, std::string_view("eventTimeZoneOffset=-05:00").size(),
                   "eventTimeZoneOffset=-06:00");
      EXPECT_EQ(mine, (*base)[0]);
      continue;
    }
    for (const std::string& id : *hashes) {
      ids.insert(id);
      ++events;
    }
  }
  EXPECT_GE(events, 6);
  EXPECT_EQ(ids.size(), 1u);
}

}  // namespace
}  // namespace vntrace::epcis
