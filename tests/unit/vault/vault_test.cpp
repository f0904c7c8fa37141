// The credential chain (spec §4.2-4.6) against moto with signature checking: every row of
// upstream's README table, counting the STS calls (a decorator over the HttpClient records each
// request's Action), the cached sessions and the MFA prompts; cache expiry with a fake clock; the
// AWS_MIN_TTL window; errors; and single flight across threads and forked processes.
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/log.h"
#include "codec/hex.h"
#include "codec/iso8601.h"
#include "config/aws_config.h"
#include "config/profile_resolver.h"
#include "keyring/credentials.h"
#include "keyring/keys.h"
#include "keyring/memory_keyring.h"
#include "net/http_client.h"
#include "support/moto.h"
#include "vault/vault.h"

namespace {

using av::Errc;
using av::vault::ChainOptions;
using av::vault::Issued;
using std::chrono::hours;
using std::chrono::minutes;

constexpr const char* kSerial = "arn:aws:iam::123456789012:mfa/av-test";
constexpr const char* kAdmin = "arn:aws:iam::123456789012:role/admin";
constexpr const char* kSecond = "arn:aws:iam::123456789012:role/second";

// The configuration of upstream's README table (admin/second stand for R1..R4).
const std::string kConfig = std::string() +
                            "[default]\nregion = us-east-1\n"
                            "[profile jonsmith]\nmfa_serial = " + kSerial + "\n"
                            "[profile foo-readonly]\nsource_profile = jonsmith\nrole_arn = " +
                            kAdmin + "\n"
                            "[profile foo-admin]\nsource_profile = jonsmith\nrole_arn = " + kAdmin +
                            "\nmfa_serial = " + kSerial + "\n"
                            "[profile bar-role1]\nsource_profile = jonsmith\nrole_arn = " + kAdmin +
                            "\nmfa_serial = " + kSerial + "\n"
                            "[profile bar-role2]\nsource_profile = bar-role1\nrole_arn = " +
                            kSecond + "\nmfa_serial = " + kSerial + "\n"
                            "[profile lonely]\nrole_arn = " + kAdmin + "\n"
                            "[profile sso]\nsso_start_url = https://example.awsapps.com/start\n"
                            "sso_region = us-east-1\nsso_account_id = 1\nsso_role_name = r\n";

// Call: one request the chain sent, as read from the form body.
struct Call {
  std::string action;
  std::string duration;
  std::string role;
  std::string session_name;
  bool mfa = false;
};

std::string form_field(const std::string& body, const std::string& name) {
  std::size_t at = 0;
  while (at <= body.size()) {
    std::size_t end = body.find('&', at);
    if (end == std::string::npos) end = body.size();
    const std::string pair = body.substr(at, end - at);
    if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
    at = end + 1;
  }
  return {};
}

std::string percent_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      auto byte = av::codec::decode_hex(text.substr(i + 1, 2));
      if (byte && byte->size() == 1) {
        out.push_back(static_cast<char>((*byte)[0]));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

// CallLog: the calls of every CountingHttp sharing it (threads share one).
struct CallLog {
  std::mutex mutex;
  std::vector<Call> calls;
  std::vector<Call> snapshot() {
    std::lock_guard<std::mutex> guard(mutex);
    return calls;
  }
  std::vector<std::string> actions() {
    std::vector<std::string> out;
    for (const auto& c : snapshot()) out.push_back(c.action);
    return out;
  }
};

// CountingHttp: the decorator that records the Action (and a few parameters) of each request.
class CountingHttp final : public av::net::HttpClient {
 public:
  CountingHttp(av::net::HttpClient& inner, CallLog& log) : inner_(inner), log_(log) {}
  av::Result<av::net::Response> send(const av::net::Url& url,
                                     av::net::Request request) override {
    const std::string body(av::as_chars(request.body.reveal()));
    Call call{form_field(body, "Action"), form_field(body, "DurationSeconds"),
              percent_decode(form_field(body, "RoleArn")), form_field(body, "RoleSessionName"),
              !form_field(body, "SerialNumber").empty()};
    {
      std::lock_guard<std::mutex> guard(log_.mutex);
      log_.calls.push_back(call);
    }
    return inner_.send(url, std::move(request));
  }

 private:
  av::net::HttpClient& inner_;
  CallLog& log_;
};

class FakeClock final : public av::platform::Clock {
 public:
  FakeClock() : ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count()) {}
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::nanoseconds(ns_.load())));
  }
  void advance(std::chrono::nanoseconds d) { ns_ += d.count(); }
  std::int64_t ns() const { return ns_.load(); }

 private:
  std::atomic<std::int64_t> ns_;
};

