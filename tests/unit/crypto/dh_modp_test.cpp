// dh_modp_test.cpp: group-2 Diffie-Hellman. Known answers were computed independently with
// Python's pow(y, x, p) for a fixed private exponent (the pattern source below); the prime was
// checked against RFC 2409 §6.2's formula 2^1024 - 2^960 - 1 + 2^64 * ([2^894 pi] + 129093).
#include "crypto/dh_modp.h"

#include <catch2/catch.hpp>
#include <vector>

#include "vector_file.h"

namespace av::crypto {
namespace {
using testing::from_hex;
using testing::to_vector;

// PatternRandom fills byte i with (7i + 3) mod 256, so x is fixed: the known-answer tests.
class PatternRandom final : public RandomSource {
 public:
  Status fill(MutableByteSpan out) override {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(i * 7 + 3);
    return ok();
  }
};

class ZeroRandom final : public RandomSource {
 public:
  Status fill(MutableByteSpan out) override {
    for (auto& b : out) b = 0;
    return ok();
  }
};

class FailingRandom final : public RandomSource {
 public:
  Status fill(MutableByteSpan /*out*/) override {
    return Error{Errc::Crypto, "random: unavailable"};
  }
};

std::vector<std::uint8_t> pattern_public() {
  return from_hex(
    "7b1d7d3188d79522e49e1ef8a54a32403fa559965ff46561a8d12fc1f79273e70b2c6ea601992ec15910b87dffa6"
    "10904bdbc2bdd35b13c95a0d7cb40a0d62720f4a904259982b507d9981f4eedb7371db1336d26e29d58e2d2da00d"
    "7928a64cadc4eb683c04df21ac4f5f71174805326a640a789679de2fc1b3ed28d2c9ba71");
}
// 5^x mod p happens to start with a zero byte: it must stay, left-padded, in the secret.
std::vector<std::uint8_t> pattern_secret_with_5() {
  return from_hex(
    "002762be4982e55a3fdef84c114482f311452c957821877d38882b47e4f2cb79b672387de88bc348882992ed739b"
    "426aa6ec76d314cea8f5893ef941a08c113f0caa566fec7ba67d31aa615b7701b1147465adb1d498fa693ad6ee75"
    "edaae53d6917ee6e7a278f630731c31fde65111cafaf0531d826f9b3e7074ef64a0359b0");
}

std::vector<std::uint8_t> prime_plus(int delta) {
  std::vector<std::uint8_t> v(kModp1024Prime.begin(), kModp1024Prime.end());
  v.back() = static_cast<std::uint8_t>(v.back() + delta);  // p ends in 0xFF: no carries for <= 0
  return v;
}
}  // namespace

TEST_CASE("dh_modp1024: a fixed exponent gives the independently computed public value",
          "[crypto][vector]") {
  PatternRandom random;
  auto pair = DhModp1024::generate(random);
  REQUIRE(pair);
  CHECK(to_vector(pair->public_value()) == pattern_public());
}

TEST_CASE("dh_modp1024: the shared secret is left-padded to 128 bytes", "[crypto][vector]") {
  PatternRandom random;
  auto pair = DhModp1024::generate(random);
  REQUIRE(pair);
  auto secret = pair->shared_secret(std::vector<std::uint8_t>{0x05});
  REQUIRE(secret);
  CHECK(secret->size() == kModp1024Len);
  CHECK(to_vector(secret->reveal()) == pattern_secret_with_5());
  // A peer value of 2 (the generator), short or padded, gives back our own public value.
  std::vector<std::uint8_t> two(kModp1024Len, 0);
  two.back() = 2;
  auto padded = pair->shared_secret(two);
  auto shorter = pair->shared_secret(std::vector<std::uint8_t>{0x02});
  REQUIRE(padded);
  REQUIRE(shorter);
  CHECK(to_vector(padded->reveal()) == pattern_public());
  CHECK(to_vector(shorter->reveal()) == pattern_public());
}

TEST_CASE("dh_modp1024: two fresh key pairs agree on the same secret", "[crypto][roundtrip]") {
  for (int round = 0; round < 4; ++round) {
    auto alice = DhModp1024::generate(system_random());
    auto bob = DhModp1024::generate(system_random());
    REQUIRE(alice);
    REQUIRE(bob);
    CHECK(alice->public_value() != bob->public_value());
    auto from_alice = alice->shared_secret(bob->public_value());
    auto from_bob = bob->shared_secret(alice->public_value());
    REQUIRE(from_alice);
    REQUIRE(from_bob);
    CHECK(from_alice->size() == kModp1024Len);
    CHECK(to_vector(from_alice->reveal()) == to_vector(from_bob->reveal()));
  }
}

TEST_CASE("dh_modp1024: peer values 0, 1, p-1, p and above, or of bad length are Parse",
          "[crypto][error]") {
  auto pair = DhModp1024::generate(system_random());
  REQUIRE(pair);
  const std::vector<std::vector<std::uint8_t>> bad = {
      {},                                                  // empty
      std::vector<std::uint8_t>(kModp1024Len + 1, 0x01),   // 129 bytes
      std::vector<std::uint8_t>(kModp1024Len + 1, 0x00),   // 129 bytes, even if all zero
      {0x00},                                              // 0
      std::vector<std::uint8_t>(kModp1024Len, 0x00),       // 0, padded
      {0x01},                                              // 1
      prime_plus(-1),                                      // p - 1
      prime_plus(0),                                       // p
      std::vector<std::uint8_t>(kModp1024Len, 0xFF),       // 2^1024 - 1 > p
  };
  for (std::size_t i = 0; i < bad.size(); ++i) {
    CAPTURE(i);
    auto secret = pair->shared_secret(bad[i]);
    REQUIRE_FALSE(secret);
    CHECK(secret.error().code() == Errc::Parse);
  }
  CHECK(pair->shared_secret(prime_plus(-2)).has_value());  // p - 2 is the largest valid value
  CHECK(pair->shared_secret(std::vector<std::uint8_t>{0x02}).has_value());
}

TEST_CASE("dh_modp1024: a failing or all-zero random source is Crypto", "[crypto][error]") {
  FailingRandom failing;
  auto failed = DhModp1024::generate(failing);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().code() == Errc::Crypto);
  ZeroRandom zeros;
  auto zero = DhModp1024::generate(zeros);
  REQUIRE_FALSE(zero);
  CHECK(zero.error().code() == Errc::Crypto);
}

}  // namespace av::crypto
