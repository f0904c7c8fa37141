// select_prompt.cpp: the I/O loop of the picker. Bytes from platform::read_raw_stdin go through
// KeyDecoder into Picker; every key that changes nothing still redraws (cheap, at most 8 lines).
#include "prompt/select_prompt.h"

#include "platform/terminal.h"
#include "prompt/key_decoder.h"
#include "prompt/picker.h"

namespace av::prompt {
namespace {

// draw writes the frame replacing the previous one and remembers its line count.
Status draw(std::size_t& shown_lines, const std::vector<std::string>& lines) {
  AV_TRY(platform::write_all(platform::StdStream::Out, frame_update(shown_lines, lines)));
  shown_lines = lines.size();
  return ok();
}

// run_loop reads keys until a pick (ok) or an error; `shown_lines` tracks what is on screen.
Status run_loop(Picker& picker, std::size_t& shown_lines) {
  AV_TRY(draw(shown_lines, picker.render()));
  KeyDecoder decoder;
  return platform::read_raw_stdin([&](std::uint8_t byte) -> Result<bool> {
    auto key = decoder.feed(byte);
    if (!key) return false;
    switch (picker.feed(*key)) {
      case PickerStep::Cancelled: return Error(Errc::Cancelled, "interrupt");
      case PickerStep::Chosen: return true;
      case PickerStep::Continue: break;
    }
    AV_TRY(draw(shown_lines, picker.render()));
    return false;
  });
}

}  // namespace

std::string frame_update(std::size_t previous_lines, const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < previous_lines; ++i) {
    if (i > 0) out += "\x1b[1A";
    out += "\x1b[2K";
  }
  out += '\r';
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += '\n';
    out += lines[i];
  }
  return out;
}

Result<std::string> select_one(std::string_view title, const std::vector<std::string>& options) {
  if (options.empty()) return Error(Errc::NotFound, "please provide options to select from");
  // Checked before drawing, so a non-terminal stdin leaves stdout untouched.
  if (!platform::is_terminal(platform::StdStream::In)) {
    return Error(Errc::Io, "inappropriate ioctl for device");
  }
  Picker picker(std::string(title), options);
  std::size_t shown_lines = 0;
  Status status = run_loop(picker, shown_lines);
  if (!status) {
    // Clear the frame so the error message starts on a clean line.
    (void)platform::write_all(platform::StdStream::Out, frame_update(shown_lines, {}));
    Error error = std::move(status).error();
    if (error.code() == Errc::Cancelled) return Error(Errc::Cancelled, "interrupt");
    return error;
  }
  AV_TRY(draw(shown_lines, {picker.answer_line()}));
  AV_TRY(platform::write_all(platform::StdStream::Out, "\n"));
  return picker.chosen();
}

}  // namespace av::prompt
