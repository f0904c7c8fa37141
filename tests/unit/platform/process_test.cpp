#include "platform/process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "support/pty.h"
#include "temp_dir.h"

namespace av::platform {
namespace {

Environment test_env() {
  return Environment::from_pairs({{"PATH", "relative:/usr/bin:/bin"}, {"AV_VALUE", "from-env"}});
}

std::vector<std::string> sh(std::string script) { return {"sh", "-c", std::move(script)}; }

}  // namespace

TEST_CASE("look_path: searches the environment's PATH", "[platform][vector]") {
  auto env = test_env();
  auto found = look_path("sh", env);
  REQUIRE(found.has_value());
  CHECK(found->ends_with("/sh"));
  CHECK(found->front() == '/');
  CHECK(*look_path("/bin/sh", Environment()) == "/bin/sh");
  auto missing = look_path("no-such-program-av", env);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code() == Errc::NotFound);
  CHECK(missing.error().message() ==
        "exec: \"no-such-program-av\": executable file not found in $PATH");
  CHECK(look_path("sh", Environment()).error().code() == Errc::NotFound);
  CHECK(look_path("/etc/passwd", env).error().code() == Errc::PermissionDenied);
  CHECK(look_path("/nonexistent/x", env).error().code() == Errc::NotFound);
}

TEST_CASE("spawn_and_wait: reports exit codes", "[platform][vector]") {
  auto env = test_env();
  auto zero = spawn_and_wait(sh("exit 0"), env);
  REQUIRE(zero.has_value());
  CHECK(zero->success());
  auto seven = spawn_and_wait(sh("exit 7"), env);
  REQUIRE(seven.has_value());
  CHECK(seven->exit_code == 7);
  CHECK_FALSE(seven->signalled());
  CHECK(seven->shell_code() == 7);
  CHECK(seven->describe() == "exit status 7");
}

TEST_CASE("spawn_and_wait: reports a signalled child", "[platform][vector]") {
  auto killed = spawn_and_wait(sh("kill -KILL $$"), test_env());
  REQUIRE(killed.has_value());
  CHECK(killed->signalled());
  CHECK(killed->term_signal == SIGKILL);
  CHECK(killed->shell_code() == 128 + SIGKILL);
  CHECK(killed->describe() == "signal: killed");
}

TEST_CASE("spawn_and_wait: forwards signals to the child", "[platform][integration]") {
  // The child signals its parent (us) with SIGUSR1, which we forward back; it exits 5 on receipt.
  auto script = "trap 'exit 5' USR1; kill -USR1 $PPID; i=0; "
                "while [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; exit 9";
  auto status = spawn_and_wait(sh(script), test_env(), Signals::Forward);
  REQUIRE(status.has_value());
  CHECK(status->exit_code == 5);
}

TEST_CASE("spawn_and_wait: failure to start is an error", "[platform][error]") {
  testing::TempDir dir;
  auto env = test_env();
  CHECK(spawn_and_wait({"no-such-program-av"}, env).error().code() == Errc::NotFound);
  CHECK(spawn_and_wait({}, env).error().code() == Errc::NotFound);
  // A script with an exec bit but a missing interpreter fails inside execve.
  std::string script = dir.file("bad");
  FILE* f = std::fopen(script.c_str(), "w");
  REQUIRE(f != nullptr);
  std::fputs("#!/nonexistent/interpreter\n", f);
  std::fclose(f);
  REQUIRE(::chmod(script.c_str(), 0700) == 0);
  auto failed = spawn_and_wait({script}, env);
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().message() == "fork/exec " + script + ": no such file or directory");
}

TEST_CASE("capture_output: returns stdout and passes the environment", "[platform][vector]") {
  auto out = capture_output(sh("printf '%s' \"$AV_VALUE\"; echo ignored >&2"), test_env());
  REQUIRE(out.has_value());
  CHECK(out->reveal() == "from-env");
  auto secret_env = test_env();
  REQUIRE(secret_env.set_secret("AV_SECRET", secure::SecretString::copy_of("hunter2")));
  CHECK(capture_output(sh("printf %s \"$AV_SECRET\""), secret_env)->reveal() == "hunter2");
}

