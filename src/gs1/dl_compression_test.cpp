#include "gs1/dl_compression.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "gs1/ai.hpp"
#include "gs1/digital_link.hpp"
#include "gs1/element.hpp"

#include "gs1/internal/dl_compression_tables.inc"

namespace vntrace::gs1 {
namespace {

constexpr CompressionOptions kNoOptimisations{.use_optimisations = false};

DigitalLinkOptions ZeroSuppressedGtin() {
  DigitalLinkOptions o;
  o.permit_zero_suppressed_gtin = true;
  return o;
}

std::string Segment(std::string_view uri) {
  uri = uri.substr(0, uri.find_first_of("?#"));
  return std::string(uri.substr(uri.rfind('/') + 1));
}

// Writes a bit string ("0000 0001 ...", spaces ignored) as a compressed segment, zero-padded.
std::string FromBits(std::string_view bits) {
  std::string clean;
  for (char c : bits) {
    if (c == '0' || c == '1') clean.push_back(c);
  }
  while (clean.size() % 6 != 0) clean.push_back('0');
  std::string out;
  for (std::size_t i = 0; i < clean.size(); i += 6) {
    int v = 0;
    for (std::size_t j = 0; j < 6; ++j) v = v * 2 + (clean[i + j] - '0');
    out.push_back(internal::kDlBase64Alphabet[static_cast<std::size_t>(v)]);
  }
  return out;
}

std::string Bits(std::uint64_t value, int nbits) {
  std::string s;
  for (int i = nbits - 1; i >= 0; --i) s.push_back(((value >> i) & 1) != 0 ? '1' : '0');
  return s;
}

// ---------------------------------------------------------------------------------------------
// Vectors.
//
// `compressed` without optimisations: Solidsoft-Reply/Gs1DigitalLinkLib
// Tests/Features/CompressGs1DigitalLink.feature and DecompressGs1DigitalLink.feature (scenario
// "Compress a decompressed Digital Link"; those vectors use no optimisation codes).
// `optimised`: the same Digital Link with optimisations on, worked out bit by bit from the
// standard's encoding and optimisation tables (no published vector uses optimisation codes);
// empty when no optimisation code applies.

struct Vector {
  std::string_view uri;
  std::string_view compressed;
  std::string_view optimised;
  std::string_view canonical;  // the decompressed URI when it differs from `uri`
  // Set when the vector is no valid Digital Link under the current AI dictionary (410-413 and
  // 416 are no longer primary keys, 415 needs 8020, the ITIP says piece 2 of 1): its
  // compression is checked from an unvalidated DigitalLink, and decompression must fail with
  // this text, which shows the bits were decoded up to validation.
  std::string_view invalid_now;
};

constexpr std::string_view kStem = "https://id.gs1.org/";

const std::vector<Vector>& Vectors() {
  static const std::vector<Vector> v = {
      {"00/998440410914660971", "AN2yxDhfaiaw", "", "", ""},
      {"01/05412345000013", "AQnYUc1gmg", "", "", ""},
      {"01/5412345000013", "AQnYUc1gmg", "", "01/05412345000013", ""},
      {"01/05412345000013/10/ABC123", "AQnYUc1gmiCNV4JG", "CwnYUc1gmo1XgkY", "", ""},
      {"01/05412345000013/10/ABC123/21/72292641703", "AQnYUc1gmiCNV4JGQhcNT6K6c",
       "CwnYUc1gmo1XgkZCFw1Porpw", "", ""},
      {"01/05412345000013/22/AJY3095721P49/10/ABC123/21/72292641703",
       "AQnYUc1gmiCNV4JGQhcNT6K6cibQCWN9Pee9tT-PQ", "CgnYUc1gmtoBLG-nvPe2p_HogjVeCRkIXDU-iun", "",
       ""},
      {"01/05412345000013/22/AJY3095721P49/10/ABC123", "AQnYUc1gmiCNV4JGRNoBLG-nvPe2p_Ho",
       "CgnYUc1gmtoBLG-nvPe2p_HogjVeCRg", "", ""},
      {"01/05412345000013/235/8TFV883a904GH%263", "AQnYUc1gmkax7ipGrOHDPC5YNI8hMz", "", "", ""},
      {"01/05412345000013/21/72292641703", "AQnYUc1gmkIXDU-iun", "DAnYUc1gmhcNT6K6c", "", ""},
      {"01/05412345000013/22/AJY3095721P49/21/72292641703", "AQnYUc1gmkIXDU-iunIm0AljfT3nvbU_j0",
       "CgnYUc1gmtoBLG-nvPe2p_HpCFw1Porpw", "", ""},
      {"01/05412345000013/22/AJY3095721P49", "AQnYUc1gmkTaASxvp7z3tqfx6",
       "CgnYUc1gmtoBLG-nvPe2p_Ho", "", ""},
      {"253/3060077601309", "JTLIetaiHYA", "", "", ""},
      {"255/5678409730535", "JVUqG5hJ5wA", "", "", ""},
      {"401/0541234537290A41%26GHpp33", "QBl2DVoxZM2jVm3ZOWEFoxTR5HDgzZg", "", "", ""},
      {"402/21173492661712079", "QCJZyW9mC6Z4", "", "", ""},
      {"410/5060917510004", "QQSaVjC_dA", "", "", "primary key"},
      {"411/5060917510004", "QRSaVjC_dA", "", "", "primary key"},
      {"412/5060917510004", "QSSaVjC_dA", "", "", "primary key"},
      {"413/5060917510004", "QTSaVjC_dA", "", "", "primary key"},
      {"414/5060917510004", "QUSaVjC_dA", "", "", ""},
      {"414/5060917510004/254/RP56J920471", "JUa0T-eifdtOO9UFEmlYwv3Q", "nUmlYwv3RrRP56J920471", "",
       ""},
      {"414/5060917510004/7040/5KFX", "QUSaVjC_dHBAVlCrg", "", "", ""},
      {"415/5060917510004", "QVSaVjC_dA", "", "", "(8020)"},
      {"416/5060917510004", "QWSaVjC_dA", "", "", "primary key"},
      {"417/5060917510004", "QXSaVjC_dA", "", "", ""},
      {"417/5060917510004/7040/5KFX", "QXSaVjC_dHBAVlCrg", "", "", ""},
      {"8004/0541234537290A41%26GHpp33/7040/7BVR", "cEB2CqjAAkuwatGLJm0as27JywgtGKaPI4cGbM", "", "",
       ""},
      {"8006/054123450000130201/22/AJY3095721P49/10/ABC123/21/72292641703",
       "EEarwSMhC4an0V05E2gEsb6e897an8ewAMGAkftmjYEy", "", "", "piece number exceeds total count"},
      {"8006/054123450000130201/10/ABC123/21/72292641703", "EEarwSMhC4an0V08ADBgJH7Zo2BMg", "", "",
       "piece number exceeds total count"},
      {"8006/054123450000130201/22/AJY3095721P49/10/ABC123", "EEarwSMibQCWN9Pee9tT-PYAGDASP2zRsCZ",
       "", "", "piece number exceeds total count"},
      {"8006/054123450000130201/10/ABC123", "EEarwSOABgwEj9s0bAmQ", "", "",
       "piece number exceeds total count"},
      {"8003/04965031954585", "gAMJCAXukTMA", "", "", ""},
      {"8004/0541234537290A41%26GHpp33", "gASXYNWjFkzaNWbdk5YQWjFNHkcODNm", "", "", ""},
      {"8006/054123450000130201", "gAYMBI_bNGwJk", "", "", "piece number exceeds total count"},
      {"8006/054123450000130201/22/AJY3095721P49", "Im0AljfT3nvbU_j2ABgwEj9s0bAmQ", "", "",
       "piece number exceeds total count"},
      {"8006/054123450000130201/22/AJY3095721P49/21/72292641703",
       "IQuGp9FdORNoBLG-nvPe2p_HsADBgJH7Zo2BMg", "", "", "piece number exceeds total count"},
      {"8006/054123450000130201/21/72292641703", "IQuGp9FdPAAwYCR-2aNgTI", "", "",
       "piece number exceeds total count"},
      {"8010/0541234537290A41%23GH33/8011/6639047221", "gBCVYNWjFkzaNWbdk5YQWjFHHkM2cAI0xdvpGo",
       "mpVg1aMWTNo1Zt2TlhBaMUceQzZ0xdvpGo", "", ""},
      {"8010/0541234537290A41%23GH33", "gBCVYNWjFkzaNWbdk5YQWjFHHkM2Y", "", "", ""},
      {"8013/5060917511473062B98T", "gBN05060917511473062B98T", "", "", ""},
      {"8017/817019610850151481", "gBe1ajAd9ATDk", "", "", ""},
      {"8017/817019610850151481/8019/4003812", "gBe1ajAd9ATDmAGXPRfk", "m7VqMB30BMOXPRfk", "", ""},
      {"8018/411369833821910265", "gBhbV6rzBENPk", "", "", ""},
      {"8018/411369833821910265/8019/4003812", "gBhbV6rzBENPmAGXPRfk", "nFtXqvMEQ0-XPRfk", "", ""},
  };
  return v;
}

std::string Full(std::string_view tail) { return std::string(kStem) + std::string(tail); }

// An unvalidated DigitalLink with the (AI, value) pairs of a path without percent-escapes.
DigitalLink FromPath(std::string_view tail) {
  DigitalLink dl;
  dl.stem = "https://id.gs1.org";
  while (!tail.empty()) {
    std::size_t slash = tail.find('/');
    std::string_view code = tail.substr(0, slash);
    tail.remove_prefix(slash + 1);
    std::size_t end = tail.find('/');
    dl.path.push_back({FindAi(code), std::string(tail.substr(0, end))});
    tail.remove_prefix(end == std::string_view::npos ? tail.size() : end + 1);
  }
  return dl;
}

DigitalLink VectorLink(const Vector& v) {
  if (!v.invalid_now.empty()) return FromPath(v.uri);
  auto dl = ParseDigitalLink(Full(v.uri), ZeroSuppressedGtin());
  EXPECT_TRUE(dl.ok()) << dl.error().ToString();
  return dl.ok() ? *dl : DigitalLink{};
}

TEST(DlCompressionVectors, CompressWithoutOptimisations) {
  for (const Vector& v : Vectors()) {
    SCOPED_TRACE(v.uri);
    EXPECT_EQ(CompressDigitalLink(VectorLink(v), kNoOptimisations), Full(v.compressed));
  }
}

TEST(DlCompressionVectors, CompressWithOptimisations) {
  for (const Vector& v : Vectors()) {
    SCOPED_TRACE(v.uri);
    std::string_view expected = v.optimised.empty() ? v.compressed : v.optimised;
    EXPECT_EQ(CompressDigitalLink(VectorLink(v)), Full(expected));
  }
}

TEST(DlCompressionVectors, Decompress) {
  for (const Vector& v : Vectors()) {
    for (std::string_view compressed : {v.compressed, v.optimised}) {
      if (compressed.empty()) continue;
      SCOPED_TRACE(compressed);
      auto dl = DecompressDigitalLink(Full(compressed));
      if (!v.invalid_now.empty()) {
        ASSERT_FALSE(dl.ok());
        EXPECT_NE(dl.error().message.find(v.invalid_now), std::string::npos) << dl.error().message;
        continue;
      }
      ASSERT_TRUE(dl.ok()) << dl.error().ToString();
      EXPECT_EQ(BuildDigitalLink(*dl), Full(v.canonical.empty() ? v.uri : v.canonical));
      EXPECT_EQ(dl->stem, "https://id.gs1.org");
    }
  }
}

TEST(DlCompressionVectors, ParseDigitalLinkRoutesCompressedUris) {
  for (const Vector& v : Vectors()) {
    if (!v.invalid_now.empty()) continue;
    SCOPED_TRACE(v.compressed);
    auto dl = ParseDigitalLink(Full(v.compressed));
    ASSERT_TRUE(dl.ok()) << dl.error().ToString();
    EXPECT_EQ(BuildDigitalLink(*dl), Full(v.canonical.empty() ? v.uri : v.canonical));
  }
}

// Partially compressed: the primary key stays uncompressed. Solidsoft-Reply/Gs1DigitalLinkLib
// DecompressGs1DigitalLink.feature, "Decompress a partially compressed Digital Link".
TEST(DlCompressionVectors, DecompressPartiallyCompressed) {
  struct Case {
    std::string_view partial;
    std::string_view expected;  // or, for the ITIP "piece 2 of 1", the error
  };
  const Case cases[] = {
      {"01/05412345000013/EEarwSM", "01/05412345000013/10/ABC123"},
      {"01/05412345000013/EEarwSMhC4an0V04", "01/05412345000013/10/ABC123/21/72292641703"},
      {"01/05412345000013/EEarwSMhC4an0V05E2gEsb6e897an8eg",
       "01/05412345000013/22/AJY3095721P49/10/ABC123/21/72292641703"},
      {"01/05412345000013/EEarwSMibQCWN9Pee9tT-PQ", "01/05412345000013/22/AJY3095721P49/10/ABC123"},
      {"01/05412345000013/I1j3FSNWcOGeFywaR5CZm", "01/05412345000013/235/8TFV883a904GH%263"},
      {"01/05412345000013/Im0AljfT3nvbU_j0", "01/05412345000013/22/AJY3095721P49"},
      {"01/05412345000013/IQuGp9FdO", "01/05412345000013/21/72292641703"},
      {"01/05412345000013/IQuGp9FdORNoBLG-nvPe2p_Ho",
       "01/05412345000013/22/AJY3095721P49/21/72292641703"},
      {"01/5412345000013/IQuGp9FdORNoBLG-nvPe2p_Ho",
       "01/05412345000013/22/AJY3095721P49/21/72292641703"},
      {"414/5060917510004/cEBWUKu", "414/5060917510004/7040/5KFX"},
      {"414/5060917510004/JUa0T-eifdtOO9Q", "414/5060917510004/254/RP56J920471"},
      {"417/5060917510004/cEBWUKu", "417/5060917510004/7040/5KFX"},
      {"8004/0541234537290A41%26GHpp33/cEB2Cqi", "8004/0541234537290A41%26GHpp33/7040/7BVR"},
      {"8006/054123450000130201/EEarwSM", "8006/054123450000130201/10/ABC123"},
      {"8006/054123450000130201/EEarwSMhC4an0V04",
       "8006/054123450000130201/10/ABC123/21/72292641703"},
      {"8006/054123450000130201/EEarwSMhC4an0V05E2gEsb6e897an8eg",
       "8006/054123450000130201/22/AJY3095721P49/10/ABC123/21/72292641703"},
      {"8006/054123450000130201/EEarwSMibQCWN9Pee9tT-PQ",
       "8006/054123450000130201/22/AJY3095721P49/10/ABC123"},
      {"8006/054123450000130201/Im0AljfT3nvbU_j0", "8006/054123450000130201/22/AJY3095721P49"},
      {"8006/054123450000130201/IQuGp9FdO", "8006/054123450000130201/21/72292641703"},
      {"8006/054123450000130201/IQuGp9FdORNoBLG-nvPe2p_Ho",
       "8006/054123450000130201/22/AJY3095721P49/21/72292641703"},
      {"8010/0541234537290A41%23GH33/gBGmLt9I1", "8010/0541234537290A41%23GH33/8011/6639047221"},
      {"8017/817019610850151481/gBlz0X5A", "8017/817019610850151481/8019/4003812"},
      {"8018/411369833821910265/gBlz0X5A", "8018/411369833821910265/8019/4003812"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.partial);
    EXPECT_TRUE(LooksLikeCompressedDigitalLink(Full(c.partial)));
    auto dl = DecompressDigitalLink(Full(c.partial), ZeroSuppressedGtin());
    if (c.partial.starts_with("8006/")) {
      ASSERT_FALSE(dl.ok());
      EXPECT_NE(dl.error().message.find("piece number exceeds total count"), std::string::npos)
          << dl.error().message;
      continue;
    }
    ASSERT_TRUE(dl.ok()) << dl.error().ToString();
    EXPECT_EQ(BuildDigitalLink(*dl), Full(c.expected));
  }
}

TEST(DlCompression, PartiallyCompressedWithConvenienceName) {
  DigitalLinkOptions alphas;
  alphas.permit_convenience_alphas = true;
  auto dl = DecompressDigitalLink("https://example.com/gtin/05412345000013/EEarwSM", alphas);
  ASSERT_TRUE(dl.ok()) << dl.error().ToString();
  EXPECT_EQ(BuildDigitalLink(*dl), "https://example.com/01/05412345000013/10/ABC123");
  // Without the option "gtin" is part of the stem, and (10) alone has no primary key.
  auto plain = DecompressDigitalLink("https://example.com/gtin/05412345000013/EEarwSM");
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.error().message.find("primary key"), std::string::npos) << plain.error().message;
  // A stem that only looks like a key path is read as a stem.
  auto stem = DecompressDigitalLink("https://example.com/01/not-a-gtin/AN2yxDhfaiaw");
  ASSERT_TRUE(stem.ok()) << stem.error().ToString();
  EXPECT_EQ(stem->stem, "https://example.com/01/not-a-gtin");
  EXPECT_EQ(stem->primary_key().code(), "00");
}

// Non-GS1 key=value pairs and fragments: Solidsoft-Reply/Gs1DigitalLinkLib
// AdditionalUriContent.feature.
TEST(DlCompressionVectors, OtherParamsAndFragment) {
  const std::string uncompressed =
      "https://id.gs1.org/01/05412345000013/10/ABC123?17=290331&arv=true&donor=bmgf";
  auto dl = ParseDigitalLink(uncompressed);
  ASSERT_TRUE(dl.ok()) << dl.error().ToString();

  const std::string pairs_compressed =
      "https://id.gs1.org/AQnYUc1gmiCNV4JGLo3Dfg2q72Etrue8K7RPRWwjc0D4";
  const std::string pairs_plain = "https://id.gs1.org/AQnYUc1gmiCNV4JGLo3DY?arv=true&donor=bmgf";
  EXPECT_EQ(CompressDigitalLink(*dl, kNoOptimisations), pairs_compressed);
  CompressionOptions plain = kNoOptimisations;
  plain.compress_other_params = false;
  EXPECT_EQ(CompressDigitalLink(*dl, plain), pairs_plain);

  for (const std::string& compressed : {pairs_compressed, pairs_plain}) {
    SCOPED_TRACE(compressed);
    auto back = DecompressDigitalLink(compressed);
    ASSERT_TRUE(back.ok()) << back.error().ToString();
    EXPECT_EQ(BuildDigitalLink(*back), uncompressed);
  }
  for (std::string_view partial :
       {"https://id.gs1.org/01/05412345000013/EEarwSMXRuG_BtV3sJbXc94V2ieithG5oHw",
        "https://id.gs1.org/01/05412345000013/EEarwSMXRuGw?arv=true&donor=bmgf"}) {
    SCOPED_TRACE(partial);
    auto back = DecompressDigitalLink(partial);
    ASSERT_TRUE(back.ok()) << back.error().ToString();
    EXPECT_EQ(BuildDigitalLink(*back), uncompressed);
  }

  DigitalLink with_fragment = *dl;
  with_fragment.other_params.clear();
  with_fragment.fragment = "chapter1";
  EXPECT_EQ(CompressDigitalLink(with_fragment, kNoOptimisations),
            "https://id.gs1.org/AQnYUc1gmiCNV4JGLo3DY#chapter1");
  auto back = DecompressDigitalLink("https://id.gs1.org/AQnYUc1gmiCNV4JGLo3DY#chapter1");
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->fragment, "chapter1");
  EXPECT_EQ(BuildDigitalLink(*back),
            "https://id.gs1.org/01/05412345000013/10/ABC123?17=290331#chapter1");
}

