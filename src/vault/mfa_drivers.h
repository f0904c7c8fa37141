// mfa_drivers.h (internal to vault/): the sources behind MfaTokenSource (spec §9): mfa_process
// and the prompt drivers of §9.3, exposed separately so tests can check exact invocations.
//
// Every helper's stdout goes into locked memory and is whitespace-trimmed there; its exit status
// and stderr never become part of the code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "platform/env.h"
#include "secure/secret.h"

namespace av::vault::detail {

// mfa_prompt_text is spec §9.2's "Enter MFA code for <serial>: " (serial unescaped: callers that
// write it to a terminal escape it first).
std::string mfa_prompt_text(std::string_view serial);

// osascript_script is the AppleScript `osascript -e` runs (§9.3): the prompt text Go-quoted
// (ascii::quote_for_terminal, upstream's %q) inside a `display dialog`.
std::string osascript_script(std::string_view serial);

// ykman_args lists the words after `ykman` (§9.3): `--device $YKMAN_OATH_DEVICE_SERIAL` when
// set, then `oath accounts code --single <name>` (`oath code --single <name>` when
// AWS_VAULT_YKMAN_VERSION is 1, 2 or 3), name = $YKMAN_OATH_CREDENTIAL_NAME or `serial`.
std::vector<std::string> ykman_args(std::string_view serial, const platform::Environment& env);

// run_mfa_process runs `/bin/sh -c <command>` with `env`, its stdin and stderr on the
// controlling terminal when /dev/tty opens (else stdin empty, stderr inherited), and returns its
// trimmed stdout. No timeout: a person may be answering it. Errors: `process provider: <err>`
// (Errc::Io `exit status N` / `signal: ...`, start failures, Errc::TooLarge beyond
// limits::kMaxMfaHelperOutputBytes).
[[nodiscard]] Result<secure::SecretString> run_mfa_process(std::string_view command,
                                                           const platform::Environment& env);

// prompt_with_driver asks prompt driver `driver` for the code for `serial`, running helpers found
// in env's PATH with `env` as their environment. Errors:
//   terminal   platform::prompt_tty_line's (Errc::Io `open /dev/tty: ...`, Errc::Cancelled)
//   zenity, kdialog, osascript   the raw process error (`exit status 1`, look_path's)
//   ykman      `ykman: <err>`
//   wincredui  Errc::Unsupported (Windows only)
//   pass       Errc::Config, spec §1.7's removal message
//   other      Errc::Config `prompt method "<name>" doesn't exist`
[[nodiscard]] Result<secure::SecretString> prompt_with_driver(std::string_view driver,
                                                              std::string_view serial,
                                                              const platform::Environment& env);

}  // namespace av::vault::detail
