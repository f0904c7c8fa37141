// exec and export through the Context seams (keyring, credential chain) with a MemoryKeyring and
// a temporary AWS config (spec §2.5, §2.6, §6.1-§6.2, quirk A.4).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "cli/context.h"
#include "cli_test_support.h"
#include "cli/credentials_access.h"
#include "cli/run.h"
#include "keyring/memory_keyring.h"

namespace {

using av::cli::testing::FixedClock;
using av::cli::testing::no_executables;

bool only_zenity(std::string_view path) { return path == "/usr/bin/zenity"; }

av::vault::Issued issued(std::string id, std::string secret, std::string token, bool can_expire) {
  av::vault::Issued i;
  i.credentials.access_key_id = std::move(id);
  i.credentials.secret_access_key = av::secure::SecretString::copy_of(secret);
  i.credentials.session_token = av::secure::SecretString::copy_of(token);
  if (can_expire) {
    i.credentials.expiration =
        std::chrono::system_clock::time_point(std::chrono::seconds(1587035787));
  }
  i.can_expire = can_expire;
  return i;
}

// Seen: what the fake chain was asked for.
struct Seen {
  int calls = 0;
  std::string profile;
  std::string region;
  std::string mfa_token;
  std::chrono::nanoseconds assume_role{0};
  std::chrono::nanoseconds session{0};
  bool sessions_disabled = false;
  std::chrono::nanoseconds min_ttl{0};
};

struct Harness {
  std::string dir;
  std::string config_path;
  av::keyring::MemoryKeyring ring;
  std::vector<std::pair<std::string, std::string>> env_pairs;
  av::cli::StringWriter out;
  av::cli::StringWriter err;
  av::cli::ExecutableExists executables = &no_executables;
  std::optional<av::Error> chain_error;
  bool can_expire = true;
  std::string token = "FwoGZXIvYXdzE<&>";
  Seen seen;

  explicit Harness(const std::string& config) {
    std::string tmpl = "/tmp/av-exec-XXXXXX";
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    config_path = dir + "/config";
    std::ofstream(config_path) << config;
    env_pairs = {{"AWS_CONFIG_FILE", config_path}, {"PATH", "/nonexistent-av-test"}};
  }
  ~Harness() {
    std::remove(config_path.c_str());
    rmdir(dir.c_str());
  }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  av::Result<av::vault::Issued> chain(const av::config::ResolvedProfile& p,
                                      const av::vault::ChainOptions& o) {
    ++seen.calls;
    seen.profile = p.name;
    seen.region = p.region;
    seen.mfa_token = std::string(p.mfa_token.reveal());
    seen.assume_role = p.durations.assume_role;
    seen.session = p.durations.non_chained_session_token;
    seen.sessions_disabled = o.sessions_disabled;
    seen.min_ttl = o.min_ttl;
    if (chain_error) return *chain_error;
    return issued("ASIAEXAMPLE", "se/cr+et", token, can_expire);
  }

  int run(std::vector<std::string_view> args) {
    args.insert(args.begin(), "aws-vault");
    const auto env = av::platform::Environment::from_pairs(env_pairs);
    FixedClock clock;
    av::cli::Context ctx{env, out, err, clock, "aws-vault", std::nullopt, executables};
    ctx.open_keyring = [this](std::string_view) -> av::Result<av::keyring::Keyring*> {
      return &ring;
    };
    ctx.get_credentials = [this](const av::config::ResolvedProfile& p,
                                 const av::vault::ChainOptions& o) { return chain(p, o); };
    return av::cli::run(args, ctx);
  }
};

void store_long_term(av::keyring::MemoryKeyring& ring, const std::string& name) {
  av::keyring::Item item;
  item.key = name;
  item.data = av::secure::SecretBytes::copy_of(
      av::as_bytes(std::string(R"({"AccessKeyID":"ABC","SecretAccessKey":"XYZ"})")));
  REQUIRE(ring.set(item).has_value());
}

const char* const kConfig = "[profile dev]\nregion = us-east-1\n\n[profile noregion]\n";

}  // namespace

