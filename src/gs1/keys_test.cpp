#include "gs1/keys.hpp"

#include <gtest/gtest.h>

namespace vntrace::gs1 {
namespace {

TEST(CheckDigit, ComputesGs1Mod10) {
  struct Case {
    const char* body;
    int digit;
  };
  const Case cases[] = {
      {"893500120001", 7},
      {"0893500120001", 7},
      {"629104150021", 3},
      {"0952012345678", 8},
      {"400638133393", 1},
      {"00614141123456789", 0},
      {"1", 7},
      {"", -1},
      {"12a", -1},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ComputeCheckDigit(c.body), c.digit) << c.body;
  }
  EXPECT_TRUE(HasValidCheckDigit("08935001200017"));
  EXPECT_FALSE(HasValidCheckDigit("08935001200018"));
  EXPECT_FALSE(HasValidCheckDigit("7"));
}

TEST(Gtin, NormalisesToFourteenDigits) {
  EXPECT_EQ(Gtin::Parse("8935001200017")->digits(), "08935001200017");
  EXPECT_EQ(Gtin::Parse("96385074")->digits(), "00000096385074");
  EXPECT_EQ(Gtin::Parse("614141000036")->digits(), "00614141000036");
  EXPECT_EQ(Gtin::Parse("08935001200017")->digits(), "08935001200017");
  EXPECT_FALSE(Gtin::Parse("8935001200015").ok());
  EXPECT_FALSE(Gtin::Parse("893500120001").ok());
  EXPECT_FALSE(Gtin::Parse("89350012000x4").ok());
  EXPECT_NE(Gtin::Parse("8935001200015").error().message.find("expected 7"), std::string::npos);
}

TEST(Keys, ValidateEveryKeyType) {
  struct Case {
    KeyType type;
    const char* value;
    bool valid;
  };
  const Case cases[] = {
      {KeyType::kGtin, "08935001200017", true},
      {KeyType::kGtin, "8935001200017", false},  // 13 digits: use Gtin::Parse
      {KeyType::kGln, "8935001200000", true},
      {KeyType::kGln, "8935001200001", false},
      {KeyType::kSscc, "089350012000000017", true},
      {KeyType::kSscc, "089350012000000018", false},
      {KeyType::kGrai, "08935001200000ABC", true},
      {KeyType::kGrai, "18935001200000ABC", false},  // GRAI starts with a filler 0
      {KeyType::kGiai, "8935001TOOL-17", true},
      {KeyType::kGsrn, "123456789012345675", true},
      {KeyType::kGsrnp, "795260646688514634", true},
      {KeyType::kGdti, "1231231231232DOC1", true},
      {KeyType::kGcn, "1231231231232123", true},
      {KeyType::kGinc, "8935001CONS1", true},
      {KeyType::kGsin, "95201234567890122", true},
      {KeyType::kGsin, "95201234567890123", false},
      {KeyType::kItip, "095201234567880102", true},
      {KeyType::kItip, "095201234567880302", false},  // piece 3 of 2
      {KeyType::kGmn, "1987654Ad4X4bL5ttr2310c2K", true},
      {KeyType::kGmn, "1987654Ad4X4bL5ttr2310c3K", false},
      {KeyType::kCpid, "8935001-A#1", true},
      {KeyType::kCpid, "8935001a", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(KeyTypeName(c.type)) + " " + c.value);
    core::Status s = ValidateKey(c.type, c.value);
    EXPECT_EQ(s.ok(), c.valid) << (s.ok() ? "" : s.error().message);
    if (!s.ok()) {
      EXPECT_EQ(s.error().message.rfind("invalid " + std::string(KeyTypeName(c.type)), 0), 0u);
    }
  }
}

TEST(Keys, CheckKeyDetectsType) {
  EXPECT_EQ(CheckKey("8935001200017")->type, KeyType::kGtin);
  EXPECT_EQ(CheckKey("8935001200017")->normalised, "08935001200017");
  EXPECT_EQ(CheckKey("089350012000000017")->type, KeyType::kSscc);
  EXPECT_EQ(CheckKey("gln:8935001200000")->type, KeyType::kGln);
  EXPECT_EQ(CheckKey("GIAI:8935001X")->type, KeyType::kGiai);
  EXPECT_FALSE(CheckKey("12345").ok());
  EXPECT_FALSE(CheckKey("abc").ok());
  EXPECT_FALSE(CheckKey("foo:1").ok());
  EXPECT_FALSE(CheckKey("").ok());
}

}  // namespace
}  // namespace vntrace::gs1
