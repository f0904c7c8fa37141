// secret_codec.cpp: base64/base64url/hex for secrets on libsodium (sodium_base642bin,
// sodium_bin2base64, sodium_hex2bin, sodium_bin2hex), which are constant-time in the data.
//
// Strictness: libsodium 1.0.18, called with ignore = nullptr and end = nullptr, requires the input
// to be consumed completely, checks padding for the padded variants, and rejects non-zero unused
// bits and impossible lengths. It does NOT reject every byte outside the alphabet: it reads the
// input through a signed char, so some bytes >= 0x80 decode as alphabet characters (found by the
// mutation test). base64_alphabet_only() therefore checks the alphabet first, in constant time.
// Outputs go straight into sodium_malloc'd memory.
#include "crypto/secret_codec.h"

#include <sodium.h>

#include <cstdint>
#include <string>

#include "base/check.h"
#include "base/limits.h"

namespace av::crypto {
namespace {

int sodium_variant(Base64Variant variant) {
  switch (variant) {
    case Base64Variant::Standard:
      return sodium_base64_VARIANT_ORIGINAL;
    case Base64Variant::StandardUnpadded:
      return sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
    case Base64Variant::Url:
      return sodium_base64_VARIANT_URLSAFE;
    case Base64Variant::UrlUnpadded:
      return sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  }
  AV_CHECK(false && "unknown Base64Variant");
  return sodium_base64_VARIANT_ORIGINAL;
}

// in_range is 1 if lo <= c <= hi and 0 otherwise, computed without branches: for c, lo, hi below
// 0x100, (c - lo) and (hi - c) both stay below 0x100 exactly when c is in range.
std::uint32_t in_range(std::uint32_t c, std::uint32_t lo, std::uint32_t hi) {
  const std::uint32_t outside = ((c - lo) | (hi - c)) >> 8;
  return 1U ^ ((outside | (0U - outside)) >> 31);
}

// base64_alphabet_only reports whether every character of `text` is in the variant's alphabet (or
// is '=' for a padded variant). The time depends only on text.size(), not on the characters.
bool base64_alphabet_only(std::string_view text, Base64Variant variant) {
  const bool url = variant == Base64Variant::Url || variant == Base64Variant::UrlUnpadded;
  const bool padded = variant == Base64Variant::Standard || variant == Base64Variant::Url;
  const std::uint32_t c62 = url ? std::uint32_t{'-'} : std::uint32_t{'+'};
  const std::uint32_t c63 = url ? std::uint32_t{'_'} : std::uint32_t{'/'};
  const std::uint32_t pad = padded ? '=' : c62;  // unpadded: '=' is not allowed
  std::uint32_t all_valid = 1;
  for (const std::uint8_t byte : as_bytes(text)) {
    const std::uint32_t c = byte;
    all_valid &= in_range(c, 'A', 'Z') | in_range(c, 'a', 'z') | in_range(c, '0', '9') |
                 in_range(c, c62, c62) | in_range(c, c63, c63) | in_range(c, pad, pad);
  }
  return all_valid == 1;
}

Status check_encoded_len(std::string_view text) {
  if (text.size() > limits::kMaxEncodedSecretChars) {
    return Error{Errc::TooLarge, "encoded secret longer than " +
                                     std::to_string(limits::kMaxEncodedSecretChars) + " characters"};
  }
  return ok();
}

// from_scratch copies the NUL-terminated encoding in `scratch` (length `len`) into a SecretString;
// `scratch` is wiped by its destructor.
secure::SecretString from_scratch(const secure::SecretBytes& scratch, std::size_t len) {
  return secure::SecretString::copy_of(as_chars(scratch.reveal().first(len)));
}

}  // namespace

Result<secure::SecretBytes> decode_base64_secret(std::string_view text, Base64Variant variant) {
  AV_TRY(check_encoded_len(text));
  if (text.empty()) return secure::SecretBytes{};
  if (!base64_alphabet_only(text, variant)) {
    return Error{Errc::Parse, "secret is not valid canonical base64"};
  }
  // Every 4 characters carry 3 bytes; a partial final group carries at most 2.
  const std::size_t max_len = text.size() / 4 * 3 + 3;
  auto out = secure::SecretBytes::zeroed(max_len);
  std::size_t out_len = 0;
  const int rc = sodium_base642bin(out.reveal_mutable().data(), max_len, text.data(), text.size(),
                                   nullptr, &out_len, nullptr, sodium_variant(variant));
  if (rc != 0) return Error{Errc::Parse, "secret is not valid canonical base64"};
  out.resize(out_len);
  return out;
}

secure::SecretString encode_base64_secret(ByteSpan bytes, Base64Variant variant) {
  const int sv = sodium_variant(variant);
  AV_CHECK(bytes.size() <= SIZE_MAX / 2);
  const std::size_t encoded_len = sodium_base64_encoded_len(bytes.size(), sv);  // includes NUL
  auto scratch = secure::SecretBytes::zeroed(encoded_len);
  sodium_bin2base64(as_writable_chars(scratch.reveal_mutable()), encoded_len, bytes.data(),
                    bytes.size(), sv);
  return from_scratch(scratch, encoded_len - 1);
}

Result<secure::SecretBytes> decode_hex_secret(std::string_view text) {
  AV_TRY(check_encoded_len(text));
  if (text.empty()) return secure::SecretBytes{};
  const std::size_t max_len = text.size() / 2 + 1;
  auto out = secure::SecretBytes::zeroed(max_len);
  std::size_t out_len = 0;
  const int rc = sodium_hex2bin(out.reveal_mutable().data(), max_len, text.data(), text.size(),
                                nullptr, &out_len, nullptr);
  if (rc != 0) return Error{Errc::Parse, "secret is not valid hex"};
  out.resize(out_len);
  return out;
}

secure::SecretString encode_hex_secret(ByteSpan bytes) {
  AV_CHECK(bytes.size() < SIZE_MAX / 2);
  const std::size_t encoded_len = bytes.size() * 2 + 1;  // includes NUL
  auto scratch = secure::SecretBytes::zeroed(encoded_len);
  sodium_bin2hex(as_writable_chars(scratch.reveal_mutable()), encoded_len, bytes.data(),
                 bytes.size());
  return from_scratch(scratch, encoded_len - 1);
}

}  // namespace av::crypto
