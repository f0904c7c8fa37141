// mfa_drivers.cpp: mfa_process and the MFA prompt drivers (spec §9.1-§9.3).
#include "vault/mfa_drivers.h"

#include <utility>

#include "base/ascii.h"
#include "base/bytes.h"
#include "base/limits.h"
#include "base/log.h"
#include "platform/process.h"
#include "platform/terminal.h"

namespace av::vault::detail {
namespace {

constexpr std::string_view kDialogTitle = "aws-vault";

// The §1.7 message for the removed `pass` driver (without upstream's final period).
constexpr std::string_view kPassRemoved =
    "--prompt=pass (or AWS_VAULT_PROMPT=pass) has been removed from aws-vault as using TOTPs "
    "without a dedicated device goes against security best practices. If you wish to continue "
    "using pass, add `mfa_process = pass otp <your mfa_serial>` to profiles in your "
    "~/.aws/config file";

enum class HelperIo : int {
  Terminal,  // stdin and stderr on /dev/tty when it opens (else stdin empty, stderr inherited)
  Dialog,    // a GUI dialog: stdin empty, stderr captured and dropped (toolkit warnings)
};

// run_helper runs `argv` and returns its trimmed stdout. A failing child is Errc::Io with Go's
// ProcessState text ("exit status 1"), as upstream's exec errors read.
Result<secure::SecretString> run_helper(std::vector<std::string> argv,
                                        const platform::Environment& env, HelperIo io) {
  platform::RunRequest request;
  request.argv = std::move(argv);
  request.env = &env;
  request.max_stdout_len = limits::kMaxMfaHelperOutputBytes;
  if (io == HelperIo::Terminal) {
    request.stdio_from_controlling_terminal = true;
    request.stderr_mode = platform::StderrMode::Inherit;
  }
  AV_TRY_ASSIGN(platform::RunResult result, platform::run_program(request));
  if (!result.status.success()) return Error(Errc::Io, result.status.describe());
  return secure::SecretString::copy_of(ascii::trim(as_chars(result.stdout_data.reveal())));
}

Result<secure::SecretString> terminal_prompt(std::string_view serial) {
  // The serial comes from a config file: neutralise terminal control sequences before echoing.
  return platform::prompt_tty_line(mfa_prompt_text(ascii::escape_for_terminal(serial)),
                                   platform::Echo::Visible);
}

Result<secure::SecretString> ykman_prompt(std::string_view serial,
                                          const platform::Environment& env) {
  std::vector<std::string> argv{"ykman"};
  std::string joined;
  for (std::string& arg : ykman_args(serial, env)) {
    if (!joined.empty()) joined += ' ';
    joined += arg;
    argv.push_back(std::move(arg));
  }
  log::debug("Fetching MFA code using `ykman " + ascii::escape_for_terminal(joined) + "`");
  auto code = run_helper(std::move(argv), env, HelperIo::Terminal);
  if (!code) return std::move(code).error().with_context("ykman");
  return code;
}

}  // namespace

std::string mfa_prompt_text(std::string_view serial) {
  return "Enter MFA code for " + std::string(serial) + ": ";
}

std::string osascript_script(std::string_view serial) {
  return "\n\t\tdisplay dialog " + ascii::quote_for_terminal(mfa_prompt_text(serial)) +
         " default answer \"\" buttons {\"OK\", \"Cancel\"} default button 1\n"
         "        text returned of the result\n"
         "        return result";
}

std::vector<std::string> ykman_args(std::string_view serial, const platform::Environment& env) {
  std::vector<std::string> args;
  if (auto device = env.get_nonempty("YKMAN_OATH_DEVICE_SERIAL")) {
    args.emplace_back("--device");
    args.emplace_back(*device);
  }
  std::string name(env.get_nonempty("YKMAN_OATH_CREDENTIAL_NAME").value_or(serial));
  std::string_view version = env.get("AWS_VAULT_YKMAN_VERSION").value_or("");
  if (version == "1" || version == "2" || version == "3") {
    args.insert(args.end(), {"oath", "code", "--single", std::move(name)});
  } else {
    args.insert(args.end(), {"oath", "accounts", "code", "--single", std::move(name)});
  }
  return args;
}

Result<secure::SecretString> run_mfa_process(std::string_view command,
                                             const platform::Environment& env) {
  auto code = run_helper({"/bin/sh", "-c", std::string(command)}, env, HelperIo::Terminal);
  if (!code) return std::move(code).error().with_context("process provider");
  return code;
}

Result<secure::SecretString> prompt_with_driver(std::string_view driver, std::string_view serial,
                                                const platform::Environment& env) {
  if (driver == "terminal") return terminal_prompt(serial);
  if (driver == "zenity") {
    return run_helper({"zenity", "--entry", "--title", std::string(kDialogTitle), "--text",
                       mfa_prompt_text(serial)},
                      env, HelperIo::Dialog);
  }
  if (driver == "kdialog") {
    return run_helper(
        {"kdialog", "--inputbox", mfa_prompt_text(serial), "--title", std::string(kDialogTitle)},
        env, HelperIo::Dialog);
  }
  if (driver == "osascript") {
    return run_helper({"osascript", "-e", osascript_script(serial)}, env, HelperIo::Dialog);
  }
  if (driver == "ykman") return ykman_prompt(serial, env);
  if (driver == "wincredui") {
    return Error(Errc::Unsupported, "prompt driver wincredui is only available on windows");
  }
  if (driver == "pass") return Error(Errc::Config, std::string(kPassRemoved));
  return Error(Errc::Config,
               "prompt method " + ascii::quote_for_terminal(driver) + " doesn't exist");
}

}  // namespace av::vault::detail
