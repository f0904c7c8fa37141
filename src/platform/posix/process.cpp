// process.cpp: fork + execve. posix_spawn cannot restore RLIMIT_CORE in the child, so we fork;
// everything the child needs (argv, envp, path) is prepared before fork, and the child calls only
// async-signal-safe functions. A close-on-exec pipe carries execve's errno back to the parent, so
// "cannot start" is an error and not a mysterious exit code 127.
#include "platform/process.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/ascii.h"
#include "base/check.h"
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

// ---- run_program: one child, every pipe pumped by a single poll loop ------------------------
// The child's stdin write end is non-blocking (POLLOUT only promises PIPE_BUF bytes); the read
// ends are read once per readiness event. stdout grows a locked buffer by doubling, exactly as
// detail::read_fd_secret does, so no ordinary buffer ever holds it.
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kStdinChunkBytes = 16 * 1024;
constexpr std::size_t kFirstStdoutCapacity = 4096;

// ChildFds: descriptors the child gets as 0, 1 and 2 (-1 = inherit ours).
struct ChildFds {
  int in = -1;
  int out = -1;
  int err = -1;
};

[[noreturn]] void child_fail(int error_fd) noexcept {
  int err = errno;
  (void)!::write(error_fd, &err, sizeof err);
  ::_exit(127);
}

