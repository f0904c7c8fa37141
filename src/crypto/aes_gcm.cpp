// aes_gcm.cpp: AES-256-GCM over mbedTLS 2.28 (mbedtls_gcm_crypt_and_tag and
// mbedtls_gcm_auth_decrypt; the latter checks the tag in constant time and zeroizes its output
// on mismatch). Sizes are checked here so mbedTLS only ever sees valid lengths.
#include "crypto/aes_gcm.h"

#include <mbedtls/gcm.h>

#include <string>

#include "base/limits.h"
#include "crypto/mbedtls_context.h"
#include "crypto/mbedtls_error.h"

namespace av::crypto {
namespace {

constexpr unsigned kAes256KeyBits = 256;

Status check_sizes(ByteSpan key, ByteSpan iv, std::size_t data_len) {
  if (key.size() != kAes256GcmKeyLen) {
    return Error{Errc::Parse, "aes-256-gcm: key is " + std::to_string(key.size()) +
                                  " bytes, want 32"};
  }
  if (iv.size() != kGcmIvLen) {
    return Error{Errc::Parse,
                 "aes-256-gcm: iv is " + std::to_string(iv.size()) + " bytes, want 12"};
  }
  if (data_len > limits::kMaxSecretItemBytes) {
    return Error{Errc::TooLarge, "aes-256-gcm: data longer than " +
                                     std::to_string(limits::kMaxSecretItemBytes) + " bytes"};
  }
  return ok();
}

Status set_key(detail::GcmContext& ctx, ByteSpan key) {
  const int rc = mbedtls_gcm_setkey(ctx.get(), MBEDTLS_CIPHER_ID_AES, key.data(), kAes256KeyBits);
  if (rc != 0) return mbedtls_error(rc, "aes-256-gcm: setting key");
  return ok();
}

}  // namespace

Result<GcmSealed> aes256_gcm_seal(ByteSpan key, ByteSpan iv, ByteSpan aad, ByteSpan plaintext) {
  AV_TRY(check_sizes(key, iv, plaintext.size()));
  if (aad.size() > limits::kMaxJweCompactBytes) {
    return Error{Errc::TooLarge, "aes-256-gcm: additional data too long"};
  }
  detail::GcmContext ctx;
  AV_TRY(set_key(ctx, key));
  GcmSealed sealed;
  sealed.ciphertext.resize(plaintext.size());
  const int rc = mbedtls_gcm_crypt_and_tag(ctx.get(), MBEDTLS_GCM_ENCRYPT, plaintext.size(),
                                           iv.data(), iv.size(), aad.data(), aad.size(),
                                           plaintext.data(), sealed.ciphertext.data(),
                                           sealed.tag.size(), sealed.tag.data());
  if (rc != 0) return mbedtls_error(rc, "aes-256-gcm: encrypting");
  return sealed;
}

Result<GcmSealed> aes256_gcm_seal(const secure::SecretArray<kAes256GcmKeyLen>& key, ByteSpan iv,
                                  ByteSpan aad, ByteSpan plaintext) {
  return aes256_gcm_seal(ByteSpan(key.reveal()), iv, aad, plaintext);
}

Result<secure::SecretBytes> aes256_gcm_open(ByteSpan key, ByteSpan iv, ByteSpan aad,
                                            ByteSpan ciphertext, ByteSpan tag) {
  AV_TRY(check_sizes(key, iv, ciphertext.size()));
  if (tag.size() != kGcmTagLen) {
    return Error{Errc::Parse,
                 "aes-256-gcm: tag is " + std::to_string(tag.size()) + " bytes, want 16"};
  }
  if (aad.size() > limits::kMaxJweCompactBytes) {
    return Error{Errc::TooLarge, "aes-256-gcm: additional data too long"};
  }
  detail::GcmContext ctx;
  AV_TRY(set_key(ctx, key));
  auto plaintext = secure::SecretBytes::zeroed(ciphertext.size());
  const int rc = mbedtls_gcm_auth_decrypt(ctx.get(), ciphertext.size(), iv.data(), iv.size(),
                                          aad.data(), aad.size(), tag.data(), tag.size(),
                                          ciphertext.data(), plaintext.reveal_mutable().data());
  // On failure `plaintext` is wiped by mbedTLS and again by its destructor: fail closed.
  if (rc != 0) return mbedtls_error(rc, "aes-256-gcm: decrypting");
  return plaintext;
}

Result<secure::SecretBytes> aes256_gcm_open(const secure::SecretArray<kAes256GcmKeyLen>& key,
                                            ByteSpan iv, ByteSpan aad, ByteSpan ciphertext,
                                            ByteSpan tag) {
  return aes256_gcm_open(ByteSpan(key.reveal()), iv, aad, ciphertext, tag);
}

}  // namespace av::crypto
