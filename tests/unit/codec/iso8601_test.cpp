#include "codec/iso8601.h"

#include <catch2/catch.hpp>

#include "support/mutation.h"
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace av::codec {
namespace {

namespace chr = std::chrono;

// load_timestamp_vectors reads (input, expected) rows of tests/vectors/iso8601/parse.txt.
std::vector<std::pair<std::string, std::string>> load_timestamp_vectors() {
  const char* root = std::getenv("AV_TEST_VECTORS");
  REQUIRE(root != nullptr);
  std::ifstream in(std::string(root) + "/iso8601/parse.txt");
  REQUIRE(in.good());
  std::vector<std::pair<std::string, std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    rows.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  return rows;
}

std::string describe(const Rfc3339Timestamp& t) {
  return "utc=" + format_rfc3339_utc(t.instant) + " nano=" + format_rfc3339_nano(t.instant) +
         " offset=" + std::to_string(t.offset.count());
}

SysNanoseconds at_ns(std::int64_t ns) { return SysNanoseconds{chr::nanoseconds{ns}}; }

void check_round_trip(const SysNanoseconds t, chr::minutes offset) {
  const std::string nano = format_rfc3339_nano(t, offset);
  CAPTURE(nano);
  const auto back = parse_rfc3339_with_offset(nano);
  REQUIRE(back);
  CHECK(back->instant == t);
  CHECK(back->offset == offset);
  // Whole seconds truncate towards the past, which for the earliest instant leaves the range.
  if (t < SysNanoseconds::min() + chr::seconds{1}) return;
  const auto seconds = parse_rfc3339(format_rfc3339(t, offset));
  REQUIRE(seconds);
  CHECK(*seconds == chr::floor<chr::seconds>(t));
}

}  // namespace

TEST_CASE("iso8601: parse vectors", "[codec][vector]") {
  const auto rows = load_timestamp_vectors();
  REQUIRE(rows.size() > 50);
  for (const auto& [input, expected] : rows) {
    CAPTURE(input, expected);
    const auto got = parse_rfc3339_with_offset(input);
    if (expected.rfind("error: ", 0) == 0) {
      REQUIRE_FALSE(got);
      CHECK(errc_name(got.error().code()) == expected.substr(7));
    } else {
      REQUIRE(got);
      CHECK(describe(*got) == expected);
    }
  }
}

TEST_CASE("iso8601: spec conversions to RFC3339-UTC", "[codec][vector]") {
  CHECK(format_rfc3339_utc(*parse_rfc3339("2009-02-04T21:00:57-08:00")) == "2009-02-05T05:00:57Z");
  CHECK(format_rfc3339_utc(*parse_rfc3339("2020-09-10T18:16:52+02:00")) == "2020-09-10T16:16:52Z");
  CHECK(format_rfc3339_utc(chr::sys_seconds{chr::seconds{1'700'000'000}}) ==
        "2023-11-14T22:13:20Z");
}

TEST_CASE("iso8601: formatting keeps a zone offset and trims the fraction", "[codec][vector]") {
  const SysNanoseconds t = *parse_rfc3339("2024-05-01T12:00:00.120Z");
  CHECK(format_rfc3339_nano(t, chr::hours{10}) == "2024-05-01T22:00:00.12+10:00");
  CHECK(format_rfc3339(t, chr::hours{10}) == "2024-05-01T22:00:00+10:00");
  CHECK(format_rfc3339_nano(t, -chr::minutes{330}) == "2024-05-01T06:30:00.12-05:30");
  CHECK(format_rfc3339_nano(t) == "2024-05-01T12:00:00.12Z");
  CHECK(format_rfc3339_utc(at_ns(-1)) == "1969-12-31T23:59:59Z");
  CHECK(format_rfc3339_nano(at_ns(-1)) == "1969-12-31T23:59:59.999999999Z");
}

TEST_CASE("iso8601: malformed text is Errc::Parse", "[codec][error]") {
  CHECK(parse_rfc3339("2024-01-01T00:00:00").error().code() == Errc::Parse);
  CHECK(parse_rfc3339("2024-02-30T00:00:00Z").error().code() == Errc::Parse);
  CHECK(parse_rfc3339("2024-01-01T00:00:60Z").error().code() == Errc::Parse);
  CHECK(parse_rfc3339("").error().code() == Errc::Parse);
}

TEST_CASE("iso8601: input over kMaxTimestampChars is TooLarge", "[codec][error]") {
  const std::string over = "2024-01-01T00:00:00." + std::string(60, '0') + "Z";
  CHECK(parse_rfc3339(over).error().code() == Errc::TooLarge);
}

TEST_CASE("iso8601: instants outside int64 nanoseconds are Unsupported", "[codec][error]") {
  CHECK(parse_rfc3339("2262-04-12T00:00:00Z").error().code() == Errc::Unsupported);
  CHECK(parse_rfc3339("1677-09-20T00:00:00Z").error().code() == Errc::Unsupported);
  // The offset is applied before the range check: this is 2262-04-11T22:59:59Z, in range.
  CHECK(parse_rfc3339("2262-04-11T23:59:59+01:00"));
}

TEST_CASE("iso8601: truncated and bit-flipped timestamps never crash and round-trip",
          "[codec][mutation]") {
  for (const auto& [input, expected] : load_timestamp_vectors()) {
    if (expected.rfind("error: ", 0) == 0) continue;
    CAPTURE(input);
    auto check_one = [](const std::string& text) {
      const auto parsed = parse_rfc3339_with_offset(text);
      if (parsed) check_round_trip(parsed->instant, parsed->offset);
    };
    testing::for_each_mutation(input, check_one);
  }
}

TEST_CASE("iso8601: format_rfc3339_nano then parse gives the same instant", "[codec][roundtrip]") {
  std::vector<std::int64_t> values = {0, 1, -1, 999'999'999, -1'000'000'000, INT64_MAX, INT64_MIN};
  std::uint64_t state = 0x243F6A8885A308D3ULL;
  for (int i = 0; i < 3000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    values.push_back(static_cast<std::int64_t>(state));
  }
  const chr::minutes offsets[] = {chr::minutes{0},    chr::minutes{600},   chr::minutes{-480},
                                  chr::minutes{1439}, chr::minutes{-1439}, chr::minutes{330}};
  for (const std::int64_t v : values) {
    for (const chr::minutes offset : offsets) check_round_trip(at_ns(v), offset);
  }
}

}  // namespace av::codec
