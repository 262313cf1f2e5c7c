#include "store/store.hpp"

#include <string>
#include <string_view>

#include "store/sqlite/sqlite_store.hpp"

namespace vntrace::store {
namespace {

// "scheme://" at the start of `location`, per RFC 3986 scheme syntax; empty when absent.
std::string_view SchemeOf(std::string_view location) {
  const std::size_t colon = location.find("://");
  if (colon == std::string_view::npos || colon == 0) {
    return {};
  }
  const std::string_view scheme = location.substr(0, colon);
  const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!is_alpha(scheme.front())) {
    return {};
  }
  for (char c : scheme) {
    if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
      return {};
    }
  }
  return scheme;
}

}  // namespace

core::Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  static constexpr std::string_view kSqlitePrefix = "sqlite:";
  std::string_view location = options.location;
  const std::string_view scheme = SchemeOf(location);
  if (scheme == "postgresql" || scheme == "postgres") {
    return core::Unsupported(
        "PostgreSQL stores are not available in this build yet; use a SQLite file path "
        "(e.g. 'vntrace.db' or 'sqlite:/var/lib/vntrace/vntrace.db')");
  }
  if (!scheme.empty()) {
    return core::Unsupported("unknown store location scheme '" + std::string(scheme) +
                             "://'; use a SQLite file path or sqlite:PATH");
  }
  if (location.starts_with(kSqlitePrefix)) {
    location.remove_prefix(kSqlitePrefix.size());
  }
  if (location.empty()) {
    return core::InvalidArgument("the store location is empty");
  }
  VNTRACE_ASSIGN_OR_RETURN(
      std::unique_ptr<sqlite::SqliteStore> sqlite_store,
      sqlite::SqliteStore::Open({.path = std::string(location),
                                 .create_if_missing = options.create_if_missing,
                                 .fault_injection = options.fault_injection_for_test}));
  return std::unique_ptr<Store>(std::move(sqlite_store));
}

}  // namespace vntrace::store
