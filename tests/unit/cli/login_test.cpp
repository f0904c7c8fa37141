// login_test.cpp: `login` (spec §2.8, §7) run in-process through the CLI. The sign-in
// federation endpoint is tests/support/signin_fake.py on loopback (moto has none), reached
// through AWS_ENDPOINT_URL_SIGNIN; STS and IAM are moto with signature checking on. Every URL is
// taken apart parameter by parameter: the destination per partition and region (none included),
// --path, --auto-logout (A.20 fixed), --stdout and AWS_VAULT_STDOUT, the browser path through
// $BROWSER, and the credential sources of §7.1: a role profile (used as is), a stored IAM user
// and environment credentials (GetFederationToken), and environment credentials that are
// already an assumed role.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "aws/query.h"
#include "aws/sts.h"
#include "cli/context.h"
#include "cli/run.h"
#include "cli_test_support.h"
#include "codec/percent.h"
#include "crypto/random.h"
#include "keyring/credentials.h"
#include "keyring/memory_keyring.h"
#include "net/http_client.h"

#ifndef AV_MOTO_PYTHON
// tests/unit/cli/CMakeLists.txt does not pass the moto interpreter yet: the moto tests then
// fail, naming why (moto.h), instead of being skipped (same fallback as server_run_test.cpp).
#define AV_MOTO_PYTHON ""
#endif
#ifndef AV_TEST_SUPPORT_DIR
#define AV_TEST_SUPPORT_DIR ""
#endif
#include "support/moto.h"

namespace {

using av::cli::testing::FixedClock;
using av::cli::testing::no_executables;

constexpr const char* kAccount = "123456789012";
// signin_fake.py's default token: characters that must be escaped in a URL.
constexpr const char* kFakeToken = "fake-signin+token/with=chars&more %done";
// moto's GetFederationToken always returns this access key id.
constexpr const char* kMotoFederatedKey = "AKIAIOSFODNN7EXAMPLE";

std::string support_script(const std::string& name) {
  const char* vectors = ::getenv("AV_TEST_VECTORS");  // NOLINT: tests may read the environment
  if (vectors != nullptr && *vectors != '\0') return std::string(vectors) + "/../support/" + name;
  return "tests/support/" + name;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// SigninFake runs signin_fake.py for one test; it exits when its stdin closes.
class SigninFake {
 public:
  SigninFake(const std::string& record, std::vector<std::string> extra = {}) {
    int in_pipe[2];
    int out_pipe[2];
    REQUIRE(::pipe2(in_pipe, O_CLOEXEC) == 0);
    REQUIRE(::pipe2(out_pipe, O_CLOEXEC) == 0);
    std::vector<std::string> args = {"/usr/bin/python3", support_script("signin_fake.py"),
                                     "--record", record};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(in_pipe[0], 0);
      ::dup2(out_pipe[1], 1);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    stdin_ = in_pipe[1];
    read_port(out_pipe[0]);
    ::close(out_pipe[0]);
  }
  ~SigninFake() {
    ::close(stdin_);
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  SigninFake(const SigninFake&) = delete;
  SigninFake& operator=(const SigninFake&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  void read_port(int fd) {
    std::string line;
    while (line.find('\n') == std::string::npos) {
      pollfd p{fd, POLLIN, 0};
      REQUIRE(::poll(&p, 1, 15000) == 1);
      char buf[64];
      const ssize_t n = ::read(fd, buf, sizeof buf);
      REQUIRE(n > 0);  // the fake died: is /usr/bin/python3 there?
      line.append(buf, static_cast<std::size_t>(n));
    }
    REQUIRE(line.rfind("PORT ", 0) == 0);
    std::from_chars(line.data() + 5, line.data() + line.size(), port_);
    REQUIRE(port_ > 0);
  }

  pid_t pid_ = -1;
  int stdin_ = -1;
  int port_ = 0;
};

std::string decoded(std::string_view text) {
  auto d = av::codec::decode_percent(text, av::codec::PlusMode::Space);
  REQUIRE(d.has_value());
  return *d;
}

// Url: a URL taken apart: base and the decoded parameters in order.
struct Url {
  std::string base;
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& p : params) out.push_back(p.first);
    return out;
  }
  std::string get(const std::string& name) const {
    for (const auto& [n, v] : params) {
      if (n == name) return v;
    }
    FAIL("no parameter " << name);
    return {};
  }
};

Url split_url(std::string_view text) {
  Url u;
  const std::size_t mark = text.find('?');
  REQUIRE(mark != std::string_view::npos);
  u.base = std::string(text.substr(0, mark));
  std::string_view rest = text.substr(mark + 1);
  while (!rest.empty()) {
    const std::string_view part = rest.substr(0, rest.find('&'));
    const std::size_t eq = part.find('=');
    REQUIRE(eq != std::string_view::npos);
    u.params.emplace_back(decoded(part.substr(0, eq)), decoded(part.substr(eq + 1)));
    if (part.size() == rest.size()) break;
    rest.remove_prefix(part.size() + 1);
  }
  return u;
}

// check_login_url checks every field of a default login URL.
void check_login_url(const Url& u, const std::string& federation, const std::string& destination,
                     const std::string& token = kFakeToken) {
  CHECK(u.base == federation);
  CHECK(u.names() == std::vector<std::string>{"Action", "Issuer", "Destination", "SigninToken"});
  CHECK(u.get("Action") == "login");
  CHECK(u.get("Issuer") == "aws-vault");
  CHECK(u.get("Destination") == destination);
  CHECK(u.get("SigninToken") == token);
}

av::vault::Issued role_credentials() {
  av::vault::Issued i;
  i.credentials.access_key_id = "ASIAROLEEXAMPLE";
  i.credentials.secret_access_key = av::secure::SecretString::copy_of("role/se+cret");
  i.credentials.session_token = av::secure::SecretString::copy_of("FwoG role token==");
  i.credentials.expiration = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'003'600));
  i.can_expire = true;
  return i;
}

