// Fuzzes EPCIS 2.0 JSON-LD decoding and validation, and checks that whatever decodes survives
// the trip through an EPCISQueryDocument: it decodes again, without an issue, to the same events.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/serialize.hpp>

#include "core/result.hpp"
#include "epcis/document.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using vntrace::epcis::DecodeDocument;
  using vntrace::epcis::DecodeOptions;
  using vntrace::epcis::DecodeResult;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  DecodeOptions options;
  options.max_events = 100;
  const DecodeResult first = DecodeDocument(input, options);
  VNTRACE_ASSERT(first.issues.empty() || first.events.empty());  // all or nothing
  if (first.events.empty()) return 0;

  std::vector<std::string> stored;
  for (const vntrace::epcis::Event& e : first.events) {
    stored.push_back(boost::json::serialize(e.json));
  }
  vntrace::epcis::EncodeOptions encode;
  encode.namespaces = first.namespaces;
  vntrace::core::Result<std::string> text = vntrace::epcis::EncodeQueryDocument(stored, encode);
  VNTRACE_ASSERT(text.ok());  // stored events are JSON objects
  const DecodeResult second = DecodeDocument(*text, options);
  VNTRACE_ASSERT(second.issues.empty());  // a decoded event stays valid
  VNTRACE_ASSERT(second.events.size() == first.events.size());
  for (std::size_t i = 0; i < first.events.size(); ++i) {
    VNTRACE_ASSERT(second.events[i].event_id == first.events[i].event_id);
    VNTRACE_ASSERT(second.events[i].index == first.events[i].index);
  }
  return 0;
}
