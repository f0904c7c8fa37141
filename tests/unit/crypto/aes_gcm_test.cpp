#include "crypto/aes_gcm.h"

#include <catch2/catch.hpp>
#include <vector>

#include "base/limits.h"
#include "vector_file.h"

namespace av::crypto {
namespace {
using testing::load_vectors;
using testing::to_vector;

// The GCM spec's Test Case 16: key, IV, AAD, plaintext, ciphertext and tag all non-empty.
testing::VectorCase case16() {
  const auto cases = load_vectors("aes_gcm/gcm_spec.txt");
  REQUIRE(cases.size() == 4);
  return cases[3];
}

}  // namespace

TEST_CASE("aes256_gcm_seal: GCM spec test cases 13-16 give their ciphertext and tag",
          "[crypto][vector]") {
  for (const auto& vec : load_vectors("aes_gcm/gcm_spec.txt")) {
    CAPTURE(vec.name());
    auto sealed = aes256_gcm_seal(vec.hex("key"), vec.hex("iv"), vec.hex("aad"), vec.hex("plaintext"));
    REQUIRE(sealed);
    CHECK(sealed->ciphertext == vec.hex("ciphertext"));
    CHECK(to_vector(sealed->tag) == vec.hex("tag"));
  }
}

TEST_CASE("aes256_gcm_open: GCM spec test cases 13-16 decrypt to their plaintext",
          "[crypto][vector]") {
  for (const auto& vec : load_vectors("aes_gcm/gcm_spec.txt")) {
    CAPTURE(vec.name());
    auto opened = aes256_gcm_open(vec.hex("key"), vec.hex("iv"), vec.hex("aad"),
                                  vec.hex("ciphertext"), vec.hex("tag"));
    REQUIRE(opened);
    CHECK(to_vector(opened->reveal()) == vec.hex("plaintext"));
  }
}

TEST_CASE("aes256_gcm: a SecretArray key gives the same result as a span", "[crypto][roundtrip]") {
  const auto vec = case16();
  secure::SecretArray<kAes256GcmKeyLen> key;
  const auto key_bytes = vec.hex("key");
  std::copy(key_bytes.begin(), key_bytes.end(), key.reveal_mutable().begin());
  auto sealed = aes256_gcm_seal(key, vec.hex("iv"), vec.hex("aad"), vec.hex("plaintext"));
  REQUIRE(sealed);
  CHECK(to_vector(sealed->tag) == vec.hex("tag"));
  auto opened = aes256_gcm_open(key, vec.hex("iv"), vec.hex("aad"), sealed->ciphertext, sealed->tag);
  REQUIRE(opened);
  CHECK(to_vector(opened->reveal()) == vec.hex("plaintext"));
}

TEST_CASE("aes256_gcm_open: a flipped tag bit is AuthFailed", "[crypto][error]") {
  const auto vec = case16();
  auto tag = vec.hex("tag");
  tag[0] ^= 0x01;
  auto opened = aes256_gcm_open(vec.hex("key"), vec.hex("iv"), vec.hex("aad"), vec.hex("ciphertext"), tag);
  REQUIRE_FALSE(opened);
  CHECK(opened.error().code() == Errc::AuthFailed);
}

TEST_CASE("aes256_gcm: wrong key, IV or tag sizes are Parse", "[crypto][error]") {
  const auto vec = case16();
  const std::vector<std::uint8_t> short_key(16, 0);
  const std::vector<std::uint8_t> long_iv(16, 0);
  const std::vector<std::uint8_t> short_tag(12, 0);
  auto bad_key = aes256_gcm_seal(short_key, vec.hex("iv"), {}, vec.hex("plaintext"));
  REQUIRE_FALSE(bad_key);
  CHECK(bad_key.error().code() == Errc::Parse);
  auto bad_iv = aes256_gcm_seal(vec.hex("key"), long_iv, {}, vec.hex("plaintext"));
  REQUIRE_FALSE(bad_iv);
  CHECK(bad_iv.error().code() == Errc::Parse);
  auto bad_tag = aes256_gcm_open(vec.hex("key"), vec.hex("iv"), vec.hex("aad"), vec.hex("ciphertext"), short_tag);
  REQUIRE_FALSE(bad_tag);
  CHECK(bad_tag.error().code() == Errc::Parse);
  auto bad_open_key = aes256_gcm_open(short_key, vec.hex("iv"), {}, vec.hex("ciphertext"), vec.hex("tag"));
  REQUIRE_FALSE(bad_open_key);
  CHECK(bad_open_key.error().code() == Errc::Parse);
}

TEST_CASE("aes256_gcm: data past the limit is TooLarge", "[crypto][error]") {
  const auto vec = case16();
  const std::vector<std::uint8_t> big(limits::kMaxSecretItemBytes + 1, 0);
  auto sealed = aes256_gcm_seal(vec.hex("key"), vec.hex("iv"), {}, big);
  REQUIRE_FALSE(sealed);
  CHECK(sealed.error().code() == Errc::TooLarge);
  auto opened = aes256_gcm_open(vec.hex("key"), vec.hex("iv"), {}, big, vec.hex("tag"));
  REQUIRE_FALSE(opened);
  CHECK(opened.error().code() == Errc::TooLarge);
}

TEST_CASE("aes256_gcm_open: no single bit flip in ciphertext, tag, AAD or IV verifies",
          "[crypto][mutation]") {
  const auto vec = case16();
  const auto key = vec.hex("key");
  const auto iv = vec.hex("iv");
  const auto aad = vec.hex("aad");
  const auto ciphertext = vec.hex("ciphertext");
  const auto tag = vec.hex("tag");
  // Concatenate the four inputs, flip one bit, split again: every flip must fail with AuthFailed.
  std::vector<std::uint8_t> all = ciphertext;
  all.insert(all.end(), tag.begin(), tag.end());
  all.insert(all.end(), aad.begin(), aad.end());
  all.insert(all.end(), iv.begin(), iv.end());
  std::size_t failures = 0;
  for (std::size_t bit = 0; bit < all.size() * 8; ++bit) {
    auto mutated = all;
    mutated[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
    const ByteSpan m(mutated);
    auto opened = aes256_gcm_open(key, m.subspan(ciphertext.size() + tag.size() + aad.size()),
                                  m.subspan(ciphertext.size() + tag.size(), aad.size()),
                                  m.first(ciphertext.size()), m.subspan(ciphertext.size(), tag.size()));
    if (!opened && opened.error().code() == Errc::AuthFailed) ++failures;
  }
  CHECK(failures == all.size() * 8);
}

TEST_CASE("aes256_gcm_open: plaintext buffers are wiped on success and on tag failure",
          "[crypto][error]") {
  const auto vec = case16();
  testing::ReleaseRecorder recorder;
  {
    auto opened = aes256_gcm_open(vec.hex("key"), vec.hex("iv"), vec.hex("aad"),
                                  vec.hex("ciphertext"), vec.hex("tag"));
    REQUIRE(opened);
  }
  auto bad_tag = vec.hex("tag");
  bad_tag[15] ^= 0x80;
  auto failed = aes256_gcm_open(vec.hex("key"), vec.hex("iv"), vec.hex("aad"),
                                vec.hex("ciphertext"), bad_tag);
  REQUIRE_FALSE(failed);
  // One plaintext buffer per call was allocated and released, each wiped first.
  REQUIRE(testing::ReleaseRecorder::released().size() == 2);
  CHECK(testing::ReleaseRecorder::released()[1].capacity == vec.hex("ciphertext").size());
  CHECK(recorder.all_wiped());
}

}  // namespace av::crypto
