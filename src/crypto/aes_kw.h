// aes_kw.h: AES key wrap (RFC 3394 §2.2, the default-IV algorithm; JWE "A128KW", RFC 7518 §4.4).
//
// Written here on top of AES-ECB because Debian's mbedTLS 2.28 is built without
// MBEDTLS_NIST_KW_C. Only RFC 3394 (not the RFC 5649 padded variant) is implemented: key data is
// a whole number of 64-bit blocks, at least two.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "secure/secret.h"

namespace av::crypto {

// kKeyWrapBlockLen is the RFC 3394 block ("semiblock") size; wrapping adds one such block.
inline constexpr std::size_t kKeyWrapBlockLen = 8;

// aes_key_wrap wraps `key_data` (the secret to protect, e.g. a JWE content-encryption key) under
// the key-encryption key `kek` and returns key_data.size() + 8 bytes. The result is not secret.
// Fails with Errc::Parse if kek is not 16, 24 or 32 bytes, or key_data is shorter than 16 bytes
// or not a multiple of 8; Errc::TooLarge if key_data exceeds limits::kMaxKeyWrapBytes;
// Errc::Crypto if mbedTLS fails. Borrows both spans for the call only; intermediate blocks are
// wiped.
[[nodiscard]] Result<std::vector<std::uint8_t>> aes_key_wrap(ByteSpan kek, ByteSpan key_data);

// aes_key_unwrap unwraps `wrapped` under `kek`, checks the RFC 3394 integrity value in constant
// time, and returns the key data (wrapped.size() - 8 bytes) as a SecretBytes.
// Fails with Errc::AuthFailed if the integrity check fails (wrong kek or modified input; no key
// data is returned); Errc::Parse if kek is not 16, 24 or 32 bytes, or `wrapped` is shorter than 24
// bytes or not a multiple of 8; Errc::TooLarge if it exceeds limits::kMaxKeyWrapBytes + 8;
// Errc::Crypto if mbedTLS fails. Borrows both spans; every intermediate block is wiped.
[[nodiscard]] Result<secure::SecretBytes> aes_key_unwrap(ByteSpan kek, ByteSpan wrapped);

}  // namespace av::crypto
