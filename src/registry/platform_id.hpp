// registry::PlatformIds: identifiers the platform issues to producers without GS1 keys.
//
// Decree 37/2026 Art. 28 lets non-GS1 codes be used only when they cannot collide with or be
// mistaken for GS1 codes. A platform id is an HTTP URI under the deployment's own domain,
//   https://{domain}/id/{kind}/{token}      kind: org, loc, product, lot, cert, user
// where the token is 20 lower-case base32 letters and digits 2-7 (100 random bits) that always
// starts with a letter. It is not a GS1 Digital Link (no path segment is an AI, which are all
// digits; the domain is never id.gs1.org), not an EPC URN, not a bare GS1 key (never all
// digits), and EPCIS 2.0 accepts it as an identifier URI. A producer who later licenses a GS1
// prefix keeps its platform ids for history.
//
// Thread-safety: immutable after construction; Issue uses the Random it is given.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(registry::PlatformIds ids,
//                            registry::PlatformIds::Create("https://truyxuat.example.vn"));
//   std::string org = ids.Issue(registry::IdKind::kOrg, random);
//   // "https://truyxuat.example.vn/id/org/k3m9..."
#pragma once

#include <string>
#include <string_view>

#include "core/random.hpp"
#include "core/result.hpp"

namespace vntrace::registry {

enum class IdKind { kOrg, kLocation, kProduct, kLot, kCertificate, kUser };

class PlatformIds {
 public:
  // `base_url` is "https://host[:port]" (http only for localhost and 127.0.0.1), without path,
  // query or fragment; a trailing '/' is dropped. kInvalidArgument ("base_url.invalid") for
  // anything else, and for GS1's own resolver domains (id.gs1.org, *.gs1.org).
  static core::Result<PlatformIds> Create(std::string_view base_url);

  const std::string& base_url() const { return base_url_; }

  // A new id of `kind`, random and unique with overwhelming probability.
  std::string Issue(IdKind kind, core::Random& random) const;

  // True when `id` is a platform id of this deployment (of any kind).
  bool IsPlatformId(std::string_view id) const;

 private:
  explicit PlatformIds(std::string base_url) : base_url_(std::move(base_url)) {}
  std::string base_url_;
};

// "org", "loc", "product", "lot", "cert", "user".
std::string_view IdKindSegment(IdKind kind);

}  // namespace vntrace::registry
