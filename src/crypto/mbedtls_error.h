// mbedtls_error.h: the one mapping from mbedTLS return codes to av::Error (STYLE.md §3.4).
//
// Internal to crypto/: only crypto/*.cpp call mbedTLS, so only they need it. The header itself
// does not include mbedTLS, so it leaks nothing into the layers above.
#pragma once

#include <string_view>

#include "base/error.h"

namespace av::crypto {

// mbedtls_error turns a non-zero mbedTLS return code into an Error whose message is
// "<what>: mbedtls error -0x<hex>". GCM tag mismatch (MBEDTLS_ERR_GCM_AUTH_FAILED) maps to
// Errc::AuthFailed; every other code maps to Errc::Crypto. The message never contains key or
// plaintext bytes, only the numeric code. `code` must be non-zero (checked).
Error mbedtls_error(int code, std::string_view what);

}  // namespace av::crypto
