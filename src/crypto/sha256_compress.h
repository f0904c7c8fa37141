// sha256_compress.h: the bare SHA-256 compression function (FIPS 180-4 §6.2.2), for the PBKDF2
// inner loop, where every HMAC input is one fixed-size block and mbedTLS's update/finish
// bookkeeping is pure overhead.
//
// Two implementations: a portable one, and one with the x86 SHA extensions (SHA-NI), chosen at
// run time from CPUID. Both are checked against each other and against FIPS 180-4 vectors
// (tests/unit/crypto/sha256_compress_test.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace av::crypto::detail {

using Sha256State = std::array<std::uint32_t, 8>;

// kSha256Initial: H(0) of FIPS 180-4 §5.3.3.
inline constexpr Sha256State kSha256Initial = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

// sha256_compress folds one 64-byte block into `state` with the fastest implementation this CPU
// supports.
void sha256_compress(Sha256State& state, std::span<const std::uint8_t, 64> block) noexcept;

// sha256_compress_portable: the plain C++ implementation (always available).
void sha256_compress_portable(Sha256State& state, std::span<const std::uint8_t, 64> block) noexcept;

// sha256_has_hardware reports whether sha256_compress uses the SHA extensions here.
bool sha256_has_hardware() noexcept;

}  // namespace av::crypto::detail
