// hkdf.h: HKDF with SHA-256 (RFC 5869, extract-then-expand), used to turn the Secret Service
// Diffie-Hellman shared secret into its AES-128 session key (no salt, no info, 16 bytes).
#pragma once

#include <cstddef>

#include "base/bytes.h"
#include "base/result.h"
#include "secure/secret.h"

namespace av::crypto {

// kHkdfSha256MaxLen: the longest output RFC 5869 allows with SHA-256 (255 * HashLen).
inline constexpr std::size_t kHkdfSha256MaxLen = 255 * 32;

// hkdf_sha256 derives `length` bytes from the input keying material `ikm`. An empty `salt`
// means "not provided" (RFC 5869 §2.2: HashLen zero bytes, which HMAC treats identically);
// an empty `info` is the empty string. The output is secret and lives in sodium_malloc memory.
// Fails with Errc::Parse if `length` is 0 or above kHkdfSha256MaxLen, Errc::TooLarge if `ikm`,
// `salt` or `info` exceeds limits::kMaxSecretItemBytes, Errc::Crypto if mbedTLS fails.
// All spans are borrowed for the call only; mbedTLS's intermediate PRK is wiped by mbedTLS.
[[nodiscard]] Result<secure::SecretBytes> hkdf_sha256(ByteSpan salt, ByteSpan ikm, ByteSpan info,
                                                      std::size_t length);

}  // namespace av::crypto
