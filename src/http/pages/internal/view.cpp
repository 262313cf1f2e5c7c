#include "http/pages/internal/view.hpp"

#include <cstdio>
#include <cstdlib>

#include <boost/json.hpp>

#include "http/pages/internal/assets.hpp"

namespace vntrace::http::pages::internal {
namespace {

namespace mustache = kainjow::mustache;

std::string Template(std::string_view name) {
  std::optional<std::string_view> text = FindAsset("templates/" + std::string(name) + ".mustache");
  if (!text) {
    std::fprintf(stderr, "vntrace: missing embedded template %.*s\n", static_cast<int>(name.size()),
                 name.data());
    std::abort();
  }
  return std::string(*text);
}

}  // namespace

View::View() {
  for (std::string_view lang : {"vi", "en"}) {
    std::optional<std::string_view> text = FindAsset("i18n/" + std::string(lang) + ".json");
    boost::system::error_code ec;
    boost::json::value parsed = text ? boost::json::parse(*text, ec) : boost::json::value();
    if (!text || ec || !parsed.is_object()) {
      std::fprintf(stderr, "vntrace: broken embedded catalogue %.*s\n",
                   static_cast<int>(lang.size()), lang.data());
      std::abort();
    }
    auto& catalogue = catalogues_[std::string(lang)];
    for (const auto& [key, value] : parsed.as_object()) {
      if (value.is_string()) catalogue[std::string(key)] = std::string(value.as_string());
    }
  }
}

std::string View::Text(std::string_view lang, std::string_view key) const {
  for (std::string_view l : {lang, std::string_view("vi")}) {
    auto catalogue = catalogues_.find(l);
    if (catalogue == catalogues_.end()) continue;
    auto found = catalogue->second.find(key);
    if (found != catalogue->second.end()) return found->second;
  }
  return std::string(key);
}

std::string View::ErrorText(std::string_view lang, std::string_view code) const {
  std::string exact = "error." + std::string(code);
  std::string text = Text(lang, exact);
  if (text != exact) return text;
  std::size_t dot = code.rfind('.');
  if (dot != std::string_view::npos) {
    std::string wildcard = "error.*." + std::string(code.substr(dot + 1));
    text = Text(lang, wildcard);
    if (text != wildcard) return text;
  }
  return Text(lang, "error.generic");
}

std::string View::RenderPart(std::string_view name, Data& data, std::string_view lang) const {
  std::string language(lang);
  data.set("t", mustache::lambda{
                    [this, language](const std::string& key) { return Text(language, key); }});
  data.set("lang", language);
  data.set("lang_en", language == "en");
  mustache::mustache tmpl{Template(name)};
  // Partials by name: {{>field}} etc.
  for (std::string_view partial : {"nav", "csrf", "authority_nav"}) {
    std::string text = Template(partial);
    data.set(std::string(partial), mustache::partial{[text] { return text; }});
  }
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) {
    std::fprintf(stderr, "vntrace: template %.*s: %s\n", static_cast<int>(name.size()), name.data(),
                 tmpl.error_message().c_str());
    std::abort();
  }
  return out;
}

std::string View::Render(std::string_view name, Data data, std::string_view lang) const {
  std::string body = RenderPart(name, data, lang);
  data.set("body", body);
  return RenderPart("layout", data, lang);
}

void SetText(Data& data, const std::string& key, const std::string& value) {
  if (!value.empty()) data.set(key, value);
}

std::string ShowDate(std::string_view iso) {
  if (iso.size() >= 10 && iso[4] == '-' && iso[7] == '-') {
    return std::string(iso.substr(8, 2)) + "/" + std::string(iso.substr(5, 2)) + "/" +
           std::string(iso.substr(0, 4));
  }
  return std::string(iso);
}

std::string ShowVietnamTime(core::Timestamp t, bool with_clock_time) {
  constexpr int kVietnamOffsetMinutes = 7 * 60;
  const std::string text = core::FormatRfc3339(t.WithUtcOffset(kVietnamOffsetMinutes), 0);
  if (!with_clock_time || text.size() < 16) return ShowDate(text);
  return ShowDate(text) + " " + text.substr(11, 5);
}

}  // namespace vntrace::http::pages::internal
