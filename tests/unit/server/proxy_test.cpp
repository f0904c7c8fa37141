// proxy_test.cpp: the EC2 metadata proxy (server/proxy.h) over real loopback sockets on
// ephemeral ports: the preamble it writes upstream (checked with check_proxy_preamble), bytes
// relayed both ways unchanged (more than its buffers hold, so back-pressure is exercised),
// `/stop`, the 401 for clients owned by another user, the 502 when the credential server is
// missing or its port belongs to another user (a listener forked as nobody), connection limits
// and deadlines. Non-local clients and the loopback alias are tested in a network namespace made
// by a forked child (`unshare(CLONE_NEWNET)`, we are root), with a veth interface.
#include "server/proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "platform/privileges.h"
#include "platform/process.h"
#include "server/proxy_preamble.h"

namespace av::server {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kSecret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
constexpr platform::Timeout kWait = 10s;

// Upstream: a stand-in for the credential server that checks the preamble, records the client it
// names, and echoes every byte after it until the proxy ends the stream.
class Upstream {
 public:
  explicit Upstream(std::uint16_t port = 0) {
    auto listener = platform::listen_tcp("127.0.0.1", port);
    REQUIRE(listener.has_value());
    port_ = listener->port();
    thread_ = std::thread([this, l = std::move(*listener)]() mutable { serve(l); });
  }
  ~Upstream() {
    done_.store(true);
    thread_.join();
  }
  Upstream(const Upstream&) = delete;
  Upstream& operator=(const Upstream&) = delete;

  std::uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }
  std::vector<Peer> clients() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return clients_;
  }
  int bad_preambles() const { return bad_preambles_.load(); }

 private:
  void serve(platform::Listener& listener) {
    while (!done_.load()) {
      auto socket = listener.accept(50ms);
      if (!socket) continue;
      connections_.fetch_add(1);
      echo(*socket);
    }
  }
  void echo(platform::Socket& socket) {
    std::string line;
    std::uint8_t byte = 0;
    while (line.size() < kMaxProxyPreambleBytes && !line.ends_with("\r\n")) {
      auto n = socket.read_some({&byte, 1}, kWait);
      if (!n || *n == 0) return;
      line.push_back(static_cast<char>(byte));
    }
    const PreambleOutcome outcome =
        check_proxy_preamble(as_bytes(line), secure::SecretString::copy_of(kSecret));
    if (outcome.error || !outcome.client || outcome.consumed != line.size()) {
      bad_preambles_.fetch_add(1);
      return;
    }
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      clients_.push_back(*outcome.client);
    }
    std::vector<std::uint8_t> buf(4096);
    for (;;) {
      auto n = socket.read_some(buf, kWait);
      if (!n || *n == 0) return;
      if (!socket.write_all(ByteSpan(buf.data(), *n), kWait)) return;
    }
  }

  std::uint16_t port_ = 0;
  std::atomic<bool> done_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> bad_preambles_{0};
  std::mutex mutex_;
  std::vector<Peer> clients_;
  std::thread thread_;
};

ProxyOptions options_for(std::uint16_t upstream_port) {
  ProxyOptions options;
  options.upstream_port = upstream_port;
  options.secret = secure::SecretString::copy_of(kSecret);
  options.listen_address = "127.0.0.1";
  options.served_uid = platform::effective_uid();
  return options;
}

// RunningProxy: a proxy on 127.0.0.1:<ephemeral> served by its own thread.
class RunningProxy {
 public:
  explicit RunningProxy(ProxyOptions options, std::string_view address = "127.0.0.1") {
    auto listener = platform::listen_tcp(address, 0);
    REQUIRE(listener.has_value());
    port_ = listener->port();
    auto proxy = Proxy::create(std::move(*listener), std::move(options));
    REQUIRE(proxy.has_value());
    proxy_ = std::move(*proxy);
    thread_ = std::thread([this] { result_ = proxy_->run(); });
  }
  ~RunningProxy() { (void)join(); }
  RunningProxy(const RunningProxy&) = delete;
  RunningProxy& operator=(const RunningProxy&) = delete;

  std::uint16_t port() const { return port_; }
  Proxy& proxy() { return *proxy_; }
  // join stops the proxy (if still running) and waits for its thread.
  Status join() {
    if (thread_.joinable()) {
      proxy_->stop();
      thread_.join();
    }
    return result_;
  }
  // wait_ended waits for run() to return by itself (after /stop).
  bool wait_ended() {
    for (int i = 0; i < 1000 && !ended(); ++i) std::this_thread::sleep_for(10ms);
    if (!ended()) return false;
    thread_.join();
    return true;
  }

 private:
  bool ended() { return proxy_->stopped_by_request() && proxy_->open_connections() == 0; }
  std::uint16_t port_ = 0;
  std::unique_ptr<Proxy> proxy_;
  std::thread thread_;
  Status result_;
};

