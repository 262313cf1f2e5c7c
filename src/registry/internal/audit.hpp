// Private to src/registry: the "what changed" JSON of audit entries.
//
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.hpp"
#include "registry/actor.hpp"
#include "store/registry_store.hpp"

namespace vntrace::registry::internal {

// A record as (field name, value text) pairs, in a fixed order.
using Fields = std::vector<std::pair<std::string, std::string>>;

// {"field": "value", ...} of the non-empty fields.
std::string CreatedJson(const Fields& fields);
// {"field": {"from": "old", "to": "new"}, ...} of the fields that differ.
std::string ChangedJson(const Fields& before, const Fields& after);

store::AuditEntry MakeAudit(core::Timestamp at, const Actor& actor, std::string org_id,
                            std::string action, std::string entity, std::string entity_id,
                            std::string changes_json);

}  // namespace vntrace::registry::internal
