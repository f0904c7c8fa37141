// hmac_sha256.h: HMAC-SHA-256 (RFC 2104, test vectors RFC 4231).
//
// Two variants that differ only in how the result is held: hmac_sha256() returns a
// secure::SecretArray because its output is often a key (the SigV4 chain kDate -> kRegion ->
// kService -> kSigning, PBES2 building blocks); hmac_sha256_public() returns a plain std::array
// for MACs that are published anyway (the final SigV4 signature). Keys of any length are accepted
// (RFC 2104: longer than 64 bytes are hashed first); the key may be secret and is only read.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "secure/secret.h"

namespace av::crypto {

// kHmacSha256Len is the size of an HMAC-SHA-256 output in bytes.
inline constexpr std::size_t kHmacSha256Len = 32;

// hmac_sha256 returns HMAC-SHA-256(key, data) in a wiped-on-destruction SecretArray. Never fails
// (an mbedTLS failure here means out of memory or a bug, both fatal). Borrows `key` and `data`
// for the call only; mbedTLS's copies of the key pads are wiped before return.
secure::SecretArray<kHmacSha256Len> hmac_sha256(ByteSpan key, ByteSpan data);

// hmac_sha256_public is hmac_sha256 for a MAC that is not secret (it will be sent or printed).
// Never fails. Compare received MACs with ct::equal, never with ==.
std::array<std::uint8_t, kHmacSha256Len> hmac_sha256_public(ByteSpan key, ByteSpan data);

}  // namespace av::crypto
