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
#include "keyring/go_struct_json.h"

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

constexpr detail::GoStruct kShape{"credentials json", kNames};

constexpr std::size_t index(Field field) noexcept { return static_cast<std::size_t>(field); }

// apply stores one recognised member's value into `out`. Text fields are bounded by the
// document's own limit (kMaxSecretItemBytes).
Status apply(Field field, Value& value, LongTermCredentials& out) {
  constexpr std::size_t kMax = limits::kMaxSecretItemBytes;
  const std::size_t i = index(field);
  switch (field) {
    case Field::AccessKeyId: {
      AV_TRY_ASSIGN(out.access_key_id, kShape.text(value, i, kMax));
      break;
    }
    case Field::SecretAccessKey: {
      AV_TRY_ASSIGN(out.secret_access_key, kShape.secret(value, i));
      break;
    }
    case Field::SessionToken: {
      AV_TRY_ASSIGN(out.session_token, kShape.secret(value, i));
      break;
    }
    case Field::Source: {
      AV_TRY_ASSIGN(out.source, kShape.text(value, i, kMax));
      break;
    }
    case Field::Expires: {
      AV_TRY_ASSIGN(out.expires, kShape.text(value, i, kMax));
      break;
    }
    case Field::AccountId: {
      AV_TRY_ASSIGN(out.account_id, kShape.text(value, i, kMax));
      break;
    }
    case Field::CanExpire: {
      AV_TRY_ASSIGN(out.can_expire, kShape.boolean(value, i));
      break;
    }
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
  LongTermCredentials out;
  AV_TRY(detail::parse_go_struct(kShape, json, limits::kMaxSecretItemBytes, secret_fields(),
                                 [&out](std::size_t field, Value& value) {
                                   return apply(static_cast<Field>(field), value, out);
                                 }));
  return out;
}

}  // namespace av::keyring
