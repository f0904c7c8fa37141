// select_prompt.h: the interactive single-choice prompt of spec §1.8 (the profile picker), drawn
// on stdout with ANSI cursor movement and read from stdin in raw mode, as survey does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace av::prompt {

// select_one shows `title` (trusted text, e.g. "Choose AWS profile:") over `options` (untrusted:
// escaped before drawing), lets the user move and filter (prompt::Picker) and returns the chosen
// option. The frame is redrawn in place; after a pick only "? <title> <name>" remains on stdout.
// The terminal is restored on every path. Errors:
//  - no options: Errc::InvalidArgument "please provide options to select from";
//  - stdin not a terminal: Errc::Io "inappropriate ioctl for device" (from platform);
//  - Ctrl-C (key or SIGINT): Errc::Cancelled "interrupt";
//  - end of input or a read/write failure: Errc::Io.
Result<std::string> select_one(std::string_view title, const std::vector<std::string>& options);

// frame_update returns the bytes that replace a frame of `previous_lines` lines (0 for the first
// frame) whose cursor is at the end of its last line with `lines`: each old line cleared
// bottom-up ("\x1b[2K", "\x1b[1A"), then "\r" and the new lines joined by "\n" (no final newline).
std::string frame_update(std::size_t previous_lines, const std::vector<std::string>& lines);

}  // namespace av::prompt
