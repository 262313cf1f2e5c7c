// The `vntrace report` subcommand: the periodic traceability report of an area and a period
// (report::BuildPeriodicReport with the default Vietnamese drafts) written as DOCX or PDF, as
// the authority's report editor does in the browser.
//
// Thread-safety: called once from main.
#pragma once

#include <CLI/CLI.hpp>

namespace vntrace::cli {

// Registers `report` under `app`. `exit_code` must outlive `app`.
void AddReportCommand(CLI::App& app, int& exit_code);

}  // namespace vntrace::cli
