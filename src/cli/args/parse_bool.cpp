// parse_bool.cpp: Go strconv.ParseBool, byte for byte (including its error text).
#include "cli/args/parse_bool.h"

#include <array>
#include <string>

#include "base/ascii.h"

namespace av::cli::args {

Result<bool> parse_go_bool(std::string_view text) {
  static constexpr std::array<std::string_view, 6> kTrue = {"1", "t", "T", "TRUE", "true", "True"};
  static constexpr std::array<std::string_view, 6> kFalse = {"0",     "f",     "F",
                                                             "FALSE", "false", "False"};
  for (std::string_view t : kTrue) {
    if (text == t) return true;
  }
  for (std::string_view f : kFalse) {
    if (text == f) return false;
  }
  return Error(Errc::Usage,
               "strconv.ParseBool: parsing " + ascii::quote_for_terminal(text) + ": invalid syntax");
}

}  // namespace av::cli::args
