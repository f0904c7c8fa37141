#include "platform/process_hardening.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <string>

#include "platform/process.h"

namespace av::platform {

TEST_CASE("harden_process: no core dumps and not dumpable; children get the limit back",
          "[platform][integration]") {
  // Give ourselves a known, non-zero soft limit first (ASan may have set it to 0).
  struct rlimit before {};
  REQUIRE(::getrlimit(RLIMIT_CORE, &before) == 0);
  rlim_t wanted = before.rlim_max == RLIM_INFINITY ? 4096 * 1024 : before.rlim_max;
  if (wanted == 0) {
    WARN("hard RLIMIT_CORE is 0: cannot observe the restore");
    return;
  }
  struct rlimit known {wanted, before.rlim_max};
  REQUIRE(::setrlimit(RLIMIT_CORE, &known) == 0);

  REQUIRE(harden_process(HardeningMode::Required));
  struct rlimit after {};
  REQUIRE(::getrlimit(RLIMIT_CORE, &after) == 0);
  CHECK(after.rlim_cur == 0);
  CHECK(after.rlim_max == before.rlim_max);
  CHECK(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);
  REQUIRE(harden_process(HardeningMode::BestEffort));  // idempotent

  auto env = Environment::from_pairs({{"PATH", "/usr/bin:/bin"}});
  auto child = capture_output({"sh", "-c", "grep 'core file' /proc/self/limits"}, env);
  REQUIRE(child.has_value());
  CAPTURE(child->reveal());
  CHECK(child->reveal().find(" " + std::to_string(wanted) + " ") != std::string_view::npos);
}

}  // namespace av::platform
