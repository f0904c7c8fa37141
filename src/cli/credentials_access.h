// credentials_access.h: what the commands that hand out credentials (exec, export; later login)
// share on top of the Context: the MFA prompt driver choice (spec §1.7), the base config built
// from their flags (§2.5, §3.5), the profile existence guard (§2.0), profile resolution, the
// chain options (§4.2, §4.5) and one call into the credential chain (§4) with the real services
// (keyring, HTTP client, STS over the Query protocol, MFA source) or the Context's test seam.
//
//   AV_TRY(check_profile_exists(config, *ring, name));
//   AV_TRY_ASSIGN(config::BaseConfig base, base_config(in, driver));
//   AV_TRY_ASSIGN(config::ResolvedProfile profile, resolve_for_command(config, name, base, env));
//   auto issued = retrieve_credentials(in, *ring, config, profile, chain_options(in));
//   if (!issued) return credentials_error(std::move(issued).error(), name, ErrorWording::Export);
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "cli/command_table.h"
#include "config/aws_config.h"
#include "config/profile_resolver.h"
#include "keyring/keyring.h"
#include "net/http_client.h"
#include "platform/env.h"
#include "secure/secret.h"
#include "vault/vault.h"

namespace av::cli {

// choose_prompt_driver returns `given` (the validated --prompt / AWS_VAULT_PROMPT) when not
// empty; else "terminal", unless stdout is not a terminal or `avoid_terminal` (exec with a
// server flag), in which case the first driver of the sorted `available` list that is not
// "terminal" (still "terminal" when there is none). Pure.
std::string choose_prompt_driver(std::string_view given, std::span<const std::string> available,
                                 bool stdout_is_terminal, bool avoid_terminal);

// prompt_driver_for runs choose_prompt_driver for this invocation (the drivers found on PATH,
// the real stdout) and writes the debug line `Using prompt driver: <name>`.
std::string prompt_driver_for(const Invocation& in, bool avoid_terminal);

// base_config maps the flags of exec/export onto a BaseConfig: --region, --mfa-token (secret),
// `prompt_driver`, --duration (or AWS_VAULT_DURATION; zero means unset) onto the assume-role and
// both GetSessionToken durations, --stdout. Errc::Parse for a duration the parser let through
// (it validates them first, so only on a bug).
Result<config::BaseConfig> base_config(const Invocation& in, std::string prompt_driver);

// check_profile_exists is the existence guard of spec §2.0: ok when `config` has a section for
// `name` or the keyring holds long-term credentials under exactly `name`. Otherwise
// Errc::NotFound `profile 'NAME' not found in ~/.aws/config and no stored credentials exist for
// it` (the name escaped for a terminal); keyring listing errors are returned as they are.
Status check_profile_exists(const config::AwsConfig& config, keyring::Keyring& ring,
                            std::string_view name);

// resolve_for_command resolves `name` (spec §3.5) with the environment variables of
// `env`, writes the resolver's notes to the debug log, and wraps failures as
// `Error loading config: <err>` (same Errc).
Result<config::ResolvedProfile> resolve_for_command(const config::AwsConfig& config,
                                                    std::string_view name,
                                                    const config::BaseConfig& base,
                                                    const platform::Environment& env);

// chain_options: sessions disabled by --no-session (when the command has that flag) and the
// cache window from AWS_MIN_TTL (Go duration syntax; unset, empty or invalid means 5m, §4.5).
vault::ChainOptions chain_options(const Invocation& in);

// ca_bundle_for returns the PEM bundle path for AWS calls: AWS_CA_BUNDLE when not empty, else the
// `ca_bundle` key of the target profile's own section, else "" (the system store). This is ours:
// upstream reads neither (docs/COMPATIBILITY.md).
std::string ca_bundle_for(const config::AwsConfig& config, std::string_view profile,
                          const platform::Environment& env);

// retrieve_credentials runs the credential chain once for `profile`: through
// in.ctx.get_credentials when a test set it, else vault::get_credentials with `ring`, a real
// HTTP client (ca_bundle_for), an aws::QueryClient, the Context's clock and environment,
// vault::make_mfa_source and sso_services. Returns the chain's error unchanged (callers add the
// command's wording with credentials_error), or the HTTP client's CA bundle error.
Result<vault::Issued> retrieve_credentials(const Invocation& in, keyring::Keyring& ring,
                                           const config::AwsConfig& config,
                                           const config::ResolvedProfile& profile,
                                           const vault::ChainOptions& options);

// sso_services: what SSO sign-in uses in a command (spec §10): `http`, the system random
// source, sign-in instructions on in.ctx.err, and platform::open_url with a copy of the
// environment (it may run on after the call, see vault::SsoServices). Borrows `in` and `http`.
vault::SsoServices sso_services(const Invocation& in, net::HttpClient& http);

// sync_aws_cli_sso_cache is exec --profile-env's step after a successful retrieval (spec §6.1,
// §10.4): for a profile with an SSO start URL, copy the keyring's OIDC token into the AWS CLI's
// SSO cache; a failure is only logged (`Warning: failed to sync OIDC token to standard cache:
// <err>`).
void sync_aws_cli_sso_cache(const Invocation& in, keyring::Keyring& ring,
                            const config::ResolvedProfile& profile);

// ErrorWording: how a command words a failed retrieval (spec §2.6, §6.1).
enum class ErrorWording : std::uint8_t {
  Standard,    // `Failed to get credentials for NAME: <err>` (export, exec)
  ProfileEnv,  // `failed to get credentials for NAME: <err>` (exec --profile-env)
};

// credentials_error words a retrieve_credentials failure for profile `name`, keeping the Errc and
// AWS error code. A missing credential item (`profile X: credentials missing`, upstream's
// provider-construction error) becomes `Error getting temporary credentials: <err>` instead.
Error credentials_error(Error error, std::string_view name, ErrorWording wording);

// mfa_prompt_needed reports whether fetching credentials for `profile` could ask the prompt
// driver for an MFA code: some record of its source chain has an MFA serial but neither
// --mfa-token nor an mfa_process. (exec refuses a server with the terminal driver only then;
// upstream refuses whenever the driver is terminal, quirk A.4.)
bool mfa_prompt_needed(const config::ResolvedProfile& profile) noexcept;

// ExportFormat: the --format values of export (spec §2.6); exec --json is Json.
enum class ExportFormat : std::uint8_t { Env, ExportEnv, Json, Ini };

// export_format_named maps "env", "export-env", "json", "ini" (the parser's enum guarantees one
// of them); anything else is Env.
ExportFormat export_format_named(std::string_view name) noexcept;

// format_credentials renders `issued` in `format` exactly as spec §2.6 lays them out (final
// newline included), in locked memory: `profile` names the ini section, `region` adds the region
// lines when not empty, the expiry (RFC 3339, UTC) appears only when issued.can_expire.
// Errc::TooLarge when a value is too large for the output bound (on a bug only).
Result<secure::SecretString> format_credentials(ExportFormat format, std::string_view profile,
                                                const vault::Issued& issued,
                                                std::string_view region);

// kNestedExportMessage: export's (and exec --json's) nested-session refusal (spec §6.2).
inline constexpr std::string_view kNestedExportMessage =
    "in an existing aws-vault subshell; 'exit' from the subshell or unset AWS_VAULT to force";

// export_profile is export's sequence after the picker (spec §2.6), shared with exec --json:
// AWS_VAULT guard (Errc::Unsupported kNestedExportMessage), existence guard, resolution with
// `base`, one retrieval (sessions per --no-session, cache on), then the formatted credentials
// on in.ctx.out. Errors as the functions above, retrieval failures worded Standard.
Status export_profile(const Invocation& in, const config::AwsConfig& config,
                      keyring::Keyring& ring, std::string_view name,
                      const config::BaseConfig& base, ExportFormat format);

}  // namespace av::cli
