// keyctl_test.cpp: the key retention service wrapper (platform/keyctl.h) against the real
// kernel. Every case first joins a new anonymous session keyring and works only inside it, so
// nothing reaches the user's own keyrings. A kernel without keys (or a seccomp filter blocking
// keyctl) makes these tests fail, never skip.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/limits.h"
#include "platform/keyctl.h"

namespace kc = av::platform::keyctl;
using av::Errc;

namespace {

kc::KeySerial fresh_session() {
  auto joined = kc::join_anonymous_session_keyring();
  INFO((joined ? std::string() : std::string(joined.error().message())));
  REQUIRE(joined);
  return *joined;
}

std::string read_text(kc::KeySerial key) {
  auto data = kc::read_payload(key);
  INFO((data ? std::string() : std::string(data.error().message())));
  REQUIRE(data);
  return std::string(av::as_chars(data->reveal()));
}

constexpr kc::KeySerial kSession = kc::special_serial(kc::SpecialKeyring::Session);

}  // namespace

TEST_CASE("keyctl describe text is parsed from the left", "[platform][keyctl][vector]") {
  auto plain = kc::parse_key_description("user;1000;100;3f010000;dev");
  REQUIRE(plain);
  CHECK(plain->type == "user");
  CHECK(plain->uid == 1000);
  CHECK(plain->gid == 100);
  CHECK(plain->perm == 0x3f010000U);
  CHECK(plain->description == "dev");

  auto semis = kc::parse_key_description("user;0;0;3f3f0000;a;b;c");
  REQUIRE(semis);
  CHECK(semis->description == "a;b;c");

  auto empty = kc::parse_key_description("keyring;4294967295;0;1f0b0000;");
  REQUIRE(empty);
  CHECK(empty->uid == 4294967295U);
  CHECK(empty->description.empty());
}

TEST_CASE("keyctl describe text with missing or bad fields is rejected",
          "[platform][keyctl][error]") {
  for (std::string_view bad :
       {"", "user", "user;0;0;3f010000", "user;x;0;3f010000;d", "user;0;-1;3f010000;d",
        "user;0;0;zz;d", "user;0;0;;d", "user;99999999999;0;3f010000;d"}) {
    CAPTURE(bad);
    auto parsed = kc::parse_key_description(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code() == Errc::Parse);
  }
}

TEST_CASE("keyctl joins an empty anonymous session keyring", "[platform][keyctl][integration]") {
  kc::KeySerial joined = fresh_session();
  auto resolved = kc::resolve_keyring(kc::SpecialKeyring::Session, false);
  REQUIRE(resolved);
  CHECK(*resolved == joined);
  auto listed = kc::list_keyring(joined);
  REQUIRE(listed);
  CHECK(listed->empty());
  CHECK(fresh_session() != joined);
}

TEST_CASE("keyctl user keys are added, read, updated in place and described",
          "[platform][keyctl][roundtrip]") {
  kc::KeySerial session = fresh_session();
  auto added = kc::add_user_key("item;with;semicolons", av::as_bytes("abc"), kSession);
  REQUIRE(added);
  CHECK(read_text(*added) == "abc");

  auto updated = kc::add_user_key("item;with;semicolons", av::as_bytes("longer payload"), session);
  REQUIRE(updated);
  CHECK(*updated == *added);
  CHECK(read_text(*added) == "longer payload");

  auto described = kc::describe(*added);
  REQUIRE(described);
  CHECK(described->type == "user");
  CHECK(described->uid == static_cast<std::uint32_t>(::getuid()));
  CHECK(described->perm == 0x3f010000U);
  CHECK(described->description == "item;with;semicolons");

  auto found = kc::search(kSession, "user", "item;with;semicolons");
  REQUIRE(found);
  CHECK(*found == *added);
}

TEST_CASE("keyctl lists, unlinks and invalidates keys", "[platform][keyctl][integration]") {
  kc::KeySerial session = fresh_session();
  auto a = kc::add_user_key("a", av::as_bytes("1"), session);
  auto b = kc::add_user_key("b", av::as_bytes("2"), session);
  REQUIRE(a);
  REQUIRE(b);
  auto listed = kc::list_keyring(session);
  REQUIRE(listed);
  CHECK(*listed == std::vector<kc::KeySerial>{*a, *b});

  REQUIRE(kc::unlink(*a, session));
  auto gone = kc::search(session, "user", "a");
  REQUIRE_FALSE(gone);
  CHECK(gone.error().code() == Errc::NotFound);
  CHECK(gone.error().message() == "keyctl search for user key \"a\" in keyring " +
                                      std::to_string(session) + ": required key not available");
  auto again = kc::unlink(*a, session);
  REQUIRE_FALSE(again);
  CHECK(again.error().message().find("keyctl unlink key") == 0);

  REQUIRE(kc::invalidate(*b));
  auto invalid = kc::search(session, "user", "b");
  REQUIRE_FALSE(invalid);
  CHECK(invalid.error().code() == Errc::NotFound);
}

