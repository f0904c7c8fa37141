// sso_test.cpp: SSO role credentials (spec §10, differences in vault/sso.h).
//
// Pure parts: the OIDC keyring item (§5.4 plus our cached client registration: a vector written
// by upstream's format, our own with a Client, one test per error, mutation), the AWS CLI cache
// file (§10.4), sso_registration_scopes, and the loopback redirect request.
// Flows: against tests/support/sso_fake.py (SsoFake; there is no SSO in moto), with a MemoryKeyring
// and a fake clock. The "browser" is a hook: for the redirect flow it fetches the authorize URL
// from the fake and follows its 302 to our loopback listener; for the device flow it approves the
// user code. Sleeps between device polls advance the fake clock instead of waiting.
#include <sys/stat.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "aws/query.h"
#include "base/limits.h"
#include "base/log.h"
#include "config/aws_config.h"
#include "crypto/random.h"
#include "keyring/keys.h"
#include "keyring/memory_keyring.h"
#include "support/mutation.h"
#include "net/http_client.h"
#include "platform/secure_file.h"
#include "platform/socket.h"
#include "support/sso_fake.h"
#include "vault/oidc_cache.h"
#include "vault/sso.h"
#include "vault/vault.h"

namespace {

using av::Errc;
using av::vault::CachedOidcClient;
using av::vault::OidcItem;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using Time = std::chrono::system_clock::time_point;

constexpr const char* kStartUrl = "https://example.awsapps.com/start";

// ---- the debug log ----------------------------------------------------------------------------

std::mutex g_sso_log_mutex;
std::vector<std::string> g_sso_log;
void capture_sso_log(std::string_view line) {
  std::lock_guard<std::mutex> guard(g_sso_log_mutex);
  g_sso_log.emplace_back(line);
}
bool sso_logged(const std::string& fragment) {
  std::lock_guard<std::mutex> guard(g_sso_log_mutex);
  for (const auto& line : g_sso_log) {
    if (line.find(fragment) != std::string::npos) return true;
  }
  return false;
}

// ---- item vectors -----------------------------------------------------------------------------

// What upstream (Go aws-vault v7) writes: CreateTokenOutput fields, absent strings as null, an
// Expiration with nanoseconds and a local offset (spec §5.4).
constexpr std::string_view kUpstreamItem =
    R"({"Token":{"AccessToken":"aoaAAAAtoken","ExpiresIn":28800,"IdToken":null,)"
    R"("RefreshToken":null,"TokenType":"Bearer","ResultMetadata":{}},)"
    R"("Expiration":"2024-05-01T20:00:00.123456789+10:00"})";

// Ours: the same plus a refresh token and the cached client registration.
constexpr std::string_view kOurItem =
    R"({"Token":{"AccessToken":"aoaAAAAtoken","ExpiresIn":28800,"IdToken":null,)"
    R"("RefreshToken":"aorAAAArefresh","TokenType":"Bearer","ResultMetadata":{}},)"
    R"("Expiration":"2024-05-01T10:00:00.123456789Z",)"
    R"("Client":{"ClientId":"client-1","ClientSecret":"client-secret",)"
    R"("ExpiresAt":"2024-07-30T10:00:00Z","Region":"eu-west-1",)"
    R"("Scopes":["sso:account:access"],"GrantTypes":["authorization_code","refresh_token"]}})";

Time at(std::int64_t unix_seconds) { return Time(seconds(unix_seconds)); }

std::string replaced(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  const std::size_t pos = out.find(from);
  REQUIRE(pos != std::string::npos);
  out.replace(pos, from.size(), to);
  return out;
}

}  // namespace

TEST_CASE("oidc item: upstream's format is read", "[vault][sso][vector]") {
  auto item = av::vault::parse_oidc_item(kUpstreamItem);
  REQUIRE(item.has_value());
  CHECK(item->token.access_token.reveal() == "aoaAAAAtoken");
  CHECK(item->token.refresh_token.empty());
  CHECK(item->token.id_token.empty());
  CHECK(item->token.token_type == "Bearer");
  CHECK(item->token.expires_in == seconds(28800));
  // 20:00:00.123456789+10:00 is 10:00:00.123456789 UTC on 2024-05-01 (1714557600).
  CHECK(item->expiration == at(1714557600) + std::chrono::nanoseconds(123456789));
  CHECK_FALSE(item->client.has_value());
}

TEST_CASE("oidc item: ours carries the refresh token and the client, and round-trips",
          "[vault][sso][vector][roundtrip]") {
  auto item = av::vault::parse_oidc_item(kOurItem);
  REQUIRE(item.has_value());
  CHECK(item->token.refresh_token.reveal() == "aorAAAArefresh");
  REQUIRE(item->client.has_value());
  CHECK(item->client->client.client_id == "client-1");
  CHECK(item->client->client.client_secret.reveal() == "client-secret");
  CHECK(item->client->client.expires_at == at(1722333600));
  CHECK(item->client->region == "eu-west-1");
  CHECK(item->client->scopes == std::vector<std::string>{"sso:account:access"});
  CHECK(item->client->grant_types ==
        std::vector<std::string>{"authorization_code", "refresh_token"});
  auto json = av::vault::serialize_oidc_item(*item);
  REQUIRE(json.has_value());
  CHECK(json->reveal() == kOurItem);
}