struct Harness {
  std::string dir;
  av::keyring::MemoryKeyring ring;
  std::vector<std::pair<std::string, std::string>> env_pairs;
  av::cli::StringWriter out;
  av::cli::StringWriter err;
  std::optional<av::Error> chain_error;
  bool use_chain_seam = true;
  std::vector<std::string> chain_profiles;
  std::vector<std::string> sessions_disabled_for;
  std::vector<bool> sessions_disabled;

  explicit Harness(const std::string& config) {
    std::string tmpl = "/tmp/av-login-XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    std::ofstream(file("config")) << config;
    env_pairs = {{"AWS_CONFIG_FILE", file("config")}, {"HOME", dir}, {"PATH", "/usr/bin:/bin"}};
  }
  ~Harness() {
    for (const char* name : {"config", "record", "browser", "browser.args"}) {
      std::remove(file(name).c_str());
    }
    ::rmdir(dir.c_str());
  }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  std::string file(const std::string& name) const { return dir + "/" + name; }

  void store(const std::string& name, const std::string& id, const std::string& secret) {
    av::keyring::LongTermCredentials creds;
    creds.access_key_id = id;
    creds.secret_access_key = av::secure::SecretString::copy_of(secret);
    auto json = av::keyring::serialize_credentials_json(creds);
    REQUIRE(json.has_value());
    av::keyring::Item item;
    item.key = name;
    item.data = av::secure::SecretBytes::copy_of(json->reveal_bytes());
    REQUIRE(ring.set(item).has_value());
  }

  // sessions: the Session objects signin_fake.py received, each as "id|key|token".
  std::vector<std::string> sessions() const {
    std::vector<std::string> found;
    std::istringstream lines(read_file(file("record")));
    for (std::string line; std::getline(lines, line);) {
      INFO(line);
      CHECK(line.find("\"error\"") == std::string::npos);
      const auto field = [&line](const std::string& key) {
        const std::string marker = "\"" + key + "\": \"";
        const std::size_t at = line.find(marker);
        if (at == std::string::npos) return std::string("?");
        const std::size_t begin = at + marker.size();
        return line.substr(begin, line.find('"', begin) - begin);
      };
      found.push_back(field("sessionId") + "|" + field("sessionKey") + "|" +
                      field("sessionToken"));
    }
    return found;
  }

  int run(std::vector<std::string_view> args) {
    args.insert(args.begin(), "aws-vault");
    const auto env = av::platform::Environment::from_pairs(env_pairs);
    FixedClock clock;
    av::cli::Context ctx{env, out, err, clock, "aws-vault", std::nullopt, &no_executables};
    ctx.open_keyring = [this](std::string_view) -> av::Result<av::keyring::Keyring*> {
      return &ring;
    };
    if (use_chain_seam) {
      ctx.get_credentials = [this](const av::config::ResolvedProfile& p,
                                   const av::vault::ChainOptions& o)
          -> av::Result<av::vault::Issued> {
        chain_profiles.push_back(p.name);
        sessions_disabled_for.push_back(o.sessions_disabled_for_profile);
        sessions_disabled.push_back(o.sessions_disabled);
        if (chain_error) return *chain_error;
        return role_credentials();
      };
    }
    return av::cli::run(args, ctx);
  }
};

