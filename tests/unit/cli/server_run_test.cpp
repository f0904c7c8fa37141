// exec's server modes (spec §6.3, §6.4): the credential fetchers through the Context's chain seam
// and against moto (AssumeRole), the child run as a subprocess (exit status, signals, start
// failures), and `exec --ecs-server` end to end through av::cli::run with the real HTTP server:
// the child's environment, credentials fetched with curl, --lazy, --ecs-token-file.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/args/parser.h"
#include "cli/command_table.h"
#include "cli/context.h"
#include "cli/run.h"
#include "cli/server_run.h"
#include "cli_test_support.h"
#include "config/aws_config.h"
#include "keyring/memory_keyring.h"
#include "platform/clock.h"
#include "server/credential_cache.h"

#ifndef AV_MOTO_PYTHON
// tests/unit/cli/CMakeLists.txt does not pass the moto interpreter: the moto test then fails,
// naming why (moto.h), instead of being skipped.
#define AV_MOTO_PYTHON ""
#endif
#ifndef AV_TEST_SUPPORT_DIR
#define AV_TEST_SUPPORT_DIR ""
#endif
#include "support/moto.h"

namespace {

using av::cli::testing::FixedClock;
using av::cli::testing::no_executables;

// kFixedNow is FixedClock's time; canned credentials expire an hour later.
constexpr std::chrono::seconds kFixedNow{1'700'000'000};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

// TempDir is a fresh directory under /tmp, removed (with its files) at the end.
struct TempDir {
  std::string path;
  TempDir() {
    std::string tmpl = "/tmp/av-server-run-XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

av::vault::Issued canned_issued() {
  av::vault::Issued i;
  i.credentials.access_key_id = "ASIAEXAMPLE";
  i.credentials.secret_access_key = av::secure::SecretString::copy_of("se/cr+et");
  i.credentials.session_token = av::secure::SecretString::copy_of("FwoGZXIvYXdzE");
  i.credentials.expiration =
      std::chrono::system_clock::time_point(kFixedNow + std::chrono::hours(1));
  i.can_expire = true;
  return i;
}

// Direct: a parsed `aws-vault <args>` and the objects a ServerRun borrows, for calling the
// server_run.h functions one at a time.
struct Direct {
  av::platform::Environment env;
  av::cli::StringWriter out;
  av::cli::StringWriter err;
  FixedClock fixed_clock;
  av::cli::Context ctx;
  av::cli::args::AppSpec app = av::cli::build_app_spec({});
  std::optional<av::cli::args::ParsedArgs> parsed;
  std::optional<av::cli::Invocation> in;
  av::keyring::MemoryKeyring ring;
  av::config::AwsConfig config;
  av::config::ResolvedProfile profile;
  int chain_calls = 0;
  std::optional<av::Error> chain_error;

  Direct(std::vector<std::pair<std::string, std::string>> pairs, std::vector<std::string> args,
         const av::platform::Clock& clock = av::platform::system_clock())
      : env(av::platform::Environment::from_pairs(std::move(pairs))),
        ctx{env, out, err, clock, "aws-vault", std::nullopt, &no_executables} {
    auto result =
        av::cli::args::parse(app, args, [this](std::string_view n) { return env.get(n); });
    REQUIRE(result.has_value());
    parsed.emplace(std::move(*result));
    in.emplace(av::cli::Invocation{ctx, app, *parsed});
    auto parsed_config = av::config::parse_aws_config("", "/nonexistent/config");
    REQUIRE(parsed_config.has_value());
    config = std::move(*parsed_config);
    profile.name = "dev";
    profile.region = "us-east-1";
    profile.durations.assume_role = std::chrono::minutes(15);
    ctx.get_credentials = [this](const av::config::ResolvedProfile&,
                                 const av::vault::ChainOptions&) -> av::Result<av::vault::Issued> {
      ++chain_calls;
      if (chain_error) return *chain_error;
      return canned_issued();
    };
  }
  Direct(const Direct&) = delete;
  Direct& operator=(const Direct&) = delete;

  av::cli::ServerRun server_run(std::vector<std::string> argv, bool hints = false) {
    return av::cli::ServerRun{*in, ring, config, profile, env.clone(), std::move(argv), hints};
  }
};

}  // namespace

TEST_CASE("make_base_fetcher returns the chain's credentials, once per call", "[cli][server]") {
  Direct d({}, {"exec", "--ecs-server", "dev", "--", "true"});
  auto run = d.server_run({"true"});
  const av::server::Fetcher fetch = av::cli::make_base_fetcher(run);
  auto creds = fetch();
  REQUIRE(creds.has_value());
  CHECK(creds->access_key_id == "ASIAEXAMPLE");
  CHECK(creds->secret_access_key.reveal() == "se/cr+et");
  CHECK(creds->session_token.reveal() == "FwoGZXIvYXdzE");
  REQUIRE(fetch().has_value());
  CHECK(d.chain_calls == 2);
}

TEST_CASE("make_base_fetcher words chain failures as exec does", "[cli][server][error]") {
  Direct d({}, {"exec", "--ecs-server", "dev", "--", "true"});
  auto run = d.server_run({"true"});
  const av::server::Fetcher fetch = av::cli::make_base_fetcher(run);

  d.chain_error = av::Error(av::Errc::AwsApi, "operation error STS: GetSessionToken, boom");
  auto failed = fetch();
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().code() == av::Errc::AwsApi);
  CHECK(failed.error().message() ==
        "Failed to get credentials for dev: operation error STS: GetSessionToken, boom");

  d.chain_error = av::Error(av::Errc::NotFound, "profile dev: credentials missing");
  failed = fetch();
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().message() ==
        "Error getting temporary credentials: profile dev: credentials missing");
}

TEST_CASE("make_role_fetchers assumes the role with the base credentials at moto",
          "[cli][server][integration]") {
  av::testing::MotoServer moto;
  REQUIRE(moto.error().empty());
  Direct d({{"AWS_ENDPOINT_URL_STS", moto.url()}}, {"exec", "--ecs-server", "dev", "--", "true"});
  auto run = d.server_run({"true"});
  int base_calls = 0;
  av::server::CredentialCache base(
      [&]() -> av::Result<av::aws::Credentials> {
        ++base_calls;
        av::aws::Credentials creds;
        creds.access_key_id = moto.access_key_id();
        creds.secret_access_key = av::secure::SecretString::copy_of(moto.secret_access_key());
        return creds;
      },
      av::platform::system_clock());
  const av::server::RoleFetcherFactory roles = av::cli::make_role_fetchers(run, base);

  const auto before = std::chrono::system_clock::now();
  auto creds = roles("arn:aws:iam::123456789012:role/admin")();
  REQUIRE(creds.has_value());
  CHECK(creds->access_key_id.starts_with("ASIA"));
  CHECK(creds->has_session_token());
  REQUIRE(creds->expiration.has_value());
  // DurationSeconds was the profile's assume-role duration (15 minutes); generous bounds
  CHECK(*creds->expiration > before + std::chrono::minutes(10));
  CHECK(*creds->expiration < before + std::chrono::minutes(20));
  CHECK(base_calls == 1);
}

TEST_CASE("make_role_fetchers reports base and endpoint failures", "[cli][server][error]") {
  Direct d({}, {"exec", "--ecs-server", "dev", "--", "true"});
  auto run = d.server_run({"true"});
  bool base_fails = true;
  av::server::CredentialCache base(
      [&]() -> av::Result<av::aws::Credentials> {
        if (base_fails) return av::Error(av::Errc::AwsApi, "base failed");
        av::aws::Credentials creds;
        creds.access_key_id = "AKIDEXAMPLE";
        creds.secret_access_key = av::secure::SecretString::copy_of("secret");
        return creds;
      },
      av::platform::system_clock());
  const av::server::Fetcher fetch =
      av::cli::make_role_fetchers(run, base)("arn:aws:iam::123456789012:role/admin");
  auto failed = fetch();
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().message() == "base failed");

