#include "registry/internal/audit.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace vntrace::registry::internal {

std::string CreatedJson(const Fields& fields) {
  boost::json::object out;
  for (const auto& [name, value] : fields) {
    if (!value.empty()) {
      out[name] = value;
    }
  }
  return boost::json::serialize(out);
}

std::string ChangedJson(const Fields& before, const Fields& after) {
  boost::json::object out;
  for (std::size_t i = 0; i < after.size() && i < before.size(); ++i) {
    if (before[i].second != after[i].second) {
      boost::json::object change;
      change["from"] = before[i].second;
      change["to"] = after[i].second;
      out[after[i].first] = std::move(change);
    }
  }
  return boost::json::serialize(out);
}

store::AuditEntry MakeAudit(core::Timestamp at, const Actor& actor, std::string org_id,
                            std::string action, std::string entity, std::string entity_id,
                            std::string changes_json) {
  return store::AuditEntry{.sequence = 0,
                           .at = at,
                           .actor = actor.AuditName(),
                           .org_id = std::move(org_id),
                           .action = std::move(action),
                           .entity = std::move(entity),
                           .entity_id = std::move(entity_id),
                           .changes_json = std::move(changes_json)};
}

}  // namespace vntrace::registry::internal