TEST_CASE("oidc item: upstream's item is rewritten in upstream's layout, in UTC",
          "[vault][sso][vector]") {
  auto item = av::vault::parse_oidc_item(kUpstreamItem);
  REQUIRE(item.has_value());
  auto json = av::vault::serialize_oidc_item(*item);
  REQUIRE(json.has_value());
  CHECK(json->reveal() ==
        R"({"Token":{"AccessToken":"aoaAAAAtoken","ExpiresIn":28800,"IdToken":null,)"
        R"("RefreshToken":null,"TokenType":"Bearer","ResultMetadata":{}},)"
        R"("Expiration":"2024-05-01T10:00:00.123456789Z"})");
}

TEST_CASE("oidc item: member names match in any case; unknown members and null Client are "
          "ignored",
          "[vault][sso][vector]") {
  auto item = av::vault::parse_oidc_item(
      R"({"token":{"accesstoken":"a","EXPIRESIN":5,"Scope":"x","AwsAdditionalDetails":{}},)"
      R"("expiration":"2024-05-01T10:00:00Z","Client":null,"Extra":[1,2]})");
  REQUIRE(item.has_value());
  CHECK(item->token.access_token.reveal() == "a");
  CHECK(item->token.expires_in == seconds(5));
  CHECK_FALSE(item->client.has_value());
}

TEST_CASE("oidc item: one error per malformed input", "[vault][sso][error]") {
  struct Case {
    std::string name;
    std::string json;
    Errc code;
    std::string message;
  };
  const std::string up(kUpstreamItem);
  const std::string ours(kOurItem);
  const std::vector<Case> cases = {
      {"invalid JSON", "{\"Token\":", Errc::Truncated, "oidc item: "},
      {"duplicate key", R"({"Token":{},"Token":{}})", Errc::Parse, "oidc item: json: duplicate"},
      {"not an object", "[]", Errc::Parse, "oidc item: not a JSON object"},
      {"no Token", R"({"Expiration":"2024-05-01T10:00:00Z"})", Errc::Parse,
       "oidc item: missing Token"},
      {"null Token", replaced(up, R"({"AccessToken":"aoaAAAAtoken","ExpiresIn":28800,"IdToken":null,"RefreshToken":null,"TokenType":"Bearer","ResultMetadata":{}})", "null"),
       Errc::Parse, "oidc item: missing Token"},
      {"Token not an object", R"({"Token":"x","Expiration":"2024-05-01T10:00:00Z"})",
       Errc::Parse, "oidc item: Token is not an object"},
      {"AccessToken not a string", replaced(up, R"("aoaAAAAtoken")", "7"), Errc::Parse,
       "oidc item: AccessToken is not a string"},
      {"AccessToken null", replaced(up, R"("aoaAAAAtoken")", "null"), Errc::Parse,
       "oidc item: Token has no AccessToken"},
      {"ExpiresIn not an integer", replaced(up, "28800", "1.5"), Errc::Parse,
       "oidc item: ExpiresIn is not a 32-bit integer"},
      {"ExpiresIn beyond int32", replaced(up, "28800", "2147483648"), Errc::Parse,
       "oidc item: ExpiresIn is not a 32-bit integer"},
      {"TokenType not a string", replaced(up, R"("Bearer")", "{}"), Errc::Parse,
       "oidc item: TokenType is not a string"},
      {"no Expiration", replaced(up, R"(,"Expiration":"2024-05-01T20:00:00.123456789+10:00")", ""),
       Errc::Parse, "oidc item: missing Expiration"},
      {"Expiration not RFC 3339", replaced(up, "2024-05-01T20", "2024-05-01 20"), Errc::Parse,
       "oidc item: Expiration is not an RFC 3339 time"},
      {"Expiration not a string", replaced(up, R"("2024-05-01T20:00:00.123456789+10:00")", "1"),
       Errc::Parse, "oidc item: Expiration is not a string"},
      {"Client not an object", replaced(ours, R"("Client":{)", R"("Client":7,"X":{)"),
       Errc::Parse, "oidc item: Client is not an object"},
      {"no ClientId", replaced(ours, R"("ClientId":"client-1",)", ""), Errc::Parse,
       "oidc item: Client has no ClientId"},
      {"no ClientSecret", replaced(ours, R"("ClientSecret":"client-secret",)", ""), Errc::Parse,
       "oidc item: Client has no ClientSecret"},
      {"no ExpiresAt", replaced(ours, R"("ExpiresAt":"2024-07-30T10:00:00Z",)", ""), Errc::Parse,
       "oidc item: Client has no ExpiresAt"},
      {"ExpiresAt invalid", replaced(ours, "2024-07-30T10:00:00Z", "tomorrow"), Errc::Parse,
       "oidc item: ExpiresAt is not an RFC 3339 time"},
      {"Region not a string", replaced(ours, R"("eu-west-1")", "[]"), Errc::Parse,
       "oidc item: Region is not a string"},
      {"Scopes not an array", replaced(ours, R"(["sso:account:access"])", R"("sso")"),
       Errc::Parse, "oidc item: Scopes is not an array"},
      {"Scopes holds a number", replaced(ours, R"(["sso:account:access"])", "[1]"), Errc::Parse,
       "oidc item: Scopes holds a value that is not a string"},
      {"GrantTypes not an array", replaced(ours, R"(["authorization_code","refresh_token"])", "{}"),
       Errc::Parse, "oidc item: GrantTypes is not an array"},
      {"ClientSecret not a string", replaced(ours, R"("client-secret")", "false"), Errc::Parse,
       "oidc item: ClientSecret is not a string"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name, c.json);
    auto item = av::vault::parse_oidc_item(c.json);
    REQUIRE_FALSE(item.has_value());
    CHECK(item.error().code() == c.code);
    CHECK(std::string(item.error().message()).rfind(c.message, 0) == 0);
    // Secrets never appear in messages.
    CHECK(std::string(item.error().message()).find("client-secret") == std::string::npos);
    CHECK(std::string(item.error().message()).find("aoaAAAAtoken") == std::string::npos);
  }
}

