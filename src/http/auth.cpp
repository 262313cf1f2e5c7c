#include "http/auth.hpp"

#include <array>
#include <cstddef>
#include <utility>

#include <fmt/format.h>

#include "core/sha256.hpp"

namespace vntrace::http {
namespace {

constexpr std::string_view kKeyPrefix = "vk_";
constexpr std::size_t kKeyIdBytes = 8;    // 16 hex characters
constexpr std::size_t kSecretBytes = 32;  // 43 base64url characters

std::string Base64Url(std::span<const std::byte> bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (std::byte b : bytes) {
    buffer = (buffer << 8) | std::to_integer<unsigned>(b);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 63]);
  return out;
}

// Compares without an early exit, so timing does not reveal how much matched.
bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]);
  }
  return diff == 0;
}

core::Error Invalid() { return core::Unauthenticated("invalid API key"); }

}  // namespace

core::Result<std::string> CreateApiKey(store::Store& store, const core::Clock& clock,
                                       core::Random& random, std::string_view label,
                                       std::string_view org_id) {
  if (!org_id.empty()) {
    core::Result<store::Organisation> org = store.registry().GetOrganisation(org_id);
    if (!org.ok()) return std::move(org).error();
  }
  std::array<std::byte, kSecretBytes> secret{};
  random.Fill(secret);
  store::ApiKey key;
  key.key_id = random.Hex(kKeyIdBytes);
  std::string secret_text = Base64Url(secret);
  key.secret_hash = core::Sha256Hex(secret_text);
  key.label = std::string(label);
  key.created_at = clock.Now();
  key.org_id = std::string(org_id);
  VNTRACE_RETURN_IF_ERROR(store.CreateApiKey(key));
  return fmt::format("{}{}_{}", kKeyPrefix, key.key_id, secret_text);
}

core::Result<Principal> Authenticate(const Request& request, store::Store& store) {
  std::string_view header = request.Header("Authorization");
  if (header.empty()) {
    return core::Unauthenticated("missing API key: send Authorization: Bearer <key>");
  }
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.substr(0, kBearer.size()) != kBearer) {
    return core::Unauthenticated("the Authorization header must be 'Bearer <key>'");
  }
  std::string_view token = header.substr(kBearer.size());
  if (token.size() != kKeyPrefix.size() + 2 * kKeyIdBytes + 1 + 43 ||
      token.substr(0, kKeyPrefix.size()) != kKeyPrefix) {
    return Invalid();
  }
  std::string_view key_id = token.substr(kKeyPrefix.size(), 2 * kKeyIdBytes);
  if (token[kKeyPrefix.size() + 2 * kKeyIdBytes] != '_') return Invalid();
  std::string_view secret = token.substr(kKeyPrefix.size() + 2 * kKeyIdBytes + 1);
  core::Result<store::ApiKey> key = store.FindApiKey(key_id);
  if (!key.ok()) {
    if (key.error().code == core::ErrorCode::kNotFound) return Invalid();
    return std::move(key).error();
  }
  if (!ConstantTimeEqual(core::Sha256Hex(secret), key->secret_hash)) return Invalid();
  return Principal{.key_id = key->key_id, .label = key->label, .org_id = key->org_id};
}

Handler RequireApiKey(store::Store& store, Handler inner) {
  return [&store, inner = std::move(inner)](Request& request) {
    if (core::Result<Principal> who = Authenticate(request, store); !who.ok()) {
      Response response = ErrorResponse(who.error());
      response.headers["WWW-Authenticate"] = "Bearer realm=\"vntrace\"";
      return response;
    }
    return inner(request);
  };
}

}  // namespace vntrace::http
