#include "gs1/element_string.hpp"

#include <fmt/format.h>

namespace vntrace::gs1 {
namespace {

constexpr std::string_view kSymbologyIds[] = {"]C1", "]e0", "]d2", "]Q3", "]J1"};

std::string Shown(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02X}", u);
}

core::Status CheckSize(std::string_view input, std::size_t limit) {
  if (input.empty()) return core::InvalidArgument("element string is empty");
  if (input.size() > limit) {
    return core::InvalidArgument(fmt::format("element string is longer than {} characters", limit));
  }
  return core::Ok();
}

core::Result<AiElement> MakeElement(const AiDefinition& ai, std::string value,
                                    std::size_t value_pos) {
  core::Status ok = ValidateAiValue(ai, value);
  if (!ok.ok()) {
    return core::InvalidArgument(
        fmt::format("{} (value starts at position {})", ok.error().message, value_pos + 1));
  }
  return AiElement{&ai, std::move(value)};
}

core::Result<AiElements> Finish(AiElements elements, const ElementStringOptions& options) {
  if (options.validate_associations) {
    VNTRACE_RETURN_IF_ERROR(ValidateAssociations(elements));
  }
  return elements;
}

}  // namespace

core::Result<AiElements> ParseElementString(std::string_view input,
                                            const ElementStringOptions& options) {
  if (!input.empty() && input.front() == '(') return ParseBracketedElementString(input, options);
  return ParseRawElementString(input, options);
}

core::Result<AiElements> ParseBracketedElementString(std::string_view input,
                                                     const ElementStringOptions& options) {
  VNTRACE_RETURN_IF_ERROR(CheckSize(input, kMaxBracketedElementStringLength));
  AiElements elements;
  std::size_t i = 0;
  while (i < input.size()) {
    if (input[i] != '(') {
      return core::InvalidArgument(
          fmt::format("expected '(' at position {}, found {}", i + 1, Shown(input[i])));
    }
    std::size_t close = input.find(')', i + 1);
    if (close == std::string_view::npos) {
      return core::InvalidArgument(fmt::format("'(' at position {} is never closed", i + 1));
    }
    std::string_view code = input.substr(i + 1, close - i - 1);
    const AiDefinition* ai = FindAi(code);
    if (ai == nullptr) {
      return core::InvalidArgument(fmt::format("unknown AI ({}) at position {}", code, i + 1));
    }
    std::size_t value_pos = close + 1;
    std::string value;
    std::size_t j = value_pos;
    for (; j < input.size() && input[j] != '('; ++j) {
      if (input[j] == '\\' && j + 1 < input.size() && input[j + 1] == '(') {
        ++j;
      }
      value.push_back(input[j]);
    }
    if (value.empty()) {
      return core::InvalidArgument(fmt::format("AI ({}) at position {} has no value", code, i + 1));
    }
    VNTRACE_ASSIGN_OR_RETURN(AiElement element, MakeElement(*ai, std::move(value), value_pos));
    elements.push_back(std::move(element));
    i = j;
  }
  return Finish(std::move(elements), options);
}

core::Result<AiElements> ParseRawElementString(std::string_view input,
                                               const ElementStringOptions& options) {
  VNTRACE_RETURN_IF_ERROR(CheckSize(input, kMaxElementStringLength));
  std::size_t i = 0;
  if (input[0] == ']') {
    bool known = false;
    for (std::string_view id : kSymbologyIds) {
      if (input.substr(0, 3) == id) known = true;
    }
    if (!known) {
      return core::InvalidArgument(
          fmt::format("unknown symbology identifier '{}': expected ]C1, ]e0, ]d2, ]Q3 or ]J1",
                      input.substr(0, 3)));
    }
    i = 3;
  }
  if (i < input.size() && input[i] == kGroupSeparator) ++i;  // leading FNC1
  if (i >= input.size()) return core::InvalidArgument("element string has no data");
  AiElements elements;
  while (i < input.size()) {
    const AiDefinition* ai = MatchAiPrefix(input.substr(i));
    if (ai == nullptr) {
      std::size_t n = std::min<std::size_t>(4, input.size() - i);
      return core::InvalidArgument(
          fmt::format("no known AI at position {} (\"{}\")", i + 1, input.substr(i, n)));
    }
    std::size_t value_pos = i + ai->code.size();
    std::size_t end;
    if (ai->predefined_length) {
      end = value_pos + ai->max_length;
      if (end > input.size()) {
        return core::InvalidArgument(
            fmt::format("AI ({}) at position {}: value must be {} characters, only {} left",
                        ai->code, i + 1, ai->max_length, input.size() - value_pos));
      }
      if (std::size_t gs = input.find(kGroupSeparator, value_pos); gs < end) {
        return core::InvalidArgument(
            fmt::format("AI ({}): FNC1 separator at position {} inside a fixed-length value",
                        ai->code, gs + 1));
      }
    } else {
      end = input.find(kGroupSeparator, value_pos);
      if (end == std::string_view::npos) end = input.size();
      if (end - value_pos > ai->max_length) {
        return core::InvalidArgument(fmt::format(
            "AI ({}) at position {}: value is longer than {} characters; is an FNC1 separator "
            "missing at position {}?",
            ai->code, i + 1, ai->max_length, value_pos + ai->max_length + 1));
      }
    }
    if (end == value_pos) {
      return core::InvalidArgument(
          fmt::format("AI ({}) at position {} has no value", ai->code, i + 1));
    }
    VNTRACE_ASSIGN_OR_RETURN(
        AiElement element,
        MakeElement(*ai, std::string(input.substr(value_pos, end - value_pos)), value_pos));
    elements.push_back(std::move(element));
    i = end;
    if (i < input.size() && input[i] == kGroupSeparator) {
      ++i;
      if (i == input.size()) {
        return core::InvalidArgument(
            fmt::format("element string ends with an FNC1 separator at position {}", i));
      }
    }
  }
  return Finish(std::move(elements), options);
}

std::string ToBracketedElementString(const AiElements& elements) {
  std::string out;
  for (const AiElement& e : elements) {
    out += '(';
    out += e.code();
    out += ')';
    for (char c : e.value) {
      if (c == '(') out += '\\';
      out += c;
    }
  }
  return out;
}

std::string ToRawElementString(const AiElements& elements, std::string_view symbology_id) {
  std::string out(symbology_id);
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const AiElement& e = elements[i];
    out += e.code();
    out += e.value;
    if (!e.ai->predefined_length && i + 1 < elements.size()) out += kGroupSeparator;
  }
  return out;
}

std::string ToHri(const AiElements& elements) {
  std::string out;
  for (const AiElement& e : elements) {
    if (!out.empty()) out += ' ';
    out += '(';
    out += e.code();
    out += ") ";
    out += e.value;
  }
  return out;
}

}  // namespace vntrace::gs1