// Other published pairs: Trust-Codes-Ltd/gs1-compression tests/test_central_functions.py and
// the GS1 Resolver CE 3.0 announcement (gs1/GS1_DigitalLink_Resolver_CE discussion 95).
TEST(DlCompressionVectors, OtherImplementations) {
  struct Case {
    std::string_view uncompressed;
    std::string_view compressed;
  };
  const Case cases[] = {
      {"https://dlnkd.tn.gg/01/09780345418913", "https://dlnkd.tn.gg/ARHKVAdpQg"},
      {"http://example.org/01/05412345000013/10/ABC%26%2B123?7003=1903061658&expdt=1903061658&"
       "k1=v1",
       "http://example.org/AQnYUc1gmiERBhQ0ytiyZuAGOLc1TXhXsaXbQKHFuaprwUmrBX6g"},
      {"https://example.com/01/05392000229648/10/LOT01/21/SERIAL01",
       "https://example.com/AQnO2IRCICDKWcnpqQtCQiJABemo"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.uncompressed);
    auto dl = ParseDigitalLink(c.uncompressed);
    ASSERT_TRUE(dl.ok()) << dl.error().ToString();
    EXPECT_EQ(CompressDigitalLink(*dl, kNoOptimisations), c.compressed);
    auto back = DecompressDigitalLink(c.compressed);
    ASSERT_TRUE(back.ok()) << back.error().ToString();
    EXPECT_EQ(BuildDigitalLink(*back), c.uncompressed);
  }
}

