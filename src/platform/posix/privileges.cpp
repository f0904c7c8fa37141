// privileges.cpp: POSIX implementation of privileges.h.
//
// Dropping root follows openssh's permanently_set_uid: groups first (only root may change them),
// then gid, then uid, all three of real/effective/saved at once; then the drop is verified rather
// than trusted (every id re-read; regaining root must fail). The forked-child and background
// helpers prepare everything before fork; a child that execs calls only async-signal-safe
// functions before execve.
#include "platform/privileges.h"

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#if defined(__linux__)
#include <sys/prctl.h>
#endif
#if defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

#include "base/check.h"
#include "platform/paths.h"
#include "platform/posix/fd_io.h"
#include "platform/posix/os_error.h"
#include "platform/process_hardening.h"

namespace av::platform {
namespace {

using detail::os_error;
using detail::UniqueFd;

constexpr int kShutdownSignals[] = {SIGINT, SIGTERM, SIGHUP};

Error drop_error(std::string_view what, int err) {
  return Error(Errc::PermissionDenied, "drop privileges: " + std::string(what) + ": " +
                                           detail::errno_text(err));
}

Error drop_check_failed(std::string_view what) {
  return Error(Errc::Internal, "drop privileges: " + std::string(what));
}

// ids_are reports whether the real, effective and saved ids all equal `target`.
bool ids_are(UserIds target) noexcept {
#if defined(__linux__) || defined(__FreeBSD__) || defined(__OpenBSD__)
  uid_t ru = 0, eu = 0, su = 0;
  gid_t rg = 0, eg = 0, sg = 0;
  if (::getresuid(&ru, &eu, &su) != 0 || ::getresgid(&rg, &eg, &sg) != 0) return false;
  return ru == target.uid && eu == target.uid && su == target.uid && rg == target.gid &&
         eg == target.gid && sg == target.gid;
#else
  return ::getuid() == target.uid && ::geteuid() == target.uid && ::getgid() == target.gid &&
         ::getegid() == target.gid;
#endif
}

// set_ids changes groups, gid and uid (root only).
Status set_ids(UserIds target) {
  const auto gid = static_cast<gid_t>(target.gid);
  const auto uid = static_cast<uid_t>(target.uid);
#if defined(__linux__)
  if (::setgroups(0, nullptr) != 0) return drop_error("setgroups", errno);
#else
  if (::setgroups(1, &gid) != 0) return drop_error("setgroups", errno);
#endif
#if defined(__linux__) || defined(__FreeBSD__) || defined(__OpenBSD__)
  if (::setresgid(gid, gid, gid) != 0) return drop_error("setresgid", errno);
  if (::setresuid(uid, uid, uid) != 0) return drop_error("setresuid", errno);
#else
  if (::setgid(gid) != 0) return drop_error("setgid", errno);
  if (::setuid(uid) != 0) return drop_error("setuid", errno);
#endif
  return ok();
}

// verify_dropped re-reads what set_ids did and tries to undo it, which must fail.
Status verify_dropped(UserIds target) {
  if (!ids_are(target)) return drop_check_failed("ids did not change");
#if defined(__linux__)
  if (::getgroups(0, nullptr) != 0) return drop_check_failed("supplementary groups remain");
#endif
  if (target.uid != 0 && (::setuid(0) == 0 || ::seteuid(0) == 0)) {
    return drop_check_failed("root could be regained");
  }
  if (target.uid != 0 && target.gid != 0 && (::setgid(0) == 0 || ::setegid(0) == 0)) {
    return drop_check_failed("group root could be regained");
  }
  return ok();
}

// ---- run_in_child_process: signal forwarding to the forked child ----

std::atomic<pid_t> g_forward_to{0};
static_assert(std::atomic<pid_t>::is_always_lock_free);

extern "C" void forward_to_child(int signo) {
  const pid_t pid = g_forward_to.load();
  if (pid > 0) ::kill(pid, signo);
}

// SignalSet saves and replaces the handlers of kShutdownSignals; restore() puts them back.
class SignalSet {
 public:
  void install(void (*handler)(int)) noexcept {
    struct sigaction action {};
    action.sa_handler = handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < std::size(kShutdownSignals); ++i) {
      ::sigaction(kShutdownSignals[i], &action, &previous_[i]);
    }
  }
  void restore() noexcept {
    for (std::size_t i = 0; i < std::size(kShutdownSignals); ++i) {
      ::sigaction(kShutdownSignals[i], &previous_[i], nullptr);
    }
  }

