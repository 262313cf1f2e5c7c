// Store throughput and latency: events captured per second in 1,000-event batches (eight index
// rows each, durable: WAL with synchronous=FULL, one fsync per batch), with random eventIDs (hash
// IDs, UUIDs: the realistic case) and with ascending ones; and the latency of
// MATCH_anyEPC=<one identifier> over stores of one and ten million events (p50/p99 reported
// as counters).
// Run (after a Release build): taskset -c 0 build/release/bench/store_bench --benchmark_min_time=3
// (--benchmark_filter=Capture for the capture figures only). The query dataset (about 2 GB) is
// generated once into $VNTRACE_BENCH_DIR (default /tmp) as vntrace-store-bench-<events>.db, which
// takes about a minute (the 10-million-event one, ~17 GB, much longer: run it with
// --benchmark_filter=/10000000), and reused by later runs; delete it to regenerate.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "store/contract/event_builder.hpp"
#include "store/store.hpp"

namespace {

using vntrace::epcis::Event;
using vntrace::epcis::EventQuery;
using vntrace::store::OpenStore;
using vntrace::store::Store;
using vntrace::store::testing::EventBuilder;

constexpr std::int64_t kT0 = 1'700'000'000;
constexpr int kEpcsPerEvent = 4;  // + bizStep, disposition, readPoint, bizLocation = 8 rows

std::filesystem::path BenchDir() {
  const char* dir = std::getenv("VNTRACE_BENCH_DIR");
  return dir != nullptr && *dir != '\0' ? std::filesystem::path(dir)
                                        : std::filesystem::temp_directory_path();
}

std::string Sgtin(std::int64_t serial) {
  return "https://id.gs1.org/01/08935001200017/21/" + std::to_string(serial);
}

// A random-looking eventID, as hash IDs and UUIDs are (so that the unique index on eventID sees
// inserts all over it, not appends).
std::string EventId(std::int64_t n) {
  std::uint64_t x = static_cast<std::uint64_t>(n) + 0x9e3779b97f4a7c15u;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
  x ^= x >> 31;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(x));
  return std::string("ni:///sha-256;") + hex + hex + hex + hex + "?ver=CBV2.0";
}

// Event `n` of a dataset whose `distinct` serials each appear in kEpcsPerEvent events spread
// through it, like an item commissioned, packed, shipped and received. Runs of 50 consecutive
// events share a location, as the events of one capture come from a few places. With
// `random_ids` false the eventIDs ascend instead (a best case for the eventID index).
Event MakeEvent(std::int64_t n, std::int64_t distinct, bool random_ids = true) {
  static const char* const kSteps[] = {"commissioning", "packing", "shipping", "receiving"};
  static const char* const kDispositions[] = {"active", "in_progress", "in_transit", "in_progress"};
  const int step = static_cast<int>(n % 4);
  EventBuilder b(random_ids ? EventId(n) : "urn:uuid:bench-" + std::to_string(1'000'000'000 + n));
  b.EventTimeSeconds(kT0 + n, 420).RecordTimeSeconds(kT0 + n + 5);
  b.Action(step == 0 ? "ADD" : "OBSERVE");
  b.BizStep(kSteps[step]).Disposition(kDispositions[step]);
  const std::string location =
      "https://id.gs1.org/414/89350010" + std::to_string(10000 + (n / 50) % 500);
  b.ReadPoint(location).BizLocation(location);
  for (int j = 0; j < kEpcsPerEvent; ++j) {
    b.Epc(Sgtin((n + j * (distinct / kEpcsPerEvent)) % distinct));
  }
  return b.Build();
}

std::unique_ptr<Store> OpenOrDie(const std::string& path) {
  auto store = OpenStore({.location = path});
  if (!store.ok()) {
    std::fprintf(stderr, "store_bench: %s\n", store.error().ToString().c_str());
    std::exit(1);
  }
  return std::move(store).value();
}

void BM_CaptureBatch(benchmark::State& state) {
  const auto batch_size = static_cast<std::int64_t>(state.range(0));
  const bool random_ids = state.range(1) != 0;
  const std::filesystem::path path = BenchDir() / "vntrace-store-bench-capture.db";
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path.string() + suffix);
  }
  std::unique_ptr<Store> store = OpenOrDie(path.string());
  std::int64_t next = 0;
  std::size_t index_rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Event> batch;
    batch.reserve(static_cast<std::size_t>(batch_size));
    for (std::int64_t i = 0; i < batch_size; ++i) {
      batch.push_back(MakeEvent(next++, 1'000'000, random_ids));
      index_rows += batch.back().index.size();
    }
    state.ResumeTiming();
    auto outcome = store->CaptureEvents(batch);
    if (!outcome.ok() || outcome->stored != batch.size()) {
      state.SkipWithError("capture failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * batch_size);
  state.counters["index_rows_per_event"] =
      static_cast<double>(index_rows) / static_cast<double>(std::max<std::int64_t>(next, 1));
  store.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path.string() + suffix);
  }
}
// Args: batch size, random eventIDs (1) or ascending ones (0).
BENCHMARK(BM_CaptureBatch)
    ->ArgNames({"batch", "random_ids"})
    ->Args({1000, 1})
    ->Args({1000, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The dataset of `events` events, generated on first use.
std::unique_ptr<Store> QueryDataset(std::int64_t events) {
  const std::filesystem::path path =
      BenchDir() / ("vntrace-store-bench-" + std::to_string(events) + ".db");
  const std::filesystem::path done = path.string() + ".complete";
  if (!std::filesystem::exists(done)) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path.string() + suffix);
    }
    std::unique_ptr<Store> store = OpenOrDie(path.string());
    const auto started = std::chrono::steady_clock::now();
    for (std::int64_t n = 0; n < events;) {
      std::vector<Event> batch;
      for (int i = 0; i < 1000 && n < events; ++i, ++n) {
        batch.push_back(MakeEvent(n, events));
      }
      if (!store->CaptureEvents(batch).ok()) {
        std::fprintf(stderr, "store_bench: dataset capture failed\n");
        std::exit(1);
      }
      if (n % 1'000'000 == 0) {
        const double so_far =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::fprintf(stderr, "store_bench: %lld events stored, %.0f s\n", static_cast<long long>(n),
                     so_far);
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr, "store_bench: generated %lld events in %.1f s (%.0f events/s)\n",
                 static_cast<long long>(events), seconds, static_cast<double>(events) / seconds);
    store.reset();
    std::FILE* marker = std::fopen(done.c_str(), "w");
    if (marker != nullptr) {
      std::fclose(marker);
    }
  }
  return OpenOrDie(path.string());
}

