#include "cli/gen_command.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "trace/generator.hpp"

namespace vntrace::cli {
namespace {

constexpr int kExitIo = 1;
constexpr int kExitInvalid = 2;
constexpr std::uint64_t kMaxStdoutEvents = 10'000;

struct GenArgs {
  std::string out;
  bool to_stdout = false;
  std::uint64_t events = 10'000;
  std::uint64_t seed = 1;
  std::size_t per_document = 1000;
};

core::Status WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return core::Unavailable("cannot create " + path.string() + ": " + std::strerror(errno));
  }
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  if (std::fclose(file) != 0 || !written) {
    return core::Unavailable("cannot write " + path.string());
  }
  return core::Ok();
}

int RunGen(const GenArgs& args) {
  if (args.to_stdout == !args.out.empty()) {
    std::fprintf(stderr, "vntrace: gen needs exactly one of --out DIR and --stdout\n");
    return kExitInvalid;
  }
  if (args.to_stdout && args.events > kMaxStdoutEvents) {
    std::fprintf(stderr, "vntrace: --stdout writes at most %llu events; use --out DIR\n",
                 static_cast<unsigned long long>(kMaxStdoutEvents));
    return kExitInvalid;
  }
  const trace::ChainOptions options{.seed = args.seed, .target_events = args.events};
  if (args.to_stdout) {
    auto summary = trace::GenerateChainDocuments(
        options, kMaxStdoutEvents * 2, [](std::string&& document) -> core::Status {
          std::fwrite(document.data(), 1, document.size(), stdout);
          return core::Ok();
        });
    if (!summary.ok()) {
      std::fprintf(stderr, "vntrace: %s\n", summary.error().message.c_str());
      return kExitInvalid;
    }
    return 0;
  }
  std::error_code error;
  const std::filesystem::path dir(args.out);
  std::filesystem::create_directories(dir, error);
  if (error) {
    std::fprintf(stderr, "vntrace: cannot create %s: %s\n", args.out.c_str(),
                 error.message().c_str());
    return kExitIo;
  }
  std::uint64_t written = 0;
  bool io_failed = false;
  auto summary = trace::GenerateChainDocuments(
      options, args.per_document, [&](std::string&& document) -> core::Status {
        char name[32];
        std::snprintf(name, sizeof(name), "chain-%05llu.json",
                      static_cast<unsigned long long>(++written));
        core::Status status = WriteFile(dir / name, document);
        io_failed = !status.ok();
        return status;
      });
  if (!summary.ok()) {
    std::fprintf(stderr, "vntrace: %s\n", summary.error().message.c_str());
    return io_failed ? kExitIo : kExitInvalid;
  }
  std::printf(
      "events=%llu documents=%llu organisations=%llu items=%llu farm_lot=%s product_lot=%s "
      "retail_item=%s pallet=%s\n",
      static_cast<unsigned long long>(summary->events),
      static_cast<unsigned long long>(summary->documents),
      static_cast<unsigned long long>(summary->organisations),
      static_cast<unsigned long long>(summary->items), summary->farm_lot.c_str(),
      summary->product_lot.c_str(), summary->retail_item.c_str(), summary->pallet.c_str());
  return 0;
}

}  // namespace

void AddGenCommand(CLI::App& app, int& exit_code) {
  // CLI11 keeps the callback, and so the shared values, alive as long as `app`.
  auto args = std::make_shared<GenArgs>();
  CLI::App* gen = app.add_subcommand(
      "gen",
      "Write a realistic supply chain (farms, collectors, dryers, packers, distributors, "
      "retailers) as EPCIS 2.0 JSON-LD documents, the same bytes for the same seed");
  gen->add_option("--out", args->out, "directory for chain-00001.json, chain-00002.json, ...");
  gen->add_flag("--stdout", args->to_stdout, "write one document to stdout instead");
  gen->add_option("--events", args->events, "about how many events (default 10000)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000'000}));
  gen->add_option("--seed", args->seed, "random seed (default 1)");
  gen->add_option("--per-document", args->per_document, "events per document (default 1000)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000}));
  gen->callback([args, &exit_code] { exit_code = RunGen(*args); });
}

}  // namespace vntrace::cli
