// paths.h: where aws-vault's files live (home directory, `~` expansion, XDG, the AWS config file)
// and small path-string helpers. Pure string work over an Environment: no file-system access.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "platform/env.h"

namespace av::platform {

// kHomeVariable is the variable holding the home directory ($HOME; %USERPROFILE% on Windows).
#ifdef _WIN32
inline constexpr std::string_view kHomeVariable = "USERPROFILE";
#else
inline constexpr std::string_view kHomeVariable = "HOME";
#endif

// home_dir returns $HOME (never the password database, which static builds cannot use).
// Errc::NotFound "$HOME is not defined" when unset or empty (Go's os.UserHomeDir).
Result<std::string> home_dir(const Environment& env);

// expand_home replaces a leading "~/" (or a bare "~") with the home directory, as upstream does
// for --file-dir; any other path (including "~user/...") is returned unchanged. Fails only when
// expansion is needed and home_dir fails.
Result<std::string> expand_home(std::string_view path, const Environment& env);

// join_path joins two path pieces with exactly one '/' between them. `rest` is always treated as
// relative (its leading slashes are dropped); an empty piece yields the other one.
std::string join_path(std::string_view base, std::string_view rest);

// config_home returns $XDG_CONFIG_HOME when it is an absolute path, else "<home>/.config"
// (XDG Base Directory spec: relative values are invalid and ignored). Errors as home_dir.
Result<std::string> config_home(const Environment& env);

// aws_config_path returns $AWS_CONFIG_FILE if non-empty, else "<home>/.aws/config" (spec §3.1).
// Errors as home_dir.
Result<std::string> aws_config_path(const Environment& env);

// parent_dir returns everything before the last '/' ("." when there is none, "/" for "/x").
std::string_view parent_dir(std::string_view path) noexcept;

// program_basename returns the last element of argv[0] as Go's filepath.Base does ("." for an
// empty string; trailing slashes ignored), for the error prefix "<basename>: error:" (spec §1.2).
std::string_view program_basename(std::string_view argv0) noexcept;

}  // namespace av::platform
