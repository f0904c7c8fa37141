#include "crypto/pbkdf2.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/limits.h"
#include "vector_file.h"

namespace av::crypto {
namespace {
using testing::load_vectors;
using testing::to_vector;

std::uint32_t parse_iterations(const std::string& text) {
  char* end = nullptr;
  const unsigned long value = std::strtoul(text.c_str(), &end, 10);
  REQUIRE(*end == '\0');
  return static_cast<std::uint32_t>(value);
}

}  // namespace

TEST_CASE("pbkdf2_hmac_sha256: RFC 7914 §11 vectors (c=1 and c=80000)", "[crypto][vector]") {
  for (const auto& vec : load_vectors("pbkdf2/rfc7914.txt")) {
    CAPTURE(vec.name());
    const auto expected = vec.hex("key");
    auto key = pbkdf2_hmac_sha256(vec.hex("password"), vec.hex("salt"),
                                  parse_iterations(vec.text("iterations")), expected.size());
    REQUIRE(key);
    CHECK(to_vector(key->reveal()) == expected);
  }
}

TEST_CASE("pbkdf2_hmac_sha256: a shorter key is a prefix of a longer one", "[crypto][vector]") {
  auto long_key = pbkdf2_hmac_sha256(as_bytes("passwd"), as_bytes("salt"), 1, 64);
  auto short_key = pbkdf2_hmac_sha256(as_bytes("passwd"), as_bytes("salt"), 1, 16);
  REQUIRE(long_key);
  REQUIRE(short_key);
  CHECK(to_vector(short_key->reveal()) == to_vector(long_key->reveal().first(16)));
}

TEST_CASE("pbkdf2_hmac_sha256: zero iterations or zero length is Parse", "[crypto][error]") {
  auto zero_iterations = pbkdf2_hmac_sha256(as_bytes("pw"), as_bytes("salt"), 0, 32);
  REQUIRE_FALSE(zero_iterations);
  CHECK(zero_iterations.error().code() == Errc::Parse);
  auto zero_len = pbkdf2_hmac_sha256(as_bytes("pw"), as_bytes("salt"), 1, 0);
  REQUIRE_FALSE(zero_len);
  CHECK(zero_len.error().code() == Errc::Parse);
}

TEST_CASE("pbkdf2_hmac_sha256: parameters past their limits are TooLarge", "[crypto][error]") {
  auto many = pbkdf2_hmac_sha256(as_bytes("pw"), as_bytes("s"), limits::kMaxPbkdf2Iterations + 1, 32);
  REQUIRE_FALSE(many);
  CHECK(many.error().code() == Errc::TooLarge);
  auto long_key = pbkdf2_hmac_sha256(as_bytes("pw"), as_bytes("s"), 1, limits::kMaxPbkdf2KeyBytes + 1);
  REQUIRE_FALSE(long_key);
  CHECK(long_key.error().code() == Errc::TooLarge);
  const std::vector<std::uint8_t> big_password(limits::kMaxSecretBytes + 1, 'p');
  auto password = pbkdf2_hmac_sha256(big_password, as_bytes("s"), 1, 32);
  REQUIRE_FALSE(password);
  CHECK(password.error().code() == Errc::TooLarge);
  const std::vector<std::uint8_t> big_salt(limits::kMaxPbkdf2SaltBytes + 1, 's');
  auto salt = pbkdf2_hmac_sha256(as_bytes("pw"), big_salt, 1, 32);
  REQUIRE_FALSE(salt);
  CHECK(salt.error().code() == Errc::TooLarge);
}

TEST_CASE("pbkdf2_hmac_sha256: the derived key is wiped when released", "[crypto][vector]") {
  testing::ReleaseRecorder recorder;
  {
    auto key = pbkdf2_hmac_sha256(as_bytes("passwd"), as_bytes("salt"), 1, 32);
    REQUIRE(key);
    CHECK(key->size() == 32);
  }
  REQUIRE(testing::ReleaseRecorder::released().size() == 1);
  CHECK(testing::ReleaseRecorder::released()[0].capacity == 32);
  CHECK(recorder.all_wiped());
}

}  // namespace av::crypto
