// What the page tests of the web apps (producer, authority, inspector) share: requests sent to a
// Router as a browser on loopback sends them, the login form, and reading values out of pages.
//
// Example:
//   std::string session = testing::SignIn(router_, "canbo@sokhcn.vn", kPassword);
//   Response page = testing::Send(router_, Method::kGet, "/app/authority", {}, session);
#pragma once

#include <regex>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "http/internal/target.hpp"
#include "http/message.hpp"
#include "http/pages/form.hpp"
#include "http/router.hpp"

namespace vntrace::http::pages::testing {

inline Response Send(Router& router, Method method, const std::string& target,
                     std::string body = {}, std::string cookie = {}, std::string content_type = {},
                     std::string accept = {}) {
  Request req;
  req.method = method;
  req.target = target;
  http::internal::ParsedTarget parsed = http::internal::ParseTarget(target).value();
  req.path = parsed.path;
  req.query = parsed.query;
  req.body = std::move(body);
  req.remote_address = "127.0.0.1";
  if (!cookie.empty()) req.headers["Cookie"] = cookie;
  if (!content_type.empty()) req.headers["Content-Type"] = content_type;
  if (!accept.empty()) req.headers["Accept"] = accept;
  return router.Handle(req);
}

// The first capture group of `pattern` in `text`; empty when it does not match.
inline std::string Find(const std::string& text, const std::string& pattern) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(pattern))) return {};
  return m[1];
}

// Every Set-Cookie of `res`, one per line.
inline std::string AllCookies(const Response& res) {
  std::string all;
  for (const std::string& cookie : res.cookies) all += cookie + "\n";
  return all;
}

// Signs in through the login form (its CSRF cookie and token) and returns the session cookie
// ("vt_session=...").
inline std::string SignIn(Router& router, const std::string& email, const std::string& password) {
  Response form = Send(router, Method::kGet, "/app/login");
  const std::string token = Find(form.body, "name=\"login_csrf\" value=\"([^\"]+)\"");
  Response res = Send(
      router, Method::kPost, "/app/login",
      "email=" + UrlEncode(email) + "&password=" + UrlEncode(password) + "&login_csrf=" + token,
      "vt_login=" + token, "application/x-www-form-urlencoded");
  EXPECT_EQ(res.status, 303) << res.body;
  return Find(AllCookies(res), "(vt_session=[^;]+)");
}

// The CSRF token of the forms on `page`, as the signed-in `cookie` sees it.
inline std::string Csrf(Router& router, const std::string& cookie, const std::string& page) {
  return Find(Send(router, Method::kGet, page, {}, cookie).body,
              "name=\"csrf\" value=\"([^\"]+)\"");
}

}  // namespace vntrace::http::pages::testing