  base_fails = false;
  d.profile.region = "";  // no region: the endpoint cannot be resolved, nothing is sent
  failed = fetch();
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().code() == av::Errc::Config);
  CHECK(failed.error().message().starts_with(
      "operation error STS: AssumeRole, failed to resolve service endpoint, "));
}

TEST_CASE("run_child keeps the child's exit status, 255 after a signal", "[cli][server]") {
  Direct d({{"PATH", "/usr/bin:/bin"}}, {"exec", "--ecs-server", "dev", "--", "sh"});
  auto success = d.server_run({"sh", "-c", "exit 0"});
  REQUIRE(av::cli::run_child(success).has_value());
  CHECK(d.ctx.exit_code == 0);

  auto failure = d.server_run({"sh", "-c", "exit 7"});
  REQUIRE(av::cli::run_child(failure).has_value());
  CHECK(d.ctx.exit_code == 7);

  auto killed = d.server_run({"sh", "-c", "kill -KILL $$"});
  REQUIRE(av::cli::run_child(killed).has_value());
  CHECK(d.ctx.exit_code == 255);
  CHECK(d.err.text().empty());
}

TEST_CASE("run_child forwards a signal sent to us to the child", "[cli][server]") {
  Direct d({{"PATH", "/usr/bin:/bin"}}, {"exec", "--ecs-server", "dev", "--", "sh"});
  // The child asks us to receive SIGTERM; only a forwarded one reaches its trap (exit 42).
  // Without forwarding it gives up after 30 s and exits 1.
  auto run = d.server_run(
      {"sh", "-c",
       "trap 'exit 42' TERM; kill -TERM $PPID; i=0; "
       "while [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; exit 1"});
  REQUIRE(av::cli::run_child(run).has_value());
  CHECK(d.ctx.exit_code == 42);
}

