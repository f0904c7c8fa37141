// env.h: the process environment, read once (STYLE.md rule 3: the outside world comes in
// explicitly; getenv is banned outside platform/).
//
// An Environment is a snapshot of name=value pairs. Values may be secrets (AWS_SECRET_ACCESS_KEY,
// AWS_VAULT_FILE_PASSPHRASE): get() returns a view for non-secret variables, get_secret() copies
// into a SecretString. The process snapshot views environ's own storage and copies nothing.
//
// Invariant (relied on by platform/process): every view in entries() is followed in memory by a
// NUL byte, so it can be handed to execve without copying.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "secure/secret.h"

namespace av::platform {

class Environment {
 public:
  // An empty environment (no variables).
  Environment() = default;
  // Copying would leave views into the source's storage: use clone(). Moving is safe.
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
  Environment(Environment&&) noexcept = default;
  Environment& operator=(Environment&&) noexcept = default;
  ~Environment() = default;

  // from_process views the current process environment (environ). The views stay valid as long
  // as nothing calls setenv/putenv, which this program never does. Entries without '=' are
  // skipped.
  static Environment from_process();
  // from_pairs builds an environment from owned pairs (tests, and child environments).
  static Environment from_pairs(std::vector<std::pair<std::string, std::string>> pairs);

  // clone makes an independent copy that owns all its entries (secret entries stay in locked
  // memory).
  Environment clone() const;

  // get returns the value of `name` if the variable exists (possibly empty). With duplicate
  // names the first one wins (as Go's os.Getenv).
  std::optional<std::string_view> get(std::string_view name) const;
  // get_nonempty returns the value only when it exists and is not empty (kingpin's env defaults:
  // an empty variable counts as unset).
  std::optional<std::string_view> get_nonempty(std::string_view name) const;
  // get_secret copies the value into locked memory; nullopt if unset. Errc::TooLarge above
  // limits::kMaxSecretBytes.
  Result<std::optional<secure::SecretString>> get_secret(std::string_view name) const;
  // entries lists every NAME=VALUE in order (for building a child's environment).
  const std::vector<std::string_view>& entries() const noexcept { return entries_; }

  // set replaces every existing `name` with one NAME=VALUE appended at the end. For non-secret
  // values only (the copy lives in an ordinary std::string).
  void set(std::string_view name, std::string_view value);
  // set_secret is set() for secret values: the NAME=VALUE text lives in locked memory, wiped when
  // this Environment is destroyed. Errc::TooLarge above limits::kMaxSecretBytes.
  Status set_secret(std::string_view name, const secure::SecretString& value);
  // unset removes every entry named `name` (no-op when absent).
  void unset(std::string_view name);

 private:
  std::deque<std::string> owned_;                  // stable addresses: entries_ point into these
  std::deque<secure::SecretString> owned_secrets_;  // "NAME=VALUE\0" of set_secret
  std::vector<std::string_view> entries_;           // "NAME=VALUE", NUL-terminated
};

}  // namespace av::platform
