// browser_test.cpp: open_url (platform/browser.h) with fake opener scripts in a temporary
// directory: the URL arrives as exactly one argv element with shell metacharacters inert, the
// $BROWSER list is tried in order with %s substitution, the platform opener is used without
// $BROWSER, failures are reported, and the opener's stdout is our stderr.
#include "platform/browser.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "temp_dir.h"

namespace av::platform {
namespace {

using testing::TempDir;

// A URL with everything a shell would act on; "pwned" appears only if one ran it.
const std::string kNastyUrl =
    "https://signin.example/federation?Action=login&SigninToken=a;b|c`touch pwned`"
    "$(touch pwned)'\"x y\\z\n%s*?~#!";

// write_opener writes an executable sh script `name` into `dir` that records its arguments
// (NUL-separated) in `<dir>/<name>.args`, whether its stdout is our stderr in `<name>.fds`, and
// exits with `status`.
void write_opener(const TempDir& dir, const std::string& name, int status = 0) {
  const std::string path = dir.file(name);
  std::ofstream(path) << "#!/bin/sh\n"
                      << "printf '%s\\0' \"$@\" > '" << dir.file(name + ".args") << "'\n"
                      << "r=different; [ /proc/self/fd/1 -ef /proc/self/fd/2 ] && r=same\n"
                      << "echo $r > '" << dir.file(name + ".fds") << "'\n"
                      << "echo \"env=$AV_MARKER\" >> '" << dir.file(name + ".fds") << "'\n"
                      << "exit " << status << "\n";
  REQUIRE(::chmod(path.c_str(), 0700) == 0);
}

std::vector<std::string> recorded_args(const TempDir& dir, const std::string& name) {
  std::ifstream in(dir.file(name + ".args"), std::ios::binary);
  REQUIRE(in.good());
  std::vector<std::string> args;
  std::string arg;
  while (std::getline(in, arg, '\0')) args.push_back(arg);
  return args;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

Environment env_with(const TempDir& dir, std::string browser) {
  std::vector<std::pair<std::string, std::string>> pairs = {{"PATH", dir.path()},
                                                             {"AV_MARKER", "inherited"}};
  if (!browser.empty()) pairs.emplace_back("BROWSER", std::move(browser));
  return Environment::from_pairs(std::move(pairs));
}

// StdoutToFile points our own stdout at a file for the scope, so "the opener's stdout is our
// stderr" can be told apart from "it is our stdout".
class StdoutToFile {
 public:
  explicit StdoutToFile(const std::string& path) {
    std::fflush(stdout);
    saved_ = ::dup(1);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(::dup2(fd, 1) == 1);
    ::close(fd);
  }
  ~StdoutToFile() {
    std::fflush(stdout);
    ::dup2(saved_, 1);
    ::close(saved_);
  }
  StdoutToFile(const StdoutToFile&) = delete;
  StdoutToFile& operator=(const StdoutToFile&) = delete;

 private:
  int saved_ = -1;
};

}  // namespace

TEST_CASE("open_url: the platform opener gets the URL as one argument, no shell",
          "[platform][browser][integration]") {
  TempDir dir;
  write_opener(dir, "xdg-open");
  write_opener(dir, "open");
  const std::string opener =
#if defined(__APPLE__)
      "open";
#else
      "xdg-open";
#endif
  {
    StdoutToFile redirect(dir.file("our-stdout"));
    REQUIRE(open_url(kNastyUrl, env_with(dir, "")).has_value());
  }
  CHECK(recorded_args(dir, opener) == std::vector<std::string>{kNastyUrl});
  CHECK_FALSE(exists(dir.file("pwned")));
  CHECK_FALSE(exists("pwned"));
  // The opener's stdout is our stderr (not our stdout), and it inherits our environment.
  CHECK(read_file(dir.file(opener + ".fds")) == "same\nenv=inherited\n");
  CHECK(read_file(dir.file("our-stdout")).empty());
}

TEST_CASE("open_url: $BROWSER entries are tried in order, %s is replaced",
          "[platform][browser][integration]") {
  TempDir dir;
  write_opener(dir, "second");
  write_opener(dir, "xdg-open");
  REQUIRE(open_url(kNastyUrl, env_with(dir, "no-such-browser-av::second --new-tab %s --x")));
  CHECK(recorded_args(dir, "second") ==
        std::vector<std::string>{"--new-tab", kNastyUrl, "--x"});
  CHECK_FALSE(exists(dir.file("xdg-open.args")));
  CHECK_FALSE(exists(dir.file("pwned")));
}

TEST_CASE("open_url: %s inside an argument and repeated spaces", "[platform][browser][vector]") {
  TempDir dir;
  write_opener(dir, "b");
  REQUIRE(open_url("https://x/?a=b&c=d", env_with(dir, "  b   --url=%s|%s  ")));
  CHECK(recorded_args(dir, "b") ==
        std::vector<std::string>{"--url=https://x/?a=b&c=d|https://x/?a=b&c=d"});
}

TEST_CASE("open_url: without %s the URL is appended; absolute paths work",
          "[platform][browser][vector]") {
  TempDir dir;
  write_opener(dir, "b");
  REQUIRE(open_url("u", env_with(dir, dir.file("b") + " -a")));
  CHECK(recorded_args(dir, "b") == std::vector<std::string>{"-a", "u"});
}

TEST_CASE("open_url: a failing opener is an Io error with its status",
          "[platform][browser][error]") {
  TempDir dir;
  write_opener(dir, "bad", 3);
  write_opener(dir, "good");
  auto opened = open_url("u", env_with(dir, "bad:good"));
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().code() == Errc::Io);
  CHECK(opened.error().message() == "exit status 3");
  CHECK_FALSE(exists(dir.file("good.args")));  // the first opener that started decides
}

TEST_CASE("open_url: no opener at all is NotFound", "[platform][browser][error]") {
  TempDir dir;
  auto none = open_url("u", env_with(dir, ""));
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().code() == Errc::NotFound);
  CHECK(none.error().message().find("executable file not found") != std::string_view::npos);
  auto listed = open_url("u", env_with(dir, "nope1:nope2"));
  REQUIRE_FALSE(listed.has_value());
  CHECK(listed.error().code() == Errc::NotFound);
  CHECK(listed.error().message().find("nope2") != std::string_view::npos);
}

TEST_CASE("open_url: an entry that cannot be executed is skipped", "[platform][browser][error]") {
  TempDir dir;
  // A file with an execute bit that execve refuses (no interpreter line, not a binary).
  {
    std::ofstream(dir.file("broken")) << "\x01\x02\x03";
  }
  REQUIRE(::chmod(dir.file("broken").c_str(), 0700) == 0);
  write_opener(dir, "good");
  REQUIRE(open_url("u", env_with(dir, "broken:good")));
  CHECK(recorded_args(dir, "good") == std::vector<std::string>{"u"});
}

}  // namespace av::platform
