// report.h: the one place where an Error becomes text and an exit code (STYLE.md rule 13,
// spec §1.2). Both shapes go to stderr and exit 1:
//   shape 1 (Command):     aws-vault: error: <command>: <message>
//   shape 2 (Usage):       <basename(argv[0])>: error: <message>, try --help
//   shape 2 (UsageNoHint): <basename(argv[0])>: error: <message>
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"
#include "cli/context.h"

namespace av::cli {

enum class ErrorShape : std::uint8_t { Command, Usage, UsageNoHint };

// kExitFailure is the exit status of every reported error.
inline constexpr int kExitFailure = 1;

// shape_for_command_error picks the shape of an error returned by a command handler:
// Errc::Usage (errors before the command logic: parse, config, keyring open) is shape 2.
ErrorShape shape_for_command_error(const Error& error) noexcept;

// format_error renders the line (with its final "\n") without writing it.
std::string format_error(std::string_view program_name, ErrorShape shape,
                         std::string_view command, const Error& error);

// report_error writes format_error(...) to ctx.err and returns kExitFailure.
int report_error(const Context& ctx, ErrorShape shape, std::string_view command,
                 const Error& error);

// neutralize_controls replaces C0 control bytes and DEL by \xNN, a last line of defence: callers
// already escape untrusted parts, this guarantees no raw escape sequence reaches the terminal.
std::string neutralize_controls(std::string_view text);

}  // namespace av::cli
