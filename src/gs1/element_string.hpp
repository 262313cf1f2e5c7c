// gs1::element_string: GS1 element strings in bracketed, raw (FNC1) and HRI forms.
//
// Parses "(01)09520123456788(10)ABC" and the raw barcode form "]d2" + "0109520123456788" +
// "10ABC" + GS (ASCII 29) + "...", with or without a symbology identifier (]C1 GS1-128,
// ]e0 GS1 DataBar, ]d2 GS1 DataMatrix, ]Q3 GS1 QR Code, ]J1 GS1 DotCode). Every value is checked
// against the AI dictionary and all AI associations; errors name the AI and the character.
//
// Thread-safety: stateless functions; safe from any thread.
//
// Example:
//   auto elements = gs1::ParseElementString("(01)09520123456788(17)251231(10)L1");
//   std::string raw = gs1::ToRawElementString(*elements);         // "01...17251231" "10L1"
//   std::string hri = gs1::ToBracketedElementString(*elements);  // "(01)...(17)251231(10)L1"
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "gs1/element.hpp"

namespace vntrace::gs1 {

inline constexpr char kGroupSeparator = '\x1d';  // FNC1 as transmitted by scanners (ASCII 29)
// Input size limits. The bracketed form may be longer than the raw form of the same data (two
// brackets per AI, escaped '(' in values), so that every raw string has a bracketed form that
// is accepted too.
inline constexpr std::size_t kMaxElementStringLength = 4096;
inline constexpr std::size_t kMaxBracketedElementStringLength = 2 * kMaxElementStringLength;

struct ElementStringOptions {
  // Check AI associations (req/ex). Off when only part of an item's data is at hand.
  bool validate_associations = true;
};

// Parses either form, detecting which: input starting with '(' is bracketed; otherwise raw,
// optionally starting with a symbology identifier or a GS, with GS separating a
// variable-length value from the next AI. In the bracketed form a literal '(' inside a value
// is written "\(".
// Errors (kInvalidArgument): unknown AI, value too long/short, bad character or check digit,
// missing separator, violated association; the message says which AI and which position.
core::Result<AiElements> ParseElementString(std::string_view input,
                                            const ElementStringOptions& options = {});
core::Result<AiElements> ParseBracketedElementString(std::string_view input,
                                                     const ElementStringOptions& options = {});
core::Result<AiElements> ParseRawElementString(std::string_view input,
                                               const ElementStringOptions& options = {});

// "(01)09520123456788(10)ABC": the human-readable interpretation; '(' in values escaped.
std::string ToBracketedElementString(const AiElements& elements);

// Raw form for a barcode, in the elements' order: a GS after each value of an AI that is not of
// predefined length, unless it is last. `symbology_id` (e.g. "]d2") is prepended when given.
std::string ToRawElementString(const AiElements& elements, std::string_view symbology_id = {});

// Human-readable interpretation text for printing under a symbol, "(01) 09520123456788 (10) ABC".
std::string ToHri(const AiElements& elements);

}  // namespace vntrace::gs1
