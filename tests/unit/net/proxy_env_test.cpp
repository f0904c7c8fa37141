// Vectors follow golang.org/x/net/http/httpproxy's proxy_test.go cases (facts about Go's
// behaviour, rewritten here), plus our deliberate difference: a bad proxy value is an error.
#include "net/proxy_env.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "base/limits.h"

namespace av::net {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Url url_of(std::string_view text) {
  auto url = parse_url(text);
  REQUIRE(url);
  return std::move(url).value();
}

// proxy_text returns the chosen proxy's host_port() or "" for a direct connection.
std::string proxy_text(std::string_view target, Pairs pairs) {
  const platform::Environment env = platform::Environment::from_pairs(std::move(pairs));
  auto proxy = proxy_for(url_of(target), env);
  REQUIRE(proxy);
  return *proxy ? (*proxy)->scheme + "://" + (*proxy)->host_port() : "";
}

}  // namespace

TEST_CASE("proxy_for: scheme selects the variable; upper case wins, empty counts as unset",
          "[net][vector]") {
  CHECK(proxy_text("https://sts.amazonaws.com/", {}).empty());
  CHECK(proxy_text("https://h/", {{"HTTPS_PROXY", "http://up:3128"},
                                  {"https_proxy", "http://low:1"}}) == "http://up:3128");
  CHECK(proxy_text("https://h/", {{"HTTPS_PROXY", ""}, {"https_proxy", "http://low:1"}}) ==
        "http://low:1");
  CHECK(proxy_text("https://h/", {{"HTTP_PROXY", "http://plain:1"}}).empty());
  CHECK(proxy_text("http://h/", {{"HTTP_PROXY", "http://plain:1"},
                                 {"HTTPS_PROXY", "http://tls:2"}}) == "http://plain:1");
  CHECK(proxy_text("http://h/", {{"http_proxy", "https://secure.proxy"}}) ==
        "https://secure.proxy:443");
}

TEST_CASE("proxy_for: a value without a scheme means http", "[net][vector]") {
  CHECK(proxy_text("https://h/", {{"HTTPS_PROXY", "cache.corp.example.com"}}) ==
        "http://cache.corp.example.com:80");
  CHECK(proxy_text("https://h/", {{"HTTPS_PROXY", "cache.corp.example.com:1234"}}) ==
        "http://cache.corp.example.com:1234");
  CHECK(proxy_text("https://h/", {{"HTTPS_PROXY", "127.0.0.1:8080"}}) == "http://127.0.0.1:8080");
  const auto env =
      platform::Environment::from_pairs({{"HTTPS_PROXY", "alice:s%40cret@proxy:3128"}});
  auto proxy = proxy_for(url_of("https://h/"), env);
  REQUIRE(proxy);
  REQUIRE(*proxy);
  CHECK((*proxy)->username == "alice");
  CHECK((*proxy)->password.reveal() == "s@cret");
}

TEST_CASE("proxy_for: localhost and loopback targets never use a proxy", "[net][vector]") {
  const Pairs env{{"HTTP_PROXY", "proxy:1"}, {"HTTPS_PROXY", "proxy:1"}};
  for (const char* target :
       {"http://localhost/", "http://localhost:9099/", "http://127.0.0.1:9099/",
        "http://127.1.2.3/", "http://[::1]:80/", "http://[::ffff:127.0.0.1]/"}) {
    CAPTURE(target);
    CHECK(proxy_text(target, env).empty());
  }
  CHECK_FALSE(proxy_text("http://localhost.example.com/", env).empty());
  CHECK_FALSE(proxy_text("http://128.0.0.1/", env).empty());
}