TEST_CASE("oidc item: more than kMaxOidcScopes scopes is too large", "[vault][sso][error]") {
  std::string many = "[";
  for (std::size_t i = 0; i <= av::limits::kMaxOidcScopes; ++i) many += (i ? ",\"s\"" : "\"s\"");
  many += "]";
  auto item = av::vault::parse_oidc_item(replaced(kOurItem, R"(["sso:account:access"])", many));
  REQUIRE_FALSE(item.has_value());
  CHECK(item.error().code() == Errc::TooLarge);
}

TEST_CASE("oidc item: mutants never crash and what parses round-trips", "[vault][sso][mutation]") {
  int accepted = 0;
  av::testing::for_each_mutation(kOurItem, [&accepted](const std::string& mutant) {
    auto item = av::vault::parse_oidc_item(mutant);
    if (!item) return;
    ++accepted;
    auto json = av::vault::serialize_oidc_item(*item);
    REQUIRE(json.has_value());
    auto again = av::vault::parse_oidc_item(json->reveal());
    REQUIRE(again.has_value());
    auto json2 = av::vault::serialize_oidc_item(*again);
    REQUIRE(json2.has_value());
    CHECK(json2->reveal() == json->reveal());
  });
  CHECK(accepted > 0);
}

TEST_CASE("oidc item: the label names the start URL and the UTC expiry", "[vault][sso][vector]") {
  CHECK(av::vault::oidc_item_label(kStartUrl, at(1714557600)) ==
        "aws-vault oidc token for https://example.awsapps.com/start (expires "
        "2024-05-01T10:00:00Z)");
}

TEST_CASE("oidc store: absent and undecodable items read as none, and the latter stays",
          "[vault][sso][integration]") {
  av::keyring::MemoryKeyring keyring;
  av::vault::OidcTokenStore store(keyring);
  auto none = store.load(kStartUrl);
  REQUIRE(none.has_value());
  CHECK_FALSE(none->has_value());

  av::keyring::Item bad;
  bad.key = av::keyring::oidc_token_key(kStartUrl);
  bad.data = av::secure::SecretBytes::copy_of(av::as_bytes(std::string_view("{nope")));
  REQUIRE(keyring.set(bad).has_value());
  av::log::set_debug_sink(capture_sso_log);
  auto undecodable = store.load(kStartUrl);
  av::log::set_debug_sink(nullptr);
  REQUIRE(undecodable.has_value());
  CHECK_FALSE(undecodable->has_value());
  CHECK(keyring.size() == 1);
  CHECK(sso_logged("OIDC token for 'https://example.awsapps.com/start' does not decode"));

  keyring.fail_with(av::Error(Errc::Keyring, "locked"));
  auto failed = store.load(kStartUrl);
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().code() == Errc::Keyring);
}

TEST_CASE("oidc store: items are stored with upstream's label, description and trust",
          "[vault][sso][integration]") {
  av::keyring::MemoryKeyring keyring;
  av::vault::OidcTokenStore store(keyring);
  auto item = av::vault::parse_oidc_item(kOurItem);
  REQUIRE(item.has_value());
  REQUIRE(store.store(kStartUrl, *item).has_value());
  auto raw = keyring.get("oidc:https://example.awsapps.com/start");
  REQUIRE(raw.has_value());
  CHECK(raw->label == "aws-vault oidc token for https://example.awsapps.com/start (expires "
                      "2024-05-01T10:00:00Z)");
  CHECK(raw->description == "aws-vault oidc token");
  CHECK_FALSE(raw->keychain_not_trust_application);
  CHECK(av::as_chars(raw->data.reveal()) == kOurItem);
  REQUIRE(store.remove(kStartUrl).has_value());
  REQUIRE(store.remove(kStartUrl).has_value());  // missing: not an error
  CHECK(keyring.size() == 0);
}

// ---- the AWS CLI cache ------------------------------------------------------------------------

namespace {

std::string make_sso_temp_dir() {
  char tmpl[] = "/tmp/av-sso-test-XXXXXX";
  const char* made = ::mkdtemp(tmpl);
  REQUIRE(made != nullptr);
  return made;
}

class FakeClock final : public av::platform::Clock {
 public:
  Time t = std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now());
  Time now() const override { return t; }
};

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777U;
}

}  // namespace

TEST_CASE("aws cli cache: the file is named by SHA-1 of the session name, else the start URL",
          "[vault][sso][vector]") {
  auto env = av::platform::Environment::from_pairs({{"HOME", "/home/u"}});
  av::config::ResolvedProfile p;
  p.sso_start_url = kStartUrl;
  p.sso_session = "my-sso";
  // hashlib.sha1(b"my-sso").hexdigest() (botocore's cache key for an sso-session)
  CHECK(av::vault::aws_cli_sso_cache_path(p, env).value() ==
        "/home/u/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json");
  p.sso_session.clear();
  // hashlib.sha1(b"https://example.awsapps.com/start").hexdigest()
  CHECK(av::vault::aws_cli_sso_cache_path(p, env).value() ==
        "/home/u/.aws/sso/cache/e8be5486177c5b5392bd9aa76563515b29358e6e.json");
}

