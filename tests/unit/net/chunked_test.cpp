#include "net/chunked.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "base/limits.h"
#include "support/mutation.h"

namespace av::net {
namespace {

struct Decoded {
  std::string body;
  std::size_t consumed = 0;
  bool done = false;
  std::optional<Errc> error;
};

// decode feeds `input` in pieces of the given sizes (the rest in one piece at the end).
Decoded decode(std::string_view input, const std::vector<std::size_t>& splits = {},
               std::size_t max_body = limits::kMaxHttpBodyBytes) {
  ChunkedDecoder decoder(max_body);
  Decoded out;
  std::size_t pos = 0;
  std::size_t split_index = 0;
  while (pos < input.size() && !decoder.done()) {
    std::size_t len = input.size() - pos;
    if (split_index < splits.size())
      len = std::min(len, std::max<std::size_t>(1, splits[split_index++]));
    ByteSpan piece = as_bytes(input.substr(pos, len));
    while (!piece.empty() && !decoder.done()) {
      auto step = decoder.step(piece);
      if (!step) {
        out.error = step.error().code();
        return out;
      }
      REQUIRE(step->consumed > 0);
      out.body += std::string(as_chars(step->data));
      piece = piece.subspan(step->consumed);
      pos += step->consumed;
    }
  }
  out.consumed = pos;
  out.done = decoder.done();
  return out;
}

// The classic example of the chunked coding from Wikipedia's "Chunked transfer encoding" article.
constexpr std::string_view kWiki = "4\r\nWiki\r\n7\r\npedia i\r\nB\r\nn \r\nchunks.\r\n0\r\n\r\n";

}  // namespace

TEST_CASE("ChunkedDecoder: decodes the classic example", "[net][vector]") {
  const Decoded out = decode(kWiki);
  CHECK(out.done);
  CHECK(out.body == "Wikipedia in \r\nchunks.");
  CHECK(out.consumed == kWiki.size());
}

TEST_CASE("ChunkedDecoder: byte-by-byte and random splits give the same result", "[net][vector]") {
  const Decoded whole = decode(kWiki);
  const Decoded bytewise = decode(kWiki, std::vector<std::size_t>(kWiki.size(), 1));
  CHECK(bytewise.body == whole.body);
  CHECK(bytewise.done);
  std::mt19937 rng(1234);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::size_t> splits;
    for (int i = 0; i < 20; ++i)
      splits.push_back(std::uniform_int_distribution<std::size_t>(1, 9)(rng));
    const Decoded out = decode(kWiki, splits);
    CHECK(out.body == whole.body);
    CHECK(out.done);
  }
}

TEST_CASE("ChunkedDecoder: extensions, trailers, upper-case hex and leading zeros",
          "[net][vector]") {
  const Decoded out =
      decode("0a;name=value;x\r\n0123456789\r\n0 ; last\r\nX-Trailer: 1\r\nY: 2\r\n\r\n");
  CHECK(out.done);
  CHECK(out.body == "0123456789");
  CHECK(decode("A\r\n0123456789\r\n0\r\n\r\n").body == "0123456789");
}

TEST_CASE("ChunkedDecoder: stops after the final CRLF, leaving the next message", "[net][vector]") {
  const std::string input = std::string(kWiki) + "HTTP/1.1 200 OK\r\n";
  const Decoded out = decode(input);
  CHECK(out.done);
  CHECK(out.consumed == kWiki.size());
}

TEST_CASE("ChunkedDecoder: each framing error is a parse error", "[net][error]") {
  const char* bad[] = {
      "\r\n",                         // missing size
      "x\r\n",                        // not hex
      "-1\r\n",                       // sign
      "4 x\r\nWiki\r\n0\r\n\r\n",     // junk after size
      "4\nWiki\r\n0\r\n\r\n",         // bare LF
      "4\r\r\nWiki\r\n0\r\n\r\n",     // bare CR
      "4;\x01\r\nWiki\r\n0\r\n\r\n",  // control in extension
      "4\r\nWikiX\r\n0\r\n\r\n",      // data longer than size
      "4\r\nWiki\rX0\r\n\r\n",        // CR not followed by LF
      "0\r\n folded\r\n\r\n",         // obs-fold in trailer
      "0\r\nno-colon\r\n\r\n",        // trailer without ':'
      "0\r\n: no name\r\n\r\n",       // trailer without name
  };
  for (const char* text : bad) {
    CAPTURE(text);
    const Decoded out = decode(text);
    REQUIRE(out.error);
    CHECK(*out.error == Errc::Parse);
  }
}

TEST_CASE("ChunkedDecoder: size overflow and limits are too large", "[net][error]") {
  CHECK(decode("ffffffffffffffffff\r\n").error == Errc::TooLarge);
  CHECK(decode("10000000000000000\r\n").error == Errc::TooLarge);
  CHECK(decode("5\r\nhello\r\n1\r\n!\r\n0\r\n\r\n", {}, 5).error == Errc::TooLarge);
  CHECK(decode("5\r\nhello\r\n0\r\n\r\n", {}, 5).done);
  const std::string long_line = "1;" + std::string(limits::kMaxHttpChunkLineBytes, 'x') + "\r\n";
  CHECK(decode(long_line).error == Errc::TooLarge);
  std::string trailers = "0\r\n";
  while (trailers.size() < limits::kMaxHttpTrailerBytes + 100)
    trailers += "X-Pad: 0123456789abcdef\r\n";
  CHECK(decode(trailers + "\r\n").error == Errc::TooLarge);
}

TEST_CASE("ChunkedDecoder: a failed decoder stays failed", "[net][error]") {
  ChunkedDecoder decoder;
  CHECK_FALSE(decoder.step(as_bytes("zz\r\n")));
  auto again = decoder.step(as_bytes("0\r\n\r\n"));
  REQUIRE_FALSE(again);
  CHECK(again.error().code() == Errc::Parse);
}

TEST_CASE("ChunkedDecoder: mutations never crash and output stays bounded", "[net][mutation]") {
  av::testing::for_each_mutation(kWiki, [](const std::string& text) {
    const Decoded out = decode(text);
    CHECK(out.body.size() <= text.size());
    const Decoded bytewise = decode(text, std::vector<std::size_t>(text.size(), 1));
    CHECK(bytewise.body == out.body);
    CHECK(bytewise.error == out.error);
  });
}

}  // namespace av::net
