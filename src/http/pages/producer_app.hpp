// http::pages: the producer web app under /app — server-rendered, Vietnamese first (English
// with ?lang=en, remembered in a cookie, or Accept-Language), phone-first.
//
// Pages: login/logout, home, products (with OCOP rating), facilities, certificates, lots, the
// production diary (choose a template, fill one step, see the saved EPCIS event and warnings;
// the list; bulk CSV upload with row-by-row errors), the product export for the national
// barcode registry, and the offline support (service worker /app/sw.js, JSON endpoint
// POST /app/api/diary with an idempotent client entry id).
//
// Sessions: cookie vt_session (HttpOnly, SameSite=Lax, Path=/app, Secure when the request came
// over TLS: X-Forwarded-Proto https from a trusted proxy). Every POST carries the session's CSRF
// token (form field `csrf`, or header X-CSRF-Token for JSON) and gets a 403 page without it.
// Every /app response carries the strict Content-Security-Policy; pages with private data
// carry Cache-Control: no-store. Domain errors are shown beside their field in the user's
// language, from the codes in core::Error::details.
//
// Thread-safety: the registered handlers are safe to call concurrently; the context's members
// must outlive the router.
//
// Example:
//   http::pages::ProducerAppContext app{store, clock, random, "https://truyxuat.example.vn"};
//   VNTRACE_RETURN_IF_ERROR(http::pages::RegisterProducerApp(router, app));
#pragma once

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "http/router.hpp"
#include "registry/accounts.hpp"
#include "store/store.hpp"

namespace vntrace::http::pages {

struct ProducerAppContext {
  store::Store& store;
  const core::Clock& clock;
  core::Random& random;
  // The deployment's URL, for platform ids ("https://host[:port]").
  std::string base_url = "http://127.0.0.1:8080";
  // Peers whose X-Forwarded-Proto is believed.
  std::vector<std::string> trusted_proxies = {"127.0.0.1", "::1"};
  registry::AccountOptions accounts{};
};

// The Content-Security-Policy of every /app response.
inline constexpr char kAppContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

// Registers every /app route. kInvalidArgument when `base_url` is not usable.
core::Status RegisterProducerApp(Router& router, ProducerAppContext& context);

}  // namespace vntrace::http::pages
