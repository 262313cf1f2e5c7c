#include "trace/graph.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <boost/json/array.hpp>

#include "core/time.hpp"
#include "epcis/event.hpp"
#include "epcis/query.hpp"

namespace vntrace::trace {
namespace {

using epcis::EventType;
using epcis::IndexKind;

constexpr std::int64_t kMinTime = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMaxTime = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t kMaxIdLength = 4096;
constexpr std::string_view kGs1 = "https://id.gs1.org/";

// An edge by name (views of the walkers' names and events, which outlive it); sorted and made
// unique by (time, from, to, kind, eventID).
struct EdgeRow {
  std::int64_t nanos;
  std::string_view from;
  std::string_view to;
  int kind;
  std::string_view event_id;
  core::Timestamp time;
  auto Key() const { return std::tie(nanos, from, to, kind, event_id); }
};
using NodeMap = std::unordered_map<std::string_view, Node>;

bool IsInstanceKind(IndexKind kind) {
  return kind == IndexKind::kEpc || kind == IndexKind::kChildEpc || kind == IndexKind::kParentId ||
         kind == IndexKind::kInputEpc || kind == IndexKind::kOutputEpc;
}
bool IsClassKind(IndexKind kind) {
  return kind == IndexKind::kEpcClass || kind == IndexKind::kChildEpcClass ||
         kind == IndexKind::kInputEpcClass || kind == IndexKind::kOutputEpcClass;
}
bool IsObjectKind(IndexKind kind) { return IsInstanceKind(kind) || IsClassKind(kind); }
bool IsInputKind(IndexKind kind) {
  return kind == IndexKind::kInputEpc || kind == IndexKind::kInputEpcClass;
}
bool IsOutputKind(IndexKind kind) {
  return kind == IndexKind::kOutputEpc || kind == IndexKind::kOutputEpcClass;
}
bool IsChildKind(IndexKind kind) {
  return kind == IndexKind::kChildEpc || kind == IndexKind::kChildEpcClass;
}

// What an identifier's form says it names.
enum class Form { kClass, kInstance, kContainer, kLocation, kParty, kUnknown };

Form FormOf(std::string_view id) {
  if (!id.starts_with(kGs1)) return Form::kUnknown;
  const std::string_view path = id.substr(kGs1.size());
  if (path.starts_with("00/")) return Form::kContainer;
  if (path.starts_with("414/")) return Form::kLocation;
  if (path.starts_with("417/")) return Form::kParty;
  if (path.starts_with("01/")) {
    return path.find("/21/") == std::string_view::npos ? Form::kClass : Form::kInstance;
  }
  return Form::kInstance;
}

// The index kinds under which an identifier of this form can appear as an object of an event.
std::span<const IndexKind> ObjectKindsFor(Form form) {
  static constexpr IndexKind kAll[] = {
      IndexKind::kEpc,           IndexKind::kChildEpc,      IndexKind::kParentId,
      IndexKind::kInputEpc,      IndexKind::kOutputEpc,     IndexKind::kEpcClass,
      IndexKind::kChildEpcClass, IndexKind::kInputEpcClass, IndexKind::kOutputEpcClass};
  const std::span<const IndexKind> all(kAll);
  if (form == Form::kClass) return all.subspan(5);
  if (form == Form::kUnknown) return all;
  return all.first(5);
}

// The walk compares 32-bit local ids, not strings: the store's node numbers (the trace link
// tables' identifier dictionary) mapped to local ids as the walk meets them, each identifier read
// from the store only when the walk needs it (a node it shows, or one whose form matters).
using NodeId = std::uint32_t;
constexpr NodeId kNone = std::numeric_limits<NodeId>::max();

class NodeTable {
 public:
  explicit NodeTable(store::EventLinkReader& reader) : reader_(reader) {}

  // A node named `name` (the root), whether or not the store knows it (store_id 0).
  NodeId AddNamed(std::int64_t store_id, std::string name) {
    const auto id = static_cast<NodeId>(store_ids_.size());
    store_ids_.push_back(store_id);
    names_.push_back(std::move(name));
    named_.push_back(true);
    if (store_id != 0) local_.emplace(store_id, id);
    return id;
  }
  // The local id of store node `store_id`; 0 (no node) is the empty name.
  NodeId Local(std::int64_t store_id) {
    auto [it, inserted] = local_.try_emplace(store_id, static_cast<NodeId>(store_ids_.size()));
    if (inserted) {
      store_ids_.push_back(store_id);
      names_.emplace_back();
      named_.push_back(store_id == 0);
    }
    return it->second;
  }
  std::int64_t StoreId(NodeId id) const { return store_ids_[id]; }
  // The identifier of `id`, read once; empty after a read error, which error() then holds.
  const std::string& Name(NodeId id) {
    if (!named_[id]) {
      named_[id] = true;
      core::Result<std::string> name = reader_.NodeName(store_ids_[id]);
      if (name.ok()) {
        names_[id] = std::move(*name);
      } else if (!error_.has_value()) {
        error_ = name.error();
      }
    }
    return names_[id];
  }
  std::size_t size() const { return store_ids_.size(); }
  core::Status status() const {
    if (error_.has_value()) return *error_;
    return core::Ok();
  }