 private:
  struct sigaction previous_[std::size(kShutdownSignals)] {};
};

sigset_t shutdown_mask() noexcept {
  sigset_t set;
  sigemptyset(&set);
  for (int signo : kShutdownSignals) sigaddset(&set, signo);
  return set;
}

Result<ExitStatus> wait_pid(pid_t pid, int flags, bool& done) {
  int status = 0;
  for (;;) {
    const pid_t rc = ::waitpid(pid, &status, flags);
    if (rc == pid) break;
    if (rc == 0) {
      done = false;
      return ExitStatus{};
    }
    if (errno != EINTR) return os_error("wait", "", errno);
  }
  done = true;
  ExitStatus out;
  if (WIFSIGNALED(status)) {
    out.term_signal = WTERMSIG(status);
  } else {
    out.exit_code = WEXITSTATUS(status);
  }
  return out;
}

// ---- spawn_background ----

struct ExecArgs {
  std::string path;
  std::vector<char*> argv;
  std::vector<char*> envp;
};

Result<ExecArgs> exec_args(const std::vector<std::string>& argv, const Environment& env) {
  if (argv.empty()) return Error(Errc::NotFound, "exec: no command");
  ExecArgs out;
  AV_TRY_ASSIGN(out.path, look_path(argv[0], env));
  for (const std::string& arg : argv) out.argv.push_back(const_cast<char*>(arg.c_str()));
  out.argv.push_back(nullptr);
  // Environment's invariant: every entry is followed by a NUL in memory.
  for (std::string_view entry : env.entries()) out.envp.push_back(const_cast<char*>(entry.data()));
  out.envp.push_back(nullptr);
  return out;
}

// exec_in_child is the forked child of spawn_background: async-signal-safe calls only.
[[noreturn]] void exec_in_child(const ExecArgs& args, int error_fd,
                                const sigset_t* mask) noexcept {
  (void)::setpgid(0, 0);
  restore_core_limit_for_child();
  ::signal(SIGPIPE, SIG_DFL);
  ::pthread_sigmask(SIG_SETMASK, mask, nullptr);
  ::execve(args.path.c_str(), args.argv.data(), args.envp.data());
  const int err = errno;
  (void)!::write(error_fd, &err, sizeof err);
  ::_exit(127);
}

// ---- ShutdownSignals ----

std::atomic<ShutdownCallback> g_shutdown_callback{nullptr};
std::atomic<void*> g_shutdown_context{nullptr};
std::atomic<bool> g_shutdown_in_use{false};
SignalSet g_shutdown_previous;

extern "C" void on_shutdown_signal(int /*signo*/) {
  const ShutdownCallback callback = g_shutdown_callback.load();
  if (callback != nullptr) callback(g_shutdown_context.load());
}

}  // namespace

UserIds real_user_ids() noexcept {
  return {static_cast<std::uint32_t>(::getuid()), static_cast<std::uint32_t>(::getgid())};
}

std::uint32_t effective_uid() noexcept { return static_cast<std::uint32_t>(::geteuid()); }

Status drop_privileges(UserIds target) {
  if (!ids_are(target)) {
    if (::geteuid() != 0) {
      return Error(Errc::PermissionDenied, "drop privileges: not running as root");
    }
    AV_TRY(set_ids(target));
    AV_TRY(verify_dropped(target));
  }
  return forbid_new_privileges();
}

Status forbid_new_privileges() {
#if defined(__linux__)
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return os_error("prctl", "", errno);
#endif
  return ok();
}

Result<std::string> self_executable_path() {
#if defined(__linux__)
  char buf[PATH_MAX + 1] = {};
  const ssize_t n = ::readlink("/proc/self/exe", buf, PATH_MAX);
  if (n < 0) return os_error("readlink", "/proc/self/exe", errno);
  if (n == 0 || buf[0] != '/') return Error(Errc::Io, "readlink /proc/self/exe: not a path");
  return std::string(buf, static_cast<std::size_t>(n));
#elif defined(__APPLE__)
  char buf[PATH_MAX] = {};
  std::uint32_t size = sizeof buf;
  if (::_NSGetExecutablePath(buf, &size) != 0) {
    return Error(Errc::Io, "executable path: too long");
  }
  char real[PATH_MAX] = {};
  if (::realpath(buf, real) == nullptr) return os_error("realpath", buf, errno);
  return std::string(real);
#else
  return Error(Errc::Unsupported, "executable path: not supported on this system");
#endif
}

