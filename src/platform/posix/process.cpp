// process.cpp: fork + execve. posix_spawn cannot restore RLIMIT_CORE in the child, so we fork;
// everything the child needs (argv, envp, path) is prepared before fork, and the child calls only
// async-signal-safe functions. A close-on-exec pipe carries execve's errno back to the parent, so
// "cannot start" is an error and not a mysterious exit code 127.
#include "platform/process.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/ascii.h"
#include "platform/paths.h"
#include "platform/posix/fd_io.h"
#include "platform/posix/hardening_internal.h"
#include "platform/posix/os_error.h"
#include "platform/process_hardening.h"

namespace av::platform {
namespace {

using detail::os_error;
using detail::UniqueFd;

constexpr int kForwardedSignals[] = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,
                                     SIGWINCH, SIGUSR1, SIGUSR2, SIGALRM};

std::atomic<pid_t> g_forward_pid{0};
static_assert(std::atomic<pid_t>::is_always_lock_free);

extern "C" void forward_signal(int signo) {
  pid_t pid = g_forward_pid.load();
  if (pid > 0) ::kill(pid, signo);
}

// ForwardGuard installs forward_signal for kForwardedSignals, keeping them blocked until the
// child's pid is published (unblock()), so none is lost in between; the destructor restores the
// old handlers and mask.
class ForwardGuard {
 public:
  explicit ForwardGuard(bool active) noexcept : active_(active) {
    ::pthread_sigmask(SIG_SETMASK, nullptr, &old_mask_);
    if (!active_) return;
    struct sigaction action {};
    action.sa_handler = forward_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigset_t block;
    sigemptyset(&block);
    for (std::size_t i = 0; i < std::size(kForwardedSignals); ++i) {
      sigaddset(&block, kForwardedSignals[i]);
      ::sigaction(kForwardedSignals[i], &action, &previous_[i]);
    }
    ::pthread_sigmask(SIG_BLOCK, &block, nullptr);
  }
  ~ForwardGuard() {
    if (!active_) return;
    ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    g_forward_pid.store(0);
    for (std::size_t i = 0; i < std::size(kForwardedSignals); ++i) {
      ::sigaction(kForwardedSignals[i], &previous_[i], nullptr);
    }
  }
  ForwardGuard(const ForwardGuard&) = delete;
  ForwardGuard& operator=(const ForwardGuard&) = delete;

  // publish makes `pid` the forwarding target and lets pending and future signals through.
  void publish(pid_t pid) noexcept {
    if (!active_) return;
    g_forward_pid.store(pid);
    ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }
  // child_mask is the signal mask the child must run with (the one before the guard).
  const sigset_t* child_mask() const noexcept { return &old_mask_; }

 private:
  bool active_;
  sigset_t old_mask_{};
  struct sigaction previous_[std::size(kForwardedSignals)] {};
};

// executable_status: 0 if `path` is a regular file with an execute bit, else an errno.
int executable_status(const std::string& path) noexcept {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return errno;
  if (S_ISDIR(st.st_mode)) return EISDIR;
  return (st.st_mode & 0111) != 0 ? 0 : EACCES;
}

Result<std::pair<UniqueFd, UniqueFd>> make_pipe() {
  int fds[2] = {-1, -1};
#if defined(__linux__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__)
  if (::pipe2(fds, O_CLOEXEC) != 0) return os_error("pipe", "", errno);
#else
  if (::pipe(fds) != 0) return os_error("pipe", "", errno);
  ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
#endif
  return std::pair<UniqueFd, UniqueFd>(UniqueFd(fds[0]), UniqueFd(fds[1]));
}

// ExecPlan: argv and envp as execve wants them. The pointers borrow the caller's strings and the
// Environment's entries (NUL-terminated by Environment's invariant).
struct ExecPlan {
  std::string path;
  std::vector<char*> argv;
  std::vector<char*> envp;
};

Result<ExecPlan> make_plan(const std::vector<std::string>& argv, const Environment& env) {
  if (argv.empty()) return Error(Errc::NotFound, "exec: no command");
  ExecPlan plan;
  AV_TRY_ASSIGN(plan.path, look_path(argv[0], env));
  for (const auto& arg : argv) plan.argv.push_back(const_cast<char*>(arg.c_str()));
  plan.argv.push_back(nullptr);
  for (std::string_view entry : env.entries()) plan.envp.push_back(const_cast<char*>(entry.data()));
  plan.envp.push_back(nullptr);
  return plan;
}

// run_child is the forked child: async-signal-safe calls only, never returns.
[[noreturn]] void run_child(const ExecPlan& plan, int stdout_fd, int error_fd,
                            const sigset_t* mask) noexcept {
  restore_core_limit_for_child();
  if (mask != nullptr) ::pthread_sigmask(SIG_SETMASK, mask, nullptr);
  ::signal(SIGPIPE, SIG_DFL);
  if (stdout_fd >= 0 && ::dup2(stdout_fd, 1) < 0) {
    int err = errno;
    (void)!::write(error_fd, &err, sizeof err);
    ::_exit(127);
  }
  ::execve(plan.path.c_str(), plan.argv.data(), plan.envp.data());
  int err = errno;
  (void)!::write(error_fd, &err, sizeof err);
  ::_exit(127);
}

// start forks and execs; returns the child's pid once execve has succeeded.
Result<pid_t> start(const ExecPlan& plan, int stdout_fd, const sigset_t* child_mask = nullptr) {
  AV_TRY_ASSIGN(auto error_pipe, make_pipe());
  pid_t pid = ::fork();
  if (pid < 0) return os_error("fork", "", errno);
  if (pid == 0) run_child(plan, stdout_fd, error_pipe.second.get(), child_mask);
  error_pipe.second.reset();
  int child_errno = 0;
  ssize_t n = 0;
  do {
    n = ::read(error_pipe.first.get(), &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof child_errno)) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return os_error("fork/exec", plan.path, child_errno);
  }
  return pid;
}