// ---------------------------------------------------------------------------------------------
// Format details.

TEST(DlCompression, OptimisationTableIsConsistent) {
  std::set<std::uint8_t> codes;
  for (const internal::DlOptimisation& opt : internal::kDlOptimisations) {
    EXPECT_TRUE(codes.insert(opt.code).second) << int{opt.code};
    EXPECT_TRUE((opt.code >> 4) > 9 || (opt.code & 0xF) > 9) << int{opt.code};
    EXPECT_NE(opt.code >> 4, 0xF) << int{opt.code};
    for (std::size_t i = 0; i < opt.count; ++i) {
      EXPECT_NE(FindAi(opt.ais[i]), nullptr) << opt.ais[i];
    }
  }
}

TEST(DlCompression, TieBetweenOptimisationsGoesToTheEarlierCode) {
  // (01)+(10) and (01)+(17) both save four digits: 0B comes first in the table.
  auto dl = ParseDigitalLink("https://id.gs1.org/01/05412345000013/10/ABC123?17=290331");
  ASSERT_TRUE(dl.ok()) << dl.error().ToString();
  EXPECT_EQ(CompressDigitalLink(*dl), "https://id.gs1.org/CwnYUc1gmo1XgkYujcNg");
  // (01)(10)(21)(17) as one code.
  dl = ParseDigitalLink("https://id.gs1.org/01/05412345000013/10/ABC123/21/72292641703?17=290331");
  ASSERT_TRUE(dl.ok()) << dl.error().ToString();
  EXPECT_EQ(CompressDigitalLink(*dl), "https://id.gs1.org/GgnYUc1gmo1XgkYXDU-iunRuGw");
  // Longest first: 2D (01+3103) over 0B (01+10); 3923 then stays plain.
  dl = ParseDigitalLink(
      "https://id.gs1.org/01/05412345000013/10/ABC%26%2B123?3103=000189&3923=2172");
  ASSERT_TRUE(dl.ok()) << dl.error().ToString();
  EXPECT_EQ(CompressDigitalLink(*dl), "https://id.gs1.org/LQnYUc1gmgAXohEQYUNMrYsmZyRoQ-A");
  auto back = DecompressDigitalLink("https://id.gs1.org/LQnYUc1gmgAXohEQYUNMrYsmZyRoQ-A");
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(FindValue(back->attributes, "3923"), "2172");
}

