// config_file.h: writing the AWS config file (spec §3.7, issue 3). Only `add` writes it, and only
// to append a missing profile section: the rest of the file stays byte for byte (we fix A.9).
#pragma once

#include <span>
#include <string_view>

#include "base/result.h"
#include "config/ini_writer.h"

namespace av::config {

// add_profile_section appends a section for `profile` (`[default]` for "default", otherwise
// `[profile NAME]`) holding `entries` to the config file at `path`, unless the file already has a
// section for that profile (then nothing is written and the result is false).
//  - A missing file is created 0600, its missing directories 0700.
//  - An existing file keeps its permission bits; a symlink keeps pointing at the file it names,
//    which is the one rewritten.
//  - The write is atomic (temporary file, fsync, rename): readers never see half a file.
// Errors: the file's read error, Errc::Config when it does not parse (nothing is written) or the
// new section cannot be written as given (see append_section), and the write's error.
Result<bool> add_profile_section(std::string_view path, std::string_view profile,
                                 std::span<const IniEntry> entries);

}  // namespace av::config
