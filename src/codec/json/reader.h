// reader.h: a strict RFC 8259 JSON parser for untrusted input (STYLE.md §3.6, rules 19-24).
//
// Design (chosen for clarity): parse() builds a small DOM (`Value`) with an explicit stack, so no
// recursion follows the input's nesting. Secrets never pass through std::string: the caller names
// the object keys whose string values are secret (`SecretFields`), and those values are unescaped
// straight from the input into a secure::SecretString (a `Value` of kind Secret). Its capacity is
// the exact decoded length, found by a first validating pass that stores nothing, and is bounded
// by limits::kMaxSecretBytes.
//
// Strictness: exactly one value with optional surrounding whitespace (space, tab, LF, CR). Rejected
// as Errc::Parse: trailing data, duplicate object keys, leading zeros, bare control characters in
// strings, unknown escapes, lone or mismatched UTF-16 surrogates in \u escapes, invalid UTF-8
// (over-long forms and encoded surrogates included), NaN/Infinity, comments, trailing commas.
// Input that ends early is Errc::Truncated; input past a named limit in base/limits.h is
// Errc::TooLarge. Every message names what went wrong and the byte offset, e.g.
// `json: duplicate key "a" at offset 17`; secret bytes never appear in messages.
//
// The parser is pure: no I/O, no logging, no globals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "secure/secret.h"

namespace av::codec::json {

struct Member;

// Value: one JSON value. Move-only (it may own a SecretString). Numbers keep their original text,
// converted on request by as_int64/as_uint64/as_double. Objects keep members in document order.
class Value {
 public:
  enum class Kind : std::uint8_t { Null, Bool, Number, String, Array, Object, Secret };

  // A default-constructed Value is null.
  Value() noexcept = default;
  Value(Value&&) noexcept = default;
  Value& operator=(Value&&) noexcept = default;
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;
  ~Value() = default;

  // boolean, integer and unsigned_integer build scalar values (numbers stored as decimal text).
  static Value boolean(bool b);
  static Value integer(std::int64_t n);
  static Value unsigned_integer(std::uint64_t n);
  // make_number validates `text` against the RFC 8259 number grammar; Errc::Parse otherwise.
  static Result<Value> make_number(std::string_view text);
  // string holds `text`, which is written with invalid UTF-8 replaced by U+FFFD (as Go does).
  static Value string(std::string text);
  // secret takes ownership of `secret`; only a SecretWriter can serialise it.
  static Value secret(secure::SecretString secret);
  // array and object build empty containers, filled with push_back / add_member.
  static Value array();
  static Value object();

  // kind reports which alternative *this holds; is_null is kind() == Null.
  Kind kind() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == Kind::Null; }

  // as_bool: Errc::Parse unless kind() == Bool.
  Result<bool> as_bool() const;
  // as_int64 / as_uint64: the number as an integer. Errc::Parse if not a number or not an integer
  // literal (fraction or exponent; "-0" is 0), Errc::TooLarge if outside the type's range.
  Result<std::int64_t> as_int64() const;
  Result<std::uint64_t> as_uint64() const;
  // as_double: the number as the nearest double; Errc::Parse if not a number, Errc::TooLarge if
  // it is outside double's range (overflow, or a non-zero value that would underflow to zero).
  Result<double> as_double() const;
  // number_text: the number exactly as written (empty unless kind() == Number).
  std::string_view number_text() const noexcept;
  // as_string: the unescaped UTF-8 text, borrowed from *this; Errc::Parse unless kind() == String.
  Result<std::string_view> as_string() const;
  // as_secret: the secret, borrowed from *this, or nullptr unless kind() == Secret.
  const secure::SecretString* as_secret() const noexcept;
  // take_secret moves the secret out, leaving *this null; Errc::Parse unless kind() == Secret.
  Result<secure::SecretString> take_secret();

  // elements: the array's elements (empty unless kind() == Array).
  const std::vector<Value>& elements() const noexcept { return elements_; }
  // members: the object's members in insertion order (empty unless kind() == Object).
  const std::vector<Member>& members() const noexcept { return members_; }
  // find returns the value of member `key`, or nullptr if absent or *this is not an object.
  const Value* find(std::string_view key) const noexcept;
  Value* find(std::string_view key) noexcept;

  // push_back appends to an array; add_member appends to an object without a duplicate check
  // (the writer emits what it is given). Calling either on another kind is a bug and aborts.
  void push_back(Value element);
  void add_member(std::string key, Value value);

  // operator== compares structurally: numbers by text, secrets in constant time (ct::equal).
  // Recursion follows the values' depth, which parse() bounds at kMaxJsonDepth.
  friend bool operator==(const Value& a, const Value& b) noexcept;

 private:
  // number_from_valid_text wraps text already known to match the JSON number grammar.
  static Value number_from_valid_text(std::string text);

  Kind kind_ = Kind::Null;
  bool bool_ = false;
  std::string text_;  // Number: original text; String: unescaped text
  std::vector<Value> elements_;
  std::vector<Member> members_;
  secure::SecretString secret_;
};

// Member: one object member. Keys are never secret.
struct Member {
  std::string key;
  Value value;
};

// SecretFields: the object keys (matched ASCII case-insensitively, at any depth, as Go's
// encoding/json matches field names, so no spelling of a secret field lands in a std::string)
// whose string values parse() decodes
// into SecretString instead of std::string. Values of other kinds under these keys (null, numbers,
// containers) parse as usual. The keys are borrowed: they must outlive the SecretFields (string
// literals in practice).
class SecretFields {
 public:
  // SecretFields() names no keys; the list form names the given keys.
  SecretFields() = default;
  SecretFields(std::initializer_list<std::string_view> keys) : keys_(keys) {}
  // contains reports whether `key` is one of the named keys (ASCII case-insensitive).
  bool contains(std::string_view key) const noexcept;

 private:
  std::vector<std::string_view> keys_;
};

// parse parses `text` as exactly one JSON document (see the file comment for what is rejected).
// Limits: kMaxJsonBytes for the input, kMaxJsonDepth for arrays and objects nested together,
// kMaxJsonContainerElements per container, kMaxJsonStringBytes per decoded string or key, and
// kMaxSecretBytes per secret value; each gives Errc::TooLarge. The result owns all its data.
[[nodiscard]] Result<Value> parse(std::string_view text);
[[nodiscard]] Result<Value> parse(std::string_view text, const SecretFields& secret_fields);

}  // namespace av::codec::json
