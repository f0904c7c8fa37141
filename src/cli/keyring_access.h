// keyring_access.h: what the credential commands (add, remove, list, clear) share on top of the
// Context's keyring seam: opening the chosen backend, and deleting or describing cached sessions
// and OIDC tokens (spec §2.3, §2.7, §5.3, §5.4).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cli/command_table.h"
#include "keyring/credentials.h"
#include "keyring/keyring.h"
#include "keyring/registry.h"
#include "secure/secret.h"

namespace av::cli {

// open_keyring opens the keyring for this run, once: through in.ctx.open_keyring when a test
// wired one; else the backend the user chose (--backend, AWS_VAULT_BACKEND, settings file) and
// only that one; else the first available backend that opens (keyring/registry.h). Borrowed
// result (the Context owns it). Failures are Errc::Usage (error shape 2) naming the cause.
Result<keyring::Keyring*> open_keyring(const Invocation& in);

// backend_settings gathers the backend knobs (--file-dir, --pass-*, ...) of this invocation.
keyring::BackendSettings backend_settings(const Invocation& in);

// open_named_backend opens backend `name` with this invocation's knobs (migrate-backend).
Result<std::unique_ptr<keyring::Keyring>> open_named_backend(const Invocation& in,
                                                             std::string_view name);

// prompt_line asks `prompt` on the terminal through in.ctx.prompt_line (or the real TTY
// prompt when unset); the answer is secret until the caller decides otherwise.
Result<secure::SecretString> prompt_line(const Invocation& in, std::string_view prompt,
                                         bool masked);

// store_credentials writes `creds` as profile's long-term credential item, exactly as `add`
// stores it (spec §5.2: the key is the profile name, Label "aws-vault (<profile>)").
Status store_credentials(keyring::Keyring& ring, std::string_view profile,
                         const keyring::LongTermCredentials& creds);

// delete_profile_sessions removes every current-format session key whose decoded profile equals
// `profile` exactly (spec §5.3) and returns how many were removed; the first keys() or
// remove() error is returned.
Result<std::size_t> delete_profile_sessions(keyring::Keyring& ring, std::string_view profile);

// url_host is the host part of `url` as Go's url.Parse reports it (userinfo removed, port kept),
// or "" when there is none.
std::string_view url_host(std::string_view url) noexcept;

}  // namespace av::cli
