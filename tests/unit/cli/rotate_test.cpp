// rotate_test.cpp: `rotate` (spec §2.4, §8) run in-process through the CLI against moto's IAM
// and STS with signature checking on, so a rotated key really must work: the happy paths
// (--no-session; a profile borrowing its source's keys, quirk A.17 fixed; a role profile with a
// session, quirk A.16 avoided), and failures injected after the new key exists: the keyring
// refusing the new key, IAM refusing to delete the old one, and the new key failing its check
// (with and without the old item going back). After each, the test looks at both the keyring
// and IAM to prove the user keeps a working key and the message says which key is where.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/iam.h"
#include "aws/query.h"
#include "aws/sts.h"
#include "cli/context.h"
#include "cli/run.h"
#include "cli_test_support.h"
#include "crypto/random.h"
#include "keyring/credentials.h"
#include "keyring/keys.h"
#include "keyring/memory_keyring.h"
#include "net/http_client.h"

#ifndef AV_MOTO_PYTHON
// tests/unit/cli/CMakeLists.txt does not pass the moto interpreter yet: the moto tests then
// fail, naming why (moto.h), instead of being skipped. (Same fallback as server_run_test.cpp, so
// every test file sees one definition of MotoServer.)
#define AV_MOTO_PYTHON ""
#endif
#ifndef AV_TEST_SUPPORT_DIR
#define AV_TEST_SUPPORT_DIR ""
#endif
#include "support/moto.h"

namespace {

using av::Errc;
using av::cli::testing::FixedClock;
using av::cli::testing::no_executables;

constexpr const char* kAccount = "123456789012";

// ScriptedKeyring is a MemoryKeyring whose set() can be made to fail: `sets_allowed` more
// successful sets (negative: unlimited), then every set fails with Errc::Keyring.
class ScriptedKeyring final : public av::keyring::Keyring {
 public:
  av::keyring::MemoryKeyring inner;
  int sets_allowed = -1;
  int sets_refused = 0;

  av::Result<av::keyring::Item> get(std::string_view key) override { return inner.get(key); }
  av::Result<av::keyring::Metadata> get_metadata(std::string_view key) override {
    return inner.get_metadata(key);
  }
  av::Status set(const av::keyring::Item& item) override {
    if (sets_allowed == 0) {
      ++sets_refused;
      return av::Error(Errc::Keyring, "the keyring is read-only today");
    }
    if (sets_allowed > 0) --sets_allowed;
    return inner.set(item);
  }
  av::Status remove(std::string_view key) override { return inner.remove(key); }
  av::Result<std::vector<std::string>> keys() override { return inner.keys(); }
};

av::aws::Credentials credentials(const std::string& id, const std::string& secret) {
  av::aws::Credentials c;
  c.access_key_id = id;
  c.secret_access_key = av::secure::SecretString::copy_of(secret);
  return c;
}

// closed_port returns a loopback port nothing listens on (bound, then released).
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

struct Harness {
  av::testing::MotoServer moto;
  std::string dir;
  std::string config_path;
  ScriptedKeyring ring;
  std::vector<std::pair<std::string, std::string>> env_pairs;
  av::cli::StringWriter out;
  av::cli::StringWriter err;
  std::unique_ptr<av::net::HttpClient> http;
  std::unique_ptr<av::aws::QueryClient> query;

  Harness() {
    INFO(moto.error());
    REQUIRE(moto.error().empty());
    std::string tmpl = "/tmp/av-rotate-XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    config_path = dir + "/config";
    std::ofstream(config_path) << "[profile user]\nregion = us-east-1\n\n"
                               << "[profile borrow]\nsource_profile = user\nregion = us-east-1\n\n"
                               << "[profile role]\nsource_profile = user\nrole_arn = arn:aws:iam::"
                               << kAccount << ":role/admin\nregion = us-east-1\n\n"
                               << "[profile lonely]\nregion = us-east-1\n";
    env_pairs = {{"AWS_CONFIG_FILE", config_path},
                 {"HOME", dir},
                 {"PATH", "/nonexistent-av-test"},
                 {"AWS_ENDPOINT_URL", moto.url()}};
    auto made = av::net::make_http_client({}, av::platform::Environment::from_pairs({}));
    REQUIRE(made.has_value());
    http = std::move(made).value();
    query = std::make_unique<av::aws::QueryClient>(*http, av::platform::system_clock(),
                                                   av::crypto::system_random());
    store("user", moto.access_key_id(), moto.secret_access_key());
  }
  ~Harness() {
    std::remove(config_path.c_str());
    ::rmdir(dir.c_str());
  }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  void store(const std::string& name, const std::string& id, const std::string& secret) {
    av::keyring::LongTermCredentials creds;
    creds.access_key_id = id;
    creds.secret_access_key = av::secure::SecretString::copy_of(secret);
    auto json = av::keyring::serialize_credentials_json(creds);
    REQUIRE(json.has_value());
    av::keyring::Item item;
    item.key = name;
    item.data = av::secure::SecretBytes::copy_of(json->reveal_bytes());
    item.label = "aws-vault (" + name + ")";
    REQUIRE(ring.inner.set(item).has_value());
  }

