// Usage rendering from the real command table (spec §1.3).
#include <catch2/catch.hpp>

#include <string>

#include "cli/args/spec.h"
#include "cli/command_table.h"
#include "cli/completion.h"
#include "cli/prompt_drivers.h"
#include "cli/usage.h"

namespace {

av::cli::args::AppSpec app() {
  return av::cli::build_app_spec({{"keyctl", "file"}, {"terminal"}});
}

}  // namespace

TEST_CASE("usage: app usage lists flags and visible commands in order", "[cli][vector]") {
  const auto a = app();
  const std::string u = av::cli::render_usage(a, nullptr, 80);
  CHECK(u.starts_with("usage: aws-vault [<flags>] <command> [<args> ...]\n\nA vault for"));
  CHECK(u.find("      --backend=keyctl") != std::string::npos);
  const std::string wide = av::cli::render_usage(a, nullptr, 200);
  CHECK(wide.find("Secret backend to use [keyctl file] ($AWS_VAULT_BACKEND)\n") != std::string::npos);
  CHECK(u.find("--op-timeout=15s") != std::string::npos);
  CHECK(u.find("proxy") == std::string::npos);
  CHECK(u.find("--[no-]help-man") == std::string::npos);
  const auto add = u.find("  add [<flags>] <profile>\n    Add credentials to the secure keystore.\n");
  const auto remove = u.find("  remove [<flags>] <profile>\n");
  const auto version = u.find("  version\n    Print the aws-vault version and build info.\n");
  REQUIRE(add != std::string::npos);
  REQUIRE(remove != std::string::npos);
  REQUIRE(version != std::string::npos);
  CHECK(add < remove);
  CHECK(remove < version);
}

TEST_CASE("usage: no line exceeds the width unless a single word does", "[cli][vector]") {
  const auto a = app();
  for (int width : {40, 80, 120}) {
    const std::string u = av::cli::render_usage(a, av::cli::args::find_command(a, "exec"), width);
    std::size_t start = 0;
    while (start < u.size()) {
      const std::size_t end = u.find('\n', start);
      const std::string line = u.substr(start, end - start);
      CAPTURE(width, line);
      if (line.find("  ", 2) == std::string::npos || line.size() > 2 + 30) {
        // a long flag column or an unbreakable word may overflow; trailing blanks never
        CHECK((line.empty() || line.back() != ' '));
      }
      start = end + 1;
    }
  }
}

TEST_CASE("usage: wrap_text breaks at spaces", "[cli][vector]") {
  const auto lines = av::cli::wrap_text("aaa bbb ccc dddddddddd e", 7);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "aaa bbb");
  CHECK(lines[1] == "ccc");
  CHECK(lines[2] == "dddddddddd");
  CHECK(lines[3] == "e");
  CHECK(av::cli::wrap_text("", 10) == std::vector<std::string>{""});
}

namespace {
// complete runs complete_bash with a fixed profile list and returns its text ("<error>" on error).
std::string complete(const av::cli::args::AppSpec& a, const std::vector<std::string>& words,
                     bool config_fails = false) {
  const av::cli::ProfileNames profiles = [config_fails]() -> av::Result<std::vector<std::string>> {
    if (config_fails) return av::Error{av::Errc::Usage, "broken config"};
    return std::vector<std::string>{"dev", "prod"};
  };
  auto out = av::cli::complete_bash(a, words, profiles);
  return out ? *out : std::string("<error>");
}
}  // namespace

TEST_CASE("completion: commands, flags and enum values", "[cli][vector]") {
  const auto a = app();
  CHECK(complete(a, {}) ==
        "help\nadd\nremove\nmigrate-backend\nlist\nrotate\nexec\nexport\nclear\nlogin\nversion");
  CHECK(complete(a, {"--backend", ""}) == "keyctl\nfile");
  CHECK(complete(a, {"list", "--p"}).starts_with("--profiles\n--sessions\n--credentials\n--help"));
}

TEST_CASE("completion: profile names for the profile argument only", "[cli][vector]") {
  const auto a = app();
  CHECK(complete(a, {"exec"}) == "dev\nprod");
  CHECK(complete(a, {"exec", ""}) == "dev\nprod");
  CHECK(complete(a, {"exec", "d"}) == "dev\nprod");  // the shell filters by prefix
  CHECK(complete(a, {"remove", ""}) == "dev\nprod");
  CHECK(complete(a, {"exec", "dev", ""}).empty());  // the command word is not a profile
  CHECK(complete(a, {"add", ""}).empty());          // add names a new profile
  CHECK(complete(a, {"list", ""}).empty());
}

TEST_CASE("completion: a config that cannot be loaded is an error only when it is needed",
          "[cli][error]") {
  const auto a = app();
  CHECK(complete(a, {"exec", ""}, true) == "<error>");
  CHECK(complete(a, {"add", ""}, true).empty());
  CHECK(complete(a, {}, true).starts_with("help\nadd"));
}

TEST_CASE("prompt drivers: PATH walk and sorted list", "[cli][vector]") {
  auto exists = [](std::string_view p) { return p == "/b/ykman" || p == "./kdialog"; };
  CHECK(av::cli::available_prompt_drivers("/a:/b", +exists) ==
        std::vector<std::string>{"terminal", "ykman"});
  CHECK(av::cli::available_prompt_drivers(":/a", +exists) ==
        std::vector<std::string>{"kdialog", "terminal"});
  CHECK(av::cli::check_prompt_driver("", {"terminal"}) == av::cli::PromptCheck::Ok);
  CHECK(av::cli::check_prompt_driver("pass", {"terminal"}) == av::cli::PromptCheck::RemovedPass);
  CHECK(av::cli::check_prompt_driver("x", {"terminal"}) == av::cli::PromptCheck::NotAvailable);
}
