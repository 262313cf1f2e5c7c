// The `vntrace demo --db FILE` subcommand: loads realistic Vietnamese demo data (a province
// with its authority, cooperatives, household producers, an enterprise, OCOP products,
// certificates, farms and plots, a season of production diary entries recorded as EPCIS events,
// shipments between members) and prints one line per demo login, "ROLE EMAIL PASSWORD", with
// passwords drawn at random when the demo is loaded. Refuses (exit code 1) a database that
// already has organisations.
//
// Thread-safety: called once from main.
#pragma once

#include <CLI/CLI.hpp>

namespace vntrace::cli {

// Registers `demo` under `app`. `exit_code` must outlive `app`.
void AddDemoCommand(CLI::App& app, int& exit_code);

}  // namespace vntrace::cli
