#include "net/url.h"

#include <catch2/catch.hpp>
#include <string>

#include "base/limits.h"
#include "support/mutation.h"

namespace av::net {

TEST_CASE("parse_url: splits an https URL with defaults", "[net][vector]") {
  auto url = parse_url("https://sts.amazonaws.com");
  REQUIRE(url);
  CHECK(url->scheme == "https");
  CHECK(url->host == "sts.amazonaws.com");
  CHECK(url->port == 443);
  CHECK(url->target == "/");
  CHECK(url->username.empty());
  CHECK(url->password.empty());
  CHECK_FALSE(url->is_ipv6_literal);
  CHECK(url->host_port() == "sts.amazonaws.com:443");
  CHECK(url->authority_for_host_header() == "sts.amazonaws.com");
}

TEST_CASE("parse_url: table of accepted URLs", "[net][vector]") {
  struct Case {
    const char* text;
    const char* scheme;
    const char* host;
    int port;
    const char* target;
    const char* host_header;
  };
  const Case cases[] = {
      {"http://example.com", "http", "example.com", 80, "/", "example.com"},
      {"HTTP://Example.COM:8080/a/b?x=1&y=%2F#frag", "http", "example.com", 8080, "/a/b?x=1&y=%2F",
       "example.com:8080"},
      {"https://h:443/", "https", "h", 443, "/", "h"},
      {"https://h:80/", "https", "h", 80, "/", "h:80"},
      {"http://h?q", "http", "h", 80, "/?q", "h"},
      {"http://h#only-fragment", "http", "h", 80, "/", "h"},
      {"http://127.0.0.1:9099/role-arn/arn:aws:iam::1:role/x", "http", "127.0.0.1", 9099,
       "/role-arn/arn:aws:iam::1:role/x", "127.0.0.1:9099"},
      {"http://[::1]:8080/p", "http", "::1", 8080, "/p", "[::1]:8080"},
      {"https://[2001:DB8::1]", "https", "2001:db8::1", 443, "/", "[2001:db8::1]"},
      {"https://oidc.us-east-1.amazonaws.com/token", "https", "oidc.us-east-1.amazonaws.com", 443,
       "/token", "oidc.us-east-1.amazonaws.com"},
      {"http://h:65535", "http", "h", 65535, "/", "h:65535"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto url = parse_url(c.text);
    REQUIRE(url);
    CHECK(url->scheme == c.scheme);
    CHECK(url->host == c.host);
    CHECK(url->port == c.port);
    CHECK(url->target == c.target);
    CHECK(url->authority_for_host_header() == c.host_header);
  }
}

TEST_CASE("parse_url: userinfo is percent-decoded and the password kept secret", "[net][vector]") {
  auto url = parse_url("http://us%40er:p%3Ass%2Fw@proxy.corp:3128");
  REQUIRE(url);
  CHECK(url->username == "us@er");
  CHECK(url->password.reveal() == "p:ss/w");
  CHECK(url->has_credentials());
  CHECK(url->redacted() == "http://us%40er:xxxxx@proxy.corp:3128/");
  CHECK(url->redacted().find("ss") == std::string::npos);
  auto last_at = parse_url("http://a@b:c@host");
  REQUIRE(last_at);
  CHECK(last_at->username == "a@b");
  CHECK(last_at->password.reveal() == "c");
  CHECK(last_at->host == "host");
  auto user_only = parse_url("http://alice@host");
  REQUIRE(user_only);
  CHECK(user_only->redacted() == "http://alice@host/");
  auto clone = url->clone();
  CHECK(clone.password.reveal() == "p:ss/w");
  CHECK(clone.host_port() == "proxy.corp:3128");
}

TEST_CASE("parse_url: IPv6 literal host_port keeps brackets", "[net][vector]") {
  auto url = parse_url("https://[fe80::1:2]/");
  REQUIRE(url);
  CHECK(url->is_ipv6_literal);
  CHECK(url->host_port() == "[fe80::1:2]:443");
}

TEST_CASE("parse_url: each malformed URL is a parse error", "[net][error]") {
  const char* bad[] = {
      "",                          // empty
      "example.com",               // no scheme
      "://host",                   // empty scheme
      "http:/host",                // one slash
      "http://",                   // empty host
      "http://:80",                // empty host with port
      "http://host:",              // empty port
      "http://host:0",             // port 0
      "http://host:65536",         // out of range
      "http://host:080",           // leading zero
      "http://host:8a",            // not a number
      "http://host:1:2",           // two colons
      "http://ho st/",             // space
      "http://host/a b",           // space in path
      "http://host/\x01",          // control
      "http://host/\x7f",          // DEL
      "http://h\xc3\xa9st/",       // non-ASCII
      "http://host/%zz",           // bad escape
      "http://host/%4",            // short escape
      "http://host/<x>",           // not a URI character
      "http://ho!st/",             // bad host character
      "http://[::1/",              // unterminated bracket
      "http://[::1]x/",            // junk after bracket
      "http://[1.2.3.4]/",         // IPv4 in brackets
      "http://[fe80::1%25eth0]/",  // zone
      "http://[::g]/",             // bad IPv6
      "http://u%3Ax:p@host/",      // ':' in decoded username
      "http://u:p%0A@host/",       // control in decoded password
      "http://u:p%@host/",         // bad escape in userinfo
      "http://u:p^@host/",         // bad userinfo character
  };
  for (const char* text : bad) {
    CAPTURE(text);
    auto url = parse_url(text);
    REQUIRE_FALSE(url);
    CHECK(url.error().code() == Errc::Parse);
  }
}

TEST_CASE("parse_url: other schemes are unsupported", "[net][error]") {
  for (const char* text : {"ftp://host/", "socks5://proxy:1080", "file:///etc/passwd"}) {
    CAPTURE(text);
    auto url = parse_url(text);
    REQUIRE_FALSE(url);
    CHECK(url.error().code() == Errc::Unsupported);
  }
}

TEST_CASE("parse_url: over-long URLs are too large", "[net][error]") {
  const std::string text = "http://host/" + std::string(limits::kMaxUrlBytes, 'a');
  auto url = parse_url(text);
  REQUIRE_FALSE(url);
  CHECK(url.error().code() == Errc::TooLarge);
}

TEST_CASE("parse_url: errors never contain the password", "[net][error]") {
  for (const char* text : {"http://user:hunter2@ho!st/", "http://user:hunter2@host:99999/",
                           "gopher://user:hunter2@host/"}) {
    CAPTURE(text);
    auto url = parse_url(text);
    REQUIRE_FALSE(url);
    CHECK(std::string(url.error().message()).find("hunter2") == std::string::npos);
  }
}

TEST_CASE("parse_url_default_scheme: a value without a scheme is http", "[net][vector]") {
  auto bare = parse_url_default_scheme("proxy.corp:3128", "http");
  REQUIRE(bare);
  CHECK(bare->scheme == "http");
  CHECK(bare->host_port() == "proxy.corp:3128");
  auto creds = parse_url_default_scheme("u:p@10.0.0.1:8080", "http");
  REQUIRE(creds);
  CHECK(creds->username == "u");
  CHECK(creds->password.reveal() == "p");
  CHECK(creds->host == "10.0.0.1");
  auto explicit_scheme = parse_url_default_scheme("HTTPS://proxy", "http");
  REQUIRE(explicit_scheme);
  CHECK(explicit_scheme->scheme == "https");
  CHECK(explicit_scheme->port == 443);
}

TEST_CASE("parse_ip: IPv4 and IPv6 text as Go's net.ParseIP", "[net][vector]") {
  CHECK(parse_ip("127.0.0.1")->is_loopback());
  CHECK(parse_ip("127.255.0.9")->is_loopback());
  CHECK(parse_ip("::1")->is_loopback());
  CHECK(parse_ip("::ffff:127.0.0.1")->is_loopback());
  CHECK_FALSE(parse_ip("10.0.0.1")->is_loopback());
  CHECK(parse_ip("10.0.0.1")->is_v4());
  CHECK(*parse_ip("::ffff:10.0.0.1") == *parse_ip("10.0.0.1"));
  CHECK(*parse_ip("2001:db8:0:0:0:0:0:1") == *parse_ip("2001:db8::1"));
  CHECK(*parse_ip("::") == IpAddress{});
  CHECK(parse_ip("1:2:3:4:5:6:7:8"));
  CHECK(parse_ip("1::"));
  CHECK(parse_ip("::1.2.3.4"));
  const char* bad[] = {"",
                       "1.2.3",
                       "1.2.3.4.5",
                       "01.2.3.4",
                       "256.1.1.1",
                       "1.2.3.4 ",
                       ":::",
                       "1:2:3:4:5:6:7:8:9",
                       "1::2::3",
                       "12345::",
                       "1:",
                       ":1",
                       "1:2:3:4:5:6:7::8",
                       "g::1",
                       "fe80::1%eth0",
                       "1:2:3:4:5:6:7:1.2.3.4"};
  for (const char* text : bad) {
    CAPTURE(text);
    CHECK_FALSE(parse_ip(text));
  }
}

TEST_CASE("parse_url: mutations never crash and keep the invariants", "[net][mutation]") {
  av::testing::for_each_mutation("https://us:pw@[2001:db8::1]:8443/p/a?q=%41#f",
                                 [](const std::string& text) {
                                   auto url = parse_url(text);
                                   if (!url) return;
                                   CHECK((url->scheme == "http" || url->scheme == "https"));
                                   CHECK(!url->host.empty());
                                   CHECK(url->port != 0);
                                   CHECK(url->target.front() == '/');
                                 });
}

}  // namespace av::net
