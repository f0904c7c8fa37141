#include "platform/paths.h"

#include <catch2/catch.hpp>

namespace av::platform {

TEST_CASE("home_dir: $HOME, or NotFound when unset or empty", "[platform][error]") {
  CHECK(*home_dir(Environment::from_pairs({{"HOME", "/home/u"}})) == "/home/u");
  auto empty = home_dir(Environment::from_pairs({{"HOME", ""}}));
  REQUIRE_FALSE(empty.has_value());
  CHECK(empty.error().code() == Errc::NotFound);
  CHECK(empty.error().message() == "$HOME is not defined");
  CHECK_FALSE(home_dir(Environment()).has_value());
}

TEST_CASE("expand_home: expands ~/ and bare ~ only", "[platform][vector]") {
  auto env = Environment::from_pairs({{"HOME", "/home/u"}});
  CHECK(*expand_home("~/.awsvault/keys/", env) == "/home/u/.awsvault/keys/");
  CHECK(*expand_home("~", env) == "/home/u");
  CHECK(*expand_home("~user/x", env) == "~user/x");
  CHECK(*expand_home("/abs/~/x", env) == "/abs/~/x");
  CHECK(*expand_home("rel", env) == "rel");
  CHECK(*expand_home("", env) == "");
  CHECK(expand_home("~/x", Environment()).error().code() == Errc::NotFound);
  CHECK(*expand_home("/no/home/needed", Environment()) == "/no/home/needed");
}

TEST_CASE("join_path: exactly one slash between pieces", "[platform][vector]") {
  CHECK(join_path("/a", "b") == "/a/b");
  CHECK(join_path("/a/", "b") == "/a/b");
  CHECK(join_path("/a//", "/b") == "/a/b");
  CHECK(join_path("/", "b") == "/b");
  CHECK(join_path("", "b") == "b");
  CHECK(join_path("/a", "") == "/a");
  CHECK(join_path("a", ".aws/config") == "a/.aws/config");
}

TEST_CASE("config_home: absolute XDG_CONFIG_HOME, else ~/.config", "[platform][vector]") {
  CHECK(*config_home(Environment::from_pairs({{"HOME", "/h"}, {"XDG_CONFIG_HOME", "/x/cfg"}})) ==
        "/x/cfg");
  CHECK(*config_home(Environment::from_pairs({{"HOME", "/h"}, {"XDG_CONFIG_HOME", "rel"}})) ==
        "/h/.config");
  CHECK(*config_home(Environment::from_pairs({{"HOME", "/h"}, {"XDG_CONFIG_HOME", ""}})) ==
        "/h/.config");
  CHECK(*config_home(Environment::from_pairs({{"HOME", "/h"}})) == "/h/.config");
}

TEST_CASE("aws_config_path: AWS_CONFIG_FILE if non-empty, else ~/.aws/config",
          "[platform][vector]") {
  CHECK(*aws_config_path(Environment::from_pairs({{"HOME", "/h"}, {"AWS_CONFIG_FILE", "/c"}})) ==
        "/c");
  CHECK(*aws_config_path(Environment::from_pairs({{"HOME", "/h"}, {"AWS_CONFIG_FILE", ""}})) ==
        "/h/.aws/config");
  CHECK(*aws_config_path(Environment::from_pairs({{"HOME", "/h/"}})) == "/h/.aws/config");
  CHECK(aws_config_path(Environment()).error().code() == Errc::NotFound);
}

TEST_CASE("parent_dir and program_basename follow Go's filepath rules", "[platform][vector]") {
  CHECK(parent_dir("/a/b/c") == "/a/b");
  CHECK(parent_dir("/c") == "/");
  CHECK(parent_dir("c") == ".");
  CHECK(program_basename("/usr/local/bin/aws-vault") == "aws-vault");
  CHECK(program_basename("aws-vault") == "aws-vault");
  CHECK(program_basename("./bin/av/") == "av");
  CHECK(program_basename("") == ".");
  CHECK(program_basename("///") == "/");
}

}  // namespace av::platform
