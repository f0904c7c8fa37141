// Single-flight refresh locks: names without profile text, private directories, a bounded wait.
#include <stdlib.h>
#include <sys/stat.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "platform/env.h"
#include "vault/single_flight.h"

namespace {

using av::Errc;
using namespace std::chrono_literals;

std::string make_temp_dir() {
  char tmpl[] = "/tmp/av-flight-test-XXXXXX";
  const char* made = ::mkdtemp(tmpl);
  REQUIRE(made != nullptr);
  return made;
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<unsigned>(st.st_mode) & 0777U;
}

}  // namespace

TEST_CASE("lock names are a hash of the cache key, never the key itself", "[vault][vector]") {
  const std::string key = "sts.GetSessionToken,am9uc21pdGg,,";
  const std::string name = av::vault::detail::lock_name(key);
  CHECK(name.size() == 8 + 32);
  CHECK(name.rfind("session-", 0) == 0);
  CHECK(name.find("am9uc21pdGg") == std::string::npos);
  CHECK(name == av::vault::detail::lock_name(key));
  CHECK(name != av::vault::detail::lock_name("sts.AssumeRole,am9uc21pdGg,,"));
  // SHA-256("") starts e3b0c442...
  CHECK(av::vault::detail::lock_name("") == "session-e3b0c44298fc1c149afbf4c8996fb924");
}

TEST_CASE("the default lock directory prefers XDG_RUNTIME_DIR", "[vault][vector]") {
  auto xdg = av::platform::Environment::from_pairs(
      {{"XDG_RUNTIME_DIR", "/run/user/1000"}, {"HOME", "/home/u"}});
  CHECK(av::vault::detail::default_lock_dir(xdg).value() == "/run/user/1000/aws-vault");
  auto home = av::platform::Environment::from_pairs({{"XDG_RUNTIME_DIR", ""}, {"HOME", "/home/u"}});
  CHECK(av::vault::detail::default_lock_dir(home).value() == "/home/u/.awsvault/locks");
}

TEST_CASE("locks live in private directories and can be taken again after release",
          "[vault][integration]") {
  const std::string dir = make_temp_dir() + "/locks";
  {
    auto lock = av::vault::detail::acquire_refresh_lock(dir, "k", 1000ms);
    REQUIRE(lock.has_value());
    CHECK(lock->held());
  }
  CHECK(mode_of(dir) == 0700U);
  CHECK(mode_of(dir + "/" + av::vault::detail::lock_name("k")) == 0700U);
  auto again = av::vault::detail::acquire_refresh_lock(dir, "k", 1000ms);
  REQUIRE(again.has_value());
  // A different key is a different lock.
  auto other = av::vault::detail::acquire_refresh_lock(dir, "other", 100ms);
  CHECK(other.has_value());
}

TEST_CASE("waiting for a held lock is bounded and the lock stays usable", "[vault][error]") {
  const std::string dir = make_temp_dir();
  auto held = av::vault::detail::acquire_refresh_lock(dir, "k", 1000ms);
  REQUIRE(held.has_value());
  const auto start = std::chrono::steady_clock::now();
  auto timed_out = av::vault::detail::acquire_refresh_lock(dir, "k", 200ms);
  REQUIRE_FALSE(timed_out.has_value());
  CHECK(timed_out.error().code() == Errc::Io);
  CHECK(std::string(timed_out.error().message()).rfind("timed out after 200ms waiting for lock " +
                                                       dir + "/session-",
                                                       0) == 0);
  CHECK(std::chrono::steady_clock::now() - start >= 200ms);
  held->release();
  // The abandoned waiter gets the lock and drops it at once, so this one succeeds.
  auto later = av::vault::detail::acquire_refresh_lock(dir, "k", 2000ms);
  CHECK(later.has_value());
}

TEST_CASE("a second holder waits for the first to release", "[vault][integration]") {
  const std::string dir = make_temp_dir();
  auto first = av::vault::detail::acquire_refresh_lock(dir, "k", 1000ms);
  REQUIRE(first.has_value());
  std::atomic<bool> released{false};
  std::atomic<bool> got_after_release{false};
  std::thread waiter([&] {
    auto second = av::vault::detail::acquire_refresh_lock(dir, "k", 5000ms);
    got_after_release = second.has_value() && released.load();
  });
  std::this_thread::sleep_for(200ms);
  released = true;
  first->release();
  waiter.join();
  CHECK(got_after_release);
}

TEST_CASE("a lock directory others can write to is refused", "[vault][error]") {
  const std::string dir = make_temp_dir();
  REQUIRE(::chmod(dir.c_str(), 0777) == 0);
  auto lock = av::vault::detail::acquire_refresh_lock(dir, "k", 100ms);
  REQUIRE_FALSE(lock.has_value());
  CHECK(lock.error().code() == Errc::PermissionDenied);
}
