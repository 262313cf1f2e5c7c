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
//   - ?linkType=gs1:pip|gs1:certificationInfo|gs1:epcis|gs1:traceability|gs1:recallStatus|
//     gs1:dpp (also the full https://gs1.org/voc/… form): 307 to that link; a link type this
//     identifier does not have: 404;
//   - the digital product passport (Decree 37/2026 Art. 32.1) of a registered product, lot or
//     item at /dpp{path}: JSON-LD (application/ld+json) in schema.org and GS1 Web Vocabulary
//     terms — name, GTIN, brand, manufacturer and address, origin, lot, expiry, certificates with
//     validity, OCOP rating, the traceability and EPCIS links, the product version's date. Its
//     link type is gs1:dpp, the GS1 Web Vocabulary's "digital product passport" link type
//     (equivalent to schema.org's hasDigitalProductPassport);
//   - an identifier nothing here knows (no product, lot, stamp or event): a helpful 404 page;
//   - a malformed Digital Link: 400 with the parser's message (HTML for browsers, problem+json
//     otherwise).
// The scan page of a lot or item shows the product as it was when the lot was made (the product
// version holding at the end of Lot::produced_on, else of the lot's creation day, Vietnam time;
// Decree 37/2026 Art. 52), says which version, and lists the version history. Products and lots
// are never deleted, so a lot's page stays resolvable after its expiry (Art. 55).
//
// "Report a problem" (Báo cáo vấn đề): the page holds a plain HTML form (no JavaScript needed)
// posting multipart/form-data to POST /problem-report with the page's path and a signed form
// token (report/problem_reports.hpp); the answer is a confirmation page, or the form again with
// the Vietnamese (or English) error beside the field. Offered when `random` and `form_secret`
// are set.
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
#include "core/random.hpp"
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
  // Report ids for problem reports; with form_secret (report::kFormSecretBytes bytes, see
  // report::LoadOrCreateFormSecret) the page offers the "report a problem" form. Optional; must
  // outlive the router.
  core::Random* random = nullptr;
  std::string form_secret{};
};

// The primary-key AIs whose paths the resolver serves.
const std::vector<std::string>& ResolverPrimaryKeys();

void RegisterResolver(Router& router, ResolverContext& context);

}  // namespace vntrace::http
