// The property both EPCIS document fuzzers check: whatever decodes survives the trip through an
// EPCISQueryDocument of the same binding: it decodes again, without an issue, to the same events
// (same eventIDs, same index entries).
//
// Example:
//   return CheckDocumentRoundTrip(input, decode_json, encode_json_query_document, false);
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <boost/json/serialize.hpp>

#include "core/result.hpp"
#include "epcis/document.hpp"

namespace vntrace::fuzz {

// `decode(text, options)` → epcis::DecodeResult; `encode(stored_json_texts, options)` →
// core::Result<std::string>. With `any_entry_order` the index entries are compared as sets (a
// binding that writes fields in its schema's order may list them in another order).
template <typename Decode, typename Encode>
int CheckDocumentRoundTrip(std::string_view input, Decode decode, Encode encode,
                           bool any_entry_order) {
  epcis::DecodeOptions options;
  options.max_events = 100;
  const epcis::DecodeResult first = decode(input, options);
  VNTRACE_ASSERT(first.issues.empty() || first.events.empty());  // all or nothing
  if (first.events.empty()) return 0;

  std::vector<std::string> stored;
  for (const epcis::Event& e : first.events) {
    stored.push_back(boost::json::serialize(e.json));
  }
  epcis::EncodeOptions encode_options;
  encode_options.namespaces = first.namespaces;
  core::Result<std::string> text = encode(stored, encode_options);
  VNTRACE_ASSERT(text.ok());  // stored events are JSON objects
  const epcis::DecodeResult second = decode(*text, options);
  VNTRACE_ASSERT(second.issues.empty());  // a decoded event stays valid
  VNTRACE_ASSERT(second.events.size() == first.events.size());
  const auto less = [](const epcis::IndexEntry& x, const epcis::IndexEntry& y) {
    return std::tie(x.kind, x.type, x.value) < std::tie(y.kind, y.type, y.value);
  };
  for (std::size_t i = 0; i < first.events.size(); ++i) {
    VNTRACE_ASSERT(second.events[i].event_id == first.events[i].event_id);
    std::vector<epcis::IndexEntry> a = first.events[i].index;
    std::vector<epcis::IndexEntry> b = second.events[i].index;
    if (any_entry_order) {
      std::sort(a.begin(), a.end(), less);
      std::sort(b.begin(), b.end(), less);
    }
    VNTRACE_ASSERT(a == b);
  }
  return 0;
}

}  // namespace vntrace::fuzz
