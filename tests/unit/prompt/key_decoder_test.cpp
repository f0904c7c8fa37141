// Tests for prompt::KeyDecoder: every sequence it knows, truncated escapes and garbage.
#include "prompt/key_decoder.h"

#include <catch2/catch.hpp>
#include <string_view>
#include <vector>

namespace av::prompt {
namespace {

std::vector<Key> decode(std::string_view bytes) {
  KeyDecoder decoder;
  std::vector<Key> keys;
  for (char c : bytes) {
    if (auto key = decoder.feed(static_cast<std::uint8_t>(c))) keys.push_back(*key);
  }
  return keys;
}

Key k(KeyKind kind) { return Key{kind, 0}; }
Key ch(char c) { return Key{KeyKind::Char, static_cast<std::uint8_t>(c)}; }

TEST_CASE("arrow keys decode in both CSI and SS3 forms", "[prompt][vector]") {
  CHECK(decode("\x1b[A") == std::vector<Key>{k(KeyKind::Up)});
  CHECK(decode("\x1b[B") == std::vector<Key>{k(KeyKind::Down)});
  CHECK(decode("\x1bOA") == std::vector<Key>{k(KeyKind::Up)});
  CHECK(decode("\x1bOB") == std::vector<Key>{k(KeyKind::Down)});
}

TEST_CASE("enter, backspace and ctrl-c decode from their control bytes", "[prompt][vector]") {
  CHECK(decode("\r\n") == std::vector<Key>{k(KeyKind::Enter), k(KeyKind::Enter)});
  CHECK(decode("\x7f\b") == std::vector<Key>{k(KeyKind::Backspace), k(KeyKind::Backspace)});
  CHECK(decode("\x03") == std::vector<Key>{k(KeyKind::Interrupt)});
}

TEST_CASE("printable ascii and utf-8 bytes are characters", "[prompt][vector]") {
  CHECK(decode(" a~") == std::vector<Key>{ch(' '), ch('a'), ch('~')});
  CHECK(decode("\xc3\xa9") == std::vector<Key>{ch('\xc3'), ch('\xa9')});
}

TEST_CASE("other control bytes are ignored", "[prompt][error]") {
  CHECK(decode(std::string_view("\x00\x01\x02\x04\x07\t\x1f", 7)).empty());
}

TEST_CASE("unknown or parameterised escape sequences are dropped whole", "[prompt][error]") {
  CHECK(decode("\x1b[C\x1b[D\x1b[1;5A\x1b[3~\x1bOP").empty());
  CHECK(decode("\x1b[1;5Ax") == std::vector<Key>{ch('x')});
}

TEST_CASE("esc followed by an ordinary byte decodes that byte afresh", "[prompt][error]") {
  CHECK(decode("\x1bx") == std::vector<Key>{ch('x')});
  CHECK(decode("\x1b\r") == std::vector<Key>{k(KeyKind::Enter)});
  CHECK(decode("\x1b\x1b[A") == std::vector<Key>{k(KeyKind::Up)});
}

TEST_CASE("a control byte inside a csi sequence ends it and is decoded", "[prompt][error]") {
  CHECK(decode("\x1b[\r") == std::vector<Key>{k(KeyKind::Enter)});
  CHECK(decode("\x1b[1\x03") == std::vector<Key>{k(KeyKind::Interrupt)});
}

TEST_CASE("a truncated escape yields nothing and the decoder recovers", "[prompt][error]") {
  KeyDecoder decoder;
  CHECK_FALSE(decoder.feed(0x1b));
  CHECK_FALSE(decoder.feed('['));
  auto key = decoder.feed('B');
  REQUIRE(key);
  CHECK(*key == k(KeyKind::Down));
  CHECK(decode("\x1b").empty());
  CHECK(decode("\x1b[").empty());
  CHECK(decode("\x1bO").empty());
}

TEST_CASE("an overlong escape sequence is abandoned after the bound", "[prompt][error]") {
  std::string bytes = "\x1b[";
  bytes.append(KeyDecoder::kMaxEscapeBytes, '1');
  bytes += "Aq";
  // The sequence is cut at the bound; what follows decodes as ordinary input.
  auto keys = decode(bytes);
  REQUIRE_FALSE(keys.empty());
  CHECK(keys.back() == ch('q'));
  for (const Key& key : keys) CHECK(key.kind == KeyKind::Char);
}

TEST_CASE("garbage bytes never produce arrows", "[prompt][mutation]") {
  for (int first = 0; first < 256; ++first) {
    for (int second = 0; second < 256; ++second) {
      if (first == 0x1b) continue;
      std::string bytes{static_cast<char>(first), static_cast<char>(second)};
      for (const Key& key : decode(bytes)) {
        CHECK(key.kind != KeyKind::Up);
        CHECK(key.kind != KeyKind::Down);
      }
    }
  }
}

}  // namespace
}  // namespace av::prompt
