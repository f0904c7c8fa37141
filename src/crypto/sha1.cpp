// sha1.cpp: SHA-1 over mbedTLS 2.28 (mbedtls_sha1_ret; 3.x drops the suffix). As for SHA-256, a
// non-zero return only comes from hardware accelerators Debian does not enable: a broken
// invariant.
#include "crypto/sha1.h"

#include <mbedtls/sha1.h>

#include "base/check.h"

namespace av::crypto {

Sha1Digest sha1(ByteSpan data) {
  Sha1Digest digest{};
  const int rc = mbedtls_sha1_ret(data.data(), data.size(), digest.data());
  AV_CHECK(rc == 0);
  return digest;
}

}  // namespace av::crypto
