#include "epcis/event_hash.hpp"

#include <algorithm>
#include <functional>
#include <iterator>
#include <memory>
#include <span>
#include <unordered_map>
#include <utility>

#include <boost/json/monotonic_resource.hpp>

#include "core/sha256.hpp"
#include "epcis/internal/hash_values.hpp"
#include "epcis/internal/precise_json.hpp"

namespace vntrace::epcis {
namespace {

namespace json = boost::json;
using internal::Vocabulary;

// ---- The canonical field order ------------------------------------------------------------

enum class Shape {
  kScalar,  // key=value; an array gives one key=value per element
  kObject,  // key then the object's fields in their order; an array gives one per element
  kList,    // key then one item per array element, named and shaped by `children[0]`
};

struct Field {
  std::string_view name;
  Shape shape = Shape::kScalar;
  Vocabulary vocabulary = Vocabulary::kNone;
  bool time = false;  // a date-time, written in UTC with milliseconds
  std::span<const Field> children = {};
};

constexpr Field kEpcItem[] = {{"epc"}};

constexpr Field kQuantityElementFields[] = {{"epcClass"}, {"quantity"}, {"uom"}};
constexpr Field kQuantityItem[] = {
    {"quantityElement", Shape::kObject, Vocabulary::kNone, false, kQuantityElementFields}};

constexpr Field kIdFields[] = {{"id"}};

constexpr Field kPersistentDispositionFields[] = {
    {"set", Shape::kScalar, Vocabulary::kDisposition},
    {"unset", Shape::kScalar, Vocabulary::kDisposition},
};

constexpr Field kSensorMetadataFields[] = {
    {"time", Shape::kScalar, Vocabulary::kNone, true},
    {"startTime", Shape::kScalar, Vocabulary::kNone, true},
    {"endTime", Shape::kScalar, Vocabulary::kNone, true},
    {"deviceID"},
    {"deviceMetadata"},
    {"rawData"},
    {"dataProcessingMethod"},
    {"bizRules"},
};

constexpr Field kSensorReportFields[] = {
    {"type", Shape::kScalar, Vocabulary::kMeasurementType},
    {"exception", Shape::kScalar, Vocabulary::kSensorAlertType},
    {"deviceID"},
    {"deviceMetadata"},
    {"rawData"},
    {"dataProcessingMethod"},
    {"time", Shape::kScalar, Vocabulary::kNone, true},
    {"microorganism"},
    {"chemicalSubstance"},
    {"value"},
    {"component", Shape::kScalar, Vocabulary::kComponent},
    {"stringValue"},
    {"booleanValue"},
    {"hexBinaryValue"},
    {"uriValue"},
    {"minValue"},
    {"maxValue"},
    {"meanValue"},
    {"sDev"},
    {"percRank"},
    {"percValue"},
    {"uom"},
    {"coordinateReferenceSystem"},
};

constexpr Field kSensorElementFields[] = {
    {"sensorMetadata", Shape::kObject, Vocabulary::kNone, false, kSensorMetadataFields},
    {"sensorReport", Shape::kObject, Vocabulary::kNone, false, kSensorReportFields},
};
constexpr Field kSensorElementItem[] = {
    {"sensorElement", Shape::kObject, Vocabulary::kNone, false, kSensorElementFields}};

// The order that reproduces the reference vectors. bizTransactionList, sourceList and
// destinationList are not here: they sort with the remaining fields.
constexpr Field kEventFields[] = {
    {"eventTime", Shape::kScalar, Vocabulary::kNone, true},
    {"eventTimeZoneOffset"},
    {"certificationInfo"},
    {"parentID"},
    {"epcList", Shape::kList, Vocabulary::kNone, false, kEpcItem},
    {"inputEPCList", Shape::kList, Vocabulary::kNone, false, kEpcItem},
    {"childEPCs", Shape::kList, Vocabulary::kNone, false, kEpcItem},
    {"quantityList", Shape::kList, Vocabulary::kNone, false, kQuantityItem},
    {"childQuantityList", Shape::kList, Vocabulary::kNone, false, kQuantityItem},
    {"inputQuantityList", Shape::kList, Vocabulary::kNone, false, kQuantityItem},
    {"outputEPCList", Shape::kList, Vocabulary::kNone, false, kEpcItem},
    {"outputQuantityList", Shape::kList, Vocabulary::kNone, false, kQuantityItem},
    {"action"},
    {"transformationID"},
    {"bizStep", Shape::kScalar, Vocabulary::kBizStep},
    {"disposition", Shape::kScalar, Vocabulary::kDisposition},
    {"persistentDisposition", Shape::kObject, Vocabulary::kNone, false,
     kPersistentDispositionFields},
    {"readPoint", Shape::kObject, Vocabulary::kNone, false, kIdFields},
    {"bizLocation", Shape::kObject, Vocabulary::kNone, false, kIdFields},
    {"sensorElementList", Shape::kList, Vocabulary::kNone, false, kSensorElementItem},
};

// Event fields that never take part in the hash.
constexpr std::string_view kExcludedEventFields[] = {"type", "eventID", "recordTime",
                                                     "errorDeclaration"};

// Lists whose elements are {"type": ..., "<value key>": ...}, written type first.
struct TypedList {
  std::string_view name;
  std::string_view value_key;
  Vocabulary type_vocabulary;
};
constexpr TypedList kTypedLists[] = {
    {"bizTransactionList", "bizTransaction", Vocabulary::kBizTransactionType},
    {"sourceList", "source", Vocabulary::kSourceDestType},
    {"destinationList", "destination", Vocabulary::kSourceDestType},
};

constexpr std::string_view kHashIdPrefix = "ni:///sha-256;";
constexpr std::string_view kHashIdSuffix = "?ver=CBV2.0";

template <typename T, std::size_t N>
const T* FindByName(const T (&table)[N], std::string_view name) {
  for (const T& entry : table) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

std::string_view View(json::string_view s) { return {s.data(), s.size()}; }

// Keys that are JSON-LD keywords or comments: never hashed.
bool IsIgnoredKey(std::string_view key) {
  return key.empty() || key.front() == '@' || key == "comment" || key == "rdfs:comment";
}

// Strings appended one after another into one buffer, then written out in byte order.
// Thread-compatible: one thread at a time.
class SortedStrings {
 public:
  // Empties the strings, giving back memory beyond what ordinary events need.
  void Clear() {
    constexpr std::size_t kKeepBytes = 1 << 16;
    if (buffer_.capacity() > kKeepBytes) {
      std::string().swap(buffer_);
      std::vector<std::pair<std::size_t, std::size_t>>().swap(spans_);
      std::vector<std::string_view>().swap(views_);
    }
    buffer_.clear();
    spans_.clear();
  }
  // Starts a string: append it to the returned buffer, then call End().
  std::string& Begin() {
    start_ = buffer_.size();
    return buffer_;
  }
  // Ends the string begun last; an empty one is dropped.
  void End() {
    if (buffer_.size() > start_) spans_.emplace_back(start_, buffer_.size() - start_);
  }
  bool empty() const { return spans_.empty(); }

  void AppendTo(std::string& out) {
    views_.clear();
    std::size_t total = 0;
    for (const auto& [offset, length] : spans_) {
      views_.emplace_back(buffer_.data() + offset, length);
      total += length;
    }
    std::sort(views_.begin(), views_.end());
    out.reserve(out.size() + total);
    for (std::string_view v : views_) out.append(v);
  }

 private:
  std::string buffer_;
  std::vector<std::pair<std::size_t, std::size_t>> spans_;
  std::vector<std::string_view> views_;
  std::size_t start_ = 0;
};

// Memory the writer reuses from one event to the next on the same thread: SortedStrings
// buffers (used strictly nested, like a stack) and the canonical forms of identifiers already
// seen. Only a cache: the output never depends on it. Thread-compatible: each thread has its
// own (ThreadScratch()).
class Scratch {
 public:
  SortedStrings& Acquire() {
    if (in_use_ == groups_.size()) groups_.push_back(std::make_unique<SortedStrings>());
    SortedStrings& g = *groups_[in_use_++];
    g.Clear();
    return g;
  }
  void Release() { --in_use_; }

  // The canonical Digital Link of `text`, or "" when it is not a GS1 identifier.
  std::string_view CanonicalGs1Uri(std::string_view text) {
    if (text.size() > kMaxCachedLength) {
      uncached_.clear();
      if (!internal::AppendCanonicalGs1Uri(text, uncached_)) uncached_.clear();
      return uncached_;
    }
    if (auto it = identifiers_.find(text); it != identifiers_.end()) return it->second;
    if (identifiers_.size() >= kMaxIdentifiers) identifiers_.clear();
    std::string canonical;
    if (!internal::AppendCanonicalGs1Uri(text, canonical)) canonical.clear();
    return identifiers_.emplace(std::string(text), std::move(canonical)).first->second;
  }

 private:
  static constexpr std::size_t kMaxIdentifiers = 4096;
  static constexpr std::size_t kMaxCachedLength = 256;

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::vector<std::unique_ptr<SortedStrings>> groups_;
  std::size_t in_use_ = 0;
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> identifiers_;
  std::string uncached_;  // the answer for a text too long to cache
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

// A SortedStrings borrowed from the Scratch for one scope. Lives on one thread's stack.
class Group {
 public:
  explicit Group(Scratch& scratch) : scratch_(scratch), strings_(scratch.Acquire()) {}
  ~Group() { scratch_.Release(); }
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;

  SortedStrings* operator->() { return &strings_; }
  SortedStrings& operator*() { return strings_; }

 private:
  Scratch& scratch_;
  SortedStrings& strings_;
};

// The index of `name` in `fields`, or -1.
int FieldIndex(std::span<const Field> fields, std::string_view name) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

// The most fields an object of the canonical order has (sensorReport).
constexpr std::size_t kMaxFields = 32;
static_assert(std::size(kEventFields) <= kMaxFields &&
              std::size(kSensorReportFields) <= kMaxFields);

// Writes pre-hash strings with the prefixes of one document. Thread-compatible: used by the
// thread that made it.
class PreHashWriter {
 public:
  PreHashWriter(const JsonLdContext& context, const HashOptions& options)
      : context_(context), scratch_(ThreadScratch()) {
    for (const std::string& f : options.ignore_fields) {
      ignore_fields_.push_back(f);
      std::string expanded;
      AppendExpandedKey(f, expanded);
      if (expanded != f) ignore_fields_.push_back(std::move(expanded));
    }
  }

  core::Result<std::string> Event(const json::object& event) {
    const json::value* type = event.if_contains("type");
    if (type == nullptr || !type->is_string()) {
      return core::InvalidArgument("event has no \"type\" string");
    }
    std::string out;
    out.reserve(1024);
    out.append("eventType=");
    out.append(View(type->get_string()));
    const json::value* slots[kMaxFields] = {};
    Group rest(scratch_);
    for (const auto& [k, v] : event) {
      const std::string_view raw = View(k);
      if (const int i = FieldIndex(kEventFields, raw); i >= 0) {
        slots[i] = &v;
        continue;
      }
      if (IsIgnoredKey(raw) ||
          std::find(std::begin(kExcludedEventFields), std::end(kExcludedEventFields), raw) !=
              std::end(kExcludedEventFields)) {
        continue;
      }
      key_.clear();
      AppendExpandedKey(raw, key_);
      if (IsIgnoredField(raw, key_)) continue;
      Generic(key_, v, *rest);
    }
    for (std::size_t i = 0; i < std::size(kEventFields); ++i) {
      if (slots[i] != nullptr) OrderedField(kEventFields[i], *slots[i], out);
    }
    rest->AppendTo(out);
    return out;
  }

 private:
  bool IsIgnoredField(std::string_view raw, std::string_view expanded) const {
    for (const std::string& f : ignore_fields_) {
      if (f == raw || f == expanded) return true;
    }
    return false;
  }

  // "prefix:local" with a declared prefix -> "{IRI}local"; any other key as written.
  void AppendExpandedKey(std::string_view key, std::string& out) const {
    const std::size_t colon = key.find(':');
    if (colon != std::string_view::npos) {
      if (const std::string* iri = context_.FindPrefix(key.substr(0, colon))) {
        out.push_back('{');
        out.append(*iri);
        out.push_back('}');
        out.append(key.substr(colon + 1));
        return;
      }
    }
    out.append(key);
  }

  // Appends the canonical form of a scalar; false (nothing appended) when it is empty.
  bool Scalar(const json::value& v, Vocabulary vocabulary, bool time, std::string& out) {
    switch (v.kind()) {
      case json::kind::string:
        return StringValue(View(v.get_string()), vocabulary, time, out);
      case json::kind::int64:
        internal::AppendNumber(static_cast<double>(v.get_int64()), out);
        return true;
      case json::kind::uint64:
        internal::AppendNumber(static_cast<double>(v.get_uint64()), out);
        return true;
      case json::kind::double_:
        internal::AppendNumber(v.get_double(), out);
        return true;
      case json::kind::bool_:
        out.append(v.get_bool() ? "true" : "false");
        return true;
      case json::kind::null:
      case json::kind::array:
      case json::kind::object:
        break;
    }
    return false;
  }

  bool StringValue(std::string_view s, Vocabulary vocabulary, bool time, std::string& out) {
    if (vocabulary != Vocabulary::kNone && internal::AppendVocabularyTerm(vocabulary, s, out)) {
      return true;
    }
    std::string curie;
    const std::size_t colon = s.find(':');
    if (colon != std::string_view::npos) {
      if (const std::string* iri = context_.FindPrefix(s.substr(0, colon))) {
        curie.reserve(iri->size() + s.size());
        curie.append(*iri);
        curie.append(s.substr(colon + 1));
        s = curie;
      }
    }
    s = internal::TrimSpace(s);
    if (s.empty()) return false;
    if (time) {
      if (!internal::AppendCanonicalTimestamp(s, out)) out.append(s);
      return true;
    }
    if (internal::AppendCbvWebUri(s, out) || internal::AppendCanonicalNumber(s, out)) {
      return true;
    }
    if (s.starts_with("urn:epc:") || s.starts_with("http")) {
      const std::string_view canonical = scratch_.CanonicalGs1Uri(s);
      out.append(canonical.empty() ? s : canonical);
      return true;
    }
    out.append(s);
    return true;
  }

  // name=value, or nothing when the value is empty.
  void NamedScalar(std::string_view name, const json::value& v, Vocabulary vocabulary, bool time,
                   std::string& out) {
    const std::size_t mark = out.size();
    out.append(name);
    out.push_back('=');
    if (!Scalar(v, vocabulary, time, out)) out.resize(mark);
  }

  // One field of the canonical order, appended to `out` (nothing when it is empty).
  void OrderedField(const Field& f, const json::value& v, std::string& out) {
    if (f.shape == Shape::kList) {
      const Field& item = f.children.front();
      Group items(scratch_);
      auto add = [&](const json::value& element) {
        std::string& s = items->Begin();
        OrderedValue(item, element, s);
        items->End();
      };
      if (const json::array* a = v.if_array()) {
        for (const json::value& element : *a) add(element);
      } else {
        add(v);
      }
      if (!items->empty()) {
        out.append(f.name);
        items->AppendTo(out);
      }
      return;
    }
    if (const json::array* a = v.if_array()) {
      Group items(scratch_);
      for (const json::value& element : *a) {
        std::string& s = items->Begin();
        OrderedValue(f, element, s);
        items->End();
      }
      items->AppendTo(out);
      return;
    }
    OrderedValue(f, v, out);
  }

  // One value (not an array) of field `f`.
  void OrderedValue(const Field& f, const json::value& v, std::string& out) {
    if (const json::object* o = v.if_object()) {
      if (f.shape == Shape::kScalar) {
        Group one(scratch_);
        Generic(f.name, v, *one);
        one->AppendTo(out);
        return;
      }
      const std::size_t mark = out.size();
      out.append(f.name);
      const std::size_t content = out.size();
      OrderedObjectContent(f.children, *o, out);
      if (out.size() == content) out.resize(mark);
      return;
    }
    if (v.is_array()) {  // an array inside an array: flattened
      OrderedField(f, v, out);
      return;
    }
    NamedScalar(f.name, v, f.vocabulary, f.time, out);
  }

  // The fields of a nested object in their order, then its other fields (extensions) sorted.
  void OrderedObjectContent(std::span<const Field> fields, const json::object& o,
                            std::string& out) {
    const json::value* slots[kMaxFields] = {};
    Group extensions(scratch_);
    for (const auto& [k, v] : o) {
      const std::string_view raw = View(k);
      if (const int i = FieldIndex(fields, raw); i >= 0) {
        slots[i] = &v;
      } else if (!IsIgnoredKey(raw)) {
        Generic(ExpandedKey(raw), v, *extensions);
      }
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (slots[i] != nullptr) OrderedField(fields[i], *slots[i], out);
    }
    extensions->AppendTo(out);
  }

  std::string ExpandedKey(std::string_view raw) const {
    std::string key;
    AppendExpandedKey(raw, key);
    return key;
  }

  // A field outside the canonical order: key=value, key followed by its sorted children, or
  // (for an array) one such string per element. `key` is already expanded.
  void Generic(std::string_view key, const json::value& v, SortedStrings& siblings) {
    if (const TypedList* typed = FindByName(kTypedLists, key)) {
      TypedListValue(*typed, v, siblings);
      return;
    }
    constexpr std::string_view kListSuffix = "List";
    if (key.size() > kListSuffix.size() && key.ends_with(kListSuffix) && v.is_array()) {
      // A list: the key once, then its elements named without "List". An object under such a
      // key is an ordinary object, as its XML twin (children written as they are) hashes.
      const std::string_view item_key = key.substr(0, key.size() - kListSuffix.size());
      Group items(scratch_);
      for (const json::value& element : v.get_array()) Generic(item_key, element, *items);
      if (!items->empty()) {
        std::string& s = siblings.Begin();
        s.append(key);
        items->AppendTo(s);
        siblings.End();
      }
      return;
    }
    if (const json::array* a = v.if_array()) {
      for (const json::value& element : *a) Generic(key, element, siblings);
      return;
    }
    if (const json::object* o = v.if_object()) {
      Group children(scratch_);
      for (const auto& [k, child] : *o) {
        const std::string_view raw = View(k);
        if (!IsIgnoredKey(raw)) Generic(ExpandedKey(raw), child, *children);
      }
      std::string& s = siblings.Begin();
      s.append(key);
      children->AppendTo(s);
      siblings.End();
      return;
    }
    std::string& s = siblings.Begin();
    s.append(key);
    const std::size_t mark = s.size();
    s.push_back('=');
    if (!Scalar(v, Vocabulary::kNone, false, s)) s.resize(mark);
    siblings.End();
  }

  // bizTransactionList, sourceList, destinationList: the key once, then per element
  // type=...value=... (and any other fields, sorted), the elements sorted.
  void TypedListValue(const TypedList& typed, const json::value& v, SortedStrings& siblings) {
    Group items(scratch_);
    auto add = [&](const json::value& element) {
      std::string& s = items->Begin();
      if (const json::object* o = element.if_object()) {
        const json::value* type = nullptr;
        const json::value* value = nullptr;
        Group others(scratch_);
        for (const auto& [k, child] : *o) {
          const std::string_view raw = View(k);
          if (raw == "type") {
            type = &child;
          } else if (raw == typed.value_key) {
            value = &child;
          } else if (!IsIgnoredKey(raw)) {
            Generic(ExpandedKey(raw), child, *others);
          }
        }
        if (type != nullptr) NamedScalar("type", *type, typed.type_vocabulary, false, s);
        if (value != nullptr) NamedScalar(typed.value_key, *value, Vocabulary::kNone, false, s);
        others->AppendTo(s);
      } else {
        NamedScalar(typed.value_key, element, Vocabulary::kNone, false, s);
      }
      items->End();
    };
    if (const json::array* a = v.if_array()) {
      for (const json::value& element : *a) add(element);
    } else {
      add(v);
    }
    if (items->empty()) return;
    std::string& s = siblings.Begin();
    s.append(typed.name);
    items->AppendTo(s);
    siblings.End();
  }

  const JsonLdContext& context_;
  Scratch& scratch_;
  std::vector<std::string> ignore_fields_;
  std::string key_;  // scratch for an expanded top-level key
};

// ---- Documents ----------------------------------------------------------------------------

bool IsIgnoreFieldsKey(std::string_view key) {
  constexpr std::string_view kName = "ignoreFields";
  return key == kName || (key.size() > kName.size() && key.ends_with(kName) &&
                          key[key.size() - kName.size() - 1] == ':');
}

void CollectIgnoreFields(const json::object& o, std::vector<std::string>& out) {
  for (const auto& [k, v] : o) {
    if (!IsIgnoreFieldsKey(View(k))) continue;
    if (v.is_string()) out.emplace_back(View(v.get_string()));
    if (const json::array* a = v.if_array()) {
      for (const json::value& f : *a) {
        if (f.is_string()) out.emplace_back(View(f.get_string()));
      }
    }
  }
}

const json::object* ObjectAt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v == nullptr ? nullptr : v->if_object();
}

struct EventRef {
  const json::value* event;
  std::string path;  // for messages: "epcisBody.eventList[3]"
};

// Finds the events of a document and the ignoreFields it declares on the way to them.
core::Result<std::vector<EventRef>> LocateEvents(const json::object& root,
                                                 std::vector<std::string>& ignore_fields) {
  std::vector<EventRef> events;
  CollectIgnoreFields(root, ignore_fields);
  const json::object* body = ObjectAt(root, "epcisBody");
  if (body == nullptr) {
    if (root.contains("epcisBody")) return core::InvalidArgument("epcisBody is not an object");
    if (const json::value* type = root.if_contains("type"); type != nullptr && type->is_string()) {
      events.push_back({nullptr, "event"});  // the root itself
      return events;
    }
    return core::InvalidArgument(
        "not an EPCIS document, query document or event: no epcisBody and no \"type\"");
  }
  CollectIgnoreFields(*body, ignore_fields);
  if (const json::object* header = ObjectAt(root, "epcisHeader")) {
    CollectIgnoreFields(*header, ignore_fields);
  }
  std::string path = "epcisBody";
  const json::object* holder = body;
  if (const json::object* results = ObjectAt(*body, "queryResults")) {
    CollectIgnoreFields(*results, ignore_fields);
    holder = ObjectAt(*results, "resultsBody");
    if (holder == nullptr) {
      return core::InvalidArgument("epcisBody.queryResults has no resultsBody object");
    }
    CollectIgnoreFields(*holder, ignore_fields);
    path = "epcisBody.queryResults.resultsBody";
  }
  if (const json::value* list = holder->if_contains("eventList")) {
    const json::array* a = list->if_array();
    if (a == nullptr) return core::InvalidArgument(path + ".eventList is not an array");
    events.reserve(a->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
      events.push_back({&(*a)[i], path + ".eventList[" + std::to_string(i) + "]"});
    }
    return events;
  }
  if (const json::value* event = holder->if_contains("event")) {
    events.push_back({event, path + ".event"});
    return events;
  }
  return core::InvalidArgument(path + " has no eventList");
}

}  // namespace

JsonLdContext::JsonLdContext()
    : prefixes_{
          {"epcis", "https://ref.gs1.org/epcis/"},
          {"cbv", "https://ref.gs1.org/cbv/"},
          {"cbvmda", "urn:epcglobal:cbv:mda:"},
          {"gs1", "https://gs1.org/voc/"},
          {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
          {"owl", "http://www.w3.org/2002/07/owl#"},
          {"xsd", "http://www.w3.org/2001/XMLSchema#"},
          {"dcterms", "http://purl.org/dc/terms/"},
      } {}

void JsonLdContext::Add(const json::value& context) {
  if (const json::array* a = context.if_array()) {
    for (const json::value& c : *a) Add(c);
    return;
  }
  const json::object* o = context.if_object();
  if (o == nullptr) return;
  for (const auto& [k, v] : *o) {
    const std::string_view term = View(k);
    if (term.empty() || term.front() == '@') continue;
    const json::value* iri = &v;
    if (const json::object* definition = v.if_object()) {
      iri = definition->if_contains("@id");
      if (iri == nullptr) continue;
    }
    if (!iri->is_string()) continue;
    const std::string_view text = View(iri->get_string());
    if (text.empty() || text.front() == '@') continue;  // keyword aliases such as "id": "@id"
    AddPrefix(term, text);
  }
}

void JsonLdContext::AddPrefix(std::string_view prefix, std::string_view iri) {
  for (auto& [p, i] : prefixes_) {
    if (p == prefix) {
      i.assign(iri);
      return;
    }
  }
  prefixes_.emplace_back(std::string(prefix), std::string(iri));
}

const std::string* JsonLdContext::FindPrefix(std::string_view prefix) const {
  for (const auto& [p, iri] : prefixes_) {
    if (p == prefix) return &iri;
  }
  return nullptr;
}

core::Result<std::string> EventPreHashString(const json::object& event,
                                             const JsonLdContext& context,
                                             const HashOptions& options) {
  PreHashWriter writer(context, options);
  return writer.Event(event);
}

std::string HashIdOfPreHash(std::string_view pre_hash) {
  std::string id;
  id.reserve(kHashIdPrefix.size() + 2 * core::Sha256::kDigestSize + kHashIdSuffix.size());
  id.append(kHashIdPrefix);
  core::AppendHex(core::Sha256Digest(pre_hash), id);
  id.append(kHashIdSuffix);
  return id;
}

core::Result<std::string> EventHashId(const json::object& event, const JsonLdContext& context,
                                      const HashOptions& options) {
  VNTRACE_ASSIGN_OR_RETURN(std::string pre_hash, EventPreHashString(event, context, options));
  return HashIdOfPreHash(pre_hash);
}

core::Result<std::vector<std::string>> DocumentEventPreHashStrings(std::string_view json_text,
                                                                   const HashOptions& options) {
  json::monotonic_resource memory;
  VNTRACE_ASSIGN_OR_RETURN(json::value doc, internal::ParsePreciseJson(json_text, &memory));
  const json::object* root = doc.if_object();
  if (root == nullptr) return core::InvalidArgument("the document is not a JSON object");

  HashOptions effective = options;
  VNTRACE_ASSIGN_OR_RETURN(std::vector<EventRef> events,
                           LocateEvents(*root, effective.ignore_fields));
  JsonLdContext context;
  if (const json::value* c = root->if_contains("@context")) context.Add(*c);
  PreHashWriter writer(context, effective);

  std::vector<std::string> pre_hashes;
  pre_hashes.reserve(events.size());
  for (const EventRef& ref : events) {
    const json::object* event = ref.event == nullptr ? root : ref.event->if_object();
    if (event == nullptr) return core::InvalidArgument(ref.path + " is not an object");
    core::Result<std::string> pre_hash = core::Internal("unset");
    if (ref.event != nullptr && event->contains("@context")) {
      // An event with a context of its own: its prefixes add to the document's.
      JsonLdContext own = context;
      own.Add(event->at("@context"));
      pre_hash = PreHashWriter(own, effective).Event(*event);
    } else {
      pre_hash = writer.Event(*event);
    }
    if (!pre_hash.ok()) {
      return core::InvalidArgument(ref.path + ": " + pre_hash.error().message);
    }
    pre_hashes.push_back(std::move(pre_hash).value());
  }
  return pre_hashes;
}

core::Result<std::vector<std::string>> DocumentEventHashIds(std::string_view json_text,
                                                            const HashOptions& options) {
  VNTRACE_ASSIGN_OR_RETURN(std::vector<std::string> pre_hashes,
                           DocumentEventPreHashStrings(json_text, options));
  std::vector<std::string> ids;
  ids.reserve(pre_hashes.size());
  for (const std::string& p : pre_hashes) ids.push_back(HashIdOfPreHash(p));
  return ids;
}

}  // namespace vntrace::epcis
