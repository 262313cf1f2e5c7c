#include "epcis/xml_document.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <boost/json.hpp>
#include <pugixml.hpp>

#include "epcis/event_hash.hpp"
#include "epcis/internal/canonical.hpp"
#include "epcis/internal/precise_json.hpp"
#include "epcis/query.hpp"

namespace vntrace::epcis {
namespace {

namespace json = boost::json;

constexpr std::string_view kEpcisContextUrl =
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
constexpr std::string_view kXsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
constexpr std::string_view kXsdNamespace = "http://www.w3.org/2001/XMLSchema";
constexpr std::string_view kEpcis2 = "urn:epcglobal:epcis:xsd:2";
constexpr std::string_view kEpcis1 = "urn:epcglobal:epcis:xsd:1";
constexpr std::string_view kQuery2 = "urn:epcglobal:epcis-query:xsd:2";
constexpr std::string_view kQuery1 = "urn:epcglobal:epcis-query:xsd:1";
constexpr std::string_view kSbdh =
    "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader";

bool IsEpcisNamespace(std::string_view ns) {
  return ns == kEpcis2 || ns == kEpcis1 || ns == kQuery2 || ns == kQuery1;
}

std::string_view Trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view LocalName(std::string_view qname) {
  const std::size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

std::string_view PrefixOf(std::string_view qname) {
  const std::size_t colon = qname.find(':');
  return colon == std::string_view::npos ? std::string_view{} : qname.substr(0, colon);
}

// The text content of an element (its PCDATA and CDATA children), trimmed.
std::string Text(const pugi::xml_node& node) {
  std::string out;
  for (const pugi::xml_node& child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      out += child.value();
    }
  }
  return std::string(Trim(out));
}

bool HasElementChildren(const pugi::xml_node& node) {
  for (const pugi::xml_node& child : node.children()) {
    if (child.type() == pugi::node_element) return true;
  }
  return false;
}

// A JSON number from an xsd:decimal/double lexical form, or nullopt.
std::optional<json::value> NumberOf(std::string_view text) {
  std::string s(Trim(text));
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.erase(0, 1);
  const bool negative = !s.empty() && s.front() == '-';
  const std::size_t start = negative ? 1 : 0;
  if (s.size() > start && s[start] == '.') s.insert(start, "0");
  if (!s.empty() && s.back() == '.') s += '0';
  // Leading zeros are not JSON: "0012" → "12".
  while (s.size() > start + 1 && s[start] == '0' && s[start + 1] >= '0' && s[start + 1] <= '9') {
    s.erase(start, 1);
  }
  core::Result<json::value> v = internal::ParsePreciseJson(s);
  if (!v.ok() || !(v->is_int64() || v->is_uint64() || v->is_double())) return std::nullopt;
  return *v;
}

// ---- XML → JSON-LD ---------------------------------------------------------------------------

// Maps XML namespaces (by URI) to the prefixes of the JSON-LD twin's @context.
class PrefixTable {
 public:
  PrefixTable() = default;

  // The prefix for `uri`, preferring `wanted` (the XML prefix) when it is free.
  std::string PrefixFor(std::string_view uri, std::string_view wanted) {
    for (const auto& [prefix, iri] : declared_) {
      if (iri == uri) return prefix;
    }
    // A namespace of the EPCIS context keeps that context's prefix ("cbvmda:lotNumber").
    for (std::string_view standard :
         {"cbvmda", "gs1", "cbv", "epcis", "rdfs", "owl", "xsd", "dcterms"}) {
      const std::string* iri = standard_.FindPrefix(standard);
      if (iri != nullptr && *iri == uri && !reserved_.contains(standard)) {
        return std::string(standard);
      }
    }
    std::string prefix(wanted);
    if (prefix.empty() || !Free(prefix, uri)) {
      for (int n = 1;; ++n) {
        prefix = fmt::format("ns{}", n);
        if (Free(prefix, uri)) break;
      }
    }
    declared_.emplace_back(prefix, std::string(uri));
    return prefix;
  }

  const std::vector<std::pair<std::string, std::string>>& declared() const { return declared_; }

  // A word that values use as a URI scheme ("example:x" in a sensor type): declaring it as a
  // JSON-LD prefix would turn those literal URIs into IRIs of the namespace.
  void Reserve(std::string scheme) { reserved_.insert(std::move(scheme)); }

 private:
  bool Free(const std::string& prefix, std::string_view uri) const {
    for (const auto& [p, iri] : declared_) {
      if (p == prefix) return false;
    }
    if (reserved_.contains(prefix)) return false;
    const std::string* standard = standard_.FindPrefix(prefix);
    return standard == nullptr || *standard == uri;
  }

  JsonLdContext standard_;
  std::vector<std::pair<std::string, std::string>> declared_;
  std::set<std::string, std::less<>> reserved_;
};

class XmlReader {
 public:
  // What the last failure was, with the event it was in.
  const ValidationIssue& failure() const { return failure_; }

  // The JSON-LD twin, or the first problem.
  core::Result<json::object> Read(const pugi::xml_document& doc) {
    const pugi::xml_node root = doc.document_element();
    if (!root) return core::InvalidArgument("the XML document has no root element");
    ReserveSchemes(root);
    Scope scope(*this, root);
    const std::string ns = NamespaceOf(root);
    const std::string_view name = LocalName(root.name());
    json::object out;
    const bool query = name == "EPCISQueryDocument";
    if (!(name == "EPCISDocument" || query || name == "EPCISMasterDataDocument") ||
        !(IsEpcisNamespace(ns) || IsMasterDataNamespace(ns))) {
      return Fail(fmt::format(
          "the root element is {{{}}}{}, not an EPCISDocument or EPCISQueryDocument of the "
          "EPCIS 2.0 or 1.2 XML schema",
          ns, name));
    }
    if (name == "EPCISMasterDataDocument" && IsMasterDataNamespace(ns)) {
      // EPCIS 2.0 JSON has no master data document: its vocabularies go in the header of an
      // EPCISDocument without events, as the JSON binding carries master data.
      return MasterDataDocument(root);
    }
    out["type"] = query ? "EPCISQueryDocument" : "EPCISDocument";
    const pugi::xml_attribute version = root.attribute("schemaVersion");
    // EPCIS 1.x documents are mapped to 2.0 (the standard's section 11 mapping).
    out["schemaVersion"] = "2.0";
    if (!version) return Fail("EPCISDocument: the schemaVersion attribute is required");
    if (const pugi::xml_attribute created = root.attribute("creationDate")) {
      out["creationDate"] = Trim(created.value());
    }
    json::object body;
    for (const pugi::xml_node& child : root.children()) {
      if (child.type() != pugi::node_element) continue;
      Scope child_scope(*this, child);
      const std::string child_ns = NamespaceOf(child);
      const std::string_view local = LocalName(child.name());
      if (IsStandard(child_ns) && local == "EPCISHeader") {
        VNTRACE_RETURN_IF_ERROR(Header(child, out));
      } else if (IsStandard(child_ns) && local == "EPCISBody") {
        VNTRACE_RETURN_IF_ERROR(Body(child, query, body));
      } else if (IsStandard(child_ns) && local == "extension") {
        VNTRACE_RETURN_IF_ERROR(ExtensionsOf(child, out));
      } else if (!IsStandard(child_ns)) {
        VNTRACE_RETURN_IF_ERROR(Extension(child, out));
      } else if (query &&
                 (local == "queryName" || local == "subscriptionID" || local == "resultsBody")) {
        // Tolerated: query results written without EPCISBody/QueryResults around them.
        json::value& results = body["queryResults"];
        if (!results.is_object()) results.emplace_object();
        VNTRACE_RETURN_IF_ERROR(QueryResultsMember(child, results.get_object()));
      } else {
        return Unknown(child);
      }
    }
    return Finish(std::move(out), std::move(body));
  }

