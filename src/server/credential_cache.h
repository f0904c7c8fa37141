// credential_cache.h: the in-memory credentials a credential server hands out (spec §6.4
// "in-memory caching"), refreshed before they expire.
//
// Upstream hands out the same credentials until their expiry has passed, so an SDK asking a
// minute before expiry gets credentials that die a minute later. We refresh once fewer than
// `refresh_window` remain (docs/COMPATIBILITY.md), and keep serving the old ones only while they
// are still valid and the refresh failed. Thread-safe: fetches are serialized by a mutex, so
// concurrent requests share one fetch.
//
// Serving without copies: get() returns a copy, which costs two locked-memory allocations for
// the secrets. The credential servers use serve() instead, which lends the cached credentials to a
// callback under the lock together with a generation number that changes with every successful
// fetch, so a handler can keep its rendered reply and re-render only when the generation moves.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

#include "aws/credentials.h"
#include "base/result.h"
#include "platform/clock.h"
#include "secure/secret.h"

namespace av::server {

// Fetcher obtains fresh credentials (the vault chain, or AssumeRole for /role-arn/). It may block
// (STS call, MFA prompt through a GUI driver).
using Fetcher = std::function<Result<aws::Credentials>()>;

class CredentialCache {
 public:
  CredentialCache(Fetcher fetch, const platform::Clock& clock,
                  std::chrono::seconds refresh_window = std::chrono::minutes(5));

  // get returns valid credentials, fetching when none are cached or the cached ones are inside
  // the refresh window. Errors are the fetcher's.
  Result<aws::Credentials> get();
  // prefetch is get() for its side effect (exec's initial fetch; MFA prompts happen here).
  Status prefetch();
  // serve refreshes exactly as get() does, then calls `use(credentials, generation)` with the
  // cached credentials, under the cache's lock and without copying them. `generation` is never
  // 0 and increases with every successful fetch, so anything derived from the credentials (a
  // rendered reply) may be kept until it changes; state touched only inside one cache's `use`
  // is protected by that cache's lock. `use` must not call back into this cache, and must not
  // keep the reference. Errors are get()'s (`use` is then not called).
  template <typename Use>
  Status serve(Use&& use) {
    const std::lock_guard<std::mutex> lock(mutex_);
    AV_TRY_ASSIGN(const aws::Credentials* creds, current_locked());
    use(*creds, generation_);
    return ok();
  }
  // fetches: how many times the fetcher ran (tests).
  int fetches() const;

 private:
  // current_locked refreshes when needed and returns the cached credentials (mutex_ held).
  Result<const aws::Credentials*> current_locked();

  Fetcher fetch_;
  const platform::Clock& clock_;
  std::chrono::seconds refresh_window_;
  mutable std::mutex mutex_;
  std::optional<aws::Credentials> cached_;
  int fetches_ = 0;
  std::uint64_t generation_ = 0;  // bumped on every successful fetch
};

}  // namespace av::server
