// Test helpers shared by every module's GoogleTest binaries (header-only, tests only).
//
// Conformance data lives in `../shared/conformance/` beside the checkout. Tests that need it
// call VNTRACE_SHARED_OR_SKIP(), which skips the test with a clear message when the folder is
// absent, never silently passing.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace vntrace::testing {

// The conformance folder: $VNTRACE_SHARED_DIR/conformance if set, else the compiled-in
// ../shared/conformance beside the source tree. Empty path when it does not exist.
inline std::filesystem::path ConformanceDir() {
  std::filesystem::path base;
  if (const char* env = std::getenv("VNTRACE_SHARED_DIR"); env != nullptr && *env != '\0') {
    base = env;
  } else {
#ifdef VNTRACE_SHARED_DIR
    base = VNTRACE_SHARED_DIR;
#endif
  }
  std::filesystem::path dir = base / "conformance";
  std::error_code ec;
  if (base.empty() || !std::filesystem::is_directory(dir, ec)) {
    return {};
  }
  return dir;
}

inline std::string ReadFileOrEmpty(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace vntrace::testing

// Declares `const std::filesystem::path conformance` or skips the current test with a message.
#define VNTRACE_SHARED_OR_SKIP(conformance)                                           \
  const std::filesystem::path conformance = ::vntrace::testing::ConformanceDir();     \
  if (conformance.empty()) {                                                          \
    GTEST_SKIP() << "../shared/conformance is absent (set VNTRACE_SHARED_DIR to the " \
                    "shared folder): GS1 conformance vectors were NOT checked";       \
  }
