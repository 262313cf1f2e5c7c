#include "epcis/document.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "epcis/event_hash.hpp"
#include "epcis/internal/canonical.hpp"
#include "epcis/internal/precise_json.hpp"
#include "epcis/master_data.hpp"
#include "epcis/query.hpp"
#include "gs1/ai.hpp"
#include "gs1/digital_link.hpp"
#include "gs1/epc_urn.hpp"

namespace vntrace::epcis {

std::string ValidationIssue::ToString() const {
  std::string out = event_index < 0 ? "document" : "event " + std::to_string(event_index);
  if (!field.empty()) {
    out += ", ";
    out += field;
  }
  out += ": ";
  out += message;
  return out;
}

namespace {

namespace json = boost::json;
using internal::CbvList;

constexpr std::string_view kEpcisContext =
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

// The URLs that name the EPCIS 2.0 context, which is built in.
constexpr std::string_view kStandardContexts[] = {
    kEpcisContext,
    "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
    "https://gs1.github.io/EPCIS/epcis-context.jsonld",
};

std::string_view View(const json::string& s) { return {s.data(), s.size()}; }
// Object keys come as json::string_view; without this overload they would bind to the one
// above through a temporary json::string.
std::string_view View(json::string_view s) { return {s.data(), s.size()}; }

// ---- Small checks ---------------------------------------------------------------------------

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// The ASCII characters RFC 3986 allows in a URI outside percent-encodings.
constexpr std::array<bool, 128> kUriChars = [] {
  std::array<bool, 128> t{};
  for (char c = 'a'; c <= 'z'; ++c) t[static_cast<unsigned char>(c)] = true;
  for (char c = 'A'; c <= 'Z'; ++c) t[static_cast<unsigned char>(c)] = true;
  for (char c = '0'; c <= '9'; ++c) t[static_cast<unsigned char>(c)] = true;
  for (char c : std::string_view("-._~:/?#[]@!$&'()*+,;=")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

// An absolute URI (RFC 3986 scheme ":" ...), the JSON schema's "uri" format. Non-ASCII
// characters are let through, as in an IRI (RFC 3987), which is what JSON-LD works with.
bool IsUri(std::string_view s) {
  if (s.empty() || !IsAlpha(s[0])) return false;
  std::size_t i = 1;
  while (i < s.size() &&
         (IsAlpha(s[i]) || IsDigit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
    ++i;
  }
  if (i >= s.size() || s[i] != ':') return false;
  for (++i; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) continue;
    if (c == '%') {
      if (i + 2 >= s.size() || !IsHex(s[i + 1]) || !IsHex(s[i + 2])) return false;
      i += 2;
      continue;
    }
    if (!kUriChars[c]) return false;
  }
  return true;
}

// The eventTimeZoneOffset pattern of the schema, ^[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00)$, in
// minutes east of UTC.
std::optional<int> ParseEventTimeZoneOffset(std::string_view s) {
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' || !IsDigit(s[1]) ||
      !IsDigit(s[2]) || !IsDigit(s[4]) || !IsDigit(s[5])) {
    return std::nullopt;
  }
  const int hours = (s[1] - '0') * 10 + (s[2] - '0');
  const int minutes = (s[4] - '0') * 10 + (s[5] - '0');
  if (minutes > 59 || hours > 14 || (hours == 14 && minutes != 0)) return std::nullopt;
  const int total = hours * 60 + minutes;
  return s[0] == '-' ? -total : total;
}

// A UN/CEFACT Recommendation 20 unit code, as the schema's uom pattern ^[A-Z0-9]{2,3}$.
bool IsUnitCode(std::string_view s) {
  if (s.size() < 2 || s.size() > 3) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsDigit(c) || (c >= 'A' && c <= 'Z'); });
}

// ^\d+(\.\d+)*$
bool IsVersion(std::string_view s) {
  bool digit_seen = false;
  for (char c : s) {
    if (IsDigit(c)) {
      digit_seen = true;
    } else if (c == '.' && digit_seen) {
      digit_seen = false;
    } else {
      return false;
    }
  }
  return digit_seen;
}

// The form of a GS1 Web Vocabulary term name ("EffectiveDoseRate"): the MeasurementType code
// list lives in the GS1 Web Vocabulary, which grows independently of the EPCIS schema.
bool IsWebVocTermName(std::string_view s) {
  if (s.empty() || s[0] < 'A' || s[0] > 'Z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return IsAlpha(c) || IsDigit(c); });
}

bool IsNumber(const json::value& v) { return v.is_int64() || v.is_uint64() || v.is_double(); }

// `s` in quotes for a message, cut to a readable length on a UTF-8 boundary.
std::string Quote(std::string_view s) {
  constexpr std::size_t kMax = 80;
  std::string out = "\"";
  if (s.size() <= kMax) {
    out.append(s);
  } else {
    std::size_t n = kMax;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    out.append(s.substr(0, n));
    out.append("...");
  }
  out += '"';
  return out;
}

std::string_view KindOf(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

bool IsStandardContext(std::string_view url) {
  return std::find(std::begin(kStandardContexts), std::end(kStandardContexts), url) !=
         std::end(kStandardContexts);
}

// ---- Paths and issues -----------------------------------------------------------------------

// A JSON path inside an event or the document, rendered only when an issue names it. A Path
// refers to its parent: keep it within the parent's lifetime (pass temporaries down).
class Path {
 public:
  Path() = default;
  explicit Path(std::string_view root) : key_(root) {}

  Path Key(std::string_view key) const { return Path(this, key, 0); }
  Path Index(std::size_t i) const { return Path(this, {}, i + 1); }

  std::string ToString() const {
    std::string out;
    Append(out);
    return out;
  }

 private:
  Path(const Path* parent, std::string_view key, std::size_t index_plus_one)
      : parent_(parent), key_(key), index_plus_one_(index_plus_one) {}

  void Append(std::string& out) const {
    if (parent_ != nullptr) parent_->Append(out);
    if (index_plus_one_ > 0) {
      out += '[';
      out += std::to_string(index_plus_one_ - 1);
      out += ']';
    } else if (!key_.empty()) {
      if (!out.empty()) out += '.';
      out += key_;
    }
  }

  const Path* parent_ = nullptr;
  std::string_view key_;
  std::size_t index_plus_one_ = 0;  // 0 for a member
};

class IssueSink {
 public:
  IssueSink(std::vector<ValidationIssue>& issues, std::size_t max)
      : issues_(issues), max_(std::max<std::size_t>(max, 1)) {}

  void Add(int event_index, const Path& path, std::string message) {
    ++count_;
    if (event_index < 0) any_of_document_ = true;
    if (issues_.size() < max_) {
      issues_.push_back({event_index, path.ToString(), std::move(message)});
    }
  }
  bool any() const { return count_ > 0; }
  bool full() const { return issues_.size() >= max_; }
  // Every issue added so far, kept or not.
  std::size_t count() const { return count_; }
  // Whether an issue of the document itself (event index -1) was added.
  bool any_of_document() const { return any_of_document_; }

 private:
  std::vector<ValidationIssue>& issues_;
  const std::size_t max_;
  std::size_t count_ = 0;
  bool any_of_document_ = false;
};

// ---- JSON-LD context ------------------------------------------------------------------------

using Namespaces = std::vector<std::pair<std::string, std::string>>;

// Reads @context values: checks their form, adds their prefixes to a JsonLdContext and, for
// the document's context, lists the prefixes declared.
class ContextReader {
 public:
  ContextReader(int event_index, IssueSink& sink) : event_index_(event_index), sink_(sink) {}

  // Returns false after reporting when the value is malformed.
  bool Read(const json::value& value, const Path& path, JsonLdContext& context,
            Namespaces* declared) {
    if (const json::array* items = value.if_array()) {
      for (std::size_t i = 0; i < items->size(); ++i) {
        const json::value& item = (*items)[i];
        if (item.is_array()) {
          Fail(path.Index(i), "each @context item must be a context URL or a context object");
          continue;
        }
        for (std::size_t j = 0; j < i; ++j) {
          if ((*items)[j] == item) {
            Fail(path.Index(i), fmt::format("repeats @context item {}", j));
            break;
          }
        }
        ReadItem(item, path.Index(i), context, declared);
      }
      return ok_;
    }
    ReadItem(value, path, context, declared);
    return ok_;
  }

  bool has_standard() const { return has_standard_; }

 private:
  void Fail(const Path& path, std::string message) {
    ok_ = false;
    sink_.Add(event_index_, path, std::move(message));
  }

  void ReadItem(const json::value& item, const Path& path, JsonLdContext& context,
                Namespaces* declared) {
    if (const json::string* url = item.if_string()) {
      if (!IsUri(View(*url))) {
        Fail(path, Quote(View(*url)) + " is not a context URL (an absolute URI)");
      } else if (IsStandardContext(View(*url))) {
        has_standard_ = true;
      }
      return;
    }
    const json::object* definitions = item.if_object();
    if (definitions == nullptr) {
      Fail(path, fmt::format("must be a context URL or a context object, not {}", KindOf(item)));
      return;
    }
    context.Add(item);
    if (declared == nullptr) return;
    for (const auto& [key, value] : *definitions) {
      const std::string_view prefix = View(key);
      if (prefix.empty() || prefix.front() == '@' || prefix.find(':') != std::string_view::npos) {
        continue;
      }
      const json::value* iri = &value;
      if (const json::object* definition = value.if_object()) {
        iri = definition->if_contains("@id");
        if (iri == nullptr) continue;
      }
      const json::string* text = iri->if_string();
      if (text == nullptr || text->empty() || text->front() == '@') continue;
      auto found = std::find_if(declared->begin(), declared->end(),
                                [prefix](const auto& p) { return p.first == prefix; });
      if (found == declared->end()) {
        declared->emplace_back(std::string(prefix), std::string(View(*text)));
      } else {
        found->second.assign(View(*text));
      }
    }
  }

  const int event_index_;
  IssueSink& sink_;
  bool ok_ = true;
  bool has_standard_ = false;
};

// Reports a member that is not a standard field unless it is an extension term: a compact IRI
// whose prefix the context declares, or an absolute IRI ("https://...", "urn:...").
void CheckExtensionKey(std::string_view key, const Path& path, std::string_view owner,
                       const JsonLdContext& context, int event_index, IssueSink& sink, bool& ok) {
  const std::size_t colon = key.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    ok = false;
    if (owner == "ilmd") {
      sink.Add(event_index, path,
               fmt::format("ILMD field {} has no namespace: ILMD fields are extensions and need "
                           "a prefix declared in @context (e.g. \"example:{}\")",
                           Quote(key), key));
    } else {
      sink.Add(event_index, path,
               fmt::format("{} is not a field of {}; an extension field needs a namespace prefix "
                           "declared in @context (e.g. \"example:{}\")",
                           Quote(key), owner, key));
    }
    return;
  }
  const std::string_view prefix = key.substr(0, colon);
  if (context.FindPrefix(prefix) != nullptr) return;
  const std::string_view rest = key.substr(colon + 1);
  if ((rest.starts_with("//") || prefix == "urn") && IsUri(key)) return;  // an absolute IRI
  ok = false;
  sink.Add(event_index, path,
           fmt::format("the prefix \"{}\" of extension field {} is not declared in @context",
                       prefix, Quote(key)));
}

// ---- Events ---------------------------------------------------------------------------------

enum class Field : std::uint8_t {
  kContext,
  kType,
  kEventTime,
  kRecordTime,
  kEventTimeZoneOffset,
  kEventId,
  kCertificationInfo,
  kErrorDeclaration,
  kAction,
  kEpcList,
  kQuantityList,
  kBizStep,
  kDisposition,
  kPersistentDisposition,
  kReadPoint,
  kBizLocation,
  kBizTransactionList,
  kSourceList,
  kDestinationList,
  kSensorElementList,
  kIlmd,
  kParentId,
  kChildEpcs,
  kChildQuantityList,
  kInputEpcList,
  kInputQuantityList,
  kOutputEpcList,
  kOutputQuantityList,
  kTransformationId,
};

struct FieldName {
  std::string_view name;
  Field field;
};

// Sorted by name (byte order) for binary search.
constexpr FieldName kFieldNames[] = {
    {"@context", Field::kContext},
    {"action", Field::kAction},
    {"bizLocation", Field::kBizLocation},
    {"bizStep", Field::kBizStep},
    {"bizTransactionList", Field::kBizTransactionList},
    {"certificationInfo", Field::kCertificationInfo},
    {"childEPCs", Field::kChildEpcs},
    {"childQuantityList", Field::kChildQuantityList},
    {"destinationList", Field::kDestinationList},
    {"disposition", Field::kDisposition},
    {"epcList", Field::kEpcList},
    {"errorDeclaration", Field::kErrorDeclaration},
    {"eventID", Field::kEventId},
    {"eventTime", Field::kEventTime},
    {"eventTimeZoneOffset", Field::kEventTimeZoneOffset},
    {"ilmd", Field::kIlmd},
    {"inputEPCList", Field::kInputEpcList},
    {"inputQuantityList", Field::kInputQuantityList},
    {"outputEPCList", Field::kOutputEpcList},
    {"outputQuantityList", Field::kOutputQuantityList},
    {"parentID", Field::kParentId},
    {"persistentDisposition", Field::kPersistentDisposition},
    {"quantityList", Field::kQuantityList},
    {"readPoint", Field::kReadPoint},
    {"recordTime", Field::kRecordTime},
    {"sensorElementList", Field::kSensorElementList},
    {"sourceList", Field::kSourceList},
    {"transformationID", Field::kTransformationId},
    {"type", Field::kType},
};
static_assert(std::ranges::is_sorted(kFieldNames, {}, &FieldName::name));

std::optional<Field> FindField(std::string_view name) {
  const auto it = std::ranges::lower_bound(kFieldNames, name, {}, &FieldName::name);
  if (it == std::end(kFieldNames) || it->name != name) return std::nullopt;
  return it->field;
}

constexpr std::uint32_t Bit(Field f) { return std::uint32_t{1} << static_cast<unsigned>(f); }

constexpr std::uint32_t kCommonFields =
    Bit(Field::kContext) | Bit(Field::kType) | Bit(Field::kEventTime) | Bit(Field::kRecordTime) |
    Bit(Field::kEventTimeZoneOffset) | Bit(Field::kEventId) | Bit(Field::kCertificationInfo) |
    Bit(Field::kErrorDeclaration);
constexpr std::uint32_t kWhyWhereFields =
    Bit(Field::kBizStep) | Bit(Field::kDisposition) | Bit(Field::kReadPoint) |
    Bit(Field::kBizLocation) | Bit(Field::kBizTransactionList) | Bit(Field::kSourceList) |
    Bit(Field::kDestinationList) | Bit(Field::kSensorElementList);

// The fields of each event type, as the propertyNames of the EPCIS 2.0 JSON schema: queries
// answer with the events as captured, so what is accepted here must validate there.
// persistentDisposition belongs to ObjectEvent and TransformationEvent only (the data model
// and the XSD put it in every event type; the JSON schema, which query responses must pass,
// does not).
std::uint32_t FieldsOf(EventType type) {
  switch (type) {
    case EventType::kObjectEvent:
      return kCommonFields | kWhyWhereFields | Bit(Field::kAction) | Bit(Field::kEpcList) |
             Bit(Field::kQuantityList) | Bit(Field::kIlmd) | Bit(Field::kPersistentDisposition);
    case EventType::kAggregationEvent:
    case EventType::kAssociationEvent:
      return kCommonFields | kWhyWhereFields | Bit(Field::kAction) | Bit(Field::kParentId) |
             Bit(Field::kChildEpcs) | Bit(Field::kChildQuantityList);
    case EventType::kTransactionEvent:
      return kCommonFields | kWhyWhereFields | Bit(Field::kAction) | Bit(Field::kParentId) |
             Bit(Field::kEpcList) | Bit(Field::kQuantityList);
    case EventType::kTransformationEvent:
      return kCommonFields | kWhyWhereFields | Bit(Field::kInputEpcList) |
             Bit(Field::kInputQuantityList) | Bit(Field::kOutputEpcList) |
             Bit(Field::kOutputQuantityList) | Bit(Field::kTransformationId) | Bit(Field::kIlmd) |
             Bit(Field::kPersistentDisposition);
  }
  return kCommonFields;
}

// "ObjectEvent and TransformationEvent": the event types that have `field`.
std::string TypesWithField(Field field) {
  static constexpr EventType kTypes[] = {
      EventType::kObjectEvent, EventType::kAggregationEvent, EventType::kTransactionEvent,
      EventType::kTransformationEvent, EventType::kAssociationEvent};
  std::vector<std::string_view> names;
  for (EventType type : kTypes) {
    if ((FieldsOf(type) & Bit(field)) != 0) names.push_back(EventTypeName(type));
  }
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

enum class SensorValue {
  kTime,
  kUri,
  kNumber,
  kString,
  kBoolean,
  kHexBinary,
  kMeasurementType,
  kAlertType,
  kComponent,
  kUnit,
};

struct SensorAttribute {
  std::string_view name;
  SensorValue value;
  bool in_metadata;
  bool in_report;
};

// The attributes of sensorMetadata and sensorReport, sorted by name (byte order).
constexpr SensorAttribute kSensorAttributes[] = {
    {"bizRules", SensorValue::kUri, true, true},
    {"booleanValue", SensorValue::kBoolean, false, true},
    {"chemicalSubstance", SensorValue::kUri, false, true},
    {"component", SensorValue::kComponent, false, true},
    {"coordinateReferenceSystem", SensorValue::kUri, false, true},
    {"dataProcessingMethod", SensorValue::kUri, true, true},
    {"deviceID", SensorValue::kUri, true, true},
    {"deviceMetadata", SensorValue::kUri, true, true},
    {"endTime", SensorValue::kTime, true, false},
    {"exception", SensorValue::kAlertType, false, true},
    {"hexBinaryValue", SensorValue::kHexBinary, false, true},
    {"maxValue", SensorValue::kNumber, false, true},
    {"meanValue", SensorValue::kNumber, false, true},
    {"microorganism", SensorValue::kUri, false, true},
    {"minValue", SensorValue::kNumber, false, true},
    {"percRank", SensorValue::kNumber, false, true},
    {"percValue", SensorValue::kNumber, false, true},
    {"rawData", SensorValue::kUri, true, true},
    {"sDev", SensorValue::kNumber, false, true},
    {"startTime", SensorValue::kTime, true, false},
    {"stringValue", SensorValue::kString, false, true},
    {"time", SensorValue::kTime, true, true},
    {"type", SensorValue::kMeasurementType, false, true},
    {"uom", SensorValue::kUnit, false, true},
    {"uriValue", SensorValue::kUri, false, true},
    {"value", SensorValue::kNumber, false, true},
};
static_assert(std::ranges::is_sorted(kSensorAttributes, {}, &SensorAttribute::name));

const SensorAttribute* FindSensorAttribute(std::string_view name) {
  const auto it = std::ranges::lower_bound(kSensorAttributes, name, {}, &SensorAttribute::name);
  if (it == std::end(kSensorAttributes) || it->name != name) return nullptr;
  return &*it;
}

// The attributes sensorMetadata gives for every report of its element, which a report may not
// contradict (EPCIS 2.0 TCR-53). `time` is left out: GS1's own examples give the element a
// time and each report its own.
constexpr std::string_view kSharedSensorAttributes[] = {"bizRules", "dataProcessingMethod",
                                                        "deviceID", "deviceMetadata", "rawData"};

std::string_view ListName(CbvList list) {
  switch (list) {
    case CbvList::kBizStep:
      return "CBV business step";
    case CbvList::kDisposition:
      return "CBV disposition";
    case CbvList::kBizTransactionType:
      return "CBV business transaction type";
    case CbvList::kSourceDestType:
      return "CBV source/destination type";
    case CbvList::kErrorReason:
      return "CBV error reason";
    case CbvList::kComponent:
      return "CBV sensor component";
    case CbvList::kSensorAlertType:
      return "GS1 sensor alert type";
    case CbvList::kMeasurementType:
      return "GS1 measurement type";
  }
  return "";
}

// The head of a list's terms in the CBV namespace (https://ref.gs1.org/cbv/ or cbv:).
std::string_view CbvHead(CbvList list) {
  switch (list) {
    case CbvList::kBizStep:
      return "BizStep-";
    case CbvList::kDisposition:
      return "Disp-";
    case CbvList::kBizTransactionType:
      return "BTT-";
    case CbvList::kSourceDestType:
      return "SDT-";
    case CbvList::kErrorReason:
      return "ER-";
    case CbvList::kComponent:
      return "Comp-";
    case CbvList::kSensorAlertType:
    case CbvList::kMeasurementType:
      break;
  }
  return "";
}

enum class IdLevel { kAny, kInstance, kClass };

// The canonical forms of the identifiers a document repeats (locations, parties, business
// transactions), so that each is checked and converted once per document.
//
// Thread-safety: one per document decode.
class IdentifierCache {
 public:
  const std::string* Find(std::string_view uri) const {
    const auto it = map_.find(uri);
    return it == map_.end() ? nullptr : &it->second;
  }
  void Add(std::string_view uri, const std::string& canonical) {
    if (map_.size() < kMaxEntries) map_.emplace(std::string(uri), canonical);
  }

 private:
  static constexpr std::size_t kMaxEntries = 4096;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> map_;
};

// Validates one event and fills an Event from it (all but event_id and json).
//
// Thread-safety: one per event, on one thread.
class EventDecoder {
 public:
  // The event's @context, if any, is checked by the caller; `context` holds its prefixes.
  // `cache` must outlive the decoder.
  EventDecoder(int index, const JsonLdContext& context, IssueSink& sink, IdentifierCache& cache)
      : index_(index), context_(context), sink_(sink), cache_(cache) {}

  EventDecoder(const EventDecoder&) = delete;
  EventDecoder& operator=(const EventDecoder&) = delete;

  // Returns false when the event has issues (reported to the sink).
  bool Decode(const json::object& o, Event& e) {
    event_ = &e;
    const Path root;
    const json::value* type_value = o.if_contains("type");
    if (type_value == nullptr) {
      Fail(root.Key("type"), "the event type is required");
      return false;
    }
    const json::string* type_name = type_value->if_string();
    if (type_name == nullptr) {
      Fail(root.Key("type"), fmt::format("must be a string, not {}", KindOf(*type_value)));
      return false;
    }
    core::Result<EventType> type = ParseEventType(View(*type_name));
    if (!type.ok()) {
      Fail(root.Key("type"),
           IsUri(View(*type_name))
               ? Quote(View(*type_name)) + ": extension event types are not supported"
               : Quote(View(*type_name)) +
                     " is not an EPCIS event type (ObjectEvent, AggregationEvent, "
                     "TransactionEvent, TransformationEvent, AssociationEvent)");
      return false;
    }
    e.type = *type;
    const std::uint32_t allowed = FieldsOf(e.type);

    std::uint32_t seen = 0;
    for (const auto& [key, value] : o) {
      const std::string_view name = View(key);
      const std::optional<Field> field = FindField(name);
      const Path path = root.Key(name);
      if (!field.has_value()) {
        CheckExtensionKey(name, path, EventTypeName(e.type), context_, index_, sink_, ok_);
        continue;
      }
      if ((allowed & Bit(*field)) == 0) {
        Fail(path, fmt::format("{} is not a field of {} (it belongs to {})", Quote(name),
                               EventTypeName(e.type), TypesWithField(*field)));
        continue;
      }
      seen |= Bit(*field);
      DecodeField(*field, value, path);
    }
    CheckRequired(o, seen);
    if (ok_) {
      AddInstanceLotsFromIlmd();
      if (offset_minutes_.has_value()) {
        e.event_time = e.event_time.WithUtcOffset(*offset_minutes_);
      }
      auto less = [](const IndexEntry& a, const IndexEntry& b) {
        return std::tie(a.kind, a.type, a.value) < std::tie(b.kind, b.type, b.value);
      };
      std::sort(e.index.begin(), e.index.end(), less);
      e.index.erase(std::unique(e.index.begin(), e.index.end()), e.index.end());
    }
    return ok_;
  }

  bool has_event_id() const { return has_event_id_; }

 private:
  void Fail(const Path& path, std::string message) {
    ok_ = false;
    sink_.Add(index_, path, std::move(message));
  }

  void AddIndex(IndexKind kind, std::string type, std::string value) {
    event_->index.push_back({kind, std::move(type), std::move(value)});
  }

  void DecodeField(Field field, const json::value& value, const Path& path) {
    switch (field) {
      case Field::kContext:
      case Field::kType:
        break;
      case Field::kEventTime:
        if (auto t = Time(value, path)) event_->event_time = *t;
        break;
      case Field::kRecordTime:
        (void)Time(value, path);  // replaced by the repository's record time
        break;
      case Field::kEventTimeZoneOffset:
        if (const std::string_view* s = String(value, path)) {
          offset_minutes_ = ParseEventTimeZoneOffset(*s);
          if (!offset_minutes_.has_value()) {
            Fail(path, Quote(*s) + " is not a time zone offset from -14:00 to +14:00 (\"+07:00\")");
          }
        }
        break;
      case Field::kEventId:
        has_event_id_ = Uri(value, path) != nullptr;
        if (has_event_id_) event_->event_id.assign(View(value.get_string()));
        break;
      case Field::kCertificationInfo:
        CertificationInfo(value, path);
        break;
      case Field::kErrorDeclaration:
        ErrorDeclaration(value, path);
        break;
      case Field::kAction:
        if (const std::string_view* s = String(value, path)) {
          if (*s == "ADD" || *s == "OBSERVE" || *s == "DELETE") {
            event_->action.assign(*s);
          } else {
            Fail(path, Quote(*s) + " is not an action (ADD, OBSERVE or DELETE)");
          }
        }
        break;
      case Field::kEpcList:
        (void)IdList(value, path, IndexKind::kEpc, event_->type == EventType::kObjectEvent);
        break;
      case Field::kChildEpcs:
        child_epcs_size_ = IdList(value, path, IndexKind::kChildEpc, false);
        break;
      case Field::kInputEpcList:
        input_size_ += IdList(value, path, IndexKind::kInputEpc, true);
        break;
      case Field::kOutputEpcList:
        output_size_ += IdList(value, path, IndexKind::kOutputEpc, true);
        break;
      case Field::kQuantityList:
        quantity_list_size_ = QuantityList(value, path, IndexKind::kEpcClass);
        break;
      case Field::kChildQuantityList:
        child_quantity_list_size_ = QuantityList(value, path, IndexKind::kChildEpcClass);
        break;
      case Field::kInputQuantityList:
        input_size_ += QuantityList(value, path, IndexKind::kInputEpcClass);
        break;
      case Field::kOutputQuantityList:
        output_size_ += QuantityList(value, path, IndexKind::kOutputEpcClass);
        break;
      case Field::kParentId:
        if (auto id = Identifier(value, path, IdLevel::kInstance)) {
          AddIndex(IndexKind::kParentId, {}, std::move(*id));
        }
        break;
      case Field::kBizStep:
        if (Vocabulary(value, path, CbvList::kBizStep)) {
          event_->biz_step = CanonicalVocabulary(View(value.get_string()));
          AddIndex(IndexKind::kBizStep, {}, event_->biz_step);
        }
        break;
      case Field::kDisposition:
        if (Vocabulary(value, path, CbvList::kDisposition)) {
          event_->disposition = CanonicalVocabulary(View(value.get_string()));
          AddIndex(IndexKind::kDisposition, {}, event_->disposition);
        }
        break;
      case Field::kPersistentDisposition:
        PersistentDisposition(value, path);
        break;
      case Field::kReadPoint:
        Location(value, path, IndexKind::kReadPoint, event_->read_point);
        break;
      case Field::kBizLocation:
        Location(value, path, IndexKind::kBizLocation, event_->biz_location);
        break;
      case Field::kBizTransactionList:
        biz_transaction_count_ = BizTransactions(value, path);
        break;
      case Field::kSourceList:
        SourceDestinations(value, path, "source", IndexKind::kSource);
        break;
      case Field::kDestinationList:
        SourceDestinations(value, path, "destination", IndexKind::kDestination);
        break;
      case Field::kSensorElementList:
        sensor_element_count_ = SensorElements(value, path);
        break;
      case Field::kIlmd:
        Ilmd(value, path);
        break;
      case Field::kTransformationId:
        if (const std::string_view* s = Uri(value, path)) {
          AddIndex(IndexKind::kTransformationId, {}, std::string(*s));
        }
        break;
    }
  }

  // The rules across fields: required fields and the schema's anyOf alternatives, plus the
  // semantic rules of EPCIS 2.0 the schema does not express.
  void CheckRequired(const json::object& o, std::uint32_t seen) {
    const Path root;
    const EventType type = event_->type;
    const std::string_view name = EventTypeName(type);
    auto has = [seen](Field f) { return (seen & Bit(f)) != 0; };
    if (!has(Field::kEventTime)) Fail(root.Key("eventTime"), "eventTime is required");
    if (!has(Field::kEventTimeZoneOffset)) {
      Fail(root.Key("eventTimeZoneOffset"), "eventTimeZoneOffset is required");
    }
    // Only a valid action (a wrong one is reported already) takes part in the rules below.
    const std::string_view action = event_->action;
    const bool action_known = !action.empty();
    if (type != EventType::kTransformationEvent && !has(Field::kAction)) {
      Fail(root.Key("action"), fmt::format("action is required in an {}", name));
    }
    switch (type) {
      case EventType::kObjectEvent:
        if (!has(Field::kEpcList) && quantity_list_size_ == 0 &&
            !(sensor_element_count_ > 0 && has(Field::kReadPoint))) {
          Fail(root.Key("epcList"),
               "an ObjectEvent needs an epcList, a non-empty quantityList, or a "
               "sensorElementList with a readPoint");
        }
        if (has(Field::kIlmd) && action_known && action != "ADD") {
          Fail(root.Key("ilmd"), "ilmd is only allowed when action is ADD");
        }
        break;
      case EventType::kAggregationEvent:
      case EventType::kAssociationEvent:
        if (child_epcs_size_ == 0 && child_quantity_list_size_ == 0 && action_known &&
            action != "DELETE") {
          Fail(root.Key("childEPCs"),
               fmt::format("an {} with action {} needs a non-empty childEPCs or "
                           "childQuantityList",
                           name, action));
        }
        if (!has(Field::kParentId) &&
            (type == EventType::kAssociationEvent || action == "ADD" || action == "DELETE")) {
          Fail(root.Key("parentID"),
               type == EventType::kAssociationEvent
                   ? std::string("parentID is required in an AssociationEvent")
                   : fmt::format("parentID is required in an AggregationEvent with action {}",
                                 action));
        }
        break;
      case EventType::kTransactionEvent:
        if (!has(Field::kBizTransactionList)) {
          Fail(root.Key("bizTransactionList"),
               "bizTransactionList is required in a TransactionEvent");
        } else if (biz_transaction_count_ == 0 && o.if_contains("bizTransactionList")->is_array()) {
          Fail(root.Key("bizTransactionList"),
               "a TransactionEvent needs at least one business transaction");
        }
        if (!has(Field::kEpcList) && quantity_list_size_ == 0 && action_known &&
            action != "DELETE") {
          Fail(root.Key("epcList"),
               "a TransactionEvent needs an epcList or a non-empty quantityList unless its "
               "action is DELETE");
        }
        break;
      case EventType::kTransformationEvent: {
        const bool both = input_size_ > 0 && output_size_ > 0;
        const bool one_with_id =
            (input_size_ > 0 || output_size_ > 0) && has(Field::kTransformationId);
        if (!both && !one_with_id) {
          Fail(root.Key(input_size_ == 0 ? "inputEPCList" : "outputEPCList"),
               "a TransformationEvent needs inputs (inputEPCList or inputQuantityList) and "
               "outputs (outputEPCList or outputQuantityList), or one of them with a "
               "transformationID");
        }
        break;
      }
    }
  }

  // ---- Values ----

  const std::string_view* String(const json::value& v, const Path& path) {
    if (const json::string* s = v.if_string()) {
      scratch_ = View(*s);
      return &scratch_;
    }
    Fail(path, fmt::format("must be a string, not {}", KindOf(v)));
    return nullptr;
  }

  const std::string_view* Uri(const json::value& v, const Path& path) {
    if (!v.is_string()) {
      Fail(path, fmt::format("must be a URI (a string), not {}", KindOf(v)));
      return nullptr;
    }
    const std::string_view* s = String(v, path);
    if (!IsUri(*s)) {
      Fail(path, Quote(*s) + " is not a URI");
      return nullptr;
    }
    return s;
  }

  std::optional<core::Timestamp> Time(const json::value& v, const Path& path) {
    const std::string_view* s = String(v, path);
    if (s == nullptr) return std::nullopt;
    core::Result<core::Timestamp> t = core::ParseRfc3339(*s);
    if (!t.ok()) {
      Fail(path, Quote(*s) +
                     " is not an RFC 3339 date-time with a UTC offset "
                     "(\"2005-04-03T20:33:31.116-06:00\"): " +
                     t.error().message);
      return std::nullopt;
    }
    return *t;
  }

  bool Number(const json::value& v, const Path& path) {
    if (IsNumber(v)) return true;
    Fail(path, fmt::format("must be a number, not {}", KindOf(v)));
    return false;
  }

  // A GS1 identifier or another URI, checked and canonicalised.
  std::optional<std::string> Identifier(const json::value& v, const Path& path, IdLevel level) {
    const std::string_view* s = Uri(v, path);
    if (s == nullptr) return std::nullopt;
    const std::string_view uri = *s;
    if (level == IdLevel::kAny) {
      if (const std::string* cached = cache_.Find(uri)) return *cached;
    }
    const internal::IdentifierForm form = internal::ClassifyIdentifier(uri);
    core::Result<std::string> canonical = internal::CheckedCanonicalIdentifier(uri);
    if (!canonical.ok()) {
      Fail(path,
           fmt::format("{} is not a valid {}: {}", Quote(uri),
                       form == internal::IdentifierForm::kEpcUrn ? "EPC URN" : "GS1 Digital Link",
                       canonical.error().message));
      return std::nullopt;
    }
    if (form == internal::IdentifierForm::kEpcUrn || form == internal::IdentifierForm::kNonGs1Epc) {
      const bool instance = uri.size() > 11 && (uri.substr(7, 4) == ":id:");
      if (level == IdLevel::kInstance && !instance) {
        Fail(path, Quote(uri) +
                       " names a class or a pattern; this field names instances "
                       "(urn:epc:id:... or a Digital Link)");
        return std::nullopt;
      }
      if (level == IdLevel::kClass && instance) {
        Fail(path, Quote(uri) +
                       " names an instance; epcClass names a class (urn:epc:class:lgtin:..., "
                       "urn:epc:idpat:sgtin:...:*, or a Digital Link without a serial)");
        return std::nullopt;
      }
    } else if (level == IdLevel::kClass && canonical->starts_with(gs1::kCanonicalStem) &&
               canonical->find("/21/") != std::string::npos) {
      Fail(path,
           Quote(uri) + " names an instance (it has a serial, AI 21); epcClass names a class");
      return std::nullopt;
    }
    if (level == IdLevel::kAny) cache_.Add(uri, *canonical);
    return std::move(canonical).value();
  }

  // An array of identifiers; returns its size (0 when malformed).
  std::size_t IdList(const json::value& v, const Path& path, IndexKind kind, bool unique) {
    const json::array* items = v.if_array();
    if (items == nullptr) {
      Fail(path, fmt::format("must be an array of identifiers, not {}", KindOf(v)));
      return 0;
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
      if (auto id = Identifier((*items)[i], path.Index(i), IdLevel::kInstance)) {
        AddInstanceLotFromLink((*items)[i], *id);
        AddIndex(kind, {}, std::move(*id));
      }
    }
    if (unique) CheckUnique(*items, path);
    return items->size();
  }

  void CheckUnique(const json::array& items, const Path& path) {
    constexpr std::size_t kQuadraticLimit = 64;
    if (items.size() <= kQuadraticLimit) {
      for (std::size_t i = 1; i < items.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (items[i] == items[j]) {
            Fail(path.Index(i), fmt::format("repeats item {} of the list", j));
            break;
          }
        }
      }
      return;
    }
    std::vector<std::pair<std::string_view, std::size_t>> sorted;
    sorted.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (const json::string* s = items[i].if_string()) sorted.emplace_back(View(*s), i);
    }
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 1; i < sorted.size(); ++i) {
      if (sorted[i].first == sorted[i - 1].first) {
        Fail(path.Index(sorted[i].second),
             fmt::format("repeats item {} of the list", sorted[i - 1].second));
      }
    }
  }

