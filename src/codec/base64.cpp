// base64.cpp: table-driven RFC 4648 base64/base64url with strict canonical decoding.
#include "codec/base64.h"

#include <array>
#include <cstddef>
#include <string>

#include "base/limits.h"

namespace av::codec {
namespace {

constexpr std::uint8_t kInvalid = 0xFF;
constexpr std::string_view kStandardChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

using DecodeTable = std::array<std::uint8_t, 256>;

constexpr DecodeTable make_decode_table(std::string_view chars) {
  DecodeTable table{};
  table.fill(kInvalid);
  for (std::size_t i = 0; i < chars.size(); ++i) {
    table[static_cast<std::uint8_t>(chars[i])] = static_cast<std::uint8_t>(i);
  }
  return table;
}

constexpr DecodeTable kStandardTable = make_decode_table(kStandardChars);
constexpr DecodeTable kUrlTable = make_decode_table(kUrlChars);

bool is_padded(Base64Alphabet alphabet) { return alphabet != Base64Alphabet::Url; }

std::string_view chars_for(Base64Alphabet alphabet) {
  return alphabet == Base64Alphabet::Standard ? kStandardChars : kUrlChars;
}

const DecodeTable& table_for(Base64Alphabet alphabet) {
  return alphabet == Base64Alphabet::Standard ? kStandardTable : kUrlTable;
}

Error bad_base64(std::string_view why) {
  return Error(Errc::Parse, "invalid base64: " + std::string(why));
}

// strip_padding removes the '=' padding of a padded encoding, checking the total length and the
// pad count; the caller then rejects any '=' left as a character outside the alphabet.
Result<std::string_view> strip_padding(std::string_view text) {
  if (text.size() % 4 != 0) return bad_base64("length is not a multiple of 4");
  std::size_t num_pad = 0;
  while (num_pad < 2 && num_pad < text.size() && text[text.size() - 1 - num_pad] == '=') ++num_pad;
  return text.substr(0, text.size() - num_pad);
}

}  // namespace

std::string encode_base64(ByteSpan data, Base64Alphabet alphabet) {
  const std::string_view chars = chars_for(alphabet);
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const std::uint32_t v =
        (std::uint32_t{data[i]} << 16U) | (std::uint32_t{data[i + 1]} << 8U) | data[i + 2];
    out += chars[(v >> 18U) & 0x3FU];
    out += chars[(v >> 12U) & 0x3FU];
    out += chars[(v >> 6U) & 0x3FU];
    out += chars[v & 0x3FU];
  }
  const std::size_t tail = data.size() - i;
  if (tail == 0) return out;
  const std::uint32_t v =
      (std::uint32_t{data[i]} << 16U) | (tail == 2 ? std::uint32_t{data[i + 1]} << 8U : 0U);
  out += chars[(v >> 18U) & 0x3FU];
  out += chars[(v >> 12U) & 0x3FU];
  if (tail == 2) out += chars[(v >> 6U) & 0x3FU];
  if (is_padded(alphabet)) out.append(3 - tail, '=');
  return out;
}

Result<std::vector<std::uint8_t>> decode_base64(std::string_view text, Base64Alphabet alphabet) {
  if (text.size() > limits::kMaxEncodedBytes) {
    return Error(Errc::TooLarge,
                 "base64 input larger than " + std::to_string(limits::kMaxEncodedBytes) + " bytes");
  }
  std::string_view body = text;
  if (is_padded(alphabet)) {
    AV_TRY_ASSIGN(body, strip_padding(text));
  }
  if (body.size() % 4 == 1) return bad_base64("impossible length");
  const DecodeTable& table = table_for(alphabet);
  std::vector<std::uint8_t> out;
  out.reserve(body.size() / 4 * 3 + 2);
  std::uint32_t acc = 0;
  std::size_t num_bits = 0;
  for (const char c : body) {
    const std::uint8_t v = table[static_cast<std::uint8_t>(c)];
    if (v == kInvalid) return bad_base64("character outside the alphabet");
    acc = ((acc << 6U) | v) & 0xFFFFU;
    num_bits += 6;
    if (num_bits >= 8) {
      num_bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> num_bits));
    }
  }
  // 2 or 4 bits left over must be zero, or another encoding would give the same bytes.
  if ((acc & ((1U << num_bits) - 1U)) != 0) return bad_base64("non-zero trailing bits");
  return out;
}

}  // namespace av::codec
