// mbedtls_error.cpp: mbedTLS return codes -> av::Error. Every mbedTLS call in crypto/ reports
// failure through here, so the mapping (and the port to mbedTLS 3.x/PSA) lives in one place.
#include "crypto/mbedtls_error.h"

#include <mbedtls/gcm.h>

#include <array>
#include <charconv>
#include <string>
#include <utility>

#include "base/check.h"

namespace av::crypto {

Error mbedtls_error(int code, std::string_view what) {
  AV_CHECK(code != 0);
  // mbedTLS codes are small negative numbers; print them the way its documentation does.
  std::array<char, 16> digits{};
  const long magnitude = code < 0 ? -static_cast<long>(code) : static_cast<long>(code);
  const auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), magnitude, 16);
  AV_CHECK(ec == std::errc{});
  std::string message(what);
  message += code < 0 ? ": mbedtls error -0x" : ": mbedtls error 0x";
  message.append(digits.data(), end);
  const Errc errc = code == MBEDTLS_ERR_GCM_AUTH_FAILED ? Errc::AuthFailed : Errc::Crypto;
  return Error{errc, std::move(message)};
}

}  // namespace av::crypto