// CountingMfa: the MFA source of these tests; counts the codes requested.
class CountingMfa final : public av::vault::MfaTokenSource {
 public:
  std::atomic<int> count{0};
  std::atomic<bool> wrong_serial{false};
  std::chrono::milliseconds delay{0};
  bool fail = false;
  av::Result<av::secure::SecretString> token(const av::config::ResolvedProfile& profile) override {
    ++count;
    if (profile.mfa_serial != kSerial) wrong_serial = true;
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    if (fail) return av::Error(Errc::Cancelled, "mfa prompt cancelled");
    return av::secure::SecretString::copy_of("123456");
  }
};

// LockedKeyring: a MemoryKeyring that threads may share.
class LockedKeyring final : public av::keyring::Keyring {
 public:
  av::Result<av::keyring::Item> get(std::string_view key) override {
    std::lock_guard<std::mutex> g(m_);
    return inner_.get(key);
  }
  av::Result<av::keyring::Metadata> get_metadata(std::string_view key) override {
    std::lock_guard<std::mutex> g(m_);
    return inner_.get_metadata(key);
  }
  av::Status set(const av::keyring::Item& item) override {
    std::lock_guard<std::mutex> g(m_);
    return inner_.set(item);
  }
  av::Status remove(std::string_view key) override {
    std::lock_guard<std::mutex> g(m_);
    return inner_.remove(key);
  }
  av::Result<std::vector<std::string>> keys() override {
    std::lock_guard<std::mutex> g(m_);
    return inner_.keys();
  }

 private:
  std::mutex m_;
  av::keyring::MemoryKeyring inner_;
};

// DirKeyring: items as files (hex-encoded key names) so forked processes share a keyring.
class DirKeyring final : public av::keyring::Keyring {
 public:
  explicit DirKeyring(std::string dir) : dir_(std::move(dir)) {}
  av::Result<av::keyring::Item> get(std::string_view key) override {
    std::ifstream in(path(key), std::ios::binary);
    if (!in) return av::keyring::not_found_error();
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    av::keyring::Item item;
    item.key = std::string(key);
    item.data = av::secure::SecretBytes::copy_of(av::as_bytes(data));
    return item;
  }
  av::Result<av::keyring::Metadata> get_metadata(std::string_view) override {
    return av::keyring::metadata_unsupported_error();
  }
  av::Status set(const av::keyring::Item& item) override {
    const std::string tmp = dir_ + "/.tmp" + std::to_string(::getpid());
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      const std::string_view data = av::as_chars(item.data.reveal());
      out.write(data.data(), static_cast<std::streamsize>(data.size()));
    }
    if (::rename(tmp.c_str(), path(item.key).c_str()) != 0) return av::Error(Errc::Io, "rename");
    return av::ok();
  }
  av::Status remove(std::string_view key) override {
    if (::unlink(path(key).c_str()) != 0) return av::keyring::not_found_error();
    return av::ok();
  }
  av::Result<std::vector<std::string>> keys() override {
    std::vector<std::string> out;
    DIR* d = ::opendir(dir_.c_str());
    if (d == nullptr) return av::Error(Errc::Io, "opendir");
    while (const dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (name.empty() || name[0] == '.') continue;
      auto raw = av::codec::decode_hex(name);
      if (raw) out.emplace_back(raw->begin(), raw->end());
    }
    ::closedir(d);
    return out;
  }

 private:
  std::string path(std::string_view key) const {
    return dir_ + "/" + av::codec::encode_hex(av::as_bytes(key));
  }
  std::string dir_;
};

std::string make_temp_dir() {
  char tmpl[] = "/tmp/av-vault-test-XXXXXX";
  const char* made = ::mkdtemp(tmpl);
  REQUIRE(made != nullptr);
  return made;
}

