#include "crypto/hmac_sha256.h"

#include <catch2/catch.hpp>

#include "vector_file.h"

namespace av::crypto {
namespace {
using testing::load_vectors;
using testing::to_vector;
}  // namespace

TEST_CASE("hmac_sha256: RFC 4231 test cases 1-7 give their published MACs", "[crypto][vector]") {
  const auto cases = load_vectors("hmac/rfc4231.txt");
  CHECK(cases.size() == 7);
  for (const auto& vec : cases) {
    CAPTURE(vec.name());
    const auto expected = vec.hex("mac");  // test case 5 publishes a 128-bit prefix only
    const auto mac = hmac_sha256(vec.hex("key"), vec.hex("data"));
    CHECK(to_vector(ByteSpan(mac.reveal()).first(expected.size())) == expected);
    const auto public_mac = hmac_sha256_public(vec.hex("key"), vec.hex("data"));
    CHECK(to_vector(ByteSpan(public_mac).first(expected.size())) == expected);
  }
}

TEST_CASE("hmac_sha256: an empty key and empty data are valid inputs", "[crypto][vector]") {
  // HMAC-SHA256("", "") is a widely published value (e.g. Wikipedia's HMAC article).
  const auto mac = hmac_sha256_public({}, {});
  CHECK(to_vector(mac) ==
        testing::from_hex("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"));
}

}  // namespace av::crypto
