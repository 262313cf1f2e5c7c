// Test fixture (tests only): a SQLite store in a temporary folder with a fixed clock, holding a
// small hand-built registry for the report tests:
//   Quảng Ngãi, Xã Nghĩa Hành: a_, a cooperative with a GS1 prefix, a GTIN product rated OCOP 4★
//     with a valid VietGAP certificate, a harvest, a receipt of b_'s lot from b_, a shipment to
//     c_, and an activated stamp batch: complete;
//   Quảng Ngãi, Xã Ba Tơ: b_, a household business with a platform-coded OCOP 3★ product
//     without origin or certificate, and one harvest on 2026-01-15: with gaps;
//   Kon Tum: c_, an enterprise with an OCOP 5★ product, outside the province.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "registry/actor.hpp"
#include "registry/diary.hpp"
#include "registry/platform_id.hpp"
#include "registry/registry.hpp"
#include "report/self_assessment.hpp"
#include "store/store.hpp"

namespace vntrace::report::testing {

inline constexpr char kProvince[] = "Quảng Ngãi";
inline constexpr char kCommuneA[] = "Xã Nghĩa Hành";
inline constexpr char kCommuneB[] = "Xã Ba Tơ";

class ReportFixture : public ::testing::Test {
 protected:
  ReportFixture()
      : clock_(core::ParseRfc3339("2026-06-01T09:00:00+07:00").value()),
        random_(7),
        ids_(registry::PlatformIds::Create("https://truyxuat.example.vn").value()) {
    std::string pattern = (std::filesystem::path(::testing::TempDir()) / "report-XXXXXX").string();
    EXPECT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    store_ = store::OpenStore({.location = (dir_ / "r.db").string()}).value();
    Build();
  }
  ~ReportFixture() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  registry::Context reg() { return registry::Context{store_->registry(), clock_, random_, ids_}; }
  Context ctx() { return Context{*store_}; }

  static registry::Actor Member(const store::Organisation& org) {
    return registry::Actor{.kind = registry::ActorKind::kUser,
                           .id = "u-" + org.name,
                           .role = store::Role::kOrgAdmin,
                           .org_id = org.id};
  }
  static registry::Actor Officer(std::string province, std::string commune = "",
                                 store::Role role = store::Role::kAuthorityOfficer) {
    return registry::Actor{
        .kind = registry::ActorKind::kUser,
        .id = "officer",
        .role = role,
        .area = {.province = std::move(province), .commune = std::move(commune)}};
  }

  store::Organisation a_, b_, c_;
  store::Product a_product_, b_product_, c_product_;
  std::string a_lot_id_;

  core::FakeClock clock_;
  core::FakeRandom random_;
  registry::PlatformIds ids_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;

 private:
  template <typename T>
  static T Must(core::Result<T> result) {
    EXPECT_TRUE(result.ok()) << result.error().ToString();
    return std::move(result).value();
  }

  store::Organisation Org(store::OrganisationKind kind, std::string name, std::string province,
                          std::string commune, std::string prefix, std::string tax_code) {
    return Must(registry::CreateOrganisation(reg(), registry::Actor::CommandLine(),
                                             {.kind = kind,
                                              .name = std::move(name),
                                              .tax_code = std::move(tax_code),
                                              .address = {.province = std::move(province),
                                                          .commune = std::move(commune),
                                                          .street = "Thôn 1"},
                                              .phone = "0912 345 678",
                                              .gs1_company_prefix = std::move(prefix)}));
  }
  store::Facility Facility(const store::Organisation& org, std::string name) {
    return Must(registry::CreateFacility(
        reg(), Member(org),
        {.org_id = org.id, .kind = store::FacilityKind::kPlot, .name = std::move(name)}));
  }
  store::Product Product(const store::Organisation& org, std::string name, std::string gtin,
                         std::string origin, int stars) {
    return Must(registry::CreateProduct(reg(), Member(org),
                                        {.org_id = org.id,
                                         .gtin = std::move(gtin),
                                         .name = std::move(name),
                                         .origin = std::move(origin),
                                         .ocop = store::OcopRating{.stars = stars,
                                                                   .decision_number = "123/QĐ-UBND",
                                                                   .decision_date = "2025-10-01",
                                                                   .valid_until = "2028-10-01"}}));
  }
  registry::DiaryStepResult Step(const store::Organisation& org, std::string template_id,
                                 std::vector<std::pair<std::string, std::string>> fields) {
    return Must(registry::RecordStep(
        reg(), Member(org),
        {.org_id = org.id, .template_id = std::move(template_id), .fields = std::move(fields)}));
  }