// The debug log, captured.
std::mutex g_log_mutex;
std::vector<std::string> g_log;
void capture(std::string_view line) {
  std::lock_guard<std::mutex> guard(g_log_mutex);
  g_log.emplace_back(line);
}
bool logged(const std::string& prefix) {
  std::lock_guard<std::mutex> guard(g_log_mutex);
  for (const auto& line : g_log) {
    if (line.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// shared_moto: one moto per signature mode for the whole binary (started on first use). moto
// 5.2.1 does not accept GetSessionToken credentials as signers when it checks signatures, so the
// tests that sign AssumeRole with a session token use the unchecked one.
using Signatures = av::testing::MotoServer::Signatures;
av::testing::MotoServer& shared_moto(Signatures signatures) {
  static av::testing::MotoServer checked(Signatures::Checked);
  static av::testing::MotoServer unchecked(Signatures::Unchecked);
  return signatures == Signatures::Checked ? checked : unchecked;
}

av::Status store_long_term(av::keyring::Keyring& keyring, const std::string& name,
                           const std::string& id, const std::string& secret) {
  av::keyring::LongTermCredentials creds;
  creds.access_key_id = id;
  creds.secret_access_key = av::secure::SecretString::copy_of(secret);
  auto json = av::keyring::serialize_credentials_json(creds);
  REQUIRE(json.has_value());
  av::keyring::Item item;
  item.key = name;
  item.data = av::secure::SecretBytes::copy_of(json->reveal_bytes());
  return keyring.set(item);
}

std::vector<std::string> keys_of_type(av::keyring::Keyring& keyring, std::string_view type) {
  std::vector<std::string> out;
  auto keys = keyring.keys();
  REQUIRE(keys.has_value());
  for (const auto& key : *keys) {
    if (key.rfind(std::string(type) + ",", 0) == 0) out.push_back(key);
  }
  return out;
}

// Chain: moto, the counting HTTP client, a keyring holding jonsmith's keys, the fake clock and
// MFA source, and the README configuration.
struct Chain {
  av::testing::MotoServer& moto;
  std::unique_ptr<av::net::HttpClient> real;
  CallLog log;
  std::unique_ptr<CountingHttp> http;
  std::unique_ptr<av::aws::QueryClient> query;
  av::keyring::MemoryKeyring keyring;
  FakeClock clock;
  av::platform::Environment env;
  CountingMfa mfa;
  std::string lock_dir = make_temp_dir();
  av::config::ConfigEnvironment config_env;
  std::string config_text = kConfig;

  explicit Chain(Signatures signatures = Signatures::Checked) : moto(shared_moto(signatures)) {
    INFO(moto.error());
    REQUIRE(moto.error().empty());
    auto made = av::net::make_http_client({}, av::platform::Environment::from_pairs({}));
    REQUIRE(made.has_value());
    real = std::move(made).value();
    http = std::make_unique<CountingHttp>(*real, log);
    query = std::make_unique<av::aws::QueryClient>(*http, av::platform::system_clock(),
                                                   av::crypto::system_random());
    env = av::platform::Environment::from_pairs(
        {{"AWS_ENDPOINT_URL_STS", moto.url()}, {"HOME", lock_dir}});
    REQUIRE(store_long_term(keyring, "jonsmith", moto.access_key_id(), moto.secret_access_key())
                .has_value());
    {
      std::lock_guard<std::mutex> guard(g_log_mutex);
      g_log.clear();
    }
    av::log::set_debug_sink(capture);
  }
  ~Chain() { av::log::set_debug_sink(nullptr); }

  av::config::ResolvedProfile resolve(const std::string& profile,
                                      const av::config::BaseConfig& base = {}) {
    auto config = av::config::parse_aws_config(config_text, "config");
    REQUIRE(config.has_value());
    auto resolved = av::config::resolve_profile(*config, profile, base, config_env);
    INFO((resolved ? "" : std::string(resolved.error().message())));
    REQUIRE(resolved.has_value());
    return std::move(resolved->profile);
  }

  av::Result<Issued> run(const std::string& profile, ChainOptions options = {},
                         const av::config::BaseConfig& base = {}) {
    const auto target = resolve(profile, base);
    if (options.lock_dir.empty()) options.lock_dir = lock_dir + "/locks";
    av::vault::Services services{keyring, *query, clock, env, mfa};
    return av::vault::get_credentials(target, services, options);
  }

  Issued must_run(const std::string& profile, ChainOptions options = {},
                  const av::config::BaseConfig& base = {}) {
    auto issued = run(profile, std::move(options), base);
    INFO((issued ? "" : std::string(issued.error().message())));
    REQUIRE(issued.has_value());
    return std::move(issued).value();
  }
};

av::config::BaseConfig duration_flag(std::chrono::nanoseconds d) {
  av::config::BaseConfig base;
  base.durations.assume_role = d;
  base.durations.non_chained_session_token = d;
  base.durations.chained_session_token = d;
  return base;
}


using Actions = std::vector<std::string>;

// child_run is one forked process of the single-flight test: its own HTTP client, MFA source
// and view of the shared directory keyring. Exit code: 10 * STS calls + MFA prompts, or 9x.
int child_run(const std::string& dir, const av::config::ResolvedProfile& target, Chain& chain,
              const ChainOptions& options) {
  DirKeyring keyring(dir);
  auto made = av::net::make_http_client({}, av::platform::Environment::from_pairs({}));
  if (!made) return 99;
  CallLog log;
  CountingHttp http(**made, log);
  av::aws::QueryClient query(http, av::platform::system_clock(), av::crypto::system_random());
  CountingMfa mfa;
  mfa.delay = std::chrono::milliseconds(300);
  av::vault::Services services{keyring, query, chain.clock, chain.env, mfa};
  auto issued = av::vault::get_credentials(target, services, options);
  if (!issued) return 98;
  return static_cast<int>(log.calls.size()) * 10 + mfa.count.load();
}

// seed_stale_session stores a jonsmith session that is still listed but expires within the
// AWS_MIN_TTL window.
void seed_stale_session(av::keyring::Keyring& keyring, const av::platform::Clock& clock) {
  const auto soon = std::chrono::floor<std::chrono::seconds>(clock.now()) + minutes(1);
  av::keyring::Item stale;
  auto stale_key = av::keyring::format_session_key(
      {"sts.GetSessionToken", "jonsmith", kSerial, soon.time_since_epoch().count()});
  REQUIRE(stale_key.has_value());
  stale.key = *stale_key;
  const std::string json = "{\"AccessKeyId\":\"ASIASTALE\",\"Expiration\":\"" +
                           av::codec::format_rfc3339(soon) +
                           "\",\"SecretAccessKey\":\"s\",\"SessionToken\":\"t\"}";
  stale.data = av::secure::SecretBytes::copy_of(av::as_bytes(json));
  REQUIRE(keyring.set(stale).has_value());
}

// check_first_session: what `exec jonsmith` leaves behind on an empty cache.
void check_first_session(Chain& chain, const Issued& issued) {
  CHECK(issued.calls == Actions{"GetSessionToken"});
  const auto calls = chain.log.snapshot();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].duration == "3600");
  CHECK(calls[0].mfa);
  CHECK(issued.can_expire);
  CHECK(issued.credentials.has_session_token());
  CHECK(chain.mfa.count == 1);
  const auto cached = keys_of_type(chain.keyring, av::keyring::kSessionTypeGetSessionToken);
  REQUIRE(cached.size() == 1);
  CHECK(cached[0].rfind(
            av::keyring::session_key_prefix("sts.GetSessionToken", "jonsmith", kSerial), 0) == 0);
  CHECK(logged("profile jonsmith: using GetSessionToken (with MFA)"));
  CHECK(logged("Using custom STS endpoint " + chain.moto.url()));
  const std::string& id = issued.credentials.access_key_id;
  CHECK(logged("Generated credentials ****************" + id.substr(id.size() - 4) +
               " using GetSessionToken, expires in "));
}

}  // namespace

