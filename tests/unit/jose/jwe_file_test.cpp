#include "jose/jwe_file.h"

#include <catch2/catch.hpp>
#include <string>

#include "base/limits.h"
#include "jose/jwe_compact.h"
#include "jose_test_util.h"

namespace av::jose {
namespace {
using namespace testing;

const secure::SecretString& test_passphrase() {
  static const secure::SecretString kPassphrase = secure::SecretString::copy_of("no more secrets");
  return kPassphrase;
}

// small_token encrypts a short payload with the cheapest allowed p2c (mutation tests stay fast).
std::string small_token(std::string_view plaintext = R"({"k":"v"})") {
  CountingRandom random;
  auto token =
      encrypt_jwe(as_bytes(plaintext), test_passphrase(), limits::kMinPbes2Iterations, random);
  REQUIRE(token);
  return *token;
}

Errc decrypt_error(std::string_view token) {
  auto plaintext = decrypt_jwe(token, test_passphrase());
  REQUIRE_FALSE(plaintext);
  return plaintext.error().code();
}

// reencode replaces one decoded part of a parsed token and serializes it again.
template <class Edit>
std::string reencode(std::string_view token, Edit edit) {
  auto jwe = parse_jwe_compact(token);
  REQUIRE(jwe);
  edit(*jwe);
  return serialize_jwe_compact(*jwe);
}

}  // namespace

TEST_CASE("decrypt_jwe: the Go, fixture and jwcrypto tokens decrypt with their passphrases",
          "[jose][vector]") {
  for (const auto& vec : load_vectors("jwe/tokens.txt")) {
    CAPTURE(vec.name());
    const auto passphrase = secure::SecretString::copy_of(vec.text("passphrase"));
    auto plaintext = decrypt_jwe(vec.text("token"), passphrase);
    REQUIRE(plaintext);
    CHECK(to_vector(plaintext->reveal()) == vec.hex("plaintext"));
  }
}

TEST_CASE("decrypt_jwe: a wrong passphrase is AuthFailed for every vector", "[jose][error]") {
  for (const auto& vec : load_vectors("jwe/tokens.txt")) {
    CAPTURE(vec.name());
    auto plaintext = decrypt_jwe(vec.text("token"), secure::SecretString::copy_of("Tr0ub4dor&3"));
    REQUIRE_FALSE(plaintext);
    CHECK(plaintext.error().code() == Errc::AuthFailed);
    CHECK(plaintext.error().message().find("Tr0ub4dor") == std::string_view::npos);
  }
}

TEST_CASE("encrypt_jwe: writes jose2go's header shape and decrypts again", "[jose][roundtrip]") {
  const std::string token = small_token();
  auto jwe = parse_jwe_compact(token);
  REQUIRE(jwe);
  // CountingRandom fills the salt first with bytes 1..16.
  const std::string expected_header =
      R"({"alg":"PBES2-HS256+A128KW","enc":"A256GCM","p2c":1000,"p2s":")" +
      b64(std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}) + "\"}";
  CHECK(jwe->header_json == expected_header);
  CHECK(jwe->p2s.size() == kWrittenSaltLen);
  auto plaintext = decrypt_jwe(token, test_passphrase());
  REQUIRE(plaintext);
  CHECK(as_chars(plaintext->reveal()) == R"({"k":"v"})");
}

TEST_CASE("encrypt_jwe: empty and maximal payloads round-trip", "[jose][roundtrip]") {
  for (const std::size_t len : {std::size_t{0}, limits::kMaxSecretItemBytes}) {
    CAPTURE(len);
    const std::vector<std::uint8_t> payload(len, 0x5a);
    auto token = encrypt_jwe(payload, test_passphrase(), 1000, crypto::system_random());
    REQUIRE(token);
    auto plaintext = decrypt_jwe(*token, test_passphrase());
    REQUIRE(plaintext);
    CHECK(to_vector(plaintext->reveal()) == payload);
  }
}

TEST_CASE("encrypt_jwe: two encryptions of the same payload differ", "[jose][roundtrip]") {
  const auto payload = as_bytes("same");
  auto a = encrypt_jwe(payload, test_passphrase(), 1000, crypto::system_random());
  auto b = encrypt_jwe(payload, test_passphrase(), 1000, crypto::system_random());
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a != *b);
}

TEST_CASE("encrypt_jwe: p2c outside the allowed range is refused", "[jose][error]") {
  CountingRandom random;
  auto low = encrypt_jwe(as_bytes("x"), test_passphrase(), 999, random);
  REQUIRE_FALSE(low);
  CHECK(low.error().code() == Errc::Unsupported);
  auto high =
      encrypt_jwe(as_bytes("x"), test_passphrase(), limits::kMaxPbes2Iterations + 1, random);
  REQUIRE_FALSE(high);
  CHECK(high.error().code() == Errc::TooLarge);
}

