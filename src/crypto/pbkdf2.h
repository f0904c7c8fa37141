// pbkdf2.h: PBKDF2 with HMAC-SHA-256 (RFC 8018 §5.2; test vectors RFC 7914 §11). Used by the
// file backend's PBES2-HS256+A128KW key derivation.
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"
#include "secure/secret.h"

namespace av::crypto {

// pbkdf2_hmac_sha256 derives `key_len` bytes from `password` and `salt` with `iterations` rounds
// of HMAC-SHA-256 and returns them as a SecretBytes of exactly key_len bytes.
//
// Limits (checked before any work, so input cannot buy unbounded CPU):
//   iterations: 1 ..= limits::kMaxPbkdf2Iterations; 0 is Errc::Parse, more is Errc::TooLarge.
//     (Callers apply their own, tighter policy first, e.g. PBES2's kMinPbes2Iterations.)
//   key_len:    1 ..= limits::kMaxPbkdf2KeyBytes; 0 is Errc::Parse, more is Errc::TooLarge.
//   password:   at most limits::kMaxSecretBytes (Errc::TooLarge); may be empty.
//   salt:       at most limits::kMaxPbkdf2SaltBytes (Errc::TooLarge); may be empty.
// An mbedTLS failure is Errc::Crypto. Borrows `password` and `salt` for the call only; no copy of
// the password outlives the call (mbedTLS's HMAC state is wiped).
[[nodiscard]] Result<secure::SecretBytes> pbkdf2_hmac_sha256(ByteSpan password, ByteSpan salt,
                                                             std::uint32_t iterations,
                                                             std::size_t key_len);

}  // namespace av::crypto
