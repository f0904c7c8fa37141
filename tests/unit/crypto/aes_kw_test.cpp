#include "crypto/aes_kw.h"

#include <catch2/catch.hpp>
#include <vector>

#include "base/limits.h"
#include "crypto/random.h"
#include "vector_file.h"

namespace av::crypto {
namespace {
using testing::load_vectors;
using testing::to_vector;
}  // namespace

TEST_CASE("aes_key_wrap: RFC 3394 §4.1-4.6 give their published output", "[crypto][vector]") {
  const auto cases = load_vectors("aes_kw/rfc3394.txt");
  CHECK(cases.size() == 6);
  for (const auto& vec : cases) {
    CAPTURE(vec.name());
    auto wrapped = aes_key_wrap(vec.hex("kek"), vec.hex("key_data"));
    REQUIRE(wrapped);
    CHECK(*wrapped == vec.hex("wrapped"));
  }
}

TEST_CASE("aes_key_unwrap: RFC 3394 §4.1-4.6 unwrap to their key data", "[crypto][vector]") {
  for (const auto& vec : load_vectors("aes_kw/rfc3394.txt")) {
    CAPTURE(vec.name());
    auto key_data = aes_key_unwrap(vec.hex("kek"), vec.hex("wrapped"));
    REQUIRE(key_data);
    CHECK(to_vector(key_data->reveal()) == vec.hex("key_data"));
  }
}

TEST_CASE("aes_key_wrap: random keys of every allowed size round-trip", "[crypto][roundtrip]") {
  for (std::size_t kek_len : {16U, 24U, 32U}) {
    for (std::size_t data_len = 16; data_len <= 64; data_len += 8) {
      CAPTURE(kek_len, data_len);
      std::vector<std::uint8_t> kek(kek_len);
      std::vector<std::uint8_t> data(data_len);
      REQUIRE(fill_random(kek));
      REQUIRE(fill_random(data));
      auto wrapped = aes_key_wrap(kek, data);
      REQUIRE(wrapped);
      CHECK(wrapped->size() == data_len + kKeyWrapBlockLen);
      auto unwrapped = aes_key_unwrap(kek, *wrapped);
      REQUIRE(unwrapped);
      CHECK(to_vector(unwrapped->reveal()) == data);
    }
  }
}

TEST_CASE("aes_key_wrap: bad key data and KEK lengths are Parse", "[crypto][error]") {
  const std::vector<std::uint8_t> kek(16, 1);
  for (std::size_t len : {0U, 8U, 15U, 17U, 23U}) {
    CAPTURE(len);
    auto wrapped = aes_key_wrap(kek, std::vector<std::uint8_t>(len, 2));
    REQUIRE_FALSE(wrapped);
    CHECK(wrapped.error().code() == Errc::Parse);
  }
  for (std::size_t kek_len : {0U, 15U, 20U, 33U}) {
    CAPTURE(kek_len);
    auto wrapped = aes_key_wrap(std::vector<std::uint8_t>(kek_len, 1), std::vector<std::uint8_t>(16, 2));
    REQUIRE_FALSE(wrapped);
    CHECK(wrapped.error().code() == Errc::Parse);
    auto unwrapped = aes_key_unwrap(std::vector<std::uint8_t>(kek_len, 1), std::vector<std::uint8_t>(24, 2));
    REQUIRE_FALSE(unwrapped);
    CHECK(unwrapped.error().code() == Errc::Parse);
  }
}

TEST_CASE("aes_key_unwrap: every truncation and bad length is Parse", "[crypto][error][mutation]") {
  const auto vec = load_vectors("aes_kw/rfc3394.txt")[5];
  const auto wrapped = vec.hex("wrapped");
  for (std::size_t len = 0; len < wrapped.size(); ++len) {
    CAPTURE(len);
    auto unwrapped = aes_key_unwrap(vec.hex("kek"), ByteSpan(wrapped).first(len));
    REQUIRE_FALSE(unwrapped);
    // Whole-block truncations of at least 24 bytes are well-formed but fail the integrity check.
    const bool well_formed = len >= 24 && len % 8 == 0;
    CHECK(unwrapped.error().code() == (well_formed ? Errc::AuthFailed : Errc::Parse));
  }
}

TEST_CASE("aes_key_wrap: key data past the limit is TooLarge", "[crypto][error]") {
  const std::vector<std::uint8_t> kek(32, 1);
  const std::vector<std::uint8_t> big(limits::kMaxKeyWrapBytes + 8, 2);
  auto wrapped = aes_key_wrap(kek, big);
  REQUIRE_FALSE(wrapped);
  CHECK(wrapped.error().code() == Errc::TooLarge);
  const std::vector<std::uint8_t> big_wrapped(limits::kMaxKeyWrapBytes + 16, 2);
  auto unwrapped = aes_key_unwrap(kek, big_wrapped);
  REQUIRE_FALSE(unwrapped);
  CHECK(unwrapped.error().code() == Errc::TooLarge);
}

TEST_CASE("aes_key_unwrap: a wrong KEK fails the integrity check", "[crypto][error]") {
  const auto vec = load_vectors("aes_kw/rfc3394.txt")[0];
  auto kek = vec.hex("kek");
  kek[0] ^= 0x01;
  auto unwrapped = aes_key_unwrap(kek, vec.hex("wrapped"));
  REQUIRE_FALSE(unwrapped);
  CHECK(unwrapped.error().code() == Errc::AuthFailed);
}

TEST_CASE("aes_key_unwrap: no single bit flip of a wrapped key unwraps", "[crypto][mutation]") {
  for (const auto& vec : load_vectors("aes_kw/rfc3394.txt")) {
    CAPTURE(vec.name());
    const auto wrapped = vec.hex("wrapped");
    std::size_t failures = 0;
    for (std::size_t bit = 0; bit < wrapped.size() * 8; ++bit) {
      auto mutated = wrapped;
      mutated[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
      auto unwrapped = aes_key_unwrap(vec.hex("kek"), mutated);
      if (!unwrapped && unwrapped.error().code() == Errc::AuthFailed) ++failures;
    }
    CHECK(failures == wrapped.size() * 8);
  }
}

TEST_CASE("aes_key_unwrap: key data is wiped on success and on integrity failure",
          "[crypto][error]") {
  const auto vec = load_vectors("aes_kw/rfc3394.txt")[5];
  testing::ReleaseRecorder recorder;
  {
    auto unwrapped = aes_key_unwrap(vec.hex("kek"), vec.hex("wrapped"));
    REQUIRE(unwrapped);
  }
  auto bad = vec.hex("wrapped");
  bad[8] ^= 0x40;
  auto failed = aes_key_unwrap(vec.hex("kek"), bad);
  REQUIRE_FALSE(failed);
  REQUIRE(testing::ReleaseRecorder::released().size() == 2);
  CHECK(testing::ReleaseRecorder::released()[1].capacity == 32);
  CHECK(recorder.all_wiped());
}

}  // namespace av::crypto
