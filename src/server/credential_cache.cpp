// credential_cache.cpp: the credential servers' in-memory cache (credential_cache.h).
//
// Cached credentials are fresh while more than `refresh_window` of their lifetime remains
// (credentials without an expiration always are). With a zero window this is exactly upstream's
// aws.CredentialsCache, which treats credentials as expired once `now >= expiration`. A failed
// refresh falls back to the old credentials while they are still valid (now < expiration), so a
// transient STS error inside the window costs nothing; once they are invalid the fetcher's error
// is returned and the old credentials are dropped (wiped).
#include "server/credential_cache.h"

#include <utility>

namespace av::server {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

bool is_fresh(const aws::Credentials& creds, TimePoint now, std::chrono::seconds window) {
  return !creds.expiration || *creds.expiration - now > window;
}

bool is_valid(const aws::Credentials& creds, TimePoint now) {
  return !creds.expiration || now < *creds.expiration;
}

}  // namespace

CredentialCache::CredentialCache(Fetcher fetch, const platform::Clock& clock,
                                 std::chrono::seconds refresh_window)
    : fetch_(std::move(fetch)), clock_(clock), refresh_window_(refresh_window) {}

Result<const aws::Credentials*> CredentialCache::current_locked() {
  const TimePoint now = clock_.now();
  if (cached_ && is_fresh(*cached_, now, refresh_window_)) return &*cached_;

  ++fetches_;
  Result<aws::Credentials> fetched = fetch_();
  if (fetched) {
    cached_ = std::move(fetched).value();
    ++generation_;
    return &*cached_;
  }
  if (cached_ && is_valid(*cached_, now)) return &*cached_;
  cached_.reset();
  return std::move(fetched).error();
}

Result<aws::Credentials> CredentialCache::get() {
  // Held across the fetch on purpose: concurrent callers wait for one fetch and share its result.
  const std::lock_guard<std::mutex> lock(mutex_);
  AV_TRY_ASSIGN(const aws::Credentials* creds, current_locked());
  return creds->clone();
}

Status CredentialCache::prefetch() {
  AV_TRY(get());
  return ok();
}

int CredentialCache::fetches() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return fetches_;
}

}  // namespace av::server
