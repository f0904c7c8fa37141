// process.h: starting other programs (the `exec` command, credential_process, mfa_process, pass).
//
// Secrets never travel in argv (visible to every user through ps and /proc); the environment
// (Environment::set_secret) is the channel for them. Children get the user's RLIMIT_CORE back
// (see process_hardening.h), SIGPIPE at its default disposition, and none of our descriptors
// except stdin/stdout/stderr: everything this module opens is close-on-exec.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/limits.h"
#include "base/result.h"
#include "platform/env.h"
#include "secure/secret.h"

namespace av::platform {

// ExitStatus: how a child ended. Exactly one of exit_code / term_signal is meaningful.
struct ExitStatus {
  int exit_code = 0;    // the child's exit code when term_signal == 0
  int term_signal = 0;  // the signal that terminated the child, or 0

  bool signalled() const noexcept { return term_signal != 0; }
  bool success() const noexcept { return term_signal == 0 && exit_code == 0; }
  // shell_code is exit_code, or 128 + term_signal as shells report it. (The `exec` command maps a
  // signalled child to 255 itself, spec §6.3.)
  int shell_code() const noexcept { return signalled() ? 128 + term_signal : exit_code; }
  // describe renders Go's ProcessState.String(): "exit status 3" or "signal: killed".
  std::string describe() const;
};

// look_path finds `file` as Go's exec.LookPath does, but in `env`'s PATH: a name containing '/'
// is checked as given; otherwise each PATH entry is tried in order for a regular file with an
// execute bit. Relative PATH entries (including empty ones, meaning ".") are skipped, as Go 1.19+
// refuses them. Errc::NotFound `exec: "<file>": executable file not found in $PATH`, or
// `exec: "<file>": <reason>` for an explicit path that is missing or not executable.
Result<std::string> look_path(std::string_view file, const Environment& env);

// is_executable reports whether `path` names a file (not a directory) with an execute bit set,
// following symlinks: the test look_path applies to each candidate.
bool is_executable(std::string_view path) noexcept;

enum class Signals : int {
  Default,  // signals act on this process as usual while waiting
  Forward,  // SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGUSR1, SIGUSR2, SIGALRM are caught
            // and sent to the child while it runs (spec §6.3), then the old handlers return
};

// spawn_and_wait runs argv (argv[0] resolved with look_path) with exactly `env` as environment
// and inherited stdin/stdout/stderr, and waits for it. Errors: look_path's; os errors for fork;
// `fork/exec <path>: <reason>` (Errc::Io/PermissionDenied/NotFound) when execve fails in the
// child. A child that runs and fails is not an error: see ExitStatus.
Result<ExitStatus> spawn_and_wait(const std::vector<std::string>& argv, const Environment& env,
                                  Signals signals = Signals::Default);

// exec_replace replaces this process with argv (look_path in env's PATH) and `env`, after putting
// the user's RLIMIT_CORE back. Returns only on failure: look_path's errors or
// `execve <path>: <reason>`; core dumps are suppressed again before returning.
Status exec_replace(const std::vector<std::string>& argv, const Environment& env);

// capture_output runs argv like spawn_and_wait and returns its stdout (stdin and stderr are
// inherited). The output goes straight into locked memory because helper output usually holds
// secrets (credential_process JSON, MFA codes). Errc::TooLarge beyond `max_len` bytes (the child
// is then killed); Errc::Io "exit status N" / "signal: <name>" when the child fails.
Result<secure::SecretString> capture_output(const std::vector<std::string>& argv,
                                            const Environment& env,
                                            std::size_t max_len = limits::kMaxProcessOutputBytes);

}  // namespace av::platform
