#include "http/pages/problems_app.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/pages/form.hpp"
#include "http/pages/internal/app_shell.hpp"
#include "http/pages/internal/view.hpp"
#include "registry/registry.hpp"
#include "report/inspection.hpp"
#include "report/problem_reports.hpp"

namespace vntrace::http::pages {
namespace {

using internal::Data;
using internal::Page;
using internal::SetText;
using internal::ShowVietnamTime;

class ProblemsApp : public internal::AppShell {
 public:
  ProblemsApp(ProducerAppContext& context, registry::PlatformIds ids)
      : AppShell(context, std::move(ids)),
        pctx_{context.store, context.clock, context.random, std::string_view()} {}

  using PageMethod = Response (ProblemsApp::*)(Page&);

  Handler Wrap(std::shared_ptr<ProblemsApp> self, PageMethod method) {
    return [self, method](Request& req) {
      return self->Dispatch(req, true,
                            [&self, method](Page& page) { return ((*self).*method)(page); });
    };
  }

  // GET /app/problems: the organisation's reports.
  Response ProducerList(Page& page) {
    if (page.org().empty()) {
      return ErrorPage(page, core::PermissionDenied("not a member of an organisation"));
    }
    return ShowList(page, "problems", false);
  }

  // GET /app/inspect/problems: the area's reports.
  Response InspectList(Page& page) {
    if (!report::MayInspect(page.actor())) {
      return ErrorPage(page, core::PermissionDenied("not an inspector"));
    }
    Data nav;
    nav.set("is_inspector", true);
    return ShowList(page, "inspect_problems", true,
                    view().RenderPart("inspect_nav", nav, page.lang));
  }

  // POST /app/problems/{id}/handled
  Response MarkHandled(Page& page) {
    core::Status marked = report::MarkProblemHandled(pctx_, page.actor(), page.req.PathParam("id"));
    if (!marked.ok()) return ErrorPage(page, marked.error());
    return Redirect("/app/problems?saved=1");
  }

  // GET /app/inspect/problems/{id}/photo
  Response Photo(Page& page) {
    core::Result<store::ProblemPhoto> photo =
        report::GetProblemPhoto(pctx_, page.actor(), page.req.PathParam("id"));
    if (!photo.ok()) return ErrorPage(page, photo.error());
    Response res = Response::Text(200, std::move(photo->data), photo->content_type);
    res.headers["Cache-Control"] = "private, no-store";
    res.headers["Content-Disposition"] = "inline";
    return res;
  }

 private:
  std::string T(const Page& page, const std::string& key) const {
    return view().Text(page.lang, key);
  }

  std::string Name(std::map<std::string, std::string>& cache, const std::string& id,
                   const std::function<std::string()>& find) {
    auto it = cache.find(id);
    if (it == cache.end()) it = cache.emplace(id, find()).first;
    return it->second;
  }

  Response ShowList(Page& page, std::string_view name, bool for_inspectors,
                    std::string nav = std::string()) {
    core::Result<std::vector<store::ProblemReport>> found =
        report::ListProblemReports(pctx_, page.actor(), {});
    if (!found.ok()) return ErrorPage(page, found.error());
    std::map<std::string, std::string> products, orgs;
    Data rows = internal::List();
    for (const store::ProblemReport& r : *found) {
      Data row;
      row.set("id", r.id);
      row.set("date", ShowVietnamTime(r.created_at, true));
      row.set("kind", T(page, "scan.problem.kind." + std::string(report::ProblemKindName(r.kind))));
      row.set("message", r.message);
      SetText(row, "contact", r.contact);
      SetText(row, "area", r.scan_area);
      row.set("code", r.code);
      if (!r.product_id.empty()) {
        row.set("product", Name(products, r.product_id, [&] {
                  core::Result<store::Product> p =
                      registry::GetProduct(ctx_, page.actor(), r.product_id);
                  return p.ok() ? p->name : r.product_id;
                }));
      }
      if (!r.org_id.empty()) {
        row.set("org", Name(orgs, r.org_id, [&] {
                  core::Result<store::Organisation> o =
                      registry::GetOrganisation(ctx_, page.actor(), r.org_id);
                  return o.ok() ? o->name : r.org_id;
                }));
      }
      row.set("handled", r.handled_at.has_value());
      if (r.handled_at) row.set("handled_on", ShowVietnamTime(*r.handled_at, true));
      if (!r.photo_type.empty()) {
        if (for_inspectors) {
          row.set("photo_href", "/app/inspect/problems/" + UrlEncode(r.id) + "/photo");
        } else {
          row.set("photo_private", true);
        }
      }
      if (!for_inspectors && !r.handled_at) {
        row.set("handle_action", "/app/problems/" + UrlEncode(r.id) + "/handled");
      }
      rows.push_back(row);
    }
    Data data;
    data.set("problems", rows);
    data.set("empty", found->empty());
    data.set("saved", page.req.QueryParam("saved").value_or("") == "1");
    if (!nav.empty()) data.set("inspect_nav", nav);
    return Show(page, name, std::move(data));
  }

  const report::ProblemContext pctx_;
};

}  // namespace

core::Status RegisterProblemPages(Router& router, ProducerAppContext& context) {
  VNTRACE_ASSIGN_OR_RETURN(registry::PlatformIds ids,
                           registry::PlatformIds::Create(context.base_url));
  // Shared by the handlers the router holds (their one owner is the router).
  auto app = std::make_shared<ProblemsApp>(context, std::move(ids));
  using P = ProblemsApp;
  const std::pair<Method, std::pair<std::string_view, ProblemsApp::PageMethod>> routes[] = {
      {Method::kGet, {"/app/problems", &P::ProducerList}},
      {Method::kPost, {"/app/problems/{id}/handled", &P::MarkHandled}},
      {Method::kGet, {"/app/inspect/problems", &P::InspectList}},
      {Method::kGet, {"/app/inspect/problems/{id}/photo", &P::Photo}},
  };
  for (const auto& [method, route] : routes) {
    router.Add(method, route.first, app->Wrap(app, route.second));
  }
  return core::Ok();
}

}  // namespace vntrace::http::pages