  // An array of quantity elements; returns its size (0 when malformed).
  std::size_t QuantityList(const json::value& v, const Path& path, IndexKind kind) {
    const json::array* items = v.if_array();
    if (items == nullptr) {
      Fail(path, fmt::format("must be an array of quantity elements, not {}", KindOf(v)));
      return 0;
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
      const Path item_path = path.Index(i);
      const json::object* q = (*items)[i].if_object();
      if (q == nullptr) {
        Fail(item_path, fmt::format("must be an object (epcClass, quantity, uom), not {}",
                                    KindOf((*items)[i])));
        continue;
      }
      bool has_class = false;
      for (const auto& [key, value] : *q) {
        const std::string_view name = View(key);
        const Path field = item_path.Key(name);
        if (name == "epcClass") {
          has_class = true;
          if (auto id = Identifier(value, field, IdLevel::kClass)) {
            AddIndex(kind, {}, std::move(*id));
          }
        } else if (name == "quantity") {
          Number(value, field);
        } else if (name == "uom") {
          if (const std::string_view* s = String(value, field); s != nullptr && !IsUnitCode(*s)) {
            Fail(field, Quote(*s) +
                            " is not a UN/CEFACT Recommendation 20 unit code (2 or 3 upper-case "
                            "letters or digits, e.g. \"KGM\")");
          }
        } else {
          Fail(field, Quote(name) +
                          " is not allowed in a quantity element (only epcClass, "
                          "quantity and uom)");
        }
      }
      if (!has_class) Fail(item_path.Key("epcClass"), "epcClass is required");
    }
    return items->size();
  }