const char* const kRoleConfig =
    "[profile role]\nsource_profile = base\nrole_arn = arn:aws:iam::123456789012:role/admin\n"
    "region = eu-west-1\n\n[profile base]\nregion = eu-west-1\n\n"
    "[profile noregion]\nsource_profile = base\nrole_arn = arn:aws:iam::123456789012:role/x\n";

const char* const kRoleSession = "ASIAROLEEXAMPLE|role/se+cret|FwoG role token==";

}  // namespace

TEST_CASE("login --stdout prints a console URL for a role profile, per partition",
          "[cli][login][integration]") {
  struct Case {
    const char* region;
    const char* destination;
  };
  const Case cases[] = {
      {"eu-west-1", "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"},
      {"cn-north-1", "https://cn-north-1.console.amazonaws.cn/console/home?region=cn-north-1"},
      {"us-gov-west-1",
       "https://us-gov-west-1.console.amazonaws-us-gov.com/console/home?region=us-gov-west-1"},
      {"eusc-de-east-1",
       "https://eusc-de-east-1.console.amazonaws-eusc.eu/console/home?region=eusc-de-east-1"},
  };
  for (const Case& c : cases) {
    INFO(c.region);
    Harness h(kRoleConfig);
    SigninFake fake(h.file("record"));
    h.env_pairs.emplace_back("AWS_ENDPOINT_URL_SIGNIN", fake.url());
    REQUIRE(h.run({"login", "--stdout", "--region", c.region, "role"}) == 0);
    INFO(h.err.text());
    REQUIRE(h.out.text().ends_with("\n"));
    check_login_url(split_url(h.out.text().substr(0, h.out.text().size() - 1)),
                    fake.url() + "/federation", c.destination);
    CHECK(h.sessions() == std::vector<std::string>{kRoleSession});
    CHECK(h.chain_profiles == std::vector<std::string>{"role"});
    CHECK(h.sessions_disabled_for == std::vector<std::string>{"role"});
    CHECK(h.sessions_disabled == std::vector<bool>{false});
    CHECK(h.err.text().empty());
  }
}

TEST_CASE("login without a region lands on the global console and ignores --path",
          "[cli][login][vector]") {
  Harness h(kRoleConfig);
  SigninFake fake(h.file("record"));
  h.env_pairs.emplace_back("AWS_ENDPOINT_URL_SIGNIN", fake.url());
  REQUIRE(h.run({"login", "-s", "--path", "s3/home", "noregion"}) == 0);
  check_login_url(split_url(h.out.text().substr(0, h.out.text().size() - 1)),
                  fake.url() + "/federation", "https://console.aws.amazon.com/");
}

TEST_CASE("login --path, AWS_VAULT_STDOUT and --no-session", "[cli][login][vector]") {
  Harness h(kRoleConfig);
  SigninFake fake(h.file("record"));
  h.env_pairs.emplace_back("AWS_ENDPOINT_URL_SIGNIN", fake.url());
  h.env_pairs.emplace_back("AWS_VAULT_STDOUT", "true");
  REQUIRE(h.run({"login", "--path", "s3/buckets", "-n", "role"}) == 0);
  CHECK(h.sessions_disabled == std::vector<bool>{true});
  check_login_url(split_url(h.out.text().substr(0, h.out.text().size() - 1)),
                  fake.url() + "/federation",
                  "https://eu-west-1.console.aws.amazon.com/s3/buckets?region=eu-west-1");
}

TEST_CASE("login --auto-logout escapes the whole login URL into redirect_uri (A.20 fixed)",
          "[cli][login][vector]") {
  Harness h(kRoleConfig);
  SigninFake fake(h.file("record"));
  h.env_pairs.emplace_back("AWS_ENDPOINT_URL_SIGNIN", fake.url());
  h.env_pairs.emplace_back("AWS_VAULT_AUTO_LOGOUT", "1");
  REQUIRE(h.run({"login", "-s", "role"}) == 0);
  const Url outer = split_url(h.out.text().substr(0, h.out.text().size() - 1));
  CHECK(outer.base == fake.url() + "/oauth");
  CHECK(outer.names() == std::vector<std::string>{"Action", "redirect_uri"});
  CHECK(outer.get("Action") == "logout");
  check_login_url(split_url(outer.get("redirect_uri")), fake.url() + "/federation",
                  "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1");
}

