#include "http/pages/form.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "core/utf8.hpp"

namespace vntrace::http::pages {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

core::Result<std::string> DecodeComponent(std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) {
        return core::InvalidArgument("form " + std::string(what) + " has a truncated % escape");
      }
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) {
        return core::InvalidArgument("form " + std::string(what) + " has a bad % escape");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  if (!core::IsValidUtf8(out)) {
    return core::InvalidArgument("form " + std::string(what) + " is not valid UTF-8");
  }
  return out;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The value of parameter `name` in a header value such as `form-data; name="a"; filename="b"`.
// Quoted values may contain ';'; backslash escapes are taken literally after the backslash.
std::optional<std::string> HeaderParam(std::string_view value, std::string_view name) {
  std::size_t pos = value.find(';');
  while (pos != std::string_view::npos && pos < value.size()) {
    std::size_t start = pos + 1;
    while (start < value.size() && (value[start] == ' ' || value[start] == '\t')) ++start;
    std::size_t eq = value.find('=', start);
    if (eq == std::string_view::npos) return std::nullopt;
    std::string key = Lower(Trim(value.substr(start, eq - start)));
    std::size_t i = eq + 1;
    std::string parsed;
    if (i < value.size() && value[i] == '"') {
      ++i;
      bool closed = false;
      while (i < value.size()) {
        char c = value[i];
        if (c == '\\' && i + 1 < value.size()) {
          parsed.push_back(value[i + 1]);
          i += 2;
          continue;
        }
        if (c == '"') {
          closed = true;
          ++i;
          break;
        }
        parsed.push_back(c);
        ++i;
      }
      if (!closed) return std::nullopt;
      pos = value.find(';', i);
    } else {
      std::size_t end = value.find(';', i);
      parsed =
          std::string(Trim(value.substr(i, end == std::string_view::npos ? value.npos : end - i)));
      pos = end;
    }
    if (key == name) return parsed;
  }
  return std::nullopt;
}

}  // namespace

std::string_view FormData::Get(std::string_view name) const {
  for (const auto& [key, value] : fields) {
    if (key == name) return value;
  }
  return {};
}

bool FormData::Has(std::string_view name) const {
  return std::any_of(fields.begin(), fields.end(),
                     [name](const auto& field) { return field.first == name; });
}

core::Result<FormData> ParseUrlEncoded(std::string_view body, const FormLimits& limits) {
  if (body.size() > limits.max_body_bytes) {
    return core::ResourceExhausted("form body is larger than " +
                                   std::to_string(limits.max_body_bytes) + " bytes");
  }
  FormData form;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    std::size_t amp = body.find('&', pos);
    std::string_view pair = body.substr(pos, amp == std::string_view::npos ? body.npos : amp - pos);
    pos = amp == std::string_view::npos ? body.size() + 1 : amp + 1;
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      return core::InvalidArgument("form field without '=' at field " +
                                   std::to_string(form.fields.size() + 1));
    }
    if (form.fields.size() >= limits.max_fields) {
      return core::InvalidArgument("form has more than " + std::to_string(limits.max_fields) +
                                   " fields");
    }
    if (eq > limits.max_field_bytes || pair.size() - eq - 1 > limits.max_field_bytes) {
      return core::InvalidArgument("form field " + std::to_string(form.fields.size() + 1) +
                                   " is larger than " + std::to_string(limits.max_field_bytes) +
                                   " bytes");
    }
    VNTRACE_ASSIGN_OR_RETURN(std::string name, DecodeComponent(pair.substr(0, eq), "field name"));
    if (name.empty()) return core::InvalidArgument("form field with an empty name");
    VNTRACE_ASSIGN_OR_RETURN(std::string value,
                             DecodeComponent(pair.substr(eq + 1), "field '" + name + "'"));
    form.fields.emplace_back(std::move(name), std::move(value));
  }
  return form;
}

