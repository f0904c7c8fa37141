#include "jose/jwe_compact.h"

#include <catch2/catch.hpp>
#include <string>

#include "base/limits.h"
#include "jose_test_util.h"

namespace av::jose {
namespace {
using namespace testing;

Errc parse_error(std::string_view token) {
  auto parsed = parse_jwe_compact(token);
  REQUIRE_FALSE(parsed);
  return parsed.error().code();
}

std::string header_with_p2c(std::string_view p2c) {
  return R"({"alg":"PBES2-HS256+A128KW","enc":"A256GCM","p2c":)" + std::string(p2c) +
         R"(,"p2s":"IENyl3xq1K8QHKMm"})";
}

std::string header_with_p2s(std::string_view p2s) {
  return R"({"alg":"PBES2-HS256+A128KW","enc":"A256GCM","p2c":8192,"p2s":")" + std::string(p2s) +
         R"("})";
}

// fields_then_salt builds a header: `prefix` members, then p2c 8192 and p2s, then `suffix`.
std::string fields_then_salt(std::string_view prefix, std::string_view suffix = "") {
  return "{" + std::string(prefix) + R"("p2c":8192,"p2s":"IENyl3xq1K8QHKMm")" +
         std::string(suffix) + "}";
}

constexpr std::string_view kAlgEnc = R"("alg":"PBES2-HS256+A128KW","enc":"A256GCM",)";

}  // namespace

TEST_CASE("parse_jwe_compact: the Go, fixture and jwcrypto tokens parse and re-serialize",
          "[jose][vector][roundtrip]") {
  const auto cases = load_vectors("jwe/tokens.txt");
  REQUIRE(cases.size() == 3);
  for (const auto& vec : cases) {
    CAPTURE(vec.name());
    auto jwe = parse_jwe_compact(vec.text("token"));
    REQUIRE(jwe);
    CHECK(jwe->p2c == 8192);
    CHECK(jwe->encrypted_key.size() == kEncryptedKeyLen);
    CHECK(jwe->ciphertext.size() == vec.hex("plaintext").size());
    CHECK(serialize_jwe_compact(*jwe) == vec.text("token"));
  }
}

TEST_CASE("parse_jwe_compact: the keyring's created member is tolerated and kept verbatim",
          "[jose][vector]") {
  const auto cases = load_vectors("jwe/tokens.txt");
  auto jwe = parse_jwe_compact(cases[1].text("token"));
  REQUIRE(jwe);
  CHECK(jwe->header_json ==
        R"({"alg":"PBES2-HS256+A128KW","created":"2026-11-29 07:53:14.357013531 +0000 UTC )"
        R"(m=+0.000496528","enc":"A256GCM","p2c":8192,"p2s":"svUsdeLZ7tQMrNtb"})");
  CHECK(jwe->p2s.size() == 12);
}

TEST_CASE("parse_jwe_compact: typ, cty and kid are tolerated", "[jose][roundtrip]") {
  const std::string header =
      R"({"alg":"PBES2-HS256+A128KW","enc":"A256GCM","p2c":1000,"p2s":"IENyl3xq1K8QHKMm",)"
      R"("typ":"JWE","cty":"json","kid":"k1"})";
  const std::string token = token_with(header, 40, 12, 0, 16);
  auto jwe = parse_jwe_compact(token);
  REQUIRE(jwe);
  CHECK(jwe->p2c == 1000);
  CHECK(jwe->ciphertext.empty());
  CHECK(serialize_jwe_compact(*jwe) == token);
}

TEST_CASE("parse_jwe_compact: a token over the size limit is TooLarge", "[jose][error]") {
  CHECK(parse_error(std::string(limits::kMaxJweCompactBytes + 1, 'A')) == Errc::TooLarge);
}

