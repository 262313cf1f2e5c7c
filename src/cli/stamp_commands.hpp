// The `vntrace stamps` subcommands: issue a batch of traceability stamps for a lot, activate
// it, recall a lot, and render a batch as a print-ready PDF sheet, on the same domain code as
// the producer app (label::StampService, label::render).
//
// Thread-safety: called once from main.
#pragma once

#include <CLI/CLI.hpp>

namespace vntrace::cli {

// Registers `stamps issue|activate|recall|render` under `app`. `exit_code` must outlive `app`.
void AddStampCommands(CLI::App& app, int& exit_code);

}  // namespace vntrace::cli
