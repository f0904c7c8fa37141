// ascii.h: locale-independent ASCII helpers and the escaping of untrusted text for terminals.
//
// <cctype> depends on the C locale and is undefined for negative chars; these are neither.
// Untrusted text (profile names, AWS error messages, paths from servers) reaches a terminal only
// through quote_for_terminal / escape_for_terminal, which neutralise control characters,
// terminal escape sequences, bidirectional overrides and invalid UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace av::ascii {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_alnum(char c) noexcept { return is_digit(c) || is_alpha(c); }
constexpr bool is_hex_digit(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// is_space: space, \t, \n, \v, \f, \r (Go's unicode.IsSpace restricted to ASCII).
constexpr bool is_space(char c) noexcept {
  return c == ' ' || (c >= '\t' && c <= '\r');
}
constexpr char to_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
constexpr char to_upper(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// lower returns an ASCII-lower-cased copy of `text` (non-ASCII bytes unchanged).
std::string lower(std::string_view text);
// upper returns an ASCII-upper-cased copy of `text`.
std::string upper(std::string_view text);
// iequals compares ASCII case-insensitively.
bool iequals(std::string_view a, std::string_view b) noexcept;
// trim removes ASCII whitespace (is_space) from both ends.
std::string_view trim(std::string_view text) noexcept;

// escape_for_terminal renders `text` with Go %q escaping but without the quotes: \" \\ \a \b \f
// \n \r \t \v, other C0 controls and DEL as \xNN, invalid UTF-8 bytes as \xNN, and C1 controls,
// zero-width and bidirectional-control code points as \uNNNN. Printable UTF-8 is kept verbatim.
std::string escape_for_terminal(std::string_view text);

// quote_for_terminal is escape_for_terminal wrapped in double quotes: Go's %q, which spec §2.0
// uses for profile names in messages.
std::string quote_for_terminal(std::string_view text);

}  // namespace av::ascii
