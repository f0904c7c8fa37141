// utf8.h: UTF-8 decoding and encoding shared by the JSON reader and writer (internal header).
//
// decode_utf8 follows RFC 3629 §4 exactly (the same acceptance table as Go's utf8.DecodeRune): no
// over-long forms, no encoded surrogates (U+D800..U+DFFF), nothing above U+10FFFF. It reads
// through a TextReader, so no pointer arithmetic touches the input, and it consumes nothing unless
// a whole valid sequence is present.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/text_reader.h"

namespace av::codec::json::detail {

enum class Utf8Status : std::uint8_t { Ok, Invalid, Truncated };

struct Utf8Char {
  Utf8Status status;
  char32_t code_point;
};

// decode_utf8 reads one UTF-8 encoded code point from `reader`. Ok: consumed, code_point set.
// Invalid: a byte breaks the RFC 3629 grammar. Truncated: input ended inside a sequence. On
// Invalid and Truncated the reader has not moved.
inline Utf8Char decode_utf8(TextReader& reader) {
  TextReader probe = reader;
  auto lead = probe.read_char();
  if (!lead) return {Utf8Status::Truncated, 0};
  const auto b0 = static_cast<std::uint8_t>(*lead);
  if (b0 < 0x80) {
    reader = probe;
    return {Utf8Status::Ok, b0};
  }
  std::size_t len = 0;
  char32_t code_point = 0;
  std::uint8_t lo = 0x80;
  std::uint8_t hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    code_point = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    code_point = b0 & 0x0Fu;
    if (b0 == 0xE0) lo = 0xA0;  // over-long
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    code_point = b0 & 0x07u;
    if (b0 == 0xF0) lo = 0x90;  // over-long
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return {Utf8Status::Invalid, 0};  // continuation byte, C0, C1 or F5..FF as a lead
  }
  for (std::size_t i = 1; i < len; ++i) {
    auto next = probe.read_char();
    if (!next) return {Utf8Status::Truncated, 0};
    const auto b = static_cast<std::uint8_t>(*next);
    if (b < lo || b > hi) return {Utf8Status::Invalid, 0};
    lo = 0x80;
    hi = 0xBF;
    code_point = (code_point << 6) | (b & 0x3Fu);
  }
  reader = probe;
  return {Utf8Status::Ok, code_point};
}

// Utf8Bytes: one encoded code point (1..4 bytes).
struct Utf8Bytes {
  std::array<char, 4> bytes{};
  std::size_t len = 0;
  std::string_view view() const noexcept { return {bytes.data(), len}; }
};

// encode_utf8 encodes `code_point`, which must be a Unicode scalar value (a bug otherwise).
inline Utf8Bytes encode_utf8(char32_t code_point) {
  AV_CHECK(code_point <= 0x10FFFF && (code_point < 0xD800 || code_point > 0xDFFF));
  Utf8Bytes out;
  const auto byte = [](char32_t v) { return static_cast<char>(static_cast<std::uint8_t>(v)); };
  if (code_point < 0x80) {
    out.bytes[0] = byte(code_point);
    out.len = 1;
  } else if (code_point < 0x800) {
    out.bytes[0] = byte(0xC0 | (code_point >> 6));
    out.bytes[1] = byte(0x80 | (code_point & 0x3F));
    out.len = 2;
  } else if (code_point < 0x10000) {
    out.bytes[0] = byte(0xE0 | (code_point >> 12));
    out.bytes[1] = byte(0x80 | ((code_point >> 6) & 0x3F));
    out.bytes[2] = byte(0x80 | (code_point & 0x3F));
    out.len = 3;
  } else {
    out.bytes[0] = byte(0xF0 | (code_point >> 18));
    out.bytes[1] = byte(0x80 | ((code_point >> 12) & 0x3F));
    out.bytes[2] = byte(0x80 | ((code_point >> 6) & 0x3F));
    out.bytes[3] = byte(0x80 | (code_point & 0x3F));
    out.len = 4;
  }
  return out;
}

}  // namespace av::codec::json::detail
