// Tests for keyring/credentials.h: the long-term credential Data of cli.md §5.2.
#include "keyring/credentials.h"

#include <catch2/catch.hpp>
#include <string>

#include "base/limits.h"
#include "support/mutation.h"
#include "vectors.h"

namespace av::keyring {
namespace {

TEST_CASE("credentials json: add's payload is written in upstream's exact layout",
          "[keyring][vector]") {
  LongTermCredentials creds;
  creds.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  creds.secret_access_key =
      secure::SecretString::copy_of("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  auto json = serialize_credentials_json(creds);
  REQUIRE(json);
  CHECK(json->reveal() == test::read_vector("credentials_data.json"));
}

TEST_CASE("credentials json: the vector and upstream's short test form parse",
          "[keyring][vector]") {
  auto full = parse_credentials_json(test::read_vector("credentials_data.json"));
  REQUIRE(full);
  CHECK(full->access_key_id == "AKIAIOSFODNN7EXAMPLE");
  CHECK(full->secret_access_key.reveal() == "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  CHECK(full->expires == kGoZeroTime);
  auto short_form = parse_credentials_json(R"({"AccessKeyID":"ABC","SecretAccessKey":"XYZ"})");
  REQUIRE(short_form);
  CHECK(short_form->access_key_id == "ABC");
  CHECK(short_form->secret_access_key.reveal() == "XYZ");
  CHECK(short_form->session_token.empty());
  auto folded = parse_credentials_json(
      R"({"accesskeyid":"A","secretAccessKey":"S","SESSIONTOKEN":"T","canexpire":true,"x":1})");
  REQUIRE(folded);
  CHECK(folded->access_key_id == "A");
  CHECK(folded->secret_access_key.reveal() == "S");
  CHECK(folded->session_token.reveal() == "T");
  CHECK(folded->can_expire);
}

TEST_CASE("credentials json: invalid documents are parse errors", "[keyring][error]") {
  for (const char* bad :
       {"[]", "{\"AccessKeyID\":1}", "{\"SecretAccessKey\":false}", "{\"CanExpire\":\"no\"}",
        "{\"SecretAccessKey\":\"a\",\"secretaccesskey\":\"b\"}",
        "{\"Expires\":0}", "x"}) {
    INFO(bad);
    auto creds = parse_credentials_json(bad);
    REQUIRE_FALSE(creds);
    CHECK(creds.error().code() == Errc::Parse);
  }
  CHECK(parse_credentials_json("{").error().code() == Errc::Truncated);
  CHECK(parse_credentials_json(std::string(limits::kMaxSecretItemBytes + 1, ' ')).error().code() ==
        Errc::TooLarge);
}

TEST_CASE("credentials json: secrets survive a round trip and mutants never crash",
          "[keyring][roundtrip][mutation]") {
  LongTermCredentials creds;
  creds.access_key_id = "AKIA<&>";
  creds.secret_access_key = secure::SecretString::copy_of("s\"e\\c\n");
  creds.session_token = secure::SecretString::copy_of("tok\u2028");
  creds.account_id = "123456789012";
  creds.can_expire = true;
  auto json = serialize_credentials_json(creds);
  REQUIRE(json);
  auto back = parse_credentials_json(json->reveal());
  REQUIRE(back);
  CHECK(back->access_key_id == creds.access_key_id);
  CHECK(back->secret_access_key.reveal() == creds.secret_access_key.reveal());
  CHECK(back->session_token.reveal() == creds.session_token.reveal());
  CHECK(back->account_id == "123456789012");
  CHECK(back->can_expire);
  testing::for_each_mutation(
      json->reveal(), [](const std::string& mutant) { (void)parse_credentials_json(mutant); });
}

}  // namespace
}  // namespace av::keyring