TEST(DlCompression, DecodesHandBuiltStreams) {
  // (01) as nibbles, then 47 bits of 05412345000013, then (10) enc 2 (upper hex) length 6.
  std::string gtin = "0000 0001" + Bits(5412345000013, 47);
  std::string lot = "0001 0000 010 00110" + Bits(0xABC123, 24);
  auto dl = DecompressDigitalLink(Full(FromBits(gtin + lot)));
  ASSERT_TRUE(dl.ok()) << dl.error().ToString();
  EXPECT_EQ(BuildDigitalLink(*dl), "https://id.gs1.org/01/05412345000013/10/ABC123");
  // The same lot in lower-case hex decodes to lower case.
  std::string lower = "0001 0000 001 00110" + Bits(0xABC123, 24);
  dl = DecompressDigitalLink(Full(FromBits(gtin + lower)));
  ASSERT_TRUE(dl.ok()) << dl.error().ToString();
  EXPECT_EQ(dl->path[1].value, "abc123");
  // Numeric encoding keeps leading zeros: 7 digits "0012345" in 24 bits.
  std::string serial = "0010 0001 000 00111" + Bits(12345, 24);
  dl = DecompressDigitalLink(Full(FromBits(gtin + serial)));
  ASSERT_TRUE(dl.ok()) << dl.error().ToString();
  EXPECT_EQ(dl->path[1].value, "0012345");
  // 7-bit ASCII.
  std::string ascii = "0010 0001 100 00010" + Bits('a', 7) + Bits('!', 7);
  dl = DecompressDigitalLink(Full(FromBits(gtin + ascii)));
  ASSERT_TRUE(dl.ok()) << dl.error().ToString();
  EXPECT_EQ(dl->path[1].value, "a!");
  // A non-GS1 pair: F, key length 2, "k1", enc 3, length 2, "v1".
  std::string pair =
      "1111 0000010" + Bits(36, 6) + Bits(53, 6) + "011 0000010" + Bits(47, 6) + Bits(53, 6);
  dl = DecompressDigitalLink(Full(FromBits(gtin + pair)));
  ASSERT_TRUE(dl.ok()) << dl.error().ToString();
  ASSERT_EQ(dl->other_params.size(), 1u);
  EXPECT_EQ(dl->other_params[0].first, "k1");
  EXPECT_EQ(dl->other_params[0].second, "v1");
}

