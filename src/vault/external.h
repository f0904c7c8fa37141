// external.h: credentials and tokens from other programs and files (spec §4.3):
// `credential_process` output, `web_identity_token_file` and `web_identity_token_process`.
//
// Commands run as `/bin/sh -c <command>` with aws-vault's environment, stdin and stderr inherited,
// stdout captured into locked memory with a cap and a timeout.
#pragma once

#include <chrono>
#include <string_view>

#include "aws/credentials.h"
#include "base/result.h"
#include "config/profile_resolver.h"
#include "platform/env.h"
#include "secure/secret.h"

namespace av::vault {

// kCredentialProcessMaxOutput: the cap on a credential_process's stdout (8 KiB, the issue's
// bound; SDK JSON is a few hundred bytes).
inline constexpr std::size_t kCredentialProcessMaxOutput = 8 * 1024;
// kExternalCommandTimeout: how long a credential_process or web_identity_token_process may run.
inline constexpr std::chrono::seconds kExternalCommandTimeout{60};

// run_credential_process runs `command` and parses its JSON (AccessKeyId, SecretAccessKey,
// SessionToken, Expiration; case-insensitive; Version and others ignored). Only AccessKeyId and
// SecretAccessKey are required (the SDKs' Version 1 format; upstream also demands SessionToken
// and Expiration, docs/COMPATIBILITY.md). Errors, worded as upstream:
//   running command "<cmd>": <err>                      (non-zero exit, timeout, too much output)
//   invalid JSON format from command "<cmd>": <json err>
//   JSON credential from command "<cmd>" missing the following fields: [AccessKeyId]
// (names in the order AccessKeyId, SecretAccessKey; an empty value counts as missing).
[[nodiscard]] Result<aws::Credentials> run_credential_process(std::string_view command,
                                                              const platform::Environment& env);

// web_identity_token returns the token for `profile`: the whole content of
// web_identity_token_file (not trimmed; `unable to read file at <path>: <err>`), else the
// stdout of web_identity_token_process (not trimmed).
[[nodiscard]] Result<secure::SecretString> web_identity_token(
    const config::ResolvedProfile& profile, const platform::Environment& env);

}  // namespace av::vault