  void Build() {
    a_ = Org(store::OrganisationKind::kCooperative, "HTX Nghĩa Hành", kProvince, kCommuneA,
             "893504950", "0300588569");
    b_ = Org(store::OrganisationKind::kHouseholdBusiness, "Hộ kinh doanh Ba Tơ", kProvince,
             kCommuneB, "", "");
    c_ = Org(store::OrganisationKind::kEnterprise, "Công ty Đăk Hà", "Kon Tum", "Xã Đăk Hà", "",
             "0100109106");
    const store::Facility a_plot = Facility(a_, "Lô ớt 1");
    const store::Facility a_workshop = Facility(a_, "Xưởng sấy");
    const store::Facility b_plot = Facility(b_, "Vườn Ba Tơ");
    a_product_ = Product(a_, "Ớt rừng sấy khô", "08935049500018", "Quảng Ngãi", 4);
    b_product_ = Product(b_, "Ớt rừng tươi", "", "", 3);
    c_product_ = Product(c_, "Sâm Ngọc Linh", "", "Kon Tum", 5);
    Must(registry::CreateCertificate(reg(), Member(a_),
                                     {.org_id = a_.id,
                                      .product_id = a_product_.id,
                                      .kind = "VietGAP",
                                      .number = "VG-2026-01",
                                      .issuer = "Sở Nông nghiệp Quảng Ngãi",
                                      .issued_on = "2026-01-10",
                                      .valid_until = "2027-06-30"}));

    const registry::DiaryStepResult b_harvest = Step(b_, "harvest",
                                                     {{"facility", b_plot.id},
                                                      {"occurred_at", "2026-01-15"},
                                                      {"product", b_product_.id},
                                                      {"quantity", "80"},
                                                      {"unit", "kg"},
                                                      {"lot_code", "LB1"}});
    Step(a_, "receive_inputs",
         {{"facility", a_workshop.id},
          {"occurred_at", "2026-05-10"},
          {"lot", b_harvest.entry.lot_id},
          {"quantity", "50"},
          {"unit", "kg"},
          {"supplier", b_.id}});
    const registry::DiaryStepResult a_harvest = Step(a_, "harvest",
                                                     {{"facility", a_plot.id},
                                                      {"occurred_at", "2026-05-20"},
                                                      {"product", a_product_.id},
                                                      {"quantity", "100"},
                                                      {"unit", "kg"},
                                                      {"lot_code", "L1"}});
    a_lot_id_ = a_harvest.entry.lot_id;
    Step(a_, "ship",
         {{"facility", a_workshop.id},
          {"occurred_at", "2026-05-25"},
          {"lot", "L1"},
          {"quantity", "40"},
          {"unit", "kg"},
          {"receiver", c_.id}});

    const store::AuditEntry audit{
        .at = clock_.Now(), .actor = "cli", .org_id = a_.id, .action = "create"};
    const store::StampBatch batch{.id = "batch1",
                                  .org_id = a_.id,
                                  .product_id = a_product_.id,
                                  .lot_id = a_lot_id_,
                                  .mode = store::StampMode::kPerLot,
                                  .count = 1,
                                  .created_at = clock_.Now()};
    const std::vector<store::Stamp> stamps{{.code = "https://id.gs1.org/01/08935049500018/10/L1",
                                            .batch_id = "batch1",
                                            .sequence = 1}};
    EXPECT_TRUE(store_->stamps().CreateStampBatch(batch, stamps, audit).ok());
    EXPECT_TRUE(store_->stamps().ActivateStampBatch("batch1", clock_.Now(), audit).ok());
  }
};

}  // namespace vntrace::report::testing
