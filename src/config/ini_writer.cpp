#include "config/ini_writer.h"

#include <algorithm>
#include <string>

#include "base/ascii.h"
#include "base/check.h"
#include "base/limits.h"

namespace av::config {
namespace {

bool has_line_break_or_nul(std::string_view text) noexcept {
  return text.find_first_of(std::string_view("\n\r\0", 3)) != std::string_view::npos;
}

bool reads_back(std::string_view written, std::string_view value) noexcept {
  const detail::IniLineValue read = detail::read_line_value(written);
  return read.form == detail::IniValueForm::Complete && read.text == value;
}

Error line_too_long(std::string_view what) {
  return Error{Errc::Config, std::string(what) + " would make a line longer than " +
                                 std::to_string(limits::kMaxLineBytes) + " bytes"};
}

Status check_section_name(std::string_view name, const IniDocument& doc) {
  if (name.empty()) return Error{Errc::Config, "empty section name"};
  if (has_line_break_or_nul(name)) {
    return Error{Errc::Config, "section name contains a line break or NUL: " +
                                   ascii::quote_for_terminal(name)};
  }
  if (name.size() + 2 > limits::kMaxLineBytes) return line_too_long("section name");
  if (doc.find_section(name)) {
    return Error{Errc::Config, "section already exists: " + ascii::quote_for_terminal(name)};
  }
  if (doc.occurrences().size() > limits::kMaxIniSections) {
    return Error{Errc::TooLarge, "the config file already has " +
                                     std::to_string(limits::kMaxIniSections) + " sections"};
  }
  return ok();
}

// check_key: the key must read back as written: parse_ini trims it, lower-cases it, ends it at
// the first `=` or `:`, and reads lines starting with `#`, `;` or `[` as something else.
Status check_key(std::string_view key) {
  const bool readable = !key.empty() && ascii::trim(key) == key && ascii::lower(key) == key &&
                        key.find_first_of("=:") == std::string_view::npos &&
                        !has_line_break_or_nul(key) && key[0] != '#' && key[0] != ';' &&
                        key[0] != '[';
  if (!readable) {
    return Error{Errc::Config, "key cannot be written to the config file: " +
                                   ascii::quote_for_terminal(key)};
  }
  return ok();
}

Status check_entries(std::span<const IniEntry> entries, const IniDocument& doc) {
  if (doc.num_key_lines() + entries.size() > limits::kMaxIniKeys) {
    return Error{Errc::TooLarge,
                 "the config file would have more than " + std::to_string(limits::kMaxIniKeys) + " keys"};
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    AV_TRY(check_key(entries[i].first));
    for (std::size_t j = 0; j < i; ++j) {
      if (entries[j].first == entries[i].first) {
        return Error{Errc::Config, "key given twice: " + ascii::quote_for_terminal(entries[i].first)};
      }
    }
  }
  return ok();
}

}  // namespace

Result<std::string> encode_ini_value(std::string_view value) {
  if (has_line_break_or_nul(value)) {
    return Error{Errc::Config, "a config value cannot contain a line break or NUL"};
  }
  if (reads_back(value, value)) return std::string(value);
  // Upstream quotes padded values with double quotes; those fail when the value holds a double
  // quote or " #"/" ;" (comments are stripped before quotes). A backtick value runs to the last
  // backtick on the line, so it carries any single-line value.
  std::string quoted = '"' + std::string(value) + '"';
  if (reads_back(quoted, value)) return quoted;
  quoted = '`' + std::string(value) + '`';
  AV_CHECK(reads_back(quoted, value));
  return quoted;
}

Result<std::string> append_section(std::string_view original, const IniDocument& doc,
                                   std::string_view section_name, std::span<const IniEntry> entries) {
  AV_CHECK(doc.source_size() == original.size());
  AV_TRY(check_section_name(section_name, doc));
  AV_TRY(check_entries(entries, doc));
  const std::string_view nl = doc.line_break();
  std::string added;
  if (original.size() > doc.content_begin()) {
    if (!original.ends_with('\n')) added += nl;
    added += nl;  // one blank line before the new section, as upstream writes it
  }
  added.append("[").append(section_name).append("]").append(nl);
  for (const IniEntry& entry : entries) {
    AV_TRY_ASSIGN(const std::string encoded, encode_ini_value(entry.second));
    if (entry.first.size() + 1 + encoded.size() > limits::kMaxLineBytes) {
      return line_too_long("value of " + ascii::quote_for_terminal(entry.first));
    }
    added.append(entry.first).append("=").append(encoded).append(nl);
  }
  if (original.size() + added.size() > limits::kMaxConfigFileBytes) {
    return Error{Errc::TooLarge, "the config file would grow past " +
                                     std::to_string(limits::kMaxConfigFileBytes) + " bytes"};
  }
  std::string out;
  out.reserve(original.size() + added.size());
  out.append(original).append(added);
  return out;
}

}  // namespace av::config
