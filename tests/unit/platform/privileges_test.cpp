// privileges_test.cpp: dropping root for good (in a forked child, to nobody: the ids change,
// root cannot be regained, no_new_privs is set, root's files become unreadable), the refusals
// when not root, and the other helpers of privileges.h: our executable's path, the owned secret
// file read, private temporary directories, forked children with signal forwarding, background
// processes and shutdown signals. The tests run as root (CI and this machine are root); without
// root the drop tests fail loudly rather than skip.
#include "platform/privileges.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "temp_dir.h"

namespace av::platform {
namespace {

constexpr UserIds kNobody{65534, 65534};

void write_text(const std::string& path, const std::string& text, mode_t mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
  }
  REQUIRE(::chmod(path.c_str(), mode) == 0);
}

// child_checks runs in the forked child after the drop; each failed check sets one bit.
int child_checks(const std::string& root_only_file) {
  int failures = 0;
  if (::getuid() != kNobody.uid || ::geteuid() != kNobody.uid) failures |= 1;
  if (::getgid() != kNobody.gid || ::getegid() != kNobody.gid) failures |= 2;
  if (::setuid(0) == 0 || ::seteuid(0) == 0) failures |= 4;
  if (::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) failures |= 8;
  const int fd = ::open(root_only_file.c_str(), O_RDONLY);
  if (fd >= 0) {
    failures |= 16;
    ::close(fd);
  }
  if (::getgroups(0, nullptr) != 0) failures |= 32;
  return failures;
}

std::atomic<int> g_signals_seen{0};
void count_signal(void* /*context*/) noexcept { g_signals_seen.fetch_add(1); }

}  // namespace

TEST_CASE("drop_privileges: root drops to nobody for good", "[platform][privileges]") {
  REQUIRE(effective_uid() == 0);  // these tests need root: fail loudly, never skip
  testing::TempDir dir;
  const std::string secret_file = dir.file("root-only");
  write_text(secret_file, "root's", 0600);
  auto status = run_in_child_process([&]() -> int {
    if (!drop_privileges(kNobody)) return 64;
    return child_checks(secret_file);
  });
  REQUIRE(status.has_value());
  CHECK_FALSE(status->signalled());
  CHECK(status->exit_code == 0);
  // The parent is untouched.
  CHECK(effective_uid() == 0);
}

TEST_CASE("drop_privileges: refused when not root", "[platform][privileges][error]") {
  REQUIRE(effective_uid() == 0);
  auto status = run_in_child_process([]() -> int {
    if (!drop_privileges(kNobody)) return 64;
    int failures = 0;
    Status to_root = drop_privileges({0, 0});
    if (to_root || to_root.error().code() != Errc::PermissionDenied) failures |= 1;
    Status to_other = drop_privileges({1, 1});
    if (to_other || to_other.error().code() != Errc::PermissionDenied) failures |= 2;
    // Dropping to what we already are succeeds (and only sets no_new_privs again).
    if (!drop_privileges(kNobody)) failures |= 4;
    if (::getuid() != kNobody.uid) failures |= 8;
    return failures;
  });
  REQUIRE(status.has_value());
  CHECK(status->exit_code == 0);
}

TEST_CASE("drop_privileges: staying root only forbids new privileges", "[platform][privileges]") {
  REQUIRE(effective_uid() == 0);
  auto status = run_in_child_process([]() -> int {
    if (!drop_privileges({0, 0})) return 1;
    if (::geteuid() != 0) return 2;
    return ::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 3;
  });
  REQUIRE(status.has_value());
  CHECK(status->exit_code == 0);
}

TEST_CASE("run_in_child_process: secrets and exit codes cross the fork",
          "[platform][privileges]") {
  const auto secret = secure::SecretString::copy_of("locked memory survives fork");
  auto status = run_in_child_process(
      [&]() -> int { return secret.reveal() == "locked memory survives fork" ? 23 : 1; });
  REQUIRE(status.has_value());
  CHECK(status->exit_code == 23);
  auto killed = run_in_child_process([]() -> int {
    ::kill(::getpid(), SIGKILL);
    return 0;
  });
  REQUIRE(killed.has_value());
  CHECK(killed->term_signal == SIGKILL);
}

