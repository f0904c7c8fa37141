// oidc_cache.h: where SSO sign-in results are kept (spec §5.4, §10.4).
//
// The keyring item `oidc:<start URL>` holds upstream's JSON, so the Go aws-vault reads what we
// write, plus one member it ignores: our cached OIDC client registration, so that a sign-in
// reuses it until it expires instead of registering a client every time:
//
//   {"Token":{"AccessToken":"..","ExpiresIn":28800,"IdToken":null,"RefreshToken":"..",
//             "TokenType":"Bearer","ResultMetadata":{}},
//    "Expiration":"2024-05-01T20:00:00Z",
//    "Client":{"ClientId":"..","ClientSecret":"..","ExpiresAt":"2024-07-30T12:00:00Z",
//              "Region":"eu-west-1","Scopes":["sso:account:access"],
//              "GrantTypes":["authorization_code","refresh_token"]}}
//
// Items the Go tool wrote (no Client, RefreshToken null) are read the same way. Member names
// match case-insensitively and unknown members are ignored, as Go's encoding/json does.
//
// The AWS CLI's token cache (`~/.aws/sso/cache/<sha1>.json`) is only written, for
// `exec --profile-env` (spec §10.4); aws-vault never reads it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/sso.h"
#include "base/result.h"
#include "config/profile_resolver.h"
#include "keyring/keyring.h"
#include "platform/clock.h"
#include "platform/env.h"
#include "secure/secret.h"

namespace av::vault {

// CachedOidcClient: a client registration and what it was registered for; reused only for the
// same region, scopes and a grant its grant types allow.
struct CachedOidcClient {
  aws::OidcClient client;
  std::string region;                    // the sso_region whose SSO-OIDC issued it
  std::vector<std::string> scopes;       // as registered (at most limits::kMaxOidcScopes)
  std::vector<std::string> grant_types;  // as registered; empty for a device-flow client
};

// OidcItem: the decoded keyring item. `expiration` is when the access token expires.
struct OidcItem {
  aws::OidcToken token;
  std::chrono::system_clock::time_point expiration;
  std::optional<CachedOidcClient> client;
};

// parse_oidc_item reads the item JSON (file comment). Errors, all "oidc item: ...": the JSON
// reader's (Errc::Parse/Truncated/TooLarge: malformed, duplicate keys, past its limits),
// Errc::Parse for a document that is not an object, a missing or null Token, a Token that is
// not an object, a member of the wrong type, an empty AccessToken, an ExpiresIn outside int32,
// a missing or non-RFC 3339 Expiration, a Client that is not an object or lacks ClientId,
// ClientSecret or a valid ExpiresAt, and a Scopes/GrantTypes that is not an array of strings;
// Errc::TooLarge for more than kMaxOidcScopes scopes or grant types. Secrets never appear in
// messages and never pass through std::string.
[[nodiscard]] Result<OidcItem> parse_oidc_item(std::string_view json);

// serialize_oidc_item writes the item compactly in the member order of the file comment
// (empty strings as null; Expiration and ExpiresAt RFC 3339 UTC with nanoseconds when not
// whole; Client only when present), in locked memory. Errc::TooLarge past
// limits::kMaxSecretItemBytes. parse_oidc_item reads it back to an equal item.
[[nodiscard]] Result<secure::SecretString> serialize_oidc_item(const OidcItem& item);

// oidc_item_label is `aws-vault oidc token for <start URL> (expires <RFC 3339, UTC>)`.
std::string oidc_item_label(std::string_view start_url,
                            std::chrono::system_clock::time_point expiration);

// OidcTokenStore: the items of one keyring. Borrows the keyring. Not thread-safe.
class OidcTokenStore {
 public:
  explicit OidcTokenStore(keyring::Keyring& keyring) noexcept : keyring_(keyring) {}

  // load returns the item for `start_url` whatever its expiry, or nullopt when there is none or
  // it does not decode (then a debug line says so; the item is left in place). Errors: the
  // keyring's, other than not-found.
  [[nodiscard]] Result<std::optional<OidcItem>> load(std::string_view start_url);
  // store writes `item` under `oidc:<start_url>` with the label above, description
  // `aws-vault oidc token` and KeychainNotTrustApplication false. Errors: the keyring's and
  // serialize_oidc_item's.
  [[nodiscard]] Status store(std::string_view start_url, const OidcItem& item);
  // remove deletes the item; a missing item is not an error.
  [[nodiscard]] Status remove(std::string_view start_url);

 private:
  keyring::Keyring& keyring_;
};

// aws_cli_sso_cache_path is `<home>/.aws/sso/cache/<sha1-hex(key)>.json` where key is the
// profile's sso_session when set, else its start URL (spec §10.4). Errors: platform::home_dir's.
[[nodiscard]] Result<std::string> aws_cli_sso_cache_path(const config::ResolvedProfile& profile,
                                                         const platform::Environment& env);

// serialize_aws_cli_sso_cache renders `{"accessToken":..,"expiresAt":..,"refreshToken":..}`
// (refreshToken only when present; expiresAt = now + the whole seconds left, RFC 3339 UTC).
[[nodiscard]] Result<secure::SecretString> serialize_aws_cli_sso_cache(
    const OidcItem& item, std::chrono::system_clock::time_point now);

// write_aws_cli_sso_cache copies the keyring's OIDC token for `profile` (which has a start URL)
// into the AWS CLI's cache file (spec §10.4): the cache directory is created 0700 if missing
// (an existing one keeps its mode); the file is replaced atomically with mode 0600. Errors:
// Errc::NotFound `OIDC token not found in keyring for <url>: <reason>` when the item is
// missing, undecodable or expired; keyring, home directory and file errors. exec only logs them.
[[nodiscard]] Status write_aws_cli_sso_cache(keyring::Keyring& keyring,
                                             const config::ResolvedProfile& profile,
                                             const platform::Environment& env,
                                             const platform::Clock& clock);

}  // namespace av::vault
