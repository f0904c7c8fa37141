// go_struct_json.h (internal to keyring/): reading the struct-shaped JSON documents the Go tool
// writes (the Item JSON of backends §1.3, the credential JSON of cli §5.2). One reading rule for
// both: field names match in any ASCII letter case, as Go's encoding/json matches them; unknown
// members are skipped; null means "absent"; a field given twice (in any case) is an error; and
// every error names the document and the field.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "codec/json/reader.h"
#include "secure/secret.h"

namespace av::keyring::detail {

// GoStruct describes one document: its name for messages ("item json") and its field names.
struct GoStruct {
  std::string_view document;
  std::span<const std::string_view> fields;

  // error is Errc::Parse "<document>: field "<name>" <what>".
  Error error(std::size_t field, std::string_view what) const;
  // text reads a string field (null: empty); Errc::TooLarge above `max_len` bytes.
  Result<std::string> text(const codec::json::Value& value, std::size_t field,
                           std::size_t max_len) const;
  // boolean reads a bool field (null: false).
  Result<bool> boolean(const codec::json::Value& value, std::size_t field) const;
  // secret moves a field that parse() decoded as secret out of `value` (null: empty).
  Result<secure::SecretString> secret(codec::json::Value& value, std::size_t field) const;
};

// FieldSink stores one recognised member: `field` indexes GoStruct::fields.
using FieldSink = std::function<Status(std::size_t field, codec::json::Value& value)>;

// parse_go_struct parses `json` (at most `max_len` bytes, else Errc::TooLarge) with
// `secret_fields` decoded into locked memory, requires an object, and calls `sink` once for each
// member naming one of `shape.fields`. Errors: the JSON reader's (with the document as context),
// Errc::Parse for a non-object or a repeated field, and the sink's.
Status parse_go_struct(const GoStruct& shape, std::string_view json, std::size_t max_len,
                       const codec::json::SecretFields& secret_fields, const FieldSink& sink);

}  // namespace av::keyring::detail