 private:
  store::EventLinkReader& reader_;
  std::vector<std::int64_t> store_ids_;
  std::deque<std::string> names_;  // stable references while the table grows
  std::vector<bool> named_;
  std::unordered_map<std::int64_t, NodeId> local_;
  std::optional<core::Error> error_;
};

enum class Action : std::uint8_t { kUnset, kAdd, kObserve, kDelete };

struct Entry {
  IndexKind kind;
  NodeId value;
  NodeId type;  // kInstanceLot: the item; kSource/kDestination: the type; else kNone
};

// An event as the walk needs it, with interned identifiers.
struct LinkEvent {
  std::int64_t time = 0;
  core::Timestamp event_time;
  std::string event_id;
  EventType type = EventType::kObjectEvent;
  Action action = Action::kUnset;
  bool shipping = false;
  bool receiving = false;
  bool lists_children = false;
  NodeId location = kNone;  // bizLocation, else readPoint
  NodeId parent = kNone;
  NodeId transformation = kNone;
  std::vector<Entry> entries;
  // Subsets of entries, in the same order, so that a visit of one of many outputs or children
  // does not go through all of them: sources and destinations, inputs, outputs, children, and
  // instance-lot entries by item (type).
  std::vector<Entry> places;
  std::vector<Entry> inputs;
  std::vector<Entry> outputs;
  std::vector<Entry> children;
  std::vector<Entry> lots;
  std::vector<std::pair<NodeId, IndexKind>> roles;  // object entries by id, for Has()

  bool Has(NodeId id, bool (*filter)(IndexKind)) const {
    auto it = std::lower_bound(roles.begin(), roles.end(), std::pair(id, IndexKind{}));
    for (; it != roles.end() && it->first == id; ++it) {
      if (filter(it->second)) return true;
    }
    return false;
  }
};

// A walk item: expand `id` in role `material` (it is the traced thing or made of it) or as a
// carrier (a container that held it), for events in [lo, hi].
struct Visit {
  NodeId id = kNone;
  bool material = true;
  std::int64_t lo = kMinTime;
  std::int64_t hi = kMaxTime;
  int depth = 0;
};

using Ranges = std::vector<std::pair<std::int64_t, std::int64_t>>;

struct NodeState {
  bool touched = false;
  NodeKind kind = NodeKind::kItem;
  bool kind_fixed = false;  // a party or location: the kind came from how it was named
  int depth = 0;
  std::int64_t first = kMaxTime;
  std::int64_t last = kMinTime;
  core::Timestamp first_seen;
  core::Timestamp last_seen;
  Ranges material_done;
  Ranges carrier_done;
};

bool Covered(const Ranges& done, std::int64_t lo, std::int64_t hi) {
  return std::any_of(done.begin(), done.end(),
                     [&](const auto& range) { return range.first <= lo && hi <= range.second; });
}

struct EdgeKey {
  NodeId from;
  NodeId to;
  EdgeKind kind;
  const LinkEvent* event;
  friend bool operator==(const EdgeKey&, const EdgeKey&) = default;
};
struct EdgeHash {
  std::size_t operator()(const EdgeKey& e) const {
    std::size_t h = std::hash<const void*>{}(e.event);
    h = h * 31 + e.from;
    h = h * 31 + e.to;
    return h * 31 + static_cast<std::size_t>(e.kind);
  }
};

class Walker {
 public:
  Walker(store::EventLinkReader& reader, const TraceOptions& options, bool forward)
      : reader_(reader), options_(options), forward_(forward), nodes_(reader) {}