platform::Socket connect_to(std::uint16_t port) {
  auto socket = platform::connect_tcp("127.0.0.1", port, kWait);
  REQUIRE(socket.has_value());
  return std::move(*socket);
}

// read_all reads until the peer closes (or an error/timeout ends the stream).
std::string read_all(platform::Socket& socket, platform::Timeout timeout = kWait) {
  std::string out;
  std::vector<std::uint8_t> buf(4096);
  for (;;) {
    auto n = socket.read_some(buf, timeout);
    if (!n || *n == 0) return out;
    out.append(as_chars(ByteSpan(buf.data(), *n)));
  }
}

std::string exchange(std::uint16_t port, std::string_view request) {
  platform::Socket socket = connect_to(port);
  REQUIRE(socket.write_all(as_bytes(request), kWait));
  socket.shutdown_write();
  return read_all(socket);
}

std::string pattern(std::size_t len) {
  std::string out = "PUT /latest/api/token HTTP/1.1\r\n";
  for (std::size_t i = 0; out.size() < len; ++i) out.push_back(static_cast<char>(i * 7 + i / 251));
  return out;
}

}  // namespace

TEST_CASE("is_stop_request: decides from the first bytes", "[server][proxy][vector]") {
  CHECK_FALSE(is_stop_request("").has_value());
  CHECK_FALSE(is_stop_request("GE").has_value());
  CHECK_FALSE(is_stop_request("GET /stop").has_value());
  CHECK(is_stop_request("GET /stop HTTP/1.1\r\n") == true);
  CHECK(is_stop_request("GET /stop?now") == true);
  CHECK(is_stop_request("GET /stops") == false);
  CHECK(is_stop_request("GET /latest/meta-data/") == false);
  CHECK(is_stop_request("POST /stop ") == false);
  CHECK(is_stop_request("get /stop ") == false);
  CHECK(is_stop_request("\x16\x03\x01") == false);
}

TEST_CASE("Proxy: the preamble first, then bytes both ways unchanged", "[server][proxy]") {
  Upstream upstream;
  RunningProxy proxy(options_for(upstream.port()));
  const std::string sent = pattern(200 * 1024);  // far more than the relay buffers hold
  platform::Socket client = connect_to(proxy.port());
  const std::uint16_t client_port = client.local_port();
  std::thread writer([&] {
    CHECK(client.write_all(as_bytes(sent), kWait));
    client.shutdown_write();
  });
  const std::string received = read_all(client);
  writer.join();
  CHECK(received.size() == sent.size());
  CHECK(received == sent);
  CHECK(upstream.bad_preambles() == 0);
  const std::vector<Peer> clients = upstream.clients();
  REQUIRE(clients.size() == 1);
  CHECK(clients[0].address == "127.0.0.1");
  CHECK(clients[0].port == client_port);
  CHECK(clients[0].loopback);
  REQUIRE(proxy.join().has_value());
}

TEST_CASE("Proxy: GET /stop answers 200 and ends run()", "[server][proxy]") {
  Upstream upstream;
  RunningProxy proxy(options_for(upstream.port()));
  const std::string reply = exchange(proxy.port(), "GET /stop HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n");
  CHECK(reply.starts_with("HTTP/1.1 200 OK\r\n"));
  REQUIRE(proxy.wait_ended());
  CHECK(proxy.proxy().stopped_by_request());
  CHECK(upstream.connections() == 0);
  CHECK(proxy.join().has_value());
}

TEST_CASE("request_proxy_stop: stops a running proxy", "[server][proxy]") {
  Upstream upstream;
  RunningProxy proxy(options_for(upstream.port()));
  CHECK(request_proxy_stop("127.0.0.1", proxy.port(), kWait).has_value());
  REQUIRE(proxy.wait_ended());
  // Nothing listening any more: the error is for the caller to ignore.
  CHECK(request_proxy_stop("127.0.0.1", proxy.port(), kWait).error().code() == Errc::Network);
}