TEST_CASE("exec jonsmith --no-session exposes the stored keys without any call",
          "[vault][integration]") {
  Chain chain;
  ChainOptions options;
  options.sessions_disabled = true;
  const Issued issued = chain.must_run("jonsmith", options);
  CHECK(issued.calls.empty());
  CHECK(chain.log.snapshot().empty());
  CHECK_FALSE(issued.can_expire);
  CHECK(issued.credentials.access_key_id == chain.moto.access_key_id());
  CHECK(issued.credentials.secret_access_key.reveal() == chain.moto.secret_access_key());
  CHECK(chain.mfa.count == 0);
  CHECK(chain.keyring.size() == 1);
  CHECK(logged("profile jonsmith: using stored credentials"));
}

TEST_CASE("exec jonsmith makes one GetSessionToken with MFA for 1h and caches it",
          "[vault][integration]") {
  Chain chain;
  const Issued issued = chain.must_run("jonsmith");
  check_first_session(chain, issued);

  SECTION("a cache hit makes no STS call and asks for no code") {
    const Issued again = chain.must_run("jonsmith");
    CHECK(again.calls.empty());
    CHECK(chain.log.snapshot().size() == 1);
    CHECK(chain.mfa.count == 1);
    CHECK(again.credentials.access_key_id == issued.credentials.access_key_id);
    CHECK(logged("Re-using cached credentials ****************"));
  }
  SECTION("an expired session is refreshed and replaces the old item") {
    chain.clock.advance(hours(2));
    const Issued again = chain.must_run("jonsmith");
    CHECK(again.calls == Actions{"GetSessionToken"});
    CHECK(chain.mfa.count == 2);
    CHECK(keys_of_type(chain.keyring, av::keyring::kSessionTypeGetSessionToken).size() == 1);
  }
  SECTION("AWS_MIN_TTL decides whether a session close to expiry is reused") {
    chain.clock.advance(minutes(50));  // about 10 minutes left
    ChainOptions narrow;
    narrow.min_ttl = minutes(5);
    CHECK(chain.must_run("jonsmith", narrow).calls.empty());
    ChainOptions wide;
    wide.min_ttl = minutes(15);
    CHECK(chain.must_run("jonsmith", wide).calls == Actions{"GetSessionToken"});
    CHECK(chain.mfa.count == 2);
  }
  SECTION("--no-session ignores the cached session") {
    ChainOptions options;
    options.sessions_disabled = true;
    CHECK(chain.must_run("jonsmith", options).credentials.access_key_id ==
          chain.moto.access_key_id());
  }
}

