// Fuzzes Digital Link parsing (plain and compressed) and checks that whatever parses rebuilds
// into a URI that parses to the same elements.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gs1/digital_link.hpp"
#include "gs1/dl_compression.hpp"

namespace {

// Elements in AI order: the order of data attributes carries no meaning, and the compressed
// form need not keep it.
vntrace::gs1::AiElements Sorted(vntrace::gs1::AiElements elements) {
  std::sort(elements.begin(), elements.end(),
            [](const auto& a, const auto& b) { return a.code() < b.code(); });
  return elements;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  using vntrace::gs1::DigitalLinkOptions;
  for (bool lenient : {false, true}) {
    DigitalLinkOptions options;
    options.permit_zero_suppressed_gtin = lenient;
    options.permit_convenience_alphas = lenient;
    auto dl = vntrace::gs1::ParseDigitalLink(input, options);
    if (!dl.ok()) continue;
    std::string rebuilt = vntrace::gs1::BuildDigitalLink(*dl);
    auto again = vntrace::gs1::ParseDigitalLink(rebuilt);
    VNTRACE_ASSERT(again.ok());  // a built Digital Link always parses
    VNTRACE_ASSERT(again->AllElements() == dl->AllElements());
    std::string compressed = vntrace::gs1::CompressDigitalLink(*dl);
    auto decompressed = vntrace::gs1::DecompressDigitalLink(compressed);
    VNTRACE_ASSERT(decompressed.ok());  // compression round-trips
    VNTRACE_ASSERT(Sorted(decompressed->AllElements()) == Sorted(dl->AllElements()));
  }
  (void)vntrace::gs1::DecompressDigitalLink(input);
  return 0;
}
