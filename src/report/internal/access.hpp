// Private to src/report: who may read or record the figures of an area.
#pragma once

#include "registry/actor.hpp"
#include "report/adoption.hpp"

namespace vntrace::report::internal {

// system_admin, or an authority officer or inspector whose area contains `area`.
bool MayReadArea(const registry::Actor& actor, const Area& area);

// system_admin, or an authority officer whose area contains `area`.
bool MayRecordInArea(const registry::Actor& actor, const Area& area);

}  // namespace vntrace::report::internal
