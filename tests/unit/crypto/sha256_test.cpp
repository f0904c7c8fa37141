#include "crypto/sha256.h"

#include <catch2/catch.hpp>
#include <utility>

#include "vector_file.h"

namespace av::crypto {
namespace {
using testing::load_vectors;
using testing::to_vector;
}  // namespace

TEST_CASE("sha256: FIPS 180 examples give their published digests", "[crypto][vector]") {
  for (const auto& vec : load_vectors("sha256/fips180.txt")) {
    CAPTURE(vec.name());
    CHECK(to_vector(sha256(vec.hex("message"))) == vec.hex("digest"));
  }
}

TEST_CASE("Sha256: any split of the message gives the one-shot digest", "[crypto][vector]") {
  for (const auto& vec : load_vectors("sha256/fips180.txt")) {
    CAPTURE(vec.name());
    const auto message = vec.hex("message");
    const ByteSpan bytes(message);
    for (std::size_t split = 0; split <= message.size(); ++split) {
      Sha256 hasher;
      hasher.update(bytes.first(split));
      hasher.update(bytes.subspan(split));
      CHECK(to_vector(hasher.finish()) == vec.hex("digest"));
    }
  }
}

TEST_CASE("Sha256: finish starts a new message and the hasher moves", "[crypto][roundtrip]") {
  Sha256 hasher;
  hasher.update(as_bytes("abc"));
  const auto first = hasher.finish();
  hasher.update(as_bytes("abc"));
  CHECK(hasher.finish() == first);
  Sha256 moved = std::move(hasher);
  moved.update(as_bytes("abc"));
  CHECK(moved.finish() == sha256(as_bytes("abc")));
}

}  // namespace av::crypto
