// The outbound sync status page (`/app/sync`): every destination the server delivers to (`vntrace
// sync add`), whether it is up to date, its backlog, the last success and the last error — for
// system administrators and authority officers (it holds no organisation's private data and
// never the destinations' secrets).
//
// Thread-safety: as the router's handlers (several threads at once).
//
// Example:
//   VNTRACE_RETURN_IF_ERROR(http::pages::RegisterSyncPage(router, app));
#pragma once

#include "core/result.hpp"
#include "http/pages/producer_app.hpp"
#include "http/router.hpp"

namespace vntrace::http::pages {

// Registers GET /app/sync. kInvalidArgument when `base_url` is not usable.
core::Status RegisterSyncPage(Router& router, ProducerAppContext& context);

}  // namespace vntrace::http::pages
