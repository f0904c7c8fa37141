// file_name.h: the file backend's mapping between keyring keys and file names (backends.md
// §2.1.3), exactly as upstream: only '/' and '%' are escaped (as "%2F" and "%25"), everything
// else is written as-is; escaping works on UTF-8 runes, so each invalid byte becomes U+FFFD.
// Pure functions, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace av::keyring::file {

// escape_file_name returns the file name for `key` (never fails; lossy for invalid UTF-8).
std::string escape_file_name(std::string_view key);

// unescape_file_name reverses escape_file_name leniently, as upstream: every "%XY" with two hex
// digits (either case) becomes that byte, a malformed '%' is kept literally.
std::string unescape_file_name(std::string_view name);

// decode_file_name returns the key stored in a file called `name`, or nullopt when the name is
// not one this backend writes (a "foreign" file): empty, "." or "..", the temporary files of
// platform::write_file_atomic (".<x>.tmp<digits>"), or any name that escape_file_name would not
// produce for its own unescaping (lower-case or malformed escapes, invalid UTF-8).
std::optional<std::string> decode_file_name(std::string_view name);

}  // namespace av::keyring::file
