#include "codec/percent.h"

#include <catch2/catch.hpp>

#include "support/mutation.h"
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "base/limits.h"

namespace av::codec {
namespace {

struct PercentRow {
  SlashMode slash;
  std::string input;
  std::string encoded;
};

// load_percent_vectors reads tests/vectors/codec/percent.txt.
std::vector<PercentRow> load_percent_vectors() {
  const char* root = std::getenv("AV_TEST_VECTORS");
  REQUIRE(root != nullptr);
  std::ifstream in(std::string(root) + "/codec/percent.txt");
  REQUIRE(in.good());
  std::vector<PercentRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t tab1 = line.find('\t');
    const std::size_t tab2 = line.find('\t', tab1 + 1);
    REQUIRE(tab2 != std::string::npos);
    const std::string mode = line.substr(0, tab1);
    REQUIRE((mode == "encode" || mode == "keep"));
    rows.push_back({mode == "keep" ? SlashMode::Keep : SlashMode::Encode,
                    line.substr(tab1 + 1, tab2 - tab1 - 1), line.substr(tab2 + 1)});
  }
  return rows;
}

std::string expected_escape(unsigned byte, bool unreserved) {
  if (unreserved) return std::string(1, static_cast<char>(byte));
  constexpr char kHex[] = "0123456789ABCDEF";
  return std::string{'%', kHex[byte >> 4U], kHex[byte & 0x0FU]};
}

}  // namespace

TEST_CASE("percent: SigV4 UriEncode vectors", "[codec][vector]") {
  const auto rows = load_percent_vectors();
  REQUIRE(rows.size() > 15);
  for (const auto& row : rows) {
    CAPTURE(row.input, row.encoded);
    CHECK(encode_percent_sigv4(row.input, row.slash) == row.encoded);
    CHECK(*decode_percent(row.encoded, PlusMode::Literal) == row.input);
  }
}

TEST_CASE("percent: every byte outside the unreserved set is escaped upper-case",
          "[codec][vector]") {
  for (unsigned b = 0; b < 256; ++b) {
    const std::string one(1, static_cast<char>(b));
    const std::string encoded = encode_percent_sigv4(one, SlashMode::Encode);
    const bool unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
                            (b >= '0' && b <= '9') || b == '-' || b == '_' || b == '.' || b == '~';
    CAPTURE(b, encoded);
    CHECK(encoded.size() == (unreserved ? 1U : 3U));
    CHECK(encoded == expected_escape(b, unreserved));
  }
}

TEST_CASE("percent: form_urlencode joins SigV4-encoded pairs in order", "[codec][vector]") {
  const FormField fields[] = {{"Action", "GetSessionToken"},
                              {"Version", "2011-06-15"},
                              {"SerialNumber", "arn:aws:iam::111111111111:mfa/jon smith"},
                              {"TokenCode", "123456"}};
  CHECK(form_urlencode(fields) ==
        "Action=GetSessionToken&Version=2011-06-15&SerialNumber=arn%3Aaws%3Aiam%3A%3A111111111111"
        "%3Amfa%2Fjon%20smith&TokenCode=123456");
  CHECK(form_urlencode({}).empty());
  const FormField empty_value[] = {{"a b", ""}};
  CHECK(form_urlencode(empty_value) == "a%20b=");
}

TEST_CASE("percent: decode handles plus per mode and either hex case", "[codec][vector]") {
  CHECK(*decode_percent("a+b%2b%2Fc", PlusMode::Literal) == "a+b+/c");
  CHECK(*decode_percent("a+b%2b%2fc", PlusMode::Space) == "a b+/c");
  CHECK(*decode_percent("%00", PlusMode::Literal) == std::string(1, '\0'));
  CHECK(decode_percent("", PlusMode::Literal)->empty());
}

TEST_CASE("percent: a bad escape is Errc::Parse", "[codec][error]") {
  for (const char* bad : {"%", "%4", "a%", "%G0", "%0G", "%%41", "%-1", "% 1", "abc%2"}) {
    CAPTURE(bad);
    CHECK(decode_percent(bad, PlusMode::Literal).error().code() == Errc::Parse);
  }
}

TEST_CASE("percent: input over kMaxEncodedBytes is TooLarge", "[codec][error]") {
  CHECK(decode_percent(std::string(limits::kMaxEncodedBytes, 'a'), PlusMode::Literal));
  const std::string over(limits::kMaxEncodedBytes + 1, 'a');
  CHECK(decode_percent(over, PlusMode::Space).error().code() == Errc::TooLarge);
}

TEST_CASE("percent: truncated and bit-flipped escapes never crash", "[codec][mutation]") {
  for (const auto& row : load_percent_vectors()) {
    const std::string& valid = row.encoded;
    auto check_one = [](const std::string& text) {
      const auto decoded = decode_percent(text, PlusMode::Literal);
      // Whatever decodes re-encodes canonically and decodes back to the same bytes.
      if (decoded)
        CHECK(*decode_percent(encode_percent_sigv4(*decoded, SlashMode::Encode),
                              PlusMode::Literal) == *decoded);
    };
    testing::for_each_mutation(valid, check_one);
  }
}

TEST_CASE("percent: every byte value round-trips through encode and decode", "[codec][roundtrip]") {
  std::string all;
  for (unsigned b = 0; b < 256; ++b) all += static_cast<char>(b);
  for (const SlashMode slash : {SlashMode::Encode, SlashMode::Keep}) {
    CHECK(*decode_percent(encode_percent_sigv4(all, slash), PlusMode::Literal) == all);
    CHECK(*decode_percent(encode_percent_sigv4(all, slash), PlusMode::Space) == all);
  }
}

}  // namespace av::codec
