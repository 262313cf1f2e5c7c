// ledger_bench: the tamper-evident log at scale (docs/benchmarks.md, "Ledger").
//
//   ledger_bench [--leaves N] [--dir DIR] [--proofs K] [--capture-batches B]
//
// 1. Builds a log of N leaves (default 10 million) directly through store::LogStore in
//    DIR/vntrace-ledger-bench-N.db (kept with a ".complete" marker and reused by later runs;
//    delete it to rebuild), 10,000 hash-ID leaves per transaction, and reports the build time
//    and the append rate as the log grows.
// 2. On that log: the append rate of 1,000-leaf transactions at N leaves; the time of the root,
//    and of K inclusion proofs (random leaves) and K consistency proofs (random first size, to
//    the whole tree), each generated from the stored subtree hashes and verified; p50/p99.
// 3. Capture throughput with and without the log, in the same run: B rounds of two 1,000-event
//    captures (eight index rows per event, durable), one into a store appending leaves and one
//    into a store that does not (SqliteOptions::append_log), alternated so both see the same
//    machine load; with hash-ID eventIDs (used as the leaf as they are) and with UUID eventIDs
//    (the log computes each CBV 2.0 hash ID). Reports events/s and the ratio.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/sha256.hpp"
#include "ledger/log.hpp"
#include "ledger/merkle.hpp"
#include "store/contract/event_builder.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

namespace ledger = vntrace::ledger;
namespace store = vntrace::store;
using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "ledger_bench: %s\n", message.c_str());
  std::exit(1);
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::unique_ptr<store::sqlite::SqliteStore> Open(const std::filesystem::path& path,
                                                 bool append_log = true) {
  auto opened = store::sqlite::SqliteStore::Open({.path = path.string(), .append_log = append_log});
  if (!opened.ok()) Die(opened.error().message);
  return std::move(opened).value();
}

void Remove(const std::filesystem::path& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path.string() + suffix);
  }
}

// The data of leaf n: a CBV 2.0 hash ID, as an event's leaf holds.
std::string LeafData(std::int64_t n) {
  return "ni:///sha-256;" + vntrace::core::Sha256Hex(std::to_string(n)) + "?ver=CBV2.0";
}

std::uint64_t FileSize(const std::filesystem::path& path) {
  std::error_code ec;
  std::uint64_t total = 0;
  for (const char* suffix : {"", "-wal"}) {
    const auto size = std::filesystem::file_size(path.string() + suffix, ec);
    if (!ec) total += size;
  }
  return total;
}

void Build(const std::filesystem::path& path, std::int64_t leaves) {
  Remove(path);
  auto db = Open(path);
  constexpr std::int64_t kBatch = 10'000;
  const auto started = Clock::now();
  auto window = started;
  std::vector<std::string> batch;
  for (std::int64_t n = 0; n < leaves;) {
    batch.clear();
    for (std::int64_t i = 0; i < kBatch && n < leaves; ++i, ++n) {
      batch.push_back(LeafData(n));
    }
    if (!db->AppendLeaves(batch).ok()) Die("append failed");
    if (n % 1'000'000 == 0 || n == leaves) {
      std::printf("  %9lld leaves  %7.1f s  last million at %.0f leaves/s\n",
                  static_cast<long long>(n), Seconds(started),
                  std::min<double>(1'000'000, static_cast<double>(n)) / Seconds(window));
      std::fflush(stdout);
      window = Clock::now();
    }
  }
  const double took = Seconds(started);
  std::printf("built %lld leaves in %.1f s (%.0f leaves/s), %.2f GB\n",
              static_cast<long long>(leaves), took, static_cast<double>(leaves) / took,
              static_cast<double>(FileSize(path)) / 1e9);
  db.reset();
  std::ofstream(path.string() + ".complete") << leaves << "\n";
}

struct Percentiles {
  double p50 = 0, p99 = 0, max = 0, mean = 0;
};

Percentiles Summarise(std::vector<double> micros) {
  std::sort(micros.begin(), micros.end());
  Percentiles p;
  if (micros.empty()) return p;
  p.p50 = micros[micros.size() / 2];
  p.p99 = micros[std::min(micros.size() - 1, micros.size() * 99 / 100)];
  p.max = micros.back();
  double sum = 0;
  for (double m : micros) sum += m;
  p.mean = sum / static_cast<double>(micros.size());
  return p;
}

