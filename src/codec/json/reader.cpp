// reader.cpp: the JSON parser (explicit stack, no recursion) and Value's accessors.
//
// Invariants: the input is read only through TextReader; the stack depth never exceeds
// kMaxJsonDepth; a secret string is decoded only into a SecretString sized by a first pass over a
// copy of the cursor; error messages carry offsets and escaped keys, never string values.
#include "codec/json/reader.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

#include "base/ascii.h"
#include "base/limits.h"
#include "base/text_reader.h"
#include "codec/json/utf8.h"
#include "secure/ct.h"

namespace av::codec::json {
namespace {

Error json_error(Errc code, std::string_view what, std::size_t offset) {
  return Error{code, "json: " + std::string(what) + " at offset " + std::to_string(offset)};
}

Error truncated(std::size_t offset) {
  return json_error(Errc::Truncated, "unexpected end of input", offset);
}

// RFC 8259 §2: insignificant whitespace is exactly these four characters.
bool is_json_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// plain_string_char: ASCII that stands for itself inside a string (no quote, backslash, control).
bool plain_string_char(char c) noexcept {
  const auto b = static_cast<unsigned char>(c);
  return b >= 0x20 && b < 0x80 && c != '"' && c != '\\';
}

// Sinks for decode_string: counting (first pass for secrets), std::string, SecretString.
class CountSink {
 public:
  Status append(std::string_view text) {
    len_ += text.size();
    return ok();
  }
  std::size_t len() const noexcept { return len_; }

 private:
  std::size_t len_ = 0;
};

class StringSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  Status append(std::string_view text) {
    out_.append(text);
    return ok();
  }

 private:
  std::string& out_;
};

class SecretSink {
 public:
  explicit SecretSink(secure::SecretString& out) : out_(out) {}
  Status append(std::string_view text) { return out_.append(text); }

 private:
  secure::SecretString& out_;
};

// StringDecoder: unescapes one string body (after the opening quote, through the closing one).
template <class Sink>
class StringDecoder {
 public:
  StringDecoder(TextReader& reader, Sink& sink) : reader_(reader), sink_(sink) {}

  Status run() {
    for (;;) {
      AV_TRY(emit(reader_.read_while(plain_string_char)));
      auto c = reader_.peek();
      if (!c) return truncated(reader_.offset());
      if (*c == '"') {
        (void)reader_.read_char();
        return ok();
      }
      if (*c == '\\') {
        AV_TRY(escape());
      } else if (static_cast<unsigned char>(*c) < 0x20) {
        return json_error(Errc::Parse, "control character in string", reader_.offset());
      } else {
        AV_TRY(non_ascii());
      }
    }
  }

 private:
  Status emit(std::string_view text) {
    if (text.size() > limits::kMaxJsonStringBytes - decoded_len_) {
      return json_error(Errc::TooLarge, "string longer than " +
                                            std::to_string(limits::kMaxJsonStringBytes) + " bytes",
                        reader_.offset());
    }
    decoded_len_ += text.size();
    return sink_.append(text);
  }

  Status emit_code_point(char32_t code_point) {
    auto encoded = detail::encode_utf8(code_point);
    const Status status = emit(encoded.view());
    secure::wipe(as_writable_bytes(encoded.bytes.data(), encoded.bytes.size()));
    return status;
  }

  Status non_ascii() {
    const TextReader before = reader_;
    const auto decoded = detail::decode_utf8(reader_);
    if (decoded.status == detail::Utf8Status::Truncated) return truncated(reader_.offset());
    if (decoded.status == detail::Utf8Status::Invalid) {
      return json_error(Errc::Parse, "invalid utf-8 in string", reader_.offset());
    }
    return emit(before.rest().substr(0, reader_.offset() - before.offset()));
  }

  Result<char32_t> read_hex4() {
    char32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      auto c = reader_.peek();
      if (!c) return truncated(reader_.offset());
      if (!ascii::is_hex_digit(*c)) {
        return json_error(Errc::Parse, "invalid hex digit in \\u escape", reader_.offset());
      }
      (void)reader_.read_char();
      const char d = ascii::to_lower(*c);
      value = value * 16 + static_cast<char32_t>(ascii::is_digit(d) ? d - '0' : d - 'a' + 10);
    }
    return value;
  }