TEST_CASE("run_child reports a command that cannot start", "[cli][server][error]") {
  Direct d({{"PATH", "/nonexistent-av-test"}}, {"exec", "--ecs-server", "dev", "--", "x"});
  auto run = d.server_run({"av-no-such-command"});
  const av::Status started = av::cli::run_child(run);
  REQUIRE_FALSE(started.has_value());
  CHECK(started.error().code() == av::Errc::NotFound);
  CHECK(started.error().message() ==
        "exec: \"av-no-such-command\": executable file not found in $PATH");
  CHECK_FALSE(d.ctx.exit_code.has_value());
}

TEST_CASE("run_child shows the subshell hint only when no command was given", "[cli][server]") {
  Direct d({{"SHELL", "/bin/true"}}, {"exec", "--ecs-server", "dev"});
  auto run = d.server_run({"/bin/true"}, true);
  REQUIRE(av::cli::run_child(run).has_value());
  CHECK(d.err.text() == "Starting subshell /bin/true, use `exit` to exit the subshell\n");

  Direct given({}, {"exec", "--ecs-server", "dev", "--", "/bin/true"});
  auto with_command = given.server_run({"/bin/true"}, true);
  REQUIRE(av::cli::run_child(with_command).has_value());
  CHECK(given.err.text().empty());
}

namespace {

// Exec runs `aws-vault exec ...` through av::cli::run with the chain seam and a memory keyring;
// the child writes what it saw into `dir`.
struct Exec {
  TempDir dir;
  std::string config_path = dir.path + "/config";
  av::keyring::MemoryKeyring ring;
  std::vector<std::pair<std::string, std::string>> env_pairs;
  av::cli::StringWriter out;
  av::cli::StringWriter err;
  std::optional<av::Error> chain_error;
  int chain_calls = 0;

