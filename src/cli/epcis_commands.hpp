// The `vntrace epcis ...` subcommands: work on EPCIS 2.0 documents from the shell.
//
//   vntrace epcis hash DOC          the CBV 2.0 event hash ID of every event, one per line, in
//                                   document order (DOC is a JSON-LD file, or '-' for stdin)
//   vntrace epcis hash --prehash DOC   the canonical pre-hash strings instead
//
// Thread-safety: called once from main.
//
// Example:
//   int exit_code = 0;
//   vntrace::cli::AddEpcisCommands(app, exit_code);
#pragma once

#include <CLI/CLI.hpp>

namespace vntrace::cli {

// Registers `epcis hash` under `app`. `exit_code` must outlive `app`; the chosen command stores
// its exit code there: 0 on success, 2 when the document cannot be read or is invalid (with one
// line on stderr).
void AddEpcisCommands(CLI::App& app, int& exit_code);

}  // namespace vntrace::cli
