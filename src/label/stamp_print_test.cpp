#include "label/stamp_print.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "label/stamp_fixture.hpp"

// fontconfig (under pango) keeps its caches until exit by design (as in render_test.cpp).
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

namespace vntrace::label {
namespace {

constexpr char kGtin[] = "08935000000014";

class StampPrintTest : public testing::StampFixture {
 protected:
  StampPrintTest() : service_(*store_, clock_, random_, "http://127.0.0.1:8080") {
    org_a_ = MakeOrg("a", "HTX Nghĩa Ân", "Quảng Ngãi");
    org_b_ = MakeOrg("b", "HTX Khác", "Hà Nội");
    product_ = MakeProduct(org_a_, "p1", kGtin, "Tỏi Lý Sơn");
    lot_ = MakeLot(org_a_, product_, "l1", "L2026A", kGtin);
    plain_product_ = MakeProduct(org_a_, "p2", "", "Mật ong rừng, \"loại 1\"");
    plain_lot_ = MakeLot(org_a_, plain_product_, "l2", "M01", "");
  }

  Issuer A() const { return Issuer{.org_id = org_a_, .audit_name = "user:a"}; }
  Issuer B() const { return Issuer{.org_id = org_b_, .audit_name = "user:b"}; }

  PrintOptions Options(std::string_view stock, std::string_view symbology,
                       std::string_view quiet = "") {
    core::Result<PrintOptions> options = ParsePrintOptions(stock, symbology, quiet);
    EXPECT_TRUE(options.ok()) << options.error().ToString();
    return options.ok() ? *options : PrintOptions{};
  }

  StampService service_;
  std::string org_a_, org_b_, product_, lot_, plain_product_, plain_lot_;
};

TEST_F(StampPrintTest, ListsTheOrganisationsBatchesNewestFirstWithScans) {
  IssuedBatch first = *IssueOrgBatch(service_, A(), {.lot_id = lot_, .count = 3});
  clock_.Advance(std::chrono::minutes(5));
  IssuedBatch second = *IssueOrgBatch(
      service_, A(), {.lot_id = plain_lot_, .count = 1, .mode = store::StampMode::kPerLot});
  ASSERT_TRUE(ActivateOrgBatch(*store_, service_, A(), first.batch.id).ok());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(service_.RecordScan({.code = first.stamps[0].code, .claims_stamp = true}).ok());
  }
  ASSERT_TRUE(service_.RecordScan({.code = first.stamps[2].code, .claims_stamp = true}).ok());

  core::Result<std::vector<BatchSummary>> listed = ListOrgBatches(*store_, A());
  ASSERT_TRUE(listed.ok()) << listed.error().ToString();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].batch.id, second.batch.id);
  EXPECT_EQ((*listed)[0].batch.mode, store::StampMode::kPerLot);
  EXPECT_FALSE((*listed)[0].gs1);
  EXPECT_EQ((*listed)[1].batch.id, first.batch.id);
  EXPECT_TRUE((*listed)[1].batch.active);
  EXPECT_TRUE((*listed)[1].gs1);
  EXPECT_EQ((*listed)[1].scans, 3);
  EXPECT_EQ((*listed)[1].lot_code, "L2026A");
  EXPECT_EQ((*listed)[1].product_name, "Tỏi Lý Sơn");
  EXPECT_TRUE(ListOrgBatches(*store_, B())->empty());
  EXPECT_EQ(ListOrgBatches(*store_, Issuer{}).error().code, core::ErrorCode::kInvalidArgument);
}