  // A value of a closed code list: a bare word of the list, or a URI (not a CBV URN, and a
  // term of the list when it is written in the list's own GS1 namespace).
  bool Vocabulary(const json::value& v, const Path& path, CbvList list) {
    const std::string_view* text = String(v, path);
    if (text == nullptr) return false;
    const std::string_view s = *text;
    if (s.find(':') == std::string_view::npos) {
      if (internal::IsCbvTerm(list, s)) return true;
      if (list == CbvList::kMeasurementType && IsWebVocTermName(s)) {
        // The schema's list is closed; a newer GS1 Web Vocabulary term is a gs1: CURIE.
        Fail(path, fmt::format("{} is not one of the GS1 measurement types of EPCIS 2.0 JSON; "
                               "write a newer GS1 Web Vocabulary term as \"gs1:{}\", or use a "
                               "URI of your own",
                               Quote(s), s));
        return false;
      }
      Fail(path, fmt::format("{} is not a {}; use a term of the standard list or a URI of your "
                             "own (e.g. \"https://example.com/voc/{}\")",
                             Quote(s), ListName(list), s));
      return false;
    }
    if (!IsUri(s)) {
      Fail(path, Quote(s) + " is not a URI");
      return false;
    }
    const bool gs1_voc_list =
        list == CbvList::kMeasurementType || list == CbvList::kSensorAlertType;
    if (gs1_voc_list) {
      if (s.starts_with("https://gs1.org/voc/") || s.starts_with("http://gs1.org/voc/") ||
          s.starts_with("https://www.gs1.org/voc/") || s.starts_with("http://www.gs1.org/voc/")) {
        Fail(path, Quote(s) +
                       ": write GS1 Web Vocabulary terms as bare words (\"Temperature\") or "
                       "gs1: terms in EPCIS 2.0 JSON");
        return false;
      }
      if (s.starts_with("gs1:")) {
        const std::string_view term = s.substr(4);
        if (!internal::IsCbvTerm(list, term) &&
            !(list == CbvList::kMeasurementType && IsWebVocTermName(term))) {
          Fail(path, fmt::format("{} is not a {}", Quote(s), ListName(list)));
          return false;
        }
      }
      return true;
    }
    if (s.starts_with("urn:epcglobal:cbv") || s.starts_with("https://ns.gs1.org/cbv/") ||
        s.starts_with("http://ns.gs1.org/cbv/")) {
      const std::string bare = CanonicalVocabulary(s);
      Fail(path, bare.find(':') == std::string::npos
                     ? fmt::format("{}: CBV URNs are not allowed in EPCIS 2.0 JSON; write the "
                                   "bare word \"{}\"",
                                   Quote(s), bare)
                     : Quote(s) +
                           ": CBV URNs are not allowed in EPCIS 2.0 JSON; write the bare "
                           "word of a CBV term");
      return false;
    }
    std::string_view rest;
    if (s.starts_with("https://ref.gs1.org/cbv/")) {
      rest = s.substr(24);
    } else if (s.starts_with("cbv:")) {
      rest = s.substr(4);
    } else {
      return true;
    }
    const std::string_view head = CbvHead(list);
    if (rest.starts_with(head) && !internal::IsCbvTerm(list, rest.substr(head.size()))) {
      Fail(path, fmt::format("{} is not a {}", Quote(s), ListName(list)));
      return false;
    }
    return true;
  }

