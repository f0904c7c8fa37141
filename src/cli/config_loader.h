// config_loader.h: finding, reading and parsing the AWS config file for the commands that need
// profiles (spec §3.1): list, add, exec, export, rotate, clear, login, and profile completion.
#pragma once

#include "base/result.h"
#include "cli/context.h"
#include "config/aws_config.h"

namespace av::cli {

// load_aws_config reads $AWS_CONFIG_FILE (when non-empty) or ~/.aws/config and parses it.
//  - A missing file is an empty config. Unlike upstream we do not create it (decision in
//    docs/COMPATIBILITY.md): a read-only command should not write to the home directory.
//  - Writes the debug lines of spec §1.4 (`Using AWS_CONFIG_FILE value: …`, `Loading config file
//    …`, `Parsing config file …`, `Unrecognised ini file section: …`).
//  - Warns on stderr when the file is writable by group or others: its credential_process and
//    mfa_process lines run commands.
// Errors are reported before the command logic, so they carry Errc::Usage (error shape 2):
// `Error parsing config file <path>: <path>:<line>: <reason>`, or the read error.
Result<config::AwsConfig> load_aws_config(const Context& ctx);

}  // namespace av::cli
