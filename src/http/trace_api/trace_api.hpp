// http::trace_api: lineage over HTTP.
//
//   GET /api/v1/trace?id=URI&direction=backward|forward|both[&depth=N]
//       → {"root", "direction", "nodes": [...], "edges": [...], "truncated", "eventsExamined"}
//   GET /api/v1/recall?lot=URI[&format=json|csv|html][&lang=vi|en]
//       → the recall report of a lot (trace/recall.hpp); CSV as an attachment, HTML printable.
//
// Both require an API key. Bad parameters get 400 problem+json (QueryParameterException) with
// a precise detail.
//
// Thread-safety: the handlers are safe to call concurrently; the context must outlive the
// router.
//
// Example:
//   http::TraceApiContext trace{store, clock};
//   http::RegisterTraceApi(router, trace);
#pragma once

#include "core/clock.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace vntrace::http {

struct TraceApiContext {
  store::Store& store;
  const core::Clock& clock;
  bool require_api_key = true;
};

void RegisterTraceApi(Router& router, TraceApiContext& context);

}  // namespace vntrace::http
