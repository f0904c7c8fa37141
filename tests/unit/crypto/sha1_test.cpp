// sha1_test.cpp: SHA-1 against the FIPS 180 examples (NIST "Cryptographic Standards and
// Guidelines: Examples with Intermediate Values", SHA1.pdf; the same digests appear in RFC 3174
// §7.3) and against a digest the AWS CLI computes for its SSO token cache (botocore's
// SSOTokenLoader: sha1 of the session name or start URL).
#include "crypto/sha1.h"

#include <catch2/catch.hpp>
#include <string>

#include "vector_file.h"

namespace av::crypto {
namespace {

using testing::from_hex;
using testing::to_vector;

std::vector<std::uint8_t> digest_of(std::string_view text) {
  return to_vector(sha1(as_bytes(text)));
}

}  // namespace

TEST_CASE("sha1: FIPS 180 examples give their published digests", "[crypto][vector]") {
  CHECK(digest_of("abc") == from_hex("a9993e364706816aba3e25717850c26c9cd0d89d"));
  CHECK(digest_of("") == from_hex("da39a3ee5e6b4b0d3255bfef95601890afd80709"));
  CHECK(digest_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        from_hex("84983e441c3bd26ebaae4aa1f95129e5e54670f1"));
  CHECK(digest_of("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnop"
                  "qklmnopqrlmnopqrsmnopqrstnopqrstu") ==
        from_hex("a49b2446a02c645bf419f995b67091253a04a259"));
  const std::string million(1000000, 'a');
  CHECK(digest_of(million) == from_hex("34aa973cd4c4daa4f61eeb2bdbad27316534016f"));
}

TEST_CASE("sha1: every length around the block boundaries is deterministic and distinct",
          "[crypto][vector]") {
  // Padding edge cases (55, 56, 63, 64, 65 bytes): digests differ from their neighbours.
  std::vector<std::vector<std::uint8_t>> seen;
  for (std::size_t len = 50; len <= 70; ++len) {
    const std::string text(len, 'x');
    const auto digest = digest_of(text);
    CHECK(digest == digest_of(text));
    for (const auto& other : seen) CHECK(other != digest);
    seen.push_back(digest);
  }
}

TEST_CASE("sha1: the AWS CLI SSO cache name of a session", "[crypto][vector]") {
  // botocore: hashlib.sha1("my-sso".encode("utf-8")).hexdigest(), computed with Python 3.11.
  CHECK(digest_of("my-sso") == from_hex("0ad374308c5a4e22f723adf10145eafad7c4031c"));
}

}  // namespace av::crypto
