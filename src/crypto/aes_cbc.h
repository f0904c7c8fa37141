// aes_cbc.h: AES-128-CBC with PKCS#7 padding (NIST SP 800-38A, RFC 2315 §10.3 note 2): the
// cipher of the Secret Service session algorithm dh-ietf1024-sha256-aes128-cbc-pkcs7.
//
// CBC has no integrity protection: a modified ciphertext decrypts to modified plaintext or fails
// the padding check. The Secret Service protocol accepts this because the bus peer is trusted;
// do not use these functions where an attacker can submit ciphertexts (use aes_gcm.h). The
// padding is checked in constant time so the check itself reveals no more than valid/invalid.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "secure/secret.h"

namespace av::crypto {

// kAes128KeyLen, kAesBlockLen (== the CBC IV size): the only sizes these functions accept.
inline constexpr std::size_t kAes128KeyLen = 16;
inline constexpr std::size_t kAesBlockLen = 16;

// aes128_cbc_encrypt pads `plaintext` with PKCS#7 (1..16 bytes, always at least one) and
// encrypts it under `key` with `iv`. The result, (plaintext.size() / 16 + 1) * 16 bytes, is not
// secret. The padded plaintext is staged in sodium_malloc memory and wiped. Never reuse an IV
// with the same key: draw it from crypto::RandomSource.
// Fails with Errc::Parse if key or iv is not 16 bytes, Errc::TooLarge if plaintext exceeds
// limits::kMaxSecretItemBytes, Errc::Crypto if mbedTLS fails. Spans are borrowed for the call.
[[nodiscard]] Result<std::vector<std::uint8_t>> aes128_cbc_encrypt(ByteSpan key, ByteSpan iv,
                                                                   ByteSpan plaintext);

// aes128_cbc_decrypt decrypts `ciphertext` and removes its PKCS#7 padding, returning the
// plaintext in sodium_malloc memory.
// Fails with Errc::Parse if key or iv is not 16 bytes or the ciphertext is empty or not a
// multiple of 16 bytes, Errc::TooLarge if it exceeds limits::kMaxSecretItemBytes + 16,
// Errc::AuthFailed "aes-128-cbc: bad padding" when the padding is malformed (wrong key, IV or a
// modified ciphertext), Errc::Crypto if mbedTLS fails. On failure every decrypted byte has
// already been wiped. Spans are borrowed for the call.
[[nodiscard]] Result<secure::SecretBytes> aes128_cbc_decrypt(ByteSpan key, ByteSpan iv,
                                                             ByteSpan ciphertext);

}  // namespace av::crypto
