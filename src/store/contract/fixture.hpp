// The backends every store contract test runs on, and the fixture base that opens a fresh store
// of one in its own temporary directory (store_contract_test.cpp, registry_contract_test.cpp,
// stamp_contract_test.cpp).
//
// Thread-safety: test fixtures; one per test.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include <gtest/gtest.h>

#include "core/result.hpp"
#include "store/fault_injection.hpp"
#include "store/store.hpp"

namespace vntrace::store::testing {

struct SqliteBackend {
  static constexpr const char* kName = "sqlite";
  static std::string Location(const std::filesystem::path& dir) {
    return "sqlite:" + (dir / "vntrace.db").string();
  }
  static std::string SkipReason() { return ""; }
};

using Backends = ::testing::Types<SqliteBackend>;

// A fresh directory under the test temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::path(::testing::TempDir()) / "store-XXXXXX").string();
    VNTRACE_ASSERT(mkdtemp(pattern.data()) != nullptr);  // the temp dir must be writable
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Skips when the backend cannot be tested here; otherwise opens `store_` over `dir_`.
// Members are public so that helper templates in the tests can use them.
template <typename Backend>
class ContractFixture : public ::testing::Test {
 public:
  void SetUp() override {
    const std::string reason = Backend::SkipReason();
    if (!reason.empty()) {
      GTEST_SKIP() << Backend::kName << " backend not tested: " << reason;
    }
    store_ = Open();
  }

  std::unique_ptr<Store> Open(FaultInjection* fault = nullptr) {
    core::Result<std::unique_ptr<Store>> store =
        OpenStore({.location = Backend::Location(dir_.path()), .fault_injection_for_test = fault});
    EXPECT_TRUE(store.ok()) << store.error().ToString();
    return std::move(store).value();
  }

  void Reopen() {
    store_.reset();
    store_ = Open();
  }

  // Declared first, destroyed last: the store closes before its directory is removed.
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace vntrace::store::testing
