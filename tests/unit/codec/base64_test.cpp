#include "codec/base64.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "base/limits.h"
#include "support/mutation.h"
#include "codec/hex.h"

namespace av::codec {
namespace {

struct Base64Row {
  Base64Alphabet alphabet;
  std::string first;   // bytes as hex (valid file) or the input (invalid file)
  std::string second;  // encoding (valid file) or errc name (invalid file)
};

Base64Alphabet alphabet_named(const std::string& name) {
  if (name == "standard") return Base64Alphabet::Standard;
  if (name == "url") return Base64Alphabet::Url;
  REQUIRE(name == "url-padded");
  return Base64Alphabet::UrlPadded;
}

std::string unescape_line_breaks(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == 'n' || text[i + 1] == 'r')) {
      out += text[i + 1] == 'n' ? '\n' : '\r';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

// load_base64_vectors reads tests/vectors/codec/<name> (three tab-separated columns).
std::vector<Base64Row> load_base64_vectors(const std::string& name) {
  const char* root = std::getenv("AV_TEST_VECTORS");
  REQUIRE(root != nullptr);
  std::ifstream in(std::string(root) + "/codec/" + name);
  REQUIRE(in.good());
  std::vector<Base64Row> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t tab1 = line.find('\t');
    const std::size_t tab2 = line.find('\t', tab1 + 1);
    REQUIRE(tab2 != std::string::npos);
    rows.push_back({alphabet_named(line.substr(0, tab1)),
                    unescape_line_breaks(line.substr(tab1 + 1, tab2 - tab1 - 1)),
                    line.substr(tab2 + 1)});
  }
  return rows;
}

constexpr Base64Alphabet kAlphabets[] = {Base64Alphabet::Standard, Base64Alphabet::Url,
                                         Base64Alphabet::UrlPadded};

}  // namespace

TEST_CASE("base64: RFC 4648 vectors encode and decode", "[codec][vector]") {
  const auto rows = load_base64_vectors("base64.txt");
  REQUIRE(rows.size() > 40);
  for (const auto& row : rows) {
    CAPTURE(row.first, row.second);
    const auto bytes = decode_hex(row.first);
    REQUIRE(bytes);
    CHECK(encode_base64(*bytes, row.alphabet) == row.second);
    const auto decoded = decode_base64(row.second, row.alphabet);
    REQUIRE(decoded);
    CHECK(*decoded == *bytes);
  }
}

TEST_CASE("base64: non-canonical and malformed inputs are rejected", "[codec][vector]") {
  const auto rows = load_base64_vectors("base64_invalid.txt");
  REQUIRE(rows.size() > 30);
  for (const auto& row : rows) {
    CAPTURE(row.first);
    const auto got = decode_base64(row.first, row.alphabet);
    REQUIRE_FALSE(got);
    CHECK(errc_name(got.error().code()) == row.second);
  }
}

TEST_CASE("base64: a character outside the alphabet is Errc::Parse", "[codec][error]") {
  CHECK(decode_base64("Zm9v\n", Base64Alphabet::Standard).error().code() == Errc::Parse);
  CHECK(decode_base64("-_8=", Base64Alphabet::Standard).error().code() == Errc::Parse);
  CHECK(decode_base64("+/8", Base64Alphabet::Url).error().code() == Errc::Parse);
}

TEST_CASE("base64: wrong padding and impossible lengths are Errc::Parse", "[codec][error]") {
  CHECK(decode_base64("Zg", Base64Alphabet::Standard).error().code() == Errc::Parse);
  CHECK(decode_base64("Zg==", Base64Alphabet::Url).error().code() == Errc::Parse);
  CHECK(decode_base64("Zm9vY", Base64Alphabet::Url).error().code() == Errc::Parse);
  CHECK(decode_base64("Zg===", Base64Alphabet::UrlPadded).error().code() == Errc::Parse);
}

TEST_CASE("base64: non-zero unused bits are Errc::Parse", "[codec][error]") {
  CHECK(decode_base64("Zh==", Base64Alphabet::Standard).error().code() == Errc::Parse);
  CHECK(decode_base64("Zm9", Base64Alphabet::Url).error().code() == Errc::Parse);
  CHECK(decode_base64("Zm8", Base64Alphabet::Url));
}

TEST_CASE("base64: input over kMaxEncodedBytes is TooLarge", "[codec][error]") {
  const std::string at_limit(limits::kMaxEncodedBytes, 'A');
  CHECK(decode_base64(at_limit, Base64Alphabet::Url));
  const std::string over(limits::kMaxEncodedBytes + 4, 'A');
  CHECK(decode_base64(over, Base64Alphabet::Standard).error().code() == Errc::TooLarge);
}

TEST_CASE("base64: truncated and bit-flipped encodings decode only canonically",
          "[codec][mutation]") {
  for (const auto& row : load_base64_vectors("base64.txt")) {
    const std::string& valid = row.second;
    auto check_one = [&](const std::string& text) {
      const auto decoded = decode_base64(text, row.alphabet);
      if (decoded) CHECK(encode_base64(*decoded, row.alphabet) == text);
    };
    testing::for_each_mutation(valid, check_one);
  }
}

TEST_CASE("base64: every short byte string round-trips in every alphabet", "[codec][roundtrip]") {
  std::vector<std::uint8_t> data;
  std::uint32_t state = 1;
  for (std::size_t len = 0; len < 300; ++len) {
    for (const Base64Alphabet alphabet : kAlphabets) {
      const std::string text = encode_base64(data, alphabet);
      const auto decoded = decode_base64(text, alphabet);
      REQUIRE(decoded);
      CHECK(*decoded == data);
    }
    state = state * 1103515245U + 12345U;
    data.push_back(static_cast<std::uint8_t>(state >> 16U));
  }
}

}  // namespace av::codec
