// session_tags.h: the `session_tags` and `transitive_session_tags` value syntax (spec cli.md §3.4),
// shared by the config file keys and the AWS_SESSION_TAGS / AWS_TRANSITIVE_TAGS variables.
//
// Pure functions over one value; callers add the file and line (profile_resolver.h) or the
// variable name to errors.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace av::config {

// SessionTags: tag key -> value. Sorted by key so output and tests are deterministic; a key given
// twice keeps its last value (upstream stores a Go map).
using SessionTags = std::map<std::string, std::string, std::less<>>;

// kSessionTagsSyntaxError is upstream's exact error text for a malformed session tags string.
inline constexpr std::string_view kSessionTagsSyntaxError =
    "session tags string must be <key1>=<value1>,[<key2>=<value2>[,...]]";

// parse_session_tags reads `k1=v1,k2=v2`: elements split on `,`, each split at its first `=`, key
// and value trimmed of ASCII whitespace. Fails with Errc::Config and kSessionTagsSyntaxError when
// an element has no `=` (an empty string and a trailing comma included) or its key is empty after
// trimming (upstream accepts an empty key and lets STS reject it). The result is never empty.
// Bounded by the length of `text` (callers pass INI values or environment values).
Result<SessionTags> parse_session_tags(std::string_view text);

// parse_transitive_tags reads `k1,k2`: elements split on `,`, trimmed, empty ones dropped
// (`","` gives none). Total: never fails.
std::vector<std::string> parse_transitive_tags(std::string_view text);

}  // namespace av::config
