// report.cpp: spec §1.2 error shapes.
#include "cli/report.h"

#include <array>

namespace av::cli {

ErrorShape shape_for_command_error(const Error& error) noexcept {
  return error.code() == Errc::Usage ? ErrorShape::Usage : ErrorShape::Command;
}

std::string neutralize_controls(std::string_view text) {
  static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7f) {
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0x0f];
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_error(std::string_view program_name, ErrorShape shape,
                         std::string_view command, const Error& error) {
  std::string line;
  if (shape == ErrorShape::Command) {
    line = "aws-vault: error: ";
    line += command;
    line += ": ";
    line += error.message();
  } else {
    line = program_name;
    line += ": error: ";
    line += error.message();
    if (shape == ErrorShape::Usage) line += ", try --help";
  }
  return neutralize_controls(line) + "\n";
}

int report_error(const Context& ctx, ErrorShape shape, std::string_view command,
                 const Error& error) {
  (void)ctx.err.write(format_error(ctx.program_name, shape, command, error));
  return kExitFailure;
}

}  // namespace av::cli
