#include "platform/line_editor.h"

#include <catch2/catch.hpp>
#include <string>

namespace av::platform {
namespace {

struct Run {
  std::string echo;
  Result<secure::SecretString> line = Error(Errc::Internal, "not finished");
};

// run feeds `input` to a fresh editor, collecting the echo, until Done or an error.
Run run(std::string_view input, Echo mode, std::size_t max_len = 1024) {
  LineEditor editor(mode, max_len);
  Run out;
  for (char c : input) {
    auto status = editor.feed(static_cast<std::uint8_t>(c));
    if (!status) {
      out.line = std::move(status).error();
      return out;
    }
    out.echo.append(editor.echo());
    if (*status == LineStatus::Done) {
      out.line = editor.take_line();
      return out;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("LineEditor: echoes printable characters and ends at CR", "[platform][vector]") {
  auto r = run("abc\rxyz", Echo::Visible);
  CHECK(r.echo == "abc");
  REQUIRE(r.line.has_value());
  CHECK(r.line->reveal() == "abc");
}

TEST_CASE("LineEditor: LF also ends the line", "[platform][vector]") {
  auto r = run("ab\n", Echo::Visible);
  CHECK(r.line->reveal() == "ab");
}

TEST_CASE("LineEditor: masked echo prints one star per character", "[platform][vector]") {
  auto r = run("s3\xc3\xa9t\r", Echo::Masked);  // "s3ét": 4 characters, 5 bytes
  CHECK(r.echo == "****");
  CHECK(r.line->reveal() == "s3\xc3\xa9t");
}

TEST_CASE("LineEditor: backspace and DEL erase with \\b \\b", "[platform][vector]") {
  auto r = run("abx\x7f" "c\x08\x08" "d\r", Echo::Visible);
  CHECK(r.echo == "abx\b \bc\b \b\b \bd");
  CHECK(r.line->reveal() == "ad");
  auto empty = run("\x7f\x08z\r", Echo::Masked);
  CHECK(empty.echo == "*");
  CHECK(empty.line->reveal() == "z");
  auto utf8 = run("a\xc3\xa9\x7f\r", Echo::Masked);
  CHECK(utf8.line->reveal() == "a");
}

TEST_CASE("LineEditor: other control characters are ignored", "[platform][vector]") {
  auto r = run("a\x01\x1b\x04\tb\r", Echo::Visible);
  CHECK(r.echo == "ab");
  CHECK(r.line->reveal() == "ab");
}

TEST_CASE("LineEditor: the result is whitespace-trimmed", "[platform][vector]") {
  auto r = run("  AKIA 123  \r", Echo::Visible);
  CHECK(r.echo == "  AKIA 123  ");
  CHECK(r.line->reveal() == "AKIA 123");
}

TEST_CASE("LineEditor: over the limit is TooLarge, Ctrl-C is Cancelled", "[platform][error]") {
  auto exact = run("abcd\r", Echo::Visible, 4);
  CHECK(exact.line->reveal() == "abcd");
  auto big = run("abcde\r", Echo::Visible, 4);
  REQUIRE_FALSE(big.line.has_value());
  CHECK(big.line.error().code() == Errc::TooLarge);
  auto erased = run("abcd\x7f" "e\r", Echo::Visible, 4);
  CHECK(erased.line->reveal() == "abce");
  auto cancelled = run("ab\x03", Echo::Visible);
  CHECK(cancelled.line.error().code() == Errc::Cancelled);
}

}  // namespace av::platform