 private:
  json::object Finish(json::object out, json::object body) {
    out["epcisBody"] = std::move(body);
    json::array context;
    context.emplace_back(kEpcisContextUrl);
    if (!prefixes_.declared().empty()) {
      json::object declared;
      for (const auto& [prefix, iri] : prefixes_.declared()) declared[prefix] = iri;
      context.emplace_back(std::move(declared));
    }
    json::object doc_out;
    doc_out["@context"] = std::move(context);
    for (auto& [k, v] : out) doc_out[k] = std::move(v);
    return doc_out;
  }

  static bool IsMasterDataNamespace(std::string_view ns) {
    return ns == "urn:epcglobal:epcis-masterdata:xsd:2" ||
           ns == "urn:epcglobal:epcis-masterdata:xsd:1";
  }

  core::Result<json::object> MasterDataDocument(const pugi::xml_node& root) {
    json::object out;
    out["type"] = "EPCISDocument";
    out["schemaVersion"] = "2.0";
    if (const pugi::xml_attribute created = root.attribute("creationDate")) {
      out["creationDate"] = Trim(created.value());
    }
    for (const pugi::xml_node& child : root.children()) {
      if (child.type() != pugi::node_element) continue;
      Scope scope(*this, child);
      const std::string_view local = LocalName(child.name());
      const std::string ns = NamespaceOf(child);
      if (local == "EPCISHeader" || local == "EPCISBody") {
        VNTRACE_RETURN_IF_ERROR(Header(child, out));
      } else if (ns != kSbdh && local != "extension") {
        return Unknown(child);
      }
    }
    json::object body;
    body["eventList"] = json::array();
    return Finish(std::move(out), std::move(body));
  }
  // The URI schemes of every attribute value and text, walked without recursion.
  void ReserveSchemes(const pugi::xml_node& root) {
    const auto scheme = [this](std::string_view value) {
      value = Trim(value);
      const std::size_t colon = value.find(':');
      if (colon == 0 || colon == std::string_view::npos || colon > 64) return;
      for (char c : value.substr(0, colon)) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
          return;
        }
      }
      prefixes_.Reserve(std::string(value.substr(0, colon)));
    };
    pugi::xml_node node = root;
    while (node) {
      if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) {
        scheme(node.value());
      }
      for (const pugi::xml_attribute& a : node.attributes()) {
        const std::string_view name = a.name();
        if (name != "xmlns" && !name.starts_with("xmlns:")) scheme(a.value());
      }
      if (node.first_child()) {
        node = node.first_child();
        continue;
      }
      while (node && !node.next_sibling() && node != root) node = node.parent();
      if (!node || node == root) break;
      node = node.next_sibling();
    }
  }

  // Pushes the namespace declarations of an element for as long as it lives.
  class Scope {
   public:
    Scope(XmlReader& reader, const pugi::xml_node& node) : reader_(reader) {
      reader_.path_.emplace_back(LocalName(node.name()));
      for (const pugi::xml_attribute& a : node.attributes()) {
        const std::string_view name = a.name();
        if (name == "xmlns") {
          reader_.bindings_.emplace_back("", a.value());
          ++pushed_;
        } else if (name.starts_with("xmlns:")) {
          reader_.bindings_.emplace_back(std::string(name.substr(6)), a.value());
          ++pushed_;
        }
      }
    }
    ~Scope() {
      reader_.bindings_.resize(reader_.bindings_.size() - pushed_);
      reader_.path_.pop_back();
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    XmlReader& reader_;
    std::size_t pushed_ = 0;
  };

  std::optional<std::string> Resolve(std::string_view prefix) const {
    if (prefix == "xml") return std::string("http://www.w3.org/XML/1998/namespace");
    for (auto it = bindings_.rbegin(); it != bindings_.rend(); ++it) {
      if (it->first == prefix) return it->second;
    }
    if (prefix.empty()) return std::string();
    return std::nullopt;
  }

  std::string NamespaceOf(const pugi::xml_node& node) {
    const std::string_view prefix = PrefixOf(node.name());
    std::optional<std::string> ns = Resolve(prefix);
    if (!ns.has_value()) {
      undeclared_ = std::string(prefix);
      return "urn:vntrace:undeclared-prefix:" + std::string(prefix);
    }
    return *ns;
  }

  // Children of standard elements are unqualified in EPCIS XML; the EPCIS namespaces
  // themselves also count (documents that qualify them).
  static bool IsStandard(std::string_view ns) { return ns.empty() || IsEpcisNamespace(ns); }

  std::string PathText() const {
    std::string out;
    for (const std::string& p : path_) {
      if (!out.empty()) out += '/';
      out += p;
    }
    return out;
  }

  core::Error Fail(std::string message) {
    failure_.event_index = event_index_;
    failure_.field = PathText();
    failure_.message = std::move(message);
    return core::InvalidArgument(failure_.ToString());
  }

  core::Error Unknown(const pugi::xml_node& node) {
    return Fail(
        fmt::format("<{}> is not an element of the EPCIS XML binding here; extension "
                    "elements need a namespace of their own",
                    node.name()));
  }

  // ---- Header and body

  core::Result<bool> Header(const pugi::xml_node& header, json::object& doc) {
    for (const pugi::xml_node& child : header.children()) {
      if (child.type() != pugi::node_element) continue;
      Scope scope(*this, child);
      const std::string ns = NamespaceOf(child);
      const std::string_view local = LocalName(child.name());
      if (ns == kSbdh) continue;  // the Standard Business Document Header has no JSON twin
      if (IsStandard(ns) &&
          (local == "extension" || local == "epcisMasterData" || local == "EPCISMasterData")) {
        VNTRACE_RETURN_IF_ERROR(Header(child, doc));
      } else if (IsStandard(ns) && local == "VocabularyList") {
        json::array vocabularies;
        VNTRACE_RETURN_IF_ERROR(VocabularyList(child, vocabularies));
        json::value& header_value = doc["epcisHeader"];
        if (!header_value.is_object()) header_value.emplace_object();
        json::value& master = header_value.get_object()["epcisMasterData"];
        if (!master.is_object()) master.emplace_object();
        master.get_object()["vocabularyList"] = std::move(vocabularies);
      } else if (!IsStandard(ns)) {
        json::object& h = doc["epcisHeader"].is_object() ? doc["epcisHeader"].get_object()
                                                         : doc["epcisHeader"].emplace_object();
        VNTRACE_RETURN_IF_ERROR(Extension(child, h));
      } else {
        return Unknown(child);
      }
    }
    return true;
  }

  core::Result<bool> VocabularyList(const pugi::xml_node& list, json::array& out) {
    for (const pugi::xml_node& vocabulary : list.children()) {
      if (vocabulary.type() != pugi::node_element) continue;
      Scope scope(*this, vocabulary);
      if (LocalName(vocabulary.name()) != "Vocabulary") return Unknown(vocabulary);
      json::object v;
      v["type"] = Trim(vocabulary.attribute("type").value());
      json::array elements;
      for (const pugi::xml_node& part : vocabulary.children()) {
        if (part.type() != pugi::node_element) continue;
        Scope part_scope(*this, part);
        const std::string_view local = LocalName(part.name());
        if (local == "extension") continue;
        if (local != "VocabularyElementList") return Unknown(part);
        for (const pugi::xml_node& element : part.children()) {
          if (element.type() != pugi::node_element) continue;
          Scope element_scope(*this, element);
          if (LocalName(element.name()) != "VocabularyElement") return Unknown(element);
          VNTRACE_ASSIGN_OR_RETURN(json::object e, VocabularyElement(element));
          elements.emplace_back(std::move(e));
        }
      }
      v["vocabularyElementList"] = std::move(elements);
      out.emplace_back(std::move(v));
    }
    return true;
  }

  core::Result<json::object> VocabularyElement(const pugi::xml_node& element) {
    json::object out;
    out["id"] = Trim(element.attribute("id").value());
    json::array attributes;
    json::array children;
    for (const pugi::xml_node& child : element.children()) {
      if (child.type() != pugi::node_element) continue;
      Scope scope(*this, child);
      const std::string_view local = LocalName(child.name());
      if (local == "attribute") {
        json::object a;
        a["id"] = Trim(child.attribute("id").value());
        VNTRACE_ASSIGN_OR_RETURN(json::value value, ExtensionValue(child, 0));
        a["attribute"] = std::move(value);
        attributes.emplace_back(std::move(a));
      } else if (local == "children") {
        for (const pugi::xml_node& id : child.children("id")) children.emplace_back(Text(id));
      } else if (local == "extension") {
        continue;
      } else {
        return Unknown(child);
      }
    }
    if (!attributes.empty()) out["attributes"] = std::move(attributes);
    if (!children.empty()) out["children"] = std::move(children);
    return out;
  }

  core::Result<bool> Body(const pugi::xml_node& body, bool query, json::object& out) {
    for (const pugi::xml_node& child : body.children()) {
      if (child.type() != pugi::node_element) continue;
      Scope scope(*this, child);
      const std::string ns = NamespaceOf(child);
      const std::string_view local = LocalName(child.name());
      if (IsStandard(ns) && local == "EventList" && !query) {
        json::array events;
        VNTRACE_RETURN_IF_ERROR(EventList(child, events));
        out["eventList"] = std::move(events);
      } else if (IsStandard(ns) && local == "QueryResults" && query) {
        json::object results;
        VNTRACE_RETURN_IF_ERROR(QueryResults(child, results));
        out["queryResults"] = std::move(results);
      } else if (IsStandard(ns) && local == "extension") {
        VNTRACE_RETURN_IF_ERROR(Body(child, query, out));
      } else if (!IsStandard(ns)) {
        VNTRACE_RETURN_IF_ERROR(Extension(child, out));
      } else {
        return Unknown(child);
      }
    }
    if (!query && !out.contains("eventList")) out["eventList"] = json::array();
    return true;
  }

  core::Result<bool> QueryResults(const pugi::xml_node& results, json::object& out) {
    for (const pugi::xml_node& child : results.children()) {
      if (child.type() != pugi::node_element) continue;
      Scope scope(*this, child);
      VNTRACE_RETURN_IF_ERROR(QueryResultsMember(child, out));
    }
    return true;
  }

  core::Result<bool> QueryResultsMember(const pugi::xml_node& child, json::object& out) {
    const std::string ns = NamespaceOf(child);
    const std::string_view local = LocalName(child.name());
    if (IsStandard(ns) && (local == "queryName" || local == "subscriptionID")) {
      out[local] = Text(child);
    } else if (IsStandard(ns) && local == "resultsBody") {
      json::object body;
      for (const pugi::xml_node& part : child.children()) {
        if (part.type() != pugi::node_element) continue;
        Scope part_scope(*this, part);
        const std::string_view part_local = LocalName(part.name());
        if (part_local == "EventList") {
          json::array events;
          VNTRACE_RETURN_IF_ERROR(EventList(part, events));
          body["eventList"] = std::move(events);
        } else if (part_local == "VocabularyList") {
          json::array vocabularies;
          VNTRACE_RETURN_IF_ERROR(VocabularyList(part, vocabularies));
          body["vocabularyList"] = std::move(vocabularies);
        } else {
          return Unknown(part);
        }
      }
      out["resultsBody"] = std::move(body);
    } else if (IsStandard(ns) && local == "extension") {
      VNTRACE_RETURN_IF_ERROR(QueryResults(child, out));
    } else if (!IsStandard(ns)) {
      VNTRACE_RETURN_IF_ERROR(Extension(child, out));
    } else {
      return Unknown(child);
    }
    return true;
  }

  // EPCIS 1.2 puts TransformationEvent (and later types) inside EventList/extension.
  core::Result<bool> EventList(const pugi::xml_node& list, json::array& out) {
    for (const pugi::xml_node& child : list.children()) {
      if (child.type() != pugi::node_element) continue;
      Scope scope(*this, child);
      const std::string ns = NamespaceOf(child);
      const std::string_view local = LocalName(child.name());
      if (!IsStandard(ns)) {
        return Fail(fmt::format("extension event type <{}> is not supported", child.name()));
      }
      if (local == "extension") {
        VNTRACE_RETURN_IF_ERROR(EventList(child, out));
        continue;
      }
      if (local == "QuantityEvent") {
        return Fail(
            "QuantityEvent (EPCIS 1.0, deprecated) is not supported: write an "
            "ObjectEvent with a quantityList");
      }
      if (!ParseEventType(local).ok()) return Unknown(child);
      event_index_ = static_cast<int>(out.size());
      json::object event;
      event["type"] = local;
      VNTRACE_RETURN_IF_ERROR(EventMembers(child, event));
      out.emplace_back(std::move(event));
      event_index_ = -1;
    }
    return true;
  }

  // ---- Events

  static bool IsCbvField(std::string_view local) {
    return local == "bizStep" || local == "disposition";
  }

  static std::string Cbv(std::string_view value) {
    const std::string_view bare = BareCbvWord(value);
    return std::string(bare);
  }

  static std::string GsVoc(std::string_view value) {
    for (std::string_view head : {"https://gs1.org/voc/", "http://gs1.org/voc/",
                                  "https://www.gs1.org/voc/", "http://www.gs1.org/voc/"}) {
      if (value.starts_with(head)) return "gs1:" + std::string(value.substr(head.size()));
    }
    return std::string(value);
  }

  core::Result<bool> EventMembers(const pugi::xml_node& node, json::object& event) {
    for (const pugi::xml_node& child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      Scope scope(*this, child);
      const std::string ns = NamespaceOf(child);
      const std::string_view local = LocalName(child.name());
      if (!IsStandard(ns)) {
        VNTRACE_RETURN_IF_ERROR(Extension(child, event));
        continue;
      }
      if (local == "extension" || local == "baseExtension") {
        VNTRACE_RETURN_IF_ERROR(EventMembers(child, event));
        continue;
      }
      if (event.contains(local)) {
        return Fail(fmt::format("<{}> appears more than once", local));
      }
      if (local == "eventTime" || local == "recordTime" || local == "eventTimeZoneOffset" ||
          local == "eventID" || local == "certificationInfo" || local == "action" ||
          local == "transformationID" || local == "parentID") {
        event[local] = Text(child);
      } else if (IsCbvField(local)) {
        event[local] = Cbv(Text(child));
      } else if (local == "epcList" || local == "childEPCs" || local == "inputEPCList" ||
                 local == "outputEPCList") {
        json::array epcs;
        for (const pugi::xml_node& epc : child.children()) {
          if (epc.type() != pugi::node_element) continue;
          Scope epc_scope(*this, epc);
          if (LocalName(epc.name()) != "epc") return Unknown(epc);
          epcs.emplace_back(Text(epc));
        }
        event[local] = std::move(epcs);
      } else if (local == "quantityList" || local == "childQuantityList" ||
                 local == "inputQuantityList" || local == "outputQuantityList") {
        VNTRACE_ASSIGN_OR_RETURN(json::array items, QuantityList(child));
        event[local] = std::move(items);
      } else if (local == "readPoint" || local == "bizLocation") {
        VNTRACE_ASSIGN_OR_RETURN(json::object place, Place(child));
        event[local] = std::move(place);
      } else if (local == "bizTransactionList") {
        VNTRACE_ASSIGN_OR_RETURN(json::array list, TypedList(child, "bizTransaction"));
        event[local] = std::move(list);
      } else if (local == "sourceList") {
        VNTRACE_ASSIGN_OR_RETURN(json::array list, TypedList(child, "source"));
        event[local] = std::move(list);
      } else if (local == "destinationList") {
        VNTRACE_ASSIGN_OR_RETURN(json::array list, TypedList(child, "destination"));
        event[local] = std::move(list);
      } else if (local == "persistentDisposition") {
        json::object pd;
        for (const pugi::xml_node& item : child.children()) {
          if (item.type() != pugi::node_element) continue;
          Scope item_scope(*this, item);
          const std::string_view which = LocalName(item.name());
          if (which != "set" && which != "unset") return Unknown(item);
          json::value& list = pd[which];
          if (!list.is_array()) list.emplace_array();
          list.get_array().emplace_back(Cbv(Text(item)));
        }
        event[local] = std::move(pd);
      } else if (local == "errorDeclaration") {
        VNTRACE_ASSIGN_OR_RETURN(json::object declaration, ErrorDeclaration(child));
        event[local] = std::move(declaration);
      } else if (local == "sensorElementList") {
        VNTRACE_ASSIGN_OR_RETURN(json::array list, SensorElementList(child));
        event[local] = std::move(list);
      } else if (local == "ilmd") {
        json::object ilmd;
        VNTRACE_RETURN_IF_ERROR(ExtensionsOf(child, ilmd));
        event[local] = std::move(ilmd);
      } else {
        return Unknown(child);
      }
    }
    return true;
  }

  bool IsNil(const pugi::xml_node& node) const {
    for (const pugi::xml_attribute& a : node.attributes()) {
      const std::string_view name = a.name();
      if (LocalName(name) != "nil" || PrefixOf(name).empty()) continue;
      std::optional<std::string> ns = Resolve(PrefixOf(name));
      if (ns.has_value() && *ns == kXsiNamespace) {
        const std::string_view value = Trim(a.value());
        return value == "true" || value == "1";
      }
    }
    return false;
  }

  core::Result<json::array> QuantityList(const pugi::xml_node& list) {
    json::array out;
    for (const pugi::xml_node& item : list.children()) {
      if (item.type() != pugi::node_element) continue;
      Scope scope(*this, item);
      if (LocalName(item.name()) != "quantityElement") return Unknown(item);
      json::object q;
      for (const pugi::xml_node& field : item.children()) {
        if (field.type() != pugi::node_element) continue;
        Scope field_scope(*this, field);
        const std::string_view local = LocalName(field.name());
        if (local == "epcClass" || local == "uom") {
          q[local] = Text(field);
        } else if (local == "quantity") {
          if (IsNil(field)) continue;  // xsi:nil: no quantity, as JSON omits it
          const std::string text = Text(field);
          std::optional<json::value> number = NumberOf(text);
          // Not a number: kept as text for the decoder to report with its field.
          q[local] = number.has_value() ? *number : json::value(text);
        } else {
          return Unknown(field);
        }
      }
      out.emplace_back(std::move(q));
    }
    return out;
  }

  core::Result<json::object> Place(const pugi::xml_node& node) {
    json::object out;
    for (const pugi::xml_node& child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      Scope scope(*this, child);
      const std::string ns = NamespaceOf(child);
      const std::string_view local = LocalName(child.name());
      if (!IsStandard(ns)) {
        VNTRACE_RETURN_IF_ERROR(Extension(child, out));
      } else if (local == "id") {
        out["id"] = Text(child);
      } else if (local == "extension") {
        VNTRACE_RETURN_IF_ERROR(ExtensionsOf(child, out));
      } else {
        return Unknown(child);
      }
    }
    return out;
  }

  core::Result<json::array> TypedList(const pugi::xml_node& list, std::string_view item_name) {
    json::array out;
    for (const pugi::xml_node& item : list.children()) {
      if (item.type() != pugi::node_element) continue;
      Scope scope(*this, item);
      if (LocalName(item.name()) != item_name) return Unknown(item);
      json::object o;
      if (const pugi::xml_attribute type = item.attribute("type")) {
        o["type"] = Cbv(Trim(type.value()));
      }
      o[item_name] = Text(item);
      out.emplace_back(std::move(o));
    }
    return out;
  }

  core::Result<json::object> ErrorDeclaration(const pugi::xml_node& node) {
    json::object out;
    for (const pugi::xml_node& child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      Scope scope(*this, child);
      const std::string ns = NamespaceOf(child);
      const std::string_view local = LocalName(child.name());
      if (!IsStandard(ns)) {
        VNTRACE_RETURN_IF_ERROR(Extension(child, out));
      } else if (local == "declarationTime") {
        out[local] = Text(child);
      } else if (local == "reason") {
        out[local] = Cbv(Text(child));
      } else if (local == "correctiveEventIDs") {
        json::array ids;
        for (const pugi::xml_node& id : child.children()) {
          if (id.type() != pugi::node_element) continue;
          Scope id_scope(*this, id);
          if (LocalName(id.name()) != "correctiveEventID") return Unknown(id);
          ids.emplace_back(Text(id));
        }
        out[local] = std::move(ids);
      } else if (local == "extension") {
        VNTRACE_RETURN_IF_ERROR(ExtensionsOf(child, out));
      } else {
        return Unknown(child);
      }
    }
    return out;
  }

  static bool IsNumericSensorAttribute(std::string_view name) {
    return name == "value" || name == "minValue" || name == "maxValue" || name == "meanValue" ||
           name == "sDev" || name == "percRank" || name == "percValue";
  }

  // The attributes of sensorMetadata or sensorReport as JSON members.
  core::Result<json::object> SensorAttributes(const pugi::xml_node& node) {
    json::object out;
    for (const pugi::xml_attribute& a : node.attributes()) {
      const std::string_view name = a.name();
      if (name == "xmlns" || name.starts_with("xmlns:")) continue;
      const std::string_view prefix = PrefixOf(name);
      const std::string_view value = Trim(a.value());
      if (!prefix.empty()) {
        std::optional<std::string> ns = Resolve(prefix);
        if (!ns.has_value()) {
          return Fail(fmt::format("attribute {}: the prefix {} is not declared", name, prefix));
        }
        if (*ns == kXsiNamespace) continue;
        out[prefixes_.PrefixFor(*ns, prefix) + ":" + std::string(LocalName(name))] = value;
      } else if (IsNumericSensorAttribute(name)) {
        std::optional<json::value> number = NumberOf(value);
        out[name] = number.has_value() ? *number : json::value(value);
      } else if (name == "booleanValue") {
        if (value == "true" || value == "1") {
          out[name] = true;
        } else if (value == "false" || value == "0") {
          out[name] = false;
        } else {
          out[name] = value;
        }
      } else if (name == "type" || name == "exception") {
        out[name] = GsVoc(value);
      } else {
        out[name] = value;
      }
    }
    return out;
  }

  core::Result<json::array> SensorElementList(const pugi::xml_node& list) {
    json::array out;
    for (const pugi::xml_node& element : list.children()) {
      if (element.type() != pugi::node_element) continue;
      Scope scope(*this, element);
      const std::string_view element_local = LocalName(element.name());
      if (element_local == "extension") continue;
      if (element_local != "sensorElement") return Unknown(element);
      json::object e;
      json::array reports;
      for (const pugi::xml_node& child : element.children()) {
        if (child.type() != pugi::node_element) continue;
        Scope child_scope(*this, child);
        const std::string ns = NamespaceOf(child);
        const std::string_view local = LocalName(child.name());
        if (!IsStandard(ns)) {
          VNTRACE_RETURN_IF_ERROR(Extension(child, e));
        } else if (local == "sensorMetadata") {
          VNTRACE_ASSIGN_OR_RETURN(json::object metadata, SensorAttributes(child));
          e["sensorMetadata"] = std::move(metadata);
        } else if (local == "sensorReport") {
          VNTRACE_ASSIGN_OR_RETURN(json::object report, SensorAttributes(child));
          reports.emplace_back(std::move(report));
        } else if (local == "extension") {
          VNTRACE_RETURN_IF_ERROR(ExtensionsOf(child, e));
        } else {
          return Unknown(child);
        }
      }
      e["sensorReport"] = std::move(reports);
      out.emplace_back(std::move(e));
    }
    return out;
  }

  // ---- Extensions

  // Every child of `node` as an extension member of `out` (1.2 `extension` wrappers and ilmd).
  core::Result<bool> ExtensionsOf(const pugi::xml_node& node, json::object& out) {
    for (const pugi::xml_node& child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      Scope scope(*this, child);
      const std::string ns = NamespaceOf(child);
      if (IsStandard(ns) && LocalName(child.name()) == "extension") {
        VNTRACE_RETURN_IF_ERROR(ExtensionsOf(child, out));
      } else if (IsStandard(ns)) {
        return Unknown(child);
      } else {
        VNTRACE_RETURN_IF_ERROR(Extension(child, out));
      }
    }
    return true;
  }

  // The JSON-LD key of an element: "prefix:local" for a namespaced one, "local" otherwise.
  core::Result<std::string> KeyOf(const pugi::xml_node& node) {
    const std::string ns = NamespaceOf(node);
    if (!undeclared_.empty()) {
      std::string prefix = std::move(undeclared_);
      undeclared_.clear();
      return Fail(fmt::format("the namespace prefix {} is not declared", prefix));
    }
    if (ns.empty()) return std::string(LocalName(node.name()));
    return prefixes_.PrefixFor(ns, PrefixOf(node.name())) + ":" +
           std::string(LocalName(node.name()));
  }

  // Adds one extension element to `out` (a repeated element becomes an array).
  core::Result<bool> Extension(const pugi::xml_node& node, json::object& out) {
    VNTRACE_ASSIGN_OR_RETURN(std::string key, KeyOf(node));
    json::value value;
    if (LocalName(node.name()) == "ignoreFields" && HasElementChildren(node)) {
      // The names of the fields the event hash leaves out, as JSON-LD writes them.
      json::array fields;
      for (const pugi::xml_node& field : node.children()) {
        if (field.type() != pugi::node_element) continue;
        Scope scope(*this, field);
        VNTRACE_ASSIGN_OR_RETURN(std::string name, KeyOf(field));
        fields.emplace_back(name);
      }
      value = std::move(fields);
    } else {
      VNTRACE_ASSIGN_OR_RETURN(json::value v, ExtensionValue(node, 0));
      value = std::move(v);
    }
    Add(out, key, std::move(value));
    return true;
  }

  // A repeated element becomes an array of its values.
  static void Add(json::object& out, const std::string& key, json::value value) {
    json::value* existing = out.if_contains(key);
    if (existing == nullptr) {
      out[key] = std::move(value);
    } else if (existing->is_array()) {
      existing->get_array().emplace_back(std::move(value));
    } else {
      json::array items;
      items.emplace_back(std::move(*existing));
      items.emplace_back(std::move(value));
      *existing = std::move(items);
    }
  }

  // The JSON value of an extension element: an object of its children and attributes, or its
  // text typed by xsi:type (numbers and booleans), else a string.
  core::Result<json::value> ExtensionValue(const pugi::xml_node& node, std::size_t depth) {
    if (depth > kMaxXmlDepth || path_.size() > kMaxXmlDepth) {
      return Fail(fmt::format("elements nested deeper than {}", kMaxXmlDepth));
    }
    json::object members;
    std::optional<std::string> xsi_type;
    for (const pugi::xml_attribute& a : node.attributes()) {
      const std::string_view name = a.name();
      if (name == "xmlns" || name.starts_with("xmlns:")) continue;
      const std::string_view prefix = PrefixOf(name);
      if (prefix.empty()) {
        if (node.name() != std::string_view("attribute") || name != "id") {
          members[LocalName(name)] = Trim(a.value());
        }
        continue;
      }
      std::optional<std::string> ns = Resolve(prefix);
      if (!ns.has_value()) {
        return Fail(fmt::format("attribute {}: the prefix {} is not declared", name, prefix));
      }
      if (*ns == kXsiNamespace) {
        if (LocalName(name) == "type") xsi_type = std::string(Trim(a.value()));
        continue;
      }
      members[prefixes_.PrefixFor(*ns, prefix) + ":" + std::string(LocalName(name))] =
          Trim(a.value());
    }
    bool has_children = false;
    for (const pugi::xml_node& child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      has_children = true;
      Scope scope(*this, child);
      VNTRACE_ASSIGN_OR_RETURN(std::string key, KeyOf(child));
      VNTRACE_ASSIGN_OR_RETURN(json::value v, ExtensionValue(child, depth + 1));
      Add(members, key, std::move(v));
    }
    if (has_children || !members.empty()) {
      if (!has_children) {
        const std::string text = Text(node);
        if (!text.empty()) members["@value"] = text;
      }
      return json::value(std::move(members));
    }
    const std::string text = Text(node);
    if (xsi_type.has_value()) {
      const std::string_view type = LocalName(*xsi_type);
      std::optional<std::string> type_ns = Resolve(PrefixOf(*xsi_type));
      if (type_ns.has_value() && *type_ns == kXsdNamespace) {
        if (type == "boolean") {
          if (text == "true" || text == "1") return json::value(true);
          if (text == "false" || text == "0") return json::value(false);
        } else if (type == "integer" || type == "int" || type == "long" || type == "short" ||
                   type == "decimal" || type == "double" || type == "float" ||
                   type == "nonNegativeInteger" || type == "positiveInteger") {
          std::optional<json::value> number = NumberOf(text);
          if (number.has_value()) return *number;
        }
      }
    }
    return json::value(text);
  }

  std::vector<std::pair<std::string, std::string>> bindings_;  // prefix → namespace, innermost last
  std::vector<std::string> path_;
  std::string undeclared_;
  int event_index_ = -1;
  PrefixTable prefixes_;
  ValidationIssue failure_;
};

