// providers.h (internal to vault/): the provider tree of spec §4.2 and its execution (§4.3).
//
// plan_providers turns a resolved profile into a tree of ProviderNodes exactly as upstream's
// selection does (stored keys, GetSessionToken priming, chained MFA, the 1 h role-chaining cap,
// keeps_full_duration, which providers are cached). run_providers then walks it from the root:
// cached nodes consult the session cache, take the single-flight lock, consult it again, and only
// then call their source and STS.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/profile_resolver.h"
#include "vault/vault.h"

namespace av::vault::detail {

enum class ProviderKind : std::uint8_t {
  Master,             // long-term keys from the keyring
  SessionToken,       // sts:GetSessionToken
  AssumeRole,         // sts:AssumeRole
  WebIdentity,        // sts:AssumeRoleWithWebIdentity
  CredentialProcess,  // credential_process
  Sso,                // SSO role credentials (not implemented yet)
};

// ProviderNode: one provider. `profile` is borrowed from the target's resolved tree.
struct ProviderNode {
  ProviderKind kind = ProviderKind::Master;
  const config::ResolvedProfile* profile = nullptr;
  std::string mfa_serial;                // serial sent (after chained-MFA clearing); "" = none
  std::chrono::nanoseconds duration{0};  // DurationSeconds (after the role-chaining cap)
  std::string_view cache_type;           // keyring::kSessionType...; empty = not cached
  std::string cache_serial;              // the cache key's serial field
  std::unique_ptr<ProviderNode> source;  // SessionToken and AssumeRole only
};

// plan_providers selects the providers for `target` (spec §4.2). `keyring_keys` are the keys the
// keyring holds (a profile has stored credentials when its name is one of them, exactly).
// Errors: Errc::NotFound `profile <name>: credentials missing`. Logs the selection lines of §4.2.
[[nodiscard]] Result<std::unique_ptr<ProviderNode>> plan_providers(
    const config::ResolvedProfile& target, const std::vector<std::string>& keyring_keys,
    const ChainOptions& options);

// run_providers retrieves the root's credentials (spec §4.3, §4.4, single flight). Errors as
// get_credentials in vault.h. Nothing is cached for a provider that failed.
[[nodiscard]] Result<Issued> run_providers(const ProviderNode& root, Services& services,
                                           const ChainOptions& options);

}  // namespace av::vault::detail