TEST(DlCompression, UsesTheStandardsBitCountForFiftyNineDigits) {
  // ceil(59 * log2(10) + 0.01) = 197 bits, one more than needed: 1E (01+91) takes
  // 8 + 47 + 3 + 7 + 197 = 262 bits = 44 characters.
  DigitalLink dl;
  dl.path.push_back({FindAi("01"), "05412345000013"});
  dl.attributes.push_back({FindAi("91"), std::string(59, '7')});
  ASSERT_TRUE(ValidateDigitalLink(dl).ok()) << ValidateDigitalLink(dl).error().ToString();
  std::string compressed = CompressDigitalLink(dl);
  EXPECT_EQ(Segment(compressed).size(), 44u);
  auto back = DecompressDigitalLink(compressed);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(FindValue(back->attributes, "91"), std::string(59, '7'));
}

TEST(DlCompression, KeepsWhatItCannotCompressInTheQuery) {
  DigitalLink dl;
  dl.stem = "https://example.com/";
  dl.path.push_back({FindAi("01"), "05412345000013"});
  dl.other_params = {{"linkType", "gs1:pip"}, {"note", "caf\xC3\xA9"}, {"a.b", "c"}};
  std::string compressed = CompressDigitalLink(dl, kNoOptimisations);
  EXPECT_TRUE(compressed.starts_with("https://example.com/AQnYUc1gm"));
  EXPECT_NE(compressed.find("?note=caf%C3%A9&a.b=c"), std::string::npos) << compressed;
  auto back = DecompressDigitalLink(compressed);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->stem, "https://example.com");
  std::vector<std::pair<std::string, std::string>> expected = dl.other_params;
  EXPECT_EQ(back->other_params, expected);
}

