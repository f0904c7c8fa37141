// Go strconv.ParseBool compatibility (spec §1.1).
#include <catch2/catch.hpp>

#include <string>

#include "cli/args/parse_bool.h"

TEST_CASE("parse_go_bool: accepts exactly Go's spellings", "[cli][vector]") {
  for (const char* t : {"1", "t", "T", "TRUE", "true", "True"}) {
    auto r = av::cli::args::parse_go_bool(t);
    REQUIRE(r);
    CHECK(*r);
  }
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"}) {
    auto r = av::cli::args::parse_go_bool(f);
    REQUIRE(r);
    CHECK_FALSE(*r);
  }
}

TEST_CASE("parse_go_bool: other values fail with Go's message", "[cli][error]") {
  const std::string bad = GENERATE("yes", "tRUE", "", " true", "2", "on");
  auto r = av::cli::args::parse_go_bool(bad);
  REQUIRE_FALSE(r);
  CHECK(r.error().code() == av::Errc::Usage);
  CHECK(r.error().message() == "strconv.ParseBool: parsing \"" + bad + "\": invalid syntax");
  auto esc = av::cli::args::parse_go_bool("\x1b[2J");
  REQUIRE_FALSE(esc);
  CHECK(esc.error().message() == "strconv.ParseBool: parsing \"\\x1b[2J\": invalid syntax");
}
