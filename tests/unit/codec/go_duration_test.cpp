#include "codec/go_duration.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

namespace av::codec {
namespace {

using std::chrono::nanoseconds;

// load_duration_vectors reads tab-separated rows of tests/vectors/go_duration/<name>.
std::vector<std::vector<std::string>> load_duration_vectors(const std::string& name) {
  const char* root = std::getenv("AV_TEST_VECTORS");
  REQUIRE(root != nullptr);
  std::ifstream in(std::string(root) + "/go_duration/" + name);
  REQUIRE(in.good());
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t tab = line.find('\t'); tab != std::string::npos;
         tab = line.find('\t', start)) {
      fields.push_back(line.substr(start, tab - start));
      start = tab + 1;
    }
    fields.push_back(line.substr(start));
    rows.push_back(fields);
  }
  return rows;
}

DurationUnits units_named(const std::string& name) {
  return name == "dw" ? DurationUnits::GoWithDaysWeeks : DurationUnits::Go;
}

std::int64_t parse_i64(const std::string& text) {
  std::int64_t value = 0;
  const bool neg = !text.empty() && text[0] == '-';
  for (std::size_t i = neg ? 1 : 0; i < text.size(); ++i) {
    // Accumulate negatively so that INT64_MIN is representable.
    value = value * 10 - (text[i] - '0');
  }
  return neg ? value : -value;
}

void check_reparses(const Result<nanoseconds>& parsed) {
  if (!parsed) return;
  const std::string text = format_go_duration(*parsed);
  const auto again = parse_go_duration(text, DurationUnits::Go);
  REQUIRE(again);
  CHECK(*again == *parsed);
}

}  // namespace

TEST_CASE("go_duration: parse vectors match Go's time.ParseDuration", "[codec][vector]") {
  const auto rows = load_duration_vectors("parse.txt");
  REQUIRE(rows.size() > 100);
  for (const auto& row : rows) {
    REQUIRE(row.size() == 3);
    CAPTURE(row[0], row[1], row[2]);
    const auto got = parse_go_duration(row[1], units_named(row[0]));
    if (row[2].rfind("error: ", 0) == 0) {
      REQUIRE_FALSE(got);
      CHECK(got.error().code() == Errc::Parse);
      CHECK(got.error().message() == row[2].substr(7));
    } else {
      REQUIRE(got);
      CHECK(got->count() == parse_i64(row[2]));
    }
  }
}

TEST_CASE("go_duration: format vectors match Go's Duration.String", "[codec][vector]") {
  const auto rows = load_duration_vectors("format.txt");
  REQUIRE(rows.size() > 30);
  for (const auto& row : rows) {
    REQUIRE(row.size() == 2);
    CAPTURE(row[0], row[1]);
    CHECK(format_go_duration(nanoseconds{parse_i64(row[0])}) == row[1]);
  }
}

TEST_CASE("go_duration: spec examples", "[codec][vector]") {
  CHECK(format_go_duration(std::chrono::hours{1}) == "1h0m0s");
  CHECK(format_go_duration(std::chrono::seconds{45}) == "45s");
  CHECK(format_go_duration(nanoseconds::min()) == "-2562047h47m16.854775808s");
  CHECK(parse_go_duration("1d", DurationUnits::GoWithDaysWeeks)->count() == 86'400'000'000'000);
  CHECK(*parse_go_duration("1.5h", DurationUnits::Go) == std::chrono::minutes{90});
}

TEST_CASE("go_duration: invalid syntax is Errc::Parse with Go's message", "[codec][error]") {
  const auto r = parse_go_duration("x", DurationUnits::Go);
  CHECK(r.error().code() == Errc::Parse);
  CHECK(r.error().message() == "time: invalid duration \"x\"");
}

TEST_CASE("go_duration: a bare number is a missing unit", "[codec][error]") {
  const auto r = parse_go_duration("3600", DurationUnits::GoWithDaysWeeks);
  CHECK(r.error().code() == Errc::Parse);
  CHECK(r.error().message() == "time: missing unit in duration \"3600\"");
}

