#include "gs1/element.hpp"

#include <fmt/format.h>

namespace vntrace::gs1 {
namespace {

// Two element lists read as one, without copying.
struct ElementsView {
  const AiElements& first;
  const AiElements& second;

  std::size_t size() const { return first.size() + second.size(); }
  const AiElement& operator[](std::size_t i) const {
    return i < first.size() ? first[i] : second[i - first.size()];
  }
};

// True when `code` matches `pattern`: same length, each 'n' in the pattern matching any digit.
bool MatchesPattern(std::string_view code, std::string_view pattern) {
  if (code.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (pattern[i] != 'n' && pattern[i] != code[i]) return false;
  }
  return true;
}

bool AnyMatches(const ElementsView& elements, std::string_view pattern) {
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (MatchesPattern(elements[i].code(), pattern)) return true;
  }
  return false;
}

// Splits `s` at `sep` and calls `fn(part)` for each part until it returns true; returns whether
// any call returned true.
template <typename Fn>
bool AnyPart(std::string_view s, char sep, Fn&& fn) {
  while (true) {
    std::size_t p = s.find(sep);
    if (fn(s.substr(0, p))) return true;
    if (p == std::string_view::npos) return false;
    s.remove_prefix(p + 1);
  }
}

// A "req" group "01+21,02,35nn" is satisfied when all '+'-joined parts of one alternative are
// present.
bool GroupSatisfied(const ElementsView& elements, std::string_view group) {
  return AnyPart(group, ',', [&](std::string_view alternative) {
    return !AnyPart(alternative, '+',
                    [&](std::string_view part) { return !AnyMatches(elements, part); });
  });
}

std::string Readable(std::string_view group) {
  std::string out;
  AnyPart(group, ',', [&](std::string_view alternative) {
    if (!out.empty()) out += " or ";
    bool first = true;
    AnyPart(alternative, '+', [&](std::string_view part) {
      if (!first) out += " with ";
      first = false;
      out += fmt::format("({})", part);
      return false;
    });
    return false;
  });
  return out;
}

}  // namespace

std::string_view FindValue(const AiElements& elements, std::string_view code) {
  const AiElement* e = FindElement(elements, code);
  return e == nullptr ? std::string_view() : std::string_view(e->value);
}

const AiElement* FindElement(const AiElements& elements, std::string_view code) {
  for (const AiElement& e : elements) {
    if (e.code() == code) return &e;
  }
  return nullptr;
}

core::Status ValidateAssociations(const AiElements& elements) {
  static const AiElements kNone;
  return ValidateAssociations(elements, kNone);
}

core::Status ValidateAssociations(const AiElements& first, const AiElements& second) {
  const ElementsView elements{first, second};
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const AiElement& e = elements[i];
    for (std::size_t j = 0; j < i; ++j) {
      if (elements[j].ai == e.ai && elements[j].value != e.value) {
        return core::InvalidArgument(
            fmt::format("AI ({}) appears twice with different values", e.code()));
      }
    }
    std::string_view req = e.ai->requires_all;
    while (!req.empty()) {
      std::size_t p = req.find(' ');
      std::string_view group = req.substr(0, p);
      if (!GroupSatisfied(elements, group)) {
        return core::InvalidArgument(fmt::format("AI ({}) requires {}", e.code(), Readable(group)));
      }
      req = p == std::string_view::npos ? std::string_view() : req.substr(p + 1);
    }
    std::string_view ex = e.ai->excludes;
    std::string_view clash;
    AnyPart(ex, ',', [&](std::string_view pattern) {
      if (pattern.empty()) return false;
      for (std::size_t k = 0; k < elements.size(); ++k) {
        const AiElement& other = elements[k];
        if (other.ai != e.ai && MatchesPattern(other.code(), pattern)) {
          clash = other.code();
          return true;
        }
      }
      return false;
    });
    if (!clash.empty()) {
      return core::InvalidArgument(
          fmt::format("AI ({}) may not be used together with AI ({})", e.code(), clash));
    }
  }
  return core::Ok();
}

}  // namespace vntrace::gs1
