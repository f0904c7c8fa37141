#include "crypto/mbedtls_error.h"

#include <catch2/catch.hpp>
#include <string>

namespace av::crypto {

TEST_CASE("mbedtls_error: GCM auth failure is AuthFailed, other codes Crypto", "[crypto][error]") {
  const Error auth = mbedtls_error(-0x0012, "aes-256-gcm");  // MBEDTLS_ERR_GCM_AUTH_FAILED
  CHECK(auth.code() == Errc::AuthFailed);
  const Error bad_key = mbedtls_error(-0x0020, "aes");  // MBEDTLS_ERR_AES_INVALID_KEY_LENGTH
  CHECK(bad_key.code() == Errc::Crypto);
  CHECK(bad_key.message() == "aes: mbedtls error -0x20");
  const Error alloc = mbedtls_error(-0x5180, "pbkdf2");  // MBEDTLS_ERR_MD_ALLOC_FAILED
  CHECK(alloc.code() == Errc::Crypto);
  CHECK(alloc.message() == "pbkdf2: mbedtls error -0x5180");
}

}  // namespace av::crypto
