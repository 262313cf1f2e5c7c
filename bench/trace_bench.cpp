// trace_bench: backward and forward trace latency on a large generated supply chain.
//
//   trace_bench [--events N] [--roots K] [--dir DIR] [--cases MIN-MAX] [--batch B]
//
// On first use builds DIR/vntrace-trace-bench-N-casesMIN-MAX.db from `vntrace gen`'s chain
// (trace::GenerateChainDocuments, seed 1, MIN to MAX cases of 12 items per packing run, default
// 12-24 for answers of about 1,000 nodes; decoded on one thread and captured straight into the
// store on another, B events per transaction, default 20,000) and writes the lots, pallets and
// items worth tracing beside it. Then traces K of them in each
// direction, on a warm store, and prints p50/p90/p99/max latency and the answer sizes, overall
// and for answers of 500 to 2,000 nodes (the issue's "about 1,000 nodes").
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
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

// Batches of decoded events handed from the generating thread to the capturing one.
class BatchQueue {
 public:
  void Push(std::vector<vntrace::epcis::Event>&& batch) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return batches_.size() < 4; });
    batches_.push_back(std::move(batch));
    not_empty_.notify_one();
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    not_empty_.notify_one();
  }
  // False once closed and drained.
  bool Pop(std::vector<vntrace::epcis::Event>& batch) {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return !batches_.empty() || closed_; });
    if (batches_.empty()) return false;
    batch = std::move(batches_.front());
    batches_.pop_front();
    not_full_.notify_one();
    return true;
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<std::vector<vntrace::epcis::Event>> batches_;
  bool closed_ = false;
};

// Remembers the roots worth tracing that `event` names: harvested lots, lots made by a
// transformation and pallets (about 1 in 4 of each seen) and items (about 1 in 400).
void CollectRoots(const vntrace::epcis::Event& event, std::mt19937_64& pick,
                  std::vector<std::string>& roots) {
  using vntrace::epcis::IndexKind;
  constexpr std::string_view kSscc = "https://id.gs1.org/00/";
  bool children_are_cases = false;
  for (const vntrace::epcis::IndexEntry& entry : event.index) {
    if (entry.kind == IndexKind::kChildEpc) children_are_cases = entry.value.starts_with(kSscc);
  }
  for (const vntrace::epcis::IndexEntry& entry : event.index) {
    if (roots.size() >= 40000) return;
    const bool harvested = entry.kind == IndexKind::kEpcClass && event.action == "ADD";
    const bool made = entry.kind == IndexKind::kOutputEpcClass;
    const bool pallet = entry.kind == IndexKind::kParentId && event.action == "ADD" &&
                        children_are_cases &&
                        event.type == vntrace::epcis::EventType::kAggregationEvent;
    const bool item = entry.kind == IndexKind::kInstanceLot;
    if ((harvested || made || pallet) && pick() % 4 == 0) {
      roots.push_back((harvested ? "harvested " : made ? "made " : "pallet ") + entry.value);
    } else if (item && pick() % 400 == 0) {
      roots.push_back("item " + entry.type);
    }
  }
}

// Builds the dataset and the list of roots. One thread generates and decodes the chain (seed
// 1, documents of 1,000 events) while the calling thread captures it straight into the store,
// `batch` events per CaptureEvents call (one transaction each).
void Build(const std::filesystem::path& db_path, const std::filesystem::path& roots_path,
           const trace::ChainOptions& options, std::size_t batch) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(db_path.string() + suffix);
  }
  auto db = vntrace::store::OpenStore({.location = db_path.string()});
  if (!db.ok()) Die(db.error().message);
  std::vector<std::string> roots;
  const auto started = std::chrono::steady_clock::now();
  BatchQueue queue;
  std::string generate_error;
  std::thread generator([&] {
    std::mt19937_64 pick(42);
    std::vector<vntrace::epcis::Event> pending;
    auto summary = trace::GenerateChainDocuments(
        options, 1000, [&](std::string&& document) -> vntrace::core::Status {
          vntrace::epcis::DecodeResult decoded = vntrace::epcis::DecodeDocument(
              document, {.record_time = Timestamp::FromUnixNanos(1'750'000'000'000'000'000)});
          if (!decoded.issues.empty()) {
            return vntrace::core::Internal("generated document invalid: " +
                                           decoded.issues[0].ToString());
          }
          for (vntrace::epcis::Event& event : decoded.events) {
            CollectRoots(event, pick, roots);
            pending.push_back(std::move(event));
          }
          if (pending.size() >= batch) queue.Push(std::move(pending)), pending.clear();
          return vntrace::core::Ok();
        });
    if (!summary.ok()) generate_error = summary.error().message;
    if (!pending.empty()) queue.Push(std::move(pending));
    queue.Close();
  });
  std::uint64_t stored = 0;
  std::uint64_t reported = 0;
  std::string capture_error;
  for (std::vector<vntrace::epcis::Event> events; queue.Pop(events);) {
    if (!capture_error.empty()) continue;  // drain so that the generator can finish
    auto outcome = (*db)->CaptureEvents(events);
    if (!outcome.ok()) {
      capture_error = outcome.error().message;
      continue;
    }
    stored += outcome->stored;
    if (stored - reported >= 500'000) {
      reported = stored;
      std::fprintf(stderr, "trace_bench: %llu events stored, %.0f s\n",
                   static_cast<unsigned long long>(stored), Seconds(started));
    }
  }
  generator.join();
  if (!generate_error.empty()) Die(generate_error);
  if (!capture_error.empty()) Die(capture_error);
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
  int min_cases = 12;
  int max_cases = 24;
  std::size_t batch = 20'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--events") {
      events = std::strtoull(argv[i + 1], nullptr, 10);
    } else if (flag == "--roots") {
      root_count = std::strtoull(argv[i + 1], nullptr, 10);
    } else if (flag == "--dir") {
      dir = argv[i + 1];
    } else if (flag == "--cases") {
      // MIN-MAX cases of items per packing run.
      const std::string value = argv[i + 1];
      const std::size_t dash = value.find('-');
      if (dash == std::string::npos) Die("--cases takes MIN-MAX");
      min_cases = std::atoi(value.substr(0, dash).c_str());
      max_cases = std::atoi(value.substr(dash + 1).c_str());
    } else if (flag == "--batch") {
      batch = std::strtoull(argv[i + 1], nullptr, 10);
    } else {
      Die("unknown flag " + std::string(flag));
    }
  }
  const std::filesystem::path db_path =
      dir / ("vntrace-trace-bench-" + std::to_string(events) + "-cases" +
             std::to_string(min_cases) + "-" + std::to_string(max_cases) + ".db");
  const std::filesystem::path roots_path = db_path.string() + ".roots";
  if (!std::filesystem::exists(roots_path)) {
    trace::ChainOptions options;
    options.seed = 1;
    options.target_events = events;
    options.min_cases = min_cases;
    options.max_cases = max_cases;
    Build(db_path, roots_path, options, std::max<std::size_t>(batch, 1));
  }

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
      Report((name + " from " + kind).c_str(), samples);
    }
    Report((name + ", answers of 500-2000 nodes").c_str(), about_1000);
  }
  return 0;
}
