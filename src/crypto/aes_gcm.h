// aes_gcm.h: AES-256-GCM authenticated encryption (NIST SP 800-38D) with a 96-bit IV and a
// 128-bit tag: the "A256GCM" content encryption of the file backend's JWE (RFC 7518 §5.3).
//
// The ciphertext and the tag are returned and taken separately because JWE carries them in
// separate fields. Decryption returns plaintext only after the tag has been verified (mbedTLS
// compares it in constant time); nothing partial escapes on failure.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "secure/secret.h"

namespace av::crypto {

// kAes256GcmKeyLen, kGcmIvLen, kGcmTagLen: the only sizes these functions accept.
inline constexpr std::size_t kAes256GcmKeyLen = 32;
inline constexpr std::size_t kGcmIvLen = 12;
inline constexpr std::size_t kGcmTagLen = 16;

// GcmSealed is the output of aes256_gcm_seal: ciphertext (as long as the plaintext) and tag.
// Neither is secret.
struct GcmSealed {
  std::vector<std::uint8_t> ciphertext;
  std::array<std::uint8_t, kGcmTagLen> tag{};
};

// aes256_gcm_seal encrypts `plaintext` under `key` with `iv`, authenticating `aad` too.
// The caller must never reuse an (key, iv) pair: draw the IV from crypto::RandomSource.
// Fails with Errc::Parse if key is not 32 bytes or iv not 12 bytes, Errc::TooLarge if the
// plaintext exceeds limits::kMaxSecretItemBytes or the aad limits::kMaxJweCompactBytes,
// Errc::Crypto if mbedTLS fails. All spans are
// borrowed for the call only.
[[nodiscard]] Result<GcmSealed> aes256_gcm_seal(ByteSpan key, ByteSpan iv, ByteSpan aad,
                                                ByteSpan plaintext);

// aes256_gcm_seal with the key held in a SecretArray.
[[nodiscard]] Result<GcmSealed> aes256_gcm_seal(const secure::SecretArray<kAes256GcmKeyLen>& key,
                                                ByteSpan iv, ByteSpan aad, ByteSpan plaintext);

// aes256_gcm_open verifies `tag` over (aad, ciphertext) and returns the plaintext in a
// SecretBytes of ciphertext.size() bytes.
// Fails with Errc::AuthFailed if the tag does not verify (wrong key, IV, AAD, or any modified
// byte); Errc::Parse if key is not 32 bytes, iv not 12 or tag not 16; Errc::TooLarge if the
// ciphertext exceeds limits::kMaxSecretItemBytes or the aad limits::kMaxJweCompactBytes;
// Errc::Crypto if mbedTLS fails otherwise.
// On failure the plaintext buffer has already been wiped and freed. Spans are borrowed.
[[nodiscard]] Result<secure::SecretBytes> aes256_gcm_open(ByteSpan key, ByteSpan iv, ByteSpan aad,
                                                          ByteSpan ciphertext, ByteSpan tag);

// aes256_gcm_open with the key held in a SecretArray.
[[nodiscard]] Result<secure::SecretBytes> aes256_gcm_open(
    const secure::SecretArray<kAes256GcmKeyLen>& key, ByteSpan iv, ByteSpan aad,
    ByteSpan ciphertext, ByteSpan tag);

}  // namespace av::crypto
