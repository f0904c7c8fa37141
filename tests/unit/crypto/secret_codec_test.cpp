#include "crypto/secret_codec.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "base/limits.h"
#include "crypto/random.h"
#include "vector_file.h"

namespace av::crypto {
namespace {
using testing::to_vector;

constexpr Base64Variant kAllVariants[] = {Base64Variant::Standard, Base64Variant::StandardUnpadded,
                                          Base64Variant::Url, Base64Variant::UrlUnpadded};

std::vector<std::uint8_t> bytes_of(std::string_view text) { return to_vector(as_bytes(text)); }

}  // namespace

TEST_CASE("secret base64: RFC 4648 §10 vectors in every variant", "[crypto][vector]") {
  // (plaintext, padded encoding, unpadded encoding); the alphabets agree on these.
  using Row = std::tuple<std::string_view, std::string_view, std::string_view>;
  const Row rows[] = {{"", "", ""},
                      {"f", "Zg==", "Zg"},
                      {"fo", "Zm8=", "Zm8"},
                      {"foo", "Zm9v", "Zm9v"},
                      {"foob", "Zm9vYg==", "Zm9vYg"},
                      {"fooba", "Zm9vYmE=", "Zm9vYmE"},
                      {"foobar", "Zm9vYmFy", "Zm9vYmFy"}};
  for (const auto& [plain, padded, unpadded] : rows) {
    CAPTURE(plain);
    for (auto variant : kAllVariants) {
      const bool is_padded = variant == Base64Variant::Standard || variant == Base64Variant::Url;
      const std::string_view encoded = is_padded ? padded : unpadded;
      CHECK(encode_base64_secret(as_bytes(plain), variant).reveal() == encoded);
      auto decoded = decode_base64_secret(encoded, variant);
      REQUIRE(decoded);
      CHECK(to_vector(decoded->reveal()) == bytes_of(plain));
    }
  }
}

TEST_CASE("secret base64: the two alphabets differ only in '+/' and '-_'", "[crypto][vector]") {
  const std::vector<std::uint8_t> bytes = {0xfb, 0xff, 0xbf};
  CHECK(encode_base64_secret(bytes, Base64Variant::Standard).reveal() == "+/+/");
  CHECK(encode_base64_secret(bytes, Base64Variant::UrlUnpadded).reveal() == "-_-_");
  auto url = decode_base64_secret("-_-_", Base64Variant::Url);
  REQUIRE(url);
  CHECK(to_vector(url->reveal()) == bytes);
}

TEST_CASE("secret base64: malformed and non-canonical text is Parse", "[crypto][error]") {
  using Row = std::tuple<std::string_view, Base64Variant, std::string_view>;
  using V = Base64Variant;
  const Row rows[] = {
      {"Zg", V::Standard, "padding missing"},
      {"Zg=", V::Standard, "padding short"},
      {"Zm9v====", V::Standard, "padding after a full group"},
      {"Zg==Zg==", V::Standard, "data after padding"},
      {"Zh==", V::Standard, "non-zero unused bits"},
      {"Zm9=", V::Standard, "non-zero unused bits, two bytes"},
      {"Zh", V::StandardUnpadded, "non-zero unused bits, unpadded"},
      {"Zg==", V::StandardUnpadded, "padding in an unpadded variant"},
      {"Z", V::StandardUnpadded, "impossible length"},
      {"Zm9vY", V::UrlUnpadded, "impossible length, url"},
      {"-_-_", V::Standard, "url characters in the standard alphabet"},
      {"+/+/", V::Url, "standard characters in the url alphabet"},
      {"Zm9v\n", V::Standard, "trailing newline"},
      {" Zm9v", V::Standard, "leading space"},
      {"Zm 9v", V::StandardUnpadded, "inner space"},
      {std::string_view("Zm9v\0", 5), V::Standard, "embedded NUL"},
      {"Zm9v!", V::UrlUnpadded, "garbage"},
      // libsodium 1.0.18 alone accepts these (it reads input through a signed char).
      {"Zm9vY\xdf" "E", V::UrlUnpadded, "byte 0xdf, which libsodium reads as '_'"},
      {"Zm9vYm\x80=", V::Standard, "byte 0x80 in the standard alphabet"},
  };
  for (const auto& [text, variant, why] : rows) {
    CAPTURE(why);
    auto decoded = decode_base64_secret(text, variant);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code() == Errc::Parse);
  }
}

