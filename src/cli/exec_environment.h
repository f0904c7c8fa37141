// exec_environment.h: what `exec` hands its command (spec §6.1 steps 6-8, §6.3): the command
// line (the given command or the user's shell) and the child's environment, computed purely from
// aws-vault's own environment, the resolved profile and the credentials.
//
//   platform::Environment child = child_environment(ctx.env, {.profile = "dev", .region = r});
//   AV_TRY(add_credentials(child, issued.credentials, issued.can_expire));
//   AV_TRY(platform::exec_replace(command_line(ctx.env, cmd, args), child));
//
// Deliberate differences from upstream (docs/COMPATIBILITY.md, quirk A.6): every copy of a
// scrubbed variable is removed (not only the first), and the inherited AWS_CREDENTIAL_EXPIRATION,
// AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN are scrubbed too, so
// the child sees only the credentials this run chose.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "base/result.h"
#include "platform/env.h"

namespace av::cli {

// kScrubbedVariables: removed from the child's environment before anything is added: upstream's
// list of §6.1 step 7, then the three variables of quirk A.6.
inline constexpr std::array<std::string_view, 11> kScrubbedVariables = {
    "AWS_ACCESS_KEY_ID",          "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",          "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_FILE",        "AWS_DEFAULT_PROFILE",
    "AWS_PROFILE",                "AWS_SDK_LOAD_CONFIG",
    "AWS_CREDENTIAL_EXPIRATION",  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
};

// ChildSettings: the non-secret values every exec mode sets. Views are borrowed for the call.
struct ChildSettings {
  std::string_view profile = {};       // AWS_VAULT (always set)
  std::string_view region = {};        // AWS_REGION and AWS_DEFAULT_REGION, when not empty
  std::string_view endpoint_url = {};  // AWS_ENDPOINT_URL, when not empty
};

// child_environment returns a new environment that owns copies of `parent`'s entries in their
// order, minus every entry named in kScrubbedVariables (those values are never copied), with
// AWS_VAULT, then AWS_REGION and AWS_DEFAULT_REGION, then AWS_ENDPOINT_URL set as `settings`
// says (set = any existing entry removed, the new one appended). Total.
platform::Environment child_environment(const platform::Environment& parent,
                                        const ChildSettings& settings);

// add_credentials appends AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, then AWS_SESSION_TOKEN when
// the credentials have one, then AWS_CREDENTIAL_EXPIRATION (RFC 3339, UTC) when `can_expire`
// and an expiry is known. The secrets stay in locked memory (Environment::set_secret).
// Errc::TooLarge when a secret passes limits::kMaxSecretBytes.
Status add_credentials(platform::Environment& env, const aws::Credentials& creds,
                       bool can_expire);

// add_profile_variable sets AWS_PROFILE=<profile> (exec --profile-env: no key variables).
void add_profile_variable(platform::Environment& env, std::string_view profile);

// default_shell is $SHELL when set and not empty, else "/bin/sh" (spec §6.1 step 6).
std::string default_shell(const platform::Environment& parent);

// command_line returns the argv to run: `cmd` (as typed; PATH lookup happens at exec time) or,
// when `cmd` is empty, default_shell(parent); followed by `args`.
std::vector<std::string> command_line(const platform::Environment& parent, std::string_view cmd,
                                      std::span<const std::string> args);

// help_messages_enabled: exec's stderr hints are shown only without --debug, when no command was
// given, stdout is a terminal and AWS_VAULT_DISABLE_HELP_MESSAGE is not "1" (spec §2.5 step 2).
bool help_messages_enabled(bool debug, bool command_given, bool stdout_is_terminal,
                           const platform::Environment& parent);

}  // namespace av::cli
