// CBV 2.0 event hash ID throughput: events hashed per second from parsed JSON objects, and from
// the text of a whole EPCIS document (JSON parse included). Goal: at least 250,000 event hash IDs
// per second on one core.
// Run: make bench  (pins to one core; see docs/benchmarks.md for recorded figures).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "core/sha256.hpp"
#include "core/time.hpp"
#include "epcis/document.hpp"
#include "epcis/event_hash.hpp"
#include "epcis/xml_document.hpp"

namespace {

namespace json = boost::json;
using vntrace::epcis::DocumentEventHashIds;
using vntrace::epcis::EventHashId;
using vntrace::epcis::JsonLdContext;

// Typical events of a Vietnamese producer: commissioning with ILMD, shipping with transactions
// and parties, an aggregation, and a sensor reading.
const std::vector<std::string>& Events() {
  static const std::vector<std::string> events = {
      R"({"type": "ObjectEvent", "eventTime": "2025-03-04T08:00:30.120+07:00",
          "eventTimeZoneOffset": "+07:00", "action": "ADD", "bizStep": "commissioning",
          "disposition": "active",
          "epcList": ["urn:epc:id:sgtin:8935001.020001.1001", "urn:epc:id:sgtin:8935001.020001.1002",
                      "https://id.gs1.org/01/08935001200017/21/1003"],
          "readPoint": {"id": "urn:epc:id:sgln:8935001.00001.0"},
          "bizLocation": {"id": "https://id.gs1.org/414/8935001000012"},
          "ilmd": {"vnt:harvestDate": "2025-03-01", "vnt:farmPlot": "QN-12"}})",
      R"({"type": "ObjectEvent", "eventTime": "2025-03-05T10:15:00+07:00",
          "eventTimeZoneOffset": "+07:00", "action": "OBSERVE", "bizStep": "shipping",
          "disposition": "in_transit", "epcList": ["urn:epc:id:sscc:8935001.0000000017"],
          "readPoint": {"id": "urn:epc:id:sgln:8935001.00001.0"},
          "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:8935001000012:PO-77"},
                                 {"type": "desadv", "bizTransaction": "urn:epcglobal:cbv:bt:8935001000012:ASN-9"}],
          "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:8935001.00000"}],
          "destinationList": [{"type": "owning_party", "destination": "urn:epc:id:pgln:8935002.00000"},
                              {"type": "location", "destination": "urn:epc:id:sgln:8935002.00001.0"}]})",
      R"({"type": "AggregationEvent", "eventTime": "2025-03-05T09:00:00.000+07:00",
          "eventTimeZoneOffset": "+07:00", "action": "ADD", "bizStep": "packing",
          "parentID": "urn:epc:id:sscc:8935001.0000000017",
          "childEPCs": ["urn:epc:id:sgtin:8935001.020001.1001", "urn:epc:id:sgtin:8935001.020001.1002"],
          "childQuantityList": [{"epcClass": "urn:epc:class:lgtin:8935001.020001.L2025", "quantity": 12.0, "uom": "KGM"}],
          "readPoint": {"id": "urn:epc:id:sgln:8935001.00001.0"}})",
      R"({"type": "ObjectEvent", "eventTime": "2025-03-05T12:00:00Z", "eventTimeZoneOffset": "+07:00",
          "action": "OBSERVE", "bizStep": "sensor_reporting",
          "epcList": ["urn:epc:id:sscc:8935001.0000000017"],
          "sensorElementList": [{"sensorMetadata": {"time": "2025-03-05T12:00:00Z",
                                                    "deviceID": "urn:epc:id:giai:8935001.T1"},
                                 "sensorReport": [{"type": "Temperature", "value": 4.5, "uom": "CEL"},
                                                  {"type": "RelativeHumidity", "value": 81, "uom": "P1"}]}]})",
  };
  return events;
}

JsonLdContext Context() {
  JsonLdContext context;
  context.AddPrefix("vnt", "https://vntrace.vn/voc/");
  return context;
}

void BM_EventHashId(benchmark::State& state) {
  std::vector<json::object> events;
  for (const std::string& e : Events()) events.push_back(json::parse(e).as_object());
  const JsonLdContext context = Context();
  std::size_t i = 0;
  for (auto _ : state) {
    auto id = EventHashId(events[i++ % events.size()], context);
    benchmark::DoNotOptimize(id);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventHashId);

void BM_DocumentEventHashIds(benchmark::State& state) {
  std::string doc =
      R"({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
      {"vnt": "https://vntrace.vn/voc/"}], "type": "EPCISDocument", "schemaVersion": "2.0",
      "creationDate": "2025-03-05T12:00:00Z", "epcisBody": {"eventList": [)";
  const int kEvents = 100;
  for (int i = 0; i < kEvents; ++i) {
    if (i > 0) doc += ',';
    doc += Events()[static_cast<std::size_t>(i) % Events().size()];
  }
  doc += "]}}";
  for (auto _ : state) {
    auto ids = DocumentEventHashIds(doc);
    benchmark::DoNotOptimize(ids);
  }
  state.SetItemsProcessed(state.iterations() * kEvents);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(doc.size()));
}
BENCHMARK(BM_DocumentEventHashIds);