TEST_CASE("login opens the URL with $BROWSER as one argument, nothing on stdout",
          "[cli][login][integration]") {
  Harness h(kRoleConfig);
  SigninFake fake(h.file("record"));
  std::ofstream(h.file("browser")) << "#!/bin/sh\nprintf '%s\\0' \"$@\" > '"
                                   << h.file("browser.args") << "'\n";
  REQUIRE(::chmod(h.file("browser").c_str(), 0700) == 0);
  h.env_pairs.emplace_back("AWS_ENDPOINT_URL_SIGNIN", fake.url());
  h.env_pairs.emplace_back("BROWSER", h.file("browser"));
  REQUIRE(h.run({"login", "role"}) == 0);
  CHECK(h.out.text().empty());
  const std::string args = read_file(h.file("browser.args"));
  REQUIRE(args.ends_with(std::string(1, '\0')));
  const std::string url = args.substr(0, args.size() - 1);
  CHECK(url.find('\0') == std::string::npos);  // exactly one argument
  check_login_url(split_url(url), fake.url() + "/federation",
                  "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1");
}

TEST_CASE("login reports a browser that fails, with the URL to copy", "[cli][login][error]") {
  Harness h(kRoleConfig);
  SigninFake fake(h.file("record"));
  std::ofstream(h.file("browser")) << "#!/bin/sh\nexit 3\n";
  REQUIRE(::chmod(h.file("browser").c_str(), 0700) == 0);
  h.env_pairs.emplace_back("AWS_ENDPOINT_URL_SIGNIN", fake.url());
  h.env_pairs.emplace_back("BROWSER", h.file("browser"));
  REQUIRE(h.run({"login", "role"}) == 1);
  const std::string prefix = "aws-vault: error: login: Failed to open " + fake.url() +
                             "/federation?Action=login&Issuer=aws-vault&Destination=";
  CHECK(h.err.text().starts_with(prefix));
  CHECK(h.err.text().ends_with(": exit status 3\n"));
}

TEST_CASE("login reports a refused getSigninToken by its status line", "[cli][login][error]") {
  Harness h(kRoleConfig);
  SigninFake fake(h.file("record"), {"--status", "400", "--body", "no"});
  h.env_pairs.emplace_back("AWS_ENDPOINT_URL_SIGNIN", fake.url());
  REQUIRE(h.run({"login", "-s", "role"}) == 1);
  CHECK(h.err.text() ==
        "aws-vault: error: login: Call to getSigninToken failed with 400 Bad Request\n");
  CHECK(h.out.text().empty());
}

TEST_CASE("login reports an answer without a SigninToken", "[cli][login][error]") {
  Harness h(kRoleConfig);
  SigninFake fake(h.file("record"), {"--status", "200", "--body", R"({"Token":"x"})"});
  h.env_pairs.emplace_back("AWS_ENDPOINT_URL_SIGNIN", fake.url());
  REQUIRE(h.run({"login", "-s", "role"}) == 1);
  CHECK(h.err.text() == "aws-vault: error: login: Expected a response with SigninToken\n");
}

TEST_CASE("login refuses a sign-in override that would send the key in clear",
          "[cli][login][error]") {
  Harness h(kRoleConfig);
  h.env_pairs.emplace_back("AWS_ENDPOINT_URL_SIGNIN", "http://signin.example.com");
  REQUIRE(h.run({"login", "-s", "role"}) == 1);
  CHECK(h.err.text() == "aws-vault: error: login: invalid AWS_ENDPOINT_URL_SIGNIN: plain http "
                        "is allowed for loopback hosts only\n");
}

TEST_CASE("login words profile errors as upstream", "[cli][login][error]") {
  Harness h(kRoleConfig);
  h.chain_error = av::Error(av::Errc::AwsApi, "operation error STS: AssumeRole, boom");
  REQUIRE(h.run({"login", "-s", "role"}) == 1);
  CHECK(h.err.text() ==
        "aws-vault: error: login: profile role: operation error STS: AssumeRole, boom\n");
  Harness missing(kRoleConfig);
  REQUIRE(missing.run({"login", "nosuch"}) == 1);
  CHECK(missing.err.text() == "aws-vault: error: login: profile 'nosuch' not found in "
                              "~/.aws/config and no stored credentials exist for it\n");
}

