// Tests for config/profile_resolver.h: the fixture table in tests/vectors/config/ (inheritance,
// overrides, quirks, cycles, odd spacing, duplicates, CRLF, BOM), spec cli.md §12 items 13, 16,
// 20, 21, 25, 27, 29, Appendix A items 10-13, one test per error, and mutation over the fixtures.
#include "config/profile_resolver.h"

#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>

#include "base/ascii.h"
#include "base/limits.h"
#include "codec/go_duration.h"

namespace av::config {
namespace {

std::string vector_path(const std::string& name) {
  const char* root = std::getenv("AV_TEST_VECTORS");  // set by ctest (cmake/AvTargets.cmake)
  return std::string(root != nullptr ? root : "tests/vectors") + "/config/" + name;
}

std::string read_vector(const std::string& name, bool required = true) {
  std::ifstream in(vector_path(name), std::ios::binary);
  if (required) REQUIRE(in.good());
  if (!in.good()) return {};
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string q(std::string_view text) { return ascii::quote_for_terminal(text); }

void dump_record(const ResolvedProfile& r, const std::string& indent, std::string& out) {
  const auto line = [&](std::string_view label, std::string_view value) {
    if (!value.empty()) out += indent + std::string(label) + " " + q(value) + "\n";
  };
  std::string walked;
  for (const auto& w : r.walked) walked += (walked.empty() ? "" : " -> ") + q(w);
  out += indent + "name " + q(r.name) + "\n" + indent + "walked " + walked + "\n";
  line("chained_from", r.chained_from);
  line("region", r.region);
  line("sts_regional_endpoints", r.sts_regional_endpoints);
  line("endpoint_url", r.endpoint_url);
  line("mfa_serial", r.mfa_serial);
  line("mfa_process", r.mfa_process);
  line("role_arn", r.role_arn);
  line("role_session_name", r.role_session_name);
  line("external_id", r.external_id);
  line("web_identity_token_file", r.web_identity_token_file);
  line("web_identity_token_process", r.web_identity_token_process);
  out += indent + "durations " + codec::format_go_duration(r.durations.assume_role) + " " +
         codec::format_go_duration(r.durations.non_chained_session_token) + " " +
         codec::format_go_duration(r.durations.chained_session_token) + " " +
         codec::format_go_duration(r.durations.federation_token) + "\n";
  line("sso_session", r.sso_session);
  line("sso_start_url", r.sso_start_url);
  line("sso_region", r.sso_region);
  line("sso_registration_scopes", r.sso_registration_scopes);
  line("sso_account_id", r.sso_account_id);
  line("sso_role_name", r.sso_role_name);
  for (const auto& [k, v] : r.session_tags) out += indent + "session_tag " + q(k) + " = " + q(v) + "\n";
  for (const auto& k : r.transitive_session_tags) out += indent + "transitive_tag " + q(k) + "\n";
  line("source_identity", r.source_identity);
  line("credential_process", r.credential_process);
  line("source_profile", r.source_profile_name);
  if (r.source) dump_record(*r.source, indent + "  ", out);
}

ConfigEnvironment env_from_text(const std::string& text) {
  std::map<std::string, std::string, std::less<>> vars;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) vars[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return read_config_environment([&vars](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

// dump_fixture renders the enumeration and the resolution of every target (the enumerated
// profiles, `default`, and any extra names from cases.txt), as the .expected files hold them.
std::string dump_fixture(std::string_view text, const std::string& path, const ConfigEnvironment& env,
                         const std::vector<std::string>& extra) {
  auto config = parse_aws_config(text, path);
  if (!config) return "error: " + std::string(errc_name(config.error().code())) + ": " +
                      std::string(config.error().message()) + "\n";
  std::string out = "profiles:";
  std::vector<std::string> targets;
  for (std::string_view name : config->profile_names()) {
    out += " " + q(name);
    targets.emplace_back(name);
  }
  out += "\nunrecognised:";
  for (const auto& name : config->unrecognised_sections()) out += " " + q(name);
  out += "\n";
  if (std::find(targets.begin(), targets.end(), "default") == targets.end()) targets.emplace_back("default");
  targets.insert(targets.end(), extra.begin(), extra.end());
  for (const auto& target : targets) {
    out += "== " + q(target) + "\n";
    const auto resolved = resolve_profile(*config, target, BaseConfig{}, env);
    if (!resolved) {
      out += "error: " + std::string(errc_name(resolved.error().code())) + ": " +
             std::string(resolved.error().message()) + "\n";
      continue;
    }
    dump_record(resolved->profile, "  ", out);
    for (const auto& note : resolved->notes) out += "  note: " + note + "\n";
  }
  return out;
}

struct Case {
  std::string name;
  std::vector<std::string> extra;
};

std::vector<Case> cases() {
  std::istringstream manifest(read_vector("cases.txt"));
  std::vector<Case> out;
  std::string line;
  while (std::getline(manifest, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    Case c;
    words >> c.name;
    for (std::string w; words >> w;) c.extra.push_back(w);
    out.push_back(c);
  }
  return out;
}

AwsConfig config_of(std::string_view text, std::string path = "config") {
  auto config = parse_aws_config(text, std::move(path));
  REQUIRE(config);
  return std::move(config).value();
}

ResolvedProfile resolve_ok(const AwsConfig& config, std::string_view target,
                           const ConfigEnvironment& env = {}, const BaseConfig& base = {}) {
  auto resolved = resolve_profile(config, target, base, env);
  if (!resolved) FAIL(resolved.error().message());
  return std::move(resolved->profile);
}

Error resolve_error(std::string_view text, std::string_view target, const ConfigEnvironment& env = {}) {
  const AwsConfig config = config_of(text);
  auto resolved = resolve_profile(config, target, BaseConfig{}, env);
  REQUIRE_FALSE(resolved);
  return std::move(resolved).error();
}

}  // namespace

// Set AV_WRITE_CONFIG_VECTORS=1 to rewrite the .expected files after a deliberate change; review
// the diff by hand against spec §3.5 and docs/COMPATIBILITY.md before keeping it.
TEST_CASE("resolver: every fixture resolves to its recorded dump", "[config][vector]") {
  const auto all = cases();
  REQUIRE(all.size() >= 20);
  const bool write = std::getenv("AV_WRITE_CONFIG_VECTORS") != nullptr;
  for (const Case& c : all) {
    CAPTURE(c.name);
    const std::string got = dump_fixture(read_vector(c.name + ".ini"), c.name + ".ini",
                                         env_from_text(read_vector(c.name + ".env", false)), c.extra);
    if (write) std::ofstream(vector_path(c.name + ".expected"), std::ios::binary) << got;
    CHECK(got == read_vector(c.name + ".expected"));
  }
}

namespace {

constexpr std::string_view kUpstreamExample = R"([default]
region=us-west-2
output=json

[profile user2]
REGION=us-east-1
output=text

[profile withsource]
source_profile=user2
region=us-east-1

[profile withMFA]
source_profile=user2
Role_Arn=arn:aws:iam::4451234513441615400570:role/aws_admin
mfa_Serial=arn:aws:iam::1234513441:mfa/blah
Region=us-east-1
duration_seconds=1200
sts_regional_endpoints=legacy

[profile testincludeprofile1]
region=us-east-1

[profile testincludeprofile2]
include_profile=testincludeprofile1

[profile with-sso-session]
sso_session = moon-sso
sso_account_id=123456
region = moon-1 # Different from sso region

[sso-session moon-sso]
sso_start_url = https://d-123456789.example.com/start
sso_region = moon-2  # Different from profile region
sso_registration_scopes = sso:account:access
)";

}  // namespace

TEST_CASE("resolver: the sample profile resolves with its keys (item 16)", "[config][vector]") {
  const AwsConfig config = config_of(kUpstreamExample);
  const ResolvedProfile p = resolve_ok(config, "withMFA");
  CHECK(p.role_arn == "arn:aws:iam::4451234513441615400570:role/aws_admin");
  CHECK(p.mfa_serial == "arn:aws:iam::1234513441:mfa/blah");
  CHECK(p.durations.assume_role == std::chrono::seconds(1200));
  CHECK(p.sts_regional_endpoints == "legacy");
  REQUIRE(p.source);
  CHECK(p.source->name == "user2");
  CHECK(p.source->region == "us-east-1");
  CHECK(p.source->chained_from == "withMFA");
  CHECK(p.source->is_chained());
  CHECK_FALSE(p.is_chained());
  CHECK(p.has_role());
  CHECK(p.has_mfa());
}

TEST_CASE("resolver: a missing profile resolves from [default] and notes it (item 13)", "[config][vector]") {
  const AwsConfig config = config_of("[default]\nsso_account_id = 222222222222\n");
  auto resolved = resolve_profile(config, "invalid-profile", BaseConfig{}, ConfigEnvironment{});
  REQUIRE(resolved);
  CHECK(resolved->profile.sso_account_id == "222222222222");
  REQUIRE_FALSE(resolved->notes.empty());
  CHECK(resolved->notes.front() == "Profile 'invalid-profile' missing in config file");
  CHECK_FALSE(config.find_profile("invalid-profile"));
  CHECK(config.find_profile("default"));
}

TEST_CASE("resolver: include_profile pulls region from the included profile (item 20)", "[config][vector]") {
  const AwsConfig config = config_of(kUpstreamExample);
  const ResolvedProfile p = resolve_ok(config, "testincludeprofile2");
  CHECK(p.region == "us-east-1");
  CHECK(p.walked == std::vector<std::string>{"testincludeprofile2", "testincludeprofile1", "default"});
}

TEST_CASE("resolver: sso_session fills the session's URL and region; the profile keeps its region (item 21)",
          "[config][vector]") {
  const AwsConfig config = config_of(kUpstreamExample);
  const ResolvedProfile p = resolve_ok(config, "with-sso-session");
  CHECK(p.sso_start_url == "https://d-123456789.example.com/start");
  CHECK(p.sso_region == "moon-2");
  CHECK(p.region == "moon-1");
  CHECK(p.sso_registration_scopes == "sso:account:access");
  CHECK(p.has_sso());
}

TEST_CASE("resolver: source_profile naming itself is dropped, naming the included one is kept (item 25)",
          "[config][vector]") {
  const AwsConfig config = config_of(read_vector("self_source.ini"));
  const ResolvedProfile self = resolve_ok(config, "self");
  CHECK(self.source_profile_name.empty());
  CHECK_FALSE(self.source);
  const ResolvedProfile includer = resolve_ok(config, "includer");
  CHECK(includer.source_profile_name == "included");
  REQUIRE(includer.source);
  CHECK(includer.source->source_profile_name.empty());  // [default]'s source_profile = itself
}

TEST_CASE("resolver: tags come from the config; env overrides the target only (item 27)", "[config][vector]") {
  const AwsConfig config = config_of(read_vector("source_chain.ini"));
  const ResolvedProfile plain = resolve_ok(config, "target");
  CHECK(plain.session_tags == SessionTags{{"app", "web"}});
  REQUIRE(plain.source);
  CHECK(plain.source->session_tags == SessionTags{{"env", "dev"}, {"team", "core"}});
  CHECK(plain.source->transitive_session_tags == std::vector<std::string>{"team"});
  REQUIRE(plain.source->source);
  CHECK(plain.source->source->session_tags.empty());
  ConfigEnvironment env;
  env.aws_session_tags = "x=1";
  env.aws_transitive_tags = "x";
  const ResolvedProfile overridden = resolve_ok(config, "target", env);
  CHECK(overridden.session_tags == SessionTags{{"x", "1"}});
  CHECK(overridden.transitive_session_tags == std::vector<std::string>{"x"});
  CHECK(overridden.source->session_tags == SessionTags{{"env", "dev"}, {"team", "core"}});
  CHECK(overridden.source->source->session_tags.empty());
}

TEST_CASE("resolver: mfa_process comes from the source unless the profile has one (item 29)",
          "[config][vector]") {
  const AwsConfig config = config_of(read_vector("source_chain.ini"));
  CHECK(resolve_ok(config, "target").mfa_process == "/usr/bin/otp base");
  CHECK(resolve_ok(config, "target").source->mfa_process == "/usr/bin/otp base");
  CHECK(resolve_ok(config, "own-mfa").mfa_process == "/usr/bin/otp own");
}

TEST_CASE("resolver: flags beat the environment, which beats the file; durations default (§4.1)",
          "[config][vector]") {
  const AwsConfig config = config_of("[profile p]\nregion = file\nduration_seconds = 1200\n");
  ConfigEnvironment env;
  env.aws_region = "env";
  env.aws_default_region = "env-default";
  env.aws_assume_role_ttl = "20m";
  BaseConfig base;
  base.region = "flag";
  base.durations.assume_role = std::chrono::minutes(30);
  base.mfa_token = secure::SecretString::copy_of("123456");
  CHECK(resolve_ok(config, "p", env, base).region == "flag");
  CHECK(resolve_ok(config, "p", env, base).durations.assume_role == std::chrono::minutes(30));
  CHECK(resolve_ok(config, "p", env, base).mfa_token.reveal() == "123456");
  CHECK(resolve_ok(config, "p", env).region == "env");
  CHECK(resolve_ok(config, "p", env).durations.assume_role == std::chrono::minutes(20));
  const ResolvedProfile file = resolve_ok(config, "p");
  CHECK(file.region == "file");
  CHECK(file.durations.assume_role == std::chrono::seconds(1200));
  CHECK(file.durations.non_chained_session_token == std::chrono::hours(1));
  CHECK(file.durations.chained_session_token == std::chrono::hours(8));
  CHECK(file.durations.federation_token == std::chrono::hours(1));
  CHECK(file.session_token_duration() == std::chrono::hours(1));
}

TEST_CASE("resolver: [profile a.b] does not inherit from [profile a] (A.10 fixed)", "[config][vector]") {
  const AwsConfig config = config_of(read_vector("inheritance.ini"));
  const ResolvedProfile child = resolve_ok(config, "dotted.child");
  CHECK(child.web_identity_token_file.empty());
  CHECK(child.region == "eu-west-1");  // from [default], not [profile dotted]
  const AwsConfig interp = config_of("[profile p]\nrole_session_name = %(region)s\nregion = x\n");
  CHECK(resolve_ok(interp, "p").role_session_name == "%(region)s");
}

TEST_CASE("resolver: duration_seconds with a unit is an error naming the line (A.11 fixed)", "[config][error]") {
  const Error e = resolve_error("[profile r]\nrole_arn = x\nduration_seconds = 1h\n", "r");
  CHECK(e.code() == Errc::Config);
  CHECK(e.message() == "config:3: invalid duration_seconds \"1h\": expected a whole number of seconds "
                       "(did you mean 3600?)");
}

TEST_CASE("resolver: an invalid duration_seconds number is an error naming the line (A.11 decided)",
          "[config][error]") {
  const Error e = resolve_error("[profile r]\nduration_seconds = 12x\n", "r");
  CHECK(e.code() == Errc::Config);
  CHECK(e.message() == "config:2: invalid duration_seconds \"12x\": expected a whole number of seconds");
  CHECK(resolve_error("[profile r]\nduration_seconds = 99999999999999999999\n", "r").code() == Errc::Config);
  CHECK(resolve_error("[profile r]\nduration_seconds = 0x\n", "r").code() == Errc::Config);
  CHECK(resolve_error("[profile r]\nduration_seconds = 09\n", "r").code() == Errc::Config);
  CHECK(resolve_error("[profile r]\nduration_seconds = +5\n", "r").code() == Errc::Config);
}

TEST_CASE("resolver: duration_seconds accepts Go's base prefixes", "[config][vector]") {
  CHECK(parse_duration_seconds("1200").value() == std::chrono::seconds(1200));
  CHECK(parse_duration_seconds("0x4B0").value() == std::chrono::seconds(1200));
  CHECK(parse_duration_seconds("02260").value() == std::chrono::seconds(1200));
  CHECK(parse_duration_seconds("0o2260").value() == std::chrono::seconds(1200));
  CHECK(parse_duration_seconds("0b10010110000").value() == std::chrono::seconds(1200));
  CHECK(parse_duration_seconds("0").value() == std::chrono::seconds(0));
  CHECK(parse_duration_seconds("9223372036").value() == std::chrono::seconds(9223372036));
  CHECK_FALSE(parse_duration_seconds("9223372037"));
  CHECK_FALSE(parse_duration_seconds(""));
  CHECK_FALSE(parse_duration_seconds("1_000"));
}

TEST_CASE("resolver: an include_profile cycle names the cycle and the key's line", "[config][error]") {
  const Error e = resolve_error(read_vector("err_cycle_include.ini"), "a");
  CHECK(e.code() == Errc::Config);
  CHECK(e.message() == "config:9: profile cycle: a -> b -> c -> a");
  CHECK(resolve_error(read_vector("err_include_self.ini"), "me").message() ==
        "config:2: profile cycle: me -> me");
}

TEST_CASE("resolver: a source_profile cycle is an error, not a stack overflow (A.13 fixed)", "[config][error]") {
  const Error e = resolve_error(read_vector("err_cycle_source.ini"), "a");
  CHECK(e.code() == Errc::Config);
  CHECK(e.message() == "config:6: profile cycle: a -> b -> a");
  const Error via_default = resolve_error(read_vector("err_cycle_default.ini"), "y");
  CHECK(via_default.message() == "config:6: profile cycle: y -> x -> y");
}

TEST_CASE("resolver: malformed session_tags in the file name the line", "[config][error]") {
  const Error e = resolve_error("[profile t]\n\nsession_tags = tagA=valueA,tagB\n", "t");
  CHECK(e.code() == Errc::Config);
  CHECK(e.message() == "config:3: failed to parse session_tags profile setting: session tags string must "
                       "be <key1>=<value1>,[<key2>=<value2>[,...]]");
}

TEST_CASE("resolver: malformed AWS_SESSION_TAGS is a visible error (A.24 fixed)", "[config][error]") {
  ConfigEnvironment env;
  env.aws_session_tags = "tag1=value1,";
  const Error e = resolve_error("[profile t]\n", "t", env);
  CHECK(e.code() == Errc::Config);
  CHECK(e.message() == "failed to parse AWS_SESSION_TAGS environment variable: session tags string must "
                       "be <key1>=<value1>,[<key2>=<value2>[,...]]");
}

TEST_CASE("resolver: chains longer than the limit are refused", "[config][error]") {
  std::string sources;
  std::string includes;
  for (std::size_t i = 0; i <= limits::kMaxProfileChainDepth; ++i) {
    sources += "[profile p" + std::to_string(i) + "]\nsource_profile = p" + std::to_string(i + 1) + "\n";
    includes += "[profile p" + std::to_string(i) + "]\ninclude_profile = p" + std::to_string(i + 1) + "\n";
  }
  const Error s = resolve_error(sources, "p0");
  CHECK(s.code() == Errc::TooLarge);
  CHECK(s.message().find("source_profile chain longer than") != std::string_view::npos);
  const Error i = resolve_error(includes, "p0");
  CHECK(i.code() == Errc::TooLarge);
  CHECK(i.message().find("include_profile chain longer than") != std::string_view::npos);
}

TEST_CASE("resolver: AWS_MFA_SERIAL applies to the whole chain, AWS_ROLE_ARN to the target only",
          "[config][vector]") {
  const AwsConfig config = config_of("[profile t]\nsource_profile = s\n[profile s]\n");
  ConfigEnvironment env;
  env.aws_mfa_serial = "arn:mfa";
  env.aws_role_arn = "arn:role";
  env.aws_role_session_name = "sess";
  env.aws_source_identity = "who";
  const ResolvedProfile t = resolve_ok(config, "t", env);
  CHECK(t.mfa_serial == "arn:mfa");
  CHECK(t.role_arn == "arn:role");
  CHECK(t.role_session_name == "sess");
  CHECK(t.source_identity == "who");
  REQUIRE(t.source);
  CHECK(t.source->mfa_serial == "arn:mfa");
  CHECK(t.source->role_arn.empty());
  CHECK(t.source->role_session_name.empty());
  CHECK(t.source->source_identity.empty());
}

TEST_CASE("resolver: [default]'s sso_session does not override an inline start URL (A.12 fixed)",
          "[config][vector]") {
  const AwsConfig config = config_of(read_vector("sso_default_a12.ini"));
  auto resolved = resolve_profile(config, "inline", BaseConfig{}, ConfigEnvironment{});
  REQUIRE(resolved);
  CHECK(resolved->profile.sso_start_url == "https://inline.awsapps.com/start");
  CHECK(resolved->profile.sso_region == "eu-west-1");
  CHECK(resolved->profile.sso_session.empty());
  REQUIRE(resolved->notes.size() == 1);
  CHECK(resolved->profile.has_sso());
  const ResolvedProfile plain = resolve_ok(config, "plain");
  CHECK(plain.sso_session == "corp");
  CHECK(plain.sso_start_url == "https://corp.awsapps.com/start");
}

TEST_CASE("resolver: parsing then resolving mutated fixtures never crashes", "[config][mutation]") {
  // Every truncation, and two flips (bit 0 and bit 5: case and separator changes) of every byte.
  std::size_t bad_messages = 0;
  const auto resolve_all = [&bad_messages](const std::string& text) {
    auto config = parse_aws_config(text, "m");
    if (!config) {
      bad_messages += config.error().message().substr(0, 2) != "m:" ? 1U : 0U;
      return;
    }
    for (std::size_t i = 0; i < config->num_profiles(); ++i) {
      auto r = resolve_profile(*config, config->profile(i).name(), BaseConfig{}, ConfigEnvironment{});
      if (!r) bad_messages += r.error().message().substr(0, 2) != "m:" ? 1U : 0U;
    }
  };
  for (const Case& c : cases()) {
    CAPTURE(c.name);
    const std::string original = read_vector(c.name + ".ini");
    for (std::size_t len = 0; len < original.size(); ++len) resolve_all(original.substr(0, len));
    for (std::size_t i = 0; i < original.size(); ++i) {
      for (const int mask : {0x01, 0x20}) {
        std::string flipped = original;
        flipped[i] = static_cast<char>(flipped[i] ^ mask);
        resolve_all(flipped);
      }
    }
    CHECK(bad_messages == 0);
  }
}

}  // namespace av::config
