// http::pages inspect app: the inspector workspace under /app/inspect — server-rendered,
// Vietnamese first, phone-first, on the producer app's sessions (internal::AppShell).
//
// Pages (inspectors, authority officers and system admins; the domain, report/inspection.hpp,
// decides what each may see and do):
//   GET  /app/inspect                         quick check ("Kiểm tra nhanh"): a code field and a
//                                              camera button (BarcodeDetector, progressive
//                                              enhancement in static/inspect.js), recent
//                                              inspections and recalls
//   GET  /app/inspect/check?code=…            the verdict, product, producer, lot, certificates
//                                              and the one-up/one-down trace of a code
//   GET  /app/inspect/trace?lot=…             the full trace of a lot
//   GET  /app/inspect/orgs, /orgs/{id}        the organisations of the area; one with its lots
//   GET  /app/inspect/inspections             list with filters; /new (form), POST /new
//   GET  /app/inspect/inspections/{id}        detail; POST …/{id}/photos adds a photo
//   GET  /app/inspect/photos/{id}             a photo, for those who may read its inspection
//   GET  /app/inspect/recalls                 list; /new?lot=… (reason, scope), POST /new
//   GET  /app/inspect/recalls/{id}            detail (also for the organisations it concerns),
//                                              with the recall report …/report.csv, …/report.html
// Photos come as multipart/form-data, one file per request (the form parser's rule): JPEG or
// PNG, at most report::kMaxPhotoBytes.
//
// Thread-safety: the registered handlers are safe to call concurrently; the context's members
// must outlive the router.
//
// Example:
//   http::pages::ProducerAppContext app{store, clock, random, "https://truyxuat.example.vn"};
//   VNTRACE_RETURN_IF_ERROR(http::pages::RegisterInspectApp(router, app));
#pragma once

#include "core/result.hpp"
#include "http/pages/producer_app.hpp"
#include "http/router.hpp"

namespace vntrace::http::pages {

// Registers every /app/inspect route. kInvalidArgument when `base_url` is not usable.
core::Status RegisterInspectApp(Router& router, ProducerAppContext& context);

}  // namespace vntrace::http::pages
