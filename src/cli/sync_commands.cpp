#include "cli/sync_commands.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "cli/http_client.hpp"
#include "core/clock.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace vntrace::cli {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitInvalid = 2;

struct SyncArgs {
  std::string db = "vntrace.db";
  std::string id;
  std::string name;
  std::string url;
  std::string authorization;
  bool national_portal = false;
};

int Fail(int code, const core::Error& error) {
  std::fprintf(stderr, "vntrace sync: %s\n", error.message.c_str());
  return code;
}

class HttpTransport final : public sync::Transport {
 public:
  explicit HttpTransport(BaseUrl base) : client_(std::move(base)) {}
  core::Result<sync::Reply> Send(std::string_view method, std::string_view target,
                                 std::string_view body,
                                 const std::map<std::string, std::string>& headers) override {
    std::map<std::string, std::string> rest = headers;
    std::string content_type;
    if (auto it = rest.find("Content-Type"); it != rest.end()) {
      content_type = it->second;
      rest.erase(it);
    }
    VNTRACE_ASSIGN_OR_RETURN(HttpReply reply,
                             client_.Send(method, target, body, content_type, rest));
    return sync::Reply{
        .status = reply.status, .body = std::move(reply.body), .headers = std::move(reply.headers)};
  }

 private:
  HttpClient client_;
};

std::string Time(const std::optional<core::Timestamp>& t) {
  return t ? core::FormatRfc3339UtcMillis(*t) : "-";
}

int RunAdd(const SyncArgs& args) {
  core::Result<sync::DestinationUrl> url = sync::SplitDestinationUrl(args.url);
  if (!url.ok()) return Fail(kExitInvalid, url.error());
  if (args.id.empty() || args.id.size() > 64 ||
      args.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
    return Fail(kExitInvalid,
                core::InvalidArgument("--id is 1 to 64 lower-case letters, digits or '-'"));
  }
  core::Result<std::unique_ptr<store::Store>> db =
      store::OpenStore({.location = args.db, .create_if_missing = false});
  if (!db.ok()) return Fail(kExitFailure, db.error());
  core::SystemClock clock;
  const core::Timestamp now = clock.Now();
  store::SyncDestination d{.id = args.id,
                           .name = args.name.empty() ? args.id : args.name,
                           .url = args.url,
                           .authorization = args.authorization,
                           .national_portal = args.national_portal,
                           .created_at = now};
  // The audit entry names the destination, never its secret.
  const std::string changes = std::string("{\"url\":\"") + args.url + "\",\"national_portal\":" +
                              (args.national_portal ? "true" : "false") + "}";
  core::Status created = (*db)->sync().CreateSyncDestination(d, {.at = now,
                                                                 .actor = "cli",
                                                                 .action = "create",
                                                                 .entity = "sync_destination",
                                                                 .entity_id = args.id,
                                                                 .changes_json = changes});
  if (!created.ok()) return Fail(kExitFailure, created.error());
  std::printf("sync destination '%s' → %s added; the server delivers to it while it runs\n",
              args.id.c_str(), args.url.c_str());
  return 0;
}

int RunList(const SyncArgs& args) {
  core::Result<std::unique_ptr<store::Store>> db =
      store::OpenStore({.location = args.db, .create_if_missing = false});
  if (!db.ok()) return Fail(kExitFailure, db.error());
  core::Result<std::vector<store::SyncDestination>> all = (*db)->sync().ListSyncDestinations();
  if (!all.ok()) return Fail(kExitFailure, all.error());
  for (const store::SyncDestination& d : *all) {
    core::Result<std::int64_t> backlog = (*db)->sync().CountEventChangesAfter(d.cursor);
    std::printf("%s\t%s\t%s%s\tdelivered %lld\tbacklog %lld\tlast success %s\tfailures %d%s%s\n",
                d.id.c_str(), d.url.c_str(), d.enabled ? "enabled" : "disabled",
                d.national_portal ? " national-portal" : "", static_cast<long long>(d.delivered),
                static_cast<long long>(backlog.ok() ? *backlog : -1),
                Time(d.last_success_at).c_str(), d.failures,
                d.last_error.empty() ? "" : "\tlast error: ", d.last_error.c_str());
  }
  return 0;
}

int RunEnable(const SyncArgs& args, bool enabled) {
  core::Result<std::unique_ptr<store::Store>> db =
      store::OpenStore({.location = args.db, .create_if_missing = false});
  if (!db.ok()) return Fail(kExitFailure, db.error());
  core::SystemClock clock;
  core::Status set =
      (*db)->sync().SetSyncDestinationEnabled(args.id, enabled,
                                              {.at = clock.Now(),
                                               .actor = "cli",
                                               .action = enabled ? "enable" : "disable",
                                               .entity = "sync_destination",
                                               .entity_id = args.id});
  if (!set.ok()) return Fail(kExitFailure, set.error());
  std::printf("sync destination '%s' %s\n", args.id.c_str(), enabled ? "enabled" : "disabled");
  return 0;
}

}  // namespace

core::Result<std::unique_ptr<sync::Transport>> MakeSyncTransport(std::string_view origin) {
  VNTRACE_ASSIGN_OR_RETURN(BaseUrl base, BaseUrl::Parse(origin));
  return std::unique_ptr<sync::Transport>(std::make_unique<HttpTransport>(std::move(base)));
}

void AddSyncCommands(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SyncArgs>();
  CLI::App* sync = app.add_subcommand("sync", "Outbound sync to other EPCIS 2.0 repositories");
  sync->require_subcommand(1);
  CLI::App* add = sync->add_subcommand("add", "Add a destination");
  add->add_option("--db", args->db, "SQLite database file")->capture_default_str();
  add->add_option("--id", args->id, "short name: lower-case letters, digits, '-'")->required();
  add->add_option("--url", args->url, "the root of its EPCIS 2.0 REST interface")->required();
  add->add_option("--name", args->name, "the name shown on the status page");
  add->add_option("--authorization", args->authorization,
                  "the Authorization header to send, e.g. 'Bearer KEY' (kept secret)");
  add->add_flag("--national-portal", args->national_portal,
                "the national traceability portal (counted on the authority dashboard)");
  add->callback([args, &exit_code] { exit_code = RunAdd(*args); });
  CLI::App* list = sync->add_subcommand("list", "List destinations and their progress");
  list->add_option("--db", args->db, "SQLite database file")->capture_default_str();
  list->callback([args, &exit_code] { exit_code = RunList(*args); });
  for (const bool enabled : {true, false}) {
    CLI::App* sw = sync->add_subcommand(enabled ? "enable" : "disable",
                                        enabled ? "Resume delivery" : "Pause delivery");
    sw->add_option("--db", args->db, "SQLite database file")->capture_default_str();
    sw->add_option("--id", args->id, "the destination")->required();
    sw->callback([args, enabled, &exit_code] { exit_code = RunEnable(*args, enabled); });
  }
}

}  // namespace vntrace::cli