  Exec() {
    std::ofstream(config_path) << "[profile dev]\nregion = us-east-1\n";
    env_pairs = {{"AWS_CONFIG_FILE", config_path},
                 {"PATH", "/usr/bin:/bin"},
                 {"HOME", dir.path},
                 {"OUT", dir.path},
                 // inherited container variables must not reach the child (SDKs prefer them)
                 {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/stale"},
                 {"AWS_ACCESS_KEY_ID", "AKIAINHERITED"}};
  }

  int run(std::vector<std::string_view> args) {
    args.insert(args.begin(), "aws-vault");
    const auto env = av::platform::Environment::from_pairs(env_pairs);
    FixedClock clock;
    av::cli::Context ctx{env, out, err, clock, "aws-vault", std::nullopt, &no_executables};
    ctx.open_keyring = [this](std::string_view) -> av::Result<av::keyring::Keyring*> {
      return &ring;
    };
    ctx.get_credentials = [this](const av::config::ResolvedProfile&,
                                 const av::vault::ChainOptions&) -> av::Result<av::vault::Issued> {
      ++chain_calls;
      if (chain_error) return *chain_error;
      return canned_issued();
    };
    return av::cli::run(args, ctx);
  }
  std::string file(const std::string& name) const { return read_text(dir.path + "/" + name); }
};

// kFetch: the child's curl request with the token from the environment.
constexpr std::string_view kFetchWithEnvToken =
    "env > \"$OUT/env\"; "
    "curl -sS -H \"Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN\" "
    "\"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" > \"$OUT/creds\"; exit 7";

}  // namespace

TEST_CASE("exec --ecs-server serves the child and exits with its status",
          "[cli][server][integration]") {
  Exec e;
  CHECK(e.run({"exec", "--ecs-server", "dev", "--", "sh", "-c", kFetchWithEnvToken}) == 7);
  CHECK(e.err.text().empty());
  CHECK(e.chain_calls == 1);  // the initial fetch; the request was served from memory
  const std::string env = e.file("env");
  CHECK(env.find("AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:") != std::string::npos);
  CHECK(env.find("AWS_ACCESS_KEY_ID") == std::string::npos);
  CHECK(env.find("AWS_SECRET_ACCESS_KEY") == std::string::npos);
  CHECK(env.find("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == std::string::npos);
  CHECK(env.find("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") == std::string::npos);
  CHECK(env.find("AWS_VAULT=dev\n") != std::string::npos);
  const std::size_t at = env.find("AWS_CONTAINER_AUTHORIZATION_TOKEN=");
  REQUIRE(at != std::string::npos);
  const std::size_t begin = at + std::string_view("AWS_CONTAINER_AUTHORIZATION_TOKEN=").size();
  CHECK(env.find('\n', begin) - begin == 40);
  CHECK(e.file("creds") ==
        "{\"AccessKeyId\":\"ASIAEXAMPLE\",\"Expiration\":\"2023-11-14T23:13:20Z\","
        "\"SecretAccessKey\":\"se/cr+et\",\"Token\":\"FwoGZXIvYXdzE\"}\n");
}

TEST_CASE("exec --ecs-server --lazy fetches on the first request only", "[cli][server]") {
  Exec idle;
  CHECK(idle.run({"exec", "--ecs-server", "--lazy", "dev", "--", "true"}) == 0);
  CHECK(idle.chain_calls == 0);

  Exec asked;
  CHECK(asked.run({"exec", "--server", "--lazy", "dev", "--", "sh", "-c", kFetchWithEnvToken}) ==
        7);
  CHECK(asked.chain_calls == 1);
  CHECK(asked.file("creds").starts_with("{\"AccessKeyId\":\"ASIAEXAMPLE\""));
}

TEST_CASE("exec --ecs-server stops before the child when the first fetch fails",
          "[cli][server][error]") {
  Exec e;
  e.chain_error = av::Error(av::Errc::AwsApi, "operation error STS: GetSessionToken, denied");
  CHECK(e.run({"exec", "--ecs-server", "dev", "--", "sh", "-c", "touch \"$OUT/ran\""}) == 1);
  CHECK(e.err.text() ==
        "aws-vault: error: exec: Failed to get credentials for dev: operation error STS: "
        "GetSessionToken, denied\n");
  CHECK_FALSE(exists(e.dir.path + "/ran"));
}

TEST_CASE("exec --ecs-server --lazy serves fetch failures as 500 replies", "[cli][server]") {
  Exec e;
  e.chain_error = av::Error(av::Errc::AwsApi, "denied");
  const std::string script =
      "curl -s -o \"$OUT/body\" -w '%{http_code}' -H "
      "\"Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN\" "
      "\"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" > \"$OUT/status\"";
  CHECK(e.run({"exec", "--ecs-server", "--lazy", "dev", "--", "sh", "-c", script}) == 0);
  CHECK(e.file("status") == "500");
  CHECK(e.file("body") == "{\"Message\":\"Failed to get credentials for dev: denied\"}\n");
}

TEST_CASE("exec --ecs-token-file hands the token over in a private file, removed afterwards",
          "[cli][server][integration]") {
  Exec e;
  const std::string runtime = e.dir.path + "/run";
  e.env_pairs.emplace_back("XDG_RUNTIME_DIR", runtime);
  e.env_pairs.emplace_back("AWS_CONTAINER_AUTHORIZATION_TOKEN", "inherited");
  const std::string script =
      "F=\"$AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE\"; env > \"$OUT/env\"; "
      "printf %s \"$F\" > \"$OUT/path\"; stat -c %a \"$F\" > \"$OUT/mode\"; "
      "stat -c %a \"$(dirname \"$F\")\" > \"$OUT/dirmode\"; "
      "curl -sS -H \"Authorization: $(cat \"$F\")\" \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" "
      "> \"$OUT/creds\"";
  CHECK(e.run({"exec", "--ecs-server", "--ecs-token-file", "dev", "--", "sh", "-c", script}) ==
        0);
  CHECK(e.err.text().empty());
  const std::string path = e.file("path");
  CHECK(path.starts_with(runtime + "/aws-vault/ecs-token-"));
  CHECK(e.file("mode") == "600\n");
  CHECK(e.file("dirmode") == "700\n");
  CHECK_FALSE(exists(path));
  CHECK(e.file("env").find("AWS_CONTAINER_AUTHORIZATION_TOKEN=") == std::string::npos);
  CHECK(e.file("creds").starts_with("{\"AccessKeyId\":\"ASIAEXAMPLE\""));
}

TEST_CASE("exec --ecs-token-file removes the file when the command cannot start",
          "[cli][server][error]") {
  Exec e;
  const std::string runtime = e.dir.path + "/run";
  e.env_pairs.emplace_back("XDG_RUNTIME_DIR", runtime);
  CHECK(e.run({"exec", "--ecs-server", "--ecs-token-file", "dev", "--", "av-no-such-command"}) ==
        1);
  CHECK(e.err.text() ==
        "aws-vault: error: exec: exec: \"av-no-such-command\": executable file not found in "
        "$PATH\n");
  std::error_code error;
  const std::filesystem::directory_iterator listing(runtime + "/aws-vault", error);
  REQUIRE_FALSE(error);
  CHECK(listing == std::filesystem::directory_iterator());  // the directory is empty
}

TEST_CASE("exec --ecs-token-file falls back to ~/.awsvault/ecs without XDG_RUNTIME_DIR",
          "[cli][server]") {
  Exec e;
  const std::string script =
      "printf %s \"$AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE\" > \"$OUT/path\"";
  CHECK(e.run({"exec", "--ecs-server", "--ecs-token-file", "--lazy", "dev", "--", "sh", "-c",
               script}) == 0);
  const std::string path = e.file("path");
  CHECK(path.starts_with(e.dir.path + "/.awsvault/ecs/ecs-token-"));
  CHECK_FALSE(exists(path));
}

TEST_CASE("exec --ecs-token-file refuses a directory other users may write to",
          "[cli][server][error]") {
  Exec e;
  const std::string runtime = e.dir.path + "/run";
  e.env_pairs.emplace_back("XDG_RUNTIME_DIR", runtime);
  REQUIRE(::mkdir(runtime.c_str(), 0700) == 0);
  REQUIRE(::mkdir((runtime + "/aws-vault").c_str(), 0700) == 0);
  REQUIRE(::chmod((runtime + "/aws-vault").c_str(), 0777) == 0);
  CHECK(e.run({"exec", "--ecs-server", "--ecs-token-file", "--lazy", "dev", "--", "sh", "-c",
               "touch \"$OUT/ran\""}) == 1);
  CHECK(e.err.text() == "aws-vault: error: exec: token directory \"" + runtime +
                            "/aws-vault\" is writable by other users\n");
  CHECK_FALSE(exists(e.dir.path + "/ran"));
}
