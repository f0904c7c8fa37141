// proxy.cpp: the EC2 metadata proxy's event loop (server/proxy.h).
//
// One thread, one level-triggered poller. A connection goes through three phases:
//   Sniff  - from accept until the client's first bytes tell `/stop` from anything else; nothing
//            is forwarded yet and no upstream connection exists;
//   Relay  - an upstream connection to the credential server exists, its preamble was written
//            first, and bytes move both ways through two fixed-size locked buffers;
//   Linger - the client got a canned 502 (no credential server); our side is shut and we read
//            and discard until it closes (or a short deadline), so it reads the reply instead
//            of a reset.
// Refused clients (not local, or another user's) never get a slot: they are answered 401 and
// closed right at accept, so another user cannot fill the slots our user needs.
// On every event of a connection `pump` makes all the progress it can without blocking and then
// sets both sockets' interests from the buffer states (read while there is room, write while
// there are bytes), which gives back-pressure for free. A half-close travels through: when one
// side ends its stream and its bytes are delivered, the other side's write half is shut. The
// connection ends when the upstream side is done (its bytes delivered), on any error, and after
// `idle_timeout` without progress. The access checks happen at accept, before any byte is read.
#include "server/proxy.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <vector>

#include "base/ascii.h"
#include "base/log.h"
#include "platform/poller.h"
#include "platform/process.h"
#include "platform/tcp_owner.h"
#include "server/http.h"
#include "server/proxy_preamble.h"

namespace av::server {
namespace {

using Clock = std::chrono::steady_clock;
using platform::Interest;

constexpr std::uint64_t kListenerToken = 0;
constexpr std::uint64_t kWakeupToken = 1;
constexpr std::uint64_t kFirstSocketToken = 2;
constexpr std::size_t kMaxEventsPerWait = 64;
constexpr std::size_t kMaxAcceptsPerWake = 32;
constexpr std::chrono::milliseconds kLingerTimeout{2000};
constexpr std::chrono::milliseconds kCannedReplyTimeout{1000};
constexpr std::chrono::milliseconds kAcceptPause{100};

constexpr std::string_view kStopPrefix = "GET /stop";
constexpr std::string_view kStopReply =
    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
constexpr std::string_view kBadGatewayReply =
    "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain; charset=utf-8\r\n"
    "Content-Length: 35\r\nConnection: close\r\n\r\n"
    "The credential server is not ready\n";

// body_length_is: the canned replies' Content-Length values match their bodies.
constexpr bool body_length_is(std::string_view reply, std::size_t len) {
  const std::size_t head_end = reply.find("\r\n\r\n");
  return head_end != std::string_view::npos && reply.size() - head_end - 4 == len;
}
static_assert(body_length_is(kProxyDeniedReply, 41));
static_assert(body_length_is(kBadGatewayReply, 35));
static_assert(body_length_is(kStopReply, 0));

enum class Phase : std::uint8_t { Sniff, Relay, Linger };
enum class Side : std::uint8_t { Client = 0, Upstream = 1 };

// Pipe: bytes read from one socket and not yet written to the other. `buf` keeps its full size;
// [begin, end) is pending. `eof`: the source ended its stream; `shut`: the destination's write
// half has been shut down after the last byte.
struct Pipe {
  secure::SecretBytes buf;
  std::size_t begin = 0;
  std::size_t end = 0;
  bool eof = false;
  bool shut = false;
  std::uint64_t moved = 0;  // bytes read in plus bytes written out, to notice progress

