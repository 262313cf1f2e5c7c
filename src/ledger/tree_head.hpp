// ledger::tree_head: signed tree heads (RFC 6962 §3.5) with Ed25519 (libsodium), the
// deployment's signing key, and the base64 the log's JSON uses.
//
// A tree head is signed over RFC 6962's TreeHeadSignature structure, 50 bytes: version (1 byte,
// 0 = v1), signature_type (1 byte, 1 = tree_hash), timestamp (uint64 big-endian, milliseconds
// since the Unix epoch), tree_size (uint64 big-endian), sha256_root_hash (32 bytes). The same
// bytes are what a witness co-signs.
//
// The key is a 32-byte Ed25519 seed kept in a file outside the database (by default
// "<database>.log-key", created with mode 0600 on first use), so that someone who can change the
// database still cannot sign a tree head.
//
// Thread-safety: SigningKey is immutable after loading and safe to share; the functions are
// pure.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(ledger::SigningKey key,
//                            ledger::SigningKey::LoadOrCreate("vntrace.db.log-key"));
//   std::string signature = key.Sign(ledger::TreeHeadSignatureInput(head));
//   VNTRACE_RETURN_IF_ERROR(ledger::VerifyTreeHead(head, key.public_key()));
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/log_store.hpp"

namespace vntrace::ledger {

constexpr std::size_t kPublicKeySize = 32;
constexpr std::size_t kSignatureSize = 64;
constexpr std::size_t kSeedSize = 32;

// The TreeHeadSignature bytes of RFC 6962 §3.5 for `head` (its signature and key unused).
std::string TreeHeadSignatureInput(const store::TreeHead& head);

// Checks that `signature` is `public_key`'s Ed25519 signature of `message`. kInvalidArgument
// for a key or signature of the wrong size; kFailedPrecondition when it does not verify.
core::Status VerifySignature(std::string_view public_key, std::string_view message,
                             std::string_view signature);

// Checks head.signature over TreeHeadSignatureInput(head) with `public_key`. Errors as
// VerifySignature.
core::Status VerifyTreeHead(const store::TreeHead& head, std::string_view public_key);

// An Ed25519 signing key. Movable; the secret is wiped when destroyed.
class SigningKey {
 public:
  // The key of a 32-byte seed. kInvalidArgument for another size.
  static core::Result<SigningKey> FromSeed(std::string_view seed);
  // Reads the seed file at `path`, or creates it (mode 0600, a fresh random seed) when it is
  // missing and `create` is set. kNotFound when it is missing and `create` is not set;
  // kInvalidArgument when it does not hold exactly 32 bytes; kInternal on I/O errors. A file
  // that others may read is used but logged as a warning.
  static core::Result<SigningKey> LoadOrCreate(const std::string& path, bool create = true);

  ~SigningKey();
  SigningKey(SigningKey&& other) noexcept;
  SigningKey& operator=(SigningKey&& other) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;

  // 32 bytes.
  const std::string& public_key() const { return public_key_; }
  // The 64-byte Ed25519 signature of `message`.
  std::string Sign(std::string_view message) const;

 private:
  SigningKey() = default;

  std::string public_key_;
  std::unique_ptr<std::array<unsigned char, 64>> secret_;  // libsodium's secret key form
};

// Standard base64 with padding (RFC 4648 §4).
std::string Base64(std::string_view bytes);
// Decodes standard base64 with padding; kInvalidArgument for anything else, or when
// `expected_size` is set and the bytes are not that many. `what` names the value in messages.
core::Result<std::string> FromBase64(std::string_view text, std::string_view what,
                                     std::size_t expected_size = 0);
std::string Base64(const store::LogHash& hash);
core::Result<store::LogHash> HashFromBase64(std::string_view text, std::string_view what);

}  // namespace vntrace::ledger
