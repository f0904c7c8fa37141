// vault.h: aws-vault's credential chain (spec §4): from a resolved profile to the credentials a
// command exposes, choosing providers exactly as §4.2 describes, caching sessions in the keyring
// (§4.4, keys of §5.3), and making sure many processes that need the same missing session at once
// share one STS call and one MFA prompt (single flight). SSO profiles sign in to IAM Identity
// Center (§10, vault/sso.h) through the extra services of SsoServices.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/query.h"
#include "base/result.h"
#include "config/profile_resolver.h"
#include "crypto/random.h"
#include "keyring/keyring.h"
#include "net/http_client.h"
#include "platform/clock.h"
#include "platform/env.h"
#include "vault/mfa.h"

namespace av::vault {

// ChainOptions: the per-command switches of §4.2.
struct ChainOptions {
  bool sessions_disabled = false;         // --no-session
  bool cache_disabled = false;            // rotate only
  std::string sessions_disabled_for_profile;  // login only: the target's name
  std::chrono::nanoseconds min_ttl = std::chrono::minutes(5);  // AWS_MIN_TTL (§4.5)
  // lock_dir: where single-flight lock files live ("" = $XDG_RUNTIME_DIR/aws-vault, else
  // ~/.awsvault/locks); lock_timeout bounds the wait for another process's refresh.
  std::string lock_dir;
  std::chrono::seconds lock_timeout{std::chrono::minutes(5)};
  // SSO sign-in (§10, ours): the device-code flow instead of the browser redirect with PKCE
  // (--use-device-code / AWS_VAULT_SSO_DEVICE_CODE), and how long the redirect listener waits
  // for the browser. Printing the URL instead of opening a browser is the profile's
  // sso_use_stdout (--stdout).
  bool sso_use_device_code = false;
  std::chrono::milliseconds sso_callback_timeout{std::chrono::minutes(5)};
};

// SsoServices: what signing in to SSO needs beyond Services (spec §10). Borrowed for the call,
// except `open_browser`, which is copied to a thread that may outlive the call (a browser
// started as the first instance blocks until it is closed): it must own what it captures.
struct SsoServices {
  net::HttpClient& http;         // SSO-OIDC and the SSO portal (REST-JSON, unsigned)
  crypto::RandomSource& random;  // PKCE verifier and state
  // tell_user shows the sign-in instructions (the CLI writes them to stderr).
  std::function<void(std::string_view text)> tell_user;
  // open_browser opens `url` in the user's browser (the CLI: platform::open_url); its failure
  // is only logged.
  std::function<Status(std::string_view url)> open_browser;
  // sleep waits between device-flow polls (tests advance a fake clock instead).
  std::function<void(std::chrono::milliseconds)> sleep;
};

// Services: everything the chain talks to. Borrowed for the call.
struct Services {
  keyring::Keyring& keyring;
  aws::QueryClient& query;
  const platform::Clock& clock;
  const platform::Environment& env;
  MfaTokenSource& mfa;
  // sso: needed only by SSO profiles; without it they fail with Errc::Internal.
  SsoServices* sso = nullptr;
};

// Issued: the credentials for the target profile and how they were obtained.
struct Issued {
  aws::Credentials credentials;
  bool can_expire = false;        // false only for stored long-term keys (--no-session)
  std::vector<std::string> calls;  // AWS operations made, in order ("GetSessionToken", ...,
                                   // "GetRoleCredentials" for SSO)
};

// service_display_name is the SDK's name of `service` in error messages ("STS", "IAM", "SSO",
// "SSO OIDC").
std::string_view service_display_name(aws::Service service) noexcept;

// service_endpoint resolves where `profile`'s STS, IAM or SSO calls go (spec §4.6: the
// AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL overrides, the profile's endpoint_url, regional
// or legacy STS; SSO and SSO-OIDC use sso_region), with the SDK's error wording "operation error
// <service>: <operation>, failed to resolve service endpoint, ..." (login, rotate and the SSO
// provider use it for their own calls).
[[nodiscard]] Result<aws::Endpoint> service_endpoint(aws::Service service,
                                                     const config::ResolvedProfile& profile,
                                                     const platform::Environment& env,
                                                     std::string_view operation);

// sts_endpoint is service_endpoint for STS plus the chain's debug lines about custom and legacy
// endpoints (the exec servers' /role-arn/ AssumeRole uses it too).
[[nodiscard]] Result<aws::Endpoint> sts_endpoint(const config::ResolvedProfile& profile,
                                                 const platform::Environment& env,
                                                 std::string_view action);

// get_credentials runs the chain for `target`. Errors: `profile <name>: credentials missing`,
// keyring errors, `Invalid data in keyring: <err>`, STS errors (Errc::AwsApi), MFA source errors,
// external command errors, SSO errors (vault/sso.h), lock timeouts (Errc::Io naming the lock).
// Nothing is cached on failure.
[[nodiscard]] Result<Issued> get_credentials(const config::ResolvedProfile& target,
                                             Services& services, const ChainOptions& options);

}  // namespace av::vault
