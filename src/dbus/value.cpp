// value.cpp: the D-Bus value model and signature grammar.
#include "dbus/value.h"

#include <bit>
#include <string>
#include <utility>

#include "base/limits.h"

namespace av::dbus {
namespace {

Error type_error(std::string_view expected, const std::string& got) {
  return Error{Errc::Parse, "expected " + std::string(expected) + ", got \"" + got + "\""};
}

Error signature_error(std::string_view what) {
  return Error{Errc::Parse, "invalid signature: " + std::string(what)};
}

// Recursive descent over the signature grammar; `depth` counts open containers.
Result<std::size_t> type_len_at(std::string_view sig, std::size_t depth, bool in_array);

Result<std::size_t> struct_len(std::string_view sig, std::size_t depth) {
  std::size_t pos = 1;
  std::size_t num_fields = 0;
  while (pos < sig.size() && sig[pos] != ')') {
    AV_TRY_ASSIGN(std::size_t len, type_len_at(sig.substr(pos), depth + 1, false));
    pos += len;
    ++num_fields;
  }
  if (pos >= sig.size()) return signature_error("unterminated struct");
  if (num_fields == 0) return signature_error("empty struct");
  return pos + 1;
}

Result<std::size_t> dict_entry_len(std::string_view sig, std::size_t depth) {
  if (sig.size() < 2 || !is_basic_type(sig[1])) return signature_error("dict key is not basic");
  AV_TRY_ASSIGN(std::size_t value_len, type_len_at(sig.substr(2), depth + 1, false));
  const std::size_t end = 2 + value_len;
  if (end >= sig.size() || sig[end] != '}') return signature_error("dict entry not closed");
  return end + 1;
}

Result<std::size_t> type_len_at(std::string_view sig, std::size_t depth, bool in_array) {
  if (sig.empty()) return signature_error("missing type");
  const char code = sig[0];
  const bool container = code == 'a' || code == '(' || code == '{';
  if (container && depth >= limits::kMaxDbusContainerDepth) {
    return Error{Errc::TooLarge, "signature nests containers too deeply"};
  }
  if (is_basic_type(code) || code == 'v') return std::size_t{1};
  if (code == 'a') {
    AV_TRY_ASSIGN(std::size_t len, type_len_at(sig.substr(1), depth + 1, true));
    return len + 1;
  }
  if (code == '(') return struct_len(sig, depth);
  if (code == '{') {
    if (!in_array) return signature_error("dict entry outside an array");
    return dict_entry_len(sig, depth);
  }
  return signature_error("unknown type code");
}

}  // namespace

std::size_t alignment_of(char type_code) noexcept {
  switch (type_code) {
    case 'y':
    case 'g':
    case 'v':
      return 1;
    case 'n':
    case 'q':
      return 2;
    case 'b':
    case 'i':
    case 'u':
    case 'h':
    case 's':
    case 'o':
    case 'a':
      return 4;
    case 'x':
    case 't':
    case 'd':
    case '(':
    case '{':
      return 8;
    default:
      return 0;
  }
}

bool is_basic_type(char type_code) noexcept {
  switch (type_code) {
    case 'y':
    case 'b':
    case 'n':
    case 'q':
    case 'i':
    case 'u':
    case 'x':
    case 't':
    case 'd':
    case 'h':
    case 's':
    case 'o':
    case 'g':
      return true;
    default:
      return false;
  }
}

Result<std::size_t> complete_type_len(std::string_view signature) {
  return type_len_at(signature, 0, false);
}

Result<std::vector<std::string_view>> split_signature(std::string_view signature) {
  if (signature.size() > kMaxSignatureLen) {
    return Error{Errc::TooLarge, "signature longer than 255 characters"};
  }
  std::vector<std::string_view> types;
  std::size_t pos = 0;
  while (pos < signature.size()) {
    AV_TRY_ASSIGN(std::size_t len, complete_type_len(signature.substr(pos)));
    types.push_back(signature.substr(pos, len));
    pos += len;
  }
  return types;
}

bool is_valid_object_path(std::string_view path) noexcept {
  if (path.empty() || path[0] != '/') return false;
  if (path.size() == 1) return true;
  bool element_empty = true;
  for (std::size_t i = 1; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '/') {
      if (element_empty) return false;
      element_empty = true;
      continue;
    }
    const bool ok_char =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok_char) return false;
    element_empty = false;
  }
  return !element_empty;
}

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<std::uint8_t>(text[i]);
    std::size_t len = 0;
    std::uint8_t lo = 0x80;
    std::uint8_t hi = 0xBF;
    if (b0 < 0x80)
      len = 1;
    else if (b0 >= 0xC2 && b0 <= 0xDF)
      len = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      if (b0 == 0xE0) lo = 0xA0;  // over-long
      if (b0 == 0xED) hi = 0x9F;  // surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      if (b0 == 0xF0) lo = 0x90;  // over-long
      if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (len > text.size() - i) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<std::uint8_t>(text[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return false;
    }
    i += len;
  }
  return true;
}