// Parses the XML and maps it; on failure `failure` says where.
core::Result<json::object> ReadXml(std::string_view xml, ValidationIssue& failure) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(
      xml.data(), xml.size(), pugi::parse_default | pugi::parse_doctype, pugi::encoding_auto);
  if (!parsed) {
    const std::size_t offset =
        std::min(static_cast<std::size_t>(std::max<std::ptrdiff_t>(parsed.offset, 0)), xml.size());
    const std::size_t line =
        1 + static_cast<std::size_t>(std::count(xml.begin(), xml.begin() + offset, '\n'));
    failure.field = fmt::format("line {}", line);
    failure.message = fmt::format("not well-formed XML: {}", parsed.description());
    return core::InvalidArgument(failure.ToString());
  }
  for (const pugi::xml_node& node : doc.children()) {
    if (node.type() != pugi::node_doctype) continue;
    const std::string_view value = node.value();
    if (value.find('[') != std::string_view::npos ||
        value.find("SYSTEM") != std::string_view::npos ||
        value.find("PUBLIC") != std::string_view::npos) {
      failure.field = "DOCTYPE";
      failure.message =
          "a document type declaration with entities or an external DTD is not allowed in an "
          "EPCIS document";
      return core::InvalidArgument(failure.ToString());
    }
  }
  XmlReader reader;
  core::Result<json::object> out = reader.Read(doc);
  if (!out.ok()) failure = reader.failure();
  return out;
}

