// Private to src/registry tests: a fresh SQLite store with a fake clock and random source, and
// two organisations in different provinces.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "registry/accounts.hpp"
#include "registry/registry.hpp"
#include "store/store.hpp"

namespace vntrace::registry::internal {

class RegistryFixture : public ::testing::Test {
 public:
  RegistryFixture()
      : clock_(core::Timestamp::FromUnixSeconds(1'767'225'600)),  // 2026-01-01T00:00:00Z
        random_(7),
        ids_(PlatformIds::Create("https://truyxuat.example.vn").value()) {
    std::string pattern =
        (std::filesystem::path(::testing::TempDir()) / "registry-XXXXXX").string();
    VNTRACE_ASSERT(mkdtemp(pattern.data()) != nullptr);  // the temp dir must be writable
    dir_ = pattern;
    store_ = store::OpenStore({.location = (dir_ / "r.db").string()}).value();
  }
  ~RegistryFixture() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  Context ctx() { return Context{store_->registry(), clock_, random_, ids_}; }

  store::Organisation MakeOrg(std::string name, std::string province, std::string tax_code) {
    core::Result<store::Organisation> org = CreateOrganisation(
        ctx(), Actor::CommandLine(),
        {.kind = store::OrganisationKind::kCooperative,
         .name = std::move(name),
         .tax_code = std::move(tax_code),
         .address = {.province = std::move(province), .commune = "Xã Nghĩa Hành"},
         .phone = "0912 345 678"});
    EXPECT_TRUE(org.ok()) << org.error().ToString();
    return *org;
  }

  static Actor Member(const store::Organisation& org, Role role = Role::kOrgStaff) {
    return Actor{.kind = ActorKind::kUser, .id = "u-" + org.id, .role = role, .org_id = org.id};
  }
  static Actor Officer(std::string province, Role role = Role::kAuthorityOfficer) {
    return Actor{.kind = ActorKind::kUser,
                 .id = "officer",
                 .role = role,
                 .area = {.province = std::move(province)}};
  }

  // Cheap argon2id for tests.
  static AccountOptions FastOptions() {
    return AccountOptions{.password_ops_limit = 1, .password_mem_limit = 8192};
  }

  core::FakeClock clock_;
  core::FakeRandom random_;
  PlatformIds ids_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace vntrace::registry::internal