  void CertificationInfo(const json::value& v, const Path& path) {
    if (const json::array* items = v.if_array()) {
      for (std::size_t i = 0; i < items->size(); ++i) (void)Uri((*items)[i], path.Index(i));
      return;
    }
    if (!v.is_string()) {
      Fail(path, fmt::format("must be a URI or an array of URIs, not {}", KindOf(v)));
      return;
    }
    (void)Uri(v, path);
  }

  void ErrorDeclaration(const json::value& v, const Path& path) {
    const json::object* o = v.if_object();
    if (o == nullptr) {
      Fail(path, fmt::format("must be an object, not {}", KindOf(v)));
      return;
    }
    bool has_time = false;
    for (const auto& [key, value] : *o) {
      const std::string_view name = View(key);
      const Path field = path.Key(name);
      if (name == "declarationTime") {
        has_time = true;
        if (auto t = Time(value, field)) event_->error_declaration_time = *t;
      } else if (name == "reason") {
        if (Vocabulary(value, field, CbvList::kErrorReason)) {
          AddIndex(IndexKind::kErrorReason, {}, CanonicalVocabulary(View(value.get_string())));
        }
      } else if (name == "correctiveEventIDs") {
        const json::array* ids = value.if_array();
        if (ids == nullptr) {
          Fail(field, fmt::format("must be an array of event IDs, not {}", KindOf(value)));
          continue;
        }
        for (std::size_t i = 0; i < ids->size(); ++i) {
          if (const std::string_view* id = Uri((*ids)[i], field.Index(i))) {
            AddIndex(IndexKind::kCorrectiveEventId, {}, std::string(*id));
          }
        }
      } else {
        CheckExtensionKey(name, field, "errorDeclaration", context_, index_, sink_, ok_);
      }
    }
    if (!has_time) Fail(path.Key("declarationTime"), "declarationTime is required");
  }

  void PersistentDisposition(const json::value& v, const Path& path) {
    const json::object* o = v.if_object();
    if (o == nullptr) {
      Fail(path, fmt::format("must be an object with set and/or unset, not {}", KindOf(v)));
      return;
    }
    if (o->empty()) Fail(path, "needs set or unset");
    for (const auto& [key, value] : *o) {
      const std::string_view name = View(key);
      const Path field = path.Key(name);
      if (name != "set" && name != "unset") {
        Fail(field, Quote(name) + " is not allowed in persistentDisposition (only set, unset)");
        continue;
      }
      const IndexKind kind = name == "set" ? IndexKind::kPersistentDispositionSet
                                           : IndexKind::kPersistentDispositionUnset;
      const json::array* items = value.if_array();
      if (items == nullptr || items->empty()) {
        Fail(field, "must be a non-empty array of dispositions");
        continue;
      }
      for (std::size_t i = 0; i < items->size(); ++i) {
        if (Vocabulary((*items)[i], field.Index(i), CbvList::kDisposition)) {
          AddIndex(kind, {}, CanonicalVocabulary(View((*items)[i].get_string())));
        }
      }
      CheckUnique(*items, field);
    }
  }

  void Location(const json::value& v, const Path& path, IndexKind kind, std::string& out) {
    const json::object* o = v.if_object();
    if (o == nullptr) {
      Fail(path, fmt::format("must be an object with an id, not {}", KindOf(v)));
      return;
    }
    bool has_id = false;
    for (const auto& [key, value] : *o) {
      const std::string_view name = View(key);
      if (name == "id") {
        has_id = true;
        if (auto id = Identifier(value, path.Key(name), IdLevel::kAny)) {
          out = *id;
          AddIndex(kind, {}, std::move(*id));
        }
      } else {
        CheckExtensionKey(name, path.Key(name),
                          kind == IndexKind::kReadPoint ? "readPoint" : "bizLocation", context_,
                          index_, sink_, ok_);
      }
    }
    if (!has_id) Fail(path.Key("id"), "id is required");
  }