TEST_CASE("parse_jwe_compact: anything but five parts is a parse error", "[jose][error]") {
  const std::string good = token_with(kGoodHeader);
  CHECK(parse_error("") == Errc::Parse);
  CHECK(parse_error("....") == Errc::Parse);
  CHECK(parse_error(good.substr(0, good.rfind('.'))) == Errc::Parse);
  CHECK(parse_error(good + ".AAAA") == Errc::Parse);
  CHECK(parse_error(b64(kGoodHeader) + ".x.y") == Errc::Parse);
}

TEST_CASE("parse_jwe_compact: padding, whitespace and non-canonical base64url are parse errors",
          "[jose][error]") {
  const std::string good = token_with(kGoodHeader);
  CHECK(parse_error(good + "==") == Errc::Parse);
  CHECK(parse_error(good + "\n") == Errc::Parse);
  CHECK(parse_error(" " + good) == Errc::Parse);
  std::string plus = good;
  plus[plus.find('.') + 3] = '+';
  CHECK(parse_error(plus) == Errc::Parse);
  std::string noncanonical = good;
  noncanonical.back() = 'B';  // the tag's last character carries 4 unused bits; 'A' -> 'B' sets one
  const std::string tag_tail = good.substr(good.rfind('.') + 1);
  REQUIRE(tag_tail.size() == 22);
  CHECK(parse_error(noncanonical) == Errc::Parse);
}

TEST_CASE("parse_jwe_compact: wrong encrypted key, iv or tag sizes are parse errors",
          "[jose][error]") {
  CHECK(parse_error(token_with(kGoodHeader, 32)) == Errc::Parse);
  CHECK(parse_error(token_with(kGoodHeader, 0)) == Errc::Parse);
  CHECK(parse_error(token_with(kGoodHeader, 40, 16)) == Errc::Parse);
  CHECK(parse_error(token_with(kGoodHeader, 40, 12, 5, 12)) == Errc::Parse);
  CHECK(parse_error(token_with(kGoodHeader, 40, 12, 5, 0)) == Errc::Parse);
}

TEST_CASE("parse_jwe_compact: a ciphertext over the item limit is TooLarge", "[jose][error]") {
  CHECK(parse_error(token_with(kGoodHeader, 40, 12, limits::kMaxSecretItemBytes + 1)) ==
        Errc::TooLarge);
}

TEST_CASE("parse_jwe_compact: a header that is not one JSON object is a parse error",
          "[jose][error]") {
  CHECK(parse_error(token_with("")) == Errc::Parse);
  CHECK(parse_error(token_with("[1]")) == Errc::Parse);
  CHECK(parse_error(token_with("{\"alg\":")) == Errc::Parse);
  CHECK(parse_error(token_with(std::string(kGoodHeader) + " x")) == Errc::Parse);
  CHECK(parse_error(token_with(fields_then_salt(
            R"("alg":"PBES2-HS256+A128KW","alg":"PBES2-HS256+A128KW","enc":"A256GCM",)"))) ==
        Errc::Parse);
}

TEST_CASE("parse_jwe_compact: another alg or enc is Unsupported, a missing one a parse error",
          "[jose][error]") {
  CHECK(parse_error(token_with(fields_then_salt(
            R"("alg":"PBES2-HS512+A256KW","enc":"A256GCM",)"))) == Errc::Unsupported);
  CHECK(parse_error(
            token_with(R"({"alg":"dir","enc":"A256GCM","p2c":8192,"p2s":"IENyl3xq1K8QHKMm"})")) ==
        Errc::Unsupported);
  CHECK(parse_error(token_with(fields_then_salt(
            R"("alg":"PBES2-HS256+A128KW","enc":"A128CBC-HS256",)"))) == Errc::Unsupported);
  CHECK(parse_error(token_with(R"({"enc":"A256GCM","p2c":8192,"p2s":"IENyl3xq1K8QHKMm"})")) ==
        Errc::Parse);
  CHECK(parse_error(token_with(
            R"({"alg":"PBES2-HS256+A128KW","p2c":8192,"p2s":"IENyl3xq1K8QHKMm"})")) == Errc::Parse);
  CHECK(parse_error(token_with(
            R"({"alg":1,"enc":"A256GCM","p2c":8192,"p2s":"IENyl3xq1K8QHKMm"})")) == Errc::Parse);
}

