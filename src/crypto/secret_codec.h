// secret_codec.h: constant-time base64, base64url and hex for secret material (STYLE.md rule 16).
//
// These run on libsodium's codecs, whose time does not depend on the values of the bytes (no
// table lookups indexed by secret data), so decoding a key or token leaks nothing through the
// cache. Decoding is strict and canonical: characters outside the alphabet, whitespace, missing
// or extra padding, padding in the unpadded variants, non-zero unused bits in the last character
// and trailing garbage are all rejected, so for every base64 variant an accepted input is exactly
// the encoding of its output. Use codec/ base64 for data that is not secret.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"
#include "secure/secret.h"

namespace av::crypto {

// Base64Variant selects the alphabet (RFC 4648 §4 standard, §5 URL-safe) and whether the encoding
// is padded with '=' to a multiple of four characters.
enum class Base64Variant : std::uint8_t {
  Standard,          // A-Z a-z 0-9 + /, padded
  StandardUnpadded,  // A-Z a-z 0-9 + /, no padding
  Url,               // A-Z a-z 0-9 - _, padded
  UrlUnpadded,       // A-Z a-z 0-9 - _, no padding (JOSE, RFC 7515 §2)
};

// decode_base64_secret decodes `text` in `variant` into a SecretBytes holding exactly the decoded
// bytes (empty text decodes to an empty secret). Fails with Errc::Parse if `text` is not the
// canonical encoding of some byte string in that variant, Errc::TooLarge if it is longer than
// limits::kMaxEncodedSecretChars. The error message never contains any part of `text`. Borrows
// `text` for the call only.
[[nodiscard]] Result<secure::SecretBytes> decode_base64_secret(std::string_view text,
                                                               Base64Variant variant);

// encode_base64_secret encodes `bytes` in `variant` into a SecretString. Never fails (allocation
// failure is fatal). Borrows `bytes`; the scratch buffer used for encoding is wiped.
secure::SecretString encode_base64_secret(ByteSpan bytes, Base64Variant variant);

// decode_hex_secret decodes hexadecimal `text` (upper- or lowercase digits, even length, nothing
// else) into a SecretBytes. Fails with Errc::Parse on any other character or an odd length,
// Errc::TooLarge if longer than limits::kMaxEncodedSecretChars. The error message never contains
// any part of `text`. Borrows `text` for the call only.
[[nodiscard]] Result<secure::SecretBytes> decode_hex_secret(std::string_view text);

// encode_hex_secret encodes `bytes` as lowercase hexadecimal into a SecretString. Never fails.
secure::SecretString encode_hex_secret(ByteSpan bytes);

}  // namespace av::crypto
