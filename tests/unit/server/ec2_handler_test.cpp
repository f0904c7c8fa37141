// ec2_handler_test.cpp: the Go ServeMux semantics both handlers share (mux.h: clean_path
// against Go's path.Clean table, matching, redirects), then Ec2Handler::handle called directly
// with hand-built requests (spec §6.5): the filter, every route's exact body and status, the
// credentials JSON, 504 on failure, 405 for other methods, and the IMDSv2 token lifecycle with a
// settable clock (TTL bounds, X-Forwarded-For, expiry, eviction of the oldest beyond 64).
#include "server/ec2_handler.h"

#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/ascii.h"
#include "base/log.h"
#include "server/mux.h"

namespace {

using av::Errc;
using av::Error;
using av::Result;
using av::aws::Credentials;
using av::secure::SecretBytes;
using av::secure::SecretString;
using av::server::CredentialCache;
using av::server::Ec2Handler;
using av::server::Ec2Options;
using std::chrono::hours;
using std::chrono::seconds;
using Time = std::chrono::system_clock::time_point;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kText = "text/plain; charset=utf-8";
constexpr std::string_view kCredsPath =
    "/latest/meta-data/iam/security-credentials/local-credentials";
constexpr std::string_view kTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";
constexpr std::string_view kTokenHeader = "X-aws-ec2-metadata-token";

class ManualClock final : public av::platform::Clock {
 public:
  Time t = Time(seconds(1'700'000'000));  // 2023-11-14T22:13:20Z
  Time now() const override { return t; }
};

struct Response {
  int status = 0;
  std::string content_type;
  Headers headers;
  std::string body;

  std::string header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return "<none>";
  }
};

Response call(av::server::Handler& handler, std::string_view method, std::string_view target,
              Headers headers = {{"Host", "169.254.169.254"}}, bool loopback = true) {
  std::vector<av::server::HeaderView> views;
  for (const auto& [name, value] : headers) views.push_back({name, value});
  av::server::RequestView request;
  request.method = method;
  request.target = target;
  request.headers = views;
  av::server::Peer peer{loopback ? "127.0.0.1" : "192.168.1.20", 50000, loopback};
  av::server::Reply reply;
  SecretBytes body(64 * 1024);
  handler.handle(request, peer, reply, body);
  return {reply.status, std::string(reply.content_type), reply.headers,
          std::string(av::as_chars(body.reveal()))};
}

Headers host_and(std::string_view name, std::string_view value) {
  return {{"Host", "169.254.169.254"}, {std::string(name), std::string(value)}};
}

struct Fixture {
  ManualClock clock;
  int calls = 0;
  bool failing = false;
  CredentialCache cache{[this]() -> Result<Credentials> {
                          ++calls;
                          if (failing) return Error(Errc::Network, "sts: request timed out");
                          Credentials c;
                          c.access_key_id = "ASIAEC2" + std::to_string(calls);
                          c.secret_access_key = SecretString::copy_of("ec2secret");
                          c.session_token = SecretString::copy_of("ec2token");
                          c.expiration = clock.t + hours(1);
                          return c;
                        },
                        clock};
  Ec2Options options{"eu-west-1", false};
  Ec2Handler handler{cache, options, clock};

