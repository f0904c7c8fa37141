// hkdf_test.cpp: HKDF-SHA-256 against RFC 5869 Appendix A.1-A.3 (the SHA-256 cases; vectors
// copied from the RFC and cross-checked with a Python hmac/hashlib implementation), length
// limits, and the Secret Service use (no salt, no info, 16 bytes).
#include "crypto/hkdf.h"

#include <catch2/catch.hpp>
#include <vector>

#include "base/limits.h"
#include "vector_file.h"

namespace av::crypto {
namespace {
using testing::from_hex;
using testing::to_vector;

std::vector<std::uint8_t> range(unsigned first, unsigned last) {
  std::vector<std::uint8_t> out;
  for (unsigned b = first; b <= last; ++b) out.push_back(static_cast<std::uint8_t>(b));
  return out;
}
}  // namespace

TEST_CASE("hkdf_sha256: RFC 5869 A.1 basic case gives its published OKM", "[crypto][vector]") {
  const std::vector<std::uint8_t> ikm(22, 0x0b);
  auto okm = hkdf_sha256(range(0x00, 0x0c), ikm, range(0xf0, 0xf9), 42);
  REQUIRE(okm);
  CHECK(to_vector(okm->reveal()) ==
        from_hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b88718"
                 "5865"));
}

TEST_CASE("hkdf_sha256: RFC 5869 A.2 long inputs give their published OKM", "[crypto][vector]") {
  auto okm = hkdf_sha256(range(0x60, 0xaf), range(0x00, 0x4f), range(0xb0, 0xff), 82);
  REQUIRE(okm);
  CHECK(to_vector(okm->reveal()) ==
        from_hex("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac78272"
                 "71cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f"
                 "1d87"));
}

TEST_CASE("hkdf_sha256: RFC 5869 A.3 with no salt and no info gives its published OKM",
          "[crypto][vector]") {
  const std::vector<std::uint8_t> ikm(22, 0x0b);
  auto okm = hkdf_sha256({}, ikm, {}, 42);
  REQUIRE(okm);
  CHECK(to_vector(okm->reveal()) ==
        from_hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a"
                 "96c8"));
  // The Secret Service key is the first 16 bytes of the same derivation.
  auto key = hkdf_sha256({}, ikm, {}, 16);
  REQUIRE(key);
  CHECK(to_vector(key->reveal()) == from_hex("8da4e775a563c18f715f802a063c5a31"));
}

TEST_CASE("hkdf_sha256: an explicit all-zero salt equals no salt (RFC 5869 §2.2)",
          "[crypto][vector]") {
  const std::vector<std::uint8_t> ikm(40, 0x42);
  const std::vector<std::uint8_t> zeros(32, 0);
  auto none = hkdf_sha256({}, ikm, {}, 16);
  auto zero = hkdf_sha256(zeros, ikm, {}, 16);
  REQUIRE(none);
  REQUIRE(zero);
  CHECK(to_vector(none->reveal()) == to_vector(zero->reveal()));
}

TEST_CASE("hkdf_sha256: lengths 0 and above 255*32 are Parse, huge inputs TooLarge",
          "[crypto][error]") {
  const std::vector<std::uint8_t> ikm(16, 1);
  CHECK(hkdf_sha256({}, ikm, {}, 0).error().code() == Errc::Parse);
  CHECK(hkdf_sha256({}, ikm, {}, kHkdfSha256MaxLen + 1).error().code() == Errc::Parse);
  auto longest = hkdf_sha256({}, ikm, {}, kHkdfSha256MaxLen);
  REQUIRE(longest);
  CHECK(longest->size() == kHkdfSha256MaxLen);
  const std::vector<std::uint8_t> huge(limits::kMaxSecretItemBytes + 1, 0);
  CHECK(hkdf_sha256({}, huge, {}, 16).error().code() == Errc::TooLarge);
  CHECK(hkdf_sha256(huge, ikm, {}, 16).error().code() == Errc::TooLarge);
  CHECK(hkdf_sha256({}, ikm, huge, 16).error().code() == Errc::TooLarge);
}

TEST_CASE("hkdf_sha256: flipping any input bit changes the output", "[crypto][mutation]") {
  std::vector<std::uint8_t> ikm(24, 0x5a);
  auto base = hkdf_sha256({}, ikm, {}, 16);
  REQUIRE(base);
  for (std::size_t bit = 0; bit < ikm.size() * 8; ++bit) {
    ikm[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
    auto flipped = hkdf_sha256({}, ikm, {}, 16);
    REQUIRE(flipped);
    CHECK(to_vector(flipped->reveal()) != to_vector(base->reveal()));
    ikm[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
  }
}

}  // namespace av::crypto