TEST_CASE("exec foo-readonly assumes the role from the long-term keys and caches nothing",
          "[vault][integration]") {
  Chain chain;
  const Issued issued = chain.must_run("foo-readonly");
  CHECK(issued.calls == Actions{"AssumeRole"});
  auto calls = chain.log.snapshot();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].role == kAdmin);
  CHECK_FALSE(calls[0].mfa);
  CHECK(calls[0].duration == "3600");
  CHECK(calls[0].session_name == std::to_string(chain.clock.ns()));
  CHECK(chain.keyring.size() == 1);
  CHECK(chain.mfa.count == 0);
  CHECK(logged("profile jonsmith: skipping GetSessionToken because profile 'foo-readonly' has no "
               "MFA serial defined"));
  // Roles without their own MFA are assumed again on every invocation.
  CHECK(chain.must_run("foo-readonly").calls == Actions{"AssumeRole"});
}

TEST_CASE("exec foo-admin caches an 8h session token and assumes the role with chained MFA",
          "[vault][integration]") {
  Chain chain(Signatures::Unchecked);  // a session token signs AssumeRole
  const Issued issued = chain.must_run("foo-admin");
  CHECK(issued.calls == Actions{"GetSessionToken", "AssumeRole"});
  const auto calls = chain.log.snapshot();
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].duration == "28800");
  CHECK(calls[0].mfa);
  CHECK_FALSE(calls[1].mfa);
  CHECK(calls[1].duration == "3600");
  CHECK(chain.mfa.count == 1);
  CHECK(keys_of_type(chain.keyring, av::keyring::kSessionTypeGetSessionToken).size() == 1);
  CHECK(keys_of_type(chain.keyring, av::keyring::kSessionTypeAssumeRole).empty());
  CHECK(logged("profile foo-admin: using AssumeRole (chained MFA)"));
  CHECK(logged("profile foo-admin: sourcing credentials from profile jonsmith"));
  // Next time only the role is assumed, from the cached session.
  CHECK(chain.must_run("foo-admin").calls == Actions{"AssumeRole"});
  CHECK(chain.mfa.count == 1);
}

TEST_CASE("exec foo-admin --duration=2h assumes the role directly with MFA and caches the role",
          "[vault][integration]") {
  Chain chain;
  const Issued issued = chain.must_run("foo-admin", {}, duration_flag(hours(2)));
  CHECK(issued.calls == Actions{"AssumeRole"});
  const auto calls = chain.log.snapshot();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].mfa);
  CHECK(calls[0].duration == "7200");
  CHECK(chain.mfa.count == 1);
  const auto roles = keys_of_type(chain.keyring, av::keyring::kSessionTypeAssumeRole);
  REQUIRE(roles.size() == 1);
  CHECK(roles[0].rfind(av::keyring::session_key_prefix("sts.AssumeRole", "foo-admin", kSerial),
                       0) == 0);
  CHECK(chain.must_run("foo-admin", {}, duration_flag(hours(2))).calls.empty());
}

TEST_CASE("exec bar-role2 chains two roles from one MFA session and caps both at 1h",
          "[vault][integration]") {
  Chain chain(Signatures::Unchecked);  // a session token signs AssumeRole
  chain.config_env.aws_assume_role_ttl = "2h";
  const Issued issued = chain.must_run("bar-role2");
  CHECK(issued.calls == Actions{"GetSessionToken", "AssumeRole", "AssumeRole"});
  const auto calls = chain.log.snapshot();
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].duration == "28800");
  CHECK(calls[0].mfa);
  CHECK(calls[1].role == kAdmin);
  CHECK(calls[2].role == kSecond);
  for (std::size_t i = 1; i < 3; ++i) {
    CHECK_FALSE(calls[i].mfa);
    CHECK(calls[i].duration == "3600");
  }
  CHECK(chain.mfa.count == 1);
  CHECK(keys_of_type(chain.keyring, av::keyring::kSessionTypeGetSessionToken).size() == 1);
  CHECK(keys_of_type(chain.keyring, av::keyring::kSessionTypeAssumeRole).empty());
  CHECK(logged("profile bar-role2: capping AssumeRole duration from 2h0m0s to AWS maximum 1h0m0s "
               "for role chaining"));
}

