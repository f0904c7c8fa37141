// hardening_internal.h (internal to platform/): re-applying the core-dump limit after a failed
// exec_replace, which had restored the user's limit just before execve.
#pragma once

namespace av::platform::detail {

// suppress_core_dumps sets the RLIMIT_CORE soft limit to 0 (hard limit kept). Returns 0 or errno.
int suppress_core_dumps() noexcept;

}  // namespace av::platform::detail
