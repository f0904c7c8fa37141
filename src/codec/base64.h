// base64.h: strict canonical base64 (RFC 4648 §4) and base64url (§5) for NON-secret data.
//
// Secret material (keys, tokens) uses the constant-time codecs in crypto/ instead: these functions
// branch and index tables on the data.
//
// Decoding is strict and canonical, so every byte string has exactly one accepted encoding:
// characters outside the variant's alphabet (including whitespace and line breaks), padding that
// is missing, extra, misplaced or present in an unpadded variant, an impossible length, and
// non-zero unused bits in the last character are all Errc::Parse. Input longer than
// limits::kMaxEncodedBytes is Errc::TooLarge.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"

namespace av::codec {

// Base64Alphabet selects the alphabet and the padding rule together.
enum class Base64Alphabet : std::uint8_t {
  Standard,  // RFC 4648 §4: A-Z a-z 0-9 + /, padded with '=' to a multiple of 4
  Url,  // RFC 4648 §5: A-Z a-z 0-9 - _, unpadded (as JWE compact and aws-vault cache keys use)
  UrlPadded,  // RFC 4648 §5 alphabet, padded with '=' to a multiple of 4
};

// encode_base64 returns the canonical encoding of `data` in `alphabet`. Never fails; the caller
// bounds the input size.
std::string encode_base64(ByteSpan data, Base64Alphabet alphabet);

// decode_base64 returns the bytes `text` encodes, or Errc::Parse (not the canonical encoding in
// `alphabet`, see the file comment) or Errc::TooLarge (over limits::kMaxEncodedBytes). The empty
// string decodes to no bytes.
[[nodiscard]] Result<std::vector<std::uint8_t>> decode_base64(std::string_view text,
                                                              Base64Alphabet alphabet);

}  // namespace av::codec
