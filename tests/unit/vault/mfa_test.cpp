// mfa_test.cpp: where MFA codes come from (spec §9): --mfa-token, mfa_process, and the prompt
// drivers. GUI drivers and ykman are fake shell scripts on PATH that record their argv (NUL
// separated) so the exact invocation is checked; the terminal driver runs on a pseudo-terminal.
#include "vault/mfa.h"

#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "base/log.h"
#include "support/pty.h"
#include "vault/mfa_drivers.h"

namespace av::vault {
namespace {

constexpr std::string_view kSerial = "arn:aws:iam::123456789012:mfa/jonsmith";

// FakeBin: a private directory of fake helper programs, removed afterwards.
class FakeBin {
 public:
  FakeBin() {
    std::string pattern = "/tmp/av-mfa-test-XXXXXX";
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
  }
  ~FakeBin() {
    ::nftw(
        dir_.c_str(), [](const char* p, const struct stat*, int, FTW*) { return std::remove(p); },
        16, FTW_DEPTH | FTW_PHYS);
  }
  FakeBin(const FakeBin&) = delete;
  FakeBin& operator=(const FakeBin&) = delete;

  // add writes an executable `name` that records its arguments, then runs `body`.
  void add(const std::string& name, const std::string& body) const {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\nprintf '%s\\0' \"$@\" > '" << argv_file() << "'\n"
                        << body << "\n";
    REQUIRE(::chmod(path.c_str(), 0700) == 0);
  }
  std::string argv_file() const { return dir_ + "/argv"; }
  // recorded_argv reads the arguments the last fake was called with.
  std::vector<std::string> recorded_argv() const {
    std::ifstream in(argv_file());
    std::stringstream all;
    all << in.rdbuf();
    std::vector<std::string> args;
    std::string arg;
    while (std::getline(all, arg, '\0')) args.push_back(arg);
    return args;
  }
  platform::Environment env(std::vector<std::pair<std::string, std::string>> extra = {}) const {
    extra.emplace_back("PATH", dir_ + ":/usr/bin:/bin");
    return platform::Environment::from_pairs(std::move(extra));
  }

 private:
  std::string dir_;
};

config::ResolvedProfile mfa_profile(std::string driver = "", std::string process = "") {
  config::ResolvedProfile profile;
  profile.name = "dev";
  profile.mfa_serial = std::string(kSerial);
  profile.prompt_driver = std::move(driver);
  profile.mfa_process = std::move(process);
  return profile;
}

// code_or_error renders a token() result for comparisons in one line.
std::string code_or_error(const Result<secure::SecretString>& code) {
  if (code) return "code:" + std::string(code->reveal());
  return "error:" + std::string(code.error().message());
}

std::string ask(const platform::Environment& env, const config::ResolvedProfile& profile) {
  return code_or_error(make_mfa_source(env)->token(profile));
}

std::vector<std::string> g_debug_lines;
void record_debug(std::string_view line) { g_debug_lines.emplace_back(line); }

// without_terminal runs `body` in a forked child in a new session (no controlling terminal) and
// returns its report; a child still running after 10 s is killed and reports "hung".
std::string without_terminal(const std::function<std::string()>& body) {
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
  bool done = false;
  for (int i = 0; i < 1000 && !done; ++i) {
    done = ::waitpid(pid, nullptr, WNOHANG) == pid;
    if (!done) ::usleep(10'000);
  }
  if (!done) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  char buf[512];
  auto n = ::read(report[0], buf, sizeof buf);
  ::close(report[0]);
  return done ? std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0) : "hung";
}

}  // namespace

TEST_CASE("--mfa-token wins over mfa_process and the prompt driver", "[vault][vector]") {
  FakeBin bin;
  auto profile = mfa_profile("zenity", "exit 7");
  profile.mfa_token = secure::SecretString::copy_of("123456");
  std::vector<std::string> observed;
  auto source = make_mfa_source(bin.env(), [&](std::string_view s) { observed.emplace_back(s); });
  CHECK(code_or_error(source->token(profile)) == "code:123456");
  CHECK(code_or_error(source->token(profile)) == "code:123456");  // reused for every call
  CHECK(observed == std::vector<std::string>{std::string(kSerial), std::string(kSerial)});
}

TEST_CASE("mfa_process: stdout trimmed, environment passed, stderr kept out of the code",
          "[vault][vector]") {
  FakeBin bin;
  bin.add("zenity", "echo 999999");
  auto env = bin.env({{"AV_CODE", "654321"}});
  CHECK(ask(env, mfa_profile("zenity", "printf ' \\t\\n%s \\r\\n' \"$AV_CODE\"")) == "code:654321");
  CHECK(ask(env, mfa_profile("", "echo noise >&2; echo 111")) == "code:111");
  CHECK(ask(env, mfa_profile("", "true")) == "code:");  // no format check (spec §9.1)
  CHECK_FALSE(std::ifstream(bin.argv_file()).good());   // the driver never ran
  g_debug_lines.clear();
  log::set_debug_sink(record_debug);
  CHECK(ask(env, mfa_profile("", "echo 1")) == "code:1");
  log::set_debug_sink(nullptr);
  CHECK(g_debug_lines == std::vector<std::string>{"Executing mfa_process"});
}

TEST_CASE("mfa_process: failures read `process provider: <err>`", "[vault][error]") {
  FakeBin bin;
  auto env = bin.env();
  auto source = make_mfa_source(env);
  auto failed = source->token(mfa_profile("", "echo 123456; exit 3"));
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().code() == Errc::Io);
  CHECK(failed.error().message() == "process provider: exit status 3");
  CHECK(ask(env, mfa_profile("", "kill -KILL $$")) == "error:process provider: signal: killed");
  auto flood = source->token(mfa_profile("", "yes"));
  REQUIRE_FALSE(flood.has_value());
  CHECK(flood.error().code() == Errc::TooLarge);
  CHECK(flood.error().message().starts_with("process provider: "));
}

