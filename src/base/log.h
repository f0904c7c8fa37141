// log.h: the --debug diagnostic log (spec §1.4).
//
// Library code calls av::log::debug("Loading config file " + path). Nothing is written unless the
// CLI installed a sink (it does so only under --debug); the sink adds the "YYYY/MM/DD HH:MM:SS "
// prefix and writes to stderr. Messages must never contain secret bytes (STYLE.md §3.5): access
// key ids appear masked ("****************ABCD"), secrets not at all.
#pragma once

#include <string_view>

namespace av::log {

// Sink receives one message without timestamp or newline.
using Sink = void (*)(std::string_view message);

// set_debug_sink installs `sink` (nullptr turns debug logging off). Not thread-safe with
// concurrent debug() calls: install it once at start-up.
void set_debug_sink(Sink sink) noexcept;

// debug_enabled reports whether a sink is installed, so callers can skip building messages.
bool debug_enabled() noexcept;

// debug passes `message` to the sink, if any.
void debug(std::string_view message);

}  // namespace av::log