  core::Status Run(const std::string& root_name) {
    VNTRACE_ASSIGN_OR_RETURN(const std::int64_t root_node, reader_.FindNode(root_name));
    const NodeId root = nodes_.AddNamed(root_node, root_name);
    Touch(root, std::nullopt, 0);
    VNTRACE_ASSIGN_OR_RETURN(const std::vector<const LinkEvent*>* events, EventsOf(root));
    bool named_as_thing = !events->empty();
    if (!named_as_thing && FormOf(root_name) != Form::kInstance) {
      // Items of the lot, whether or not their events were declared erroneous.
      VNTRACE_ASSIGN_OR_RETURN(const std::vector<store::NodeLink>* links, LinksOf(root));
      named_as_thing = std::any_of(links->begin(), links->end(), [](const store::NodeLink& link) {
        return link.kind == IndexKind::kInstanceLot;
      });
    }
    if (options_.depth.has_value() && *options_.depth == 0) return core::Ok();
    if (named_as_thing) {
      queue_.push_back(Visit{.id = root, .material = true, .depth = 0});
    } else {
      VNTRACE_RETURN_IF_ERROR(StartFromPlace(root));
    }
    VNTRACE_RETURN_IF_ERROR(nodes_.status());
    while (!queue_.empty() && !truncated_) {
      const Visit visit = queue_.front();
      queue_.pop_front();
      VNTRACE_RETURN_IF_ERROR(Expand(visit));
      VNTRACE_RETURN_IF_ERROR(nodes_.status());
    }
    return core::Ok();
  }

  // The walk's nodes and edges, by name.
  // The views in `nodes` and `edges` are valid while the walker lives.
  core::Status Export(NodeMap& nodes, std::vector<EdgeRow>& edges) {
    for (NodeId id = 0; id < states_.size(); ++id) {
      const NodeState& state = states_[id];
      if (!state.touched) continue;
      const std::string& name = nodes_.Name(id);
      Node node{.id = name,
                .kind = state.kind,
                .label = {},
                .depth = state.depth,
                .first_seen = std::nullopt,
                .last_seen = std::nullopt};
      if (state.first != kMaxTime) {
        node.first_seen = state.first_seen;
        node.last_seen = state.last_seen;
      }
      auto [it, inserted] = nodes.try_emplace(std::string_view(name), node);
      if (inserted) {
        it->second.label = LabelOf(name);
        continue;
      }
      Node& merged = it->second;
      merged.depth = std::min(merged.depth, node.depth);
      if (merged.kind == NodeKind::kItem) merged.kind = node.kind;
      if (node.first_seen && (!merged.first_seen || *node.first_seen < *merged.first_seen)) {
        merged.first_seen = node.first_seen;
      }
      if (node.last_seen && (!merged.last_seen || *merged.last_seen < *node.last_seen)) {
        merged.last_seen = node.last_seen;
      }
    }
    edges.reserve(edges.size() + edges_.size());
    for (const EdgeKey& edge : edges_) {
      edges.push_back(EdgeRow{.nanos = edge.event->time,
                              .from = nodes_.Name(edge.from),
                              .to = nodes_.Name(edge.to),
                              .kind = static_cast<int>(edge.kind),
                              .event_id = edge.event->event_id,
                              .time = edge.event->event_time});
    }
    return nodes_.status();
  }

  bool truncated() const { return truncated_; }
  std::size_t events_examined() const { return events_.size(); }

 private:
  // ---- Reading, with a cache per walk ----

  core::Result<const LinkEvent*> EventAt(std::int64_t record) {
    auto it = events_.find(record);
    if (it != events_.end()) return it->second.get();
    store::EventLinks& event = scratch_;
    VNTRACE_RETURN_IF_ERROR(reader_.ReadEventLinks(record, event));
    auto link = std::make_unique<LinkEvent>();
    link->time = event.event_time.unix_nanos();
    link->event_time = event.event_time;
    link->event_id = std::move(event.event_id);
    link->type = event.type;
    switch (event.action) {
      case store::LinkAction::kAdd:
        link->action = Action::kAdd;
        break;
      case store::LinkAction::kObserve:
        link->action = Action::kObserve;
        break;
      case store::LinkAction::kDelete:
        link->action = Action::kDelete;
        break;
      case store::LinkAction::kNone:
        link->action = Action::kUnset;
        break;
    }
    link->shipping = event.shipping;
    link->receiving = event.receiving;
    if (event.location != 0) link->location = nodes_.Local(event.location);
    // A declared-erroneous event is cached (so that it is read once) but links nothing.
    if (!event.declared) {
      link->entries.reserve(event.entries.size());
      for (const store::LinkEntry& entry : event.entries) {
        const bool typed = entry.kind == IndexKind::kInstanceLot ||
                           entry.kind == IndexKind::kSource ||
                           entry.kind == IndexKind::kDestination;
        const bool wanted =
            typed || IsObjectKind(entry.kind) || entry.kind == IndexKind::kTransformationId;
        if (!wanted) continue;
        const Entry local{.kind = entry.kind,
                          .value = nodes_.Local(entry.node),
                          .type = typed ? nodes_.Local(entry.peer) : kNone};
        link->entries.push_back(local);
        if (entry.kind == IndexKind::kSource || entry.kind == IndexKind::kDestination) {
          link->places.push_back(local);
        }
        if (IsInputKind(entry.kind)) link->inputs.push_back(local);
        if (IsOutputKind(entry.kind)) link->outputs.push_back(local);
        if (IsChildKind(entry.kind)) link->children.push_back(local);
        if (entry.kind == IndexKind::kInstanceLot) link->lots.push_back(local);
        if (IsObjectKind(entry.kind)) link->roles.emplace_back(local.value, entry.kind);
        if (IsChildKind(entry.kind)) link->lists_children = true;
        if (entry.kind == IndexKind::kParentId) link->parent = local.value;
        if (entry.kind == IndexKind::kTransformationId) link->transformation = local.value;
      }
      std::sort(link->roles.begin(), link->roles.end());
      std::stable_sort(link->lots.begin(), link->lots.end(),
                       [](const Entry& a, const Entry& b) { return a.type < b.type; });
    }
    const LinkEvent* pointer = link.get();
    if (event.declared) erroneous_.insert(pointer);
    events_.emplace(record, std::move(link));
    return pointer;
  }

