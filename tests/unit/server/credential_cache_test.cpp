// credential_cache_test.cpp: CredentialCache against a scripted fetcher and a settable clock:
// caching, the refresh window (and upstream's zero window), credentials that never expire,
// fallback to still-valid credentials when a refresh fails, error passthrough, and one fetch for
// concurrent callers.
#include "server/credential_cache.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using av::Errc;
using av::Error;
using av::Result;
using av::aws::Credentials;
using av::server::CredentialCache;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using Time = std::chrono::system_clock::time_point;

class ManualClock final : public av::platform::Clock {
 public:
  Time t = Time(seconds(1'700'000'000));
  Time now() const override { return t; }
};

// ScriptedFetcher hands out AKID1, AKID2, ... each valid for `lifetime` from the clock's now,
// or fails while `failing` is set.
struct ScriptedFetcher {
  ManualClock& clock;
  std::optional<std::chrono::seconds> lifetime = hours(1);
  bool failing = false;
  int calls = 0;

  Result<Credentials> operator()() {
    ++calls;
    if (failing) return Error(Errc::Network, "sts unreachable: connection refused");
    Credentials c;
    c.access_key_id = "AKID" + std::to_string(calls);
    c.secret_access_key = av::secure::SecretString::copy_of("secret" + std::to_string(calls));
    c.session_token = av::secure::SecretString::copy_of("token" + std::to_string(calls));
    if (lifetime) c.expiration = clock.t + *lifetime;
    return c;
  }
};

av::server::Fetcher by_ref(ScriptedFetcher& f) {
  return [&f] { return f(); };
}

}  // namespace

TEST_CASE("CredentialCache: fetches once and serves the cached credentials", "[server][cache]") {
  ManualClock clock;
  ScriptedFetcher fetcher{clock};
  CredentialCache cache(by_ref(fetcher), clock);
  CHECK(cache.fetches() == 0);

  auto first = cache.get();
  REQUIRE(first);
  CHECK(first->access_key_id == "AKID1");
  CHECK(first->secret_access_key.reveal() == "secret1");
  CHECK(first->session_token.reveal() == "token1");
  clock.t += minutes(30);
  auto second = cache.get();
  REQUIRE(second);
  CHECK(second->access_key_id == "AKID1");
  CHECK(second->secret_access_key.reveal() == "secret1");
  CHECK(cache.fetches() == 1);
  CHECK(fetcher.calls == 1);
}

TEST_CASE("CredentialCache: refreshes once no more than the refresh window remains",
          "[server][cache]") {
  ManualClock clock;
  ScriptedFetcher fetcher{clock};
  CredentialCache cache(by_ref(fetcher), clock, minutes(5));
  REQUIRE(cache.get());  // expires at start + 1h

  clock.t += minutes(55) - seconds(1);  // 5m1s left: still fresh
  CHECK(cache.get()->access_key_id == "AKID1");
  CHECK(cache.fetches() == 1);

  clock.t += seconds(1);  // exactly 5m left: refresh
  CHECK(cache.get()->access_key_id == "AKID2");
  CHECK(cache.fetches() == 2);
  CHECK(cache.get()->access_key_id == "AKID2");
  CHECK(cache.fetches() == 2);
}

TEST_CASE("CredentialCache: a zero window serves until expiry, as upstream", "[server][cache]") {
  ManualClock clock;
  ScriptedFetcher fetcher{clock};
  CredentialCache cache(by_ref(fetcher), clock, seconds(0));
  REQUIRE(cache.get());
  clock.t += hours(1) - seconds(1);
  CHECK(cache.get()->access_key_id == "AKID1");
  clock.t += seconds(1);  // now == expiration: expired (aws.Credentials.Expired)
  CHECK(cache.get()->access_key_id == "AKID2");
  CHECK(cache.fetches() == 2);
}

TEST_CASE("CredentialCache: credentials without expiration are never refreshed",
          "[server][cache]") {
  ManualClock clock;
  ScriptedFetcher fetcher{clock};
  fetcher.lifetime.reset();
  CredentialCache cache(by_ref(fetcher), clock);
  auto first = cache.get();
  REQUIRE(first);
  CHECK_FALSE(first->expiration.has_value());
  clock.t += hours(24 * 365 * 10);
  CHECK(cache.get()->access_key_id == "AKID1");
  CHECK(cache.fetches() == 1);
}

TEST_CASE("CredentialCache: a failed refresh serves the old credentials while they are valid",
          "[server][cache]") {
  ManualClock clock;
  ScriptedFetcher fetcher{clock};
  CredentialCache cache(by_ref(fetcher), clock, minutes(5));
  REQUIRE(cache.get());

  fetcher.failing = true;
  clock.t += minutes(57);  // inside the window, 3m left
  auto during = cache.get();
  REQUIRE(during);
  CHECK(during->access_key_id == "AKID1");
  CHECK(cache.fetches() == 2);          // it did try
  clock.t += minutes(2) + seconds(59);  // 1s left
  CHECK(cache.get()->access_key_id == "AKID1");
  CHECK(cache.fetches() == 3);

  clock.t += seconds(1);  // expired: the error comes through
  auto after = cache.get();
  REQUIRE_FALSE(after);
  CHECK(after.error().code() == Errc::Network);
  CHECK(after.error().message() == "sts unreachable: connection refused");

  fetcher.failing = false;  // recovers on the next request
  CHECK(cache.get()->access_key_id == "AKID5");
}

TEST_CASE("CredentialCache: with nothing cached the fetcher's error passes through unchanged",
          "[server][cache][error]") {
  ManualClock clock;
  ScriptedFetcher fetcher{clock};
  fetcher.failing = true;
  CredentialCache cache(by_ref(fetcher), clock);
  auto got = cache.get();
  REQUIRE_FALSE(got);
  CHECK(got.error().code() == Errc::Network);
  CHECK(got.error().message() == "sts unreachable: connection refused");
  auto status = cache.prefetch();
  REQUIRE_FALSE(status);
  CHECK(status.error().message() == "sts unreachable: connection refused");
  CHECK(cache.fetches() == 2);  // errors are not cached
}

TEST_CASE("CredentialCache: prefetch fills the cache for the first request", "[server][cache]") {
  ManualClock clock;
  ScriptedFetcher fetcher{clock};
  CredentialCache cache(by_ref(fetcher), clock);
  REQUIRE(cache.prefetch());
  CHECK(cache.fetches() == 1);
  CHECK(cache.get()->access_key_id == "AKID1");
  CHECK(cache.fetches() == 1);
}

TEST_CASE("CredentialCache: concurrent callers share one fetch", "[server][cache]") {
  ManualClock clock;
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};
  std::atomic<int> calls{0};
  auto fetch = [&]() -> Result<Credentials> {
    const int now_in = ++in_flight;
    int seen = max_in_flight.load();
    while (now_in > seen && !max_in_flight.compare_exchange_weak(seen, now_in)) {
    }
    std::this_thread::yield();
    ++calls;
    Credentials c;
    c.access_key_id = "AKIDSHARED";
    c.secret_access_key = av::secure::SecretString::copy_of("s");
    c.expiration = clock.t + hours(1);
    --in_flight;
    return c;
  };
  CredentialCache cache(fetch, clock);
  std::atomic<int> served{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto got = cache.get();
      if (got && got->access_key_id == "AKIDSHARED") ++served;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(served == 8);
  CHECK(calls == 1);
  CHECK(cache.fetches() == 1);
  CHECK(max_in_flight == 1);
}

TEST_CASE("CredentialCache: serve lends the cached credentials with a generation per fetch",
          "[server][cache]") {
  ManualClock clock;
  ScriptedFetcher fetcher{clock};
  CredentialCache cache(by_ref(fetcher), clock, minutes(5));
  std::string id;
  std::string secret;
  std::uint64_t generation = 0;
  auto use = [&](const Credentials& c, std::uint64_t g) {
    id = c.access_key_id;
    secret = std::string(c.secret_access_key.reveal());
    generation = g;
  };
  REQUIRE(cache.serve(use));
  CHECK(id == "AKID1");
  CHECK(secret == "secret1");
  const std::uint64_t first = generation;
  CHECK(first != 0);
  for (int i = 0; i < 100; ++i) REQUIRE(cache.serve(use));
  CHECK(generation == first);  // cached: same generation, no fetch
  CHECK(cache.fetches() == 1);
  CHECK(cache.get()->access_key_id == "AKID1");  // get() shares the cache
  CHECK(cache.fetches() == 1);

  clock.t += minutes(56);  // inside the window: refreshed, new generation
  REQUIRE(cache.serve(use));
  CHECK(id == "AKID2");
  CHECK(generation > first);
  const std::uint64_t second = generation;

  fetcher.failing = true;  // a failed refresh serves the old credentials, same generation
  clock.t += minutes(56);
  REQUIRE(cache.serve(use));
  CHECK(id == "AKID2");
  CHECK(generation == second);
  clock.t += minutes(5);  // expired: the error, and `use` is not called
  id.clear();
  const auto status = cache.serve(use);
  REQUIRE_FALSE(status);
  CHECK(status.error().message() == "sts unreachable: connection refused");
  CHECK(id.empty());
}
