// vault.h: aws-vault's credential chain (spec §4): from a resolved profile to the credentials a
// command exposes, choosing providers exactly as §4.2 describes, caching sessions in the keyring
// (§4.4, keys of §5.3), and making sure many processes that need the same missing session at once
// share one STS call and one MFA prompt (single flight).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "aws/query.h"
#include "base/result.h"
#include "config/profile_resolver.h"
#include "keyring/keyring.h"
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
};

// Services: everything the chain talks to. Borrowed for the call.
struct Services {
  keyring::Keyring& keyring;
  aws::QueryClient& query;
  const platform::Clock& clock;
  const platform::Environment& env;
  MfaTokenSource& mfa;
};

// Issued: the credentials for the target profile and how they were obtained.
struct Issued {
  aws::Credentials credentials;
  bool can_expire = false;        // false only for stored long-term keys (--no-session)
  std::vector<std::string> calls;  // STS operations made, in order ("GetSessionToken", ...)
};

// get_credentials runs the chain for `target`. Errors: `profile <name>: credentials missing`,
// keyring errors, `Invalid data in keyring: <err>`, STS errors (Errc::AwsApi), MFA source errors,
// external command errors, Errc::Unsupported "SSO is not supported yet" for SSO profiles (the SSO
// issue plugs in here), lock timeouts (Errc::Io naming the lock). Nothing is cached on failure.
[[nodiscard]] Result<Issued> get_credentials(const config::ResolvedProfile& target,
                                             Services& services, const ChainOptions& options);

}  // namespace av::vault
