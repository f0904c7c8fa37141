// ini_writer.h: lossless edits of an AWS config file (spec cli.md §3.7, Appendix A.9).
//
// Upstream `add` re-serialises the whole parsed file and so lower-cases keys, drops spaces around
// `=`, re-quotes values, moves comments and loses trailing ones. We never rewrite: an edit returns
// the original bytes unchanged plus the new text, so every other byte of the user's file stays.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "base/result.h"
#include "config/ini.h"

namespace av::config {

// IniEntry: one `key=value` line to write; the key as it must be read back (lower-case).
using IniEntry = std::pair<std::string, std::string>;

// append_section returns `original` byte for byte, followed by a new section `[section_name]`
// holding `entries` in order: `\n[name]\nkey=value\n...` (upstream's bytes for the appended
// part). A missing final line break is added first; an empty file (or one holding only a UTF-8
// byte order mark) gets no leading blank line; a CRLF file (doc.line_break()) gets CRLF.
// `doc` must be parse_ini(original) (checked by size: a mismatch is a bug, AV_CHECK).
// Values are written verbatim when parse_ini and the AWS CLI read them back identically, else
// quoted (see encode_ini_value). Fails with Errc::Config when the section already exists, when
// the name or a key cannot be read back as written (empty, line breaks, NUL, a delimiter or
// upper-case letters in a key, a key repeated in `entries`), when a value holds a line break or
// NUL, or when a line would pass limits::kMaxLineBytes; Errc::TooLarge when the file would pass
// kMaxConfigFileBytes, kMaxIniSections or kMaxIniKeys.
// The result always parses to the sections of `doc` plus the new one.
Result<std::string> append_section(std::string_view original, const IniDocument& doc,
                                   std::string_view section_name, std::span<const IniEntry> entries);

// encode_ini_value returns the text to write after `key=` so that parse_ini reads back exactly
// `value`: the value itself when it needs no quoting (then the AWS CLI, which does no quote or
// comment processing, reads the same), else "v" when that reads back unchanged, else `v` (which
// always does; the AWS CLI would read the quotes). Errc::Config for a line break or NUL.
Result<std::string> encode_ini_value(std::string_view value);

}  // namespace av::config
