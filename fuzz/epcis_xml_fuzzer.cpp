// Fuzzes EPCIS XML decoding (2.0 and 1.2, through the JSON-LD twin and its validation), and
// checks that whatever decodes survives the trip through an EPCIS 2.0 XML EPCISQueryDocument: it
// decodes again, without an issue, to the same events.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <boost/json/serialize.hpp>

#include "core/result.hpp"
#include "epcis/document.hpp"
#include "epcis/xml_document.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using vntrace::epcis::DecodeOptions;
  using vntrace::epcis::DecodeResult;
  using vntrace::epcis::DecodeXmlDocument;
  using vntrace::epcis::IndexEntry;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  DecodeOptions options;
  options.max_events = 100;
  const DecodeResult first = DecodeXmlDocument(input, options);
  VNTRACE_ASSERT(first.issues.empty() || first.events.empty());  // all or nothing
  if (first.events.empty()) return 0;

  std::vector<std::string> stored;
  for (const vntrace::epcis::Event& e : first.events) {
    stored.push_back(boost::json::serialize(e.json));
  }
  vntrace::epcis::EncodeOptions encode;
  encode.namespaces = first.namespaces;
  vntrace::core::Result<std::string> text = vntrace::epcis::EncodeXmlQueryDocument(stored, encode);
  VNTRACE_ASSERT(text.ok());  // stored events are JSON objects
  const DecodeResult second = DecodeXmlDocument(*text, options);
  VNTRACE_ASSERT(second.issues.empty());  // a decoded event stays valid
  VNTRACE_ASSERT(second.events.size() == first.events.size());
  for (std::size_t i = 0; i < first.events.size(); ++i) {
    VNTRACE_ASSERT(second.events[i].event_id == first.events[i].event_id);
    // The XML binding writes fields in the XSD's order, so entries may come in another order.
    std::vector<IndexEntry> a = first.events[i].index;
    std::vector<IndexEntry> b = second.events[i].index;
    const auto less = [](const IndexEntry& x, const IndexEntry& y) {
      return std::tie(x.kind, x.type, x.value) < std::tie(y.kind, y.type, y.value);
    };
    std::sort(a.begin(), a.end(), less);
    std::sort(b.begin(), b.end(), less);
    VNTRACE_ASSERT(a == b);
  }
  return 0;
}
