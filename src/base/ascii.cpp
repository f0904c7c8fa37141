#include "base/ascii.h"

#include <cstdint>

namespace av::ascii {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_hex_escape(std::string& out, std::uint8_t byte) {
  out += "\\x";
  out += kHex[byte >> 4U];
  out += kHex[byte & 0x0FU];
}

void append_u_escape(std::string& out, std::uint32_t cp) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> static_cast<unsigned>(shift)) & 0x0FU];
}

// decode_utf8 decodes one well-formed UTF-8 sequence at text[0]; returns its length, or 0 for an
// invalid, over-long, surrogate or out-of-range sequence.
std::size_t decode_utf8(std::string_view text, std::uint32_t& cp) {
  const auto b0 = static_cast<std::uint8_t>(text[0]);
  std::size_t len = 0;
  std::uint32_t min = 0;
  if (b0 < 0x80) { cp = b0; return 1; }
  if ((b0 & 0xE0U) == 0xC0U) { len = 2; cp = b0 & 0x1FU; min = 0x80; }
  else if ((b0 & 0xF0U) == 0xE0U) { len = 3; cp = b0 & 0x0FU; min = 0x800; }
  else if ((b0 & 0xF8U) == 0xF0U) { len = 4; cp = b0 & 0x07U; min = 0x10000; }
  else { return 0; }
  if (text.size() < len) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    const auto b = static_cast<std::uint8_t>(text[i]);
    if ((b & 0xC0U) != 0x80U) return 0;
    cp = (cp << 6U) | (b & 0x3FU);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// is_invisible_code_point: code points that can disguise or reorder terminal text.
bool is_invisible_code_point(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

bool append_short_escape(std::string& out, char c) {
  switch (c) {
    case '"': out += "\\\""; return true;
    case '\\': out += "\\\\"; return true;
    case '\a': out += "\\a"; return true;
    case '\b': out += "\\b"; return true;
    case '\f': out += "\\f"; return true;
    case '\n': out += "\\n"; return true;
    case '\r': out += "\\r"; return true;
    case '\t': out += "\\t"; return true;
    case '\v': out += "\\v"; return true;
    default: return false;
  }
}

}  // namespace

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = to_lower(c);
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = to_upper(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string escape_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const char c = text[0];
    if (append_short_escape(out, c)) { text.remove_prefix(1); continue; }
    std::uint32_t cp = 0;
    const std::size_t len = decode_utf8(text, cp);
    if (len == 0) {
      append_hex_escape(out, static_cast<std::uint8_t>(c));
      text.remove_prefix(1);
    } else if (cp < 0x20 || cp == 0x7F) {
      append_hex_escape(out, static_cast<std::uint8_t>(cp));
      text.remove_prefix(1);
    } else if (is_invisible_code_point(cp)) {
      append_u_escape(out, cp);
      text.remove_prefix(len);
    } else {
      out.append(text.substr(0, len));
      text.remove_prefix(len);
    }
  }
  return out;
}

std::string quote_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  out += escape_for_terminal(text);
  out += '"';
  return out;
}

}  // namespace av::ascii
