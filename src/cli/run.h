// run.h: the CLI entry point called by main() (spec §1).
#pragma once

#include <span>
#include <string_view>

#include "cli/context.h"

namespace av::cli {

// run parses `argv` (argv[0] is the program path, used for error shape 2) against the command
// table and runs the selected command. It sets ctx.program_name from argv[0]. Returns the process
// exit status: 0 on success, help and version; 1 for every reported error (spec §1.2). Output goes
// only through ctx.out / ctx.err; nothing here throws or exits.
int run(std::span<const std::string_view> argv, Context& ctx);

}  // namespace av::cli