  // Returns the number of business transactions.
  std::size_t BizTransactions(const json::value& v, const Path& path) {
    const json::array* items = v.if_array();
    if (items == nullptr) {
      Fail(path, fmt::format("must be an array of business transactions, not {}", KindOf(v)));
      return 0;
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
      const Path item_path = path.Index(i);
      const json::object* t = (*items)[i].if_object();
      if (t == nullptr) {
        Fail(item_path,
             fmt::format("must be an object (type, bizTransaction), not {}", KindOf((*items)[i])));
        continue;
      }
      std::string type;
      std::optional<std::string> id;
      bool has_id = false;
      for (const auto& [key, value] : *t) {
        const std::string_view name = View(key);
        const Path field = item_path.Key(name);
        if (name == "type") {
          if (Vocabulary(value, field, CbvList::kBizTransactionType)) {
            type = CanonicalVocabulary(View(value.get_string()));
          }
        } else if (name == "bizTransaction") {
          has_id = true;
          id = Identifier(value, field, IdLevel::kAny);
        } else {
          Fail(field, Quote(name) +
                          " is not allowed in a business transaction (only type and "
                          "bizTransaction)");
        }
      }
      if (!has_id) Fail(item_path.Key("bizTransaction"), "bizTransaction is required");
      if (id.has_value()) AddIndex(IndexKind::kBizTransaction, std::move(type), std::move(*id));
    }
    return items->size();
  }

  void SourceDestinations(const json::value& v, const Path& path, std::string_view value_key,
                          IndexKind kind) {
    const json::array* items = v.if_array();
    if (items == nullptr) {
      Fail(path, fmt::format("must be an array of {}s, not {}", value_key, KindOf(v)));
      return;
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
      const Path item_path = path.Index(i);
      const json::object* o = (*items)[i].if_object();
      if (o == nullptr) {
        Fail(item_path,
             fmt::format("must be an object (type, {}), not {}", value_key, KindOf((*items)[i])));
        continue;
      }
      std::optional<std::string> type;
      std::optional<std::string> id;
      bool has_type = false;
      bool has_id = false;
      for (const auto& [key, value] : *o) {
        const std::string_view name = View(key);
        const Path field = item_path.Key(name);
        if (name == "type") {
          has_type = true;
          if (Vocabulary(value, field, CbvList::kSourceDestType)) {
            type = CanonicalVocabulary(View(value.get_string()));
          }
        } else if (name == value_key) {
          has_id = true;
          id = Identifier(value, field, IdLevel::kAny);
        } else {
          Fail(field, fmt::format("{} is not allowed in a {} (only type and {})", Quote(name),
                                  value_key, value_key));
        }
      }
      if (!has_type) Fail(item_path.Key("type"), "type is required");
      if (!has_id) Fail(item_path.Key(value_key), fmt::format("{} is required", value_key));
      if (type.has_value() && id.has_value()) AddIndex(kind, std::move(*type), std::move(*id));
    }
  }

  // Returns the number of sensor elements.
  std::size_t SensorElements(const json::value& v, const Path& path) {
    const json::array* items = v.if_array();
    if (items == nullptr) {
      Fail(path, fmt::format("must be an array of sensor elements, not {}", KindOf(v)));
      return 0;
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
      const Path item_path = path.Index(i);
      const json::object* element = (*items)[i].if_object();
      if (element == nullptr) {
        Fail(item_path, fmt::format("must be an object, not {}", KindOf((*items)[i])));
        continue;
      }
      const json::object* metadata = nullptr;
      const json::array* reports = nullptr;
      bool has_reports = false;
      for (const auto& [key, value] : *element) {
        const std::string_view name = View(key);
        const Path field = item_path.Key(name);
        if (name == "sensorMetadata") {
          metadata = value.if_object();
          if (metadata == nullptr) {
            Fail(field, fmt::format("must be an object, not {}", KindOf(value)));
          } else {
            SensorAttributes(*metadata, field, true);
          }
        } else if (name == "sensorReport") {
          has_reports = true;
          reports = value.if_array();
          if (reports == nullptr || reports->empty()) {
            Fail(field, "must be a non-empty array of sensor reports");
            reports = nullptr;
          }
        } else {
          CheckExtensionKey(name, field, "sensorElement", context_, index_, sink_, ok_);
        }
      }
      if (!has_reports) {
        Fail(item_path.Key("sensorReport"), "a sensor element needs at least one sensorReport");
      }
      if (reports == nullptr) continue;
      const Path reports_path = item_path.Key("sensorReport");
      for (std::size_t r = 0; r < reports->size(); ++r) {
        const Path report_path = reports_path.Index(r);
        const json::object* report = (*reports)[r].if_object();
        if (report == nullptr) {
          Fail(report_path, fmt::format("must be an object, not {}", KindOf((*reports)[r])));
          continue;
        }
        SensorAttributes(*report, report_path, false);
        if (!report->contains("type")) {
          Fail(report_path.Key("type"), "type (the measurement type) is required");
        }
        if (metadata == nullptr) continue;
        for (std::string_view shared : kSharedSensorAttributes) {
          const json::value* in_report = report->if_contains(shared);
          const json::value* in_metadata = metadata->if_contains(shared);
          if (in_report != nullptr && in_metadata != nullptr && *in_report != *in_metadata) {
            Fail(report_path.Key(shared),
                 fmt::format("contradicts the {} of sensorMetadata, which applies to every "
                             "report of the element; give it in one place",
                             shared));
          }
        }
      }
    }
    return items->size();
  }

  void SensorAttributes(const json::object& o, const Path& path, bool metadata) {
    for (const auto& [key, value] : o) {
      const std::string_view name = View(key);
      const Path field = path.Key(name);
      const SensorAttribute* attribute = FindSensorAttribute(name);
      if (attribute == nullptr || !(metadata ? attribute->in_metadata : attribute->in_report)) {
        CheckExtensionKey(name, field, metadata ? "sensorMetadata" : "sensorReport", context_,
                          index_, sink_, ok_);
        continue;
      }
      switch (attribute->value) {
        case SensorValue::kTime:
          (void)Time(value, field);
          break;
        case SensorValue::kUri:
          (void)Uri(value, field);
          break;
        case SensorValue::kNumber:
          (void)Number(value, field);
          break;
        case SensorValue::kString:
          (void)String(value, field);
          break;
        case SensorValue::kBoolean:
          if (!value.is_bool()) {
            Fail(field, fmt::format("must be true or false, not {}", KindOf(value)));
          }
          break;
        case SensorValue::kHexBinary:
          if (const std::string_view* s = String(value, field)) {
            if (s->empty() || !std::all_of(s->begin(), s->end(), IsHex)) {
              Fail(field, Quote(*s) + " is not hexadecimal");
            }
          }
          break;
        case SensorValue::kMeasurementType:
          (void)Vocabulary(value, field, CbvList::kMeasurementType);
          break;
        case SensorValue::kAlertType:
          (void)Vocabulary(value, field, CbvList::kSensorAlertType);
          break;
        case SensorValue::kComponent:
          (void)Vocabulary(value, field, CbvList::kComponent);
          break;
        case SensorValue::kUnit:
          if (const std::string_view* s = String(value, field); s != nullptr && !IsUnitCode(*s)) {
            Fail(field, Quote(*s) +
                            " is not a UN/CEFACT Recommendation 20 unit code (2 or 3 upper-case "
                            "letters or digits, e.g. \"CEL\")");
          }
          break;
      }
    }
  }

  void Ilmd(const json::value& v, const Path& path) {
    const json::object* o = v.if_object();
    if (o == nullptr) {
      Fail(path, fmt::format("must be an object, not {}", KindOf(v)));
      return;
    }
    for (const auto& [key, value] : *o) {
      CheckExtensionKey(View(key), path.Key(View(key)), "ilmd", context_, index_, sink_, ok_);
      if (IsCbvMdaLotNumber(View(key)) && value.is_string()) {
        ilmd_lot_number_ = std::string(View(value.get_string()));
      }
    }
  }

  // True when `key` names the CBV master-data attribute lotNumber (cbvmda:lotNumber under any
  // prefix bound to urn:epcglobal:cbv:mda:, or the full IRI).
  bool IsCbvMdaLotNumber(std::string_view key) const {
    static constexpr std::string_view kMda = "urn:epcglobal:cbv:mda:";
    static constexpr std::string_view kLocal = "lotNumber";
    if (key == std::string(kMda) + std::string(kLocal)) return true;
    const std::size_t colon = key.find(':');
    if (colon == std::string_view::npos || key.substr(colon + 1) != kLocal) return false;
    const std::string* iri = context_.FindPrefix(key.substr(0, colon));
    return iri != nullptr && *iri == kMda;
  }

  // The canonical Digital Link of lot `lot` of the GTIN of `canonical_item` (a canonical SGTIN
  // link https://id.gs1.org/01/{GTIN-14}/21/{serial}), or nullopt when `canonical_item` is not
  // one or `lot` is not a valid batch/lot number (AI 10).
  static std::optional<std::string> LotOfItem(std::string_view canonical_item,
                                              std::string_view lot) {
    const std::string prefix = std::string(gs1::kCanonicalStem) + "/01/";
    constexpr std::size_t kGtinLength = 14;
    if (!canonical_item.starts_with(prefix) ||
        canonical_item.substr(prefix.size() + kGtinLength, 4) != "/21/") {
      return std::nullopt;
    }
    static const gs1::AiDefinition* const kBatch = gs1::FindAi("10");
    if (kBatch == nullptr || !gs1::ValidateAiValue(*kBatch, lot).ok()) return std::nullopt;
    return std::string(canonical_item.substr(0, prefix.size() + kGtinLength)) + "/10/" +
           gs1::PercentEncodeDlValue(lot);
  }

  // A Digital Link naming an instance with both its lot and its serial (/01/…/10/…/21/…) says
  // which lot the instance belongs to.
  void AddInstanceLotFromLink(const json::value& raw, const std::string& canonical_item) {
    const json::string* s = raw.if_string();
    if (s == nullptr || View(*s).find("/10/") == std::string_view::npos ||
        !View(*s).starts_with("http")) {
      return;
    }
    core::Result<gs1::DigitalLink> link = gs1::ParseDigitalLink(View(*s));
    if (!link.ok()) return;
    for (const gs1::AiElement& element : link->path) {
      if (element.code() == "10") {
        if (auto lot = LotOfItem(canonical_item, element.value)) {
          AddIndex(IndexKind::kInstanceLot, canonical_item, std::move(*lot));
        }
        return;
      }
    }
  }

  // The ILMD lotNumber of a commissioning event names the lot of every SGTIN it commissions.
  void AddInstanceLotsFromIlmd() {
    if (!ilmd_lot_number_.has_value()) return;
    const IndexKind commissioned =
        event_->type == EventType::kTransformationEvent ? IndexKind::kOutputEpc : IndexKind::kEpc;
    const std::size_t count = event_->index.size();
    for (std::size_t i = 0; i < count; ++i) {
      const IndexEntry& entry = event_->index[i];
      if (entry.kind != commissioned) continue;
      if (auto lot = LotOfItem(entry.value, *ilmd_lot_number_)) {
        std::string item = entry.value;
        AddIndex(IndexKind::kInstanceLot, std::move(item), std::move(*lot));
      }
    }
  }

  const int index_;
  const JsonLdContext& context_;
  IssueSink& sink_;
  IdentifierCache& cache_;
  bool ok_ = true;
  Event* event_ = nullptr;
  std::string_view scratch_;  // the string String() last returned
  std::optional<int> offset_minutes_;
  std::optional<std::string> ilmd_lot_number_;
  bool has_event_id_ = false;
  std::size_t child_epcs_size_ = 0;
  std::size_t quantity_list_size_ = 0;
  std::size_t child_quantity_list_size_ = 0;
  std::size_t input_size_ = 0;
  std::size_t output_size_ = 0;
  std::size_t biz_transaction_count_ = 0;
  std::size_t sensor_element_count_ = 0;
};

// ---- Documents ------------------------------------------------------------------------------

bool IsIgnoreFieldsKey(std::string_view key) {
  constexpr std::string_view kName = "ignoreFields";
  return key == kName || (key.size() > kName.size() && key.ends_with(kName) &&
                          key[key.size() - kName.size() - 1] == ':');
}

