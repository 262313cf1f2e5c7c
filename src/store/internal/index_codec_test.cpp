#include "store/internal/index_codec.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace vntrace::store::internal {
namespace {

using epcis::IndexEntry;
using epcis::IndexKind;

TEST(IndexCodec, RoundTrips) {
  const std::vector<std::vector<IndexEntry>> cases = {
      {},
      {{.kind = IndexKind::kEpc, .type = "", .value = "https://id.gs1.org/01/08935001200017/21/1"}},
      {{.kind = IndexKind::kBizTransaction, .type = "po", .value = "urn:epcglobal:cbv:bt:1:2"},
       {.kind = IndexKind::kCorrectiveEventId, .type = "", .value = std::string(300, 'x')},
       {.kind = IndexKind::kReadPoint, .type = "", .value = ""}},
  };
  for (const std::vector<IndexEntry>& entries : cases) {
    std::string bytes = "junk";
    EncodeIndexEntries(entries, bytes);
    std::vector<IndexEntry> back = {{.kind = IndexKind::kEpc, .type = "", .value = "stale"}};
    ASSERT_TRUE(DecodeIndexEntries(bytes, back).ok());
    EXPECT_EQ(back, entries);
  }
}

TEST(IndexCodec, RejectsDamagedBytes) {
  std::string bytes;
  EncodeIndexEntries(
      std::vector<IndexEntry>{{.kind = IndexKind::kEpc, .type = "t", .value = "value"}}, bytes);
  std::vector<IndexEntry> entries;
  for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(DecodeIndexEntries(bytes.substr(0, cut), entries).ok()) << cut;
  }
  EXPECT_FALSE(DecodeIndexEntries(std::string("\0\0\0", 3), entries).ok());  // kind 0
  EXPECT_FALSE(DecodeIndexEntries("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", entries).ok());
}

}  // namespace
}  // namespace vntrace::store::internal
