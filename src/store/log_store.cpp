#include "store/log_store.hpp"

#include "core/sha256.hpp"

namespace vntrace::store {

LogHash LogLeafHash(std::string_view data) {
  static constexpr std::uint8_t kLeafPrefix = 0x00;
  core::Sha256 sha;
  sha.Update(&kLeafPrefix, 1);
  sha.Update(data);
  return sha.Finish();
}

LogHash LogNodeHash(const LogHash& left, const LogHash& right) {
  static constexpr std::uint8_t kNodePrefix = 0x01;
  core::Sha256 sha;
  sha.Update(&kNodePrefix, 1);
  sha.Update(left.data(), left.size());
  sha.Update(right.data(), right.size());
  return sha.Finish();
}

}  // namespace vntrace::store
