// hex.cpp: lower-case hex encoding and strict case-insensitive decoding.
#include "codec/hex.h"

#include <cstddef>
#include <optional>
#include <string>

#include "base/limits.h"

namespace av::codec {
namespace {

constexpr char kLowerHex[] = "0123456789abcdef";

std::optional<std::uint8_t> hex_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<std::uint8_t>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<std::uint8_t>(c - 'A' + 10);
  return std::nullopt;
}

}  // namespace

std::string encode_hex(ByteSpan data) {
  std::string out;
  out.reserve(data.size() * 2);
  for (const std::uint8_t byte : data) {
    out += kLowerHex[byte >> 4U];
    out += kLowerHex[byte & 0x0FU];
  }
  return out;
}

Result<std::vector<std::uint8_t>> decode_hex(std::string_view text) {
  if (text.size() > limits::kMaxEncodedBytes) {
    return Error(Errc::TooLarge,
                 "hex input larger than " + std::to_string(limits::kMaxEncodedBytes) + " bytes");
  }
  if (text.size() % 2 != 0) return Error(Errc::Parse, "invalid hex: odd length");
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const std::optional<std::uint8_t> hi = hex_value(text[i]);
    const std::optional<std::uint8_t> lo = hex_value(text[i + 1]);
    if (!hi || !lo) return Error(Errc::Parse, "invalid hex: non-hex character");
    out.push_back(static_cast<std::uint8_t>((*hi << 4U) | *lo));
  }
  return out;
}

}  // namespace av::codec
