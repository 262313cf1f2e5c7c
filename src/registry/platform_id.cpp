#include "registry/platform_id.hpp"

#include <array>
#include <cstddef>

namespace vntrace::registry {
namespace {

constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::size_t kTokenChars = 20;  // 100 bits

core::Error InvalidBase(std::string_view base, std::string_view why) {
  return core::InvalidArgument(
      "the platform base URL '" + std::string(base) + "' is not usable: " + std::string(why),
      "base_url.invalid");
}

}  // namespace

std::string_view IdKindSegment(IdKind kind) {
  switch (kind) {
    case IdKind::kOrg:
      return "org";
    case IdKind::kLocation:
      return "loc";
    case IdKind::kProduct:
      return "product";
    case IdKind::kLot:
      return "lot";
    case IdKind::kCertificate:
      return "cert";
    case IdKind::kUser:
      return "user";
  }
  return "other";
}

core::Result<PlatformIds> PlatformIds::Create(std::string_view base_url) {
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  std::string_view rest;
  bool secure = false;
  if (base.starts_with("https://")) {
    rest = std::string_view(base).substr(8);
    secure = true;
  } else if (base.starts_with("http://")) {
    rest = std::string_view(base).substr(7);
  } else {
    return InvalidBase(base_url, "it must start with https://");
  }
  if (rest.empty() || rest.find_first_of("/?#@ ") != std::string_view::npos) {
    return InvalidBase(base_url, "it must be scheme and host only, e.g. https://truyxuat.vn");
  }
  for (char c : rest) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                    c == ':' || c == '[' || c == ']';
    if (!ok) {
      return InvalidBase(base_url, "the host must be lower-case letters, digits, '-' and '.'");
    }
  }
  const std::string_view host = rest.substr(
      0, rest.rfind(':') == std::string_view::npos || rest.back() == ']' ? rest.size()
                                                                         : rest.rfind(':'));
  if (host == "gs1.org" || host.ends_with(".gs1.org")) {
    return InvalidBase(base_url, "GS1's domains are for GS1 keys only");
  }
  if (!secure && host != "localhost" && host != "127.0.0.1" && host != "[::1]") {
    return InvalidBase(base_url, "http:// is allowed for localhost only; use https://");
  }
  return PlatformIds(std::move(base));
}

std::string PlatformIds::Issue(IdKind kind, core::Random& random) const {
  std::string token;
  token.reserve(kTokenChars);
  // The first character is a letter, so the token is never all digits.
  token += kAlphabet[random.UniformBelow(26)];
  while (token.size() < kTokenChars) {
    token += kAlphabet[random.UniformBelow(kAlphabet.size())];
  }
  return base_url_ + "/id/" + std::string(IdKindSegment(kind)) + "/" + token;
}

bool PlatformIds::IsPlatformId(std::string_view id) const {
  const std::string prefix = base_url_ + "/id/";
  if (!id.starts_with(prefix)) {
    return false;
  }
  std::string_view rest = id.substr(prefix.size());
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) {
    return false;
  }
  const std::string_view token = rest.substr(slash + 1);
  return token.size() == kTokenChars && token[0] >= 'a' && token[0] <= 'z' &&
         token.find_first_not_of(kAlphabet) == std::string_view::npos;
}

}  // namespace vntrace::registry
