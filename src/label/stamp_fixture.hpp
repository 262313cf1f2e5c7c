// Test fixture (tests only): a SQLite store in a temporary folder with a fixed clock and a
// seeded random, and helpers that register organisations, products and lots directly in the
// store, for the stamp and resolver tests.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "store/store.hpp"

namespace vntrace::label::testing {

class StampFixture : public ::testing::Test {
 protected:
  StampFixture() : clock_(core::Timestamp::FromUnixSeconds(1'767'225'600)), random_(7) {
    std::string pattern = (std::filesystem::path(::testing::TempDir()) / "stamps-XXXXXX").string();
    EXPECT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    store_ = store::OpenStore({.location = (dir_ / "s.db").string()}).value();
  }
  ~StampFixture() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  store::AuditEntry Audit() const {
    return store::AuditEntry{.at = clock_.Now(), .actor = "cli", .action = "create"};
  }

  std::string MakeOrg(const std::string& id, const std::string& name, const std::string& province) {
    store::Organisation org{
        .id = "http://127.0.0.1:8080/id/org/" + id,
        .kind = store::OrganisationKind::kCooperative,
        .name = name,
        .address = {.province = province, .commune = "Xã Nghĩa Ân", .street = "Thôn 3"},
        .created_at = clock_.Now(),
        .updated_at = clock_.Now()};
    EXPECT_TRUE(store_->registry().CreateOrganisation(org, Audit()).ok());
    return org.id;
  }

  // A product with `gtin` (14 digits) or, when empty, a platform id.
  std::string MakeProduct(const std::string& org_id, const std::string& id, const std::string& gtin,
                          const std::string& name) {
    store::Product product{.id = "http://127.0.0.1:8080/id/product/" + id,
                           .org_id = org_id,
                           .identifier = gtin.empty() ? "http://127.0.0.1:8080/id/product/" + id
                                                      : "https://id.gs1.org/01/" + gtin,
                           .gtin = gtin,
                           .name = name,
                           .description = "Mô tả",
                           .category = "Thực phẩm",
                           .unit = "hộp",
                           .brand = "Nghĩa Ân",
                           .origin = "Việt Nam",
                           .ocop = store::OcopRating{.stars = 4,
                                                     .decision_number = "123/QĐ-UBND",
                                                     .decision_date = "2025-05-01"},
                           .created_at = clock_.Now(),
                           .updated_at = clock_.Now()};
    EXPECT_TRUE(store_->registry().CreateProduct(product, Audit()).ok());
    return product.id;
  }

  std::string MakeLot(const std::string& org_id, const std::string& product_id,
                      const std::string& id, const std::string& code, const std::string& gtin) {
    store::Lot lot{.id = "http://127.0.0.1:8080/id/lot/" + id,
                   .org_id = org_id,
                   .product_id = product_id,
                   .code = code,
                   .identifier = gtin.empty() ? "http://127.0.0.1:8080/id/lot/" + id
                                              : "https://id.gs1.org/01/" + gtin + "/10/" + code,
                   .produced_on = "2026-01-01",
                   .expires_on = "2026-12-31",
                   .created_at = clock_.Now()};
    EXPECT_TRUE(store_->registry().CreateLot(lot, Audit()).ok());
    return lot.id;
  }

  std::filesystem::path dir_;
  core::FakeClock clock_;
  core::FakeRandom random_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace vntrace::label::testing