  // stored returns the key pair the keyring holds for `name`.
  av::aws::Credentials stored(const std::string& name) {
    auto item = ring.inner.get(name);
    REQUIRE(item.has_value());
    auto parsed = av::keyring::parse_credentials_json(av::as_chars(item->data.reveal()));
    REQUIRE(parsed.has_value());
    return credentials(parsed->access_key_id, std::string(parsed->secret_access_key.reveal()));
  }

  av::aws::Endpoint endpoint(av::aws::Service service) {
    av::aws::EndpointRequest request;
    request.service = service;
    request.region = "us-east-1";
    request.overrides.service_env = moto.url();
    auto e = av::aws::resolve_endpoint(request);
    REQUIRE(e.has_value());
    return *e;
  }

  // iam_keys lists av-test's access key ids in moto, asking with `signer`.
  std::vector<std::string> iam_keys(const av::aws::Credentials& signer) {
    av::aws::IamClient iam(*query, endpoint(av::aws::Service::Iam));
    auto listed = iam.list_access_keys(signer, "av-test");
    INFO((listed ? "" : std::string(listed.error().message())));
    REQUIRE(listed.has_value());
    std::vector<std::string> ids;
    for (const auto& k : listed->keys) ids.push_back(k.access_key_id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  // caller_arn: GetCallerIdentity with `creds`, or the error's AWS code prefixed with "error:".
  std::string caller_arn(const av::aws::Credentials& creds) {
    av::aws::StsClient sts(*query, endpoint(av::aws::Service::Sts));
    auto identity = sts.get_caller_identity(creds);
    if (!identity) return "error:" + std::string(identity.error().api_code());
    return identity->arn;
  }

  // put_user_policy attaches an inline policy to av-test (moto enforces IAM policies).
  void put_user_policy(const std::string& document) {
    av::aws::QueryRequest request;
    request.service_name = "IAM";
    request.action = "PutUserPolicy";
    request.version = av::aws::kIamVersion;
    request.params = {{"UserName", "av-test"}, {"PolicyName", "deny"},
                      {"PolicyDocument", document}};
    const auto signer = credentials(moto.access_key_id(), moto.secret_access_key());
    auto answered = query->call(endpoint(av::aws::Service::Iam), request, &signer);
    INFO((answered ? "" : std::string(answered.error().message())));
    REQUIRE(answered.has_value());
  }

  int run(std::vector<std::string_view> args) {
    args.insert(args.begin(), "aws-vault");
    const auto env = av::platform::Environment::from_pairs(env_pairs);
    FixedClock clock;
    av::cli::Context ctx{env, out, err, clock, "aws-vault", std::nullopt, &no_executables};
    ctx.open_keyring = [this](std::string_view) -> av::Result<av::keyring::Keyring*> {
      return &ring;
    };
    return av::cli::run(args, ctx);
  }

  // created_suffix: the last four characters of the key `Created new access key` names.
  std::string created_suffix() const {
    const std::string marker = "Created new access key ****************";
    const std::size_t at = out.text().find(marker);
    REQUIRE(at != std::string::npos);
    return out.text().substr(at + marker.size(), 4);
  }
};

std::string masked(const std::string& id) { return "****************" + id.substr(id.size() - 4); }

std::string happy_output(const std::string& item, const std::string& how,
                         const std::string& old_id, const std::string& new_id,
                         const std::string& sessions = "") {
  return "Rotating credentials stored for profile '" + item + "' using " + how +
         " (takes 10-20 seconds)\nCreating a new access key\nCreated new access key " +
         masked(new_id) + "\n" + sessions + "Deleting old access key " + masked(old_id) +
         "\nDeleted old access key " + masked(old_id) + "\nFinished rotating access key\n";
}

}  // namespace

TEST_CASE("rotate -n: the stored key is replaced by a working one and the old is gone",
          "[cli][rotate][integration]") {
  Harness h;
  const auto old_key = h.stored("user");
  REQUIRE(h.run({"rotate", "-n", "user"}) == 0);
  INFO(h.err.text());
  const auto new_key = h.stored("user");
  CHECK(new_key.access_key_id != old_key.access_key_id);
  CHECK(h.out.text() ==
        happy_output("user", "master credentials", old_key.access_key_id, new_key.access_key_id));
  CHECK(h.caller_arn(new_key) == std::string("arn:aws:iam::") + kAccount + ":user/av-test");
  CHECK(h.caller_arn(old_key) == "error:InvalidClientTokenId");
  CHECK(h.iam_keys(new_key) == std::vector<std::string>{new_key.access_key_id});
  CHECK(h.err.text().empty());
}

TEST_CASE("rotate -n rotates the source's item for a profile that borrows it (A.17 fixed)",
          "[cli][rotate][integration]") {
  Harness h;
  const auto old_key = h.stored("user");
  REQUIRE(h.run({"rotate", "--no-session", "borrow"}) == 0);
  const auto new_key = h.stored("user");
  CHECK(h.out.text() ==
        happy_output("user", "master credentials", old_key.access_key_id, new_key.access_key_id));
  CHECK_FALSE(h.ring.inner.get("borrow").has_value());
  CHECK(h.iam_keys(new_key) == std::vector<std::string>{new_key.access_key_id});
}

TEST_CASE("rotate with a role session names the user and drops the chain's sessions",
          "[cli][rotate][integration]") {
  Harness h;
  const auto old_key = h.stored("user");
  // A cached role session from before the rotation: rotate must remove it.
  auto session_key = av::keyring::format_session_key(
      {std::string(av::keyring::kSessionTypeAssumeRole), "role", "", 4'000'000'000});
  REQUIRE(session_key.has_value());
  av::keyring::Item session;
  session.key = *session_key;
  session.data = av::secure::SecretBytes::copy_of(av::as_bytes(std::string_view("{}")));
  REQUIRE(h.ring.inner.set(session).has_value());
  REQUIRE(h.run({"rotate", "role"}) == 0);
  INFO(h.err.text());
  const auto new_key = h.stored("user");
  CHECK(h.out.text() == happy_output("user", "a session from profile 'role'",
                                     old_key.access_key_id, new_key.access_key_id,
                                     "Deleted 1 sessions for role\n"));
  CHECK(h.caller_arn(new_key) == std::string("arn:aws:iam::") + kAccount + ":user/av-test");
  CHECK(h.iam_keys(new_key) == std::vector<std::string>{new_key.access_key_id});
  CHECK_FALSE(h.ring.inner.get(*session_key).has_value());
}

TEST_CASE("rotate: a keyring that refuses the new key leaves the old one stored and alone",
          "[cli][rotate][error]") {
  Harness h;
  const auto old_key = h.stored("user");
  h.ring.sets_allowed = 0;
  REQUIRE(h.run({"rotate", "-n", "user"}) == 1);
  const std::string suffix = h.created_suffix();
  CHECK(h.err.text() == "aws-vault: error: rotate: Error storing new access key ****************" +
                            suffix + ": the keyring is read-only today; the new key " +
                            "****************" + suffix + " was deleted; the old key " +
                            masked(old_key.access_key_id) + " is still stored and active\n");
  CHECK(h.stored("user").access_key_id == old_key.access_key_id);
  CHECK(h.iam_keys(old_key) == std::vector<std::string>{old_key.access_key_id});
  CHECK(h.out.text().find("Deleting old access key") == std::string::npos);
}

TEST_CASE("rotate: IAM refusing to delete the old key leaves the new one stored and working",
          "[cli][rotate][error]") {
  Harness h;
  const auto old_key = h.stored("user");
  h.put_user_policy(R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",)"
                    R"("Action":"iam:DeleteAccessKey","Resource":"*"}]})");
  REQUIRE(h.run({"rotate", "-n", "user"}) == 1);
  const auto new_key = h.stored("user");
  REQUIRE(new_key.access_key_id != old_key.access_key_id);
  const std::string& e = h.err.text();
  CHECK(e.starts_with("aws-vault: error: rotate: Can't delete old access key " +
                      masked(old_key.access_key_id) + ": After 1 attempts, last error: "));
  CHECK(e.find("AccessDenied") != std::string::npos);
  CHECK(e.ends_with("; the new key " + masked(new_key.access_key_id) +
                    " is stored and works, delete the old key in IAM yourself\n"));
  CHECK(h.caller_arn(new_key) == std::string("arn:aws:iam::") + kAccount + ":user/av-test");
  auto both = std::vector<std::string>{old_key.access_key_id, new_key.access_key_id};
  std::sort(both.begin(), both.end());
  CHECK(h.iam_keys(new_key) == both);
}

TEST_CASE("rotate: a new key that fails its check is undone and the old key put back",
          "[cli][rotate][error]") {
  Harness h;
  const auto old_key = h.stored("user");
  // IAM answers (AWS_ENDPOINT_URL), STS does not: the new key cannot be proven to work.
  h.env_pairs.emplace_back("AWS_ENDPOINT_URL_STS",
                           "http://127.0.0.1:" + std::to_string(closed_port()));
  REQUIRE(h.run({"rotate", "-n", "user"}) == 1);
  const std::string suffix = h.created_suffix();
  const std::string& e = h.err.text();
  CHECK(e.starts_with("aws-vault: error: rotate: Error verifying new access key "
                      "****************" + suffix + ": operation error STS: GetCallerIdentity"));
  CHECK(e.ends_with("; the old key " + masked(old_key.access_key_id) +
                    " is stored again and active; the new key ****************" + suffix +
                    " was deleted\n"));
  CHECK(h.stored("user").access_key_id == old_key.access_key_id);
  CHECK(h.iam_keys(old_key) == std::vector<std::string>{old_key.access_key_id});
}

TEST_CASE("rotate: when the old item cannot go back, both keys stay active",
          "[cli][rotate][error]") {
  Harness h;
  const auto old_key = h.stored("user");
  h.env_pairs.emplace_back("AWS_ENDPOINT_URL_STS",
                           "http://127.0.0.1:" + std::to_string(closed_port()));
  h.ring.sets_allowed = 1;  // the new key is stored, putting the old one back fails
  REQUIRE(h.run({"rotate", "-n", "user"}) == 1);
  const auto new_key = h.stored("user");
  REQUIRE(new_key.access_key_id != old_key.access_key_id);
  CHECK(h.err.text().ends_with("; putting the old key " + masked(old_key.access_key_id) +
                               " back failed (the keyring is read-only today): the new key is "
                               "stored, and both keys are still active in IAM\n"));
  auto both = std::vector<std::string>{old_key.access_key_id, new_key.access_key_id};
  std::sort(both.begin(), both.end());
  CHECK(h.iam_keys(old_key) == both);
}

TEST_CASE("rotate: a profile without master credentials is refused before any AWS call",
          "[cli][rotate][error]") {
  Harness h;
  REQUIRE(h.run({"rotate", "lonely"}) == 1);
  CHECK(h.err.text() == "aws-vault: error: rotate: Error determining credential name for "
                        "'lonely': No master credentials found\n");
  CHECK(h.out.text().empty());
  REQUIRE(h.run({"rotate", "nosuch"}) == 1);
  CHECK(h.err.text().ends_with("aws-vault: error: rotate: profile 'nosuch' not found in "
                               "~/.aws/config and no stored credentials exist for it\n"));
}

TEST_CASE("rotate: a failed CreateAccessKey changes nothing", "[cli][rotate][error]") {
  Harness h;
  const auto old_key = h.stored("user");
  h.put_user_policy(R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",)"
                    R"("Action":"iam:CreateAccessKey","Resource":"*"}]})");
  REQUIRE(h.run({"rotate", "-n", "user"}) == 1);
  CHECK(h.err.text().starts_with(
      "aws-vault: error: rotate: Error creating a new access key: operation error IAM: "
      "CreateAccessKey"));
  CHECK(h.stored("user").access_key_id == old_key.access_key_id);
  CHECK(h.iam_keys(old_key) == std::vector<std::string>{old_key.access_key_id});
}
