// percent.cpp: SigV4 UriEncode, strict percent decoding and form bodies.
#include "codec/percent.h"

#include <cstddef>
#include <optional>

#include "base/ascii.h"
#include "base/limits.h"

namespace av::codec {
namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";

bool is_unreserved(char c) {
  return ascii::is_alnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

std::optional<int> hex_value(char c) {
  if (ascii::is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

void append_encoded(std::string& out, std::string_view text, SlashMode slash) {
  for (const char c : text) {
    if (is_unreserved(c) || (c == '/' && slash == SlashMode::Keep)) {
      out += c;
      continue;
    }
    const auto byte = static_cast<std::uint8_t>(c);
    out += '%';
    out += kUpperHex[byte >> 4U];
    out += kUpperHex[byte & 0x0FU];
  }
}

}  // namespace

std::string encode_percent_sigv4(std::string_view text, SlashMode slash) {
  std::string out;
  out.reserve(text.size());
  append_encoded(out, text, slash);
  return out;
}

Result<std::string> decode_percent(std::string_view text, PlusMode plus) {
  if (text.size() > limits::kMaxEncodedBytes) {
    return Error(Errc::TooLarge, "percent-encoded input larger than " +
                                     std::to_string(limits::kMaxEncodedBytes) + " bytes");
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus == PlusMode::Space) {
      out += ' ';
    } else if (c != '%') {
      out += c;
    } else {
      const std::optional<int> hi = i + 1 < text.size() ? hex_value(text[i + 1]) : std::nullopt;
      const std::optional<int> lo = i + 2 < text.size() ? hex_value(text[i + 2]) : std::nullopt;
      if (!hi || !lo)
        return Error(Errc::Parse, "invalid percent escape at offset " + std::to_string(i));
      out += static_cast<char>((*hi << 4) | *lo);
      i += 2;
    }
  }
  return out;
}

std::string form_urlencode(std::span<const FormField> fields) {
  std::string out;
  for (const FormField& field : fields) {
    if (!out.empty()) out += '&';
    append_encoded(out, field.first, SlashMode::Encode);
    out += '=';
    append_encoded(out, field.second, SlashMode::Encode);
  }
  return out;
}

}  // namespace av::codec