  bool empty() const noexcept { return begin == end; }
  bool has_room() const noexcept { return end < buf.size(); }
  bool done() const noexcept { return eof && empty(); }
};

struct Connection {
  platform::Socket client;
  platform::Socket upstream;
  Peer peer;
  Pipe up;    // client -> upstream
  Pipe down;  // upstream -> client
  Phase phase = Phase::Sniff;
  Clock::time_point deadline;
  // What each socket is registered for; Interest::None means "not in the poller" (a socket with
  // no interest is removed, so hang-ups it cannot act on yet are not reported over and over).
  Interest client_interest = Interest::None;
  Interest upstream_interest = Interest::None;
  std::uint32_t generation = 0;
  std::size_t slot = 0;
  bool in_use = false;
};

Pipe make_pipe(std::size_t len) {
  Pipe pipe;
  pipe.buf = secure::SecretBytes::zeroed(len);
  return pipe;
}

std::string describe(const Peer& peer) {
  const bool v6 = peer.address.find(':') != std::string::npos;
  return (v6 ? "[" + peer.address + "]" : peer.address) + ":" + std::to_string(peer.port);
}

// valid_secret: the 43 base64url characters the preamble carries.
bool valid_secret(std::string_view s) noexcept {
  return s.size() == 43 && std::all_of(s.begin(), s.end(), [](char c) {
           return ascii::is_alnum(c) || c == '-' || c == '_';
         });
}

// refuse_now answers a refused client with the canned 401 and closes, without a slot or a buffer,
// so other users cannot crowd ours out. What the client already sent is read and dropped first,
// so closing sends a FIN after the reply rather than a reset that could destroy it.
void refuse_now(platform::Socket& socket) {
  (void)socket.write_all(as_bytes(kProxyDeniedReply), kCannedReplyTimeout);
  socket.shutdown_write();
  std::array<std::uint8_t, 1024> discard{};
  for (int i = 0; i < 16; ++i) {
    auto n = socket.try_read(discard);
    if (!n || !n->has_value() || **n == 0) break;
  }
}

class EventLoopProxy final : public Proxy {
 public:
  EventLoopProxy(platform::Listener listener, ProxyOptions options, platform::Poller poller,
                 platform::Wakeup wakeup)
      : listener_(std::move(listener)),
        options_(std::move(options)),
        poller_(std::move(poller)),
        wakeup_(std::move(wakeup)),
        slots_(options_.max_connections) {}
  ~EventLoopProxy() override { close_all(); }

  Status run() override;
  void stop() noexcept override {
    stop_requested_.store(true, std::memory_order_release);
    wakeup_.signal();
  }
  bool stopped_by_request() const noexcept override {
    return stopped_by_request_.load(std::memory_order_acquire);
  }
  std::size_t open_connections() const noexcept override {
    return open_.load(std::memory_order_relaxed);
  }

 private:
  void accept_ready(Clock::time_point now);
  bool client_allowed(const platform::Socket& socket, const Peer& peer) const;
  void open_connection(platform::Socket socket, Peer peer, Clock::time_point now);
  void on_event(const platform::PollEvent& event, Clock::time_point now);
  bool pump(Connection& c);
  bool sniff(Connection& c, Clock::time_point now);
  bool start_relay(Connection& c, Clock::time_point now);
  bool linger(Connection& c);
  void refuse(Connection& c, std::string_view reply, Clock::time_point now);
  bool update_interest(Connection& c);
  void close(Connection& c) noexcept;
  void sweep(Clock::time_point now);
  Clock::time_point next_deadline() const noexcept;
  void close_all() noexcept;
  static std::uint64_t token_of(const Connection& c, Side side) noexcept {
    const std::uint64_t low = c.slot * 2 + static_cast<std::uint64_t>(side) + kFirstSocketToken;
    return (std::uint64_t{c.generation} << 32) | low;
  }