// ---------------------------------------------------------------------------------------------
// Round trip over generated Digital Links.

class Generator {
 public:
  explicit Generator(std::uint32_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(int percent) { return Int(1, 100) <= percent; }

  std::string Digits(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + Int(0, 9)));
    return s;
  }
  static std::string WithCheckDigit(std::string body) {
    int sum = 0;
    int weight = 3;
    for (std::size_t i = body.size(); i-- > 0;) {
      sum += (body[i] - '0') * weight;
      weight = 4 - weight;
    }
    body.push_back(static_cast<char>('0' + (10 - sum % 10) % 10));
    return body;
  }
  std::string Gtin() { return WithCheckDigit(std::to_string(Int(0, 8)) + "541234" + Digits(6)); }
  std::string Gln() { return WithCheckDigit("541234" + Digits(6)); }
  std::string Date() {
    int year = Int(0, 99);
    int month = Int(1, 12);
    int day = Int(1, 28);
    return fmt::format("{:02}{:02}{:02}", year, month, day);
  }
  std::string Text(int min, int max) {
    static constexpr std::string_view kCset82 =
        "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
    static constexpr std::string_view kHexUpper = "0123456789ABCDEF";
    static constexpr std::string_view kHexLower = "0123456789abcdef";
    static constexpr std::string_view kDigits = "0123456789";
    std::string_view alphabet;
    switch (Int(0, 4)) {
      case 0:
        alphabet = kDigits;
        break;
      case 1:
        alphabet = kHexUpper;
        break;
      case 2:
        alphabet = kHexLower;
        break;
      case 3:
        alphabet = internal::kDlBase64Alphabet.substr(0, 62);
        break;
      default:
        alphabet = kCset82;
        break;
    }
    std::string s;
    int n = Int(min, max);
    int last = static_cast<int>(alphabet.size()) - 1;
    for (int i = 0; i < n; ++i) {
      s.push_back(alphabet[static_cast<std::size_t>(Int(0, last))]);
    }
    return s;
  }
  std::string Key() {
    std::string s;
    int n = Int(1, 10);
    for (int i = 0; i < n; ++i) {
      s.push_back(internal::kDlBase64Alphabet[static_cast<std::size_t>(Int(0, 63))]);
    }
    if (s.find_first_not_of("0123456789") == std::string::npos) s.insert(0, "k");
    return s;
  }
  std::string PrintableValue() {
    std::string s;
    int n = Int(0, 30);
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>(Int(0x20, 0x7E)));
    return s;
  }

  AiElements Elements() {
    AiElements e;
    auto add = [&e](std::string_view code, std::string value) {
      e.push_back({FindAi(code), std::move(value)});
    };
    switch (Int(0, 9)) {
      case 0:
      case 1:
      case 2:
        add("01", Gtin());
        if (Chance(40)) add("22", Text(1, 20));
        if (Chance(60)) add("10", Text(1, 20));
        if (Chance(60)) add("21", Text(1, 20));
        for (std::string_view date : {"11", "13", "15", "16", "17"}) {
          if (Chance(20)) add(date, Date());
        }
        if (Chance(25)) add("310" + std::to_string(Int(0, 5)), Digits(6));
        if (Chance(15)) add("7003", Date() + "1230");
        if (Chance(15)) add("91", Text(1, 90));
        if (Chance(10)) {
          std::string time = Date() + "12";
          add("8008", Chance(50) ? time + "3045" : time);
        }
        if (Chance(10)) {
          std::string from = Date();
          add("7007", Chance(50) ? from + Date() : from);
        }
        break;
      case 3:
        add("00", WithCheckDigit(std::to_string(Int(0, 9)) + "541234" + Digits(10)));
        if (Chance(40)) {
          add("02", Gtin());
          add("37", std::to_string(Int(1, 99999999)));
        }
        break;
      case 4:
        if (Chance(50)) {
          add("414", Gln());
          if (Chance(50)) add("254", Text(1, 20));
        } else {
          add("417", Gln());
          if (Chance(50)) add("7040", "5KFX");
        }
        break;
      case 5:
        add("8004", "541234" + Text(1, 24));
        if (Chance(30)) add("7040", "7BVR");
        break;
      case 6:
        add("8006", Gtin());
        e.back().value += "0" + std::to_string(Int(1, 4)) + "04";  // piece of 4
        if (Chance(50)) add("10", Text(1, 20));
        if (Chance(50)) add("21", Text(1, 20));
        break;
      case 7:
        add("253", WithCheckDigit("541234" + Digits(6)));
        if (Chance(50)) e.back().value += Text(1, 17);  // serial component
        break;
      case 8:
        add("255", WithCheckDigit("541234" + Digits(6)));
        if (Chance(50)) e.back().value += Digits(Int(1, 12));  // serial component
        if (Chance(40)) {
          std::string code = "390" + std::to_string(Int(0, 9));
          add(code, Digits(Int(1, 15)));
        }
        break;
      default:
        if (Chance(50)) {
          add("8017", WithCheckDigit("541234" + Digits(11)));
        } else {
          add("8018", WithCheckDigit("541234" + Digits(11)));
        }
        if (Chance(50)) add("8019", std::to_string(Int(1, 999999999)));
        break;
    }
    return e;
  }

  DigitalLink Make() {
    static constexpr std::array<std::string_view, 4> kStems = {
        "https://id.gs1.org", "https://example.com", "https://example.com/some/prefix",
        "HTTP://EXAMPLE.COM"};
    AiElements elements = Elements();
    auto dl = DigitalLinkFromElements(elements, kStems[static_cast<std::size_t>(Int(0, 3))]);
    if (!dl.ok()) return {};
    int pairs = Int(0, 3);
    for (int i = 0; i < pairs; ++i) {
      if (Chance(85)) {
        dl->other_params.emplace_back(Key(), PrintableValue());
      } else {
        dl->other_params.emplace_back("x.y", "\xC3\xA9t\xC3\xA9");
      }
    }
    if (Chance(20)) dl->fragment = "frag" + Digits(2);
    return *dl;
  }

 private:
  std::mt19937 rng_;
};

