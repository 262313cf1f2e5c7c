// The `vntrace serve` and `vntrace apikey create` subcommands: the composition root that opens
// the store, wires the domain modules into the router and runs the HTTP server.
//
// Thread-safety: called once from main.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace vntrace::cli {

struct ServerArgs {
  std::string db = "vntrace.db";
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  std::string label = "api";
  std::string org;
  std::string base_url;
  std::string log_key;  // the log's signing key file; empty: "<db>.log-key"
};

// Registers `serve` and `apikey create` under `app`. `args` and `exit_code` must outlive `app`.
void AddServerCommands(CLI::App& app, ServerArgs& args, int& exit_code);

}  // namespace vntrace::cli
