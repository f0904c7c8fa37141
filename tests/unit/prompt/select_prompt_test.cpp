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

#include "support/pty.h"

namespace av::prompt {
namespace {

using testing::PtyRun;

// run_with_pty runs select_one over three options on a pty made the child's stdin and stdout,
// and types `typed` once the first frame is drawn. The first frame is drawn before raw mode is
// set: wait for the last option, then a little more.
PtyRun run_with_pty(std::string_view typed) {
  const testing::PtyChild body = []() {
    auto picked = select_one("Choose AWS profile:", {"dev", "prod", "staging"});
    return picked ? "ok:" + *picked
                  : "err:" + std::string(errc_name(picked.error().code())) + ":" +
                        std::string(picked.error().message());
  };
  return testing::run_in_pty(
      body, {.wait_for = "staging", .typed = typed, .settle_ms = 100, .as_std_streams = true});
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
