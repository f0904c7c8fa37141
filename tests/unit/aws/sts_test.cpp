// STS and IAM over our HTTP client, SigV4 signer and XML readers, against moto with signature
// checking on (tests/support/moto.h), plus the retry loop against a scripted HttpClient.
#include <catch2/catch.hpp>
#include <deque>
#include <string>
#include <vector>

#include "aws/iam.h"
#include "aws/query.h"
#include "aws/sts.h"
#include "support/moto.h"
#include "../net/fake_server.h"

namespace {

using av::aws::Credentials;
using av::aws::Endpoint;

Credentials make_credentials(const std::string& id, const std::string& secret,
                             const std::string& token = "") {
  Credentials c;
  c.access_key_id = id;
  c.secret_access_key = av::secure::SecretString::copy_of(secret);
  c.session_token = av::secure::SecretString::copy_of(token);
  return c;
}

Endpoint endpoint_at(av::aws::Service service, const std::string& url) {
  av::aws::EndpointRequest request;
  request.service = service;
  request.region = "us-east-1";
  request.overrides.service_env = url;
  auto endpoint = av::aws::resolve_endpoint(request);
  REQUIRE(endpoint.has_value());
  return *endpoint;
}

// MotoFixture: moto plus the clients that talk to it.
struct MotoFixture {
  av::testing::MotoServer moto;
  explicit MotoFixture(av::testing::MotoServer::Signatures signatures =
                           av::testing::MotoServer::Signatures::Checked)
      : moto(signatures) {
    init();
  }
  std::unique_ptr<av::net::HttpClient> http;
  std::unique_ptr<av::aws::QueryClient> query;
  Credentials user;
  void init() {
    INFO(moto.error());
    REQUIRE(moto.error().empty());
    auto made = av::net::make_http_client({}, av::platform::Environment::from_pairs({}));
    REQUIRE(made.has_value());
    http = std::move(made).value();
    query = std::make_unique<av::aws::QueryClient>(*http, av::platform::system_clock(),
                                                   av::crypto::system_random());
    user = make_credentials(moto.access_key_id(), moto.secret_access_key());
  }
  av::aws::StsClient sts() {
    return {*query, endpoint_at(av::aws::Service::Sts, moto.url())};
  }
  av::aws::IamClient iam() {
    return {*query, endpoint_at(av::aws::Service::Iam, moto.url())};
  }
};

// ScriptedHttp answers from a queue: a status and body, or a network error.
class ScriptedHttp final : public av::net::HttpClient {
 public:
  struct Reply {
    int status = 200;
    std::string body;
    bool network_error = false;
  };
  std::deque<Reply> replies;
  std::vector<std::string> bodies_sent;
  av::Result<av::net::Response> send(const av::net::Url&, av::net::Request request) override {
    bodies_sent.emplace_back(av::as_chars(request.body.reveal()));
    REQUIRE_FALSE(replies.empty());
    Reply r = replies.front();
    replies.pop_front();
    if (r.network_error) return av::Error(av::Errc::Network, "dial tcp: connection refused");
    av::net::Response response;
    response.status = r.status;
    response.body = av::secure::SecretBytes::copy_of(av::as_bytes(r.body));
    return response;
  }
};

std::string error_document(const std::string& code) {
  return "<ErrorResponse><Error><Type>Sender</Type><Code>" + code +
         "</Code><Message>slow down</Message></Error><RequestId>r-1</RequestId></ErrorResponse>";
}

const char* const kIdentityDocument =
    "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::1:user/u</Arn>"
    "<UserId>AIDA</UserId><Account>1</Account></GetCallerIdentityResult>"
    "</GetCallerIdentityResponse>";

}  // namespace

TEST_CASE("GetCallerIdentity signed with the IAM user's key names that user", "[aws][integration]") {
  MotoFixture f;
  auto identity = f.sts().get_caller_identity(f.user);
  INFO((identity ? "" : std::string(identity.error().message())));
  REQUIRE(identity.has_value());
  CHECK(identity->arn == "arn:aws:iam::123456789012:user/av-test");
  CHECK(identity->account == "123456789012");
}

