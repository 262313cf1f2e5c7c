// Fuzzes the XLSX reader of diary bulk entry (registry/xlsx.hpp) with whole files: whatever it
// reads must hold its own invariants (rows in ascending order, within the limits), and nothing
// may crash, leak or read out of bounds, whatever the archive and its XML parts hold.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "registry/xlsx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  namespace registry = vntrace::registry;
  const registry::XlsxLimits limits{.max_part_bytes = 1u << 20, .max_total_bytes = 4u << 20};
  auto rows = registry::ReadXlsx(input, limits);
  if (!rows.ok()) {
    // Every refusal of the input names its code.
    if (rows.error().code == vntrace::core::ErrorCode::kInvalidArgument &&
        rows.error().details.rfind("xlsx.", 0) != 0) {
      std::abort();
    }
    return 0;
  }
  std::size_t previous = 0;
  for (const registry::XlsxRow& row : *rows) {
    if (row.row <= previous || row.cells.empty() || row.cells.size() > limits.max_columns) {
      std::abort();
    }
    previous = row.row;
  }
  if (rows->size() > limits.max_rows) std::abort();
  return 0;
}
