// moto.h: a moto server (tests/support/moto_server.py) for one test, with SigV4 checking on.
//
// The interpreter that has moto is found at configure time (AV_MOTO_PYTHON); when it is missing
// the fixture fails the test with the reason instead of skipping it.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace av::testing {

class MotoServer {
 public:
  enum class Signatures { Checked, Unchecked };
  explicit MotoServer(Signatures signatures = Signatures::Checked) { start(signatures); }
  ~MotoServer() { stop(); }
  MotoServer(const MotoServer&) = delete;
  MotoServer& operator=(const MotoServer&) = delete;

  // error: why the server is not running ("" when it is).
  const std::string& error() const { return error_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  const std::string& access_key_id() const { return access_key_id_; }
  const std::string& secret_access_key() const { return secret_access_key_; }

 private:
  static std::string field(const std::string& json, const std::string& name) {
    const std::string key = "\"" + name + "\": ";
    const std::size_t at = json.find(key);
    if (at == std::string::npos) return {};
    std::size_t begin = at + key.size();
    const bool quoted = json[begin] == '"';
    if (quoted) ++begin;
    const std::size_t end = json.find(quoted ? "\"" : ",", begin);
    return json.substr(begin, end - begin);
  }

  void start(Signatures signatures) {
    const std::string python = AV_MOTO_PYTHON;
    if (python.empty()) {
      error_ = "no python3 with moto found at configure time (moto is preinstalled in the image)";
      return;
    }
    int to_child[2];
    int from_child[2];
    if (::pipe(to_child) != 0 || ::pipe(from_child) != 0) {
      error_ = "pipe failed";
      return;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(to_child[0], 0);
      ::dup2(from_child[1], 1);
      ::close(to_child[1]);
      ::close(from_child[0]);
      const std::string script = std::string(AV_TEST_SUPPORT_DIR) + "/moto_server.py";
      const char* mode = signatures == Signatures::Checked ? "--auth" : "--no-auth";
      ::execl(python.c_str(), python.c_str(), script.c_str(), mode, static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    stdin_fd_ = to_child[1];
    read_banner(from_child[0]);
    ::close(from_child[0]);
  }

  void read_banner(int fd) {
    std::string line;
    char c = 0;
    while (line.size() < 4096 && ::read(fd, &c, 1) == 1 && c != '\n') line.push_back(c);
    const std::string port = field(line, "port");
    access_key_id_ = field(line, "access_key_id");
    secret_access_key_ = field(line, "secret_access_key");
    port_ = port.empty() ? 0 : std::stoi(port);
    if (port_ == 0 || access_key_id_.empty()) error_ = "moto did not start: '" + line + "'";
  }

  void stop() {
    if (stdin_fd_ >= 0) ::close(stdin_fd_);
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int port_ = 0;
  std::string access_key_id_;
  std::string secret_access_key_;
  std::string error_;
};

}  // namespace av::testing
