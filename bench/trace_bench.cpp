// trace_bench: backward and forward trace latency on a large generated supply chain.
//
//   trace_bench [--events N] [--roots K] [--dir DIR]
//
// On first use builds DIR/vntrace-trace-bench-N.db from `vntrace gen`'s chain (trace::
// GenerateChainDocuments, seed 1, documents of 1,000 events, decoded and captured as over HTTP)
// and writes the lots and items worth tracing beside it. Then traces K of them in each
// direction, on a warm store, and prints p50/p90/p99/max latency and the answer sizes, overall
// and for answers of 500 to 2,000 nodes (the issue's "about 1,000 nodes").
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "epcis/document.hpp"
#include "store/store.hpp"
#include "trace/generator.hpp"
#include "trace/graph.hpp"

namespace {

using vntrace::core::Timestamp;
namespace trace = vntrace::trace;

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "trace_bench: %s\n", message.c_str());
  std::exit(1);
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Builds the dataset and the list of roots (lots made or harvested, items commissioned).
void Build(const std::filesystem::path& db_path, const std::filesystem::path& roots_path,
           std::uint64_t events) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(db_path.string() + suffix);
  }
  auto db = vntrace::store::OpenStore({.location = db_path.string()});
  if (!db.ok()) Die(db.error().message);
  std::vector<std::string> roots;
  std::mt19937_64 pick(42);
  const auto started = std::chrono::steady_clock::now();
  std::uint64_t stored = 0;
  trace::ChainOptions options;
  options.seed = 1;
  options.target_events = events;
  auto summary = trace::GenerateChainDocuments(
      options, 1000, [&](std::string&& document) -> vntrace::core::Status {
        vntrace::epcis::DecodeResult decoded = vntrace::epcis::DecodeDocument(
            document, {.record_time = Timestamp::FromUnixNanos(1'750'000'000'000'000'000)});
        if (!decoded.issues.empty())
          Die("generated document invalid: " + decoded.issues[0].ToString());
        for (const vntrace::epcis::Event& event : decoded.events) {
          for (const vntrace::epcis::IndexEntry& entry : event.index) {
            // Harvested lots, lots made by a transformation, and items: about 1 in 4, 1 in 4
            // and 1 in 400 of those seen, so that each kind is well represented.
            const bool harvested =
                entry.kind == vntrace::epcis::IndexKind::kEpcClass && event.action == "ADD";
            const bool made = entry.kind == vntrace::epcis::IndexKind::kOutputEpcClass;
            const bool item = entry.kind == vntrace::epcis::IndexKind::kInstanceLot;
            if (roots.size() >= 30000) continue;
            if ((harvested || made) && pick() % 4 == 0) {
              roots.push_back((harvested ? "harvested " : "made ") + entry.value);
            } else if (item && pick() % 400 == 0) {
              roots.push_back("item " + entry.type);
            }
          }
        }
        auto outcome = (*db)->CaptureEvents(decoded.events);
        if (!outcome.ok()) return outcome.error();
        stored += outcome->stored;
        if (stored % 1'000'000 < 1000) {
          std::fprintf(stderr, "trace_bench: %llu events stored, %.0f s\n",
                       static_cast<unsigned long long>(stored), Seconds(started));
        }
        return vntrace::core::Ok();
      });
  if (!summary.ok()) Die(summary.error().message);
  std::fprintf(stderr, "trace_bench: built %llu events in %.0f s (%.0f events/s)\n",
               static_cast<unsigned long long>(stored), Seconds(started),
               static_cast<double>(stored) / Seconds(started));
  std::ofstream out(roots_path);
  for (const std::string& root : roots) out << root << '\n';
}

double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Sample {
  double ms;
  double cpu_ms;
  std::size_t nodes;
  std::size_t events;
};

