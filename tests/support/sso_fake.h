// sso_fake.h: the IAM Identity Center fake (tests/support/sso_fake.py: SSO-OIDC, the browser
// side of the device and authorization-code flows, the portal's GetRoleCredentials and a control
// API) as a child process for one test, plus a minimal loopback HTTP client to drive it.
//
//   av::testing::SsoFake fake;                  // or SsoFake({"--auto-approve"})
//   REQUIRE(fake.error() == "");
//   fake.url();                                 // SSO-OIDC and portal endpoint
//   fake.control(R"({"deny_next_authorization": true})");
//   fake.get(device.verification_uri_complete); // "click Allow"
//   fake.stat("registrations");                 // a number from GET /_stats
//
// The child gets a pipe on stdin and exits when it closes; it prints "PORT <n>" once it listens.
// Like MotoServer, a fake that did not start is reported through error() (the test fails on it,
// never skips). Needs AV_TEST_SUPPORT_DIR (the tests/support directory) at compile time.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace av::testing {

class SsoFake {
 public:
  // Reply: one HTTP response from the fake (status 0 when the exchange failed).
  struct Reply {
    int status = 0;
    std::string head;  // status line and header lines, as received
    std::string body;
    // header: the first value of the named header (case-insensitive), "" when absent.
    std::string header(const std::string& name) const {
      std::size_t at = head.find("\r\n");
      while (at != std::string::npos && at + 2 < head.size()) {
        const std::size_t begin = at + 2;
        const std::size_t end = head.find("\r\n", begin);
        const std::string line = head.substr(begin, end - begin);
        const std::size_t colon = line.find(':');
        if (colon == name.size() && equal_ignoring_case(line.substr(0, colon), name)) {
          std::size_t v = colon + 1;
          while (v < line.size() && line[v] == ' ') ++v;
          return line.substr(v);
        }
        at = end;
      }
      return {};
    }
  };

  // args: extra command-line flags of sso_fake.py (--interval N, --token-lifetime N,
  // --device-expires-in N, --auto-approve).
  explicit SsoFake(std::vector<std::string> args = {}) { start(std::move(args)); }
  ~SsoFake() { stop(); }
  SsoFake(const SsoFake&) = delete;
  SsoFake& operator=(const SsoFake&) = delete;

  // error: why the fake is not running ("" when it is).
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // request sends one request to the fake; `target` is a path with query ("/_stats") or a full
  // "http://127.0.0.1:<port>/..." URL of this fake (as found in verificationUriComplete or an
  // authorize_url()).
  Reply request(const std::string& method, const std::string& target, const std::string& body = {},
                const std::vector<std::pair<std::string, std::string>>& headers = {}) const {
    std::string path = target;
    const std::string prefix = url();
    if (path.rfind(prefix, 0) == 0) path = path.substr(prefix.size());
    if (path.empty() || path[0] != '/') return {};
    std::string out = method + " " + path +
                      " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                      "\r\nConnection: close\r\n";
    for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
    if (method == "POST") {
      out += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\n";
    }
    out += "\r\n" + body;
    return exchange(out);
  }
  Reply get(const std::string& target) const { return request("GET", target); }
  Reply post(const std::string& target, const std::string& json) const {
    return request("POST", target, json);
  }

  // control posts `json` to /_control (see sso_fake.py); true when the fake accepted it.
  bool control(const std::string& json) const { return post("/_control", json).status == 200; }
  // stats: GET /_stats as JSON text.
  std::string stats() const { return get("/_stats").body; }
  // stat: the first integer member named `name` in /_stats ("registrations",
  // "device_authorizations", "authorize_calls", "approvals", "denials", "device_code",
  // "authorization_code", "refresh_token", "role_credentials_calls", or an error type counted
  // in token_errors); 0 when absent, -1 when the fake did not answer.
  long stat(const std::string& name) const {
    const Reply reply = get("/_stats");
    if (reply.status != 200) return -1;
    const std::string key = "\"" + name + "\": ";
    const std::size_t at = reply.body.find(key);
    if (at == std::string::npos) return 0;
    long value = 0;
    const char* begin = reply.body.data() + at + key.size();
    const auto [end, ec] = std::from_chars(begin, reply.body.data() + reply.body.size(), value);
    return ec == std::errc{} && end != begin ? value : -1;
  }
  // approve: the user opens verificationUriComplete and clicks Allow; true on success.
  bool approve(const std::string& verification_uri_complete) const {
    return get(verification_uri_complete).status == 200;
  }

 private:
  static bool equal_ignoring_case(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
      if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
  }

  Reply exchange(const std::string& out) const {
    Reply reply;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return reply;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string in;
    sockaddr generic{};
    static_assert(sizeof generic == sizeof addr);
    std::memcpy(&generic, &addr, sizeof addr);
    if (::connect(fd, &generic, sizeof generic) == 0) {
      std::size_t sent = 0;
      while (sent < out.size()) {
        const ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
      char buf[4096];
      for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 30000) != 1) break;
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        in.append(buf, static_cast<std::size_t>(n));
      }
    }
    ::close(fd);
    const std::size_t split = in.find("\r\n\r\n");
    if (split == std::string::npos || in.rfind("HTTP/1.", 0) != 0 || in.size() < 12) return reply;
    reply.head = in.substr(0, split);
    reply.body = in.substr(split + 4);
    int status = 0;
    std::from_chars(in.data() + 9, in.data() + 12, status);
    reply.status = status;
    return reply;
  }

  void start(std::vector<std::string> args) {
    int to_child[2];
    int from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) {
      error_ = "pipe failed";
      return;
    }
    const std::string python = "/usr/bin/python3";
    args.insert(args.begin(), {python, std::string(AV_TEST_SUPPORT_DIR) + "/sso_fake.py"});
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(to_child[0], 0);
      ::dup2(from_child[1], 1);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    stdin_fd_ = to_child[1];
    std::string line;
    char c = 0;
    for (;;) {
      pollfd p{from_child[0], POLLIN, 0};
      if (::poll(&p, 1, 15000) != 1 || ::read(from_child[0], &c, 1) != 1 || c == '\n') break;
      if (line.size() < 256) line.push_back(c);
    }
    ::close(from_child[0]);
    if (line.rfind("PORT ", 0) == 0) {
      std::from_chars(line.data() + 5, line.data() + line.size(), port_);
    }
    if (pid_ < 0 || port_ <= 0) error_ = "sso_fake.py did not start: '" + line + "'";
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
  std::string error_;
};

}  // namespace av::testing
