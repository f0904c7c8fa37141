// Parser unit tests (spec §1.1): every error text, the negation rule, bundles, env defaults,
// enums, durations, `--`, repeats, global flags after the command word, `@` literals.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "cli/args/parser.h"

namespace {

using av::Errc;
using av::cli::args::AppSpec;
using av::cli::args::FlagKind;
using av::cli::args::ParsedArgs;

av::Status fake_duration(std::string_view v) {
  if (v == "1h" || v == "90m" || v == "0") return av::ok();
  return av::Error(Errc::Parse, "time: invalid duration \"" + std::string(v) + "\"");
}

AppSpec test_app() {
  AppSpec app;
  app.name = "aws-vault";
  app.flags = {
      {.name = "help", .kind = FlagKind::Bool, .pre_action = true},
      {.name = "version", .short_name = 'v', .kind = FlagKind::Bool, .pre_action = true},
      {.name = "debug", .kind = FlagKind::Bool},
      {.name = "backend", .kind = FlagKind::Enum, .env = "AWS_VAULT_BACKEND",
       .default_value = "file", .enum_values = {"keyctl", "file", "pass"}},
      {.name = "keychain", .env = "AWS_VAULT_KEYCHAIN_NAME", .default_value = "aws-vault"},
  };
  app.commands.push_back({.name = "add",
                          .flags = {{.name = "env", .kind = FlagKind::Bool},
                                    {.name = "add-config", .kind = FlagKind::Bool,
                                     .default_value = "true"}},
                          .args = {{.name = "profile", .required = true}}});
  app.commands.push_back({.name = "remove", .aliases = {"rm"},
                          .flags = {{.name = "force", .short_name = 'f', .kind = FlagKind::Bool}},
                          .args = {{.name = "profile", .required = true}}});
  app.commands.push_back(
      {.name = "exec",
       .flags = {{.name = "duration", .short_name = 'd', .kind = FlagKind::Duration,
                  .env = "AWS_VAULT_DURATION", .check = &fake_duration},
                 {.name = "no-session", .short_name = 'n', .kind = FlagKind::Bool},
                 {.name = "region"},
                 {.name = "server", .short_name = 's', .kind = FlagKind::Bool},
                 {.name = "stdout", .kind = FlagKind::Bool, .env = "AWS_VAULT_STDOUT"}},
       .args = {{.name = "profile", .env = "AWS_PROFILE"}, {.name = "cmd"},
                {.name = "args", .rest = true}}});
  app.commands.push_back(
      {.name = "migrate-backend",
       .flags = {{.name = "from", .kind = FlagKind::Enum, .required = true,
                  .enum_values = {"file", "pass"}},
                 {.name = "to", .kind = FlagKind::Enum, .required = true,
                  .enum_values = {"file", "pass"}}}});
  app.commands.push_back({.name = "list"});
  return app;
}

struct Run {
  std::map<std::string, std::string> env;
  av::Result<ParsedArgs> parse(const AppSpec& app, std::vector<std::string> args) const {
    auto lookup = [this](std::string_view n) -> std::optional<std::string_view> {
      auto it = env.find(std::string(n));
      if (it == env.end()) return std::nullopt;
      return std::string_view(it->second);
    };
    return av::cli::args::parse(app, args, lookup);
  }
};

std::string error_of(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  static const AppSpec app = test_app();
  auto r = Run{std::move(env)}.parse(app, std::move(args));
  REQUIRE_FALSE(r.has_value());
  return std::string(r.error().message());
}

}  // namespace

