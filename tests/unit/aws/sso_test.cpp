// SSO-OIDC and SSO portal clients (aws/sso.h) over our HTTP client against the loopback IAM
// Identity Center fake (tests/support/sso_fake.py via sso_fake.h): every operation, every error
// type and style, plus the request bodies seen by a recording HttpClient, the response parsers
// (one test per error, mutation), PKCE (RFC 7636 Appendix B) and authorize_url escaping. No
// error message may contain a secret.
#include <catch2/catch.hpp>
#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aws/sso.h"
#include "codec/percent.h"
#include "crypto/random.h"
#include "support/mutation.h"
#include "support/sso_fake.h"

namespace {

using av::Errc;
using av::aws::OidcClient;
using av::secure::SecretString;
using std::chrono::seconds;

// Fixture: the fake plus our real HTTP client and the two SSO clients pointed at it.
struct Fixture {
  av::testing::SsoFake fake;
  std::unique_ptr<av::net::HttpClient> http;
  explicit Fixture(std::vector<std::string> args = {}) : fake(std::move(args)) {
    INFO(fake.error());
    REQUIRE(fake.error().empty());
    // Tests that are not about polling speed poll as fast as they like.
    REQUIRE(fake.control(R"({"enforce_interval": false})"));
    auto made = av::net::make_http_client({}, av::platform::Environment::from_pairs({}));
    REQUIRE(made.has_value());
    http = std::move(made).value();
  }
  av::aws::SsoOidcClient oidc() { return {*http, fake.url(), av::platform::system_clock()}; }
  av::aws::SsoPortalClient portal() { return {*http, fake.url()}; }

