// line_editor.h: the byte-by-byte logic of the TTY line prompt (spec §1.8), separated from the
// terminal so it can be tested without one. platform::prompt_tty_line feeds it the bytes read from
// /dev/tty and writes its echo back.
//
// Rules: CR (13) or LF (10) ends the line; backspace (8) and DEL (127) remove the last character
// (a whole UTF-8 sequence) and echo "\b \b"; other C0 control characters are ignored, except
// Ctrl-C (3), which cancels (it arrives as a byte only when the terminal does not turn it into
// SIGINT); every other byte is part of the line and is echoed as itself (Echo::Visible) or as one
// '*' per character (Echo::Masked). The finished line is whitespace-trimmed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/limits.h"
#include "base/result.h"
#include "platform/terminal.h"
#include "secure/secret.h"

namespace av::platform {

enum class LineStatus : int { More, Done };

class LineEditor {
 public:
  // LineEditor accepts at most `max_len` bytes in the line.
  explicit LineEditor(Echo echo, std::size_t max_len = limits::kMaxPromptBytes);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;
  LineEditor(LineEditor&&) = delete;
  LineEditor& operator=(LineEditor&&) = delete;

  // feed processes one input byte and returns Done once the line is complete. Errc::TooLarge when
  // the line would exceed max_len; Errc::Cancelled on Ctrl-C. Feeding after Done is a bug.
  Result<LineStatus> feed(std::uint8_t byte);

  // echo is what to write to the terminal for the last byte fed (possibly empty). It borrows
  // this editor and is valid until the next feed().
  std::string_view echo() const noexcept { return echo_; }

  // take_line returns the trimmed line in locked memory and leaves the editor empty.
  secure::SecretString take_line();

 private:
  void erase_last_character() noexcept;

  Echo echo_mode_;
  std::size_t max_len_;
  secure::SecretString line_;
  char echo_char_ = 0;  // the visible echo of the last byte (wiped on destruction)
  std::string_view echo_;
  bool done_ = false;
};

}  // namespace av::platform