TEST_CASE("aws cli cache: content is accessToken, expiresAt and refreshToken only",
          "[vault][sso][vector]") {
  auto item = av::vault::parse_oidc_item(kOurItem);
  REQUIRE(item.has_value());
  // 3600.9 s before the expiry (10:00:00.123456789): 3600 whole seconds remain, added to now
  // (08:59:59.223456789) and truncated, as upstream computes it.
  const Time now = item->expiration - seconds(3600) - milliseconds(900);
  auto text = av::vault::serialize_aws_cli_sso_cache(*item, now);
  REQUIRE(text.has_value());
  CHECK(text->reveal() ==
        R"({"accessToken":"aoaAAAAtoken","expiresAt":"2024-05-01T09:59:59Z",)"
        R"("refreshToken":"aorAAAArefresh"})");
  item->token.refresh_token = av::secure::SecretString();
  text = av::vault::serialize_aws_cli_sso_cache(*item, now);
  REQUIRE(text.has_value());
  CHECK(text->reveal() == R"({"accessToken":"aoaAAAAtoken","expiresAt":"2024-05-01T09:59:59Z"})");
}

TEST_CASE("aws cli cache: written 0600 in a 0700 directory; errors name the start URL",
          "[vault][sso][integration]") {
  const std::string home = make_sso_temp_dir();
  auto env = av::platform::Environment::from_pairs({{"HOME", home}});
  av::keyring::MemoryKeyring keyring;
  FakeClock clock;
  av::config::ResolvedProfile p;
  p.sso_start_url = kStartUrl;
  p.sso_session = "my-sso";

  auto missing = av::vault::write_aws_cli_sso_cache(keyring, p, env, clock);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code() == Errc::NotFound);
  CHECK(missing.error().message() ==
        "OIDC token not found in keyring for https://example.awsapps.com/start: the specified "
        "item could not be found in the keyring");

  auto item = av::vault::parse_oidc_item(kUpstreamItem);
  REQUIRE(item.has_value());
  item->expiration = clock.t + hours(2);
  REQUIRE(av::vault::OidcTokenStore(keyring).store(kStartUrl, *item).has_value());
  REQUIRE(av::vault::write_aws_cli_sso_cache(keyring, p, env, clock).has_value());
  const std::string path =
      home + "/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json";
  CHECK(mode_of(home + "/.aws/sso/cache") == 0700);
  CHECK(mode_of(path) == 0600);
  auto written = av::platform::read_file(path);
  REQUIRE(written.has_value());
  CHECK(written->find(R"({"accessToken":"aoaAAAAtoken","expiresAt":")") == 0);

  // An existing directory keeps its mode.
  REQUIRE(::chmod((home + "/.aws/sso/cache").c_str(), 0755) == 0);
  REQUIRE(av::vault::write_aws_cli_sso_cache(keyring, p, env, clock).has_value());
  CHECK(mode_of(home + "/.aws/sso/cache") == 0755);

  clock.t += hours(3);
  auto expired = av::vault::write_aws_cli_sso_cache(keyring, p, env, clock);
  REQUIRE_FALSE(expired.has_value());
  CHECK(expired.error().message() ==
        "OIDC token not found in keyring for https://example.awsapps.com/start: the token has "
        "expired");
}

// ---- registration scopes and the redirect request ---------------------------------------------

TEST_CASE("sso_registration_scopes: comma-separated, trimmed, default sso:account:access",
          "[vault][sso][vector]") {
  using av::vault::detail::registration_scopes;
  using List = std::vector<std::string>;
  CHECK(registration_scopes("") == List{"sso:account:access"});
  CHECK(registration_scopes(" , ,") == List{"sso:account:access"});
  CHECK(registration_scopes("sso:account:access") == List{"sso:account:access"});
  CHECK(registration_scopes(" a , b,,c ") == List{"a", "b", "c"});
}

namespace {
constexpr std::string_view kCallback =
    "GET /oauth/callback?code=ab%2Bc+d&state=xyz&extra=1 HTTP/1.1\r\nHost: 127.0.0.1:1234\r\n"
    "User-Agent: test\r\n\r\n";
}  // namespace

TEST_CASE("redirect request: code, state and error are decoded", "[vault][sso][vector]") {
  using av::vault::detail::parse_callback_request;
  auto request = parse_callback_request(kCallback);
  REQUIRE(request.has_value());
  CHECK(request->path == "/oauth/callback");
  CHECK(request->code.reveal() == "ab+c d");
  CHECK(request->state == std::optional<std::string>("xyz"));
  CHECK(request->error.empty());

  request = parse_callback_request(
      "GET /oauth/callback?error=access_denied&error_description=the+user%20said+no&state=s "
      "HTTP/1.0\r\n\r\n");
  REQUIRE(request.has_value());
  CHECK(request->error == "access_denied");
  CHECK(request->error_description == "the user said no");
  CHECK(request->code.empty());

  request = parse_callback_request("GET /favicon.ico HTTP/1.1\r\n\r\n");
  REQUIRE(request.has_value());
  CHECK(request->path == "/favicon.ico");
  CHECK_FALSE(request->state.has_value());

  request = parse_callback_request("GET /oauth/callback?state= HTTP/1.1\r\n\r\n");
  REQUIRE(request.has_value());
  CHECK(request->state == std::optional<std::string>(""));
}

