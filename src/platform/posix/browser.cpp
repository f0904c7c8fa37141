// browser.cpp: opening a URL with $BROWSER or the platform opener (see browser.h).
//
// No shell is involved anywhere: $BROWSER entries are split on spaces by us, and the URL is one
// argv element (or is substituted for "%s" inside one), so shell metacharacters in it are inert.
// The URL usually carries a console sign-in token, so the argv strings are built in locked
// memory; the child's own copy (and /proc/<pid>/cmdline) cannot be helped. The child's stdout is
// our stderr, so whatever an opener prints never mixes into a command's output.
#include "platform/browser.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <optional>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "platform/posix/os_error.h"
#include "platform/process.h"
#include "platform/process_hardening.h"
#include "secure/secret.h"

namespace av::platform {
namespace {

using detail::os_error;
using detail::UniqueFd;

#if defined(__APPLE__)
constexpr std::string_view kPlatformOpener = "open";
#else
constexpr std::string_view kPlatformOpener = "xdg-open";
#endif

using Words = std::vector<std::string>;

// split splits `text` on `sep`, dropping empty pieces.
std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const std::size_t at = text.find(sep);
    const std::string_view piece = text.substr(0, at);
    if (!piece.empty()) out.push_back(piece);
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + 1);
  }
  return out;
}

// openers lists the commands to try, in order: $BROWSER's entries, else the platform opener.
std::vector<Words> openers(const Environment& env) {
  std::vector<Words> out;
  for (const std::string_view entry : split(env.get_nonempty("BROWSER").value_or(""), ':')) {
    Words words;
    for (const std::string_view word : split(entry, ' ')) words.emplace_back(word);
    if (!words.empty()) out.push_back(std::move(words));
  }
  if (out.empty()) out.push_back({std::string(kPlatformOpener)});
  return out;
}

// Argv: NUL-terminated arguments in locked memory and the pointer array execve takes.
struct Argv {
  std::vector<secure::SecretBytes> strings;
  std::vector<char*> pointers;
};

Status add_argument(Argv& argv, std::string_view word, std::string_view url) {
  std::size_t uses = 0;
  for (std::size_t at = word.find("%s"); at != std::string_view::npos;
       at = word.find("%s", at + 2)) {
    ++uses;
  }
  secure::SecretBytes text(word.size() + uses * url.size() + 1);
  for (std::size_t at = word.find("%s"); at != std::string_view::npos; at = word.find("%s")) {
    AV_TRY(text.append(as_bytes(word.substr(0, at))));
    AV_TRY(text.append(as_bytes(url)));
    word.remove_prefix(at + 2);
  }
  AV_TRY(text.append(as_bytes(word)));
  AV_TRY(text.append(as_bytes(std::string_view("\0", 1))));
  argv.strings.push_back(std::move(text));
  return ok();
}

// make_argv renders `words` with the URL in place of every "%s", or appended when none has one.
Result<Argv> make_argv(const Words& words, std::string_view url) {
  Argv argv;
  bool substituted = false;
  for (const std::string& word : words) {
    substituted = substituted || word.find("%s") != std::string::npos;
    AV_TRY(add_argument(argv, word, url));
  }
  if (!substituted) AV_TRY(add_argument(argv, "%s", url));
  for (secure::SecretBytes& s : argv.strings) {
    // execve's argv type is char* const[]; the strings are never written through these.
    argv.pointers.push_back(const_cast<char*>(as_chars(s.reveal()).data()));
  }
  argv.pointers.push_back(nullptr);
  return argv;
}

// run_child is the forked child: async-signal-safe calls only, never returns.
[[noreturn]] void run_child(const std::string& path, char* const* argv, char* const* envp,
                            int error_fd) noexcept {
  restore_core_limit_for_child();
  ::signal(SIGPIPE, SIG_DFL);
  if (::dup2(2, 1) >= 0) ::execve(path.c_str(), argv, envp);
  int err = errno;
  (void)!::write(error_fd, &err, sizeof err);
  ::_exit(127);
}

// Started: the child ran (`status` is how it ended), or execve failed (`exec_errno`).
struct Started {
  int exec_errno = 0;
  ExitStatus status;
};

Result<Started> start_and_wait(const std::string& path, const Argv& argv,
                               const Environment& env) {
  std::vector<char*> envp;
  for (const std::string_view entry : env.entries()) envp.push_back(const_cast<char*>(entry.data()));
  envp.push_back(nullptr);
  int fds[2] = {-1, -1};
#if defined(__linux__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__)
  if (::pipe2(fds, O_CLOEXEC) != 0) return os_error("pipe", "", errno);
#else
  if (::pipe(fds) != 0) return os_error("pipe", "", errno);
  ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
#endif
  UniqueFd read_end(fds[0]);
  UniqueFd write_end(fds[1]);
  const pid_t pid = ::fork();
  if (pid < 0) return os_error("fork", "", errno);
  if (pid == 0) run_child(path, argv.pointers.data(), envp.data(), write_end.get());
  write_end.reset();
  Started started;
  ssize_t n = 0;
  do {
    n = ::read(read_end.get(), &started.exec_errno, sizeof started.exec_errno);
  } while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof started.exec_errno)) started.exec_errno = 0;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return os_error("wait", "", errno);
  }
  if (WIFSIGNALED(status)) {
    started.status.term_signal = WTERMSIG(status);
  } else {
    started.status.exit_code = WEXITSTATUS(status);
  }
  return started;
}

}  // namespace

Status open_url(std::string_view url, const Environment& env) {
  std::optional<Error> last;
  for (const Words& words : openers(env)) {
    Result<std::string> path = look_path(words.front(), env);
    if (!path) {
      last = std::move(path).error();
      continue;
    }
    AV_TRY_ASSIGN(const Argv argv, make_argv(words, url));
    AV_TRY_ASSIGN(const Started started, start_and_wait(*path, argv, env));
    if (started.exec_errno != 0) {
      last = os_error("fork/exec", *path, started.exec_errno);
      continue;
    }
    if (!started.status.success()) return Error(Errc::Io, started.status.describe());
    return ok();
  }
  return Error(Errc::NotFound, std::string(last->message()));
}

}  // namespace av::platform
