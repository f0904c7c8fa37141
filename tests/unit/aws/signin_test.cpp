// signin_test.cpp: console federation (aws/signin.h): the Session document and its escaping,
// the sign-in endpoints per partition and the override, the response reader (vectors, one test
// per error, mutations), the login URLs field by field (the --auto-logout fix, quirk A.20) and
// the request as an HttpClient sees it, including transport errors that must not leak the query.
//
// Vectors: the request and URL shapes are spec cli.md §7.2 (from upstream's cli/login.go); the
// escaping rule is Go's url.QueryEscape (RFC 3986 unreserved kept, space as '+').
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "aws/signin.h"
#include "base/limits.h"
#include "codec/percent.h"
#include "support/mutation.h"

namespace {

using av::Errc;
using av::aws::Credentials;
using av::secure::SecretString;

Credentials creds(const std::string& id, const std::string& secret, const std::string& token) {
  Credentials c;
  c.access_key_id = id;
  c.secret_access_key = SecretString::copy_of(secret);
  c.session_token = SecretString::copy_of(token);
  return c;
}

std::string escaped(std::string_view text) {
  SecretString out(av::aws::query_escaped_size(text));
  REQUIRE(av::aws::append_query_escaped(out, text).has_value());
  return std::string(out.reveal());
}

std::string decoded(std::string_view text) {
  auto d = av::codec::decode_percent(text, av::codec::PlusMode::Space);
  REQUIRE(d.has_value());
  return *d;
}

// Query: a URL split into its base and its decoded parameters, in order; a parameter's raw
// (still escaped) text is kept too.
struct Query {
  std::string base;
  std::vector<std::pair<std::string, std::string>> params;
  std::map<std::string, std::string> raw;
  std::string get(const std::string& name) const {
    for (const auto& [n, v] : params) {
      if (n == name) return v;
    }
    FAIL("no parameter " << name);
    return {};
  }
};

Query split_url(std::string_view url) {
  Query q;
  const std::size_t mark = url.find('?');
  REQUIRE(mark != std::string_view::npos);
  q.base = std::string(url.substr(0, mark));
  std::string_view rest = url.substr(mark + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view part = rest.substr(0, amp);
    const std::size_t eq = part.find('=');
    REQUIRE(eq != std::string_view::npos);
    q.params.emplace_back(decoded(part.substr(0, eq)), decoded(part.substr(eq + 1)));
    q.raw[std::string(part.substr(0, eq))] = std::string(part.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return q;
}

std::vector<std::string> names(const Query& q) {
  std::vector<std::string> out;
  for (const auto& p : q.params) out.push_back(p.first);
  return out;
}

// RecordingHttp answers every request with one canned response or error, and keeps what it was
// asked.
class RecordingHttp final : public av::net::HttpClient {
 public:
  int status = 200;
  std::string reason = "OK";
  std::string body = R"({"SigninToken":"tok"})";
  bool fail = false;
  std::string error_message;  // "" means: the client's usual `Get "<url>": ...` shape
  std::string seen_url;
  std::string seen_method;
  std::size_t seen_body_len = 99;

  av::Result<av::net::Response> send(const av::net::Url& url, av::net::Request request) override {
    seen_url = url.scheme + "://" + url.host_port() + url.target;
    seen_method = request.method;
    seen_body_len = request.body.size();
    if (fail) {
      const std::string message = error_message.empty()
                                      ? "Get \"" + url.redacted() + "\": dial tcp: connection refused"
                                      : error_message;
      return av::Error(Errc::Network, message);
    }
    av::net::Response r;
    r.status = status;
    r.reason = reason;
    r.body = av::secure::SecretBytes::copy_of(av::as_bytes(body));
    return r;
  }
};

const char* const kFederation = "https://us-east-1.signin.aws.amazon.com/federation";

}  // namespace

TEST_CASE("query escaping is Go's url.QueryEscape", "[aws][signin][vector]") {
  CHECK(escaped("AZaz09-_.~") == "AZaz09-_.~");
  CHECK(escaped("a b") == "a+b");
  CHECK(escaped("+/=&%?#:\"{}") == "%2B%2F%3D%26%25%3F%23%3A%22%7B%7D");
  CHECK(escaped("\xc3\xa9\x01\x7f") == "%C3%A9%01%7F");
  CHECK(escaped("") == "");
  CHECK(av::aws::query_escaped_size("a b+") == 6);
}

TEST_CASE("query escaping reports a full buffer", "[aws][signin][error]") {
  SecretString out(2);
  CHECK(av::aws::append_query_escaped(out, "+").error().code() == Errc::TooLarge);
}

TEST_CASE("the Session document has the three keys in order, Go-escaped", "[aws][signin][vector]") {
  auto json = av::aws::make_session_json(creds("ASIAEXAMPLE", "se/cr+et", "tok<en>&"));
  REQUIRE(json.has_value());
  CHECK(json->reveal() ==
        R"({"sessionId":"ASIAEXAMPLE","sessionKey":"se/cr+et","sessionToken":"tok\u003cen\u003e\u0026"})");
  auto no_token = av::aws::make_session_json(creds("AKIA", "s", ""));
  REQUIRE(no_token.has_value());
  CHECK(no_token->reveal() == R"({"sessionId":"AKIA","sessionKey":"s","sessionToken":""})");
}

TEST_CASE("the getSigninToken URL carries Action and the escaped Session only",
          "[aws][signin][vector]") {
  auto url = av::aws::make_signin_token_url(kFederation, creds("ASIA1", "a b/c", "t+k="));
  REQUIRE(url.has_value());
  CHECK(url->reveal() ==
        std::string(kFederation) +
            "?Action=getSigninToken&Session=%7B%22sessionId%22%3A%22ASIA1%22%2C%22sessionKey%22%3A"
            "%22a+b%2Fc%22%2C%22sessionToken%22%3A%22t%2Bk%3D%22%7D");
  const Query q = split_url(url->reveal());
  CHECK(names(q) == std::vector<std::string>{"Action", "Session"});
  CHECK(q.get("Session") == R"({"sessionId":"ASIA1","sessionKey":"a b/c","sessionToken":"t+k="})");
}

TEST_CASE("a session too large for a request URL is refused", "[aws][signin][error]") {
  const std::string token(av::limits::kMaxUrlBytes, 'A');
  auto url = av::aws::make_signin_token_url(kFederation, creds("ASIA", "s", token));
  REQUIRE_FALSE(url.has_value());
  CHECK(url.error().code() == Errc::TooLarge);
  CHECK(url.error().message().find("AAAA") == std::string_view::npos);
}

TEST_CASE("sign-in endpoints follow the region's partition", "[aws][signin][vector]") {
  struct Case {
    const char* region;
    const char* federation;
  };
  const Case cases[] = {
      {"", "https://us-east-1.signin.aws.amazon.com/federation"},
      {"eu-west-1", "https://us-east-1.signin.aws.amazon.com/federation"},
      {"cn-north-1", "https://signin.amazonaws.cn/federation"},
      {"us-gov-west-1", "https://signin.amazonaws-us-gov.com/federation"},
      {"eusc-de-east-1", "https://signin.amazonaws-eusc.eu/federation"},
  };
  for (const Case& c : cases) {
    INFO(c.region);
    auto urls = av::aws::signin_urls(c.region, "");
    REQUIRE(urls.has_value());
    CHECK(urls->federation == c.federation);
    CHECK(urls->logout == "https://us-east-1.signin.aws.amazon.com/oauth");
    CHECK_FALSE(urls->overridden);
  }
}

TEST_CASE("AWS_ENDPOINT_URL_SIGNIN replaces the sign-in host", "[aws][signin][vector]") {
  auto local = av::aws::signin_urls("cn-north-1", "http://127.0.0.1:8080/");
  REQUIRE(local.has_value());
  CHECK(local->federation == "http://127.0.0.1:8080/federation");
  CHECK(local->logout == "http://127.0.0.1:8080/oauth");
  CHECK(local->overridden);
  CHECK(av::aws::signin_urls("", "http://localhost:1/base")->federation ==
        "http://localhost:1/base/federation");
  CHECK(av::aws::signin_urls("", "http://[::1]:9")->federation == "http://[::1]:9/federation");
  CHECK(av::aws::signin_urls("", "https://signin.example.com")->logout ==
        "https://signin.example.com/oauth");
}

TEST_CASE("an override that would expose the secret key is refused", "[aws][signin][error]") {
  for (const char* bad : {"http://signin.example.com", "http://10.0.0.1:80", "ftp://127.0.0.1",
                          "https://h/x?y=1", "https://h/#f", "https://user:pw@h", "not a url",
                          "https://"}) {
    INFO(bad);
    auto urls = av::aws::signin_urls("", bad);
    REQUIRE_FALSE(urls.has_value());
    CHECK(urls.error().code() == Errc::Config);
    CHECK(urls.error().message().find("pw") == std::string_view::npos);
  }
}

TEST_CASE("the response's SigninToken goes to locked memory", "[aws][signin][vector]") {
  auto token = av::aws::parse_signin_token_response(
      av::as_bytes(std::string_view(R"( {"SigninToken":"abc\/def", "Extra":[1]} )")));
  REQUIRE(token.has_value());
  CHECK(token->reveal() == "abc/def");
  // Go's encoding/json matches member names case-insensitively.
  auto lower = av::aws::parse_signin_token_response(
      av::as_bytes(std::string_view(R"({"signintoken":"x"})")));
  REQUIRE(lower.has_value());
  CHECK(lower->reveal() == "x");
}

TEST_CASE("response errors, one per rule", "[aws][signin][error]") {
  struct Case {
    std::string body;
    Errc code;
    std::string message;  // "" when only the code is checked
  };
  const std::string missing = "Expected a response with SigninToken";
  const Case cases[] = {
      {R"({})", Errc::Parse, missing},
      {R"({"Token":"x"})", Errc::Parse, missing},
      {R"({"SigninToken":""})", Errc::Parse, missing},
      {R"({"SigninToken":42})", Errc::Parse, missing},
      {R"({"SigninToken":null})", Errc::Parse, missing},
      {R"({"SigninToken":["x"]})", Errc::Parse, missing},
      {R"(["SigninToken"])", Errc::Parse, missing},
      {R"("SigninToken")", Errc::Parse, missing},
      {R"({"SigninToken":"a","signinToken":"b"})", Errc::Parse,
       "getSigninToken response: SigninToken repeated"},
      {R"({"SigninToken":"a","SigninToken":"b"})", Errc::Parse, ""},
      {R"({"SigninToken":"a"} x)", Errc::Parse, ""},
      {R"(<html>)", Errc::Parse, ""},
      {R"({"SigninToken":"a)", Errc::Truncated, ""},
      {"", Errc::Truncated, ""},
      {"{\"SigninToken\":\"" + std::string(av::limits::kMaxSecretBytes + 1, 'a') + "\"}",
       Errc::TooLarge, ""},
      {std::string(av::limits::kMaxSigninResponseBytes + 1, ' '), Errc::TooLarge, ""},
  };
  for (const Case& c : cases) {
    INFO(c.body.substr(0, 60));
    auto token = av::aws::parse_signin_token_response(av::as_bytes(c.body));
    REQUIRE_FALSE(token.has_value());
    CHECK(token.error().code() == c.code);
    if (!c.message.empty()) CHECK(token.error().message() == c.message);
  }
}

TEST_CASE("mutated responses never crash and never yield an empty token",
          "[aws][signin][mutation]") {
  av::testing::for_each_mutation(R"({"SigninToken":"VCQgjBh6x0Ok-Qvn5F7","x":[true,null]})",
                                 [](const std::string& mutant) {
                                   auto token =
                                       av::aws::parse_signin_token_response(av::as_bytes(mutant));
                                   if (token) CHECK_FALSE(token->empty());
                                 });
}

TEST_CASE("the default login URL escapes destination and token once", "[aws][signin][vector]") {
  auto urls = av::aws::signin_urls("cn-north-1", "");
  REQUIRE(urls.has_value());
  const std::string dest = "https://cn-north-1.console.amazonaws.cn/s3/home?region=cn-north-1";
  auto url = av::aws::make_login_url(*urls, dest, SecretString::copy_of("t+k/n= &x"), false);
  REQUIRE(url.has_value());
  CHECK(url->reveal() ==
        "https://signin.amazonaws.cn/federation?Action=login&Issuer=aws-vault&Destination="
        "https%3A%2F%2Fcn-north-1.console.amazonaws.cn%2Fs3%2Fhome%3Fregion%3Dcn-north-1"
        "&SigninToken=t%2Bk%2Fn%3D+%26x");
  const Query q = split_url(url->reveal());
  CHECK(q.base == "https://signin.amazonaws.cn/federation");
  CHECK(names(q) == std::vector<std::string>{"Action", "Issuer", "Destination", "SigninToken"});
  CHECK(q.get("Action") == "login");
  CHECK(q.get("Issuer") == "aws-vault");
  CHECK(q.get("Destination") == dest);
  CHECK(q.get("SigninToken") == "t+k/n= &x");
}

TEST_CASE("--auto-logout nests a fully escaped login URL in redirect_uri (A.20 fixed)",
          "[aws][signin][vector]") {
  auto urls = av::aws::signin_urls("us-gov-west-1", "");
  REQUIRE(urls.has_value());
  const std::string dest = "https://us-gov-west-1.console.amazonaws-us-gov.com/console/home"
                           "?region=us-gov-west-1";
  const std::string token = "a&Destination=https://evil.example/&b+c";
  auto url = av::aws::make_login_url(*urls, dest, SecretString::copy_of(token), true);
  REQUIRE(url.has_value());
  const Query outer = split_url(url->reveal());
  CHECK(outer.base == "https://us-east-1.signin.aws.amazon.com/oauth");
  CHECK(names(outer) == std::vector<std::string>{"Action", "redirect_uri"});
  CHECK(outer.get("Action") == "logout");
  const Query inner = split_url(outer.get("redirect_uri"));
  CHECK(inner.base == "https://signin.amazonaws-us-gov.com/federation");
  CHECK(names(inner) == std::vector<std::string>{"Action", "Issuer", "Destination", "SigninToken"});
  CHECK(inner.get("Destination") == dest);
  CHECK(inner.get("SigninToken") == token);  // upstream's URL would have split this token
  // Destination and token are escaped twice in the final text.
  CHECK(outer.raw.at("redirect_uri").find("SigninToken%3Da%2526Destination%253Dhttps%253A") !=
        std::string::npos);
}

TEST_CASE("an overridden endpoint is used for the login and logout URLs", "[aws][signin][vector]") {
  auto urls = av::aws::signin_urls("eu-west-1", "http://127.0.0.1:4000");
  REQUIRE(urls.has_value());
  auto url = av::aws::make_login_url(*urls, "https://console.aws.amazon.com/",
                                     SecretString::copy_of("t"), true);
  REQUIRE(url.has_value());
  const Query outer = split_url(url->reveal());
  CHECK(outer.base == "http://127.0.0.1:4000/oauth");
  CHECK(split_url(outer.get("redirect_uri")).base == "http://127.0.0.1:4000/federation");
}

TEST_CASE("a login URL beyond its bound is refused", "[aws][signin][error]") {
  auto urls = av::aws::signin_urls("", "");
  REQUIRE(urls.has_value());
  const std::string token(av::limits::kMaxLoginUrlBytes / 4, '/');  // 3x once, 9x twice
  CHECK(av::aws::make_login_url(*urls, "d", SecretString::copy_of(token), false).has_value());
  auto twice = av::aws::make_login_url(*urls, "d", SecretString::copy_of(token), true);
  REQUIRE_FALSE(twice.has_value());
  CHECK(twice.error().code() == Errc::TooLarge);
}

TEST_CASE("request_signin_token sends one bodiless GET and reads the token",
          "[aws][signin][integration]") {
  RecordingHttp http;
  http.body = R"({"SigninToken":"the-token"})";
  auto token = av::aws::request_signin_token(http, "http://127.0.0.1:9/federation",
                                             creds("ASIA1", "sec", "tok"));
  REQUIRE(token.has_value());
  CHECK(token->reveal() == "the-token");
  CHECK(http.seen_method == "GET");
  CHECK(http.seen_body_len == 0);
  const Query q = split_url(http.seen_url);
  CHECK(q.base == "http://127.0.0.1:9/federation");
  CHECK(q.get("Session") == R"({"sessionId":"ASIA1","sessionKey":"sec","sessionToken":"tok"})");
}

TEST_CASE("a refused getSigninToken reports the status line only", "[aws][signin][error]") {
  RecordingHttp http;
  http.status = 400;
  http.reason = "Bad Request";
  http.body = "secret-looking body";
  auto token = av::aws::request_signin_token(http, kFederation, creds("ASIA1", "sec", "tok"));
  REQUIRE_FALSE(token.has_value());
  CHECK(token.error().code() == Errc::AwsApi);
  CHECK(token.error().message() == "Call to getSigninToken failed with 400 Bad Request");
}

TEST_CASE("transport errors name the federation URL without the Session query",
          "[aws][signin][error]") {
  RecordingHttp http;
  http.fail = true;
  auto token = av::aws::request_signin_token(http, "http://127.0.0.1:9/federation",
                                             creds("ASIA1", "topsecret", "tok"));
  REQUIRE_FALSE(token.has_value());
  CHECK(token.error().code() == Errc::Network);
  CHECK(token.error().message() ==
        "Get \"http://127.0.0.1:9/federation\": dial tcp: connection refused");
  // An error of another shape is not trusted to be free of the URL.
  http.error_message = "something quoting topsecret";
  auto other = av::aws::request_signin_token(http, "http://127.0.0.1:9/federation",
                                             creds("ASIA1", "topsecret", "tok"));
  REQUIRE_FALSE(other.has_value());
  CHECK(other.error().message() == "Get \"http://127.0.0.1:9/federation\": request failed");
}
