// single_flight.h (internal to vault/): one refresh for many callers (the issue's "single
// flight"). Before a cached provider calls STS or prompts for MFA it takes an exclusive lock on a
// per-cache-key lock directory, then looks in the cache again: processes that waited find the
// session the first one stored and make no call.
//
// Lock directories live in one private directory (0700; refused when group- or world-writable).
// Their names are `session-<32 hex digits>`, the start of SHA-256 over the cache key prefix, so no
// profile name or MFA serial appears in a file name. flock locks are per open file description, so
// threads of one process exclude each other as processes do.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"
#include "platform/env.h"
#include "platform/secure_file.h"

namespace av::vault::detail {

// default_lock_dir: $XDG_RUNTIME_DIR/aws-vault when XDG_RUNTIME_DIR is set and not empty, else
// ~/.awsvault/locks. Errors: platform::home_dir's when HOME is needed and unknown.
[[nodiscard]] Result<std::string> default_lock_dir(const platform::Environment& env);

// lock_name is `session-` and the first 16 bytes of SHA-256(cache_key) in lowercase hex.
std::string lock_name(std::string_view cache_key);

// acquire_refresh_lock creates `dir` (0700) and `dir/<lock_name(cache_key)>` if missing and
// locks the latter, waiting at most `timeout` for another holder. Errors: Errc::Io "timed out
// after <dur> waiting for lock <path>", Errc::PermissionDenied when `dir` is group- or
// world-writable, the mkdir/open/flock errors of platform/secure_file.h. The lock is released
// when the returned FileLock is destroyed.
[[nodiscard]] Result<platform::FileLock> acquire_refresh_lock(std::string_view dir,
                                                              std::string_view cache_key,
                                                              std::chrono::milliseconds timeout);

}  // namespace av::vault::detail