TEST_CASE("run_in_child_process: SIGTERM to the parent reaches the child",
          "[platform][privileges]") {
  auto status = run_in_child_process([]() -> int {
    g_signals_seen.store(0);
    const ShutdownSignals signals(count_signal, nullptr);
    ::kill(::getppid(), SIGTERM);  // the waiting parent forwards it back to us
    for (int i = 0; i < 1000 && g_signals_seen.load() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return g_signals_seen.load() > 0 ? 42 : 1;
  });
  REQUIRE(status.has_value());
  CHECK(status->exit_code == 42);
}

TEST_CASE("ShutdownSignals: SIGINT, SIGTERM and SIGHUP call back instead of killing",
          "[platform][privileges]") {
  struct sigaction before {};
  REQUIRE(::sigaction(SIGHUP, nullptr, &before) == 0);
  g_signals_seen.store(0);
  {
    const ShutdownSignals signals(count_signal, nullptr);
    ::raise(SIGINT);
    ::raise(SIGTERM);
    ::raise(SIGHUP);
  }
  CHECK(g_signals_seen.load() == 3);
  struct sigaction after {};
  REQUIRE(::sigaction(SIGHUP, nullptr, &after) == 0);
  CHECK(after.sa_handler == before.sa_handler);
}

TEST_CASE("self_executable_path: the absolute path of this test binary", "[platform]") {
  auto path = self_executable_path();
  REQUIRE(path.has_value());
  CHECK(path->front() == '/');
  CHECK(path->ends_with("/av_platform_test"));
  CHECK(is_executable(*path));
}

TEST_CASE("read_owned_secret_file: bytes with owner and mode", "[platform][privileges]") {
  testing::TempDir dir;
  const std::string path = dir.file("token");
  write_text(path, "s3cret", 0600);
  auto file = read_owned_secret_file(path, 64);
  REQUIRE(file.has_value());
  CHECK(as_chars(file->data.reveal()) == "s3cret");
  CHECK(file->owner_uid == ::geteuid());
  CHECK(file->mode == 0600);
  REQUIRE(::chmod(path.c_str(), 0640) == 0);
  CHECK(read_owned_secret_file(path, 64)->mode == 0640);
}

TEST_CASE("read_owned_secret_file: refusals", "[platform][privileges][error]") {
  testing::TempDir dir;
  const std::string path = dir.file("token");
  write_text(path, "0123456789", 0600);
  CHECK(read_owned_secret_file(path, 9).error().code() == Errc::TooLarge);
  CHECK(read_owned_secret_file(dir.file("missing"), 64).error().code() == Errc::NotFound);
  const std::string link = dir.file("link");
  REQUIRE(::symlink(path.c_str(), link.c_str()) == 0);
  CHECK(read_owned_secret_file(link, 64).error().code() == Errc::Io);  // ELOOP
  const std::string fifo = dir.file("fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(read_owned_secret_file(fifo, 64).error().code() == Errc::Unsupported);  // no blocking
  CHECK(read_owned_secret_file(dir.path(), 64).error().code() == Errc::Unsupported);
}

TEST_CASE("make_private_temp_dir: fresh 0700 directories; remove_empty_dir",
          "[platform][privileges]") {
  testing::TempDir dir;
  auto first = make_private_temp_dir(dir.path(), "av-ec2-");
  auto second = make_private_temp_dir(dir.path(), "av-ec2-");
  REQUIRE(first.has_value());
  REQUIRE(second.has_value());
  CHECK(*first != *second);
  CHECK(first->starts_with(dir.path() + "/av-ec2-"));
  struct stat st {};
  REQUIRE(::stat(first->c_str(), &st) == 0);
  CHECK(S_ISDIR(st.st_mode));
  CHECK((st.st_mode & 0777) == 0700);
  write_text(*first + "/f", "x", 0600);
  CHECK(remove_empty_dir(*first).error().code() == Errc::Io);  // not empty
  REQUIRE(std::remove((*first + "/f").c_str()) == 0);
  CHECK(remove_empty_dir(*first).has_value());
  CHECK(remove_empty_dir(*first).error().code() == Errc::NotFound);
  CHECK(make_private_temp_dir(dir.file("missing"), "x").error().code() == Errc::NotFound);
}

TEST_CASE("spawn_background: own process group, reaped later", "[platform][privileges]") {
  const auto env = Environment::from_pairs({{"PATH", "/usr/bin:/bin"}});
  auto sleeper = spawn_background({"sh", "-c", "sleep 30"}, env);
  REQUIRE(sleeper.has_value());
  const int pid = sleeper->pid();
  CHECK(::getpgid(pid) == pid);
  auto still = sleeper->wait_for(std::chrono::milliseconds(20));
  REQUIRE(still.has_value());
  CHECK_FALSE(still->has_value());
  REQUIRE(::kill(pid, SIGKILL) == 0);
  auto ended = sleeper->wait_for(std::chrono::seconds(30));
  REQUIRE(ended.has_value());
  REQUIRE(ended->has_value());
  CHECK((*ended)->term_signal == SIGKILL);
  CHECK(sleeper->wait_for(std::chrono::milliseconds(1)).error().code() == Errc::Internal);

  auto three = spawn_background({"sh", "-c", "exit 3"}, env);
  REQUIRE(three.has_value());
  auto done = three->wait_for(std::chrono::seconds(30));
  REQUIRE(done.has_value());
  REQUIRE(done->has_value());
  CHECK((*done)->exit_code == 3);
}

TEST_CASE("spawn_background: start failures are errors", "[platform][privileges][error]") {
  const auto env = Environment::from_pairs({{"PATH", "/usr/bin:/bin"}});
  CHECK(spawn_background({"no-such-program-av"}, env).error().code() == Errc::NotFound);
  CHECK(spawn_background({"/etc/passwd"}, env).error().code() == Errc::PermissionDenied);
  CHECK(spawn_background({}, env).error().code() == Errc::NotFound);
}

}  // namespace av::platform
