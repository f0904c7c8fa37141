// picker.h: the pure state machine of the single-choice list of spec §1.8 (survey's Select):
// options, filter text and cursor, fed decoded keys, rendering the lines to draw. No I/O.
//
// Behaviour (chosen to match survey v2):
//  - Typing filters the options by case-insensitive (ASCII) substring; any change of the filter
//    moves the cursor to the first match. Backspace removes the last UTF-8 code point.
//  - Up/Down wrap around (Up on the first match goes to the last, Down on the last to the first).
//  - The page shows at most kPageSize matches; it is derived from the cursor: the cursor sits in
//    the middle row (kPageSize / 2) except near either end, where the page is clamped.
//  - Enter picks the match under the cursor; with no match it does nothing.
//  - Interrupt (Ctrl-C) cancels.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "prompt/key_decoder.h"

namespace av::prompt {

enum class PickerStep : std::uint8_t { Continue, Chosen, Cancelled };

class Picker {
 public:
  static constexpr std::size_t kPageSize = 7;
  static constexpr std::string_view kHint = "[Use arrows to move, type to filter]";

  // The picker copies the options; `title` (with its colon, e.g. "Choose AWS profile:") is shown
  // as "? <title> ...". Neither is escaped here:
  // render() escapes options and filter for the terminal, the title must be trusted text.
  Picker(std::string title, std::vector<std::string> options);

  // feed applies one key. After Chosen, chosen() names the pick; later keys are ignored.
  PickerStep feed(const Key& key);

  // render returns the lines of the current frame (without newlines): the header
  // "? <title> <filter> [Use arrows to move, type to filter]" (survey's "? <title>  [Use ..."
  // when the filter is empty), then one line per visible match, "> name" under the cursor and
  // "  name" otherwise. Control bytes in names and filter are escaped.
  std::vector<std::string> render() const;

  // answer_line is the line left on screen after a pick: "? <title> <name>" (name escaped).
  std::string answer_line() const;

  // chosen is the picked option (empty before a pick).
  const std::string& chosen() const noexcept { return chosen_; }
  // matches lists the indices into the options that pass the filter, in option order.
  const std::vector<std::size_t>& matches() const noexcept { return matches_; }
  // cursor is the position within matches() (0 when there are none).
  std::size_t cursor() const noexcept { return cursor_; }
  // page_start is the index into matches() of the first visible row.
  std::size_t page_start() const noexcept;
  const std::string& filter() const noexcept { return filter_; }

 private:
  void refilter();
  void move(bool down);

  std::string title_;
  std::vector<std::string> options_;
  std::string filter_;
  std::vector<std::size_t> matches_;
  std::size_t cursor_ = 0;
  std::string chosen_;
  bool done_ = false;
};

}  // namespace av::prompt
