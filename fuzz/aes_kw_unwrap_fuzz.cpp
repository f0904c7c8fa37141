// Fuzz target: crypto::aes_key_unwrap over arbitrary bytes with a fixed KEK. Invariants: it never
// crashes; it succeeds only for input of a valid length, and then the key data re-wraps to
// exactly the input (unwrap is the inverse of wrap, so nothing else can pass the integrity check).
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "base/check.h"
#include "crypto/aes_kw.h"
#include "fuzz_target.h"

namespace {
// The RFC 3394 §4.1 KEK, so seeds built from the RFC vectors reach the success path.
constexpr std::array<std::uint8_t, 16> kKek = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                                0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const av::ByteSpan input(data, size);
  auto unwrapped = av::crypto::aes_key_unwrap(kKek, input);
  if (!unwrapped) {
    AV_CHECK(unwrapped.error().code() == av::Errc::Parse ||
             unwrapped.error().code() == av::Errc::AuthFailed ||
             unwrapped.error().code() == av::Errc::TooLarge);
    return 0;
  }
  AV_CHECK(size >= 24 && size % 8 == 0);
  AV_CHECK(unwrapped->size() + 8 == size);
  auto rewrapped = av::crypto::aes_key_wrap(kKek, unwrapped->reveal());
  AV_CHECK(rewrapped.has_value());
  AV_CHECK(std::vector<std::uint8_t>(input.begin(), input.end()) == *rewrapped);
  return 0;
}