// The fields a document asks the event hash to leave out (an `ignoreFields` extension), as
// DocumentEventHashIds reads them.
void CollectIgnoreFields(const json::object* o, std::vector<std::string>& out) {
  if (o == nullptr) return;
  for (const auto& [key, value] : *o) {
    if (!IsIgnoreFieldsKey(View(key))) continue;
    if (const json::string* s = value.if_string()) out.emplace_back(View(*s));
    if (const json::array* a = value.if_array()) {
      for (const json::value& f : *a) {
        if (const json::string* s = f.if_string()) out.emplace_back(View(*s));
      }
    }
  }
}

// Marks in `used` (parallel to `declared`) the prefix `s` names, if declared.
void MarkPrefix(std::string_view s, const Namespaces& declared, std::vector<bool>& used) {
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return;
  const std::string_view prefix = s.substr(0, colon);
  for (std::size_t i = 0; i < declared.size(); ++i) {
    if (declared[i].first == prefix) used[i] = true;
  }
}

void CollectUsedPrefixes(const json::object& o, const Namespaces& declared,
                         std::vector<bool>& used);

// Marks the declared prefixes that `v` uses in a key or a string value.
void CollectUsedPrefixes(const json::value& v, const Namespaces& declared,
                         std::vector<bool>& used) {
  if (const json::string* s = v.if_string()) {
    MarkPrefix(View(*s), declared, used);
  } else if (const json::array* a = v.if_array()) {
    for (const json::value& item : *a) CollectUsedPrefixes(item, declared, used);
  } else if (const json::object* o = v.if_object()) {
    CollectUsedPrefixes(*o, declared, used);
  }
}

void CollectUsedPrefixes(const json::object& o, const Namespaces& declared,
                         std::vector<bool>& used) {
  for (const auto& [key, value] : o) {
    if (View(key) == "@context") continue;
    MarkPrefix(View(key), declared, used);
    CollectUsedPrefixes(value, declared, used);
  }
}

// Unmarks in `used` the document prefixes an event's own @context declares again.
void UnmarkOwnPrefixes(const json::value& context, const Namespaces& declared,
                       std::vector<bool>& used) {
  if (const json::array* items = context.if_array()) {
    for (const json::value& item : *items) UnmarkOwnPrefixes(item, declared, used);
    return;
  }
  const json::object* definitions = context.if_object();
  if (definitions == nullptr) return;
  for (std::size_t i = 0; i < declared.size(); ++i) {
    if (definitions->contains(declared[i].first)) used[i] = false;
  }
}

class DocumentDecoder {
 public:
  DocumentDecoder(const DecodeOptions& options, DecodeResult& result)
      : options_(options), result_(result), sink_(result.issues, options.max_issues) {}

  DocumentDecoder(const DocumentDecoder&) = delete;
  DocumentDecoder& operator=(const DocumentDecoder&) = delete;

  void Decode(std::string_view text) {
    DecodeText(text);
    result_.document_has_issues = sink_.any_of_document();
    if (sink_.any_of_document() || (sink_.any() && !options_.keep_valid_events)) {
      result_.events.clear();
      result_.master_data.clear();
    }
  }

 private:
  void DecodeText(std::string_view text) {
    const Path root;
    record_time_text_ = core::FormatRfc3339(options_.record_time);
    if (text.size() > options_.max_bytes) {
      sink_.Add(-1, root,
                fmt::format("the document is {} bytes long; at most {} bytes are accepted",
                            text.size(), options_.max_bytes));
      return;
    }
    core::Result<json::value> parsed = internal::ParsePreciseJson(text);
    if (!parsed.ok()) {
      sink_.Add(-1, root, parsed.error().message);
      return;
    }
    json::object* doc = parsed->if_object();
    if (doc == nullptr) {
      sink_.Add(-1, root, "the document must be a JSON object");
      return;
    }
    const json::value* type_value = doc->if_contains("type");
    const json::string* type = type_value == nullptr ? nullptr : type_value->if_string();
    if (type == nullptr) {
      sink_.Add(-1, root.Key("type"),
                type_value == nullptr
                    ? std::string("type is required (EPCISDocument, EPCISQueryDocument or an "
                                  "event type)")
                    : fmt::format("must be a string, not {}", KindOf(*type_value)));
      return;
    }
    json::array* events = nullptr;
    bool bare_event = false;
    if (*type == "EPCISDocument") {
      events = EpcisDocument(*doc);
    } else if (*type == "EPCISQueryDocument") {
      result_.is_query_document = true;
      events = QueryDocument(*doc);
    } else if (ParseEventType(View(*type)).ok()) {
      bare_event = true;
    } else {
      sink_.Add(
          -1, root.Key("type"),
          Quote(View(*type)) + " is not EPCISDocument, EPCISQueryDocument or an EPCIS event type");
      return;
    }
    ReadDocumentContext(*doc, bare_event);
    if (bare_event) {
      DecodeEvents(std::span<json::value>(&parsed.value(), 1), true);
    } else if (events != nullptr) {
      if (events->size() > options_.max_events) {
        sink_.Add(-1, root,
                  fmt::format("the document has {} events; at most {} are accepted in one "
                              "capture",
                              events->size(), options_.max_events));
        return;
      }
      DecodeEvents(std::span<json::value>(events->data(), events->size()), false);
    }
    result_.namespaces.clear();
    for (auto& [prefix, iri] : declared_) result_.namespaces[prefix] = iri;
  }

  void Fail(const Path& path, std::string message) { sink_.Add(-1, path, std::move(message)); }

  void ExtensionKey(std::string_view key, const Path& path, std::string_view owner) {
    bool ok = true;
    CheckExtensionKey(key, path, owner, context_, -1, sink_, ok);
  }

  const json::object* RequireObject(const json::object& parent, std::string_view key,
                                    const Path& path) {
    const json::value* v = parent.if_contains(key);
    if (v == nullptr) {
      Fail(path, fmt::format("{} is required", key));
      return nullptr;
    }
    if (!v->is_object()) {
      Fail(path, fmt::format("must be an object, not {}", KindOf(*v)));
      return nullptr;
    }
    return &v->get_object();
  }

  void OptionalString(const json::value& v, const Path& path) {
    if (!v.is_string()) Fail(path, fmt::format("must be a string, not {}", KindOf(v)));
  }

  void OptionalUri(const json::value& v, const Path& path) {
    if (!v.is_string()) {
      Fail(path, fmt::format("must be a string, not {}", KindOf(v)));
    } else if (!IsUri(View(v.get_string()))) {
      Fail(path, Quote(View(v.get_string())) + " is not a URI");
    }
  }

  void CreationDate(const json::value& v, const Path& path) {
    if (!v.is_string()) {
      Fail(path, fmt::format("must be a string, not {}", KindOf(v)));
      return;
    }
    core::Result<core::Timestamp> t = core::ParseRfc3339(View(v.get_string()));
    if (!t.ok()) {
      Fail(path,
           Quote(View(v.get_string())) + " is not an RFC 3339 date-time: " + t.error().message);
    }
  }

  void SchemaVersion(const json::value& v, const Path& path) {
    if (!v.is_string() || !IsVersion(View(v.get_string()))) {
      Fail(path, "must be a version string such as \"2.0\"");
    }
  }

  // The members of the document object; returns its eventList.
  json::array* EpcisDocument(json::object& doc) {
    json::object* body = DocumentMembers(doc, DocumentKind::kEpcisDocument);
    if (body == nullptr) return nullptr;
    const Path root;
    return EventList(*body, root.Key("epcisBody"));
  }

  enum class DocumentKind { kEpcisDocument, kQueryDocument };

  // The members of an EPCISDocument or EPCISQueryDocument object down to its epcisBody:
  // required members, id, schemaVersion, creationDate and (EPCISDocument only) the header
  // members are checked; other members of the document and of epcisBody wait in pending_keys_
  // as extension members. Returns epcisBody, or null when it is absent or not an object.
  json::object* DocumentMembers(json::object& doc, DocumentKind kind) {
    const bool epcis_document = kind == DocumentKind::kEpcisDocument;
    const Path root;
    CollectIgnoreFields(&doc, hash_options_.ignore_fields);
    static constexpr std::string_view kRequiredOfDocument[] = {"@context", "schemaVersion",
                                                               "creationDate", "epcisBody"};
    static constexpr std::string_view kRequiredOfQueryDocument[] = {"@context", "epcisBody"};
    for (std::string_view required :
         epcis_document ? std::span<const std::string_view>(kRequiredOfDocument)
                        : std::span<const std::string_view>(kRequiredOfQueryDocument)) {
      if (!doc.contains(required)) {
        Fail(root.Key(required), fmt::format("{} is required", required));
      }
    }
    pending_keys_.clear();
    for (const auto& [key, value] : doc) {
      const std::string_view name = View(key);
      const Path path = root.Key(name);
      if (name == "@context" || name == "type" || name == "epcisBody") continue;
      if (name == "id") {
        OptionalUri(value, path);
      } else if (name == "schemaVersion") {
        SchemaVersion(value, path);
      } else if (name == "creationDate") {
        CreationDate(value, path);
      } else if (epcis_document &&
                 (name == "instanceIdentifier" || name == "sender" || name == "receiver")) {
        OptionalString(value, path);
      } else if (epcis_document && name == "epcisHeader") {
        Header(value, path);
      } else {
        pending_keys_.push_back(
            {name, "", epcis_document ? "the EPCISDocument" : "the EPCISQueryDocument"});
      }
    }
    json::value* body_value = doc.if_contains("epcisBody");
    if (body_value == nullptr) return nullptr;
    json::object* body = body_value->if_object();
    if (body == nullptr) {
      Fail(root.Key("epcisBody"), fmt::format("must be an object, not {}", KindOf(*body_value)));
      return nullptr;
    }
    CollectIgnoreFields(body, hash_options_.ignore_fields);
    const std::string_view content = epcis_document ? "eventList" : "queryResults";
    for (const auto& [key, value] : *body) {
      (void)value;
      if (View(key) != content) pending_keys_.push_back({View(key), "epcisBody", "epcisBody"});
    }
    return body;
  }

  json::array* EventList(json::object& holder, const Path& path) {
    json::value* list = holder.if_contains("eventList");
    if (list == nullptr) {
      Fail(path.Key("eventList"), "eventList is required");
      return nullptr;
    }
    if (!list->is_array()) {
      Fail(path.Key("eventList"), fmt::format("must be an array, not {}", KindOf(*list)));
      return nullptr;
    }
    return &list->get_array();
  }

  void Header(const json::value& v, const Path& path) {
    const json::object* header = v.if_object();
    if (header == nullptr) {
      Fail(path, fmt::format("must be an object, not {}", KindOf(v)));
      return;
    }
    CollectIgnoreFields(header, hash_options_.ignore_fields);
    for (const auto& [key, value] : *header) {
      const std::string_view name = View(key);
      if (name != "epcisMasterData") {
        pending_keys_.push_back({name, "epcisHeader", "epcisHeader"});
        continue;
      }
      const Path data_path = path.Key(name);
      const json::object* data = value.if_object();
      if (data == nullptr) {
        Fail(data_path, fmt::format("must be an object, not {}", KindOf(value)));
        continue;
      }
      if (const json::value* list = data->if_contains("vocabularyList")) {
        vocabulary_list_ = list;
        vocabulary_list_in_header_ = true;
      }
    }
  }

