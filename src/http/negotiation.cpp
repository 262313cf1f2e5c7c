#include "http/negotiation.hpp"

#include <cctype>
#include <charconv>
#include <vector>

namespace vntrace::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A "qvalue" (RFC 9110 §12.4.2): 0 to 1 with at most three decimals; anything else is 0.
double ParseQ(std::string_view s) {
  s = Trim(s);
  double q = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), q);
  if (ec != std::errc() || end != s.data() + s.size() || q < 0 || q > 1) return 0;
  return q;
}

struct Range {
  std::string type;     // "*" for */*
  std::string subtype;  // "*" for type/*
  double q = 1;
};

std::vector<Range> ParseAccept(std::string_view accept) {
  std::vector<Range> out;
  while (!accept.empty()) {
    const std::size_t comma = accept.find(',');
    std::string_view item = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view{} : accept.substr(comma + 1);
    const std::size_t semi = item.find(';');
    const std::string media = Lower(Trim(item.substr(0, semi)));
    const std::size_t slash = media.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == media.size()) continue;
    Range r{media.substr(0, slash), media.substr(slash + 1), 1};
    std::string_view params = semi == std::string_view::npos ? "" : item.substr(semi + 1);
    while (!params.empty()) {
      const std::size_t next = params.find(';');
      const std::string_view param = Trim(params.substr(0, next));
      params = next == std::string_view::npos ? std::string_view{} : params.substr(next + 1);
      if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        r.q = ParseQ(param.substr(2));
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

double AcceptQuality(std::string_view accept, std::string_view media_type) {
  if (Trim(accept).empty()) return 1;
  const std::size_t slash = media_type.find('/');
  const std::string_view type = media_type.substr(0, slash);
  const std::string_view subtype =
      slash == std::string_view::npos ? std::string_view{} : media_type.substr(slash + 1);
  int best_specificity = -1;
  double q = 0;
  for (const Range& r : ParseAccept(accept)) {
    int specificity = -1;
    if (r.type == type && r.subtype == subtype) {
      specificity = 2;
    } else if (r.type == type && r.subtype == "*") {
      specificity = 1;
    } else if (r.type == "*" && r.subtype == "*") {
      specificity = 0;
    }
    if (specificity > best_specificity) {
      best_specificity = specificity;
      q = r.q;
    }
  }
  return q;
}

std::string PreferredMediaType(std::string_view accept,
                               std::initializer_list<std::string_view> offered) {
  std::string best;
  double best_q = 0;
  for (std::string_view media : offered) {
    const double q = AcceptQuality(accept, media);
    if (q > best_q) {
      best_q = q;
      best = std::string(media);
    }
  }
  return best;
}

std::string MediaTypeOf(std::string_view content_type) {
  return Lower(Trim(content_type.substr(0, content_type.find(';'))));
}

bool IsXmlMediaType(std::string_view media_type) {
  return media_type == "application/xml" || media_type == "text/xml" ||
         media_type.ends_with("+xml");
}

}  // namespace vntrace::http