TEST_CASE("parser: every structural error has upstream's exact text", "[cli][error]") {
  using Row = std::tuple<std::vector<std::string>, std::string>;
  auto [args, expected] = GENERATE(table<std::vector<std::string>, std::string>({
      Row{{"foo"}, "expected command but got \"foo\""},
      Row{{"--bogus"}, "unknown long flag '--bogus'"},
      Row{{"exec", "-x"}, "unknown short flag '-x'"},
      Row{{"-n"}, "unknown short flag '-n'"},
      Row{{"exec", "--region"}, "expected argument for flag '--region'"},
      Row{{"exec", "-d"}, "expected argument for flag '-d'"},
      Row{{"exec", "--region", "--debug"}, "expected argument for flag '--region'"},
      Row{{"add"}, "required argument 'profile' not provided"},
      Row{{"migrate-backend"}, "required flag(s) '--from', '--to' not provided"},
      Row{{"migrate-backend", "--from", "file"}, "required flag(s) '--to' not provided"},
      Row{{"list", "extra"}, "unexpected extra"},
      Row{{"--debug", "--debug", "list"}, "flag 'debug' cannot be repeated"},
      Row{{"exec", "--no-region"}, "unknown long flag '--no-region'"},
      Row{{"--backend", "x", "list"}, "enum value must be one of keyctl,file,pass, got 'x'"},
      Row{{"exec", "-d", "5x"}, "time: invalid duration \"5x\""},
      Row{{"exec", "--server=true"}, "flag '--server' does not take a value"},
      Row{{"-"}, "unknown short flag '-'"},
  }));
  CAPTURE(args);
  CHECK(error_of(args) == expected);
}

TEST_CASE("parser: user-typed text in errors is escaped for the terminal", "[cli][error]") {
  CHECK(error_of({"--\x1b[31m"}) == "unknown long flag '--\\x1b[31m'");
  CHECK(error_of({"\x1b]0;x\a"}) == "expected command but got \"\\x1b]0;x\\a\"");
  CHECK(error_of({"list", "a\nb"}) == "unexpected a\\nb");
}

TEST_CASE("parser: errors are Errc::Usage and oversize input is Errc::TooLarge", "[cli][error]") {
  static const AppSpec app = test_app();
  auto r = Run{}.parse(app, {"foo"});
  REQUIRE_FALSE(r);
  CHECK(r.error().code() == Errc::Usage);
  std::vector<std::string> many(5000, "x");
  auto big = Run{}.parse(app, many);
  REQUIRE_FALSE(big);
  CHECK(big.error().code() == Errc::TooLarge);
}

TEST_CASE("parser: value forms, bundles, aliases and global flags after the command",
          "[cli][vector]") {
  static const AppSpec app = test_app();
  auto r = Run{}.parse(app, {"exec", "-ns", "-d1h", "--region=eu-west-1", "p", "--debug"});
  REQUIRE(r);
  CHECK(r->command_name() == "exec");
  CHECK(r->flag_bool("no-session"));
  CHECK(r->flag_bool("server"));
  CHECK(r->flag("duration") == "1h");
  CHECK(r->flag("region") == "eu-west-1");
  CHECK(r->flag_bool("debug"));
  CHECK(r->arg("profile") == "p");

  auto r2 = Run{}.parse(app, {"exec", "-d", "90m", "--region", "x", "p"});
  REQUIRE(r2);
  CHECK(r2->flag("duration") == "90m");
  CHECK(r2->flag("region") == "x");

  auto rm = Run{}.parse(app, {"rm", "-f", "p"});
  REQUIRE(rm);
  CHECK(rm->command_name() == "remove");
  CHECK(rm->flag_bool("force"));
}

TEST_CASE("parser: --no-<bool> negates and the literal name is looked up first",
          "[cli][vector]") {
  static const AppSpec app = test_app();
  auto r = Run{}.parse(app, {"add", "--no-add-config", "p"});
  REQUIRE(r);
  CHECK_FALSE(r->flag_bool("add-config"));
  auto d = Run{}.parse(app, {"add", "p"});
  REQUIRE(d);
  CHECK(d->flag_bool("add-config"));
  auto ns = Run{}.parse(app, {"exec", "--no-session", "p"});
  REQUIRE(ns);
  CHECK(ns->flag_bool("no-session"));
  auto nns = Run{}.parse(app, {"exec", "--no-no-session", "p"});
  REQUIRE(nns);
  CHECK_FALSE(nns->flag_bool("no-session"));
}

