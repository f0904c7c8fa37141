// env.h: the process environment, read once (STYLE.md rule 3: the outside world comes in
// explicitly; getenv is banned outside platform/).
//
// An Environment is a snapshot of name=value pairs. Values may be secrets (AWS_SECRET_ACCESS_KEY,
// AWS_VAULT_FILE_PASSPHRASE): get() returns a view for non-secret variables, get_secret() copies
// into a SecretString. The process snapshot views environ's own storage and copies nothing.
#pragma once

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
  // from_process views the current process environment (environ). The views stay valid as long
  // as nothing calls setenv/putenv, which this program never does.
  static Environment from_process();
  // from_pairs builds an environment from owned pairs (tests, and child environments).
  static Environment from_pairs(std::vector<std::pair<std::string, std::string>> pairs);

  // get returns the value of `name` if the variable exists (possibly empty).
  std::optional<std::string_view> get(std::string_view name) const;
  // get_nonempty returns the value only when it exists and is not empty (kingpin's env defaults:
  // an empty variable counts as unset).
  std::optional<std::string_view> get_nonempty(std::string_view name) const;
  // get_secret copies the value into locked memory; nullopt if unset. Errc::TooLarge above
  // limits::kMaxSecretBytes.
  Result<std::optional<secure::SecretString>> get_secret(std::string_view name) const;
  // entries lists every NAME=VALUE in order (for building a child's environment).
  const std::vector<std::string_view>& entries() const noexcept { return entries_; }

 private:
  std::vector<std::string> owned_;        // only for from_pairs
  std::vector<std::string_view> entries_;  // "NAME=VALUE"
};

}  // namespace av::platform
