// aes_cbc.cpp: AES-128-CBC over mbedtls_aes_crypt_cbc, with our own PKCS#7 padding (mbedTLS's
// cipher layer pads too, but its unpadding is not documented as constant time in 2.28).
#include "crypto/aes_cbc.h"

#include <mbedtls/aes.h>

#include <array>
#include <string>

#include "base/limits.h"
#include "crypto/mbedtls_context.h"
#include "crypto/mbedtls_error.h"

namespace av::crypto {
namespace {

constexpr unsigned kAes128KeyBits = 128;

Status check_key_iv(ByteSpan key, ByteSpan iv) {
  if (key.size() != kAes128KeyLen) {
    return Error{Errc::Parse, "aes-128-cbc: key is " + std::to_string(key.size()) +
                                  " bytes, want 16"};
  }
  if (iv.size() != kAesBlockLen) {
    return Error{Errc::Parse,
                 "aes-128-cbc: iv is " + std::to_string(iv.size()) + " bytes, want 16"};
  }
  return ok();
}

// run_cbc encrypts or decrypts `data` in place (a multiple of 16 bytes). mbedTLS updates the IV
// it is given, so it works on a copy.
Status run_cbc(ByteSpan key, ByteSpan iv, int mode, MutableByteSpan data) {
  detail::AesContext ctx;
  const int set = mode == MBEDTLS_AES_ENCRYPT
                      ? mbedtls_aes_setkey_enc(ctx.get(), key.data(), kAes128KeyBits)
                      : mbedtls_aes_setkey_dec(ctx.get(), key.data(), kAes128KeyBits);
  if (set != 0) return mbedtls_error(set, "aes-128-cbc: setting key");
  std::array<unsigned char, kAesBlockLen> chain{};
  for (std::size_t i = 0; i < kAesBlockLen; ++i) chain[i] = iv[i];
  const int rc = mbedtls_aes_crypt_cbc(ctx.get(), mode, data.size(), chain.data(), data.data(),
                                       data.data());
  if (rc != 0) return mbedtls_error(rc, "aes-128-cbc: processing");
  return ok();
}

// padding_length returns n when the last block ends in n copies of n (1 <= n <= 16), else 0.
// Constant time: it reads every byte of the last block and never branches on their values.
std::size_t padding_length(ByteSpan data) noexcept {
  const ByteSpan last = data.subspan(data.size() - kAesBlockLen);
  constexpr unsigned kBlock = kAesBlockLen;
  const unsigned n = last[kBlock - 1];
  unsigned bad = 0;
  for (unsigned i = 0; i < kBlock; ++i) {
    // in_pad is all ones when byte i (counted from the end) is inside the claimed padding.
    const unsigned from_end = i + 1;
    const unsigned in_pad = 0U - ((from_end - n - 1U) >> 31U & 1U);  // from_end <= n
    bad |= in_pad & (last[kBlock - 1 - i] ^ n);
  }
  bad |= 0U - ((n - 1U) >> 31U & 1U);              // n == 0
  bad |= 0U - ((kBlock - n) >> 31U & 1U);          // n > 16
  const unsigned good = (((bad & 0xFFU) - 1U) >> 31U) & 1U;  // 1 when bad's low byte is 0
  return static_cast<std::size_t>(n & (0U - good));
}

}  // namespace

Result<std::vector<std::uint8_t>> aes128_cbc_encrypt(ByteSpan key, ByteSpan iv,
                                                     ByteSpan plaintext) {
  AV_TRY(check_key_iv(key, iv));
  if (plaintext.size() > limits::kMaxSecretItemBytes) {
    return Error{Errc::TooLarge, "aes-128-cbc: plaintext longer than " +
                                     std::to_string(limits::kMaxSecretItemBytes) + " bytes"};
  }
  const std::size_t pad = kAesBlockLen - plaintext.size() % kAesBlockLen;
  secure::SecretBytes padded(plaintext.size() + pad);
  AV_TRY(padded.append(plaintext));
  const std::array<std::uint8_t, kAesBlockLen> fill = [pad] {
    std::array<std::uint8_t, kAesBlockLen> bytes{};
    bytes.fill(static_cast<std::uint8_t>(pad));
    return bytes;
  }();
  AV_TRY(padded.append(ByteSpan(fill).first(pad)));
  AV_TRY(run_cbc(key, iv, MBEDTLS_AES_ENCRYPT, padded.reveal_mutable()));
  // The buffer now holds ciphertext, which is public.
  const ByteSpan out = padded.reveal();
  return std::vector<std::uint8_t>(out.begin(), out.end());
}

Result<secure::SecretBytes> aes128_cbc_decrypt(ByteSpan key, ByteSpan iv, ByteSpan ciphertext) {
  AV_TRY(check_key_iv(key, iv));
  if (ciphertext.empty() || ciphertext.size() % kAesBlockLen != 0) {
    return Error{Errc::Parse, "aes-128-cbc: ciphertext of " + std::to_string(ciphertext.size()) +
                                  " bytes is not a whole number of blocks"};
  }
  if (ciphertext.size() > limits::kMaxSecretItemBytes + kAesBlockLen) {
    return Error{Errc::TooLarge, "aes-128-cbc: ciphertext longer than " +
                                     std::to_string(limits::kMaxSecretItemBytes) + " bytes"};
  }
  auto plaintext = secure::SecretBytes::copy_of(ciphertext);
  AV_TRY(run_cbc(key, iv, MBEDTLS_AES_DECRYPT, plaintext.reveal_mutable()));
  const std::size_t pad = padding_length(plaintext.reveal());
  if (pad == 0) return Error{Errc::AuthFailed, "aes-128-cbc: bad padding"};
  plaintext.resize(plaintext.size() - pad);  // resize wipes the dropped padding bytes
  return plaintext;
}

}  // namespace av::crypto