TEST_CASE("parser: -- ends options and a rest argument swallows everything", "[cli][vector]") {
  static const AppSpec app = test_app();
  auto r = Run{}.parse(app, {"exec", "p", "--", "ls", "-l", "--debug", "--"});
  REQUIRE(r);
  CHECK(r->arg("cmd") == "ls");
  const auto rest = r->arg_values("args");
  REQUIRE(rest.size() == 3);
  CHECK(rest[0] == "-l");
  CHECK(rest[1] == "--debug");
  CHECK(rest[2] == "--");
  CHECK_FALSE(r->flag_bool("debug"));
  CHECK(error_of({"exec", "p", "ls", "-l"}) == "unknown short flag '-l'");
}

TEST_CASE("parser: @ arguments are literal values, never file names", "[cli][vector]") {
  static const AppSpec app = test_app();
  auto r = Run{}.parse(app, {"exec", "p", "echo", "@/etc/passwd"});
  REQUIRE(r);
  REQUIRE(r->arg_values("args").size() == 1);
  CHECK(r->arg_values("args")[0] == "@/etc/passwd");
}

TEST_CASE("parser: env defaults apply when non-empty and are validated", "[cli][vector]") {
  static const AppSpec app = test_app();
  auto r = Run{{{"AWS_VAULT_STDOUT", "1"}, {"AWS_PROFILE", "dev"}, {"AWS_VAULT_BACKEND", ""}}}
               .parse(app, {"exec"});
  REQUIRE(r);
  CHECK(r->flag_bool("stdout"));
  CHECK(r->arg("profile") == "dev");
  CHECK(r->flag("backend") == "file");
  CHECK(r->flag("keychain") == "aws-vault");
  auto over = Run{{{"AWS_VAULT_STDOUT", "true"}}}.parse(app, {"exec", "--no-stdout"});
  REQUIRE(over);
  CHECK_FALSE(over->flag_bool("stdout"));
  CHECK(error_of({"exec"}, {{"AWS_VAULT_STDOUT", "yes"}}) ==
        "strconv.ParseBool: parsing \"yes\": invalid syntax");
  CHECK(error_of({"list"}, {{"AWS_VAULT_BACKEND", "nope"}}) ==
        "enum value must be one of keyctl,file,pass, got 'nope'");
  CHECK(error_of({"exec"}, {{"AWS_VAULT_DURATION", "3600"}}) ==
        "time: invalid duration \"3600\"");
  // A command's env vars only apply once that command is selected.
  CHECK(Run{{{"AWS_VAULT_STDOUT", "yes"}}}.parse(app, {"list"}).has_value());
}

TEST_CASE("parser: a pre-action flag wins over later errors but not earlier ones",
          "[cli][vector]") {
  static const AppSpec app = test_app();
  auto r = Run{}.parse(app, {"exec", "--help", "--bogus"});
  REQUIRE(r);
  REQUIRE(r->pre_action != nullptr);
  CHECK(r->pre_action->name == "help");
  CHECK(r->command_name() == "exec");
  CHECK(error_of({"exec", "--bogus", "--help"}) == "unknown long flag '--bogus'");
  auto v = Run{}.parse(app, {"-v"});
  REQUIRE(v);
  CHECK(v->pre_action->name == "version");
}

TEST_CASE("parser: scan keeps the partial state for completion", "[cli][vector]") {
  static const AppSpec app = test_app();
  std::vector<std::string> args = {"exec", "--deb"};
  auto state = av::cli::args::scan(app, args);
  REQUIRE(state.command != nullptr);
  CHECK(state.command->name == "exec");
  REQUIRE(state.error.has_value());
  CHECK(state.error->message() == "unknown long flag '--deb'");
}
