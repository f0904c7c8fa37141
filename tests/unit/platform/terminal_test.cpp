// Drives prompt_tty_line through a pseudo-terminal: the child becomes a session leader with the
// pty as its controlling terminal, so its open("/dev/tty") reaches the pty; the parent types.
#include "platform/terminal.h"

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

namespace av::platform {
namespace {

struct PtyRun {
  std::string tty_output;  // everything the child wrote to the terminal
  std::string result;      // what the child reported through its pipe
  int exit_code = -1;
};

[[noreturn]] void child_prompt(int master, const std::string& slave, int report_fd, Echo echo) {
  ::close(master);  // else the slave never sees a hang-up if the parent gives up
  ::setsid();
  int tty = ::open(slave.c_str(), O_RDWR);
  if (tty < 0 || ::ioctl(tty, TIOCSCTTY, 0) != 0) ::_exit(90);
  auto line = prompt_tty_line("Key: ", echo);
  std::string report = line ? "ok:" + std::string(line->reveal())
                            : "err:" + std::string(errc_name(line.error().code()));
  struct termios after {};
  tcflag_t wanted = ECHO | ICANON;
  bool restored = ::tcgetattr(tty, &after) == 0 && (after.c_lflag & wanted) == wanted;
  if (!restored) report += ":terminal-not-restored";
  (void)!::write(report_fd, report.data(), report.size());
  ::_exit(0);
}

// read_available appends whatever the pty master has within `timeout_ms` to `out`.
void read_available(int master, std::string& out, int timeout_ms) {
  struct pollfd p {master, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0 || (p.revents & POLLIN) == 0) {
    ::usleep(10 * 1000);  // POLLHUP alone (no slave open yet, or already closed): wait a little
    return;
  }
  char buf[256];
  auto n = ::read(master, buf, sizeof buf);
  if (n > 0) out.append(buf, static_cast<std::size_t>(n));
}

// wait_for_text reads until `text` has appeared (the prompt is written after the mode switch).
void wait_for_text(int master, std::string& out, std::string_view text) {
  for (int i = 0; i < 1000 && out.find(text) == std::string::npos; ++i) {
    read_available(master, out, 10);
  }
}

// drain reads from the pty master until the child has exited, then collects what is left.
void drain(int master, pid_t pid, std::string& out, int& exit_code) {
  for (int i = 0; i < 1000 && exit_code < 0; ++i) {
    read_available(master, out, 10);
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) exit_code = WEXITSTATUS(status);
  }
  for (int i = 0; i < 5; ++i) read_available(master, out, 10);
}

PtyRun run_with_pty(std::string_view typed, Echo echo) {
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
  if (pid == 0) child_prompt(master, slave, report[1], echo);
  ::close(report[1]);
  wait_for_text(master, run.tty_output, "Key: ");
  REQUIRE(::write(master, typed.data(), typed.size()) == static_cast<ssize_t>(typed.size()));
  drain(master, pid, run.tty_output, run.exit_code);
  if (run.exit_code < 0) {  // stuck: do not hang the test binary
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

}  // namespace

TEST_CASE("prompt_tty_line: reads from the controlling terminal with echo",
          "[platform][integration]") {
  auto run = run_with_pty("AK\x01IAx\x7f\r", Echo::Visible);
  CHECK(run.exit_code == 0);
  CHECK(run.result == "ok:AKIA");
  CHECK(run.tty_output == "Key: AKIAx\b \b\r\n");  // the pty's ONLCR turns "\n" into "\r\n"
}

TEST_CASE("prompt_tty_line: masked echo on the terminal", "[platform][integration]") {
  auto run = run_with_pty(" s3cr\r", Echo::Masked);
  CHECK(run.result == "ok:s3cr");
  CHECK(run.tty_output == "Key: *****\r\n");
}

TEST_CASE("prompt_tty_line: Ctrl-C cancels and restores the terminal", "[platform][integration]") {
  auto run = run_with_pty("ab\x03", Echo::Visible);
  CHECK(run.result == "err:cancelled");
}

TEST_CASE("prompt_tty_line: without a controlling terminal it fails", "[platform][error]") {
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setsid();  // a new session has no controlling terminal
    auto line = prompt_tty_line("x: ", Echo::Visible);
    bool expected = !line && line.error().code() == Errc::Io &&
                    line.error().message() == "open /dev/tty: no such device or address";
    ::_exit(expected ? 0 : 1);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("terminal queries on non-terminals", "[platform][vector]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  int saved = ::dup(0);
  ::dup2(fds[0], 0);
  CHECK_FALSE(is_terminal(StdStream::In));
  CHECK_FALSE(terminal_width(StdStream::In).has_value());
  auto pass = prompt_passphrase("Enter passphrase");
  ::dup2(saved, 0);
  ::close(saved);
  ::close(fds[0]);
  ::close(fds[1]);
  REQUIRE_FALSE(pass.has_value());
  CHECK(pass.error().code() == Errc::Io);
}

}  // namespace av::platform