TEST_CASE("GetSessionToken with and without MFA returns credentials that sign the next call",
          "[aws][integration]") {
  MotoFixture f;
  av::aws::GetSessionTokenInput plain;
  plain.duration_seconds = 3600;
  auto session = f.sts().get_session_token(f.user, plain);
  INFO((session ? "" : std::string(session.error().message())));
  REQUIRE(session.has_value());
  CHECK(session->credentials.has_session_token());
  CHECK(session->credentials.expiration.has_value());
  CHECK(session->credentials.access_key_id != f.user.access_key_id);
  // (moto 5.2.1 does not recognise GetSessionToken credentials when it checks signatures, so
  // signing with them is exercised through AssumeRole's below)

  av::aws::GetSessionTokenInput with_mfa;
  with_mfa.mfa.serial_number = "arn:aws:iam::123456789012:mfa/av-test";
  with_mfa.mfa.token_code = av::secure::SecretString::copy_of("123456");
  CHECK(f.sts().get_session_token(f.user, with_mfa).has_value());
}

TEST_CASE("AssumeRole with every optional parameter, and chained from the role's credentials",
          "[aws][integration]") {
  MotoFixture f;
  av::aws::AssumeRoleInput in;
  in.role_arn = "arn:aws:iam::123456789012:role/admin";
  in.role_session_name = "av-session";
  in.duration_seconds = 900;
  in.external_id = "ext-1";
  in.mfa.serial_number = "arn:aws:iam::123456789012:mfa/av-test";
  in.mfa.token_code = av::secure::SecretString::copy_of("654321");
  in.tags = {{"team", "blue"}, {"env", "dev & test"}};
  in.transitive_tag_keys = {"team"};
  in.source_identity = "alice";
  in.policy = R"({"Version":"2012-10-17","Statement":[]})";
  in.policy_arns = {"arn:aws:iam::aws:policy/ReadOnlyAccess"};
  auto role = f.sts().assume_role(f.user, in);
  INFO((role ? "" : std::string(role.error().message())));
  REQUIRE(role.has_value());
  CHECK(role->assumed_role_arn == "arn:aws:sts::123456789012:assumed-role/admin/av-session");

  av::aws::AssumeRoleInput chained;
  chained.role_arn = "arn:aws:iam::123456789012:role/second";
  chained.role_session_name = "chain";
  auto second = f.sts().assume_role(role->credentials, chained);
  INFO((second ? "" : std::string(second.error().message())));
  REQUIRE(second.has_value());
  auto identity = f.sts().get_caller_identity(second->credentials);
  REQUIRE(identity.has_value());
  CHECK(identity->arn == "arn:aws:sts::123456789012:assumed-role/second/chain");
}

TEST_CASE("AssumeRoleWithWebIdentity is sent unsigned; GetFederationToken is signed",
          "[aws][integration]") {
  // moto cannot check signatures and accept an unsigned call in one server (moto_server.py)
  MotoFixture f(av::testing::MotoServer::Signatures::Unchecked);
  av::aws::AssumeRoleWithWebIdentityInput web;
  web.role_arn = "arn:aws:iam::123456789012:role/web";
  web.role_session_name = "web-session";
  web.web_identity_token = av::secure::SecretString::copy_of("eyJ.token.sig");
  auto assumed = f.sts().assume_role_with_web_identity(web);
  INFO((assumed ? "" : std::string(assumed.error().message())));
  REQUIRE(assumed.has_value());
  CHECK(assumed->credentials.has_session_token());

  av::aws::GetFederationTokenInput fed;
  fed.name = "av-test";
  fed.duration_seconds = 3600;
  fed.policy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";
  auto token = f.sts().get_federation_token(f.user, fed);
  INFO((token ? "" : std::string(token.error().message())));
  REQUIRE(token.has_value());
  CHECK(token->federated_user_arn == "arn:aws:sts::123456789012:federated-user/av-test");
}