TEST_CASE("Proxy: stop() ends run() with connections open", "[server][proxy]") {
  Upstream upstream;
  RunningProxy proxy(options_for(upstream.port()));
  platform::Socket idle = connect_to(proxy.port());
  for (int i = 0; i < 500 && proxy.proxy().open_connections() == 0; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  CHECK(proxy.proxy().open_connections() == 1);
  REQUIRE(proxy.join().has_value());
  CHECK(proxy.proxy().open_connections() == 0);
  CHECK(read_all(idle).empty());  // closed by the proxy
  CHECK_FALSE(proxy.proxy().stopped_by_request());
}

TEST_CASE("Proxy: a client that leaves without a byte opens nothing upstream", "[server][proxy]") {
  Upstream upstream;
  RunningProxy proxy(options_for(upstream.port()));
  { platform::Socket probe = connect_to(proxy.port()); }
  CHECK(exchange(proxy.port(), "GET /stopper HTTP/1.1\r\n\r\n") == "GET /stopper HTTP/1.1\r\n\r\n");
  CHECK(upstream.connections() == 1);
}

TEST_CASE("Proxy: a client of another user gets 401 and nothing is forwarded",
          "[server][proxy][error]") {
  Upstream upstream;
  ProxyOptions options = options_for(upstream.port());
  options.served_uid = platform::effective_uid() + 4242;
  options.max_connections = 1;  // refused clients take no slot, so all three get the reply
  RunningProxy proxy(std::move(options));
  platform::Socket held = connect_to(proxy.port());  // refused too: holds nothing
  for (int i = 0; i < 3; ++i) {
    CHECK(exchange(proxy.port(), "GET /latest/meta-data/ HTTP/1.1\r\n\r\n") ==
          kProxyDeniedReply);
  }
  CHECK(proxy.proxy().open_connections() == 0);
  CHECK(upstream.connections() == 0);
}

TEST_CASE("Proxy: no credential server gives 502", "[server][proxy][error]") {
  std::uint16_t unused = 0;
  {
    auto listener = platform::listen_tcp("127.0.0.1", 0);
    REQUIRE(listener.has_value());
    unused = listener->port();
  }
  RunningProxy proxy(options_for(unused));
  CHECK(exchange(proxy.port(), "GET / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 502 Bad Gateway\r\n"));
}

TEST_CASE("Proxy: a credential server port owned by another user gets no secret",
          "[server][proxy][error]") {
  REQUIRE(platform::effective_uid() == 0);  // needs root to run the listener as nobody
  int ports[2] = {-1, -1};
  REQUIRE(::pipe(ports) == 0);
  // The impostor: nobody's listener that reports what it was sent (exit 0: nothing at all).
  // Forked before any thread of this test exists.
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(ports[0]);
    if (!platform::drop_privileges({65534, 65534})) ::_exit(10);
    auto listener = platform::listen_tcp("127.0.0.1", 0);
    if (!listener) ::_exit(11);
    const std::uint16_t port = listener->port();
    if (::write(ports[1], &port, sizeof port) != sizeof port) ::_exit(12);
    auto socket = listener->accept(kWait);
    if (!socket) ::_exit(13);
    ::_exit(read_all(*socket, 3s).empty() ? 0 : 14);
  }
  ::close(ports[1]);
  std::uint16_t port = 0;
  const bool got_port = ::read(ports[0], &port, sizeof port) == sizeof port;
  ::close(ports[0]);
  if (got_port) {
    RunningProxy proxy(options_for(port));
    CHECK(exchange(proxy.port(), "GET / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 502 "));
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(got_port);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("Proxy: connections beyond the limit are closed at once", "[server][proxy][error]") {
  Upstream upstream;
  ProxyOptions options = options_for(upstream.port());
  options.max_connections = 2;
  RunningProxy proxy(std::move(options));
  platform::Socket first = connect_to(proxy.port());
  platform::Socket second = connect_to(proxy.port());
  for (int i = 0; i < 500 && proxy.proxy().open_connections() < 2; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  CHECK(proxy.proxy().open_connections() == 2);
  platform::Socket third = connect_to(proxy.port());
  CHECK(read_all(third).empty());  // closed without a reply
  CHECK(proxy.proxy().open_connections() == 2);
}

TEST_CASE("Proxy: a client that never sends is closed after the first-bytes deadline",
          "[server][proxy][error]") {
  Upstream upstream;
  ProxyOptions options = options_for(upstream.port());
  options.first_bytes_timeout = 100ms;
  RunningProxy proxy(std::move(options));
  platform::Socket silent = connect_to(proxy.port());
  CHECK(read_all(silent, 30s).empty());  // EOF from the proxy long before 30 s
  CHECK(upstream.connections() == 0);
}

TEST_CASE("Proxy: an idle relayed connection is closed", "[server][proxy][error]") {
  Upstream upstream;
  ProxyOptions options = options_for(upstream.port());
  options.idle_timeout = 100ms;
  RunningProxy proxy(std::move(options));
  platform::Socket client = connect_to(proxy.port());
  REQUIRE(client.write_all(as_bytes(std::string_view("GET / HTTP/1.1\r\n")), kWait));
  CHECK(read_all(client, 30s) == "GET / HTTP/1.1\r\n");  // echoed, then closed when idle
}

TEST_CASE("Proxy::create: refuses a malformed secret", "[server][proxy][error]") {
  auto listener = platform::listen_tcp("127.0.0.1", 0);
  REQUIRE(listener.has_value());
  ProxyOptions options = options_for(9);
  options.secret = secure::SecretString::copy_of("short");
  CHECK(Proxy::create(std::move(*listener), std::move(options)).error().code() == Errc::Parse);
}

namespace {

Status run_ip(std::vector<std::string> args) {
  args.insert(args.begin(), "ip");
  const auto env = platform::Environment::from_pairs({{"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"}});
  AV_TRY_ASSIGN(const platform::ExitStatus status, platform::spawn_and_wait(args, env));
  if (!status.success()) return Error(Errc::Io, "ip: " + status.describe());
  return ok();
}

// connect_from connects from `source` (an address of this host) to address:port; -1 on failure.
int connect_from(const char* source, const char* address, std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, source, &local.sin_addr);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(port);
  ::inet_pton(AF_INET, address, &remote.sin_addr);
  const auto* lp = static_cast<const sockaddr*>(static_cast<const void*>(&local));
  const auto* rp = static_cast<const sockaddr*>(static_cast<const void*>(&remote));
  if (::bind(fd, lp, sizeof local) != 0 || ::connect(fd, rp, sizeof remote) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// netns_clients runs in a forked child inside a new network namespace: a proxy on 10.99.0.1
// refuses a client whose source is 10.99.0.2 (same host, but not loopback and not the proxy's
// own address) and relays one whose source is 10.99.0.1. Returns 0 or the failed step.
int netns_clients() {
  if (::unshare(CLONE_NEWNET) != 0) return 1;
  // (The kernel here has no dummy interfaces; a veth pair is as good.)
  if (!run_ip({"link", "set", "lo", "up"}) ||
      !run_ip({"link", "add", "v0", "type", "veth", "peer", "name", "v1"}) ||
      !run_ip({"addr", "add", "10.99.0.1/24", "dev", "v0"}) ||
      !run_ip({"addr", "add", "10.99.0.2/24", "dev", "v0"}) ||
      !run_ip({"link", "set", "v0", "up"}) || !run_ip({"link", "set", "v1", "up"})) {
    return 2;
  }
  Upstream upstream;
  ProxyOptions options = options_for(upstream.port());
  options.listen_address = "10.99.0.1";
  RunningProxy proxy(std::move(options), "10.99.0.1");
  const std::string request = "GET /latest/meta-data/ HTTP/1.1\r\n\r\n";
  int result = 0;
  for (const char* source : {"10.99.0.2", "10.99.0.1"}) {
    platform::Socket client(connect_from(source, "10.99.0.1", proxy.port()));
    if (!client.is_open()) return 3;
    if (!client.write_all(as_bytes(request), kWait)) return 4;
    client.shutdown_write();
    const std::string reply = read_all(client);
    const bool remote = std::string_view(source) == "10.99.0.2";
    if (remote && reply != kProxyDeniedReply) result |= 8;
    if (!remote && reply != request) result |= 16;
  }
  if (upstream.connections() != 1) result |= 32;
  const std::vector<Peer> clients = upstream.clients();
  // The local client using the proxy's own address is reported as 127.0.0.1, port kept.
  if (clients.size() != 1 || clients[0].address != "127.0.0.1") result |= 64;
  return result;
}

// netns_alias adds and removes 169.254.169.254 on lo inside a new network namespace.
int netns_alias() {
  if (::unshare(CLONE_NEWNET) != 0) return 1;
  if (!run_ip({"link", "set", "lo", "up"})) return 2;
  if (!add_metadata_alias()) return 3;
  if (!add_metadata_alias()) return 4;  // already there: still fine
  if (!platform::listen_tcp(std::string(kMetadataAddress), 0)) return 5;  // the address exists
  if (!remove_metadata_alias()) return 6;
  Status again = remove_metadata_alias();
  if (again || again.error().code() != Errc::Io || again.error().message().empty()) return 7;
  if (platform::listen_tcp(std::string(kMetadataAddress), 0)) return 8;  // gone
  return 0;
}

}  // namespace

TEST_CASE("Proxy: a client that is not local gets 401 (network namespace)",
          "[server][proxy][netns]") {
  REQUIRE(platform::effective_uid() == 0);  // unshare needs root: fail loudly, never skip
  auto status = platform::run_in_child_process(netns_clients);
  REQUIRE(status.has_value());
  CHECK_FALSE(status->signalled());
  CHECK(status->exit_code == 0);
}

TEST_CASE("add_metadata_alias / remove_metadata_alias: ip on lo (network namespace)",
          "[server][proxy][netns]") {
  REQUIRE(platform::effective_uid() == 0);
  auto status = platform::run_in_child_process(netns_alias);
  REQUIRE(status.has_value());
  CHECK_FALSE(status->signalled());
  CHECK(status->exit_code == 0);
}

}  // namespace av::server
