#include "registry/accounts.hpp"

#include <array>
#include <cstddef>
#include <cstdio>
#include <cstdlib>

#include <sodium.h>

#include "core/sha256.hpp"
#include "core/utf8.hpp"
#include "registry/internal/audit.hpp"
#include "registry/validation.hpp"

namespace vntrace::registry {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kMaxPasswordBytes = 1024;

void EnsureSodium() {
  static const int kInit = sodium_init();
  if (kInit < 0) {
    std::fprintf(stderr, "vntrace: libsodium failed to initialise\n");
    std::abort();
  }
}

std::string Base64Url(std::span<const std::byte> bytes) {
  static constexpr std::string_view kChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::byte b : bytes) {
    buffer = (buffer << 8) | static_cast<std::uint8_t>(b);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kChars[(buffer >> bits) & 0x3F];
    }
  }
  if (bits > 0) {
    out += kChars[(buffer << (6 - bits)) & 0x3F];
  }
  return out;
}

std::string NewToken(core::Random& random) {
  std::array<std::byte, kTokenBytes> bytes{};
  random.Fill(bytes);
  return Base64Url(bytes);
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]);
  }
  return diff == 0;
}

core::Error Denied(const Actor& actor, std::string_view what) {
  return core::PermissionDenied(actor.AuditName() + " may not " + std::string(what));
}

store::User Public(store::User user) {
  user.password_hash.clear();
  return user;
}

internal::Fields UserFields(const store::User& u) {
  return {{"email", u.email},
          {"display_name", u.display_name},
          {"role", std::string(RoleName(u.role))},
          {"org_id", u.org_id},
          {"area.province", u.area.province},
          {"area.district", u.area.district},
          {"area.commune", u.area.commune},
          {"disabled", u.disabled ? "true" : "false"}};
}

bool IsOrgRole(Role role) { return role == Role::kOrgAdmin || role == Role::kOrgStaff; }

// May `actor` administer `user` (read it, set its password, disable it)?
bool CanAdminister(const Actor& actor, const store::User& user) {
  return IsSystem(actor) ||
         (actor.Is(Role::kOrgAdmin) && !user.org_id.empty() && user.org_id == actor.org_id);
}

core::Error BadLogin() { return core::Unauthenticated("wrong e-mail or password"); }

}  // namespace

core::Result<std::string> HashPassword(std::string_view password, const AccountOptions& options) {
  EnsureSodium();
  if (password.size() < options.min_password_length || !core::IsValidUtf8(password)) {
    return core::InvalidArgument(
        "a password has at least " + std::to_string(options.min_password_length) + " characters",
        "password.too_short");
  }
  if (password.size() > kMaxPasswordBytes) {
    return core::InvalidArgument("a password has at most 1024 bytes", "password.too_long");
  }
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), options.password_ops_limit,
                        options.password_mem_limit) != 0) {
    return core::ResourceExhausted("not enough memory to hash the password");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  EnsureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) {
    return false;
  }
  std::array<char, crypto_pwhash_STRBYTES> stored{};
  std::copy(hash.begin(), hash.end(), stored.begin());
  return crypto_pwhash_str_verify(stored.data(), password.data(), password.size()) == 0;
}