  // put_token asks for an IMDSv2 token and returns it (empty on failure).
  std::string put_token(std::string_view ttl = "21600") {
    const Response r = call(handler, "PUT", "/latest/api/token", host_and(kTtlHeader, ttl));
    return r.status == 200 ? r.body : std::string();
  }
};

std::string creds_json(std::string_view id, std::string_view expiration,
                       std::string_view last_updated) {
  return "{\"AccessKeyId\":\"" + std::string(id) + "\",\"Code\":\"Success\",\"Expiration\":\"" +
         std::string(expiration) + "\",\"LastUpdated\":\"" + std::string(last_updated) +
         "\",\"SecretAccessKey\":\"ec2secret\",\"Token\":\"ec2token\",\"Type\":\"AWS-HMAC\"}\n";
}

}  // namespace

// --- mux ---------------------------------------------------------------------------------------

TEST_CASE("mux: clean_path follows Go's path.Clean and keeps a trailing slash",
          "[server][mux][vector]") {
  // Rooted cases of Go's path.Clean test table (src/path/path_test.go), plus cleanPath's
  // trailing-slash rule and the missing leading slash.
  const std::pair<const char*, const char*> cases[] = {
      {"", "/"},
      {"/", "/"},
      {"/abc", "/abc"},
      {"/a/b/c", "/a/b/c"},
      {"/abc/", "/abc/"},
      {"/a/b/c/", "/a/b/c/"},
      {"//abc", "/abc"},
      {"///abc", "/abc"},
      {"//abc//", "/abc/"},
      {"/abc//def//ghi", "/abc/def/ghi"},
      {"/./", "/"},
      {"/abc/./def", "/abc/def"},
      {"/./abc/def", "/abc/def"},
      {"/abc/.", "/abc"},
      {"/abc/def/ghi/../jkl", "/abc/def/jkl"},
      {"/abc/def/../ghi/../jkl", "/abc/jkl"},
      {"/abc/def/..", "/abc"},
      {"/abc/def/../..", "/"},
      {"/abc/def/../../..", "/"},
      {"/abc/def/../../../ghi/jkl/../../../mno", "/mno"},
      {"/../abc", "/abc"},
      {"/..", "/"},
      {"/../", "/"},
      {"/abc/def/../", "/abc/"},
      {"/abc/./../def", "/def"},
      {"/abc//./../def", "/def"},
      {"/abc/../../././../def", "/def"},
      {"/...", "/..."},
      {"/a..b/.c", "/a..b/.c"},
      {"abc", "/abc"},
      {"abc/", "/abc/"},
      {"/arn:aws:iam::1:role/x", "/arn:aws:iam::1:role/x"},
  };
  for (const auto& [in, want] : cases) {
    CAPTURE(in);
    CHECK(av::server::mux::clean_path(in) == want);
  }
}

TEST_CASE("mux: the longest pattern wins, subtrees match below themselves", "[server][mux]") {
  using av::server::mux::Outcome;
  constexpr std::array<std::string_view, 4> patterns = {"/", "/a/", "/a/b", "/a/b/c/"};
  struct Case {
    const char* target;
    Outcome outcome;
    std::size_t route;
    const char* location;
  };
  const Case cases[] = {
      {"/", Outcome::Matched, 0, ""},
      {"/x", Outcome::Matched, 0, ""},
      {"/a/", Outcome::Matched, 1, ""},
      {"/a/x/y", Outcome::Matched, 1, ""},
      {"/a/b", Outcome::Matched, 2, ""},
      {"/a/b/", Outcome::Matched, 1, ""},  // exact "/a/b" does not match "/a/b/"
      {"/a/b/c/", Outcome::Matched, 3, ""},
      {"/a/b/c/d", Outcome::Matched, 3, ""},
      {"/a", Outcome::Redirect, 0, "/a/"},
      {"/a/b/c", Outcome::Redirect, 0, "/a/b/c/"},
      {"/a/b/c?q=1&r", Outcome::Redirect, 0, "/a/b/c/?q=1&r"},
      {"/a?", Outcome::Redirect, 0, "/a/"},  // an empty query is dropped, as url.URL does
      {"/a//b", Outcome::Redirect, 0, "/a/b"},
      {"/a/b/../b?x", Outcome::Redirect, 0, "/a/b?x"},
      {"/a/b/c/../c", Outcome::Redirect, 0, "/a/b/c/"},  // the slash redirect comes first
  };
  for (const Case& c : cases) {
    CAPTURE(c.target);
    const auto r = av::server::mux::resolve(patterns, c.target);
    CHECK(r.outcome == c.outcome);
    if (c.outcome == Outcome::Matched) CHECK(r.route == c.route);
    if (c.outcome == Outcome::Redirect) CHECK(r.location == c.location);
  }
  constexpr std::array<std::string_view, 2> no_root = {"/a/", "/b"};
  CHECK(av::server::mux::resolve(no_root, "/c").outcome == Outcome::NotFound);
  CHECK(av::server::mux::resolve(no_root, "/b/").outcome == Outcome::NotFound);
  CHECK(av::server::mux::resolve(no_root, "//c").outcome == Outcome::Redirect);
}

TEST_CASE("mux: decode_remainder percent-decodes what follows a subtree pattern", "[server][mux]") {
  CHECK(*av::server::mux::decode_remainder("/role-arn/a%3Ab%2Fc+d", "/role-arn/") == "a:b/c+d");
  CHECK(*av::server::mux::decode_remainder("/role-arn/", "/role-arn/") == "");
  const auto bad = av::server::mux::decode_remainder("/role-arn/a%2", "/role-arn/");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code() == Errc::Parse);
}

