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

#include "support/pty.h"

namespace av::platform {
namespace {

using testing::PtyRun;

// run_with_pty runs prompt_tty_line("Key: ") in a child whose controlling terminal is a pty (its
// open("/dev/tty") reaches the pty) and types `typed` once the prompt is drawn.
PtyRun run_with_pty(std::string_view typed, Echo echo) {
  const testing::PtyChild body = [echo]() {
    auto line = prompt_tty_line("Key: ", echo);
    return line ? "ok:" + std::string(line->reveal())
                : "err:" + std::string(errc_name(line.error().code()));
  };
  return testing::run_in_pty(body, {.wait_for = "Key: ", .typed = typed});
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
