// registry::accounts: users and roles, argon2id passwords, sessions with CSRF tokens, login
// rate limiting, and the Actor of an API key.
//
// Passwords are hashed with argon2id (libsodium crypto_pwhash_str); a session token is 256
// random bits shown once to the browser (base64url, 43 characters) and stored only as its
// SHA-256; each session has its own CSRF token. Login is refused with kResourceExhausted
// after `max_failures` failed attempts within `failure_window` for the same e-mail or the same
// client address, counted in the store (so several server processes share the count). Wrong
// e-mail and wrong password give the same kUnauthenticated answer.
//
// Records returned by these functions never carry the password hash.
//
// Thread-safety: stateless functions; the store does its own locking.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(registry::LoginResult login,
//                            registry::Login(ctx, email, password, "203.0.113.7", {}));
//   VNTRACE_ASSIGN_OR_RETURN(registry::SessionInfo who,
//                            registry::AuthenticateSession(ctx, login.session_token));
//   registry::CreateProduct(ctx, who.actor, ...);
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "registry/actor.hpp"
#include "registry/registry.hpp"
#include "store/registry_store.hpp"
#include "store/store.hpp"

namespace vntrace::registry {

struct AccountOptions {
  // argon2id cost; libsodium's INTERACTIVE limits by default (tests lower them).
  unsigned long long password_ops_limit = 2;
  std::size_t password_mem_limit = 64u << 20;
  std::size_t min_password_length = 8;
  std::chrono::seconds session_lifetime = std::chrono::hours(8);
  int max_failures = 5;
  std::chrono::seconds failure_window = std::chrono::minutes(15);
};

// argon2id hash in libsodium's string format. kInvalidArgument "password.too_short" /
// "password.too_long" (over 1024 bytes); kResourceExhausted when memory runs out.
core::Result<std::string> HashPassword(std::string_view password, const AccountOptions& options);
// True when `password` matches `hash` (constant time in the password).
bool VerifyPassword(std::string_view hash, std::string_view password);

struct NewUser {
  std::string email{};
  std::string display_name{};
  Role role = Role::kOrgStaff;
  std::string org_id{};    // required for org_admin and org_staff, refused for other roles
  store::Address area{};   // required (province at least) for authority_officer and inspector
  std::string password{};  // the clear password; hashed, never stored
};

// system_admin creates any user; an org_admin creates org_admin and org_staff users of its own
// organisation. kAlreadyExists ("email.taken") when the e-mail is registered.
core::Result<store::User> CreateUser(const Context& ctx, const Actor& actor, NewUser user,
                                     const AccountOptions& options);
// A user reads itself; system_admin everyone; an org_admin the users of its organisation.
core::Result<store::User> GetUser(const Context& ctx, const Actor& actor, std::string_view id);
// The users of `org_id`: system_admin or its org_admin.
core::Result<std::vector<store::User>> ListUsers(const Context& ctx, const Actor& actor,
                                                 std::string_view org_id);
// A user changes its own password; system_admin or the org_admin of the user's organisation
// may set it. Ends every session of the user.
core::Status SetPassword(const Context& ctx, const Actor& actor, std::string_view user_id,
                         std::string_view new_password, const AccountOptions& options);
// system_admin or the org_admin of the user's organisation (not for itself). Disabling ends
// every session of the user.
core::Status SetUserDisabled(const Context& ctx, const Actor& actor, std::string_view user_id,
                             bool disabled);

struct LoginResult {
  std::string session_token;  // for the cookie; shown once, stored only hashed
  std::string csrf_token;
  core::Timestamp expires_at;
  store::User user;
};

// kResourceExhausted when the e-mail or the client address is rate limited; kUnauthenticated
// for a wrong e-mail or password, or a disabled user.
core::Result<LoginResult> Login(const Context& ctx, std::string_view email,
                                std::string_view password, std::string_view client_address,
                                const AccountOptions& options);

struct SessionInfo {
  Actor actor;
  std::string csrf_token;
  core::Timestamp expires_at;
};

// The actor of a session token; kUnauthenticated when the token is unknown, expired, or its
// user disabled.
core::Result<SessionInfo> AuthenticateSession(const Context& ctx, std::string_view token);
// True when `presented` equals the session's CSRF token (constant time).
bool CsrfMatches(const SessionInfo& session, std::string_view presented);
// Ends the session of `token` (unknown tokens succeed).
core::Status Logout(const Context& ctx, std::string_view token);

// The actor of an authenticated API key: org_staff of its organisation, or system_admin for a
// key without one. kUnauthenticated when the organisation no longer exists.
core::Result<Actor> ActorForApiKey(const Context& ctx, const store::ApiKey& key);

}  // namespace vntrace::registry
