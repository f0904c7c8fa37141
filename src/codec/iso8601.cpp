// iso8601.cpp: RFC 3339 parsing and Go-layout formatting on std::chrono calendar types.
#include "codec/iso8601.h"

#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/check.h"
#include "base/checked_math.h"
#include "base/limits.h"

namespace av::codec {
namespace {

namespace chr = std::chrono;

constexpr std::size_t kDateTimeLen = 19;  // "2006-01-02T15:04:05"
constexpr std::size_t kMaxFractionDigits = 9;
constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

// read_fixed parses text[pos, pos+len) as exactly `len` decimal digits within [min, max].
std::optional<int> read_fixed(std::string_view text, std::size_t pos, std::size_t len, int min,
                              int max) {
  int value = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

Error bad_timestamp(std::string_view why) {
  return Error(Errc::Parse, "invalid RFC 3339 timestamp: " + std::string(why));
}

struct Civil {
  chr::year_month_day date;
  chr::seconds time_of_day{0};
};

// parse_date_time reads the fixed "YYYY-MM-DDThh:mm:ss" prefix of `text` (>= 19 characters).
Result<Civil> parse_date_time(std::string_view text) {
  if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':') {
    return bad_timestamp("expected YYYY-MM-DDThh:mm:ss");
  }
  const std::optional<int> year = read_fixed(text, 0, 4, 0, 9999);
  const std::optional<int> month = read_fixed(text, 5, 2, 1, 12);
  if (!year || !month) return bad_timestamp("year or month out of range");
  const chr::year_month_day_last last{
      chr::year{*year}, chr::month_day_last{chr::month{static_cast<unsigned>(*month)}}};
  const std::optional<int> day =
      read_fixed(text, 8, 2, 1, static_cast<int>(static_cast<unsigned>(last.day())));
  if (!day) return bad_timestamp("day out of range");
  const std::optional<int> hour = read_fixed(text, 11, 2, 0, 23);
  const std::optional<int> minute = read_fixed(text, 14, 2, 0, 59);
  const std::optional<int> second = read_fixed(text, 17, 2, 0, 59);
  if (!hour || !minute || !second) return bad_timestamp("time of day out of range");
  Civil civil{chr::year{*year} / chr::month{static_cast<unsigned>(*month)} /
                  chr::day{static_cast<unsigned>(*day)},
              chr::hours{*hour} + chr::minutes{*minute} + chr::seconds{*second}};
  return civil;
}

// parse_fraction consumes an optional ".d{1,9}" from the front of `rest` and returns nanoseconds.
Result<std::int64_t> parse_fraction(std::string_view& rest) {
  if (rest.empty() || rest.front() != '.') return std::int64_t{0};
  std::size_t n = 1;
  while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
  const std::size_t num_digits = n - 1;
  if (num_digits == 0) return bad_timestamp("no digits after '.'");
  if (num_digits > kMaxFractionDigits) return bad_timestamp("more than 9 fraction digits");
  std::int64_t nanos = 0;
  for (std::size_t i = 1; i <= kMaxFractionDigits; ++i) {
    nanos = nanos * 10 + (i < n ? rest[i] - '0' : 0);
  }
  rest.remove_prefix(n);
  return nanos;
}

// parse_offset reads the whole remaining zone designator: "Z" or ±hh:mm.
Result<chr::minutes> parse_offset(std::string_view rest) {
  if (rest == "Z") return chr::minutes{0};
  if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':') {
    return bad_timestamp("expected 'Z' or a ±hh:mm offset at the end");
  }
  const std::optional<int> hours = read_fixed(rest, 1, 2, 0, 23);
  const std::optional<int> minutes = read_fixed(rest, 4, 2, 0, 59);
  if (!hours || !minutes) return bad_timestamp("offset out of range");
  const chr::minutes offset{*hours * 60 + *minutes};
  return rest[0] == '-' ? -offset : offset;
}

void append_padded(std::string& out, std::int64_t value, std::size_t width) {
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + value % 10));
    value /= 10;
  } while (value > 0);
  if (digits.size() < width) out.append(width - digits.size(), '0');
  out += digits;
}

