// pbkdf2.cpp: PBKDF2-HMAC-SHA-256 (RFC 8018 §5.2) on mbedTLS 2.28's SHA-256.
//
// mbedtls_pkcs5_pbkdf2_hmac restarts HMAC for every iteration, hashing the ipad and opad blocks
// again: four SHA-256 compressions per iteration. Here the two pad states are computed once and
// cloned, so each iteration costs two compressions, which halves the time of reading a file-store
// item (the hot path of `export` as a credential_process). Parameters are bounded before any
// work; the pads, the intermediate blocks and the output live in wiped or locked memory, and
// mbedtls_sha256_free zeroizes every context.
#include "crypto/pbkdf2.h"

#include <mbedtls/sha256.h>

#include <algorithm>

#include <string>

#include "base/limits.h"
#include "crypto/mbedtls_context.h"
#include "crypto/mbedtls_error.h"

namespace av::crypto {
namespace {

static_assert(limits::kMaxPbkdf2KeyBytes <= UINT32_MAX);

Status check_pbkdf2_parameters(ByteSpan password, ByteSpan salt, std::uint32_t iterations,
                               std::size_t key_len) {
  if (iterations == 0) return Error{Errc::Parse, "pbkdf2: iteration count is zero"};
  if (iterations > limits::kMaxPbkdf2Iterations) {
    return Error{Errc::TooLarge, "pbkdf2: iteration count above " +
                                     std::to_string(limits::kMaxPbkdf2Iterations)};
  }
  if (key_len == 0) return Error{Errc::Parse, "pbkdf2: derived key length is zero"};
  if (key_len > limits::kMaxPbkdf2KeyBytes) {
    return Error{Errc::TooLarge, "pbkdf2: derived key longer than " +
                                     std::to_string(limits::kMaxPbkdf2KeyBytes) + " bytes"};
  }
  if (password.size() > limits::kMaxSecretBytes) {
    return Error{Errc::TooLarge, "pbkdf2: password longer than " +
                                     std::to_string(limits::kMaxSecretBytes) + " bytes"};
  }
  if (salt.size() > limits::kMaxPbkdf2SaltBytes) {
    return Error{Errc::TooLarge, "pbkdf2: salt longer than " +
                                     std::to_string(limits::kMaxPbkdf2SaltBytes) + " bytes"};
  }
  return ok();
}

}  // namespace

namespace {

constexpr std::size_t kBlockBytes = 64;  // SHA-256 block
constexpr std::size_t kDigestBytes = 32;

// HmacPads holds SHA-256 states that have absorbed key^ipad and key^opad.
struct HmacPads {
  detail::Sha256Context inner;
  detail::Sha256Context outer;
};

Status sha256_ok(int rc) { return rc == 0 ? ok() : mbedtls_error(rc, "pbkdf2"); }

Status init_pads(HmacPads& pads, ByteSpan password) {
  secure::SecretArray<kBlockBytes> key;
  if (password.size() > kBlockBytes) {
    detail::Sha256Context h;
    AV_TRY(sha256_ok(mbedtls_sha256_starts_ret(h.get(), 0)));
    AV_TRY(sha256_ok(mbedtls_sha256_update_ret(h.get(), password.data(), password.size())));
    AV_TRY(sha256_ok(mbedtls_sha256_finish_ret(h.get(), key.reveal_mutable().data())));
  } else {
    std::copy(password.begin(), password.end(), key.reveal_mutable().begin());
  }
  secure::SecretArray<kBlockBytes> pad;
  for (std::size_t i = 0; i < kBlockBytes; ++i) pad.reveal_mutable()[i] = key.reveal()[i] ^ 0x36U;
  AV_TRY(sha256_ok(mbedtls_sha256_starts_ret(pads.inner.get(), 0)));
  AV_TRY(sha256_ok(mbedtls_sha256_update_ret(pads.inner.get(), pad.reveal().data(), kBlockBytes)));
  for (std::size_t i = 0; i < kBlockBytes; ++i) pad.reveal_mutable()[i] = key.reveal()[i] ^ 0x5cU;
  AV_TRY(sha256_ok(mbedtls_sha256_starts_ret(pads.outer.get(), 0)));
  return sha256_ok(mbedtls_sha256_update_ret(pads.outer.get(), pad.reveal().data(), kBlockBytes));
}

// hmac computes HMAC(key, a || b) into `out` from the precomputed pads.
Status hmac(HmacPads& pads, ByteSpan a, ByteSpan b, std::span<std::uint8_t, kDigestBytes> out) {
  detail::Sha256Context ctx;
  mbedtls_sha256_clone(ctx.get(), pads.inner.get());
  AV_TRY(sha256_ok(mbedtls_sha256_update_ret(ctx.get(), a.data(), a.size())));
  AV_TRY(sha256_ok(mbedtls_sha256_update_ret(ctx.get(), b.data(), b.size())));
  secure::SecretArray<kDigestBytes> inner;
  AV_TRY(sha256_ok(mbedtls_sha256_finish_ret(ctx.get(), inner.reveal_mutable().data())));
  mbedtls_sha256_clone(ctx.get(), pads.outer.get());
  AV_TRY(sha256_ok(mbedtls_sha256_update_ret(ctx.get(), inner.reveal().data(), kDigestBytes)));
  return sha256_ok(mbedtls_sha256_finish_ret(ctx.get(), out.data()));
}

// derive_block computes T_i = U_1 ^ ... ^ U_c of RFC 8018 into `t`.
Status derive_block(HmacPads& pads, ByteSpan salt, std::uint32_t index, std::uint32_t iterations,
                    std::span<std::uint8_t, kDigestBytes> t) {
  const std::uint8_t be_index[4] = {static_cast<std::uint8_t>(index >> 24U),
                                    static_cast<std::uint8_t>(index >> 16U),
                                    static_cast<std::uint8_t>(index >> 8U),
                                    static_cast<std::uint8_t>(index)};
  secure::SecretArray<kDigestBytes> u;
  AV_TRY(hmac(pads, salt, ByteSpan(be_index, 4), u.reveal_mutable()));
  std::copy(u.reveal().begin(), u.reveal().end(), t.begin());
  for (std::uint32_t j = 1; j < iterations; ++j) {
    AV_TRY(hmac(pads, u.reveal(), {}, u.reveal_mutable()));
    for (std::size_t k = 0; k < kDigestBytes; ++k) t[k] ^= u.reveal()[k];
  }
  return ok();
}

}  // namespace

Result<secure::SecretBytes> pbkdf2_hmac_sha256(ByteSpan password, ByteSpan salt,
                                               std::uint32_t iterations, std::size_t key_len) {
  AV_TRY(check_pbkdf2_parameters(password, salt, iterations, key_len));
  HmacPads pads;
  AV_TRY(init_pads(pads, password));
  auto key = secure::SecretBytes::zeroed(key_len);
  const MutableByteSpan out = key.reveal_mutable();
  secure::SecretArray<kDigestBytes> block;
  // key_len <= kMaxPbkdf2KeyBytes, so the block count fits in 32 bits.
  for (std::size_t done = 0, index = 1; done < key_len; done += kDigestBytes, ++index) {
    AV_TRY(derive_block(pads, salt, static_cast<std::uint32_t>(index), iterations,
                        block.reveal_mutable()));
    const std::size_t n = std::min(kDigestBytes, key_len - done);
    std::copy_n(block.reveal().begin(), n, out.begin() + static_cast<std::ptrdiff_t>(done));
  }
  return key;
}

}  // namespace av::crypto
