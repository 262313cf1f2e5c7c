#include "store/sqlite/event_key.hpp"

#include "core/sha256.hpp"

namespace vntrace::store::sqlite {

std::int64_t EventKey(std::string_view event_id) {
  core::Sha256 sha;
  sha.Update(event_id);
  const core::Sha256::Digest digest = sha.Finish();
  std::uint64_t key = 0;
  for (int i = 0; i < 8; ++i) {
    key = (key << 8) | digest[static_cast<std::size_t>(i)];
  }
  return static_cast<std::int64_t>(key);
}

}  // namespace vntrace::store::sqlite
