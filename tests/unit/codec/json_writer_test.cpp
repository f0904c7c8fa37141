// Tests for codec/json/writer.h: Go encoding/json escaping, the `export --format=json` layout
// (spec cli.md §2.6), size limits, secret output and round-trips through the reader.
#include "codec/json/writer.h"

#include <catch2/catch.hpp>
#include <string>
#include <tuple>

#include "base/limits.h"
#include "codec/json/reader.h"

namespace av::codec::json {
namespace {

std::string write_string(std::string_view text) {
  Writer writer(Style::Compact, limits::kMiB);
  REQUIRE(writer.value_string(text));
  return std::move(writer).finish();
}

TEST_CASE("json writer: strings are escaped exactly as Go's encoding/json does", "[codec][vector]") {
  // Expected outputs are what Go >= 1.22 json.Marshal(string) prints.
  using Case = std::tuple<const char*, std::string, std::string>;
  auto [name, input, expected] = GENERATE(table<const char*, std::string, std::string>({
      Case{"plain", "AKIA/+=", R"("AKIA/+=")"},
      Case{"quote and backslash", "a\"b\\c", R"("a\"b\\c")"},
      Case{"html", "<a href='x'>&</a>", R"("\u003ca href='x'\u003e\u0026\u003c/a\u003e")"},
      Case{"short escapes", "\b\f\n\r\t", R"("\b\f\n\r\t")"},
      Case{"other controls", std::string("\x00\x01\x1b\x1f", 4), R"("\u0000\u0001\u001b\u001f")"},
      Case{"del kept", "\x7f", "\"\x7f\""},
      Case{"slash kept", "a/b", R"("a/b")"},
      Case{"line separators", "\xE2\x80\xA8\xE2\x80\xA9", R"("\u2028\u2029")"},
      Case{"utf-8 kept", "\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E", "\"\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E\""},
      Case{"invalid byte", "a\xFF" "b", R"("a\ufffdb")"},
      Case{"over-long", "\xC0\xAF", R"("\ufffd\ufffd")"},
      Case{"surrogate", "\xED\xA0\x80", R"("\ufffd\ufffd\ufffd")"},
      Case{"truncated sequence", "\xE2\x82", R"("\ufffd\ufffd")"},
      Case{"empty", "", R"("")"},
  }));
  CAPTURE(name);
  CHECK(write_string(input) == expected);
}

TEST_CASE("json writer: export --format=json layout is reproduced byte for byte", "[codec][vector]") {
  SecretWriter writer(Style::Indented, limits::kMaxSecretItemBytes);
  REQUIRE(writer.begin_object());
  REQUIRE(writer.key("Version"));
  REQUIRE(writer.value_int(1));
  REQUIRE(writer.key("AccessKeyId"));
  REQUIRE(writer.value_string("ASIAEXAMPLE"));
  REQUIRE(writer.key("SecretAccessKey"));
  REQUIRE(writer.value_secret(secure::SecretString::copy_of("wJalrXUtnFEMI/K7MDENG+bPxRfiCY")));
  REQUIRE(writer.key("SessionToken"));
  REQUIRE(writer.value_secret(secure::SecretString::copy_of("FwoG<&>")));
  REQUIRE(writer.key("Expiration"));
  REQUIRE(writer.value_string("2024-01-01T00:00:00Z"));
  REQUIRE(writer.end_object());
  const secure::SecretString out = std::move(writer).finish();
  CHECK(out.reveal() ==
        "{\n"
        "  \"Version\": 1,\n"
        "  \"AccessKeyId\": \"ASIAEXAMPLE\",\n"
        "  \"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG+bPxRfiCY\",\n"
        "  \"SessionToken\": \"FwoG\\u003c\\u0026\\u003e\",\n"
        "  \"Expiration\": \"2024-01-01T00:00:00Z\"\n"
        "}");
}

TEST_CASE("json writer: nesting and empty containers in both styles", "[codec][vector]") {
  auto doc = parse(R"({"a":[1,{"b":null}],"c":{},"d":[],"e":true,"f":-1.5e3})");
  REQUIRE(doc);
  Writer compact(Style::Compact, limits::kMiB);
  REQUIRE(compact.value(*doc));
  CHECK(std::move(compact).finish() == R"({"a":[1,{"b":null}],"c":{},"d":[],"e":true,"f":-1.5e3})");
  Writer indented(Style::Indented, limits::kMiB);
  REQUIRE(indented.value(*doc));
  CHECK(std::move(indented).finish() ==
        "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": {},\n"
        "  \"d\": [],\n  \"e\": true,\n  \"f\": -1.5e3\n}");
}

TEST_CASE("json writer: integers of every range", "[codec][vector]") {
  Writer writer(Style::Compact, 256);
  REQUIRE(writer.begin_array());
  REQUIRE(writer.value_int(INT64_MIN));
  REQUIRE(writer.value_uint(UINT64_MAX));
  REQUIRE(writer.value_int(0));
  REQUIRE(writer.value_bool(false));
  REQUIRE(writer.end_array());
  CHECK(std::move(writer).finish() == "[-9223372036854775808,18446744073709551615,0,false]");
}

TEST_CASE("json writer: output past its maximum is Errc::TooLarge", "[codec][error]") {
  Writer writer(Style::Compact, 8);
  REQUIRE(writer.begin_array());
  REQUIRE(writer.value_string("abcde"));
  auto status = writer.value_string("x");
  REQUIRE_FALSE(status.has_value());
  CHECK(status.error().code() == Errc::TooLarge);

  SecretWriter secret_writer(Style::Compact, 4);
  auto secret_status = secret_writer.value_secret(secure::SecretString::copy_of("abcd"));
  REQUIRE_FALSE(secret_status.has_value());
  CHECK(secret_status.error().code() == Errc::TooLarge);
}

TEST_CASE("json writer: a secret value never goes to non-secret output", "[codec][error]") {
  auto doc = parse(R"({"SessionToken":"tok"})", SecretFields{"SessionToken"});
  REQUIRE(doc);
  Writer plain(Style::Compact, limits::kMiB);
  auto status = plain.value(*doc);
  REQUIRE_FALSE(status.has_value());
  CHECK(status.error().code() == Errc::Unsupported);

  SecretWriter secret(Style::Compact, limits::kMiB);
  REQUIRE(secret.value(*doc));
  CHECK(std::move(secret).finish().reveal() == R"({"SessionToken":"tok"})");
}

TEST_CASE("json writer: DOM values deeper than kMaxJsonDepth are Errc::TooLarge", "[codec][error]") {
  Value root = Value::array();
  for (std::size_t i = 0; i < limits::kMaxJsonDepth; ++i) {
    Value outer = Value::array();
    outer.push_back(std::move(root));
    root = std::move(outer);
  }
  Writer writer(Style::Compact, limits::kMiB);
  auto status = writer.value(root);
  REQUIRE_FALSE(status.has_value());
  CHECK(status.error().code() == Errc::TooLarge);
}

TEST_CASE("json writer: built documents parse back to the same values", "[codec][roundtrip]") {
  Value doc = Value::object();
  doc.add_member("s", Value::string("<\xE2\x80\xA8\x01\"\\>"));
  doc.add_member("n", Value::integer(-42));
  doc.add_member("u", Value::unsigned_integer(42));
  doc.add_member("f", Value::make_number("0.5e-3").value());
  doc.add_member("b", Value::boolean(true));
  doc.add_member("z", Value());
  Value list = Value::array();
  list.push_back(Value::string(""));
  list.push_back(Value::object());
  doc.add_member("l", std::move(list));
  for (const Style style : {Style::Compact, Style::Indented}) {
    Writer writer(style, limits::kMiB);
    REQUIRE(writer.value(doc));
    auto back = parse(std::move(writer).finish());
    REQUIRE(back);
    CHECK(*back == doc);
  }
}

}  // namespace
}  // namespace av::codec::json