TEST_CASE("secret codecs: text past the limit is TooLarge", "[crypto][error]") {
  const std::string big(limits::kMaxEncodedSecretChars + 4, 'A');
  auto b64 = decode_base64_secret(big, Base64Variant::Standard);
  REQUIRE_FALSE(b64);
  CHECK(b64.error().code() == Errc::TooLarge);
  auto hex = decode_hex_secret(big);
  REQUIRE_FALSE(hex);
  CHECK(hex.error().code() == Errc::TooLarge);
}

TEST_CASE("secret base64: any one-character change decodes canonically or fails",
          "[crypto][mutation]") {
  for (auto variant : kAllVariants) {
    const auto valid = encode_base64_secret(as_bytes("fooba"), variant);
    const std::string original(valid.reveal());
    for (std::size_t pos = 0; pos < original.size(); ++pos) {
      for (int c = 0; c < 256; ++c) {
        std::string mutated = original;
        mutated[pos] = static_cast<char>(c);
        auto decoded = decode_base64_secret(mutated, variant);
        if (!decoded) {
          CHECK(decoded.error().code() == Errc::Parse);
          continue;
        }
        CHECK(encode_base64_secret(decoded->reveal(), variant).reveal() == mutated);
      }
    }
    for (std::size_t len = 0; len < original.size(); ++len) {
      auto decoded = decode_base64_secret(std::string_view(original).substr(0, len), variant);
      if (decoded) CHECK(encode_base64_secret(decoded->reveal(), variant).reveal() == original.substr(0, len));
    }
  }
}

TEST_CASE("secret codecs: random secrets round-trip", "[crypto][roundtrip]") {
  for (std::size_t len = 0; len < 70; ++len) {
    std::vector<std::uint8_t> secret(len);
    REQUIRE(fill_random(secret));
    for (auto variant : kAllVariants) {
      auto decoded = decode_base64_secret(encode_base64_secret(secret, variant).reveal(), variant);
      REQUIRE(decoded);
      CHECK(to_vector(decoded->reveal()) == secret);
    }
    auto hex = decode_hex_secret(encode_hex_secret(secret).reveal());
    REQUIRE(hex);
    CHECK(to_vector(hex->reveal()) == secret);
  }
}

TEST_CASE("secret hex: RFC 4648 §10 base16 vector, either case", "[crypto][vector]") {
  CHECK(encode_hex_secret(as_bytes("foobar")).reveal() == "666f6f626172");
  for (std::string_view text : {"666F6F626172", "666f6f626172"}) {
    auto decoded = decode_hex_secret(text);
    REQUIRE(decoded);
    CHECK(to_vector(decoded->reveal()) == bytes_of("foobar"));
  }
  auto empty = decode_hex_secret("");
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("secret hex: odd length, non-hex characters and whitespace are Parse", "[crypto][error]") {
  for (std::string_view text : {"0", "abc", "0g", "0x00", " 00", "00 ", "00\n", "zz"}) {
    CAPTURE(text);
    auto decoded = decode_hex_secret(text);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code() == Errc::Parse);
  }
}

TEST_CASE("secret codecs: outputs and scratch buffers are wiped when released", "[crypto][error]") {
  testing::ReleaseRecorder recorder;
  {
    auto decoded = decode_base64_secret("Zm9vYmFy", Base64Variant::Standard);
    REQUIRE(decoded);
    auto encoded = encode_base64_secret(decoded->reveal(), Base64Variant::Url);
    CHECK(encoded.reveal() == "Zm9vYmFy");
    auto failed = decode_hex_secret("0g");  // its buffer is released on the error path
    REQUIRE_FALSE(failed);
  }
  // decoded, encode scratch, encoded, the failed hex buffer.
  CHECK(testing::ReleaseRecorder::released().size() == 4);
  CHECK(recorder.all_wiped());
}

}  // namespace av::crypto
