#include "http/pages/internal/app_shell.hpp"

#include <algorithm>
#include <utility>

namespace vntrace::http::pages::internal {

Data List() { return Data{Data::type::list}; }

std::string FieldKey(std::string_view name) {
  std::string key(name);
  std::replace(key.begin(), key.end(), '.', '_');
  return key;
}

std::string ErrorField(std::string_view code) {
  std::size_t dot = code.rfind('.');
  return std::string(dot == std::string_view::npos ? code : code.substr(0, dot));
}

AppShell::AppShell(ProducerAppContext& context, registry::PlatformIds ids)
    : app_(context),
      ids_(std::move(ids)),
      ctx_{context.store.registry(), context.clock, context.random, ids_} {}

Response AppShell::Dispatch(Request& req, bool needs_session,
                            const std::function<Response(Page&)>& handle) {
  Page page{req};
  page.lang = Language(req, page.cookies);
  if (needs_session) {
    std::string_view token = CookieValue(req.Header("Cookie"), kSessionCookie);
    core::Result<registry::SessionInfo> who =
        token.empty() ? core::Result<registry::SessionInfo>(core::Unauthenticated("no session"))
                      : registry::AuthenticateSession(ctx_, token);
    if (!who.ok()) {
      if (req.method == Method::kGet || req.method == Method::kHead) {
        return Redirect("/app/login");
      }
      return ErrorPage(page, core::Unauthenticated("sign in first", "session.required"));
    }
    page.session = std::move(*who);
  }
  if (req.method == Method::kPost && !IsJson(req)) {
    // Room for the largest upload a domain function accepts (a 5 MiB certificate file) and
    // more, so that a file over a domain limit gets its error beside the field.
    core::Result<FormData> form =
        ParseForm(req.Header("Content-Type"), req.body,
                  {.max_body_bytes = 8u << 20, .max_file_bytes = 8u << 20});
    if (!form.ok()) return ErrorPage(page, form.error());
    page.form = std::move(*form);
    if (page.session && !registry::CsrfMatches(*page.session, page.form.Get("csrf"))) {
      return ErrorPage(page, core::PermissionDenied("CSRF token missing or wrong", "csrf"));
    }
  } else if (req.method == Method::kPost && page.session &&
             !registry::CsrfMatches(*page.session, req.Header("X-CSRF-Token"))) {
    return ErrorPage(page, core::PermissionDenied("CSRF token missing or wrong", "csrf"));
  }
  return handle(page);
}

bool AppShell::IsJson(const Request& req) {
  return req.Header("Content-Type").substr(0, 16) == "application/json";
}

bool AppShell::Secure(const Request& req) const {
  return std::find(app_.trusted_proxies.begin(), app_.trusted_proxies.end(), req.remote_address) !=
             app_.trusted_proxies.end() &&
         req.Header("X-Forwarded-Proto") == "https";
}

std::string AppShell::Cookie(const Request& req, std::string_view name, std::string_view value,
                             std::string_view max_age) const {
  std::string cookie =
      std::string(name) + "=" + std::string(value) + "; Path=/app; HttpOnly; SameSite=Lax";
  if (!max_age.empty()) cookie += "; Max-Age=" + std::string(max_age);
  if (Secure(req)) cookie += "; Secure";
  return cookie;
}

std::string AppShell::Language(const Request& req, std::vector<std::string>& cookies) const {
  if (std::optional<std::string_view> q = req.QueryParam("lang"); q && (*q == "vi" || *q == "en")) {
    cookies.push_back(Cookie(req, kLangCookie, *q, "31536000"));
    return std::string(*q);
  }
  std::string_view cookie = CookieValue(req.Header("Cookie"), kLangCookie);
  if (cookie == "vi" || cookie == "en") return std::string(cookie);
  std::string_view accept = req.Header("Accept-Language");
  std::string_view first = accept.substr(0, accept.find_first_of(",;"));
  while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
  if (first.substr(0, 2) == "en") return "en";
  return "vi";
}

Response AppShell::Redirect(std::string location) {
  Response res = Response::Empty(303);
  res.headers["Location"] = std::move(location);
  res.headers["Cache-Control"] = "no-store";
  return res;
}

Response AppShell::Show(Page& page, std::string_view name, Data data, int status) {
  data.set("title", view_.Text(page.lang, "page." + std::string(name)));
  if (page.session) {
    data.set("csrf_token", page.session->csrf_token);
    data.set("signed_in", true);
  }
  data.set("path", page.req.path);
  Response res = Response::Text(status, view_.Render(name, std::move(data), page.lang),
                                "text/html; charset=utf-8");
  res.headers["Cache-Control"] = "no-store";
  res.headers["Content-Language"] = page.lang;
  res.cookies.insert(res.cookies.end(), page.cookies.begin(), page.cookies.end());
  return res;
}

Response AppShell::ErrorPage(Page& page, const core::Error& error) {
  Data data;
  std::string code = error.details.empty() ? "generic" : error.details;
  if (error.code == core::ErrorCode::kNotFound) code = "page.not_found";
  if (error.code == core::ErrorCode::kPermissionDenied && error.details.empty()) {
    code = "permission_denied";
  }
  data.set("message", view_.ErrorText(page.lang, code));
  if (error.code != core::ErrorCode::kInternal) data.set("detail", error.message);
  return Show(page, "error", std::move(data), ProblemOf(error).status);
}

void AppShell::FormErrors(Page& page, Data& data, const core::Error& error) {
  for (const auto& [name, value] : page.form.fields) data.set("f_" + FieldKey(name), value);
  if (error.code == core::ErrorCode::kInvalidArgument && !error.details.empty()) {
    data.set("err_" + FieldKey(ErrorField(error.details)),
             view_.ErrorText(page.lang, error.details));
  } else if (!error.details.empty()) {
    data.set("err_form", view_.ErrorText(page.lang, error.details));
  } else {
    data.set("err_form", view_.ErrorText(page.lang, "generic") + " (" + error.message + ")");
  }
}

Data AppShell::Options(const std::vector<std::pair<std::string, std::string>>& values,
                       std::string_view selected, bool with_empty, std::string_view empty_label) {
  Data list = List();
  if (with_empty) {
    Data o;
    o.set("value", "");
    o.set("label", std::string(empty_label));
    o.set("selected", selected.empty());
    list.push_back(o);
  }
  for (const auto& [value, label] : values) {
    Data o;
    o.set("value", value);
    o.set("label", label);
    o.set("selected", value == selected);
    list.push_back(o);
  }
  return list;
}

}  // namespace vntrace::http::pages::internal