TEST_CASE("export prints the env format with token, expiry and region", "[cli][vector]") {
  Harness h(kConfig);
  REQUIRE(h.run({"export", "dev"}) == 0);
  CHECK(h.out.text() ==
        "AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nAWS_SECRET_ACCESS_KEY=se/cr+et\n"
        "AWS_SESSION_TOKEN=FwoGZXIvYXdzE<&>\nAWS_CREDENTIAL_EXPIRATION=2020-04-16T11:16:27Z\n"
        "AWS_REGION=us-east-1\nAWS_DEFAULT_REGION=us-east-1\n");
  CHECK(h.err.text().empty());
  CHECK(h.seen.calls == 1);
  CHECK_FALSE(h.seen.sessions_disabled);
}

TEST_CASE("export-env prefixes every line and omits what is absent", "[cli][vector]") {
  Harness h(kConfig);
  h.token = "";
  h.can_expire = false;
  REQUIRE(h.run({"export", "--format=export-env", "noregion"}) == 0);
  CHECK(h.out.text() ==
        "export AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nexport AWS_SECRET_ACCESS_KEY=se/cr+et\n");
}

TEST_CASE("export --format=json is the credential_process document", "[cli][vector]") {
  Harness h(kConfig);
  REQUIRE(h.run({"export", "--format", "json", "dev"}) == 0);
  CHECK(h.out.text() ==
        "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"ASIAEXAMPLE\",\n"
        "  \"SecretAccessKey\": \"se/cr+et\",\n"
        "  \"SessionToken\": \"FwoGZXIvYXdzE\\u003c\\u0026\\u003e\",\n"
        "  \"Expiration\": \"2020-04-16T11:16:27Z\"\n}\n");
}

TEST_CASE("export --format=json omits the token and expiry of long-term keys", "[cli][vector]") {
  Harness h(kConfig);
  h.token = "";
  h.can_expire = false;
  REQUIRE(h.run({"export", "--format=json", "--no-session", "dev"}) == 0);
  CHECK(h.out.text() ==
        "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"ASIAEXAMPLE\",\n"
        "  \"SecretAccessKey\": \"se/cr+et\"\n}\n");
  CHECK(h.seen.sessions_disabled);
}

TEST_CASE("export --format=ini matches upstream's test for a stored profile without config",
          "[cli][vector]") {
  Harness h("");
  store_long_term(h.ring, "llamas");
  h.token = "";
  h.can_expire = false;
  REQUIRE(h.run({"export", "--format=ini", "--no-session", "llamas"}) == 0);
  CHECK(h.out.text() == "[llamas]\naws_access_key_id=ASIAEXAMPLE\naws_secret_access_key=se/cr+et\n");
}

TEST_CASE("export --format=ini writes token, expiry and region", "[cli][vector]") {
  Harness h(kConfig);
  h.token = "tok";
  REQUIRE(h.run({"export", "--format=ini", "dev"}) == 0);
  CHECK(h.out.text() ==
        "[dev]\naws_access_key_id=ASIAEXAMPLE\naws_secret_access_key=se/cr+et\n"
        "aws_session_token=tok\naws_credential_expiration=2020-04-16T11:16:27Z\n"
        "region=us-east-1\n");
}

TEST_CASE("ini values are quoted as upstream's INI writer quotes them", "[cli][vector]") {
  const auto render = [](std::string secret) {
    auto text = av::cli::format_credentials(av::cli::ExportFormat::Ini, "p",
                                            issued("A", std::move(secret), "", false), "");
    REQUIRE(text.has_value());
    return std::string(text->reveal());
  };
  CHECK(render("a#b") == "[p]\naws_access_key_id=A\naws_secret_access_key=`a#b`\n");
  CHECK(render("a;b") == "[p]\naws_access_key_id=A\naws_secret_access_key=`a;b`\n");
  CHECK(render("a`b") == "[p]\naws_access_key_id=A\naws_secret_access_key=\"\"\"a`b\"\"\"\n");
  CHECK(render(" ab") == "[p]\naws_access_key_id=A\naws_secret_access_key=\" ab\"\n");
  CHECK(render("a\nb") == "[p]\naws_access_key_id=A\naws_secret_access_key=\"\"\"a\nb\"\"\"\n");
}

