// Stamps (issue 6): traceability stamps rendered per second into a print-ready PDF sheet, beside
// bare libqrencode encoding of the same codes in the same run. 1,000 per-item Digital Links
// (https://id.gs1.org/01/08935000000014/10/L1/21/<random 12 chars>) on A4 sheets of 3x8
// labels of 70x37 mm, each with its QR Code and Vietnamese text (name, Lô, HSD, Mã).
// Run: build/release/bench/label_bench --benchmark_min_time=2 (figures in docs/benchmarks.md).
#include <benchmark/benchmark.h>
#include <qrencode.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "label/render/sheet.hpp"
#include "label/render/symbol.hpp"

namespace {

namespace render = vntrace::label::render;

constexpr int kStamps = 1000;

const std::vector<render::LabelContent>& Stamps() {
  static const std::vector<render::LabelContent> stamps = [] {
    static constexpr std::string_view kChars =
        "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789";
    std::mt19937 rng(6);
    std::vector<render::LabelContent> out;
    for (int i = 0; i < kStamps; ++i) {
      std::string serial;
      for (int j = 0; j < 12; ++j) {
        serial += kChars[rng() % kChars.size()];
      }
      out.push_back({.code = "https://id.gs1.org/01/08935000000014/10/L1/21/" + serial,
                     .product_name = "Cà phê rang xay Buôn Ma Thuột",
                     .lot = "L1",
                     .expiry = "31/12/2027",
                     .short_code = serial.substr(0, 6)});
    }
    return out;
  }();
  return stamps;
}

// The floor: libqrencode alone, one thread, the same codes and error correction level (M).
void BM_BareQrencode(benchmark::State& state) {
  const auto& stamps = Stamps();
  for (auto _ : state) {
    for (const render::LabelContent& s : stamps) {
      QRcode* code = QRcode_encodeString(s.code.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
      if (code == nullptr) {
        state.SkipWithError("libqrencode failed");
        return;
      }
      benchmark::DoNotOptimize(code->data);
      QRcode_free(code);
    }
  }
  state.SetItemsProcessed(state.iterations() * kStamps);
}
BENCHMARK(BM_BareQrencode)->Unit(benchmark::kMillisecond)->UseRealTime();

// RenderQr: the same encoding into our module matrix (quiet zone included).
void BM_RenderQrSymbol(benchmark::State& state) {
  const auto& stamps = Stamps();
  for (auto _ : state) {
    for (const render::LabelContent& s : stamps) {
      auto symbol = render::RenderQr(s.code);
      benchmark::DoNotOptimize(symbol);
    }
  }
  state.SetItemsProcessed(state.iterations() * kStamps);
}
BENCHMARK(BM_RenderQrSymbol)->Unit(benchmark::kMillisecond)->UseRealTime();

// The whole sheet: 1,000 stamps into a 42-page A4 PDF, with `threads` threads.
void BM_SheetPdf(benchmark::State& state) {
  render::SheetLayout layout = render::A4Sheet(render::LabelStock::k70x37);
  layout.threads = static_cast<int>(state.range(0));
  const auto& stamps = Stamps();
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto pdf = render::RenderSheet(layout, stamps);
    if (!pdf.ok()) {
      state.SkipWithError(pdf.error().ToString().c_str());
      return;
    }
    bytes = pdf->size();
    benchmark::DoNotOptimize(pdf);
  }
  state.SetItemsProcessed(state.iterations() * kStamps);
  state.counters["pdf_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_SheetPdf)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
