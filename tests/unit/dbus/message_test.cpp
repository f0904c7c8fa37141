// message_test.cpp: D-Bus message vectors (hand-computed from the specification), one test per
// parser error, deterministic mutation and round trips.
#include "dbus/message.h"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "support/mutation.h"

namespace av::dbus {
namespace {

std::string hex(std::string_view text) {
  std::string out;
  int hi = -1;
  for (char c : text) {
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    if (v < 0) continue;
    if (hi < 0) {
      hi = v;
    } else {
      out += static_cast<char>(hi * 16 + v);
      hi = -1;
    }
  }
  return out;
}

std::string str(const secure::SecretBytes& bytes) { return std::string(as_chars(bytes.reveal())); }

// The bus's Hello call, little-endian, serial 1. Header fields in our order: PATH, INTERFACE,
// MEMBER, DESTINATION; each field struct is 8-aligned, each string 4-aligned.
const std::string kHello =
    hex("6c 01 00 01  00000000  01000000  6d000000") +  // 'l', CALL, flags, v1, body 0, serial 1,
                                                        // field array 109 bytes (16..125)
    hex("01 01 6f 00  15000000") + "/org/freedesktop/DBus" + hex("00") +  // 16: PATH o, 21 chars
    hex("00 00") +                                                        // 46: pad to 48
    hex("02 01 73 00  14000000") + "org.freedesktop.DBus" + hex("00") +   // 48: INTERFACE s
    hex("00 00 00") +                                                     // 77: pad to 80
    hex("03 01 73 00  05000000") + "Hello" + hex("00") +                  // 80: MEMBER s
    hex("00 00") +                                                        // 94: pad to 96
    hex("06 01 73 00  14000000") + "org.freedesktop.DBus" + hex("00") +   // 96: DESTINATION s
    hex("00 00 00");                                                      // 125: pad to 128

// A big-endian METHOD_RETURN, serial 7, reply to 1, body signature "s", body "hi".
const std::string kReturnBig =
    hex("42 02 00 01  00000007  00000007  0000000f") +  // 'B', RETURN, body 7, serial 7, fields 15
    hex("05 01 75 00  00000001") +                      // 16: REPLY_SERIAL u 1
    hex("08 01 67 00  01 73 00") +                      // 24: SIGNATURE g "s"
    hex("00") +                                         // 31: pad to 32
    hex("00000002") + "hi" + hex("00");                 // 32: body string "hi"

std::string serialize(const Message& m) {
  auto bytes = serialize_message(m);
  REQUIRE(bytes.has_value());
  return str(*bytes);
}

Message reply_with(std::vector<Value> body) {
  Message m;
  m.type = MessageType::MethodReturn;
  m.serial = 9;
  m.reply_serial = 3;
  m.body = std::move(body);
  return m;
}

Errc parse_code(const std::string& bytes) {
  auto m = parse_message(as_bytes(bytes));
  REQUIRE_FALSE(m.has_value());
  return m.error().code();
}

// set_u32_le overwrites a little-endian u32 at `at`.
void set_u32_le(std::string& s, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

// with_body replaces the body of a serialized little-endian message and fixes its length.
std::string with_body(std::string message, std::size_t old_body_len, const std::string& body) {
  message.resize(message.size() - old_body_len);
  set_u32_le(message, 4, static_cast<std::uint32_t>(body.size()));
  return message + body;
}

}  // namespace

TEST_CASE("message: Hello serializes to the hand-computed bytes", "[dbus][vector]") {
  Message m =
      method_call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello");
  m.serial = 1;
  CHECK(serialize(m) == kHello);
}

TEST_CASE("message: Hello bytes parse back into the call", "[dbus][vector]") {
  auto m = parse_message(as_bytes(kHello));
  REQUIRE(m.has_value());
  CHECK(m->type == MessageType::MethodCall);
  CHECK(m->serial == 1);
  CHECK(m->path == "/org/freedesktop/DBus");
  CHECK(m->interface == "org.freedesktop.DBus");
  CHECK(m->member == "Hello");
  CHECK(m->destination == "org.freedesktop.DBus");
  CHECK(m->body.empty());
}

TEST_CASE("message: big-endian input is parsed", "[dbus][vector]") {
  auto m = parse_message(as_bytes(kReturnBig));
  REQUIRE(m.has_value());
  CHECK(m->type == MessageType::MethodReturn);
  CHECK(m->serial == 7);
  CHECK(m->reply_serial == 1);
  REQUIRE(m->body.size() == 1);
  CHECK(m->body[0].text() == "hi");
}

TEST_CASE("message: message_length reads the fixed header", "[dbus][vector]") {
  auto len = message_length(as_bytes(kHello).first(kFixedHeaderLen));
  REQUIRE(len.has_value());
  CHECK(*len == kHello.size());
  auto big = message_length(as_bytes(kReturnBig));
  REQUIRE(big.has_value());
  CHECK(*big == kReturnBig.size());
}

TEST_CASE("message: a Secret struct and a{sv} body round-trip", "[dbus][roundtrip]") {
  std::vector<Value> secret;
  secret.push_back(Value::object_path("/org/freedesktop/secrets/session/s1"));
  secret.push_back(Value::bytes(secure::SecretBytes()));
  secret.push_back(Value::bytes(secure::SecretBytes::copy_of(as_bytes("{\"Key\":\"dev\"}"))));
  secret.push_back(Value::string("application/json"));
  std::vector<Value> props;
  props.push_back(Value::dict_entry(Value::string("org.freedesktop.Secret.Item.Label"),
                                    Value::variant(Value::string("dev"))));
  std::vector<Value> body;
  body.push_back(Value::array("{sv}", std::move(props)));
  body.push_back(Value::structure(std::move(secret)));
  body.push_back(Value::boolean(true));
  body.push_back(Value::dbl(1.5));
  body.push_back(Value::int64(-2));
  body.push_back(Value::uint16(7));
  const std::string bytes = serialize(reply_with(std::move(body)));
  auto parsed = parse_message(as_bytes(bytes));
  REQUIRE(parsed.has_value());
  CHECK(parsed->body_signature() == "a{sv}(oayays)bdxq");
  const Value& st = parsed->body[1];
  CHECK(str(st.children()[2].secret_bytes()) == "{\"Key\":\"dev\"}");
  CHECK(st.children()[1].secret_bytes().empty());
  CHECK(parsed->body[2].as_bool().value());
  CHECK(serialize(*parsed) == bytes);
}

TEST_CASE("message: serialize rejects text D-Bus cannot carry", "[dbus][error]") {
  std::vector<Value> body;
  body.push_back(Value::object_path("relative/path"));
  CHECK(serialize_message(reply_with(std::move(body))).error().code() == Errc::Parse);
  Message no_member = method_call("a.b", "/", "a.b", "");
  no_member.serial = 1;
  CHECK(serialize_message(no_member).error().code() == Errc::Parse);
}

TEST_CASE("message: parse errors have distinct causes", "[dbus][error]") {
  SECTION("bad endianness byte") {
    std::string b = kReturnBig;
    b[0] = 'X';
    CHECK(parse_code(b) == Errc::Parse);
  }
  SECTION("protocol version 2") {
    std::string b = kReturnBig;
    b[3] = 2;
    CHECK(parse_code(b) == Errc::Parse);
  }
  SECTION("truncated") {
    CHECK(parse_code(kReturnBig.substr(0, kReturnBig.size() - 1)) == Errc::Truncated);
  }
  SECTION("trailing bytes") { CHECK(parse_code(kReturnBig + std::string(1, '\0')) == Errc::Parse); }
  SECTION("declared length over the limit") {
    std::string b = kHello;
    set_u32_le(b, 4, 2 * 1024 * 1024);
    CHECK(parse_code(b) == Errc::TooLarge);
  }
  SECTION("serial zero") {
    std::string b = kReturnBig;
    b[11] = 0;
    CHECK(parse_code(b) == Errc::Parse);
  }
  SECTION("message type 0 and unknown type 5") {
    std::string b = kReturnBig;
    b[1] = 0;
    CHECK(parse_code(b) == Errc::Parse);
    b[1] = 5;
    CHECK(parse_code(b) == Errc::Unsupported);
  }
  SECTION("missing required field: a return without REPLY_SERIAL") {
    std::string b = kReturnBig;
    b[16] = 10;  // field code 10 is unknown and ignored, so REPLY_SERIAL is absent
    CHECK(parse_code(b) == Errc::Parse);
  }
  SECTION("header field code 0") {
    std::string b = kReturnBig;
    b[16] = 0;
    CHECK(parse_code(b) == Errc::Parse);
  }
  SECTION("header field of the wrong type") {
    std::string b = kReturnBig;
    b[18] = 'i';  // REPLY_SERIAL as int32
    CHECK(parse_code(b) == Errc::Parse);
  }
  SECTION("repeated header field") {
    std::string b = kReturnBig;
    b[15] = 16;                                     // field array now 16 bytes (16..32)
    b.replace(24, 8, hex("05 01 75 00 00000002"));  // SIGNATURE replaced by a second REPLY_SERIAL
    CHECK(parse_code(b) == Errc::Parse);
  }
  SECTION("non-zero padding") {
    std::string b = kReturnBig;
    b[31] = 1;
    CHECK(parse_code(b) == Errc::Parse);
  }
  SECTION("string without its nul terminator") {
    std::string b = kReturnBig;
    b[38] = 'x';
    CHECK(parse_code(b) == Errc::Parse);
  }
  SECTION("string with an inner nul") {
    std::string b = kReturnBig;
    b[36] = 0;
    CHECK(parse_code(b) == Errc::Parse);
  }
  SECTION("string with invalid utf-8") {
    std::string b = kReturnBig;
    b[36] = static_cast<char>(0xC0);
    CHECK(parse_code(b) == Errc::Parse);
  }
  SECTION("string length past the end") {
    std::string b = kReturnBig;
    b[35] = 9;
    CHECK(parse_code(b) == Errc::Truncated);
  }
  SECTION("invalid body signature") {
    std::string b = kReturnBig;
    b[29] = '(';
    CHECK(parse_code(b) == Errc::Parse);
  }
  SECTION("body longer than its signature") {
    std::vector<Value> body;
    body.push_back(Value::byte(1));
    const std::string ok = serialize(reply_with(std::move(body)));
    CHECK(parse_code(with_body(ok, 1, std::string("\x01\x02", 2))) == Errc::Parse);
  }
  SECTION("boolean that is neither 0 nor 1") {
    std::vector<Value> body;
    body.push_back(Value::boolean(true));
    std::string b = serialize(reply_with(std::move(body)));
    b[b.size() - 4] = 2;
    CHECK(parse_code(b) == Errc::Parse);
  }
  SECTION("invalid object path") {
    std::vector<Value> body;
    body.push_back(Value::object_path("/a/b"));
    std::string b = serialize(reply_with(std::move(body)));
    b[b.size() - 2] = '/';  // "/a/b" becomes "/a//": empty element
    CHECK(parse_code(b) == Errc::Parse);
  }
  SECTION("array element crossing the array end") {
    std::vector<Value> ints;
    ints.push_back(Value::int32(1));
    ints.push_back(Value::int32(2));
    std::vector<Value> body;
    body.push_back(Value::array("i", std::move(ints)));
    std::string b = serialize(reply_with(std::move(body)));
    set_u32_le(b, b.size() - 12, 6);
    CHECK(parse_code(b) == Errc::Parse);
  }
  SECTION("variants nested deeper than the limit") {
    std::vector<Value> body;
    body.push_back(Value::variant(Value::byte(5)));
    const std::string ok = serialize(reply_with(std::move(body)));
    std::string deep;
    for (int i = 0; i < 40; ++i) deep += std::string("\x01v\x00", 3);
    deep += std::string("\x01y\x00\x05", 4);
    CHECK(parse_code(with_body(ok, 4, deep)) == Errc::TooLarge);
  }
  SECTION("variant signature with two types") {
    std::vector<Value> body;
    body.push_back(Value::variant(Value::byte(5)));
    const std::string ok = serialize(reply_with(std::move(body)));
    CHECK(parse_code(with_body(ok, 4, std::string("\x02yy\x00\x05\x05", 6))) == Errc::Parse);
  }
  SECTION("unix fds are refused") {
    Message m = reply_with({});
    m.num_unix_fds = 1;
    CHECK(parse_code(serialize(m)) == Errc::Unsupported);
  }
}

TEST_CASE("message: too many values are refused", "[dbus][error]") {
  std::vector<Value> bytes_as_structs;
  for (int i = 0; i < 70000; ++i) bytes_as_structs.push_back(Value::boolean(false));
  std::vector<Value> body;
  body.push_back(Value::array("b", std::move(bytes_as_structs)));
  const std::string b = serialize(reply_with(std::move(body)));
  CHECK(parse_code(b) == Errc::TooLarge);
}

TEST_CASE("message: mutants never crash the parser", "[dbus][mutation]") {
  std::vector<Value> body;
  std::vector<Value> secret;
  secret.push_back(Value::object_path("/s"));
  secret.push_back(Value::bytes(secure::SecretBytes()));
  secret.push_back(Value::bytes(secure::SecretBytes::copy_of(as_bytes("x"))));
  secret.push_back(Value::string("text/plain"));
  body.push_back(Value::structure(std::move(secret)));
  body.push_back(Value::variant(Value::array("s", {})));
  const std::string with_secret = serialize(reply_with(std::move(body)));
  std::size_t num_ok = 0;
  for (const std::string& valid : {kHello, kReturnBig, with_secret}) {
    av::testing::for_each_mutation(valid, [&](const std::string& mutant) {
      auto m = parse_message(as_bytes(mutant));
      if (m.has_value()) {
        ++num_ok;
        CHECK(serialize_message(*m).has_value());
      }
    });
  }
  CHECK(num_ok > 0);  // flips in names and flags still parse
}

}  // namespace av::dbus
