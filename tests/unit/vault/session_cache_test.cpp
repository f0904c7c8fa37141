// The session cache (spec §4.4, §5.3): item format, purge of legacy and expired keys, lookup by
// prefix with the AWS_MIN_TTL window, and replacement on store. MemoryKeyring and a fixed clock.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "keyring/keys.h"
#include "keyring/memory_keyring.h"
#include "vault/session_cache.h"

namespace {

using av::Errc;
using av::vault::detail::CacheSlot;
using av::vault::detail::SessionCache;
using std::chrono::minutes;
using std::chrono::seconds;
using Time = std::chrono::system_clock::time_point;

constexpr const char* kSerial = "arn:aws:iam::111111111111:mfa/jonsmith";

class FixedClock final : public av::platform::Clock {
 public:
  Time t = Time(seconds(1700000000));
  Time now() const override { return t; }
};

av::aws::Credentials session(const std::string& id, Time expiration) {
  av::aws::Credentials c;
  c.access_key_id = id;
  c.secret_access_key = av::secure::SecretString::copy_of("secret");
  c.session_token = av::secure::SecretString::copy_of("token");
  c.expiration = expiration;
  return c;
}

av::keyring::Item item(const std::string& key, const std::string& data) {
  av::keyring::Item i;
  i.key = key;
  i.data = av::secure::SecretBytes::copy_of(av::as_bytes(data));
  return i;
}

std::string json_for(const std::string& id, const std::string& expiration) {
  return "{\"AccessKeyId\":\"" + id + "\",\"Expiration\":\"" + expiration +
         "\",\"SecretAccessKey\":\"s\",\"SessionToken\":\"t\"}";
}

const CacheSlot kSlot{av::keyring::kSessionTypeGetSessionToken, "jonsmith", kSerial};

}  // namespace

TEST_CASE("session JSON is written with upstream's four keys in order", "[vault][vector]") {
  auto json = av::vault::detail::serialize_session_json(
      session("ASIA1", Time(seconds(1714564800))));
  REQUIRE(json.has_value());
  CHECK(json->reveal() ==
        "{\"AccessKeyId\":\"ASIA1\",\"Expiration\":\"2024-05-01T12:00:00Z\","
        "\"SecretAccessKey\":\"secret\",\"SessionToken\":\"token\"}");
  auto nano = av::vault::detail::serialize_session_json(
      session("ASIA1", Time(seconds(1714564800)) + std::chrono::milliseconds(500)));
  REQUIRE(nano.has_value());
  CHECK(nano->reveal().find("\"2024-05-01T12:00:00.5Z\"") != std::string_view::npos);
}

TEST_CASE("session JSON reads back in any letter case and with offsets", "[vault][roundtrip]") {
  auto creds = av::vault::detail::parse_session_json(
      "{\"accesskeyid\":\"ASIA2\",\"EXPIRATION\":\"2024-05-01T22:00:00+10:00\","
      "\"secretaccesskey\":\"s\",\"SessionToken\":\"t\",\"Version\":1}");
  REQUIRE(creds.has_value());
  CHECK(creds->access_key_id == "ASIA2");
  CHECK(creds->secret_access_key.reveal() == "s");
  CHECK(creds->session_token.reveal() == "t");
  CHECK(*creds->expiration == Time(seconds(1714564800)));
}

TEST_CASE("malformed session JSON is a parse error", "[vault][error]") {
  for (const char* bad : {"nope", "[]", "{\"AccessKeyId\":\"A\"}",
                          "{\"AccessKeyId\":1,\"Expiration\":\"2024-05-01T12:00:00Z\"}",
                          "{\"Expiration\":\"yesterday\"}"}) {
    auto creds = av::vault::detail::parse_session_json(bad);
    INFO(bad);
    REQUIRE_FALSE(creds.has_value());
  }
}

TEST_CASE("labels and masked keys look like upstream's", "[vault][vector]") {
  CHECK(av::vault::detail::session_label("jonsmith", Time(seconds(1714564800))) ==
        "aws-vault session for jonsmith (expires 2024-05-01T12:00:00Z)");
  CHECK(av::vault::detail::mask_access_key("ASIAABCDEFGHWXYZ") == "****************WXYZ");
  CHECK(av::vault::detail::mask_access_key("AB") == "****************AB");
}