TEST_CASE("redirect request: one error per malformed request", "[vault][sso][error]") {
  using av::vault::detail::parse_callback_request;
  struct Case {
    std::string head;
    Errc code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"POST /oauth/callback HTTP/1.1\r\n\r\n", Errc::Parse, "callback request: not a GET"},
      {"GET /oauth/callback\r\n\r\n", Errc::Parse, "callback request: malformed request line"},
      {"GET /oauth/callback HTTP/2\r\n\r\n", Errc::Parse,
       "callback request: unsupported HTTP version"},
      {"GET oauth/callback HTTP/1.1\r\n\r\n", Errc::Parse, "callback request: target is not a path"},
      {"GET /oauth/callback?code=%zz HTTP/1.1\r\n\r\n", Errc::Parse,
       "callback request: bad %-escape in code"},
      {"GET /oauth/callback?state=%4 HTTP/1.1\r\n\r\n", Errc::Parse,
       "callback request: bad %-escape in state"},
      {"GET /oauth/callback?state=a&state=b HTTP/1.1\r\n\r\n", Errc::Parse,
       "callback request: repeated parameter state"},
      {"GET /oauth/callback?code=a&code=b HTTP/1.1\r\n\r\n", Errc::Parse,
       "callback request: repeated parameter code"},
      {"GET /x HTTP/1.1\rX\r\n\r\n", Errc::Parse, "callback request: request line"},
      {"", Errc::Truncated, "callback request: request line"},
      {std::string(av::limits::kMaxSsoCallbackRequestBytes + 1, 'G'), Errc::TooLarge,
       "callback request: head exceeds"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.head.substr(0, 60));
    auto request = parse_callback_request(c.head);
    REQUIRE_FALSE(request.has_value());
    CHECK(request.error().code() == c.code);
    CHECK(std::string(request.error().message()).rfind(c.message, 0) == 0);
  }
}

TEST_CASE("redirect request: mutants never crash", "[vault][sso][mutation]") {
  int accepted = 0;
  av::testing::for_each_mutation(kCallback, [&accepted](const std::string& mutant) {
    if (av::vault::detail::parse_callback_request(mutant)) ++accepted;
  });
  CHECK(accepted > 0);
}

// ---- flows against the fake ---------------------------------------------------------------------

namespace {

class NoMfa final : public av::vault::MfaTokenSource {
 public:
  av::Result<av::secure::SecretString> token(const av::config::ResolvedProfile&) override {
    return av::Error(Errc::Internal, "no MFA in SSO tests");
  }
};

// loopback_get sends one GET to 127.0.0.1:<port> and returns the raw response ("" on failure).
std::string loopback_get(std::uint16_t port, const std::string& target) {
  auto socket = av::platform::connect_tcp("127.0.0.1", port, seconds(5));
  if (!socket) return {};
  const std::string request =
      "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (!socket->write_all(av::as_bytes(request), seconds(5))) return {};
  std::string out;
  std::array<std::uint8_t, 4096> buffer{};
  for (;;) {
    auto n = socket->read_some(buffer, seconds(5));
    if (!n || *n == 0) break;
    out.append(av::as_chars(av::ByteSpan(buffer).first(*n)));
  }
  return out;
}

enum class Browser { FollowRedirect, ApproveDevice, Ignore };

// Rig: the fake, a real HTTP client, a MemoryKeyring, a fake clock, and the SSO services with a
// scripted browser. Flows run through detail::sso_role_credentials (token policy) or
// vault::get_credentials (the provider with its role-credential cache).
struct Rig {
  av::testing::SsoFake fake;
  std::unique_ptr<av::net::HttpClient> http;
  std::unique_ptr<av::aws::QueryClient> query;
  av::keyring::MemoryKeyring keyring;
  FakeClock clock;
  av::platform::Environment env;
  NoMfa mfa;
  std::string dir = make_sso_temp_dir();
  std::mutex mutex;
  std::vector<std::string> told;
  std::vector<std::string> callback_replies;  // what our listener answered the "browser"
  std::vector<milliseconds> sleeps;
  std::atomic<int> opened{0};
  std::atomic<int> finished{0};  // browser hooks that returned
  Browser browser = Browser::FollowRedirect;
  av::vault::ChainOptions options;
  std::unique_ptr<av::vault::SsoServices> sso;

  explicit Rig(std::vector<std::string> fake_args = {}) : fake(std::move(fake_args)) {
    INFO(fake.error());
    REQUIRE(fake.error().empty());
    auto made = av::net::make_http_client({}, av::platform::Environment::from_pairs({}));
    REQUIRE(made.has_value());
    http = std::move(made).value();
    query = std::make_unique<av::aws::QueryClient>(*http, clock, av::crypto::system_random());
    env = av::platform::Environment::from_pairs({{"AWS_ENDPOINT_URL_SSO_OIDC", fake.url()},
                                                 {"AWS_ENDPOINT_URL_SSO", fake.url()},
                                                 {"HOME", dir}});
    options.lock_dir = dir + "/locks";
    options.sso_callback_timeout = seconds(30);
    sso = std::make_unique<av::vault::SsoServices>(av::vault::SsoServices{
        *http, av::crypto::system_random(),
        [this](std::string_view text) {
          std::lock_guard<std::mutex> guard(mutex);
          told.emplace_back(text);
        },
        [this](std::string_view url) { return open(std::string(url)); },
        [this](milliseconds d) {
          {
            std::lock_guard<std::mutex> guard(mutex);
            sleeps.push_back(d);
          }
          clock.t += d;
          std::this_thread::sleep_for(milliseconds(20));  // lets the browser thread run
        }});
    {
      std::lock_guard<std::mutex> guard(g_sso_log_mutex);
      g_sso_log.clear();
    }
    av::log::set_debug_sink(capture_sso_log);
  }
  ~Rig() {
    settle();
    av::log::set_debug_sink(nullptr);
  }

  // settle waits (at most 30 s) until every browser hook has returned: a hook that outlives the
  // sign-in runs on a detached thread and still touches this rig.
  void settle() const {
    for (int i = 0; i < 3000 && finished.load() != opened.load(); ++i) {
      std::this_thread::sleep_for(milliseconds(10));
    }
  }

