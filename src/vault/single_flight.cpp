// single_flight.cpp: per-cache-key refresh locks with a bounded wait.
#include "vault/single_flight.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "base/bytes.h"
#include "codec/go_duration.h"
#include "codec/hex.h"
#include "crypto/sha256.h"
#include "platform/paths.h"

namespace av::vault::detail {
namespace {

// LockWait: the rendezvous between the caller and the thread blocked in flock. platform offers
// only a blocking lock_file, so the wait runs on a helper thread; a caller that gives up marks
// the state abandoned and the helper releases the lock as soon as it gets it.
struct LockWait {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool abandoned = false;
  std::optional<Result<platform::FileLock>> result;
};

void wait_for_lock(const std::shared_ptr<LockWait>& state, const std::string& path) {
  Result<platform::FileLock> lock = platform::lock_file(path);
  std::lock_guard<std::mutex> guard(state->mutex);
  if (state->abandoned) return;  // `lock` is released on return
  state->result.emplace(std::move(lock));
  state->done_cv.notify_all();
}

}  // namespace

Result<std::string> default_lock_dir(const platform::Environment& env) {
  if (auto runtime = env.get_nonempty("XDG_RUNTIME_DIR")) {
    return platform::join_path(*runtime, "aws-vault");
  }
  AV_TRY_ASSIGN(std::string home, platform::home_dir(env));
  return platform::join_path(home, ".awsvault/locks");
}

std::string lock_name(std::string_view cache_key) {
  const crypto::Sha256Digest digest = crypto::sha256(as_bytes(cache_key));
  return "session-" + codec::encode_hex(ByteSpan(digest.data(), 16));
}

Result<platform::FileLock> acquire_refresh_lock(std::string_view dir, std::string_view cache_key,
                                                std::chrono::milliseconds timeout) {
  AV_TRY(platform::ensure_private_dir(dir));
  AV_TRY_ASSIGN(bool shared, platform::is_group_or_world_writable(dir));
  if (shared) {
    return Error(Errc::PermissionDenied,
                 "lock directory " + std::string(dir) + " is writable by other users");
  }
  std::string path = platform::join_path(dir, lock_name(cache_key));
  AV_TRY(platform::ensure_private_dir(path));
  auto state = std::make_shared<LockWait>();
  std::thread(wait_for_lock, state, path).detach();
  std::unique_lock<std::mutex> guard(state->mutex);
  if (!state->done_cv.wait_for(guard, timeout, [&] { return state->result.has_value(); })) {
    state->abandoned = true;
    return Error(Errc::Io, "timed out after " + codec::format_go_duration(timeout) +
                               " waiting for lock " + path);
  }
  return std::move(*state->result);
}

}  // namespace av::vault::detail
