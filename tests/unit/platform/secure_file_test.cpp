#include "platform/secure_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

#include "temp_dir.h"

namespace av::platform {
namespace {

using testing::TempDir;

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return static_cast<unsigned>(st.st_mode) & 07777U;
}

// UmaskScope sets a permissive umask so tests prove the mode does not come from it.
struct UmaskScope {
  UmaskScope() : old(::umask(0)) {}
  ~UmaskScope() { ::umask(old); }
  UmaskScope(const UmaskScope&) = delete;
  UmaskScope& operator=(const UmaskScope&) = delete;
  mode_t old;
};

}  // namespace

TEST_CASE("write_file_atomic: leaves exactly one file with mode 0600", "[platform][roundtrip]") {
  TempDir dir;
  UmaskScope umask_scope;
  std::string path = dir.file("config");
  REQUIRE(write_file_atomic(path, as_bytes("first")));
  REQUIRE(write_file_atomic(path, as_bytes("second version")));
  CHECK(*read_file(path) == "second version");
  CHECK(mode_of(path) == 0600);
  CHECK(*list_dir(dir.path()) == std::vector<std::string>{"config"});
}

TEST_CASE("write_file_atomic: creates missing parents 0700", "[platform][roundtrip]") {
  TempDir dir;
  UmaskScope umask_scope;
  std::string path = dir.file("a/b/file");
  REQUIRE(write_file_atomic(path, secure::SecretBytes::copy_of(as_bytes("k"))));
  CHECK(mode_of(dir.file("a")) == 0700);
  CHECK(mode_of(dir.file("a/b")) == 0700);
  auto secret = read_secret_file(path, 16);
  REQUIRE(secret.has_value());
  CHECK(as_chars(secret->reveal()) == "k");
}

TEST_CASE("write_file_atomic: keeps an existing mode when asked", "[platform][roundtrip]") {
  TempDir dir;
  std::string path = dir.file("config");
  REQUIRE(write_file_atomic(path, as_bytes("x"), FileMode::exactly(0644)));
  CHECK(mode_of(path) == 0644);
  REQUIRE(write_file_atomic(path, as_bytes("y"), FileMode::keep_existing_or(0600)));
  CHECK(mode_of(path) == 0644);
  REQUIRE(write_file_atomic(path, secure::SecretString::copy_of("z")));
  CHECK(mode_of(path) == 0600);
  REQUIRE(write_file_atomic(dir.file("new"), as_bytes("n"), FileMode::keep_existing_or(0640)));
  CHECK(mode_of(dir.file("new")) == 0640);
}

TEST_CASE("write_file_atomic: parent that is a regular file fails cleanly", "[platform][error]") {
  TempDir dir;
  REQUIRE(write_file_atomic(dir.file("plain"), as_bytes("x")));
  auto st = write_file_atomic(dir.file("plain/sub/target"), as_bytes("y"));
  REQUIRE_FALSE(st.has_value());
  CHECK(st.error().code() == Errc::Io);
  CHECK(st.error().message() == "mkdir " + dir.file("plain") + ": not a directory");
  CHECK(*list_dir(dir.path()) == std::vector<std::string>{"plain"});
}

TEST_CASE("write_file_atomic: failed rename removes the temporary file", "[platform][error]") {
  TempDir dir;
  // The target is a non-empty directory: even root cannot rename a file over it.
  REQUIRE(ensure_private_dir(dir.file("target")));
  REQUIRE(write_file_atomic(dir.file("target/inner"), as_bytes("keep")));
  auto st = write_file_atomic(dir.file("target"), as_bytes("y"));
  REQUIRE_FALSE(st.has_value());
  CHECK(st.error().message().starts_with("rename "));
  CHECK(*list_dir(dir.path()) == std::vector<std::string>{"target"});
  CHECK(*read_file(dir.file("target/inner")) == "keep");
}

TEST_CASE("read_file: NoSymlinks refuses a symlink", "[platform][error]") {
  TempDir dir;
  REQUIRE(write_file_atomic(dir.file("real"), as_bytes("data")));
  REQUIRE(::symlink(dir.file("real").c_str(), dir.file("link").c_str()) == 0);
  CHECK(*read_file(dir.file("link")) == "data");
  auto refused = read_file(dir.file("link"), 100, Follow::NoSymlinks);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code() == Errc::Io);
  CHECK_FALSE(read_secret_file(dir.file("link"), 100).has_value());
}

TEST_CASE("read_file: bounded by max_len", "[platform][error]") {
  TempDir dir;
  std::string content(10000, 'a');
  REQUIRE(write_file_atomic(dir.file("f"), as_bytes(content)));
  CHECK(read_file(dir.file("f"), 10000)->size() == 10000);
  auto big = read_file(dir.file("f"), 9999);
  REQUIRE_FALSE(big.has_value());
  CHECK(big.error().code() == Errc::TooLarge);
  CHECK(read_secret_file(dir.file("f"), 10000)->size() == 10000);
  CHECK(read_secret_file(dir.file("f"), 9999).error().code() == Errc::TooLarge);
  CHECK(read_file("/dev/null", 0)->empty());
}

TEST_CASE("read_file: missing file is NotFound with Go's message", "[platform][error]") {
  TempDir dir;
  auto missing = read_file(dir.file("nope"));
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code() == Errc::NotFound);
  CHECK(missing.error().message() == "open " + dir.file("nope") + ": no such file or directory");
}

TEST_CASE("file helpers: exists, remove, list, permission checks", "[platform][roundtrip]") {
  TempDir dir;
  std::string path = dir.file("f");
  CHECK_FALSE(*file_exists(path));
  CHECK(remove_file(path).error().code() == Errc::NotFound);
  REQUIRE(write_file_atomic(path, as_bytes("x")));
  CHECK(*file_exists(path));
  CHECK_FALSE(*is_group_or_world_writable(path));
  CHECK_FALSE(*is_group_or_world_accessible(path));
  REQUIRE(::chmod(path.c_str(), 0640) == 0);
  CHECK_FALSE(*is_group_or_world_writable(path));
  CHECK(*is_group_or_world_accessible(path));
  REQUIRE(::chmod(path.c_str(), 0606) == 0);
  CHECK(*is_group_or_world_writable(path));
  REQUIRE(remove_file(path));
  CHECK(list_dir(dir.path())->empty());
  CHECK(list_dir(dir.file("nope")).error().code() == Errc::NotFound);
  CHECK(is_group_or_world_writable(dir.file("nope")).error().code() == Errc::NotFound);
}

TEST_CASE("ensure_private_dir: idempotent, keeps existing modes", "[platform][roundtrip]") {
  TempDir dir;
  REQUIRE(ensure_private_dir(dir.file("x//y/")));
  CHECK(mode_of(dir.file("x/y")) == 0700);
  REQUIRE(::chmod(dir.file("x").c_str(), 0755) == 0);
  REQUIRE(ensure_private_dir(dir.file("x/y")));
  CHECK(mode_of(dir.file("x")) == 0755);
}

}  // namespace av::platform