TEST_CASE("flags reach the resolved profile and the chain options", "[cli][integration]") {
  Harness h(kConfig);
  h.env_pairs.emplace_back("AWS_MIN_TTL", "90s");
  REQUIRE(h.run({"export", "-d", "2h", "--region=eu-west-2", "-t", "123456", "dev"}) == 0);
  CHECK(h.seen.profile == "dev");
  CHECK(h.seen.region == "eu-west-2");
  CHECK(h.seen.mfa_token == "123456");
  CHECK(h.seen.assume_role == std::chrono::hours(2));
  CHECK(h.seen.session == std::chrono::hours(2));
  CHECK(h.seen.min_ttl == std::chrono::seconds(90));
  CHECK(h.out.text().find("AWS_REGION=eu-west-2\n") != std::string::npos);
}

TEST_CASE("AWS_VAULT_DURATION sets the durations and a bad AWS_MIN_TTL means 5m",
          "[cli][integration]") {
  Harness h(kConfig);
  h.env_pairs.emplace_back("AWS_VAULT_DURATION", "1d");
  h.env_pairs.emplace_back("AWS_MIN_TTL", "1d");  // plain Go syntax: no days
  REQUIRE(h.run({"export", "dev"}) == 0);
  CHECK(h.seen.assume_role == std::chrono::hours(24));
  CHECK(h.seen.min_ttl == std::chrono::minutes(5));
}

TEST_CASE("export refuses to run inside an aws-vault subshell", "[cli][error]") {
  Harness h(kConfig);
  h.env_pairs.emplace_back("AWS_VAULT", "outer");
  CHECK(h.run({"export", "dev"}) == 1);
  CHECK(h.err.text() ==
        "aws-vault: error: export: in an existing aws-vault subshell; 'exit' from the subshell "
        "or unset AWS_VAULT to force\n");
  CHECK(h.seen.calls == 0);
}

TEST_CASE("an empty AWS_VAULT does not count as a subshell", "[cli][mutation]") {
  Harness h(kConfig);
  h.env_pairs.emplace_back("AWS_VAULT", "");
  CHECK(h.run({"export", "dev"}) == 0);
}

TEST_CASE("export refuses a profile that is neither configured nor stored", "[cli][error]") {
  Harness h(kConfig);
  CHECK(h.run({"export", "ghost"}) == 1);
  CHECK(h.err.text() ==
        "aws-vault: error: export: profile 'ghost' not found in ~/.aws/config and no stored "
        "credentials exist for it\n");
  CHECK(h.seen.calls == 0);
}

TEST_CASE("a session key with the profile's name does not satisfy the existence guard",
          "[cli][mutation]") {
  Harness h(kConfig);
  av::keyring::Item item;
  item.key = "ghost session (61633665646639303539)";
  item.data = av::secure::SecretBytes::copy_of(av::as_bytes(std::string("{}")));
  REQUIRE(h.ring.set(item).has_value());
  CHECK(h.run({"export", "ghost session (61633665646639303539)"}) == 1);
  CHECK(h.err.text().find("not found in ~/.aws/config") != std::string::npos);
}

TEST_CASE("retrieval failures are worded as upstream words them", "[cli][error]") {
  Harness h(kConfig);
  h.chain_error = av::Error(av::Errc::AwsApi, "operation error STS: GetSessionToken, api error "
                                              "AccessDenied: no");
  CHECK(h.run({"export", "dev"}) == 1);
  CHECK(h.err.text() ==
        "aws-vault: error: export: Failed to get credentials for dev: operation error STS: "
        "GetSessionToken, api error AccessDenied: no\n");
  CHECK(h.out.text().empty());

  Harness missing(kConfig);
  missing.chain_error = av::Error(av::Errc::NotFound, "profile dev: credentials missing");
  CHECK(missing.run({"export", "dev"}) == 1);
  CHECK(missing.err.text() ==
        "aws-vault: error: export: Error getting temporary credentials: profile dev: "
        "credentials missing\n");
}

