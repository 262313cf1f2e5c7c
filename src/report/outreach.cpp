#include "report/outreach.hpp"

#include <charconv>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "registry/validation.hpp"
#include "report/internal/access.hpp"

namespace vntrace::report {
namespace {

constexpr std::size_t kMaxTopicChars = 300;
constexpr std::size_t kMaxNotesChars = 2000;
constexpr std::size_t kMaxPlaceChars = 100;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// A whole number 0..kMaxOutreachPeople; "{field}.required", "{field}.format", "{field}.range".
core::Result<std::int64_t> Count(std::string_view text, std::string_view field, bool required) {
  text = Trim(text);
  const std::string f(field);
  if (text.empty()) {
    if (required) {
      return core::InvalidArgument(f + " is required", f + ".required");
    }
    return 0;
  }
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) {
    return core::InvalidArgument(f + " is too large", f + ".range");
  }
  if (ec != std::errc() || end != text.data() + text.size()) {
    return core::InvalidArgument(f + " must be a whole number", f + ".format");
  }
  if (value < 0 || value > kMaxOutreachPeople) {
    return core::InvalidArgument(f + " must be between 0 and " + std::to_string(kMaxOutreachPeople),
                                 f + ".range");
  }
  return value;
}

core::Result<store::OutreachKind> ParseKind(std::string_view kind) {
  if (kind == "training") return store::OutreachKind::kTraining;
  if (kind == "information") return store::OutreachKind::kInformation;
  return core::InvalidArgument("kind must be training or information", "kind.invalid");
}

}  // namespace

std::string_view OutreachKindName(store::OutreachKind kind) {
  return kind == store::OutreachKind::kInformation ? "information" : "training";
}

core::Result<store::OutreachSession> RecordOutreach(const OutreachContext& ctx,
                                                    const registry::Actor& actor,
                                                    const OutreachInput& input) {
  const std::string province(Trim(input.province).empty() ? actor.area.province
                                                          : std::string(Trim(input.province)));
  const std::string commune(input.province.empty() && Trim(input.commune).empty()
                                ? actor.area.commune
                                : std::string(Trim(input.commune)));
  if (!registry::IsSystem(actor) && !actor.Is(store::Role::kAuthorityOfficer)) {
    return core::PermissionDenied(
        "only authority officers and system administrators record outreach");
  }
  VNTRACE_ASSIGN_OR_RETURN(store::OutreachKind kind, ParseKind(input.kind));
  const std::string held_on(Trim(input.held_on));
  if (held_on.empty()) {
    return core::InvalidArgument("held_on is required", "held_on.required");
  }
  VNTRACE_RETURN_IF_ERROR(registry::ValidateDate(held_on, "held_on"));
  if (held_on > registry::TodayInVietnam(ctx.clock)) {
    return core::InvalidArgument("held_on is in the future", "held_on.future");
  }
  const std::string topic(Trim(input.topic));
  VNTRACE_RETURN_IF_ERROR(registry::ValidateText(topic, "topic", kMaxTopicChars, true));
  VNTRACE_ASSIGN_OR_RETURN(std::int64_t attendees, Count(input.attendees, "attendees", true));
  VNTRACE_ASSIGN_OR_RETURN(std::int64_t organisations,
                           Count(input.organisations, "organisations", false));
  if (organisations > attendees) {
    return core::InvalidArgument("more organisations than attendees", "organisations.attendees");
  }
  VNTRACE_RETURN_IF_ERROR(registry::ValidateText(input.notes, "notes", kMaxNotesChars, false));
  if (province.empty()) {
    return core::InvalidArgument("the province is required", "province.required");
  }
  VNTRACE_RETURN_IF_ERROR(registry::ValidateText(province, "province", kMaxPlaceChars, true));
  VNTRACE_RETURN_IF_ERROR(registry::ValidateText(commune, "commune", kMaxPlaceChars, false));
  if (!internal::MayRecordInArea(actor, {.province = province, .commune = commune})) {
    return core::PermissionDenied("the place is outside your area", "area.outside");
  }
  store::OutreachSession session{
      .id = ctx.random.Hex(12),
      .kind = kind,
      .held_on = held_on,
      .topic = topic,
      .attendees = attendees,
      .organisations = organisations,
      .province = province,
      .commune = commune,
      .notes = input.notes,
      .created_by = actor.AuditName(),
      // In UTC, as the store gives it back.
      .created_at = core::Timestamp::FromUnixNanos(ctx.clock.Now().unix_nanos())};
  const boost::json::object changes{{"kind", OutreachKindName(kind)},
                                    {"heldOn", session.held_on},
                                    {"topic", session.topic},
                                    {"attendees", session.attendees},
                                    {"organisations", session.organisations},
                                    {"province", session.province},
                                    {"commune", session.commune}};
  VNTRACE_RETURN_IF_ERROR(ctx.store.reports().CreateOutreach(
      session, store::AuditEntry{.at = session.created_at,
                                 .actor = session.created_by,
                                 .action = "create",
                                 .entity = "outreach",
                                 .entity_id = session.id,
                                 .changes_json = boost::json::serialize(changes)}));
  return session;
}

core::Result<std::vector<store::OutreachSession>> ListOutreach(const Context& ctx,
                                                               const registry::Actor& actor,
                                                               const Area& area,
                                                               std::string_view from,
                                                               std::string_view to) {
  if (area.province.empty()) {
    return core::InvalidArgument("the area needs a province", "province.required");
  }
  if (!internal::MayReadArea(actor, area)) {
    return core::PermissionDenied(
        "only system administrators and the authority officers and inspectors of the area may "
        "read its outreach");
  }
  return ctx.store.reports().ListOutreach({.province = area.province,
                                           .commune = area.commune,
                                           .from = std::string(from),
                                           .to = std::string(to)});
}

OutreachSummary Summarise(const std::vector<store::OutreachSession>& sessions) {
  OutreachSummary s;
  for (const store::OutreachSession& o : sessions) {
    (o.kind == store::OutreachKind::kTraining ? s.trainings : s.information_sessions) += 1;
    s.attendees += o.attendees;
    s.organisations += o.organisations;
  }
  return s;
}

}  // namespace vntrace::report