  OidcClient register_device_client() {
    auto client = oidc().register_client({});
    INFO((client ? "" : std::string(client.error().message())));
    REQUIRE(client.has_value());
    return std::move(client).value();
  }
  OidcClient register_code_client() {
    av::aws::RegisterRequest r;
    r.scopes = {"sso:account:access"};
    r.grant_types = {"authorization_code", "refresh_token"};
    r.redirect_uris = {"http://127.0.0.1/oauth/callback"};
    r.issuer_url = "https://d-1234567890.awsapps.com/start";
    auto client = oidc().register_client(r);
    INFO((client ? "" : std::string(client.error().message())));
    REQUIRE(client.has_value());
    return std::move(client).value();
  }
  // approved_device_token runs the device flow with the user approving at once.
  av::aws::OidcToken approved_device_token(const OidcClient& client) {
    auto device = oidc().start_device_authorization(client, "https://x.awsapps.com/start");
    REQUIRE(device.has_value());
    REQUIRE(fake.approve(device->verification_uri_complete));
    auto token = oidc().create_token_device(client, device->device_code);
    INFO((token ? "" : std::string(token.error().message())));
    REQUIRE(token.has_value());
    return std::move(token).value();
  }
};

// query_param: the (percent-decoded) value of `name` in a URL's query, "" when absent.
std::string query_param(const std::string& url, const std::string& name) {
  const std::size_t q = url.find('?');
  if (q == std::string::npos) return {};
  std::string_view rest(url);
  rest.remove_prefix(q + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name && eq != std::string_view::npos) {
      auto decoded = av::codec::decode_percent(pair.substr(eq + 1), av::codec::PlusMode::Space);
      REQUIRE(decoded.has_value());
      return *decoded;
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return {};
}

// expect_api_error checks an Errc::AwsApi error with `type` and the HTTP status in its message.
template <class T>
void expect_api_error(const av::Result<T>& result, std::string_view type, int status) {
  REQUIRE_FALSE(result.has_value());
  INFO(std::string(result.error().message()));
  CHECK(result.error().code() == Errc::AwsApi);
  CHECK(result.error().api_code() == type);
  CHECK_THAT(std::string(result.error().message()),
             Catch::Contains("StatusCode: " + std::to_string(status)));
  CHECK_THAT(std::string(result.error().message()), Catch::Contains(std::string(type)));
}

// expect_no_secrets checks that none of `secrets` (non-empty ones) appears in the message.
void expect_no_secrets(const av::Error& error, std::initializer_list<std::string_view> secrets) {
  const std::string message(error.message());
  for (const std::string_view s : secrets) {
    if (s.empty()) continue;
    INFO(message);
    CHECK(message.find(s) == std::string::npos);
  }
}

// RecordingHttp remembers the last request and answers with a fixed response.
class RecordingHttp final : public av::net::HttpClient {
 public:
  int status = 200;
  std::string body = "{}";
  std::vector<av::net::Header> headers;
  std::string host, target, method, sent_body;
  std::vector<av::net::Header> sent_headers;
  std::vector<std::string> secret_header_names;
  std::string bearer;

  av::Result<av::net::Response> send(const av::net::Url& url, av::net::Request request) override {
    host = url.host_port();
    target = url.target;
    method = request.method;
    sent_body = std::string(av::as_chars(request.body.reveal()));
    sent_headers = request.headers;
    secret_header_names.clear();
    for (const auto& [name, value] : request.secret_headers) {
      secret_header_names.push_back(name);
      bearer = std::string(value.reveal());
    }
    av::net::Response response;
    response.status = status;
    response.headers = headers;
    response.body = av::secure::SecretBytes::copy_of(av::as_bytes(body));
    return response;
  }
};

OidcClient sample_client() {
  OidcClient c;
  c.client_id = "cid-1";
  c.client_secret = SecretString::copy_of("client-secret-value");
  return c;
}

// CountingRandom yields 0, 1, 2, ... so make_pkce is deterministic.
class CountingRandom final : public av::crypto::RandomSource {
 public:
  av::Status fill(av::MutableByteSpan out) override {
    for (auto& b : out) b = next_++;
    return av::ok();
  }

 private:
  std::uint8_t next_ = 0;
};

class BrokenRandom final : public av::crypto::RandomSource {
 public:
  av::Status fill(av::MutableByteSpan) override { return av::Error(Errc::Crypto, "no randomness"); }
};

av::ByteSpan bytes(std::string_view s) { return av::as_bytes(s); }

const char* const kRegisterReply =
    R"({"clientId":"cid-1","clientSecret":"s3cr3t-client","clientIdIssuedAt":1700000000,)"
    R"("clientSecretExpiresAt":1707776000})";
const char* const kDeviceReply =
    R"({"deviceCode":"dev-s3cr3t","userCode":"ABCD-EFGH","verificationUri":"https://d/v",)"
    R"("verificationUriComplete":"https://d/v?user_code=ABCD-EFGH","expiresIn":600,"interval":5})";
const char* const kTokenReply =
    R"({"accessToken":"acc-s3cr3t","tokenType":"Bearer","expiresIn":28800,)"
    R"("refreshToken":"ref-s3cr3t","idToken":"id-s3cr3t"})";
const char* const kRoleReply =
    R"({"roleCredentials":{"accessKeyId":"ASIAEXAMPLE","secretAccessKey":"sak-s3cr3t",)"
    R"("sessionToken":"tok-s3cr3t","expiration":1700000000123}})";

}  // namespace

// ---- happy paths against the fake -----------------------------------------------------------

TEST_CASE("sso: RegisterClient for the device flow sends only name and type", "[aws][sso]") {
  Fixture f;
  const auto before = std::chrono::system_clock::now();
  const OidcClient client = f.register_device_client();
  CHECK_FALSE(client.client_id.empty());
  CHECK_FALSE(client.client_secret.empty());
  // the fake's secrets expire 90 days after registration
  CHECK(client.expires_at > before + std::chrono::hours(24 * 89));
  CHECK(client.expires_at < before + std::chrono::hours(24 * 91));
  CHECK(f.fake.stat("registrations") == 1);
  const std::string stats = f.fake.stats();
  CHECK_THAT(stats, Catch::Contains(R"("clientName": "aws-vault", "clientType": "public", )"
                                    R"("scopes": [], "grantTypes": [], "redirectUris": [], )"
                                    R"("issuerUrl": null)"));
}

TEST_CASE("sso: RegisterClient for the authorization-code flow", "[aws][sso]") {
  Fixture f;
  f.register_code_client();
  CHECK_THAT(f.fake.stats(),
             Catch::Contains(R"("scopes": ["sso:account:access"], "grantTypes": )"
                             R"(["authorization_code", "refresh_token"], "redirectUris": )"
                             R"(["http://127.0.0.1/oauth/callback"], "issuerUrl": )"
                             R"("https://d-1234567890.awsapps.com/start")"));
}

TEST_CASE("sso: the device flow: pending until approved, then a token", "[aws][sso]") {
  Fixture f;
  const OidcClient client = f.register_device_client();
  auto device = f.oidc().start_device_authorization(client, "https://x.awsapps.com/start");
  REQUIRE(device.has_value());
  CHECK_FALSE(device->device_code.empty());
  CHECK(device->user_code.size() == 9);
  CHECK(device->verification_uri == f.fake.url() + "/device");
  CHECK(device->verification_uri_complete ==
        f.fake.url() + "/device?user_code=" + device->user_code);
  CHECK(device->expires_in == seconds(600));
  CHECK(device->interval == seconds(1));

  auto pending = f.oidc().create_token_device(client, device->device_code);
  expect_api_error(pending, "AuthorizationPendingException", 400);
  CHECK_THAT(std::string(pending.error().message()),
             Catch::StartsWith("operation error SSO OIDC: CreateToken, https response error"));
  expect_no_secrets(pending.error(), {client.client_secret.reveal(), device->device_code.reveal()});

  REQUIRE(f.fake.approve(device->verification_uri_complete));
  auto token = f.oidc().create_token_device(client, device->device_code);
  REQUIRE(token.has_value());
  CHECK_THAT(std::string(token->access_token.reveal()), Catch::StartsWith("fakeaccess-"));
  CHECK(token->token_type == "Bearer");
  CHECK(token->expires_in == seconds(28800));
  CHECK(token->refresh_token.empty());  // no scopes registered: no refresh token
  CHECK(token->id_token.empty());
  CHECK(f.fake.stat("device_code") == 2);

  // a device code is good for one token
  expect_api_error(f.oidc().create_token_device(client, device->device_code),
                   "InvalidGrantException", 400);
}

TEST_CASE("sso: the device grant returns refresh and id tokens when the service sends them",
          "[aws][sso]") {
  Fixture f;
  REQUIRE(f.fake.control(R"({"refresh_tokens": "always", "id_token": true,
                             "token_lifetime": 900})"));
  const OidcClient client = f.register_device_client();
  const auto token = f.approved_device_token(client);
  CHECK_THAT(std::string(token.refresh_token.reveal()), Catch::StartsWith("fakerefresh-"));
  CHECK_THAT(std::string(token.id_token.reveal()), Catch::StartsWith("eyJ"));
  CHECK(token.expires_in == seconds(900));
}

TEST_CASE("sso: GetRoleCredentials returns role credentials", "[aws][sso]") {
  Fixture f;
  const auto token = f.approved_device_token(f.register_device_client());
  const auto before = std::chrono::system_clock::now();
  auto creds = f.portal().get_role_credentials(token.access_token, "123456789012", "Admin Role+");
  INFO((creds ? "" : std::string(creds.error().message())));
  REQUIRE(creds.has_value());
  CHECK_THAT(creds->access_key_id, Catch::StartsWith("ASIA"));
  CHECK(creds->access_key_id.size() == 20);
  CHECK_FALSE(creds->secret_access_key.empty());
  CHECK(creds->has_session_token());
  REQUIRE(creds->expiration.has_value());
  // the fake's role credentials live an hour (generous bounds: a slow machine is fine)
  CHECK(*creds->expiration > before + std::chrono::minutes(50));
  CHECK(*creds->expiration < before + std::chrono::minutes(70));
  // account and role arrive intact (space and '+' escaped)
  CHECK_THAT(f.fake.stats(), Catch::Contains(R"("last_role_request": {"account_id": )"
                                             R"("123456789012", "role_name": "Admin Role+"})"));
  CHECK(f.fake.stat("role_credentials_calls") == 1);
}

TEST_CASE("sso: the authorization-code flow with PKCE, then refresh-token rotation", "[aws][sso]") {
  Fixture f;
  const OidcClient client = f.register_code_client();
  auto pkce = av::aws::make_pkce(av::crypto::system_random());
  REQUIRE(pkce.has_value());
  const std::string redirect = "http://127.0.0.1:45678/oauth/callback";
  const std::vector<std::string> scopes = {"sso:account:access"};
  const std::string url = av::aws::authorize_url(f.fake.url(), client.client_id, redirect, scopes,
                                                 pkce->state, pkce->challenge);
  const auto browser = f.fake.get(url);
  REQUIRE(browser.status == 302);
  const std::string location = browser.header("Location");
  CHECK_THAT(location, Catch::StartsWith(redirect + "?"));
  CHECK(query_param(location, "state") == pkce->state);
  const SecretString code = SecretString::copy_of(query_param(location, "code"));
  REQUIRE_FALSE(code.empty());

  auto token = f.oidc().create_token_code(client, code, redirect, pkce->verifier);
  INFO((token ? "" : std::string(token.error().message())));
  REQUIRE(token.has_value());
  CHECK_FALSE(token->access_token.empty());
  REQUIRE_FALSE(token->refresh_token.empty());
  CHECK(f.fake.stat("authorization_code") == 1);

  // the code is single use
  auto again = f.oidc().create_token_code(client, code, redirect, pkce->verifier);
  expect_api_error(again, "InvalidGrantException", 400);
  expect_no_secrets(again.error(),
                    {code.reveal(), pkce->verifier.reveal(), client.client_secret.reveal()});

  // refresh: a new pair; the old refresh token stops working
  auto refreshed = f.oidc().create_token_refresh(client, token->refresh_token);
  REQUIRE(refreshed.has_value());
  CHECK(refreshed->access_token.reveal() != token->access_token.reveal());
  CHECK(refreshed->refresh_token.reveal() != token->refresh_token.reveal());
  auto stale = f.oidc().create_token_refresh(client, token->refresh_token);
  expect_api_error(stale, "InvalidGrantException", 400);
  expect_no_secrets(stale.error(), {token->refresh_token.reveal()});
  CHECK(f.fake.stat("refresh_token") == 2);

  // the refreshed access token works at the portal
  CHECK(f.portal().get_role_credentials(refreshed->access_token, "111122223333", "dev"));
}

TEST_CASE("sso: the authorization code is bound to the verifier and the redirect URI",
          "[aws][sso]") {
  Fixture f;
  const OidcClient client = f.register_code_client();
  auto pkce = av::aws::make_pkce(av::crypto::system_random());
  REQUIRE(pkce.has_value());
  const std::string redirect = "http://127.0.0.1:45678/oauth/callback";
  const auto fresh_code = [&] {
    const auto reply = f.fake.get(av::aws::authorize_url(f.fake.url(), client.client_id, redirect,
                                                         {}, pkce->state, pkce->challenge));
    REQUIRE(reply.status == 302);
    return SecretString::copy_of(query_param(reply.header("Location"), "code"));
  };
  auto other = av::aws::make_pkce(av::crypto::system_random());
  REQUIRE(other.has_value());
  const SecretString code1 = fresh_code();
  auto wrong_verifier = f.oidc().create_token_code(client, code1, redirect, other->verifier);
  expect_api_error(wrong_verifier, "InvalidGrantException", 400);
  expect_no_secrets(wrong_verifier.error(),
                    {code1.reveal(), other->verifier.reveal(), pkce->verifier.reveal()});
  const SecretString code2 = fresh_code();
  expect_api_error(f.oidc().create_token_code(
                       client, code2, "http://127.0.0.1:45679/oauth/callback", pkce->verifier),
                   "InvalidGrantException", 400);
}

TEST_CASE("sso: the fake's browser denies or returns a wrong state when told to", "[aws][sso]") {
  Fixture f;
  const OidcClient client = f.register_code_client();
  const std::string redirect = "http://127.0.0.1:45678/oauth/callback";
  const std::string url =
      av::aws::authorize_url(f.fake.url(), client.client_id, redirect, {}, "st-1", "challenge");
  REQUIRE(f.fake.control(R"({"deny_next_authorization": true})"));
  const auto denied = f.fake.get(url);
  REQUIRE(denied.status == 302);
  CHECK(query_param(denied.header("Location"), "error") == "access_denied");
  CHECK(query_param(denied.header("Location"), "state") == "st-1");
  REQUIRE(f.fake.control(R"({"bad_state": true})"));
  const auto wrong = f.fake.get(url);
  REQUIRE(wrong.status == 302);
  CHECK(query_param(wrong.header("Location"), "state") != "st-1");
  CHECK_FALSE(query_param(wrong.header("Location"), "code").empty());
  // a non-loopback redirect URI is refused without a redirect
  CHECK(f.fake
            .get(av::aws::authorize_url(f.fake.url(), client.client_id, "https://evil.example/cb",
                                        {}, "s", "c"))
            .status == 400);
}

// ---- error types against the fake -----------------------------------------------------------

TEST_CASE("sso: SlowDownException, ExpiredTokenException and AccessDeniedException",
          "[aws][sso][error]") {
  Fixture f;
  const OidcClient client = f.register_device_client();
  auto device = f.oidc().start_device_authorization(client, "https://x.awsapps.com/start");
  REQUIRE(device.has_value());

  SECTION("slow_down storm") {
    REQUIRE(f.fake.control(R"({"slow_down": 1})"));
    expect_api_error(f.oidc().create_token_device(client, device->device_code), "SlowDownException",
                     400);
  }
  SECTION("polling faster than the interval") {
    REQUIRE(f.fake.control(R"({"enforce_interval": true, "interval": 60})"));
    auto slow = f.oidc().start_device_authorization(client, "https://x.awsapps.com/start");
    REQUIRE(slow.has_value());
    CHECK(slow->interval == seconds(60));
    // two polls in a row are far closer together than the 60 s interval
    expect_api_error(f.oidc().create_token_device(client, slow->device_code),
                     "AuthorizationPendingException", 400);
    expect_api_error(f.oidc().create_token_device(client, slow->device_code), "SlowDownException",
                     400);
  }
  SECTION("expired device code") {
    REQUIRE(f.fake.control(R"({"advance": 601})"));
    expect_api_error(f.oidc().create_token_device(client, device->device_code),
                     "ExpiredTokenException", 400);
  }
  SECTION("user denied") {
    REQUIRE(f.fake.get(device->verification_uri_complete + "&action=deny").status == 200);
    auto denied = f.oidc().create_token_device(client, device->device_code);
    expect_api_error(denied, "AccessDeniedException", 400);
    expect_no_secrets(denied.error(),
                      {client.client_secret.reveal(), device->device_code.reveal()});
  }
}

TEST_CASE(
    "sso: client errors: InvalidClient, UnauthorizedClient, InvalidRequest, "
    "InvalidRedirectUri",
    "[aws][sso][error]") {
  Fixture f;
  OidcClient client = f.register_device_client();
  SECTION("wrong client secret is a 401 InvalidClientException") {
    client.client_secret = SecretString::copy_of("not-the-secret");
    auto r = f.oidc().start_device_authorization(client, "https://x.awsapps.com/start");
    expect_api_error(r, "InvalidClientException", 401);
    expect_no_secrets(r.error(), {"not-the-secret"});
    expect_api_error(f.oidc().create_token_device(client, SecretString::copy_of("d")),
                     "InvalidClientException", 401);
  }
  SECTION("expired client secret") {
    REQUIRE(f.fake.control(R"({"advance": 7776001})"));
    expect_api_error(f.oidc().start_device_authorization(client, "https://x/start"),
                     "InvalidClientException", 401);
  }
  SECTION("a grant the client did not register") {
    const OidcClient code_client = f.register_code_client();
    auto device = f.oidc().start_device_authorization(code_client, "https://x/start");
    REQUIRE(device.has_value());
    expect_api_error(f.oidc().create_token_device(code_client, device->device_code),
                     "UnauthorizedClientException", 400);
  }
  SECTION("missing start URL") {
    expect_api_error(f.oidc().start_device_authorization(client, ""), "InvalidRequestException",
                     400);
  }
  SECTION("non-loopback redirect URI") {
    av::aws::RegisterRequest r;
    r.grant_types = {"authorization_code"};
    r.redirect_uris = {"https://example.com/cb"};
    r.issuer_url = "https://x/start";
    expect_api_error(f.oidc().register_client(r), "InvalidRedirectUriException", 400);
  }
  SECTION("unknown refresh token") {
    expect_api_error(f.oidc().create_token_refresh(client, SecretString::copy_of("nope")),
                     "InvalidGrantException", 400);
  }
}

TEST_CASE(
    "sso: portal errors: Unauthorized for unknown and expired tokens, Forbidden, "
    "InvalidRequest",
    "[aws][sso][error]") {
  Fixture f;
  const auto token = f.approved_device_token(f.register_device_client());
  SECTION("unknown token") {
    const SecretString bogus = SecretString::copy_of("bogus-access-token");
    auto r = f.portal().get_role_credentials(bogus, "1", "r");
    expect_api_error(r, "UnauthorizedException", 401);
    CHECK_THAT(std::string(r.error().message()),
               Catch::StartsWith("operation error SSO: GetRoleCredentials, "));
    expect_no_secrets(r.error(), {bogus.reveal()});
  }
  SECTION("expired token") {
    REQUIRE(f.fake.control(R"({"expire_access_tokens": true})"));
    auto r = f.portal().get_role_credentials(token.access_token, "1", "r");
    expect_api_error(r, "UnauthorizedException", 401);
    expect_no_secrets(r.error(), {token.access_token.reveal()});
  }
  SECTION("a role the user may not use") {
    REQUIRE(f.fake.control(R"({"roles": [["111122223333", "admin"]]})"));
    CHECK(f.portal().get_role_credentials(token.access_token, "111122223333", "admin"));
    expect_api_error(f.portal().get_role_credentials(token.access_token, "111122223333", "dev"),
                     "ForbiddenException", 403);
  }
  SECTION("missing account") {
    expect_api_error(f.portal().get_role_credentials(token.access_token, "", "r"),
                     "InvalidRequestException", 400);
  }
  SECTION("an untyped 401 still means UnauthorizedException") {
    REQUIRE(f.fake.control(R"({"error_style": "body"})"));
    expect_api_error(f.portal().get_role_credentials(SecretString::copy_of("x"), "1", "r"),
                     "UnauthorizedException", 401);
  }
}

TEST_CASE("sso: error types are read from the header, the OAuth body or __type",
          "[aws][sso][error]") {
  Fixture f;
  const OidcClient client = f.register_device_client();
  auto device = f.oidc().start_device_authorization(client, "https://x.awsapps.com/start");
  REQUIRE(device.has_value());
  for (const char* style : {"both", "header", "body", "type"}) {
    INFO(style);
    REQUIRE(f.fake.control(std::string(R"({"error_style": ")") + style + "\"}"));
    auto r = f.oidc().create_token_device(client, device->device_code);
    expect_api_error(r, "AuthorizationPendingException", 400);
    CHECK_THAT(std::string(r.error().message()),
               Catch::EndsWith("api error AuthorizationPendingException: authorization pending"));
  }
}

TEST_CASE("sso: injected replies: 500s, suffixed headers, unknown codes, garbage",
          "[aws][sso][error]") {
  Fixture f;
  const OidcClient client = f.register_device_client();
  const auto poll = [&] {
    return f.oidc().create_token_device(client, SecretString::copy_of("d"));
  };
  SECTION("InternalServerException") {
    REQUIRE(f.fake.control(R"({"inject": [{"path": "/token",
                                           "error_type": "InternalServerException"}]})"));
    expect_api_error(poll(), "InternalServerException", 500);
  }
  SECTION("UnsupportedGrantTypeException as an OAuth code only") {
    REQUIRE(f.fake.control(R"({"inject": [{"path": "/token", "status": 400,
                                           "error": "unsupported_grant_type"}]})"));
    expect_api_error(poll(), "UnsupportedGrantTypeException", 400);
  }
  SECTION("InvalidScopeException with the header's namespace suffix") {
    REQUIRE(f.fake.control(R"({"inject": [{"path": "/token", "status": 400, "body": "{}",
        "headers": {"x-amzn-ErrorType": "InvalidScopeException:http://internal.amazon.com/x/",
                    "x-amzn-RequestId": "req-42"}}]})"));
    auto r = poll();
    expect_api_error(r, "InvalidScopeException", 400);
    CHECK_THAT(std::string(r.error().message()), Catch::Contains("RequestID: req-42"));
  }
  SECTION("a namespaced __type") {
    REQUIRE(f.fake.control(R"({"inject": [{"path": "/token", "status": 400,
        "body": "{\"__type\": \"com.amazonaws.ssooidc#InvalidGrantException\"}"}]})"));
    expect_api_error(poll(), "InvalidGrantException", 400);
  }
  SECTION("an HTML error page has no type") {
    REQUIRE(f.fake.control(R"({"inject": [{"path": "/token", "status": 502,
                                           "body": "<html>bad gateway</html>"}]})"));
    auto r = poll();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code() == Errc::AwsApi);
    CHECK(r.error().api_code().empty());
    CHECK_THAT(std::string(r.error().message()),
               Catch::Contains("StatusCode: 502") && Catch::Contains("unreadable error response"));
  }
  SECTION("a malformed 200 is a parse error naming the field") {
    REQUIRE(f.fake.control(R"({"inject": [{"path": "/token", "status": 200,
        "body": "{\"accessToken\": \"acc-s3cr3t\", \"expiresIn\": \"soon\"}"}]})"));
    auto r = poll();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code() == Errc::Parse);
    CHECK(r.error().message() == "CreateToken response: expiresIn: expected an integer");
    expect_no_secrets(r.error(), {"acc-s3cr3t"});
  }
}

