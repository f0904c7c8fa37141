// pbkdf2.cpp: PBKDF2-HMAC-SHA-256 (RFC 8018 §5.2) on mbedTLS 2.28's SHA-256.
//
// mbedtls_pkcs5_pbkdf2_hmac restarts HMAC for every iteration, hashing the ipad and opad blocks
// again: four SHA-256 compressions per iteration. Here the two pad states are computed once, and
// each later iteration is exactly two bare compressions (crypto/sha256_compress.h, with the x86
// SHA extensions where the CPU has them). Reading a file-store item is the hot path of `export`
// as a credential_process. Parameters are bounded before any
// work; the pads, the intermediate blocks and the output live in wiped or locked memory, and
// mbedtls_sha256_free zeroizes every context.
#include "crypto/pbkdf2.h"

#include <mbedtls/sha256.h>

#include <algorithm>

#include <string>

#include "base/limits.h"
#include "crypto/mbedtls_context.h"
#include "crypto/mbedtls_error.h"
#include "crypto/sha256_compress.h"

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

// HmacPads holds SHA-256 states that have absorbed key^ipad and key^opad: as mbedTLS contexts
// (for U_1, whose input is the salt of any length) and as raw states (for U_2 ... U_c, whose
// input is always one 32-byte digest, i.e. exactly one padded block).
struct HmacPads {
  detail::Sha256Context inner;
  detail::Sha256Context outer;
  detail::Sha256State inner_state = detail::kSha256Initial;
  detail::Sha256State outer_state = detail::kSha256Initial;
  ~HmacPads() { wipe_state(inner_state), wipe_state(outer_state); }
  HmacPads() = default;
  HmacPads(const HmacPads&) = delete;
  HmacPads& operator=(const HmacPads&) = delete;

  static void wipe_state(detail::Sha256State& state) noexcept {
    volatile std::uint32_t* words = state.data();  // volatile: the stores are not elided
    for (std::size_t i = 0; i < state.size(); ++i) words[i] = 0;
  }
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
  detail::sha256_compress(pads.inner_state, pad.reveal());
  AV_TRY(sha256_ok(mbedtls_sha256_starts_ret(pads.inner.get(), 0)));
  AV_TRY(sha256_ok(mbedtls_sha256_update_ret(pads.inner.get(), pad.reveal().data(), kBlockBytes)));
  for (std::size_t i = 0; i < kBlockBytes; ++i) pad.reveal_mutable()[i] = key.reveal()[i] ^ 0x5cU;
  detail::sha256_compress(pads.outer_state, pad.reveal());
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

// store_digest writes `state` big-endian into the first 32 bytes of `block`.
void store_digest(const detail::Sha256State& state, std::span<std::uint8_t, kBlockBytes> block) {
  for (std::size_t i = 0; i < state.size(); ++i) {
    block[4 * i] = static_cast<std::uint8_t>(state[i] >> 24U);
    block[4 * i + 1] = static_cast<std::uint8_t>(state[i] >> 16U);
    block[4 * i + 2] = static_cast<std::uint8_t>(state[i] >> 8U);
    block[4 * i + 3] = static_cast<std::uint8_t>(state[i]);
  }
}

// next_u turns U_j (the first 32 bytes of `block`, already padded) into U_{j+1} in place: two
// compressions from the precomputed pad states.
void next_u(const HmacPads& pads, std::span<std::uint8_t, kBlockBytes> block,
            detail::Sha256State& scratch) {
  scratch = pads.inner_state;
  detail::sha256_compress(scratch, block);
  store_digest(scratch, block);
  scratch = pads.outer_state;
  detail::sha256_compress(scratch, block);
  store_digest(scratch, block);
}

// derive_block computes T_i = U_1 ^ ... ^ U_c of RFC 8018 into `t`.
Status derive_block(HmacPads& pads, ByteSpan salt, std::uint32_t index, std::uint32_t iterations,
                    std::span<std::uint8_t, kDigestBytes> t) {
  const std::uint8_t be_index[4] = {static_cast<std::uint8_t>(index >> 24U),
                                    static_cast<std::uint8_t>(index >> 16U),
                                    static_cast<std::uint8_t>(index >> 8U),
                                    static_cast<std::uint8_t>(index)};
  // block = U || 0x80 || zeros || bit length of (ipad block + digest) = 768 = 0x0300.
  secure::SecretArray<kBlockBytes> block;
  AV_TRY(hmac(pads, salt, ByteSpan(be_index, 4), block.reveal_mutable().first<kDigestBytes>()));
  block.reveal_mutable()[kDigestBytes] = 0x80;
  block.reveal_mutable()[kBlockBytes - 2] = 0x03;
  std::copy_n(block.reveal().begin(), kDigestBytes, t.begin());
  detail::Sha256State scratch{};
  for (std::uint32_t j = 1; j < iterations; ++j) {
    next_u(pads, block.reveal_mutable(), scratch);
    for (std::size_t k = 0; k < kDigestBytes; ++k) t[k] ^= block.reveal()[k];
  }
  HmacPads::wipe_state(scratch);
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