TEST_CASE("login federates a stored IAM user with GetFederationToken (moto)",
          "[cli][login][integration]") {
  av::testing::MotoServer moto;
  INFO(moto.error());
  REQUIRE(moto.error().empty());
  // (moto keeps one IAM per partition: its user exists in the commercial one only)
  Harness h("[profile user]\nregion = eu-west-1\n");
  h.use_chain_seam = false;  // the real chain: stored keys, no GetSessionToken for the target
  h.store("user", moto.access_key_id(), moto.secret_access_key());
  SigninFake fake(h.file("record"));
  h.env_pairs.emplace_back("AWS_ENDPOINT_URL", moto.url());
  h.env_pairs.emplace_back("AWS_ENDPOINT_URL_SIGNIN", fake.url());
  REQUIRE(h.run({"login", "--stdout", "--duration", "2h", "user"}) == 0);
  INFO(h.err.text());
  check_login_url(
      split_url(h.out.text().substr(0, h.out.text().size() - 1)), fake.url() + "/federation",
      "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1");
  const std::vector<std::string> sessions = h.sessions();
  REQUIRE(sessions.size() == 1);
  CHECK(sessions[0].starts_with(std::string(kMotoFederatedKey) + "|"));
}

TEST_CASE("login without a profile uses credentials from the environment (moto)",
          "[cli][login][integration]") {
  av::testing::MotoServer moto;
  INFO(moto.error());
  REQUIRE(moto.error().empty());
  SECTION("IAM user keys are federated") {
    Harness h("[default]\nregion = us-west-2\n");
    SigninFake fake(h.file("record"));
    h.env_pairs.insert(h.env_pairs.end(),
                       {{"AWS_ENDPOINT_URL", moto.url()},
                        {"AWS_ENDPOINT_URL_SIGNIN", fake.url()},
                        {"AWS_ACCESS_KEY", moto.access_key_id()},
                        {"AWS_SECRET_KEY", moto.secret_access_key()}});
    REQUIRE(h.run({"login", "-s"}) == 0);
    INFO(h.err.text());
    check_login_url(split_url(h.out.text().substr(0, h.out.text().size() - 1)),
                    fake.url() + "/federation",
                    "https://us-west-2.console.aws.amazon.com/console/home?region=us-west-2");
    REQUIRE(h.sessions().size() == 1);
    CHECK(h.sessions()[0].starts_with(std::string(kMotoFederatedKey) + "|"));
    CHECK(h.chain_profiles.empty());
  }
  SECTION("assumed-role credentials are used as they are") {
    auto http = av::net::make_http_client({}, av::platform::Environment::from_pairs({}));
    REQUIRE(http.has_value());
    av::aws::QueryClient query(**http, av::platform::system_clock(), av::crypto::system_random());
    av::aws::EndpointRequest request;
    request.service = av::aws::Service::Sts;
    request.region = "us-east-1";
    request.overrides.service_env = moto.url();
    av::aws::StsClient sts(query, *av::aws::resolve_endpoint(request));
    av::aws::Credentials user;
    user.access_key_id = moto.access_key_id();
    user.secret_access_key = av::secure::SecretString::copy_of(moto.secret_access_key());
    av::aws::AssumeRoleInput in;
    in.role_arn = std::string("arn:aws:iam::") + kAccount + ":role/admin";
    in.role_session_name = "login-test";
    auto role = sts.assume_role(user, in);
    REQUIRE(role.has_value());
    const av::aws::Credentials& c = role->credentials;
    Harness h("");
    SigninFake fake(h.file("record"));
    h.env_pairs.insert(h.env_pairs.end(),
                       {{"AWS_ENDPOINT_URL", moto.url()},
                        {"AWS_ENDPOINT_URL_SIGNIN", fake.url()},
                        {"AWS_REGION", "us-east-1"},
                        {"AWS_ACCESS_KEY_ID", c.access_key_id},
                        {"AWS_SECRET_ACCESS_KEY", std::string(c.secret_access_key.reveal())},
                        {"AWS_SESSION_TOKEN", std::string(c.session_token.reveal())}});
    REQUIRE(h.run({"login", "-s"}) == 0);
    INFO(h.err.text());
    check_login_url(split_url(h.out.text().substr(0, h.out.text().size() - 1)),
                    fake.url() + "/federation",
                    "https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1");
    CHECK(h.sessions() ==
          std::vector<std::string>{c.access_key_id + "|" + std::string(c.secret_access_key.reveal()) +
                                   "|" + std::string(c.session_token.reveal())});
  }
}
