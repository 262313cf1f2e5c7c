#include "epcis/master_data.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

namespace vntrace::epcis {
namespace {

namespace json = boost::json;

std::string_view View(const json::string& s) { return {s.data(), s.size()}; }

// A finite decimal number as JSON writes it, with an optional leading '+'.
std::optional<double> ParseDecimal(std::string_view s) {
  if (s.starts_with('+')) {
    s.remove_prefix(1);
  }
  if (s.empty() || s.front() == '+' ||
      !(std::isdigit(static_cast<unsigned char>(s.front())) || s.front() == '-' ||
        s.front() == '.')) {
    return std::nullopt;
  }
  double value = 0;
  const auto [end, ec] =
      std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::general);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> NumberOf(const json::value& v) {
  switch (v.kind()) {
    case json::kind::int64:
      return static_cast<double>(v.get_int64());
    case json::kind::uint64:
      return static_cast<double>(v.get_uint64());
    case json::kind::double_:
      return v.get_double();
    default:
      return std::nullopt;
  }
}

core::Error Damaged(std::string_view type, std::string_view what) {
  return core::Internal("stored master data of vocabulary '" + std::string(type) +
                        "' is damaged: " + std::string(what));
}

}  // namespace

std::string CanonicalAttributeName(std::string_view expanded_id) {
  constexpr std::string_view kMdaHash = "urn:epcglobal:cbv:mda#";
  if (expanded_id.starts_with(kMdaHash)) {
    std::string out = "urn:epcglobal:cbv:mda:";
    out.append(expanded_id.substr(kMdaHash.size()));
    return out;
  }
  return std::string(expanded_id);
}

void MergeVocabularyElement(VocabularyElement& stored, const VocabularyElement& update) {
  // Every attribute id the update gives loses its stored values, then takes the update's.
  std::vector<MasterDataAttribute> merged;
  merged.reserve(stored.attributes.size() + update.attributes.size());
  for (MasterDataAttribute& attribute : stored.attributes) {
    const bool replaced =
        std::any_of(update.attributes.begin(), update.attributes.end(),
                    [&attribute](const MasterDataAttribute& a) { return a.id == attribute.id; });
    if (!replaced) {
      merged.push_back(std::move(attribute));
    }
  }
  merged.insert(merged.end(), update.attributes.begin(), update.attributes.end());
  stored.attributes = std::move(merged);
  if (update.has_children) {
    stored.children = update.children;
    stored.has_children = true;
  }
}

json::object VocabularyElementJson(const VocabularyElement& element) {
  json::object out;
  out["id"] = element.id;
  if (!element.attributes.empty()) {
    json::array attributes;
    attributes.reserve(element.attributes.size());
    for (const MasterDataAttribute& attribute : element.attributes) {
      json::object item{{"id", attribute.id}};
      if (!attribute.value.is_null()) {
        item["attribute"] = attribute.value;
      }
      attributes.push_back(std::move(item));
    }
    out["attributes"] = std::move(attributes);
  }
  if (element.has_children) {
    json::array children;
    children.reserve(element.children.size());
    for (const std::string& child : element.children) {
      children.emplace_back(child);
    }
    out["children"] = std::move(children);
  }
  return out;
}

core::Result<VocabularyElement> VocabularyElementFromJson(std::string_view type,
                                                          const json::object& json) {
  VocabularyElement element;
  element.type = std::string(type);
  const json::value* id = json.if_contains("id");
  if (id == nullptr || !id->is_string()) {
    return Damaged(type, "an element without an id");
  }
  element.id = std::string(View(id->get_string()));
  if (const json::value* attributes = json.if_contains("attributes")) {
    if (!attributes->is_array()) {
      return Damaged(type, "attributes of '" + element.id + "' are not an array");
    }
    for (const json::value& item : attributes->get_array()) {
      const json::object* attribute = item.if_object();
      const json::value* attribute_id =
          attribute == nullptr ? nullptr : attribute->if_contains("id");
      if (attribute_id == nullptr || !attribute_id->is_string()) {
        return Damaged(type, "an attribute of '" + element.id + "' lacks its id");
      }
      const json::value* value = attribute->if_contains("attribute");
      element.attributes.push_back({.id = std::string(View(attribute_id->get_string())),
                                    .value = value != nullptr ? *value : json::value()});
    }
  }
  if (const json::value* children = json.if_contains("children")) {
    if (!children->is_array()) {
      return Damaged(type, "children of '" + element.id + "' are not an array");
    }
    element.has_children = true;
    for (const json::value& child : children->get_array()) {
      if (!child.is_string()) {
        return Damaged(type, "a child of '" + element.id + "' is not a string");
      }
      element.children.emplace_back(View(child.get_string()));
    }
  }
  return element;
}

bool AttributeValueEquals(const json::value& value, std::string_view text) {
  switch (value.kind()) {
    case json::kind::string:
      return View(value.get_string()) == text;
    case json::kind::bool_:
      return text == (value.get_bool() ? "true" : "false");
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: {
      const std::optional<double> bound = ParseDecimal(text);
      return bound.has_value() && *NumberOf(value) == *bound;
    }
    default:
      return false;
  }
}

}  // namespace vntrace::epcis
