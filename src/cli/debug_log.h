// debug_log.h: the --debug sink of spec §1.4: "YYYY/MM/DD HH:MM:SS <message>\n" on stderr.
#pragma once

#include "cli/context.h"

namespace av::cli {

// DebugLogScope installs the debug sink writing to ctx.err with ctx.clock's local time, and
// removes it on destruction. Only one may exist at a time (the sink is process-wide because
// base/log.h takes a plain function pointer). `ctx` must outlive the scope.
class DebugLogScope {
 public:
  explicit DebugLogScope(const Context& ctx);
  ~DebugLogScope();
  DebugLogScope(const DebugLogScope&) = delete;
  DebugLogScope& operator=(const DebugLogScope&) = delete;
};

}  // namespace av::cli
