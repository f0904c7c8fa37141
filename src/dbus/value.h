// value.h: the typed value model of the D-Bus wire format, and signature validation.
//
// A Value is one D-Bus value of one complete type, carrying its own type signature ("u", "as",
// "a{sv}", "(oayays)"...). Containers hold their children; a variant holds exactly one child
// that carries its own signature. Byte arrays ("ay") are kept in secure::SecretBytes, because
// Secret Service secrets travel as `ay` (the Secret struct's value and parameters), so a parsed
// message never leaves secret bytes in ordinary heap memory.
//
// Values built by parse_message (message.h) are always consistent with their signatures. Values
// built by program code through the factories below are checked with AV_CHECK (an inconsistent
// array is a bug, not an input error); text content (NUL bytes, bad UTF-8, bad object paths) is
// checked when the message is serialised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "secure/secret.h"

namespace av::dbus {

// kMaxSignatureLen: the D-Bus specification's maximum signature length (a protocol constant).
inline constexpr std::size_t kMaxSignatureLen = 255;

// Value: one D-Bus value. Move-only because byte arrays are secrets; clone() is the explicit copy.
class Value {
 public:
  // Basic types. Signed integers are stored as their two's complement bits.
  static Value byte(std::uint8_t v);
  static Value boolean(bool v);
  static Value int16(std::int16_t v);
  static Value uint16(std::uint16_t v);
  static Value int32(std::int32_t v);
  static Value uint32(std::uint32_t v);
  static Value int64(std::int64_t v);
  static Value uint64(std::uint64_t v);
  static Value dbl(double v);
  static Value unix_fd(std::uint32_t index);
  static Value string(std::string v);
  static Value object_path(std::string v);
  static Value signature(std::string v);
  // bytes: an "ay" array, taking ownership of the secret buffer.
  static Value bytes(secure::SecretBytes v);
  // array: elements of the single complete type `element_signature` (AV_CHECK: each element has
  // exactly that signature, and element_signature is not "y": use bytes()).
  static Value array(std::string element_signature, std::vector<Value> elements);
  // structure: one or more fields (AV_CHECK: not empty).
  static Value structure(std::vector<Value> fields);
  // dict_entry: a key of a basic type and a value (only valid as an array element).
  static Value dict_entry(Value key, Value value);
  // variant: wraps `inner`, which keeps its own signature.
  static Value variant(Value inner);

  // signature is this value's single complete type, e.g. "a{sv}".
  const std::string& signature() const noexcept { return signature_; }
  // type is the first character of the signature ('a', '(', 's', ...).
  char type() const noexcept { return signature_[0]; }

  // Typed readers: Errc::Parse "expected <what>, got <signature>" on a type mismatch.
  Result<bool> as_bool() const;
  Result<std::uint32_t> as_u32() const;
  // as_u64 returns the raw number bits of any integer, boolean or byte value.
  Result<std::uint64_t> as_u64() const;
  // as_string returns the text of a string, object path or signature (borrowed).
  Result<std::string_view> as_string() const;
  // as_bytes returns the secret bytes of an "ay" value (borrowed).
  Result<const secure::SecretBytes*> as_bytes() const;
  // as_variant returns the value inside a variant (borrowed).
  Result<const Value*> as_variant() const;
  // children: the elements of an array, the fields of a struct, key and value of a dict entry,
  // the single inner value of a variant; empty for basic types and "ay".
  const std::vector<Value>& children() const noexcept { return children_; }
  // number_bits: the raw stored bits of a basic numeric value (bools are 0/1, doubles IEEE bits).
  std::uint64_t number_bits() const noexcept { return number_; }
  // text: the text of s/o/g values (empty otherwise).
  const std::string& text() const noexcept { return text_; }
  // secret_bytes: the "ay" bytes (empty otherwise).
  const secure::SecretBytes& secret_bytes() const noexcept { return bytes_; }

  Value clone() const;

  Value(Value&&) noexcept = default;
  Value& operator=(Value&&) noexcept = default;
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;
  ~Value() = default;

 private:
  Value() = default;
  static Value number(std::string sig, std::uint64_t bits);
  static Value text_value(std::string sig, std::string text);

  std::string signature_;
  std::uint64_t number_ = 0;
  std::string text_;
  secure::SecretBytes bytes_;
  std::vector<Value> children_;
};

// alignment_of returns the wire alignment of a value whose signature starts with `type_code`
// (1, 2, 4 or 8); 0 for a character that is not a type code.
std::size_t alignment_of(char type_code) noexcept;

// is_basic_type reports whether `type_code` is a basic (non-container) type code.
bool is_basic_type(char type_code) noexcept;

// complete_type_len validates the single complete type at the start of `signature` and returns
// its length. Errc::Parse for an invalid code, an unbalanced struct or dict entry, an empty
// struct, a dict entry outside an array or with a non-basic key, or a missing type; Errc::TooLarge
// when containers nest deeper than limits::kMaxDbusContainerDepth (all kinds counted together,
// stricter than the specification's 32 arrays plus 32 structs).
Result<std::size_t> complete_type_len(std::string_view signature);

// split_signature validates a whole signature (zero or more complete types, at most
// kMaxSignatureLen characters; Errc::TooLarge above it) and returns each complete type (views
// into `signature`).
Result<std::vector<std::string_view>> split_signature(std::string_view signature);

// is_valid_object_path checks the specification's object path grammar: "/" or "/"-separated
// non-empty elements of [A-Za-z0-9_], no trailing "/".
bool is_valid_object_path(std::string_view path) noexcept;

// is_valid_utf8 checks RFC 3629 UTF-8 (no over-long forms, surrogates or code points above
// U+10FFFF). D-Bus strings must also contain no NUL byte, checked separately.
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace av::dbus