double Percentile(std::vector<double> samples, double p) {
  if (samples.empty()) {
    return 0;
  }
  std::sort(samples.begin(), samples.end());
  const auto at = static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1));
  return samples[at];
}

void BM_QueryAnyEpc(benchmark::State& state) {
  const std::int64_t events = state.range(0);
  std::unique_ptr<Store> store = QueryDataset(events);
  std::mt19937_64 random(42);
  std::uniform_int_distribution<std::int64_t> serial(0, events - 1);
  std::vector<double> micros;
  std::size_t found = 0;
  for (auto _ : state) {
    EventQuery q;
    q.match_any_epc = {{.value = Sgtin(serial(random)), .prefix = false}};
    const auto started = std::chrono::steady_clock::now();
    auto page = store->QueryEvents(q, {.limit = 30, .after = ""});
    micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started)
            .count());
    if (!page.ok()) {
      state.SkipWithError(page.error().ToString().c_str());
      break;
    }
    found += page->events.size();
    benchmark::DoNotOptimize(page);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["events_per_query"] =
      static_cast<double>(found) /
      static_cast<double>(std::max<std::int64_t>(state.iterations(), 1));
  state.counters["p50_us"] = Percentile(micros, 0.50);
  state.counters["p99_us"] = Percentile(micros, 0.99);
  state.counters["max_us"] = Percentile(micros, 1.0);
}
BENCHMARK(BM_QueryAnyEpc)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(20000);

// The same query ordered by eventTime, newest first (the usual UI query).
void BM_QueryAnyEpcOrdered(benchmark::State& state) {
  const std::int64_t events = state.range(0);
  std::unique_ptr<Store> store = QueryDataset(events);
  std::mt19937_64 random(7);
  std::uniform_int_distribution<std::int64_t> serial(0, events - 1);
  std::vector<double> micros;
  for (auto _ : state) {
    EventQuery q;
    q.match_any_epc = {{.value = Sgtin(serial(random)), .prefix = false}};
    q.order_by = vntrace::epcis::OrderBy::kEventTime;
    const auto started = std::chrono::steady_clock::now();
    auto page = store->QueryEvents(q, {.limit = 30, .after = ""});
    micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started)
            .count());
    if (!page.ok()) {
      state.SkipWithError(page.error().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(page);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["p50_us"] = Percentile(micros, 0.50);
  state.counters["p99_us"] = Percentile(micros, 0.99);
}
BENCHMARK(BM_QueryAnyEpcOrdered)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(20000);

// A page of the newest events without any condition: the scan path.
void BM_QueryLatestPage(benchmark::State& state) {
  std::unique_ptr<Store> store = QueryDataset(state.range(0));
  for (auto _ : state) {
    EventQuery q;
    q.order_by = vntrace::epcis::OrderBy::kEventTime;
    auto page = store->QueryEvents(q, {.limit = 30, .after = ""});
    if (!page.ok()) {
      state.SkipWithError(page.error().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(page);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_QueryLatestPage)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
