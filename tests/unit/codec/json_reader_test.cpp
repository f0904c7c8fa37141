// Tests for codec/json/reader.h: spec vectors (RFC 8259, JSONTestSuite cases in
// tests/vectors/json/), one test per error code, limits, deterministic mutation, round-trip and
// secret decoding.
#include "codec/json/reader.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "base/limits.h"
#include "codec/json/writer.h"

namespace av::codec::json {
namespace {

std::string vector_dir() {
  const char* root = std::getenv("AV_TEST_VECTORS");  // set by ctest (cmake/AvTargets.cmake)
  return std::string(root != nullptr ? root : "tests/vectors") + "/json/";
}

std::string read_vector(const std::string& name) {
  std::ifstream in(vector_dir() + name, std::ios::binary);
  REQUIRE(in.good());
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string compact(const Value& v) {
  Writer writer(Style::Compact, 16 * limits::kMiB);
  REQUIRE(writer.value(v));
  return std::move(writer).finish();
}

Errc error_code(std::string_view text) {
  auto result = parse(text);
  REQUIRE_FALSE(result.has_value());
  return result.error().code();
}

// Valid documents used by the mutation and round-trip tests.
const std::vector<std::string>& valid_documents() {
  static const std::vector<std::string> kDocs = {
      R"({"Version":1,"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"wJalr\/XUtn","SessionToken":"FwoGZXIvYXdzE\u0041==","Expiration":"2024-01-01T00:00:00Z"})",
      R"({"Credentials":{"AccessKeyId":"ASIA","Expiration":1.7e9,"Nested":[true,false,null,-0.5e-3]},"x":[]})",
      R"([1,"\ud83d\ude00 <&> \u2028",{"":{}},[[[]]],"é€𝄞"])",
      "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": \"\\t\\\"\\\\\"\n}",
  };
  return kDocs;
}

TEST_CASE("json: JSONTestSuite and RFC 8259 vectors give the recorded outcome", "[codec][vector]") {
  std::istringstream manifest(read_vector("cases.txt"));
  std::string line;
  std::size_t num_cases = 0;
  while (std::getline(manifest, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    const std::string name = line.substr(0, space);
    const std::string expect = line.substr(space + 1);
    CAPTURE(name, expect);
    auto result = parse(read_vector(name));
    if (expect == "ok") {
      CHECK(result.has_value());
    } else {
      REQUIRE_FALSE(result.has_value());
      CHECK(errc_name(result.error().code()) == expect);
    }
    ++num_cases;
  }
  CHECK(num_cases >= 80);
}

TEST_CASE("json: RFC 8259 section 13 object example decodes field by field", "[codec][vector]") {
  auto doc = parse(read_vector("rfc8259_13_example_object.json"));
  REQUIRE(doc);
  const Value* image = doc->find("Image");
  REQUIRE(image != nullptr);
  CHECK(image->find("Width")->as_int64().value() == 800);
  CHECK(image->find("Title")->as_string().value() == "View from 15th Floor");
  CHECK(image->find("Animated")->as_bool().value() == false);
  CHECK(image->find("Thumbnail")->find("Url")->as_string().value() ==
        "http://www.example.com/image/481989943");
  const auto& ids = image->find("IDs")->elements();
  REQUIRE(ids.size() == 4);
  CHECK(ids[3].as_uint64().value() == 38793);
  std::vector<std::string> keys;
  for (const Member& m : image->members()) keys.push_back(m.key);
  CHECK(keys == std::vector<std::string>{"Width", "Height", "Title", "Thumbnail", "Animated", "IDs"});
}

TEST_CASE("json: RFC 8259 section 13 array example keeps numbers as written", "[codec][vector]") {
  auto doc = parse(read_vector("rfc8259_13_example_array.json"));
  REQUIRE(doc);
  REQUIRE(doc->elements().size() == 2);
  const Value& second = doc->elements()[1];
  CHECK(second.find("Longitude")->number_text() == "-122.026020");
  CHECK(second.find("Longitude")->as_double().value() == Approx(-122.02602));
  CHECK(second.find("Zip")->as_string().value() == "94085");
}

TEST_CASE("json: escapes and surrogate pairs decode to UTF-8", "[codec][vector]") {
  auto doc = parse(R"(["\"\\\/\b\f\n\r\t", "\u00e9\u20AC\uD834\uDD1E", "a\u0000b"])");
  REQUIRE(doc);
  CHECK(doc->elements()[0].as_string().value() == "\"\\/\b\f\n\r\t");
  CHECK(doc->elements()[1].as_string().value() == "\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E");
  CHECK(doc->elements()[2].as_string().value() == std::string("a\0b", 3));
}

TEST_CASE("json: number helpers convert or report", "[codec][error]") {
  auto doc = parse(R"([9223372036854775807, -9223372036854775808, 18446744073709551615,
                       9223372036854775808, 1.5, 1e3, -0, 1e999, "7"])");
  REQUIRE(doc);
  const auto& n = doc->elements();
  CHECK(n[0].as_int64().value() == INT64_MAX);
  CHECK(n[1].as_int64().value() == INT64_MIN);
  CHECK(n[2].as_uint64().value() == UINT64_MAX);
  CHECK(n[3].as_int64().error().code() == Errc::TooLarge);
  CHECK(n[1].as_uint64().error().code() == Errc::TooLarge);
  CHECK(n[4].as_int64().error().code() == Errc::Parse);
  CHECK(n[5].as_int64().error().code() == Errc::Parse);
  CHECK(n[4].as_double().value() == 1.5);
  CHECK(n[6].as_int64().value() == 0);
  CHECK(n[6].as_uint64().value() == 0);
  CHECK(n[7].as_double().error().code() == Errc::TooLarge);
  CHECK(n[8].as_int64().error().code() == Errc::Parse);
  CHECK(n[8].as_bool().error().code() == Errc::Parse);
  CHECK(Value::make_number("01").error().code() == Errc::Parse);
  CHECK(Value::make_number("-1.5e+7").has_value());
}