TEST_CASE("capture_output: bounded, and a failing child is an error", "[platform][error]") {
  auto env = test_env();
  CHECK(capture_output(sh("printf 12345"), env, 5)->reveal() == "12345");
  auto big = capture_output(sh("printf 123456"), env, 5);
  REQUIRE_FALSE(big.has_value());
  CHECK(big.error().code() == Errc::TooLarge);
  auto endless = capture_output(sh("yes"), env, 1000);
  CHECK(endless.error().code() == Errc::TooLarge);
  auto failed = capture_output(sh("echo partial; exit 3"), env);
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().code() == Errc::Io);
  CHECK(failed.error().message() == "exit status 3");
}

TEST_CASE("exec_replace: replaces the process image", "[platform][integration]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(fds[1], 1);
    auto st = exec_replace(sh("printf replaced; exit 4"), test_env());
    ::_exit(st.has_value() ? 100 : 101);
  }
  ::close(fds[1]);
  char buf[32] = {};
  auto n = ::read(fds[0], buf, sizeof buf);
  ::close(fds[0]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0) == "replaced");
  CHECK(WEXITSTATUS(status) == 4);
  CHECK(exec_replace({"no-such-program-av"}, test_env()).error().code() == Errc::NotFound);
}

}  // namespace av::platform

// ---- run_program ------------------------------------------------------------------------------
namespace av::platform {
namespace {

RunRequest run_request(std::vector<std::string> argv, const Environment& env) {
  RunRequest request;
  request.argv = std::move(argv);
  request.env = &env;
  return request;
}

std::string stdout_text(const RunResult& result) {
  return std::string(as_chars(result.stdout_data.reveal()));
}

}  // namespace

TEST_CASE("run_program: captures stdout, stderr and the exit status", "[platform][vector]") {
  auto env = test_env();
  auto result = run_program(
      run_request(sh("printf 'out:%s' \"$AV_VALUE\"; printf 'err-text' >&2; exit 3"), env));
  REQUIRE(result.has_value());
  CHECK(stdout_text(*result) == "out:from-env");
  CHECK(result->stderr_text == "err-text");
  CHECK_FALSE(result->stderr_truncated);
  CHECK(result->status.exit_code == 3);
  // Without stdin_data the child reads /dev/null: immediate EOF.
  auto empty_in = run_program(run_request(sh("wc -c"), env));
  REQUIRE(empty_in.has_value());
  CHECK(stdout_text(*empty_in).find('0') != std::string::npos);
}

TEST_CASE("run_program: feeds stdin from secure memory and closes it", "[platform][vector]") {
  auto env = test_env();
  auto secret = secure::SecretBytes::copy_of(as_bytes(std::string_view("line1\nno-newline")));
  auto request = run_request({"cat"}, env);
  request.stdin_data = secret.reveal();
  auto result = run_program(request);
  REQUIRE(result.has_value());
  CHECK(result->status.success());
  CHECK(stdout_text(*result) == "line1\nno-newline");
  secure::SecretBytes none;
  request.stdin_data = none.reveal();
  CHECK(run_program(request)->stdout_data.empty());
}

TEST_CASE("run_program: no deadlock with large stdin, stdout and stderr at once",
          "[platform][integration]") {
  auto env = test_env();
  // 1 MiB in; the child echoes it to stdout and writes 200 KiB of stderr before reading.
  std::string big(1024 * 1024, 'x');
  auto request = run_request(
      sh("head -c 204800 /dev/zero | tr '\\0' e >&2; cat; head -c 100000 /dev/zero >&2"), env);
  request.stdin_data = as_bytes(big);
  request.max_stdout_len = 2 * 1024 * 1024;
  request.max_stderr_len = 1000;
  request.timeout = std::chrono::seconds(30);
  auto result = run_program(request);
  REQUIRE(result.has_value());
  CHECK(result->status.success());
  CHECK(result->stdout_data.size() == big.size());
  CHECK(result->stderr_text == std::string(1000, 'e'));
  CHECK(result->stderr_truncated);
}

TEST_CASE("run_program: a child that ignores its stdin is not an error", "[platform][error]") {
  auto env = test_env();
  std::string big(512 * 1024, 'y');
  auto request = run_request(sh("exec 0<&-; printf done"), env);
  request.stdin_data = as_bytes(big);
  auto result = run_program(request);
  REQUIRE(result.has_value());
  CHECK(stdout_text(*result) == "done");
  CHECK(result->status.success());
}

TEST_CASE("run_program: stdout is bounded and the child is killed", "[platform][error]") {
  auto env = test_env();
  auto request = run_request(sh("yes"), env);
  request.max_stdout_len = 10000;
  auto result = run_program(request);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code() == Errc::TooLarge);
  request.argv = sh("printf 1234567890");
  request.max_stdout_len = 10;
  CHECK(stdout_text(*run_program(request)) == "1234567890");
}

