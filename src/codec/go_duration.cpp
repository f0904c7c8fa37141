// go_duration.cpp: Go's time.ParseDuration and Duration.String(), reimplemented from their
// documented behaviour (including the exact float64 rounding of fractional units and the
// overflow bounds, which observable results depend on).
#include "codec/go_duration.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/limits.h"

namespace av::codec {
namespace {

constexpr std::uint64_t kTwoTo63 = std::uint64_t{1} << 63U;
constexpr std::uint64_t kNanosPerSecond = 1'000'000'000;
constexpr std::uint64_t kNanosPerHour = 3600 * kNanosPerSecond;

constexpr char kLowerHex[] = "0123456789abcdef";

// go_time_quote is the `quote` helper of Go's time package: printable ASCII kept (with \" and
// \\ escaped), every other byte of a control or non-ASCII character as \xNN. The one deviation:
// DEL (0x7f), which Go passes through raw, is written \x7f so the text is terminal-safe.
std::string go_time_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<std::uint8_t>(c);
    if (byte < 0x20U || byte >= 0x7FU) {
      out += "\\x";
      out += kLowerHex[byte >> 4U];
      out += kLowerHex[byte & 0x0FU];
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

Error invalid_duration(std::string_view orig) {
  return Error(Errc::Parse, "time: invalid duration " + go_time_quote(orig));
}

bool is_digit_or_dot(char c) { return c == '.' || (c >= '0' && c <= '9'); }

// unit_nanos maps a unit to its length in nanoseconds; nullopt for an unknown unit.
std::optional<std::uint64_t> unit_nanos(std::string_view unit, DurationUnits units) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\u00b5s" || unit == "\u03bcs") return 1'000;
  if (unit == "ms") return 1'000'000;
  if (unit == "s") return kNanosPerSecond;
  if (unit == "m") return 60 * kNanosPerSecond;
  if (unit == "h") return kNanosPerHour;
  if (units == DurationUnits::GoWithDaysWeeks) {
    if (unit == "d") return 24 * kNanosPerHour;
    if (unit == "w") return 168 * kNanosPerHour;
  }
  return std::nullopt;
}

// read_leading_int consumes [0-9]* as Go's leadingInt: nullopt once the value exceeds 2^63.
std::optional<std::uint64_t> read_leading_int(std::string_view& s) {
  std::uint64_t x = 0;
  std::size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (x > kTwoTo63 / 10) return std::nullopt;
    x = x * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (x > kTwoTo63) return std::nullopt;
  }
  s.remove_prefix(i);
  return x;
}

struct Fraction {
  std::uint64_t digits = 0;  // the digits read, as an integer
  double scale = 1;          // 10^(number of digits kept)
};

// read_leading_fraction consumes [0-9]* as Go's leadingFraction: digits beyond what fits are
// consumed but ignored (precision stops accumulating; never an error).
Fraction read_leading_fraction(std::string_view& s) {
  Fraction f;
  bool overflow = false;
  std::size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (overflow) continue;
    if (f.digits > (kTwoTo63 - 1) / 10) {
      overflow = true;
      continue;
    }
    const std::uint64_t y = f.digits * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (y > kTwoTo63) {
      overflow = true;
      continue;
    }
    f.digits = y;
    f.scale *= 10;
  }
  s.remove_prefix(i);
  return f;
}

