// picker.cpp: see picker.h.
#include "prompt/picker.h"

#include <algorithm>
#include <utility>

#include "base/ascii.h"
#include "base/limits.h"

namespace av::prompt {
namespace {

// contains_folded reports whether `needle` occurs in `haystack`, ignoring ASCII case.
bool contains_folded(std::string_view haystack, std::string_view needle) {
  return ascii::lower(haystack).find(ascii::lower(needle)) != std::string::npos;
}

// pop_code_point removes the last UTF-8 code point (its continuation bytes and lead byte).
void pop_code_point(std::string& text) {
  while (!text.empty()) {
    auto last = static_cast<unsigned char>(text.back());
    text.pop_back();
    if ((last & 0xC0U) != 0x80U) return;
  }
}

}  // namespace

Picker::Picker(std::string title, std::vector<std::string> options)
    : title_(std::move(title)), options_(std::move(options)) {
  refilter();
}

void Picker::refilter() {
  matches_.clear();
  for (std::size_t i = 0; i < options_.size(); ++i) {
    if (contains_folded(options_[i], filter_)) matches_.push_back(i);
  }
  cursor_ = 0;
}

void Picker::move(bool down) {
  if (matches_.empty()) return;
  if (down) {
    cursor_ = cursor_ + 1 == matches_.size() ? 0 : cursor_ + 1;
  } else {
    cursor_ = cursor_ == 0 ? matches_.size() - 1 : cursor_ - 1;
  }
}

PickerStep Picker::feed(const Key& key) {
  if (done_) return PickerStep::Chosen;
  switch (key.kind) {
    case KeyKind::Up: move(false); break;
    case KeyKind::Down: move(true); break;
    case KeyKind::Interrupt: return PickerStep::Cancelled;
    case KeyKind::Enter:
      if (matches_.empty()) break;
      chosen_ = options_[matches_[cursor_]];
      done_ = true;
      return PickerStep::Chosen;
    case KeyKind::Backspace:
      if (filter_.empty()) break;
      pop_code_point(filter_);
      refilter();
      break;
    case KeyKind::Char:
      if (filter_.size() >= limits::kMaxPickerFilterBytes) break;
      filter_.push_back(static_cast<char>(key.byte));
      refilter();
      break;
  }
  return PickerStep::Continue;
}

std::size_t Picker::page_start() const noexcept {
  if (matches_.size() <= kPageSize || cursor_ < kPageSize / 2) return 0;
  std::size_t last_start = matches_.size() - kPageSize;
  return std::min(cursor_ - kPageSize / 2, last_start);
}

std::vector<std::string> Picker::render() const {
  std::vector<std::string> lines;
  lines.push_back("? " + title_ + " " + ascii::escape_for_terminal(filter_) + " " +
                  std::string(kHint));
  std::size_t start = page_start();
  std::size_t end = std::min(matches_.size(), start + kPageSize);
  for (std::size_t row = start; row < end; ++row) {
    lines.push_back((row == cursor_ ? "> " : "  ") +
                    ascii::escape_for_terminal(options_[matches_[row]]));
  }
  return lines;
}

std::string Picker::answer_line() const {
  return "? " + title_ + " " + ascii::escape_for_terminal(chosen_);
}

}  // namespace av::prompt
