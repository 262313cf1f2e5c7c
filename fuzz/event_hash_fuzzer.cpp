// Fuzzes the CBV 2.0 event hash over JSON-LD documents: any input is either refused with an
// error or gives one pre-hash string and one well-formed hash ID per event, the same every time.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "epcis/event_hash.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto pre_hashes = vntrace::epcis::DocumentEventPreHashStrings(input);
  auto ids = vntrace::epcis::DocumentEventHashIds(input);
  VNTRACE_ASSERT(pre_hashes.ok() == ids.ok());
  if (!ids.ok()) return 0;
  VNTRACE_ASSERT(pre_hashes->size() == ids->size());
  for (std::size_t i = 0; i < ids->size(); ++i) {
    VNTRACE_ASSERT((*pre_hashes)[i].starts_with("eventType="));
    VNTRACE_ASSERT((*ids)[i] == vntrace::epcis::HashIdOfPreHash((*pre_hashes)[i]));
    VNTRACE_ASSERT((*ids)[i].size() == 14 + 64 + 11);  // ni:///sha-256; hex ?ver=CBV2.0
  }
  auto again = vntrace::epcis::DocumentEventPreHashStrings(input);  // no hidden state leaks in
  VNTRACE_ASSERT(again.ok() && *again == *pre_hashes);
  return 0;
}
