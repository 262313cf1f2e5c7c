#include "http/pages/sync_page.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/pages/internal/app_shell.hpp"
#include "http/pages/internal/view.hpp"
#include "store/store.hpp"
#include "sync/sync.hpp"

namespace vntrace::http::pages {
namespace {

using internal::Data;
using internal::Page;
using internal::ShowVietnamTime;

class SyncPage : public internal::AppShell {
 public:
  using AppShell::AppShell;

  Response Show(Page& page) {
    const std::optional<store::Role> role = page.actor().role;
    if (role != store::Role::kSystemAdmin && role != store::Role::kAuthorityOfficer) {
      return ErrorPage(page, core::PermissionDenied("only administrators and authority officers"));
    }
    store::SyncStore& sync = app_.store.sync();
    core::Result<std::vector<store::SyncDestination>> all = sync.ListSyncDestinations();
    if (!all.ok()) return ErrorPage(page, all.error());
    Data rows = internal::List();
    for (const store::SyncDestination& d : *all) {
      core::Result<std::int64_t> backlog = sync.CountEventChangesAfter(d.cursor);
      if (!backlog.ok()) return ErrorPage(page, backlog.error());
      core::Result<sync::DestinationUrl> url = sync::SplitDestinationUrl(d.url);
      Data row;
      row.set("id", d.id);
      row.set("name", d.name);
      // The origin and path only: a URL never carries credentials here (refused at `sync add`).
      row.set("url", url.ok() ? url->origin + url->path : d.url);
      row.set("portal", d.national_portal);
      row.set("enabled", d.enabled);
      row.set("delivered", std::to_string(d.delivered));
      row.set("backlog", std::to_string(*backlog));
      const std::string state = !d.enabled       ? "paused"
                                : d.failures > 0 ? "failing"
                                : *backlog == 0  ? "current"
                                                 : "sending";
      row.set("state", state);
      row.set("state_text", view().Text(page.lang, "sync.state." + state));
      if (d.last_success_at) row.set("last_success", ShowVietnamTime(*d.last_success_at, true));
      if (d.last_attempt_at) row.set("last_attempt", ShowVietnamTime(*d.last_attempt_at, true));
      if (d.failures > 0) {
        row.set("failures", std::to_string(d.failures));
        row.set("last_error", d.last_error);
      }
      rows.push_back(row);
    }
    Data data;
    data.set("destinations", rows);
    data.set("empty", all->empty());
    return AppShell::Show(page, "sync_status", std::move(data));
  }
};

}  // namespace

core::Status RegisterSyncPage(Router& router, ProducerAppContext& context) {
  VNTRACE_ASSIGN_OR_RETURN(registry::PlatformIds ids,
                           registry::PlatformIds::Create(context.base_url));
  auto page = std::make_shared<SyncPage>(context, std::move(ids));
  router.Add(Method::kGet, "/app/sync", [page](Request& req) {
    return page->Dispatch(req, true, [&page](Page& p) { return page->Show(p); });
  });
  return core::Ok();
}

}  // namespace vntrace::http::pages
