// writer.cpp: Go-compatible JSON output into a std::string or a SecretString.
//
// Invariants: output is appended in pieces (runs of the input and short escape sequences), so a
// secret string is copied only into the SecretOutput, never into a temporary std::string; the
// frame stack mirrors the containers opened by the caller.
#include "codec/json/writer.h"

#include <array>
#include <charconv>
#include <string>
#include <utility>

#include "base/limits.h"
#include "base/text_reader.h"
#include "codec/json/utf8.h"

namespace av::codec::json {
namespace {

// go_safe: ASCII that Go's HTML-safe encoder writes verbatim (DEL included).
bool go_safe(char c) noexcept {
  const auto b = static_cast<unsigned char>(c);
  return b >= 0x20 && b < 0x80 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
}

// Escape: the escape sequence for one ASCII character Go does not write verbatim.
struct Escape {
  std::array<char, 6> chars{};
  std::size_t len = 0;
  std::string_view view() const noexcept { return {chars.data(), len}; }
};

Escape escape_ascii(char c) {
  Escape out;
  const auto two = [&out](char second) {
    out.chars[0] = '\\';
    out.chars[1] = second;
    out.len = 2;
  };
  switch (c) {
    case '"': two('"'); return out;
    case '\\': two('\\'); return out;
    case '\b': two('b'); return out;
    case '\f': two('f'); return out;
    case '\n': two('n'); return out;
    case '\r': two('r'); return out;
    case '\t': two('t'); return out;
    default: break;
  }
  static constexpr std::string_view kHex = "0123456789abcdef";
  const auto b = static_cast<unsigned char>(c);
  out.chars = {'\\', 'u', '0', '0', kHex[b >> 4], kHex[b & 0x0F]};
  out.len = 6;
  return out;
}

}  // namespace

Status TextOutput::append(std::string_view text) {
  if (text.size() > max_len_ - text_.size()) {
    return Error{Errc::TooLarge, "json: output longer than " + std::to_string(max_len_) + " bytes"};
  }
  text_.append(text);
  return ok();
}

template <class Output>
Status BasicWriter<Output>::separator(Frame& frame) {
  if (frame.has_elements) AV_TRY(output_.append(","));
  frame.has_elements = true;
  if (style_ == Style::Indented) {
    AV_TRY(output_.append("\n"));
    for (std::size_t i = 0; i < stack_.size(); ++i) AV_TRY(output_.append("  "));
  }
  return ok();
}

template <class Output>
Status BasicWriter<Output>::before_value() {
  if (stack_.empty()) {
    AV_CHECK(!root_written_);  // one top-level value only
    root_written_ = true;
    return ok();
  }
  Frame& frame = stack_.back();
  if (frame.is_object) {
    AV_CHECK(frame.after_key);  // key() must precede each member value
    frame.after_key = false;
    return ok();
  }
  return separator(frame);
}

template <class Output>
Status BasicWriter<Output>::begin_container(bool is_object) {
  AV_TRY(before_value());
  AV_TRY(output_.append(is_object ? "{" : "["));
  stack_.push_back(Frame{is_object});
  return ok();
}

template <class Output>
Status BasicWriter<Output>::end_container(bool is_object) {
  AV_CHECK(!stack_.empty() && stack_.back().is_object == is_object && !stack_.back().after_key);
  const bool had_elements = stack_.back().has_elements;
  stack_.pop_back();
  if (had_elements && style_ == Style::Indented) {
    AV_TRY(output_.append("\n"));
    for (std::size_t i = 0; i < stack_.size(); ++i) AV_TRY(output_.append("  "));
  }
  return output_.append(is_object ? "}" : "]");
}

template <class Output>
Status BasicWriter<Output>::begin_object() {
  return begin_container(true);
}
template <class Output>
Status BasicWriter<Output>::end_object() {
  return end_container(true);
}
template <class Output>
Status BasicWriter<Output>::begin_array() {
  return begin_container(false);
}
template <class Output>
Status BasicWriter<Output>::end_array() {
  return end_container(false);
}

template <class Output>
Status BasicWriter<Output>::key(std::string_view name) {
  AV_CHECK(!stack_.empty() && stack_.back().is_object && !stack_.back().after_key);
  Frame& frame = stack_.back();
  AV_TRY(separator(frame));
  AV_TRY(escaped(name));
  AV_TRY(output_.append(style_ == Style::Indented ? ": " : ":"));
  frame.after_key = true;
  return ok();
}

// escaped writes `text` as a quoted JSON string with Go's escaping (see writer.h).
template <class Output>
Status BasicWriter<Output>::escaped(std::string_view text) {
  AV_TRY(output_.append("\""));
  TextReader reader(text);
  while (!reader.empty()) {
    AV_TRY(output_.append(reader.read_while(go_safe)));
    if (reader.empty()) break;
    TextReader before = reader;
    const auto decoded = detail::decode_utf8(reader);
    if (decoded.status != detail::Utf8Status::Ok) {
      (void)reader.read_char();  // Go replaces each invalid byte with U+FFFD
      AV_TRY(output_.append("\\ufffd"));
    } else if (decoded.code_point < 0x80) {
      AV_TRY(output_.append(escape_ascii(static_cast<char>(decoded.code_point)).view()));
    } else if (decoded.code_point == 0x2028) {
      AV_TRY(output_.append("\\u2028"));
    } else if (decoded.code_point == 0x2029) {
      AV_TRY(output_.append("\\u2029"));
    } else {
      AV_TRY_ASSIGN(const std::string_view raw, before.read_exact(reader.offset() - before.offset()));
      AV_TRY(output_.append(raw));
    }
  }
  return output_.append("\"");
}

template <class Output>
Status BasicWriter<Output>::value_null() {
  AV_TRY(before_value());
  return output_.append("null");
}

template <class Output>
Status BasicWriter<Output>::value_bool(bool b) {
  AV_TRY(before_value());
  return output_.append(b ? "true" : "false");
}

namespace {

// decimal renders an integer into `digits` (enough for any 64-bit value) and returns the text.
template <class Int>
std::string_view decimal(Int n, std::array<char, 24>& digits) {
  const auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), n);
  AV_CHECK(ec == std::errc());
  return {digits.data(), static_cast<std::size_t>(end - digits.data())};
}

}  // namespace

