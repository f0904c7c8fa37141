#include "platform/env.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "base/limits.h"

namespace av::platform {
namespace {

Environment sample() {
  return Environment::from_pairs(
      {{"HOME", "/home/u"}, {"EMPTY", ""}, {"DUP", "first"}, {"DUP", "second"}, {"EQ", "a=b"}});
}

}  // namespace

TEST_CASE("Environment: get returns values, including empty ones", "[platform][vector]") {
  auto env = sample();
  CHECK(env.get("HOME") == "/home/u");
  CHECK(env.get("EMPTY") == "");
  CHECK(env.get("EQ") == "a=b");
  CHECK_FALSE(env.get("MISSING").has_value());
  CHECK_FALSE(env.get("HOM").has_value());
  CHECK_FALSE(env.get("HOME=").has_value());
  CHECK(env.get("DUP") == "first");
}

TEST_CASE("Environment: get_nonempty treats empty as unset", "[platform][vector]") {
  auto env = sample();
  CHECK(env.get_nonempty("HOME") == "/home/u");
  CHECK_FALSE(env.get_nonempty("EMPTY").has_value());
  CHECK_FALSE(env.get_nonempty("MISSING").has_value());
}

TEST_CASE("Environment: get_secret copies into locked memory and is bounded", "[platform][error]") {
  auto env = Environment::from_pairs(
      {{"KEY", "s3cret"}, {"BIG", std::string(limits::kMaxSecretBytes + 1, 'x')}});
  auto key = env.get_secret("KEY");
  REQUIRE(key.has_value());
  REQUIRE(key->has_value());
  CHECK((*key)->reveal() == "s3cret");
  auto missing = env.get_secret("NOPE");
  REQUIRE(missing.has_value());
  CHECK_FALSE(missing->has_value());
  auto big = env.get_secret("BIG");
  REQUIRE_FALSE(big.has_value());
  CHECK(big.error().code() == Errc::TooLarge);
}

TEST_CASE("Environment: entries keep order and are NUL-terminated", "[platform][vector]") {
  auto env = sample();
  REQUIRE(env.entries().size() == 5);
  CHECK(env.entries()[0] == "HOME=/home/u");
  CHECK(env.entries()[1] == "EMPTY=");
  for (auto entry : env.entries()) CHECK(entry.data()[entry.size()] == '\0');
}

TEST_CASE("Environment: set, unset and set_secret edit a child environment", "[platform][vector]") {
  auto env = sample();
  env.set("HOME", "/other");
  env.unset("DUP");
  REQUIRE(env.set_secret("AWS_SECRET_ACCESS_KEY", secure::SecretString::copy_of("xyz")));
  CHECK(env.get("HOME") == "/other");
  CHECK_FALSE(env.get("DUP").has_value());
  CHECK(env.get("AWS_SECRET_ACCESS_KEY") == "xyz");
  CHECK(env.entries().back() == "AWS_SECRET_ACCESS_KEY=xyz");
  for (auto entry : env.entries()) CHECK(entry.data()[entry.size()] == '\0');
  auto copy = env.clone();
  env = Environment();
  CHECK(copy.get("AWS_SECRET_ACCESS_KEY") == "xyz");
  CHECK(copy.get("HOME") == "/other");
  CHECK(copy.entries().size() == 4);
  for (auto entry : copy.entries()) CHECK(entry.data()[entry.size()] == '\0');
}

TEST_CASE("Environment: from_process sees the real environment", "[platform][integration]") {
  ::setenv("AV_PLATFORM_TEST_VAR", "value", 1);
  auto env = Environment::from_process();
  CHECK(env.get("AV_PLATFORM_TEST_VAR") == "value");
  ::unsetenv("AV_PLATFORM_TEST_VAR");
}

}  // namespace av::platform
