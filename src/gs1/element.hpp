// gs1::element: one AI with its value, and an ordered list of them.
//
// `AiElement` is the unit every GS1 syntax in this module converts to and from: element
// strings, Digital Link URIs, compressed Digital Links and EPC URNs.
//
// Thread-safety: values.
//
// Example:
//   gs1::AiElements e;
//   e.push_back({gs1::FindAi("01"), "09520123456788"});
//   std::string_view gtin = gs1::FindValue(e, "01");
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gs1/ai.hpp"

namespace vntrace::gs1 {

struct AiElement {
  const AiDefinition* ai = nullptr;  // never null in a validated element; points into AllAis()
  std::string value;

  std::string_view code() const { return ai->code; }
  friend bool operator==(const AiElement& a, const AiElement& b) {
    return a.ai == b.ai && a.value == b.value;
  }
};

using AiElements = std::vector<AiElement>;

// Returns the value of the first element with this AI code, or "" when absent.
std::string_view FindValue(const AiElements& elements, std::string_view code);
// Returns the first element with this AI code, or nullptr.
const AiElement* FindElement(const AiElements& elements, std::string_view code);

// Checks the AI associations of the GS1 General Specifications over a complete set of
// elements: every `req` group satisfied, no `ex` pair present, and no AI repeated with a
// different value. Returns kInvalidArgument naming the AIs involved.
core::Status ValidateAssociations(const AiElements& elements);
// The same over the concatenation of two lists (a Digital Link's path and attributes) without
// copying them.
core::Status ValidateAssociations(const AiElements& first, const AiElements& second);

}  // namespace vntrace::gs1