TEST_CASE("mux: redirects escape the Location and HTML-escape the body", "[server][mux]") {
  av::server::RequestView request;
  request.method = "GET";
  av::server::Reply reply;
  SecretBytes body(1024);
  av::server::mux::write_redirect(request, "/a\"<&>'/\xc3\xa9 x", reply, body);
  CHECK(reply.status == 301);
  REQUIRE(reply.headers.size() == 1);
  CHECK(reply.headers[0].first == "Location");
  CHECK(reply.headers[0].second == "/a\"<&>'/%C3%A9%20x");
  CHECK(std::string(av::as_chars(body.reveal())) ==
        "<a href=\"/a&#34;&lt;&amp;&gt;&#39;/%C3%A9%20x\">Moved Permanently</a>.\n\n");
}

// --- EC2 filter --------------------------------------------------------------------------------

TEST_CASE("EC2: non-loopback peers get 401 before anything else", "[server][ec2][error]") {
  Fixture f;
  for (const char* target : {"/", kCredsPath.data(), "/nope", "//x"}) {
    CAPTURE(target);
    const Response r = call(f.handler, "GET", target, {{"Host", "169.254.169.254"}}, false);
    CHECK(r.status == 401);
    CHECK(r.content_type == kText);
    CHECK(r.header("X-Content-Type-Options") == "nosniff");
    CHECK(r.body == "Access denied from non-localhost address\n");
  }
  CHECK(call(f.handler, "PUT", "/latest/api/token", host_and(kTtlHeader, "60"), false).status ==
        401);
  CHECK(f.calls == 0);
}

TEST_CASE("EC2: a Host other than 169.254.169.254[:80] gets 401 naming it",
          "[server][ec2][error]") {
  Fixture f;
  const std::pair<std::string, std::string> cases[] = {
      {"localhost:9099", "Access denied for host 'localhost:9099'\n"},
      {"127.0.0.1", "Access denied for host '127.0.0.1'\n"},
      {"169.254.169.254:8080", "Access denied for host '169.254.169.254:8080'\n"},
      {"169.254.169.254.", "Access denied for host '169.254.169.254.'\n"},
      {"evil.example\x1b[31m", "Access denied for host 'evil.example\\x1b[31m'\n"},
      {"", "Access denied for host ''\n"},
  };
  for (const auto& [host, body] : cases) {
    CAPTURE(host);
    const Response r = call(f.handler, "GET", kCredsPath, {{"Host", host}});
    CHECK(r.status == 401);
    CHECK(r.content_type == kText);
    CHECK(r.body == body);
  }
  const Response missing = call(f.handler, "GET", kCredsPath, {});
  CHECK(missing.body == "Access denied for host ''\n");
  const Response long_host = call(f.handler, "GET", kCredsPath, {{"Host", std::string(5000, 'h')}});
  CHECK(long_host.body == "Access denied for host '" + std::string(256, 'h') + "...'\n");
  CHECK(f.calls == 0);
  CHECK(call(f.handler, "GET", "/latest/meta-data/instance-id/", {{"Host", "169.254.169.254:80"}})
            .status == 200);
  CHECK(call(f.handler, "GET", "/latest/meta-data/instance-id/", {{"host", "169.254.169.254"}})
            .status == 200);
}

