// The `vntrace gen` subcommand: a realistic multi-tier supply chain as EPCIS 2.0 documents.
//
//   vntrace gen --out DIR [--events N] [--seed S] [--per-document K]
//       writes DIR/chain-00001.json, … (at most K events each, default 1000) and prints one
//       summary line: events, documents and identifiers worth tracing
//   vntrace gen --stdout [--events N] [--seed S]
//       writes one document to stdout (at most 10,000 events)
//
// Thread-safety: called once from main.
//
// Example:
//   int exit_code = 0;
//   vntrace::cli::AddGenCommand(app, exit_code);
#pragma once

#include <CLI/CLI.hpp>

namespace vntrace::cli {

// Registers `gen` under `app`. `exit_code` must outlive `app`; the command stores 0 on success,
// 2 for bad arguments and 1 when a file cannot be written (with one line on stderr).
void AddGenCommand(CLI::App& app, int& exit_code);

}  // namespace vntrace::cli
