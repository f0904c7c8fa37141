// registry.h: the keyring backends this build knows, which are available here, and opening one
// (backends.md §1.6, cli.md §1.6).
//
// Upstream opens exactly the backend named by --backend (default: the first available) and hides
// any opener failure behind "specified keyring backend not available". We differ on purpose:
//   * an opener failure is reported with its cause;
//   * when the user did not choose a backend (no --backend, no AWS_VAULT_BACKEND, nothing in the
//     settings file), the available backends are tried in order and the first that opens wins;
//     each failure is a debug line. A backend the user chose is never replaced by another.
//   * automatic selection skips keyctl: kernel keys vanish at logout or reboot, so long-term
//     credentials would be lost silently. It is used when chosen explicitly.
// docs/COMPATIBILITY.md records these decisions.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "keyring/keyring.h"
#include "platform/env.h"
#include "secure/secret.h"

namespace av::keyring {

// BackendSettings: every knob an opener reads (backends.md §1.7), filled from flags and the
// environment by the CLI. Strings left empty mean the backend's own default.
struct BackendSettings {
  platform::Environment env;  // the process environment (bus address, PASSWORD_STORE_DIR, ...)
  std::string file_dir = "~/.awsvault/keys/";  // --file-dir, before '~' expansion
  // file_passphrase supplies the file backend's passphrase (AWS_VAULT_FILE_PASSPHRASE or a prompt).
  std::function<Result<secure::SecretString>()> file_passphrase;
  std::string pass_dir;     // --pass-dir
  std::string pass_cmd;     // --pass-cmd
  std::string pass_prefix;  // --pass-prefix
  std::string secret_service_collection = "awsvault";  // --secret-service-collection
  std::string keyctl_scope;  // AWS_VAULT_KEYCTL_SCOPE (ours; upstream cannot set it)
  // warn receives non-fatal notices for the user (e.g. a store directory readable by others).
  std::function<void(std::string_view)> warn;
};

// known_backends: every backend name aws-vault accepts, in upstream's priority order.
const std::vector<std::string_view>& known_backends() noexcept;

// available_backends: the names usable on this platform, in priority order (backends.md §1.6):
// on Linux secret-service and kwallet only when a session bus address is set (kwallet not when
// DISABLE_KWALLET=1), then keyctl, pass, passage, file and the 1Password backends. Never empty.
std::vector<std::string> available_backends(const platform::Environment& env);

// open_backend opens the backend `name` and nothing else. The error is the opener's cause
// (`exec: "pass": executable file not found in $PATH`); callers add which backend it was.
// Errc::Unsupported "not available in this build" for a name this build does not implement.
Result<std::unique_ptr<Keyring>> open_backend(std::string_view name,
                                              const BackendSettings& settings);

// OpenedBackend: the result of automatic selection.
struct OpenedBackend {
  std::string name;
  std::unique_ptr<Keyring> keyring;
};

// open_first_available tries `candidates` in order (skipping keyctl, see above) and returns the
// first that opens, logging each failure with log::debug. When none opens: Errc::Keyring
// "no keyring backend could be opened (<name>: <cause>; ...)".
Result<OpenedBackend> open_first_available(const std::vector<std::string>& candidates,
                                           const BackendSettings& settings);

}  // namespace av::keyring
