// request_parser_test.cpp: parse_request against RFC 9112 vectors, one test per refusal (with
// its status), prefixes (need_more only for valid prefixes), and deterministic mutations.
#include "server/request_parser.h"

#include <catch2/catch.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "support/mutation.h"

namespace av::server {
namespace {

ParseOutcome parse(std::string_view text, std::vector<HeaderView>& headers,
                   const RequestLimits& limits = {}) {
  return parse_request(as_bytes(text), limits, headers);
}

// failure_status parses `text` and returns the failure status (0 when it did not fail).
int failure_status(std::string_view text, const RequestLimits& limits = {}) {
  std::vector<HeaderView> headers;
  const ParseOutcome out = parse(text, headers, limits);
  return out.failure ? out.failure->status : 0;
}

constexpr std::string_view kSimple =
    "GET /v2/credentials?x=1 HTTP/1.1\r\n"
    "Host: 127.0.0.1:8080\r\n"
    "Authorization:   token-value \t\r\n"
    "User-Agent: aws-sdk-go/1.0\r\n"
    "\r\n";

}  // namespace

TEST_CASE("parse_request: a simple GET with headers", "[server][vector]") {
  std::vector<HeaderView> headers;
  const ParseOutcome out = parse(kSimple, headers);
  REQUIRE(out.parsed);
  CHECK_FALSE(out.need_more);
  CHECK_FALSE(out.failure);
  const RequestView& r = out.parsed->request;
  CHECK(r.method == "GET");
  CHECK(r.target == "/v2/credentials?x=1");
  CHECK(r.path() == "/v2/credentials");
  CHECK(r.minor_version == 1);
  REQUIRE(r.headers.size() == 3);
  CHECK(r.headers[1].name == "Authorization");
  CHECK(r.headers[1].value == "token-value");
  CHECK(r.header("authorization") == std::optional<std::string_view>("token-value"));
  CHECK(r.header("HOST") == std::optional<std::string_view>("127.0.0.1:8080"));
  CHECK_FALSE(r.header("X-Missing"));
  CHECK(r.body.empty());
  CHECK(out.parsed->consumed == kSimple.size());
  CHECK(out.parsed->keep_alive);
}

TEST_CASE("parse_request: keep-alive rules for HTTP/1.0 and HTTP/1.1", "[server][vector]") {
  using Row = std::tuple<const char*, std::string, bool>;
  auto [name, text, keep] = GENERATE(table<const char*, std::string, bool>({
      Row{"1.1 default", "GET / HTTP/1.1\r\nHost: h\r\n\r\n", true},
      Row{"1.1 close", "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", false},
      Row{"1.1 list close", "GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, CLOSE\r\n\r\n", false},
      Row{"1.0 default", "GET / HTTP/1.0\r\n\r\n", false},
      Row{"1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true},
      Row{"1.0 both", "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false},
  }));
  CAPTURE(name);
  std::vector<HeaderView> headers;
  const ParseOutcome out = parse(text, headers);
  REQUIRE(out.parsed);
  CHECK(out.parsed->keep_alive == keep);
  CHECK(out.parsed->request.minor_version == (text.find("HTTP/1.0") != std::string::npos ? 0 : 1));
}

TEST_CASE("parse_request: Content-Length body and pipelined requests", "[server][vector]") {
  const std::string first = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello";
  const std::string second = "GET /b HTTP/1.1\r\nHost: h\r\n\r\n";
  const std::string both = first + second;
  std::vector<HeaderView> headers;
  ParseOutcome out = parse(both, headers);
  REQUIRE(out.parsed);
  CHECK(as_chars(out.parsed->request.body) == "hello");
  CHECK(out.parsed->consumed == first.size());
  out = parse(std::string_view(both).substr(first.size()), headers);
  REQUIRE(out.parsed);
  CHECK(out.parsed->request.target == "/b");
  CHECK(out.parsed->consumed == second.size());
}

TEST_CASE("parse_request: missing body bytes report the size needed", "[server][vector]") {
  const std::string text = "PUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc";
  std::vector<HeaderView> headers;
  const ParseOutcome out = parse(text, headers);
  CHECK(out.need_more);
  CHECK(out.need_bytes == text.size() - 3 + 10);
  const ParseOutcome head_only = parse("GET / HTTP/1.1\r\nHo", headers);
  CHECK(head_only.need_more);
  CHECK(head_only.need_bytes == 0);
}

TEST_CASE("parse_request: bare LF line ends, leading empty lines, Expect: 100-continue",
          "[server][vector]") {
  std::vector<HeaderView> headers;
  const std::string lf = "GET /lf HTTP/1.1\nHost: h\nX-A: 1\n\n";
  ParseOutcome out = parse(lf, headers);
  REQUIRE(out.parsed);
  CHECK(out.parsed->consumed == lf.size());
  CHECK(out.parsed->request.header("x-a") == std::optional<std::string_view>("1"));

  const std::string lead = "\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n";
  out = parse(lead, headers);
  REQUIRE(out.parsed);
  CHECK(out.parsed->consumed == lead.size());

  out = parse("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx",
              headers);
  REQUIRE(out.parsed);
  CHECK(as_chars(out.parsed->request.body) == "x");
}

TEST_CASE("parse_request: every strict prefix of a valid request needs more", "[server][vector]") {
  const std::string text = std::string(kSimple);
  std::vector<HeaderView> headers;
  for (std::size_t len = 0; len < text.size(); ++len) {
    CAPTURE(len);
    const ParseOutcome out = parse(std::string_view(text).substr(0, len), headers);
    CHECK(out.need_more);
    CHECK_FALSE(out.failure);
    CHECK_FALSE(out.parsed);
  }
}

TEST_CASE("parse_request: each refusal has its status", "[server][error]") {
  using Row = std::tuple<const char*, std::string, int>;
  auto [name, text, status] = GENERATE(table<const char*, std::string, int>({
      Row{"two parts", "GET /\r\nHost: h\r\n\r\n", 400},
      Row{"double space", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400},
      Row{"four parts", "GET / HTTP/1.1 x\r\nHost: h\r\n\r\n", 400},
      Row{"bad method", "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400},
      Row{"bad version", "GET / HTTX/1.1\r\nHost: h\r\n\r\n", 400},
      Row{"version 1.2", "GET / HTTP/1.2\r\nHost: h\r\n\r\n", 505},
      Row{"version 2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505},
      Row{"http2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505},
      Row{"version 0.9", "GET / HTTP/0.9\r\n\r\n", 505},
      Row{"absolute form", "GET http://169.254.169.254/ HTTP/1.1\r\nHost: h\r\n\r\n", 400},
      Row{"asterisk form", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", 400},
      Row{"authority form", "CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n", 400},
      Row{"non-ascii target", "GET /\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n", 400},
      Row{"bare CR in request line", "GET /\r HTTP/1.1\r\nHost: h\r\n\r\n", 400},
      Row{"obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  2\r\n\r\n", 400},
      Row{"no colon", "GET / HTTP/1.1\r\nHost: h\r\nX-A\r\n\r\n", 400},
      Row{"space before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400},
      Row{"empty name", "GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", 400},
      Row{"bad name", "GET / HTTP/1.1\r\nHost: h\r\nX(A): v\r\n\r\n", 400},
      Row{"control in value", std::string("GET / HTTP/1.1\r\nHost: h\r\nX: a\x01") + "b\r\n\r\n",
          400},
      Row{"NUL in value", std::string("GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n", 32), 400},
      Row{"bare CR in header", "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", 400},
      Row{"missing host", "GET / HTTP/1.1\r\n\r\n", 400},
      Row{"two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      Row{"two lengths",
          "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
          "Content-Length: 1\r\n\r\nx",
          400},
      Row{"length list", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 1\r\n\r\nx", 400},
      Row{"negative length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400},
      Row{"empty length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", 400},
      Row{"length too large", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4097\r\n\r\n", 413},
      Row{"length overflow",
          "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: "
          "99999999999999999999999\r\n\r\n",
          413},
      Row{"chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 501},
      Row{"te and length",
          "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
          "Transfer-Encoding: gzip\r\n\r\nx",
          501},
      Row{"expect other", "GET / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\n\r\n", 417},
      Row{"request line too long", "GET /" + std::string(5000, 'a') + " HTTP/1.1\r\n\r\n", 431},
      Row{"head too large",
          "GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(17000, 'a') + "\r\n\r\n", 431},
  }));
  CAPTURE(name);
  std::vector<HeaderView> headers;
  const ParseOutcome out = parse(text, headers);
  REQUIRE(out.failure);
  CHECK_FALSE(out.need_more);
  CHECK_FALSE(out.parsed);
  CHECK(out.failure->status == status);
  const Errc code = out.failure->error.code();
  CHECK(code == (status == 400                      ? Errc::Parse
                 : (status == 413 || status == 431) ? Errc::TooLarge
                                                    : Errc::Unsupported));
  CHECK(out.failure->error.message().starts_with("http request: "));
}

TEST_CASE("parse_request: too many header fields is 431", "[server][error]") {
  std::string text = "GET / HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; i < 64; ++i) text += "X-" + std::to_string(i) + ": v\r\n";
  text += "\r\n";
  CHECK(failure_status(text) == 431);
  RequestLimits roomy;
  roomy.max_headers = 65;
  CHECK(failure_status(text, roomy) == 0);
}

TEST_CASE("parse_request: invalid bytes fail before any line end", "[server][error]") {
  // Garbage, a TLS ClientHello, a bad header prefix: refused at once, not after a timeout.
  CHECK(failure_status(std::string("\x16\x03\x01\x02\x00", 5)) == 400);
  CHECK(failure_status("GET /a b c") == 400);
  CHECK(failure_status("GET / HTTP/1.1\r\nHost: h\r\nBad Name") == 400);
  CHECK(failure_status("GET / HTTP/1.1\r\nHost: h\r\nX: \x01") == 400);
  // A head with no end beyond the limits fails as soon as the limit is passed.
  CHECK(failure_status("GET /" + std::string(5000, 'a')) == 431);
  CHECK(failure_status("GET / HTTP/1.1\r\nX: " + std::string(17000, 'a')) == 431);
  CHECK(failure_status(std::string(20000, '\n')) == 431);
}

TEST_CASE("parse_request: limits are the caller's", "[server][error]") {
  RequestLimits tight;
  tight.max_request_line = 16;
  tight.max_head_bytes = 64;
  tight.max_body_bytes = 2;
  CHECK(failure_status("GET /0123456789ab HTTP/1.1\r\nHost: h\r\n\r\n", tight) == 431);
  CHECK(failure_status("GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(60, 'a') + "\r\n\r\n",
                       tight) == 431);
  CHECK(failure_status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc", tight) == 413);
  CHECK(failure_status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nab", tight) == 0);
}

TEST_CASE("parse_request: mutations never escape the input or the contract", "[server][mutation]") {
  const std::string valid =
      "POST /role-arn/arn:aws:iam::1:role/x?a=b HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: abc\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nxyz"
      "GET / HTTP/1.0\r\n\r\n";
  std::vector<HeaderView> headers;
  std::size_t parsed = 0;
  std::size_t failed = 0;
  testing::for_each_mutation(valid, [&](const std::string& mutant) {
    const ParseOutcome out = parse(mutant, headers);
    const int kinds = (out.need_more ? 1 : 0) + (out.parsed ? 1 : 0) + (out.failure ? 1 : 0);
    REQUIRE(kinds == 1);
    if (out.failure) {
      ++failed;
      const int s = out.failure->status;
      CHECK((s == 400 || s == 413 || s == 417 || s == 431 || s == 501 || s == 505));
    }
    if (!out.parsed) return;
    ++parsed;
    const RequestView& r = out.parsed->request;
    REQUIRE(out.parsed->consumed <= mutant.size());
    const char* begin = mutant.data();
    const char* end = begin + out.parsed->consumed;
    CHECK((r.method.data() >= begin && r.method.data() + r.method.size() <= end));
    CHECK((r.target.data() >= begin && r.target.data() + r.target.size() <= end));
    for (const HeaderView& h : r.headers) {
      CHECK((h.value.data() >= begin && h.value.data() + h.value.size() <= end));
    }
    CHECK(r.target.front() == '/');
  });
  CHECK(parsed > 0);
  CHECK(failed > 0);
}

}  // namespace av::server