TEST_CASE("a wrong secret gives SignatureDoesNotMatch and an unknown key InvalidClientTokenId, "
          "neither retried", "[aws][integration][error]") {
  MotoFixture f;
  const Credentials wrong = make_credentials(f.moto.access_key_id(), "not-the-secret");
  auto denied = f.sts().get_caller_identity(wrong);
  REQUIRE_FALSE(denied.has_value());
  CHECK(denied.error().code() == av::Errc::AwsApi);
  CHECK(denied.error().api_code() == "SignatureDoesNotMatch");
  CHECK_THAT(std::string(denied.error().message()),
             Catch::StartsWith("operation error STS: GetCallerIdentity, https response error "
                               "StatusCode: 403, RequestID: "));
  CHECK(f.query->attempts_made() == 1);

  const Credentials unknown = make_credentials("AKIAUNKNOWNUNKNOWN00", "x");
  auto invalid = f.sts().get_caller_identity(unknown);
  REQUIRE_FALSE(invalid.has_value());
  CHECK(invalid.error().api_code() == "InvalidClientTokenId");
}

TEST_CASE("IAM GetUser, ListAccessKeys, CreateAccessKey and DeleteAccessKey", "[aws][integration]") {
  MotoFixture f;
  auto iam = f.iam();
  auto user = iam.get_user(f.user);
  INFO((user ? "" : std::string(user.error().message())));
  REQUIRE(user.has_value());
  CHECK(user->user_name == "av-test");

  auto created = iam.create_access_key(f.user, "av-test");
  INFO((created ? "" : std::string(created.error().message())));
  REQUIRE(created.has_value());
  auto listed = iam.list_access_keys(f.user, "av-test");
  REQUIRE(listed.has_value());
  CHECK(listed->keys.size() == 2);
  // the new key works before the old one is deleted (what a safe rotate relies on)
  auto identity = f.sts().get_caller_identity(created->credentials);
  INFO((identity ? "" : std::string(identity.error().message())));
  REQUIRE(identity.has_value());

  REQUIRE(iam.delete_access_key(created->credentials, f.user.access_key_id, "av-test").has_value());
  auto after = iam.list_access_keys(created->credentials, "av-test");
  REQUIRE(after.has_value());
  REQUIRE(after->keys.size() == 1);
  CHECK(after->keys[0].access_key_id == created->credentials.access_key_id);
}

TEST_CASE("throttling and 5xx are retried with back-off, then succeed", "[aws][vector]") {
  ScriptedHttp http;
  http.replies = {{400, error_document("Throttling")}, {503, "", false}, {200, kIdentityDocument}};
  std::vector<std::chrono::milliseconds> sleeps;
  av::aws::QueryClient query(http, av::platform::system_clock(), av::crypto::system_random(),
                             [&sleeps](std::chrono::milliseconds d) { sleeps.push_back(d); });
  av::aws::StsClient sts(query, endpoint_at(av::aws::Service::Sts, "http://127.0.0.1:9"));
  auto identity = sts.get_caller_identity(make_credentials("AKIAEXAMPLE", "s"));
  REQUIRE(identity.has_value());
  CHECK(identity->account == "1");
  CHECK(query.attempts_made() == 3);
  REQUIRE(sleeps.size() == 2);
  CHECK(sleeps[0] <= std::chrono::seconds(2));
  CHECK(sleeps[1] <= std::chrono::seconds(4));
}