  // The valid (not declared erroneous) events of `records`, by eventTime then record order.
  core::Result<std::vector<const LinkEvent*>> Load(std::vector<std::int64_t>& records) {
    std::sort(records.begin(), records.end());
    records.erase(std::unique(records.begin(), records.end()), records.end());
    std::vector<const LinkEvent*> out;
    out.reserve(records.size());
    for (std::int64_t record : records) {
      VNTRACE_ASSIGN_OR_RETURN(const LinkEvent* event, EventAt(record));
      if (!erroneous_.contains(event)) out.push_back(event);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const LinkEvent* a, const LinkEvent* b) { return a->time < b->time; });
    return out;
  }

  // Every link of `id` (one range read of the store, cached).
  core::Result<const std::vector<store::NodeLink>*> LinksOf(NodeId id) {
    auto it = links_.find(id);
    if (it != links_.end()) return &it->second;
    std::vector<store::NodeLink> links;
    if (nodes_.StoreId(id) != 0) {
      VNTRACE_RETURN_IF_ERROR(reader_.FindNodeLinks(nodes_.StoreId(id), links));
    }
    return &links_.emplace(id, std::move(links)).first->second;
  }

  // The valid events naming `value` under one of `kinds`.
  core::Result<std::vector<const LinkEvent*>> EventsUnder(std::span<const IndexKind> kinds,
                                                          NodeId value) {
    VNTRACE_ASSIGN_OR_RETURN(const std::vector<store::NodeLink>* links, LinksOf(value));
    std::vector<std::int64_t> records;
    for (const store::NodeLink& link : *links) {
      if (std::find(kinds.begin(), kinds.end(), link.kind) != kinds.end()) {
        records.push_back(link.record);
      }
    }
    return Load(records);
  }
  core::Result<std::vector<const LinkEvent*>> EventsUnder(std::initializer_list<IndexKind> kinds,
                                                          NodeId value) {
    return EventsUnder(std::span<const IndexKind>(kinds.begin(), kinds.size()), value);
  }

  // The events naming `id` as an object (epcList, parent, children, inputs, outputs, classes).
  core::Result<const std::vector<const LinkEvent*>*> EventsOf(NodeId id) {
    auto it = object_events_.find(id);
    if (it != object_events_.end()) return &it->second;
    VNTRACE_ASSIGN_OR_RETURN(std::vector<const LinkEvent*> events,
                             EventsUnder(ObjectKindsFor(FormOf(nodes_.Name(id))), id));
    return &object_events_.emplace(id, std::move(events)).first->second;
  }

  // Every event of the transformation `event` belongs to: those sharing its transformationID,
  // or the event alone.
  core::Result<const std::vector<const LinkEvent*>*> TransformationGroup(const LinkEvent& event) {
    if (event.transformation == kNone) {
      auto [it, inserted] = transformations_alone_.try_emplace(&event);
      if (inserted) it->second.push_back(&event);
      return &it->second;
    }
    auto it = transformations_.find(event.transformation);
    if (it != transformations_.end()) return &it->second;
    VNTRACE_ASSIGN_OR_RETURN(std::vector<const LinkEvent*> group,
                             EventsUnder({IndexKind::kTransformationId}, event.transformation));
    return &transformations_.emplace(event.transformation, std::move(group)).first->second;
  }

  // ---- The graph ----

  NodeState& State(NodeId id) {
    if (id >= states_.size()) states_.resize(nodes_.size());
    return states_[id];
  }