void Print(const char* what, const Percentiles& p) {
  std::printf("  %-42s p50 %8.1f µs  p99 %8.1f µs  max %9.1f µs  mean %8.1f µs\n", what, p.p50,
              p.p99, p.max, p.mean);
}

void Proofs(store::sqlite::SqliteStore& db, std::int64_t count) {
  const std::int64_t size = *db.LogSize();
  std::mt19937_64 random(7);
  // The root, from the binary decomposition of the size.
  std::vector<double> roots;
  ledger::Hash root{};
  for (int i = 0; i < 20; ++i) {
    const auto t = Clock::now();
    root = *ledger::RootAt(db, size);
    roots.push_back(Seconds(t) * 1e6);
  }
  Print("root of the whole tree", Summarise(roots));
  std::vector<double> inclusion;
  std::vector<double> verify;
  std::size_t path_length = 0;
  for (std::int64_t i = 0; i < count; ++i) {
    const std::int64_t leaf =
        static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(size));
    const auto t = Clock::now();
    auto proof = ledger::ProveLeaf(db, leaf, size);
    inclusion.push_back(Seconds(t) * 1e6);
    if (!proof.ok()) Die(proof.error().message);
    path_length = proof->audit_path.size();
    const auto v = Clock::now();
    if (!ledger::VerifyInclusion(store::LogLeafHash(LeafData(leaf)), leaf, size, proof->audit_path,
                                 root)
             .ok()) {
      Die("an inclusion proof does not verify");
    }
    verify.push_back(Seconds(v) * 1e6);
  }
  Print("inclusion proof (random leaf, generate)", Summarise(inclusion));
  Print("inclusion proof (verify)", Summarise(verify));
  std::vector<double> consistency;
  std::vector<double> verify_consistency;
  for (std::int64_t i = 0; i < count; ++i) {
    const std::int64_t first =
        1 + static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(size - 1));
    const auto t = Clock::now();
    auto proof = ledger::ProveConsistency(db, first, size);
    consistency.push_back(Seconds(t) * 1e6);
    if (!proof.ok()) Die(proof.error().message);
    const ledger::Hash first_root = *ledger::RootAt(db, first);
    const auto v = Clock::now();
    if (!ledger::VerifyConsistency(first, size, first_root, root, *proof).ok()) {
      Die("a consistency proof does not verify");
    }
    verify_consistency.push_back(Seconds(v) * 1e6);
  }
  Print("consistency proof (random first, generate)", Summarise(consistency));
  Print("consistency proof (verify)", Summarise(verify_consistency));
  std::printf("  audit path length at %lld leaves: %zu hashes\n", static_cast<long long>(size),
              path_length);
}

// 1,000-leaf transactions on top of the big log: the append rate at its size.
void AppendAtSize(store::sqlite::SqliteStore& db, int transactions) {
  const std::int64_t start = *db.LogSize();
  std::vector<std::string> batch;
  const auto started = Clock::now();
  for (int t = 0; t < transactions; ++t) {
    batch.clear();
    for (int i = 0; i < 1000; ++i) {
      batch.push_back(LeafData(start + t * 1000 + i));
    }
    if (!db.AppendLeaves(batch).ok()) Die("append failed");
  }
  const double took = Seconds(started);
  std::printf("  append at %lld leaves: %d transactions of 1,000 leaves, %.0f leaves/s\n",
              static_cast<long long>(start), transactions, transactions * 1000.0 / took);
}

