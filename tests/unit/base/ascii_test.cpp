#include "base/ascii.h"

#include <catch2/catch.hpp>
#include <string>

namespace av::ascii {

TEST_CASE("ascii: case, trim and comparison are locale-free", "[base]") {
  CHECK(lower("Mfa_Serial") == "mfa_serial");
  CHECK(upper("abc-1") == "ABC-1");
  CHECK(iequals("Role_Arn", "role_arn"));
  CHECK_FALSE(iequals("role", "roles"));
  CHECK(trim(" \t x y \r\n") == "x y");
  CHECK(trim("   ").empty());
  CHECK(is_space('\v'));
  CHECK_FALSE(is_space('\0'));
}

TEST_CASE("quote_for_terminal: Go %q escaping of untrusted text", "[base][vector]") {
  // Expected strings follow Go's strconv.Quote for the same input (spec §2.0).
  CHECK(quote_for_terminal("foo") == "\"foo\"");
  CHECK(quote_for_terminal("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(quote_for_terminal("tab\there\n") == "\"tab\\there\\n\"");
  CHECK(quote_for_terminal("\x1b[31mred") == "\"\\x1b[31mred\"");
  CHECK(quote_for_terminal("\x7f") == "\"\\x7f\"");
  CHECK(quote_for_terminal("caf\xc3\xa9") == "\"caf\xc3\xa9\"");     // printable UTF-8 kept
  CHECK(quote_for_terminal("bad\xff") == "\"bad\\xff\"");            // invalid byte
  CHECK(quote_for_terminal("\xc0\xaf") == "\"\\xc0\\xaf\"");         // over-long '/'
  CHECK(quote_for_terminal("\xe2\x80\xae") == "\"\\u202e\"");        // right-to-left override
  CHECK(quote_for_terminal("\xc2\x85") == "\"\\u0085\"");            // C1 next-line
  CHECK(quote_for_terminal(std::string_view("\0", 1)) == "\"\\x00\"");
}

}  // namespace av::ascii
