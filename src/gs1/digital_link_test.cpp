#include "gs1/digital_link.hpp"

#include <gtest/gtest.h>

#include <map>

#include <boost/json.hpp>

#include "core/test_support.hpp"
#include "gs1/dl_compression.hpp"
#include "gs1/element_string.hpp"
#include "gs1/keys.hpp"

namespace vntrace::gs1 {
namespace {

// The syntax engine's unbracketed notation: '^' for FNC1 before the data and after every value
// of an AI without predefined length that is not last.
std::string EngineNotation(const AiElements& elements) {
  std::string out = "^";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    out += elements[i].code();
    out += elements[i].value;
    if (!elements[i].ai->predefined_length && i + 1 < elements.size()) out += '^';
  }
  return out;
}

boost::json::value LoadVectors(const std::filesystem::path& conformance) {
  std::string text =
      testing::ReadFileOrEmpty(conformance / "digital-link/gs1-syntax-engine-dl-vectors.json");
  return boost::json::parse(text);
}

bool UnknownAiVector(const boost::json::object& v) {
  const auto* options = v.if_contains("options");
  return options != nullptr && options->as_object().contains("permitUnknownAIs");
}

DigitalLinkOptions OptionsOf(const boost::json::object& v) {
  DigitalLinkOptions options;
  if (const auto* o = v.if_contains("options")) {
    const auto& obj = o->as_object();
    if (auto* z = obj.if_contains("permitZeroSuppressedGTINinDLuris")) {
      options.permit_zero_suppressed_gtin = z->as_bool();
    }
    if (auto* a = obj.if_contains("permitConvenienceAlphas")) {
      options.permit_convenience_alphas = a->as_bool();
    }
  }
  return options;
}

TEST(DigitalLinkConformance, SyntaxEngineParseVectors) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  boost::json::value vectors = LoadVectors(conformance);
  int checked = 0;
  int unknown_ai = 0;
  for (const auto& item : vectors.at("parse").as_array()) {
    const auto& v = item.as_object();
    std::string uri(v.at("uri").as_string());
    SCOPED_TRACE("source_line " + std::to_string(v.at("source_line").as_int64()) + ": " + uri);
    if (UnknownAiVector(v)) {
      // vntrace never accepts unknown AIs (a deliberate policy): these vectors must be refused.
      EXPECT_FALSE(ParseDigitalLink(uri, OptionsOf(v)).ok());
      ++unknown_ai;
      continue;
    }
    auto dl = ParseDigitalLink(uri, OptionsOf(v));
    if (v.at("valid").as_bool()) {
      ASSERT_TRUE(dl.ok()) << dl.error().message;
      EXPECT_EQ(EngineNotation(dl->AllElements()), v.at("expected_element_string").as_string());
    } else {
      EXPECT_FALSE(dl.ok()) << "accepted: " << BuildDigitalLink(*dl);
    }
    ++checked;
  }
  EXPECT_EQ(checked + unknown_ai, 118);
  EXPECT_EQ(unknown_ai, 2);
}

TEST(DigitalLinkConformance, SyntaxEngineGenerateVectors) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  boost::json::value vectors = LoadVectors(conformance);
  int checked = 0;
  for (const auto& item : vectors.at("generate").as_array()) {
    const auto& v = item.as_object();
    std::string es(v.at("element_string").as_string());
    SCOPED_TRACE("source_line " + std::to_string(v.at("source_line").as_int64()) + ": " + es);
    std::string stem = v.at("stem").is_null() ? std::string(kCanonicalStem)
                                              : std::string(v.at("stem").as_string());
    auto elements = ParseBracketedElementString(es);
    core::Result<DigitalLink> dl = elements.ok() ? DigitalLinkFromElements(*elements, stem)
                                                 : core::Result<DigitalLink>(elements.error());
    if (v.at("valid").as_bool() && !UnknownAiVector(v)) {
      ASSERT_TRUE(dl.ok()) << dl.error().message;
      EXPECT_EQ(BuildDigitalLink(*dl), v.at("expected_uri").as_string());
    } else {
      EXPECT_FALSE(dl.ok());
    }
    ++checked;
  }
  EXPECT_EQ(checked, 22);
}

