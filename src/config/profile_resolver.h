// profile_resolver.h: resolving a profile into the record every credential provider reads
// (spec cli.md §3.5 and §4.1).
//
// resolve_profile is pure: the config model, the flag values (BaseConfig) and the environment
// (ConfigEnvironment, filled by the CLI through a lookup callable) come in as arguments, and the
// debug lines of spec §1.4 (`Profile 'x' missing in config file`, ...) come back as notes for the
// caller to log. Decisions that differ from upstream are listed in docs/COMPATIBILITY.md:
// source_profile and include_profile cycles are errors naming the cycle, a `duration_seconds`
// that is not a whole number of seconds is an error naming its line, and a profile's own inline
// sso_start_url is not overridden by an sso_session inherited from another section.
//
//   const auto env = config::read_config_environment(lookup);
//   AV_TRY_ASSIGN(auto resolution, config::resolve_profile(config, "dev", base, env));
//   for (const auto& note : resolution.notes) log::debug(note);
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/aws_config.h"
#include "config/session_tags.h"
#include "secure/secret.h"

namespace av::config {

// ProfileDurations: the four STS durations of spec §4.1; zero means "not set yet".
struct ProfileDurations {
  std::chrono::nanoseconds assume_role{0};
  std::chrono::nanoseconds non_chained_session_token{0};
  std::chrono::nanoseconds chained_session_token{0};
  std::chrono::nanoseconds federation_token{0};
};

// BaseConfig: what the command line contributes before the environment and the file (spec §3.5
// "base config"). Flags win over everything, so set only the fields the user gave. The CLI maps
// --duration to the three session durations and `login --duration` to federation_token.
struct BaseConfig {
  std::string region;              // --region
  secure::SecretString mfa_token;  // --mfa-token (an MFA code: secret)
  std::string prompt_driver;       // --prompt
  ProfileDurations durations;      // --duration / AWS_VAULT_DURATION
  bool sso_use_stdout = false;     // --stdout: print the SSO URL instead of opening a browser
};

// ConfigEnvironment: the environment variables profile resolution reads (spec §1.9, §3.5 step 2);
// an empty string means unset, as upstream treats empty variables.
struct ConfigEnvironment {
  std::string aws_region;                     // AWS_REGION
  std::string aws_default_region;             // AWS_DEFAULT_REGION
  std::string aws_sts_regional_endpoints;     // AWS_STS_REGIONAL_ENDPOINTS
  std::string aws_endpoint_url;               // AWS_ENDPOINT_URL
  std::string aws_mfa_serial;                 // AWS_MFA_SERIAL
  std::string aws_role_arn;                   // AWS_ROLE_ARN (target only)
  std::string aws_role_session_name;          // AWS_ROLE_SESSION_NAME (target only)
  std::string aws_session_tags;               // AWS_SESSION_TAGS (target only)
  std::string aws_transitive_tags;            // AWS_TRANSITIVE_TAGS (target only)
  std::string aws_source_identity;            // AWS_SOURCE_IDENTITY (target only)
  std::string aws_assume_role_ttl;            // AWS_ASSUME_ROLE_TTL (Go duration)
  std::string aws_session_token_ttl;          // AWS_SESSION_TOKEN_TTL
  std::string aws_chained_session_token_ttl;  // AWS_CHAINED_SESSION_TOKEN_TTL
  std::string aws_federation_token_ttl;       // AWS_FEDERATION_TOKEN_TTL
};

// EnvLookup returns a variable's value, or nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// read_config_environment fills a ConfigEnvironment by calling `lookup` once per variable name
// above. Total.
ConfigEnvironment read_config_environment(const EnvLookup& lookup);

// ResolvedProfile: the resolved profile record of spec §4.1. Move-only (it owns its source chain
// and a secret). Strings are empty when unset.
struct ResolvedProfile {
  std::string name;
  std::string source_profile_name;
  std::unique_ptr<ResolvedProfile> source;  // the resolved source_profile, if any
  std::string chained_from;  // the profile this record is the source of ("" for the target)
  std::vector<std::string> walked;  // profiles whose sections were read, in walk order
  std::string region;
  std::string sts_regional_endpoints;
  std::string endpoint_url;
  std::string mfa_serial;
  secure::SecretString mfa_token;
  std::string prompt_driver;
  std::string mfa_process;
  std::string role_arn;
  std::string role_session_name;
  std::string external_id;
  std::string web_identity_token_file;
  std::string web_identity_token_process;
  ProfileDurations durations;  // all non-zero after resolution (defaults of §3.5 step 4)
  std::string sso_session;
  std::string sso_start_url;
  std::string sso_region;
  std::string sso_registration_scopes;
  std::string sso_account_id;
  std::string sso_role_name;
  bool sso_use_stdout = false;
  SessionTags session_tags;
  std::vector<std::string> transitive_session_tags;
  std::string source_identity;
  std::string credential_process;

  // The derived predicates of spec §4.1.
  bool is_chained() const noexcept { return !chained_from.empty(); }
  bool has_role() const noexcept { return !role_arn.empty(); }
  bool has_mfa() const noexcept { return !mfa_serial.empty(); }
  bool has_sso() const noexcept { return !sso_start_url.empty(); }
  bool has_web_identity() const noexcept {
    return !web_identity_token_file.empty() || !web_identity_token_process.empty();
  }
  // session_token_duration is the chained duration when is_chained(), else the non-chained one.
  std::chrono::nanoseconds session_token_duration() const noexcept {
    return is_chained() ? durations.chained_session_token : durations.non_chained_session_token;
  }
};

// Resolution: a resolved target profile plus the debug notes produced on the way (unescaped
// names already escaped for a terminal).
struct Resolution {
  ResolvedProfile profile;
  std::vector<std::string> notes;
};

// resolve_profile resolves `target` (spec §3.5): base config, then environment, then the walk
// over the profile's section, its include_profile chain and [default], then default durations,
// then its source_profile chain (each link resolved the same way and linked through `source`).
// A profile without a section resolves from [default] (the CLI checks existence first, §2.0).
// Errors, all `<path>:<line>: <message>` from the key's line:
//   Errc::Config   `profile cycle: a -> b -> a` (source_profile or include_profile), an invalid
//                  duration_seconds, malformed session_tags; `failed to parse AWS_SESSION_TAGS
//                  environment variable: ...` (no line) for the variable
//   Errc::TooLarge a source_profile or include_profile chain longer than
//                  limits::kMaxProfileChainDepth
// `base` and `env` are only read; the result owns copies.
Result<Resolution> resolve_profile(const AwsConfig& config, std::string_view target,
                                   const BaseConfig& base, const ConfigEnvironment& env);

// parse_duration_seconds reads a `duration_seconds` value as upstream's unsigned integer with the
// base taken from its prefix (`0x`/`0X` hex, `0o`/`0O` or a leading `0` octal, `0b`/`0B`
// binary, else decimal). Errc::Config with a message naming the value (and suggesting the number
// of seconds when it is a Go duration such as `1h`), also when the seconds overflow a duration.
Result<std::chrono::seconds> parse_duration_seconds(std::string_view text);

}  // namespace av::config
