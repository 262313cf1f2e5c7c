// http::log_api: the tamper-evident log over HTTP (src/ledger, docs/ledger.md), public (no API
// key), in the JSON of Certificate Transparency's API, base64 standard with padding:
//
//   GET  /api/v1/log/sth          → {"tree_size", "timestamp", "root_hash", "signature"}
//                                   (the signed tree head, at most a minute old)
//   GET  /api/v1/log/key          → {"public_key"}
//   GET  /api/v1/log/proof?eventID=ID[&tree_size=N]
//                                 → {"leaf_index", "tree_size", "audit_path": [...]}
//                                   (N defaults to the current head; any stored eventID)
//   GET  /api/v1/log/consistency?first=M&second=N → {"consistency": [...]}
//   POST /api/v1/log/witness      ← {"origin", "public_key", "sth": {...}, "consistency": [...]}
//                                 → {"tree_size", "timestamp", "root_hash", "witness_public_key",
//                                    "cosignature"}: this server co-signs another log's head
//   GET  /api/v1/log/witness?public_key=K → the head last co-signed for the log with key K
//   GET  /log/about               → what "history verified" means, in plain Vietnamese (or
//                                   English: ?lang=en or Accept-Language)
//
// Errors are problem+json: a malformed parameter 400 (QueryParameterException), a tree size
// beyond the current head 400, an unknown eventID 404, an event not yet in the requested tree
// 409, a forked tree head sent to the witness 409.
//
// Thread-safety: the handlers are safe to call concurrently; the context's members must outlive
// the router.
//
// Example:
//   http::LogApiContext log_api{store, log, witness, clock};
//   http::RegisterLogApi(router, log_api);
#pragma once

#include "core/clock.hpp"
#include "http/router.hpp"
#include "ledger/log.hpp"
#include "ledger/witness.hpp"
#include "store/store.hpp"

namespace vntrace::http {

struct LogApiContext {
  store::Store& store;
  ledger::TransparencyLog& log;
  ledger::Witness& witness;
  const core::Clock& clock;
};

void RegisterLogApi(Router& router, LogApiContext& context);

}  // namespace vntrace::http