// --- EC2 routes --------------------------------------------------------------------------------

TEST_CASE("EC2: every §6.5 route answers its exact body", "[server][ec2][vector]") {
  Fixture f;
  struct Case {
    const char* target;
    const char* body;
  };
  const Case cases[] = {
      {"/latest/meta-data/iam/security-credentials/", "local-credentials"},
      {"/latest/meta-data/iam/security-credentials/other", "local-credentials"},
      {"/latest/meta-data/iam/security-credentials/local-credentials/", "local-credentials"},
      {"/latest/meta-data/instance-id/", "aws-vault"},
      {"/latest/meta-data/instance-id/x/y?z", "aws-vault"},
      {"/latest/meta-data/iam/info/", "{\"Code\" : \"Success\"}"},
      {"/latest/meta-data/iam/info/extra", "{\"Code\" : \"Success\"}"},
      {"/latest/dynamic/instance-identity/document", "{\"region\": \"eu-west-1\"}"},
      {"/latest/dynamic/instance-identity/document?x=1", "{\"region\": \"eu-west-1\"}"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.target);
    const Response r = call(f.handler, "GET", c.target);
    CHECK(r.status == 200);
    CHECK(r.content_type == kText);
    CHECK(r.body == c.body);
    CHECK(call(f.handler, "HEAD", c.target).status == 200);
  }
  CHECK(f.calls == 0);
}

TEST_CASE("EC2: the credentials route serves the IMDS JSON", "[server][ec2][vector]") {
  Fixture f;
  const Response r = call(f.handler, "GET", kCredsPath);
  CHECK(r.status == 200);
  CHECK(r.content_type == kText);
  CHECK(r.body == creds_json("ASIAEC21", "2023-11-14T23:13:20Z", "2023-11-14T22:13:20Z"));
  f.clock.t += seconds(600);  // cached; LastUpdated is the time of the request
  CHECK(call(f.handler, "GET", kCredsPath).body ==
        creds_json("ASIAEC21", "2023-11-14T23:13:20Z", "2023-11-14T22:23:20Z"));
  CHECK(f.calls == 1);
}

namespace {
std::vector<std::string>& debug_lines() {
  static std::vector<std::string> lines;
  return lines;
}
}  // namespace

TEST_CASE("EC2: serving credentials logs the masked key id, never a secret",
          "[server][ec2][vector]") {
  Fixture f;
  debug_lines().clear();
  av::log::set_debug_sink([](std::string_view line) { debug_lines().emplace_back(line); });
  const Response r = call(f.handler, "GET", kCredsPath);
  av::log::set_debug_sink(nullptr);
  REQUIRE(r.status == 200);
  REQUIRE(debug_lines().size() == 1);
  CHECK(debug_lines()[0] ==
        "Serving credentials via http ****************EC21, expiration of 2023-11-14T23:13:20Z "
        "(1h0m0s)");
}

TEST_CASE("EC2: credentials without expiration carry Go's zero time", "[server][ec2][vector]") {
  ManualClock clock;
  CredentialCache cache(
      [] {
        Credentials c;
        c.access_key_id = "AKIALONG";
        c.secret_access_key = SecretString::copy_of("ec2secret");
        c.session_token = SecretString::copy_of("ec2token");
        return Result<Credentials>(std::move(c));
      },
      clock);
  Ec2Handler handler(cache, {"us-east-1", false}, clock);
  CHECK(call(handler, "GET", kCredsPath).body ==
        creds_json("AKIALONG", "0001-01-01T00:00:00Z", "2023-11-14T22:13:20Z"));
}