TEST_CASE("json: malformed input is Errc::Parse", "[codec][error]") {
  for (const char* text : {"[1,]", "{\"a\":1,}", "[01]", "[NaN]", "[Infinity]", "// c\n1", "[1]x",
                           "[\"\\q\"]", "[\"\x01\"]", "[\"\\uD800\"]", "[\"\\uDC00\"]",
                           "[\"\\uD800\\u0041\"]", "[\"\xC0\x80\"]", "[\"\xED\xA0\x80\"]", "[-]",
                           "[1e]", "[True]", "{\"a\" 1}", "{,}", "[,1]", "'a'", "[1}", "{\"a\":1]"}) {
    CAPTURE(text);
    CHECK(error_code(text) == Errc::Parse);
  }
}

TEST_CASE("json: input ending early is Errc::Truncated", "[codec][error]") {
  for (const char* text : {"", "  ", "[", "[1", "[1,", "{", "{\"a\"", "{\"a\":", "\"abc", "tru",
                           "nul", "-", "1.", "1e", "1e+", "[\"\\u12", "[\"\\", "[\"\\uD800",
                           "[\"\\uD800\\", "[\"\xE2\x82"}) {
    CAPTURE(text);
    CHECK(error_code(text) == Errc::Truncated);
  }
}

TEST_CASE("json: every named limit gives Errc::TooLarge", "[codec][error]") {
  CHECK(error_code(std::string(limits::kMaxJsonBytes + 1, ' ')) == Errc::TooLarge);
  CHECK(error_code(std::string(limits::kMaxJsonDepth + 1, '[')) == Errc::TooLarge);

  std::string many = "[";
  for (std::size_t i = 0; i < limits::kMaxJsonContainerElements; ++i) many += "0,";
  CHECK(parse(many + "0]").error().code() == Errc::TooLarge);
  many.pop_back();
  CHECK(parse(many + "]").has_value());

  const std::string at_limit(limits::kMaxJsonStringBytes, 'a');
  CHECK(parse("\"" + at_limit + "\"").has_value());
  CHECK(error_code("\"" + at_limit + "a\"") == Errc::TooLarge);
  CHECK(error_code("{\"" + at_limit + "a\":1}") == Errc::TooLarge);

  const std::string long_secret(limits::kMaxSecretBytes + 1, 's');
  auto secret = parse("{\"SessionToken\":\"" + long_secret + "\"}", SecretFields{"SessionToken"});
  REQUIRE_FALSE(secret.has_value());
  CHECK(secret.error().code() == Errc::TooLarge);
}

