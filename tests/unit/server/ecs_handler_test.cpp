// ecs_handler_test.cpp: EcsHandler::handle called directly with hand-built requests (spec §6.4):
// the exact success, 403 and 500 bodies and content types, the Authorization check under
// mutation (every single-byte change, truncation, extension), routing with Go ServeMux
// redirects, /role-arn/ with percent-decoded ARNs and one cache per ARN up to kMaxEcsRoleCaches,
// the refresh window, and make_ecs_token. Fetchers are scripted fakes; the clock is settable.
#include "server/ecs_handler.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/ascii.h"
#include "crypto/secret_codec.h"
#include "support/mutation.h"

namespace {

using av::Errc;
using av::Error;
using av::Result;
using av::aws::Credentials;
using av::secure::SecretBytes;
using av::secure::SecretString;
using av::server::CredentialCache;
using av::server::EcsHandler;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using Time = std::chrono::system_clock::time_point;

// 40 characters of the unpadded base64url alphabet, like a real token.
constexpr std::string_view kToken = "Zm9vYmFyYmF6cXV4LV9mb29iYXJiYXpxdXgtX2Zv";
constexpr std::string_view kJson = "application/json; charset=utf-8";
constexpr std::string_view kSniffed = "text/plain; charset=utf-8";
constexpr std::string_view kForbidden = "{\"Message\":\"invalid Authorization token\"}\n";

class ManualClock final : public av::platform::Clock {
 public:
  Time t = Time(seconds(1'700'000'000));  // 2023-11-14T22:13:20Z
  Time now() const override { return t; }
};

Credentials make_creds(std::string id, std::string secret, std::string token,
                       std::optional<Time> expiration) {
  Credentials c;
  c.access_key_id = std::move(id);
  c.secret_access_key = SecretString::copy_of(secret);
  c.session_token = SecretString::copy_of(token);
  c.expiration = expiration;
  return c;
}

struct Response {
  int status = 0;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return "<none>";
  }
};

Response call(av::server::Handler& handler, std::string_view method, std::string_view target,
              std::vector<std::pair<std::string, std::string>> headers,
              std::size_t body_capacity = 64 * 1024) {
  std::vector<av::server::HeaderView> views;
  for (const auto& [name, value] : headers) views.push_back({name, value});
  av::server::RequestView request;
  request.method = method;
  request.target = target;
  request.headers = views;
  av::server::Peer peer{"127.0.0.1", 50000, true};
  av::server::Reply reply;
  SecretBytes body(body_capacity);
  handler.handle(request, peer, reply, body);
  return {reply.status, std::string(reply.content_type), reply.headers,
          std::string(av::as_chars(body.reveal()))};
}

std::vector<std::pair<std::string, std::string>> auth(std::string_view token = kToken) {
  return {{"Authorization", std::string(token)}};
}

// Fixture: a base cache over a scripted fetcher and a role factory recording the ARNs it saw.
struct Fixture {
  ManualClock clock;
  int base_calls = 0;
  bool base_failing = false;
  std::string base_error = "sts unreachable: connection refused";
  std::vector<std::string> role_arns;                // factory calls
  std::map<std::string, int> role_fetches;           // fetcher calls per ARN
  std::map<std::string, std::string> failing_roles;  // ARN -> error text
  CredentialCache base{[this]() -> Result<Credentials> {
                         ++base_calls;
                         if (base_failing) return Error(Errc::Network, base_error);
                         return make_creds("ASIABASE" + std::to_string(base_calls), "basesecret",
                                           "basetoken", clock.t + hours(1));
                       },
                       clock};
  EcsHandler handler{SecretString::copy_of(kToken), base,
                     [this](const std::string& arn) -> av::server::Fetcher {
                       role_arns.push_back(arn);
                       return [this, arn]() -> Result<Credentials> {
                         const int n = ++role_fetches[arn];
                         if (auto f = failing_roles.find(arn); f != failing_roles.end()) {
                           return Error(Errc::AwsApi, f->second);
                         }
                         return make_creds("ASIAROLE" + std::to_string(n), "rolesecret:" + arn,
                                           "roletoken", clock.t + hours(1));
                       };
                     },
                     clock};
};

}  // namespace

TEST_CASE("ECS: the base credentials as §6.4's JSON, text/plain as Go sniffs it",
          "[server][ecs][vector]") {
  Fixture f;
  const Response r = call(f.handler, "GET", "/", auth());
  CHECK(r.status == 200);
  CHECK(r.content_type == kSniffed);
  // Expiration: clock 1'700'000'000 + 1h = 2023-11-14T23:13:20Z.
  CHECK(r.body ==
        "{\"AccessKeyId\":\"ASIABASE1\",\"Expiration\":\"2023-11-14T23:13:20Z\","
        "\"SecretAccessKey\":\"basesecret\",\"Token\":\"basetoken\"}\n");
  CHECK(r.headers.empty());
}

TEST_CASE("ECS: credentials that never expire carry Go's zero time, an empty token as \"\"",
          "[server][ecs][vector]") {
  ManualClock clock;
  CredentialCache base([] { return Result<Credentials>(make_creds("AKIALONG", "s/+=", "", {})); },
                       clock);
  EcsHandler handler(SecretString::copy_of(kToken), base, nullptr, clock);
  const Response r = call(handler, "GET", "/", auth());
  CHECK(r.status == 200);
  CHECK(r.body ==
        "{\"AccessKeyId\":\"AKIALONG\",\"Expiration\":\"0001-01-01T00:00:00Z\","
        "\"SecretAccessKey\":\"s/+=\",\"Token\":\"\"}\n");
}

TEST_CASE("ECS: expiration is rendered in UTC truncated to whole seconds",
          "[server][ecs][vector]") {
  ManualClock clock;
  const Time exp = Time(seconds(1'586'999'787)) + std::chrono::milliseconds(999);
  CredentialCache base([exp] { return Result<Credentials>(make_creds("A", "B", "C", exp)); },
                       clock);
  EcsHandler handler(SecretString::copy_of(kToken), base, nullptr, clock);
  CHECK(call(handler, "GET", "/", auth()).body ==
        "{\"AccessKeyId\":\"A\",\"Expiration\":\"2020-04-16T01:16:27Z\","
        "\"SecretAccessKey\":\"B\",\"Token\":\"C\"}\n");
}

TEST_CASE("ECS: any method and any other path serve the base credentials",
          "[server][ecs][vector]") {
  Fixture f;
  const std::string expected = call(f.handler, "GET", "/", auth()).body;
  for (const char* method : {"POST", "PUT", "DELETE", "HEAD", "PATCH"}) {
    CAPTURE(method);
    const Response r = call(f.handler, method, "/", auth());
    CHECK(r.status == 200);
    CHECK(r.body == expected);
  }
  for (const char* target :
       {"/creds", "/a/b/c", "/?x=1", "/role-arnx/y", "/role-arn%2Fx", "/latest/meta-data/"}) {
    CAPTURE(target);
    const Response r = call(f.handler, "GET", target, auth());
    CHECK(r.status == 200);
    CHECK(r.body == expected);
  }
  CHECK(f.base_calls == 1);
  CHECK(f.role_arns.empty());
}

TEST_CASE("ECS: requests without the exact token get 403 and no credentials",
          "[server][ecs][error]") {
  Fixture f;
  const std::vector<std::vector<std::pair<std::string, std::string>>> cases = {
      {},
      {{"Authorization", ""}},
      {{"Authorization", "Bearer " + std::string(kToken)}},
      {{"Authorization", "wrong"}},
      {{"X-Authorization", std::string(kToken)}},
      {{"Authorization", "wrong"}, {"Authorization", std::string(kToken)}},  // first one counts
  };
  for (const auto& headers : cases) {
    for (const char* target : {"/", "/role-arn/arn:aws:iam::1:role/x", "//unclean/../path"}) {
      CAPTURE(target, headers.size());
      const Response r = call(f.handler, "GET", target, headers);
      CHECK(r.status == 403);
      CHECK(r.content_type == kJson);
      CHECK(r.body == kForbidden);
      CHECK(r.headers.empty());  // 403 before routing: no redirect
    }
  }
  CHECK(f.base_calls == 0);
  CHECK(f.role_arns.empty());
}

TEST_CASE("ECS: the Authorization header name is matched case-insensitively", "[server][ecs]") {
  Fixture f;
  CHECK(call(f.handler, "GET", "/", {{"authorization", std::string(kToken)}}).status == 200);
  CHECK(call(f.handler, "GET", "/", {{"AUTHORIZATION", std::string(kToken)}}).status == 200);
}

TEST_CASE("ECS: every mutation of the token is refused", "[server][ecs][mutation]") {
  Fixture f;
  std::size_t mutants = 0;
  auto check_refused = [&](const std::string& mutant) {
    if (mutant == kToken) return;  // the untruncated input itself
    ++mutants;
    const Response r = call(f.handler, "GET", "/", auth(mutant));
    if (r.status != 403 || r.body != kForbidden) {
      FAIL_CHECK("accepted mutant of length " << mutant.size());
    }
  };
  // Truncations at every length and every single-bit flip.
  av::testing::for_each_mutation(kToken, check_refused);
  // Every single-byte substitution with every other byte value.
  for (std::size_t i = 0; i < kToken.size(); ++i) {
    for (int b = 0; b < 256; ++b) {
      std::string mutant(kToken);
      if (static_cast<unsigned char>(mutant[i]) == b) continue;
      mutant[i] = static_cast<char>(b);
      check_refused(mutant);
    }
  }
  // Extensions at either end, and the token repeated.
  for (const char* extra : {"A", "=", " ", "\t", "\0", "==", "AAAA"}) {
    const std::string e = std::string(extra).empty() ? std::string(1, '\0') : std::string(extra);
    check_refused(std::string(kToken) + e);
    check_refused(e + std::string(kToken));
  }
  check_refused(std::string(kToken) + std::string(kToken));
  CHECK(mutants > 10'000);
  CHECK(f.base_calls == 0);
  CHECK(call(f.handler, "GET", "/", auth()).status == 200);  // and the token itself works
}

TEST_CASE("ECS: a failed fetch is 500 with the error text as JSON", "[server][ecs][error]") {
  Fixture f;
  f.base_failing = true;
  const Response r = call(f.handler, "GET", "/", auth());
  CHECK(r.status == 500);
  CHECK(r.content_type == kJson);
  CHECK(r.body == "{\"Message\":\"sts unreachable: connection refused\"}\n");

  f.base_error = "profile \"dev\": bad\n<b>&</b>\x01";
  CHECK(call(f.handler, "GET", "/", auth()).body ==
        "{\"Message\":\"profile \\\"dev\\\": bad\\n\\u003cb\\u003e\\u0026\\u003c/b\\u003e"
        "\\u0001\"}\n");
}

TEST_CASE("ECS: error replies never contain secrets", "[server][ecs][error]") {
  Fixture f;
  REQUIRE(call(f.handler, "GET", "/", auth()).status == 200);  // base secrets now cached
  f.failing_roles["arn:aws:iam::1:role/denied"] = "AccessDenied: not authorized";
  const std::vector<Response> failures = {
      call(f.handler, "GET", "/", auth("nope")),
      call(f.handler, "GET", "/role-arn/arn:aws:iam::1:role/denied", auth()),
      call(f.handler, "GET", "/role-arn/%zz", auth()),
      // A body buffer too small for the credentials: 500, and no partial JSON left behind.
      call(f.handler, "GET", "/", auth(), 100),
  };
  for (const Response& r : failures) {
    CAPTURE(r.body);
    CHECK(r.status >= 400);
    CHECK(r.body.find("basesecret") == std::string::npos);
    CHECK(r.body.find("basetoken") == std::string::npos);
    CHECK(r.body.find(kToken) == std::string::npos);
  }
  CHECK(failures[3].status == 500);
  CHECK(failures[3].body == "{\"Message\":\"credentials do not fit in the reply buffer\"}\n");
}

TEST_CASE("ECS: /role-arn/<ARN> assumes that role, one cache per ARN", "[server][ecs][role]") {
  Fixture f;
  const std::string admin = "arn:aws:iam::123456789012:role/admin";
  const Response r = call(f.handler, "GET", "/role-arn/" + admin, auth());
  CHECK(r.status == 200);
  CHECK(r.content_type == kSniffed);
  CHECK(r.body ==
        "{\"AccessKeyId\":\"ASIAROLE1\",\"Expiration\":\"2023-11-14T23:13:20Z\","
        "\"SecretAccessKey\":\"rolesecret:" +
            admin + "\",\"Token\":\"roletoken\"}\n");
  // Cached: the same credentials, no second factory call or fetch.
  CHECK(call(f.handler, "POST", "/role-arn/" + admin + "?x=y", auth()).body == r.body);
  CHECK(f.role_arns == std::vector<std::string>{admin});
  CHECK(f.role_fetches[admin] == 1);
  // A role path with several segments (IAM role paths) is one ARN.
  const std::string pathed = "arn:aws:iam::123456789012:role/team/ops/deploy";
  CHECK(call(f.handler, "GET", "/role-arn/" + pathed, auth()).status == 200);
  CHECK(f.role_arns == std::vector<std::string>{admin, pathed});
  CHECK(f.base_calls == 0);  // the factory, not the handler, uses the base credentials
}

TEST_CASE("ECS: the ARN is percent-decoded and shares its cache with the plain form",
          "[server][ecs][role]") {
  Fixture f;
  const Response encoded = call(
      f.handler, "GET", "/role-arn/arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fadmin%2bx", auth());
  CHECK(encoded.status == 200);
  REQUIRE(f.role_arns.size() == 1);
  CHECK(f.role_arns[0] == "arn:aws:iam::123456789012:role/admin+x");  // '+' stays a plus
  const Response plain =
      call(f.handler, "GET", "/role-arn/arn:aws:iam::123456789012:role/admin+x", auth());
  CHECK(plain.body == encoded.body);
  CHECK(f.role_arns.size() == 1);
}

TEST_CASE("ECS: a malformed percent escape in the ARN is 400", "[server][ecs][role][error]") {
  Fixture f;
  for (const char* target : {"/role-arn/arn%", "/role-arn/arn%4", "/role-arn/arn%zz"}) {
    CAPTURE(target);
    const Response r = call(f.handler, "GET", target, auth());
    CHECK(r.status == 400);
    CHECK(r.content_type == kJson);
    CHECK(r.body.starts_with("{\"Message\":\"decoding the path: "));
  }
  CHECK(f.role_arns.empty());
}

TEST_CASE("ECS: a failed AssumeRole is 500 and is not cached", "[server][ecs][role][error]") {
  Fixture f;
  const std::string arn = "arn:aws:iam::1:role/denied";
  f.failing_roles[arn] = "AccessDenied: User is not authorized to perform: sts:AssumeRole";
  const Response r = call(f.handler, "GET", "/role-arn/" + arn, auth());
  CHECK(r.status == 500);
  CHECK(r.content_type == kJson);
  CHECK(r.body ==
        "{\"Message\":\"AccessDenied: User is not authorized to perform: sts:AssumeRole\"}\n");
  f.failing_roles.clear();
  CHECK(call(f.handler, "GET", "/role-arn/" + arn, auth()).status == 200);
  CHECK(f.role_arns.size() == 2);  // the failed cache was dropped, a new one made

  // "/role-arn/" itself asks for the empty ARN, as upstream (STS then refuses it).
  f.failing_roles[""] = "ValidationError: roleArn is empty";
  CHECK(call(f.handler, "GET", "/role-arn/", auth()).status == 500);
  CHECK(f.role_arns.back().empty());
}

TEST_CASE("ECS: at most kMaxEcsRoleCaches ARNs are cached; further ones are 500",
          "[server][ecs][role]") {
  Fixture f;
  auto arn = [](std::size_t i) { return "arn:aws:iam::1:role/r" + std::to_string(i); };
  // ARNs whose first fetch fails take no slot.
  for (std::size_t i = 0; i < 100; ++i) f.failing_roles["bad" + std::to_string(i)] = "denied";
  for (std::size_t i = 0; i < 100; ++i) {
    CHECK(call(f.handler, "GET", "/role-arn/bad" + std::to_string(i), auth()).status == 500);
  }
  for (std::size_t i = 0; i < av::server::kMaxEcsRoleCaches; ++i) {
    REQUIRE(call(f.handler, "GET", "/role-arn/" + arn(i), auth()).status == 200);
  }
  const Response full = call(f.handler, "GET", "/role-arn/" + arn(999), auth());
  CHECK(full.status == 500);
  CHECK(full.content_type == kJson);
  CHECK(full.body == "{\"Message\":\"too many role ARNs: this server serves at most 64\"}\n");
  // Cached ARNs and the base route still work.
  CHECK(call(f.handler, "GET", "/role-arn/" + arn(0), auth()).status == 200);
  CHECK(f.role_fetches[arn(0)] == 1);
  CHECK(call(f.handler, "GET", "/", auth()).status == 200);
}

TEST_CASE("ECS: role credentials are refreshed inside the refresh window", "[server][ecs][role]") {
  Fixture f;
  const std::string arn = "arn:aws:iam::1:role/x";
  REQUIRE(call(f.handler, "GET", "/role-arn/" + arn, auth()).body.find("ASIAROLE1") !=
          std::string::npos);
  f.clock.t += minutes(54);
  CHECK(call(f.handler, "GET", "/role-arn/" + arn, auth()).body.find("ASIAROLE1") !=
        std::string::npos);
  f.clock.t += minutes(2);  // 4 minutes left
  CHECK(call(f.handler, "GET", "/role-arn/" + arn, auth()).body.find("ASIAROLE2") !=
        std::string::npos);
  CHECK(f.role_fetches[arn] == 2);
  CHECK(f.role_arns.size() == 1);
}

TEST_CASE("ECS: unclean paths and /role-arn get Go ServeMux's 301", "[server][ecs][mux]") {
  Fixture f;
  struct Case {
    const char* target;
    const char* location;
  };
  const Case cases[] = {
      {"/role-arn", "/role-arn/"},
      {"/role-arn?a=b", "/role-arn/?a=b"},
      {"//role-arn", "/role-arn/"},
      {"/x/../role-arn", "/role-arn/"},
      {"//foo/../bar?x=1", "/bar?x=1"},
      {"/a/./b/", "/a/b/"},
      {"/role-arn//arn:aws:iam::1:role/x", "/role-arn/arn:aws:iam::1:role/x"},
      {"/role-arn/a/../b", "/role-arn/b"},
      {"/..", "/"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.target);
    const Response r = call(f.handler, "GET", c.target, auth());
    CHECK(r.status == 301);
    CHECK(r.header("Location") == c.location);
    CHECK(r.content_type == "text/html; charset=utf-8");
    CHECK(r.body == "<a href=\"" + std::string(c.location) + "\">Moved Permanently</a>.\n\n");
  }
  const Response head = call(f.handler, "HEAD", "/role-arn", auth());
  CHECK(head.status == 301);
  CHECK(head.content_type == "text/html; charset=utf-8");
  CHECK(head.body.empty());
  const Response post = call(f.handler, "POST", "/a//b", auth());
  CHECK(post.status == 301);
  CHECK(post.header("Location") == "/a/b");
  CHECK(post.content_type.empty());
  CHECK(post.body.empty());
  CHECK(f.base_calls == 0);
  CHECK(f.role_arns.empty());
}

TEST_CASE("ECS: make_ecs_token returns 40 characters of unpadded base64url of 30 random bytes",
          "[server][ecs]") {
  auto a = av::server::make_ecs_token();
  auto b = av::server::make_ecs_token();
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->size() == 40);
  for (const char c : a->reveal()) {
    CHECK((av::ascii::is_alnum(c) || c == '-' || c == '_'));
  }
  auto decoded =
      av::crypto::decode_base64_secret(a->reveal(), av::crypto::Base64Variant::UrlUnpadded);
  REQUIRE(decoded);
  CHECK(decoded->size() == 30);
  CHECK(a->reveal() != b->reveal());

  // A handler built with it accepts exactly it.
  ManualClock clock;
  CredentialCache base([] { return Result<Credentials>(make_creds("A", "B", "C", {})); }, clock);
  const std::string token(a->reveal());
  EcsHandler handler(std::move(*a), base, nullptr, clock);
  CHECK(call(handler, "GET", "/", auth(token)).status == 200);
  CHECK(call(handler, "GET", "/", auth(b->reveal())).status == 403);
}

TEST_CASE("ECS: the kept reply is re-rendered after a refresh, and only then",
          "[server][ecs][cache]") {
  Fixture f;
  const std::string first =
      "{\"AccessKeyId\":\"ASIABASE1\",\"Expiration\":\"2023-11-14T23:13:20Z\","
      "\"SecretAccessKey\":\"basesecret\",\"Token\":\"basetoken\"}\n";
  CHECK(call(f.handler, "GET", "/", auth()).body == first);
  // Many requests: the same bytes, no further fetch; a body buffer too small in between does
  // not disturb the kept reply.
  for (int i = 0; i < 200; ++i) {
    const Response r = call(f.handler, "GET", "/", auth());
    REQUIRE(r.status == 200);
    REQUIRE(r.body == first);
  }
  CHECK(call(f.handler, "GET", "/", auth(), 100).status == 500);
  CHECK(call(f.handler, "GET", "/", auth()).body == first);
  CHECK(f.base_calls == 1);

  f.clock.t += minutes(56);  // 4 minutes left: refreshed, the next reply carries the new ones
  const std::string second =
      "{\"AccessKeyId\":\"ASIABASE2\",\"Expiration\":\"2023-11-15T00:09:20Z\","
      "\"SecretAccessKey\":\"basesecret\",\"Token\":\"basetoken\"}\n";
  CHECK(call(f.handler, "GET", "/", auth()).body == second);
  CHECK(call(f.handler, "GET", "/x", auth()).body == second);
  CHECK(f.base_calls == 2);

  // A failed refresh keeps serving the old (still valid) reply; once they expire, 500.
  f.base_failing = true;
  f.clock.t += minutes(57);
  CHECK(call(f.handler, "GET", "/", auth()).body == second);
  f.clock.t += minutes(4);
  const Response expired = call(f.handler, "GET", "/", auth());
  CHECK(expired.status == 500);
  CHECK(expired.body == "{\"Message\":\"sts unreachable: connection refused\"}\n");
  f.base_failing = false;
  CHECK(call(f.handler, "GET", "/", auth()).body.find("ASIABASE5") != std::string::npos);
}

TEST_CASE("ECS: each role ARN keeps its own reply; many requests fetch once",
          "[server][ecs][role][cache]") {
  Fixture f;
  const std::string a = "arn:aws:iam::1:role/a";
  const std::string b = "arn:aws:iam::1:role/b";
  for (int i = 0; i < 100; ++i) {
    REQUIRE(call(f.handler, "GET", "/role-arn/" + a, auth()).body.find("rolesecret:" + a) !=
            std::string::npos);
    REQUIRE(call(f.handler, "GET", "/role-arn/" + b, auth()).body.find("rolesecret:" + b) !=
            std::string::npos);
  }
  CHECK(f.role_fetches[a] == 1);
  CHECK(f.role_fetches[b] == 1);
  f.clock.t += minutes(56);
  CHECK(call(f.handler, "GET", "/role-arn/" + a, auth()).body.find("ASIAROLE2") !=
        std::string::npos);
  CHECK(call(f.handler, "GET", "/role-arn/" + b, auth()).body.find("ASIAROLE2") !=
        std::string::npos);
  CHECK(call(f.handler, "GET", "/", auth()).body.find("ASIABASE1") != std::string::npos);
}
