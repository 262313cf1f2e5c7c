#include "report/internal/access.hpp"

namespace vntrace::report::internal {
namespace {

bool Contains(const registry::Actor& actor, const Area& area) {
  return !actor.area.province.empty() &&
         registry::AreaContains(actor.area,
                                store::Address{.province = area.province, .commune = area.commune});
}

}  // namespace

bool MayReadArea(const registry::Actor& actor, const Area& area) {
  if (registry::IsSystem(actor)) {
    return true;
  }
  if (!actor.Is(store::Role::kAuthorityOfficer) && !actor.Is(store::Role::kInspector)) {
    return false;
  }
  return Contains(actor, area);
}

bool MayRecordInArea(const registry::Actor& actor, const Area& area) {
  if (registry::IsSystem(actor)) {
    return true;
  }
  return actor.Is(store::Role::kAuthorityOfficer) && Contains(actor, area);
}

}  // namespace vntrace::report::internal