core::Result<store::User> CreateUser(const Context& ctx, const Actor& actor, NewUser draft,
                                     const AccountOptions& options) {
  const bool allowed = IsSystem(actor) || (actor.Is(Role::kOrgAdmin) && IsOrgRole(draft.role) &&
                                           draft.org_id == actor.org_id);
  if (!allowed) {
    return Denied(actor, "create a " + std::string(RoleName(draft.role)) + " user" +
                             (draft.org_id.empty() ? "" : " of '" + draft.org_id + "'"));
  }
  VNTRACE_ASSIGN_OR_RETURN(std::string email, NormaliseEmail(draft.email));
  VNTRACE_RETURN_IF_ERROR(ValidateText(draft.display_name, "display_name", 200, false));
  if (RoleName(draft.role) == "unknown") {
    return core::InvalidArgument("unknown role", "role.invalid");
  }
  if (IsOrgRole(draft.role)) {
    if (draft.org_id.empty()) {
      return core::InvalidArgument("an organisation user needs its organisation",
                                   "org_id.required");
    }
    VNTRACE_RETURN_IF_ERROR(ctx.store.GetOrganisation(draft.org_id));
    draft.area = {};
  } else {
    if (!draft.org_id.empty()) {
      return core::InvalidArgument(
          std::string(RoleName(draft.role)) + " users belong to no organisation",
          "org_id.not_allowed");
    }
    if (draft.role == Role::kSystemAdmin) {
      draft.area = {};
    } else if (draft.area.province.empty()) {
      return core::InvalidArgument("an authority officer or inspector needs an area (province)",
                                   "area.required");
    }
  }
  VNTRACE_ASSIGN_OR_RETURN(std::string hash, HashPassword(draft.password, options));
  store::User user{.id = ctx.ids.Issue(IdKind::kUser, ctx.random),
                   .email = std::move(email),
                   .display_name = std::move(draft.display_name),
                   .role = draft.role,
                   .org_id = std::move(draft.org_id),
                   .area = std::move(draft.area),
                   .password_hash = std::move(hash),
                   .disabled = false,
                   .created_at = ctx.clock.Now()};
  core::Status created = ctx.store.CreateUser(
      user, internal::MakeAudit(user.created_at, actor, user.org_id, "create", "user", user.id,
                                internal::CreatedJson(UserFields(user))));
  if (!created.ok() && created.error().code == core::ErrorCode::kAlreadyExists) {
    return core::AlreadyExists("the e-mail " + user.email + " is already registered",
                               "email.taken");
  }
  VNTRACE_RETURN_IF_ERROR(created);
  return Public(std::move(user));
}

core::Result<store::User> GetUser(const Context& ctx, const Actor& actor, std::string_view id) {
  VNTRACE_ASSIGN_OR_RETURN(store::User user, ctx.store.GetUser(id));
  const bool self = actor.kind == ActorKind::kUser && actor.id == user.id;
  if (!self && !CanAdminister(actor, user)) {
    return Denied(actor, "read user '" + std::string(id) + "'");
  }
  return Public(std::move(user));
}

core::Result<std::vector<store::User>> ListUsers(const Context& ctx, const Actor& actor,
                                                 std::string_view org_id) {
  if (!CanManageOrg(actor, org_id) || (org_id.empty() && !IsSystem(actor))) {
    return Denied(actor, "list the users of '" + std::string(org_id) + "'");
  }
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::User> users, ctx.store.ListUsers(org_id));
  for (store::User& user : users) {
    user.password_hash.clear();
  }
  return users;
}

core::Status SetPassword(const Context& ctx, const Actor& actor, std::string_view user_id,
                         std::string_view new_password, const AccountOptions& options) {
  VNTRACE_ASSIGN_OR_RETURN(store::User user, ctx.store.GetUser(user_id));
  const bool self = actor.kind == ActorKind::kUser && actor.id == user.id;
  if (!self && !CanAdminister(actor, user)) {
    return Denied(actor, "set the password of user '" + std::string(user_id) + "'");
  }
  VNTRACE_ASSIGN_OR_RETURN(user.password_hash, HashPassword(new_password, options));
  VNTRACE_RETURN_IF_ERROR(ctx.store.UpdateUser(
      user, internal::MakeAudit(ctx.clock.Now(), actor, user.org_id, "set_password", "user",
                                user.id, R"({"password":"changed"})")));
  return ctx.store.DeleteUserSessions(user.id);
}

core::Status SetUserDisabled(const Context& ctx, const Actor& actor, std::string_view user_id,
                             bool disabled) {
  VNTRACE_ASSIGN_OR_RETURN(store::User user, ctx.store.GetUser(user_id));
  const bool self = actor.kind == ActorKind::kUser && actor.id == user.id;
  if (self || !CanAdminister(actor, user)) {
    return Denied(actor, std::string(disabled ? "disable" : "enable") + " user '" +
                             std::string(user_id) + "'");
  }
  const internal::Fields before = UserFields(user);
  user.disabled = disabled;
  VNTRACE_RETURN_IF_ERROR(ctx.store.UpdateUser(
      user, internal::MakeAudit(ctx.clock.Now(), actor, user.org_id, "update", "user", user.id,
                                internal::ChangedJson(before, UserFields(user)))));
  return disabled ? ctx.store.DeleteUserSessions(user.id) : core::Ok();
}

