// aes_kw.cpp: RFC 3394 AES key wrap over mbedtls_aes_crypt_ecb (MBEDTLS_NIST_KW_C is compiled
// out of Debian's mbedTLS 2.28).
//
// Invariants: the 16-byte working block (A | R[i]) lives in a SecretArray and is wiped on every
// return; during unwrap the registers R[1..n] live in the SecretBytes that becomes the result, so
// no unwiped copy of key data exists; the integrity value is compared with ct::equal.
#include "crypto/aes_kw.h"

#include <mbedtls/aes.h>

#include <algorithm>
#include <array>
#include <span>
#include <string>

#include "base/limits.h"
#include "crypto/mbedtls_context.h"
#include "crypto/mbedtls_error.h"
#include "secure/ct.h"

namespace av::crypto {
namespace {

constexpr std::size_t kAesBlockLen = 16;
constexpr std::size_t kMinKeyDataLen = 2 * kKeyWrapBlockLen;
constexpr int kWrapRounds = 6;  // RFC 3394 §2.2.1: j = 0..5
// RFC 3394 §2.2.3.1: the default initial value.
constexpr std::array<std::uint8_t, kKeyWrapBlockLen> kDefaultIv = {0xA6, 0xA6, 0xA6, 0xA6,
                                                                   0xA6, 0xA6, 0xA6, 0xA6};

using Block = secure::SecretArray<kAesBlockLen>;

// set_kek validates the KEK size and schedules it for encryption or decryption.
Status set_kek(detail::AesContext& ctx, ByteSpan kek, bool for_encryption) {
  if (kek.size() != 16 && kek.size() != 24 && kek.size() != 32) {
    return Error{Errc::Parse, "aes key wrap: key-encryption key is " +
                                  std::to_string(kek.size()) + " bytes, want 16, 24 or 32"};
  }
  const auto bits = static_cast<unsigned>(kek.size() * 8);
  const int rc = for_encryption ? mbedtls_aes_setkey_enc(ctx.get(), kek.data(), bits)
                                : mbedtls_aes_setkey_dec(ctx.get(), kek.data(), bits);
  if (rc != 0) return mbedtls_error(rc, "aes key wrap: setting key");
  return ok();
}

// xor_counter computes A ^= t, with t as a 64-bit big-endian integer (RFC 3394 §2.2.1).
void xor_counter(std::span<std::uint8_t> a, std::uint64_t t) {
  for (std::size_t i = 0; i < kKeyWrapBlockLen; ++i) {
    a[kKeyWrapBlockLen - 1 - i] ^= static_cast<std::uint8_t>(t >> (8 * i));
  }
}

// crypt_block runs AES-ECB over `block` in place (mbedTLS supports input == output).
Status crypt_block(detail::AesContext& ctx, int mode, Block& block) {
  auto bytes = block.reveal_mutable();
  const int rc = mbedtls_aes_crypt_ecb(ctx.get(), mode, bytes.data(), bytes.data());
  if (rc != 0) return mbedtls_error(rc, "aes key wrap");
  return ok();
}

Status check_key_data_len(std::size_t len, std::size_t min_len, std::size_t max_len,
                          std::string_view what) {
  if (len > max_len) {
    return Error{Errc::TooLarge, std::string("aes key wrap: ") + std::string(what) +
                                     " longer than " + std::to_string(max_len) + " bytes"};
  }
  if (len < min_len || len % kKeyWrapBlockLen != 0) {
    return Error{Errc::Parse, std::string("aes key wrap: ") + std::string(what) + " is " +
                                  std::to_string(len) + " bytes, want a multiple of 8 of at least " +
                                  std::to_string(min_len)};
  }
  return ok();
}

}  // namespace

Result<std::vector<std::uint8_t>> aes_key_wrap(ByteSpan kek, ByteSpan key_data) {
  AV_TRY(check_key_data_len(key_data.size(), kMinKeyDataLen, limits::kMaxKeyWrapBytes,
                            "key data"));
  detail::AesContext ctx;
  AV_TRY(set_kek(ctx, kek, true));
  const std::size_t n = key_data.size() / kKeyWrapBlockLen;
  // out = A | R[1] | ... | R[n]; the R registers hold only ciphertext once the loop ends.
  std::vector<std::uint8_t> out(kKeyWrapBlockLen + key_data.size());
  std::span<std::uint8_t> registers = std::span(out).subspan(kKeyWrapBlockLen);
  std::copy(key_data.begin(), key_data.end(), registers.begin());
  Block b;
  auto a = b.reveal_mutable().first<kKeyWrapBlockLen>();
  auto low = b.reveal_mutable().last<kKeyWrapBlockLen>();
  std::copy(kDefaultIv.begin(), kDefaultIv.end(), a.begin());
  for (int j = 0; j < kWrapRounds; ++j) {
    for (std::size_t i = 1; i <= n; ++i) {
      auto r = registers.subspan((i - 1) * kKeyWrapBlockLen, kKeyWrapBlockLen);
      std::copy(r.begin(), r.end(), low.begin());
      AV_TRY(crypt_block(ctx, MBEDTLS_AES_ENCRYPT, b));  // B = AES(K, A | R[i])
      xor_counter(a, static_cast<std::uint64_t>(n) * static_cast<std::uint64_t>(j) + i);
      std::copy(low.begin(), low.end(), r.begin());
    }
  }
  std::copy(a.begin(), a.end(), out.begin());
  return out;
}

Result<secure::SecretBytes> aes_key_unwrap(ByteSpan kek, ByteSpan wrapped) {
  AV_TRY(check_key_data_len(wrapped.size(), kMinKeyDataLen + kKeyWrapBlockLen,
                            limits::kMaxKeyWrapBytes + kKeyWrapBlockLen, "wrapped key"));
  detail::AesContext ctx;
  AV_TRY(set_kek(ctx, kek, false));
  const std::size_t n = wrapped.size() / kKeyWrapBlockLen - 1;
  auto key_data = secure::SecretBytes::copy_of(wrapped.subspan(kKeyWrapBlockLen));
  MutableByteSpan registers = key_data.reveal_mutable();
  Block b;
  auto a = b.reveal_mutable().first<kKeyWrapBlockLen>();
  auto low = b.reveal_mutable().last<kKeyWrapBlockLen>();
  std::copy_n(wrapped.begin(), kKeyWrapBlockLen, a.begin());
  for (int j = kWrapRounds - 1; j >= 0; --j) {
    for (std::size_t i = n; i >= 1; --i) {
      auto r = registers.subspan((i - 1) * kKeyWrapBlockLen, kKeyWrapBlockLen);
      xor_counter(a, static_cast<std::uint64_t>(n) * static_cast<std::uint64_t>(j) + i);
      std::copy(r.begin(), r.end(), low.begin());
      AV_TRY(crypt_block(ctx, MBEDTLS_AES_DECRYPT, b));  // B = AES-1(K, (A ^ t) | R[i])
      std::copy(low.begin(), low.end(), r.begin());
    }
  }
  // RFC 3394 §2.2.3: the unwrapped A must equal the initial value; key_data is wiped if not.
  if (!ct::equal(ByteSpan(a), ByteSpan(kDefaultIv))) {
    return Error{Errc::AuthFailed, "aes key wrap: integrity check failed"};
  }
  return key_data;
}

}  // namespace av::crypto