TEST_CASE("a loopback STS that throttles twice is retried over real HTTP and then answers",
          "[aws][integration]") {
  av::net::testing::FakeServer server({"http", "--throttle", "2"});
  auto http = av::net::make_http_client({}, av::platform::Environment::from_pairs({}));
  REQUIRE(http.has_value());
  std::vector<std::chrono::milliseconds> sleeps;
  av::aws::QueryClient query(**http, av::platform::system_clock(), av::crypto::system_random(),
                             [&sleeps](std::chrono::milliseconds d) { sleeps.push_back(d); });
  av::aws::StsClient sts(query, endpoint_at(av::aws::Service::Sts,
                                            "http://127.0.0.1:" + std::to_string(server.port())));
  auto identity = sts.get_caller_identity(make_credentials("AKIAEXAMPLE", "s"));
  INFO((identity ? "" : std::string(identity.error().message())));
  REQUIRE(identity.has_value());
  CHECK(identity->arn == "arn:aws:iam::123456789012:user/fake");
  CHECK(query.attempts_made() == 3);
  CHECK(sleeps.size() == 2);

  av::net::testing::FakeServer stubborn({"http", "--throttle", "5"});
  av::aws::QueryClient query2(**http, av::platform::system_clock(), av::crypto::system_random(),
                              [](std::chrono::milliseconds) {});
  av::aws::StsClient sts2(query2, endpoint_at(av::aws::Service::Sts,
                                              "http://127.0.0.1:" + std::to_string(stubborn.port())));
  auto refused = sts2.get_caller_identity(make_credentials("AKIAEXAMPLE", "s"));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().api_code() == "Throttling");
  CHECK(query2.attempts_made() == 3);
}

TEST_CASE("retries stop after three attempts and the last error is reported", "[aws][error]") {
  ScriptedHttp http;
  http.replies = {{500, ""}, {0, "", true}, {502, ""}};
  av::aws::QueryClient query(http, av::platform::system_clock(), av::crypto::system_random(),
                             [](std::chrono::milliseconds) {});
  av::aws::StsClient sts(query, endpoint_at(av::aws::Service::Sts, "http://127.0.0.1:9"));
  auto identity = sts.get_caller_identity(make_credentials("AKIAEXAMPLE", "s"));
  REQUIRE_FALSE(identity.has_value());
  CHECK(query.attempts_made() == 3);
  CHECK_THAT(std::string(identity.error().message()),
             Catch::StartsWith("operation error STS: GetCallerIdentity, https response error "
                               "StatusCode: 502"));
}

TEST_CASE("validation and auth errors are not retried", "[aws][error]") {
  for (const char* code : {"ValidationError", "AccessDenied", "ExpiredToken"}) {
    ScriptedHttp http;
    http.replies = {{400, error_document(code)}};
    av::aws::QueryClient query(http, av::platform::system_clock(), av::crypto::system_random(),
                               [](std::chrono::milliseconds) { FAIL("slept"); });
    av::aws::StsClient sts(query, endpoint_at(av::aws::Service::Sts, "http://127.0.0.1:9"));
    auto result = sts.get_session_token(make_credentials("AKIAEXAMPLE", "s"), {});
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().api_code() == code);
    CHECK(query.attempts_made() == 1);
  }
}

TEST_CASE("the form body encodes every parameter, secrets included, in order", "[aws][vector]") {
  ScriptedHttp http;
  http.replies = {{400, error_document("AccessDenied")}};
  av::aws::QueryClient query(http, av::platform::system_clock(), av::crypto::system_random());
  av::aws::StsClient sts(query, endpoint_at(av::aws::Service::Sts, "http://127.0.0.1:9"));
  av::aws::AssumeRoleInput in;
  in.role_arn = "arn:aws:iam::1:role/a b";
  in.role_session_name = "s";
  in.mfa.serial_number = "arn:aws:iam::1:mfa/u";
  in.mfa.token_code = av::secure::SecretString::copy_of("123456");
  in.tags = {{"k", "v/w"}};
  (void)sts.assume_role(make_credentials("AKIAEXAMPLE", "s"), in);
  REQUIRE(http.bodies_sent.size() == 1);
  CHECK(http.bodies_sent[0] ==
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa+b"
        "&RoleSessionName=s&SerialNumber=arn%3Aaws%3Aiam%3A%3A1%3Amfa%2Fu"
        "&Tags.member.1.Key=k&Tags.member.1.Value=v%2Fw&TokenCode=123456");
}