  // RFC 8259 §7: a code point above U+FFFF is a \u high surrogate followed by a \u low surrogate.
  Status unicode_escape(std::size_t at) {
    AV_TRY_ASSIGN(const char32_t first, read_hex4());
    if (first >= 0xDC00 && first <= 0xDFFF) {
      return json_error(Errc::Parse, "lone low surrogate in \\u escape", at);
    }
    if (first < 0xD800 || first > 0xDBFF) return emit_code_point(first);
    if (!reader_.consume_literal("\\u")) {
      if (std::string_view("\\u").starts_with(reader_.rest())) return truncated(reader_.offset());
      return json_error(Errc::Parse, "lone high surrogate in \\u escape", at);
    }
    AV_TRY_ASSIGN(const char32_t second, read_hex4());
    if (second < 0xDC00 || second > 0xDFFF) {
      return json_error(Errc::Parse, "mismatched surrogate pair in \\u escape", at);
    }
    return emit_code_point(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00));
  }

  Status escape() {
    const std::size_t at = reader_.offset();
    (void)reader_.read_char();  // the backslash
    auto c = reader_.read_char();
    if (!c) return truncated(reader_.offset());
    switch (*c) {
      case '"': return emit("\"");
      case '\\': return emit("\\");
      case '/': return emit("/");
      case 'b': return emit("\b");
      case 'f': return emit("\f");
      case 'n': return emit("\n");
      case 'r': return emit("\r");
      case 't': return emit("\t");
      case 'u': return unicode_escape(at);
      default: return json_error(Errc::Parse, "invalid escape in string", at);
    }
  }

  TextReader& reader_;
  Sink& sink_;
  std::size_t decoded_len_ = 0;
};

template <class Sink>
Status decode_string(TextReader& reader, Sink& sink) {
  StringDecoder<Sink> decoder(reader, sink);
  return decoder.run();
}

// Frame: one open array or object on the parser's explicit stack.
struct Frame {
  Value container;
  std::set<std::string, std::less<>> keys;  // object keys seen so far (duplicate check)
  std::string pending_key;                  // object: the key whose value is being parsed
  bool pending_secret = false;
  std::size_t num_elements = 0;
};

class Parser {
 public:
  Parser(std::string_view text, const SecretFields& secret_fields)
      : reader_(text), secret_fields_(secret_fields) {}

  Result<Value> run();

 private:
  Result<bool> begin_value(Value& out);
  Result<bool> open_container(Value& out);
  Status read_key();
  Result<bool> attach(Value element);
  Result<Value> read_string();
  Result<Value> read_number();
  Result<Value> read_literal();
  void skip_space() { (void)reader_.read_while(is_json_space); }

  TextReader reader_;
  const SecretFields& secret_fields_;
  std::vector<Frame> stack_;
};

Result<Value> Parser::run() {
  if (reader_.remaining() > limits::kMaxJsonBytes) {
    return json_error(Errc::TooLarge,
                      "document larger than " + std::to_string(limits::kMaxJsonBytes) + " bytes", 0);
  }
  skip_space();
  Value current;
  for (;;) {
    AV_TRY_ASSIGN(const bool complete, begin_value(current));
    if (!complete) continue;  // a container opened: parse its first element
    for (;;) {
      if (stack_.empty()) {
        skip_space();
        if (!reader_.empty()) return json_error(Errc::Parse, "trailing data", reader_.offset());
        return current;
      }
      AV_TRY_ASSIGN(const bool more, attach(std::move(current)));
      if (more) break;
      current = std::move(stack_.back().container);
      stack_.pop_back();
    }
  }
}

