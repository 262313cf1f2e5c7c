// GS1 toolkit throughput: Digital Link URIs parsed and fully validated per second, element
// strings (raw and bracketed) parsed and validated per second, and the compressed form.
// Run: make bench  (pins to one core; see docs/benchmarks.md for recorded figures).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "gs1/digital_link.hpp"
#include "gs1/dl_compression.hpp"
#include "gs1/element_string.hpp"

namespace {

using vntrace::gs1::ParseDigitalLink;
using vntrace::gs1::ParseElementString;

// A realistic mix: consumer-facing stamps (GTIN + lot + serial), logistics units, locations,
// data attributes in the query and a custom domain with a path prefix.
const std::vector<std::string>& DigitalLinks() {
  static const std::vector<std::string> uris = {
      "https://id.gs1.org/01/08935001200017/10/KQ2026-07/21/x7Gh2Kq9PzR4",
      "https://truyxuat.quangngai.gov.vn/t/01/08935001200017/10/L01?17=261231",
      "https://id.gs1.org/01/09520123456788/22/2A/10/ABC1/21/12345?17=180426&3103=000195",
      "https://id.gs1.org/00/089350012000000017",
      "https://example.com/414/9520123456788/254/32a%2Fb",
      "https://id.gs1.org/01/08935001200017?3103=000195&3922=0299&17=201225",
      "https://vntrace.vn/8004/8935001TOOL17?01=08935001200017",
      "https://id.gs1.org/01/08935001200017/21/S%2B123?linkType=gs1:pip",
  };
  return uris;
}

const std::vector<std::string>& ElementStrings() {
  static const std::vector<std::string> raw = {
      std::string("]d2010893500120001710KQ2026-07\x1d") + "17261231" + "21x7Gh2Kq9PzR4",
      "0108935001200017"
      "17261231"
      "10L01",
      std::string("]C100089350012000000017020893500120001737") + "24\x1d" + "10LOT5",
      "0109520123456788"
      "3103000195"
      "17180426"
      "10ABC1",
  };
  return raw;
}

const std::vector<std::string>& BracketedStrings() {
  static const std::vector<std::string> bracketed = {
      "(01)08935001200017(10)KQ2026-07(17)261231(21)x7Gh2Kq9PzR4",
      "(01)08935001200017(17)261231(10)L01",
      "(00)089350012000000017(02)08935001200017(37)24(10)LOT5",
      "(01)09520123456788(3103)000195(17)180426(10)ABC1",
  };
  return bracketed;
}

void BM_ParseDigitalLink(benchmark::State& state) {
  const auto& uris = DigitalLinks();
  std::size_t i = 0;
  for (auto _ : state) {
    auto dl = ParseDigitalLink(uris[i]);
    if (!dl.ok()) state.SkipWithError(dl.error().message.c_str());
    benchmark::DoNotOptimize(dl);
    i = (i + 1) % uris.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ParseDigitalLink);

void BM_ParseRawElementString(benchmark::State& state) {
  const auto& strings = ElementStrings();
  std::size_t i = 0;
  for (auto _ : state) {
    auto e = ParseElementString(strings[i]);
    if (!e.ok()) state.SkipWithError(e.error().message.c_str());
    benchmark::DoNotOptimize(e);
    i = (i + 1) % strings.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ParseRawElementString);

void BM_ParseBracketedElementString(benchmark::State& state) {
  const auto& strings = BracketedStrings();
  std::size_t i = 0;
  for (auto _ : state) {
    auto e = ParseElementString(strings[i]);
    if (!e.ok()) state.SkipWithError(e.error().message.c_str());
    benchmark::DoNotOptimize(e);
    i = (i + 1) % strings.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ParseBracketedElementString);

void BM_DecompressDigitalLink(benchmark::State& state) {
  std::vector<std::string> compressed;
  for (const auto& uri : DigitalLinks()) {
    auto dl = ParseDigitalLink(uri);
    if (dl.ok()) compressed.push_back(vntrace::gs1::CompressDigitalLink(*dl));
  }
  std::size_t i = 0;
  for (auto _ : state) {
    auto dl = vntrace::gs1::DecompressDigitalLink(compressed[i]);
    if (!dl.ok()) state.SkipWithError(dl.error().message.c_str());
    benchmark::DoNotOptimize(dl);
    i = (i + 1) % compressed.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_DecompressDigitalLink);

}  // namespace

BENCHMARK_MAIN();
