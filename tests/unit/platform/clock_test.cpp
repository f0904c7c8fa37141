#include "platform/clock.h"

#include <stdlib.h>
#include <time.h>

#include <catch2/catch.hpp>

namespace av::platform {

TEST_CASE("format_log_timestamp: Go logger layout in local time", "[platform][vector]") {
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  // 2020-01-02T03:04:05Z
  auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1577934245));
  CHECK(format_log_timestamp(t) == "2020/01/02 03:04:05");
  ::setenv("TZ", "UTC-2", 1);  // POSIX TZ: two hours east of UTC
  ::tzset();
  CHECK(format_log_timestamp(t) == "2020/01/02 05:04:05");
  ::unsetenv("TZ");
  ::tzset();
}

TEST_CASE("system_clock: tracks the real time", "[platform][vector]") {
  auto before = std::chrono::system_clock::now();
  auto now = system_clock().now();
  CHECK(now >= before);
  CHECK(&system_clock() == &system_clock());
}

}  // namespace av::platform