TEST_CASE("EC2: a failed retrieval is 504 with the error text", "[server][ec2][error]") {
  Fixture f;
  f.failing = true;
  const Response r = call(f.handler, "GET", kCredsPath);
  CHECK(r.status == 504);
  CHECK(r.content_type == kText);
  CHECK(r.header("X-Content-Type-Options") == "nosniff");
  CHECK(r.body == "sts: request timed out\n");
}

TEST_CASE("EC2: other paths are 404, subtree roots without slash 301", "[server][ec2][mux]") {
  Fixture f;
  for (const char* target :
       {"/", "/latest", "/latest/", "/latest/meta-data/", "/latest/meta-data/ami-id",
        "/latest/dynamic/instance-identity/document/", "/latest/api/token/", "/stop",
        "/latest/meta-data/iam/"}) {
    CAPTURE(target);
    const Response r = call(f.handler, "GET", target);
    CHECK(r.status == 404);
    CHECK(r.content_type == kText);
    CHECK(r.body == "404 page not found\n");
    CHECK(call(f.handler, "PUT", target).status == 404);  // unknown paths: 404 for any method
  }
  const std::pair<const char*, const char*> redirects[] = {
      {"/latest/meta-data/iam/security-credentials", "/latest/meta-data/iam/security-credentials/"},
      {"/latest/meta-data/instance-id", "/latest/meta-data/instance-id/"},
      {"/latest/meta-data/iam/info?x", "/latest/meta-data/iam/info/?x"},
      {"//latest/meta-data/instance-id/", "/latest/meta-data/instance-id/"},
      {"/latest/meta-data/iam/security-credentials/./local-credentials", kCredsPath.data()},
  };
  for (const auto& [target, location] : redirects) {
    CAPTURE(target);
    const Response r = call(f.handler, "GET", target);
    CHECK(r.status == 301);
    CHECK(r.header("Location") == location);
    CHECK(r.body == "<a href=\"" + std::string(location) + "\">Moved Permanently</a>.\n\n");
  }
  CHECK(f.calls == 0);
}

TEST_CASE("EC2: methods other than GET and HEAD on metadata paths are 405",
          "[server][ec2][error]") {
  Fixture f;
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    CAPTURE(method);
    const Response r = call(f.handler, method, kCredsPath);
    CHECK(r.status == 405);
    CHECK(r.header("Allow") == "GET, HEAD");
    CHECK(r.body == "Method Not Allowed\n");
  }
  CHECK(f.calls == 0);
}

TEST_CASE("EC2: error replies never contain secrets", "[server][ec2][error]") {
  Fixture f;
  REQUIRE(call(f.handler, "GET", kCredsPath).status == 200);
  const std::string token = f.put_token();
  REQUIRE(!token.empty());
  const std::vector<Response> failures = {
      call(f.handler, "GET", kCredsPath, host_and(kTokenHeader, token + "x")),
      call(f.handler, "POST", kCredsPath),
      call(f.handler, "GET", kCredsPath, {{"Host", "x"}}),
      call(f.handler, "GET", kCredsPath, {{"Host", "169.254.169.254"}}, false),
  };
  CHECK(failures[0].body.find(token) == std::string::npos);
  CHECK(failures[1].body.find("ec2secret") == std::string::npos);
  for (const Response& r : failures) {
    CHECK(r.status >= 400);
    CHECK(r.body.find("ec2secret") == std::string::npos);
    CHECK(r.body.find("ec2token") == std::string::npos);
  }
}

// --- IMDSv2 ------------------------------------------------------------------------------------

