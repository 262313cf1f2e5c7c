#include "ledger/tree_head.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <sodium.h>

#include "core/sha256.hpp"
#include "store/contract/fixture.hpp"

namespace vntrace::ledger {
namespace {

std::string Unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

store::TreeHead Head() {
  store::TreeHead head;
  head.tree_size = 0x0102030405060708;
  head.timestamp_ms = 0x0000018bd1c2b3a4;
  for (std::size_t i = 0; i < head.root_hash.size(); ++i) {
    head.root_hash[i] = static_cast<std::uint8_t>(0xa0 + i);
  }
  return head;
}

TEST(TreeHead, SignatureInputIsRfc6962TreeHeadSignature) {
  const std::string input = TreeHeadSignatureInput(Head());
  ASSERT_EQ(input.size(), 50u);
  EXPECT_EQ(Hex(input.substr(0, 2)), "0001");               // version v1 (0), tree_hash (1)
  EXPECT_EQ(Hex(input.substr(2, 8)), "0000018bd1c2b3a4");   // timestamp, big-endian
  EXPECT_EQ(Hex(input.substr(10, 8)), "0102030405060708");  // tree_size, big-endian
  EXPECT_EQ(Hex(input.substr(18, 2)), "a0a1");              // the root hash
  EXPECT_EQ(Hex(input.substr(48, 2)), "bebf");
}

// RFC 8032 §7.1, TEST 1: the key of this seed and its signature of the empty message.
TEST(TreeHead, Ed25519IsRfc8032) {
  core::Result<SigningKey> key = SigningKey::FromSeed(
      Unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(Hex(key->public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(Hex(key->Sign("")),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3"
            "9701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_EQ(SigningKey::FromSeed("short").error().code, core::ErrorCode::kInvalidArgument);
}

TEST(TreeHead, SignedHeadsVerifyWithLibsodiumAndNothingElseDoes) {
  core::Result<SigningKey> key = SigningKey::FromSeed(std::string(32, '\x42'));
  core::Result<SigningKey> other = SigningKey::FromSeed(std::string(32, '\x43'));
  ASSERT_TRUE(key.ok() && other.ok());
  store::TreeHead head = Head();
  head.signature = key->Sign(TreeHeadSignatureInput(head));
  // libsodium itself accepts it, over exactly the TreeHeadSignature bytes.
  const std::string input = TreeHeadSignatureInput(head);
  EXPECT_EQ(crypto_sign_verify_detached(
                reinterpret_cast<const unsigned char*>(head.signature.data()),
                reinterpret_cast<const unsigned char*>(input.data()), input.size(),
                reinterpret_cast<const unsigned char*>(key->public_key().data())),
            0);
  EXPECT_TRUE(VerifyTreeHead(head, key->public_key()).ok());
  EXPECT_EQ(VerifyTreeHead(head, other->public_key()).error().code,
            core::ErrorCode::kFailedPrecondition);
  for (int field = 0; field < 3; ++field) {
    store::TreeHead changed = head;
    if (field == 0) {
      changed.tree_size += 1;
    } else if (field == 1) {
      changed.timestamp_ms += 1;
    } else {
      changed.root_hash[31] ^= 1;
    }
    EXPECT_FALSE(VerifyTreeHead(changed, key->public_key()).ok()) << field;
  }
  EXPECT_EQ(VerifySignature("short", "m", head.signature).error().code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(VerifySignature(key->public_key(), "m", "short").error().code,
            core::ErrorCode::kInvalidArgument);
}

TEST(TreeHead, KeyFileIsCreatedPrivateAndReadBack) {
  store::testing::TempDir dir;
  const std::string path = (dir.path() / "vntrace.db.log-key").string();
  EXPECT_EQ(SigningKey::LoadOrCreate(path, false).error().code, core::ErrorCode::kNotFound);
  core::Result<SigningKey> created = SigningKey::LoadOrCreate(path);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(info.st_size, 32);
  core::Result<SigningKey> loaded = SigningKey::LoadOrCreate(path, false);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->public_key(), created->public_key());
  EXPECT_EQ(loaded->Sign("x"), created->Sign("x"));
  // Another file, another key.
  core::Result<SigningKey> second = SigningKey::LoadOrCreate(path + "2");
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->public_key(), created->public_key());
  // A file that is not a seed is refused, not replaced.
  const std::string bad = (dir.path() / "bad-key").string();
  std::ofstream(bad) << "not a key";
  EXPECT_EQ(SigningKey::LoadOrCreate(bad).error().code, core::ErrorCode::kInvalidArgument);
}

TEST(TreeHead, Base64IsStandardWithPadding) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64(std::string("\xfb\xff", 2)), "+/8=");
  EXPECT_EQ(*FromBase64("+/8=", "x"), std::string("\xfb\xff", 2));
  EXPECT_EQ(*FromBase64("Zm9vYg==", "x"), "foob");
  for (std::string_view bad : {"-_8=", "+/8", "Zm9v YQ==", "Zm9vYQ=", "Zm9vYR==", "Zg==Zg=="}) {
    EXPECT_EQ(FromBase64(bad, "x").error().code, core::ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(FromBase64("Zm9v", "key", 32).error().code, core::ErrorCode::kInvalidArgument);
  const store::LogHash hash = core::Sha256Digest("abc");
  EXPECT_EQ(*HashFromBase64(Base64(hash), "root"), hash);
  EXPECT_EQ(Base64(hash), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

}  // namespace
}  // namespace vntrace::ledger
