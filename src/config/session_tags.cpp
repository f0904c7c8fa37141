// session_tags.cpp: spec cli.md §3.4 tag lists. Elements are found with find(',') on a shrinking
// string_view, so every step stays inside the input.
#include "config/session_tags.h"

#include "base/ascii.h"

namespace av::config {
namespace {

// next_element splits `rest` at its first comma: returns the element and leaves the remainder
// (without the comma) in `rest`; `more` tells whether a comma was found.
std::string_view next_element(std::string_view& rest, bool& more) noexcept {
  const std::size_t comma = rest.find(',');
  more = comma != std::string_view::npos;
  const std::string_view element = more ? rest.substr(0, comma) : rest;
  rest = more ? rest.substr(comma + 1) : std::string_view{};
  return element;
}

}  // namespace

Result<SessionTags> parse_session_tags(std::string_view text) {
  SessionTags tags;
  std::string_view rest = text;
  bool more = true;
  while (more) {
    const std::string_view element = next_element(rest, more);
    const std::size_t eq = element.find('=');
    if (eq == std::string_view::npos) return Error{Errc::Config, std::string(kSessionTagsSyntaxError)};
    const std::string_view key = ascii::trim(element.substr(0, eq));
    if (key.empty()) return Error{Errc::Config, std::string(kSessionTagsSyntaxError)};
    tags.insert_or_assign(std::string(key), std::string(ascii::trim(element.substr(eq + 1))));
  }
  return tags;
}

std::vector<std::string> parse_transitive_tags(std::string_view text) {
  std::vector<std::string> keys;
  std::string_view rest = text;
  bool more = true;
  while (more) {
    const std::string_view element = ascii::trim(next_element(rest, more));
    if (!element.empty()) keys.emplace_back(element);
  }
  return keys;
}

}  // namespace av::config
