// http::auth: API keys and the authentication check that runs before handlers.
//
// An API key is "vk_<key id>_<secret>": the key id (16 hex characters) is stored in the clear to
// find the key, the secret (43 base64url characters, 256 random bits) only as its SHA-256, so a
// stolen database does not yield usable keys. Requests carry it as `Authorization: Bearer KEY`.
//
// Thread-safety: functions are stateless; the Store does its own locking.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(std::string key, http::CreateApiKey(store, clock, random, "ERP"));
//   core::Result<http::Principal> who = http::Authenticate(request, store);
#pragma once

#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace vntrace::http {

// Who is calling: the API key, and the organisation it acts for (empty for a system key).
struct Principal {
  std::string key_id;
  std::string label;
  std::string org_id;
};

// Creates and stores a new API key acting for organisation `org_id` (empty: a system key);
// returns the full key (shown once, never stored). kNotFound when `org_id` names no
// organisation.
core::Result<std::string> CreateApiKey(store::Store& store, const core::Clock& clock,
                                       core::Random& random, std::string_view label,
                                       std::string_view org_id = {});

// Checks `Authorization: Bearer KEY`. kUnauthenticated when it is missing, malformed or
// unknown (the message never says which part was wrong beyond "missing" vs "invalid").
core::Result<Principal> Authenticate(const Request& request, store::Store& store);

// Wraps `inner`: requests without a valid API key get 401 problem+json with a
// WWW-Authenticate challenge; the others reach `inner`. `store` must outlive the handler.
Handler RequireApiKey(store::Store& store, Handler inner);

}  // namespace vntrace::http
