// jwe_compact.h: the JWE compact serialisation (RFC 7516 §7.1) as the file backend stores it:
// `H.K.I.C.T`, five base64url parts without padding, restricted to what aws-vault writes
// (backends.md §2.1.4): alg "PBES2-HS256+A128KW", enc "A256GCM".
//
// parse_jwe_compact is strict and canonical, so serialize(parse(t)) == t for every accepted t:
//   * at most limits::kMaxJweCompactBytes (Errc::TooLarge), exactly four '.' (else Errc::Parse);
//   * each part canonical unpadded base64url (codec::decode_base64), else Errc::Parse;
//   * K is 40 bytes (an A128KW-wrapped 32-byte key), I 12 bytes, T 16 bytes, else Errc::Parse;
//     C is at most limits::kMaxSecretItemBytes (Errc::TooLarge) and may be empty;
//   * H decodes to one strict JSON object (codec::json::parse; any JSON error is Errc::Parse,
//     except a JSON limit, Errc::TooLarge).
// Header policy (STYLE.md §3.5, backends.md §2.1.8):
//   * `alg` exactly "PBES2-HS256+A128KW" and `enc` exactly "A256GCM": another string is
//     Errc::Unsupported, a missing member or another JSON type Errc::Parse;
//   * `zip` present (any value) is Errc::Unsupported: we never decompress;
//   * `crit` present (any value) is Errc::Unsupported: we implement no extension, and RFC 7515
//     §4.1.11 requires refusing a critical one we do not understand;
//   * `p2c` a JSON integer literal (no fraction or exponent, no sign); below
//     limits::kMinPbes2Iterations is Errc::Unsupported, above limits::kMaxPbes2Iterations
//     Errc::TooLarge, other forms Errc::Parse. Checked here, so a crafted count is refused before
//     any key derivation runs;
//   * `p2s` a JSON string, canonical base64url, decoding to limits::kMinPbes2SaltBytes ..
//     limits::kMaxPbes2SaltBytes bytes (fewer is Errc::Parse, more Errc::TooLarge);
//   * every other member (`created` written by the Go keyring, `typ`, `cty`, `kid`, ...) is
//     tolerated and ignored; it is authenticated anyway, as the header text is the GCM AAD.
// Pure: no I/O, no logging, no globals.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace av::jose {

// The only algorithms accepted and written.
inline constexpr std::string_view kAlgPbes2Hs256A128kw = "PBES2-HS256+A128KW";
inline constexpr std::string_view kEncA256gcm = "A256GCM";
// Part sizes fixed by those algorithms: wrapped 32-byte CEK, GCM IV and tag.
inline constexpr std::size_t kEncryptedKeyLen = 40;
inline constexpr std::size_t kIvLen = 12;
inline constexpr std::size_t kTagLen = 16;

// JweCompact: one parsed token. Nothing in it is secret (the key is wrapped, the payload
// encrypted). `header_json` is the decoded protected header exactly as transmitted; its
// base64url is the GCM additional authenticated data. `p2c` and `p2s` are copies of the
// validated header members.
struct JweCompact {
  std::string header_json;
  std::uint32_t p2c = 0;
  std::vector<std::uint8_t> p2s;
  std::vector<std::uint8_t> encrypted_key;
  std::vector<std::uint8_t> iv;
  std::vector<std::uint8_t> ciphertext;
  std::vector<std::uint8_t> tag;
};

// parse_jwe_compact parses and validates `token` (see the file comment for every rule and its
// Errc). The result owns its data; `token` is borrowed for the call only.
[[nodiscard]] Result<JweCompact> parse_jwe_compact(std::string_view token);

// protected_header_b64 returns the base64url (unpadded) of jwe.header_json: the first part of
// the token and the AAD of the content encryption.
std::string protected_header_b64(const JweCompact& jwe);

// serialize_jwe_compact writes `jwe` in compact form. For a value returned by
// parse_jwe_compact this reproduces the parsed token byte for byte. Never fails; it does not
// re-validate (p2c/p2s are taken from header_json, not from the copies).
std::string serialize_jwe_compact(const JweCompact& jwe);

}  // namespace av::jose
