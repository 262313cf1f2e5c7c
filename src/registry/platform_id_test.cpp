#include "registry/platform_id.hpp"

#include <set>

#include <gtest/gtest.h>

#include "gs1/digital_link.hpp"
#include "gs1/epc_urn.hpp"
#include "gs1/keys.hpp"

namespace vntrace::registry {
namespace {

TEST(PlatformIds, BaseUrlRules) {
  EXPECT_EQ(PlatformIds::Create("https://truyxuat.example.vn/")->base_url(),
            "https://truyxuat.example.vn");
  EXPECT_TRUE(PlatformIds::Create("http://127.0.0.1:8080").ok());
  EXPECT_TRUE(PlatformIds::Create("http://localhost:8080").ok());
  for (std::string_view bad : {"", "truyxuat.vn", "ftp://truyxuat.vn", "http://truyxuat.vn",
                               "https://id.gs1.org", "https://x.gs1.org", "https://truyxuat.vn/p",
                               "https://truyxuat.vn?x=1", "https://TruyXuat.vn", "https://"}) {
    core::Result<PlatformIds> ids = PlatformIds::Create(bad);
    ASSERT_FALSE(ids.ok()) << bad;
    EXPECT_EQ(ids.error().details, "base_url.invalid");
  }
}

TEST(PlatformIds, NeverLookLikeGs1Codes) {
  const PlatformIds ids = *PlatformIds::Create("https://truyxuat.example.vn");
  core::FakeRandom random(1);
  std::set<std::string> seen;
  for (IdKind kind : {IdKind::kOrg, IdKind::kLocation, IdKind::kProduct, IdKind::kLot,
                      IdKind::kCertificate, IdKind::kUser}) {
    for (int i = 0; i < 200; ++i) {
      const std::string id = ids.Issue(kind, random);
      EXPECT_TRUE(seen.insert(id).second) << id;
      EXPECT_TRUE(ids.IsPlatformId(id)) << id;
      EXPECT_TRUE(id.starts_with("https://truyxuat.example.vn/id/" +
                                 std::string(IdKindSegment(kind)) + "/"));
      EXPECT_FALSE(gs1::ParseDigitalLink(id).ok()) << id;
      EXPECT_FALSE(gs1::ParseDigitalLink(
                       id, {.permit_zero_suppressed_gtin = true, .permit_convenience_alphas = true})
                       .ok())
          << id;
      const std::string token = id.substr(id.rfind('/') + 1);
      EXPECT_FALSE(gs1::CheckKey(token).ok()) << id;
    }
  }
  EXPECT_FALSE(ids.IsPlatformId("https://id.gs1.org/01/08935001200017"));
  EXPECT_FALSE(ids.IsPlatformId("https://truyxuat.example.vn/id/org/12345678901234567890"));
  EXPECT_FALSE(ids.IsPlatformId("https://other.vn/id/org/abcdefghijabcdefghij"));
}

}  // namespace
}  // namespace vntrace::registry