  av::Status open(const std::string& url) {
    ++opened;
    struct Done {
      std::atomic<int>& finished;
      ~Done() { ++finished; }
    } done{finished};
    if (browser == Browser::ApproveDevice) {
      if (!fake.approve(url)) return av::Error(Errc::Io, "approval failed");
      return av::ok();
    }
    if (browser != Browser::FollowRedirect) return av::ok();
    const auto reply = fake.get(url);
    const std::string location = reply.header("Location");
    const std::string prefix = "http://127.0.0.1:";
    if (reply.status != 302 || location.rfind(prefix, 0) != 0) {
      return av::Error(Errc::Io, "no redirect from /authorize");
    }
    const std::size_t slash = location.find('/', prefix.size());
    const int port = std::atoi(location.substr(prefix.size(), slash - prefix.size()).c_str());
    const std::string answer =
        loopback_get(static_cast<std::uint16_t>(port), location.substr(slash));
    std::lock_guard<std::mutex> guard(mutex);
    callback_replies.push_back(answer);
    return av::ok();
  }

  av::config::ResolvedProfile profile(const std::string& role = "Admin") const {
    av::config::ResolvedProfile r;
    r.name = "dev";
    r.sso_start_url = kStartUrl;
    r.sso_region = "eu-west-1";
    r.sso_account_id = "111122223333";
    r.sso_role_name = role;
    return r;
  }

  av::Result<av::aws::Credentials> role_credentials(const av::config::ResolvedProfile& r) {
    av::vault::Services services{keyring, *query, clock, env, mfa, sso.get()};
    auto creds = av::vault::detail::sso_role_credentials(r, services, options);
    settle();
    return creds;
  }
  av::Result<av::aws::Credentials> role_credentials() { return role_credentials(profile()); }

  std::optional<OidcItem> item() {
    auto loaded = av::vault::OidcTokenStore(keyring).load(kStartUrl);
    REQUIRE(loaded.has_value());
    return std::move(loaded).value();
  }
  long stat(const std::string& name) const { return fake.stat(name); }
  bool control(const std::string& json) const { return fake.control(json); }
  std::string told_text() {
    std::lock_guard<std::mutex> guard(mutex);
    std::string all;
    for (const auto& t : told) all += t;
    return all;
  }
};

av::aws::Credentials must(av::Result<av::aws::Credentials> creds) {
  INFO((creds ? "" : std::string(creds.error().message())));
  REQUIRE(creds.has_value());
  return std::move(creds).value();
}

}  // namespace

