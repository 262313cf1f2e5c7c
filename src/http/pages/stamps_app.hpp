// http::pages stamps app: the producer's traceability stamps (tem truy xuất) under /app/stamps —
// server-rendered, Vietnamese first, phone-first, on the producer app's sessions
// (internal::AppShell). The domain is label/stamp_print.hpp and label/stamps.hpp.
//
// Pages (org_admin and org_staff of an organisation; other accounts get the 403 page):
//   GET  /app/stamps                       the organisation's batches: product, lot, count, per
//                                          item or per lot, issued date, active or not, scans
//   GET  /app/stamps/new[?lot=…]           issue a batch for one of its lots (count 1 to
//                                          label::kMaxStampsPerWebBatch, or one code per lot)
//   POST /app/stamps/new                   issues (inactive) and shows the batch
//   GET  /app/stamps/{id}                  the batch: activate, print options, downloads, codes
//   POST /app/stamps/{id}/activate         activates (the form's confirmation box must be ticked)
//   GET  /app/stamps/{id}/sheet.pdf        print-ready PDF: ?stock=70x37|50x30|40x30|30x20|roll
//                                          &symbology=qr|datamatrix|gs1-128&quiet_zone=N
//   GET  /app/stamps/{id}/codes.csv        the codes and their short codes
//   GET  /app/stamps/{id}/code/{n}         code number n as ?format=svg|png (&symbology=…)
// Every POST carries the session's CSRF token (403 page without it). A batch of another
// organisation is 404, as one that does not exist. Issuing and activating are audited.
//
// Thread-safety: the registered handlers are safe to call concurrently; the context's members
// must outlive the router.
//
// Example:
//   http::pages::ProducerAppContext app{store, clock, random, "https://truyxuat.example.vn"};
//   VNTRACE_RETURN_IF_ERROR(http::pages::RegisterStampsApp(router, app));
#pragma once

#include "core/result.hpp"
#include "http/pages/producer_app.hpp"
#include "http/router.hpp"

namespace vntrace::http::pages {

// Registers every /app/stamps route. kInvalidArgument when `base_url` is not usable.
core::Status RegisterStampsApp(Router& router, ProducerAppContext& context);

}  // namespace vntrace::http::pages
