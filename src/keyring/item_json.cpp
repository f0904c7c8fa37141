// item_json.cpp: Item JSON parsing and Go-compatible serialisation (backends §1.3).
#include "keyring/item_json.h"

#include <array>
#include <cstddef>
#include <string>
#include <utility>

#include "base/ascii.h"
#include "base/limits.h"
#include "codec/json/reader.h"
#include "codec/json/writer.h"
#include "crypto/secret_codec.h"
#include "keyring/go_struct_json.h"

namespace av::keyring {
namespace {

using codec::json::Value;

enum class Field : std::uint8_t { Key, Data, Label, Description, NotTrust, NotSync, Count };

constexpr std::array<std::string_view, static_cast<std::size_t>(Field::Count)> kFieldNames = {
    "Key",
    "Data",
    "Label",
    "Description",
    "KeychainNotTrustApplication",
    "KeychainNotSynchronizable"};

// "Data" in any letter case (SecretFields matches case-insensitively, as Go does), so the
// base64 of the secret never lands in a std::string.
const codec::json::SecretFields& data_fields() {
  static const codec::json::SecretFields kFields = {"Data"};
  return kFields;
}

constexpr detail::GoStruct kShape{"item json", kFieldNames};

constexpr std::size_t index(Field field) noexcept { return static_cast<std::size_t>(field); }

// decode_data decodes the base64 Data value (a Secret value, or null) as Go does: standard
// padded base64 with '\r' and '\n' skipped.
Result<secure::SecretBytes> decode_data(const Value& value) {
  if (value.is_null()) return secure::SecretBytes();
  const secure::SecretString* text = value.as_secret();
  if (text == nullptr) return kShape.error(index(Field::Data), "is not a string");
  std::string_view encoded = text->reveal();
  secure::SecretString stripped(encoded.size());
  for (char c : encoded) {
    if (c != '\r' && c != '\n') AV_TRY(stripped.push_back(c));
  }
  auto data = crypto::decode_base64_secret(stripped.reveal(), crypto::Base64Variant::Standard);
  if (!data) {
    if (data.error().code() == Errc::TooLarge) return std::move(data).error();
    return kShape.error(index(Field::Data), "is not valid base64");
  }
  return std::move(data).value();
}

// apply_member stores one recognised member's value into `item`.
Status apply_member(Field field, const Value& value, Item& item) {
  switch (field) {
    case Field::Key: {
      AV_TRY_ASSIGN(item.key, kShape.text(value, index(field), limits::kMaxKeyringKeyBytes));
      return ok();
    }
    case Field::Data: {
      AV_TRY_ASSIGN(item.data, decode_data(value));
      return ok();
    }
    case Field::Label: {
      AV_TRY_ASSIGN(item.label, kShape.text(value, index(field), limits::kMaxKeyringLabelBytes));
      return ok();
    }
    case Field::Description: {
      AV_TRY_ASSIGN(item.description, kShape.text(value, index(field), limits::kMaxKeyringLabelBytes));
      return ok();
    }
    case Field::NotTrust: {
      AV_TRY_ASSIGN(item.keychain_not_trust_application, kShape.boolean(value, index(field)));
      return ok();
    }
    case Field::NotSync: {
      AV_TRY_ASSIGN(item.keychain_not_synchronizable, kShape.boolean(value, index(field)));
      return ok();
    }
    case Field::Count:
      break;
  }
  return ok();
}

Status check_sizes(const Item& item) {
  if (item.key.size() > limits::kMaxKeyringKeyBytes ||
      item.label.size() > limits::kMaxKeyringLabelBytes ||
      item.description.size() > limits::kMaxKeyringLabelBytes ||
      item.data.size() > kMaxItemDataBytes) {
    return Error(Errc::TooLarge, "item json: an item field is longer than the limit");
  }
  return ok();
}

}  // namespace

Result<Item> parse_item_json(std::string_view json) {
  Item item;
  AV_TRY(detail::parse_go_struct(kShape, json, limits::kMaxItemJsonBytes, data_fields(),
                                 [&item](std::size_t field, Value& value) {
                                   return apply_member(static_cast<Field>(field), value, item);
                                 }));
  return item;
}

Result<secure::SecretString> serialize_item_json(const Item& item) {
  AV_TRY(check_sizes(item));
  codec::json::SecretWriter writer(codec::json::Style::Compact, limits::kMaxItemJsonBytes);
  AV_TRY(writer.begin_object());
  AV_TRY(writer.key("Key"));
  AV_TRY(writer.value_string(item.key));
  AV_TRY(writer.key("Data"));
  const secure::SecretString encoded =
      crypto::encode_base64_secret(item.data.reveal(), crypto::Base64Variant::Standard);
  AV_TRY(writer.value_secret(encoded));
  AV_TRY(writer.key("Label"));
  AV_TRY(writer.value_string(item.label));
  AV_TRY(writer.key("Description"));
  AV_TRY(writer.value_string(item.description));
  AV_TRY(writer.key("KeychainNotTrustApplication"));
  AV_TRY(writer.value_bool(item.keychain_not_trust_application));
  AV_TRY(writer.key("KeychainNotSynchronizable"));
  AV_TRY(writer.value_bool(item.keychain_not_synchronizable));
  AV_TRY(writer.end_object());
  return std::move(writer).finish();
}

}  // namespace av::keyring
