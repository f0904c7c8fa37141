// Tests for prompt::select_one and frame_update. The end-to-end cases drive the real I/O loop
// through a pseudo-terminal made the child's stdin and stdout (same approach as
// tests/unit/platform/terminal_test.cpp).
#include "prompt/select_prompt.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace av::prompt {
namespace {

struct PtyRun {
  std::string tty_output;
  std::string result;
  int exit_code = -1;
};

[[noreturn]] void child_select(int master, const std::string& slave, int report_fd) {
  ::close(master);
  ::setsid();
  int tty = ::open(slave.c_str(), O_RDWR);
  if (tty < 0 || ::ioctl(tty, TIOCSCTTY, 0) != 0) ::_exit(90);
  ::dup2(tty, 0);
  ::dup2(tty, 1);
  auto picked = select_one("Choose AWS profile:", {"dev", "prod", "staging"});
  std::string report = picked ? "ok:" + *picked
                              : "err:" + std::string(errc_name(picked.error().code())) + ":" +
                                    std::string(picked.error().message());
  struct termios after {};
  tcflag_t wanted = ECHO | ICANON;
  if (::tcgetattr(0, &after) != 0 || (after.c_lflag & wanted) != wanted) {
    report += ":terminal-not-restored";
  }
  (void)!::write(report_fd, report.data(), report.size());
  ::_exit(0);
}

void read_available(int master, std::string& out, int timeout_ms) {
  struct pollfd p {master, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0 || (p.revents & POLLIN) == 0) {
    ::usleep(10 * 1000);
    return;
  }
  char buf[512];
  auto n = ::read(master, buf, sizeof buf);
  if (n > 0) out.append(buf, static_cast<std::size_t>(n));
}

PtyRun run_with_pty(std::string_view typed) {
  PtyRun run;
  int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  REQUIRE(master >= 0);
  REQUIRE(::grantpt(master) == 0);
  REQUIRE(::unlockpt(master) == 0);
  std::string slave = ::ptsname(master);
  int report[2];
  REQUIRE(::pipe(report) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) child_select(master, slave, report[1]);
  ::close(report[1]);
  // The first frame is drawn before raw mode is set: wait for the last option, then a little more.
  for (int i = 0; i < 1000 && run.tty_output.find("staging") == std::string::npos; ++i) {
    read_available(master, run.tty_output, 10);
  }
  ::usleep(100 * 1000);
  REQUIRE(::write(master, typed.data(), typed.size()) == static_cast<ssize_t>(typed.size()));
  for (int i = 0; i < 1000 && run.exit_code < 0; ++i) {
    read_available(master, run.tty_output, 10);
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) run.exit_code = WEXITSTATUS(status);
  }
  for (int i = 0; i < 5; ++i) read_available(master, run.tty_output, 10);  // what is left
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

TEST_CASE("frame_update clears the previous frame bottom-up and draws the new one",
          "[prompt][vector]") {
  CHECK(frame_update(0, {"a", "b"}) == "\ra\nb");
  CHECK(frame_update(1, {"x"}) == "\x1b[2K\rx");
  CHECK(frame_update(3, {}) == "\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\r");
}

TEST_CASE("select_one with no options fails before touching the terminal", "[prompt][error]") {
  auto picked = select_one("Choose AWS profile:", {});
  REQUIRE_FALSE(picked);
  CHECK(picked.error().message() == "please provide options to select from");
}

TEST_CASE("select_one picks with arrows and filtering through a real terminal",
          "[prompt][integration]") {
  auto run = run_with_pty("\x1b[B\x1b[Bpro\r");
  CHECK(run.exit_code == 0);
  CHECK(run.result == "ok:prod");
  CHECK(run.tty_output.find("? Choose AWS profile:  [Use arrows to move, type to filter]") !=
        std::string::npos);
  CHECK(run.tty_output.find("> prod") != std::string::npos);
  // The answer line is the last thing drawn (the pty's ONLCR turns "\n" into "\r\n").
  std::string_view tail = "\x1b[2K\r? Choose AWS profile: prod\r\n";
  REQUIRE(run.tty_output.size() >= tail.size());
  CHECK(run.tty_output.substr(run.tty_output.size() - tail.size()) == tail);
}

TEST_CASE("ctrl-c in the picker is an interrupt and restores the terminal", "[prompt][error]") {
  auto run = run_with_pty("de\x03");
  CHECK(run.exit_code == 0);
  CHECK(run.result == "err:cancelled:interrupt");
}

}  // namespace
}  // namespace av::prompt
