// process.h: starting other programs (the `exec` command, credential_process, mfa_process, pass).
//
// Secrets never travel in argv (visible to every user through ps and /proc); the environment
// (Environment::set_secret) is the channel for them. Children get the user's RLIMIT_CORE back
// (see process_hardening.h), SIGPIPE at its default disposition, and none of our descriptors
// except stdin/stdout/stderr: everything this module opens is close-on-exec.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
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

// StderrMode says where a run_program child's stderr goes.
enum class StderrMode : int {
  Capture,  // into RunResult::stderr_text (bounded; the rest is read and dropped)
  Inherit,  // to our own stderr (the user sees gpg/pinentry messages as they happen)
};

// RunRequest describes one run_program call. Nothing here is copied into the child except argv
// and the environment; `env` and the bytes `stdin_data` views are borrowed for the call only.
struct RunRequest {
  // argv[0] is resolved with look_path in env's PATH. Never put secrets here.
  std::vector<std::string> argv;
  // The child's exact environment (required; a null pointer is a bug).
  const Environment* env = nullptr;
  // stdin_data: when set, these bytes are written to the child's stdin, which is then closed
  // (a child that exits without reading them all is not an error). When unset, stdin is
  // /dev/null. Point it into secure memory when the bytes are secret.
  std::optional<ByteSpan> stdin_data;
  // max_stdout_len: stdout beyond this is Errc::TooLarge (the child is killed).
  std::size_t max_stdout_len = limits::kMaxProcessOutputBytes;
  // max_stderr_len: captured stderr is cut here (RunResult::stderr_truncated); never an error.
  std::size_t max_stderr_len = limits::kMaxProcessStderrBytes;
  StderrMode stderr_mode = StderrMode::Capture;
  // timeout: wall-clock limit for the whole run, zero = none. When it passes the child is killed
  // (SIGKILL; its whole process group with own_process_group) and run_program fails.
  std::chrono::milliseconds timeout{0};
  // own_process_group: start the child in a new process group so a timeout also kills its
  // children. Off by default: a child in a background group cannot read the terminal, and
  // Ctrl-C at the terminal no longer reaches it.
  bool own_process_group = false;
  // stdio_from_controlling_terminal: when /dev/tty opens, it becomes the child's stdin and stderr
  // (stderr_mode is then ignored), so a helper can talk to the user while our own stdin/stdout
  // are pipes (aws-vault as a credential_process). When it does not open, stdin and stderr are
  // as without this flag. stdin_data must be unset with it.
  bool stdio_from_controlling_terminal = false;
};

// RunResult: what a finished child produced. A failing exit status is not an error.
struct RunResult {
  ExitStatus status;
  // stdout_data: everything the child wrote to stdout, in locked memory (helper output usually
  // holds secrets).
  secure::SecretBytes stdout_data;
  // stderr_text: captured stderr (StderrMode::Capture), raw bytes: untrusted and not
  // necessarily UTF-8, so escape before showing (ascii::quote_for_terminal).
  std::string stderr_text;
  bool stderr_truncated = false;
};

// run_program runs request.argv with exactly *request.env, feeding stdin and collecting stdout
// and stderr at the same time (one poll loop over every pipe, so a child that fills one pipe
// while we fill another cannot deadlock us), then waits for it. The child gets the user's
// RLIMIT_CORE, default SIGPIPE and no descriptors but 0/1/2; we never get SIGPIPE from a child
// that closes its stdin early.
// Errors: look_path's, os errors for pipe/fork/poll/read (Errc::Io), `fork/exec <path>: <reason>`
// when execve fails, Errc::TooLarge "read <path> stdout: more than N bytes" (child killed), and
// Errc::Io "timeout after <N>s" (or "<N>ms") when request.timeout passes (child killed, reaped).
// Io rather than Network: nothing says the child talks to a network; callers add context.
// A child that outlives closing its pipes is waited for (up to the timeout, when one is set).
Result<RunResult> run_program(const RunRequest& request);

}  // namespace av::platform