vntrace::epcis::Event MakeEvent(std::int64_t n, bool hash_ids) {
  static const char* const kSteps[] = {"commissioning", "packing", "shipping", "receiving"};
  std::string id = hash_ids
                       ? LeafData(1'000'000'000 + n)
                       : "urn:uuid:6f1c2d3e-0000-4000-8000-" + std::to_string(100'000'000'000 + n);
  store::testing::EventBuilder b(std::move(id));
  b.EventTimeSeconds(1'700'000'000 + n, 420).RecordTimeSeconds(1'700'000'000 + n + 5);
  b.Action(n % 4 == 0 ? "ADD" : "OBSERVE").BizStep(kSteps[n % 4]).Disposition("in_progress");
  const std::string location = "https://id.gs1.org/414/89350010" + std::to_string(10000 + n % 500);
  b.ReadPoint(location).BizLocation(location);
  for (int j = 0; j < 4; ++j) {
    b.Epc("https://id.gs1.org/01/08935001200017/21/" + std::to_string(n * 4 + j));
  }
  return b.Build();
}

void CaptureWithAndWithout(const std::filesystem::path& dir, int rounds, bool hash_ids) {
  const std::filesystem::path with_path = dir / "vntrace-ledger-bench-with.db";
  const std::filesystem::path without_path = dir / "vntrace-ledger-bench-without.db";
  Remove(with_path);
  Remove(without_path);
  auto with = Open(with_path, true);
  auto without = Open(without_path, false);
  double with_seconds = 0;
  double without_seconds = 0;
  std::int64_t next = 0;
  for (int r = 0; r < rounds; ++r) {
    std::vector<vntrace::epcis::Event> batch;
    for (int i = 0; i < 1000; ++i) batch.push_back(MakeEvent(next + i, hash_ids));
    next += 1000;
    // Alternate which goes first, so that neither always follows the other's checkpoint.
    for (int side = 0; side < 2; ++side) {
      const bool log_side = (side == 0) == (r % 2 == 0);
      store::sqlite::SqliteStore& db = log_side ? *with : *without;
      const auto t = Clock::now();
      auto outcome = db.CaptureEvents(batch);
      (log_side ? with_seconds : without_seconds) += Seconds(t);
      if (!outcome.ok() || outcome->stored != batch.size()) Die("capture failed");
    }
  }
  const double events = rounds * 1000.0;
  std::printf(
      "  %-22s with the log %8.0f events/s, without %8.0f events/s, ratio %.3f "
      "(leaves: %lld)\n",
      hash_ids ? "hash-ID eventIDs:" : "UUID eventIDs:", events / with_seconds,
      events / without_seconds, without_seconds / with_seconds,
      static_cast<long long>(*with->LogSize()));
  with.reset();
  without.reset();
  Remove(with_path);
  Remove(without_path);
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t leaves = 10'000'000;
  std::int64_t proofs = 2000;
  int capture_rounds = 40;
  std::filesystem::path dir = std::filesystem::temp_directory_path();
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--leaves") {
      leaves = std::strtoll(argv[i + 1], nullptr, 10);
    } else if (flag == "--proofs") {
      proofs = std::strtoll(argv[i + 1], nullptr, 10);
    } else if (flag == "--capture-batches") {
      capture_rounds = std::atoi(argv[i + 1]);
    } else if (flag == "--dir") {
      dir = argv[i + 1];
    } else {
      Die("unknown option " + std::string(flag));
    }
  }
  if (leaves < 2 || proofs < 1 || capture_rounds < 1) Die("bad arguments");
  const std::filesystem::path path =
      dir / ("vntrace-ledger-bench-" + std::to_string(leaves) + ".db");
  if (!std::filesystem::exists(path.string() + ".complete")) {
    std::printf("building a log of %lld leaves in %s\n", static_cast<long long>(leaves),
                path.c_str());
    Build(path, leaves);
  } else {
    std::printf("reusing %s (%.2f GB)\n", path.c_str(), static_cast<double>(FileSize(path)) / 1e9);
  }
  {
    auto db = Open(path);
    std::printf("proofs at %lld leaves (%lld of each; the store's page cache starts cold):\n",
                static_cast<long long>(*db->LogSize()), static_cast<long long>(proofs));
    Proofs(*db, proofs);
    std::printf("the same again, warm:\n");
    Proofs(*db, proofs);
    AppendAtSize(*db, 20);
  }
  std::printf("capture, 1,000-event batches, %d rounds each, with and without the log:\n",
              capture_rounds);
  CaptureWithAndWithout(dir, capture_rounds, true);
  CaptureWithAndWithout(dir, capture_rounds, false);
  return 0;
}
