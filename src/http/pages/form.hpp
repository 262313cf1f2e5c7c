// http::pages::form: strict parsers for HTML form bodies (application/x-www-form-urlencoded and
// multipart/form-data) and for the Cookie header.
//
// Both body parsers refuse, with kInvalidArgument and a precise message, anything malformed or
// beyond the limits (total size, number of fields, size of one field, one file at most);
// kResourceExhausted when the body is larger than `max_body_bytes`. They never crash on any
// input: every index is checked. Field values must be valid UTF-8 (files may hold any bytes).
//
// Thread-safety: stateless functions; FormData is a value.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(pages::FormData form,
//                            pages::ParseForm(req.Header("Content-Type"), req.body, {}));
//   std::string_view email = form.Get("email");
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace vntrace::http::pages {

struct FormLimits {
  std::size_t max_body_bytes = 4u << 20;
  std::size_t max_fields = 200;
  std::size_t max_field_bytes = 64u << 10;  // one text field (name or value)
  std::size_t max_file_bytes = 4u << 20;    // the one file of a multipart body
};

struct UploadedFile {
  std::string field;  // the form field's name
  std::string filename;
  std::string content_type;
  std::string content;
};

struct FormData {
  std::vector<std::pair<std::string, std::string>> fields;  // in order, repeated names kept
  std::optional<UploadedFile> file;

  // The first value of `name`, or "" when absent.
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const;
};

// application/x-www-form-urlencoded ('+' is a space, %XX escapes). kInvalidArgument for a bad
// escape, invalid UTF-8, a field without '=', too many or too large fields.
core::Result<FormData> ParseUrlEncoded(std::string_view body, const FormLimits& limits = {});

// multipart/form-data with `boundary` (RFC 7578): CRLF line ends, one Content-Disposition
// form-data part per field, at most one part with a filename. kInvalidArgument for a missing
// boundary or closing delimiter, a part without a name, a second file, too many or too large
// fields.
core::Result<FormData> ParseMultipart(std::string_view body, std::string_view boundary,
                                      const FormLimits& limits = {});

// Picks the parser from the Content-Type header (its parameters included).
// kInvalidArgument for any other media type.
core::Result<FormData> ParseForm(std::string_view content_type, std::string_view body,
                                 const FormLimits& limits = {});

// The value of cookie `name` in a Cookie header, or "" when absent.
std::string_view CookieValue(std::string_view cookie_header, std::string_view name);

// Percent-encodes `text` for a path segment or query value (unreserved characters kept).
std::string UrlEncode(std::string_view text);

}  // namespace vntrace::http::pages
