#include <catch2/catch.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "net/http_message.h"
#include "support/mutation.h"

namespace av::net {
namespace {

struct Parsed {
  std::optional<Errc> error;
  bool done = false;
  bool keep_alive = false;
  std::size_t consumed = 0;
  int status = 0;
  std::string reason;
  std::vector<Header> headers;
  std::string body;
};

// parse feeds `input` in pieces of the given sizes (the rest at once), then signals EOF when
// `eof` and the response is not complete.
Parsed parse(std::string_view input, const std::vector<std::size_t>& splits = {},
             bool head_request = false, ResponseLimits limits = {}, bool eof = true) {
  ResponseParser parser(limits, head_request);
  Parsed out;
  std::size_t pos = 0;
  std::size_t split_index = 0;
  while (pos < input.size() && !parser.done()) {
    std::size_t len = input.size() - pos;
    if (split_index < splits.size())
      len = std::min(len, std::max<std::size_t>(1, splits[split_index++]));
    auto used = parser.feed(as_bytes(input.substr(pos, len)));
    if (!used) {
      out.error = used.error().code();
      return out;
    }
    REQUIRE((*used == len || parser.done()));
    pos += *used;
  }
  out.consumed = pos;
  if (!parser.done() && eof) {
    auto finished = parser.finish();
    if (!finished) {
      out.error = finished.error().code();
      return out;
    }
  }
  out.done = parser.done();
  if (!out.done) return out;
  out.keep_alive = parser.keep_alive();
  Response response = parser.take();
  out.status = response.status;
  out.reason = response.reason;
  out.headers = response.headers;
  out.body = std::string(as_chars(response.body.reveal()));
  return out;
}

std::vector<std::size_t> bytewise(std::string_view text) {
  return std::vector<std::size_t>(text.size(), 1);
}

constexpr std::string_view kSimple =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/xml\r\n"
    "x-amzn-RequestId:   abc  \r\n"
    "Content-Length: 11\r\n"
    "\r\n"
    "<xml>k</xml>";  // one byte more than Content-Length: belongs to the next response

constexpr std::string_view kChunked =
    "HTTP/1.1 200 OK\r\n"
    "Transfer-Encoding: chunked\r\n"
    "\r\n"
    "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n";

}  // namespace

TEST_CASE("ResponseParser: Content-Length response with headers", "[net][vector]") {
  const Parsed out = parse(kSimple);
  REQUIRE(out.done);
  CHECK(out.status == 200);
  CHECK(out.reason == "OK");
  CHECK(out.body == "<xml>k</xml");
  CHECK(out.consumed == kSimple.size() - 1);
  CHECK(out.keep_alive);
  REQUIRE(out.headers.size() == 3);
  CHECK(out.headers[1].name == "x-amzn-RequestId");
  CHECK(out.headers[1].value == "abc");
  CHECK(find_header(out.headers, "X-AMZN-REQUESTID") == "abc");
  CHECK_FALSE(find_header(out.headers, "Missing"));
}

TEST_CASE("ResponseParser: chunked response", "[net][vector]") {
  const Parsed out = parse(kChunked);
  REQUIRE(out.done);
  CHECK(out.body == "hello world");
  CHECK(out.keep_alive);
  CHECK(out.consumed == kChunked.size());
}

TEST_CASE("ResponseParser: byte-by-byte and random splits give the same response",
          "[net][vector]") {
  for (const std::string_view input : {kSimple, kChunked}) {
    const Parsed whole = parse(input);
    const Parsed bytes = parse(input, bytewise(input));
    CHECK(bytes.body == whole.body);
    CHECK(bytes.consumed == whole.consumed);
    std::mt19937 rng(99);
    for (int round = 0; round < 100; ++round) {
      std::vector<std::size_t> splits;
      for (int i = 0; i < 40; ++i)
        splits.push_back(std::uniform_int_distribution<std::size_t>(1, 17)(rng));
      const Parsed out = parse(input, splits);
      CHECK(out.body == whole.body);
      CHECK(out.consumed == whole.consumed);
      CHECK(out.headers.size() == whole.headers.size());
    }
  }
}

TEST_CASE("ResponseParser: keep-alive leaves the next response's bytes unread", "[net][vector]") {
  const std::string first = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
  const std::string second = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
  const std::string both = first + second;
  ResponseParser parser;
  auto used = parser.feed(as_bytes(both));
  REQUIRE(used);
  CHECK(*used == first.size());
  REQUIRE(parser.done());
  CHECK(parser.keep_alive());
  CHECK(parser.feed(as_bytes(both)).value() == 0);  // a finished parser takes nothing more
  ResponseParser next;
  auto used2 = next.feed(as_bytes(std::string_view(both).substr(*used)));
  REQUIRE(used2);
  CHECK(*used2 == second.size());
  REQUIRE(next.done());
  CHECK(next.take().status == 404);
}

TEST_CASE("ResponseParser: body until close", "[net][vector]") {
  const Parsed out = parse("HTTP/1.1 200 OK\r\n\r\nall of this");
  REQUIRE(out.done);
  CHECK(out.body == "all of this");
  CHECK_FALSE(out.keep_alive);
  const Parsed not_finished = parse("HTTP/1.1 200 OK\r\n\r\nabc", {}, false, {}, false);
  CHECK_FALSE(not_finished.done);
  std::string big(10000, 'z');
  const Parsed grown = parse("HTTP/1.0 200 OK\r\n\r\n" + big, bytewise(big));
  CHECK(grown.body == big);
}

TEST_CASE("ResponseParser: 1xx interim responses are skipped", "[net][vector]") {
  const Parsed out = parse(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
  REQUIRE(out.done);
  CHECK(out.status == 201);
  CHECK(out.body == "ok");
  REQUIRE(out.headers.size() == 1);
}

TEST_CASE("ResponseParser: HEAD, 204 and 304 responses have no body", "[net][vector]") {
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
  const Parsed out = parse(head + "HTTP/1.1", {}, true);
  REQUIRE(out.done);
  CHECK(out.body.empty());
  CHECK(out.consumed == head.size());
  for (const char* status : {"204 No Content", "304 Not Modified"}) {
    const std::string text = std::string("HTTP/1.1 ") + status + "\r\nContent-Length: 5\r\n\r\n";
    const Parsed r = parse(text + "next");
    REQUIRE(r.done);
    CHECK(r.body.empty());
    CHECK(r.consumed == text.size());
  }
}

TEST_CASE("ResponseParser: Connection and HTTP/1.0 keep-alive rules", "[net][vector]") {
  CHECK_FALSE(
      parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").keep_alive);
  CHECK_FALSE(parse("HTTP/1.1 200 OK\r\nConnection: Keep-Alive, CLOSE\r\nContent-Length: 0\r\n\r\n")
                  .keep_alive);
  CHECK_FALSE(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keep_alive);
  CHECK(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").keep_alive);
  CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").keep_alive);
}

TEST_CASE("ResponseParser: chunked wins over Content-Length and closes the connection",
          "[net][vector]") {
  const Parsed out = parse(
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: "
      "Chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n");
  REQUIRE(out.done);
  CHECK(out.body == "hi");
  CHECK_FALSE(out.keep_alive);
}

TEST_CASE("ResponseParser: repeated Content-Length values that agree are accepted",
          "[net][vector]") {
  CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab").body == "ab");
  CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nab").body == "ab");
  CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 002\r\n\r\nab").body == "ab");
  CHECK(parse("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n").reason.empty());
  CHECK(parse("HTTP/1.1 500 \r\nContent-Length: 0\r\n\r\n").status == 500);
}

TEST_CASE("ResponseParser: each malformed head is a parse error", "[net][error]") {
  const char* bad[] = {
      "HTTP/2 200 OK\r\n\r\n",
      "HTTP/1.1 20 OK\r\n\r\n",
      "HTTP/1.1 2000 OK\r\n\r\n",
      "HTTP/1.1 099 OK\r\n\r\n",
      "HTTP/1.1  200 OK\r\n\r\n",
      "HTTP/1.1 200OK\r\n\r\n",
      "http/1.1 200 OK\r\n\r\n",
      "HTTP/1.1 200 O\x01K\r\n\r\n",
      "\r\nHTTP/1.1 200 OK\r\n\r\n",
      "HTTP/1.1 200 OK\nContent-Length: 0\n\n",
      "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX: a\r\n folded\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX : a\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\n: a\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX: a\x7f\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
      "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nab",
      "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\na",
      "HTTP/1.1 200 OK\r\nContent-Length: 0x1\r\n\r\na",
      "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
  };
  for (const char* text : bad) {
    CAPTURE(text);
    const Parsed out = parse(text);
    REQUIRE(out.error);
    CHECK(*out.error == Errc::Parse);
  }
  std::string nul = "HTTP/1.1 200 OK\r\nX: a";
  nul.push_back('\0');
  nul += "\r\n\r\n";
  CHECK(parse(nul).error == Errc::Parse);
}

TEST_CASE("ResponseParser: other transfer codings and 101 are unsupported", "[net][error]") {
  for (const char* text :
       {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"}) {
    CAPTURE(text);
    CHECK(parse(text).error == Errc::Unsupported);
  }
}

TEST_CASE("ResponseParser: limits are too large", "[net][error]") {
  ResponseLimits small;
  small.max_header_bytes = 64;
  small.max_headers = 2;
  small.max_body_bytes = 4;
  CHECK(parse("HTTP/1.1 200 OK\r\nX-Long: " + std::string(100, 'a') + "\r\n\r\n", {}, false, small)
            .error == Errc::TooLarge);
  CHECK(parse("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", {}, false, small).error ==
        Errc::TooLarge);
  CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", {}, false, small).error ==
        Errc::TooLarge);
  CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nhell", {}, false, small).body == "hell");
  CHECK(parse("HTTP/1.1 200 OK\r\n\r\nhello", {}, false, small).error == Errc::TooLarge);
  CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", {},
              false, small)
            .error == Errc::TooLarge);
  CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n").error ==
        Errc::TooLarge);
  std::string interim;
  for (int i = 0; i < 6; ++i) interim += "HTTP/1.1 100 Continue\r\n\r\n";
  CHECK(parse(interim + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").error == Errc::TooLarge);
}

TEST_CASE("ResponseParser: EOF before the end is truncated", "[net][error]") {
  CHECK(parse("").error == Errc::Truncated);
  CHECK(parse("HTTP/1.1 200 OK\r\nContent-Len").error == Errc::Truncated);
  CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc").error == Errc::Truncated);
  CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n").error ==
        Errc::Truncated);
}

TEST_CASE("ResponseParser: a failed parser stays failed", "[net][error]") {
  ResponseParser parser;
  CHECK_FALSE(parser.feed(as_bytes("HTTP/9 200\r\n\r\n")));
  CHECK(parser.feed(as_bytes("HTTP/1.1 200 OK\r\n\r\n")).error().code() == Errc::Parse);
  CHECK_FALSE(parser.finish());
  CHECK_FALSE(parser.done());
  CHECK_FALSE(parser.keep_alive());
}

TEST_CASE("ResponseParser: mutations never crash; splitting never changes the outcome",
          "[net][mutation]") {
  for (const std::string_view valid : {kSimple, kChunked}) {
    av::testing::for_each_mutation(valid, [](const std::string& text) {
      const Parsed whole = parse(text);
      const Parsed bytes = parse(text, bytewise(text));
      CHECK(bytes.error == whole.error);
      CHECK(bytes.body == whole.body);
      CHECK(bytes.consumed == whole.consumed);
      CHECK(whole.body.size() <= text.size());
    });
  }
}

}  // namespace av::net
