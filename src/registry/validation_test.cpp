#include "registry/validation.hpp"

#include <gtest/gtest.h>

namespace vntrace::registry {
namespace {

TEST(TaxCode, Table) {
  struct Case {
    std::string_view input;
    std::string_view error;  // empty: valid
  };
  const Case cases[] = {
      {"0300588569", ""},      // Vinamilk
      {"0100109106", ""},      // Viettel
      {"0100109106-001", ""},  // a branch
      {"079123456789", ""},    // a personal identification number (12 digits)
      {"0300588568", "tax_code.check_digit"},
      {"030058856", "tax_code.format"},
      {"03005885690", "tax_code.format"},
      {"0100109106-01", "tax_code.format"},
      {"0100109106-0a1", "tax_code.format"},
      {"01001O9106", "tax_code.format"},
      {"", "tax_code.format"},
  };
  for (const Case& c : cases) {
    core::Status s = ValidateTaxCode(c.input);
    if (c.error.empty()) {
      EXPECT_TRUE(s.ok()) << c.input << ": " << s.error().ToString();
    } else {
      ASSERT_FALSE(s.ok()) << c.input;
      EXPECT_EQ(s.error().details, c.error) << c.input;
    }
  }
}

TEST(Phone, Table) {
  struct Case {
    std::string_view input;
    std::string_view normalised;  // empty: invalid
  };
  const Case cases[] = {
      {"0912345678", "0912345678"},
      {"0912 345 678", "0912345678"},
      {"+84 912 345 678", "0912345678"},
      {"0255.3822.123", "02553822123"},
      {"912345678", ""},
      {"0012345678", ""},
      {"09123456", ""},
      {"0912-345-678x", ""},
      {"0912  345678", ""},
      {"", ""},
  };
  for (const Case& c : cases) {
    core::Result<std::string> r = NormalisePhone(c.input);
    if (c.normalised.empty()) {
      ASSERT_FALSE(r.ok()) << c.input;
      EXPECT_EQ(r.error().details, "phone.format");
    } else {
      ASSERT_TRUE(r.ok()) << c.input;
      EXPECT_EQ(*r, c.normalised);
    }
  }
}

TEST(Dates, Table) {
  EXPECT_TRUE(ValidateDate("2024-02-29", "d").ok());
  EXPECT_EQ(ValidateDate("2023-02-29", "issued_on").error().details, "issued_on.format");
  EXPECT_FALSE(ValidateDate("2024-2-29", "d").ok());
  EXPECT_FALSE(ValidateDate("29/02/2024", "d").ok());
  EXPECT_FALSE(ValidateDate("2024-13-01", "d").ok());
  EXPECT_FALSE(ValidateDate("", "d").ok());
}

TEST(Dates, TodayIsVietnameseTime) {
  // 2025-12-31T17:30:00Z is 2026-01-01 00:30 in Vietnam.
  core::FakeClock clock(core::Timestamp::FromUnixSeconds(1'767'202'200));
  EXPECT_EQ(TodayInVietnam(clock), "2026-01-01");
  EXPECT_TRUE(IsExpired("2025-12-31", clock));
  EXPECT_FALSE(IsExpired("2026-01-01", clock));
  EXPECT_FALSE(IsExpired("", clock));
}

TEST(Text, Rules) {
  EXPECT_EQ(ValidateText("  ", "name", 10, true).error().details, "name.required");
  EXPECT_EQ(ValidateText("\xff", "name", 10, false).error().details, "name.encoding");
  EXPECT_TRUE(ValidateText("Mật ong rừng", "name", 12, true).ok());  // 12 code points
  EXPECT_EQ(ValidateText("Mật ong rừng!", "name", 12, true).error().details, "name.too_long");
}

TEST(Email, Table) {
  EXPECT_EQ(*NormaliseEmail("Lan@HTX.Vn"), "lan@htx.vn");
  for (std::string_view bad :
       {"", "lan", "@htx.vn", "lan@htx", "lan@@htx.vn", "l an@htx.vn", "lan@htx.vn."}) {
    EXPECT_EQ(NormaliseEmail(bad).error().details, "email.format") << bad;
  }
}

TEST(CompanyPrefix, Table) {
  EXPECT_TRUE(ValidateCompanyPrefix("8935001").ok());
  EXPECT_FALSE(ValidateCompanyPrefix("893").ok());
  EXPECT_FALSE(ValidateCompanyPrefix("89350012000170").ok());
  EXPECT_EQ(ValidateCompanyPrefix("893A001").error().details, "gs1_company_prefix.format");
}

}  // namespace
}  // namespace vntrace::registry
