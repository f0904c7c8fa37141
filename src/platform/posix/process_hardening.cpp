// process_hardening.cpp: no core dumps, not traceable (STYLE.md §3.5 "Process hardening at
// start"). The user's RLIMIT_CORE is remembered on the first call so children get it back.
#include "platform/process_hardening.h"

#include <cerrno>
#include <sys/resource.h>

#if defined(__linux__)
#include <sys/prctl.h>
#elif defined(__APPLE__)
#include <sys/ptrace.h>
#include <sys/types.h>
#endif

#include "platform/posix/hardening_internal.h"
#include "platform/posix/os_error.h"

namespace av::platform {
namespace {

// Written once by the first harden_process (before any thread or child exists), then only read.
struct rlimit g_original_core {};
bool g_saved = false;

Error refused(std::string_view op, int err) {
  return Error(Errc::PermissionDenied, std::string(op) + ": " + detail::errno_text(err));
}

}  // namespace

namespace detail {
int suppress_core_dumps() noexcept {
  // Soft limit 0, hard limit unchanged, so restore_core_limit_for_child can raise it again.
  struct rlimit none {};
  none.rlim_cur = 0;
  none.rlim_max = g_saved ? g_original_core.rlim_max : RLIM_INFINITY;
  if (!g_saved && ::getrlimit(RLIMIT_CORE, &none) == 0) none.rlim_cur = 0;
  return ::setrlimit(RLIMIT_CORE, &none) == 0 ? 0 : errno;
}
}  // namespace detail

Status harden_process(HardeningMode mode) {
  Status status;
  auto note = [&](Error error) {
    if (mode == HardeningMode::Required && status) status = std::move(error);
  };
  if (!g_saved && ::getrlimit(RLIMIT_CORE, &g_original_core) == 0) g_saved = true;
  if (int err = detail::suppress_core_dumps(); err != 0) {
    note(refused("setrlimit RLIMIT_CORE", err));
  }
#if defined(__linux__)
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) note(refused("prctl PR_SET_DUMPABLE", errno));
#elif defined(__APPLE__)
  if (::ptrace(PT_DENY_ATTACH, 0, nullptr, 0) != 0) note(refused("ptrace PT_DENY_ATTACH", errno));
#endif
  return status;
}

void restore_core_limit_for_child() noexcept {
  if (g_saved) ::setrlimit(RLIMIT_CORE, &g_original_core);
}

}  // namespace av::platform
