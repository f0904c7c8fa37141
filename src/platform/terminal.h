// terminal.h: what the CLI needs to know about its terminals, and the interactive TTY prompts of
// spec §1.8 (opened on the controlling terminal, /dev/tty, never stdin/stdout).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "secure/secret.h"

namespace av::platform {

enum class StdStream : int { In = 0, Out = 1, Err = 2 };

// is_terminal reports whether the stream is a terminal (isatty).
bool is_terminal(StdStream stream) noexcept;

// terminal_width returns the column count of the terminal on `stream`, or nullopt if it is not a
// terminal (then callers use COLUMNS or 80).
std::optional<int> terminal_width(StdStream stream) noexcept;

// write_all writes `text` to the stream, retrying on EINTR and short writes. Errc::Io on failure.
Status write_all(StdStream stream, std::string_view text);

enum class Echo : int { Visible, Masked };

// prompt_tty_line implements spec §1.8's TTY prompts: opens /dev/tty, switches to raw-ish mode (no
// echo, non-canonical, signals still on), writes `prompt`, reads until CR (or LF), echoing each
// printable character (or '*' for Echo::Masked), handling backspace/DEL with "\b \b", ignoring other
// control characters, then writes "\n", restores the terminal and returns the trimmed text in
// locked memory. At most limits::kMaxPromptBytes characters (TooLarge). No controlling terminal:
// Errc::Io "open /dev/tty: <strerror>". Ctrl-C: Errc::Cancelled.
Result<secure::SecretString> prompt_tty_line(std::string_view prompt, Echo echo);

// prompt_passphrase implements the passphrase prompt of spec §1.8: "<prompt>: " to stderr, a line
// from stdin with echo off (Errc::Io if stdin is not a terminal), then "\n" to stderr. (Upstream
// writes that newline to stdout, quirk A.3; we fix it: see docs/COMPATIBILITY.md.)
Result<secure::SecretString> prompt_passphrase(std::string_view prompt);

// RawByteSink receives each byte read by read_raw_stdin; it returns true to stop reading, false
// to go on, or an error that ends reading and is returned as is.
using RawByteSink = std::function<Result<bool>(std::uint8_t byte)>;

// read_raw_stdin puts stdin into raw-ish mode (no echo, non-canonical, CR kept as CR; signals still
// on) and feeds every byte to `sink` until it returns true. The terminal mode and the SIGINT
// disposition are restored on every path before it returns. Errors: stdin not a terminal:
// Errc::Io "inappropriate ioctl for device" (the tcgetattr error); end of input: Errc::Io "EOF";
// Ctrl-C (SIGINT): Errc::Cancelled; read/poll failures: Errc::Io; or the sink's error.
Status read_raw_stdin(const RawByteSink& sink);

}  // namespace av::platform