TEST_CASE("a broken profile is reported as a config loading error", "[cli][error]") {
  Harness h("[profile a]\nsource_profile = b\n[profile b]\nsource_profile = a\n");
  CHECK(h.run({"export", "a"}) == 1);
  CHECK(h.err.text().starts_with("aws-vault: error: export: Error loading config: "));
  CHECK(h.err.text().find("profile cycle") != std::string::npos);
}

TEST_CASE("exec --json behaves as export --format=json under the exec prefix",
          "[cli][integration]") {
  Harness h(kConfig);
  REQUIRE(h.run({"exec", "--json", "dev"}) == 0);
  CHECK(h.out.text().starts_with("{\n  \"Version\": 1,\n  \"AccessKeyId\": \"ASIAEXAMPLE\""));
  Harness nested(kConfig);
  nested.env_pairs.emplace_back("AWS_VAULT", "outer");
  CHECK(nested.run({"exec", "-j", "dev"}) == 1);
  CHECK(nested.err.text() ==
        "aws-vault: error: exec: in an existing aws-vault subshell; 'exit' from the subshell or "
        "unset AWS_VAULT to force\n");
}

TEST_CASE("exec --json skips the server flag checks (quirk A.5 kept)", "[cli][vector]") {
  Harness h(kConfig);
  CHECK(h.run({"exec", "--json", "--ec2-server", "--ecs-server", "dev"}) == 0);
}

TEST_CASE("exec refuses to run inside an aws-vault subshell", "[cli][error]") {
  Harness h(kConfig);
  h.env_pairs.emplace_back("AWS_VAULT", "outer");
  CHECK(h.run({"exec", "dev", "--", "true"}) == 1);
  CHECK(h.err.text() ==
        "aws-vault: error: exec: running in an existing aws-vault subshell; 'exit' from the "
        "subshell or unset AWS_VAULT to force\n");
}

TEST_CASE("exec rejects server flag combinations in upstream's order", "[cli][error]") {
  const auto error_of = [](std::vector<std::string_view> args) {
    Harness h(kConfig);
    CHECK(h.run(std::move(args)) == 1);
    return h.err.text();
  };
  CHECK(error_of({"exec", "--ec2-server", "--server", "-n", "dev"}) ==
        "aws-vault: error: exec: Can't use --ec2-server with --ecs-server\n");
  CHECK(error_of({"exec", "--ec2-server", "-n", "dev"}) ==
        "aws-vault: error: exec: Can't use --ec2-server with --no-session\n");
  CHECK(error_of({"exec", "--ecs-server", "--no-session", "dev"}) ==
        "aws-vault: error: exec: Can't use --ecs-server with --no-session\n");
}

TEST_CASE("exec servers refuse the terminal prompt only when MFA could be needed (A.4 fixed)",
          "[cli][vector]") {
  const char* const mfa = "[profile m]\nregion = us-east-1\nmfa_serial = arn:aws:iam::1:mfa/u\n";
  Harness with_mfa(mfa);
  CHECK(with_mfa.run({"exec", "--server", "m"}) == 1);
  CHECK(with_mfa.err.text() == "aws-vault: error: exec: Can't use --prompt=terminal with "
                               "--ecs-server. Specify a different prompt driver\n");
  Harness ec2(mfa);
  CHECK(ec2.run({"exec", "--ec2-server", "m"}) == 1);
  CHECK(ec2.err.text() == "aws-vault: error: exec: Can't use --prompt=terminal with "
                          "--ec2-server. Specify a different prompt driver\n");
  // Allowed combinations run the server with a child that exits at once.
  Harness token(mfa);
  CHECK(token.run({"exec", "--server", "-t", "123456", "m", "--", "/bin/true"}) == 0);
  CHECK(token.err.text().empty());
  Harness no_mfa(kConfig);
  CHECK(no_mfa.run({"exec", "--ecs-server", "--lazy", "dev", "--", "/bin/true"}) == 0);
  CHECK(no_mfa.err.text().empty());
  Harness gui(mfa);
  gui.env_pairs = {{"AWS_CONFIG_FILE", gui.config_path}, {"PATH", "/usr/bin"}};
  gui.executables = &only_zenity;  // the automatic choice avoids terminal for a server
  CHECK(gui.run({"exec", "--server", "m", "--", "/bin/true"}) == 0);
  CHECK(gui.err.text().empty());
  // The refused runs fetched nothing; the others prefetched once each, except --lazy.
  CHECK(with_mfa.seen.calls + ec2.seen.calls == 0);
  CHECK(token.seen.calls + no_mfa.seen.calls + gui.seen.calls == 2);
}

