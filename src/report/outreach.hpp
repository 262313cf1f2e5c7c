// report::outreach: the authorities' registry of outreach — training courses (lớp tập huấn) and
// information sessions (hội nghị, tuyên truyền) held in their area — which the dashboard lists
// and the periodic report sums up ("N lớp tập huấn, M lượt người, K tổ chức").
//
// Rules: the kind is "training" or "information"; held_on is a real ISO date, not after today
// (Vietnam time); the topic is required (at most 300 characters), the notes optional (2000);
// attendees and organisations reached are whole numbers 0..100000 (organisations: empty is 0,
// and not more than the attendees); the place is a province and optionally a commune, which
// default to the officer's own area and must lie inside it. Each refusal is kInvalidArgument
// with the code "{field}.{rule}" in Error::details (web/i18n translates "error.<code>").
//
// Who: system_admin records and reads everywhere; an authority officer records and reads in
// their area; an inspector reads in their area; anyone else gets kPermissionDenied. Every
// recorded session is audited (entity "outreach").
//
// Thread-safety: stateless functions; the store, clock and random are shared safely.
//
// Example:
//   report::OutreachContext ctx{*db, clock, random};
//   VNTRACE_ASSIGN_OR_RETURN(store::OutreachSession s,
//       report::RecordOutreach(ctx, officer, {.kind = "training", .held_on = "2026-03-12",
//                                             .topic = "Tập huấn nhật ký điện tử",
//                                             .attendees = "45"}));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "registry/actor.hpp"
#include "report/adoption.hpp"
#include "store/store.hpp"

namespace vntrace::report {

inline constexpr std::int64_t kMaxOutreachPeople = 100'000;

// The store, clock and random must outlive the calls.
struct OutreachContext {
  store::Store& store;
  const core::Clock& clock;
  core::Random& random;
};

// As typed in the form; numbers as text (validated here).
struct OutreachInput {
  std::string kind{};  // "training" | "information"
  std::string held_on{};
  std::string topic{};
  std::string attendees{};
  std::string organisations{};
  std::string province{};  // empty: the actor's province
  std::string commune{};   // empty: the actor's commune (or province-wide)
  std::string notes{};
};

// "training", "information".
std::string_view OutreachKindName(store::OutreachKind kind);

core::Result<store::OutreachSession> RecordOutreach(const OutreachContext& ctx,
                                                    const registry::Actor& actor,
                                                    const OutreachInput& input);

// The sessions held in `area` between the ISO dates `from` and `to` (inclusive; empty: open),
// newest first.
core::Result<std::vector<store::OutreachSession>> ListOutreach(const Context& ctx,
                                                               const registry::Actor& actor,
                                                               const Area& area,
                                                               std::string_view from = {},
                                                               std::string_view to = {});

struct OutreachSummary {
  std::int64_t trainings = 0;
  std::int64_t information_sessions = 0;
  std::int64_t attendees = 0;
  std::int64_t organisations = 0;
};

OutreachSummary Summarise(const std::vector<store::OutreachSession>& sessions);

}  // namespace vntrace::report
