// vntrace: the one binary of the product-traceability platform. Serves every user over HTTP
// and works as a command-line tool.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/demo_command.hpp"
#include "cli/epcis_commands.hpp"
#include "cli/gen_command.hpp"
#include "cli/gs1_commands.hpp"
#include "cli/ledger_commands.hpp"
#include "cli/registry_commands.hpp"
#include "cli/report_command.hpp"
#include "cli/server_commands.hpp"
#include "cli/stamp_commands.hpp"
#include "cli/sync_commands.hpp"
#include "cli/trace_commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "vntrace: product traceability for Vietnam (TCVN 12850, GS1 EPCIS 2.0, GS1 Digital Link)\n"
      "vntrace: truy xuất nguồn gốc sản phẩm (TCVN 12850, GS1 EPCIS 2.0, GS1 Digital Link)",
      "vntrace"};
  app.set_version_flag("--version", "vntrace 0.1.0");
  app.require_subcommand(1);
  int exit_code = 0;
  vntrace::cli::Gs1Args gs1_args;
  vntrace::cli::AddGs1Commands(app, gs1_args, exit_code);
  vntrace::cli::AddEpcisCommands(app, exit_code);
  vntrace::cli::AddGenCommand(app, exit_code);
  vntrace::cli::ServerArgs server_args;
  vntrace::cli::AddServerCommands(app, server_args, exit_code);
  vntrace::cli::AddRegistryCommands(app, exit_code);
  vntrace::cli::AddTraceCommands(app, exit_code);
  vntrace::cli::AddStampCommands(app, exit_code);
  vntrace::cli::AddDemoCommand(app, exit_code);
  vntrace::cli::AddLedgerCommands(app, exit_code);
  vntrace::cli::AddReportCommand(app, exit_code);
  vntrace::cli::AddSyncCommands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "vntrace: %s (run 'vntrace --help' for usage)\n", e.what());
    return 2;
  }
  return exit_code;
}
