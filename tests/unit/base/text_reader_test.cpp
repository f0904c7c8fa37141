#include "base/text_reader.h"

#include <catch2/catch.hpp>
#include <string>

namespace av {

TEST_CASE("TextReader: read_line handles LF, CRLF and a final unterminated line", "[base][vector]") {
  TextReader reader("one\r\ntwo\nthree");
  CHECK(*reader.read_line(100) == "one");
  CHECK(*reader.read_line(100) == "two");
  CHECK(*reader.read_line(100) == "three");
  CHECK(reader.empty());
  CHECK(reader.read_line(100).error().code() == Errc::Truncated);
}

TEST_CASE("TextReader: read_line rejects bare CR, NUL and long lines", "[base][error]") {
  TextReader cr("a\rb\n");
  CHECK(cr.read_line(100).error().code() == Errc::Parse);
  CHECK(cr.offset() == 0);
  TextReader nul(std::string_view("a\0b\n", 4));
  CHECK(nul.read_line(100).error().code() == Errc::Parse);
  TextReader longline("abcdef\n");
  CHECK(longline.read_line(5).error().code() == Errc::TooLarge);
  CHECK(*longline.read_line(6) == "abcdef");
  TextReader trailing_cr("abc\r");
  CHECK(trailing_cr.read_line(10).error().code() == Errc::Parse);
}

TEST_CASE("TextReader: read_until consumes the delimiter", "[base]") {
  TextReader reader("key=value");
  CHECK(*reader.read_until('=', 10) == "key");
  CHECK(reader.rest() == "value");
  CHECK(reader.read_until('=', 10).error().code() == Errc::Truncated);
  TextReader too_long("abcdefgh=1");
  CHECK(too_long.read_until('=', 4).error().code() == Errc::TooLarge);
  CHECK(too_long.offset() == 0);
  TextReader exact("abcd=1");
  CHECK(*exact.read_until('=', 4) == "abcd");
}

TEST_CASE("TextReader: read_uint is strict", "[base][error]") {
  TextReader good("12345x");
  CHECK(*good.read_uint(99999) == 12345);
  CHECK(good.rest() == "x");
  TextReader zero("0");
  CHECK(*zero.read_uint(10) == 0);
  TextReader leading("007");
  CHECK(leading.read_uint(1000).error().code() == Errc::Parse);
  CHECK(*leading.read_uint(1000, LeadingZeros::Allow) == 7);
  TextReader big("1001");
  CHECK(big.read_uint(1000).error().code() == Errc::TooLarge);
  CHECK(big.offset() == 0);
  TextReader huge("99999999999999999999999");
  CHECK(huge.read_uint(UINT64_MAX).error().code() == Errc::TooLarge);
  TextReader sign("+1");
  CHECK(sign.read_uint(10).error().code() == Errc::Parse);
  TextReader empty("");
  CHECK(empty.read_uint(10).error().code() == Errc::Parse);
}

TEST_CASE("TextReader: literals, chars and read_while", "[base]") {
  TextReader reader("[profile x]");
  CHECK_FALSE(reader.consume_literal("[default"));
  CHECK(reader.expect_literal("[profile ").has_value());
  CHECK(reader.read_while([](char c) { return c != ']'; }) == "x");
  CHECK(reader.consume_if(']'));
  CHECK(reader.expect_end().has_value());
  TextReader partial("ab");
  CHECK(partial.expect_literal("abc").error().code() == Errc::Truncated);
  CHECK(partial.expect_literal("x").error().code() == Errc::Parse);
  CHECK(*partial.peek() == 'a');
  CHECK(*partial.read_exact(2) == "ab");
  CHECK(partial.read_char().error().code() == Errc::Truncated);
  TextReader rest("x");
  CHECK(rest.expect_end().error().code() == Errc::Parse);
}

}  // namespace av
