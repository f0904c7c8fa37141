// Tests for config/aws_config.h: section -> profile mapping and enumeration (spec cli.md §3.3,
// §12 items 15, 17, 22, 24), SSO start URL precedence (§3.6, item 28), and error locations.
#include "config/aws_config.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "base/limits.h"

namespace av::config {
namespace {

AwsConfig config_of(std::string_view text, std::string path = "/home/u/.aws/config") {
  auto config = parse_aws_config(text, std::move(path));
  if (!config) FAIL(config.error().message());
  return std::move(config).value();
}

std::vector<std::string_view> names(const AwsConfig& config) { return config.profile_names(); }

}  // namespace

TEST_CASE("aws config: [default] is profile default, file order, sso-sessions excluded (item 17)",
          "[config][vector]") {
  const AwsConfig config = config_of(
      "[profile b]\nregion=x\n[default]\nregion=y\n[sso-session s]\nsso_start_url=u\n[profile a]\n");
  CHECK(names(config) == std::vector<std::string_view>{"b", "default", "a"});
  CHECK(config.find_sso_session("s"));
  CHECK_FALSE(config.find_profile("s"));
  CHECK(config.find_profile("a")->first_line() == 7);
}

TEST_CASE("aws config: key names are case-insensitive, unknown keys ignored (item 15)", "[config][vector]") {
  const AwsConfig config = config_of("[profile p]\nmfa_Serial = m\nRole_Arn = r\nREGION = g\noutput = json\n");
  const auto p = config.find_profile("p");
  REQUIRE(p);
  CHECK(p->value("mfa_serial") == "m");
  CHECK(p->value("role_arn") == "r");
  CHECK(p->value("region") == "g");
  CHECK(p->has_profile_settings());
}

TEST_CASE("aws config: an empty section has no profile settings (item 22)", "[config][vector]") {
  const AwsConfig config = config_of("[profile empty]\n[default]\noutput = json\nregion =\n");
  CHECK_FALSE(config.find_profile("empty")->has_profile_settings());
  CHECK_FALSE(config.find_profile("default")->has_profile_settings());
  // An empty [default] still exists (existence guard of §2.0) but is not enumerated (§3.3).
  CHECK(names(config) == std::vector<std::string_view>{"empty"});
  CHECK(config.find_profile("default"));
}

TEST_CASE("aws config: [DEFAULT] and other sections are unrecognised, not profiles (item 24)",
          "[config][vector]") {
  const AwsConfig config = config_of(
      "top = 1\n[DEFAULT]\nregion = us-east-1\n[Default]\n[profile]\n[profile \t]\n[Profile x]\n"
      "[plain]\n[services s]\n[sso-session ]\n");
  CHECK(names(config).empty());
  CHECK(config.unrecognised_sections() ==
        std::vector<std::string>{"DEFAULT", "Default", "profile", "profile \t", "Profile x", "plain",
                                 "services s", "sso-session "});
  CHECK(config_of("[default]\n").unrecognised_sections().empty());
}

TEST_CASE("aws config: profile names are trimmed of spaces and tabs as the AWS CLI does", "[config][vector]") {
  const AwsConfig config = config_of("[profile  dev ]\nregion = a\n[profile \tqa\t]\n[sso-session  s ]\n"
                                     "[profile two words]\n");
  CHECK(names(config) == std::vector<std::string_view>{"dev", "qa", "two words"});
  CHECK(config.find_profile("dev")->value("region") == "a");
  CHECK(config.find_sso_session("s"));
  CHECK_FALSE(config.find_profile(" dev "));
}

TEST_CASE("aws config: sections mapping to one profile merge, the last key winning", "[config][vector]") {
  const AwsConfig config = config_of(
      "[profile a]\nregion = 1\nrole_arn = r\n[profile b]\n[profile a ]\nregion = 2\n"
      "[default]\nregion = d\n[profile default]\nmfa_serial = m\n");
  CHECK(names(config) == std::vector<std::string_view>{"a", "b", "default"});
  const auto a = config.find_profile("a");
  CHECK(a->value("region") == "2");
  CHECK(a->value("role_arn") == "r");
  CHECK(a->find_key("region")->span.first_line == 6);
  CHECK(config.find_profile("default")->value("mfa_serial") == "m");
  CHECK(config.find_profile("default")->value("region") == "d");
  CHECK(config.num_profiles() == 3);
}

TEST_CASE("aws config: SSO start URL precedence, session > inline > none (item 28)", "[config][vector]") {
  CHECK(sso_start_url_precedence("s", "i") == "s");
  CHECK(sso_start_url_precedence("", "i") == "i");
  CHECK_FALSE(sso_start_url_precedence("", ""));
  const AwsConfig config = config_of(
      "[profile both]\nsso_session = s\nsso_start_url = inline\n"
      "[profile legacy]\nsso_start_url = inline2\n"
      "[profile dangling]\nsso_session = nope\nsso_start_url = inline3\n"
      "[profile none]\ninclude_profile = both\n"
      "[profile sessiononly]\nsso_session = s\n"
      "[sso-session s]\nsso_start_url = session-url\n");
  CHECK(profile_sso_start_url(config, *config.find_profile("both")) == "session-url");
  CHECK(profile_sso_start_url(config, *config.find_profile("legacy")) == "inline2");
  CHECK(profile_sso_start_url(config, *config.find_profile("dangling")) == "inline3");
  CHECK_FALSE(profile_sso_start_url(config, *config.find_profile("none")));
  CHECK(profile_sso_start_url(config, *config.find_profile("sessiononly")) == "session-url");
}

TEST_CASE("aws config: INI errors name the file and line", "[config][error]") {
  auto bad = parse_aws_config("[profile ok]\n[profile broken\n", "/tmp/cfg");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code() == Errc::Config);
  CHECK(bad.error().message().substr(0, 12) == "/tmp/cfg:2: ");
  auto no_delim = parse_aws_config("[p]\nregion\n", "c");
  REQUIRE_FALSE(no_delim);
  CHECK(no_delim.error().message().substr(0, 5) == "c:2: ");
}

TEST_CASE("aws config: an oversized file is TooLarge with the path and no line", "[config][error]") {
  const std::string huge(limits::kMaxConfigFileBytes + 1, '#');
  auto bad = parse_aws_config(huge, "big");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code() == Errc::TooLarge);
  CHECK(bad.error().message().substr(0, 5) == "big: ");
}

TEST_CASE("aws config: locations escape control characters in the path", "[config][vector]") {
  const AwsConfig config = config_of("", "a\x1b[31mb");
  CHECK(config.location(7) == "a\\x1b[31mb:7");
  CHECK(config.num_profiles() == 0);
  CHECK(names(config).empty());
}

TEST_CASE("aws config: copies keep working after the original is gone", "[config][vector]") {
  std::optional<AwsConfig> copy;
  {
    const AwsConfig original = config_of("[profile keep]\nregion = r\n");
    copy = original;
  }
  CHECK(copy->find_profile("keep")->value("region") == "r");
}

}  // namespace av::config
