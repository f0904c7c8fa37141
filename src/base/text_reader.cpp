#include "base/text_reader.h"

#include <charconv>
#include <string>

#include "base/ascii.h"

namespace av {
namespace {

Error truncated_at(std::size_t offset) {
  return Error{Errc::Truncated, "unexpected end of input at offset " + std::to_string(offset)};
}

}  // namespace

Result<char> TextReader::peek() const {
  if (empty()) return truncated_at(pos_);
  return input_[pos_];
}

Result<char> TextReader::read_char() {
  if (empty()) return truncated_at(pos_);
  return input_[pos_++];
}

bool TextReader::consume_if(char c) noexcept {
  if (empty() || input_[pos_] != c) return false;
  ++pos_;
  return true;
}

bool TextReader::consume_literal(std::string_view literal) noexcept {
  if (!rest().starts_with(literal)) return false;
  pos_ += literal.size();
  return true;
}

Status TextReader::expect_literal(std::string_view literal) {
  if (consume_literal(literal)) return ok();
  if (remaining() < literal.size() && literal.starts_with(rest())) return truncated_at(input_.size());
  return Error{Errc::Parse,
               "expected " + ascii::quote_for_terminal(literal) + " at offset " + std::to_string(pos_)};
}

Result<std::string_view> TextReader::read_exact(std::size_t len) {
  if (remaining() < len) return truncated_at(input_.size());
  const std::string_view out = input_.substr(pos_, len);
  pos_ += len;
  return out;
}

Result<std::string_view> TextReader::read_until(char delim, std::size_t max_len) {
  const std::string_view window = input_.substr(pos_, max_len < remaining() ? max_len + 1 : remaining());
  const std::size_t found = window.find(delim);
  if (found == std::string_view::npos) {
    if (window.size() > max_len) {
      return Error{Errc::TooLarge, "field longer than " + std::to_string(max_len) +
                                       " characters at offset " + std::to_string(pos_)};
    }
    return truncated_at(input_.size());
  }
  const std::string_view out = window.substr(0, found);
  pos_ += found + 1;
  return out;
}

Result<std::string_view> TextReader::read_line(std::size_t max_len) {
  if (empty()) return truncated_at(pos_);
  const std::string_view text = rest();
  std::size_t end = 0;
  while (end < text.size() && text[end] != '\n') {
    if (end == max_len) {
      return Error{Errc::TooLarge, "line longer than " + std::to_string(max_len) +
                                       " characters at offset " + std::to_string(pos_)};
    }
    const char c = text[end];
    if (c == '\0') return Error{Errc::Parse, "NUL character at offset " + std::to_string(pos_ + end)};
    if (c == '\r' && (end + 1 >= text.size() || text[end + 1] != '\n')) {
      return Error{Errc::Parse, "bare carriage return at offset " + std::to_string(pos_ + end)};
    }
    ++end;
  }
  std::string_view line = text.substr(0, end);
  if (line.ends_with('\r')) line.remove_suffix(1);
  pos_ += end + (end < text.size() ? 1 : 0);
  return line;
}

Result<std::uint64_t> TextReader::read_uint(std::uint64_t max_value, LeadingZeros zeros) {
  const std::string_view text = rest();
  std::size_t len = 0;
  while (len < text.size() && ascii::is_digit(text[len])) ++len;
  if (len == 0) return Error{Errc::Parse, "expected a digit at offset " + std::to_string(pos_)};
  if (zeros == LeadingZeros::Reject && len > 1 && text[0] == '0') {
    return Error{Errc::Parse, "leading zero in number at offset " + std::to_string(pos_)};
  }
  std::uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + len, value);
  if (ec != std::errc{} || ptr != text.data() + len || value > max_value) {
    return Error{Errc::TooLarge, "number greater than " + std::to_string(max_value) +
                                     " at offset " + std::to_string(pos_)};
  }
  pos_ += len;
  return value;
}

Status TextReader::expect_end() const {
  if (empty()) return ok();
  return Error{Errc::Parse, "unexpected trailing text at offset " + std::to_string(pos_)};
}

}  // namespace av
