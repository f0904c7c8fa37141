// sso.h (internal to vault/): SSO role credentials (spec §10): an OIDC access token from the
// keyring, refreshed, or from a new sign-in, then the portal's GetRoleCredentials.
//
// Differences from upstream (docs/COMPATIBILITY.md):
// * Sign-in is the browser redirect with PKCE (RFC 7636, RFC 8252 loopback redirect), as the AWS
//   CLI does since 2.22; the device-code flow (RFC 8628) remains behind
//   ChainOptions::sso_use_device_code. Its polling honours slow_down (5 s more, keep polling)
//   and stops when the device code expires.
// * The client registration is kept in the token's keyring item (vault/oidc_cache.h) and reused
//   until it expires; scopes are sso_registration_scopes (default `sso:account:access`), so AWS
//   issues refresh tokens, which are stored and used before the access token runs out.
// * A sign-in or refresh holds a lock keyed on the start URL (vault/single_flight.h), and the
//   keyring is read again once it is held: parallel processes open one browser tab.
//
// The loopback listener binds 127.0.0.1 on an ephemeral port, accepts only
// `GET /oauth/callback` whose `state` equals ours (compared in constant time), reads at most
// limits::kMaxSsoCallbackRequestBytes per request, and gives up after
// ChainOptions::sso_callback_timeout. The authorization code goes from the socket into locked
// memory and is never logged.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "base/result.h"
#include "config/profile_resolver.h"
#include "secure/secret.h"
#include "vault/vault.h"

namespace av::vault::detail {

// sso_role_credentials returns role credentials for `r` (which has an SSO start URL): spec §10.2
// steps 2-4 (the role-credential cache around it is run_providers' job). With
// options.cache_disabled the OIDC token is neither read from nor stored in the keyring.
// Errors: Errc::Internal without services.sso; endpoint errors (Errc::Config); keyring and lock
// errors; SSO-OIDC and portal errors (Errc::AwsApi with api_code(), Errc::Network, Errc::Parse);
// Errc::AuthFailed when the redirect's state does not match or the sign-in fails in the browser;
// Errc::Cancelled when the user denies access; Errc::Network when the browser never comes back
// within the callback timeout; Errc::AuthFailed when the device code expires unapproved.
[[nodiscard]] Result<aws::Credentials> sso_role_credentials(const config::ResolvedProfile& r,
                                                            Services& services,
                                                            const ChainOptions& options);

// registration_scopes reads sso_registration_scopes: comma-separated, each entry trimmed,
// empty entries dropped (as the AWS CLI reads it); {"sso:account:access"} when none remain.
// At most limits::kMaxOidcScopes entries are kept.
std::vector<std::string> registration_scopes(std::string_view text);

// CallbackRequest: what the browser's redirect to the loopback listener carries.
struct CallbackRequest {
  std::string path;                  // the request target before '?', not decoded
  std::optional<std::string> state;  // decoded; nullopt when absent
  std::string error;                 // decoded OAuth error code, "" when absent
  std::string error_description;     // decoded, "" when absent
  secure::SecretString code;         // decoded authorization code, empty when absent
};

// parse_callback_request reads the head of one HTTP request (request line, headers, blank line;
// only the request line is interpreted): `GET <target> HTTP/1.1` (or 1.0), the target starting
// with '/', its query split on '&' into name=value pairs decoded as
// application/x-www-form-urlencoded. Unknown parameters are ignored. Errors (Errc::Parse, naming
// what): a method other than GET, a malformed request line or version, a target not starting
// with '/', a bad %-escape, a repeated code/state/error/error_description; Errc::TooLarge
// beyond limits::kMaxSsoCallbackRequestBytes. Pure.
[[nodiscard]] Result<CallbackRequest> parse_callback_request(std::string_view head);

}  // namespace av::vault::detail