// A valid sample value for each AI that appears in a Digital Link path.
const std::map<std::string, std::string>& SampleValues() {
  static const std::map<std::string, std::string> values = {
      {"00", "006141411234567890"},
      {"01", "09520123456788"},
      {"10", "LOT1"},
      {"21", "SER1"},
      {"22", "CPV1"},
      {"235", "TPX1"},
      {"253", "1231231231232XYZ"},
      {"255", "1231231231232123"},
      {"401", "9520123ABC"},
      {"402", "95201234567890122"},
      {"414", "9520123456788"},
      {"254", "EXT1"},
      {"7040", "1A2B"},
      {"417", "9520123456788"},
      {"8003", "01231231231232ABC"},
      {"8004", "9520614141234567"},
      {"8006", "095201234567880102"},
      {"8010", "9520123"},
      {"8011", "123"},
      {"8013", "1987654Ad4X4bL5ttr2310c2K"},
      {"8017", "795260646688514634"},
      {"8018", "123456789012345675"},
      {"8019", "123"},
  };
  return values;
}

TEST(DigitalLinkConformance, EveryValidPathSequenceParses) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  boost::json::value vectors = LoadVectors(conformance);
  int checked = 0;
  for (const auto& seq : vectors.at("valid_path_sequences").as_array()) {
    std::string uri = "https://example.com";
    for (const auto& ai : seq.as_array()) {
      std::string code(ai.as_string());
      uri += "/" + code + "/" + PercentEncodeDlValue(SampleValues().at(code));
    }
    SCOPED_TRACE(uri);
    auto dl = ParseDigitalLink(uri, DigitalLinkOptions{.validate_associations = false});
    EXPECT_TRUE(dl.ok()) << dl.error().message;
    ++checked;
  }
  EXPECT_EQ(checked, 37);
}

struct ParseCase {
  std::string uri;
  bool valid;
  std::string expected;  // bracketed element string, or a fragment of the error message
};

TEST(DigitalLink, ParseTable) {
  const ParseCase cases[] = {
      {"https://id.gs1.org/01/08935001200017", true, "(01)08935001200017"},
      {"https://vntrace.vn/t/01/08935001200017/10/L%C3%B4", false, "invalid character"},
      {"https://id.gs1.org/01/08935001200018", false, "check digit"},
      {"https://id.gs1.org/01/08935001200017/21/A/10/B", false, "out of order"},
      {"https://id.gs1.org/01/08935001200017/10/A/22/B", false, "out of order"},
      {"https://id.gs1.org/01/08935001200017/235/A/21/B", false, "out of order"},
      {"https://id.gs1.org/01/08935001200017?17=261231&10=X", false, "must be in the URI path"},
      {"https://id.gs1.org/01/08935001200017?17=261399", false, "AI (17)"},
      {"https://id.gs1.org/01/08935001200017?21=X", false, "data attribute"},
      {"https://id.gs1.org/414/8935001200000/254/A", true, "(414)8935001200000(254)A"},
      {"https://id.gs1.org/10/ABC", false, "primary key"},
      {"https://id.gs1.org/01/08935001200017?linkType=gs1:pip&17=261231", true,
       "(01)08935001200017(17)261231"},
      {"https://id.gs1.org/01/08935001200017/10/A%2", false, "percent-escape"},
      {"ftp://id.gs1.org/01/08935001200017", false, "http"},
      {"https://id.gs1.org/01/08935001200017/10/A b", false, "not allowed in a URI"},
  };
  for (const ParseCase& c : cases) {
    SCOPED_TRACE(c.uri);
    auto dl = ParseDigitalLink(c.uri);
    if (c.valid) {
      ASSERT_TRUE(dl.ok()) << dl.error().message;
      EXPECT_EQ(ToBracketedElementString(dl->AllElements()), c.expected);
    } else {
      ASSERT_FALSE(dl.ok());
      EXPECT_NE(dl.error().message.find(c.expected), std::string::npos) << dl.error().message;
    }
  }
}

