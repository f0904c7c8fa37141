// Tests for keyring/item_json.h: vectors (tests/vectors/keyring/), one test per error, limits,
// deterministic mutation and round trips.
#include "keyring/item_json.h"

#include <catch2/catch.hpp>
#include <string>

#include "base/bytes.h"
#include "base/limits.h"
#include "support/mutation.h"
#include "vectors.h"

namespace av::keyring {
namespace {

using test::read_vector;

Errc error_code(std::string_view json) {
  auto result = parse_item_json(json);
  REQUIRE_FALSE(result.has_value());
  return result.error().code();
}

std::string serialize(const Item& item) {
  auto out = serialize_item_json(item);
  REQUIRE(out);
  return std::string(out->reveal());
}

TEST_CASE("item json: the credential vector parses and re-serialises byte for byte",
          "[keyring][vector]") {
  const std::string json = read_vector("item_credential.json");
  auto item = parse_item_json(json);
  REQUIRE(item);
  CHECK(item->key == "dev");
  CHECK(as_chars(item->data.reveal()) == read_vector("credentials_data.json"));
  CHECK(item->label == "aws-vault (dev)");
  CHECK(item->description.empty());
  CHECK(item->keychain_not_trust_application);
  CHECK_FALSE(item->keychain_not_synchronizable);
  CHECK(serialize(*item) == json);
}

TEST_CASE("item json: the session vector parses and re-serialises byte for byte",
          "[keyring][vector]") {
  const std::string json = read_vector("item_session.json");
  auto item = parse_item_json(json);
  REQUIRE(item);
  CHECK(item->description == "aws-vault session");
  CHECK(as_chars(item->data.reveal()) == read_vector("session_data.json"));
  CHECK(serialize(*item) == json);
}

TEST_CASE("item json: strings are written with Go's escapes and empty data as an empty string",
          "[keyring][vector]") {
  Item item;
  item.key = "a<b>&c\u2028\x01\t";
  item.description = "d\n";
  item.keychain_not_synchronizable = true;
  const std::string json = read_vector("item_escapes.json");
  CHECK(serialize(item) == json);
  auto back = parse_item_json(json);
  REQUIRE(back);
  CHECK(back->key == item.key);
  CHECK(back->data.empty());
}

TEST_CASE("item json: keys match in any ASCII case, unknown keys and nulls are ignored",
          "[keyring][vector]") {
  auto item =
      parse_item_json(R"({"key":"dev","DATA":"aGk=","lAbEl":"l","extra":[1,{}],"Description":null,)"
                      R"("keychainnottrustapplication":true,"KeychainNotSynchronizable":null})");
  REQUIRE(item);
  CHECK(item->key == "dev");
  CHECK(as_chars(item->data.reveal()) == "hi");
  CHECK(item->label == "l");
  CHECK(item->description.empty());
  CHECK(item->keychain_not_trust_application);
  auto empty = parse_item_json("{}");
  REQUIRE(empty);
  CHECK(empty->key.empty());
  CHECK(empty->data.empty());
  auto null_data = parse_item_json(R"({"Data":null})");
  REQUIRE(null_data);
  CHECK(null_data->data.empty());
}

TEST_CASE("item json: line breaks inside Data are skipped as Go does", "[keyring][vector]") {
  auto item = parse_item_json("{\"Data\":\"aGVs\\r\\nbG8=\\n\"}");
  REQUIRE(item);
  CHECK(as_chars(item->data.reveal()) == "hello");
}

TEST_CASE("item json: a document that is not JSON is a parse error", "[keyring][error]") {
  CHECK(error_code("{\"Key\":") == Errc::Truncated);
  CHECK(error_code("{\"Key\":\"a\"} x") == Errc::Parse);
  CHECK(error_code("") == Errc::Truncated);
}

TEST_CASE("item json: a document that is not an object is a parse error", "[keyring][error]") {
  CHECK(error_code("[]") == Errc::Parse);
  CHECK(error_code("null") == Errc::Parse);
  CHECK(error_code("\"x\"") == Errc::Parse);
}

TEST_CASE("item json: a field of the wrong type is a parse error", "[keyring][error]") {
  CHECK(error_code(R"({"Key":1})") == Errc::Parse);
  CHECK(error_code(R"({"Data":true})") == Errc::Parse);
  CHECK(error_code(R"({"Label":{}})") == Errc::Parse);
  CHECK(error_code(R"({"Description":[]})") == Errc::Parse);
  CHECK(error_code(R"({"KeychainNotTrustApplication":"true"})") == Errc::Parse);
  CHECK(error_code(R"({"KeychainNotSynchronizable":0})") == Errc::Parse);
}

TEST_CASE("item json: a field given twice in different case is a parse error", "[keyring][error]") {
  CHECK(error_code(R"({"Key":"a","key":"b"})") == Errc::Parse);
  CHECK(error_code(R"({"Data":"","data":""})") == Errc::Parse);
  CHECK(error_code(R"({"Key":"a","Key":"b"})") == Errc::Parse);
}

TEST_CASE("item json: Data that is not canonical padded standard base64 is a parse error",
          "[keyring][error]") {
  for (const char* bad : {"aGk", "aGk==", "aG-=", "aGl=", "a Gk=", "aGk=aGk=", "====", "\\t"}) {
    INFO(bad);
    CHECK(error_code(std::string(R"({"Data":")") + bad + "\"}") == Errc::Parse);
  }
}

TEST_CASE("item json: the error message never contains the data", "[keyring][error]") {
  auto result = parse_item_json(R"({"Data":"c2VjcmV0c2VjcmV0!"})");
  REQUIRE_FALSE(result);
  CHECK(std::string(result.error().message()).find("c2Vj") == std::string::npos);
}

TEST_CASE("item json: inputs and fields beyond the limits are too large", "[keyring][error]") {
  CHECK(error_code(std::string(limits::kMaxItemJsonBytes + 1, ' ')) == Errc::TooLarge);
  const std::string long_key(limits::kMaxKeyringKeyBytes + 1, 'k');
  CHECK(error_code(R"({"Key":")" + long_key + "\"}") == Errc::TooLarge);
  const std::string long_label(limits::kMaxKeyringLabelBytes + 1, 'l');
  CHECK(error_code(R"({"Label":")" + long_label + "\"}") == Errc::TooLarge);
  CHECK(error_code(R"({"Description":")" + long_label + "\"}") == Errc::TooLarge);
  const std::string long_data(limits::kMaxSecretBytes + 4, 'A');
  CHECK(error_code(R"({"Data":")" + long_data + "\"}") == Errc::TooLarge);

  Item item;
  item.key = long_key;
  CHECK(serialize_item_json(item).error().code() == Errc::TooLarge);
  item.key.clear();
  item.data = secure::SecretBytes::zeroed(kMaxItemDataBytes + 1);
  CHECK(serialize_item_json(item).error().code() == Errc::TooLarge);
}

