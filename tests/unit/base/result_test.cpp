#include "base/result.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>

namespace av {
namespace {

Result<int> half(int value) {
  if (value % 2 != 0) return Error{Errc::Parse, "odd"};
  return value / 2;
}

Result<int> quarter(int value) {
  AV_TRY_ASSIGN(const int h, half(value));
  AV_TRY_ASSIGN(const int q, half(h));
  return q;
}

Status check_even(int value) {
  AV_TRY(half(value));
  return ok();
}

Result<std::unique_ptr<int>> make_boxed(int value) { return std::make_unique<int>(value); }

}  // namespace

TEST_CASE("Result: holds a value or an error", "[base]") {
  const auto good = half(8);
  REQUIRE(good.has_value());
  CHECK(*good == 4);
  const auto bad = half(3);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code() == Errc::Parse);
  CHECK(bad.error().message() == "odd");
}

TEST_CASE("Result: AV_TRY_ASSIGN propagates the first error", "[base]") {
  CHECK(*quarter(8) == 2);
  const auto failed = quarter(6);  // 6 -> 3 -> odd
  REQUIRE_FALSE(failed);
  CHECK(failed.error().code() == Errc::Parse);
}

TEST_CASE("Status: AV_TRY returns the error, default is success", "[base]") {
  CHECK(check_even(2).has_value());
  CHECK_FALSE(check_even(1).has_value());
  CHECK(ok().has_value());
}

TEST_CASE("Result: move-only values", "[base]") {
  auto boxed = make_boxed(7);
  REQUIRE(boxed);
  std::unique_ptr<int> taken = std::move(boxed).value();
  CHECK(*taken == 7);
}

TEST_CASE("Result: value_or gives the fallback only on error", "[base]") {
  CHECK(half(4).value_or(-1) == 2);
  CHECK(half(5).value_or(-1) == -1);
}

TEST_CASE("Error: context chains and api codes", "[base]") {
  Error e = Error{Errc::Config, "line 12: unterminated section header"}
                .with_context("parsing config")
                .with_context("loading profile 'dev'");
  CHECK(e.message() == "loading profile 'dev': parsing config: line 12: unterminated section header");
  Error api = Error{Errc::AwsApi, "ExpiredToken: token expired"}.with_api_code("ExpiredToken");
  CHECK(api.api_code() == "ExpiredToken");
  CHECK(errc_name(Errc::TooLarge) == "too-large");
  CHECK(errc_name(Errc::AuthFailed) == "auth-failed");
}

}  // namespace av
