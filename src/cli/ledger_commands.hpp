// The tamper-evident log from the command line (docs/ledger.md):
//   vntrace verify URL [--rounds N --interval S] [--api-key KEY] [--event ID]... [--state FILE]
//       audits a vntrace server from outside: its key, its signed tree heads over time
//       (signatures, consistency between successive heads, and with the head saved in --state by
//       the last run), and the inclusion of every event it reads (all events through
//       GET /epcis/events with an API key, at most --max-events; and each --event). Prints what
//       it checked; exits 0 when everything verified, 1 on any mismatch, 2 on bad arguments, 3
//       when the server could not be audited (unreachable, unexpected answers).
//   vntrace log witness --db FILE --to URL [--log-key FILE] [--origin URL]
//       sends this database's current signed tree head, with the consistency proof the witness
//       needs, to another vntrace server to co-sign; keeps the co-signature in the database.
//   vntrace log sth --db FILE [--log-key FILE]
//       prints the current signed tree head (signing a new one when due), as GET /api/v1/log/sth.
//
// Thread-safety: called once from main.
#pragma once

#include <CLI/CLI.hpp>

namespace vntrace::cli {

// Registers `verify` and `log` under `app`. `exit_code` must outlive `app`.
void AddLedgerCommands(CLI::App& app, int& exit_code);

}  // namespace vntrace::cli
