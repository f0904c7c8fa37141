// completion.h: hidden `--completion-bash` and the completion scripts (spec §1.3, §11.4).
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

#include "cli/args/spec.h"

namespace av::cli {

// complete_bash returns kingpin's candidates for `words` (the command line after
// `--completion-bash`, the last word being the one under the cursor), joined by "\n" without a
// trailing newline: command names at the top level, `--flag` names when the current or previous
// word starts with "--", an enum flag's values after its name, and the config's profile names
// (from `profiles`, called only then) for the profile argument of remove, rotate, exec, export,
// clear and login. A failure of `profiles` is returned (upstream exits 1 without output).
using ProfileNames = std::function<Result<std::vector<std::string>>()>;
Result<std::string> complete_bash(const args::AppSpec& app, std::span<const std::string> words,
                                  const ProfileNames& profiles);

// bash_completion_script / zsh_completion_script return contrib/completions/aws-vault.{bash,zsh}
// (embedded at build time), printed by --completion-script-bash / --completion-script-zsh.
std::string_view bash_completion_script() noexcept;
std::string_view zsh_completion_script() noexcept;

}  // namespace av::cli
