// iso8601.h: RFC 3339 timestamps as Go's time.Parse(time.RFC3339, ...) reads them and as Go's
// RFC3339 / RFC3339Nano layouts print them. Pure: std::chrono calendar arithmetic only, no time
// zone database, no OS calls.
//
// Accepted grammar (exactly Go's strict RFC 3339 path, which also accepts the RFC3339Nano form):
//   YYYY-MM-DD 'T' hh:mm:ss [ '.' 1*9DIGIT ] ( 'Z' / ('+' / '-') hh:mm )
// * 'T' and 'Z' must be upper-case (Go rejects 't' and 'z'); no spaces, no ',' fraction separator.
// * Every field has exactly its number of digits. Ranges: month 1-12, day 1..days in that month
//   (leap years per the Gregorian rule), hour 0-23, minute 0-59, second 0-59 (Go rejects the
//   leap second 60), offset hour 0-23 and offset minute 0-59 ("-00:00" means UTC).
// * Deliberately stricter than Go's lenient fallback parser: a one-digit hour, a ',' before the
//   fraction, more than 9 fraction digits (Go drops the extra digits) and offset hour 24 are
//   rejected. A year outside 0000-9999 cannot be written in this grammar.
// Errors: Errc::Parse for anything outside the grammar or ranges; Errc::TooLarge for input longer
// than limits::kMaxTimestampChars; Errc::Unsupported for a valid timestamp outside the range of
// int64 nanoseconds since 1970 (about 1677-09-21 to 2262-04-11 UTC).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace av::codec {

using SysNanoseconds = std::chrono::sys_time<std::chrono::nanoseconds>;

// Rfc3339Timestamp: an instant plus the UTC offset it was written with (+10:00 -> 600 minutes),
// kept so that cached JSON can be rewritten with the timestamp's own zone, as upstream does.
struct Rfc3339Timestamp {
  SysNanoseconds instant;
  std::chrono::minutes offset{0};
};

// parse_rfc3339 returns the instant `text` denotes (grammar and errors in the file comment).
[[nodiscard]] Result<SysNanoseconds> parse_rfc3339(std::string_view text);

// parse_rfc3339_with_offset is parse_rfc3339 that also returns the written offset ('Z' -> 0).
[[nodiscard]] Result<Rfc3339Timestamp> parse_rfc3339_with_offset(std::string_view text);

// format_rfc3339_utc renders `t` as `YYYY-MM-DDTHH:MM:SSZ`: converted to UTC and truncated (towards
// the past) to whole seconds. This is upstream's iso8601.Format and the spec's "RFC3339-UTC".
// A std::chrono::sys_seconds argument converts implicitly.
std::string format_rfc3339_utc(SysNanoseconds t);

// format_rfc3339 renders `t` in the zone `offset` east of UTC with Go's time.RFC3339 layout:
// whole seconds (truncated), then 'Z' for a zero offset or ±hh:mm. The offset must be less than
// 24 hours in magnitude (checked: a larger one is a bug).
std::string format_rfc3339(SysNanoseconds t, std::chrono::minutes offset = std::chrono::minutes{0});

// format_rfc3339_nano is Go's time.RFC3339Nano layout: like format_rfc3339, plus '.' and the
// fraction of the second with trailing zeros removed (no '.' at all when the fraction is zero).
// parse_rfc3339 reads the output back to the same instant.
std::string format_rfc3339_nano(SysNanoseconds t,
                                std::chrono::minutes offset = std::chrono::minutes{0});

}  // namespace av::codec