AiElements SortedAttributes(const DigitalLink& dl) {
  AiElements a = dl.attributes;
  std::sort(a.begin(), a.end(),
            [](const AiElement& x, const AiElement& y) { return x.code() < y.code(); });
  return a;
}

TEST(DlCompression, RoundTripsGeneratedDigitalLinks) {
  Generator gen(20240611);
  int checked = 0;
  for (int i = 0; i < 400; ++i) {
    DigitalLink dl = gen.Make();
    if (dl.path.empty() || !ValidateDigitalLink(dl).ok()) continue;
    ++checked;
    for (bool optimise : {true, false}) {
      for (bool pairs : {true, false}) {
        CompressionOptions options{.use_optimisations = optimise, .compress_other_params = pairs};
        std::string compressed = CompressDigitalLink(dl, options);
        SCOPED_TRACE(BuildDigitalLink(dl) + " -> " + compressed);
        EXPECT_TRUE(LooksLikeCompressedDigitalLink(compressed));
        auto back = DecompressDigitalLink(compressed);
        ASSERT_TRUE(back.ok()) << back.error().ToString();
        EXPECT_EQ(back->stem, dl.stem);
        EXPECT_EQ(back->path, dl.path);
        EXPECT_EQ(SortedAttributes(*back), SortedAttributes(dl));
        auto expected_pairs = dl.other_params;
        auto got_pairs = back->other_params;
        std::sort(expected_pairs.begin(), expected_pairs.end());
        std::sort(got_pairs.begin(), got_pairs.end());
        EXPECT_EQ(got_pairs, expected_pairs);
        EXPECT_EQ(back->fragment, dl.fragment);
      }
    }
  }
  EXPECT_GE(checked, 300);
}

// ---------------------------------------------------------------------------------------------
// Malformed input.

std::string ErrorOf(std::string_view uri, const DigitalLinkOptions& options = {}) {
  auto dl = DecompressDigitalLink(uri, options);
  if (dl.ok()) return "OK";
  EXPECT_EQ(dl.error().code, core::ErrorCode::kInvalidArgument) << dl.error().ToString();
  return dl.error().message;
}

// A two-digit AI prefix with no AI, and an AI code of a known prefix that is not in the
// dictionary.
std::string UnassignedPrefix() {
  for (int p = 0; p < 100; ++p) {
    std::string two = {static_cast<char>('0' + p / 10), static_cast<char>('0' + p % 10)};
    if (AiLengthForPrefix(two) == 0) return two;
  }
  return "";
}

std::string UnknownCode() {
  for (int p = 0; p < 100; ++p) {
    std::string two = {static_cast<char>('0' + p / 10), static_cast<char>('0' + p % 10)};
    int len = AiLengthForPrefix(two);
    if (len == 0) continue;
    if (len == 2) {
      if (FindAi(two) == nullptr) return two;
      continue;
    }
    for (int rest = 0; rest < (len == 3 ? 10 : 100); ++rest) {
      std::string code = two + (len == 3 ? std::to_string(rest)
                                         : std::string(1, static_cast<char>('0' + rest / 10)) +
                                               static_cast<char>('0' + rest % 10));
      if (FindAi(code) == nullptr) return code;
    }
  }
  return "";
}

std::string CodeBits(std::string_view code) {
  std::string bits;
  for (char c : code) bits += Bits(static_cast<std::uint64_t>(c - '0'), 4);
  return bits;
}