TEST_CASE("EC2: PUT /latest/api/token issues a session token", "[server][ec2][imdsv2]") {
  Fixture f;
  const Response r = call(f.handler, "PUT", "/latest/api/token", host_and(kTtlHeader, "21600"));
  CHECK(r.status == 200);
  CHECK(r.content_type == "text/plain");
  CHECK(r.header(std::string(kTtlHeader)) == "21600");
  CHECK(r.body.size() == 43);  // 32 bytes, unpadded base64url
  for (const char c : r.body) CHECK((av::ascii::is_alnum(c) || c == '-' || c == '_'));

  const Response served = call(f.handler, "GET", kCredsPath, host_and(kTokenHeader, r.body));
  CHECK(served.status == 200);
  CHECK(served.body == creds_json("ASIAEC21", "2023-11-14T23:13:20Z", "2023-11-14T22:13:20Z"));
  CHECK(call(f.handler, "GET", "/latest/meta-data/instance-id/",
             {{"Host", "169.254.169.254"}, {"x-AWS-ec2-metadata-token", r.body}})
            .status == 200);
  CHECK(f.put_token("1") != f.put_token("1"));  // fresh random tokens
}

TEST_CASE("EC2: token TTLs outside 1..21600 are 400", "[server][ec2][imdsv2][error]") {
  Fixture f;
  for (const char* ttl : {"0", "21601", "", "abc", "-1", "+5", "05", "1.5", "60s", " 60",
                          "99999999999999999999999"}) {
    CAPTURE(ttl);
    const Response r = call(f.handler, "PUT", "/latest/api/token", host_and(kTtlHeader, ttl));
    CHECK(r.status == 400);
    CHECK(r.body == "X-aws-ec2-metadata-token-ttl-seconds must be 1 to 21600\n");
  }
  CHECK(call(f.handler, "PUT", "/latest/api/token").status == 400);  // no TTL header
  CHECK(call(f.handler, "PUT", "/latest/api/token", host_and(kTtlHeader, "1")).status == 200);
}

TEST_CASE("EC2: token requests carrying X-Forwarded-For are 403", "[server][ec2][imdsv2][error]") {
  Fixture f;
  const Response r = call(f.handler, "PUT", "/latest/api/token",
                          {{"Host", "169.254.169.254"},
                           {std::string(kTtlHeader), "60"},
                           {"X-Forwarded-For", "10.0.0.1"}});
  CHECK(r.status == 403);
  CHECK(r.body == "Forbidden\n");
}

TEST_CASE("EC2: the token path takes only PUT", "[server][ec2][imdsv2][error]") {
  Fixture f;
  for (const char* method : {"GET", "HEAD", "POST", "DELETE"}) {
    CAPTURE(method);
    const Response r = call(f.handler, method, "/latest/api/token", host_and(kTtlHeader, "60"));
    CHECK(r.status == 405);
    CHECK(r.header("Allow") == "PUT");
  }
}

TEST_CASE("EC2: invalid and expired session tokens are 401", "[server][ec2][imdsv2][error]") {
  Fixture f;
  const std::string token = f.put_token("60");
  REQUIRE(token.size() == 43);
  std::string flipped = token;
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {std::string(), std::string("x"), token.substr(0, 42), token + "A", flipped}) {
    CAPTURE(bad);
    const Response r = call(f.handler, "GET", kCredsPath, host_and(kTokenHeader, bad));
    CHECK(r.status == 401);
    CHECK(r.body == "invalid or expired X-aws-ec2-metadata-token\n");
  }
  // Invalid tokens are refused before routing, even on unknown paths.
  CHECK(call(f.handler, "GET", "/nope", host_and(kTokenHeader, "x")).status == 401);

  f.clock.t += seconds(59);
  CHECK(call(f.handler, "GET", kCredsPath, host_and(kTokenHeader, token)).status == 200);
  f.clock.t += seconds(1);  // TTL over
  CHECK(call(f.handler, "GET", kCredsPath, host_and(kTokenHeader, token)).status == 401);
  // IMDSv1 (no token) still works unless IMDSv2 is required.
  CHECK(call(f.handler, "GET", kCredsPath).status == 200);
}