TEST_CASE("encrypt_jwe: a payload over the item limit is TooLarge", "[jose][error]") {
  const std::vector<std::uint8_t> payload(limits::kMaxSecretItemBytes + 1, 0);
  CountingRandom random;
  auto token = encrypt_jwe(payload, test_passphrase(), 1000, random);
  REQUIRE_FALSE(token);
  CHECK(token.error().code() == Errc::TooLarge);
}

TEST_CASE("encrypt_jwe: a failing random source is a crypto error", "[jose][error]") {
  CountingRandom failing(true);
  auto token = encrypt_jwe(as_bytes("x"), test_passphrase(), 1000, failing);
  REQUIRE_FALSE(token);
  CHECK(token.error().code() == Errc::Crypto);
}

TEST_CASE("encrypt_jwe / decrypt_jwe: a passphrase over the secret limit is TooLarge",
          "[jose][error]") {
  const auto long_pass =
      secure::SecretString::copy_of(std::string(limits::kMaxSecretBytes + 1, 'p'));
  CountingRandom random;
  auto token = encrypt_jwe(as_bytes("x"), long_pass, 1000, random);
  REQUIRE_FALSE(token);
  CHECK(token.error().code() == Errc::TooLarge);
  auto plaintext = decrypt_jwe(small_token(), long_pass);
  REQUIRE_FALSE(plaintext);
  CHECK(plaintext.error().code() == Errc::TooLarge);
}

TEST_CASE("decrypt_jwe: p2c = 2^31 is TooLarge before any key derivation", "[jose][error]") {
  // PBKDF2 with 2^31 iterations would take hours: this returning at all shows it never ran.
  const std::string token = reencode(small_token(), [](JweCompact& jwe) {
    jwe.header_json = R"({"alg":"PBES2-HS256+A128KW","enc":"A256GCM","p2c":2147483648,"p2s":")" +
                      b64(jwe.p2s) + "\"}";
  });
  CHECK(decrypt_error(token) == Errc::TooLarge);
}

TEST_CASE("decrypt_jwe: changing any decoded part is AuthFailed", "[jose][error]") {
  const std::string token = small_token();
  CHECK(decrypt_error(reencode(token, [](JweCompact& j) { j.encrypted_key[3] ^= 1; })) ==
        Errc::AuthFailed);
  CHECK(decrypt_error(reencode(token, [](JweCompact& j) { j.iv[0] ^= 1; })) == Errc::AuthFailed);
  CHECK(decrypt_error(reencode(token, [](JweCompact& j) { j.ciphertext[0] ^= 1; })) ==
        Errc::AuthFailed);
  CHECK(decrypt_error(reencode(token, [](JweCompact& j) { j.tag[15] ^= 0x80; })) ==
        Errc::AuthFailed);
  // The header is authenticated as AAD: an added member breaks the tag even though the KEK is
  // unchanged.
  CHECK(decrypt_error(reencode(token, [](JweCompact& j) {
          j.header_json.insert(j.header_json.size() - 1, R"(,"kid":"x")");
        })) == Errc::AuthFailed);
}

TEST_CASE("decrypt_jwe: flipping any bit of any byte never succeeds", "[jose][mutation]") {
  const std::string token = small_token();
  std::size_t auth_failures = 0;
  for (std::size_t i = 0; i < token.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string mutated = token;
      mutated[i] = static_cast<char>(mutated[i] ^ (1 << bit));
      auto plaintext = decrypt_jwe(mutated, test_passphrase());
      CAPTURE(i, bit);
      REQUIRE_FALSE(plaintext);
      const Errc code = plaintext.error().code();
      // Unsupported/TooLarge: the flip changed alg/enc or p2c/p2s in the header into a refused
      // value, which is still a refusal.
      CHECK((code == Errc::AuthFailed || code == Errc::Parse || code == Errc::Unsupported ||
             code == Errc::TooLarge));
      if (code == Errc::AuthFailed) ++auth_failures;
    }
  }
  CHECK(auth_failures > 100);
}

TEST_CASE("decrypt_jwe: every truncation is a parse error", "[jose][mutation]") {
  const std::string token = small_token();
  for (std::size_t len = 0; len < token.size(); ++len) {
    CAPTURE(len);
    CHECK(decrypt_error(std::string_view(token).substr(0, len)) == Errc::Parse);
  }
}

}  // namespace av::jose
