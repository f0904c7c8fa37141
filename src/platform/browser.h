// browser.h: opening a URL in the user's browser (spec §7.2, §10.3) without a shell.
//
// $BROWSER, when set, is a colon-separated list of commands tried in order (the xdg-utils
// convention); each entry is split on spaces into argv, "%s" in an argument is replaced by the
// URL, and otherwise the URL is appended as one more argument. Without $BROWSER: `xdg-open <url>`
// (Linux/BSD) or `open <url>` (macOS). The opener is waited for (as upstream); its stdio is
// inherited except stdout, which goes to stderr so `export`'s output stays clean.
#pragma once

#include <string_view>

#include "base/result.h"
#include "platform/env.h"

namespace av::platform {

// open_url runs the first opener that starts. Errors: Errc::NotFound when no opener exists,
// Errc::Io "exit status N" when it fails (the caller adds "Failed to open <url>: ").
Status open_url(std::string_view url, const Environment& env);

}  // namespace av::platform