TEST_CASE("run_program: a timeout kills the child", "[platform][error]") {
  auto env = test_env();
  auto request = run_request(sh("sleep 30"), env);
  request.timeout = std::chrono::milliseconds(300);
  auto started = std::chrono::steady_clock::now();
  auto result = run_program(request);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code() == Errc::Io);
  CHECK(result.error().message() == "timeout after 300ms");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  // A child that closed its pipes but keeps running is also stopped at the deadline; with its
  // own process group a grandchild holding the pipes dies with it.
  request.argv = sh("exec >&- 2>&-; sleep 30");
  request.timeout = std::chrono::seconds(1);
  CHECK(run_program(request).error().message() == "timeout after 1s");
  request.argv = sh("sleep 30 & wait");
  request.own_process_group = true;
  started = std::chrono::steady_clock::now();
  CHECK(run_program(request).error().code() == Errc::Io);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
}

TEST_CASE("run_program: inherited stderr and start failures", "[platform][error]") {
  auto env = test_env();
  auto request = run_request(sh("printf ok; printf 'to-our-stderr\\n' >&2"), env);
  request.stderr_mode = StderrMode::Inherit;
  auto result = run_program(request);
  REQUIRE(result.has_value());
  CHECK(stdout_text(*result) == "ok");
  CHECK(result->stderr_text.empty());
  CHECK(run_program(run_request({"no-such-program-av"}, env)).error().code() == Errc::NotFound);
  CHECK(run_program(run_request({}, env)).error().code() == Errc::NotFound);
}

TEST_CASE("run_program: a signalled child is reported, not an error", "[platform][vector]") {
  auto env = test_env();
  auto result = run_program(run_request(sh("kill -TERM $$"), env));
  REQUIRE(result.has_value());
  CHECK(result->status.term_signal == SIGTERM);
}

namespace {

// in_new_session runs `body` in a forked child that started a new session (so it has no
// controlling terminal) and returns what it reported; a child stuck for 10 s is killed.
std::string in_new_session(const std::function<std::string()>& body) {
  int report[2];
  REQUIRE(::pipe(report) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(report[0]);
    ::setsid();
    std::string text = body();
    (void)!::write(report[1], text.data(), text.size());
    ::_exit(0);
  }
  ::close(report[1]);
  int status = 0;
  for (int i = 0; i < 1000 && ::waitpid(pid, &status, WNOHANG) != pid; ++i) ::usleep(10'000);
  if (::kill(pid, 0) == 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  char buf[256];
  auto n = ::read(report[0], buf, sizeof buf);
  ::close(report[0]);
  return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

}  // namespace

TEST_CASE("run_program: stdin and stderr can come from the controlling terminal",
          "[platform][integration]") {
  auto run = av::testing::run_in_pty(
      [] {
        auto env = test_env();
        auto request = run_request(
            sh("printf 'helper-asks: ' >&2; read line; printf 'got:%s' \"$line\""), env);
        request.stdio_from_controlling_terminal = true;
        auto result = run_program(request);
        if (!result) return std::string(result.error().message());
        return stdout_text(*result) + "|" + result->stderr_text;
      },
      {.wait_for = "helper-asks: ", .typed = "typed-on-tty\n"});
  CHECK(run.result == "got:typed-on-tty|");
  CHECK(run.tty_output.find("helper-asks: ") != std::string::npos);
}

TEST_CASE("run_program: without a controlling terminal stdin is empty and stderr as asked",
          "[platform][error]") {
  auto report = in_new_session([] {
    auto env = test_env();
    auto request = run_request(sh("read line; printf 'read:%s' $?; printf 'e' >&2"), env);
    request.stdio_from_controlling_terminal = true;
    auto result = run_program(request);
    if (!result) return std::string(result.error().message());
    return stdout_text(*result) + "|" + result->stderr_text;
  });
  CHECK(report == "read:1|e");
}

}  // namespace av::platform
