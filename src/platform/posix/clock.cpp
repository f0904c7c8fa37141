// clock.cpp: the real clock and Go-logger timestamps in local time.
#include "platform/clock.h"

#include <array>
#include <charconv>
#include <ctime>

namespace av::platform {
namespace {

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }
};

// append_padded appends `value` in decimal, zero-padded to `width` digits.
void append_padded(std::string& out, int value, int width) {
  std::array<char, 16> digits{};
  auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), value);
  auto len = static_cast<int>(end - digits.data());
  if (ec != std::errc()) len = 0;
  for (int i = len; i < width; ++i) out.push_back('0');
  out.append(digits.data(), static_cast<std::size_t>(len));
}

}  // namespace

const Clock& system_clock() noexcept {
  static const SystemClock clock;
  return clock;
}

std::string format_log_timestamp(std::chrono::system_clock::time_point t) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  struct tm local {};
  if (::localtime_r(&seconds, &local) == nullptr) return "0000/00/00 00:00:00";
  std::string out;
  out.reserve(19);
  append_padded(out, local.tm_year + 1900, 4);
  out.push_back('/');
  append_padded(out, local.tm_mon + 1, 2);
  out.push_back('/');
  append_padded(out, local.tm_mday, 2);
  out.push_back(' ');
  append_padded(out, local.tm_hour, 2);
  out.push_back(':');
  append_padded(out, local.tm_min, 2);
  out.push_back(':');
  append_padded(out, local.tm_sec, 2);
  return out;
}

}  // namespace av::platform