// append_offset writes Go's "Z07:00": 'Z' for UTC, else the sign, hours and minutes.
void append_offset(std::string& out, chr::minutes offset) {
  if (offset == chr::minutes{0}) {
    out += 'Z';
    return;
  }
  out += offset < chr::minutes{0} ? '-' : '+';
  const std::int64_t abs_minutes = offset < chr::minutes{0} ? -offset.count() : offset.count();
  append_padded(out, abs_minutes / 60, 2);
  out += ':';
  append_padded(out, abs_minutes % 60, 2);
}

// format_go renders `t` in zone `offset`, with the fraction (trailing zeros trimmed) if `nano`.
std::string format_go(SysNanoseconds t, chr::minutes offset, bool nano) {
  AV_CHECK(offset > -chr::hours{24} && offset < chr::hours{24});
  // Split into whole seconds and a non-negative fraction without converting seconds back to
  // nanoseconds, which overflows for the earliest representable instants.
  std::int64_t whole = t.time_since_epoch().count() / kNanosPerSecond;
  std::int64_t fraction = t.time_since_epoch().count() % kNanosPerSecond;
  if (fraction < 0) {
    fraction += kNanosPerSecond;
    --whole;
  }
  const chr::sys_seconds local{chr::seconds{whole} + offset};
  const auto day = chr::floor<chr::days>(local);
  const chr::year_month_day ymd{day};
  const chr::hh_mm_ss<chr::seconds> tod{local - day};
  std::string out;
  append_padded(out, static_cast<int>(ymd.year()), 4);
  out += '-';
  append_padded(out, static_cast<unsigned>(ymd.month()), 2);
  out += '-';
  append_padded(out, static_cast<unsigned>(ymd.day()), 2);
  out += 'T';
  append_padded(out, tod.hours().count(), 2);
  out += ':';
  append_padded(out, tod.minutes().count(), 2);
  out += ':';
  append_padded(out, tod.seconds().count(), 2);
  if (nano && fraction != 0) {
    std::string frac;
    append_padded(frac, fraction, kMaxFractionDigits);
    while (frac.back() == '0') frac.pop_back();
    out += '.';
    out += frac;
  }
  append_offset(out, offset);
  return out;
}

}  // namespace

Result<Rfc3339Timestamp> parse_rfc3339_with_offset(std::string_view text) {
  if (text.size() > limits::kMaxTimestampChars) {
    return Error(Errc::TooLarge, "timestamp longer than " +
                                     std::to_string(limits::kMaxTimestampChars) + " characters");
  }
  if (text.size() <= kDateTimeLen) return bad_timestamp("too short");
  AV_TRY_ASSIGN(const Civil civil, parse_date_time(text));
  std::string_view rest = text.substr(kDateTimeLen);
  AV_TRY_ASSIGN(const std::int64_t nanos, parse_fraction(rest));
  AV_TRY_ASSIGN(const chr::minutes offset, parse_offset(rest));
  // Years 0-9999 and offsets under a day keep the seconds far inside int64.
  const chr::seconds utc_seconds =
      chr::sys_days{civil.date}.time_since_epoch() + civil.time_of_day - offset;
  // Before 1970 borrow one second, so that the earliest instant (whose whole seconds alone
  // would overflow) is still computed without overflow.
  const bool borrow = utc_seconds.count() < 0 && nanos > 0;
  const std::int64_t secs = utc_seconds.count() + (borrow ? 1 : 0);
  const std::optional<std::int64_t> scaled = checked_mul(secs, kNanosPerSecond);
  const std::optional<std::int64_t> total =
      scaled ? checked_add(*scaled, borrow ? nanos - kNanosPerSecond : nanos) : std::nullopt;
  if (!total)
    return Error(Errc::Unsupported, "timestamp outside the representable range (1677 to 2262)");
  return Rfc3339Timestamp{SysNanoseconds{chr::nanoseconds{*total}}, offset};
}

Result<SysNanoseconds> parse_rfc3339(std::string_view text) {
  AV_TRY_ASSIGN(const Rfc3339Timestamp stamp, parse_rfc3339_with_offset(text));
  return stamp.instant;
}

std::string format_rfc3339_utc(SysNanoseconds t) { return format_go(t, chr::minutes{0}, false); }

std::string format_rfc3339(SysNanoseconds t, chr::minutes offset) {
  return format_go(t, offset, false);
}

std::string format_rfc3339_nano(SysNanoseconds t, chr::minutes offset) {
  return format_go(t, offset, true);
}

}  // namespace av::codec
