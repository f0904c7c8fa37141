// Tests for keyring/keyring.h (sentinel errors, Item) and keyring/memory_keyring.h.
#include "keyring/memory_keyring.h"

#include <catch2/catch.hpp>
#include <string>

#include "base/bytes.h"

namespace av::keyring {
namespace {

Item make_item(std::string key, std::string_view data) {
  Item item;
  item.key = std::move(key);
  item.data = secure::SecretBytes::copy_of(as_bytes(data));
  item.label = "label";
  return item;
}

TEST_CASE("keyring: the sentinel errors carry upstream's messages and codes", "[keyring][vector]") {
  CHECK(not_found_error().code() == Errc::NotFound);
  CHECK(not_found_error().message() == "the specified item could not be found in the keyring");
  CHECK(is_not_found(not_found_error()));
  CHECK(no_backend_error().message() == "specified keyring backend not available");
  CHECK(metadata_needs_credentials_error().message() ==
        "the keyring backend requires credentials for metadata access");
  CHECK(metadata_unsupported_error().code() == Errc::Unsupported);
  CHECK(metadata_unsupported_error().message() ==
        "the keyring backend does not support metadata access");
  CHECK_FALSE(is_not_found(no_backend_error()));
}

TEST_CASE("keyring: a memory keyring stores, replaces, lists and removes items",
          "[keyring][roundtrip]") {
  MemoryKeyring ring;
  REQUIRE(ring.set(make_item("b", "one")));
  REQUIRE(ring.set(make_item("a", "two")));
  REQUIRE(ring.set(make_item("b", "three")));
  auto keys = ring.keys();
  REQUIRE(keys);
  CHECK(*keys == std::vector<std::string>{"b", "a"});
  auto got = ring.get("b");
  REQUIRE(got);
  CHECK(as_chars(got->data.reveal()) == "three");
  CHECK(got->label == "label");
  auto meta = ring.get_metadata("a");
  REQUIRE(meta);
  REQUIRE(meta->item.has_value());
  CHECK(meta->item->key == "a");
  CHECK(meta->item->data.empty());
  REQUIRE(ring.remove("b"));
  CHECK(ring.size() == 1);
}

TEST_CASE("keyring: a memory keyring reports missing keys as not found", "[keyring][error]") {
  MemoryKeyring ring;
  auto got = ring.get("missing");
  REQUIRE_FALSE(got);
  CHECK(is_not_found(got.error()));
  CHECK(got.error().message() == kNotFoundMessage);
  auto removed = ring.remove("missing");
  REQUIRE_FALSE(removed);
  CHECK(is_not_found(removed.error()));
  CHECK_FALSE(ring.get_metadata("missing"));
}

TEST_CASE("keyring: a memory keyring set to fail returns that error from every operation",
          "[keyring][error]") {
  MemoryKeyring ring;
  REQUIRE(ring.set(make_item("a", "x")));
  ring.fail_with(Error(Errc::Io, "disk on fire"));
  CHECK(ring.get("a").error().code() == Errc::Io);
  CHECK(ring.set(make_item("b", "y")).error().code() == Errc::Io);
  CHECK(ring.remove("a").error().code() == Errc::Io);
  CHECK(ring.keys().error().message() == "disk on fire");
  CHECK(ring.get_metadata("a").error().code() == Errc::Io);
  ring.clear_failure();
  CHECK(ring.get("a"));
  CHECK(ring.size() == 1);
}

TEST_CASE("keyring: an item clone copies every field including the secret",
          "[keyring][roundtrip]") {
  Item item = make_item("k", "secret");
  item.description = "d";
  item.keychain_not_trust_application = true;
  item.keychain_not_synchronizable = true;
  Item copy = item.clone();
  CHECK(copy.key == "k");
  CHECK(as_chars(copy.data.reveal()) == "secret");
  CHECK(copy.description == "d");
  CHECK(copy.keychain_not_trust_application);
  CHECK(copy.keychain_not_synchronizable);
  CHECK(copy.data.reveal().data() != item.data.reveal().data());
}

}  // namespace
}  // namespace av::keyring
