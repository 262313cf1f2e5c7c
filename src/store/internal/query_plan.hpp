// store::internal query plan: the backend-independent part of answering an EventQuery through
// the event index.
//
// A query is answered in two steps. Candidates are the events found by one "probe": a lookup
// that yields a superset of the events satisfying the query (the events naming an identifier or
// value through the index, the events with an eventID, the events in a time range). Each
// candidate is then rebuilt as an epcis::Event and kept when epcis::Matches says so. When no
// probe is selective enough, the backend scans events in the requested order instead and stops
// as soon as the page is full.
//
// Thread-safety: values and pure functions.
//
// Example:
//   for (const IndexProbe& p : IndexProbes(query)) { ... look up p.kinds x p.values ... }
//   if (NeedsJson(query)) { ... parse the stored JSON before calling Matches ... }
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "epcis/event.hpp"
#include "epcis/query.hpp"

namespace vntrace::store::internal {

// The order of a query's result; persisted in page tokens (values are stable).
enum class SortOrder : std::uint8_t {
  kRecordOrder = 0,  // rowid ascending: no orderBy
  kEventTimeAsc = 1,
  kEventTimeDesc = 2,
  kRecordTimeAsc = 3,
  kRecordTimeDesc = 4,
  kExtensionAsc = 5,  // orderBy an extension field (epcis::OrderKey), events without it last
  kExtensionDesc = 6,
};

SortOrder SortOrderOf(const epcis::EventQuery& query);
bool IsDescending(SortOrder order);
bool IsExtensionOrder(SortOrder order);

// One candidate lookup through the event index: every event with an index row of one of
// `kinds` whose value equals (or, for a prefix match, starts with) one of `values`.
struct IndexProbe {
  std::vector<epcis::IndexKind> kinds;
  std::vector<epcis::IdMatch> values;
};

// Every index probe the query allows, each a superset of its result: MATCH_* parameters,
// EQ_bizStep, EQ_disposition, EQ_readPoint, EQ_bizLocation, EQ_transformationID,
// EQ_persistentDisposition_set/unset, EQ_errorReason, EQ_correctiveEventID and
// EQ_bizTransaction/source/destination, and once master data is resolved
// (query.master_data.resolved) WD_readPoint/WD_bizLocation (the locations and all their
// descendants) and HASATTR_/EQ_ATTR_ (the elements satisfying them, in the index kind of their
// field). (EQ_eventID and time ranges are probed on the events themselves.) Values are widened
// to what epcis::Matches accepts: a prefix ending in '/' also looks up the class itself, and a
// CBV value every spelling of its bare word.
std::vector<IndexProbe> IndexProbes(const epcis::EventQuery& query);

// A matching event as placed in the result order: its sort key (eventTime or recordTime in
// nanoseconds, or its rowid in record order; for an extension order `field`) and its rowid,
// which breaks ties.
struct Hit {
  std::int64_t key = 0;
  std::int64_t rowid = 0;
  epcis::OrderKey field{};
  friend bool operator==(const Hit&, const Hit&) = default;
};

// The sort key of an event stored under `rowid`, for `order` (not an extension order).
std::int64_t SortKeyOf(SortOrder order, const epcis::Event& event, std::int64_t rowid);

// The hit of an event stored under `rowid` in the order of `query`.
Hit HitOf(SortOrder order, const epcis::EventQuery& query, const epcis::Event& event,
          std::int64_t rowid);

// Whether `a` comes before `b` in `order`.
bool Precedes(SortOrder order, const Hit& a, const Hit& b);

// An inclusive range of nanosecond instants.
struct TimeRange {
  std::int64_t lo = std::numeric_limits<std::int64_t>::min();
  std::int64_t hi = std::numeric_limits<std::int64_t>::max();
  bool Empty() const { return lo > hi; }
  bool Bounded() const {
    return lo != std::numeric_limits<std::int64_t>::min() ||
           hi != std::numeric_limits<std::int64_t>::max();
  }
};

// GE_eventTime/LT_eventTime as an inclusive range (unbounded sides at the int64 limits).
TimeRange EventTimeRange(const epcis::EventQuery& query);
TimeRange RecordTimeRange(const epcis::EventQuery& query);

// Whether epcis::Matches needs the event's index entries (epcis::Event::index) to decide the
// query, or its JSON (epcis::Event::json); when not, a backend may leave them empty.
bool NeedsIndexEntries(const epcis::EventQuery& query);
bool NeedsJson(const epcis::EventQuery& query);

// The smallest string greater than every string starting with `prefix`, for the range
// value >= prefix AND value < successor; nullopt when there is none (empty prefix, or only 0xff
// bytes), i.e. the range is unbounded above.
std::optional<std::string> PrefixSuccessor(std::string_view prefix);

}  // namespace vntrace::store::internal
