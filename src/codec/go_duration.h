// go_duration.h: Go time.Duration text (spec §1.1 and the "Go duration format" convention).
//
// parse_go_duration follows Go's time.ParseDuration: an optional sign, then one or more
// <decimal number><unit> pairs, units ns us µs ms s m h; "0" alone is allowed. With
// DurationUnits::GoWithDaysWeeks, `d` (24h) and `w` (7d) are accepted too, as aws-vault's duration
// flags (--duration, --op-timeout, AWS_VAULT_DURATION) do; the AWS_*_TTL variables use plain Go.
// Error messages reproduce Go's text, which upstream prints verbatim:
//   time: invalid duration "x"             (Errc::Parse)
//   time: missing unit in duration "3600"  (Errc::Parse)
//   time: unknown unit "x" in duration "1x" (Errc::Parse)
// Overflow of int64 nanoseconds is `time: invalid duration "..."` (Errc::Parse), as in Go.
// Input longer than limits::kMaxDurationChars is Errc::TooLarge.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace av::codec {

enum class DurationUnits : std::uint8_t { Go, GoWithDaysWeeks };

[[nodiscard]] Result<std::chrono::nanoseconds> parse_go_duration(std::string_view text,
                                                                 DurationUnits units);

// format_go_duration renders `d` exactly as Go's Duration.String(): "0s", "45s", "1m0s",
// "1h0m0s", "-1m5s", "1.5s", "300ms", "1µs", "12h0m0s".
std::string format_go_duration(std::chrono::nanoseconds d);

}  // namespace av::codec