TEST_CASE("sso: transport failures carry the operation", "[aws][sso][error]") {
  auto made = av::net::make_http_client({}, av::platform::Environment::from_pairs({}));
  REQUIRE(made.has_value());
  int port = 0;
  {
    av::testing::SsoFake gone;  // a port that was just free
    REQUIRE(gone.error().empty());
    port = gone.port();
  }
  av::aws::SsoOidcClient oidc(**made, "http://127.0.0.1:" + std::to_string(port),
                              av::platform::system_clock());
  auto r = oidc.register_client({});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code() == Errc::Network);
  CHECK_THAT(std::string(r.error().message()),
             Catch::StartsWith("operation error SSO OIDC: RegisterClient, "));
  av::aws::SsoOidcClient bad(**made, "ftp://x", av::platform::system_clock());
  auto b = bad.create_token_device(sample_client(), SecretString::copy_of("dev-s3cr3t"));
  REQUIRE_FALSE(b.has_value());
  expect_no_secrets(b.error(), {"dev-s3cr3t", "client-secret-value"});
}

// ---- the requests on the wire -----------------------------------------------------------------

TEST_CASE("sso: request bodies and targets", "[aws][sso]") {
  RecordingHttp http;
  av::aws::SsoOidcClient oidc(http, "https://oidc.eu-west-1.amazonaws.com/",
                              av::platform::system_clock());
  const OidcClient client = sample_client();
  const auto content_type = [&] {
    const auto v = av::net::find_header(http.sent_headers, "Content-Type");
    return v ? std::string(*v) : std::string();
  };

  http.body = kRegisterReply;
  REQUIRE(oidc.register_client({}));
  CHECK(http.method == "POST");
  CHECK(http.host == "oidc.eu-west-1.amazonaws.com:443");
  CHECK(http.target == "/client/register");
  CHECK(content_type() == "application/json");
  CHECK(http.sent_body == R"({"clientName":"aws-vault","clientType":"public"})");  // spec §10.3

  av::aws::RegisterRequest full;
  full.scopes = {"sso:account:access"};
  full.grant_types = {"authorization_code", "refresh_token"};
  full.redirect_uris = {"http://127.0.0.1/oauth/callback"};
  full.issuer_url = "https://d-1.awsapps.com/start";
  REQUIRE(oidc.register_client(full));
  CHECK(http.sent_body ==
        R"({"clientName":"aws-vault","clientType":"public","grantTypes":["authorization_code",)"
        R"("refresh_token"],"issuerUrl":"https://d-1.awsapps.com/start","redirectUris":)"
        R"(["http://127.0.0.1/oauth/callback"],"scopes":["sso:account:access"]})");

  http.body = kDeviceReply;
  REQUIRE(oidc.start_device_authorization(client, "https://d-1.awsapps.com/start"));
  CHECK(http.target == "/device_authorization");
  CHECK(http.sent_body == R"({"clientId":"cid-1","clientSecret":"client-secret-value",)"
                          R"("startUrl":"https://d-1.awsapps.com/start"})");

  http.body = kTokenReply;
  REQUIRE(oidc.create_token_device(client, SecretString::copy_of("dev-1")));
  CHECK(http.target == "/token");
  CHECK(http.sent_body == R"({"clientId":"cid-1","clientSecret":"client-secret-value",)"
                          R"("deviceCode":"dev-1",)"
                          R"("grantType":"urn:ietf:params:oauth:grant-type:device_code"})");
  REQUIRE(oidc.create_token_code(client, SecretString::copy_of("code-1"),
                                 "http://127.0.0.1:5/oauth/callback",
                                 SecretString::copy_of("verifier-1")));
  CHECK(http.sent_body == R"({"clientId":"cid-1","clientSecret":"client-secret-value",)"
                          R"("code":"code-1","codeVerifier":"verifier-1",)"
                          R"("grantType":"authorization_code",)"
                          R"("redirectUri":"http://127.0.0.1:5/oauth/callback"})");
  REQUIRE(oidc.create_token_refresh(client, SecretString::copy_of("ref-1")));
  CHECK(http.sent_body == R"({"clientId":"cid-1","clientSecret":"client-secret-value",)"
                          R"("grantType":"refresh_token","refreshToken":"ref-1"})");
  CHECK(http.secret_header_names.empty());
}

TEST_CASE("sso: GetRoleCredentials is a GET with an escaped query and a secret bearer header",
          "[aws][sso]") {
  RecordingHttp http;
  http.body = kRoleReply;
  av::aws::SsoPortalClient portal(http, "https://portal.sso.eu-west-1.amazonaws.com");
  auto creds = portal.get_role_credentials(SecretString::copy_of("bearer-1"), "123456789012",
                                           "Power User/+&=");
  REQUIRE(creds.has_value());
  CHECK(http.method == "GET");
  CHECK(http.target ==
        "/federation/credentials?account_id=123456789012&role_name=Power%20User%2F%2B%26%3D");
  CHECK(http.sent_body.empty());
  CHECK(http.secret_header_names == std::vector<std::string>{"x-amz-sso_bearer_token"});
  CHECK(http.bearer == "bearer-1");
  CHECK(creds->access_key_id == "ASIAEXAMPLE");
  CHECK(creds->secret_access_key.reveal() == "sak-s3cr3t");
  CHECK(creds->session_token.reveal() == "tok-s3cr3t");
  CHECK(creds->expiration ==
        std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000123)));
}

TEST_CASE("sso: an endpoint with a path prefix keeps it", "[aws][sso]") {
  RecordingHttp http;
  http.body = kRegisterReply;
  av::aws::SsoOidcClient oidc(http, "http://127.0.0.1:9/prefix/", av::platform::system_clock());
  REQUIRE(oidc.register_client({}));
  CHECK(http.target == "/prefix/client/register");
}

// ---- response parsers ------------------------------------------------------------------------

TEST_CASE("sso: the four responses parse into their fields", "[aws][sso][vector]") {
  auto client = av::aws::parse_register_client(bytes(kRegisterReply));
  REQUIRE(client.has_value());
  CHECK(client->client_id == "cid-1");
  CHECK(client->client_secret.reveal() == "s3cr3t-client");
  CHECK(client->expires_at == std::chrono::system_clock::time_point(seconds(1707776000)));

  auto device = av::aws::parse_device_authorization(bytes(kDeviceReply));
  REQUIRE(device.has_value());
  CHECK(device->device_code.reveal() == "dev-s3cr3t");
  CHECK(device->user_code == "ABCD-EFGH");
  CHECK(device->verification_uri == "https://d/v");
  CHECK(device->verification_uri_complete == "https://d/v?user_code=ABCD-EFGH");
  CHECK(device->expires_in == seconds(600));
  CHECK(device->interval == seconds(5));

  auto token = av::aws::parse_create_token(bytes(kTokenReply));
  REQUIRE(token.has_value());
  CHECK(token->access_token.reveal() == "acc-s3cr3t");
  CHECK(token->refresh_token.reveal() == "ref-s3cr3t");
  CHECK(token->id_token.reveal() == "id-s3cr3t");
  CHECK(token->token_type == "Bearer");
  CHECK(token->expires_in == seconds(28800));

  auto creds = av::aws::parse_role_credentials(bytes(kRoleReply));
  REQUIRE(creds.has_value());
  CHECK(creds->access_key_id == "ASIAEXAMPLE");
}

TEST_CASE("sso: optional members may be absent or null; unknown ones are ignored",
          "[aws][sso][vector]") {
  auto device = av::aws::parse_device_authorization(
      bytes(R"({"deviceCode":"d","userCode":"u","verificationUriComplete":"v","interval":null,)"
            R"("extra":{"nested":[1,2]}})"));
  REQUIRE(device.has_value());
  CHECK(device->interval == seconds(0));
  CHECK(device->expires_in == seconds(0));
  CHECK(device->verification_uri.empty());
  auto token = av::aws::parse_create_token(
      bytes(R"({"accessToken":"a","refreshToken":null,"idToken":null,"tokenType":null})"));
  REQUIRE(token.has_value());
  CHECK(token->refresh_token.empty());
  CHECK(token->token_type.empty());
  CHECK(token->expires_in == seconds(0));
  CHECK(av::aws::parse_register_client(
      bytes(R"({"clientId":"c","clientSecret":"s","clientSecretExpiresAt":0,)"
            R"("authorizationEndpoint":"https://a","tokenEndpoint":"https://t"})")));
}

namespace {

// expect_parse_error checks the error code and the exact message.
template <class T>
void expect_parse_error(const av::Result<T>& result, Errc code, std::string_view message) {
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code() == code);
  CHECK(result.error().message() == message);
  CHECK(result.error().message().find("s3cr3t") == std::string_view::npos);
}

}  // namespace

TEST_CASE("sso: RegisterClient response errors", "[aws][sso][error]") {
  using av::aws::parse_register_client;
  expect_parse_error(parse_register_client(bytes("[]")), Errc::Parse,
                     "RegisterClient response: not a JSON object");
  CHECK(parse_register_client(bytes("{\"clientId\":")).error().code() == Errc::Truncated);
  CHECK_THAT(std::string(parse_register_client(bytes("{,}")).error().message()),
             Catch::StartsWith("RegisterClient response: json: "));
  expect_parse_error(parse_register_client(bytes(R"({"clientSecret":"s3cr3t",)"
                                                 R"("clientSecretExpiresAt":1})")),
                     Errc::Parse, "RegisterClient response: clientId: missing");
  expect_parse_error(parse_register_client(bytes(R"({"clientId":7,"clientSecret":"s3cr3t",)"
                                                 R"("clientSecretExpiresAt":1})")),
                     Errc::Parse, "RegisterClient response: clientId: expected a string");
  expect_parse_error(parse_register_client(bytes(R"({"clientId":"","clientSecret":"s3cr3t",)"
                                                 R"("clientSecretExpiresAt":1})")),
                     Errc::Parse, "RegisterClient response: clientId: empty");
  expect_parse_error(parse_register_client(bytes(R"({"clientId":"c","clientSecretExpiresAt":1})")),
                     Errc::Parse, "RegisterClient response: clientSecret: missing");
  expect_parse_error(parse_register_client(
                         bytes(R"({"clientId":"c","clientSecret":5,"clientSecretExpiresAt":1})")),
                     Errc::Parse, "RegisterClient response: clientSecret: expected a string");
  expect_parse_error(parse_register_client(
                         bytes(R"({"clientId":"c","clientSecret":"","clientSecretExpiresAt":1})")),
                     Errc::Parse, "RegisterClient response: clientSecret: empty");
  expect_parse_error(parse_register_client(bytes(R"({"clientId":"c","clientSecret":"s3cr3t"})")),
                     Errc::Parse, "RegisterClient response: clientSecretExpiresAt: missing");
  expect_parse_error(parse_register_client(bytes(R"({"clientId":"c","clientSecret":"s3cr3t",)"
                                                 R"("clientSecretExpiresAt":1.5})")),
                     Errc::Parse,
                     "RegisterClient response: clientSecretExpiresAt: expected an integer");
  expect_parse_error(parse_register_client(bytes(R"({"clientId":"c","clientSecret":"s3cr3t",)"
                                                 R"("clientSecretExpiresAt":"1"})")),
                     Errc::Parse,
                     "RegisterClient response: clientSecretExpiresAt: expected an integer");
  expect_parse_error(parse_register_client(bytes(R"({"clientId":"c","clientSecret":"s3cr3t",)"
                                                 R"("clientSecretExpiresAt":-1})")),
                     Errc::Parse, "RegisterClient response: clientSecretExpiresAt: out of range");
  expect_parse_error(parse_register_client(bytes(R"({"clientId":"c","clientSecret":"s3cr3t",)"
                                                 R"("clientSecretExpiresAt":7258118401})")),
                     Errc::Parse, "RegisterClient response: clientSecretExpiresAt: out of range");
  expect_parse_error(
      parse_register_client(bytes(R"({"clientId":"c","clientSecret":"s3cr3t",)"
                                  R"("clientSecretExpiresAt":99999999999999999999})")),
      Errc::Parse, "RegisterClient response: clientSecretExpiresAt: expected an integer");
  expect_parse_error(
      parse_register_client(bytes(R"({"clientId":"c","clientSecret":"s3cr3t",)"
                                  R"("clientSecretExpiresAt":1,"clientIdIssuedAt":[]})")),
      Errc::Parse, "RegisterClient response: clientIdIssuedAt: expected an integer");
  // duplicate members are refused by the JSON reader (no ambiguity about which secret wins)
  CHECK(parse_register_client(bytes(R"({"clientId":"c","clientId":"d","clientSecret":"s3cr3t",)"
                                    R"("clientSecretExpiresAt":1})"))
            .error()
            .code() == Errc::Parse);
}

TEST_CASE("sso: StartDeviceAuthorization response errors", "[aws][sso][error]") {
  using av::aws::parse_device_authorization;
  expect_parse_error(parse_device_authorization(bytes(R"({"userCode":"u",)"
                                                      R"("verificationUriComplete":"v"})")),
                     Errc::Parse, "StartDeviceAuthorization response: deviceCode: missing");
  expect_parse_error(parse_device_authorization(bytes(R"({"deviceCode":"s3cr3t",)"
                                                      R"("verificationUriComplete":"v"})")),
                     Errc::Parse, "StartDeviceAuthorization response: userCode: missing");
  expect_parse_error(parse_device_authorization(bytes(R"({"deviceCode":"s3cr3t","userCode":"u"})")),
                     Errc::Parse,
                     "StartDeviceAuthorization response: verificationUriComplete: missing");
  expect_parse_error(parse_device_authorization(bytes(
                         R"({"deviceCode":"s3cr3t","userCode":"u","verificationUriComplete":"v",)"
                         R"("verificationUri":false})")),
                     Errc::Parse,
                     "StartDeviceAuthorization response: verificationUri: expected a string");
  expect_parse_error(parse_device_authorization(bytes(
                         R"({"deviceCode":"s3cr3t","userCode":"u","verificationUriComplete":"v",)"
                         R"("expiresIn":"600"})")),
                     Errc::Parse,
                     "StartDeviceAuthorization response: expiresIn: expected an integer");
  expect_parse_error(parse_device_authorization(bytes(
                         R"({"deviceCode":"s3cr3t","userCode":"u","verificationUriComplete":"v",)"
                         R"("interval":-5})")),
                     Errc::Parse, "StartDeviceAuthorization response: interval: out of range");
  expect_parse_error(parse_device_authorization(bytes(
                         R"({"deviceCode":"s3cr3t","userCode":"u","verificationUriComplete":"v",)"
                         R"("interval":2147483648})")),
                     Errc::Parse, "StartDeviceAuthorization response: interval: out of range");
}

TEST_CASE("sso: CreateToken response errors", "[aws][sso][error]") {
  using av::aws::parse_create_token;
  expect_parse_error(parse_create_token(bytes(R"({"tokenType":"Bearer"})")), Errc::Parse,
                     "CreateToken response: accessToken: missing");
  expect_parse_error(parse_create_token(bytes(R"({"accessToken":""})")), Errc::Parse,
                     "CreateToken response: accessToken: empty");
  expect_parse_error(parse_create_token(bytes(R"({"accessToken":{"a":"s3cr3t"}})")), Errc::Parse,
                     "CreateToken response: accessToken: expected a string");
  expect_parse_error(parse_create_token(bytes(R"({"accessToken":"s3cr3t","refreshToken":1})")),
                     Errc::Parse, "CreateToken response: refreshToken: expected a string");
  expect_parse_error(parse_create_token(bytes(R"({"accessToken":"s3cr3t","idToken":true})")),
                     Errc::Parse, "CreateToken response: idToken: expected a string");
  expect_parse_error(parse_create_token(bytes(R"({"accessToken":"s3cr3t","tokenType":1})")),
                     Errc::Parse, "CreateToken response: tokenType: expected a string");
  expect_parse_error(parse_create_token(bytes(R"({"accessToken":"s3cr3t","expiresIn":1e3})")),
                     Errc::Parse, "CreateToken response: expiresIn: expected an integer");
  // a secret larger than kMaxSecretBytes
  const std::string huge = R"({"accessToken":")" + std::string(9000, 'a') + "\"}";
  CHECK(parse_create_token(bytes(huge)).error().code() == Errc::TooLarge);
}

TEST_CASE("sso: GetRoleCredentials response errors", "[aws][sso][error]") {
  using av::aws::parse_role_credentials;
  const auto doc = [](const std::string& inner) { return "{\"roleCredentials\":{" + inner + "}}"; };
  expect_parse_error(parse_role_credentials(bytes("{}")), Errc::Parse,
                     "GetRoleCredentials response: roleCredentials: missing");
  expect_parse_error(parse_role_credentials(bytes(R"({"roleCredentials":null})")), Errc::Parse,
                     "GetRoleCredentials response: roleCredentials: missing");
  expect_parse_error(parse_role_credentials(bytes(R"({"roleCredentials":[]})")), Errc::Parse,
                     "GetRoleCredentials response: roleCredentials: expected an object");
  expect_parse_error(parse_role_credentials(bytes(doc(
                         R"("secretAccessKey":"s3cr3t","sessionToken":"s3cr3t","expiration":1)"))),
                     Errc::Parse, "GetRoleCredentials response: accessKeyId: missing");
  expect_parse_error(parse_role_credentials(
                         bytes(doc(R"("accessKeyId":"A","sessionToken":"s3cr3t","expiration":1)"))),
                     Errc::Parse, "GetRoleCredentials response: secretAccessKey: missing");
  expect_parse_error(parse_role_credentials(bytes(
                         doc(R"("accessKeyId":"A","secretAccessKey":"s3cr3t","expiration":1)"))),
                     Errc::Parse, "GetRoleCredentials response: sessionToken: missing");
  expect_parse_error(
      parse_role_credentials(
          bytes(doc(R"("accessKeyId":"A","secretAccessKey":"s3cr3t","sessionToken":"s3cr3t")"))),
      Errc::Parse, "GetRoleCredentials response: expiration: missing");
  expect_parse_error(parse_role_credentials(bytes(doc(
                         R"("accessKeyId":"A","secretAccessKey":"s3cr3t","sessionToken":"s3cr3t",)"
                         R"("expiration":"2024-01-01T00:00:00Z")"))),
                     Errc::Parse, "GetRoleCredentials response: expiration: expected an integer");
  expect_parse_error(parse_role_credentials(bytes(doc(
                         R"("accessKeyId":"A","secretAccessKey":"s3cr3t","sessionToken":"s3cr3t",)"
                         R"("expiration":7258118400001)"))),
                     Errc::Parse, "GetRoleCredentials response: expiration: out of range");
}

TEST_CASE("sso: parse_sso_error reads every error shape", "[aws][sso][error]") {
  using av::aws::parse_sso_error;
  const auto check = [](const av::Error& e, std::string_view code, std::string_view message) {
    CHECK(e.code() == Errc::AwsApi);
    CHECK(e.api_code() == code);
    CHECK(e.message() == message);
  };
  check(parse_sso_error(400, bytes(R"({"error":"slow_down","error_description":"wait"})"),
                        "SlowDownException", "r-1", ""),
        "SlowDownException",
        "https response error StatusCode: 400, RequestID: r-1, api error SlowDownException: wait");
  // the header wins over the body
  check(parse_sso_error(400, bytes(R"({"error":"slow_down"})"),
                        " ExpiredTokenException:http://internal/ ", "", ""),
        "ExpiredTokenException",
        "https response error StatusCode: 400, RequestID: , api error ExpiredTokenException: ");
  check(parse_sso_error(400, bytes(R"({"code":"InvalidRequestException","message":"m"})"), "", "",
                        ""),
        "InvalidRequestException",
        "https response error StatusCode: 400, RequestID: , api error InvalidRequestException: m");
  // an unknown OAuth code is kept as it is; an unknown type too
  check(parse_sso_error(400, bytes(R"({"error":"brand_new"})"), "", "", ""), "brand_new",
        "https response error StatusCode: 400, RequestID: , api error brand_new: ");
  // the fallback applies only when nothing else names a type
  check(parse_sso_error(401, bytes(R"({"message":"Session token not found or invalid"})"), "", "",
                        "UnauthorizedException"),
        "UnauthorizedException",
        "https response error StatusCode: 401, RequestID: , api error UnauthorizedException: "
        "Session token not found or invalid");
  // types that are not identifiers are ignored; untrusted text is escaped
  check(parse_sso_error(400, bytes(R"({"error":"bad code\u001b[31m","message":"x\u001b[0m"})"),
                        "Bad Type", "id\n1", ""),
        "",
        "https response error StatusCode: 400, RequestID: id\\n1, unreadable error response: "
        "no error type: x\\x1b[0m");
  check(parse_sso_error(503, {}, "", "", ""), "",
        "https response error StatusCode: 503, RequestID: , unreadable error response: empty body");
  check(parse_sso_error(500, bytes("[1]"), "", "", ""), "",
        "https response error StatusCode: 500, RequestID: , unreadable error response: "
        "not a JSON object");
  const av::Error garbage = parse_sso_error(502, bytes("<html>"), "", "", "");
  CHECK(garbage.api_code().empty());
  CHECK_THAT(std::string(garbage.message()),
             Catch::StartsWith("https response error StatusCode: 502, RequestID: , "
                               "unreadable error response: json: "));
  // an error body that carries a secret-named member does not leak it
  const av::Error leaky = parse_sso_error(
      400, bytes(R"({"accessToken":"s3cr3t","error":"invalid_grant"})"), "", "", "");
  CHECK(leaky.api_code() == "InvalidGrantException");
  CHECK(leaky.message().find("s3cr3t") == std::string_view::npos);
}

TEST_CASE("sso: mutated responses never crash and never leak", "[aws][sso][mutation]") {
  const auto check_error = [](const av::Error& e) {
    CHECK((e.code() == Errc::Parse || e.code() == Errc::Truncated || e.code() == Errc::TooLarge));
    CHECK(e.message().find("s3cr3t") == std::string_view::npos);
  };
  av::testing::for_each_mutation(kRegisterReply, [&](const std::string& m) {
    auto r = av::aws::parse_register_client(bytes(m));
    if (!r) check_error(r.error());
  });
  av::testing::for_each_mutation(kDeviceReply, [&](const std::string& m) {
    auto r = av::aws::parse_device_authorization(bytes(m));
    if (!r) check_error(r.error());
  });
  av::testing::for_each_mutation(kTokenReply, [&](const std::string& m) {
    auto r = av::aws::parse_create_token(bytes(m));
    if (!r) check_error(r.error());
  });
  av::testing::for_each_mutation(kRoleReply, [&](const std::string& m) {
    auto r = av::aws::parse_role_credentials(bytes(m));
    if (r) {
      CHECK(r->expiration.has_value());
    } else {
      check_error(r.error());
    }
  });
  av::testing::for_each_mutation(
      R"({"error":"invalid_grant","error_description":"bad","accessToken":"s3cr3t"})",
      [&](const std::string& m) {
        const av::Error e = av::aws::parse_sso_error(400, bytes(m), "", "r", "");
        CHECK(e.code() == Errc::AwsApi);
        CHECK(e.message().find("s3cr3t") == std::string_view::npos);
      });
}

// ---- PKCE and the authorize URL ------------------------------------------------------------

TEST_CASE("sso: PKCE S256 matches RFC 7636 Appendix B", "[aws][sso][vector]") {
  // RFC 7636 Appendix B: code_verifier and its S256 code_challenge.
  CHECK(av::aws::pkce_challenge(
            SecretString::copy_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")) ==
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("sso: make_pkce draws a 64-byte verifier and a 32-byte state", "[aws][sso]") {
  CountingRandom counting;
  auto pkce = av::aws::make_pkce(counting);
  REQUIRE(pkce.has_value());
  // bytes 0..63 in unpadded base64url
  CHECK(pkce->verifier.reveal() ==
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-Pw");
  CHECK(pkce->verifier.size() == 86);
  CHECK(pkce->challenge == av::aws::pkce_challenge(pkce->verifier));
  CHECK(pkce->challenge.size() == 43);
  // bytes 64..95
  CHECK(pkce->state == "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8");

  auto a = av::aws::make_pkce(av::crypto::system_random());
  auto b = av::aws::make_pkce(av::crypto::system_random());
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  CHECK(a->verifier.reveal() != b->verifier.reveal());
  CHECK(a->state != b->state);

  BrokenRandom broken;
  auto failed = av::aws::make_pkce(broken);
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().code() == Errc::Crypto);
}

TEST_CASE("sso: authorize_url percent-encodes every value", "[aws][sso][vector]") {
  const std::vector<std::string> scopes = {"sso:account:access", "x y"};
  CHECK(av::aws::authorize_url("https://oidc.eu-west-1.amazonaws.com/",
                               "abc+/=", "http://127.0.0.1:4321/oauth/callback", scopes,
                               "st/ate+=~", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM") ==
        "https://oidc.eu-west-1.amazonaws.com/authorize?response_type=code&client_id=abc%2B%2F%3D"
        "&redirect_uri=http%3A%2F%2F127.0.0.1%3A4321%2Foauth%2Fcallback&state=st%2Fate%2B%3D~"
        "&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess%2Cx%20y"
        "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  CHECK(av::aws::authorize_url("http://h", "c", "r", {}, "s", "x") ==
        "http://h/authorize?response_type=code&client_id=c&redirect_uri=r&state=s"
        "&code_challenge_method=S256&scopes=&code_challenge=x");
}