  NodeState& Touch(NodeId id, std::optional<NodeKind> place_kind, int depth) {
    NodeState& state = State(id);
    if (!state.touched) {
      state.touched = true;
      state.depth = depth;
      if (place_kind.has_value()) {
        state.kind = *place_kind;
        state.kind_fixed = true;
      } else {
        switch (FormOf(nodes_.Name(id))) {
          case Form::kClass:
            state.kind = NodeKind::kLot;
            break;
          case Form::kContainer:
            state.kind = NodeKind::kContainer;
            break;
          case Form::kLocation:
            state.kind = NodeKind::kLocation;
            break;
          case Form::kParty:
            state.kind = NodeKind::kParty;
            break;
          case Form::kInstance:
          case Form::kUnknown:
            state.kind = NodeKind::kItem;
            break;
        }
      }
      if (++touched_ >= options_.max_nodes) truncated_ = true;
    } else {
      state.depth = std::min(state.depth, depth);
    }
    return state;
  }

  void Seen(NodeId id, const LinkEvent& event) {
    NodeState& state = State(id);
    if (event.time < state.first) {
      state.first = event.time;
      state.first_seen = event.event_time;
    }
    if (event.time > state.last) {
      state.last = event.time;
      state.last_seen = event.event_time;
    }
  }

  void AddEdge(NodeId from, NodeId to, EdgeKind kind, const LinkEvent& event) {
    if (!edges_.insert(EdgeKey{from, to, kind, &event}).second) return;
    Seen(from, event);
    Seen(to, event);
  }

  // Adds `id` as a thing to walk (lot, item or container) and queues a visit.
  void Reach(NodeId id, bool material, std::int64_t lo, std::int64_t hi, int depth) {
    if (truncated_) return;
    NodeState& state = Touch(id, std::nullopt, depth);
    if (state.kind_fixed) return;  // named as a party or location elsewhere: a path ends there
    if (lo > hi) return;
    const bool done =
        Covered(state.material_done, lo, hi) || (!material && Covered(state.carrier_done, lo, hi));
    if (done) return;
    (material ? state.material_done : state.carrier_done).emplace_back(lo, hi);
    if (options_.depth.has_value() && depth >= *options_.depth) return;
    queue_.push_back(Visit{.id = id, .material = material, .lo = lo, .hi = hi, .depth = depth});
  }

  // A container that held something: shown as a container whatever its identifier.
  void MarkContainer(NodeId id) {
    NodeState& state = State(id);
    if (!state.kind_fixed && state.kind == NodeKind::kItem) state.kind = NodeKind::kContainer;
  }

  NodeKind PlaceKindOf(const Entry& entry) {
    if (nodes_.Name(entry.type) == "location" ||
        FormOf(nodes_.Name(entry.value)) == Form::kLocation) {
      return NodeKind::kLocation;
    }
    return NodeKind::kParty;
  }

  // The parties and locations of `event` for thing `id`.
  void Places(NodeId id, const LinkEvent& event, int depth) {
    const int place_depth = depth + 1;
    if (event.location != kNone) {
      Touch(event.location, NodeKind::kLocation, place_depth);
      if (event.shipping) {
        AddEdge(event.location, id, EdgeKind::kShipped, event);
      } else {
        AddEdge(id, event.location, event.receiving ? EdgeKind::kReceived : EdgeKind::kObserved,
                event);
      }
    }
    for (const Entry& entry : event.places) {
      if (entry.kind == IndexKind::kSource) {
        Touch(entry.value, PlaceKindOf(entry), place_depth);
        AddEdge(entry.value, id, EdgeKind::kShipped, event);
      } else if (entry.kind == IndexKind::kDestination) {
        Touch(entry.value, PlaceKindOf(entry), place_depth);
        AddEdge(id, entry.value, event.receiving ? EdgeKind::kReceived : EdgeKind::kShipped, event);
      }
    }
  }

  // When `child`, put into `parent` at `from`, left it: the first DELETE of `parent` after
  // `from` that names `child` or empties the parent (no children listed).
  core::Result<std::int64_t> ContainmentEnd(NodeId parent, NodeId child, std::int64_t from) {
    VNTRACE_ASSIGN_OR_RETURN(const std::vector<const LinkEvent*>* events, EventsOf(parent));
    for (const LinkEvent* event : *events) {
      if (event->time <= from || event->action != Action::kDelete || event->parent != parent) {
        continue;
      }
      if (event->type != EventType::kAggregationEvent &&
          event->type != EventType::kAssociationEvent) {
        continue;
      }
      if (!event->lists_children || event->Has(child, IsChildKind)) return event->time;
    }
    return kMaxTime;
  }