Value Value::number(std::string sig, std::uint64_t bits) {
  Value v;
  v.signature_ = std::move(sig);
  v.number_ = bits;
  return v;
}

Value Value::text_value(std::string sig, std::string text) {
  Value v;
  v.signature_ = std::move(sig);
  v.text_ = std::move(text);
  return v;
}

Value Value::byte(std::uint8_t v) { return number("y", v); }
Value Value::boolean(bool v) { return number("b", v ? 1 : 0); }
Value Value::int16(std::int16_t v) { return number("n", static_cast<std::uint16_t>(v)); }
Value Value::uint16(std::uint16_t v) { return number("q", v); }
Value Value::int32(std::int32_t v) { return number("i", static_cast<std::uint32_t>(v)); }
Value Value::uint32(std::uint32_t v) { return number("u", v); }
Value Value::int64(std::int64_t v) { return number("x", static_cast<std::uint64_t>(v)); }
Value Value::uint64(std::uint64_t v) { return number("t", v); }
Value Value::dbl(double v) { return number("d", std::bit_cast<std::uint64_t>(v)); }
Value Value::unix_fd(std::uint32_t index) { return number("h", index); }
Value Value::string(std::string v) { return text_value("s", std::move(v)); }
Value Value::object_path(std::string v) { return text_value("o", std::move(v)); }
Value Value::signature(std::string v) { return text_value("g", std::move(v)); }

Value Value::bytes(secure::SecretBytes v) {
  Value out;
  out.signature_ = "ay";
  out.bytes_ = std::move(v);
  return out;
}

Value Value::array(std::string element_signature, std::vector<Value> elements) {
  AV_CHECK(element_signature != "y");
  Value out;
  out.signature_ = "a" + element_signature;
  auto len = complete_type_len(out.signature_);
  AV_CHECK(len.has_value() && *len == out.signature_.size());
  for (const Value& e : elements) AV_CHECK(e.signature_ == element_signature);
  out.children_ = std::move(elements);
  return out;
}

Value Value::structure(std::vector<Value> fields) {
  AV_CHECK(!fields.empty());
  Value out;
  out.signature_ = "(";
  for (const Value& f : fields) out.signature_ += f.signature_;
  out.signature_ += ")";
  out.children_ = std::move(fields);
  return out;
}

Value Value::dict_entry(Value key, Value value) {
  AV_CHECK(is_basic_type(key.type()));
  Value out;
  out.signature_ = "{" + key.signature_ + value.signature_ + "}";
  out.children_.push_back(std::move(key));
  out.children_.push_back(std::move(value));
  return out;
}

Value Value::variant(Value inner) {
  Value out;
  out.signature_ = "v";
  out.children_.push_back(std::move(inner));
  return out;
}

Result<bool> Value::as_bool() const {
  if (signature_ != "b") return type_error("boolean", signature_);
  return number_ != 0;
}

Result<std::uint32_t> Value::as_u32() const {
  if (signature_ != "u") return type_error("uint32", signature_);
  return static_cast<std::uint32_t>(number_);
}

Result<std::uint64_t> Value::as_u64() const {
  if (!is_basic_type(type()) || type() == 's' || type() == 'o' || type() == 'g' || type() == 'd') {
    return type_error("integer", signature_);
  }
  return number_;
}

Result<std::string_view> Value::as_string() const {
  if (signature_ != "s" && signature_ != "o" && signature_ != "g") {
    return type_error("string", signature_);
  }
  return std::string_view(text_);
}

Result<const secure::SecretBytes*> Value::as_bytes() const {
  if (signature_ != "ay") return type_error("byte array", signature_);
  return &bytes_;
}

Result<const Value*> Value::as_variant() const {
  if (signature_ != "v") return type_error("variant", signature_);
  return &children_.front();
}

Value Value::clone() const {
  Value out;
  out.signature_ = signature_;
  out.number_ = number_;
  out.text_ = text_;
  out.bytes_ = bytes_.clone();
  out.children_.reserve(children_.size());
  for (const Value& c : children_) out.children_.push_back(c.clone());
  return out;
}

}  // namespace av::dbus