// ---- JSON-LD → XML ---------------------------------------------------------------------------

// The XML namespace of a JSON-LD prefix's IRI: the same URI (namespaces are kept literally, as
// GS1's reference event hash reads them).
std::string XmlNamespaceOf(std::string_view iri) { return std::string(iri); }

std::string FormatNumber(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  const double d = v.get_double();
  std::string out = fmt::format("{}", d);
  if (out.find_first_of("eE") != std::string::npos) {
    // xsd:decimal has no exponent.
    out = fmt::format("{:f}", d);
    while (out.size() > 1 && out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out;
}

std::string ScalarText(const json::value& v) {
  if (const json::string* s = v.if_string()) return std::string(s->data(), s->size());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (v.is_number()) return FormatNumber(v);
  return {};
}

// Which CBV code list a field's bare words belong to.
enum class CbvHead { kBizStep, kDisp, kBtt, kSdt, kEr };

class XmlWriter {
 public:
  explicit XmlWriter(const EncodeOptions& options) : options_(options) {
    for (const auto& [prefix, iri] : options.namespaces) root_prefixes_[prefix] = iri;
  }

  core::Result<bool> WriteEvent(const json::object& event, pugi::xml_node list) {
    const json::value* type = event.if_contains("type");
    if (type == nullptr || !type->is_string()) return core::Internal("stored event has no type");
    const std::string_view name(type->get_string().data(), type->get_string().size());
    core::Result<EventType> parsed = ParseEventType(name);
    if (!parsed.ok()) return core::Internal(fmt::format("stored event type {} is unknown", name));
    pugi::xml_node node = list.append_child(std::string(name).c_str());
    prefixes_ = root_prefixes_;
    if (const json::value* context = event.if_contains("@context")) AddContext(*context);
    used_.clear();
    static constexpr std::string_view kCommon[] = {"eventTime",           "recordTime",
                                                   "eventTimeZoneOffset", "eventID",
                                                   "errorDeclaration",    "certificationInfo"};
    for (std::string_view field : kCommon) Field(event, field, node);
    for (std::string_view field : FieldsOf(*parsed)) Field(event, field, node);
    for (const auto& [key, value] : event) {
      const std::string_view k(key.data(), key.size());
      if (k.find(':') != std::string_view::npos && !k.starts_with("@")) {
        Extension(k, value, node, 0);
      }
    }
    for (const std::string& prefix : used_) {
      // The event's own context, the document's, then the EPCIS context's (cbvmda, gs1, ...).
      std::string iri;
      if (auto it = prefixes_.find(prefix); it != prefixes_.end()) {
        iri = it->second;
      } else if (const std::string* standard = standard_.FindPrefix(prefix)) {
        iri = *standard;
      } else {
        continue;  // the decoder admits no undeclared prefix, so a stored event has none
      }
      auto root = root_prefixes_.find(prefix);
      if (root == root_prefixes_.end() || root->second != iri) {
        node.append_attribute(("xmlns:" + prefix).c_str()) = XmlNamespaceOf(iri).c_str();
      }
    }
    return true;
  }

  const std::map<std::string, std::string>& root_prefixes() const { return root_prefixes_; }

 private:
  static std::span<const std::string_view> FieldsOf(EventType type) {
    static constexpr std::string_view kObject[] = {"epcList",
                                                   "action",
                                                   "bizStep",
                                                   "disposition",
                                                   "readPoint",
                                                   "bizLocation",
                                                   "bizTransactionList",
                                                   "quantityList",
                                                   "sourceList",
                                                   "destinationList",
                                                   "sensorElementList",
                                                   "persistentDisposition",
                                                   "ilmd"};
    static constexpr std::string_view kAggregation[] = {"parentID",
                                                        "childEPCs",
                                                        "action",
                                                        "bizStep",
                                                        "disposition",
                                                        "readPoint",
                                                        "bizLocation",
                                                        "bizTransactionList",
                                                        "childQuantityList",
                                                        "sourceList",
                                                        "destinationList",
                                                        "sensorElementList",
                                                        "persistentDisposition"};
    static constexpr std::string_view kTransaction[] = {"bizTransactionList",
                                                        "parentID",
                                                        "epcList",
                                                        "action",
                                                        "bizStep",
                                                        "disposition",
                                                        "readPoint",
                                                        "bizLocation",
                                                        "quantityList",
                                                        "sourceList",
                                                        "destinationList",
                                                        "sensorElementList",
                                                        "persistentDisposition"};
    static constexpr std::string_view kTransformation[] = {"inputEPCList",
                                                           "inputQuantityList",
                                                           "outputEPCList",
                                                           "outputQuantityList",
                                                           "transformationID",
                                                           "bizStep",
                                                           "disposition",
                                                           "readPoint",
                                                           "bizLocation",
                                                           "bizTransactionList",
                                                           "sourceList",
                                                           "destinationList",
                                                           "sensorElementList",
                                                           "persistentDisposition",
                                                           "ilmd"};
    static constexpr std::string_view kAssociation[] = {"parentID",
                                                        "childEPCs",
                                                        "childQuantityList",
                                                        "action",
                                                        "bizStep",
                                                        "disposition",
                                                        "readPoint",
                                                        "bizLocation",
                                                        "bizTransactionList",
                                                        "sourceList",
                                                        "destinationList",
                                                        "sensorElementList",
                                                        "persistentDisposition"};
    switch (type) {
      case EventType::kObjectEvent:
        return kObject;
      case EventType::kAggregationEvent:
        return kAggregation;
      case EventType::kTransactionEvent:
        return kTransaction;
      case EventType::kTransformationEvent:
        return kTransformation;
      case EventType::kAssociationEvent:
        return kAssociation;
    }
    return {};
  }

  void AddContext(const json::value& context) {
    if (const json::array* a = context.if_array()) {
      for (const json::value& v : *a) AddContext(v);
    } else if (const json::object* o = context.if_object()) {
      for (const auto& [key, value] : *o) {
        const json::value* iri = &value;
        if (const json::object* def = value.if_object()) iri = def->if_contains("@id");
        if (iri != nullptr && iri->is_string() && !key.starts_with("@")) {
          prefixes_[std::string(key)] = std::string(iri->get_string());
        }
      }
    }
  }

  std::string Cbv(std::string_view value, CbvHead head) const {
    if (value.find(':') != std::string_view::npos) return std::string(value);
    const bool web = options_.cbv_format == CbvFormat::kAlwaysWebUri;
    switch (head) {
      case CbvHead::kBizStep:
        return (web ? "https://ref.gs1.org/cbv/BizStep-" : "urn:epcglobal:cbv:bizstep:") +
               std::string(value);
      case CbvHead::kDisp:
        return (web ? "https://ref.gs1.org/cbv/Disp-" : "urn:epcglobal:cbv:disp:") +
               std::string(value);
      case CbvHead::kBtt:
        return (web ? "https://ref.gs1.org/cbv/BTT-" : "urn:epcglobal:cbv:btt:") +
               std::string(value);
      case CbvHead::kSdt:
        return (web ? "https://ref.gs1.org/cbv/SDT-" : "urn:epcglobal:cbv:sdt:") +
               std::string(value);
      case CbvHead::kEr:
        return (web ? "https://ref.gs1.org/cbv/ER-" : "urn:epcglobal:cbv:er:") + std::string(value);
    }
    return std::string(value);
  }

  static void TextChild(pugi::xml_node parent, const char* name, std::string_view text) {
    parent.append_child(name).text().set(std::string(text).c_str());
  }

  static std::string_view Str(const json::value& v) {
    if (const json::string* s = v.if_string()) return {s->data(), s->size()};
    return {};
  }

  void Field(const json::object& event, std::string_view name, pugi::xml_node node) {
    const json::value* v = event.if_contains(name);
    if (v == nullptr) return;
    const std::string n(name);
    if (name == "bizStep") {
      TextChild(node, n.c_str(), Cbv(Str(*v), CbvHead::kBizStep));
    } else if (name == "disposition") {
      TextChild(node, n.c_str(), Cbv(Str(*v), CbvHead::kDisp));
    } else if (name == "epcList" || name == "childEPCs" || name == "inputEPCList" ||
               name == "outputEPCList") {
      pugi::xml_node list = node.append_child(n.c_str());
      if (const json::array* a = v->if_array()) {
        for (const json::value& epc : *a) TextChild(list, "epc", Str(epc));
      }
    } else if (name.ends_with("uantityList")) {
      pugi::xml_node list = node.append_child(n.c_str());
      if (const json::array* a = v->if_array()) {
        for (const json::value& item : *a) {
          const json::object* q = item.if_object();
          if (q == nullptr) continue;
          pugi::xml_node e = list.append_child("quantityElement");
          if (const json::value* c = q->if_contains("epcClass")) TextChild(e, "epcClass", Str(*c));
          if (const json::value* c = q->if_contains("quantity")) {
            TextChild(e, "quantity", ScalarText(*c));
          }
          if (const json::value* c = q->if_contains("uom")) TextChild(e, "uom", Str(*c));
        }
      }
    } else if (name == "readPoint" || name == "bizLocation") {
      pugi::xml_node place = node.append_child(n.c_str());
      if (const json::object* o = v->if_object()) {
        if (const json::value* id = o->if_contains("id")) TextChild(place, "id", Str(*id));
        Extensions(*o, place);
      }
    } else if (name == "bizTransactionList" || name == "sourceList" || name == "destinationList") {
      const std::string item_name = name == "bizTransactionList" ? "bizTransaction"
                                    : name == "sourceList"       ? "source"
                                                                 : "destination";
      const CbvHead head = name == "bizTransactionList" ? CbvHead::kBtt : CbvHead::kSdt;
      pugi::xml_node list = node.append_child(n.c_str());
      if (const json::array* a = v->if_array()) {
        for (const json::value& item : *a) {
          const json::object* o = item.if_object();
          if (o == nullptr) continue;
          pugi::xml_node e = list.append_child(item_name.c_str());
          if (const json::value* t = o->if_contains("type")) {
            e.append_attribute("type") = Cbv(Str(*t), head).c_str();
          }
          if (const json::value* id = o->if_contains(item_name)) {
            e.text().set(std::string(Str(*id)).c_str());
          }
        }
      }
    } else if (name == "persistentDisposition") {
      pugi::xml_node pd = node.append_child(n.c_str());
      if (const json::object* o = v->if_object()) {
        for (const char* which : {"unset", "set"}) {
          if (const json::value* list = o->if_contains(which); list && list->is_array()) {
            for (const json::value& d : list->get_array()) {
              TextChild(pd, which, Cbv(Str(d), CbvHead::kDisp));
            }
          }
        }
      }
    } else if (name == "errorDeclaration") {
      pugi::xml_node e = node.append_child(n.c_str());
      if (const json::object* o = v->if_object()) {
        if (const json::value* t = o->if_contains("declarationTime")) {
          TextChild(e, "declarationTime", Str(*t));
        }
        if (const json::value* r = o->if_contains("reason")) {
          TextChild(e, "reason", Cbv(Str(*r), CbvHead::kEr));
        }
        if (const json::value* ids = o->if_contains("correctiveEventIDs"); ids && ids->is_array()) {
          pugi::xml_node list = e.append_child("correctiveEventIDs");
          for (const json::value& id : ids->get_array()) {
            TextChild(list, "correctiveEventID", Str(id));
          }
        }
        Extensions(*o, e);
      }
    } else if (name == "sensorElementList") {
      pugi::xml_node list = node.append_child(n.c_str());
      if (const json::array* a = v->if_array()) {
        for (const json::value& item : *a) {
          const json::object* o = item.if_object();
          if (o == nullptr) continue;
          pugi::xml_node e = list.append_child("sensorElement");
          if (const json::value* m = o->if_contains("sensorMetadata"); m && m->is_object()) {
            SensorAttributes(m->get_object(), e.append_child("sensorMetadata"));
          }
          if (const json::value* r = o->if_contains("sensorReport"); r && r->is_array()) {
            for (const json::value& report : r->get_array()) {
              if (report.is_object()) {
                SensorAttributes(report.get_object(), e.append_child("sensorReport"));
              }
            }
          }
          Extensions(*o, e);
        }
      }
    } else if (name == "ilmd") {
      pugi::xml_node ilmd = node.append_child(n.c_str());
      if (const json::object* o = v->if_object()) Extensions(*o, ilmd);
    } else {
      TextChild(node, n.c_str(), ScalarText(*v));
    }
  }

  void SensorAttributes(const json::object& o, pugi::xml_node node) {
    for (const auto& [key, value] : o) {
      std::string k(key);
      std::string text = ScalarText(value);
      if ((k == "type" || k == "exception") && text.find(':') == std::string::npos) {
        text = "gs1:" + text;
      }
      const std::size_t colon = k.find(':');
      if (colon != std::string::npos) used_.insert(k.substr(0, colon));
      node.append_attribute(k.c_str()) = text.c_str();
    }
  }

  // The extension members (prefixed keys) of an object, as elements.
  void Extensions(const json::object& o, pugi::xml_node node) {
    for (const auto& [key, value] : o) {
      const std::string_view k(key.data(), key.size());
      if (k.find(':') != std::string_view::npos && !k.starts_with("@")) {
        Extension(k, value, node, 0);
      }
    }
  }

  void Extension(std::string_view key, const json::value& value, pugi::xml_node parent,
                 std::size_t depth) {
    if (depth > kMaxXmlDepth) return;  // the decoder refuses deeper values
    const std::size_t colon = key.find(':');
    if (colon != std::string_view::npos) used_.insert(std::string(key.substr(0, colon)));
    if (const json::array* a = value.if_array()) {
      for (const json::value& item : *a) Extension(key, item, parent, depth + 1);
      return;
    }
    pugi::xml_node e = parent.append_child(std::string(key).c_str());
    if (const json::object* o = value.if_object()) {
      for (const auto& [child_key, child_value] : *o) {
        const std::string_view ck(child_key.data(), child_key.size());
        if (ck == "@value") {
          e.text().set(std::string(ScalarText(child_value)).c_str());
        } else if (!ck.starts_with("@")) {
          Extension(ck, child_value, e, depth + 1);
        }
      }
      return;
    }
    if (value.is_bool()) {
      e.append_attribute("xsi:type") = "xsd:boolean";
    } else if (value.is_int64() || value.is_uint64()) {
      e.append_attribute("xsi:type") = "xsd:integer";
    } else if (value.is_double()) {
      e.append_attribute("xsi:type") = "xsd:decimal";
    }
    e.text().set(ScalarText(value).c_str());
  }

  const EncodeOptions& options_;
  const JsonLdContext standard_;
  std::map<std::string, std::string> root_prefixes_;
  std::map<std::string, std::string> prefixes_;  // of the event being written
  std::set<std::string> used_;
};

core::Result<std::string> EncodeXml(std::span<const std::string> event_jsons,
                                    const EncodeOptions& options, bool query) {
  // The JSON encoder applies the identifier format once for both bindings.
  VNTRACE_ASSIGN_OR_RETURN(std::string json_doc, EncodeQueryDocument(event_jsons, options));
  core::Result<json::value> parsed = internal::ParsePreciseJson(json_doc);
  if (!parsed.ok()) return core::Internal("the encoded query document is not JSON");
  const json::array& events =
      parsed->at("epcisBody").at("queryResults").at("resultsBody").at("eventList").as_array();
  pugi::xml_document doc;
  pugi::xml_node root =
      doc.append_child(query ? "epcisq:EPCISQueryDocument" : "epcis:EPCISDocument");
  if (query) {
    root.append_attribute("xmlns:epcisq") = std::string(kQuery2).c_str();
  } else {
    root.append_attribute("xmlns:epcis") = std::string(kEpcis2).c_str();
  }
  root.append_attribute("xmlns:xsi") = std::string(kXsiNamespace).c_str();
  root.append_attribute("xmlns:xsd") = std::string(kXsdNamespace).c_str();
  XmlWriter writer(options);
  for (const auto& [prefix, iri] : writer.root_prefixes()) {
    root.append_attribute(("xmlns:" + prefix).c_str()) = XmlNamespaceOf(iri).c_str();
  }
  root.append_attribute("schemaVersion") = "2.0";
  if (options.creation_date.has_value()) {
    root.append_attribute("creationDate") = core::FormatRfc3339(*options.creation_date).c_str();
  }
  pugi::xml_node body = root.append_child("EPCISBody");
  pugi::xml_node list;
  if (query) {
    pugi::xml_node results = body.append_child("epcisq:QueryResults");
    results.append_child("queryName").text().set(options.query_name.c_str());
    if (!options.subscription_id.empty()) {
      results.append_child("subscriptionID").text().set(options.subscription_id.c_str());
    }
    list = results.append_child("resultsBody").append_child("EventList");
  } else {
    list = body.append_child("EventList");
  }
  for (const json::value& event : events) {
    if (!event.is_object()) return core::Internal("a stored event is not a JSON object");
    VNTRACE_RETURN_IF_ERROR(writer.WriteEvent(event.get_object(), list));
  }
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default | pugi::format_no_declaration, pugi::encoding_utf8);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + out.str();
}

}  // namespace