  // A root no event names as an object, but that events name as a place: what was there.
  core::Status StartFromPlace(NodeId place) {
    VNTRACE_ASSIGN_OR_RETURN(std::vector<const LinkEvent*> events,
                             EventsUnder({IndexKind::kReadPoint, IndexKind::kBizLocation,
                                          IndexKind::kSource, IndexKind::kDestination},
                                         place));
    if (events.empty()) return core::Ok();
    NodeState& root = State(place);
    if (!root.kind_fixed) {
      root.kind_fixed = true;
      root.kind =
          FormOf(nodes_.Name(place)) == Form::kParty ? NodeKind::kParty : NodeKind::kLocation;
    }
    for (const LinkEvent* event : events) {
      const std::int64_t t = event->time;
      for (const Entry& entry : event->entries) {
        if (!IsObjectKind(entry.kind)) continue;
        // Inputs were consumed there: they belong to what came before, outputs to what follows.
        if (forward_ && IsInputKind(entry.kind)) continue;
        if (!forward_ && IsOutputKind(entry.kind)) continue;
        Reach(entry.value, true, forward_ ? t : kMinTime, forward_ ? kMaxTime : t, 1);
        AddEdge(entry.value, place, EdgeKind::kObserved, *event);
      }
    }
    return core::Ok();
  }

  core::Status Expand(const Visit& visit) {
    VNTRACE_ASSIGN_OR_RETURN(const std::vector<const LinkEvent*>* events_pointer,
                             EventsOf(visit.id));
    // The cache is an unordered_map of vectors: the vector stays put while the cache grows.
    const std::vector<const LinkEvent*>& events = *events_pointer;
    const int next = visit.depth + 1;
    for (const LinkEvent* event : events) {
      // Class ⇄ instance links do not depend on time.
      LotLinks(visit, *event, next);
      if (event->time < visit.lo || event->time > visit.hi) continue;
      Places(visit.id, *event, visit.depth);
      switch (event->type) {
        case EventType::kTransformationEvent:
          if (visit.material) VNTRACE_RETURN_IF_ERROR(Transformation(visit, *event, next));
          break;
        case EventType::kAggregationEvent:
        case EventType::kAssociationEvent:
          VNTRACE_RETURN_IF_ERROR(Containment(visit, *event, next));
          break;
        case EventType::kObjectEvent:
        case EventType::kTransactionEvent:
          break;
      }
      if (truncated_) return core::Ok();
    }
    if (forward_ && visit.material && FormOf(nodes_.Name(visit.id)) != Form::kInstance) {
      VNTRACE_RETURN_IF_ERROR(ItemsOfLot(visit, next));
    }
    return core::Ok();
  }

  core::Status Transformation(const Visit& visit, const LinkEvent& event, int next) {
    if (!event.Has(visit.id, forward_ ? IsInputKind : IsOutputKind)) return core::Ok();
    VNTRACE_ASSIGN_OR_RETURN(const std::vector<const LinkEvent*>* group,
                             TransformationGroup(event));
    for (const LinkEvent* member : *group) {
      for (const Entry& entry : forward_ ? member->outputs : member->inputs) {
        if (entry.value == visit.id) continue;
        if (forward_ && IsOutputKind(entry.kind)) {
          Reach(entry.value, true, member->time, kMaxTime, next);
          AddEdge(visit.id, entry.value, EdgeKind::kInput, *member);
        } else if (!forward_ && IsInputKind(entry.kind)) {
          Reach(entry.value, true, kMinTime, member->time, next);
          AddEdge(entry.value, visit.id, EdgeKind::kInput, *member);
        }
      }
    }
    return core::Ok();
  }

  core::Status Containment(const Visit& visit, const LinkEvent& event, int next) {
    if (event.action == Action::kDelete || event.parent == kNone) return core::Ok();
    const std::int64_t t = event.time;
    if (event.parent == visit.id) {
      // What the thing holds is part of it, when the thing itself is traced.
      if (!visit.material) return core::Ok();
      MarkContainer(visit.id);
      for (const Entry& entry : event.children) {
        if (!IsChildKind(entry.kind)) continue;
        Reach(entry.value, true, forward_ ? t : kMinTime, forward_ ? kMaxTime : t, next);
        AddEdge(visit.id, entry.value, EdgeKind::kContains, event);
      }
      return core::Ok();
    }
    if (!event.Has(visit.id, IsChildKind)) return core::Ok();
    // The container carried the thing from t until it was taken out.
    VNTRACE_ASSIGN_OR_RETURN(std::int64_t end, ContainmentEnd(event.parent, visit.id, t));
    Reach(event.parent, false, std::max(visit.lo, t), std::min(visit.hi, end), next);
    MarkContainer(event.parent);
    AddEdge(event.parent, visit.id, EdgeKind::kContains, event);
    return core::Ok();
  }