TEST_CASE("store writes a trusted session item under the spec's key", "[vault][vector]") {
  av::keyring::MemoryKeyring keyring;
  FixedClock clock;
  SessionCache cache(keyring, clock, minutes(5));
  REQUIRE(cache.store(kSlot, session("ASIA3", clock.t + minutes(60))).has_value());
  auto stored = keyring.get(
      "sts.GetSessionToken,am9uc21pdGg,"
      "YXJuOmF3czppYW06OjExMTExMTExMTExMTptZmEvam9uc21pdGg,1700003600");
  REQUIRE(stored.has_value());
  CHECK(stored->label == "aws-vault session for jonsmith (expires 2023-11-14T23:13:20Z)");
  CHECK(stored->description == "aws-vault session");
  CHECK_FALSE(stored->keychain_not_trust_application);

  SECTION("lookup reuses it while more than the window remains") {
    auto hit = cache.lookup(kSlot);
    REQUIRE(hit.has_value());
    REQUIRE(hit->has_value());
    CHECK((*hit)->access_key_id == "ASIA3");
    clock.t += minutes(56);  // four minutes left: inside the 5 minute window
    auto miss = cache.lookup(kSlot);
    REQUIRE(miss.has_value());
    CHECK_FALSE(miss->has_value());
    SessionCache narrow(keyring, clock, minutes(1));
    auto narrow_hit = narrow.lookup(kSlot);
    REQUIRE(narrow_hit.has_value());
    CHECK(narrow_hit->has_value());
  }
  SECTION("another serial or profile does not match") {
    for (const CacheSlot& other :
         {CacheSlot{av::keyring::kSessionTypeGetSessionToken, "jonsmith", ""},
          CacheSlot{av::keyring::kSessionTypeGetSessionToken, "jon", kSerial},
          CacheSlot{av::keyring::kSessionTypeAssumeRole, "jonsmith", kSerial}}) {
      auto miss = cache.lookup(other);
      REQUIRE(miss.has_value());
      CHECK_FALSE(miss->has_value());
    }
  }
}

TEST_CASE("a later store replaces the item with the same prefix", "[vault][mutation]") {
  av::keyring::MemoryKeyring keyring;
  FixedClock clock;
  SessionCache cache(keyring, clock, minutes(5));
  REQUIRE(cache.store(kSlot, session("ASIA3", clock.t + minutes(60))).has_value());
  REQUIRE(cache.store(kSlot, session("ASIA4", clock.t + minutes(90))).has_value());
  auto keys = keyring.keys();
  REQUIRE(keys.has_value());
  REQUIRE(keys->size() == 1);
  CHECK(keys->front().substr(keys->front().size() - 10) == "1700005400");
}

TEST_CASE("purge deletes legacy and expired sessions and keeps everything else",
          "[vault][mutation]") {
  av::keyring::MemoryKeyring keyring;
  FixedClock clock;
  for (const char* key :
       {"jonsmith", "oidc:https://x.awsapps.com/start", "blah session (61633665646639303539)",
        "session,c2Vzc2lvbg,,1572281751", "sts.AssumeRole,Zm9v,,1699999999",
        "sts.AssumeRole,Zm9v,,1700000000", "GetSessionToken,my-profile,,9999999999"}) {
    REQUIRE(keyring.set(item(key, "{}")).has_value());
  }
  SessionCache cache(keyring, clock, minutes(5));
  auto kept = cache.purge();
  REQUIRE(kept.has_value());
  CHECK(*kept == std::vector<std::string>{"jonsmith", "oidc:https://x.awsapps.com/start",
                                          "sts.AssumeRole,Zm9v,,1700000000",
                                          "GetSessionToken,my-profile,,9999999999"});
  CHECK(keyring.size() == 4);
}

TEST_CASE("undecodable or unreadable cached items are misses", "[vault][error]") {
  av::keyring::MemoryKeyring keyring;
  FixedClock clock;
  const std::string key = kSlot.prefix() + "1800000000";
  REQUIRE(keyring.set(item(key, "not json")).has_value());
  SessionCache cache(keyring, clock, minutes(5));
  auto miss = cache.lookup(kSlot);
  REQUIRE(miss.has_value());
  CHECK_FALSE(miss->has_value());

  SECTION("the first matching key in keyring order wins") {
    REQUIRE(keyring.remove(key).has_value());
    REQUIRE(keyring.set(item(kSlot.prefix() + "1800000001",
                             json_for("FIRST", "2027-01-15T08:00:00Z")))
                .has_value());
    REQUIRE(keyring.set(item(kSlot.prefix() + "1800000002",
                             json_for("SECOND", "2027-01-15T08:00:00Z")))
                .has_value());
    auto hit = cache.lookup(kSlot);
    REQUIRE(hit.has_value());
    REQUIRE(hit->has_value());
    CHECK((*hit)->access_key_id == "FIRST");
  }
  SECTION("keyring failures while listing are errors") {
    keyring.fail_with(av::Error(Errc::Keyring, "locked"));
    auto failed = cache.lookup(kSlot);
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().code() == Errc::Keyring);
    CHECK_FALSE(cache.store(kSlot, session("A", clock.t + minutes(60))).has_value());
  }
}