TEST(DigitalLink, KeepsStemOtherParamsAndFragment) {
  auto dl = ParseDigitalLink(
      "https://truyxuat.example.vn/p/q/01/08935001200017/10/L%2F1?linkType=gs1%3Apip&17=261231"
      "&x#top");
  ASSERT_TRUE(dl.ok()) << dl.error().message;
  EXPECT_EQ(dl->stem, "https://truyxuat.example.vn/p/q");
  EXPECT_EQ(dl->path[1].value, "L/1");
  ASSERT_EQ(dl->other_params.size(), 2u);
  EXPECT_EQ(dl->other_params[0].first, "linkType");
  EXPECT_EQ(dl->other_params[0].second, "gs1:pip");
  EXPECT_EQ(dl->other_params[1].first, "x");
  EXPECT_EQ(dl->fragment, "top");
  EXPECT_EQ(CanonicalDigitalLink(*dl), "https://id.gs1.org/01/08935001200017/10/L%2F1?17=261231");
  EXPECT_EQ(
      BuildDigitalLink(*dl),
      "https://truyxuat.example.vn/p/q/01/08935001200017/10/L%2F1?17=261231&linkType=gs1%3Apip"
      "&x#top");
}

TEST(DigitalLink, RoundTripsThroughBuild) {
  const char* uris[] = {
      "https://id.gs1.org/01/08935001200017/22/V1/10/L01/21/S%2B1?17=261231&3103=001250",
      "https://id.gs1.org/00/089350012000000017",
      "https://id.gs1.org/8004/8935001ABC?01=08935001200017",
      "https://id.gs1.org/414/8935001200000/254/KHO-A",
  };
  for (const char* uri : uris) {
    SCOPED_TRACE(uri);
    auto dl = ParseDigitalLink(uri);
    ASSERT_TRUE(dl.ok()) << dl.error().message;
    EXPECT_EQ(BuildDigitalLink(*dl), uri);
  }
}

TEST(DigitalLink, RejectsOverlongInput) {
  std::string uri = "https://id.gs1.org/01/08935001200017?x=" + std::string(9000, 'a');
  auto dl = ParseDigitalLink(uri);
  ASSERT_FALSE(dl.ok());
  EXPECT_NE(dl.error().message.find("longer than"), std::string::npos);
}

TEST(DigitalLink, FromElementsRefusesConflictingQualifiers) {
  auto elements = ParseBracketedElementString("(01)08935001200017(235)A(10)B");
  ASSERT_TRUE(elements.ok());
  auto dl = DigitalLinkFromElements(*elements);
  ASSERT_FALSE(dl.ok());
  EXPECT_NE(dl.error().message.find("cannot be used together"), std::string::npos);
}

// Fuzzer findings: a percent-encoded numeric query key is an AI, and compressed links whose
// qualifier sits in the query or whose stem holds AI-like segments round-trip.
TEST(DigitalLink, FuzzerRegressions) {
  auto encoded_key = ParseDigitalLink("https://a/01/12312312312333?9%39=X");
  ASSERT_TRUE(encoded_key.ok()) << encoded_key.error().message;
  EXPECT_EQ(FindValue(encoded_key->attributes, "99"), "X");
  EXPECT_FALSE(ParseDigitalLink("https://a/01/12312312312333?98%32=X").ok());
  for (const char* uri : {"https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123",
                          "https://a/8004/951412C567and.exacom/01/09520123456788"}) {
    SCOPED_TRACE(uri);
    auto dl = ParseDigitalLink(uri);
    ASSERT_TRUE(dl.ok()) << dl.error().message;
    auto back = DecompressDigitalLink(CompressDigitalLink(*dl));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->path, dl->path);
    EXPECT_EQ(back->attributes, dl->attributes);
  }
}

}  // namespace
}  // namespace vntrace::gs1
