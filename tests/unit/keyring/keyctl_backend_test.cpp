// keyctl_backend_test.cpp: the `keyctl` keyring backend (backends.md §2.2) against the real
// kernel key retention service. Every case first joins a new anonymous session keyring, and
// uses its own randomly named store keyring which the Sandbox removes (unlink + invalidate)
// from @u or the persistent keyring afterwards, so nothing is left in the user's keyrings.
// A kernel without keys (or a seccomp filter blocking keyctl) makes these tests fail, not skip.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/limits.h"
#include "keyring/backends/keyctl/keyctl_keyring.h"
#include "platform/keyctl.h"

namespace kc = av::platform::keyctl;
using av::Errc;
using av::keyring::Item;
using av::keyring::keyctl::KeyctlKeyring;
using av::keyring::keyctl::KeyctlOptions;

namespace {

std::string random_ring_name() {
  static constexpr std::string_view kAlnum =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::random_device device;
  std::uniform_int_distribution<std::size_t> pick(0, kAlnum.size() - 1);
  std::string name = "keyctl_test_";
  for (int i = 0; i < 16; ++i) name.push_back(kAlnum[pick(device)]);
  return name;
}

// Sandbox: a fresh session keyring plus a unique store name, removed from @u and the
// persistent keyring on destruction.
struct Sandbox {
  kc::KeySerial session = 0;
  std::string name = random_ring_name();

  Sandbox() {
    auto joined = kc::join_anonymous_session_keyring();
    INFO((joined ? std::string() : std::string(joined.error().message())));
    REQUIRE(joined);
    session = *joined;
  }
  ~Sandbox() {
    for (auto which : {kc::SpecialKeyring::User, kc::SpecialKeyring::UserSession,
                       kc::SpecialKeyring::Process, kc::SpecialKeyring::Thread}) {
      remove_from(kc::special_serial(which));
    }
    if (auto persistent = kc::get_persistent_keyring(session)) remove_from(*persistent);
  }
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  void remove_from(kc::KeySerial parent) const {
    for (int i = 0; i < 4; ++i) {
      auto ring = kc::search(parent, "keyring", name);
      if (!ring) return;
      (void)kc::unlink(*ring, parent);
      (void)kc::invalidate(*ring);
    }
  }

  KeyctlOptions options(std::string scope = "") const {
    KeyctlOptions out;
    out.scope = std::move(scope);
    out.keyring_name = name;
    return out;
  }
};

std::unique_ptr<KeyctlKeyring> open_ok(KeyctlOptions options) {
  auto opened = KeyctlKeyring::open(std::move(options));
  INFO((opened ? std::string() : std::string(opened.error().message())));
  REQUIRE(opened);
  return std::move(*opened);
}

Item make_item(std::string key, std::string_view data) {
  Item item;
  item.key = std::move(key);
  item.data = av::secure::SecretBytes::copy_of(av::as_bytes(data));
  item.label = "aws-vault (" + item.key + ")";
  item.description = "dropped";
  return item;
}

void set_ok(KeyctlKeyring& ring, const Item& item) {
  auto stored = ring.set(item);
  INFO((stored ? std::string() : std::string(stored.error().message())));
  REQUIRE(stored);
}

std::string get_text(KeyctlKeyring& ring, std::string_view key) {
  auto got = ring.get(key);
  INFO((got ? std::string() : std::string(got.error().message())));
  REQUIRE(got);
  CHECK(got->key == key);
  CHECK(got->label.empty());
  CHECK(got->description.empty());
  return std::string(av::as_chars(got->data.reveal()));
}

std::vector<std::string> keys_ok(KeyctlKeyring& ring) {
  auto keys = ring.keys();
  INFO((keys ? std::string() : std::string(keys.error().message())));
  REQUIRE(keys);
  return *keys;
}

std::size_t read_proc_number(const char* path) {
  std::ifstream in(path);
  std::size_t value = 0;
  in >> value;
  return value;
}

}  // namespace

TEST_CASE("keyctl store: an item set in the default (user) scope reads back and is listed",
          "[keyring][keyctl][roundtrip]") {
  Sandbox box;
  auto ring = open_ok(box.options());
  auto user_ring = kc::search(kc::special_serial(kc::SpecialKeyring::User), "keyring", box.name);
  REQUIRE(user_ring);
  CHECK(*user_ring == ring->ring());
  CHECK(keys_ok(*ring).empty());

  const std::string json = R"({"AccessKeyID":"AKIA","SecretAccessKey":"s"})";
  set_ok(*ring, make_item("dev", json));
  CHECK(get_text(*ring, "dev") == json);
  CHECK(keys_ok(*ring) == std::vector<std::string>{"dev"});

  auto payload = kc::read_payload(*kc::search(ring->ring(), "user", "dev"));
  REQUIRE(payload);
  CHECK(av::as_chars(payload->reveal()) == json);  // raw Data, not Item JSON

  REQUIRE(ring->remove("dev"));
  CHECK(av::keyring::is_not_found(ring->get("dev").error()));
  CHECK(keys_ok(*ring).empty());
}

