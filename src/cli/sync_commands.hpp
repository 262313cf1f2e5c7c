// Outbound sync from the command line (src/sync, store/sync_store.hpp):
//   vntrace sync add --db FILE --id ID --url URL [--name TEXT] [--authorization VALUE]
//       [--national-portal]      a destination (an EPCIS 2.0 repository's root URL); delivery
//                                starts with every event already stored
//   vntrace sync list --db FILE  every destination with its progress and backlog
//   vntrace sync enable|disable --db FILE --id ID
// The running server (`vntrace serve`) delivers to every enabled destination.
//
// Thread-safety: called once from main.
#pragma once

#include <memory>
#include <string_view>

#include <CLI/CLI.hpp>

#include "core/result.hpp"
#include "sync/sync.hpp"

namespace vntrace::cli {

// Registers `sync` under `app`. `exit_code` must outlive `app`.
void AddSyncCommands(CLI::App& app, int& exit_code);

// The transport the server's SyncService uses: cli::HttpClient to `origin`.
core::Result<std::unique_ptr<sync::Transport>> MakeSyncTransport(std::string_view origin);

}  // namespace vntrace::cli
