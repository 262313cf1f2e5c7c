// Fuzzes the producer app's form parsers: the first line of the input is the Content-Type
// header, the rest the body. Whatever parses must re-encode (urlencoded) to a body that parses
// to the same fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/pages/form.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view content_type =
      newline == std::string_view::npos ? std::string_view() : input.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? input : input.substr(newline + 1);
  namespace pages = vntrace::http::pages;
  (void)pages::CookieValue(body, "vt_session");
  (void)pages::ParseForm(content_type, body);
  auto form = pages::ParseUrlEncoded(body);
  if (!form.ok()) return 0;
  std::string encoded;
  for (const auto& [name, value] : form->fields) {
    if (!encoded.empty()) encoded += '&';
    encoded += pages::UrlEncode(name) + "=" + pages::UrlEncode(value);
  }
  auto again = pages::ParseUrlEncoded(encoded);
  if (!again.ok() || again->fields != form->fields) std::abort();
  return 0;
}
