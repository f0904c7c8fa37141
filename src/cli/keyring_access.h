// keyring_access.h: what the credential commands (add, remove, list, clear) share on top of the
// Context's keyring seam: opening the chosen backend, and deleting or describing cached sessions
// and OIDC tokens (spec §2.3, §2.7, §5.3, §5.4).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cli/command_table.h"
#include "keyring/keyring.h"
#include "secure/secret.h"

namespace av::cli {

// open_keyring opens the backend named by --backend through in.ctx.open_keyring. Borrowed
// result (the opener owns it). Errc::Usage when no opener is wired, or the opener's error.
Result<keyring::Keyring*> open_keyring(const Invocation& in);

// prompt_line asks `prompt` on the terminal through in.ctx.prompt_line (or the real TTY
// prompt when unset); the answer is secret until the caller decides otherwise.
Result<secure::SecretString> prompt_line(const Invocation& in, std::string_view prompt,
                                         bool masked);

// delete_profile_sessions removes every current-format session key whose decoded profile equals
// `profile` exactly (spec §5.3) and returns how many were removed; the first keys() or
// remove() error is returned.
Result<std::size_t> delete_profile_sessions(keyring::Keyring& ring, std::string_view profile);

// url_host is the host part of `url` as Go's url.Parse reports it (userinfo removed, port kept),
// or "" when there is none.
std::string_view url_host(std::string_view url) noexcept;

}  // namespace av::cli