// run_piped_child is the forked child: async-signal-safe calls only, never returns. Sources are
// first moved above 2, so a pipe that landed on 0-2 (our own stdin closed) is not overwritten by
// an earlier dup2.
[[noreturn]] void run_piped_child(const ExecPlan& plan, ChildFds fds, int error_fd,
                                  bool own_group) noexcept {
  restore_core_limit_for_child();
  ::signal(SIGPIPE, SIG_DFL);
  if (error_fd <= 2) error_fd = ::fcntl(error_fd, F_DUPFD_CLOEXEC, 3);
  if (own_group && ::setpgid(0, 0) != 0) child_fail(error_fd);
  int sources[3] = {fds.in, fds.out, fds.err};
  for (int& fd : sources) {
    if (fd >= 0 && fd <= 2 && (fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0) child_fail(error_fd);
  }
  for (int target = 0; target < 3; ++target) {
    if (sources[target] >= 0 && ::dup2(sources[target], target) < 0) child_fail(error_fd);
  }
  ::execve(plan.path.c_str(), plan.argv.data(), plan.envp.data());
  child_fail(error_fd);
}

// start_piped forks run_piped_child and returns its pid once execve has succeeded (the
// close-on-exec error pipe reports execve's errno otherwise).
Result<pid_t> start_piped(const ExecPlan& plan, ChildFds fds, bool own_group) {
  AV_TRY_ASSIGN(auto error_pipe, make_pipe());
  pid_t pid = ::fork();
  if (pid < 0) return os_error("fork", "", errno);
  if (pid == 0) run_piped_child(plan, fds, error_pipe.second.get(), own_group);
  if (own_group) (void)::setpgid(pid, pid);  // also here, so a kill(-pid) never races the child
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

// write_without_sigpipe is write(2) that reports EPIPE instead of raising SIGPIPE. Where the OS
// has no per-descriptor switch, SIGPIPE is blocked for this thread around the write and a
// SIGPIPE the write generated is consumed before unblocking.
ssize_t write_without_sigpipe(int fd, ByteSpan data) noexcept {
#if defined(F_SETNOSIGPIPE)
  return ::write(fd, data.data(), data.size());
#else
  sigset_t pipe_set;
  sigset_t pending;
  sigset_t old_mask;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigemptyset(&pending);
  ::sigpending(&pending);
  bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  ::pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
  ssize_t n = ::write(fd, data.data(), data.size());
  int err = errno;
  if (n < 0 && err == EPIPE && !was_pending) {
    struct timespec zero {};
    while (::sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  errno = err;
  return n;
#endif
}

// Pump: the parent's ends of the child's pipes and what has been collected so far.
struct Pump {
  UniqueFd in;  // write end of the child's stdin; closed once `pending` is empty
  ByteSpan pending;
  UniqueFd out;
  UniqueFd err;
  secure::SecretBytes out_buf;
  std::size_t out_len = 0;
  std::string err_text;
  bool err_truncated = false;
};

Status pump_stdin(Pump& pump, const std::string& path) {
  std::size_t want = std::min(pump.pending.size(), kStdinChunkBytes);
  ssize_t n = write_without_sigpipe(pump.in.get(), pump.pending.first(want));
  if (n < 0) {
    if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) return ok();
    if (errno != EPIPE) return os_error("write", path + " stdin", errno);
    pump.pending = {};  // the child closed its stdin: it chose not to read the rest (as Go)
  } else {
    pump.pending = pump.pending.subspan(static_cast<std::size_t>(n));
  }
  if (pump.pending.empty()) pump.in.reset();
  return ok();
}

// read_ready reads once from a descriptor poll reported ready (blocking, so it cannot spin);
// 0 means EOF.
Result<std::size_t> read_ready(int fd, MutableByteSpan into, const std::string& what) {
  for (;;) {
    ssize_t n = ::read(fd, into.data(), into.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) return os_error("read", what, errno);
  }
}

Status pump_stdout(Pump& pump, std::size_t max_len, const std::string& path) {
  std::size_t bound = max_len == SIZE_MAX ? max_len : max_len + 1;
  if (pump.out_len == pump.out_buf.size()) {
    // Grow into a new locked buffer; the old one is wiped when it is destroyed.
    auto bigger = secure::SecretBytes::zeroed(
        std::min(std::max(pump.out_buf.size() * 2, kFirstStdoutCapacity), bound));
    std::copy(pump.out_buf.reveal().begin(), pump.out_buf.reveal().end(),
              bigger.reveal_mutable().begin());
    pump.out_buf = std::move(bigger);
  }
  auto n = read_ready(pump.out.get(), pump.out_buf.reveal_mutable().subspan(pump.out_len),
                      path + " stdout");
  if (!n) return std::move(n).error();
  if (*n == 0) {
    pump.out.reset();
    return ok();
  }
  pump.out_len += *n;
  if (pump.out_len > max_len) {
    return Error(Errc::TooLarge, "read " + path + " stdout: more than " +
                                     std::to_string(max_len) + " bytes");
  }
  return ok();
}

Status pump_stderr(Pump& pump, std::size_t max_len, const std::string& path) {
  std::array<std::uint8_t, 4096> chunk{};
  auto n = read_ready(pump.err.get(), chunk, path + " stderr");
  if (!n) return std::move(n).error();
  if (*n == 0) {
    pump.err.reset();
    return ok();
  }
  std::size_t room = max_len - std::min(max_len, pump.err_text.size());
  std::size_t keep = std::min(room, *n);
  pump.err_text.append(as_chars(ByteSpan(chunk).first(keep)));
  if (keep < *n) pump.err_truncated = true;
  return ok();
}

// poll_timeout_ms: milliseconds until `deadline` (rounded up), -1 without one, 0 when passed.
int poll_timeout_ms(const std::optional<SteadyClock::time_point>& deadline) {
  if (!deadline) return -1;
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - SteadyClock::now());
  if (left.count() <= 0) return 0;
  return static_cast<int>(std::min<std::chrono::milliseconds::rep>(left.count(), 60'000));
}

bool deadline_passed(const std::optional<SteadyClock::time_point>& deadline) {
  return deadline && SteadyClock::now() >= *deadline;
}

Error timeout_error(std::chrono::milliseconds timeout) {
  auto ms = timeout.count();
  std::string amount = ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
  return Error(Errc::Io, "timeout after " + amount);
}

// pump_until_closed moves bytes until every pipe is closed. Returns false when the deadline
// passed first.
Result<bool> pump_until_closed(Pump& pump, const RunRequest& request, const std::string& path,
                               const std::optional<SteadyClock::time_point>& deadline) {
  while (pump.in.valid() || pump.out.valid() || pump.err.valid()) {
    if (deadline_passed(deadline)) return false;
    pollfd fds[3] = {{pump.in.get(), POLLOUT, 0}, {pump.out.get(), POLLIN, 0},
                     {pump.err.get(), POLLIN, 0}};  // poll ignores negative descriptors
    int ready = ::poll(fds, 3, poll_timeout_ms(deadline));
    if (ready < 0) {
      if (errno == EINTR) continue;
      return os_error("poll", "", errno);
    }
    if (fds[0].revents != 0) AV_TRY(pump_stdin(pump, path));
    if (fds[1].revents != 0) AV_TRY(pump_stdout(pump, request.max_stdout_len, path));
    if (fds[2].revents != 0) AV_TRY(pump_stderr(pump, request.max_stderr_len, path));
  }
  return true;
}

// kill_and_reap stops the child (and its group when it has one) and collects it.
void kill_and_reap(pid_t pid, bool own_group) noexcept {
  ::kill(own_group ? -pid : pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

// wait_with_deadline reaps the child, killing it if the deadline passes first (nullopt then).
Result<std::optional<ExitStatus>> wait_with_deadline(
    pid_t pid, bool own_group, const std::optional<SteadyClock::time_point>& deadline) {
  if (!deadline) {
    AV_TRY_ASSIGN(ExitStatus status, wait_for(pid));
    return std::optional<ExitStatus>(status);
  }
  for (;;) {
    int raw = 0;
    pid_t got = ::waitpid(pid, &raw, WNOHANG);
    if (got < 0 && errno != EINTR) return os_error("wait", "", errno);
    if (got == pid) {
      ExitStatus out;
      if (WIFSIGNALED(raw)) {
        out.term_signal = WTERMSIG(raw);
      } else {
        out.exit_code = WEXITSTATUS(raw);
      }
      return std::optional<ExitStatus>(out);
    }
    if (deadline_passed(deadline)) {
      kill_and_reap(pid, own_group);
      return std::optional<ExitStatus>();
    }
    struct timespec pause {0, 10'000'000};
    ::nanosleep(&pause, nullptr);
  }
}

// Pipes: the child's ends (closed in the parent after fork) and the parent's ends.
struct Pipes {
  UniqueFd child_in, child_out, child_err;
  Pump pump;
};

// open_controlling_terminal gives the child /dev/tty as stdin and stderr; false when there is
// no controlling terminal (or it cannot be opened), leaving `pipes` untouched.
bool open_controlling_terminal(Pipes& pipes) {
  UniqueFd tty(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!tty.valid()) return false;
  UniqueFd err(::fcntl(tty.get(), F_DUPFD_CLOEXEC, 3));
  if (!err.valid()) return false;
  pipes.child_in = std::move(tty);
  pipes.child_err = std::move(err);
  return true;
}

Result<Pipes> make_pipes(const RunRequest& request) {
  Pipes pipes;
  AV_CHECK(!(request.stdio_from_controlling_terminal && request.stdin_data));
  bool on_tty = request.stdio_from_controlling_terminal && open_controlling_terminal(pipes);
  if (on_tty) {
    // stdin and stderr are the terminal; only stdout is a pipe.
  } else if (request.stdin_data) {
    AV_TRY_ASSIGN(auto in, make_pipe());
    pipes.child_in = std::move(in.first);
    pipes.pump.in = std::move(in.second);
    pipes.pump.pending = *request.stdin_data;
    ::fcntl(pipes.pump.in.get(), F_SETFL, ::fcntl(pipes.pump.in.get(), F_GETFL) | O_NONBLOCK);
#if defined(F_SETNOSIGPIPE)
    ::fcntl(pipes.pump.in.get(), F_SETNOSIGPIPE, 1);
#endif
    if (pipes.pump.pending.empty()) pipes.pump.in.reset();
  } else {
    pipes.child_in = UniqueFd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!pipes.child_in.valid()) return os_error("open", "/dev/null", errno);
  }
  AV_TRY_ASSIGN(auto out, make_pipe());
  pipes.pump.out = std::move(out.first);
  pipes.child_out = std::move(out.second);
  if (!on_tty && request.stderr_mode == StderrMode::Capture) {
    AV_TRY_ASSIGN(auto err, make_pipe());
    pipes.pump.err = std::move(err.first);
    pipes.child_err = std::move(err.second);
  }
  return pipes;
}

}  // namespace

Result<RunResult> run_program(const RunRequest& request) {
  AV_CHECK(request.env != nullptr);
  AV_TRY_ASSIGN(ExecPlan plan, make_plan(request.argv, *request.env));
  AV_TRY_ASSIGN(Pipes pipes, make_pipes(request));
  std::optional<SteadyClock::time_point> deadline;
  if (request.timeout.count() > 0) deadline = SteadyClock::now() + request.timeout;
  ChildFds fds{pipes.child_in.get(), pipes.child_out.get(), pipes.child_err.get()};
  AV_TRY_ASSIGN(pid_t pid, start_piped(plan, fds, request.own_process_group));
  pipes.child_in.reset();
  pipes.child_out.reset();
  pipes.child_err.reset();
  Pump& pump = pipes.pump;
  auto pumped = pump_until_closed(pump, request, plan.path, deadline);
  if (!pumped || !*pumped) {
    pump = Pump();  // close our ends first: a stuck grandchild then gets EPIPE, not a hang
    kill_and_reap(pid, request.own_process_group);
    if (!pumped) return std::move(pumped).error();
    return timeout_error(request.timeout);
  }
  AV_TRY_ASSIGN(auto status, wait_with_deadline(pid, request.own_process_group, deadline));
  if (!status) return timeout_error(request.timeout);
  RunResult result;
  result.status = *status;
  pump.out_buf.resize(pump.out_len);
  result.stdout_data = std::move(pump.out_buf);
  result.stderr_text = std::move(pump.err_text);
  result.stderr_truncated = pump.err_truncated;
  return result;
}

}  // namespace av::platform
