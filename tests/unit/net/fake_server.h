// fake_server.h: runs tests/support/http_fake.py as a child process for one test.
//
// The child gets a pipe on stdin and exits when it closes (our destructor, or our death), prints
// "PORT <n>" once it listens on 127.0.0.1, and is killed and reaped by the destructor. A missing
// python3 or openssl fails the test loudly (REQUIRE), never skips it.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <charconv>
#include <cstdint>
#include <ftw.h>
#include <string>
#include <vector>

namespace av::net::testing {

// fake_script is the path of http_fake.py (derived from AV_TEST_VECTORS, set by ctest).
inline std::string fake_script() {
  const char* vectors = ::getenv("AV_TEST_VECTORS");  // NOLINT: tests may read the environment
  if (vectors != nullptr && *vectors != '\0') {
    return std::string(vectors) + "/../support/http_fake.py";
  }
  return "tests/support/http_fake.py";
}

// cert_dir is one private directory per test process for the fake's throwaway CA and
// certificates (generated on first use, removed at exit).
inline const std::string& cert_dir() {
  struct Dir {
    Dir() {
      std::string pattern = "/tmp/av-net-test-XXXXXX";
      path = ::mkdtemp(pattern.data()) != nullptr ? pattern : std::string();
    }
    ~Dir() {
      if (!path.empty()) {
        ::nftw(
            path.c_str(), [](const char* p, const struct stat*, int, struct FTW*) {
              return ::remove(p);
            },
            8, FTW_DEPTH | FTW_PHYS);
      }
    }
    std::string path;
  };
  static Dir dir;
  return dir.path;
}

class FakeServer {
 public:
  explicit FakeServer(std::vector<std::string> args) {
    int in_pipe[2];
    int out_pipe[2];
    REQUIRE(::pipe2(in_pipe, O_CLOEXEC) == 0);
    REQUIRE(::pipe2(out_pipe, O_CLOEXEC) == 0);
    const std::string script = fake_script();
    args.insert(args.begin(), {"/usr/bin/python3", script});
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(in_pipe[0], 0);
      ::dup2(out_pipe[1], 1);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    stdin_ = in_pipe[1];
    stdout_ = out_pipe[0];
    read_port();
  }
  ~FakeServer() {
    ::close(stdin_);
    ::close(stdout_);
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  std::uint16_t port() const { return port_; }

 private:
  void read_port() {
    std::string line;
    while (line.find('\n') == std::string::npos) {
      pollfd p{stdout_, POLLIN, 0};
      REQUIRE(::poll(&p, 1, 15000) == 1);  // certificate generation takes well under a second
      char buf[64];
      const ssize_t n = ::read(stdout_, buf, sizeof buf);
      REQUIRE(n > 0);  // the fake died: python3 or openssl missing?
      line.append(buf, static_cast<std::size_t>(n));
    }
    REQUIRE(line.rfind("PORT ", 0) == 0);
    const char* begin = line.data() + 5;
    const auto [end, ec] = std::from_chars(begin, line.data() + line.size(), port_);
    REQUIRE(ec == std::errc{});
    REQUIRE(end != begin);
  }

  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  std::uint16_t port_ = 0;
};

// tls_args are the fake's arguments for TLS mode with a certificate for DNS:<cert_name>.
inline std::vector<std::string> tls_args(const std::string& cert_name = "localhost") {
  return {"tls", "--dir", cert_dir(), "--cert-name", cert_name};
}

}  // namespace av::net::testing