void Report(const char* name, std::vector<Sample> samples) {
  if (samples.empty()) {
    std::printf("%-34s no samples\n", name);
    return;
  }
  std::sort(samples.begin(), samples.end(),
            [](const Sample& a, const Sample& b) { return a.ms < b.ms; });
  auto at = [&](double q) {
    return samples[std::min(samples.size() - 1, static_cast<std::size_t>(q * samples.size()))].ms;
  };
  double nodes = 0;
  double events = 0;
  std::vector<double> cpu;
  for (const Sample& s : samples) cpu.push_back(s.cpu_ms);
  std::sort(cpu.begin(), cpu.end());
  std::size_t max_nodes = 0;
  for (const Sample& s : samples) {
    nodes += static_cast<double>(s.nodes);
    events += static_cast<double>(s.events);
    max_nodes = std::max(max_nodes, s.nodes);
  }
  std::printf(
      "%-34s n=%-6zu p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms  "
      "nodes mean %.0f max %zu, events read mean %.0f; CPU p50 %.2f ms p99 %.2f ms\n",
      name, samples.size(), at(0.5), at(0.9), at(0.99), samples.back().ms,
      nodes / static_cast<double>(samples.size()), max_nodes,
      events / static_cast<double>(samples.size()), cpu[cpu.size() / 2],
      cpu[std::min(cpu.size() - 1, cpu.size() * 99 / 100)]);
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t events = 10'000'000;
  std::size_t root_count = 400;
  std::filesystem::path dir = std::filesystem::temp_directory_path();
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--events") {
      events = std::strtoull(argv[i + 1], nullptr, 10);
    } else if (flag == "--roots") {
      root_count = std::strtoull(argv[i + 1], nullptr, 10);
    } else if (flag == "--dir") {
      dir = argv[i + 1];
    } else {
      Die("unknown flag " + std::string(flag));
    }
  }
  const std::filesystem::path db_path =
      dir / ("vntrace-trace-bench-" + std::to_string(events) + ".db");
  const std::filesystem::path roots_path = db_path.string() + ".roots";
  if (!std::filesystem::exists(roots_path)) Build(db_path, roots_path, events);

  // Lines "KIND URI"; root_count of each kind, picked at random.
  std::map<std::string, std::vector<std::string>> roots_by_kind;
  {
    std::ifstream in(roots_path);
    for (std::string line; std::getline(in, line);) {
      const std::size_t space = line.find(' ');
      if (space == std::string::npos) continue;
      roots_by_kind[line.substr(0, space)].push_back(line.substr(space + 1));
    }
  }
  if (roots_by_kind.empty()) Die("no roots in " + roots_path.string());
  std::mt19937_64 shuffle(7);
  for (auto& [kind, list] : roots_by_kind) {
    std::shuffle(list.begin(), list.end(), shuffle);
    list.resize(std::min(list.size(), root_count));
  }

  auto db = vntrace::store::OpenStore({.location = db_path.string(), .create_if_missing = false});
  if (!db.ok()) Die(db.error().message);
  std::printf("%llu events stored\n", static_cast<unsigned long long>(events));
  for (trace::Direction direction : {trace::Direction::kBackward, trace::Direction::kForward}) {
    std::vector<Sample> about_1000;
    trace::TraceOptions options;
    options.direction = direction;
    const std::string name(trace::DirectionName(direction));
    for (const auto& [kind, roots] : roots_by_kind) {
      // One untimed pass warms the page cache, as a server that has run a while would be.
      for (const std::string& root : roots) (void)trace::Trace(**db, root, options);
      std::vector<Sample> samples;
      for (const std::string& root : roots) {
        const auto started = std::chrono::steady_clock::now();
        const double cpu_started = ThreadCpuMs();
        auto result = trace::Trace(**db, root, options);
        const double ms = Seconds(started) * 1000;
        const double cpu_ms = ThreadCpuMs() - cpu_started;
        if (!result.ok()) Die(result.error().message);
        samples.push_back({ms, cpu_ms, result->nodes.size(), result->events_examined});
        if (result->nodes.size() >= 500 && result->nodes.size() <= 2000) {
          about_1000.push_back({ms, cpu_ms, result->nodes.size(), result->events_examined});
        }
      }
      Report((name + " from " + kind + " lots/items").c_str(), samples);
    }
    Report((name + ", answers of 500-2000 nodes").c_str(), about_1000);
  }
  return 0;
}
