// keys.cpp: key formats and classification (cli.md §5).
#include "keyring/keys.h"

#include <array>
#include <cstddef>
#include <string>
#include <utility>

#include "base/bytes.h"
#include "base/limits.h"
#include "codec/base64.h"

namespace av::keyring {
namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view text) noexcept {
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// url_value returns the 6-bit value of a base64url character, or -1.
int url_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (is_digit(c)) return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// decode_go_raw_url decodes like Go's base64.RawURLEncoding.DecodeString (see keys.h).
std::optional<std::string> decode_go_raw_url(std::string_view text) {
  std::string out;
  std::uint32_t acc = 0;
  std::size_t bits = 0;
  std::size_t chars = 0;
  for (char c : text) {
    if (c == '\r' || c == '\n') continue;
    const int v = url_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6U) | static_cast<std::uint32_t>(v);
    bits += 6;
    ++chars;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFFU));
    }
  }
  if (chars % 4 == 1) return std::nullopt;  // a lone final character encodes no whole byte
  return out;
}

std::string encode_raw_url(std::string_view text) {
  return codec::encode_base64(as_bytes(text), codec::Base64Alphabet::Url);
}

// split_fields splits `key` at every ','; nullopt unless there are exactly N fields.
template <std::size_t N>
std::optional<std::array<std::string_view, N>> split_fields(std::string_view key) noexcept {
  std::array<std::string_view, N> fields;
  for (std::size_t i = 0; i + 1 < N; ++i) {
    const std::size_t comma = key.find(',');
    if (comma == std::string_view::npos) return std::nullopt;
    fields[i] = key.substr(0, comma);
    key.remove_prefix(comma + 1);
  }
  if (key.find(',') != std::string_view::npos) return std::nullopt;
  fields[N - 1] = key;
  return fields;
}

Result<std::int64_t> parse_expiry(std::string_view digits) {
  if (digits.empty() || !all_digits(digits)) {
    return Error(Errc::Parse, "session key: expiry is not a decimal number");
  }
  std::int64_t value = 0;
  for (char c : digits) {
    const std::int64_t d = c - '0';
    if (value > (INT64_MAX - d) / 10) {
      return Error(Errc::TooLarge, "session key: expiry is out of range");
    }
    value = value * 10 + d;
  }
  return value;
}

// legacy_comma: ^session,([^,]+),([^,]*),([0-9]{2,})$
bool legacy_comma(std::string_view key) noexcept {
  auto fields = split_fields<4>(key);
  return fields && (*fields)[0] == "session" && !(*fields)[1].empty() && (*fields)[3].size() >= 2 &&
         all_digits((*fields)[3]);
}

// legacy_colon: ^session:([^ ]+):([^ ]*):([^:]+)$
bool legacy_colon(std::string_view key) noexcept {
  constexpr std::string_view kPrefix = "session:";
  if (!key.starts_with(kPrefix)) return false;
  key.remove_prefix(kPrefix.size());
  const std::size_t last = key.rfind(':');
  if (last == std::string_view::npos || last + 1 == key.size()) return false;
  const std::string_view head = key.substr(0, last);  // "<p>:<m>", no spaces, p non-empty
  if (head.find(' ') != std::string_view::npos) return false;
  return head.find(':', 1) != std::string_view::npos;
}

// legacy_paren: ^(.+?) session \((\d+)\)$ ('.' excludes '\n' as in Go's RE2)
bool legacy_paren(std::string_view key) noexcept {
  constexpr std::string_view kMiddle = " session (";
  if (!key.ends_with(')')) return false;
  key.remove_suffix(1);
  std::size_t digits = 0;
  while (digits < key.size() && is_digit(key[key.size() - 1 - digits])) ++digits;
  if (digits == 0) return false;
  key.remove_suffix(digits);
  if (!key.ends_with(kMiddle)) return false;
  key.remove_suffix(kMiddle.size());
  return !key.empty() && key.find('\n') == std::string_view::npos;
}

}  // namespace

Result<std::string> format_session_key(const SessionKey& key) {
  if (key.type.empty() || key.type.find(',') != std::string::npos || key.profile.empty() ||
      key.expiry_unix < 0) {
    return Error(Errc::Parse, "session key: invalid type, profile or expiry");
  }
  std::string out = session_key_prefix(key.type, key.profile, key.mfa_serial);
  out += std::to_string(key.expiry_unix);
  if (out.size() > limits::kMaxKeyringKeyBytes) {
    return Error(Errc::TooLarge, "session key: longer than the limit");
  }
  return out;
}

std::string session_key_prefix(std::string_view type, std::string_view profile,
                               std::string_view mfa_serial) {
  std::string out(type);
  out += ',';
  out += encode_raw_url(profile);
  out += ',';
  out += encode_raw_url(mfa_serial);
  out += ',';
  return out;
}

Result<SessionKey> parse_session_key(std::string_view key) {
  if (key.size() > limits::kMaxKeyringKeyBytes) {
    return Error(Errc::TooLarge, "session key: longer than the limit");
  }
  auto fields = split_fields<4>(key);
  if (!fields || (*fields)[0].empty() || (*fields)[1].empty()) {
    return Error(Errc::Parse, "session key: not four comma-separated fields");
  }
  auto profile = decode_go_raw_url((*fields)[1]);
  auto serial = decode_go_raw_url((*fields)[2]);
  if (!profile || !serial) return Error(Errc::Parse, "session key: field is not base64url");
  AV_TRY_ASSIGN(std::int64_t expiry, parse_expiry((*fields)[3]));
  return SessionKey{std::string((*fields)[0]), std::move(*profile), std::move(*serial), expiry};
}

bool is_legacy_session_key(std::string_view key) noexcept {
  return legacy_comma(key) || legacy_colon(key) || legacy_paren(key);
}

std::string oidc_token_key(std::string_view start_url) {
  std::string out(kOidcKeyPrefix);
  out += start_url;
  return out;
}

std::optional<std::string_view> oidc_start_url(std::string_view key) noexcept {
  if (!key.starts_with(kOidcKeyPrefix)) return std::nullopt;
  return key.substr(kOidcKeyPrefix.size());
}

KeyKind classify_key(std::string_view key) noexcept {
  if (key.starts_with(kOidcKeyPrefix)) return KeyKind::OidcToken;
  if (is_legacy_session_key(key)) return KeyKind::LegacySession;
  if (parse_session_key(key)) return KeyKind::Session;
  return KeyKind::Credential;
}

std::vector<std::string> credential_keys(const std::vector<std::string>& keys) {
  std::vector<std::string> out;
  for (const std::string& key : keys) {
    if (classify_key(key) == KeyKind::Credential) out.push_back(key);
  }
  return out;
}

std::string credentials_label(std::string_view profile) {
  std::string out = "aws-vault (";
  out += profile;
  out += ')';
  return out;
}

}  // namespace av::keyring