// begin_value reads a scalar into `out` (true), or opens a container (false; true if it was empty,
// with the empty container in `out`).
Result<bool> Parser::begin_value(Value& out) {
  auto c = reader_.peek();
  if (!c) return truncated(reader_.offset());
  switch (*c) {
    case '{':
    case '[': return open_container(out);
    case '"': {
      AV_TRY_ASSIGN(out, read_string());
      return true;
    }
    case 't':
    case 'f':
    case 'n': {
      AV_TRY_ASSIGN(out, read_literal());
      return true;
    }
    default: break;
  }
  if (*c == '-' || ascii::is_digit(*c)) {
    AV_TRY_ASSIGN(out, read_number());
    return true;
  }
  return json_error(Errc::Parse,
                    "unexpected character " + ascii::quote_for_terminal(std::string_view(&*c, 1)),
                    reader_.offset());
}

Result<bool> Parser::open_container(Value& out) {
  if (stack_.size() >= limits::kMaxJsonDepth) {
    return json_error(Errc::TooLarge,
                      "nesting deeper than " + std::to_string(limits::kMaxJsonDepth),
                      reader_.offset());
  }
  const bool is_object = reader_.consume_if('{');
  if (!is_object) (void)reader_.read_char();  // '['
  stack_.emplace_back();
  stack_.back().container = is_object ? Value::object() : Value::array();
  skip_space();
  if (reader_.consume_if(is_object ? '}' : ']')) {
    out = std::move(stack_.back().container);
    stack_.pop_back();
    return true;
  }
  if (is_object) AV_TRY(read_key());
  return false;
}

// read_key reads `"key" :` for the top object frame and records it (duplicates are rejected).
Status Parser::read_key() {
  const std::size_t at = reader_.offset();
  auto c = reader_.peek();
  if (!c) return truncated(at);
  if (*c != '"') return json_error(Errc::Parse, "expected string key", at);
  (void)reader_.read_char();
  std::string key;
  StringSink sink(key);
  AV_TRY(decode_string(reader_, sink));
  Frame& frame = stack_.back();
  if (!frame.keys.insert(key).second) {
    return json_error(Errc::Parse, "duplicate key " + ascii::quote_for_terminal(key), at);
  }
  skip_space();
  if (!reader_.consume_if(':')) {
    if (reader_.empty()) return truncated(reader_.offset());
    return json_error(Errc::Parse, "expected ':'", reader_.offset());
  }
  skip_space();
  frame.pending_secret = secret_fields_.contains(key);
  frame.pending_key = std::move(key);
  return ok();
}

// attach adds a finished value to the top container and reads what follows it: true when another
// element follows (its start is next), false when the container closed.
Result<bool> Parser::attach(Value element) {
  Frame& frame = stack_.back();
  const bool is_object = frame.container.kind() == Value::Kind::Object;
  if (++frame.num_elements > limits::kMaxJsonContainerElements) {
    return json_error(Errc::TooLarge,
                      "more than " + std::to_string(limits::kMaxJsonContainerElements) + " elements",
                      reader_.offset());
  }
  if (is_object) {
    frame.container.add_member(std::move(frame.pending_key), std::move(element));
    frame.pending_key.clear();
    frame.pending_secret = false;
  } else {
    frame.container.push_back(std::move(element));
  }
  skip_space();
  auto c = reader_.read_char();
  if (!c) return truncated(reader_.offset());
  if (*c == (is_object ? '}' : ']')) return false;
  if (*c != ',') {
    return json_error(Errc::Parse, is_object ? "expected ',' or '}'" : "expected ',' or ']'",
                      reader_.offset() - 1);
  }
  skip_space();
  if (is_object) AV_TRY(read_key());
  return true;
}

Result<Value> Parser::read_string() {
  (void)reader_.read_char();  // the opening quote
  if (stack_.empty() || !stack_.back().pending_secret) {
    std::string text;
    StringSink sink(text);
    AV_TRY(decode_string(reader_, sink));
    return Value::string(std::move(text));
  }
  // Secret: validate and measure on a copy of the cursor, then decode into exact-size storage.
  const std::size_t at = reader_.offset();
  TextReader probe = reader_;
  CountSink counter;
  AV_TRY(decode_string(probe, counter));
  if (counter.len() > limits::kMaxSecretBytes) {
    return json_error(Errc::TooLarge,
                      "secret longer than " + std::to_string(limits::kMaxSecretBytes) + " bytes", at);
  }
  secure::SecretString secret(counter.len());
  SecretSink sink(secret);
  AV_TRY(decode_string(reader_, sink));
  return Value::secret(std::move(secret));
}

