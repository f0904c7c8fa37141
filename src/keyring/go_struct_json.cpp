// go_struct_json.cpp: see go_struct_json.h.
#include "keyring/go_struct_json.h"

#include <utility>
#include <vector>

#include "base/ascii.h"
#include "base/check.h"

namespace av::keyring::detail {
namespace {

using codec::json::Value;

// field_index: the index of `key` in `fields` ignoring ASCII case, or fields.size().
std::size_t field_index(std::span<const std::string_view> fields, std::string_view key) noexcept {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (ascii::iequals(key, fields[i])) return i;
  }
  return fields.size();
}

}  // namespace

Error GoStruct::error(std::size_t field, std::string_view what) const {
  AV_CHECK(field < fields.size());
  std::string message(document);
  message.append(": field \"").append(fields[field]).append("\" ").append(what);
  return Error(Errc::Parse, std::move(message));
}

Result<std::string> GoStruct::text(const Value& value, std::size_t field,
                                   std::size_t max_len) const {
  if (value.is_null()) return std::string();
  auto text = value.as_string();
  if (!text) return error(field, "is not a string");
  if (text->size() > max_len) {
    return Error(Errc::TooLarge, std::string(error(field, "is longer than the limit").message()));
  }
  return std::string(*text);
}

Result<bool> GoStruct::boolean(const Value& value, std::size_t field) const {
  if (value.is_null()) return false;
  auto b = value.as_bool();
  if (!b) return error(field, "is not a boolean");
  return *b;
}

Result<secure::SecretString> GoStruct::secret(Value& value, std::size_t field) const {
  if (value.is_null()) return secure::SecretString();
  auto secret = value.take_secret();
  if (!secret) return error(field, "is not a string");
  return std::move(secret).value();
}

Status parse_go_struct(const GoStruct& shape, std::string_view json, std::size_t max_len,
                       const codec::json::SecretFields& secret_fields, const FieldSink& sink) {
  if (json.size() > max_len) {
    return Error(Errc::TooLarge, std::string(shape.document) + ": document is longer than the limit");
  }
  auto doc = codec::json::parse(json, secret_fields);
  if (!doc) return std::move(doc).error().with_context(shape.document);
  if (doc->kind() != Value::Kind::Object) {
    return Error(Errc::Parse, std::string(shape.document) + ": document is not an object");
  }
  std::vector<bool> seen(shape.fields.size(), false);
  for (const codec::json::Member& member : doc->members()) {
    const std::size_t field = field_index(shape.fields, member.key);
    if (field == shape.fields.size()) continue;
    if (seen[field]) return shape.error(field, "appears more than once");
    seen[field] = true;
    Value* value = doc->find(member.key);  // mutable access, so a secret can be moved out
    AV_CHECK(value != nullptr);
    AV_TRY(sink(field, *value));
  }
  return ok();
}

}  // namespace av::keyring::detail
