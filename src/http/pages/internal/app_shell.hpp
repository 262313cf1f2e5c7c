// The plumbing every group of /app pages shares (the producer app, the authority workspace, ...):
// the language of the request, the session behind the vt_session cookie, form parsing, the CSRF
// check, rendering through View, error pages and the Vietnamese field errors of domain errors.
//
// A page group derives from AppShell and registers handlers that call Dispatch with its page
// method. Private to src/http/pages.
//
// Thread-safety: immutable after construction except through the context's store, clock and
// random, which are safe to share; Dispatch may run on several threads at once.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "http/pages/form.hpp"
#include "http/pages/internal/view.hpp"
#include "http/pages/producer_app.hpp"
#include "http/router.hpp"
#include "registry/accounts.hpp"
#include "registry/platform_id.hpp"
#include "registry/registry.hpp"

namespace vntrace::http::pages::internal {

inline constexpr std::string_view kSessionCookie = "vt_session";
inline constexpr std::string_view kLangCookie = "vt_lang";
inline constexpr std::string_view kLoginCsrfCookie = "vt_login";

// One request to a page: its language, session, parsed form and the cookies to set.
struct Page {
  Request& req;
  std::string lang = "vi";
  std::optional<registry::SessionInfo> session{};
  FormData form{};
  std::vector<std::string> cookies{};  // Set-Cookie values for the response

  const registry::Actor& actor() const { return session->actor; }
  const std::string& org() const { return session->actor.org_id; }
};

// An empty mustache list.
Data List();
// A form field's name as a template key: "ocop.stars" → "ocop_stars".
std::string FieldKey(std::string_view name);
// The field a domain error code names: "ocop.stars.range" → "ocop.stars".
std::string ErrorField(std::string_view code);

class AppShell {
 public:
  // `context` must outlive the shell.
  AppShell(ProducerAppContext& context, registry::PlatformIds ids);
  AppShell(const AppShell&) = delete;
  AppShell& operator=(const AppShell&) = delete;

  // Runs `handle` for `req`: sets the language, authenticates the session when `needs_session`
  // (GET/HEAD without one redirect to /app/login, other methods get the 401 page), parses a
  // form body and checks its CSRF token (the X-CSRF-Token header for JSON bodies).
  Response Dispatch(Request& req, bool needs_session, const std::function<Response(Page&)>& handle);

  const View& view() const { return view_; }

 protected:
  static bool IsJson(const Request& req);
  // True when the request came over TLS through a trusted proxy.
  bool Secure(const Request& req) const;
  // A Set-Cookie value on Path=/app (HttpOnly, SameSite=Lax, Secure over TLS).
  std::string Cookie(const Request& req, std::string_view name, std::string_view value,
                     std::string_view max_age) const;
  // "vi" or "en": ?lang= (remembered in a cookie), the cookie, then Accept-Language.
  std::string Language(const Request& req, std::vector<std::string>& cookies) const;
  static Response Redirect(std::string location);
  // Renders templates/<name> in the layout with the session's CSRF token, no-store.
  Response Show(Page& page, std::string_view name, Data data, int status = 200);
  // The error page of `error` in the page's language, with the status of the error table.
  Response ErrorPage(Page& page, const core::Error& error);
  // Sets "err_<field>" (or "err_form") for a domain error and echoes the submitted fields.
  void FormErrors(Page& page, Data& data, const core::Error& error);
  // <option> data: value, label, selected; `with_empty` puts ("", empty_label) first.
  static Data Options(const std::vector<std::pair<std::string, std::string>>& values,
                      std::string_view selected, bool with_empty, std::string_view empty_label);

  ProducerAppContext& app_;
  const registry::PlatformIds ids_;
  const registry::Context ctx_;
  const View view_;
};

}  // namespace vntrace::http::pages::internal