TEST_CASE("exec bar-role2 --no-session prompts twice and caches both roles",
          "[vault][integration]") {
  Chain chain;
  chain.config_env.aws_assume_role_ttl = "2h";
  ChainOptions options;
  options.sessions_disabled = true;
  const Issued issued = chain.must_run("bar-role2", options);
  CHECK(issued.calls == Actions{"AssumeRole", "AssumeRole"});
  const auto calls = chain.log.snapshot();
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].role == kAdmin);
  CHECK(calls[0].mfa);
  CHECK(calls[0].duration == "7200");
  CHECK(calls[1].role == kSecond);
  CHECK(calls[1].mfa);
  CHECK(calls[1].duration == "3600");
  CHECK(chain.mfa.count == 2);
  CHECK(keys_of_type(chain.keyring, av::keyring::kSessionTypeAssumeRole).size() == 2);
  CHECK(keys_of_type(chain.keyring, av::keyring::kSessionTypeGetSessionToken).empty());
  CHECK(logged("profile jonsmith: skipping GetSessionToken because sessions are disabled"));
  // Both roles come from the cache next time.
  CHECK(chain.must_run("bar-role2", options).calls.empty());
  CHECK(chain.mfa.count == 2);
}

TEST_CASE("a single role asking for 12h keeps its duration and skips GetSessionToken",
          "[vault][integration]") {
  Chain chain;
  chain.config_env.aws_assume_role_ttl = "12h";
  CHECK(chain.must_run("foo-admin").calls == Actions{"AssumeRole"});
  const auto calls = chain.log.snapshot();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].duration == "43200");
  CHECK(calls[0].mfa);
  CHECK_FALSE(logged("profile foo-admin: capping"));
}

TEST_CASE("a role chain through a profile without a role caps every AssumeRole",
          "[vault][integration]") {
  Chain chain(Signatures::Unchecked);  // a session token signs AssumeRole
  chain.config_text += std::string("[profile admin]\nsource_profile = jonsmith\nrole_arn = ") +
                       kAdmin + "\nmfa_serial = " + kSerial +
                       "\n[profile passthrough]\nsource_profile = admin\n"
                       "[profile target]\nsource_profile = passthrough\nrole_arn = " + kSecond +
                       "\nmfa_serial = " + kSerial + "\n";
  chain.config_env.aws_assume_role_ttl = "12h";
  chain.config_env.aws_chained_session_token_ttl = "12h";
  CHECK(chain.must_run("target").calls == Actions{"GetSessionToken", "AssumeRole", "AssumeRole"});
  const auto calls = chain.log.snapshot();
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].duration == "43200");
  CHECK(calls[1].duration == "3600");
  CHECK(calls[2].duration == "3600");
  CHECK_FALSE(calls[1].mfa);
  CHECK_FALSE(calls[2].mfa);
  CHECK(chain.mfa.count == 1);
}

TEST_CASE("profiles without credentials name themselves as missing", "[vault][error]") {
  Chain chain;
  for (const char* name : {"lonely", "nosuch"}) {
    auto issued = chain.run(name);
    REQUIRE_FALSE(issued.has_value());
    CHECK(issued.error().code() == Errc::NotFound);
    CHECK(issued.error().message() == "profile " + std::string(name) + ": credentials missing");
  }
  CHECK(chain.log.snapshot().empty());
}

TEST_CASE("an STS error is returned as such and nothing is cached", "[vault][error]") {
  Chain chain;
  REQUIRE(store_long_term(chain.keyring, "jonsmith", "AKIAWRONGWRONGWRONG0", "nope").has_value());
  auto issued = chain.run("jonsmith");
  REQUIRE_FALSE(issued.has_value());
  CHECK(issued.error().code() == Errc::AwsApi);
  CHECK(std::string(issued.error().message()).rfind("operation error STS: GetSessionToken", 0) ==
        0);
  CHECK(chain.keyring.size() == 1);
}

TEST_CASE("a failed MFA prompt stops the chain before any STS call", "[vault][error]") {
  Chain chain;
  chain.mfa.fail = true;
  auto issued = chain.run("foo-admin");
  REQUIRE_FALSE(issued.has_value());
  CHECK(issued.error().code() == Errc::Cancelled);
  CHECK(chain.log.snapshot().empty());
  CHECK(chain.keyring.size() == 1);
}

TEST_CASE("undecodable stored credentials are reported as invalid keyring data", "[vault][error]") {
  Chain chain;
  av::keyring::Item item;
  item.key = "jonsmith";
  item.data = av::secure::SecretBytes::copy_of(av::as_bytes(std::string_view("not json")));
  REQUIRE(chain.keyring.set(item).has_value());
  auto issued = chain.run("foo-readonly");
  REQUIRE_FALSE(issued.has_value());
  CHECK(std::string(issued.error().message()).rfind("Invalid data in keyring: ", 0) == 0);
}

TEST_CASE("a profile without a region fails with the SDK's endpoint message", "[vault][error]") {
  Chain chain;
  chain.config_text = "[profile jonsmith]\nmfa_serial = " + std::string(kSerial) + "\n";
  auto issued = chain.run("jonsmith");
  REQUIRE_FALSE(issued.has_value());
  CHECK(issued.error().message() ==
        "operation error STS: GetSessionToken, failed to resolve service endpoint, an AWS region "
        "is required, but was not found");
  CHECK(chain.mfa.count == 0);  // the endpoint is resolved before a code is asked for
  CHECK(chain.keyring.size() == 1);
}

