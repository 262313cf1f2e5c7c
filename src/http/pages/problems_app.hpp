// http::pages problems app: the problems consumers reported from the scan page
// (report/problem_reports.hpp), on the producer app's sessions (internal::AppShell).
//
// Pages (the domain decides who sees which report):
//   GET  /app/problems                        the reports about the organisation's products,
//                                              newest first, open ones marked; producers see
//                                              that a photo exists, not the photo
//   POST /app/problems/{id}/handled           marks one handled (members of the organisation)
//   GET  /app/inspect/problems                the reports of the inspector's or officer's area,
//                                              with the photo
//   GET  /app/inspect/problems/{id}/photo     the photo, for inspectors and officers of the area
//
// Thread-safety: the registered handlers are safe to call concurrently; the context's members
// must outlive the router.
//
// Example:
//   http::pages::ProducerAppContext app{store, clock, random, "https://truyxuat.example.vn"};
//   VNTRACE_RETURN_IF_ERROR(http::pages::RegisterProblemPages(router, app));
#pragma once

#include "core/result.hpp"
#include "http/pages/producer_app.hpp"
#include "http/router.hpp"

namespace vntrace::http::pages {

// Registers the routes above. kInvalidArgument when `base_url` is not usable.
core::Status RegisterProblemPages(Router& router, ProducerAppContext& context);

}  // namespace vntrace::http::pages