TEST_CASE("json: kMaxJsonDepth nested containers parse, one more does not", "[codec][error]") {
  const std::size_t depth = limits::kMaxJsonDepth;
  CHECK(parse(std::string(depth, '[') + std::string(depth, ']')).has_value());
  std::string mixed;
  for (std::size_t i = 0; i < depth; ++i) mixed += (i % 2 == 0) ? "{\"k\":" : "[";
  mixed += "1";
  for (std::size_t i = depth; i-- > 0;) mixed += (i % 2 == 0) ? "}" : "]";
  CHECK(parse(mixed).has_value());
  auto deeper = parse(std::string(depth + 1, '[') + std::string(depth + 1, ']'));
  REQUIRE_FALSE(deeper.has_value());
  CHECK(deeper.error().code() == Errc::TooLarge);
  CHECK(deeper.error().message() == "json: nesting deeper than 64 at offset 64");
}

TEST_CASE("json: 100k-deep input is rejected without deep recursion", "[codec][error]") {
  CHECK(error_code(std::string(100'000, '[')) == Errc::TooLarge);
  std::string objects;
  for (int i = 0; i < 100'000; ++i) objects += "{\"a\":";
  CHECK(error_code(objects) == Errc::TooLarge);
}

TEST_CASE("json: duplicate keys are rejected with the key escaped and its offset", "[codec][error]") {
  auto result = parse(R"({"a":1,"b":{"a":2},"a":3})");
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code() == Errc::Parse);
  CHECK(result.error().message() == "json: duplicate key \"a\" at offset 19");
  auto escaped = parse("{\"\\u001b[31m\":1,\"\\u001b[31m\":2}");
  REQUIRE_FALSE(escaped.has_value());
  CHECK(escaped.error().message() == "json: duplicate key \"\\x1b[31m\" at offset 16");
  CHECK(parse(R"({"a":{"a":{"a":1}}})").has_value());  // same key in different objects is fine
}

TEST_CASE("json: error messages name the problem and the offset", "[codec][error]") {
  CHECK(parse("[1,]").error().message() == "json: unexpected character \"]\" at offset 3");
  CHECK(parse("[1] 2").error().message() == "json: trailing data at offset 4");
  CHECK(parse("[012]").error().message() == "json: leading zero in number at offset 1");
  CHECK(parse("[\"a").error().message() == "json: unexpected end of input at offset 3");
}

TEST_CASE("json: truncating a valid document at every length is an error", "[codec][mutation]") {
  for (const std::string& doc : valid_documents()) {
    REQUIRE(parse(doc));
    for (std::size_t len = 0; len < doc.size(); ++len) {
      CAPTURE(doc, len);
      auto result = parse(std::string_view(doc).substr(0, len));
      REQUIRE_FALSE(result.has_value());
      CHECK((result.error().code() == Errc::Truncated || result.error().code() == Errc::Parse));
    }
  }
}

TEST_CASE("json: flipping any bit never crashes and accepted mutants round-trip",
          "[codec][mutation]") {
  const SecretFields secrets{"SecretAccessKey", "SessionToken"};
  for (const std::string& doc : valid_documents()) {
    for (std::size_t bit = 0; bit < doc.size() * 8; ++bit) {
      std::string mutant = doc;
      mutant[bit / 8] = static_cast<char>(mutant[bit / 8] ^ (1 << (bit % 8)));
      auto plain = parse(mutant);
      auto with_secrets = parse(mutant, secrets);
      CHECK(plain.has_value() == with_secrets.has_value());
      if (!plain) continue;
      const std::string once = compact(*plain);
      auto again = parse(once);
      REQUIRE(again);
      CHECK(*again == *plain);
      CHECK(compact(*again) == once);
    }
  }
}

TEST_CASE("json: parse, write, parse gives an equal value and a fixed point", "[codec][roundtrip]") {
  for (const std::string& doc : valid_documents()) {
    auto first = parse(doc);
    REQUIRE(first);
    const std::string text = compact(*first);
    auto second = parse(text);
    REQUIRE(second);
    CHECK(*second == *first);
    CHECK(compact(*second) == text);
    Writer indented(Style::Indented, limits::kMiB);
    REQUIRE(indented.value(*first));
    auto third = parse(std::move(indented).finish());
    REQUIRE(third);
    CHECK(*third == *first);
  }
}

// What the release observer saw: for each freed secret buffer, whether every byte was zero.
std::vector<bool> g_released_all_zero;

void record_release(ByteSpan bytes) {
  g_released_all_zero.push_back(std::all_of(bytes.begin(), bytes.end(), [](auto b) { return b == 0; }));
}

// contains_text reports whether any std::string in the tree (keys, strings, numbers) holds `text`.
bool contains_text(const Value& v, std::string_view text) {
  if (v.number_text().find(text) != std::string_view::npos) return true;
  if (auto s = v.as_string(); s && s->find(text) != std::string_view::npos) return true;
  for (const Value& e : v.elements()) {
    if (contains_text(e, text)) return true;
  }
  for (const Member& m : v.members()) {
    if (m.key.find(text) != std::string::npos || contains_text(m.value, text)) return true;
  }
  return false;
}

TEST_CASE("json: secret fields decode only into SecretString, which is wiped", "[codec][vector]") {
  const std::string body = R"({"Credentials":{"AccessKeyId":"ASIAEXAMPLE",)"
                           R"("SecretAccessKey":"wJalr\/XUtn\u0046EMI","SessionToken":"tok\u00e9n",)"
                           R"("Expiration":"2024-01-01T00:00:00Z"},"SessionToken":null})";
  g_released_all_zero.clear();
  secure::testing::set_release_observer(&record_release);
  {
    auto doc = parse(body, SecretFields{"SecretAccessKey", "SessionToken"});
    REQUIRE(doc);
    Value* creds = doc->find("Credentials");
    REQUIRE(creds != nullptr);
    CHECK(creds->find("AccessKeyId")->as_string().value() == "ASIAEXAMPLE");
    const secure::SecretString* key = creds->find("SecretAccessKey")->as_secret();
    REQUIRE(key != nullptr);
    CHECK(key->reveal() == "wJalr/XUtnFEMI");
    CHECK(key->capacity() == key->size());  // exact size from the measuring pass
    CHECK(creds->find("SessionToken")->as_secret()->reveal() == "tok\xC3\xA9n");
    CHECK(doc->find("SessionToken")->is_null());  // non-string values under secret keys stay as they are
    CHECK_FALSE(contains_text(*doc, "wJalr"));
    CHECK_FALSE(contains_text(*doc, "tok"));
    CHECK(creds->find("AccessKeyId")->as_secret() == nullptr);
    auto taken = creds->find("SessionToken")->take_secret();
    REQUIRE(taken);
    CHECK(creds->find("SessionToken")->is_null());
    CHECK(creds->find("SessionToken")->take_secret().error().code() == Errc::Parse);
  }
  secure::testing::set_release_observer(nullptr);
  REQUIRE(g_released_all_zero.size() == 2);
  CHECK(std::all_of(g_released_all_zero.begin(), g_released_all_zero.end(), [](bool z) { return z; }));
}

TEST_CASE("json: a malformed secret value is an error, never a partial secret", "[codec][error]") {
  const SecretFields fields{"SecretAccessKey"};
  CHECK(parse(R"({"SecretAccessKey":"abc\q"})", fields).error().code() == Errc::Parse);
  CHECK(parse(R"({"SecretAccessKey":"abc)", fields).error().code() == Errc::Truncated);
  CHECK(parse("{\"SecretAccessKey\":\"a\x01\"}", fields).error().code() == Errc::Parse);
}

}  // namespace
}  // namespace av::codec::json

namespace av::codec::json {
TEST_CASE("json: secret fields match in any letter case, as Go matches field names",
          "[codec][vector]") {
  auto doc = parse(R"({"sessiontoken":"a","SESSIONTOKEN":"b","Other":"c"})",
                   SecretFields{"SessionToken"});
  REQUIRE(doc);
  const Value* lower = doc->find("sessiontoken");
  const Value* upper = doc->find("SESSIONTOKEN");
  const Value* other = doc->find("Other");
  REQUIRE((lower != nullptr && upper != nullptr && other != nullptr));
  REQUIRE(lower->as_secret() != nullptr);
  CHECK(lower->as_secret()->reveal() == "a");
  CHECK(upper->kind() == Value::Kind::Secret);
  CHECK(other->kind() == Value::Kind::String);
}
}  // namespace av::codec::json
