// Fuzzes element-string parsing (bracketed and raw) and checks that both serialisations of what
// parses read back to the same elements.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gs1/element_string.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto elements = vntrace::gs1::ParseElementString(input);
  if (!elements.ok()) return 0;
  auto bracketed =
      vntrace::gs1::ParseElementString(vntrace::gs1::ToBracketedElementString(*elements));
  VNTRACE_ASSERT(bracketed.ok() && *bracketed == *elements);
  auto raw = vntrace::gs1::ParseElementString(vntrace::gs1::ToRawElementString(*elements, "]d2"));
  VNTRACE_ASSERT(raw.ok() && *raw == *elements);
  return 0;
}