Result<OwnedSecretFile> read_owned_secret_file(std::string_view path, std::size_t max_len) {
  const std::string p(path);
  UniqueFd fd;
  for (;;) {
    fd = UniqueFd(::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK));
    if (fd.valid() || errno != EINTR) break;
  }
  if (!fd.valid()) return os_error("open", p, errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return os_error("stat", p, errno);
  if (!S_ISREG(st.st_mode)) return Error(Errc::Unsupported, p + ": not a regular file");
  if (st.st_size < 0 || static_cast<std::uint64_t>(st.st_size) > max_len) {
    return Error(Errc::TooLarge, "read " + p + ": more than " + std::to_string(max_len) + " bytes");
  }
  AV_TRY_ASSIGN(secure::SecretBytes data, detail::read_fd_secret(fd.get(), max_len, p));
  return OwnedSecretFile{.data = std::move(data),
                         .owner_uid = static_cast<std::uint32_t>(st.st_uid),
                         .owner_gid = static_cast<std::uint32_t>(st.st_gid),
                         .mode = static_cast<std::uint32_t>(st.st_mode) & 07777U};
}

Result<std::string> make_private_temp_dir(std::string_view parent, std::string_view prefix) {
  std::string templ = join_path(parent, std::string(prefix) + "XXXXXX");
  if (::mkdtemp(templ.data()) == nullptr) return os_error("mkdir", templ, errno);
  return templ;
}

Status remove_empty_dir(std::string_view path) {
  const std::string p(path);
  if (::rmdir(p.c_str()) != 0) return os_error("remove", p, errno);
  return ok();
}

Result<ExitStatus> run_in_child_process(const std::function<int()>& body,
                                        const std::function<void()>& in_parent) {
  // Block the signals until the child's pid is published, so none is lost in between.
  const sigset_t block = shutdown_mask();
  sigset_t old_mask;
  ::pthread_sigmask(SIG_BLOCK, &block, &old_mask);
  SignalSet handlers;
  handlers.install(forward_to_child);
  const pid_t pid = ::fork();
  if (pid == 0) {
    handlers.restore();
    ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    ::_exit(body());
  }
  const int fork_errno = errno;
  if (pid > 0) g_forward_to.store(pid);
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  Result<ExitStatus> status = os_error("fork", "", fork_errno);
  if (pid > 0) {
    if (in_parent) in_parent();
    bool done = false;
    status = wait_pid(pid, 0, done);
  }
  g_forward_to.store(0);
  handlers.restore();
  return status;
}

BackgroundProcess& BackgroundProcess::operator=(BackgroundProcess&& other) noexcept {
  if (this != &other) {
    pid_ = other.pid_;
    other.pid_ = -1;
  }
  return *this;
}

Result<std::optional<ExitStatus>> BackgroundProcess::wait_for(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return Error(Errc::Internal, "wait: no process to wait for");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    bool done = false;
    AV_TRY_ASSIGN(const ExitStatus status, wait_pid(pid_, WNOHANG, done));
    if (done) {
      pid_ = -1;
      return std::optional<ExitStatus>(status);
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::optional<ExitStatus>();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Result<BackgroundProcess> spawn_background(const std::vector<std::string>& argv,
                                           const Environment& env) {
  AV_TRY_ASSIGN(const ExecArgs args, exec_args(argv, env));
  int fds[2] = {-1, -1};
#if defined(__linux__)
  if (::pipe2(fds, O_CLOEXEC) != 0) return os_error("pipe", "", errno);
#else
  if (::pipe(fds) != 0) return os_error("pipe", "", errno);
  (void)::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  (void)::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
#endif
  UniqueFd read_end(fds[0]);
  UniqueFd write_end(fds[1]);
  sigset_t mask;
  ::pthread_sigmask(SIG_SETMASK, nullptr, &mask);
  const pid_t pid = ::fork();
  if (pid < 0) return os_error("fork", "", errno);
  if (pid == 0) exec_in_child(args, write_end.get(), &mask);
  write_end.reset();
  // The pipe closes on a successful execve; otherwise it carries execve's errno.
  int child_errno = 0;
  ssize_t n = 0;
  do {
    n = ::read(read_end.get(), &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof child_errno)) {
    bool done = false;
    (void)wait_pid(pid, 0, done);
    return os_error("fork/exec", args.path, child_errno);
  }
  return BackgroundProcess(static_cast<int>(pid));
}

ShutdownSignals::ShutdownSignals(ShutdownCallback callback, void* context) {
  AV_CHECK(!g_shutdown_in_use.exchange(true));
  g_shutdown_context.store(context);
  g_shutdown_callback.store(callback);
  g_shutdown_previous.install(on_shutdown_signal);
}

ShutdownSignals::~ShutdownSignals() {
  g_shutdown_previous.restore();
  g_shutdown_callback.store(nullptr);
  g_shutdown_context.store(nullptr);
  g_shutdown_in_use.store(false);
}

}  // namespace av::platform