// number_grammar consumes one RFC 8259 §6 number (-? int frac? exp?) from `reader`.
Status number_grammar(TextReader& reader) {
  const auto digits = [&reader](std::string_view what) -> Status {
    if (!reader.read_while(ascii::is_digit).empty()) return ok();
    if (reader.empty()) return truncated(reader.offset());
    return json_error(Errc::Parse, std::string("expected digit in number ") + std::string(what),
                      reader.offset());
  };
  const std::size_t at = reader.offset();
  (void)reader.consume_if('-');
  if (reader.consume_if('0')) {
    if (!reader.empty() && ascii::is_digit(reader.rest().front())) {
      return json_error(Errc::Parse, "leading zero in number", at);
    }
  } else {
    AV_TRY(digits("integer part"));
  }
  if (reader.consume_if('.')) AV_TRY(digits("fraction"));
  if (reader.consume_if('e') || reader.consume_if('E')) {
    if (!reader.consume_if('+')) (void)reader.consume_if('-');
    AV_TRY(digits("exponent"));
  }
  return ok();
}

Result<Value> Parser::read_number() {
  TextReader start = reader_;
  AV_TRY(number_grammar(reader_));
  AV_TRY_ASSIGN(const std::string_view text, start.read_exact(reader_.offset() - start.offset()));
  return Value::make_number(text);
}

Result<Value> Parser::read_literal() {
  struct Literal {
    std::string_view text;
    Value::Kind kind;
    bool value;
  };
  static constexpr Literal kLiterals[] = {{"true", Value::Kind::Bool, true},
                                          {"false", Value::Kind::Bool, false},
                                          {"null", Value::Kind::Null, false}};
  for (const Literal& literal : kLiterals) {
    if (reader_.rest().front() != literal.text.front()) continue;
    if (reader_.consume_literal(literal.text)) {
      return literal.kind == Value::Kind::Null ? Value() : Value::boolean(literal.value);
    }
    if (literal.text.starts_with(reader_.rest())) return truncated(reader_.remaining() + reader_.offset());
    break;
  }
  return json_error(Errc::Parse, "invalid literal", reader_.offset());
}

Error wrong_kind(std::string_view wanted) {
  return Error{Errc::Parse, "json: value is not " + std::string(wanted)};
}

template <class Int>
Result<Int> parse_integer(std::string_view text, std::string_view type_name) {
  if (text.find_first_of(".eE") != std::string_view::npos) {
    return Error{Errc::Parse, "json: number " + std::string(text) + " is not an integer"};
  }
  std::string_view digits = text;
  if (digits == "-0") return Int{0};
  if (std::is_unsigned_v<Int> && digits.starts_with('-')) {
    return Error{Errc::TooLarge, "json: number " + std::string(text) + " out of range for " +
                                     std::string(type_name)};
  }
  Int value{};
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    return Error{Errc::TooLarge, "json: number " + std::string(text) + " out of range for " +
                                     std::string(type_name)};
  }
  return value;
}

}  // namespace

bool SecretFields::contains(std::string_view key) const noexcept {
  return std::any_of(keys_.begin(), keys_.end(),
                     [key](std::string_view k) { return ascii::iequals(k, key); });
}

Value Value::boolean(bool b) {
  Value v;
  v.kind_ = Kind::Bool;
  v.bool_ = b;
  return v;
}

Value Value::integer(std::int64_t n) { return number_from_valid_text(std::to_string(n)); }

Value Value::unsigned_integer(std::uint64_t n) {
  return number_from_valid_text(std::to_string(n));
}

Result<Value> Value::make_number(std::string_view text) {
  TextReader reader(text);
  AV_TRY(number_grammar(reader));
  if (!reader.empty()) return json_error(Errc::Parse, "trailing data in number", reader.offset());
  return number_from_valid_text(std::string(text));
}

