#include "registry/actor.hpp"

#include <array>
#include <utility>

namespace vntrace::registry {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 5> kRoleNames = {{
    {Role::kSystemAdmin, "system_admin"},
    {Role::kAuthorityOfficer, "authority_officer"},
    {Role::kInspector, "inspector"},
    {Role::kOrgAdmin, "org_admin"},
    {Role::kOrgStaff, "org_staff"},
}};

bool IsOrgMember(const Actor& actor, std::string_view org_id) {
  return (actor.Is(Role::kOrgAdmin) || actor.Is(Role::kOrgStaff)) && !actor.org_id.empty() &&
         actor.org_id == org_id;
}

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) {
      return name;
    }
  }
  return "unknown";
}

core::Result<Role> ParseRole(std::string_view name) {
  for (const auto& [r, n] : kRoleNames) {
    if (n == name) {
      return r;
    }
  }
  return core::InvalidArgument(
      "role must be one of system_admin, authority_officer, inspector, org_admin, org_staff; "
      "got '" +
          std::string(name) + "'",
      "role.invalid");
}

Actor Actor::Anonymous() { return Actor{}; }

Actor Actor::CommandLine() {
  return Actor{.kind = ActorKind::kCommandLine, .role = Role::kSystemAdmin};
}

Actor Actor::ForUser(const store::User& user) {
  return Actor{.kind = ActorKind::kUser,
               .id = user.id,
               .role = user.role,
               .org_id = user.org_id,
               .area = user.area};
}

Actor Actor::ForApiKey(std::string key_id, std::string org_id) {
  const Role role = org_id.empty() ? Role::kSystemAdmin : Role::kOrgStaff;
  return Actor{.kind = ActorKind::kApiKey,
               .id = std::move(key_id),
               .role = role,
               .org_id = std::move(org_id)};
}

std::string Actor::AuditName() const {
  switch (kind) {
    case ActorKind::kUser:
      return "user:" + id;
    case ActorKind::kApiKey:
      return "apikey:" + id;
    case ActorKind::kCommandLine:
      return "cli";
    case ActorKind::kAnonymous:
      break;
  }
  return "anonymous";
}

bool AreaContains(const store::Address& area, const store::Address& address) {
  if (area.province.empty()) {
    return false;  // an area must at least name its province
  }
  return area.province == address.province &&
         (area.district.empty() || area.district == address.district) &&
         (area.commune.empty() || area.commune == address.commune);
}

bool IsSystem(const Actor& actor) { return actor.Is(Role::kSystemAdmin); }

bool CanReadPrivate(const Actor& actor, const store::Organisation& org) {
  if (IsSystem(actor) || IsOrgMember(actor, org.id)) {
    return true;
  }
  return (actor.Is(Role::kAuthorityOfficer) || actor.Is(Role::kInspector)) &&
         AreaContains(actor.area, org.address);
}

bool CanWriteOrgData(const Actor& actor, std::string_view org_id) {
  return IsSystem(actor) || IsOrgMember(actor, org_id);
}

bool CanManageOrg(const Actor& actor, std::string_view org_id) {
  return IsSystem(actor) || (actor.Is(Role::kOrgAdmin) && actor.org_id == org_id);
}

}  // namespace vntrace::registry
