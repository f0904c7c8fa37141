#include "codec/hex.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "base/ascii.h"
#include "base/bytes.h"
#include "base/limits.h"

namespace av::codec {

TEST_CASE("hex: encodes lower-case and decodes either case", "[codec][vector]") {
  const std::vector<std::uint8_t> bytes = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff};
  CHECK(encode_hex(bytes) == "00017f80abcdefff");
  CHECK(*decode_hex("00017f80abcdefff") == bytes);
  CHECK(*decode_hex("00017F80ABCDEFFF") == bytes);
  CHECK(*decode_hex("00017f80AbCdEfFf") == bytes);
  CHECK(encode_hex({}).empty());
  CHECK(decode_hex("")->empty());
  // SHA-256 of the empty string, as SigV4 writes payload hashes.
  const std::string empty_sha256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  CHECK(encode_hex(*decode_hex(empty_sha256)) == empty_sha256);
}

TEST_CASE("hex: odd length is Errc::Parse", "[codec][error]") {
  CHECK(decode_hex("abc").error().code() == Errc::Parse);
  CHECK(decode_hex("0").error().code() == Errc::Parse);
}

TEST_CASE("hex: non-hex characters are Errc::Parse", "[codec][error]") {
  for (const char* bad : {"0g", "g0", "0x00", " 0", "0 ", "-1", "zz", "\xc3\xa9"}) {
    CAPTURE(bad);
    CHECK(decode_hex(bad).error().code() == Errc::Parse);
  }
}

TEST_CASE("hex: input over kMaxEncodedBytes is TooLarge", "[codec][error]") {
  CHECK(decode_hex(std::string(limits::kMaxEncodedBytes, 'a')));
  CHECK(decode_hex(std::string(limits::kMaxEncodedBytes + 2, 'a')).error().code() ==
        Errc::TooLarge);
}

TEST_CASE("hex: truncated and bit-flipped input never decodes to a different encoding",
          "[codec][mutation]") {
  const std::string valid = "0123456789abcdefABCDEF";
  for (std::size_t len = 0; len <= valid.size(); ++len) {
    const auto decoded = decode_hex(valid.substr(0, len));
    CHECK(decoded.has_value() == (len % 2 == 0));
  }
  for (std::size_t i = 0; i < valid.size(); ++i) {
    for (unsigned bit = 0; bit < 8; ++bit) {
      std::string mutated = valid;
      mutated[i] = static_cast<char>(static_cast<unsigned char>(mutated[i]) ^ (1U << bit));
      const auto decoded = decode_hex(mutated);
      if (decoded) CHECK(encode_hex(*decoded) == ascii::lower(mutated));
    }
  }
}

TEST_CASE("hex: every byte value round-trips", "[codec][roundtrip]") {
  std::vector<std::uint8_t> all;
  for (unsigned b = 0; b < 256; ++b) all.push_back(static_cast<std::uint8_t>(b));
  const std::string text = encode_hex(all);
  CHECK(text.size() == 512);
  CHECK(*decode_hex(text) == all);
}

}  // namespace av::codec
