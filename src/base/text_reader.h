// text_reader.h: a bounds-checked cursor over untrusted text (STYLE.md §3.6, rule 19).
//
// Same contract as ByteReader: every read either succeeds and advances, or fails and leaves the
// position unchanged. Errors: Errc::Truncated (input ended), Errc::TooLarge (a named limit was
// exceeded), Errc::Parse (malformed: bare CR, NUL, bad digit, literal mismatch).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace av {

enum class LeadingZeros : std::uint8_t { Reject, Allow };

class TextReader {
 public:
  // TextReader borrows `input` (which must outlive it).
  explicit TextReader(std::string_view input) noexcept : input_(input) {}

  std::size_t remaining() const noexcept { return input_.size() - pos_; }
  std::size_t offset() const noexcept { return pos_; }
  bool empty() const noexcept { return remaining() == 0; }
  // rest returns the unconsumed text without consuming it.
  std::string_view rest() const noexcept { return input_.substr(pos_); }

  // peek returns the next character without consuming it; Truncated at the end.
  Result<char> peek() const;
  Result<char> read_char();
  // consume_if consumes `c` if it is next and reports whether it did. Never fails.
  bool consume_if(char c) noexcept;
  // consume_literal consumes `literal` if the input continues with it. Never fails.
  bool consume_literal(std::string_view literal) noexcept;
  // expect_literal consumes `literal` or fails with Errc::Parse naming it.
  Status expect_literal(std::string_view literal);
  // read_exact returns the next `len` characters.
  Result<std::string_view> read_exact(std::size_t len);
  // read_until returns the text before the next `delim` and consumes the delimiter too. Fails with
  // TooLarge if more than `max_len` characters precede it, Truncated if there is no `delim`.
  Result<std::string_view> read_until(char delim, std::size_t max_len);
  // read_line returns the next line without its terminator (LF or CRLF); the last line may lack
  // one. A bare CR or a NUL is Errc::Parse, a line over `max_len` is TooLarge, and reading at the
  // end of input is Truncated.
  Result<std::string_view> read_line(std::size_t max_len);
  // read_while consumes the longest run (possibly empty) of characters satisfying `pred`.
  template <class Pred>
  std::string_view read_while(Pred pred) noexcept {
    const std::size_t start = pos_;
    while (pos_ < input_.size() && pred(input_[pos_])) ++pos_;
    return input_.substr(start, pos_ - start);
  }
  // read_uint parses a run of ASCII decimal digits (no sign, no '+') into a value <= max_value.
  // Fails with Parse when no digit is next or on a leading zero that `zeros` rejects, and with
  // TooLarge above max_value.
  Result<std::uint64_t> read_uint(std::uint64_t max_value, LeadingZeros zeros = LeadingZeros::Reject);
  // expect_end fails with Errc::Parse if any input remains.
  Status expect_end() const;

 private:
  std::string_view input_;
  std::size_t pos_ = 0;
};

}  // namespace av