Value Value::number_from_valid_text(std::string text) {
  Value v;
  v.kind_ = Kind::Number;
  v.text_ = std::move(text);
  return v;
}

Value Value::string(std::string text) {
  Value v;
  v.kind_ = Kind::String;
  v.text_ = std::move(text);
  return v;
}

Value Value::secret(secure::SecretString secret) {
  Value v;
  v.kind_ = Kind::Secret;
  v.secret_ = std::move(secret);
  return v;
}

Value Value::array() {
  Value v;
  v.kind_ = Kind::Array;
  return v;
}

Value Value::object() {
  Value v;
  v.kind_ = Kind::Object;
  return v;
}

Result<bool> Value::as_bool() const {
  if (kind_ != Kind::Bool) return wrong_kind("a boolean");
  return bool_;
}

Result<std::int64_t> Value::as_int64() const {
  if (kind_ != Kind::Number) return wrong_kind("a number");
  return parse_integer<std::int64_t>(text_, "int64");
}

Result<std::uint64_t> Value::as_uint64() const {
  if (kind_ != Kind::Number) return wrong_kind("a number");
  return parse_integer<std::uint64_t>(text_, "uint64");
}

Result<double> Value::as_double() const {
  if (kind_ != Kind::Number) return wrong_kind("a number");
  double value = 0;
  const auto [end, ec] = std::from_chars(text_.data(), text_.data() + text_.size(), value);
  if (ec == std::errc::result_out_of_range) {
    return Error{Errc::TooLarge, "json: number " + text_ + " out of range for double"};
  }
  AV_CHECK(ec == std::errc() && end == text_.data() + text_.size());  // text was validated
  return value;
}

std::string_view Value::number_text() const noexcept {
  return kind_ == Kind::Number ? std::string_view(text_) : std::string_view();
}

Result<std::string_view> Value::as_string() const {
  if (kind_ != Kind::String) return wrong_kind("a string");
  return std::string_view(text_);
}

const secure::SecretString* Value::as_secret() const noexcept {
  return kind_ == Kind::Secret ? &secret_ : nullptr;
}

Result<secure::SecretString> Value::take_secret() {
  if (kind_ != Kind::Secret) return wrong_kind("a secret string");
  secure::SecretString out = std::move(secret_);
  kind_ = Kind::Null;
  return out;
}

const Value* Value::find(std::string_view key) const noexcept {
  for (const Member& member : members_) {
    if (member.key == key) return &member.value;
  }
  return nullptr;
}

Value* Value::find(std::string_view key) noexcept {
  for (Member& member : members_) {
    if (member.key == key) return &member.value;
  }
  return nullptr;
}

void Value::push_back(Value element) {
  AV_CHECK(kind_ == Kind::Array);
  elements_.push_back(std::move(element));
}

void Value::add_member(std::string key, Value value) {
  AV_CHECK(kind_ == Kind::Object);
  members_.push_back(Member{std::move(key), std::move(value)});
}

// Structural equality; recursion depth is that of the values compared, which parse() bounds.
bool operator==(const Value& a, const Value& b) noexcept {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Value::Kind::Null: return true;
    case Value::Kind::Bool: return a.bool_ == b.bool_;
    case Value::Kind::Number:
    case Value::Kind::String: return a.text_ == b.text_;
    case Value::Kind::Secret: return ct::equal(a.secret_.reveal(), b.secret_.reveal());
    case Value::Kind::Array: return a.elements_ == b.elements_;
    case Value::Kind::Object:
      return std::equal(a.members_.begin(), a.members_.end(), b.members_.begin(), b.members_.end(),
                        [](const Member& x, const Member& y) {
                          return x.key == y.key && x.value == y.value;
                        });
  }
  return false;
}

Result<Value> parse(std::string_view text) { return parse(text, SecretFields{}); }

Result<Value> parse(std::string_view text, const SecretFields& secret_fields) {
  Parser parser(text, secret_fields);
  return parser.run();
}

}  // namespace av::codec::json