TEST(DlCompressionMalformed, ReportsWhatAndWhere) {
  const std::string gtin = "0000 0001" + Bits(5412345000013, 47);
  struct Case {
    std::string uri;
    std::string expected;  // a substring of the message
  };
  const std::string unassigned = UnassignedPrefix();
  const std::string unknown = UnknownCode();
  ASSERT_FALSE(unassigned.empty());
  ASSERT_FALSE(unknown.empty());
  const Case cases[] = {
      {"https://id.gs1.org/AN2yx*hfaiaw", "character '*' at position 25 is not in the base64url"},
      {"https://id.gs1.org/AN2yx.hfaiaw", "character '.' at position 25"},
      {"https://id.gs1.org/AN2yxDhfai", "truncated: AI (00) needs 60 bits at bit 8"},
      {"https://id.gs1.org/AN2yxDhfaiawA",
       "AI (00) at bit 68 (character 12 of the compressed segment) repeats the one at bit 0"},
      {"https://id.gs1.org/AN2yxDhfaiax", "padding bits from bit 68 (character 12"},
      {"https://id.gs1.org/", "no compressed segment"},
      {"https://id.gs1.org", "has no path"},
      {"https:///AN2yxDhfaiaw", "has no host"},
      {"ftp://id.gs1.org/AN2yxDhfaiaw", "must start with http:// or https://"},
      {"https://id.gs1.org/AN2y xDhfaiaw", "character 0x20 at position 24"},
      {"https://id.gs1.org/" + std::string(9000, 'A'), "longer than 8192 characters"},
      {Full(FromBits(CodeBits(unassigned) + Bits(0, 40))),
       "starts with " + unassigned + ", as no AI does"},
      {Full(FromBits(CodeBits(unknown) + Bits(0, 40))), "unknown AI (" + unknown + ") at bit 0"},
      {Full(FromBits("0100 0001 1010" + Bits(0, 40))), "AI code digit 0xA at bit 8"},
      {Full(FromBits("1101 0000" + Bits(0, 40))), "undefined optimisation code D0 at bit 0"},
      {Full(FromBits(gtin + "0001 0000 101 00001 0000")), "reserved encoding indicator 5"},
      {Full(FromBits(gtin + "0001 0000 011 11111" + Bits(0, 60))),
       "length 31 of AI (10) at bit 66 (character 12 of the compressed segment) exceeds the "
       "maximum 20"},
      {Full(FromBits("0000 0000" + std::string(60, '1'))), "has more than 18 digits"},
      {Full(FromBits(gtin + gtin)),
       "AI (01) at bit 55 (character 10 of the compressed segment) "
       "repeats the one at bit 0"},
      {Full(FromBits(gtin + "1111 0000000" + Bits(0, 20))), "has an empty key"},
      {Full(FromBits(gtin + "1111 0000001" + Bits(53, 6) + "011 0000001" + Bits(0, 6))),
       "numeric key '1'"},
      {Full(FromBits(gtin + "1111 0000001" + Bits(0, 6) + "111 0000001" + Bits(0, 6))),
       "reserved encoding indicator 7 for the value of non-GS1 key 'A'"},
      {Full(FromBits("0001 0000 011 00001" + Bits(0, 6))), "primary key"},
      {Full(FromBits("0000 0001" + Bits(5412345000014, 47))), "AI (01)"},  // bad check digit
      {"https://id.gs1.org/01/123/EEarwSM", "uncompressed primary key"},
      {"https://id.gs1.org/AQnYUc1gmg?x=%ZZ", "malformed percent-escape at position 33"},
      {"https://id.gs1.org/AQnYUc1gmg?99999=1", "unknown AI (99999)"},
      {"https://id.gs1.org/AQnYUc1gmg?01=05412345000013", "also in the compressed data"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.uri.substr(0, 120));
    std::string message = ErrorOf(c.uri);
    EXPECT_NE(message.find(c.expected), std::string::npos) << message;
  }
}

TEST(DlCompressionMalformed, NeverCrashesOnRandomOrMutatedInput) {
  std::mt19937 rng(7);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string segment;
    int n = pick(1, 60);
    for (int j = 0; j < n; ++j) {
      segment.push_back(internal::kDlBase64Alphabet[static_cast<std::size_t>(pick(0, 63))]);
    }
    auto dl = DecompressDigitalLink(Full(segment));
    if (dl.ok()) {
      ++accepted;
    } else {
      EXPECT_EQ(dl.error().code, core::ErrorCode::kInvalidArgument);
    }
  }
  // Mutations and truncations of valid streams.
  for (const Vector& v : Vectors()) {
    std::string segment(v.compressed);
    for (std::size_t len = 0; len <= segment.size(); ++len) {
      auto dl = DecompressDigitalLink(Full(segment.substr(0, len)));
      if (!dl.ok()) {
        EXPECT_EQ(dl.error().code, core::ErrorCode::kInvalidArgument);
      }
    }
    for (std::size_t pos = 0; pos < segment.size(); ++pos) {
      for (int k = 0; k < 8; ++k) {
        std::string mutated = segment;
        mutated[pos] = internal::kDlBase64Alphabet[static_cast<std::size_t>(pick(0, 63))];
        auto dl = DecompressDigitalLink(Full(mutated));
        if (!dl.ok()) {
          EXPECT_EQ(dl.error().code, core::ErrorCode::kInvalidArgument);
        }
      }
    }
  }
  // Arbitrary bytes.
  for (int i = 0; i < 2000; ++i) {
    std::string uri = "https://";
    int n = pick(0, 80);
    for (int j = 0; j < n; ++j) uri.push_back(static_cast<char>(pick(0, 255)));
    auto dl = DecompressDigitalLink(uri);
    if (!dl.ok()) {
      EXPECT_EQ(dl.error().code, core::ErrorCode::kInvalidArgument);
    }
  }
  EXPECT_LT(accepted, 20000);
}

TEST(DlCompression, LooksLikeCompressed) {
  struct Case {
    std::string_view uri;
    bool expected;
  };
  const Case cases[] = {
      {"https://id.gs1.org/AN2yxDhfaiaw", true},
      {"https://id.gs1.org/AQnYUc1gmiCNV4JG?linkType=all#x", true},
      {"https://example.com/some/prefix/CwnYUc1gmo1XgkY", true},
      {"https://id.gs1.org/01/05412345000013/EEarwSM", true},
      {"https://id.gs1.org/01/05412345000013", false},
      {"https://id.gs1.org/01/05412345000013/10/ABC123", false},
      {"https://id.gs1.org/8004/ABCDEFG", false},
      {"https://id.gs1.org/", false},
      {"https://id.gs1.org", false},
      {"https://id.gs1.org/AN2y%20", false},
      {"https://id.gs1.org/0AN2y", false},
      {"https://id.gs1.org/_AN2y", false},
      {"https://id.gs1.org/sAN2y", false},
      {"AN2yxDhfaiaw", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(LooksLikeCompressedDigitalLink(c.uri), c.expected) << c.uri;
  }
}

}  // namespace
}  // namespace vntrace::gs1