TEST_CASE("parse_jwe_compact: zip and crit are Unsupported", "[jose][error]") {
  CHECK(parse_error(token_with(fields_then_salt(kAlgEnc, R"(,"zip":"DEF")"))) == Errc::Unsupported);
  CHECK(parse_error(token_with(fields_then_salt(
            R"("alg":"PBES2-HS256+A128KW","crit":["exp"],"enc":"A256GCM","exp":1,)"))) ==
        Errc::Unsupported);
}

TEST_CASE("parse_jwe_compact: p2c outside the allowed range or not an integer is refused",
          "[jose][error]") {
  CHECK(parse_error(token_with(header_with_p2c("2147483648"))) == Errc::TooLarge);
  CHECK(parse_error(token_with(header_with_p2c("1300001"))) == Errc::TooLarge);
  CHECK(parse_error(token_with(header_with_p2c("99999999999999999999999"))) == Errc::TooLarge);
  CHECK(parse_error(token_with(header_with_p2c("999"))) == Errc::Unsupported);
  CHECK(parse_error(token_with(header_with_p2c("0"))) == Errc::Unsupported);
  CHECK(parse_error(token_with(header_with_p2c("-1"))) == Errc::Parse);
  CHECK(parse_error(token_with(header_with_p2c("8192.0"))) == Errc::Parse);
  CHECK(parse_error(token_with(header_with_p2c("8.192e3"))) == Errc::Parse);
  CHECK(parse_error(token_with(header_with_p2c("\"8192\""))) == Errc::Parse);
  CHECK(parse_error(token_with(header_with_p2c("null"))) == Errc::Parse);
  CHECK(parse_jwe_compact(token_with(header_with_p2c("1300000"))));
  CHECK(parse_jwe_compact(token_with(header_with_p2c("1000"))));
}

TEST_CASE("parse_jwe_compact: p2s missing, malformed, too short or too long is refused",
          "[jose][error]") {
  CHECK(parse_error(token_with(R"({"alg":"PBES2-HS256+A128KW","enc":"A256GCM","p2c":8192})")) ==
        Errc::Parse);
  CHECK(parse_error(token_with(
            R"({"alg":"PBES2-HS256+A128KW","enc":"A256GCM","p2c":8192,"p2s":12})")) == Errc::Parse);
  CHECK(parse_error(token_with(header_with_p2s("IENyl3xq1K8QHKM="))) == Errc::Parse);
  CHECK(parse_error(token_with(header_with_p2s("IENyl3xq1K8QHKM/"))) == Errc::Parse);
  CHECK(parse_error(token_with(header_with_p2s(b64(std::vector<std::uint8_t>(7, 1))))) ==
        Errc::Parse);
  CHECK(parse_error(token_with(header_with_p2s(b64(std::vector<std::uint8_t>(65, 1))))) ==
        Errc::TooLarge);
  CHECK(parse_error(token_with(header_with_p2s(std::string(1000, 'A')))) == Errc::TooLarge);
  CHECK(parse_jwe_compact(token_with(header_with_p2s(b64(std::vector<std::uint8_t>(8, 1))))));
  CHECK(parse_jwe_compact(token_with(header_with_p2s(b64(std::vector<std::uint8_t>(64, 1))))));
}

TEST_CASE("parse_jwe_compact: every truncation of a real token is a parse error",
          "[jose][mutation]") {
  for (const auto& vec : load_vectors("jwe/tokens.txt")) {
    const std::string& token = vec.text("token");
    for (std::size_t len = 0; len < token.size(); ++len) {
      CAPTURE(vec.name(), len);
      CHECK(parse_error(std::string_view(token).substr(0, len)) == Errc::Parse);
    }
  }
}

}  // namespace av::jose