TEST_CASE("keyctl store: setting an existing key replaces its payload",
          "[keyring][keyctl][roundtrip]") {
  Sandbox box;
  auto ring = open_ok(box.options());
  set_ok(*ring, make_item("dev", "first, longer value"));
  set_ok(*ring, make_item("dev", "second"));
  set_ok(*ring, make_item("sts.GetSessionToken,ZGV2,,1700000000", "session"));
  set_ok(*ring, make_item("semi;colon", "x"));
  CHECK(get_text(*ring, "dev") == "second");
  std::vector<std::string> keys = keys_ok(*ring);
  std::sort(keys.begin(), keys.end());  // the kernel's order is not insertion order
  CHECK(keys ==
        std::vector<std::string>{"dev", "semi;colon", "sts.GetSessionToken,ZGV2,,1700000000"});

  auto reopened = open_ok(box.options("user"));
  CHECK(reopened->ring() == ring->ring());
  CHECK(get_text(*reopened, "semi;colon") == "x");
}

TEST_CASE("keyctl store: missing keys, empty keys and metadata give upstream's errors",
          "[keyring][keyctl][error]") {
  Sandbox box;
  auto ring = open_ok(box.options());
  for (std::string_view key : {"missing", ""}) {
    auto got = ring->get(key);
    REQUIRE_FALSE(got);
    CHECK(got.error().code() == Errc::NotFound);
    CHECK(got.error().message() == av::keyring::kNotFoundMessage);
    auto removed = ring->remove(key);
    REQUIRE_FALSE(removed);
    CHECK(removed.error().message() == av::keyring::kNotFoundMessage);
  }
  auto meta = ring->get_metadata("missing");
  REQUIRE_FALSE(meta);
  CHECK(meta.error().code() == Errc::Unsupported);
  CHECK(meta.error().message() == av::keyring::kMetadataUnsupportedMessage);

  auto empty_key = ring->set(make_item("", "x"));
  REQUIRE_FALSE(empty_key);
  CHECK(empty_key.error().code() == Errc::Parse);
  auto empty_data = ring->set(make_item("dev", ""));
  REQUIRE_FALSE(empty_data);
  CHECK(empty_data.error().code() == Errc::Unsupported);
  CHECK(keys_ok(*ring).empty());
}

TEST_CASE("keyctl store: payloads up to 32767 bytes round-trip, larger ones fail whole",
          "[keyring][keyctl][error]") {
  Sandbox box;
  std::size_t quota = ::getuid() == 0 ? read_proc_number("/proc/sys/kernel/keys/root_maxbytes")
                                      : read_proc_number("/proc/sys/kernel/keys/maxbytes");
  INFO("the kernel key quota must allow a 32 KiB key; raise /proc/sys/kernel/keys/maxbytes");
  REQUIRE(quota >= 65536);

  auto ring = open_ok(box.options());
  std::string big(av::limits::kMaxKeyctlUserPayloadBytes, 'a');
  big.back() = 'z';
  set_ok(*ring, make_item("big", big));
  CHECK(get_text(*ring, "big") == big);

  std::string too_big = big + "!";
  auto refused = ring->set(make_item("big", too_big));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == Errc::TooLarge);
  CHECK(refused.error().message() ==
        "storing \"big\": keyctl add user key \"big\" to keyring " + std::to_string(ring->ring()) +
            ": payload of 32768 bytes exceeds the kernel's limit of 32767");
  CHECK(get_text(*ring, "big") == big);  // the old value is untouched, nothing truncated
}

TEST_CASE("keyctl store: keys of other types with the same name are ignored",
          "[keyring][keyctl][integration]") {
  Sandbox box;
  auto ring = open_ok(box.options());
  auto nested = kc::add_keyring("dev", ring->ring());
  REQUIRE(nested);
  CHECK(ring->get("dev").error().code() == Errc::NotFound);
  CHECK(keys_ok(*ring).empty());

  set_ok(*ring, make_item("dev", "payload"));
  CHECK(get_text(*ring, "dev") == "payload");
  CHECK(keys_ok(*ring) == std::vector<std::string>{"dev"});
  REQUIRE(ring->remove("dev"));
  auto left = kc::list_keyring(ring->ring());
  REQUIRE(left);
  CHECK(*left == std::vector<kc::KeySerial>{*nested});

  // As upstream, get searches nested keyrings, but keys() lists only direct members.
  REQUIRE(kc::add_user_key("inner", av::as_bytes("deep"), *nested));
  CHECK(get_text(*ring, "inner") == "deep");
  CHECK(keys_ok(*ring).empty());
}