TEST_CASE("sso: the redirect flow signs in once and the cached token serves later calls",
          "[vault][sso][integration]") {
  Rig rig;
  const auto creds = must(rig.role_credentials());
  CHECK(creds.access_key_id.rfind("ASIA", 0) == 0);
  CHECK_FALSE(creds.secret_access_key.empty());
  CHECK(creds.expiration.has_value());
  CHECK(rig.stat("registrations") == 1);
  CHECK(rig.stat("authorize_calls") == 1);
  CHECK(rig.stat("authorization_code") == 1);
  CHECK(rig.opened == 1);
  CHECK(rig.told_text().rfind("Opening the SSO authorization page in your default browser (use "
                              "Ctrl-C to abort)\n" + rig.fake.url() + "/authorize?",
                              0) == 0);
  REQUIRE(rig.callback_replies.size() == 1);
  CHECK(rig.callback_replies[0].rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(rig.callback_replies[0].find("signed in") != std::string::npos);

  auto item = rig.item();
  REQUIRE(item.has_value());
  CHECK_FALSE(item->token.refresh_token.empty());
  REQUIRE(item->client.has_value());
  CHECK(item->client->grant_types ==
        std::vector<std::string>{"authorization_code", "refresh_token"});
  CHECK(item->client->scopes == std::vector<std::string>{"sso:account:access"});
  CHECK(item->client->region == "eu-west-1");
  CHECK(sso_logged("Created new OIDC client (expires at: "));
  CHECK(sso_logged("Created new OIDC access token for https://example.awsapps.com/start"));
  CHECK(sso_logged("Got credentials ****************"));
  CHECK(sso_logged(" for SSO role Admin (account: 111122223333), expires in "));

  // Another role under the same start URL: no new registration or sign-in.
  must(rig.role_credentials(rig.profile("ReadOnly")));
  CHECK(rig.stat("registrations") == 1);
  CHECK(rig.stat("authorize_calls") == 1);
  CHECK(rig.stat("role_credentials_calls") == 2);
  CHECK(rig.opened == 1);
}

TEST_CASE("sso: --stdout prints the URL and opens no browser", "[vault][sso][integration]") {
  Rig rig;
  auto r = rig.profile();
  r.sso_use_stdout = true;
  rig.options.sso_callback_timeout = milliseconds(300);
  auto creds = rig.role_credentials(r);
  REQUIRE_FALSE(creds.has_value());
  CHECK(creds.error().code() == Errc::Network);
  CHECK(creds.error().message() ==
        "timed out after 300ms waiting for the SSO sign-in to complete in the browser");
  CHECK(rig.opened == 0);
  CHECK(rig.told_text().rfind(
            "Open the SSO authorization page in a browser (use Ctrl-C to abort)\n", 0) == 0);
  CHECK_FALSE(rig.item().has_value());
}

TEST_CASE("sso: an expired access token is refreshed with the stored refresh token",
          "[vault][sso][integration]") {
  Rig rig;
  must(rig.role_credentials());
  const auto before = rig.item();
  REQUIRE(before.has_value());
  REQUIRE(rig.control(R"({"expire_access_tokens": true})"));
  rig.clock.t += hours(9);  // past the 8 h token
  must(rig.role_credentials());
  CHECK(rig.stat("refresh_token") == 1);
  CHECK(rig.stat("authorize_calls") == 1);
  CHECK(rig.stat("registrations") == 1);
  CHECK(rig.opened == 1);
  const auto after = rig.item();
  REQUIRE(after.has_value());
  CHECK(after->token.access_token.reveal() != before->token.access_token.reveal());
  CHECK(after->token.refresh_token.reveal() != before->token.refresh_token.reveal());
  CHECK(after->expiration > rig.clock.t + hours(7));
  CHECK(sso_logged("Refreshed OIDC access token for https://example.awsapps.com/start"));
}

TEST_CASE("sso: a stale refresh token falls back to a new sign-in with the cached client",
          "[vault][sso][integration]") {
  Rig rig;
  must(rig.role_credentials());
  REQUIRE(rig.control(R"({"expire_access_tokens": true, "stale_refresh_tokens": true})"));
  rig.clock.t += hours(9);
  must(rig.role_credentials());
  CHECK(rig.stat("InvalidGrantException") == 1);
  CHECK(rig.stat("authorize_calls") == 2);
  CHECK(rig.stat("registrations") == 1);  // the registration was reused
  CHECK(rig.opened == 2);
  CHECK(sso_logged("was refused (InvalidGrantException), signing in again"));
  CHECK(sso_logged("Re-using OIDC client (expires at: "));
}

TEST_CASE("sso: a token the portal rejects (401) is dropped and the sign-in repeated once",
          "[vault][sso][integration]") {
  Rig rig;
  must(rig.role_credentials());
  REQUIRE(rig.control(R"({"expire_access_tokens": true})"));  // revoked, but looks valid here
  must(rig.role_credentials());
  CHECK(rig.stat("role_credentials_calls") == 3);
  CHECK(rig.stat("authorize_calls") == 2);
  CHECK(sso_logged("was rejected (UnauthorizedException), removing it"));
}

TEST_CASE("sso: a redirect with another state is refused", "[vault][sso][error]") {
  Rig rig;
  REQUIRE(rig.control(R"({"bad_state": true})"));
  auto creds = rig.role_credentials();
  REQUIRE_FALSE(creds.has_value());
  CHECK(creds.error().code() == Errc::AuthFailed);
  CHECK(creds.error().message() ==
        "SSO sign-in refused: the browser's redirect carries a state that does not match this "
        "sign-in (possible cross-site request forgery)");
  CHECK(rig.stat("authorization_code") == 0);  // the code was never used
  REQUIRE(rig.callback_replies.size() == 1);
  CHECK(rig.callback_replies[0].rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
  CHECK(rig.callback_replies[0].find("refused") != std::string::npos);
  CHECK_FALSE(rig.item().has_value());
}

TEST_CASE("sso: access denied in the browser cancels the sign-in", "[vault][sso][error]") {
  Rig rig;
  REQUIRE(rig.control(R"({"deny_next_authorization": true})"));
  auto creds = rig.role_credentials();
  REQUIRE_FALSE(creds.has_value());
  CHECK(creds.error().code() == Errc::Cancelled);
  CHECK(creds.error().message() == "SSO sign-in was denied in the browser (access_denied)");
  CHECK_FALSE(rig.item().has_value());
}

TEST_CASE("sso: the device flow polls until the user approves", "[vault][sso][integration]") {
  Rig rig;
  REQUIRE(rig.control(R"({"enforce_interval": false})"));
  rig.options.sso_use_device_code = true;
  rig.browser = Browser::ApproveDevice;
  must(rig.role_credentials());
  CHECK(rig.stat("device_authorizations") == 1);
  CHECK(rig.stat("approvals") == 1);
  CHECK(rig.stat("authorize_calls") == 0);
  auto item = rig.item();
  REQUIRE(item.has_value());
  REQUIRE(item->client.has_value());
  CHECK(item->client->grant_types.empty());
  CHECK_FALSE(item->token.refresh_token.empty());  // scopes were registered
  CHECK(rig.told_text().find(rig.fake.url() + "/device?user_code=") != std::string::npos);
  CHECK(sso_logged("Created OIDC device code for https://example.awsapps.com/start (expires in: "
                   "600s)"));
  for (const auto& d : rig.sleeps) CHECK(d == seconds(1));  // the fake's interval

  // A redirect sign-in needs its own registration (other grant types).
  REQUIRE(rig.control(R"({"expire_access_tokens": true, "stale_refresh_tokens": true})"));
  rig.clock.t += hours(9);
  rig.options.sso_use_device_code = false;
  rig.browser = Browser::FollowRedirect;
  must(rig.role_credentials());
  CHECK(rig.stat("registrations") == 2);
}

TEST_CASE("sso: slow_down adds 5 s to the interval and polling goes on",
          "[vault][sso][integration]") {
  Rig rig;
  REQUIRE(rig.control(R"({"enforce_interval": false, "auto_approve": true, "slow_down": 3})"));
  rig.options.sso_use_device_code = true;
  rig.browser = Browser::Ignore;
  must(rig.role_credentials());
  CHECK(rig.sleeps == std::vector<milliseconds>{seconds(6), seconds(11), seconds(16)});
  CHECK(rig.stat("SlowDownException") == 3);
  CHECK(sso_logged("SSO-OIDC asked to slow down; polling every 16s"));
}

TEST_CASE("sso: a device code that expires unapproved ends the flow", "[vault][sso][error]") {
  SECTION("the service says so") {
    Rig rig;
    REQUIRE(rig.control(R"({"enforce_interval": false})"));
    rig.options.sso_use_device_code = true;
    rig.browser = Browser::Ignore;
    rig.sso->sleep = [&rig](milliseconds d) {
      rig.clock.t += d;
      rig.control(R"({"advance": 700})");  // past the fake's 600 s
    };
    auto creds = rig.role_credentials();
    REQUIRE_FALSE(creds.has_value());
    CHECK(creds.error().code() == Errc::AuthFailed);
    CHECK(creds.error().api_code() == "ExpiredTokenException");
    CHECK(std::string(creds.error().message())
              .rfind("the SSO device code expired before the sign-in was approved: ", 0) == 0);
  }
  SECTION("its lifetime runs out here") {
    Rig rig;
    REQUIRE(rig.control(R"({"enforce_interval": false, "device_expires_in": 3})"));
    rig.options.sso_use_device_code = true;
    rig.browser = Browser::Ignore;
    rig.sso->sleep = [&rig](milliseconds d) { rig.clock.t += d; };
    auto creds = rig.role_credentials();
    REQUIRE_FALSE(creds.has_value());
    CHECK(creds.error().code() == Errc::AuthFailed);
    CHECK(creds.error().message() ==
          "the SSO device code expired after 3s before the sign-in was approved");
  }
}

TEST_CASE("sso: denying the device code cancels the sign-in", "[vault][sso][error]") {
  Rig rig;
  REQUIRE(rig.control(
      R"({"enforce_interval": false, "auto_approve": true, "deny_next_authorization": true})"));
  rig.options.sso_use_device_code = true;
  rig.browser = Browser::Ignore;
  auto creds = rig.role_credentials();
  REQUIRE_FALSE(creds.has_value());
  CHECK(creds.error().code() == Errc::Cancelled);
  CHECK(creds.error().api_code() == "AccessDeniedException");
  CHECK_FALSE(rig.item().has_value());
}

TEST_CASE("sso: an item written by upstream (no client) is used, then replaced when expired",
          "[vault][sso][integration]") {
  Rig rig;
  must(rig.role_credentials());
  auto item = rig.item();
  REQUIRE(item.has_value());
  item->client.reset();
  item->token.refresh_token = av::secure::SecretString();
  REQUIRE(av::vault::OidcTokenStore(rig.keyring).store(kStartUrl, *item).has_value());
  must(rig.role_credentials());
  CHECK(rig.stat("authorize_calls") == 1);

  rig.clock.t += hours(9);
  REQUIRE(rig.control(R"({"expire_access_tokens": true})"));
  must(rig.role_credentials());
  CHECK(sso_logged("OIDC token for 'https://example.awsapps.com/start' expired, removing"));
  CHECK(rig.stat("registrations") == 2);
  CHECK(rig.stat("authorize_calls") == 2);
}

TEST_CASE("sso: without the cache (rotate) nothing is read or stored",
          "[vault][sso][integration]") {
  Rig rig;
  rig.options.cache_disabled = true;
  must(rig.role_credentials());
  must(rig.role_credentials());
  CHECK(rig.keyring.size() == 0);
  CHECK(rig.stat("authorize_calls") == 2);
}

TEST_CASE("sso: the provider in the chain caches role credentials per profile",
          "[vault][sso][integration]") {
  Rig rig;
  const std::string config_text =
      "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\n"
      "sso_role_name = Admin\n\n[sso-session corp]\nsso_start_url = " + std::string(kStartUrl) +
      "\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n";
  auto config = av::config::parse_aws_config(config_text, "config");
  REQUIRE(config.has_value());
  auto resolved = av::config::resolve_profile(*config, "dev", {}, {});
  REQUIRE(resolved.has_value());
  av::vault::Services services{rig.keyring, *rig.query, rig.clock, rig.env, rig.mfa,
                               rig.sso.get()};
  auto first = av::vault::get_credentials(resolved->profile, services, rig.options);
  INFO((first ? "" : std::string(first.error().message())));
  REQUIRE(first.has_value());
  CHECK(first->calls == std::vector<std::string>{"GetRoleCredentials"});
  CHECK(first->can_expire);
  auto second = av::vault::get_credentials(resolved->profile, services, rig.options);
  REQUIRE(second.has_value());
  CHECK(second->calls.empty());
  CHECK(second->credentials.access_key_id == first->credentials.access_key_id);
  CHECK(rig.stat("role_credentials_calls") == 1);
  auto keys = rig.keyring.keys();
  REQUIRE(keys.has_value());
  int sessions = 0;
  for (const auto& key : *keys) {
    if (key.rfind("sso.GetRoleCredentials,", 0) == 0) ++sessions;
  }
  CHECK(sessions == 1);

  av::vault::Services without{rig.keyring, *rig.query, rig.clock, rig.env, rig.mfa};
  rig.options.cache_disabled = true;
  auto refused = av::vault::get_credentials(resolved->profile, without, rig.options);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code() == Errc::Internal);
}

TEST_CASE("sso: a sign-in URL that is not a plain http(s) URL is never opened",
          "[vault][sso][error]") {
  Rig rig;
  REQUIRE(rig.control(R"({"inject": [{"path": "/device_authorization", "status": 200,)"
                      R"( "body": "{\"deviceCode\":\"d\",\"userCode\":\"u\",)"
                      R"(\"verificationUri\":\"x\",\"verificationUriComplete\":)"
                      R"(\"file:///etc/passwd\",\"expiresIn\":600,\"interval\":1}"}]})"));
  rig.options.sso_use_device_code = true;
  auto creds = rig.role_credentials();
  REQUIRE_FALSE(creds.has_value());
  CHECK(creds.error().code() == Errc::Parse);
  CHECK(rig.opened == 0);
  CHECK(rig.told_text().empty());
}