  platform::Listener listener_;
  ProxyOptions options_;
  platform::Poller poller_;
  platform::Wakeup wakeup_;
  std::vector<Connection> slots_;
  std::atomic<bool> stop_requested_{false};
  std::atomic<std::size_t> open_{0};
  std::atomic<bool> stopped_by_request_{false};
  std::uint32_t next_generation_ = 1;
  Clock::time_point accept_resume_ = Clock::time_point::max();
};

Status EventLoopProxy::run() {
  AV_TRY(poller_.add(listener_.native_handle(), kListenerToken, Interest::Read));
  AV_TRY(poller_.add(wakeup_.native_handle(), kWakeupToken, Interest::Read));
  std::array<platform::PollEvent, kMaxEventsPerWait> events{};
  while (!stop_requested_.load(std::memory_order_acquire)) {
    Clock::time_point now = Clock::now();
    sweep(now);
    if (now >= accept_resume_) {
      accept_resume_ = Clock::time_point::max();
      AV_TRY(poller_.modify(listener_.native_handle(), kListenerToken, Interest::Read));
    }
    const Clock::time_point wake = std::min(next_deadline(), accept_resume_);
    // (a negative timeout means "no limit" to the poller, so a due deadline waits 0 ms)
    const auto timeout =
        wake == Clock::time_point::max()
            ? platform::Timeout(-1)
            : std::max(std::chrono::ceil<platform::Timeout>(wake - now), platform::Timeout(0));
    AV_TRY_ASSIGN(const std::size_t n, poller_.wait(events, timeout));
    now = Clock::now();
    for (std::size_t i = 0; i < n && !stop_requested_.load(std::memory_order_acquire); ++i) {
      if (events[i].token == kWakeupToken) {
        wakeup_.drain();
      } else if (events[i].token == kListenerToken) {
        accept_ready(now);
      } else {
        on_event(events[i], now);
      }
    }
  }
  close_all();
  return ok();
}

void EventLoopProxy::accept_ready(Clock::time_point now) {
  for (std::size_t i = 0; i < kMaxAcceptsPerWake; ++i) {
    auto accepted = listener_.try_accept();
    if (!accepted) {
      // Out of descriptors: stop watching the listener for a moment instead of spinning.
      log::debug("proxy: " + std::string(accepted.error().message()));
      accept_resume_ = now + kAcceptPause;
      (void)poller_.modify(listener_.native_handle(), kListenerToken, Interest::None);
      return;
    }
    if (!accepted->has_value()) return;
    platform::Socket socket = std::move(**accepted);
    Peer peer{.address = socket.peer_address(), .port = socket.peer_port(),
              .loopback = socket.peer_is_loopback()};
    if (!client_allowed(socket, peer)) {
      refuse_now(socket);
      continue;
    }
    open_connection(std::move(socket), std::move(peer), now);
  }
}

// client_allowed: a local peer (loopback, or our own listening address as its source) owned by
// the served user where the OS tells socket owners.
bool EventLoopProxy::client_allowed(const platform::Socket& socket, const Peer& peer) const {
  if (!peer.loopback && peer.address != options_.listen_address) {
    log::debug("proxy: " + describe(peer) + ": refused: not a local address");
    return false;
  }
  if (!options_.served_uid) return true;
  auto owner = platform::tcp_peer_owner_uid(socket);
  if (!owner && owner.error().code() == Errc::Unsupported) return true;  // no owner table here
  if (!owner || *owner != *options_.served_uid) {
    log::debug("proxy: " + describe(peer) + ": refused: " +
               (owner ? "socket of uid " + std::to_string(*owner)
                      : std::string(owner.error().message())));
    return false;
  }
  return true;
}

void EventLoopProxy::open_connection(platform::Socket socket, Peer peer, Clock::time_point now) {
  auto free = std::find_if(slots_.begin(), slots_.end(),
                           [](const Connection& c) { return !c.in_use; });
  if (free == slots_.end()) return;  // at capacity: the socket closes here
  Connection& c = *free;
  c.slot = static_cast<std::size_t>(free - slots_.begin());
  c.generation = next_generation_++;
  c.client = std::move(socket);
  c.peer = std::move(peer);
  c.phase = Phase::Sniff;
  c.in_use = true;
  c.client_interest = Interest::None;
  c.upstream_interest = Interest::None;
  c.up = make_pipe(options_.buffer_bytes);
  c.down = Pipe{};
  open_.fetch_add(1, std::memory_order_relaxed);
  c.deadline = now + options_.first_bytes_timeout;
  if (!update_interest(c)) close(c);
}

void EventLoopProxy::on_event(const platform::PollEvent& event, Clock::time_point now) {
  const std::uint64_t low = event.token & 0xffffffffU;
  if (low < kFirstSocketToken) return;
  const std::size_t slot = static_cast<std::size_t>((low - kFirstSocketToken) / 2);
  if (slot >= slots_.size()) return;
  Connection& c = slots_[slot];
  if (!c.in_use || c.generation != static_cast<std::uint32_t>(event.token >> 32)) return;
  bool alive = true;
  switch (c.phase) {
    case Phase::Sniff: alive = sniff(c, now); break;
    case Phase::Relay: {
      const std::uint64_t before = c.up.moved + c.down.moved;
      alive = pump(c);
      if (c.up.moved + c.down.moved != before) c.deadline = now + options_.idle_timeout;
      break;
    }
    case Phase::Linger: alive = linger(c); break;
  }
  if (alive) alive = update_interest(c);
  if (!alive) close(c);
}

// read_into reads what `from` has into the free part of `pipe`; false on error.
bool read_into(platform::Socket& from, Pipe& pipe) {
  while (!pipe.eof && pipe.has_room()) {
    auto n = from.try_read(pipe.buf.reveal_mutable().subspan(pipe.end));
    if (!n) return false;
    if (!n->has_value()) return true;  // would block
    if (**n == 0) {
      pipe.eof = true;
      return true;
    }
    pipe.end += **n;
    pipe.moved += **n;
  }
  return true;
}

// write_from writes pending bytes of `pipe` to `to`; when the source ended and all is written,
// shuts `to`'s write half once. False on error.
bool write_from(Pipe& pipe, platform::Socket& to) {
  while (!pipe.empty()) {
    auto n = to.try_write(pipe.buf.reveal().subspan(pipe.begin, pipe.end - pipe.begin));
    if (!n) return false;
    if (!n->has_value()) return true;  // would block
    pipe.begin += **n;
    pipe.moved += **n;
  }
  pipe.begin = pipe.end = 0;  // empty: start again at the front of the buffer
  if (pipe.eof && !pipe.shut) {
    to.shutdown_write();
    pipe.shut = true;
  }
  return true;
}

// pump moves every byte it can in both directions; false when the connection is finished.
bool EventLoopProxy::pump(Connection& c) {
  if (!read_into(c.client, c.up) || !write_from(c.up, c.upstream)) return false;
  if (!read_into(c.upstream, c.down) || !write_from(c.down, c.client)) return false;
  // The credential server ended and everything it sent was delivered: nothing more can come.
  return !c.down.done();
}

bool EventLoopProxy::sniff(Connection& c, Clock::time_point now) {
  if (!read_into(c.client, c.up)) return false;
  const std::string_view head = as_chars(c.up.buf.reveal().subspan(0, c.up.end));
  const std::optional<bool> stop_request = is_stop_request(head);
  if (!stop_request) return !c.up.eof;  // undecided: wait for more, unless the client left
  if (*stop_request) {
    (void)c.client.write_all(as_bytes(kStopReply), kCannedReplyTimeout);
    log::debug("proxy: " + describe(c.peer) + ": stop requested");
    stopped_by_request_.store(true, std::memory_order_release);
    stop();
    return false;
  }
  if (head.empty() && c.up.eof) return false;  // connected and left without a byte
  return start_relay(c, now);
}

// start_relay opens the upstream connection, checks who owns it, writes the preamble and moves
// the sniffed bytes on. A failure answers 502 to the client.
bool EventLoopProxy::start_relay(Connection& c, Clock::time_point now) {
  auto upstream =
      platform::connect_tcp(options_.upstream_host, options_.upstream_port, options_.connect_timeout);
  bool ready = upstream.has_value();
  if (!ready) log::debug("proxy: " + std::string(upstream.error().message()));
  if (ready && options_.served_uid) {
    auto owner = platform::tcp_peer_owner_uid(*upstream);
    const bool unsupported = !owner && owner.error().code() == Errc::Unsupported;
    ready = unsupported || (owner && *owner == *options_.served_uid);
    if (!ready) log::debug("proxy: the credential server's port belongs to another user");
  }
  // Upstream's credential server sees every proxied request from 127.0.0.1; a client on this
  // host using the alias as its source is reported the same way (its port is kept).
  Peer reported = c.peer;
  if (!reported.loopback) reported.address = std::string(kEc2ServerAddress);
  auto preamble = format_proxy_preamble(options_.secret, reported);
  if (ready && preamble) {
    ready = upstream->write_all(preamble->reveal(), kCannedReplyTimeout).has_value();
  }
  if (!ready || !preamble) {
    refuse(c, kBadGatewayReply, now);
    return true;
  }
  c.upstream = std::move(*upstream);
  c.down = make_pipe(options_.buffer_bytes);
  c.phase = Phase::Relay;
  c.deadline = now + options_.idle_timeout;
  log::debug("proxy: " + describe(c.peer) + ": relaying to the credential server");
  return pump(c);
}

// refuse writes a canned reply and lingers until the client closes.
void EventLoopProxy::refuse(Connection& c, std::string_view reply, Clock::time_point now) {
  (void)c.client.write_all(as_bytes(reply), kCannedReplyTimeout);
  c.client.shutdown_write();
  c.phase = Phase::Linger;
  c.deadline = now + kLingerTimeout;
  c.up.begin = c.up.end = 0;
}

bool EventLoopProxy::linger(Connection& c) {
  for (;;) {
    c.up.begin = c.up.end = 0;
    if (!read_into(c.client, c.up)) return false;
    if (c.up.eof) return false;
    if (c.up.end == 0) return true;  // nothing more now
  }
}

Interest wanted_client(const Connection& c) noexcept {
  if (c.phase != Phase::Relay) return Interest::Read;
  return platform::make_interest(!c.up.eof && c.up.has_room(), !c.down.empty());
}

Interest wanted_upstream(const Connection& c) noexcept {
  if (c.phase != Phase::Relay) return Interest::None;
  return platform::make_interest(!c.down.eof && c.down.has_room(), !c.up.empty());
}

// set_interest adds, modifies or removes `socket` in the poller so it is watched for `want`.
bool set_interest(platform::Poller& poller, const platform::Socket& socket, std::uint64_t token,
                  Interest want, Interest& current) {
  if (want == current) return true;
  const int fd = socket.native_handle();
  if (want == Interest::None) {
    poller.remove(fd);
  } else {
    const Status st = current == Interest::None ? poller.add(fd, token, want)
                                                : poller.modify(fd, token, want);
    if (!st) return false;
  }
  current = want;
  return true;
}

bool EventLoopProxy::update_interest(Connection& c) {
  if (!set_interest(poller_, c.client, token_of(c, Side::Client), wanted_client(c),
                    c.client_interest)) {
    return false;
  }
  if (!c.upstream.is_open()) return true;
  return set_interest(poller_, c.upstream, token_of(c, Side::Upstream), wanted_upstream(c),
                      c.upstream_interest);
}

void EventLoopProxy::close(Connection& c) noexcept {
  if (!c.in_use) return;
  if (c.client_interest != Interest::None) poller_.remove(c.client.native_handle());
  if (c.upstream_interest != Interest::None) poller_.remove(c.upstream.native_handle());
  c.client.close();
  c.upstream.close();
  c.up = Pipe{};  // frees (and wipes) the locked buffers
  c.down = Pipe{};
  c.peer = Peer{};
  c.client_interest = Interest::None;
  c.upstream_interest = Interest::None;
  c.in_use = false;
  open_.fetch_sub(1, std::memory_order_relaxed);
}

void EventLoopProxy::sweep(Clock::time_point now) {
  for (Connection& c : slots_) {
    if (!c.in_use || now < c.deadline) continue;
    if (c.phase == Phase::Relay) log::debug("proxy: " + describe(c.peer) + ": idle, closed");
    close(c);
  }
}

Clock::time_point EventLoopProxy::next_deadline() const noexcept {
  Clock::time_point next = Clock::time_point::max();
  for (const Connection& c : slots_) {
    if (c.in_use) next = std::min(next, c.deadline);
  }
  return next;
}

void EventLoopProxy::close_all() noexcept {
  for (Connection& c : slots_) close(c);
}

// run_tool runs one of the alias commands with a fixed, system-only environment.
Result<platform::RunResult> run_tool(std::vector<std::string> argv) {
  const auto env = platform::Environment::from_pairs(
      {{"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"}, {"LC_ALL", "C"}});
  platform::RunRequest request;
  request.argv = std::move(argv);
  request.env = &env;
  request.max_stdout_len = 64 * 1024;
  request.timeout = std::chrono::seconds(30);
  return platform::run_program(request);
}

// tool_output is the command's stdout and stderr, trimmed (Go's CombinedOutput, spec §6.5).
std::string tool_output(const platform::RunResult& result) {
  std::string text(as_chars(result.stdout_data.reveal()));
  text.append(result.stderr_text);
  return std::string(ascii::trim(text));
}

std::vector<std::string> alias_command(bool add) {
  const std::string address(kMetadataAddress);
#if defined(__linux__)
  return {"ip", "addr", add ? "add" : "del", address + "/24", "dev", "lo", "label", "lo:0"};
#else
  return {"ifconfig", "lo0", add ? "alias" : "-alias", address};
#endif
}

Status change_alias(bool add) {
  AV_TRY_ASSIGN(const platform::RunResult result, run_tool(alias_command(add)));
  if (result.status.success()) return ok();
  // The address is already there (left by an earlier run, or configured): fine for adding. Tool
  // wordings differ ("File exists", "Address already assigned"), so ask the kernel instead: the
  // address can be bound exactly when it is configured.
  if (add && platform::listen_tcp(kMetadataAddress, 0)) {
    log::debug("proxy: " + std::string(kMetadataAddress) + " is already configured");
    return ok();
  }
  return Error(Errc::Io, tool_output(result) + ": " + result.status.describe());
}

}  // namespace

Result<std::unique_ptr<Proxy>> Proxy::create(platform::Listener listener, ProxyOptions options) {
  if (!valid_secret(options.secret.reveal())) {
    return Error(Errc::Parse, "proxy: the secret is not 43 base64url characters");
  }
  if (options.max_connections == 0 || options.buffer_bytes == 0) {
    return Error(Errc::Parse, "proxy: no connections or no buffer allowed");
  }
  AV_TRY_ASSIGN(platform::Poller poller, platform::Poller::create());
  AV_TRY_ASSIGN(platform::Wakeup wakeup, platform::Wakeup::create());
  return std::unique_ptr<Proxy>(std::make_unique<EventLoopProxy>(
      std::move(listener), std::move(options), std::move(poller), std::move(wakeup)));
}

std::optional<bool> is_stop_request(std::string_view head) noexcept {
  const std::size_t n = std::min(head.size(), kStopPrefix.size());
  if (head.substr(0, n) != kStopPrefix.substr(0, n)) return false;
  if (head.size() <= kStopPrefix.size()) return std::nullopt;
  const char next = head[kStopPrefix.size()];
  return next == ' ' || next == '?';
}

Status request_proxy_stop(std::string_view host, std::uint16_t port, platform::Timeout timeout) {
  AV_TRY_ASSIGN(platform::Socket socket, platform::connect_tcp(host, port, timeout));
  std::string request = "GET /stop HTTP/1.1\r\nHost: " + std::string(host);
  if (port != 80) request += ":" + std::to_string(port);
  request += "\r\nUser-Agent: aws-vault\r\nConnection: close\r\n\r\n";
  AV_TRY(socket.write_all(as_bytes(request), timeout));
  // Read (and drop) the reply until the proxy closes, so it is done when we return.
  std::array<std::uint8_t, 512> buf{};
  for (std::size_t total = 0; total < 64 * 1024;) {
    AV_TRY_ASSIGN(const std::size_t n, socket.read_some(buf, timeout));
    if (n == 0) break;
    total += n;
  }
  return ok();
}

Status add_metadata_alias() { return change_alias(true); }

Status remove_metadata_alias() { return change_alias(false); }

}  // namespace av::server