TEST_CASE("exec reports a command that cannot be found after fetching credentials",
          "[cli][error]") {
  Harness h(kConfig);
  CHECK(h.run({"exec", "dev", "--", "av-no-such-command"}) == 1);
  CHECK(h.err.text() == "aws-vault: error: exec: exec: \"av-no-such-command\": executable file "
                        "not found in $PATH\n");
  CHECK(h.seen.calls == 1);
}

TEST_CASE("exec --profile-env words retrieval failures in lower case", "[cli][error]") {
  Harness h(kConfig);
  h.chain_error = av::Error(av::Errc::Cancelled, "prompt cancelled");
  CHECK(h.run({"exec", "--profile-env", "dev", "--", "true"}) == 1);
  CHECK(h.err.text() ==
        "aws-vault: error: exec: failed to get credentials for dev: prompt cancelled\n");
  Harness plain(kConfig);
  plain.chain_error = av::Error(av::Errc::Cancelled, "prompt cancelled");
  CHECK(plain.run({"exec", "dev", "--", "true"}) == 1);
  CHECK(plain.err.text() ==
        "aws-vault: error: exec: Failed to get credentials for dev: prompt cancelled\n");
}

TEST_CASE("exec takes its profile from AWS_PROFILE", "[cli][integration]") {
  Harness h(kConfig);
  h.env_pairs.emplace_back("AWS_PROFILE", "ghost");
  CHECK(h.run({"exec"}) == 1);  // `exec -- true` would make "true" the profile
  CHECK(h.err.text().find("profile 'ghost' not found") != std::string::npos);
}

TEST_CASE("the automatic prompt driver follows spec §1.7", "[cli][vector]") {
  const std::vector<std::string> gui = {"kdialog", "terminal", "zenity"};
  const std::vector<std::string> ykman = {"terminal", "ykman"};
  const std::vector<std::string> only = {"terminal"};
  CHECK(av::cli::choose_prompt_driver("", gui, true, false) == "terminal");
  CHECK(av::cli::choose_prompt_driver("", gui, false, false) == "kdialog");
  CHECK(av::cli::choose_prompt_driver("", ykman, true, true) == "ykman");
  CHECK(av::cli::choose_prompt_driver("", only, false, true) == "terminal");
  CHECK(av::cli::choose_prompt_driver("zenity", only, false, true) == "zenity");
}

TEST_CASE("mfa_prompt_needed looks through the whole source chain", "[cli][vector]") {
  av::config::ResolvedProfile target;
  target.source = std::make_unique<av::config::ResolvedProfile>();
  CHECK_FALSE(av::cli::mfa_prompt_needed(target));
  target.source->mfa_serial = "arn:aws:iam::1:mfa/u";
  CHECK(av::cli::mfa_prompt_needed(target));
  target.source->mfa_process = "ykman oath code";
  CHECK_FALSE(av::cli::mfa_prompt_needed(target));
  target.source->mfa_process.clear();
  target.source->mfa_token = av::secure::SecretString::copy_of("123456");
  CHECK_FALSE(av::cli::mfa_prompt_needed(target));
}

TEST_CASE("the CA bundle comes from AWS_CA_BUNDLE, then the profile's ca_bundle",
          "[cli][vector]") {
  auto config = av::config::parse_aws_config("[profile p]\nca_bundle = /etc/p.pem\n", "cfg");
  REQUIRE(config.has_value());
  const auto none = av::platform::Environment{};
  const auto env = av::platform::Environment::from_pairs({{"AWS_CA_BUNDLE", "/etc/env.pem"}});
  CHECK(av::cli::ca_bundle_for(*config, "p", none) == "/etc/p.pem");
  CHECK(av::cli::ca_bundle_for(*config, "p", env) == "/etc/env.pem");
  CHECK(av::cli::ca_bundle_for(*config, "q", none).empty());
}