core::Result<LoginResult> Login(const Context& ctx, std::string_view email,
                                std::string_view password, std::string_view client_address,
                                const AccountOptions& options) {
  const core::Timestamp now = ctx.clock.Now();
  const core::Timestamp since =
      now.Plus(-std::chrono::duration_cast<std::chrono::nanoseconds>(options.failure_window));
  core::Result<std::string> normalised = NormaliseEmail(email);
  const std::string email_subject = "email:" + (normalised.ok() ? *normalised : std::string(email));
  const std::string address_subject = "addr:" + std::string(client_address);
  VNTRACE_ASSIGN_OR_RETURN(int email_failures, ctx.store.CountLoginFailures(email_subject, since));
  VNTRACE_ASSIGN_OR_RETURN(int address_failures,
                           ctx.store.CountLoginFailures(address_subject, since));
  if (email_failures >= options.max_failures || address_failures >= options.max_failures) {
    return core::ResourceExhausted("too many failed logins; try again in a few minutes",
                                   "login.rate_limited");
  }
  core::Result<store::User> user =
      normalised.ok() ? ctx.store.FindUserByEmail(*normalised)
                      : core::Result<store::User>(core::NotFound("not an e-mail address"));
  if (!user.ok() && user.error().code != core::ErrorCode::kNotFound) {
    return std::move(user).error();
  }
  // Verify even without a user, against a hash made with the same cost as real ones, so that
  // timing does not tell which e-mails exist.
  static const std::string kDummyHash = [&options] {
    core::Result<std::string> hash = HashPassword("not-a-real-password", options);
    return hash.ok() ? *hash : std::string();
  }();
  const bool matches = VerifyPassword(user.ok() ? user->password_hash : kDummyHash, password);
  if (!user.ok() || !matches || user->disabled) {
    VNTRACE_RETURN_IF_ERROR(ctx.store.RecordLoginFailure(email_subject, now));
    VNTRACE_RETURN_IF_ERROR(ctx.store.RecordLoginFailure(address_subject, now));
    return BadLogin();
  }
  VNTRACE_RETURN_IF_ERROR(ctx.store.ClearLoginFailures(email_subject));
  LoginResult result{.session_token = NewToken(ctx.random),
                     .csrf_token = NewToken(ctx.random),
                     .expires_at = now.Plus(options.session_lifetime),
                     .user = Public(*user)};
  VNTRACE_RETURN_IF_ERROR(
      ctx.store.CreateSession({.token_hash = core::Sha256Hex(result.session_token),
                               .user_id = user->id,
                               .csrf_token = result.csrf_token,
                               .created_at = now,
                               .expires_at = result.expires_at}));
  VNTRACE_RETURN_IF_ERROR(ctx.store.AppendAudit(internal::MakeAudit(
      now, Actor::ForUser(*user), user->org_id, "login", "user", user->id, "{}")));
  return result;
}

core::Result<SessionInfo> AuthenticateSession(const Context& ctx, std::string_view token) {
  if (token.size() != 43) {
    return core::Unauthenticated("invalid session");
  }
  core::Result<store::Session> session = ctx.store.FindSession(core::Sha256Hex(token));
  if (!session.ok()) {
    if (session.error().code == core::ErrorCode::kNotFound) {
      return core::Unauthenticated("invalid session");
    }
    return std::move(session).error();
  }
  if (ctx.clock.Now() >= session->expires_at) {
    VNTRACE_RETURN_IF_ERROR(ctx.store.DeleteSession(session->token_hash));
    return core::Unauthenticated("the session has expired; log in again");
  }
  VNTRACE_ASSIGN_OR_RETURN(store::User user, ctx.store.GetUser(session->user_id));
  if (user.disabled) {
    return core::Unauthenticated("the account is disabled");
  }
  return SessionInfo{.actor = Actor::ForUser(user),
                     .csrf_token = session->csrf_token,
                     .expires_at = session->expires_at};
}

bool CsrfMatches(const SessionInfo& session, std::string_view presented) {
  return !session.csrf_token.empty() && ConstantTimeEqual(session.csrf_token, presented);
}

core::Status Logout(const Context& ctx, std::string_view token) {
  return ctx.store.DeleteSession(core::Sha256Hex(token));
}

core::Result<Actor> ActorForApiKey(const Context& ctx, const store::ApiKey& key) {
  if (!key.org_id.empty()) {
    core::Result<store::Organisation> org = ctx.store.GetOrganisation(key.org_id);
    if (!org.ok()) {
      if (org.error().code == core::ErrorCode::kNotFound) {
        return core::Unauthenticated("the API key's organisation no longer exists");
      }
      return std::move(org).error();
    }
  }
  return Actor::ForApiKey(key.key_id, key.org_id);
}

}  // namespace vntrace::registry
