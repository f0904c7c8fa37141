// jwe_file.cpp: PBES2-HS256+A128KW + A256GCM on top of crypto/ (RFC 7518 §4.8, §5.3).
#include "jose/jwe_file.h"

#include <array>
#include <utility>
#include <vector>

#include "base/error.h"
#include "base/limits.h"
#include "codec/base64.h"
#include "crypto/aes_gcm.h"
#include "crypto/aes_kw.h"
#include "crypto/pbkdf2.h"
#include "jose/jwe_compact.h"

namespace av::jose {
namespace {

// kKekLen: A128KW takes a 16-byte key-encryption key.
constexpr std::size_t kKekLen = 16;

// derive_kek runs PBKDF2 with the RFC 7518 §4.8.1.1 salt: alg name, one zero byte, p2s.
Result<secure::SecretBytes> derive_kek(const secure::SecretString& passphrase,
                                       const std::vector<std::uint8_t>& p2s, std::uint32_t p2c) {
  std::vector<std::uint8_t> salt;
  const ByteSpan alg = as_bytes(kAlgPbes2Hs256A128kw);
  salt.reserve(alg.size() + 1 + p2s.size());
  salt.insert(salt.end(), alg.begin(), alg.end());
  salt.push_back(0x00);
  salt.insert(salt.end(), p2s.begin(), p2s.end());
  return crypto::pbkdf2_hmac_sha256(passphrase.reveal_bytes(), salt, p2c, kKekLen);
}

// check_p2c applies the iteration policy to a count we are asked to write.
Status check_p2c(std::uint32_t p2c) {
  if (p2c > limits::kMaxPbes2Iterations) {
    return Error(Errc::TooLarge, "jwe: p2c exceeds the maximum iteration count");
  }
  if (p2c < limits::kMinPbes2Iterations) {
    return Error(Errc::Unsupported, "jwe: p2c is below the minimum iteration count");
  }
  return ok();
}

// header_json builds the protected header in jose2go's member order (all values are ASCII that
// needs no JSON escaping: fixed names, a decimal integer and base64url).
std::string header_json(std::uint32_t p2c, const std::vector<std::uint8_t>& p2s) {
  std::string out = "{\"alg\":\"";
  out += kAlgPbes2Hs256A128kw;
  out += "\",\"enc\":\"";
  out += kEncA256gcm;
  out += "\",\"p2c\":" + std::to_string(p2c) + ",\"p2s\":\"";
  out += codec::encode_base64(p2s, codec::Base64Alphabet::Url);
  out += "\"}";
  return out;
}

}  // namespace

Result<secure::SecretBytes> decrypt_jwe(std::string_view token,
                                        const secure::SecretString& passphrase) {
  AV_TRY_ASSIGN(const JweCompact jwe, parse_jwe_compact(token));
  AV_TRY_ASSIGN(const secure::SecretBytes kek, derive_kek(passphrase, jwe.p2s, jwe.p2c));
  auto cek = crypto::aes_key_unwrap(kek.reveal(), jwe.encrypted_key);
  if (!cek) {
    if (cek.error().code() == Errc::AuthFailed) {
      return Error(Errc::AuthFailed, "jwe: wrong passphrase or corrupted key (key unwrap failed)");
    }
    return std::move(cek).error().with_context("jwe: key unwrap");
  }
  const std::string aad = protected_header_b64(jwe);
  auto plaintext =
      crypto::aes256_gcm_open(cek->reveal(), jwe.iv, as_bytes(aad), jwe.ciphertext, jwe.tag);
  if (!plaintext) {
    if (plaintext.error().code() == Errc::AuthFailed) {
      return Error(Errc::AuthFailed, "jwe: content authentication failed (gcm tag mismatch)");
    }
    return std::move(plaintext).error().with_context("jwe: decrypt");
  }
  return plaintext;
}

Result<std::string> encrypt_jwe(ByteSpan plaintext, const secure::SecretString& passphrase,
                                std::uint32_t p2c, crypto::RandomSource& random) {
  AV_TRY(check_p2c(p2c));
  if (plaintext.size() > limits::kMaxSecretItemBytes) {
    return Error(Errc::TooLarge, "jwe: plaintext exceeds the item size limit");
  }
  JweCompact jwe;
  jwe.p2c = p2c;
  jwe.p2s.resize(kWrittenSaltLen);
  AV_TRY(random.fill(jwe.p2s));
  jwe.iv.resize(kIvLen);
  AV_TRY(random.fill(jwe.iv));
  secure::SecretArray<crypto::kAes256GcmKeyLen> cek;
  AV_TRY(random.fill(cek.reveal_mutable()));
  jwe.header_json = header_json(p2c, jwe.p2s);
  AV_TRY_ASSIGN(const secure::SecretBytes kek, derive_kek(passphrase, jwe.p2s, p2c));
  AV_TRY_ASSIGN(jwe.encrypted_key, crypto::aes_key_wrap(kek.reveal(), cek.reveal()));
  const std::string aad = protected_header_b64(jwe);
  AV_TRY_ASSIGN(auto sealed, crypto::aes256_gcm_seal(cek, jwe.iv, as_bytes(aad), plaintext));
  jwe.ciphertext = std::move(sealed.ciphertext);
  jwe.tag.assign(sealed.tag.begin(), sealed.tag.end());
  return serialize_jwe_compact(jwe);
}

}  // namespace av::jose
