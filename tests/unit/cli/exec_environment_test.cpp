// The child environment and command line of `exec` (spec §6.1 steps 6-8, quirk A.6).
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "base/limits.h"
#include "cli/exec_environment.h"

namespace {

using av::platform::Environment;

std::vector<std::string> entries_of(const Environment& env) {
  return {env.entries().begin(), env.entries().end()};
}

av::aws::Credentials credentials(std::string token, bool with_expiry) {
  av::aws::Credentials c;
  c.access_key_id = "ASIAEXAMPLE";
  c.secret_access_key = av::secure::SecretString::copy_of("s3cr3t/key+");
  c.session_token = av::secure::SecretString::copy_of(token);
  if (with_expiry) {
    c.expiration = std::chrono::system_clock::time_point(std::chrono::seconds(1587035787));
  }
  return c;
}

}  // namespace

TEST_CASE("child_environment keeps the parent's order and appends AWS_VAULT and the region",
          "[cli][vector]") {
  const auto parent = Environment::from_pairs(
      {{"HOME", "/home/u"}, {"AWS_REGION", "eu-west-1"}, {"PATH", "/bin"}});
  const Environment child = av::cli::child_environment(
      parent, {.profile = "jonsmith", .region = "us-east-1", .endpoint_url = ""});
  CHECK(entries_of(child) == std::vector<std::string>{"HOME=/home/u", "PATH=/bin",
                                                       "AWS_VAULT=jonsmith",
                                                       "AWS_REGION=us-east-1",
                                                       "AWS_DEFAULT_REGION=us-east-1"});
}

TEST_CASE("child_environment scrubs every copy of every credential variable", "[cli][vector]") {
  std::vector<std::pair<std::string, std::string>> pairs = {{"KEEP", "1"}};
  for (std::string_view name : av::cli::kScrubbedVariables) {
    pairs.emplace_back(std::string(name), "old");
    pairs.emplace_back(std::string(name), "older");  // duplicates: upstream removed only one
  }
  pairs.emplace_back("AWS_VAULT", "outer");
  const Environment child = av::cli::child_environment(Environment::from_pairs(std::move(pairs)),
                                                       {.profile = "p"});
  CHECK(entries_of(child) == std::vector<std::string>{"KEEP=1", "AWS_VAULT=p"});
}

TEST_CASE("child_environment scrubs the A.6 variables upstream left behind", "[cli][mutation]") {
  const auto parent = Environment::from_pairs({{"AWS_CREDENTIAL_EXPIRATION", "2000-01-01T00:00:00Z"},
                                               {"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://x"},
                                               {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "t"}});
  const Environment child = av::cli::child_environment(parent, {.profile = "p"});
  CHECK_FALSE(child.get("AWS_CREDENTIAL_EXPIRATION").has_value());
  CHECK_FALSE(child.get("AWS_CONTAINER_CREDENTIALS_FULL_URI").has_value());
  CHECK_FALSE(child.get("AWS_CONTAINER_AUTHORIZATION_TOKEN").has_value());
}

TEST_CASE("child_environment sets the endpoint URL only when one resolved", "[cli][vector]") {
  const auto parent = Environment::from_pairs({{"AWS_ENDPOINT_URL", "http://inherited"}});
  const Environment with = av::cli::child_environment(
      parent, {.profile = "p", .endpoint_url = "http://127.0.0.1:5000"});
  CHECK(entries_of(with) ==
        std::vector<std::string>{"AWS_VAULT=p", "AWS_ENDPOINT_URL=http://127.0.0.1:5000"});
  const Environment without = av::cli::child_environment(parent, {.profile = "p"});
  CHECK(without.get("AWS_ENDPOINT_URL") == "http://inherited");
  CHECK_FALSE(without.get("AWS_REGION").has_value());
}

TEST_CASE("add_credentials appends keys, token and expiry in upstream's order", "[cli][vector]") {
  Environment env = Environment::from_pairs({{"A", "1"}});
  REQUIRE(av::cli::add_credentials(env, credentials("tok", true), true).has_value());
  CHECK(entries_of(env) ==
        std::vector<std::string>{"A=1", "AWS_ACCESS_KEY_ID=ASIAEXAMPLE",
                                 "AWS_SECRET_ACCESS_KEY=s3cr3t/key+", "AWS_SESSION_TOKEN=tok",
                                 "AWS_CREDENTIAL_EXPIRATION=2020-04-16T11:16:27Z"});
}

TEST_CASE("add_credentials omits an empty token and the expiry of keys that cannot expire",
          "[cli][vector]") {
  Environment env;
  REQUIRE(av::cli::add_credentials(env, credentials("", true), false).has_value());
  CHECK(entries_of(env) == std::vector<std::string>{"AWS_ACCESS_KEY_ID=ASIAEXAMPLE",
                                                    "AWS_SECRET_ACCESS_KEY=s3cr3t/key+"});
  Environment no_expiry;
  REQUIRE(av::cli::add_credentials(no_expiry, credentials("t", false), true).has_value());
  CHECK_FALSE(no_expiry.get("AWS_CREDENTIAL_EXPIRATION").has_value());
}

TEST_CASE("add_credentials refuses a secret beyond the secret size limit", "[cli][error]") {
  Environment env;
  auto c = credentials(std::string(av::limits::kMaxSecretBytes + 1, 'x'), false);
  const av::Status s = av::cli::add_credentials(env, c, false);
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().code() == av::Errc::TooLarge);
}

TEST_CASE("add_profile_variable sets AWS_PROFILE and nothing else", "[cli][vector]") {
  Environment env =
      av::cli::child_environment(Environment::from_pairs({{"AWS_PROFILE", "old"}}), {.profile = "p"});
  av::cli::add_profile_variable(env, "p");
  CHECK(entries_of(env) == std::vector<std::string>{"AWS_VAULT=p", "AWS_PROFILE=p"});
}

TEST_CASE("the command defaults to $SHELL, then /bin/sh", "[cli][vector]") {
  const std::vector<std::string> args = {"-c", "echo hi"};
  const auto zsh = Environment::from_pairs({{"SHELL", "/bin/zsh"}});
  CHECK(av::cli::command_line(zsh, "", {}) == std::vector<std::string>{"/bin/zsh"});
  CHECK(av::cli::command_line(zsh, "sh", args) ==
        std::vector<std::string>{"sh", "-c", "echo hi"});
  CHECK(av::cli::default_shell(Environment::from_pairs({{"SHELL", ""}})) == "/bin/sh");
  CHECK(av::cli::default_shell(Environment{}) == "/bin/sh");
}

TEST_CASE("help messages need no --debug, no command, a terminal and no opt-out",
          "[cli][vector]") {
  const Environment none;
  const auto off = Environment::from_pairs({{"AWS_VAULT_DISABLE_HELP_MESSAGE", "1"}});
  const auto other = Environment::from_pairs({{"AWS_VAULT_DISABLE_HELP_MESSAGE", "true"}});
  CHECK(av::cli::help_messages_enabled(false, false, true, none));
  CHECK(av::cli::help_messages_enabled(false, false, true, other));
  CHECK_FALSE(av::cli::help_messages_enabled(true, false, true, none));
  CHECK_FALSE(av::cli::help_messages_enabled(false, true, true, none));
  CHECK_FALSE(av::cli::help_messages_enabled(false, false, false, none));
  CHECK_FALSE(av::cli::help_messages_enabled(false, false, true, off));
}
