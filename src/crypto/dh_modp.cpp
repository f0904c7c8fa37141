// dh_modp.cpp: group-2 Diffie-Hellman over mbedTLS 2.28's bignum layer. mbedtls_dhm_context is
// not used because it keeps the private exponent in ordinary heap memory for the context's
// lifetime and does not pad the secret; here x stays in SecretBytes and is loaded into a
// bignum only for the one exponentiation that needs it.
#include "crypto/dh_modp.h"

#include <mbedtls/bignum.h>

#include <string>
#include <string_view>
#include <utility>

#include "crypto/mbedtls_context.h"
#include "crypto/mbedtls_error.h"

namespace av::crypto {

// RFC 2409 §6.2: p = 2^1024 - 2^960 - 1 + 2^64 * { [2^894 pi] + 129093 }.
const std::array<std::uint8_t, kModp1024Len> kModp1024Prime = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xC9, 0x0F, 0xDA, 0xA2, 0x21, 0x68, 0xC2, 0x34,
    0xC4, 0xC6, 0x62, 0x8B, 0x80, 0xDC, 0x1C, 0xD1, 0x29, 0x02, 0x4E, 0x08, 0x8A, 0x67, 0xCC, 0x74,
    0x02, 0x0B, 0xBE, 0xA6, 0x3B, 0x13, 0x9B, 0x22, 0x51, 0x4A, 0x08, 0x79, 0x8E, 0x34, 0x04, 0xDD,
    0xEF, 0x95, 0x19, 0xB3, 0xCD, 0x3A, 0x43, 0x1B, 0x30, 0x2B, 0x0A, 0x6D, 0xF2, 0x5F, 0x14, 0x37,
    0x4F, 0xE1, 0x35, 0x6D, 0x6D, 0x51, 0xC2, 0x45, 0xE4, 0x85, 0xB5, 0x76, 0x62, 0x5E, 0x7E, 0xC6,
    0xF4, 0x4C, 0x42, 0xE9, 0xA6, 0x37, 0xED, 0x6B, 0x0B, 0xFF, 0x5C, 0xB6, 0xF4, 0x06, 0xB7, 0xED,
    0xEE, 0x38, 0x6B, 0xFB, 0x5A, 0x89, 0x9F, 0xA5, 0xAE, 0x9F, 0x24, 0x11, 0x7C, 0x4B, 0x1F, 0xE6,
    0x49, 0x28, 0x66, 0x51, 0xEC, 0xE6, 0x53, 0x81, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

namespace {

using Mpi = detail::MbedtlsContext<mbedtls_mpi, mbedtls_mpi_init, mbedtls_mpi_free>;

constexpr mbedtls_mpi_sint kGenerator = 2;
constexpr int kMaxDrawAttempts = 8;  // x < 2 has probability 2^-1022 per draw

Status mpi_check(int rc, std::string_view what) {
  if (rc != 0) return mbedtls_error(rc, what);
  return ok();
}

// modexp sets out = base^exponent mod p, with `exponent` the big-endian secret bytes.
Status modexp(Mpi& out, Mpi& base, ByteSpan exponent) {
  Mpi p;
  Mpi x;
  AV_TRY(mpi_check(mbedtls_mpi_read_binary(p.get(), kModp1024Prime.data(), kModp1024Prime.size()),
                   "dh: loading prime"));
  AV_TRY(mpi_check(mbedtls_mpi_read_binary(x.get(), exponent.data(), exponent.size()),
                   "dh: loading private exponent"));
  return mpi_check(mbedtls_mpi_exp_mod(out.get(), base.get(), x.get(), p.get(), nullptr),
                   "dh: exponentiating");
}

// in_open_range reports whether 1 < y < p - 1.
Result<bool> in_open_range(Mpi& y) {
  Mpi p_minus_1;
  AV_TRY(mpi_check(mbedtls_mpi_read_binary(p_minus_1.get(), kModp1024Prime.data(),
                                           kModp1024Prime.size()),
                   "dh: loading prime"));
  AV_TRY(mpi_check(mbedtls_mpi_sub_int(p_minus_1.get(), p_minus_1.get(), 1), "dh: p - 1"));
  return mbedtls_mpi_cmp_int(y.get(), 1) > 0 && mbedtls_mpi_cmp_mpi(y.get(), p_minus_1.get()) < 0;
}

// draw_exponent fills 128 random bytes with the top bit cleared (so x < 2^1023 < p), retrying
// the negligible case x < 2.
Result<secure::SecretBytes> draw_exponent(RandomSource& random) {
  auto x = secure::SecretBytes::zeroed(kModp1024Len);
  for (int attempt = 0; attempt < kMaxDrawAttempts; ++attempt) {
    AV_TRY(random.fill(x.reveal_mutable()));
    x.reveal_mutable()[0] &= 0x7F;
    unsigned high = 0;
    for (std::size_t i = 0; i + 1 < kModp1024Len; ++i) high |= x.reveal()[i];
    if (high != 0 || x.reveal()[kModp1024Len - 1] >= 2) return x;
  }
  return Error{Errc::Crypto, "dh: the random source keeps returning zeros"};
}

}  // namespace

Result<DhModp1024> DhModp1024::generate(RandomSource& random) {
  AV_TRY_ASSIGN(secure::SecretBytes x, draw_exponent(random));
  Mpi g;
  Mpi y;
  AV_TRY(mpi_check(mbedtls_mpi_lset(g.get(), kGenerator), "dh: loading generator"));
  AV_TRY(modexp(y, g, x.reveal()));
  std::array<std::uint8_t, kModp1024Len> public_value{};
  AV_TRY(mpi_check(mbedtls_mpi_write_binary(y.get(), public_value.data(), public_value.size()),
                   "dh: writing public value"));
  return DhModp1024(std::move(x), public_value);
}

Result<secure::SecretBytes> DhModp1024::shared_secret(ByteSpan peer) const {
  if (peer.empty() || peer.size() > kModp1024Len) {
    return Error{Errc::Parse, "dh: peer public value is " + std::to_string(peer.size()) +
                                  " bytes, want 1..128"};
  }
  Mpi y;
  AV_TRY(mpi_check(mbedtls_mpi_read_binary(y.get(), peer.data(), peer.size()),
                   "dh: loading peer public value"));
  AV_TRY_ASSIGN(bool valid, in_open_range(y));
  if (!valid) return Error{Errc::Parse, "dh: peer public value is out of range"};
  Mpi k;
  AV_TRY(modexp(k, y, private_.reveal()));
  auto secret = secure::SecretBytes::zeroed(kModp1024Len);
  AV_TRY(mpi_check(mbedtls_mpi_write_binary(k.get(), secret.reveal_mutable().data(),
                                            secret.size()),
                   "dh: writing shared secret"));
  return secret;
}

}  // namespace av::crypto
