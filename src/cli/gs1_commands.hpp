// The `vntrace gs1 ...` subcommands: parse, check and build GS1 identifiers from the shell.
//
// Thread-safety: called once from main.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace vntrace::cli {

// The values CLI11 fills in for the gs1 subcommands.
struct Gs1Args {
  std::string input;
  bool zero_suppressed_gtin = false;
  bool convenience_alphas = false;
  std::vector<std::string> dl_args;
  std::string stem;
  bool compress = false;
};

// Registers `gs1 parse`, `gs1 check` and `gs1 dl` under `app`. `args` and `exit_code` must
// outlive `app`; the chosen command stores its exit code there: 0 on success, 2 on invalid input.
void AddGs1Commands(CLI::App& app, Gs1Args& args, int& exit_code);

}  // namespace vntrace::cli