template <class Output>
Status BasicWriter<Output>::value_int(std::int64_t n) {
  std::array<char, 24> digits{};
  AV_TRY(before_value());
  return output_.append(decimal(n, digits));
}

template <class Output>
Status BasicWriter<Output>::value_uint(std::uint64_t n) {
  std::array<char, 24> digits{};
  AV_TRY(before_value());
  return output_.append(decimal(n, digits));
}

template <class Output>
Status BasicWriter<Output>::value_string(std::string_view text) {
  AV_TRY(before_value());
  return escaped(text);
}

template <class Output>
Status BasicWriter<Output>::value_secret(const secure::SecretString& secret)
  requires Output::kHoldsSecrets
{
  AV_TRY(before_value());
  return escaped(secret.reveal());  // reveal(): copied only into the SecretOutput
}

template <class Output>
Status BasicWriter<Output>::value(const Value& v) {
  return value_at_depth(v, 0);
}

// value_at_depth recurses over a DOM value; the depth counter bounds it at kMaxJsonDepth.
template <class Output>
Status BasicWriter<Output>::value_at_depth(const Value& v, std::size_t depth) {
  switch (v.kind()) {
    case Value::Kind::Null: return value_null();
    case Value::Kind::Bool: return value_bool(v.as_bool().value());
    case Value::Kind::String: return value_string(v.as_string().value());
    case Value::Kind::Number:
      AV_TRY(before_value());
      return output_.append(v.number_text());
    case Value::Kind::Secret:
      if constexpr (Output::kHoldsSecrets) {
        return value_secret(*v.as_secret());
      } else {
        return Error{Errc::Unsupported, "json: a secret value cannot be written to non-secret output"};
      }
    default: break;
  }
  if (depth >= limits::kMaxJsonDepth) {
    return Error{Errc::TooLarge,
                 "json: value nested deeper than " + std::to_string(limits::kMaxJsonDepth)};
  }
  const bool is_object = v.kind() == Value::Kind::Object;
  AV_TRY(begin_container(is_object));
  if (is_object) {
    for (const Member& member : v.members()) {
      AV_TRY(key(member.key));
      AV_TRY(value_at_depth(member.value, depth + 1));
    }
  } else {
    for (const Value& element : v.elements()) AV_TRY(value_at_depth(element, depth + 1));
  }
  return end_container(is_object);
}

template <class Output>
typename Output::Released BasicWriter<Output>::finish() && {
  AV_CHECK(stack_.empty() && root_written_);
  return std::move(output_).release();
}

template class BasicWriter<TextOutput>;
template class BasicWriter<SecretOutput>;

}  // namespace av::codec::json
