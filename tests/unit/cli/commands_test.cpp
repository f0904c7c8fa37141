// add / remove / list / clear through the Context keyring seam with a MemoryKeyring and a
// temporary AWS config (spec §2.1-2.3, §2.7, §12 items 1-10).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/context.h"
#include "cli_test_support.h"
#include "cli/run.h"
#include "keyring/keys.h"
#include "keyring/memory_keyring.h"

namespace {

using av::cli::testing::FixedClock;
using av::cli::testing::no_executables;


void put(av::keyring::MemoryKeyring& ring, const std::string& key, const std::string& data = "{}") {
  av::keyring::Item item;
  item.key = key;
  item.data = av::secure::SecretBytes::copy_of(av::as_bytes(data));
  REQUIRE(ring.set(item).has_value());
}

// Harness: a config file in a fresh temporary directory, a MemoryKeyring and scripted answers.
struct Harness {
  std::string dir;
  std::string config_path;
  av::keyring::MemoryKeyring ring;
  std::vector<std::string> answers;
  std::vector<std::string> prompts;
  std::vector<std::pair<std::string, std::string>> env_pairs;
  av::cli::StringWriter out;
  av::cli::StringWriter err;
  explicit Harness(const std::string& config) {
    std::string tmpl = "/tmp/av-cmds-XXXXXX";
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    config_path = dir + "/config";
    if (!config.empty()) std::ofstream(config_path) << config;
    env_pairs = {{"AWS_CONFIG_FILE", config_path}};
  }
  ~Harness() {
    std::remove(config_path.c_str());
    rmdir(dir.c_str());
  }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;
  std::string config_text() const {
    std::ifstream in(config_path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  int run(std::vector<std::string_view> args) {
    args.insert(args.begin(), "aws-vault");
    const auto env = av::platform::Environment::from_pairs(env_pairs);
    FixedClock clock;
    av::cli::Context ctx{env, out, err, clock, "aws-vault", std::nullopt, &no_executables};
    ctx.open_keyring = [this](std::string_view) -> av::Result<av::keyring::Keyring*> {
      return &ring;
    };
    ctx.prompt_line = [this](std::string_view prompt, av::platform::Echo) {
      prompts.emplace_back(prompt);
      std::string answer = answers.empty() ? std::string() : answers.front();
      if (!answers.empty()) answers.erase(answers.begin());
      return av::Result<av::secure::SecretString>(av::secure::SecretString::copy_of(answer));
    };
    return av::cli::run(args, ctx);
  }
  std::string get(const std::string& key) {
    auto item = ring.get(key);
    REQUIRE(item.has_value());
    return std::string(av::as_chars(item->data.reveal()));
  }
};

const char* const kSsoConfig =
    "[profile legacy]\nsso_start_url=https://example.awsapps.com/start\n\n"
    "[profile nourl]\nsso_start_url=https://other.awsapps.com/start\n\n"
    "[sso-session my-sso]\nsso_start_url=https://my.awsapps.com/start\n\n"
    "[profile sso-profile]\nsso_session=my-sso\n\n"
    "[profile both]\nsso_session=my-sso\nsso_start_url=https://inline.awsapps.com/start\n";

}  // namespace

TEST_CASE("add --env stores the credentials and reports them", "[cli][integration]") {
  Harness h("");
  h.env_pairs.emplace_back("AWS_ACCESS_KEY_ID", "llamas");
  h.env_pairs.emplace_back("AWS_SECRET_ACCESS_KEY", "rock");
  put(h.ring,
      av::keyring::format_session_key({"sts.GetSessionToken", "foo", "", 1800000000}).value());
  REQUIRE(h.run({"add", "--env", "foo"}) == 0);
  CHECK(h.out.text() ==
        "Added credentials to profile \"foo\" in vault\nDeleted 1 existing sessions.\n");
  CHECK(h.get("foo") ==
        "{\"AccessKeyID\":\"llamas\",\"SecretAccessKey\":\"rock\",\"SessionToken\":\"\",\"Source\":"
        "\"\",\"CanExpire\":false,\"Expires\":\"0001-01-01T00:00:00Z\",\"AccountID\":\"\"}");
  CHECK(h.config_text() == "[profile foo]\n");
}

TEST_CASE("add prompts three times and writes the MFA serial to a new section",
          "[cli][integration]") {
  Harness h("[default]\nregion=us-west-2\n");
  h.answers = {" AKID ", " secret ", " arn:aws:iam::1:mfa/me "};
  REQUIRE(h.run({"add", "dev"}) == 0);
  CHECK(h.prompts == std::vector<std::string>{"Enter Access Key ID: ", "Enter Secret Access Key: ",
                                              "Enter MFA Device ARN (If MFA is not enabled, leave "
                                              "this blank): "});
  CHECK(h.get("dev").starts_with("{\"AccessKeyID\":\"AKID\",\"SecretAccessKey\":\"secret\""));
  CHECK(h.config_text() ==
        "[default]\nregion=us-west-2\n\n[profile dev]\nmfa_serial=arn:aws:iam::1:mfa/me\n");
}

TEST_CASE("add leaves an existing section alone and honours --no-add-config",
          "[cli][integration]") {
  Harness h("[profile dev]\nregion=x\n");
  h.answers = {"a", "b", "arn"};
  REQUIRE(h.run({"add", "dev"}) == 0);
  CHECK(h.config_text() == "[profile dev]\nregion=x\n");
  h.answers = {"a", "b", "arn"};
  REQUIRE(h.run({"add", "--no-add-config", "other"}) == 0);
  CHECK(h.config_text() == "[profile dev]\nregion=x\n");
}

TEST_CASE("add reports missing environment values and a source_profile", "[cli][error]") {
  Harness h("[profile child]\nsource_profile=parent\n");
  CHECK(h.run({"add", "--env", "x"}) == 1);
  CHECK(h.err.text() == "aws-vault: error: add: Missing value for AWS_ACCESS_KEY_ID\n");
  h.env_pairs.emplace_back("AWS_ACCESS_KEY_ID", "id");
  CHECK(h.run({"add", "--env", "x"}) == 1);
  CHECK(h.err.text().ends_with("aws-vault: error: add: Missing value for AWS_SECRET_ACCESS_KEY\n"));
  CHECK(h.run({"add", "child"}) == 1);
  CHECK(
      h.err.text().ends_with("aws-vault: error: add: Your profile has a source_profile of parent, "
                             "adding credentials to child won't have any effect\n"));
  CHECK(h.ring.size() == 0);
}

TEST_CASE("remove asks, accepts y or yes, and deletes only the credentials", "[cli][integration]") {
  Harness h("");
  put(h.ring, "dev");
  put(h.ring, av::keyring::format_session_key({"sts.AssumeRole", "dev", "", 1800000000}).value());
  h.answers = {"no"};
  REQUIRE(h.run({"remove", "dev"}) == 0);
  CHECK(h.prompts == std::vector<std::string>{"Delete credentials for profile \"dev\"? (y|N) "});
  CHECK(h.out.text().empty());
  CHECK(h.ring.size() == 2);
  h.answers = {" YES "};
  REQUIRE(h.run({"rm", "dev"}) == 0);
  CHECK(h.out.text() == "Deleted credentials.\n");
  CHECK(h.ring.size() == 1);
}

TEST_CASE("remove --force reports a missing item and --sessions-only counts sessions",
          "[cli][error]") {
  Harness h("");
  put(h.ring, "dev");
  put(h.ring, av::keyring::format_session_key({"sts.AssumeRole", "dev", "", 1800000000}).value());
  CHECK(h.run({"remove", "-f", "ghost"}) == 1);
  CHECK(h.err.text() ==
        "aws-vault: error: remove: the specified item could not be found in the keyring\n");
  REQUIRE(h.run({"remove", "-s", "dev"}) == 0);
  REQUIRE(h.run({"remove", "-s", "dev"}) == 0);
  CHECK(h.out.text() == "Deleted 1 sessions.\nDeleted 0 sessions.\n");
  CHECK(h.ring.size() == 1);
}

TEST_CASE("list --credentials excludes OIDC and session keys", "[cli][vector]") {
  Harness h("");
  put(h.ring, "llamas");
  put(h.ring, "oidc:https://x.awsapps.com/start");
  put(h.ring, "GetSessionToken,my-profile,,9999999999");
  REQUIRE(h.run({"list", "--credentials", "--profiles", "--sessions"}) == 0);
  CHECK(h.out.text() == "llamas\n");
}

TEST_CASE("list renders the table byte for byte", "[cli][vector]") {
  Harness h("[profile jonsmith]\nregion=x\n\n[profile nocreds]\nregion=y\n");
  put(h.ring, "jonsmith");
  put(h.ring, "orphan-credential-with-a-long-name");
  put(h.ring,
      av::keyring::format_session_key({"sts.GetSessionToken", "jonsmith", "", 1700028798}).value());
  put(h.ring, av::keyring::format_session_key({"sts.AssumeRole", "gone", "", 1699999818}).value());
  REQUIRE(h.run({"ls"}) == 0);
  const std::string w1(25, ' ');
  CHECK(h.out.text() ==
        "Profile                  Credentials                         Sessions                     "
        " \n"
        "=======                  ===========                         ========                     "
        " \n"
        "jonsmith                 jonsmith                            sts.GetSessionToken:7h59m58s "
        " \n"
        "nocreds                  -                                   -                            "
        " \n"
        "-                        orphan-credential-with-a-long-name  -                            "
        " \n"
        "-                        -                                   sts.AssumeRole:-3m2s         "
        " \n");
}

TEST_CASE("list labels OIDC tokens by sso-session name or host", "[cli][vector]") {
  Harness h(kSsoConfig);
  put(h.ring, "oidc:https://example.awsapps.com/start");
  put(h.ring, "oidc:https://my.awsapps.com/start");
  REQUIRE(h.run({"list"}) == 0);
  const std::string& t = h.out.text();
  CHECK(t.find("\nlegacy                   -                        oidc:example.awsapps.com ") !=
        std::string::npos);
  CHECK(t.find("\nnourl                    -                        -  ") != std::string::npos);
  CHECK(t.find("\nsso-profile              -                        oidc:my-sso  ") !=
        std::string::npos);
  CHECK(t.find("\nboth                     -                        oidc:my-sso  ") !=
        std::string::npos);
  CHECK(t.find("\n-    ") == std::string::npos);
  REQUIRE(h.run({"list", "--sessions"}) == 0);
  CHECK(h.out.text().ends_with("oidc:example.awsapps.com\noidc:my-sso\n"));
}

TEST_CASE("clear with a profile removes its sessions and its sso-session token",
          "[cli][integration]") {
  Harness h(kSsoConfig);
  put(h.ring, "cred");
  put(h.ring, "oidc:https://my.awsapps.com/start");
  put(h.ring, "oidc:https://inline.awsapps.com/start");
  put(h.ring,
      av::keyring::format_session_key({"sso.GetRoleCredentials", "both", "u", 1800000000}).value());
  REQUIRE(h.run({"clear", "both"}) == 0);
  CHECK(h.out.text() == "Cleared 2 sessions.\n");
  CHECK(h.ring.keys().value() ==
        std::vector<std::string>{"cred", "oidc:https://inline.awsapps.com/start"});
  REQUIRE(h.run({"clear", "sso-profile"}) == 0);
  CHECK(h.out.text().ends_with("Cleared 0 sessions.\n"));
}

TEST_CASE("clear without a profile removes every session and token", "[cli][integration]") {
  Harness h("");
  put(h.ring, "cred");
  put(h.ring, "oidc:https://my.awsapps.com/start");
  put(h.ring, "session,c2Vzc2lvbg,,1572281751");
  put(h.ring, av::keyring::format_session_key({"sts.AssumeRole", "a", "", 1600000000}).value());
  put(h.ring, av::keyring::format_session_key({"sts.AssumeRole", "b", "", 1800000000}).value());
  REQUIRE(h.run({"clear"}) == 0);
  CHECK(h.out.text() == "Cleared 4 sessions.\n");
  CHECK(h.ring.keys().value() == std::vector<std::string>{"cred"});
}

TEST_CASE("commands report an unavailable keyring as error shape 2", "[cli][error]") {
  Harness h("");
  const auto env = av::platform::Environment::from_pairs(h.env_pairs);
  FixedClock clock;
  av::cli::Context ctx{env, h.out, h.err, clock, "aws-vault", std::nullopt, &no_executables};
  ctx.open_keyring = [](std::string_view name) -> av::Result<av::keyring::Keyring*> {
    return av::Error(av::Errc::Usage,
                     "keyring backend \"" + std::string(name) + "\" is not available yet");
  };
  const std::vector<std::string_view> args = {"aws-vault", "--backend=file", "clear"};
  CHECK(av::cli::run(args, ctx) == 1);
  CHECK(h.err.text().find("keyring backend \"file\" is not available yet") != std::string::npos);
}

TEST_CASE("list --sessions saturates a far-future expiry as Go's Duration does", "[cli][vector]") {
  Harness h("");
  put(h.ring, av::keyring::format_session_key({"sts.AssumeRole", "p", "", 9999999999}).value());
  put(h.ring, av::keyring::format_session_key({"sts.AssumeRole", "q", "", 99999999999}).value());
  REQUIRE(h.run({"list", "--sessions"}) == 0);
  CHECK(h.out.text() == "sts.AssumeRole:2305555h33m19s\nsts.AssumeRole:2562047h47m16s\n");
}