// Every event names new serial numbers, so no identifier repeats across the document.
void BM_DocumentEventHashIdsUniqueSerials(benchmark::State& state) {
  std::string doc =
      R"({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
      {"vnt": "https://vntrace.vn/voc/"}], "type": "EPCISDocument", "schemaVersion": "2.0",
      "creationDate": "2025-03-05T12:00:00Z", "epcisBody": {"eventList": [)";
  const int kEvents = 100;
  for (int i = 0; i < kEvents; ++i) {
    if (i > 0) doc += ',';
    std::string event = Events()[static_cast<std::size_t>(i) % Events().size()];
    for (std::size_t pos = 0; (pos = event.find(".100", pos)) != std::string::npos; pos += 4) {
      event.replace(pos, 4, "." + std::to_string(2000 + i));
    }
    for (std::size_t pos = 0; (pos = event.find("00000017", pos)) != std::string::npos; pos += 8) {
      event.replace(pos, 8, std::to_string(10000000 + i));
    }
    doc += event;
  }
  doc += "]}}";
  for (auto _ : state) {
    auto ids = DocumentEventHashIds(doc);
    benchmark::DoNotOptimize(ids);
  }
  state.SetItemsProcessed(state.iterations() * kEvents);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(doc.size()));
}
BENCHMARK(BM_DocumentEventHashIdsUniqueSerials);

// The same 100 events as an EPCIS 2.0 JSON-LD document and as an EPCIS 2.0 XML document (the
// XML encoder's output for the decoded JSON events), for decoding with full validation.
struct DecodeDocs {
  std::string json;
  std::string xml;
};

const DecodeDocs& Docs() {
  static const DecodeDocs docs = [] {
    DecodeDocs d;
    d.json = R"({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        {"vnt": "https://vntrace.vn/voc/"}], "type": "EPCISDocument", "schemaVersion": "2.0",
        "creationDate": "2025-03-05T12:00:00Z", "epcisBody": {"eventList": [)";
    for (int i = 0; i < 100; ++i) {
      if (i > 0) d.json += ',';
      d.json += Events()[static_cast<std::size_t>(i) % Events().size()];
    }
    d.json += "]}}";
    // The hash benchmarks' GLN 8935001000012 has a wrong check digit, which decoding refuses.
    for (std::size_t pos = 0; (pos = d.json.find("414/8935001000012", pos)) != std::string::npos;) {
      d.json.replace(pos, 17, "414/8935001000013");
    }
    vntrace::epcis::DecodeResult decoded = vntrace::epcis::DecodeDocument(d.json, {});
    if (!decoded.issues.empty()) {
      std::fprintf(stderr, "bench document invalid: %s\n", decoded.issues[0].ToString().c_str());
      std::abort();
    }
    std::vector<std::string> texts;
    for (const vntrace::epcis::Event& e : decoded.events) texts.push_back(json::serialize(e.json));
    vntrace::epcis::EncodeOptions options;
    options.namespaces = decoded.namespaces;
    options.creation_date = vntrace::core::ParseRfc3339("2025-03-05T12:00:00Z").value();
    d.xml = vntrace::epcis::EncodeXmlDocument(texts, options).value();
    return d;
  }();
  return docs;
}

void DecodeBenchmark(benchmark::State& state, bool xml) {
  const DecodeDocs& docs = Docs();
  const std::string& text = xml ? docs.xml : docs.json;
  std::size_t events = 0;
  for (auto _ : state) {
    vntrace::epcis::DecodeResult r = xml ? vntrace::epcis::DecodeXmlDocument(text, {})
                                         : vntrace::epcis::DecodeDocument(text, {});
    if (!r.issues.empty()) {
      state.SkipWithError(r.issues[0].ToString().c_str());
      return;
    }
    events = r.events.size();
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void BM_DecodeJsonDocument(benchmark::State& state) { DecodeBenchmark(state, false); }
BENCHMARK(BM_DecodeJsonDocument);

// XML decoding beside JSON: `xml_over_json` is XML's time per document over JSON's, both timed
// in this run on the same events (the JSON decoder does the validation in both).
void BM_DecodeXmlDocument(benchmark::State& state) {
  const DecodeDocs& docs = Docs();
  const auto time_of = [](const std::string& text, bool xml) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 50; ++i) {
      auto r = xml ? vntrace::epcis::DecodeXmlDocument(text, {})
                   : vntrace::epcis::DecodeDocument(text, {});
      benchmark::DoNotOptimize(r);
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  const double json_seconds = time_of(docs.json, false);
  const double xml_seconds = time_of(docs.xml, true);
  DecodeBenchmark(state, true);
  state.counters["xml_over_json"] = xml_seconds / json_seconds;
}
BENCHMARK(BM_DecodeXmlDocument);

void BM_Sha256(benchmark::State& state) {
  const std::string data(static_cast<std::size_t>(state.range(0)), 'x');
  for (auto _ : state) {
    auto digest = vntrace::core::Sha256Digest(data);
    benchmark::DoNotOptimize(digest);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Sha256)->Arg(512)->Arg(1 << 16);

}  // namespace

BENCHMARK_MAIN();
