// sha1.h: SHA-1 (FIPS 180-4), for one purpose only: the file name the AWS CLI and SDKs give a
// cached SSO token, `~/.aws/sso/cache/<hex(sha1(session name or start URL))>.json` (spec §10.4).
// SHA-1 is broken for collision resistance; never use it for integrity or anything secret. The
// input there is a public name, and the digest is a lookup key that other tools compute the same
// way.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"

namespace av::crypto {

// kSha1Len is the size of a SHA-1 digest in bytes.
inline constexpr std::size_t kSha1Len = 20;

// Sha1Digest is a SHA-1 digest.
using Sha1Digest = std::array<std::uint8_t, kSha1Len>;

// sha1 returns the SHA-1 digest of `data`. Never fails (a failure inside mbedTLS is a bug and
// aborts). Borrows `data` for the call only.
Sha1Digest sha1(ByteSpan data);

}  // namespace av::crypto
