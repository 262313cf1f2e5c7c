// Fuzzes EPC URN parsing and the URN → Digital Link → URN round trip.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gs1/epc_urn.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto dl = vntrace::gs1::EpcUrnToDigitalLink(input);
  if (!dl.ok()) return 0;
  for (int gcp = 6; gcp <= 12; ++gcp) {
    (void)vntrace::gs1::DigitalLinkToEpcUrn(*dl, gcp);
  }
  return 0;
}
