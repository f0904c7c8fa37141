// jwe_file.h: encryption and decryption of file-backend items as JWE compact tokens with
// PBES2-HS256+A128KW key management (RFC 7518 §4.8) and A256GCM content encryption (§5.3),
// compatible with aws-vault's Go tool (jose2go) in both directions (backends.md §2.1.4).
//
// Key derivation: KEK = PBKDF2-HMAC-SHA256(passphrase UTF-8 bytes,
//   salt = "PBES2-HS256+A128KW" || 0x00 || p2s, p2c iterations, 16 bytes); the 32-byte CEK is
// AES-key-wrapped (RFC 3394) under the KEK; the payload is AES-256-GCM under the CEK with the
// ASCII base64url of the protected header, as transmitted, as AAD.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/random.h"
#include "secure/secret.h"

namespace av::jose {

// kWrittenSaltLen: decoded p2s bytes we write. 16 bytes (128 bits), the minimum salt length of
// NIST SP 800-132 §5.1; jose2go writes 12 and reads any length, so this stays compatible.
inline constexpr std::size_t kWrittenSaltLen = 16;

// decrypt_jwe parses `token` (every rule and Errc of parse_jwe_compact applies, and they are all
// checked before the key derivation runs, so a crafted p2c costs nothing), derives the KEK from
// `passphrase`, unwraps the CEK and decrypts. Returns the plaintext in secure memory.
// Fails with Errc::AuthFailed when the passphrase is wrong or any authenticated byte was changed
// (AES-KW integrity check or GCM tag); no plaintext is returned then. Errc::TooLarge if the
// passphrase exceeds limits::kMaxSecretBytes; Errc::Crypto if a primitive fails otherwise.
// Borrows both arguments for the call; the KEK and CEK are wiped before returning.
[[nodiscard]] Result<secure::SecretBytes> decrypt_jwe(std::string_view token,
                                                      const secure::SecretString& passphrase);

// encrypt_jwe encrypts `plaintext` under `passphrase` with `p2c` PBKDF2 iterations and returns
// the compact token (not secret). The header is {"alg":"PBES2-HS256+A128KW","enc":"A256GCM",
// "p2c":<p2c>,"p2s":"<salt>"}, jose2go's member order; the salt (kWrittenSaltLen bytes), CEK and
// IV are drawn fresh from `random` on every call. The result decrypts with decrypt_jwe and with
// jose2go and other RFC 7518 implementations.
// Fails with Errc::TooLarge if p2c exceeds limits::kMaxPbes2Iterations, the plaintext
// limits::kMaxSecretItemBytes or the passphrase limits::kMaxSecretBytes; Errc::Unsupported if p2c
// is below limits::kMinPbes2Iterations; Errc::Crypto if randomness or a primitive fails. An empty
// passphrase is allowed here (policy belongs to the keyring layer). Borrows all arguments.
[[nodiscard]] Result<std::string> encrypt_jwe(ByteSpan plaintext,
                                              const secure::SecretString& passphrase,
                                              std::uint32_t p2c, crypto::RandomSource& random);

}  // namespace av::jose