TEST_CASE("EC2: beyond 64 live tokens the oldest is dropped", "[server][ec2][imdsv2]") {
  Fixture f;
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i <= av::server::kMaxImdsTokens; ++i) tokens.push_back(f.put_token());
  CHECK(std::set<std::string>(tokens.begin(), tokens.end()).size() == tokens.size());
  auto status_with = [&](const std::string& token) {
    return call(f.handler, "GET", "/latest/meta-data/instance-id/", host_and(kTokenHeader, token))
        .status;
  };
  CHECK(status_with(tokens[0]) == 401);
  for (std::size_t i = 1; i < tokens.size(); ++i) {
    CAPTURE(i);
    CHECK(status_with(tokens[i]) == 200);
  }
  // Expired tokens free their slots first: with one short-lived token expired, a new token
  // evicts nothing.
  Fixture g;
  const std::string short_lived = g.put_token("1");
  std::vector<std::string> kept;
  for (std::size_t i = 1; i < av::server::kMaxImdsTokens; ++i) kept.push_back(g.put_token());
  g.clock.t += seconds(1);
  const std::string newest = g.put_token();
  for (const std::string& t : kept) {
    CHECK(call(g.handler, "GET", "/latest/meta-data/instance-id/", host_and(kTokenHeader, t))
              .status == 200);
  }
  CHECK(call(g.handler, "GET", "/latest/meta-data/instance-id/", host_and(kTokenHeader, newest))
            .status == 200);
  CHECK(
      call(g.handler, "GET", "/latest/meta-data/instance-id/", host_and(kTokenHeader, short_lived))
          .status == 401);
}

TEST_CASE("EC2: require_imdsv2 refuses requests without a session token", "[server][ec2][imdsv2]") {
  Fixture f;
  Ec2Handler strict(f.cache, {"eu-west-1", true}, f.clock);
  const Response r = call(strict, "GET", kCredsPath);
  CHECK(r.status == 401);
  CHECK(r.body == "missing X-aws-ec2-metadata-token: IMDSv2 is required\n");
  const Response t = call(strict, "PUT", "/latest/api/token", host_and(kTtlHeader, "60"));
  REQUIRE(t.status == 200);
  CHECK(call(strict, "GET", kCredsPath, host_and(kTokenHeader, t.body)).status == 200);
  // Tokens are per handler.
  CHECK(call(f.handler, "GET", kCredsPath, host_and(kTokenHeader, t.body)).status == 401);
}

TEST_CASE("EC2: the kept credentials JSON is re-rendered after a refresh, LastUpdated per request",
          "[server][ec2][cache]") {
  Fixture f;
  for (int i = 0; i < 200; ++i) {
    REQUIRE(call(f.handler, "GET", kCredsPath).body ==
            creds_json("ASIAEC21", "2023-11-14T23:13:20Z", "2023-11-14T22:13:20Z"));
  }
  f.clock.t += seconds(1);  // LastUpdated follows the clock, the rest is kept
  CHECK(call(f.handler, "GET", kCredsPath).body ==
        creds_json("ASIAEC21", "2023-11-14T23:13:20Z", "2023-11-14T22:13:21Z"));
  CHECK(f.calls == 1);

  f.clock.t += std::chrono::minutes(56);  // inside the refresh window: new credentials
  CHECK(call(f.handler, "GET", kCredsPath).body ==
        creds_json("ASIAEC22", "2023-11-15T00:09:21Z", "2023-11-14T23:09:21Z"));
  CHECK(call(f.handler, "GET", kCredsPath).body ==
        creds_json("ASIAEC22", "2023-11-15T00:09:21Z", "2023-11-14T23:09:21Z"));
  CHECK(f.calls == 2);
}
