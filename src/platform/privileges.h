// privileges.h: what the root-run EC2 proxy (`aws-vault proxy`, spec §6.5) and `exec
// --ec2-server` need from the operating system beyond sockets: user ids and dropping root for
// good, our own executable's path, the proxy's secret file read with its owner, a private
// temporary directory, a forked child running a function while the privileged parent waits, a
// background process, and SIGINT/SIGTERM/SIGHUP turned into a shutdown callback.
//
// Privilege separation after openssh's privsep: the proxy binds 169.254.169.254:80 and adds the
// loopback alias as root, then forks; the child drops to the invoking user (setgroups, setgid,
// setuid, verified, no_new_privs) and does all the network work; the root parent only waits for
// it and removes the alias.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "platform/env.h"
#include "platform/process.h"
#include "secure/secret.h"

namespace av::platform {

// UserIds: a user and a primary group, as numbers.
struct UserIds {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
};

// real_user_ids returns the real uid and gid of this process.
UserIds real_user_ids() noexcept;
// effective_uid returns the effective uid (0: we may bind port 80, add addresses, drop to anyone).
std::uint32_t effective_uid() noexcept;

// drop_privileges makes `target` this process's real, effective and saved uid and gid, with no
// supplementary groups, then checks that it stuck: every id equals the target and, when the
// target is not root, setuid(0) and setgid(0) fail. Finally sets no_new_privs (Linux), so no
// setuid program can give root back. Dropping to the ids we already have only sets
// no_new_privs. Errors: Errc::PermissionDenied "drop privileges: ..." when the OS refuses (not
// root), Errc::Internal when a check after the drop fails (the caller must not continue).
// Affects the calling process only: call it before starting threads.
Status drop_privileges(UserIds target);

// forbid_new_privileges sets PR_SET_NO_NEW_PRIVS (Linux; no-op elsewhere): execve can no longer
// raise privileges (setuid bits, file capabilities). Errc::Io when refused.
Status forbid_new_privileges();

// self_executable_path returns the absolute path of the running executable (/proc/self/exe on
// Linux), so a program started through sudo is exactly this binary, not whatever argv[0] or
// root's PATH names. Errc::Unsupported where the OS offers no way; Errc::Io on failure.
Result<std::string> self_executable_path();

// OwnedSecretFile: a small file's bytes with the owner and permission bits of the very file read.
struct OwnedSecretFile {
  secure::SecretBytes data;
  std::uint32_t owner_uid = 0;
  std::uint32_t owner_gid = 0;
  std::uint32_t mode = 0;  // permission bits (e.g. 0600)
};

// read_owned_secret_file opens `path` without following a final symlink and without blocking
// (a FIFO cannot stall us), requires a regular file of at most `max_len` bytes, and reads it into
// locked memory; owner and mode come from fstat of the same descriptor, so they describe exactly
// the bytes returned. Errors: Errc::NotFound, Errc::PermissionDenied, Errc::Unsupported "<path>:
// not a regular file", Errc::TooLarge, Errc::Io.
Result<OwnedSecretFile> read_owned_secret_file(std::string_view path, std::size_t max_len);

// make_private_temp_dir creates a fresh directory `<parent>/<prefix>XXXXXX` (mkdtemp: a new
// name, mode 0700, ours) and returns its path. Errors as secure_file.h.
Result<std::string> make_private_temp_dir(std::string_view parent, std::string_view prefix);

// remove_empty_dir removes the directory `path` (rmdir). Errc::NotFound when it does not exist,
// Errc::Io when it is not empty.
Status remove_empty_dir(std::string_view path);

// run_in_child_process forks; the child runs `body` and exits with its return value (never
// returning here), while this process runs `in_parent` (if set; e.g. to close its copy of a
// descriptor the child now serves) and then waits for the child, forwarding SIGINT, SIGTERM and
// SIGHUP to it. Call only while single-threaded. Errors: fork or wait failed (Errc::Io).
Result<ExitStatus> run_in_child_process(const std::function<int()>& body,
                                        const std::function<void()>& in_parent = {});

// BackgroundProcess: a child started by spawn_background, not yet reaped. Move-only. The
// destructor does not wait or kill: a process still running is left alone.
class BackgroundProcess {
 public:
  BackgroundProcess() noexcept = default;
  explicit BackgroundProcess(int pid) noexcept : pid_(pid) {}
  BackgroundProcess(BackgroundProcess&& other) noexcept : pid_(other.pid_) { other.pid_ = -1; }
  BackgroundProcess& operator=(BackgroundProcess&& other) noexcept;
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  ~BackgroundProcess() = default;

  int pid() const noexcept { return pid_; }
  // wait_for waits up to `timeout` for the child to end and reaps it: nullopt if still running.
  // Errc::Io when waitpid fails; a reaped child cannot be waited for again (Errc::Internal).
  Result<std::optional<ExitStatus>> wait_for(std::chrono::milliseconds timeout);

 private:
  int pid_ = -1;
};

// spawn_background starts argv (argv[0] resolved in env's PATH, or an absolute path) with
// exactly `env`, inherited stdin/stdout/stderr, in its own process group (so a Ctrl-C meant for
// the foreground command does not reach it), and returns without waiting. Errors as
// spawn_and_wait (`fork/exec <path>: <reason>` when execve fails).
Result<BackgroundProcess> spawn_background(const std::vector<std::string>& argv,
                                           const Environment& env);

// ShutdownCallback is called from a signal handler: it must be async-signal-safe (e.g. write to
// an eventfd, as HttpServer::stop and the proxy's stop do).
using ShutdownCallback = void (*)(void* context) noexcept;

// ShutdownSignals: while alive, SIGINT, SIGTERM and SIGHUP call `callback(context)` instead of
// killing the process; the destructor restores the previous handlers. One at a time per process
// (a second one aborts).
class ShutdownSignals {
 public:
  ShutdownSignals(ShutdownCallback callback, void* context);
  ~ShutdownSignals();
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;
  ShutdownSignals(ShutdownSignals&&) = delete;
  ShutdownSignals& operator=(ShutdownSignals&&) = delete;
};

}  // namespace av::platform