TEST_CASE("SSO profiles need the SSO services (sso_test.cpp covers the flows)", "[vault][error]") {
  Chain chain;  // Services without `sso`: a command that cannot sign in
  auto issued = chain.run("sso");
  REQUIRE_FALSE(issued.has_value());
  CHECK(issued.error().code() == Errc::Internal);
  CHECK(issued.error().message().find("SSO sign-in is not available to this command") !=
        std::string_view::npos);
  CHECK(logged("profile sso: using SSO role credentials"));
}

TEST_CASE("the cache can be disabled (rotate)", "[vault][integration]") {
  Chain chain;
  ChainOptions options;
  options.cache_disabled = true;
  CHECK(chain.must_run("jonsmith", options).calls == Actions{"GetSessionToken"});
  CHECK(chain.must_run("jonsmith", options).calls == Actions{"GetSessionToken"});
  CHECK(chain.keyring.size() == 1);
  CHECK(chain.mfa.count == 2);
}

TEST_CASE("credential_process output is cached under its own type", "[vault][integration]") {
  Chain chain;
  const std::string counter = chain.lock_dir + "/runs";
  chain.config_text += "[profile proc]\nmfa_serial = " + std::string(kSerial) +
                       "\ncredential_process = echo x >> " + counter +
                       " && printf '{\"Version\":1,\"AccessKeyId\":\"ASIAPROCESS0001\","
                       "\"SecretAccessKey\":\"s\",\"SessionToken\":\"t\","
                       "\"Expiration\":\"2099-01-01T00:00:00Z\"}'\n";
  const Issued issued = chain.must_run("proc");
  CHECK(issued.credentials.access_key_id == "ASIAPROCESS0001");
  CHECK(issued.can_expire);
  CHECK(issued.calls.empty());
  CHECK(logged("profile proc: using credential process"));
  const auto cached = keys_of_type(chain.keyring, av::keyring::kSessionTypeCredentialProcess);
  REQUIRE(cached.size() == 1);
  CHECK(cached[0] == "credential_process,cHJvYw,,4070908800");
  CHECK(chain.must_run("proc").credentials.access_key_id == "ASIAPROCESS0001");
  std::ifstream runs(counter);
  std::string line;
  int count = 0;
  while (std::getline(runs, line)) ++count;
  CHECK(count == 1);
  CHECK(chain.mfa.count == 0);
}

TEST_CASE("a web identity profile exchanges its token file, unsigned, and caches the role",
          "[vault][integration]") {
  av::testing::MotoServer moto(av::testing::MotoServer::Signatures::Unchecked);
  INFO(moto.error());
  REQUIRE(moto.error().empty());
  Chain chain;
  chain.env = av::platform::Environment::from_pairs({{"AWS_ENDPOINT_URL_STS", moto.url()}});
  const std::string token_file = chain.lock_dir + "/token";
  std::ofstream(token_file) << "eyJ0eXAiOiJKV1QifQ.e30.c2ln";
  chain.config_text += "[profile web]\nrole_arn = " + std::string(kAdmin) +
                       "\nrole_session_name = web-session\nweb_identity_token_file = " +
                       token_file + "\n";
  const Issued issued = chain.must_run("web");
  CHECK(issued.calls == Actions{"AssumeRoleWithWebIdentity"});
  CHECK(chain.log.snapshot()[0].session_name == "web-session");
  CHECK(keys_of_type(chain.keyring, av::keyring::kSessionTypeAssumeRoleWithWebIdentity).size() ==
        1);
  CHECK(chain.must_run("web").calls.empty());

  SECTION("a role sourced from web identity is capped at 1h (fix of upstream quirk 15)") {
    chain.config_text += "[profile chained]\nsource_profile = web\nrole_arn = " +
                         std::string(kSecond) + "\n";
    chain.config_env.aws_assume_role_ttl = "2h";
    CHECK(chain.must_run("chained").calls == Actions{"AssumeRole"});  // web identity is cached
    CHECK(chain.log.snapshot().back().duration == "3600");
    CHECK(logged("profile chained: capping AssumeRole duration from 2h0m0s"));
  }
}

