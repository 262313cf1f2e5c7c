// http::pages authority app: the workspace of authority officers (and system administrators)
// under /app/authority — server-rendered, Vietnamese first, on the producer app's sessions
// (internal::AppShell). The domain (src/report) decides what each actor may see: an officer sees
// the area of their account, an administrator chooses a province.
//
//   GET  /app/authority                       dashboard: filters commune, from, to (and province
//                                             for administrators); adoption figures, charts (SVG
//                                             from report/charts.hpp), OCOP products and why
//                                             each does or does not meet traceability, scans
//                                             per week, alerts
//   GET  /app/authority/orgs                  the organisations of the area
//   GET  /app/authority/orgs/{id}/self-assessment   printable TCVN 12850 self-assessment
//   GET  /app/self-assessment                 the signed-in organisation's own (its users)
//   GET  /app/authority/outreach              outreach registry; /new form; POST /new
//   GET  /app/authority/report                periodic report editor (figures live, narrative
//                                             drafts in textareas)
//   POST /app/authority/report                format=docx|pdf: downloads the report with the
//                                             edited texts
//
// Inspectors and organisation users get the 403 page on the authority pages.
//
// Thread-safety: the registered handlers are safe to call concurrently; the context's members
// must outlive the router.
//
// Example:
//   http::pages::ProducerAppContext app{store, clock, random, "https://truyxuat.example.vn"};
//   VNTRACE_RETURN_IF_ERROR(http::pages::RegisterAuthorityApp(router, app));
#pragma once

#include "core/result.hpp"
#include "http/pages/producer_app.hpp"
#include "http/router.hpp"

namespace vntrace::http::pages {

// Registers every /app/authority route and /app/self-assessment. kInvalidArgument when
// `base_url` is not usable.
core::Status RegisterAuthorityApp(Router& router, ProducerAppContext& context);

}  // namespace vntrace::http::pages
