// keys.h: the keys aws-vault stores under, and how `list` / `clear` classify them
// (spec cli.md §5.1-5.4, backends.md §1.8). Pure functions, no I/O.
//
//   long-term credentials   <profile>                                   (verbatim)
//   cached session          <type>,<b64(profile)>,<b64(serial)>,<unix expiry>
//                           b64 = base64url without padding of the UTF-8 bytes
//   OIDC token              oidc:<sso start URL>                        (verbatim)
//   legacy sessions         session,<b64>,<b64>,<2+ digits> | session:<p>:<m>:<exp> |
//                           <name> session (<digits>)                   (deleted on sight)
//
// Session-key fields are decoded the way Go's base64.RawURLEncoding does (upstream's decoder):
// '\r' and '\n' are skipped and non-zero unused bits in the last character are accepted, so that
// keys upstream recognises (e.g. `GetSessionToken,my-profile,,9999999999`) are recognised here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace av::keyring {

// The session types upstream writes (the first field of a session key).
inline constexpr std::string_view kSessionTypeGetSessionToken = "sts.GetSessionToken";
inline constexpr std::string_view kSessionTypeAssumeRole = "sts.AssumeRole";
inline constexpr std::string_view kSessionTypeAssumeRoleWithWebIdentity =
    "sts.AssumeRoleWithWebIdentity";
inline constexpr std::string_view kSessionTypeSsoGetRoleCredentials = "sso.GetRoleCredentials";
inline constexpr std::string_view kSessionTypeCredentialProcess = "credential_process";
// The prefix of OIDC token keys.
inline constexpr std::string_view kOidcKeyPrefix = "oidc:";

// SessionKey: a decoded current-format session key. `type` is any comma-free text (upstream
// recognises keys by shape, not by a known type); `mfa_serial` holds the SSO start URL for
// sso.GetRoleCredentials and is empty where no serial applies.
struct SessionKey {
  std::string type;
  std::string profile;
  std::string mfa_serial;
  std::int64_t expiry_unix = 0;  // seconds since the Unix epoch, >= 0
};

// format_session_key builds the key for `key` (type, base64url profile and serial, expiry).
// Errc::Parse if type is empty or contains ',' or expiry_unix < 0 or the profile is empty;
// Errc::TooLarge if the result exceeds limits::kMaxKeyringKeyBytes.
[[nodiscard]] Result<std::string> format_session_key(const SessionKey& key);

// session_key_prefix is `<type>,<b64(profile)>,<b64(serial)>,` (lookup ignoring the expiry).
std::string session_key_prefix(std::string_view type, std::string_view profile,
                               std::string_view mfa_serial);

// parse_session_key decodes a current-format key: exactly four comma-separated fields, a
// non-empty type, a non-empty base64url profile field, a possibly empty serial field, and decimal
// digits for the expiry. Errc::Parse for any other shape (legacy keys included: callers classify
// first), Errc::TooLarge over limits::kMaxKeyringKeyBytes or an expiry beyond int64.
[[nodiscard]] Result<SessionKey> parse_session_key(std::string_view key);

// is_legacy_session_key reports whether `key` has one of the three pre-v6 shapes above.
bool is_legacy_session_key(std::string_view key) noexcept;

// oidc_token_key is `oidc:<start_url>`.
std::string oidc_token_key(std::string_view start_url);
// oidc_start_url returns the URL of an OIDC token key (prefix removed), or nullopt.
std::optional<std::string_view> oidc_start_url(std::string_view key) noexcept;

// KeyKind: what a keyring key is, checked in this order: OIDC prefix, legacy session shapes,
// current session key, otherwise a long-term credential (so `foo session (1)` is never listed as
// a credential, as upstream).
enum class KeyKind : std::uint8_t { OidcToken, LegacySession, Session, Credential };

// classify_key applies the order above; keys over limits::kMaxKeyringKeyBytes that match no
// cheaper rule are Credential.
KeyKind classify_key(std::string_view key) noexcept;

// credential_keys keeps the Credential keys of `keys` in their order (list --credentials).
std::vector<std::string> credential_keys(const std::vector<std::string>& keys);

// credentials_label is `aws-vault (<profile>)`, the Label of a long-term credential item.
std::string credentials_label(std::string_view profile);

}  // namespace av::keyring
