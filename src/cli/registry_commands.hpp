// The `vntrace org create` and `vntrace user create` subcommands: register an organisation and
// its users from the command line (as the operator, with system_admin rights).
//
// Thread-safety: called once from main.
#pragma once

#include <CLI/CLI.hpp>

namespace vntrace::cli {

// Registers `org create` and `user create` under `app`. `exit_code` must outlive `app`.
void AddRegistryCommands(CLI::App& app, int& exit_code);

}  // namespace vntrace::cli
