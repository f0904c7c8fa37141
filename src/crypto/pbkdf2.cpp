// pbkdf2.cpp: PBKDF2-HMAC-SHA-256 over mbedTLS 2.28's mbedtls_pkcs5_pbkdf2_hmac, which takes an
// md context set up for HMAC (3.x renames it mbedtls_pkcs5_pbkdf2_hmac_ext). Parameters are
// bounded before the call; the output is written straight into sodium_malloc'd memory.
#include "crypto/pbkdf2.h"

#include <mbedtls/md.h>
#include <mbedtls/pkcs5.h>

#include <string>

#include "base/limits.h"
#include "crypto/mbedtls_context.h"
#include "crypto/mbedtls_error.h"

namespace av::crypto {
namespace {

constexpr int kUseHmac = 1;  // mbedtls_md_setup: allocate the HMAC pads
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

Result<secure::SecretBytes> pbkdf2_hmac_sha256(ByteSpan password, ByteSpan salt,
                                               std::uint32_t iterations, std::size_t key_len) {
  AV_TRY(check_pbkdf2_parameters(password, salt, iterations, key_len));
  const mbedtls_md_info_t* info = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
  if (info == nullptr) return Error{Errc::Crypto, "pbkdf2: sha-256 not available in mbedtls"};
  detail::MdContext ctx;
  if (const int rc = mbedtls_md_setup(ctx.get(), info, kUseHmac); rc != 0) {
    return mbedtls_error(rc, "pbkdf2");
  }
  auto key = secure::SecretBytes::zeroed(key_len);
  // key_len <= kMaxPbkdf2KeyBytes, so the narrowing to mbedTLS's uint32_t length is exact.
  const int rc = mbedtls_pkcs5_pbkdf2_hmac(ctx.get(), password.data(), password.size(),
                                           salt.data(), salt.size(), iterations,
                                           static_cast<std::uint32_t>(key_len),
                                           key.reveal_mutable().data());
  if (rc != 0) return mbedtls_error(rc, "pbkdf2");
  return key;
}

}  // namespace av::crypto