TEST_CASE("zenity and kdialog are run with upstream's exact arguments", "[vault][vector]") {
  FakeBin bin;
  bin.add("zenity", "echo 'warning: gtk' >&2; printf ' 246810\\n'");
  bin.add("kdialog", "printf '135790\\n\\n'");
  auto env = bin.env();
  CHECK(ask(env, mfa_profile("zenity")) == "code:246810");
  CHECK(bin.recorded_argv() ==
        std::vector<std::string>{"--entry", "--title", "aws-vault", "--text",
                                 "Enter MFA code for " + std::string(kSerial) + ": "});
  CHECK(ask(env, mfa_profile("kdialog")) == "code:135790");
  CHECK(bin.recorded_argv() ==
        std::vector<std::string>{"--inputbox", "Enter MFA code for " + std::string(kSerial) + ": ",
                                 "--title", "aws-vault"});
}

TEST_CASE("osascript gets upstream's script with the prompt Go-quoted", "[vault][vector]") {
  FakeBin bin;
  bin.add("osascript", "echo 112233");
  auto profile = mfa_profile("osascript");
  profile.mfa_serial = "arn:aws:iam::1:mfa/a\"b\\c";
  CHECK(ask(bin.env(), profile) == "code:112233");
  const std::string script =
      "\n\t\tdisplay dialog \"Enter MFA code for arn:aws:iam::1:mfa/a\\\"b\\\\c: \" default "
      "answer \"\" buttons {\"OK\", \"Cancel\"} default button 1\n"
      "        text returned of the result\n"
      "        return result";
  CHECK(bin.recorded_argv() == std::vector<std::string>{"-e", script});
}

TEST_CASE("GUI driver failures surface as the raw process error", "[vault][error]") {
  FakeBin bin;
  bin.add("zenity", "exit 1");
  auto failed = make_mfa_source(bin.env())->token(mfa_profile("zenity"));
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().code() == Errc::Io);
  CHECK(failed.error().message() == "exit status 1");
  auto bare = platform::Environment::from_pairs({{"PATH", "/nonexistent"}});
  CHECK(ask(bare, mfa_profile("kdialog")) ==
        "error:exec: \"kdialog\": executable file not found in $PATH");
}

TEST_CASE("ykman: arguments follow the YKMAN_* and AWS_VAULT_YKMAN_VERSION variables",
          "[vault][vector]") {
  FakeBin bin;
  bin.add("ykman", "echo 'Touch your YubiKey...' >&2; echo ' 777888 '");
  const std::string serial(kSerial);
  g_debug_lines.clear();
  log::set_debug_sink(record_debug);
  CHECK(ask(bin.env(), mfa_profile("ykman")) == "code:777888");
  log::set_debug_sink(nullptr);
  CHECK(bin.recorded_argv() ==
        std::vector<std::string>{"oath", "accounts", "code", "--single", serial});
  CHECK(g_debug_lines == std::vector<std::string>{"Fetching MFA code using `ykman oath accounts "
                                                  "code --single " +
                                                  serial + "`"});
  auto env = bin.env({{"YKMAN_OATH_DEVICE_SERIAL", "9876543"},
                      {"YKMAN_OATH_CREDENTIAL_NAME", "aws:jon"},
                      {"AWS_VAULT_YKMAN_VERSION", "3"}});
  CHECK(ask(env, mfa_profile("ykman")) == "code:777888");
  CHECK(bin.recorded_argv() ==
        std::vector<std::string>{"--device", "9876543", "oath", "code", "--single", "aws:jon"});
  auto v4 = bin.env({{"AWS_VAULT_YKMAN_VERSION", "4"}, {"YKMAN_OATH_DEVICE_SERIAL", ""}});
  CHECK(ask(v4, mfa_profile("ykman")) == "code:777888");
  CHECK(bin.recorded_argv() ==
        std::vector<std::string>{"oath", "accounts", "code", "--single", serial});
}

