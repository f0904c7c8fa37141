// line_editor.cpp: pure input handling for prompt_tty_line (spec §1.8).
#include "platform/line_editor.h"

#include <span>

#include "base/ascii.h"

namespace av::platform {
namespace {

constexpr std::uint8_t kCtrlC = 3;
constexpr std::uint8_t kBackspace = 8;
constexpr std::uint8_t kLineFeed = 10;
constexpr std::uint8_t kCarriageReturn = 13;
constexpr std::uint8_t kDelete = 127;

constexpr bool is_utf8_continuation(std::uint8_t byte) noexcept { return (byte & 0xC0U) == 0x80U; }

}  // namespace

LineEditor::LineEditor(Echo echo, std::size_t max_len)
    : echo_mode_(echo), max_len_(max_len), line_(max_len) {}

LineEditor::~LineEditor() {
  secure::wipe(as_writable_bytes(&echo_char_, 1));
}

Result<LineStatus> LineEditor::feed(std::uint8_t byte) {
  AV_CHECK(!done_);
  echo_ = {};
  if (byte == kCarriageReturn || byte == kLineFeed) {
    done_ = true;
    return LineStatus::Done;
  }
  if (byte == kCtrlC) return Error(Errc::Cancelled, "prompt cancelled");
  if (byte == kBackspace || byte == kDelete) {
    if (!line_.empty()) {
      erase_last_character();
      echo_ = "\b \b";
    }
    return LineStatus::More;
  }
  if (byte < 0x20) return LineStatus::More;  // other control characters are ignored
  if (line_.size() >= max_len_) {
    return Error(Errc::TooLarge, "input longer than " + std::to_string(max_len_) + " bytes");
  }
  char c = static_cast<char>(byte);
  AV_TRY(line_.push_back(c));
  if (echo_mode_ == Echo::Masked) {
    // One '*' per character: UTF-8 continuation bytes add nothing.
    if (!is_utf8_continuation(byte)) echo_ = "*";
  } else {
    echo_char_ = c;
    echo_ = std::string_view(&echo_char_, 1);
  }
  return LineStatus::More;
}

void LineEditor::erase_last_character() noexcept {
  // Drop trailing continuation bytes, then the lead byte, so a multi-byte character goes at once.
  while (!line_.empty()) {
    auto last = static_cast<std::uint8_t>(line_.reveal().back());
    line_.pop_back();
    if (!is_utf8_continuation(last)) break;
  }
}

secure::SecretString LineEditor::take_line() {
  secure::SecretString out = secure::SecretString::copy_of(ascii::trim(line_.reveal()));
  line_.resize(0);
  return out;
}

}  // namespace av::platform
