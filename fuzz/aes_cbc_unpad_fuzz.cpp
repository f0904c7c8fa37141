// Fuzz target: crypto::aes128_cbc_decrypt with a fixed key and IV over arbitrary ciphertext,
// which exercises the PKCS#7 padding check on every possible last block. Invariants: a result is
// shorter than the ciphertext by 1..16 bytes, and re-encrypting it gives the ciphertext back.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/check.h"
#include "crypto/aes_cbc.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::uint8_t kKey[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  static constexpr std::uint8_t kIv[16] = {0};
  const av::ByteSpan ciphertext(data, size);
  auto plain = av::crypto::aes128_cbc_decrypt(kKey, kIv, ciphertext);
  if (!plain) return 0;
  AV_CHECK(plain->size() < size && size - plain->size() <= 16);
  auto again = av::crypto::aes128_cbc_encrypt(kKey, kIv, plain->reveal());
  AV_CHECK(again.has_value());
  AV_CHECK(again->size() == size);
  AV_CHECK(std::equal(again->begin(), again->end(), data));
  return 0;
}
