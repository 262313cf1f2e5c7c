// http::epcis_api: the GS1 EPCIS 2.0 REST binding under /epcis.
//
// Capture (POST /epcis/capture, POST /epcis/events), capture jobs, event queries
// (GET /epcis/events with every SimpleEventQuery parameter, paginated with perPage and
// nextPageToken and a Link rel="next" header), single events, the top-level resources
// (/eventTypes, /epcs, /bizSteps, /bizLocations, /readPoints, /dispositions and their
// /{value}/events), named queries, and OPTIONS discovery with the GS1 headers. Master data
// captured in documents' headers is stored with their events; the REST binding defines no
// query for it, so it is served as a sub-resource of the values it describes
// (/bizLocations/{id}/masterData, /readPoints/{id}/masterData, /epcs/{epc}/masterData: an
// EPCISQueryDocument "SimpleMasterDataQuery" with the element in its vocabularyList), listed by
// GET /{resource}/{value} beside "events" when there is some; query answers hold events only,
// as the standard's SimpleEventQuery does. Every
// endpoint requires an API key (http/auth.hpp). Handlers are thin: parse, one domain call,
// render; errors go through http::ErrorResponse.
//
// A capture is validated whole before anything is stored, then stored atomically and durably
// before the 202 answer, so an acknowledged capture survives a crash. GS1-Capture-Error-Behaviour
// chooses what invalid events do: "rollback" (the default) refuses the document with 400
// ValidationException and stores nothing; "proceed" stores the valid events and lists each
// invalid one in the capture job's `errors` (a ValidationException with its `eventIndex`), the job
// then reporting success false. A problem of the document itself refuses it under both. Any other
// value, "all" included (responses carry "all" to announce both), is a 400 ValidationException.
//
// Thread-safety: the registered handlers are safe to call concurrently; `EpcisApiContext`
// members must outlive the router.
//
// Example:
//   http::Router router;
//   http::EpcisApiContext ctx{store, clock, random};
//   http::RegisterEpcisApi(router, ctx);
#pragma once

#include <cstddef>
#include <string>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace vntrace::http {

struct EpcisApiContext {
  store::Store& store;
  const core::Clock& clock;
  core::Random& random;
  std::size_t capture_limit_events = 10000;
  std::size_t capture_limit_bytes = 32u << 20;
  std::size_t max_per_page = 1000;
  bool require_api_key = true;
};

void RegisterEpcisApi(Router& router, EpcisApiContext& context);

}  // namespace vntrace::http
