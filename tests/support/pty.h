// pty.h: run a piece of code in a child process whose controlling terminal is a fresh
// pseudo-terminal, type at it from the parent, and collect what it drew and reported. Used by the
// TTY prompt tests (platform) and the profile picker tests (prompt). POSIX, tests only.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <string_view>

namespace av::testing {

struct PtyRun {
  std::string tty_output;  // everything the child wrote to the terminal
  std::string result;      // what the child's body returned (plus ":terminal-not-restored")
  int exit_code = -1;
};

// PtyScript: wait until `wait_for` was drawn, pause `settle_ms`, type `typed`.
struct PtyScript {
  std::string_view wait_for;
  std::string_view typed;
  int settle_ms = 0;
  bool as_std_streams = false;  // also make the pty the child's stdin and stdout
};

// PtyChild runs in the child (no Catch2 macros there) and returns the text to report.
using PtyChild = std::function<std::string()>;

namespace detail {

inline void read_available(int master, std::string& out, int timeout_ms) {
  struct pollfd p {master, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0 || (p.revents & POLLIN) == 0) {
    ::usleep(10 * 1000);  // POLLHUP alone (no slave open yet, or already closed): wait a little
    return;
  }
  char buf[512];
  auto n = ::read(master, buf, sizeof buf);
  if (n > 0) out.append(buf, static_cast<std::size_t>(n));
}

[[noreturn]] inline void run_child(int master, const std::string& slave, int report_fd,
                                   const PtyChild& body, bool as_std_streams) {
  ::close(master);  // else the slave never sees a hang-up if the parent gives up
  ::setsid();
  int tty = ::open(slave.c_str(), O_RDWR);
  if (tty < 0 || ::ioctl(tty, TIOCSCTTY, 0) != 0) ::_exit(90);
  if (as_std_streams) {
    ::dup2(tty, 0);
    ::dup2(tty, 1);
  }
  std::string report = body();
  struct termios after {};
  const tcflag_t wanted = ECHO | ICANON;
  if (::tcgetattr(tty, &after) != 0 || (after.c_lflag & wanted) != wanted) {
    report += ":terminal-not-restored";
  }
  (void)!::write(report_fd, report.data(), report.size());
  ::_exit(0);
}

}  // namespace detail

// run_in_pty forks, runs `body` in the child on the pty, plays `script` from the parent, and
// waits (bounded: about 10 s) for the child; a stuck child is killed so the test cannot hang.
inline PtyRun run_in_pty(const PtyChild& body, const PtyScript& script) {
  PtyRun run;
  int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  REQUIRE(master >= 0);
  REQUIRE(::grantpt(master) == 0);
  REQUIRE(::unlockpt(master) == 0);
  const std::string slave = ::ptsname(master);
  int report[2];
  REQUIRE(::pipe(report) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) detail::run_child(master, slave, report[1], body, script.as_std_streams);
  ::close(report[1]);
  for (int i = 0; i < 1000 && run.tty_output.find(script.wait_for) == std::string::npos; ++i) {
    detail::read_available(master, run.tty_output, 10);
  }
  if (script.settle_ms > 0) ::usleep(static_cast<useconds_t>(script.settle_ms) * 1000);
  REQUIRE(::write(master, script.typed.data(), script.typed.size()) ==
          static_cast<ssize_t>(script.typed.size()));
  for (int i = 0; i < 1000 && run.exit_code < 0; ++i) {
    detail::read_available(master, run.tty_output, 10);
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) run.exit_code = WEXITSTATUS(status);
  }
  for (int i = 0; i < 5; ++i) detail::read_available(master, run.tty_output, 10);  // the rest
  if (run.exit_code < 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  char buf[256];
  auto n = ::read(report[0], buf, sizeof buf);
  run.result.assign(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  ::close(report[0]);
  ::close(master);
  return run;
}

}  // namespace av::testing
