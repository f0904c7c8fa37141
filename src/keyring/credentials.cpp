// credentials.cpp: long-term credential JSON (cli.md §5.2).
#include "keyring/credentials.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "base/ascii.h"
#include "base/check.h"
#include "base/limits.h"
#include "codec/json/reader.h"
#include "codec/json/writer.h"

namespace av::keyring {
namespace {

using codec::json::Value;

enum class Field : std::uint8_t {
  AccessKeyId,
  SecretAccessKey,
  SessionToken,
  Source,
  CanExpire,
  Expires,
  AccountId,
  Count
};

constexpr std::array<std::string_view, static_cast<std::size_t>(Field::Count)> kNames = {
    "AccessKeyID", "SecretAccessKey", "SessionToken", "Source",
    "CanExpire",   "Expires",         "AccountID"};

const codec::json::SecretFields& secret_fields() {
  // SecretFields matches in any letter case, as Go's encoding/json matches these names.
  static const codec::json::SecretFields kFields = {"SecretAccessKey", "SessionToken"};
  return kFields;
}

Field field_of(std::string_view key) noexcept {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (ascii::iequals(key, kNames[i])) return static_cast<Field>(i);
  }
  return Field::Count;
}

Error field_error(Field field, std::string_view what) {
  return Error(Errc::Parse, "credentials json: field \"" +
                                std::string(kNames[static_cast<std::size_t>(field)]) + "\" " +
                                std::string(what));
}

Result<std::string> read_text(const Value& value, Field field) {
  if (value.is_null()) return std::string();
  auto text = value.as_string();
  if (!text) return field_error(field, "is not a string");
  return std::string(*text);
}

Result<secure::SecretString> read_secret(Value& value, Field field) {
  if (value.is_null()) return secure::SecretString();
  auto secret = value.take_secret();
  if (!secret) return field_error(field, "is not a string");
  return std::move(secret).value();
}

Status apply(Field field, Value& value, LongTermCredentials& out) {
  switch (field) {
    case Field::AccessKeyId: {
      AV_TRY_ASSIGN(out.access_key_id, read_text(value, field));
      break;
    }
    case Field::SecretAccessKey: {
      AV_TRY_ASSIGN(out.secret_access_key, read_secret(value, field));
      break;
    }
    case Field::SessionToken: {
      AV_TRY_ASSIGN(out.session_token, read_secret(value, field));
      break;
    }
    case Field::Source: {
      AV_TRY_ASSIGN(out.source, read_text(value, field));
      break;
    }
    case Field::Expires: {
      AV_TRY_ASSIGN(out.expires, read_text(value, field));
      break;
    }
    case Field::AccountId: {
      AV_TRY_ASSIGN(out.account_id, read_text(value, field));
      break;
    }
    case Field::CanExpire:
      if (!value.is_null()) {
        auto b = value.as_bool();
        if (!b) return field_error(field, "is not a boolean");
        out.can_expire = *b;
      }
      break;
    case Field::Count:
      break;
  }
  return ok();
}

}  // namespace

Result<secure::SecretString> serialize_credentials_json(const LongTermCredentials& creds) {
  codec::json::SecretWriter w(codec::json::Style::Compact, limits::kMaxSecretItemBytes);
  AV_TRY(w.begin_object());
  AV_TRY(w.key("AccessKeyID"));
  AV_TRY(w.value_string(creds.access_key_id));
  AV_TRY(w.key("SecretAccessKey"));
  AV_TRY(w.value_secret(creds.secret_access_key));
  AV_TRY(w.key("SessionToken"));
  AV_TRY(w.value_secret(creds.session_token));
  AV_TRY(w.key("Source"));
  AV_TRY(w.value_string(creds.source));
  AV_TRY(w.key("CanExpire"));
  AV_TRY(w.value_bool(creds.can_expire));
  AV_TRY(w.key("Expires"));
  AV_TRY(w.value_string(creds.expires));
  AV_TRY(w.key("AccountID"));
  AV_TRY(w.value_string(creds.account_id));
  AV_TRY(w.end_object());
  return std::move(w).finish();
}

Result<LongTermCredentials> parse_credentials_json(std::string_view json) {
  if (json.size() > limits::kMaxSecretItemBytes) {
    return Error(Errc::TooLarge, "credentials json: document is longer than the limit");
  }
  auto doc = codec::json::parse(json, secret_fields());
  if (!doc) return std::move(doc).error().with_context("credentials json");
  if (doc->kind() != Value::Kind::Object) {
    return Error(Errc::Parse, "credentials json: document is not an object");
  }
  LongTermCredentials out;
  std::array<bool, static_cast<std::size_t>(Field::Count)> seen{};
  for (const codec::json::Member& member : doc->members()) {
    const Field field = field_of(member.key);
    if (field == Field::Count) continue;
    if (seen[static_cast<std::size_t>(field)]) return field_error(field, "appears more than once");
    seen[static_cast<std::size_t>(field)] = true;
    Value* value = doc->find(member.key);  // mutable access, to move a secret out
    AV_CHECK(value != nullptr);
    AV_TRY(apply(field, *value, out));
  }
  return out;
}

}  // namespace av::keyring