// parse_pair consumes one <number><unit> pair from `s` and returns its nanoseconds (<= 2^63).
// It mirrors Go's loop body step by step so that the error precedence stays identical.
Result<std::uint64_t> parse_pair(std::string_view& s, std::string_view orig, DurationUnits units) {
  if (!is_digit_or_dot(s.front())) return invalid_duration(orig);
  const std::size_t before_int = s.size();
  const std::optional<std::uint64_t> whole = read_leading_int(s);
  if (!whole) return invalid_duration(orig);
  const bool pre = before_int != s.size();
  bool post = false;
  Fraction frac;
  if (!s.empty() && s.front() == '.') {
    s.remove_prefix(1);
    const std::size_t before_frac = s.size();
    frac = read_leading_fraction(s);
    post = before_frac != s.size();
  }
  if (!pre && !post) return invalid_duration(orig);
  std::size_t unit_len = 0;
  while (unit_len < s.size() && !is_digit_or_dot(s[unit_len])) ++unit_len;
  if (unit_len == 0)
    return Error(Errc::Parse, "time: missing unit in duration " + go_time_quote(orig));
  const std::string_view unit = s.substr(0, unit_len);
  s.remove_prefix(unit_len);
  const std::optional<std::uint64_t> unit_ns = unit_nanos(unit, units);
  if (!unit_ns) {
    return Error(Errc::Parse, "time: unknown unit " + go_time_quote(unit) + " in duration " +
                                  go_time_quote(orig));
  }
  if (*whole > kTwoTo63 / *unit_ns) return invalid_duration(orig);
  std::uint64_t v = *whole * *unit_ns;
  if (frac.digits > 0) {
    // Go computes the fraction in float64 (exact enough for nanoseconds of an hour); the result
    // is below one unit, so it fits, and the truncating conversion matches Go's uint64(...).
    const double part =
        static_cast<double>(frac.digits) * (static_cast<double>(*unit_ns) / frac.scale);
    v += static_cast<std::uint64_t>(part);
    if (v > kTwoTo63) return invalid_duration(orig);
  }
  return v;
}

// append_frac writes v % 10^prec as ".ddd" without trailing zeros (nothing when zero) and
// returns v / 10^prec, as Go's fmtFrac. `out` is built in reverse.
std::uint64_t append_frac_reversed(std::string& out, std::uint64_t v, int prec) {
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    const auto digit = static_cast<char>('0' + v % 10);
    print = print || digit != '0';
    if (print) out += digit;
    v /= 10;
  }
  if (print) out += '.';
  return v;
}

void append_int_reversed(std::string& out, std::uint64_t v) {
  do {
    out += static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0);
}

}  // namespace

Result<std::chrono::nanoseconds> parse_go_duration(std::string_view text, DurationUnits units) {
  if (text.size() > limits::kMaxDurationChars) {
    return Error(Errc::TooLarge, "duration longer than " +
                                     std::to_string(limits::kMaxDurationChars) + " characters");
  }
  const std::string_view orig = text;
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    neg = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::chrono::nanoseconds{0};
  if (s.empty()) return invalid_duration(orig);
  std::uint64_t total = 0;
  while (!s.empty()) {
    AV_TRY_ASSIGN(const std::uint64_t v, parse_pair(s, orig, units));
    total += v;  // both <= 2^63, so no uint64 wrap
    if (total > kTwoTo63) return invalid_duration(orig);
  }
  if (neg) {
    // -2^63 is representable; 0 - total in uint64 then reinterpreted as two's complement.
    return std::chrono::nanoseconds{static_cast<std::int64_t>(0 - total)};
  }
  if (total > kTwoTo63 - 1) return invalid_duration(orig);
  return std::chrono::nanoseconds{static_cast<std::int64_t>(total)};
}

std::string format_go_duration(std::chrono::nanoseconds d) {
  const std::int64_t count = d.count();
  const bool neg = count < 0;
  std::uint64_t u = static_cast<std::uint64_t>(count);
  if (neg) u = 0 - u;
  std::string out;  // reversed
  if (u < kNanosPerSecond) {
    if (u == 0) return "0s";
    int prec = 0;
    if (u < 1'000) {
      out = "sn";
    } else if (u < 1'000'000) {
      out = "s\xb5\xc2";  // "µs" reversed byte-wise (U+00B5 is 0xC2 0xB5)
      prec = 3;
    } else {
      out = "sm";
      prec = 6;
    }
    u = append_frac_reversed(out, u, prec);
    append_int_reversed(out, u);
  } else {
    out = "s";
    u = append_frac_reversed(out, u, 9);
    append_int_reversed(out, u % 60);
    u /= 60;
    if (u > 0) {
      out += 'm';
      append_int_reversed(out, u % 60);
      u /= 60;
      if (u > 0) {
        out += 'h';
        append_int_reversed(out, u);
      }
    }
  }
  if (neg) out += '-';
  return {out.rbegin(), out.rend()};
}

}  // namespace av::codec
