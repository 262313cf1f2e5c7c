#include "trace/recall.hpp"

#include <gtest/gtest.h>

#include "trace/trace_fixture.hpp"

namespace vntrace::trace {
namespace {

using boost::json::object;
using testing::Base;
using testing::Gtin;
using testing::ItemId;
using testing::LotId;
using testing::Quantities;
using testing::Strings;

class RecallTest : public testing::TraceStoreTest {
 protected:
  // A farm lot A (100 kg) is split: 60 kg go to a dryer, 40 kg to another; the dryer makes lot
  // Z (20 kg) from 60 kg of A and salt, commissions two packs of Z, boxes them and ships the box
  // to a shop.
  void SetUp() override {
    TraceStoreTest::SetUp();
    object harvest = Base("ObjectEvent", "urn:uuid:harvest", 1);
    harvest["quantityList"] = Quantities({{a_, 100}});
    harvest["action"] = "ADD";
    harvest["bizStep"] = "commissioning";
    harvest["bizLocation"] = object{{"id", farm_}};
    object to_dryer = Ship("urn:uuid:ship-1", 2, 60, dryer_);
    object to_other = Ship("urn:uuid:ship-2", 3, 40, other_);
    object make = Base("TransformationEvent", "urn:uuid:dry", 4);
    make["inputQuantityList"] = Quantities({{a_, 60}, {salt_, 1}});
    make["outputQuantityList"] = Quantities({{z_, 20}});
    make["bizStep"] = "commissioning";
    object packs = Base("ObjectEvent", "urn:uuid:packs", 5);
    packs["epcList"] = Strings({pack1_, pack2_});
    packs["action"] = "ADD";
    packs["bizStep"] = "commissioning";
    packs["ilmd"] = object{{"cbvmda:lotNumber", "Z"}};
    object box_up = Base("AggregationEvent", "urn:uuid:box", 6);
    box_up["parentID"] = box_;
    box_up["childEPCs"] = Strings({pack1_, pack2_});
    box_up["action"] = "ADD";
    box_up["bizStep"] = "packing";
    object ship_box = Base("ObjectEvent", "urn:uuid:ship-box", 7);
    ship_box["epcList"] = Strings({box_});
    ship_box["action"] = "OBSERVE";
    ship_box["bizStep"] = "shipping";
    ship_box["destinationList"] =
        boost::json::array{object{{"type", "owning_party"}, {"destination", shop_}}};
    ship_box["bizTransactionList"] =
        boost::json::array{object{{"type", "desadv"}, {"bizTransaction", "urn:example:asn:77"}}};
    Capture({harvest, to_dryer, to_other, make, packs, box_up, ship_box});
  }

  object Ship(const std::string& id, int hour, double kg, const std::string& to) {
    object e = Base("ObjectEvent", id, hour);
    e["quantityList"] = Quantities({{a_, kg}});
    e["action"] = "OBSERVE";
    e["bizStep"] = "shipping";
    e["sourceList"] = boost::json::array{object{{"type", "owning_party"}, {"source", grower_}}};
    e["destinationList"] =
        boost::json::array{object{{"type", "owning_party"}, {"destination", to}}};
    return e;
  }

  const std::string melon_ = Gtin("0893500000001"), dried_ = Gtin("0893500000002");
  const std::string a_ = LotId(melon_, "A"), z_ = LotId(dried_, "Z");
  const std::string salt_ = LotId(Gtin("0893500000003"), "S");
  const std::string pack1_ = ItemId(dried_, "1001"), pack2_ = ItemId(dried_, "1002");
  const std::string box_ = testing::SsccId("08935000000000009");
  const std::string farm_ = testing::GlnId("893500000100");
  const std::string grower_ = testing::PartyId("893500000101");
  const std::string dryer_ = testing::PartyId("893500000102");
  const std::string other_ = testing::PartyId("893500000103");
  const std::string shop_ = testing::PartyId("893500000104");
};

TEST_F(RecallTest, ListsEveryAffectedThingWithQuantities) {
  auto report = BuildRecall(*store_, a_, core::Timestamp::FromUnixNanos(0));
  ASSERT_TRUE(report.ok()) << report.error().message;
  std::map<std::string, std::optional<Quantity>> affected;
  for (const AffectedThing& thing : report->affected) affected[thing.id] = thing.quantity;
  EXPECT_EQ(report->affected.front().id, a_);
  EXPECT_EQ(affected.size(), 5u);  // A, Z, two packs, the box; not the salt
  EXPECT_FALSE(affected.contains(salt_));
  ASSERT_TRUE(affected.at(a_).has_value());
  EXPECT_EQ(affected.at(a_)->amount, 100);
  EXPECT_EQ(affected.at(a_)->uom, "KGM");
  EXPECT_EQ(affected.at(z_)->amount, 20);
  EXPECT_EQ(affected.at(pack1_)->amount, 1);
  EXPECT_TRUE(affected.contains(box_));

  std::set<std::string> recipients;
  for (const Recipient& r : report->recipients) recipients.insert(r.id);
  EXPECT_EQ(recipients, (std::set<std::string>{dryer_, other_, shop_}));
}

TEST_F(RecallTest, CsvHasBilingualHeadersAndOneRowPerEventAndThing) {
  auto report = BuildRecall(*store_, a_, core::Timestamp::FromUnixNanos(0));
  ASSERT_TRUE(report.ok());
  const std::string csv = RecallCsv(*report);
  ASSERT_TRUE(csv.starts_with("\xEF\xBB\xBF"));
  EXPECT_NE(csv.find("Mã lô truy xuất / Traceability lot code"), std::string::npos);
  EXPECT_NE(csv.find("Shipping," + std::string("2026-03-01T02:00:00+07:00,") + a_),
            std::string::npos);
  EXPECT_NE(csv.find("desadv"), std::string::npos);
  EXPECT_NE(csv.find("urn:example:asn:77"), std::string::npos);
  std::size_t lines = 0;
  for (char c : csv) lines += c == '\n';
  EXPECT_EQ(lines, 1 + report->rows.size());
  // Harvest, 2 shipments, transformation (as A and as Z), packs commissioned (2 rows),
  // boxing (box + 2 packs), box shipped.
  EXPECT_GE(report->rows.size(), 10u);
}

TEST_F(RecallTest, HtmlIsAPrintablePageInBothLanguages) {
  auto report = BuildRecall(*store_, a_, core::Timestamp::FromUnixNanos(0));
  ASSERT_TRUE(report.ok());
  const std::string vi = RecallHtml(*report, Language::kVietnamese);
  EXPECT_NE(vi.find("<html lang=\"vi\">"), std::string::npos);
  EXPECT_NE(vi.find("Báo cáo thu hồi"), std::string::npos);
  EXPECT_NE(vi.find("Giao hàng"), std::string::npos);
  EXPECT_EQ(vi.find("<script"), std::string::npos);
  const std::string en = RecallHtml(*report, Language::kEnglish);
  EXPECT_NE(en.find("Recall report"), std::string::npos);
  const boost::json::object json = RecallToJson(*report);
  EXPECT_EQ(json.at("lot").as_string(), a_);
  EXPECT_EQ(json.at("affected").as_array().size(), 5u);
}

}  // namespace
}  // namespace vntrace::trace
