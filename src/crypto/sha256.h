// sha256.h: SHA-256 (FIPS 180-4) for data that is not secret (SigV4 payload and canonical-request
// hashes, fingerprints). Digests are returned in plain std::array: a hash is not a secret. Hashing
// secret input is fine (the input is only read); the digest of a low-entropy secret is not safe
// to publish, so do not use these functions to derive keys (use hmac_sha256.h / pbkdf2.h).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "base/bytes.h"

namespace av::crypto {

// kSha256Len is the size of a SHA-256 digest in bytes.
inline constexpr std::size_t kSha256Len = 32;

// Sha256Digest is a SHA-256 digest.
using Sha256Digest = std::array<std::uint8_t, kSha256Len>;

// sha256 returns the SHA-256 digest of `data`. Never fails (a failure inside mbedTLS is a bug and
// aborts). Borrows `data` for the call only.
Sha256Digest sha256(ByteSpan data);

// Sha256 hashes a message given in pieces. Move-only; the internal state lives on the heap and is
// wiped when freed.
//
//   Sha256 hasher;
//   hasher.update(as_bytes(head));
//   hasher.update(body);
//   Sha256Digest digest = hasher.finish();
class Sha256 {
 public:
  // Sha256 starts an empty message.
  Sha256();
  ~Sha256();
  Sha256(Sha256&& other) noexcept;
  Sha256& operator=(Sha256&& other) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  // update appends `data` to the message. Borrows `data` for the call only. Calling it on a
  // moved-from object aborts.
  void update(ByteSpan data);

  // finish returns the digest of everything passed to update() and starts a new, empty message.
  Sha256Digest finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace av::crypto
