// writer.h: a JSON writer with Go encoding/json's output (spec cli.md §2.6, §5, §8).
//
// Design: BasicWriter<Output> is parameterised by where the bytes go, chosen at compile time:
//   * Writer (= BasicWriter<TextOutput>) builds non-secret JSON in a std::string;
//   * SecretWriter (= BasicWriter<SecretOutput>) builds JSON that contains secrets (the credential
//     JSON printed by `export --format=json` and served by the credential servers) directly in a
//     secure::SecretString whose capacity is the writer's maximum.
// value_secret() exists only on SecretWriter, so a secret cannot be written into a std::string by
// accident; writing a DOM Value of kind Secret through a Writer fails with Errc::Unsupported.
//
// Layout: Style::Compact is json.Marshal; Style::Indented is json.MarshalIndent(v, "", "  "): two
// spaces per level, `"key": value`, empty containers as `{}` / `[]`, no final newline (the caller
// adds it). Keys are written in the order the caller gives them.
//
// String escaping follows Go's encoding/json (HTML-safe, Go >= 1.22): `"` and `\` escaped with a
// backslash; \b \f \n \r \t as such; other control characters as \u00XX (lowercase hex); `<`, `>`,
// `&` as \u003c \u003e \u0026; U+2028/U+2029 as \u2028/\u2029; each byte of invalid UTF-8 as
// \ufffd; DEL and all other valid UTF-8 verbatim.
//
// Misuse (a value where a key is due, mismatched end_*, finish() with open containers) is a bug
// and aborts through AV_CHECK. The only runtime error is Errc::TooLarge when the output would
// exceed its maximum.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "codec/json/reader.h"
#include "secure/secret.h"

namespace av::codec::json {

// Style: Compact (json.Marshal) or Indented (json.MarshalIndent with two spaces), see above.
enum class Style : std::uint8_t { Compact, Indented };

// Output types: kHoldsSecrets says whether value_secret() is allowed; Released is what finish()
// returns.
// TextOutput: non-secret output in a std::string of at most `max_len` bytes.
class TextOutput {
 public:
  static constexpr bool kHoldsSecrets = false;
  using Released = std::string;
  explicit TextOutput(std::size_t max_len) noexcept : max_len_(max_len) {}
  // append fails with Errc::TooLarge (output unchanged) past max_len.
  Status append(std::string_view text);
  Released release() && { return std::move(text_); }

 private:
  std::string text_;
  std::size_t max_len_;
};

// SecretOutput: output in a SecretString whose capacity is `max_len` (allocated up front).
class SecretOutput {
 public:
  static constexpr bool kHoldsSecrets = true;
  using Released = secure::SecretString;
  explicit SecretOutput(std::size_t max_len) : text_(max_len) {}
  // append fails with Errc::TooLarge (output unchanged) past the capacity.
  Status append(std::string_view text) { return text_.append(text); }
  Released release() && { return std::move(text_); }

 private:
  secure::SecretString text_;
};

template <class Output>
class BasicWriter {
 public:
  // BasicWriter produces at most `max_len` bytes of output in the given layout.
  BasicWriter(Style style, std::size_t max_len) : style_(style), output_(max_len) {}

  // begin_object / begin_array open a container (as a value: after key() inside an object);
  // end_object / end_array close the innermost one, which must be of the same kind.
  Status begin_object();
  Status end_object();
  Status begin_array();
  Status end_array();
  // key writes the next member's key; only inside an object, before each value.
  Status key(std::string_view name);
  // value_null, value_bool, value_int and value_uint write scalars (integers in decimal).
  Status value_null();
  Status value_bool(bool b);
  Status value_int(std::int64_t n);
  Status value_uint(std::uint64_t n);
  // value_string writes `text` escaped as described in the file comment (never fails on content).
  Status value_string(std::string_view text);
  // value_secret writes a secret string; available only when the output holds secrets.
  Status value_secret(const secure::SecretString& secret)
    requires Output::kHoldsSecrets;
  // value writes a whole DOM value (member order preserved, numbers as their original text).
  // Errc::Unsupported for a Secret value when the output does not hold secrets; Errc::TooLarge if
  // nested deeper than kMaxJsonDepth.
  Status value(const Value& v);

  // finish returns the output; exactly one complete top-level value must have been written.
  typename Output::Released finish() &&;

 private:
  struct Frame {
    bool is_object;
    bool has_elements = false;
    bool after_key = false;
  };
  Status before_value();
  Status separator(Frame& frame);
  Status begin_container(bool is_object);
  Status end_container(bool is_object);
  Status escaped(std::string_view text);
  Status value_at_depth(const Value& v, std::size_t depth);

  Style style_;
  Output output_;
  std::vector<Frame> stack_;
  bool root_written_ = false;
};

using Writer = BasicWriter<TextOutput>;
using SecretWriter = BasicWriter<SecretOutput>;

extern template class BasicWriter<TextOutput>;
extern template class BasicWriter<SecretOutput>;

}  // namespace av::codec::json
