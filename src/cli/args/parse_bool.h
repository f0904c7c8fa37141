// parse_bool.h: Go's strconv.ParseBool, which kingpin applies to boolean env-var defaults
// (spec §1.1): AWS_VAULT_STDOUT=yes must fail exactly as upstream does.
#pragma once

#include <string_view>

#include "base/result.h"

namespace av::cli::args {

// parse_go_bool accepts exactly 1 t T TRUE true True (true) and 0 f F FALSE false False (false).
// Anything else is Errc::Usage `strconv.ParseBool: parsing "<text>": invalid syntax`, with `text`
// rendered by ascii::quote_for_terminal (Go's %q), so control characters cannot reach a terminal.
[[nodiscard]] Result<bool> parse_go_bool(std::string_view text);

}  // namespace av::cli::args
