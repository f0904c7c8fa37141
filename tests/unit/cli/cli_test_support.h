// cli_test_support.h: what the cli test files share: a clock fixed at 2023-11-14T22:13:20Z
// (Unix 1,700,000,000) and an executable lookup that finds nothing.
#pragma once

#include <chrono>
#include <string_view>

#include "platform/clock.h"

namespace av::cli::testing {

class FixedClock final : public av::platform::Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  }
};

inline bool no_executables(std::string_view) { return false; }

}  // namespace av::cli::testing
