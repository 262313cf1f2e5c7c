// Escaping text for XML and HTML (SVG charts, WordprocessingML, printable HTML pages).
//
// Thread-safety: pure function; safe from any thread.
//
// Example:
//   svg += "<title>" + core::EscapeMarkup(chart_title) + "</title>";
#pragma once

#include <string>
#include <string_view>

namespace vntrace::core {

// `text` for XML/HTML text and attribute values: &, <, >, " and ' become &amp; &lt; &gt; &quot;
// &#39;, and the C0 control characters that XML 1.0 forbids (all below U+0020 but tab, line feed
// and carriage return) are dropped. Other bytes (UTF-8 text) are kept as they are.
std::string EscapeMarkup(std::string_view text);

}  // namespace vntrace::core