Result<ExitStatus> wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return os_error("wait", "", errno);
  }
  ExitStatus out;
  if (WIFSIGNALED(status)) {
    out.term_signal = WTERMSIG(status);
  } else {
    out.exit_code = WEXITSTATUS(status);
  }
  return out;
}

}  // namespace

std::string ExitStatus::describe() const {
  if (!signalled()) return "exit status " + std::to_string(exit_code);
  const char* name = ::strsignal(term_signal);
  std::string text = name != nullptr ? name : "signal " + std::to_string(term_signal);
  if (!text.empty()) text[0] = ascii::to_lower(text[0]);
  return "signal: " + text;
}

bool is_executable(std::string_view path) noexcept {
  // std::string may throw only on allocation failure, which is fatal project-wide.
  return executable_status(std::string(path)) == 0;
}

Result<std::string> look_path(std::string_view file, const Environment& env) {
  std::string name(file);
  if (name.find('/') != std::string::npos) {
    if (int err = executable_status(name); err != 0) {
      return Error(detail::errc_for_errno(err),
                   "exec: " + ascii::quote_for_terminal(name) + ": " + detail::errno_text(err));
    }
    return name;
  }
  std::string_view path = env.get("PATH").value_or("");
  while (!name.empty()) {
    std::size_t colon = path.find(':');
    std::string_view dir = path.substr(0, colon);
    if (dir.starts_with('/')) {
      std::string candidate = join_path(dir, name);
      if (executable_status(candidate) == 0) return candidate;
    }
    if (colon == std::string_view::npos) break;
    path.remove_prefix(colon + 1);
  }
  return Error(Errc::NotFound,
               "exec: " + ascii::quote_for_terminal(name) + ": executable file not found in $PATH");
}

Result<ExitStatus> spawn_and_wait(const std::vector<std::string>& argv, const Environment& env,
                                  Signals signals) {
  AV_TRY_ASSIGN(ExecPlan plan, make_plan(argv, env));
  ForwardGuard guard(signals == Signals::Forward);
  AV_TRY_ASSIGN(pid_t pid, start(plan, -1, guard.child_mask()));
  guard.publish(pid);
  return wait_for(pid);
}

Status exec_replace(const std::vector<std::string>& argv, const Environment& env) {
  AV_TRY_ASSIGN(ExecPlan plan, make_plan(argv, env));
  restore_core_limit_for_child();
  ::execve(plan.path.c_str(), plan.argv.data(), plan.envp.data());
  int err = errno;
  detail::suppress_core_dumps();
  return os_error("execve", plan.path, err);
}

Result<secure::SecretString> capture_output(const std::vector<std::string>& argv,
                                            const Environment& env, std::size_t max_len) {
  AV_TRY_ASSIGN(ExecPlan plan, make_plan(argv, env));
  AV_TRY_ASSIGN(auto out_pipe, make_pipe());
  AV_TRY_ASSIGN(pid_t pid, start(plan, out_pipe.second.get()));
  out_pipe.second.reset();
  auto output = detail::read_fd_secret(out_pipe.first.get(), max_len, plan.path + " stdout");
  out_pipe.first.reset();
  if (!output) ::kill(pid, SIGKILL);  // do not wait for a child we stopped listening to
  AV_TRY_ASSIGN(ExitStatus status, wait_for(pid));
  if (!output) return std::move(output).error();
  if (!status.success()) return Error(Errc::Io, status.describe());
  return secure::SecretString::copy_of(as_chars(output->reveal()));
}

}  // namespace av::platform
