// registry::Actor: who is calling a registry or accounts function, and the isolation rules.
//
// Every domain function of src/registry takes an Actor: a signed-in user, an API key, the
// command line, or an anonymous visitor (the public scan page). The rules:
//   - system_admin (and the command line, and a system API key) may do everything;
//   - org_admin and org_staff (and an organisation's API key, which acts as org_staff) read and
//     change only their own organisation's private data; org_admin also edits the organisation
//     and manages its users;
//   - authority_officer and inspector read the private data of organisations whose address is
//     inside their area, and change nothing;
//   - anyone, anonymous included, reads what is published: products, lots, and an
//     organisation's public profile (name, kind, address, GS1 identifiers).
// A refusal is kPermissionDenied.
//
// Thread-safety: values and stateless functions.
//
// Example:
//   registry::Actor staff = registry::Actor::ForUser(user);
//   if (!registry::CanReadPrivate(staff, org)) { ... }
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/registry_store.hpp"

namespace vntrace::registry {

using store::Role;

// "system_admin", "authority_officer", "inspector", "org_admin", "org_staff".
std::string_view RoleName(Role role);
// The inverse of RoleName; kInvalidArgument (details "role.invalid") otherwise.
core::Result<Role> ParseRole(std::string_view name);

enum class ActorKind { kAnonymous, kUser, kApiKey, kCommandLine };

struct Actor {
  ActorKind kind = ActorKind::kAnonymous;
  std::string id{};            // user id or API key id; empty otherwise
  std::optional<Role> role{};  // nullopt only for kAnonymous
  std::string org_id{};        // org_admin / org_staff / organisation API key
  store::Address area{};       // authority_officer / inspector

  static Actor Anonymous();
  // The operator at the command line: system_admin rights.
  static Actor CommandLine();
  static Actor ForUser(const store::User& user);
  // An organisation's key acts as org_staff of it; a key without organisation as system_admin.
  static Actor ForApiKey(std::string key_id, std::string org_id);

  // "user:{id}", "apikey:{id}", "cli" or "anonymous": the actor of audit entries.
  std::string AuditName() const;
  bool Is(Role r) const { return role.has_value() && *role == r; }
};

// True when `address` lies inside `area`: every non-empty field of the area matches.
bool AreaContains(const store::Address& area, const store::Address& address);

// May `actor` read the private data (facilities, certificates, users, audit) of `org`?
bool CanReadPrivate(const Actor& actor, const store::Organisation& org);
// May `actor` create or change the facilities, products, certificates and lots of `org_id`?
bool CanWriteOrgData(const Actor& actor, std::string_view org_id);
// May `actor` edit the organisation `org_id` itself and manage its users?
bool CanManageOrg(const Actor& actor, std::string_view org_id);
bool IsSystem(const Actor& actor);

}  // namespace vntrace::registry