core::Result<FormData> ParseMultipart(std::string_view body, std::string_view boundary,
                                      const FormLimits& limits) {
  if (body.size() > limits.max_body_bytes) {
    return core::ResourceExhausted("form body is larger than " +
                                   std::to_string(limits.max_body_bytes) + " bytes");
  }
  if (boundary.empty() || boundary.size() > 70) {
    return core::InvalidArgument("multipart boundary must be 1 to 70 characters");
  }
  const std::string delimiter = "--" + std::string(boundary);
  const std::string next = "\r\n" + delimiter;
  // The body starts with the first delimiter (a preamble is allowed before "\r\n--boundary").
  std::size_t pos;
  if (body.substr(0, delimiter.size()) == delimiter) {
    pos = delimiter.size();
  } else {
    std::size_t found = body.find(next);
    if (found == std::string_view::npos) {
      return core::InvalidArgument("multipart body does not contain its boundary");
    }
    pos = found + next.size();
  }
  FormData form;
  while (true) {
    // After a delimiter: "--" closes the body, CRLF starts a part.
    if (body.substr(pos, 2) == "--") return form;
    if (body.substr(pos, 2) != "\r\n") {
      return core::InvalidArgument("multipart delimiter is not followed by CRLF");
    }
    pos += 2;
    std::size_t headers_end = body.find("\r\n\r\n", pos);
    // A part with no header lines at all starts directly with the blank line.
    if (body.substr(pos, 2) == "\r\n") headers_end = pos - 2;
    if (headers_end == std::string_view::npos) {
      return core::InvalidArgument("multipart part " + std::to_string(form.fields.size() + 1) +
                                   " has no end of headers");
    }
    std::string_view headers =
        headers_end + 2 > pos ? body.substr(pos, headers_end + 2 - pos) : std::string_view{};
    if (headers.size() > 8192) return core::InvalidArgument("multipart part headers too large");
    std::optional<std::string> name;
    std::optional<std::string> filename;
    std::string content_type;
    bool has_disposition = false;
    std::size_t line_start = 0;
    while (line_start < headers.size()) {
      std::size_t line_end = headers.find("\r\n", line_start);
      if (line_end == std::string_view::npos) line_end = headers.size();
      std::string_view line = headers.substr(line_start, line_end - line_start);
      line_start = line_end + 2;
      if (line.empty()) continue;
      std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) {
        return core::InvalidArgument("multipart header line without ':'");
      }
      std::string header_name = Lower(Trim(line.substr(0, colon)));
      std::string_view value = Trim(line.substr(colon + 1));
      if (header_name == "content-disposition") {
        if (Lower(value.substr(0, value.find(';'))) != "form-data") {
          return core::InvalidArgument("multipart part is not form-data");
        }
        has_disposition = true;
        name = HeaderParam(value, "name");
        filename = HeaderParam(value, "filename");
      } else if (header_name == "content-type") {
        content_type = std::string(value);
      }
    }
    if (!has_disposition || !name || name->empty()) {
      return core::InvalidArgument("multipart part without a form-data name");
    }
    std::size_t content_start = headers_end + 4;
    std::size_t content_end = body.find(next, content_start);
    if (content_end == std::string_view::npos) {
      return core::InvalidArgument("multipart body has no closing boundary");
    }
    std::string_view content = body.substr(content_start, content_end - content_start);
    pos = content_end + next.size();
    if (filename) {
      if (form.file) return core::InvalidArgument("multipart body holds more than one file");
      if (content.size() > limits.max_file_bytes) {
        return core::ResourceExhausted("uploaded file is larger than " +
                                       std::to_string(limits.max_file_bytes) + " bytes");
      }
      form.file = UploadedFile{*name, *filename, content_type, std::string(content)};
      continue;
    }
    if (form.fields.size() >= limits.max_fields) {
      return core::InvalidArgument("form has more than " + std::to_string(limits.max_fields) +
                                   " fields");
    }
    if (content.size() > limits.max_field_bytes || name->size() > limits.max_field_bytes) {
      return core::InvalidArgument("form field '" + *name + "' is larger than " +
                                   std::to_string(limits.max_field_bytes) + " bytes");
    }
    if (!core::IsValidUtf8(content) || !core::IsValidUtf8(*name)) {
      return core::InvalidArgument("form field '" + *name + "' is not valid UTF-8");
    }
    form.fields.emplace_back(std::move(*name), std::string(content));
  }
}

core::Result<FormData> ParseForm(std::string_view content_type, std::string_view body,
                                 const FormLimits& limits) {
  std::string media = Lower(Trim(content_type.substr(0, content_type.find(';'))));
  if (media == "application/x-www-form-urlencoded") return ParseUrlEncoded(body, limits);
  if (media == "multipart/form-data") {
    std::optional<std::string> boundary = HeaderParam(content_type, "boundary");
    if (!boundary) return core::InvalidArgument("multipart/form-data without a boundary");
    return ParseMultipart(body, *boundary, limits);
  }
  return core::InvalidArgument(
      "a form must be application/x-www-form-urlencoded or "
      "multipart/form-data, not '" +
      std::string(content_type.substr(0, 100)) + "'");
}

std::string_view CookieValue(std::string_view cookie_header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < cookie_header.size()) {
    std::size_t end = cookie_header.find(';', pos);
    if (end == std::string_view::npos) end = cookie_header.size();
    std::string_view pair = Trim(cookie_header.substr(pos, end - pos));
    pos = end + 1;
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (Trim(pair.substr(0, eq)) == name) {
      std::string_view value = Trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return value;
    }
  }
  return {};
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace vntrace::http::pages