TEST_CASE("keyctl store: every upstream scope opens, and an empty name uses the scope keyring",
          "[keyring][keyctl][integration]") {
  for (std::string scope : {"user", "usersession", "session", "process", "thread", "persistent"}) {
    CAPTURE(scope);
    Sandbox box;
    auto ring = open_ok(box.options(scope));
    set_ok(*ring, make_item("dev", scope));
    CHECK(get_text(*ring, "dev") == scope);
    REQUIRE(ring->remove("dev"));
  }
  Sandbox box;
  KeyctlOptions direct;
  direct.scope = "session";
  direct.keyring_name = "";
  auto ring = open_ok(direct);
  CHECK(ring->ring() == box.session);
  REQUIRE(kc::add_keyring("not-an-item", box.session));
  set_ok(*ring, make_item("dev", "x"));
  CHECK(keys_ok(*ring) == std::vector<std::string>{"dev"});
}

TEST_CASE("keyctl store: a non-zero perm applies to the keyring and to every key",
          "[keyring][keyctl][integration]") {
  Sandbox box;
  KeyctlOptions options = box.options("user");
  options.perm = 0x3f3f0000U;
  auto ring = open_ok(options);
  auto ring_desc = kc::describe(ring->ring());
  REQUIRE(ring_desc);
  CHECK(ring_desc->perm == 0x3f3f0000U);
  set_ok(*ring, make_item("dev", "v1"));
  set_ok(*ring, make_item("dev", "v2"));
  auto key_desc = kc::describe(*kc::search(ring->ring(), "user", "dev"));
  REQUIRE(key_desc);
  CHECK(key_desc->perm == 0x3f3f0000U);
  CHECK(get_text(*ring, "dev") == "v2");
  CHECK(keys_ok(*ring) == std::vector<std::string>{"dev"});
}

TEST_CASE("keyctl store: another process whose session does not link @u still reads the store",
          "[keyring][keyctl][integration]") {
  Sandbox box;
  {
    auto ring = open_ok(box.options());
    set_ok(*ring, make_item("dev", "shared"));
  }
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // A new process has no process keyring; a new session does not link @u.
    if (!kc::join_anonymous_session_keyring()) ::_exit(10);
    auto user = kc::special_serial(kc::SpecialKeyring::User);
    auto store = kc::search(user, "keyring", box.name);
    if (!store) ::_exit(11);
    auto item = kc::search(user, "user", "dev");  // possessed through the special id only
    if (!item) ::_exit(12);
    auto unpossessed = kc::read_payload(*item);
    if (unpossessed || unpossessed.error().code() != Errc::PermissionDenied) ::_exit(13);
    auto ring = KeyctlKeyring::open(box.options());
    if (!ring) ::_exit(14);
    auto got = (*ring)->get("dev");
    if (!got || av::as_chars(got->data.reveal()) != "shared") ::_exit(15);
    ::_exit(0);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("keyctl store: open errors say why", "[keyring][keyctl][error]") {
  Sandbox box;
  auto bogus = KeyctlKeyring::open(box.options("bogus"));
  REQUIRE_FALSE(bogus);
  CHECK(bogus.error().code() == Errc::Config);
  CHECK(bogus.error().message() == "accessing \"bogus\" keyring failed: unknown scope \"bogus\"");

  auto group = KeyctlKeyring::open(box.options("group"));
  REQUIRE_FALSE(group);
  CHECK(group.error().code() == Errc::Unsupported);
  CHECK(group.error().message() == "accessing \"group\" keyring failed: not yet implemented");

  KeyctlOptions nul = box.options("session");
  nul.keyring_name = std::string("a\0b", 3);
  auto bad_name = KeyctlKeyring::open(nul);
  REQUIRE_FALSE(bad_name);
  CHECK(bad_name.error().code() == Errc::Parse);
  CHECK(bad_name.error().message().find(
            "opening keyring \"a\\x00b\" in the \"session\" keyring: ") == 0);

  // A keyring of that name the user may not search: reported, never treated as missing.
  auto locked = kc::add_keyring(box.name, box.session);
  REQUIRE(locked);
  REQUIRE(kc::set_perm(*locked, 0x01000000U));
  auto denied = KeyctlKeyring::open(box.options("session"));
  REQUIRE_FALSE(denied);
  CHECK(denied.error().code() == Errc::PermissionDenied);
  CHECK(denied.error().message() == "opening keyring \"" + box.name +
                                        "\" in the \"session\" keyring: keyctl search for "
                                        "keyring key \"" +
                                        box.name + "\" in keyring " + std::to_string(box.session) +
                                        ": permission denied");
}
