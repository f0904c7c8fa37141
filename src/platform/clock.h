// clock.h: wall-clock time for the parts of the program that need it (logs, expiry checks),
// behind an interface so pure logic can be tested with a fake clock.
#pragma once

#include <chrono>
#include <string>

namespace av::platform {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
};

// system_clock returns the real clock (a process-wide instance).
const Clock& system_clock() noexcept;

// format_log_timestamp renders `t` in local time as Go's default logger does:
// "YYYY/MM/DD HH:MM:SS" (spec §1.4).
std::string format_log_timestamp(std::chrono::system_clock::time_point t);

}  // namespace av::platform
