// value_test.cpp: signature grammar, object paths, UTF-8 and the value model.
#include "dbus/value.h"

#include <catch2/catch.hpp>

#include <string>

namespace av::dbus {

TEST_CASE("signature: complete types are measured", "[dbus][vector]") {
  auto [sig, len] = GENERATE(table<std::string, std::size_t>({
      {"s", 1},
      {"ay", 2},
      {"a{sv}", 5},
      {"(oayays)", 8},
      {"a(yv)u", 5},
      {"aaai", 4},
      {"v", 1},
      {"a{oa{sa{sv}}}", 13},
  }));
  CAPTURE(sig);
  auto result = complete_type_len(sig);
  REQUIRE(result.has_value());
  CHECK(*result == len);
}

TEST_CASE("signature: invalid signatures are rejected", "[dbus][error]") {
  auto sig = GENERATE(as<std::string>{}, "", "a", "(", "()", "(i", "{sv}", "a{vs}", "a{s}",
                      "a{sii}", "z", "a(i}", ")");
  CAPTURE(sig);
  auto result = complete_type_len(sig);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code() == Errc::Parse);
}

TEST_CASE("signature: nesting beyond the limit is too large", "[dbus][error]") {
  CHECK(complete_type_len(std::string(31, 'a') + "i").has_value());
  CHECK(complete_type_len(std::string(33, 'a') + "i").error().code() == Errc::TooLarge);
  std::string structs = std::string(40, '(') + "i" + std::string(40, ')');
  CHECK(complete_type_len(structs).error().code() == Errc::TooLarge);
}

TEST_CASE("signature: split_signature splits and bounds the length", "[dbus][vector]") {
  auto parts = split_signature("sa{sv}(ii)");
  REQUIRE(parts.has_value());
  REQUIRE(parts->size() == 3);
  CHECK((*parts)[1] == "a{sv}");
  CHECK(split_signature("").value().empty());
  CHECK(split_signature(std::string(256, 'i')).error().code() == Errc::TooLarge);
  CHECK(split_signature(std::string(255, 'i')).has_value());
}

TEST_CASE("object paths follow the specification's grammar", "[dbus][vector]") {
  CHECK(is_valid_object_path("/"));
  CHECK(is_valid_object_path("/org/freedesktop/secrets/collection/keyring_2dtest"));
  CHECK_FALSE(is_valid_object_path(""));
  CHECK_FALSE(is_valid_object_path("org"));
  CHECK_FALSE(is_valid_object_path("/a/"));
  CHECK_FALSE(is_valid_object_path("/a//b"));
  CHECK_FALSE(is_valid_object_path("/a-b"));
}

TEST_CASE("utf-8 validation follows RFC 3629", "[dbus][vector]") {
  CHECK(is_valid_utf8("caf\xc3\xa9 \xf0\x9f\x94\x91"));
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // over-long
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
}

TEST_CASE("values report their signatures and refuse wrong-type reads", "[dbus][roundtrip]") {
  std::vector<Value> entries;
  entries.push_back(Value::dict_entry(Value::string("k"), Value::variant(Value::uint32(7))));
  const Value dict = Value::array("{sv}", std::move(entries));
  CHECK(dict.signature() == "a{sv}");
  const Value copy = dict.clone();
  CHECK(copy.children()[0].children()[1].as_variant().value()->as_u32().value() == 7);
  CHECK(Value::string("x").as_u32().error().code() == Errc::Parse);
  CHECK(Value::int32(-1).as_u64().value() == 0xffffffffU);
  CHECK(Value::bytes(secure::SecretBytes()).signature() == "ay");
}

}  // namespace av::dbus