TEST_CASE("item json: the largest writable item reads back", "[keyring][roundtrip]") {
  Item item;
  item.key = std::string(limits::kMaxKeyringKeyBytes, '<');
  item.label = std::string(limits::kMaxKeyringLabelBytes, '\x01');
  item.description = std::string(limits::kMaxKeyringLabelBytes, '&');
  item.data = secure::SecretBytes::zeroed(kMaxItemDataBytes);
  auto back = parse_item_json(serialize(item));
  REQUIRE(back);
  CHECK(back->key == item.key);
  CHECK(back->label == item.label);
  CHECK(back->data.size() == kMaxItemDataBytes);
}

TEST_CASE("item json: every data length and byte value survives a round trip",
          "[keyring][roundtrip]") {
  for (std::size_t len = 0; len < 300; ++len) {
    Item item;
    item.key = "k" + std::to_string(len);
    item.data = secure::SecretBytes::zeroed(len);
    for (std::size_t i = 0; i < len; ++i) {
      item.data.reveal_mutable()[i] = static_cast<std::uint8_t>((i * 37 + len) & 0xFF);
    }
    item.keychain_not_trust_application = (len % 2) == 0;
    const std::string json = serialize(item);
    auto back = parse_item_json(json);
    REQUIRE(back);
    CHECK(back->key == item.key);
    CHECK(as_chars(back->data.reveal()) == as_chars(item.data.reveal()));
    CHECK(back->keychain_not_trust_application == item.keychain_not_trust_application);
    CHECK(serialize(*back) == json);
  }
}

TEST_CASE("item json: truncated and bit-flipped items never crash and re-serialise stably",
          "[keyring][mutation]") {
  for (const char* name : {"item_credential.json", "item_escapes.json"}) {
    testing::for_each_mutation(read_vector(name), [](const std::string& mutant) {
      auto item = parse_item_json(mutant);
      if (!item) return;
      auto again = parse_item_json(serialize(*item));
      REQUIRE(again);
      CHECK(again->key == item->key);
      CHECK(again->data.size() == item->data.size());
    });
  }
}

}  // namespace
}  // namespace av::keyring
