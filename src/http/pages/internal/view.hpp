// Rendering of the producer app's pages: the message catalogues (web/i18n/{vi,en}.json) and
// the mustache templates of web/templates, both embedded in the binary.
//
// Templates escape every {{value}} as HTML; {{{body}}} is used only for already rendered
// HTML. Catalogue text is written with {{#t}}key{{/t}}; partials with {{>name}}.
//
// Thread-safety: immutable after construction; Render is safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <kainjow/mustache.hpp>

#include "core/time.hpp"

namespace vntrace::http::pages::internal {

using Data = kainjow::mustache::data;

class View {
 public:
  // Loads the catalogues; a broken embedded catalogue is a build error and aborts.
  View();

  // The text of `key` in `lang` ("vi" or "en"), falling back to Vietnamese, then to the key.
  std::string Text(std::string_view lang, std::string_view key) const;
  // The message of a domain error code ("ocop.stars.range"): "error.<code>", then
  // "error.*.<rule>", then "error.generic".
  std::string ErrorText(std::string_view lang, std::string_view code) const;
  // Renders templates/<name>.mustache with `data` inside templates/layout.mustache.
  std::string Render(std::string_view name, Data data, std::string_view lang) const;
  // Renders one template without the layout.
  std::string RenderPart(std::string_view name, Data& data, std::string_view lang) const;

 private:
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> catalogues_;
};

// Sets `key` only when `value` is not empty (mustache treats "" as true).
void SetText(Data& data, const std::string& key, const std::string& value);

// "31/12/2026" from an ISO 8601 date or RFC 3339 time ("2026-12-31..."); other text as is.
std::string ShowDate(std::string_view iso);
// `t` in Vietnam time (UTC+7) as "31/12/2026", or "31/12/2026 08:15" with `with_clock_time`.
std::string ShowVietnamTime(core::Timestamp t, bool with_clock_time);

}  // namespace vntrace::http::pages::internal
