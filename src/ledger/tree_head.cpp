#include "ledger/tree_head.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <sodium.h>

#include "core/log.hpp"

namespace vntrace::ledger {
namespace {

void InitSodium() {
  static const int kInit = sodium_init();
  if (kInit < 0) {
    std::fprintf(stderr, "vntrace: libsodium failed to initialise\n");
    std::abort();
  }
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

void AppendBigEndian(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

std::string Errno(std::string_view what, const std::string& path) {
  return std::string(what) + " " + path + ": " + std::strerror(errno);
}

// Reads exactly the seed from `fd`; kInvalidArgument when the file holds anything else.
core::Result<std::string> ReadSeed(int fd, const std::string& path) {
  std::string seed(kSeedSize + 1, '\0');
  std::size_t got = 0;
  while (got < seed.size()) {
    const ssize_t n = ::read(fd, seed.data() + got, seed.size() - got);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return core::Internal(Errno("cannot read the log key", path));
    }
    if (n == 0) {
      break;
    }
    got += static_cast<std::size_t>(n);
  }
  if (got != kSeedSize) {
    return core::InvalidArgument("the log key file " + path + " must hold exactly " +
                                 std::to_string(kSeedSize) + " bytes (an Ed25519 seed)");
  }
  seed.resize(kSeedSize);
  return seed;
}

core::Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return core::Internal(Errno("cannot write the log key", path));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    return core::Internal(Errno("cannot sync the log key", path));
  }
  return core::Ok();
}

// Creates `path` with a fresh seed; false when it appeared meanwhile.
core::Result<bool> CreateSeedFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return false;
    }
    return core::Internal(Errno("cannot create the log key", path));
  }
  std::string seed(kSeedSize, '\0');
  randombytes_buf(seed.data(), seed.size());
  core::Status written = WriteAll(fd, seed, path);
  sodium_memzero(seed.data(), seed.size());
  ::close(fd);
  if (!written.ok()) {
    ::unlink(path.c_str());
    return written.error();
  }
  core::LogInfo("created the log signing key", {{"path", path}});
  return true;
}

}  // namespace

std::string TreeHeadSignatureInput(const store::TreeHead& head) {
  static constexpr char kVersionV1 = 0;
  static constexpr char kSignatureTypeTreeHash = 1;
  std::string out;
  out.reserve(2 + 8 + 8 + head.root_hash.size());
  out.push_back(kVersionV1);
  out.push_back(kSignatureTypeTreeHash);
  AppendBigEndian(out, static_cast<std::uint64_t>(head.timestamp_ms));
  AppendBigEndian(out, static_cast<std::uint64_t>(head.tree_size));
  out.append(reinterpret_cast<const char*>(head.root_hash.data()), head.root_hash.size());
  return out;
}

core::Status VerifySignature(std::string_view public_key, std::string_view message,
                             std::string_view signature) {
  InitSodium();
  if (public_key.size() != kPublicKeySize) {
    return core::InvalidArgument("an Ed25519 public key has 32 bytes, not " +
                                 std::to_string(public_key.size()));
  }
  if (signature.size() != kSignatureSize) {
    return core::InvalidArgument("an Ed25519 signature has 64 bytes, not " +
                                 std::to_string(signature.size()));
  }
  if (crypto_sign_verify_detached(Bytes(signature), Bytes(message), message.size(),
                                  Bytes(public_key)) != 0) {
    return core::FailedPrecondition("the signature does not verify with this public key");
  }
  return core::Ok();
}

core::Status VerifyTreeHead(const store::TreeHead& head, std::string_view public_key) {
  core::Status verified = VerifySignature(public_key, TreeHeadSignatureInput(head), head.signature);
  if (!verified.ok()) {
    core::Error error = std::move(verified).error();
    error.message = "tree head of " + std::to_string(head.tree_size) + " leaves at " +
                    std::to_string(head.timestamp_ms) + " ms: " + error.message;
    return error;
  }
  return core::Ok();
}

core::Result<SigningKey> SigningKey::FromSeed(std::string_view seed) {
  InitSodium();
  if (seed.size() != kSeedSize) {
    return core::InvalidArgument("an Ed25519 seed has 32 bytes, not " +
                                 std::to_string(seed.size()));
  }
  SigningKey key;
  key.secret_ = std::make_unique<std::array<unsigned char, 64>>();
  std::array<unsigned char, kPublicKeySize> public_key{};
  crypto_sign_seed_keypair(public_key.data(), key.secret_->data(), Bytes(seed));
  key.public_key_.assign(reinterpret_cast<const char*>(public_key.data()), public_key.size());
  return key;
}

core::Result<SigningKey> SigningKey::LoadOrCreate(const std::string& path, bool create) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
      if (!create) {
        return core::NotFound("no log key at " + path);
      }
      VNTRACE_ASSIGN_OR_RETURN(bool created, CreateSeedFile(path));
      (void)created;  // created now, or by another process meanwhile: read it either way
      continue;
    }
    if (fd < 0) {
      return core::Internal(Errno("cannot open the log key", path));
    }
    struct stat info {};
    if (::fstat(fd, &info) == 0 && (info.st_mode & 077) != 0) {
      core::LogWarning("the log signing key can be read by other users; chmod 600 it",
                       {{"path", path}});
    }
    core::Result<std::string> seed = ReadSeed(fd, path);
    ::close(fd);
    if (!seed.ok()) {
      return seed.error();
    }
    core::Result<SigningKey> key = FromSeed(*seed);
    sodium_memzero(seed->data(), seed->size());
    return key;
  }
  return core::Internal("the log key " + path + " vanished while it was being created");
}

SigningKey::~SigningKey() {
  if (secret_ != nullptr) {
    sodium_memzero(secret_->data(), secret_->size());
  }
}

SigningKey::SigningKey(SigningKey&& other) noexcept
    : public_key_(std::move(other.public_key_)), secret_(std::move(other.secret_)) {}

SigningKey& SigningKey::operator=(SigningKey&& other) noexcept {
  if (this != &other) {
    if (secret_ != nullptr) {
      sodium_memzero(secret_->data(), secret_->size());
    }
    public_key_ = std::move(other.public_key_);
    secret_ = std::move(other.secret_);
  }
  return *this;
}

std::string SigningKey::Sign(std::string_view message) const {
  VNTRACE_ASSERT(secret_ != nullptr);  // a moved-from key is not used
  std::string signature(kSignatureSize, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr, Bytes(message),
                       message.size(), secret_->data());
  return signature;
}

std::string Base64(std::string_view bytes) {
  InitSodium();
  const std::size_t size = sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string out(size, '\0');
  sodium_bin2base64(out.data(), out.size(), Bytes(bytes), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(size - 1);  // the terminating NUL
  return out;
}

std::string Base64(const store::LogHash& hash) {
  return Base64(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

core::Result<std::string> FromBase64(std::string_view text, std::string_view what,
                                     std::size_t expected_size) {
  InitSodium();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t size = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &size, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return core::InvalidArgument(std::string(what) + " is not standard base64 with padding");
  }
  out.resize(size);
  if (expected_size != 0 && size != expected_size) {
    return core::InvalidArgument(std::string(what) + " must be " + std::to_string(expected_size) +
                                 " bytes, not " + std::to_string(size));
  }
  return out;
}

core::Result<store::LogHash> HashFromBase64(std::string_view text, std::string_view what) {
  VNTRACE_ASSIGN_OR_RETURN(std::string bytes, FromBase64(text, what, store::LogHash().size()));
  store::LogHash hash{};
  std::copy(bytes.begin(), bytes.end(), hash.begin());
  return hash;
}

}  // namespace vntrace::ledger
