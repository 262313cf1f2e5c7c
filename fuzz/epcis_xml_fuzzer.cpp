// Fuzzes EPCIS XML decoding (2.0 and 1.2, through the JSON-LD twin and its validation), and
// checks that whatever decodes survives the trip through an EPCIS 2.0 XML EPCISQueryDocument: it
// decodes again, without an issue, to the same events.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "document_round_trip.hpp"
#include "epcis/xml_document.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The XML binding writes fields in the XSD's order, so entries may come in another order.
  return vntrace::fuzz::CheckDocumentRoundTrip(
      input,
      [](std::string_view text, const vntrace::epcis::DecodeOptions& options) {
        return vntrace::epcis::DecodeXmlDocument(text, options);
      },
      [](const std::vector<std::string>& stored, const vntrace::epcis::EncodeOptions& options) {
        return vntrace::epcis::EncodeXmlQueryDocument(stored, options);
      },
      /*any_entry_order=*/true);
}
