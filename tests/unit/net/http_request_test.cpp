#include "net/http_request.h"

#include <catch2/catch.hpp>
#include <string>

#include "base/limits.h"

namespace av::net {
namespace {

Url url_of(std::string_view text) {
  auto url = parse_url(text);
  REQUIRE(url);
  return std::move(url).value();
}

std::string text_of(const secure::SecretBytes& bytes) {
  return std::string(as_chars(bytes.reveal()));
}

}  // namespace

TEST_CASE("serialize_request: a GET with headers", "[net][vector]") {
  Request request;
  request.target = "/latest?x=1";
  request.headers.push_back({"Accept", "application/json"});
  request.secret_headers.emplace_back("Authorization", secure::SecretString::copy_of("Bearer t0k"));
  auto bytes = serialize_request(request, url_of("https://sts.amazonaws.com/"));
  REQUIRE(bytes);
  CHECK(text_of(*bytes) ==
        "GET /latest?x=1 HTTP/1.1\r\n"
        "Host: sts.amazonaws.com\r\n"
        "Accept: application/json\r\n"
        "Authorization: Bearer t0k\r\n"
        "\r\n");
  CHECK(bytes->capacity() == bytes->size());
}

TEST_CASE("serialize_request: a POST carries Content-Length and its body", "[net][vector]") {
  Request request;
  request.method = "POST";
  request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
  request.body = secure::SecretBytes::copy_of(as_bytes("Action=GetSessionToken&TokenCode=123456"));
  auto bytes = serialize_request(request, url_of("http://127.0.0.1:9099/"));
  REQUIRE(bytes);
  CHECK(text_of(*bytes) ==
        "POST / HTTP/1.1\r\n"
        "Host: 127.0.0.1:9099\r\n"
        "Content-Length: 39\r\n"
        "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
        "\r\n"
        "Action=GetSessionToken&TokenCode=123456");
  Request empty_post;
  empty_post.method = "POST";
  CHECK(text_of(*serialize_request(empty_post, url_of("https://h/"))) ==
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
}

TEST_CASE("serialize_request: CONNECT names host and port; IPv6 hosts keep brackets",
          "[net][vector]") {
  Request connect;
  connect.method = "CONNECT";
  connect.target = "sts.amazonaws.com:443";
  connect.secret_headers.emplace_back("Proxy-Authorization",
                                      secure::SecretString::copy_of("Basic YTpi"));
  CHECK(text_of(*serialize_request(connect, url_of("https://sts.amazonaws.com/"))) ==
        "CONNECT sts.amazonaws.com:443 HTTP/1.1\r\nHost: sts.amazonaws.com:443\r\n"
        "Proxy-Authorization: Basic YTpi\r\n\r\n");
  Request get;
  CHECK(text_of(*serialize_request(get, url_of("http://[::1]:8080/"))) ==
        "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n");
}

TEST_CASE("serialize_request: CR, LF, NUL and controls are refused everywhere", "[net][error]") {
  const Url url = url_of("https://h/");
  auto expect_parse = [&](const Request& request) {
    auto bytes = serialize_request(request, url);
    REQUIRE_FALSE(bytes);
    CHECK(bytes.error().code() == Errc::Parse);
  };
  for (const std::string& bad : {std::string("a\r\nX: y"), std::string("a\nb"), std::string("a\rb"),
                                 std::string("a\0b", 3), std::string("a\x01")}) {
    CAPTURE(bad);
    Request value;
    value.headers.push_back({"X", bad});
    expect_parse(value);
    Request secret;
    secret.secret_headers.emplace_back("X", secure::SecretString::copy_of(bad));
    expect_parse(secret);
    Request name;
    name.headers.push_back({bad, "v"});
    expect_parse(name);
    Request target;
    target.target = "/" + bad;
    expect_parse(target);
    Request method;
    method.method = "GET" + bad;
    expect_parse(method);
  }
  Request spaced_target;
  spaced_target.target = "/a b";
  expect_parse(spaced_target);
  Request empty_target;
  empty_target.target = "";
  expect_parse(empty_target);
  Request empty_name;
  empty_name.headers.push_back({"", "v"});
  expect_parse(empty_name);
  Request colon_name;
  colon_name.headers.push_back({"X:Y", "v"});
  expect_parse(colon_name);
}

TEST_CASE("serialize_request: Host, Content-Length and Transfer-Encoding belong to the serializer",
          "[net][error]") {
  for (const char* name : {"Host", "content-length", "Transfer-Encoding"}) {
    CAPTURE(name);
    Request request;
    request.headers.push_back({name, "1"});
    auto bytes = serialize_request(request, url_of("https://h/"));
    REQUIRE_FALSE(bytes);
    CHECK(bytes.error().code() == Errc::Parse);
  }
}

TEST_CASE("serialize_request: errors never contain secret header values", "[net][error]") {
  Request request;
  request.secret_headers.emplace_back("X-Amz-Security-Token",
                                      secure::SecretString::copy_of("sekrit\r\nX: 1"));
  auto bytes = serialize_request(request, url_of("https://h/"));
  REQUIRE_FALSE(bytes);
  CHECK(std::string(bytes.error().message()).find("sekrit") == std::string::npos);
}

TEST_CASE("serialize_request: an over-long head is too large", "[net][error]") {
  Request request;
  request.headers.push_back({"X-Pad", std::string(limits::kMaxHttpHeaderBytes, 'a')});
  auto bytes = serialize_request(request, url_of("https://h/"));
  REQUIRE_FALSE(bytes);
  CHECK(bytes.error().code() == Errc::TooLarge);
}

}  // namespace av::net
