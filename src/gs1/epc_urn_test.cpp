#include "gs1/epc_urn.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/test_support.hpp"
#include "gs1/ai.hpp"
#include "gs1/digital_link.hpp"

namespace vntrace::gs1 {
namespace {

using Path = std::vector<std::pair<std::string, std::string>>;

Path PathOf(const DigitalLink& dl) {
  Path out;
  for (const AiElement& e : dl.path) {
    out.emplace_back(std::string(e.code()), e.value);
  }
  return out;
}

DigitalLink MakeDl(const Path& path) {
  DigitalLink dl;
  dl.stem = std::string(kCanonicalStem);
  for (const auto& [code, value] : path) {
    const AiDefinition* def = FindAi(code);
    EXPECT_NE(def, nullptr) << code;
    dl.path.push_back(AiElement{def, value});
  }
  return dl;
}

// The GS1 Company Prefix length of a URN: digits after the fourth ':' up to the first '.'.
int GcpLengthOf(const std::string& urn) {
  std::size_t start = 0;
  for (int i = 0; i < 4; ++i) start = urn.find(':', start) + 1;
  return static_cast<int>(urn.find('.', start) - start);
}

// Each element's AI is from the dictionary and its value passes the AI's checks.
void ExpectValidElements(const DigitalLink& dl, const std::string& context) {
  EXPECT_EQ(dl.stem, kCanonicalStem) << context;
  for (const AiElement& e : dl.path) {
    ASSERT_NE(e.ai, nullptr) << context;
    EXPECT_EQ(e.ai, FindAi(e.code())) << context;
    core::Status valid = ValidateAiValue(*e.ai, e.value);
    EXPECT_TRUE(valid.ok()) << context << ": " << valid.error().message;
  }
}

struct PairCase {
  const char* urn;
  Path path;
  const char* source;
};

// URN ⇄ Digital Link pairs. Sources: the TDS/digest examples, the canonical DLs in the CBV 2.0
// event-hash pre-hash strings (../shared/conformance/hash, copied here so that the test runs
// without ../shared), and check digits computed by hand for the 12-digit-GCP corner cases.
const std::vector<PairCase>& Pairs() {
  static const std::vector<PairCase> kPairs = {
      {"urn:epc:id:sgtin:0614141.107346.2017", {{"01", "10614141073464"}, {"21", "2017"}}, "TDS"},
      {"urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()",
       {{"01", "80614141123458"}, {"21", "6789/&%\"!?()"}},
       "hash epclist_normalisation"},
      {"urn:epc:id:sgtin:4012345.011111.98%22", {{"01", "04012345111118"}, {"21", "98\""}}, "hash"},
      {"urn:epc:id:sgtin:415056789012.0.987654",
       {{"01", "04150567890128"}, {"21", "987654"}},
       "hash: 12-digit GCP, indicator only"},
      {"urn:epc:id:sgtin:4012345.012345.12", {{"01", "04012345123456"}, {"21", "12"}}, "hash"},
      {"urn:epc:id:sgtin:030001.0012345.11",
       {{"01", "00300010123455"}, {"21", "11"}},
       "OpenEPCIS URN, 6-digit GCP"},
      {"urn:epc:id:sgtin:0614141.107346.a.b.c",
       {{"01", "10614141073464"}, {"21", "a.b.c"}},
       "TDS: dots in the last component"},
      {"urn:epc:class:lgtin:0614141.077777.987",
       {{"01", "00614141777778"}, {"10", "987"}},
       "digest"},
      {"urn:epc:class:lgtin:4054739.099914.20160711",
       {{"01", "04054739999148"}, {"10", "20160711"}},
       "hash"},
      {"urn:epc:idpat:sgtin:4054739.099914.*", {{"01", "04054739999148"}}, "hash"},
      {"urn:epc:id:sscc:4012345.0000000333", {{"00", "040123450000003338"}}, "hash"},
      {"urn:epc:id:sscc:4012345.3111111111", {{"00", "340123451111111111"}}, "hash"},
      {"urn:epc:id:sscc:4012345.1112223334", {{"00", "140123451122233341"}}, "hash"},
      {"urn:epc:id:sgln:4012345.00011.987", {{"414", "4012345000115"}, {"254", "987"}}, "hash"},
      {"urn:epc:id:sgln:4012345.00011.0", {{"414", "4012345000115"}}, "hash: extension 0"},
      {"urn:epc:id:sgln:0614141.07346.1234", {{"414", "0614141073467"}, {"254", "1234"}}, "hash"},
      {"urn:epc:id:sgln:4012345.00000.5", {{"414", "4012345000009"}, {"254", "5"}}, "hash"},
      {"urn:epc:id:sgln:952005385.011.scA",
       {{"414", "9520053850113"}, {"254", "scA"}},
       "OpenEPCIS URN"},
      {"urn:epc:id:sgln:999999999999..0", {{"414", "9999999999994"}}, "empty location ref"},
      {"urn:epc:id:pgln:4000001.98765", {{"417", "4000001987658"}}, "hash"},
      {"urn:epc:id:pgln:999999999999.", {{"417", "9999999999994"}}, "hash: empty party ref"},
      {"urn:epc:id:grai:4012345.66666.87", {{"8003", "0401234566666387"}}, "hash"},
      {"urn:epc:id:grai:4012345.00022.334455", {{"8003", "04012345000221334455"}}, "hash"},
      {"urn:epc:idpat:grai:4012345.66666.*", {{"8003", "04012345666663"}}, "hash"},
      {"urn:epc:id:giai:4012345.AAbb", {{"8004", "4012345AAbb"}}, "hash"},
      {"urn:epc:id:giai:4000001.111", {{"8004", "4000001111"}}, "hash"},
      {"urn:epc:id:gsrn:4012345.9876540000", {{"8018", "401234598765400000"}}, "hash"},
      {"urn:epc:id:gsrn:4012345.0000006765", {{"8018", "401234500000067657"}}, "hash"},
      {"urn:epc:id:gsrnp:4012345.0000098765", {{"8017", "401234500000987658"}}, "hash"},
      {"urn:epc:id:gsrnp:4012345.0000000007", {{"8017", "401234500000000074"}}, "hash"},
      {"urn:epc:id:gdti:4012345.55555.98", {{"253", "401234555555498"}}, "hash"},
      {"urn:epc:id:gdti:4012345.00009.PO-4711", {{"253", "4012345000092PO-4711"}}, "hash"},
      {"urn:epc:id:gdti:987659999999..9", {{"253", "98765999999929"}}, "hash: empty type"},
      {"urn:epc:idpat:gdti:4012345.55555.*", {{"253", "4012345555554"}}, "hash"},
      {"urn:epc:id:sgcn:4012345.99999.44", {{"255", "401234599999044"}}, "hash"},
      {"urn:epc:id:sgcn:4012345.99999.0044", {{"255", "40123459999900044"}}, "padded serial"},
      {"urn:epc:idpat:sgcn:4012345.99999.*", {{"255", "4012345999990"}}, "hash"},
      {"urn:epc:id:cpi:4012345.ABC.123", {{"8010", "4012345ABC"}, {"8011", "123"}}, "hash"},
      {"urn:epc:id:cpi:0614141.11111111111111-A%23%2F.1234",
       {{"8010", "061414111111111111111-A#/"}, {"8011", "1234"}},
       "hash epclist_normalisation"},
      {"urn:epc:id:cpi:0614141.5PQ7%2FZ43.0",
       {{"8010", "06141415PQ7/Z43"}, {"8011", "0"}},
       "serial 0"},
      {"urn:epc:idpat:cpi:4012345.ABC.*", {{"8010", "4012345ABC"}}, "hash"},
      {"urn:epc:id:itip:4012345.012345.01.02.999",
       {{"8006", "040123451234560102"}, {"21", "999"}},
       "hash"},
      {"urn:epc:idpat:itip:4012345.012345.01.02.*", {{"8006", "040123451234560102"}}, "hash"},
      {"urn:epc:id:upui:4012345.012345.AB12", {{"01", "04012345123456"}, {"235", "AB12"}}, "hash"},
      {"urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB",
       {{"01", "01234567987651"}, {"235", "51qIgY)<&Jp3*j7'SDB"}},
       "hash epclist_normalisation"},
      {"urn:epc:id:ginc:4012345.333", {{"401", "4012345333"}}, "hash"},
      {"urn:epc:id:ginc:0614141.xyz47%2F11", {{"401", "0614141xyz47/11"}}, "hash"},
      {"urn:epc:id:gsin:4012345.999987654", {{"402", "40123459999876541"}}, "hash"},
      {"urn:epc:id:gsin:4012345.222333444", {{"402", "40123452223334442"}}, "hash"},
  };
  return kPairs;
}

TEST(EpcUrnToDigitalLink, ConvertsEveryScheme) {
  for (const PairCase& c : Pairs()) {
    SCOPED_TRACE(std::string(c.urn) + " (" + c.source + ")");
    auto dl = EpcUrnToDigitalLink(c.urn);
    ASSERT_TRUE(dl.ok()) << dl.error().message;
    EXPECT_EQ(PathOf(*dl), c.path);
    EXPECT_TRUE(dl->attributes.empty());
    ExpectValidElements(*dl, c.urn);
  }
}

TEST(EpcUrnToDigitalLink, BuildsTheCanonicalUri) {
  auto dl = EpcUrnToDigitalLink("urn:epc:id:sgtin:0614141.107346.2017");
  ASSERT_TRUE(dl.ok()) << dl.error().message;
  EXPECT_EQ(BuildDigitalLink(*dl), "https://id.gs1.org/01/10614141073464/21/2017");
  auto sgln = EpcUrnToDigitalLink("urn:epc:id:sgln:4012345.00011.987");
  ASSERT_TRUE(sgln.ok()) << sgln.error().message;
  EXPECT_EQ(BuildDigitalLink(*sgln), "https://id.gs1.org/414/4012345000115/254/987");
}

TEST(EpcUrnToDigitalLink, SchemeAndNamespaceAreCaseInsensitive) {
  const Path want = {{"01", "10614141073464"}, {"21", "2017"}};
  for (const char* urn :
       {"URN:EPC:id:sgtin:0614141.107346.2017", "Urn:Epc:id:sgtin:0614141.107346.2017",
        "urn:EPC:id:sgtin:0614141.107346.2017"}) {
    auto dl = EpcUrnToDigitalLink(urn);
    ASSERT_TRUE(dl.ok()) << urn << ": " << dl.error().message;
    EXPECT_EQ(PathOf(*dl), want) << urn;
  }
}

TEST(EpcUrnToDigitalLink, AcceptsAnyEscapeOfTheCharacterSet) {
  // Lower-case hex and escapes of characters that may also appear raw decode alike.
  auto dl = EpcUrnToDigitalLink("urn:epc:id:sgtin:0614141.107346.a%2fb%21%41");
  ASSERT_TRUE(dl.ok()) << dl.error().message;
  EXPECT_EQ(dl->path[1].value, "a/b!A");
}

TEST(DigitalLinkToEpcUrn, ConvertsEveryScheme) {
  for (const PairCase& c : Pairs()) {
    SCOPED_TRACE(std::string(c.urn) + " (" + c.source + ")");
    auto urn = DigitalLinkToEpcUrn(MakeDl(c.path), GcpLengthOf(c.urn));
    ASSERT_TRUE(urn.ok()) << urn.error().message;
    // TDS escapes only " % & / < > ? (and # / in a CPI reference); everything else is raw.
    EXPECT_EQ(*urn, c.urn);
  }
}

TEST(DigitalLinkToEpcUrn, ExamplesWithOtherGcpLengths) {
  struct Case {
    Path path;
    int gcp_length;
    const char* urn;
  };
  const Case cases[] = {
      {{{"01", "10614141073464"}, {"21", "2017"}}, 9, "urn:epc:id:sgtin:061414107.1346.2017"},
      {{{"01", "10614141073464"}, {"21", "2017"}}, 12, "urn:epc:id:sgtin:061414107346.1.2017"},
      {{{"01", "10614141073464"}, {"21", "2017"}}, 6, "urn:epc:id:sgtin:061414.1107346.2017"},
      {{{"00", "106141411234567897"}}, 7, "urn:epc:id:sscc:0614141.1123456789"},
      {{{"00", "106141411234567897"}}, 12, "urn:epc:id:sscc:061414112345.16789"},
      {{{"414", "0614141000005"}}, 12, "urn:epc:id:sgln:061414100000..0"},
      {{{"414", "0614141000005"}, {"254", "a/b"}}, 7, "urn:epc:id:sgln:0614141.00000.a%2Fb"},
      {{{"8003", "006141410000122"}}, 7, "urn:epc:id:grai:0614141.00001.2"},
      {{{"8003", "00614141000012"}}, 7, "urn:epc:idpat:grai:0614141.00001.*"},
      {{{"8004", "0614141ABC/?1"}}, 7, "urn:epc:id:giai:0614141.ABC%2F%3F1"},
      {{{"8004", "0614141001A&B"}}, 9, "urn:epc:id:giai:061414100.1A%26B"},
      {{{"253", "0614141000012"}}, 7, "urn:epc:idpat:gdti:0614141.00001.*"},
      {{{"8006", "106141410734640102"}}, 7, "urn:epc:idpat:itip:0614141.107346.01.02.*"},
      {{{"01", "10614141073464"}, {"10", "L<1>"}},
       7,
       "urn:epc:class:lgtin:0614141.107346.L%3C1%3E"},
      // A lot beside the serial is not part of the SGTIN.
      {{{"01", "10614141073464"}, {"10", "L1"}, {"21", "S1"}},
       7,
       "urn:epc:id:sgtin:0614141.107346.S1"},
  };
  for (const Case& c : cases) {
    auto urn = DigitalLinkToEpcUrn(MakeDl(c.path), c.gcp_length);
    ASSERT_TRUE(urn.ok()) << c.urn << ": " << urn.error().message;
    EXPECT_EQ(*urn, c.urn);
    // And back: the URN carries the partition, so the same elements come out.
    auto back = EpcUrnToDigitalLink(*urn);
    ASSERT_TRUE(back.ok()) << *urn << ": " << back.error().message;
    if (c.path.size() == 3) continue;  // the lot was dropped on purpose
    EXPECT_EQ(PathOf(*back), c.path) << *urn;
  }
}

TEST(DigitalLinkToEpcUrn, FromParsedDigitalLinks) {
  struct Case {
    const char* uri;
    int gcp_length;
    const char* urn;
  };
  const Case cases[] = {
      {"https://id.gs1.org/01/10614141073464/21/2017", 7, "urn:epc:id:sgtin:0614141.107346.2017"},
      {"https://example.com/some/path/01/10614141073464/21/2017?17=251231", 7,
       "urn:epc:id:sgtin:0614141.107346.2017"},
      {"https://id.gs1.org/01/80614141123458/21/6789%2F%26%25%22%21%3F%28%29", 7,
       "urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()"},
      {"https://id.gs1.org/414/4012345000115/254/987", 7, "urn:epc:id:sgln:4012345.00011.987"},
      {"https://id.gs1.org/8010/061414111111111111111-A%23%2F/8011/1234", 7,
       "urn:epc:id:cpi:0614141.11111111111111-A%23%2F.1234"},
  };
  for (const Case& c : cases) {
    auto dl = ParseDigitalLink(c.uri);
    ASSERT_TRUE(dl.ok()) << c.uri << ": " << dl.error().message;
    auto urn = DigitalLinkToEpcUrn(*dl, c.gcp_length);
    ASSERT_TRUE(urn.ok()) << c.uri << ": " << urn.error().message;
    EXPECT_EQ(*urn, c.urn) << c.uri;
  }
}

struct BadUrn {
  const char* urn;
  const char* message;  // a fragment the error message must contain
};

TEST(EpcUrnToDigitalLink, RefusesMalformedUrns) {
  const BadUrn cases[] = {
      {"", "must start with \"urn:epc:\""},
      {"urn:epc", "must start with \"urn:epc:\""},
      {"urn:epcx:id:sgtin:0614141.107346.2017", "must start with \"urn:epc:\""},
      {"urn:isbn:0451450523", "must start with \"urn:epc:\""},
      {"https://id.gs1.org/01/10614141073464", "must start with \"urn:epc:\""},
      {" urn:epc:id:sgtin:0614141.107346.2017", "must start with"},
      {"urn:epc:ID:sgtin:0614141.107346.2017", "category \"ID\" is not supported"},
      {"urn:epc:tag:sgtin-96:3.0614141.107346.2017", "category \"tag\" is not supported"},
      {"urn:epc:id", "no scheme"},
      {"urn:epc:id:sgtin", "no ':' after its scheme"},
      {"urn:epc:id:SGTIN:0614141.107346.2017", "unknown EPC URN scheme \"SGTIN\""},
      {"urn:epc:id:foo:1.2", "unknown EPC URN scheme \"foo\""},
      {"urn:epc:id:gid:95100000.12345.400", "no GS1 Digital Link form"},
      {"urn:epc:id:usdod:2S194.12345678901", "no GS1 Digital Link form"},
      {"urn:epc:class:sgtin:0614141.107346.1", "no GS1 Digital Link form"},
      {"urn:epc:idpat:sscc:0614141.*", "no GS1 Digital Link form"},
      {"urn:epc:idpat:sgln:0614141.00001.*", "no GS1 Digital Link form"},
      // Component counts.
      {"urn:epc:id:sgtin:0614141.107346", "expected 3 components"},
      {"urn:epc:id:sgtin:", "expected 3 components"},
      {"urn:epc:id:itip:4012345.012345.01.02", "expected 5 components"},
      // Company prefix.
      {"urn:epc:id:sgtin:.0614141107346.2017", "company prefix is empty"},
      {"urn:epc:id:sgtin:06141.10734612.2017", "company prefix must be 6 to 12 digits, got 5"},
      {"urn:epc:id:sgtin:0614141073461..2017", "company prefix must be 6 to 12 digits, got 13"},
      {"urn:epc:id:sgtin:061414A.107346.2017", "company prefix must be digits: 'A' at position 7"},
      {"urn:epc:id:sgtin:-614141.107346.2017", "company prefix must be digits"},
      // Digit counts and letters in numeric fields.
      {"urn:epc:id:sgtin:0614141.10734.2017",
       "indicator digit and item reference must be 6 digits (13 minus the 7-digit company "
       "prefix), got 5"},
      {"urn:epc:id:sgtin:0614141.1073466.2017", "must be 6 digits"},
      {"urn:epc:id:sgtin:061414112345..2017", "must be 1 digit (13 minus"},
      {"urn:epc:id:sgtin:0614141.10734X.2017", "must be digits: 'X' at position 6"},
      {"urn:epc:id:sscc:0614141.123456789", "must be 10 digits"},
      {"urn:epc:id:sscc:0614141.123456789.0", "must be digits: '.' at position 10"},
      {"urn:epc:id:sgln:0614141.0001.0", "location reference must be 5 digits"},
      {"urn:epc:id:pgln:0614141.00001.0", "party reference must be digits"},
      {"urn:epc:id:grai:0614141.123456.1", "asset type must be 5 digits"},
      {"urn:epc:id:gsrn:0614141.123456789", "service reference must be 10 digits"},
      {"urn:epc:id:gsin:0614141.12345678", "shipper reference must be 9 digits"},
      {"urn:epc:id:gdti:0614141.1234.1", "document type must be 5 digits"},
      {"urn:epc:id:sgcn:0614141.12345.A1", "serial must be 1 to 12 digits"},
      {"urn:epc:id:sgcn:0614141.12345.1234567890123", "serial must be 1 to 12 digits"},
      {"urn:epc:id:sgcn:0614141.12345.", "serial must be 1 to 12 digits"},
      {"urn:epc:id:cpi:0614141.ABC.0123", "without leading zeros"},
      {"urn:epc:id:cpi:0614141.ABC.1234567890123", "1 to 12 digits"},
      {"urn:epc:id:cpi:0614141.abc.1",
       "component/part reference: character 'a' at position 1 is "
       "not allowed"},
      {"urn:epc:id:cpi:0614141.A%2A.1", "not in GS1 AI character set 39"},
      {"urn:epc:id:cpi:0614141..1", "component/part reference is empty"},
      {"urn:epc:id:itip:4012345.012345.1.02.999", "piece must be 2 digits"},
      {"urn:epc:id:itip:4012345.012345.03.02.999", "AI (8006)"},  // piece > total
      {"urn:epc:id:itip:4012345.012345.00.02.999", "AI (8006)"},
      // Serial components.
      {"urn:epc:id:sgtin:0614141.107346.", "serial is empty"},
      {"urn:epc:id:sgtin:0614141.107346.a/b",
       "character '/' at position 2 must be %-escaped "
       "as %2F"},
      {"urn:epc:id:sgtin:0614141.107346.a?b", "must be %-escaped as %3F"},
      {"urn:epc:id:sgtin:0614141.107346.a\"b", "must be %-escaped as %22"},
      {"urn:epc:id:sgtin:0614141.107346.a&b", "must be %-escaped as %26"},
      {"urn:epc:id:sgtin:0614141.107346.a<b", "must be %-escaped as %3C"},
      {"urn:epc:id:sgtin:0614141.107346.a b", "byte 0x20 at position 2 is not allowed"},
      {"urn:epc:id:sgtin:0614141.107346.a#b", "'#' at position 2 is not allowed"},
      {"urn:epc:id:sgtin:0614141.107346.a~b", "'~' at position 2 is not allowed"},
      {"urn:epc:id:sgtin:0614141.107346.\xc3\xa9", "byte 0xC3 at position 1 is not allowed"},
      {"urn:epc:id:sgtin:0614141.107346.%", "malformed %-escape at position 1"},
      {"urn:epc:id:sgtin:0614141.107346.1%2", "malformed %-escape at position 2"},
      {"urn:epc:id:sgtin:0614141.107346.1%G0", "malformed %-escape"},
      {"urn:epc:id:sgtin:0614141.107346.%%41", "malformed %-escape"},
      {"urn:epc:id:sgtin:0614141.107346.%00", "decodes to byte 0x00"},
      {"urn:epc:id:sgtin:0614141.107346.%20", "decodes to byte 0x20"},
      {"urn:epc:id:sgtin:0614141.107346.%7E", "not in GS1 AI character set 82"},
      {"urn:epc:id:sgtin:0614141.107346.%C3%A9", "decodes to byte 0xC3"},
      {"urn:epc:id:sgtin:0614141.107346.123456789012345678901", "AI (21)"},  // 21 characters
      {"urn:epc:class:lgtin:0614141.107346.", "lot is empty"},
      {"urn:epc:class:lgtin:0614141.107346.123456789012345678901", "AI (10)"},
      {"urn:epc:id:upui:0614141.107346.12345678901234567890123456789", "AI (235)"},
      {"urn:epc:id:grai:0614141.12345.12345678901234567", "AI (8003)"},
      {"urn:epc:id:gdti:0614141.12345.123456789012345678", "AI (253)"},
      {"urn:epc:id:giai:0614141.", "individual asset reference is empty"},
      {"urn:epc:id:giai:0614141.12345678901234567890123a", "at most 30 characters, got 31"},
      {"urn:epc:id:ginc:0614141.12345678901234567890123a", "at most 30 characters"},
      {"urn:epc:id:cpi:0614141.12345678901234567890123A.1", "at most 30 characters"},
      {"urn:epc:id:sgln:0614141.00001.", "extension is empty"},
      // Patterns.
      {"urn:epc:idpat:sgtin:0614141.107346.2017", "last component of an idpat URN must be '*'"},
      {"urn:epc:idpat:sgtin:0614141.*.*", "component 2 is a wildcard"},
      {"urn:epc:idpat:sgtin:*.*.*", "component 1 is a wildcard"},
      {"urn:epc:idpat:sgtin:0614141.107346.**", "must be '*'"},
      {"urn:epc:idpat:itip:4012345.012345.01.*.*", "component 4 is a wildcard"},
  };
  for (const BadUrn& c : cases) {
    auto dl = EpcUrnToDigitalLink(c.urn);
    ASSERT_FALSE(dl.ok()) << c.urn;
    EXPECT_EQ(dl.error().code, core::ErrorCode::kInvalidArgument) << c.urn;
    EXPECT_NE(dl.error().message.find(c.message), std::string::npos)
        << c.urn << "\n  got:  " << dl.error().message << "\n  want: " << c.message;
  }
}

TEST(EpcUrnToDigitalLink, RefusesOverlongInput) {
  std::string urn = "urn:epc:id:giai:0614141." + std::string(600, 'A');
  auto dl = EpcUrnToDigitalLink(urn);
  ASSERT_FALSE(dl.ok());
  EXPECT_NE(dl.error().message.find("at most 512"), std::string::npos) << dl.error().message;
}

TEST(DigitalLinkToEpcUrn, RefusesWhatHasNoEpcForm) {
  struct Case {
    Path path;
    int gcp_length;
    const char* message;
  };
  const Case cases[] = {
      {{{"01", "10614141073464"}, {"21", "1"}}, 5, "must be 6 to 12, got 5"},
      {{{"01", "10614141073464"}, {"21", "1"}}, 13, "must be 6 to 12, got 13"},
      {{{"01", "10614141073464"}, {"21", "1"}}, 0, "must be 6 to 12"},
      {{{"01", "10614141073464"}, {"21", "1"}}, -7, "must be 6 to 12"},
      {{}, 7, "no primary key"},
      {{{"01", "10614141073464"}, {"22", "A"}, {"21", "1"}}, 7, "AI (22) CPV"},
      {{{"01", "10614141073464"}, {"235", "A"}, {"21", "1"}}, 7, "AI (235) cannot be combined"},
      {{{"01", "10614141073465"}}, 7, "AI (01)"},  // bad check digit
      {{{"01", "0614141073464"}}, 7, "AI (01)"},   // GTIN-13 in a path built by hand
      {{{"414", "4012345000115"}, {"254", "0"}}, 7, "GLN extension \"0\""},
      {{{"414", "4012345000115"}, {"7040", "1A2B"}}, 7, "AI (7040)"},
      {{{"414", "4012345000115"}, {"254", "1"}, {"254", "2"}}, 7, "more than once"},
      {{{"417", "4012345000009"}, {"7040", "1A2B"}}, 7, "AI (7040)"},
      {{{"8018", "401234598765400000"}, {"8019", "1"}}, 7, "AI (8019)"},
      {{{"8006", "040123451234560102"}, {"10", "L"}}, 7, "AI (10)"},
      {{{"8004", "4000001111"}}, 10, "too short for a 10-digit company prefix"},
      {{{"8004", "4000001111"}}, 12, "too short"},
      {{{"8004", "40000ABC11"}}, 7, "does not start with a 7-digit company prefix"},
      {{{"401", "0614141xyz"}}, 8, "does not start with a 8-digit company prefix"},
      {{{"8010", "0614141"}, {"8011", "1"}}, 7, "too short"},
      {{{"8013", "1987654Ad4X4bL5ttr2310c2K"}}, 7, "primary key AI (8013) has no EPC URN form"},
      {{{"415", "5412345000013"}, {"8020", "ABC123"}}, 7, "AI (415) has no EPC URN form"},
      {{{"21", "1"}}, 7, "AI (21) has no EPC URN form"},
  };
  for (const Case& c : cases) {
    auto urn = DigitalLinkToEpcUrn(MakeDl(c.path), c.gcp_length);
    ASSERT_FALSE(urn.ok()) << c.message << " -> " << *urn;
    EXPECT_EQ(urn.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_NE(urn.error().message.find(c.message), std::string::npos)
        << "got:  " << urn.error().message << "\nwant: " << c.message;
  }
  DigitalLink no_ai;
  no_ai.path.push_back(AiElement{nullptr, "1"});
  EXPECT_FALSE(DigitalLinkToEpcUrn(no_ai, 7).ok());
}

TEST(GcpLengthTable, LongestPrefixWins) {
  GcpLengthTable table;
  ASSERT_TRUE(table.Add("0", 7).ok());
  ASSERT_TRUE(table.Add("061", 9).ok());
  ASSERT_TRUE(table.Add("0614141", 7).ok());
  ASSERT_TRUE(table.Add("893", 8).ok());
  ASSERT_TRUE(table.Add("893500000001", 12).ok());
  ASSERT_TRUE(table.Add("0614141", 7).ok());  // the same again is fine

  EXPECT_EQ(*table.Find("06141410734"), 7);
  EXPECT_EQ(*table.Find("0614140000"), 9);
  EXPECT_EQ(*table.Find("0999"), 7);
  EXPECT_EQ(*table.Find("8935001200014"), 8);
  EXPECT_EQ(*table.Find("8935000000019"), 12);
  EXPECT_EQ(*table.Find("893500000001"), 12);
  EXPECT_EQ(*table.Find("89350000000"), 8);

  auto missing = table.Find("4012345");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(table.Find("").error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(table.Find("x0614141").error().code, core::ErrorCode::kNotFound);
}

TEST(GcpLengthTable, RefusesBadEntries) {
  GcpLengthTable table;
  EXPECT_EQ(table.Add("", 7).error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(table.Add("06A", 7).error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(table.Add("1234567890123", 12).error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(table.Add("061", 5).error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(table.Add("061", 13).error().code, core::ErrorCode::kInvalidArgument);
  ASSERT_TRUE(table.Add("061", 7).ok());
  EXPECT_EQ(table.Add("061", 8).error().code, core::ErrorCode::kAlreadyExists);
  EXPECT_EQ(*table.Find("0614"), 7);
}

TEST(DigitalLinkToEpcUrn, UsesTheTableAtTheCompanyPrefixPosition) {
  GcpLengthTable table;
  ASSERT_TRUE(table.Add("0614141", 7).ok());
  ASSERT_TRUE(table.Add("4012345", 7).ok());
  ASSERT_TRUE(table.Add("95200538", 9).ok());

  struct Case {
    Path path;
    const char* urn;
  };
  const Case cases[] = {
      // GTIN, SSCC, ITIP: the prefix follows the indicator or extension digit.
      {{{"01", "10614141073464"}, {"21", "2017"}}, "urn:epc:id:sgtin:0614141.107346.2017"},
      {{{"00", "340123451111111111"}}, "urn:epc:id:sscc:4012345.3111111111"},
      {{{"8006", "040123451234560102"}, {"21", "999"}}, "urn:epc:id:itip:4012345.012345.01.02.999"},
      // GRAI: the prefix follows the filler '0'.
      {{{"8003", "0401234566666387"}}, "urn:epc:id:grai:4012345.66666.87"},
      // Others: the prefix comes first.
      {{{"414", "9520053850113"}, {"254", "scA"}}, "urn:epc:id:sgln:952005385.011.scA"},
      {{{"8004", "4012345AAbb"}}, "urn:epc:id:giai:4012345.AAbb"},
      {{{"402", "40123459999876541"}}, "urn:epc:id:gsin:4012345.999987654"},
  };
  for (const Case& c : cases) {
    auto urn = DigitalLinkToEpcUrn(MakeDl(c.path), table);
    ASSERT_TRUE(urn.ok()) << c.urn << ": " << urn.error().message;
    EXPECT_EQ(*urn, c.urn);
  }

  auto unknown = DigitalLinkToEpcUrn(MakeDl({{"01", "08935001200017"}}), table);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
  // A key without EPC form is refused before any lookup.
  auto no_form = DigitalLinkToEpcUrn(MakeDl({{"8013", "1987654Ad4X4bL5ttr2310c2K"}}), table);
  ASSERT_FALSE(no_form.ok());
  EXPECT_EQ(no_form.error().code, core::ErrorCode::kInvalidArgument);
}

// Deterministic mutations of valid URNs and Digital Links: nothing may crash, and whatever is
// accepted must be valid.
TEST(EpcUrn, SurvivesMutatedInput) {
  std::uint32_t state = 12345;
  const auto next = [&state] {
    state = state * 1103515245u + 12345u;
    return (state >> 16) & 0x7fff;
  };
  constexpr std::string_view kAlphabet = "0123456789.:%*AaFfzZ/?#\"&<>!'()+,-;=_ \x7f\xc3";
  for (const PairCase& c : Pairs()) {
    for (int round = 0; round < 300; ++round) {
      std::string urn = c.urn;
      const int edits = 1 + static_cast<int>(next() % 3);
      for (int e = 0; e < edits; ++e) {
        const std::size_t pos = next() % (urn.size() + 1);
        const char ch = kAlphabet[next() % kAlphabet.size()];
        switch (next() % 3) {
          case 0:
            urn.insert(pos, 1, ch);
            break;
          case 1:
            if (pos < urn.size()) urn.erase(pos, 1);
            break;
          default:
            if (pos < urn.size()) urn[pos] = ch;
            break;
        }
      }
      auto dl = EpcUrnToDigitalLink(urn);
      if (!dl.ok()) {
        EXPECT_EQ(dl.error().code, core::ErrorCode::kInvalidArgument);
        continue;
      }
      ExpectValidElements(*dl, urn);
      for (int gcp = 4; gcp <= 14; ++gcp) {
        auto back = DigitalLinkToEpcUrn(*dl, gcp);
        if (!back.ok()) continue;
        auto again = EpcUrnToDigitalLink(*back);
        ASSERT_TRUE(again.ok()) << urn << " -> " << *back << ": " << again.error().message;
        if (PathOf(*dl).size() == PathOf(*again).size()) {
          EXPECT_EQ(PathOf(*again), PathOf(*dl)) << urn << " -> " << *back;
        }
      }
    }
  }
}

// --- Conformance data from ../shared ---------------------------------------------------------

std::string PercentDecodeLoosely(std::string_view s) {
  const auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The DL as the pre-hash strings show it, percent-decoded.
std::string DecodedDl(const DigitalLink& dl) {
  std::string out(kCanonicalStem);
  for (const AiElement& e : dl.path) {
    out += '/';
    out += e.code();
    out += '/';
    out += e.value;
  }
  return out;
}

// True when `needle` occurs in `text` as a whole Digital Link: what follows is the next
// pre-hash field name (lower case), a '{' or the end, never more of a value or another AI.
bool ContainsWholeDl(const std::string& text, const std::string& needle) {
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    const std::size_t end = at + needle.size();
    if (end == text.size() || (text[end] >= 'a' && text[end] <= 'z') || text[end] == '{' ||
        text[end] == '\n' || text[end] == '\r') {
      return true;
    }
  }
  return false;
}

std::vector<std::string> UrnsIn(const std::string& text) {
  static const std::regex kUrn(R"(urn:epc:(id|class|idpat):[a-z]+:[^"<>\s,\]]*)");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kUrn); it != std::sregex_iterator();
       ++it) {
    out.push_back(it->str());
  }
  return out;
}

// Every EPC URN in the event-hash example documents converts, and its canonical Digital Link
// appears in the reference implementation's pre-hash strings for the same document.
TEST(EpcUrnConformance, HashPreimagesShowTheSameDigitalLinks) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  // Fixture defects, each URN checked by a hard-coded pair in Pairs() instead:
  // - epcisDocWithAllGS1Keys.prehashes is corrupted in the copy we hold (fragments of its own
  //   text are spliced in: "epc=httpspc=", "235=https://AB12", "8017/...98765834598765");
  // - the second line of epcisDocWithCustomSchemaInContext.prehashes is not the second event
  //   of its document but the first one again with its fields reordered.
  const std::set<std::pair<std::string, std::string>> kDamaged = {
      {"epcisDocWithAllGS1Keys", "urn:epc:id:upui:4012345.012345.AB12"},
      {"epcisDocWithAllGS1Keys", "urn:epc:id:gsrnp:4012345.0000098765"},
      {"epcisDocWithAllGS1Keys", "urn:epc:id:gsin:4012345.999987654"},
      {"epcisDocWithAllGS1Keys", "urn:epc:id:itip:4012345.012345.01.02.999"},
      {"epcisDocWithAllGS1Keys", "urn:epc:idpat:itip:4012345.012345.01.02.*"},
      {"epcisDocWithCustomSchemaInContext", "urn:epc:id:sgln:0012345.11111.400"},
      {"epcisDocWithCustomSchemaInContext", "urn:epc:id:sgln:0012345.11111.0"},
  };
  const std::filesystem::path dir = conformance / "hash";
  int checked = 0;
  std::set<std::pair<std::string, std::string>> damaged_seen;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".prehashes") continue;
    const std::string stem = entry.path().stem().string();
    const std::string prehashes = PercentDecodeLoosely(testing::ReadFileOrEmpty(entry.path()));
    for (const char* ext : {".jsonld", ".xml"}) {
      const std::filesystem::path doc = dir / (stem + ext);
      if (!std::filesystem::exists(doc)) continue;
      for (const std::string& urn : UrnsIn(testing::ReadFileOrEmpty(doc))) {
        auto dl = EpcUrnToDigitalLink(urn);
        ASSERT_TRUE(dl.ok()) << doc << ": " << urn << ": " << dl.error().message;
        ExpectValidElements(*dl, urn);
        const std::string want = DecodedDl(*dl);
        if (kDamaged.count({stem, urn}) != 0) {
          damaged_seen.insert({stem, urn});
          EXPECT_FALSE(ContainsWholeDl(prehashes, want))
              << stem << ": " << urn << " is listed as damaged but its DL is intact; drop it";
          continue;
        }
        EXPECT_TRUE(ContainsWholeDl(prehashes, want))
            << doc << ": " << urn << " -> " << want << " not in " << stem << ".prehashes";
        ++checked;
      }
    }
  }
  EXPECT_EQ(damaged_seen, kDamaged);
  EXPECT_GE(checked, 150);
}

// Every EPC URN in OpenEPCIS's valid documents converts, and comes back unchanged from its
// Digital Link with the company-prefix length it was written with.
TEST(EpcUrnConformance, OpenEpcisUrnsRoundTrip) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  std::set<std::string> urns;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(conformance / "openepcis-test-resources")) {
    if (!entry.is_regular_file()) continue;
    if (entry.path().string().find("/Invalid/") != std::string::npos) continue;
    for (const std::string& urn : UrnsIn(testing::ReadFileOrEmpty(entry.path()))) {
      urns.insert(urn);
    }
  }
  EXPECT_GE(urns.size(), 100u);
  for (const std::string& urn : urns) {
    auto dl = EpcUrnToDigitalLink(urn);
    ASSERT_TRUE(dl.ok()) << urn << ": " << dl.error().message;
    ExpectValidElements(*dl, urn);
    auto back = DigitalLinkToEpcUrn(*dl, GcpLengthOf(urn));
    ASSERT_TRUE(back.ok()) << urn << ": " << back.error().message;
    EXPECT_EQ(*back, urn);
  }
}

// The same for the URNs of the event-hash documents (URN → DL → URN).
TEST(EpcUrnConformance, HashDocumentUrnsRoundTrip) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  std::set<std::string> urns;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(conformance / "hash")) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".jsonld" && ext != ".xml" && ext != ".json") continue;
    for (const std::string& urn : UrnsIn(testing::ReadFileOrEmpty(entry.path()))) {
      urns.insert(urn);
    }
  }
  EXPECT_GE(urns.size(), 100u);
  for (const std::string& urn : urns) {
    auto dl = EpcUrnToDigitalLink(urn);
    ASSERT_TRUE(dl.ok()) << urn << ": " << dl.error().message;
    auto back = DigitalLinkToEpcUrn(*dl, GcpLengthOf(urn));
    ASSERT_TRUE(back.ok()) << urn << ": " << back.error().message;
    EXPECT_EQ(*back, urn);
  }
}

}  // namespace
}  // namespace vntrace::gs1
