// The `vntrace trace` and `vntrace recall` subcommands: lineage from the command line, on the
// same store and code as GET /api/v1/trace and /api/v1/recall.
//
// Thread-safety: called once from main.
#pragma once

#include <CLI/CLI.hpp>

namespace vntrace::cli {

// Registers `trace` and `recall` under `app`. `exit_code` must outlive `app`.
void AddTraceCommands(CLI::App& app, int& exit_code);

}  // namespace vntrace::cli
