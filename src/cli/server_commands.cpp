#include "cli/server_commands.hpp"

#include <charconv>
#include <cstdio>
#include <memory>

#include "cli/sync_commands.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/random.hpp"
#include "http/auth.hpp"
#include "http/epcis_api/epcis_api.hpp"
#include "http/log_api/log_api.hpp"
#include "http/pages/authority_app.hpp"
#include "http/pages/inspect_app.hpp"
#include "http/pages/problems_app.hpp"
#include "http/pages/producer_app.hpp"
#include "http/pages/stamps_app.hpp"
#include "http/pages/sync_page.hpp"
#include "http/report_api/report_api.hpp"
#include "http/resolver/resolver.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/trace_api/trace_api.hpp"
#include "label/stamps.hpp"
#include "ledger/log.hpp"
#include "ledger/witness.hpp"
#include "registry/platform_id.hpp"
#include "report/problem_reports.hpp"
#include "store/store.hpp"
#include "sync/sync.hpp"

namespace vntrace::cli {
namespace {

constexpr int kExitInvalid = 2;
constexpr int kExitFailure = 1;

int Fail(int code, const core::Error& error) {
  std::fprintf(stderr, "vntrace: %s\n", error.message.c_str());
  return code;
}

core::Result<http::ServerOptions> ParseListen(const std::string& listen) {
  std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return core::InvalidArgument("--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  http::ServerOptions options;
  options.host = listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']') {
    options.host = options.host.substr(1, options.host.size() - 2);
  }
  std::string_view port_text(listen.data() + colon + 1, listen.size() - colon - 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return core::InvalidArgument("--listen port must be a number from 0 to 65535");
  }
  options.port = static_cast<std::uint16_t>(port);
  return options;
}

int RunServe(const ServerArgs& args) {
  core::Result<http::ServerOptions> options = ParseListen(args.listen);
  if (!options.ok()) return Fail(kExitInvalid, options.error());
  options->threads = args.threads < 1 ? 1 : args.threads;
  core::Result<std::unique_ptr<store::Store>> db = store::OpenStore({.location = args.db});
  if (!db.ok()) return Fail(kExitFailure, db.error());
  core::SystemClock clock;
  core::SystemRandom random;
  http::Router router;
  router.Add(http::Method::kGet, "/healthz",
             [](http::Request&) { return http::Response::Json(200, R"({"status":"ok"})"); });
  http::EpcisApiContext epcis{**db, clock, random};
  http::RegisterEpcisApi(router, epcis);
  http::TraceApiContext trace{**db, clock};
  http::RegisterTraceApi(router, trace);
  const std::string base_url = args.base_url.empty() ? "http://" + args.listen : args.base_url;
  core::Result<registry::PlatformIds> ids = registry::PlatformIds::Create(base_url);
  if (!ids.ok()) return Fail(kExitInvalid, ids.error());
  http::ReportApiContext reports{**db, clock, random, *ids};
  http::RegisterReportApi(router, reports);
  http::pages::ProducerAppContext app{**db, clock, random, base_url};
  if (core::Status pages = http::pages::RegisterProducerApp(router, app); !pages.ok()) {
    return Fail(kExitInvalid, pages.error());
  }
  if (core::Status inspect = http::pages::RegisterInspectApp(router, app); !inspect.ok()) {
    return Fail(kExitInvalid, inspect.error());
  }
  if (core::Status authority = http::pages::RegisterAuthorityApp(router, app); !authority.ok()) {
    return Fail(kExitInvalid, authority.error());
  }
  if (core::Status stamp_pages = http::pages::RegisterStampsApp(router, app); !stamp_pages.ok()) {
    return Fail(kExitInvalid, stamp_pages.error());
  }
  if (core::Status problems = http::pages::RegisterProblemPages(router, app); !problems.ok()) {
    return Fail(kExitInvalid, problems.error());
  }
  if (core::Status sync_page = http::pages::RegisterSyncPage(router, app); !sync_page.ok()) {
    return Fail(kExitInvalid, sync_page.error());
  }
  // The tamper-evident log: its key lives beside the database, never in it (docs/ledger.md).
  std::string key_path = args.log_key;
  if (key_path.empty()) {
    key_path = (args.db.starts_with("sqlite:") ? args.db.substr(7) : args.db) + ".log-key";
  }
  core::Result<ledger::SigningKey> log_key = ledger::SigningKey::LoadOrCreate(key_path);
  if (!log_key.ok()) return Fail(kExitFailure, log_key.error());
  ledger::TransparencyLog log(**db, *log_key, clock);
  if (core::Result<store::TreeHead> head = log.CurrentTreeHead(); !head.ok()) {
    return Fail(kExitFailure, head.error());
  }
  ledger::Witness witness(**db, *log_key, clock);
  http::LogApiContext log_api{**db, log, witness, clock};
  http::RegisterLogApi(router, log_api);
  label::StampService stamps(**db, clock, random, base_url);
  http::ResolverContext resolver{**db, clock, stamps, base_url};
  resolver.log = &log;
  // The scan page's "report a problem" form signs its tokens with a secret beside the database.
  core::Result<std::string> form_secret = report::LoadOrCreateFormSecret(
      (args.db.starts_with("sqlite:") ? args.db.substr(7) : args.db) + ".form-key", random);
  if (!form_secret.ok()) return Fail(kExitFailure, form_secret.error());
  resolver.random = &random;
  resolver.form_secret = *form_secret;
  http::RegisterResolver(router, resolver);
  http::Server server(router, *options);
  if (core::Status listening = server.Listen(); !listening.ok()) {
    return Fail(kExitFailure, listening.error());
  }
  core::LogInfo(
      "vntrace serving",
      {{"db", args.db}, {"address", options->host}, {"port", std::to_string(server.port())}});
  // A line a supervisor or test can wait for.
  std::printf("listening on http://%s:%u\n", options->host.c_str(), server.port());
  std::fflush(stdout);
  // Outbound sync (`vntrace sync add`): delivers to every enabled destination while serving.
  sync::SyncService sync_service(**db, clock, &MakeSyncTransport);
  sync_service.Start();
  server.Run();
  sync_service.Stop();
  return 0;
}

int RunApiKeyCreate(const ServerArgs& args) {
  core::Result<std::unique_ptr<store::Store>> db = store::OpenStore({.location = args.db});
  if (!db.ok()) return Fail(kExitFailure, db.error());
  core::SystemClock clock;
  core::SystemRandom random;
  core::Result<std::string> key = http::CreateApiKey(**db, clock, random, args.label, args.org);
  if (!key.ok()) return Fail(kExitFailure, key.error());
  std::printf("API key for '%s' (shown once; keep it secret):\n%s\n", args.label.c_str(),
              key->c_str());
  return 0;
}

}  // namespace

void AddServerCommands(CLI::App& app, ServerArgs& args, int& exit_code) {
  CLI::App* serve =
      app.add_subcommand("serve", "Run the HTTP server (EPCIS 2.0 REST under /epcis)");
  serve->add_option("--db", args.db, "SQLite database file")->capture_default_str();
  serve->add_option("--listen", args.listen, "HOST:PORT to listen on")->capture_default_str();
  serve->add_option("--threads", args.threads, "worker threads")->capture_default_str();
  serve->add_option("--log-key", args.log_key,
                    "the tamper-evident log's Ed25519 seed file, created (mode 0600) when missing "
                    "(default: DB.log-key)");
  serve->add_option("--base-url", args.base_url,
                    "public URL of this deployment, under which identifiers are issued "
                    "(default: http://LISTEN)");
  serve->callback([&args, &exit_code] { exit_code = RunServe(args); });

  CLI::App* apikey = app.add_subcommand("apikey", "Manage API keys");
  apikey->require_subcommand(1);
  CLI::App* create =
      apikey->add_subcommand("create", "Create an API key; prints it on the last line");
  create->add_option("--db", args.db, "SQLite database file")->capture_default_str();
  create->add_option("--label", args.label, "what the key is for")->capture_default_str();
  create->add_option("--org", args.org,
                     "the organisation the key acts for (its id); without it, a system key");
  create->callback([&args, &exit_code] { exit_code = RunApiKeyCreate(args); });
}

}  // namespace vntrace::cli
