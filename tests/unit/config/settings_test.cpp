#include "config/settings.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "../platform/temp_dir.h"
#include "base/bytes.h"
#include "base/limits.h"
#include "platform/secure_file.h"

namespace av::config {
namespace {

using Vars = std::vector<std::pair<std::string, std::string>>;

SettingsChoices choices() {
  return {{"keyctl", "pass", "file"}, {"kdialog", "terminal", "zenity"}};
}

Settings parse_ok(std::string_view text) {
  auto r = parse_settings(text, "/c/config.toml", choices());
  INFO(std::string(r ? "" : r.error().message()));
  REQUIRE(r);
  return std::move(r).value();
}

std::string parse_err(std::string_view text, Errc code = Errc::Config) {
  auto r = parse_settings(text, "/c/config.toml", choices());
  REQUIRE_FALSE(r);
  CHECK(r.error().code() == code);
  return std::string(r.error().message());
}

constexpr std::string_view kFullExample = R"(# every key of the schema
debug = false
backend = "file"
prompt = "zenity"
keychain = "login"
secret-service-collection = "awsvault"
pass-dir = "~/.password-store"
pass-cmd = "pass"
pass-prefix = "aws/"
file-dir = "~/.awsvault/keys/"
op-timeout = "30s"
op-vault-id = "v"
op-item-title-prefix = "aws-vault"
op-item-tag = "aws-vault"
op-connect-host = "https://op.example.com"
op-desktop-account-id = "acct"
biometrics = true

[exec]
duration = "2h"
region = "eu-west-1"
stdout = true
profile-env = false
ecs-server = true
ec2-server = false
lazy = true

[export]
duration = "1d"
region = "us-east-1"
stdout = false
format = "json"

[login]
duration = "90m"
region = "eu-central-1"
stdout = true
auto-logout = true
)";

TEST_CASE("every key of the schema is accepted with its flag text and line", "[config][vector]") {
  const Settings s = parse_ok(kFullExample);
  CHECK(s.found);
  CHECK(s.warnings.empty());
  CHECK(s.values.size() == settings_schema().size());
  for (const SettingSpec& spec : settings_schema()) {
    INFO(std::string(spec.table) + "." + std::string(spec.name));
    CHECK(s.find(spec.table, spec.name) != nullptr);
  }
  CHECK(s.find("", "backend")->value == "file");
  CHECK(s.find("", "backend")->line == 3);
  CHECK(s.find("", "debug")->value == "false");
  CHECK(s.find("", "biometrics")->value == "true");
  CHECK(s.find("exec", "duration")->value == "2h");
  CHECK(s.find("exec", "duration")->line == 20);
  CHECK(s.find("export", "format")->value == "json");
  CHECK(s.find("login", "auto-logout")->line == 38);
  CHECK(s.find("exec", "format") == nullptr);
  CHECK(s.values.front().name == "debug");  // file order
}

TEST_CASE("the schema names only known tables and has no duplicates", "[config][vector]") {
  const auto schema = settings_schema();
  for (std::size_t i = 0; i < schema.size(); ++i) {
    const SettingSpec& a = schema[i];
    CHECK((a.table.empty() || a.table == "exec" || a.table == "export" || a.table == "login"));
    CHECK(find_setting_spec(a.table, a.name) == &a);
  }
  CHECK(find_setting_spec("", "duration") == nullptr);
  CHECK(find_setting_spec("exec", "region")->yields_to_env.size() == 2);
  CHECK(find_setting_spec("", "backend")->yields_to_env.empty());
}

TEST_CASE("an empty file has no settings", "[config][vector]") {
  const Settings s = parse_ok("");
  CHECK(s.values.empty());
  CHECK(s.warnings.empty());
  CHECK(s.path == "/c/config.toml");
}

TEST_CASE("unknown keys warn with file and line and parsing continues", "[config][vector]") {
  const Settings s = parse_ok("colour = \"blue\"\nbackend = \"file\"\n[exec]\nshell = \"zsh\"\n"
                              "[other]\nx = 1\n");
  REQUIRE(s.warnings.size() == 3);
  CHECK(s.warnings[0] == "/c/config.toml:1: unknown setting \"colour\"");
  CHECK(s.warnings[1] == "/c/config.toml:4: unknown setting \"exec.shell\"");
  CHECK(s.warnings[2] == "/c/config.toml:5: unknown setting \"other\"");
  CHECK(s.find("", "backend")->value == "file");
}

TEST_CASE("an underscore spelling of a key gets a hint", "[config][vector]") {
  const Settings s = parse_ok("pass_dir = \"/p\"\n[login]\nauto_logout = true\n");
  REQUIRE(s.warnings.size() == 2);
  CHECK(s.warnings[0] ==
        "/c/config.toml:1: unknown setting \"pass_dir\" (did you mean \"pass-dir\"?)");
  CHECK(s.warnings[1] == "/c/config.toml:3: unknown setting \"login.auto_logout\" (did you mean "
                         "\"login.auto-logout\"?)");
}

TEST_CASE("a command flag at top level is unknown there", "[config][vector]") {
  const Settings s = parse_ok("duration = \"1h\"\n");
  REQUIRE(s.warnings.size() == 1);
  CHECK(s.warnings[0] == "/c/config.toml:1: unknown setting \"duration\"");
}

TEST_CASE("wrong types are errors with file and line", "[config][error]") {
  CHECK(parse_err("\ndebug = \"true\"\n") ==
        "/c/config.toml:2: setting \"debug\" must be a boolean, got string");
  CHECK(parse_err("backend = 1\n") ==
        "/c/config.toml:1: setting \"backend\" must be a string, got integer");
  CHECK(parse_err("[exec]\n\nduration = 3600\n") ==
        "/c/config.toml:3: setting \"exec.duration\" must be a string, got integer");
  CHECK(parse_err("[login]\nstdout = [true]\n") ==
        "/c/config.toml:2: setting \"login.stdout\" must be a boolean, got array");
  CHECK(parse_err("keychain = 1979-05-27\n") ==
        "/c/config.toml:1: setting \"keychain\" must be a string, got date");
  CHECK(parse_err("exec = \"x\"\n") == "/c/config.toml:1: setting \"exec\" must be a table, got string");
}

TEST_CASE("bad durations are errors with Go's message and the line", "[config][error]") {
  CHECK(parse_err("op-timeout = \"15\"\n") ==
        "/c/config.toml:1: setting \"op-timeout\": time: missing unit in duration \"15\"");
  CHECK(parse_err("[export]\nduration = \"soon\"\n") ==
        "/c/config.toml:2: setting \"export.duration\": time: invalid duration \"soon\"");
  CHECK(parse_ok("[exec]\nduration = \"1w\"\n").find("exec", "duration")->value == "1w");
}

TEST_CASE("enum values are checked like the flag", "[config][error]") {
  CHECK(parse_err("backend = \"nope\"\n") ==
        "/c/config.toml:1: setting \"backend\": enum value must be one of keyctl,pass,file, "
        "got 'nope'");
  CHECK(parse_err("prompt = \"pass\"\n") ==
        "/c/config.toml:1: setting \"prompt\": enum value must be one of "
        "kdialog,terminal,zenity, got 'pass'");
  CHECK(parse_err("[export]\nformat = \"yaml\"\n") ==
        "/c/config.toml:2: setting \"export.format\": enum value must be one of "
        "env,export-env,json,ini, got 'yaml'");
  CHECK(parse_err("backend = \"\"\n") ==
        "/c/config.toml:1: setting \"backend\": enum value must be one of keyctl,pass,file, got ''");
}

TEST_CASE("control characters in string values are refused", "[config][error]") {
  CHECK(parse_err("pass-cmd = \"pass\\nrm\"\n") ==
        "/c/config.toml:1: setting \"pass-cmd\": control characters are not allowed");
  CHECK(parse_ok("pass-prefix = \"a\\tb\"\n").find("", "pass-prefix")->value == "a\tb");
}

TEST_CASE("keys naming secrets are refused anywhere", "[config][error]") {
  const std::string tail =
      " names a secret; secrets never go in the settings file (use the keyring or the environment)";
  CHECK(parse_err("backend = \"file\"\nfile-passphrase = \"x\"\n") ==
        "/c/config.toml:2: setting \"file-passphrase\"" + tail);
  CHECK(parse_err("[exec]\nmfa-token = \"123456\"\n") ==
        "/c/config.toml:2: setting \"mfa-token\"" + tail);
  CHECK(parse_err("AWS_SECRET_ACCESS_KEY = \"x\"\n") ==
        "/c/config.toml:1: setting \"AWS_SECRET_ACCESS_KEY\"" + tail);
  CHECK(parse_err("[deep.er]\nop_connect_token = \"x\"\n") ==
        "/c/config.toml:2: setting \"op_connect_token\"" + tail);
  CHECK(parse_err("password = 1\n").find("names a secret") != std::string::npos);
  // secret-service-collection names a collection, not a secret.
  CHECK(parse_ok("secret-service-collection = \"c\"\n").warnings.empty());
}

TEST_CASE("a secret's value never appears in the error", "[config][error]") {
  const std::string message = parse_err("file-passphrase = \"hunter2\"\n");
  CHECK(message.find("hunter2") == std::string::npos);
}

TEST_CASE("TOML syntax errors name file, line and column", "[config][error]") {
  const std::string m = parse_err("backend = \"file\"\n[exec\n", Errc::Parse);
  CHECK(m.rfind("/c/config.toml:2:", 0) == 0);
  const std::string dup = parse_err("debug = true\ndebug = false\n", Errc::Parse);
  CHECK(dup.rfind("/c/config.toml:2:", 0) == 0);
}

TEST_CASE("a file over kMaxSettingsFileBytes is refused", "[config][error]") {
  const std::string big(limits::kMaxSettingsFileBytes + 1, '#');
  parse_err(big, Errc::TooLarge);
  std::string at_limit(limits::kMaxSettingsFileBytes, ' ');
  CHECK(parse_settings(at_limit, "/c/config.toml", choices()));
}

TEST_CASE("settings_path prefers AWS_VAULT_CONFIG_FILE, then XDG, then HOME", "[config][vector]") {
  auto path_for = [](Vars vars) {
    return settings_path(platform::Environment::from_pairs(std::move(vars)));
  };
  CHECK(*path_for({{"AWS_VAULT_CONFIG_FILE", "/e/s.toml"}, {"XDG_CONFIG_HOME", "/x"},
                   {"HOME", "/h"}}) == "/e/s.toml");
  CHECK(*path_for({{"AWS_VAULT_CONFIG_FILE", ""}, {"XDG_CONFIG_HOME", "/x"}, {"HOME", "/h"}}) ==
        "/x/aws-vault/config.toml");
  CHECK(*path_for({{"XDG_CONFIG_HOME", "relative"}, {"HOME", "/h"}}) ==
        "/h/.config/aws-vault/config.toml");
  CHECK(*path_for({{"HOME", "/h"}}) == "/h/.config/aws-vault/config.toml");
  auto none = path_for({});
  REQUIRE_FALSE(none);
  CHECK(none.error().code() == Errc::NotFound);
}

TEST_CASE("load_settings: a missing file or no home means no settings", "[config][integration]") {
  platform::testing::TempDir dir;
  auto missing = load_settings(
      platform::Environment::from_pairs({{"AWS_VAULT_CONFIG_FILE", dir.file("nope.toml")}}),
      choices());
  REQUIRE(missing);
  CHECK_FALSE(missing->found);
  CHECK(missing->path == dir.file("nope.toml"));
  CHECK(missing->values.empty());
  auto no_home = load_settings(platform::Environment::from_pairs({}), choices());
  REQUIRE(no_home);
  CHECK_FALSE(no_home->found);
  CHECK(no_home->path.empty());
}

TEST_CASE("load_settings reads the XDG location and warns about loose permissions",
          "[config][integration]") {
  platform::testing::TempDir dir;
  const std::string path = dir.file("aws-vault/config.toml");
  const std::string text = "backend = \"file\"\nfoo = 1\n";
  REQUIRE(platform::write_file_atomic(path, as_bytes(text), platform::FileMode::exactly(0600)));
  const Vars vars = {{"XDG_CONFIG_HOME", dir.path()}};
  auto tight = load_settings(platform::Environment::from_pairs(vars), choices());
  REQUIRE(tight);
  CHECK(tight->found);
  CHECK(tight->find("", "backend")->value == "file");
  REQUIRE(tight->warnings.size() == 1);
  CHECK(tight->warnings[0] == path + ":2: unknown setting \"foo\"");

  REQUIRE(platform::write_file_atomic(path, as_bytes(text), platform::FileMode::exactly(0620)));
  auto loose = load_settings(platform::Environment::from_pairs(vars), choices());
  REQUIRE(loose);
  REQUIRE(loose->warnings.size() == 2);
  CHECK(loose->warnings[0].rfind(path + " is writable by group or others", 0) == 0);
}

TEST_CASE("load_settings: a directory or a bad file is an error", "[config][error]") {
  platform::testing::TempDir dir;
  auto is_dir = load_settings(
      platform::Environment::from_pairs({{"AWS_VAULT_CONFIG_FILE", dir.path()}}), choices());
  REQUIRE_FALSE(is_dir);
  CHECK(std::string(is_dir.error().message()).rfind("reading settings file: ", 0) == 0);

  const std::string path = dir.file("s.toml");
  REQUIRE(platform::write_file_atomic(path, as_bytes(std::string_view("debug = 1\n"))));
  auto bad = load_settings(platform::Environment::from_pairs({{"AWS_VAULT_CONFIG_FILE", path}}),
                           choices());
  REQUIRE_FALSE(bad);
  CHECK(std::string(bad.error().message()) ==
        path + ":1: setting \"debug\" must be a boolean, got integer");
}

TEST_CASE("truncations and bit flips of a settings file never crash", "[config][mutation]") {
  const std::string doc(kFullExample);
  std::size_t accepted = 0;
  for (std::size_t n = 0; n <= doc.size(); n += 3) {
    auto r = parse_settings(std::string_view(doc).substr(0, n), "/c/config.toml", choices());
    if (r) ++accepted;
  }
  for (std::size_t i = 0; i < doc.size(); i += 2) {
    std::string m = doc;
    m[i] = static_cast<char>(static_cast<unsigned char>(m[i]) ^ 0x20U);
    auto r = parse_settings(m, "/c/config.toml", choices());
    if (!r) CHECK_FALSE(r.error().message().empty());
  }
  CHECK(accepted > 0);
}

}  // namespace
}  // namespace av::config