TEST_CASE("go_duration: an unknown unit is quoted with the input", "[codec][error]") {
  const auto r = parse_go_duration("1d", DurationUnits::Go);
  CHECK(r.error().code() == Errc::Parse);
  CHECK(r.error().message() == "time: unknown unit \"d\" in duration \"1d\"");
}

TEST_CASE("go_duration: control and non-ASCII bytes are escaped in messages", "[codec][error]") {
  const auto r = parse_go_duration("1s\x1b[2J\xef\xbf\xbd", DurationUnits::Go);
  CHECK(r.error().message() ==
        "time: unknown unit \"s\\x1b[\" in duration \"1s\\x1b[2J\\xef\\xbf\\xbd\"");
  const auto del = parse_go_duration("\x7f", DurationUnits::Go);
  CHECK(del.error().message() == "time: invalid duration \"\\x7f\"");
}

TEST_CASE("go_duration: overflow is an invalid duration", "[codec][error]") {
  const auto r = parse_go_duration("2562048h", DurationUnits::Go);
  CHECK(r.error().code() == Errc::Parse);
  CHECK(r.error().message() == "time: invalid duration \"2562048h\"");
  CHECK(parse_go_duration("9223372036854775807ns1ns", DurationUnits::Go).error().code() ==
        Errc::Parse);
  CHECK(parse_go_duration("-9223372036854775808ns1ns", DurationUnits::Go).error().code() ==
        Errc::Parse);
}

TEST_CASE("go_duration: input over kMaxDurationChars is TooLarge", "[codec][error]") {
  const std::string at_limit = std::string(63, '0') + "s";
  CHECK(parse_go_duration(at_limit, DurationUnits::Go));
  const std::string over = std::string(64, '0') + "s";
  CHECK(parse_go_duration(over, DurationUnits::Go).error().code() == Errc::TooLarge);
}

TEST_CASE("go_duration: truncated and bit-flipped inputs never crash and re-parse",
          "[codec][mutation]") {
  for (const auto& row : load_duration_vectors("parse.txt")) {
    if (row[2].rfind("error: ", 0) == 0) continue;
    const std::string& valid = row[1];
    CAPTURE(valid);
    for (std::size_t len = 0; len <= valid.size(); ++len) {
      check_reparses(parse_go_duration(valid.substr(0, len), DurationUnits::Go));
      check_reparses(parse_go_duration(valid.substr(0, len), DurationUnits::GoWithDaysWeeks));
    }
    for (std::size_t i = 0; i < valid.size(); ++i) {
      for (unsigned bit = 0; bit < 8; ++bit) {
        std::string mutated = valid;
        mutated[i] = static_cast<char>(static_cast<unsigned char>(mutated[i]) ^ (1U << bit));
        check_reparses(parse_go_duration(mutated, DurationUnits::Go));
        check_reparses(parse_go_duration(mutated, DurationUnits::GoWithDaysWeeks));
      }
    }
  }
}

TEST_CASE("go_duration: format then parse returns the same duration", "[codec][roundtrip]") {
  std::vector<std::int64_t> values = {0,
                                      1,
                                      -1,
                                      999,
                                      1000,
                                      999'999,
                                      1'000'000,
                                      999'999'999,
                                      1'000'000'000,
                                      3'600'000'000'000,
                                      std::numeric_limits<std::int64_t>::max(),
                                      std::numeric_limits<std::int64_t>::min()};
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 2000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const unsigned shift = static_cast<unsigned>(i % 64);
    values.push_back(static_cast<std::int64_t>(state >> shift));
    values.push_back(-static_cast<std::int64_t>(state >> (shift | 1U)));
  }
  for (const std::int64_t v : values) {
    const std::string text = format_go_duration(nanoseconds{v});
    CAPTURE(v, text);
    const auto parsed = parse_go_duration(text, DurationUnits::Go);
    REQUIRE(parsed);
    CHECK(parsed->count() == v);
  }
}

}  // namespace av::codec
