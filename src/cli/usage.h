// usage.h: usage text rendered from the command table (spec §1.3, kingpin's default template).
// Byte-exactness with kingpin is not a goal; flag names and order, help strings, `($ENV)`
// annotations, `--[no-]bool` and placeholders are.
#pragma once

#include <string>

#include "cli/args/spec.h"
#include "cli/context.h"

namespace av::cli {

// usage_width is the wrap width: COLUMNS when it is a positive number, else the width of the
// terminal on stderr, else 80. Never below 40.
int usage_width(const Context& ctx);

// render_usage returns the usage text for the app (`command` == nullptr) or for one command:
// usage line, description, Flags (global then the command's; hidden omitted), Args (command) or
// Commands (app).
std::string render_usage(const args::AppSpec& app, const args::CommandSpec* command, int width);

// render_long_help returns the app usage followed by every non-hidden command's usage
// (--help-long / --help-man, printed on stdout).
std::string render_long_help(const args::AppSpec& app, int width);

// wrap_text breaks `text` into lines of at most `width` columns at spaces (a longer word gets its
// own line). Lines are returned without newlines; an empty text gives one empty line.
std::vector<std::string> wrap_text(std::string_view text, std::size_t width);

}  // namespace av::cli