bool LooksLikeXml(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  text = Trim(text);
  return !text.empty() && text.front() == '<';
}

core::Result<std::string> XmlToJsonLd(std::string_view xml) {
  ValidationIssue failure;
  VNTRACE_ASSIGN_OR_RETURN(json::object doc, ReadXml(xml, failure));
  return json::serialize(doc);
}

DecodeResult DecodeXmlDocument(std::string_view xml, const DecodeOptions& options) {
  DecodeResult result;
  if (xml.size() > options.max_bytes) {
    result.issues.push_back(
        {-1, "", fmt::format("the document is larger than {} bytes", options.max_bytes)});
    result.document_has_issues = true;
    return result;
  }
  ValidationIssue failure;
  core::Result<json::object> doc = ReadXml(xml, failure);
  if (!doc.ok()) {
    result.issues.push_back(std::move(failure));
    result.document_has_issues = true;
    if (result.issues.back().event_index >= 0 && options.keep_valid_events) {
      // An XML problem inside one event still refuses the document: its structure is unknown.
      result.issues.back().event_index = -1;
    }
    return result;
  }
  DecodeOptions json_options = options;
  json_options.max_bytes = std::numeric_limits<std::size_t>::max();
  return DecodeDocument(json::serialize(*doc), json_options);
}

core::Result<std::vector<std::string>> XmlDocumentEventHashIds(std::string_view xml) {
  VNTRACE_ASSIGN_OR_RETURN(std::string text, XmlToJsonLd(xml));
  return DocumentEventHashIds(text);
}

core::Result<std::vector<std::string>> XmlDocumentEventPreHashStrings(std::string_view xml) {
  VNTRACE_ASSIGN_OR_RETURN(std::string text, XmlToJsonLd(xml));
  return DocumentEventPreHashStrings(text);
}

core::Result<std::string> EncodeXmlQueryDocument(std::span<const std::string> event_jsons,
                                                 const EncodeOptions& options) {
  return EncodeXml(event_jsons, options, /*query=*/true);
}

core::Result<std::string> EncodeXmlDocument(std::span<const std::string> event_jsons,
                                            const EncodeOptions& options) {
  return EncodeXml(event_jsons, options, /*query=*/false);
}

}  // namespace vntrace::epcis
