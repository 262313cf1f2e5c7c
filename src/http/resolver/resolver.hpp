// http::resolver: the GS1-conformant Digital Link resolver and the consumer scan page.
//
// Every Digital Link path on this host resolves — /01/…, /00/…, /414/…, /417/… and the other
// primary keys, with key qualifiers and data attributes, compressed (one base64url segment) or
// not — and so do the platform stamp URIs /id/stamp/{serial} of producers without GS1 keys:
//   - default (a browser, a phone camera): the scan page, HTML, Vietnamese unless the phone
//     asks for English (Accept-Language, or ?lang=en); the scan is recorded (time, coarse area
//     from the trusted proxy's area header, a hash of the user agent) and judged (label::Judge);
//   - Accept: application/linkset+json or application/json, or ?linkType=all|linkset: the
//     RFC 9264 linkset (GS1 resolver shape), with the Link header to GS1's linkset context;
//   - ?linkType=gs1:pip|gs1:certificationInfo|gs1:epcis|gs1:traceability|gs1:recallStatus
//     (also the full https://gs1.org/voc/… form): 307 to that link; a link type this identifier
//     does not have: 404;
//   - an identifier nothing here knows (no product, lot, stamp or event): a helpful 404 page;
//   - a malformed Digital Link: 400 with the parser's message (HTML for browsers, problem+json
//     otherwise).
// GET /.well-known/gs1resolver describes the resolver; GET /static/scan.css is the page's style.
//
// Thread-safety: the handlers are safe to call concurrently; the context's members must outlive
// the router.
//
// Example:
//   label::StampService stamps(store, clock, random, base_url);
//   http::ResolverContext resolver{store, clock, stamps, base_url};
//   http::RegisterResolver(router, resolver);
#pragma once

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "http/router.hpp"
#include "label/stamps.hpp"
#include "ledger/log.hpp"
#include "store/store.hpp"

namespace vntrace::http {

struct ResolverContext {
  store::Store& store;
  const core::Clock& clock;
  label::StampService& stamps;
  // The deployment's URL ("https://host[:port]"), the stem of every link the resolver gives.
  std::string base_url = "http://127.0.0.1:8080";
  // The header in which a trusted reverse proxy puts the scanner's coarse area (a province
  // name, from its GeoIP database); read only from trusted_proxies. The raw IP is never stored.
  std::string area_header = "X-Vntrace-Area";
  std::vector<std::string> trusted_proxies = {"127.0.0.1", "::1"};
  // The tamper-evident log: when set, the page says "history verified" (linking /log/about)
  // when every event of the journey is proved unchanged in the current tree head. Optional;
  // must outlive the router.
  ledger::TransparencyLog* log = nullptr;
};

// The primary-key AIs whose paths the resolver serves.
const std::vector<std::string>& ResolverPrimaryKeys();

void RegisterResolver(Router& router, ResolverContext& context);

}  // namespace vntrace::http
