// Tests for keyring/keys.h: the key formats of cli.md §5 and upstream's checklist items 4, 5, 35.
#include "keyring/keys.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "base/limits.h"
#include "support/mutation.h"

namespace av::keyring {
namespace {

TEST_CASE("keys: the session key of the spec example is formatted exactly", "[keyring][vector]") {
  auto key = format_session_key(
      {"sts.GetSessionToken", "jonsmith", "arn:aws:iam::111111111111:mfa/jonsmith", 1700000000});
  REQUIRE(key);
  CHECK(*key ==
        "sts.GetSessionToken,am9uc21pdGg,YXJuOmF3czppYW06OjExMTExMTExMTExMTptZmEvam9uc21pdGg,"
        "1700000000");
  auto dev = format_session_key(
      {"sts.GetSessionToken", "dev", "arn:aws:iam::123456789012:mfa/jon", 1700000000});
  REQUIRE(dev);
  CHECK(*dev == "sts.GetSessionToken,ZGV2,YXJuOmF3czppYW06OjEyMzQ1Njc4OTAxMjptZmEvam9u,1700000000");
  CHECK(session_key_prefix(kSessionTypeCredentialProcess, "dev", "") ==
        "credential_process,ZGV2,,");
}

TEST_CASE("keys: a session key parses into its decoded fields", "[keyring][vector]") {
  auto key = parse_session_key(
      "sts.GetSessionToken,am9uc21pdGg,YXJuOmF3czppYW06OjExMTExMTExMTExMTptZmEvam9uc21pdGg,"
      "1700000000");
  REQUIRE(key);
  CHECK(key->type == kSessionTypeGetSessionToken);
  CHECK(key->profile == "jonsmith");
  CHECK(key->mfa_serial == "arn:aws:iam::111111111111:mfa/jonsmith");
  CHECK(key->expiry_unix == 1700000000);
  auto sso = parse_session_key("sso.GetRoleCredentials,ZGV2,aHR0cHM6Ly9leGFtcGxlLmNvbQ,0");
  REQUIRE(sso);
  CHECK(sso->mfa_serial == "https://example.com");
  CHECK(sso->expiry_unix == 0);
}

TEST_CASE("keys: session fields decode as Go's lenient raw URL decoder does", "[keyring][vector]") {
  // Upstream checklist item 5: this key is a session key ("my-profile" decodes in Go).
  auto key = parse_session_key("GetSessionToken,my-profile,,9999999999");
  REQUIRE(key);
  CHECK(key->profile.size() == 7);
  auto newline = parse_session_key("t,ZG\nV2,,1");
  REQUIRE(newline);
  CHECK(newline->profile == "dev");
}

TEST_CASE("keys: malformed session keys are parse errors", "[keyring][error]") {
  for (const char* bad :
       {"", "a,b,c", "a,ZGV2,,1,2", ",ZGV2,,1", "a,,,1", "a,ZGV2,,", "a,ZGV2,,1x", "a,ZGV2,,-1",
        "a,ZGV2,,+1", "a,Z,,1", "a,ZGV2=,,1", "a,ZG+2,,1", "a,ZGV2,Z,1", "a,ZGV2,,1 "}) {
    INFO(bad);
    auto key = parse_session_key(bad);
    REQUIRE_FALSE(key);
    CHECK(key.error().code() == Errc::Parse);
  }
}

TEST_CASE("keys: an overlong session key or expiry is too large", "[keyring][error]") {
  CHECK(parse_session_key("a,ZGV2,," + std::string(limits::kMaxKeyringKeyBytes, '1'))
            .error()
            .code() == Errc::TooLarge);
  CHECK(parse_session_key("a,ZGV2,,9223372036854775808").error().code() == Errc::TooLarge);
  CHECK(parse_session_key("a,ZGV2,,9223372036854775807"));
  CHECK(format_session_key({"t", std::string(limits::kMaxKeyringKeyBytes, 'p'), "", 1})
            .error()
            .code() == Errc::TooLarge);
}

TEST_CASE("keys: invalid session key parts cannot be formatted", "[keyring][error]") {
  CHECK(format_session_key({"", "p", "", 1}).error().code() == Errc::Parse);
  CHECK(format_session_key({"a,b", "p", "", 1}).error().code() == Errc::Parse);
  CHECK(format_session_key({"t", "", "", 1}).error().code() == Errc::Parse);
  CHECK(format_session_key({"t", "p", "", -1}).error().code() == Errc::Parse);
}

TEST_CASE("keys: upstream's legacy session keys are recognised (checklist 35)",
          "[keyring][vector]") {
  for (const char* legacy :
       {"blah session (61633665646639303539)", "blah-iam session (32383863333237616430)",
        "session,c2Vzc2lvbg,,1572281751",
        "session,c2Vzc2lvbg,YXJuOmF3czppYW06OjEyMzQ1Njc4OTA6bWZhL2pzdGV3bW9u,"
        "1572281751",
        "session:dev:arn:1572281751", "session:dev::x y", "foo session (1)"}) {
    INFO(legacy);
    CHECK(is_legacy_session_key(legacy));
    CHECK(classify_key(legacy) == KeyKind::LegacySession);
  }
  for (const char* other : {"blah", "session,c2Vzc2lvbg,,1", "session:dev:x", "session::m:1",
                            "session:de v:m:1", "session:dev:m:", " session (1)", "x session ()",
                            "x session (1a)", "x\ny session (1)", "x session (1) "}) {
    INFO(other);
    CHECK_FALSE(is_legacy_session_key(other));
  }
}

TEST_CASE("keys: classification follows oidc, legacy, session, credential order",
          "[keyring][vector]") {
  CHECK(classify_key("oidc:https://example.awsapps.com/start") == KeyKind::OidcToken);
  CHECK(classify_key("oidc:x session (1)") == KeyKind::OidcToken);
  CHECK(classify_key("GetSessionToken,my-profile,,9999999999") == KeyKind::Session);
  CHECK(classify_key("sts.AssumeRole,ZGV2,,1700000000") == KeyKind::Session);
  CHECK(classify_key("dev") == KeyKind::Credential);
  CHECK(classify_key("a,b,c") == KeyKind::Credential);
  CHECK(classify_key("a,Z,,1") == KeyKind::Credential);
  CHECK(classify_key("") == KeyKind::Credential);
}

TEST_CASE("keys: credential listing excludes oidc and session keys (checklist 5)",
          "[keyring][vector]") {
  const std::vector<std::string> keys = {"llamas", "oidc:https://example.com",
                                         "GetSessionToken,my-profile,,9999999999",
                                         "blah session (61633665646639303539)", "dev"};
  CHECK(credential_keys(keys) == std::vector<std::string>{"llamas", "dev"});
}

TEST_CASE("keys: an oidc key strips back to its url (checklist 4)", "[keyring][roundtrip]") {
  const std::string url = "https://d-123.awsapps.com/start#/";
  CHECK(oidc_token_key(url) == "oidc:" + url);
  CHECK(oidc_start_url(oidc_token_key(url)) == std::optional<std::string_view>(url));
  CHECK(oidc_start_url("oidc:") == std::optional<std::string_view>(""));
  CHECK_FALSE(oidc_start_url("OIDC:x").has_value());
  CHECK_FALSE(oidc_start_url("dev").has_value());
}

TEST_CASE("keys: any profile and serial survive a session key round trip", "[keyring][roundtrip]") {
  const std::vector<std::string> names = {"p",
                                          "dev",
                                          "a,b",
                                          "é 𝄞",
                                          std::string("\0\xff\n", 3),
                                          "arn:aws:iam::111111111111:mfa/jonsmith",
                                          ""};
  for (const std::string& profile : names) {
    for (const std::string& serial : names) {
      if (profile.empty()) continue;
      auto key = format_session_key({"sts.AssumeRole", profile, serial, 42});
      REQUIRE(key);
      CHECK(key->starts_with(session_key_prefix("sts.AssumeRole", profile, serial)));
      auto back = parse_session_key(*key);
      REQUIRE(back);
      CHECK(back->profile == profile);
      CHECK(back->mfa_serial == serial);
      CHECK(back->expiry_unix == 42);
      CHECK(classify_key(*key) == KeyKind::Session);
    }
  }
  CHECK(credentials_label("dev") == "aws-vault (dev)");
}

TEST_CASE("keys: mutated keys never crash the parser or classifier", "[keyring][mutation]") {
  for (const char* valid : {"sts.GetSessionToken,ZGV2,YXJuOmF3cw,1700000000",
                            "blah session (61633665646639303539)", "session:dev:arn:1"}) {
    testing::for_each_mutation(valid, [](const std::string& mutant) {
      auto key = parse_session_key(mutant);
      if (key) CHECK(key->expiry_unix >= 0);
      (void)classify_key(mutant);
    });
  }
}

}  // namespace
}  // namespace av::keyring