TEST_CASE("keyctl searches nested keyrings and sets permissions",
          "[platform][keyctl][integration]") {
  kc::KeySerial session = fresh_session();
  auto displaced = kc::add_keyring("nested", session);
  REQUIRE(displaced);
  auto ring = kc::add_keyring("nested", session);
  REQUIRE(ring);
  CHECK(*ring != *displaced);
  auto key = kc::add_user_key("deep", av::as_bytes("x"), *ring);
  REQUIRE(key);
  auto found = kc::search(session, "user", "deep");
  REQUIRE(found);
  CHECK(*found == *key);
  auto found_ring = kc::search(session, "keyring", "nested");
  REQUIRE(found_ring);
  CHECK(*found_ring == *ring);

  REQUIRE(kc::set_perm(*key, 0x3f1b0000U));
  auto described = kc::describe(*key);
  REQUIRE(described);
  CHECK(described->perm == 0x3f1b0000U);

  REQUIRE(kc::link(*key, session));
  auto listed = kc::list_keyring(session);
  REQUIRE(listed);
  CHECK(std::count(listed->begin(), listed->end(), *key) == 1);
}

TEST_CASE("keyctl payloads up to the kernel limit round-trip", "[platform][keyctl][roundtrip]") {
  kc::KeySerial session = fresh_session();
  std::string big(av::limits::kMaxKeyctlUserPayloadBytes, 'p');
  big.front() = '{';
  big.back() = '}';
  auto added = kc::add_user_key("big", av::as_bytes(big), session);
  INFO((added ? std::string() : std::string(added.error().message())));
  REQUIRE(added);
  CHECK(read_text(*added) == big);
}

TEST_CASE("keyctl refuses bad arguments before calling the kernel", "[platform][keyctl][error]") {
  kc::KeySerial session = fresh_session();
  std::string too_big(av::limits::kMaxKeyctlUserPayloadBytes + 1, 'p');
  auto big = kc::add_user_key("big", av::as_bytes(too_big), session);
  REQUIRE_FALSE(big);
  CHECK(big.error().code() == Errc::TooLarge);
  CHECK(big.error().message().find("payload of 32768 bytes exceeds the kernel's limit of 32767") !=
        std::string_view::npos);

  auto empty = kc::add_user_key("e", {}, session);
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code() == Errc::Unsupported);

  std::string with_nul("a\0b", 3);
  std::string too_long(av::limits::kMaxKeyctlDescriptionBytes + 1, 'd');
  for (const std::string& desc : {std::string(), with_nul, too_long}) {
    auto bad = kc::add_user_key(desc, av::as_bytes("x"), session);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code() == Errc::Parse);
    auto search = kc::search(session, "user", desc);
    REQUIRE_FALSE(search);
    CHECK(search.error().code() == Errc::Parse);
  }
  auto listed = kc::list_keyring(session);
  REQUIRE(listed);
  CHECK(listed->empty());
}

TEST_CASE("keyctl reports kernel errors with the operation", "[platform][keyctl][error]") {
  fresh_session();
  auto missing = kc::read_payload(0x7ffffff0);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code() == Errc::NotFound);
  CHECK(missing.error().message() == "keyctl read key 2147483632: required key not available");

  auto not_ring = kc::add_user_key("k", av::as_bytes("v"), kSession);
  REQUIRE(not_ring);
  auto into_key = kc::add_user_key("k2", av::as_bytes("v"), *not_ring);
  REQUIRE_FALSE(into_key);
  CHECK(into_key.error().message().find("keyctl add user key \"k2\" to keyring ") == 0);
}

TEST_CASE("keyctl resolves the user and persistent keyrings", "[platform][keyctl][integration]") {
  kc::KeySerial session = fresh_session();
  auto user = kc::resolve_keyring(kc::SpecialKeyring::User, true);
  REQUIRE(user);
  CHECK(*user > 0);
  auto persistent = kc::get_persistent_keyring(session);
  INFO((persistent ? std::string() : std::string(persistent.error().message())));
  REQUIRE(persistent);
  auto listed = kc::list_keyring(session);
  REQUIRE(listed);
  CHECK(*listed == std::vector<kc::KeySerial>{*persistent});
  auto described = kc::describe(*persistent);
  REQUIRE(described);
  CHECK(described->type == "keyring");
  CHECK(described->description == "_persistent." + std::to_string(::getuid()));
}
