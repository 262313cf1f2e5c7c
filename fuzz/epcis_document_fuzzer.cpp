// Fuzzes EPCIS 2.0 JSON-LD decoding and validation, and checks that whatever decodes survives
// the trip through an EPCISQueryDocument: it decodes again, without an issue, to the same events.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "document_round_trip.hpp"
#include "epcis/document.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  return vntrace::fuzz::CheckDocumentRoundTrip(
      input,
      [](std::string_view text, const vntrace::epcis::DecodeOptions& options) {
        return vntrace::epcis::DecodeDocument(text, options);
      },
      [](const std::vector<std::string>& stored, const vntrace::epcis::EncodeOptions& options) {
        return vntrace::epcis::EncodeQueryDocument(stored, options);
      },
      /*any_entry_order=*/false);
}