TEST_CASE("proxy_for: NO_PROXY matching follows Go's httpproxy", "[net][vector]") {
  struct Case {
    const char* no_proxy;
    const char* target;
    bool direct;
  };
  const Case cases[] = {
      {"*", "https://anything.example/", true},
      {"foo.com, *", "https://bar.example/", true},
      {"example.com", "https://example.com/", true},
      {"example.com", "https://sub.example.com/", true},
      {"example.com", "https://notexample.com/", false},
      {".example.com", "https://example.com/", false},
      {".example.com", "https://sub.example.com/", true},
      {"*.example.com", "https://example.com/", false},
      {"*.example.com", "https://a.b.example.com/", true},
      {"EXAMPLE.com", "https://Example.COM/", true},
      {" example.com ,other", "https://example.com/", true},
      {"example.com:443", "https://example.com/", true},
      {"example.com:443", "https://example.com:8443/", false},
      {"example.com:80", "https://example.com/", false},
      {"10.0.0.1", "https://10.0.0.1/", true},
      {"10.0.0.1", "https://10.0.0.2/", false},
      {"10.0.0.1:443", "https://10.0.0.1/", true},
      {"10.0.0.1:80", "https://10.0.0.1/", false},
      {"10.0.0.0/8", "https://10.20.30.40/", true},
      {"10.0.0.0/8", "https://11.0.0.1/", false},
      {"10.0.0.0/8", "https://ten.example/", false},
      {"2001:db8::/32", "https://[2001:db8::5]/", true},
      {"2001:db8::/32", "https://[2001:db9::5]/", false},
      {"2001:db8::1", "https://[2001:db8::1]/", true},
      {"[2001:db8::1]:443", "https://[2001:db8::1]/", true},
      {"[2001:db8::1]:80", "https://[2001:db8::1]/", false},
      {"::ffff:10.0.0.0/104", "https://10.1.2.3/", true},
      {"0.0.0.0/0", "https://[2001:db8::1]/", false},
      {":443", "https://example.com/", false},
      {",,", "https://example.com/", false},
      {"com", "https://example.com/", true},
      {"10.0.0.0/08", "https://10.0.0.1/", true},
      {"10.0.0.0/33", "https://10.0.0.1/", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.no_proxy, c.target);
    CHECK(proxy_text(c.target, {{"HTTPS_PROXY", "proxy:1"}, {"NO_PROXY", c.no_proxy}}).empty() ==
          c.direct);
  }
  CHECK(proxy_text("https://example.com/", {{"HTTPS_PROXY", "p:1"}, {"no_proxy", "example.com"}})
            .empty());
  CHECK_FALSE(
      proxy_text("https://example.com/",
                 {{"HTTPS_PROXY", "p:1"}, {"NO_PROXY", "other.com"}, {"no_proxy", "example.com"}})
          .empty());
}

TEST_CASE("proxy_for: an http target in a CGI environment is refused", "[net][error]") {
  const auto env =
      platform::Environment::from_pairs({{"HTTP_PROXY", "proxy:1"}, {"REQUEST_METHOD", "GET"}});
  auto proxy = proxy_for(url_of("http://h/"), env);
  REQUIRE_FALSE(proxy);
  CHECK(proxy.error().code() == Errc::Config);
  const auto https_env =
      platform::Environment::from_pairs({{"HTTPS_PROXY", "proxy:1"}, {"REQUEST_METHOD", "GET"}});
  CHECK(proxy_for(url_of("https://h/"), https_env));
}

TEST_CASE("proxy_for: a bad proxy value is an error that names the variable, not the value",
          "[net][error]") {
  struct Case {
    const char* value;
    Errc code;
  };
  const Case cases[] = {{"http://user:hunter2@pro xy:1", Errc::Parse},
                        {"socks5://user:hunter2@proxy:1080", Errc::Unsupported},
                        {"user:hunter2@proxy:99999", Errc::Parse}};
  for (const Case& c : cases) {
    CAPTURE(c.value);
    const auto env = platform::Environment::from_pairs({{"https_proxy", c.value}});
    auto proxy = proxy_for(url_of("https://h/"), env);
    REQUIRE_FALSE(proxy);
    CHECK(proxy.error().code() == c.code);
    const std::string message(proxy.error().message());
    CHECK(message.find("https_proxy") != std::string::npos);
    CHECK(message.find("hunter2") == std::string::npos);
  }
  // Not an error when the proxy would not be used.
  const auto bypassed =
      platform::Environment::from_pairs({{"HTTPS_PROXY", "bad proxy"}, {"NO_PROXY", "h"}});
  CHECK(proxy_for(url_of("https://h/"), bypassed));
}

TEST_CASE("proxy_for: too many NO_PROXY entries are too large", "[net][error]") {
  std::string no_proxy;
  for (std::size_t i = 0; i <= limits::kMaxNoProxyEntries; ++i) no_proxy += "a.example,";
  const auto env =
      platform::Environment::from_pairs({{"HTTPS_PROXY", "p:1"}, {"NO_PROXY", no_proxy}});
  auto proxy = proxy_for(url_of("https://h/"), env);
  REQUIRE_FALSE(proxy);
  CHECK(proxy.error().code() == Errc::TooLarge);
}

}  // namespace av::net