  // Master data: vocabularies with their elements, checked and read into result_.master_data
  // once the document's context is known (attribute ids may be CURIEs).
  void VocabularyList(const json::value& v, const Path& path) {
    const json::array* list = v.if_array();
    if (list == nullptr) {
      Fail(path, fmt::format("must be an array, not {}", KindOf(v)));
      return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Path vocabulary_path = path.Index(i);
      const json::object* vocabulary = (*list)[i].if_object();
      if (vocabulary == nullptr) {
        Fail(vocabulary_path, fmt::format("must be an object, not {}", KindOf((*list)[i])));
        continue;
      }
      std::optional<std::string> type;
      if (const json::value* type_value = vocabulary->if_contains("type")) {
        type = ExpandedUri(*type_value, vocabulary_path.Key("type"));
      } else {
        Fail(vocabulary_path.Key("type"), "type (the vocabulary type URI) is required");
      }
      const json::value* elements = vocabulary->if_contains("vocabularyElementList");
      if (elements == nullptr) continue;
      const Path elements_path = vocabulary_path.Key("vocabularyElementList");
      const json::array* element_list = elements->if_array();
      if (element_list == nullptr) {
        Fail(elements_path, fmt::format("must be an array, not {}", KindOf(*elements)));
        continue;
      }
      for (std::size_t e = 0; e < element_list->size(); ++e) {
        std::optional<VocabularyElement> element =
            VocabularyElementOf((*element_list)[e], elements_path.Index(e));
        if (element.has_value() && type.has_value()) {
          element->type = *type;
          result_.master_data.push_back(std::move(*element));
        }
      }
    }
  }

  // A URI, or a CURIE whose prefix the context declares, expanded; nullopt after reporting.
  std::optional<std::string> ExpandedUri(const json::value& v, const Path& path) {
    if (!v.is_string()) {
      Fail(path, fmt::format("must be a URI (a string), not {}", KindOf(v)));
      return std::nullopt;
    }
    const std::string_view s = View(v.get_string());
    if (!IsUri(s)) {
      Fail(path, Quote(s) + " is not a URI");
      return std::nullopt;
    }
    const std::size_t colon = s.find(':');
    const std::string_view rest = s.substr(colon + 1);
    if (const std::string* iri = context_.FindPrefix(s.substr(0, colon));
        iri != nullptr && !rest.starts_with("//")) {
      return *iri + std::string(rest);
    }
    return std::string(s);
  }

  // An element id or child: a checked identifier in canonical form.
  std::optional<std::string> ElementIdentifier(const json::value& v, const Path& path) {
    if (!v.is_string()) {
      Fail(path, fmt::format("must be a URI (a string), not {}", KindOf(v)));
      return std::nullopt;
    }
    const std::string_view uri = View(v.get_string());
    if (!IsUri(uri)) {
      Fail(path, Quote(uri) + " is not a URI");
      return std::nullopt;
    }
    core::Result<std::string> canonical = internal::CheckedCanonicalIdentifier(uri);
    if (!canonical.ok()) {
      Fail(path, fmt::format("{} is not a valid {}: {}", Quote(uri),
                             internal::ClassifyIdentifier(uri) == internal::IdentifierForm::kEpcUrn
                                 ? "EPC URN"
                                 : "GS1 Digital Link",
                             canonical.error().message));
      return std::nullopt;
    }
    return std::move(canonical).value();
  }

  std::optional<VocabularyElement> VocabularyElementOf(const json::value& v, const Path& path) {
    const json::object* object = v.if_object();
    if (object == nullptr) {
      Fail(path, fmt::format("must be an object, not {}", KindOf(v)));
      return std::nullopt;
    }
    bool ok = true;
    VocabularyElement element;
    if (const json::value* id = object->if_contains("id")) {
      std::optional<std::string> canonical = ElementIdentifier(*id, path.Key("id"));
      ok = canonical.has_value();
      if (ok) element.id = std::move(*canonical);
    } else {
      Fail(path.Key("id"), "id is required");
      ok = false;
    }
    if (const json::value* attributes = object->if_contains("attributes")) {
      ok = Attributes(*attributes, path.Key("attributes"), element) && ok;
    }
    if (const json::value* children = object->if_contains("children")) {
      const Path children_path = path.Key("children");
      element.has_children = true;
      const json::array* list = children->if_array();
      if (list == nullptr) {
        Fail(children_path, fmt::format("must be an array of URIs, not {}", KindOf(*children)));
        ok = false;
      } else {
        for (std::size_t c = 0; c < list->size(); ++c) {
          std::optional<std::string> child = ElementIdentifier((*list)[c], children_path.Index(c));
          if (!child.has_value()) {
            ok = false;
          } else if (std::find(element.children.begin(), element.children.end(), *child) ==
                     element.children.end()) {
            element.children.push_back(std::move(*child));
          }
        }
      }
    }
    if (!ok) return std::nullopt;
    return element;
  }

  bool Attributes(const json::value& v, const Path& path, VocabularyElement& element) {
    const json::array* list = v.if_array();
    if (list == nullptr) {
      Fail(path, fmt::format("must be an array, not {}", KindOf(v)));
      return false;
    }
    bool ok = true;
    for (std::size_t a = 0; a < list->size(); ++a) {
      const Path attribute_path = path.Index(a);
      const json::object* attribute = (*list)[a].if_object();
      if (attribute == nullptr) {
        Fail(attribute_path,
             fmt::format("must be an object (id, attribute), not {}", KindOf((*list)[a])));
        ok = false;
        continue;
      }
      std::optional<std::string> id;
      if (const json::value* id_value = attribute->if_contains("id")) {
        id = AttributeName(*id_value, attribute_path.Key("id"));
      } else {
        Fail(attribute_path.Key("id"), "id (the attribute name) is required");
      }
      const json::value* value = attribute->if_contains("attribute");
      if (value != nullptr && !IsNumber(*value) && !value->is_string() && !value->is_object()) {
        Fail(attribute_path.Key("attribute"),
             fmt::format("must be a number, a string or an object, not {}", KindOf(*value)));
        ok = false;
        continue;
      }
      if (!id.has_value()) {
        ok = false;
        continue;
      }
      // An attribute without a value is one whose value is null, which HASATTR_ does not count.
      element.attributes.push_back(
          {.id = std::move(*id), .value = value != nullptr ? *value : json::value()});
    }
    return ok;
  }

  // An attribute id: an absolute IRI, or a CURIE whose prefix the context declares, expanded.
  std::optional<std::string> AttributeName(const json::value& v, const Path& path) {
    if (!v.is_string()) {
      Fail(path, fmt::format("must be a URI (a string), not {}", KindOf(v)));
      return std::nullopt;
    }
    const std::string_view s = View(v.get_string());
    const std::size_t colon = s.find(':');
    if (colon == std::string_view::npos || colon == 0 || !IsUri(s)) {
      Fail(path, Quote(s) +
                     " is not an attribute name: a URI, or a CURIE with a prefix declared in "
                     "@context (\"cbvmda:sst\")");
      return std::nullopt;
    }
    const std::string_view prefix = s.substr(0, colon);
    const std::string_view rest = s.substr(colon + 1);
    if (const std::string* iri = context_.FindPrefix(prefix); iri != nullptr) {
      return CanonicalAttributeName(*iri + std::string(rest));
    }
    if (rest.starts_with("//") || prefix == "urn") return CanonicalAttributeName(s);
    Fail(path, fmt::format("the prefix \"{}\" of attribute name {} is not declared in @context",
                           prefix, Quote(s)));
    return std::nullopt;
  }

  json::array* QueryDocument(json::object& doc) {
    json::object* body = DocumentMembers(doc, DocumentKind::kQueryDocument);
    if (body == nullptr) return nullptr;
    const Path root;
    const Path body_path = root.Key("epcisBody");
    const Path results_path = body_path.Key("queryResults");
    json::value* results_value = body->if_contains("queryResults");
    if (results_value == nullptr || !results_value->is_object()) {
      Fail(results_path, results_value == nullptr ? std::string("queryResults is required")
                                                  : std::string("must be an object"));
      return nullptr;
    }
    json::object& results = results_value->get_object();
    CollectIgnoreFields(&results, hash_options_.ignore_fields);
    bool has_name = false;
    for (const auto& [key, value] : results) {
      const std::string_view name = View(key);
      if (name == "queryName") {
        has_name = true;
        OptionalString(value, results_path.Key(name));
      } else if (name == "subscriptionID") {
        OptionalString(value, results_path.Key(name));
      } else if (name != "resultsBody") {
        pending_keys_.push_back({name, "epcisBody.queryResults", "queryResults"});
      }
    }
    if (!has_name) Fail(results_path.Key("queryName"), "queryName is required");
    const Path body2_path = results_path.Key("resultsBody");
    json::value* results_body_value = results.if_contains("resultsBody");
    if (results_body_value == nullptr || !results_body_value->is_object()) {
      Fail(body2_path, results_body_value == nullptr ? std::string("resultsBody is required")
                                                     : std::string("must be an object"));
      return nullptr;
    }
    json::object& results_body = results_body_value->get_object();
    CollectIgnoreFields(&results_body, hash_options_.ignore_fields);
    for (const auto& [key, value] : results_body) {
      const std::string_view name = View(key);
      if (name == "vocabularyList") {
        vocabulary_list_ = &value;
        vocabulary_list_in_header_ = false;
      } else if (name != "eventList") {
        pending_keys_.push_back({name, "epcisBody.queryResults.resultsBody", "resultsBody"});
      }
    }
    return EventList(results_body, body2_path);
  }

  // The document's @context: required, naming the EPCIS context; then the members that wait
  // for the prefixes it declares.
  void ReadDocumentContext(const json::object& doc, bool bare_event) {
    const Path root;
    const Path path = root.Key("@context");
    const json::value* context = doc.if_contains("@context");
    if (context == nullptr) {
      // A document's missing @context is reported with its other required members.
      if (bare_event) Fail(path, "@context is required");
    } else {
      ContextReader reader(-1, sink_);
      reader.Read(*context, path, context_, &declared_);
      if (!reader.has_standard()) {
        Fail(path, fmt::format("@context must name the EPCIS 2.0 context \"{}\"; other "
                               "contexts are never fetched",
                               kEpcisContext));
      }
    }
    // Extension members of the document, checked now that the prefixes are known.
    for (const PendingKey& pending : pending_keys_) {
      const Path parent(pending.parent);
      ExtensionKey(pending.key, parent.Key(pending.key), pending.owner);
    }
    if (vocabulary_list_ != nullptr) {
      if (vocabulary_list_in_header_) {
        VocabularyList(*vocabulary_list_,
                       root.Key("epcisHeader").Key("epcisMasterData").Key("vocabularyList"));
      } else {
        VocabularyList(
            *vocabulary_list_,
            root.Key("epcisBody").Key("queryResults").Key("resultsBody").Key("vocabularyList"));
      }
    }
  }

  void DecodeEvents(std::span<json::value> events, bool bare_event) {
    result_.events.reserve(events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
      // Without keep_valid_events one issue refuses the document, so a full sink ends the work.
      if (sink_.full() && !options_.keep_valid_events) return;
      const std::size_t issues_before = sink_.count();
      std::optional<Event> event = DecodeEvent(events[i], static_cast<int>(i), bare_event);
      if (sink_.count() != issues_before) {
        if (options_.keep_valid_events) result_.rejected_events.push_back(i);
        continue;
      }
      if (event.has_value()) result_.events.push_back(std::move(*event));
    }
  }