  // Backward, an item leads to its lot (whatever the time of the event that says so).
  void LotLinks(const Visit& visit, const LinkEvent& event, int next) {
    if (forward_ || !visit.material) return;
    auto first =
        std::lower_bound(event.lots.begin(), event.lots.end(), visit.id,
                         [](const Entry& entry, NodeId item) { return entry.type < item; });
    for (auto it = first; it != event.lots.end() && it->type == visit.id; ++it) {
      const Entry& entry = *it;
      if (entry.kind == IndexKind::kInstanceLot && entry.type == visit.id) {
        Reach(entry.value, true, kMinTime, visit.hi, next);
        AddEdge(visit.id, entry.value, EdgeKind::kBelongsTo, event);
      }
    }
  }

  // Forward, a lot leads to its items, from their commissioning on.
  core::Status ItemsOfLot(const Visit& visit, int next) {
    VNTRACE_ASSIGN_OR_RETURN(std::vector<const LinkEvent*> events,
                             EventsUnder({IndexKind::kInstanceLot}, visit.id));
    for (const LinkEvent* event : events) {
      for (const Entry& entry : event->entries) {
        if (entry.kind != IndexKind::kInstanceLot || entry.value != visit.id) continue;
        Reach(entry.type, true, event->time, kMaxTime, next);
        AddEdge(entry.type, visit.id, EdgeKind::kBelongsTo, *event);
      }
    }
    return core::Ok();
  }

  store::EventLinkReader& reader_;
  const TraceOptions& options_;
  const bool forward_;
  NodeTable nodes_;
  store::EventLinks scratch_;
  std::unordered_map<NodeId, std::vector<store::NodeLink>> links_;
  std::vector<NodeState> states_;
  std::size_t touched_ = 0;
  std::deque<Visit> queue_;
  std::unordered_set<EdgeKey, EdgeHash> edges_;
  std::unordered_map<std::int64_t, std::unique_ptr<LinkEvent>> events_;
  std::unordered_set<const LinkEvent*> erroneous_;
  std::unordered_map<NodeId, std::vector<const LinkEvent*>> object_events_;
  std::unordered_map<NodeId, std::vector<const LinkEvent*>> transformations_;
  std::unordered_map<const LinkEvent*, std::vector<const LinkEvent*>> transformations_alone_;
  bool truncated_ = false;
};

}  // namespace

core::Result<Direction> ParseDirection(std::string_view text) {
  if (text == "backward") return Direction::kBackward;
  if (text == "forward") return Direction::kForward;
  if (text == "both") return Direction::kBoth;
  return core::InvalidArgument("direction must be backward, forward or both, not \"" +
                               std::string(text) + "\"");
}

std::string_view DirectionName(Direction direction) {
  switch (direction) {
    case Direction::kBackward:
      return "backward";
    case Direction::kForward:
      return "forward";
    case Direction::kBoth:
      return "both";
  }
  return "both";
}

std::string_view NodeKindName(NodeKind kind) {
  switch (kind) {
    case NodeKind::kLot:
      return "lot";
    case NodeKind::kItem:
      return "item";
    case NodeKind::kContainer:
      return "container";
    case NodeKind::kLocation:
      return "location";
    case NodeKind::kParty:
      return "party";
  }
  return "item";
}

std::string_view EdgeKindName(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::kInput:
      return "input";
    case EdgeKind::kContains:
      return "contains";
    case EdgeKind::kBelongsTo:
      return "belongs_to";
    case EdgeKind::kShipped:
      return "shipped";
    case EdgeKind::kReceived:
      return "received";
    case EdgeKind::kObserved:
      return "observed";
  }
  return "observed";
}

std::string LabelOf(std::string_view id) {
  if (!id.starts_with(kGs1)) return std::string(id);
  std::string_view path = id.substr(kGs1.size());
  // Pairs of AI / value in the path; the query (if any) is not part of a canonical id.
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  while (!path.empty()) {
    const std::size_t a = path.find('/');
    if (a == std::string_view::npos) break;
    const std::string_view ai = path.substr(0, a);
    path.remove_prefix(a + 1);
    const std::size_t b = path.find('/');
    const std::string_view value = path.substr(0, b);
    pairs.emplace_back(ai, value);
    if (b == std::string_view::npos) break;
    path.remove_prefix(b + 1);
  }
  std::string label;
  for (const auto& [ai, value] : pairs) {
    std::string_view name = ai;
    if (ai == "01") name = "GTIN";
    if (ai == "10") name = "lot";
    if (ai == "21") name = "serial";
    if (ai == "00") name = "SSCC";
    if (ai == "414" || ai == "417") name = "GLN";
    if (ai == "254") name = "ext";
    if (ai == "8004") name = "GIAI";
    if (ai == "8003") name = "GRAI";
    if (!label.empty()) label += " · ";
    label += std::string(name) + " " + std::string(value);
  }
  return label.empty() ? std::string(id) : label;
}

