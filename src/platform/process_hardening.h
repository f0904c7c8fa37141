// process_hardening.h: what main() does first (STYLE.md §3.5 "Process hardening at start").
#pragma once

#include "base/result.h"

namespace av::platform {

enum class HardeningMode : int {
  BestEffort,  // ordinary commands: failures are ignored (logged under --debug by the caller)
  Required,    // long-running servers: any refusal is an error
};

// harden_process disables core dumps (RLIMIT_CORE = 0, remembering the user's original limit for
// children, see original_core_limit_for_children) and makes the process non-dumpable and so not
// ptrace-attachable by other unprivileged processes (Linux PR_SET_DUMPABLE 0; macOS PT_DENY_ATTACH).
// Errc::PermissionDenied in Required mode when a step is refused.
Status harden_process(HardeningMode mode);

// restore_core_limit_for_child puts back the RLIMIT_CORE the user had before harden_process, so a
// command started by `exec` keeps its core dumps (call in the child before execve, or before
// execve-replacing ourselves). Async-signal-safe.
void restore_core_limit_for_child() noexcept;

}  // namespace av::platform