  // One event of the document, or nullopt when it has issues or (without keep_valid_events)
  // an earlier event had some, which makes decoding it to the end pointless.
  std::optional<Event> DecodeEvent(json::value& value, int index, bool bare_event) {
    const Path root;
    const std::size_t issues_before = sink_.count();
    json::object* o = value.if_object();
    if (o == nullptr) {
      sink_.Add(index, root, fmt::format("an event must be an object, not {}", KindOf(value)));
      return std::nullopt;
    }
    const JsonLdContext* context = &context_;
    std::optional<JsonLdContext> own;  // only for an event with a context of its own
    if (!bare_event) {
      if (const json::value* c = o->if_contains("@context")) {
        own.emplace(context_);
        ContextReader(index, sink_).Read(*c, root.Key("@context"), *own, nullptr);
        context = &*own;
      }
    }
    Event event;
    EventDecoder decoder(index, *context, sink_, identifiers_);
    if (!decoder.Decode(*o, event) || sink_.count() != issues_before ||
        (sink_.any() && !options_.keep_valid_events)) {
      return std::nullopt;
    }
    if (!decoder.has_event_id()) {
      core::Result<std::string> id = EventHashId(*o, *context, hash_options_);
      if (!id.ok()) {
        sink_.Add(index, root, "cannot compute the event hash ID: " + id.error().message);
        return std::nullopt;
      }
      event.event_id = std::move(id).value();
    }
    event.record_time = options_.record_time;
    event.json = std::move(*o);
    FinishJson(event);
    return event;
  }

  // The stored JSON: the event as sent, with the document prefixes it uses, its eventID and
  // the repository's recordTime.
  void FinishJson(Event& event) {
    json::object& o = event.json;
    if (!declared_.empty()) {
      std::vector<bool> used(declared_.size(), false);
      CollectUsedPrefixes(o, declared_, used);
      if (const json::value* own = o.if_contains("@context")) {
        UnmarkOwnPrefixes(*own, declared_, used);
      }
      if (std::find(used.begin(), used.end(), true) != used.end()) {
        json::object declarations;
        for (std::size_t i = 0; i < declared_.size(); ++i) {
          if (used[i]) declarations[declared_[i].first] = declared_[i].second;
        }
        json::array context;
        context.emplace_back(std::move(declarations));
        if (json::value* own = o.if_contains("@context")) {
          if (json::array* items = own->if_array()) {
            for (json::value& item : *items) context.push_back(std::move(item));
          } else {
            context.push_back(std::move(*own));
          }
          o.erase("@context");
        }
        json::object rebuilt;
        rebuilt.reserve(o.size() + 3);
        rebuilt.emplace("@context", std::move(context));
        for (auto& [key, value] : o) rebuilt.emplace(key, std::move(value));
        o = std::move(rebuilt);
      }
    }
    if (!o.contains("eventID")) o.emplace("eventID", event.event_id);
    o["recordTime"] = record_time_text_;
  }

  const DecodeOptions& options_;
  DecodeResult& result_;
  IssueSink sink_;
  JsonLdContext context_;
  Namespaces declared_;
  HashOptions hash_options_;
  IdentifierCache identifiers_;
  std::string record_time_text_;
  // Members of the document that are not standard fields, checked as extension terms once the
  // document's context is read.
  struct PendingKey {
    std::string_view key;
    std::string_view parent;  // path of the object holding it
    std::string_view owner;   // for messages
  };
  std::vector<PendingKey> pending_keys_;
  // The master data's vocabularyList, read once the context is known; in the epcisHeader of an
  // EPCISDocument or the resultsBody of an EPCISQueryDocument.
  const json::value* vocabulary_list_ = nullptr;
  bool vocabulary_list_in_header_ = false;
};

// ---- Encoding -------------------------------------------------------------------------------

// A basic_parser handler that only checks the syntax.
class SyntaxOnlyHandler {
 public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return true; }
  bool on_object_end(std::size_t, json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t, json::error_code&) { return true; }
  bool on_key_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_key(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t, json::string_view, json::error_code&) { return true; }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return true; }
  bool on_double(double, json::string_view, json::error_code&) { return true; }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

// True when `text` is one JSON object and nothing else.
bool IsJsonObjectText(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '{') return false;
  json::parse_options options;
  options.max_depth = 64;  // as the decoder allows
  json::basic_parser<SyntaxOnlyHandler> parser(options);
  json::error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  return !ec && used == text.size();
}

void AppendJsonString(std::string_view s, std::string& out) {
  out += json::serialize(json::string_view(s.data(), s.size()));
}

// The identifier fields of an event, where EpcFormat applies.
constexpr std::string_view kIdListFields[] = {"epcList", "childEPCs", "inputEPCList",
                                              "outputEPCList"};
constexpr std::string_view kQuantityListFields[] = {"quantityList", "childQuantityList",
                                                    "inputQuantityList", "outputQuantityList"};

class IdentifierTranslator {
 public:
  explicit IdentifierTranslator(const EncodeOptions& options) : options_(options) {}

  bool active() const {
    return options_.epc_format == EpcFormat::kAlwaysDigitalLink ||
           (options_.epc_format == EpcFormat::kAlwaysEpcUrn && options_.gcp_lengths != nullptr);
  }

  void TranslateEvent(json::object& event) const {
    for (std::string_view name : kIdListFields) {
      if (json::value* list = event.if_contains(name); list != nullptr && list->is_array()) {
        for (json::value& id : list->get_array()) Translate(id);
        DropRepeats(list->get_array());
      }
    }
    if (json::value* parent = event.if_contains("parentID")) Translate(*parent);
    for (std::string_view name : kQuantityListFields) {
      if (json::value* list = event.if_contains(name); list != nullptr && list->is_array()) {
        for (json::value& q : list->get_array()) {
          if (json::object* o = q.if_object()) {
            if (json::value* c = o->if_contains("epcClass")) Translate(*c);
          }
        }
      }
    }
    for (std::string_view name : {"readPoint", "bizLocation"}) {
      if (json::value* location = event.if_contains(name); location && location->is_object()) {
        if (json::value* id = location->get_object().if_contains("id")) Translate(*id);
      }
    }
    for (auto [list_name, key] :
         {std::pair<std::string_view, std::string_view>{"sourceList", "source"},
          {"destinationList", "destination"}}) {
      if (json::value* list = event.if_contains(list_name); list != nullptr && list->is_array()) {
        for (json::value& item : list->get_array()) {
          if (json::object* o = item.if_object()) {
            if (json::value* id = o->if_contains(key)) Translate(*id);
          }
        }
      }
    }
  }

 private:
  // An EPC URN and a Digital Link of one object become the same text, which an EPC list must
  // not repeat (the schema's uniqueItems): the later copies go.
  static void DropRepeats(json::array& ids) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (std::find(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(kept), ids[i]) ==
          ids.begin() + static_cast<std::ptrdiff_t>(kept)) {
        if (kept != i) ids[kept] = std::move(ids[i]);
        ++kept;
      }
    }
    ids.resize(kept);
  }

  void Translate(json::value& v) const {
    const json::string* s = v.if_string();
    if (s == nullptr) return;
    const std::string_view text = View(*s);
    const internal::IdentifierForm form = internal::ClassifyIdentifier(text);
    if (options_.epc_format == EpcFormat::kAlwaysDigitalLink) {
      if (form != internal::IdentifierForm::kEpcUrn) return;
      core::Result<std::string> dl = internal::CheckedCanonicalIdentifier(text);
      if (dl.ok()) v = *dl;
      return;
    }
    if (form != internal::IdentifierForm::kDigitalLink &&
        form != internal::IdentifierForm::kCustomDigitalLink) {
      return;
    }
    gs1::DigitalLinkOptions dl_options;
    dl_options.permit_zero_suppressed_gtin = true;
    dl_options.validate_associations = false;
    core::Result<gs1::DigitalLink> dl = gs1::ParseDigitalLink(text, dl_options);
    if (!dl.ok()) return;
    core::Result<std::string> urn = gs1::DigitalLinkToEpcUrn(*dl, *options_.gcp_lengths);
    if (urn.ok()) v = *urn;
  }

  const EncodeOptions& options_;
};

}  // namespace

DecodeResult DecodeDocument(std::string_view json, const DecodeOptions& options) {
  DecodeResult result;
  DocumentDecoder(options, result).Decode(json);
  return result;
}

core::Result<std::string> EncodeQueryDocument(std::span<const std::string> event_jsons,
                                              const EncodeOptions& options) {
  std::size_t total = 0;
  for (const std::string& e : event_jsons) total += e.size() + 1;
  std::string out;
  out.reserve(total + 512);
  out += "{\"@context\":[\"";
  out += kEpcisContext;
  out += '"';
  if (!options.namespaces.empty()) {
    out += ",{";
    bool first = true;
    for (const auto& [prefix, iri] : options.namespaces) {
      if (!first) out += ',';
      first = false;
      AppendJsonString(prefix, out);
      out += ':';
      AppendJsonString(iri, out);
    }
    out += '}';
  }
  out += "],\"type\":\"EPCISQueryDocument\",\"schemaVersion\":\"2.0\"";
  if (options.creation_date.has_value()) {
    out += ",\"creationDate\":\"";
    out += core::FormatRfc3339(*options.creation_date);
    out += '"';
  }
  out += ",\"epcisBody\":{\"queryResults\":{\"queryName\":";
  AppendJsonString(options.query_name, out);
  if (!options.subscription_id.empty()) {
    out += ",\"subscriptionID\":";
    AppendJsonString(options.subscription_id, out);
  }
  out += ",\"resultsBody\":{\"eventList\":[";
  const IdentifierTranslator translator(options);
  for (std::size_t i = 0; i < event_jsons.size(); ++i) {
    if (i > 0) out += ',';
    const std::string& text = event_jsons[i];
    if (!translator.active()) {
      if (!IsJsonObjectText(text)) {
        return core::Internal(fmt::format("stored event {} is not a JSON object", i));
      }
      out += text;
      continue;
    }
    core::Result<json::value> event = internal::ParsePreciseJson(text);
    if (!event.ok() || !event->is_object()) {
      return core::Internal(fmt::format("stored event {} is not a JSON object", i));
    }
    translator.TranslateEvent(event->get_object());
    out += json::serialize(*event);
  }
  out += "]}}}}";
  return out;
}

std::string EncodeMasterDataDocument(std::span<const VocabularyElement> elements,
                                     const EncodeOptions& options) {
  json::array context;
  context.emplace_back(kEpcisContext);
  if (!options.namespaces.empty()) {
    json::object declarations;
    for (const auto& [prefix, iri] : options.namespaces) declarations[prefix] = iri;
    context.emplace_back(std::move(declarations));
  }
  json::array vocabularies;
  std::vector<std::string_view> types;
  for (const VocabularyElement& element : elements) {
    if (std::find(types.begin(), types.end(), element.type) == types.end()) {
      types.push_back(element.type);
    }
  }
  for (std::string_view type : types) {
    json::array list;
    for (const VocabularyElement& element : elements) {
      if (element.type == type) list.emplace_back(VocabularyElementJson(element));
    }
    vocabularies.emplace_back(
        json::object{{"type", type}, {"vocabularyElementList", std::move(list)}});
  }
  json::object doc;
  doc["@context"] = std::move(context);
  doc["type"] = "EPCISQueryDocument";
  doc["schemaVersion"] = "2.0";
  if (options.creation_date.has_value()) {
    doc["creationDate"] = core::FormatRfc3339(*options.creation_date);
  }
  json::object results{{"queryName", "SimpleMasterDataQuery"}};
  if (!options.subscription_id.empty()) results["subscriptionID"] = options.subscription_id;
  results["resultsBody"] =
      json::object{{"eventList", json::array()}, {"vocabularyList", std::move(vocabularies)}};
  doc["epcisBody"] = json::object{{"queryResults", std::move(results)}};
  return json::serialize(doc);
}

}  // namespace vntrace::epcis