TEST_CASE("many threads needing the same missing session make one STS call and one prompt",
          "[vault][integration]") {
  Chain chain(Signatures::Unchecked);  // a session token signs AssumeRole
  LockedKeyring shared;
  REQUIRE(store_long_term(shared, "jonsmith", chain.moto.access_key_id(),
                          chain.moto.secret_access_key())
              .has_value());
  chain.mfa.delay = std::chrono::milliseconds(300);
  const auto target = chain.resolve("foo-admin");
  ChainOptions options;
  options.lock_dir = chain.lock_dir + "/locks";
  constexpr int kThreads = 8;
  std::vector<std::string> ids(kThreads);
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      CountingHttp http(*chain.real, chain.log);
      av::aws::QueryClient query(http, av::platform::system_clock(), av::crypto::system_random());
      av::vault::Services services{shared, query, chain.clock, chain.env, chain.mfa};
      auto issued = av::vault::get_credentials(target, services, options);
      const auto n = static_cast<std::size_t>(i);
      if (issued) ids[n] = issued->credentials.access_key_id;
      if (!issued) errors[n] = std::string(issued.error().message());
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) CHECK(e.empty());
  for (const auto& id : ids) CHECK_FALSE(id.empty());
  CHECK_FALSE(chain.mfa.wrong_serial);
  const auto actions = chain.log.actions();
  CHECK(std::count(actions.begin(), actions.end(), "GetSessionToken") == 1);
  CHECK(std::count(actions.begin(), actions.end(), "AssumeRole") == kThreads);
  CHECK(chain.mfa.count == 1);
}

TEST_CASE("many processes needing the same expired session make one STS call and one prompt",
          "[vault][integration]") {
  Chain chain;
  const std::string dir = make_temp_dir();
  DirKeyring seeded(dir);
  REQUIRE(store_long_term(seeded, "jonsmith", chain.moto.access_key_id(),
                          chain.moto.secret_access_key())
              .has_value());
  const auto target = chain.resolve("jonsmith");
  ChainOptions options;
  options.lock_dir = chain.lock_dir + "/locks";
  seed_stale_session(seeded, chain.clock);
  constexpr int kProcesses = 6;
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) ::_exit(child_run(dir, target, chain, options));
    children.push_back(pid);
  }
  int calls = 0;
  int prompts = 0;
  for (const pid_t pid : children) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    const int code = WEXITSTATUS(status);
    REQUIRE(code < 90);
    calls += code / 10;
    prompts += code % 10;
  }
  CHECK(calls == 1);
  CHECK(prompts == 1);
  CHECK(keys_of_type(seeded, av::keyring::kSessionTypeGetSessionToken).size() == 1);
}

TEST_CASE("a profile with its own keys, role and MFA assumes the role directly",
          "[vault][integration]") {
  Chain chain;
  chain.config_text += std::string("[profile selfrole]\nrole_arn = ") + kAdmin +
                       "\nmfa_serial = " + kSerial + "\n[profile alias]\nsource_profile = selfrole\n";
  REQUIRE(store_long_term(chain.keyring, "selfrole", chain.moto.access_key_id(),
                          chain.moto.secret_access_key())
              .has_value());
  SECTION("as the target") {
    CHECK(chain.must_run("selfrole").calls == Actions{"AssumeRole"});
  }
  SECTION("as the source of a profile without a role") {
    CHECK(chain.must_run("alias").calls == Actions{"AssumeRole"});
    CHECK(logged("profile selfrole: using AssumeRole (with MFA)"));
  }
  const auto calls = chain.log.snapshot();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].mfa);
  CHECK(chain.mfa.count == 1);
  CHECK(keys_of_type(chain.keyring, av::keyring::kSessionTypeAssumeRole).size() == 1);
}

TEST_CASE("an MFA serial from [default] is satisfied once by the source's session token",
          "[vault][integration]") {
  Chain chain(Signatures::Unchecked);  // a session token signs AssumeRole
  chain.config_text = std::string("[default]\nregion = us-east-1\nmfa_serial = ") + kSerial +
                      "\n[profile source]\nduration_seconds = 7200\n"
                      "[profile admin]\nsource_profile = source\nduration_seconds = 7200\n"
                      "role_arn = " + kAdmin +
                      "\n[profile target]\nsource_profile = admin\nduration_seconds = 7200\n"
                      "role_arn = " + kSecond + "\n";
  REQUIRE(store_long_term(chain.keyring, "source", chain.moto.access_key_id(),
                          chain.moto.secret_access_key())
              .has_value());
  CHECK(chain.must_run("target").calls == Actions{"GetSessionToken", "AssumeRole", "AssumeRole"});
  const auto calls = chain.log.snapshot();
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].mfa);
  CHECK(calls[0].duration == "28800");
  for (std::size_t i = 1; i < 3; ++i) {
    CHECK_FALSE(calls[i].mfa);
    CHECK(calls[i].duration == "3600");
  }
  CHECK(chain.mfa.count == 1);
  CHECK(logged("profile admin: using AssumeRole (chained MFA)"));
  CHECK(logged("profile target: using AssumeRole (chained MFA)"));
}
