// aes_cbc_test.cpp: AES-128-CBC-PKCS#7 against NIST SP 800-38A F.2.1/F.2.2 (CBC-AES128; vectors
// copied from the publication and cross-checked with Python `cryptography`), padding of every
// length, constant-time padding rejection, sizes and bit-flip mutation.
#include "crypto/aes_cbc.h"

#include <catch2/catch.hpp>
#include <vector>

#include "base/limits.h"
#include "crypto/random.h"
#include "vector_file.h"

namespace av::crypto {
namespace {
using testing::from_hex;
using testing::to_vector;

std::vector<std::uint8_t> nist_key() {
  return from_hex("2b7e151628aed2a6abf7158809cf4f3c");
}
std::vector<std::uint8_t> nist_iv() {
  return from_hex("000102030405060708090a0b0c0d0e0f");
}
std::vector<std::uint8_t> nist_plain() {
  return from_hex(
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a"
    "52eff69f2445df4f9b17ad2b417be66c3710");
}
std::vector<std::uint8_t> nist_cipher() {
  return from_hex(
    "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e2222"
    "95163ff1caa1681fac09120eca307586e1a7");
}
}  // namespace

TEST_CASE("aes128_cbc: SP 800-38A F.2.1 blocks come out first, then one full padding block",
          "[crypto][vector]") {
  auto sealed = aes128_cbc_encrypt(nist_key(), nist_iv(), nist_plain());
  REQUIRE(sealed);
  REQUIRE(sealed->size() == nist_plain().size() + kAesBlockLen);
  CHECK(std::vector<std::uint8_t>(sealed->begin(), sealed->begin() + 64) == nist_cipher());
  // The padding block is E(K, 16 x 0x10 XOR last ciphertext block): decrypting it alone with
  // the last NIST block as IV must give a bare, valid padding block.
  const std::vector<std::uint8_t> cipher = nist_cipher();
  const std::vector<std::uint8_t> last_iv(cipher.end() - 16, cipher.end());
  const std::vector<std::uint8_t> pad_block(sealed->end() - 16, sealed->end());
  auto empty = aes128_cbc_decrypt(nist_key(), last_iv, pad_block);
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("aes128_cbc: SP 800-38A F.2.2 ciphertext decrypts to its plaintext",
          "[crypto][vector]") {
  auto sealed = aes128_cbc_encrypt(nist_key(), nist_iv(), nist_plain());
  REQUIRE(sealed);
  std::vector<std::uint8_t> ciphertext = nist_cipher();
  ciphertext.insert(ciphertext.end(), sealed->end() - 16, sealed->end());
  auto opened = aes128_cbc_decrypt(nist_key(), nist_iv(), ciphertext);
  REQUIRE(opened);
  CHECK(to_vector(opened->reveal()) == nist_plain());
}

TEST_CASE("aes128_cbc: every plaintext length 0..48 round-trips with 1..16 padding bytes",
          "[crypto][roundtrip]") {
  std::vector<std::uint8_t> key(16);
  std::vector<std::uint8_t> iv(16);
  REQUIRE(fill_random(key));
  REQUIRE(fill_random(iv));
  for (std::size_t len = 0; len <= 48; ++len) {
    CAPTURE(len);
    std::vector<std::uint8_t> plain(len, static_cast<std::uint8_t>(len));
    auto sealed = aes128_cbc_encrypt(key, iv, plain);
    REQUIRE(sealed);
    CHECK(sealed->size() == (len / 16 + 1) * 16);
    auto opened = aes128_cbc_decrypt(key, iv, *sealed);
    REQUIRE(opened);
    CHECK(to_vector(opened->reveal()) == plain);
  }
}

TEST_CASE("aes128_cbc: wrong key, IV or a flipped bit in the last block fails or changes data",
          "[crypto][mutation]") {
  const std::vector<std::uint8_t> plain(20, 0x41);
  auto sealed = aes128_cbc_encrypt(nist_key(), nist_iv(), plain);
  REQUIRE(sealed);
  std::vector<std::uint8_t> other_key = nist_key();
  other_key[0] ^= 1;
  auto wrong = aes128_cbc_decrypt(other_key, nist_iv(), *sealed);
  CHECK((!wrong || to_vector(wrong->reveal()) != plain));
  std::vector<std::uint8_t> other_iv = nist_iv();
  other_iv[3] ^= 0x80;  // CBC: an IV change only changes the first block
  auto shifted = aes128_cbc_decrypt(nist_key(), other_iv, *sealed);
  REQUIRE(shifted);
  CHECK(to_vector(shifted->reveal()) != plain);
  for (std::size_t bit = 0; bit < sealed->size() * 8; ++bit) {
    std::vector<std::uint8_t> flipped = *sealed;
    flipped[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
    auto opened = aes128_cbc_decrypt(nist_key(), nist_iv(), flipped);
    if (opened) {
      CHECK(to_vector(opened->reveal()) != plain);
    } else {
      CHECK(opened.error().code() == Errc::AuthFailed);
    }
  }
}

TEST_CASE("aes128_cbc: malformed PKCS#7 padding is AuthFailed", "[crypto][error]") {
  // Build ciphertexts whose decrypted last block is chosen by us: encrypting 16 chosen bytes
  // gives two blocks; the first one alone decrypts to exactly those bytes (no padding check).
  auto last_block_with = [](std::vector<std::uint8_t> block) {
    auto sealed = aes128_cbc_encrypt(nist_key(), nist_iv(), block);
    REQUIRE(sealed);
    return std::vector<std::uint8_t>(sealed->begin(), sealed->begin() + 16);
  };
  std::vector<std::uint8_t> zero_pad(16, 0x41);
  zero_pad[15] = 0;
  std::vector<std::uint8_t> too_long(16, 0x11);
  std::vector<std::uint8_t> inconsistent(16, 0x04);
  inconsistent[12] = 0x05;
  for (const auto& block : {zero_pad, too_long, inconsistent}) {
    auto opened = aes128_cbc_decrypt(nist_key(), nist_iv(), last_block_with(block));
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code() == Errc::AuthFailed);
    CHECK(opened.error().message() == "aes-128-cbc: bad padding");
  }
  std::vector<std::uint8_t> good(16, 0x10);
  auto empty = aes128_cbc_decrypt(nist_key(), nist_iv(), last_block_with(good));
  REQUIRE(empty);
  CHECK(empty->empty());
  std::vector<std::uint8_t> one(16, 0x33);
  one[15] = 0x01;
  auto fifteen = aes128_cbc_decrypt(nist_key(), nist_iv(), last_block_with(one));
  REQUIRE(fifteen);
  CHECK(fifteen->size() == 15);
}

TEST_CASE("aes128_cbc: bad key, IV and ciphertext sizes are Parse, huge inputs TooLarge",
          "[crypto][error]") {
  const std::vector<std::uint8_t> block(16, 0);
  for (std::size_t len : {0U, 15U, 17U, 24U, 32U}) {
    CAPTURE(len);
    const std::vector<std::uint8_t> bad(len, 1);
    CHECK(aes128_cbc_encrypt(bad, nist_iv(), block).error().code() == Errc::Parse);
    CHECK(aes128_cbc_encrypt(nist_key(), bad, block).error().code() == Errc::Parse);
    CHECK(aes128_cbc_decrypt(bad, nist_iv(), block).error().code() == Errc::Parse);
    CHECK(aes128_cbc_decrypt(nist_key(), bad, block).error().code() == Errc::Parse);
    if (len % 16 != 0 || len == 0) {
      CHECK(aes128_cbc_decrypt(nist_key(), nist_iv(), bad).error().code() == Errc::Parse);
    }
  }
  const std::vector<std::uint8_t> huge(limits::kMaxSecretItemBytes + 1, 0);
  CHECK(aes128_cbc_encrypt(nist_key(), nist_iv(), huge).error().code() == Errc::TooLarge);
  const std::vector<std::uint8_t> huge_ct(limits::kMaxSecretItemBytes + 32, 0);
  CHECK(aes128_cbc_decrypt(nist_key(), nist_iv(), huge_ct).error().code() == Errc::TooLarge);
}

}  // namespace av::crypto