TEST_F(StampPrintTest, AnotherOrganisationFindsNothing) {
  IssuedBatch issued = *IssueOrgBatch(service_, A(), {.lot_id = lot_, .count = 2});
  const PrintOptions qr = Options("", "");
  EXPECT_EQ(GetOrgBatch(*store_, B(), issued.batch.id).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(ActivateOrgBatch(*store_, service_, B(), issued.batch.id).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(BatchPdf(*store_, B(), issued.batch.id, qr).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(BatchCsv(*store_, B(), issued.batch.id).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(StampSymbol(*store_, B(), issued.batch.id, 1, qr, SymbolFormat::kSvg).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(IssueOrgBatch(service_, B(), {.lot_id = lot_, .count = 2}).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_FALSE(store_->stamps().GetStampBatch(issued.batch.id)->active);
  // The owner, and the platform, may.
  EXPECT_TRUE(GetOrgBatch(*store_, A(), issued.batch.id).ok());
  EXPECT_TRUE(GetOrgBatch(*store_, Issuer{.system = true}, issued.batch.id).ok());
  EXPECT_EQ(GetOrgBatch(*store_, A(), "sb_nope").error().code, core::ErrorCode::kNotFound);
}

TEST_F(StampPrintTest, IssuingAndActivatingAreAudited) {
  IssuedBatch issued = *IssueOrgBatch(service_, A(), {.lot_id = lot_, .count = 2});
  ASSERT_TRUE(ActivateOrgBatch(*store_, service_, A(), issued.batch.id).ok());
  std::vector<store::AuditEntry> audit = *store_->registry().ListAudit(org_a_, 10);
  ASSERT_GE(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "activate");
  EXPECT_EQ(audit[0].entity_id, issued.batch.id);
  EXPECT_EQ(audit[0].actor, "user:a");
  EXPECT_EQ(audit[1].action, "create");
  EXPECT_EQ(audit[1].entity, "stamp_batch");
}

TEST_F(StampPrintTest, WebBatchesHaveASaneMaximum) {
  core::Result<IssuedBatch> big =
      IssueOrgBatch(service_, A(), {.lot_id = lot_, .count = kMaxStampsPerWebBatch + 1});
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().details, "count.range");
  EXPECT_EQ(IssueOrgBatch(service_, A(), {.lot_id = lot_, .count = 0}).error().details,
            "count.range");
  EXPECT_TRUE(ListOrgBatches(*store_, A())->empty());
}

TEST_F(StampPrintTest, PrintOptionsAreCheckedField_by_field) {
  struct Case {
    std::string stock, symbology, quiet, details;
  };
  const std::vector<Case> cases = {
      {"", "", "", ""},
      {"roll", "datamatrix", "1", ""},
      {"30x20", "gs1-128", "10", ""},
      {"A4", "qr", "", "stock.invalid"},
      {"70x37", "pdf417", "", "symbology.invalid"},
      {"70x37", "qr", "3", "quiet_zone.range"},
      {"70x37", "qr", "21", "quiet_zone.range"},
      {"70x37", "qr", "4x", "quiet_zone.range"},
  };
  for (const Case& c : cases) {
    core::Result<PrintOptions> options = ParsePrintOptions(c.stock, c.symbology, c.quiet);
    if (c.details.empty()) {
      EXPECT_TRUE(options.ok()) << c.stock << " " << c.symbology << " " << c.quiet;
    } else {
      ASSERT_FALSE(options.ok()) << c.stock << " " << c.symbology << " " << c.quiet;
      EXPECT_EQ(options.error().details, c.details);
    }
  }
  EXPECT_EQ(Options("", "").stock, "70x37");
  EXPECT_EQ(Options("", "").layout.columns, 3);
  EXPECT_EQ(Options("roll", "qr").layout.columns, 1);
  EXPECT_EQ(Options("40x30", "qr", "6").layout.quiet_zone_modules, 6);
}

TEST_F(StampPrintTest, CsvHoldsEveryCodeWithItsShortCode) {
  IssuedBatch issued = *IssueOrgBatch(service_, A(), {.lot_id = lot_, .count = 3});
  core::Result<std::string> csv = BatchCsv(*store_, A(), issued.batch.id);
  ASSERT_TRUE(csv.ok());
  std::string expected = "sequence,code,short_code,lot,product\r\n";
  for (const store::Stamp& s : issued.stamps) {
    expected +=
        std::to_string(s.sequence) + "," + s.code + "," + s.serial + ",L2026A,Tỏi Lý Sơn\r\n";
  }
  EXPECT_EQ(*csv, expected);
  // A per-lot platform code: the serial is the short code; quotes are doubled.
  IssuedBatch plain =
      *IssueOrgBatch(service_, A(), {.lot_id = plain_lot_, .mode = store::StampMode::kPerLot});
  EXPECT_EQ(*BatchCsv(*store_, A(), plain.batch.id),
            "sequence,code,short_code,lot,product\r\n1," + plain.stamps[0].code + "," +
                plain.stamps[0].serial + ",M01,\"Mật ong rừng, \"\"loại 1\"\"\"\r\n");
}

TEST_F(StampPrintTest, CsvDefusesSpreadsheetFormulas) {
  const std::string product = MakeProduct(org_a_, "p3", "", "=HYPERLINK(\"x\")");
  const std::string lot = MakeLot(org_a_, product, "l3", "F1", "");
  IssuedBatch issued = *IssueOrgBatch(service_, A(), {.lot_id = lot, .count = 1});
  EXPECT_NE(BatchCsv(*store_, A(), issued.batch.id)->find(",F1,\"'=HYPERLINK(\"\"x\"\")\"\r\n"),
            std::string::npos);
}

TEST_F(StampPrintTest, ALotHasOnlyOnePerLotCode) {
  ASSERT_TRUE(
      IssueOrgBatch(service_, A(), {.lot_id = lot_, .mode = store::StampMode::kPerLot}).ok());
  core::Result<IssuedBatch> again =
      IssueOrgBatch(service_, A(), {.lot_id = lot_, .mode = store::StampMode::kPerLot});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error().details, "mode.per_lot_exists");
}

TEST_F(StampPrintTest, PdfSvgAndPngAreProducedAndGs1SymbologiesNeedGs1Codes) {
  IssuedBatch issued = *IssueOrgBatch(service_, A(), {.lot_id = lot_, .count = 4});
  core::Result<std::string> pdf = BatchPdf(*store_, A(), issued.batch.id, Options("", ""));
  ASSERT_TRUE(pdf.ok()) << pdf.error().ToString();
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  EXPECT_TRUE(BatchPdf(*store_, A(), issued.batch.id, Options("50x30", "datamatrix")).ok());
  core::Result<std::string> svg =
      StampSymbol(*store_, A(), issued.batch.id, 2, Options("", ""), SymbolFormat::kSvg);
  ASSERT_TRUE(svg.ok());
  EXPECT_NE(svg->find("<svg"), std::string::npos);
  core::Result<std::string> png =
      StampSymbol(*store_, A(), issued.batch.id, 4, Options("", "gs1-128"), SymbolFormat::kPng);
  ASSERT_TRUE(png.ok()) << png.error().ToString();
  EXPECT_EQ(png->substr(1, 3), "PNG");
  EXPECT_EQ(StampSymbol(*store_, A(), issued.batch.id, 5, Options("", ""), SymbolFormat::kSvg)
                .error()
                .code,
            core::ErrorCode::kNotFound);

  IssuedBatch plain = *IssueOrgBatch(service_, A(), {.lot_id = plain_lot_, .count = 2});
  EXPECT_EQ(BatchPdf(*store_, A(), plain.batch.id, Options("", "datamatrix")).error().details,
            "symbology.gs1_only");
  EXPECT_EQ(StampSymbol(*store_, A(), plain.batch.id, 1, Options("", "gs1-128"), SymbolFormat::kPng)
                .error()
                .details,
            "symbology.gs1_only");
  EXPECT_TRUE(BatchPdf(*store_, A(), plain.batch.id, Options("roll", "qr")).ok());
}

}  // namespace
}  // namespace vntrace::label
