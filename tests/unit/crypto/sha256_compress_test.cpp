// The bare SHA-256 compression function: FIPS 180-4 known answers, and the SHA-NI path checked
// against the portable one on random states and blocks.
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>

#include "crypto/sha256_compress.h"

namespace {

using av::crypto::detail::Sha256State;

std::array<std::uint8_t, 64> padded_abc() {
  std::array<std::uint8_t, 64> block{};
  block[0] = 'a';
  block[1] = 'b';
  block[2] = 'c';
  block[3] = 0x80;
  block[63] = 24;  // message length in bits
  return block;
}

}  // namespace

TEST_CASE("sha256 compression of the padded one-block message \"abc\" (FIPS 180-4 B.1)",
          "[crypto][vector]") {
  // Expected digest from FIPS 180-4 Appendix B.1 (SHA-256 of "abc").
  const Sha256State expected = {0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                                0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad};
  const auto block = padded_abc();
  Sha256State portable = av::crypto::detail::kSha256Initial;
  av::crypto::detail::sha256_compress_portable(portable, block);
  CHECK(portable == expected);
  Sha256State dispatched = av::crypto::detail::kSha256Initial;
  av::crypto::detail::sha256_compress(dispatched, block);
  CHECK(dispatched == expected);
}

TEST_CASE("sha256 compression: the dispatched implementation equals the portable one",
          "[crypto][mutation]") {
  INFO("hardware SHA extensions in use: " << av::crypto::detail::sha256_has_hardware());
  std::mt19937_64 rng(20261129);
  for (int round = 0; round < 5000; ++round) {
    Sha256State a{};
    for (auto& word : a) word = static_cast<std::uint32_t>(rng());
    std::array<std::uint8_t, 64> block{};
    for (auto& byte : block) byte = static_cast<std::uint8_t>(rng());
    Sha256State b = a;
    av::crypto::detail::sha256_compress_portable(a, block);
    av::crypto::detail::sha256_compress(b, block);
    REQUIRE(a == b);
  }
}
