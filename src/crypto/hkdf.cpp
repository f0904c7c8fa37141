// hkdf.cpp: HKDF-SHA-256 through mbedtls_hkdf (MBEDTLS_HKDF_C is on in Debian's 2.28 build).
// mbedtls_hkdf zeroizes its pseudorandom key before returning, on every path.
#include "crypto/hkdf.h"

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>

#include <string>

#include "base/check.h"
#include "base/limits.h"
#include "crypto/mbedtls_error.h"

namespace av::crypto {
namespace {

// input_or_null: mbedTLS reads a null salt as "not provided"; pass null for empty spans so
// mbedTLS never sees a dangling pointer with length 0.
const unsigned char* input_or_null(ByteSpan bytes) noexcept {
  return bytes.empty() ? nullptr : bytes.data();
}

}  // namespace

Result<secure::SecretBytes> hkdf_sha256(ByteSpan salt, ByteSpan ikm, ByteSpan info,
                                        std::size_t length) {
  if (length == 0 || length > kHkdfSha256MaxLen) {
    return Error{Errc::Parse, "hkdf-sha256: output length " + std::to_string(length) +
                                  " is not in 1.." + std::to_string(kHkdfSha256MaxLen)};
  }
  if (salt.size() > limits::kMaxSecretItemBytes || ikm.size() > limits::kMaxSecretItemBytes ||
      info.size() > limits::kMaxSecretItemBytes) {
    return Error{Errc::TooLarge, "hkdf-sha256: input longer than " +
                                     std::to_string(limits::kMaxSecretItemBytes) + " bytes"};
  }
  const mbedtls_md_info_t* md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
  AV_CHECK(md != nullptr);
  auto okm = secure::SecretBytes::zeroed(length);
  static constexpr unsigned char kEmpty[1] = {0};
  const unsigned char* ikm_ptr = ikm.empty() ? kEmpty : ikm.data();
  const int rc = mbedtls_hkdf(md, input_or_null(salt), salt.size(), ikm_ptr, ikm.size(),
                              input_or_null(info), info.size(), okm.reveal_mutable().data(), length);
  if (rc != 0) return mbedtls_error(rc, "hkdf-sha256: deriving");
  return okm;
}

}  // namespace av::crypto