core::Result<TraceResult> Trace(store::EventLinkReader& reader, std::string_view id,
                                const TraceOptions& options) {
  if (id.empty()) return core::InvalidArgument("the identifier to trace is empty");
  if (id.size() > kMaxIdLength) {
    return core::InvalidArgument("the identifier to trace is longer than " +
                                 std::to_string(kMaxIdLength) + " characters");
  }
  if (options.depth.has_value() && *options.depth < 0) {
    return core::InvalidArgument("depth must be 0 or more");
  }
  TraceResult result;
  result.root = epcis::CanonicalIdentifier(id);
  NodeMap nodes;
  std::vector<EdgeRow> edges;
  // Both walkers live until the result is built: nodes and edges view their names.
  std::optional<Walker> backward;
  std::optional<Walker> forward;
  if (options.direction != Direction::kForward) {
    backward.emplace(reader, options, /*forward=*/false);
    VNTRACE_RETURN_IF_ERROR(backward->Run(result.root));
    VNTRACE_RETURN_IF_ERROR(backward->Export(nodes, edges));
    result.truncated = result.truncated || backward->truncated();
    result.events_examined += backward->events_examined();
  }
  if (options.direction != Direction::kBackward) {
    forward.emplace(reader, options, /*forward=*/true);
    VNTRACE_RETURN_IF_ERROR(forward->Run(result.root));
    VNTRACE_RETURN_IF_ERROR(forward->Export(nodes, edges));
    result.truncated = result.truncated || forward->truncated();
    result.events_examined += forward->events_examined();
  }
  result.nodes.reserve(nodes.size());
  auto root = nodes.find(std::string_view(result.root));
  result.nodes.push_back(std::move(root->second));
  result.nodes.front().depth = 0;
  nodes.erase(root);
  std::vector<Node> rest;
  rest.reserve(nodes.size());
  for (auto& [node_id, node] : nodes) rest.push_back(std::move(node));
  std::sort(rest.begin(), rest.end(), [](const Node& a, const Node& b) {
    return std::tie(a.depth, a.id) < std::tie(b.depth, b.id);
  });
  for (Node& node : rest) result.nodes.push_back(std::move(node));
  std::sort(edges.begin(), edges.end(),
            [](const EdgeRow& a, const EdgeRow& b) { return a.Key() < b.Key(); });
  edges.erase(std::unique(edges.begin(), edges.end(),
                          [](const EdgeRow& a, const EdgeRow& b) { return a.Key() == b.Key(); }),
              edges.end());
  result.edges.reserve(edges.size());
  for (const EdgeRow& edge : edges) {
    result.edges.push_back(Edge{.from = std::string(edge.from),
                                .to = std::string(edge.to),
                                .kind = static_cast<EdgeKind>(edge.kind),
                                .event_id = std::string(edge.event_id),
                                .time = edge.time});
  }
  return result;
}

core::Result<TraceResult> Trace(store::Store& store, std::string_view id,
                                const TraceOptions& options) {
  VNTRACE_ASSIGN_OR_RETURN(std::unique_ptr<store::EventLinkReader> reader, store.OpenLinkReader());
  return Trace(*reader, id, options);
}

boost::json::object TraceToJson(const TraceResult& result, Direction direction) {
  boost::json::object out;
  out["root"] = result.root;
  out["direction"] = DirectionName(direction);
  boost::json::array nodes;
  nodes.reserve(result.nodes.size());
  for (const Node& node : result.nodes) {
    boost::json::object n;
    n["id"] = node.id;
    n["kind"] = NodeKindName(node.kind);
    n["label"] = node.label;
    n["depth"] = node.depth;
    if (node.first_seen) n["firstSeen"] = core::FormatRfc3339(*node.first_seen);
    if (node.last_seen) n["lastSeen"] = core::FormatRfc3339(*node.last_seen);
    nodes.push_back(std::move(n));
  }
  out["nodes"] = std::move(nodes);
  boost::json::array edges;
  edges.reserve(result.edges.size());
  for (const Edge& edge : result.edges) {
    boost::json::object e;
    e["from"] = edge.from;
    e["to"] = edge.to;
    e["kind"] = EdgeKindName(edge.kind);
    e["eventID"] = edge.event_id;
    e["time"] = core::FormatRfc3339(edge.time);
    edges.push_back(std::move(e));
  }
  out["edges"] = std::move(edges);
  out["truncated"] = result.truncated;
  out["eventsExamined"] = result.events_examined;
  return out;
}

}  // namespace vntrace::trace