TEST_CASE("ykman failures read `ykman: <err>`", "[vault][error]") {
  FakeBin bin;
  bin.add("ykman", "exit 2");
  CHECK(ask(bin.env(), mfa_profile("ykman")) == "error:ykman: exit status 2");
  auto bare = platform::Environment::from_pairs({{"PATH", "/nonexistent"}});
  CHECK(ask(bare, mfa_profile("ykman")) ==
        "error:ykman: exec: \"ykman\": executable file not found in $PATH");
}

TEST_CASE("unknown, removed and Windows-only drivers are errors", "[vault][error]") {
  FakeBin bin;
  auto source = make_mfa_source(bin.env());
  auto unknown = source->token(mfa_profile("dialog"));
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().code() == Errc::Config);
  CHECK(unknown.error().message() == "prompt method \"dialog\" doesn't exist");
  auto pass = source->token(mfa_profile("pass"));
  REQUIRE_FALSE(pass.has_value());
  CHECK(pass.error().code() == Errc::Config);
  CHECK(pass.error().message().find("mfa_process = pass otp <your mfa_serial>") !=
        std::string_view::npos);
  auto win = source->token(mfa_profile("wincredui"));
  REQUIRE_FALSE(win.has_value());
  CHECK(win.error().code() == Errc::Unsupported);
}

TEST_CASE("terminal driver prompts on the controlling terminal", "[vault][integration]") {
  FakeBin bin;  // made here: no Catch2 assertions in the pty child
  auto run = av::testing::run_in_pty(
      [&] { return ask(bin.env(), mfa_profile()); },  // empty driver = terminal
      {.wait_for = "Enter MFA code for arn:aws:iam::123456789012:mfa/jonsmith: ",
       .typed = " 424242\r"});
  CHECK(run.result == "code:424242");
  CHECK(run.tty_output.find("424242") != std::string::npos);  // echoed while typed
}

TEST_CASE("terminal driver escapes control characters of the serial", "[vault][mutation]") {
  FakeBin bin;
  auto run = av::testing::run_in_pty(
      [&] {
        auto profile = mfa_profile("terminal");
        profile.mfa_serial = "arn:x\x1b]0;pwned\x07";
        return ask(bin.env(), profile);
      },
      {.wait_for = "Enter MFA code for arn:x\\x1b]0;pwned\\a: ", .typed = "5\r"});
  CHECK(run.result == "code:5");
  CHECK(run.tty_output.find('\x1b') == std::string::npos);
}

TEST_CASE("mfa_process and ykman talk to the controlling terminal, not stdin/stderr",
          "[vault][integration]") {
  FakeBin bin;
  bin.add("ykman", "echo 'Touch your YubiKey...' >&2; read ignored; echo 271828");
  auto run = av::testing::run_in_pty(
      [&] {
        return ask(bin.env(), mfa_profile("", "printf 'Code please: ' >&2; read c; echo \"$c\""));
      },
      {.wait_for = "Code please: ", .typed = "314159\n"});
  CHECK(run.result == "code:314159");
  CHECK(run.tty_output.find("Code please: ") != std::string::npos);
  auto ykman = av::testing::run_in_pty([&] { return ask(bin.env(), mfa_profile("ykman")); },
                                       {.wait_for = "Touch your YubiKey...", .typed = "\n"});
  CHECK(ykman.result == "code:271828");
  CHECK(ykman.tty_output.find("Touch your YubiKey...") != std::string::npos);
}

TEST_CASE("without a controlling terminal: clear errors, empty stdin, no hang", "[vault][error]") {
  FakeBin bin;
  auto terminal = without_terminal([&] {
    auto code = make_mfa_source(bin.env())->token(mfa_profile("terminal"));
    if (code) return std::string("unexpected code");
    return std::string(errc_name(code.error().code())) + ":" + std::string(code.error().message());
  });
  CHECK(terminal == "io:open /dev/tty: no such device or address");
  auto process = without_terminal(
      [&] { return ask(bin.env(), mfa_profile("", "read c; echo \"read-status-$?\"")); });
  CHECK(process == "code:read-status-1");
}

TEST_CASE("driver helpers render spec §9.3 texts", "[vault][vector]") {
  CHECK(detail::mfa_prompt_text("arn:aws:iam::1:mfa/x") ==
        "Enter MFA code for arn:aws:iam::1:mfa/x: ");
  auto env = platform::Environment::from_pairs({{"AWS_VAULT_YKMAN_VERSION", "1"}});
  CHECK(detail::ykman_args("s", env) == std::vector<std::string>{"oath", "code", "--single", "s"});
  auto v2 = platform::Environment::from_pairs({{"AWS_VAULT_YKMAN_VERSION", "2"}});
  CHECK(detail::ykman_args("s", v2).size() == 4);
  auto v10 = platform::Environment::from_pairs({{"AWS_VAULT_YKMAN_VERSION", "10"}});
  CHECK(detail::ykman_args("s", v10).size() == 5);
}

}  // namespace av::vault
