// http_server.cpp: the event loop under the credential servers (server/http_server.h).
//
// One thread, one level-triggered poller. Every connection lives in a slot (index plus a
// generation in the poll token, so a stale event never reaches a reused slot) with three locked
// buffers: `in` (unparsed request bytes), `out` (serialized replies not yet sent) and `body`
// (what the handler appends, fixed at kMaxServerReplyBody). `in` and `out` start at 4 KiB and
// grow (copy, old one wiped) to their limits only when a request or reply needs it; they are
// kept at full logical size and indexed by begin/end offsets, so reading and writing never
// reallocate or wipe on the hot path. All three are wiped when the connection closes, and a few
// sets are kept for the next connections.
//
// Per connection: read -> parse (only when a line end or the missing body bytes arrived) ->
// handle -> serialize into `out` -> write. Pipelined requests are answered in order while `out`
// has room for the next reply; otherwise the reply waits and reading pauses (back-pressure).
// A reply that closes the connection is followed by a lingering close: shut down our side, read
// and discard until the client closes or a short deadline, so the client reads the reply
// instead of a reset. Deadlines (head, idle, write, linger) are checked by a sweep that runs
// when the earliest one is due.
#include "server/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "base/ascii.h"
#include "base/limits.h"
#include "base/log.h"
#include "codec/go_duration.h"
#include "platform/poller.h"
#include "server/proxy_preamble.h"

namespace av::server {
namespace {

using Clock = std::chrono::steady_clock;
using platform::Interest;

constexpr std::uint64_t kListenerToken = 0;
constexpr std::uint64_t kWakeupToken = 1;
constexpr std::uint64_t kFirstSlotToken = 2;
constexpr std::size_t kMaxEventsPerWait = 128;
constexpr std::size_t kMaxAcceptsPerWake = 64;
// Closed connections whose buffers are kept for the next ones (beyond this they are freed).
constexpr std::size_t kMaxPooledBuffers = 16;
// How long a closing connection waits for the client to close after our reply.
constexpr std::chrono::milliseconds kMaxLinger{2000};
// After accept fails (out of descriptors), accepting pauses this long instead of spinning.
constexpr std::chrono::milliseconds kAcceptPause{100};

constexpr std::size_t kOutCapacity = limits::kMaxServerReplyHead + limits::kMaxServerReplyBody;
// `in` and `out` start this small (real requests and replies are 0.2-2 KiB) and grow on demand
// up to their limits, so idle keep-alive connections cost a few pages of locked memory.
constexpr std::size_t kInitialBufferBytes = 4 * limits::kKiB;

enum class Phase : std::uint8_t { Preamble, Request, Lingering };

struct Connection {
  platform::Socket socket;
  Peer peer;
  secure::SecretBytes in;    // size == capacity; [in_begin, in_end) is unparsed input
  secure::SecretBytes out;   // size == capacity; [out_begin, out_end) is unsent output
  secure::SecretBytes body;  // the handler's body for the reply being built
  std::size_t in_begin = 0, in_end = 0, out_begin = 0, out_end = 0;
  std::string pending_head;  // head of a reply waiting for room in `out` (never secret)
  bool reply_pending = false;
  bool pending_has_body = false;
  bool close_after_write = false;
  bool read_closed = false;
  bool parse_needed = false;
  bool started = false;       // bytes of the current request have arrived
  bool first_request = true;  // the head timeout runs from accept until the first request
  bool write_deadline_set = false;
  bool dead = false;
  bool in_use = false;
  Phase phase = Phase::Request;
  std::size_t need_bytes = 0;  // from ParseOutcome: buffered size at which to parse again
  Clock::time_point request_start;
  Clock::time_point deadline;
  Interest interest = Interest::None;
  std::uint32_t generation = 0;
  std::size_t slot = 0;

  std::size_t buffered() const noexcept { return in_end - in_begin; }
  bool out_empty() const noexcept { return out_begin == out_end; }
};

std::string host_port(const Peer& peer) {
  const bool v6 = peer.address.find(':') != std::string::npos;
  return (v6 ? "[" + peer.address + "]" : peer.address) + ":" + std::to_string(peer.port);
}

// header_text_ok: no bytes that could end a header line or smuggle a second one.
bool header_text_ok(std::string_view text) noexcept {
  return std::none_of(text.begin(), text.end(),
                      [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

bool header_name_ok(std::string_view name) noexcept {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return ascii::is_alnum(c) || c == '-' || c == '_';
  });
}

// grow replaces `buf` by a locked buffer of `capacity` bytes holding the live bytes
// [begin, end) at its start; the old buffer is wiped when it is destroyed here.
void grow(secure::SecretBytes& buf, std::size_t& begin, std::size_t& end, std::size_t capacity) {
  secure::SecretBytes bigger = secure::SecretBytes::zeroed(capacity);
  std::memcpy(bigger.reveal_mutable().data(), buf.reveal().data() + begin, end - begin);
  end -= begin;
  begin = 0;
  buf = std::move(bigger);
}

// body_allowed: 1xx, 204 and 304 replies have neither a body nor Content-Length.
bool body_allowed(int status) noexcept { return status >= 200 && status != 204 && status != 304; }

void append_number(std::string& out, std::size_t n) {
  char digits[24];
  std::size_t len = 0;
  do {
    digits[len++] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n != 0);
  while (len > 0) out.push_back(digits[--len]);
}

// serialize_head renders the status line, framing and extra headers; false when the handler's
// reply cannot be sent as is (bad status or header text, head over the limit).
bool serialize_head(const Reply& reply, std::size_t body_len, bool closing, int minor_version,
                    std::string& head) {
  head.clear();
  if (reply.status < 100 || reply.status > 999 || !header_text_ok(reply.content_type)) {
    return false;
  }
  head.append("HTTP/1.1 ");
  append_number(head, static_cast<std::size_t>(reply.status));
  head.push_back(' ');
  head.append(status_reason(reply.status)).append("\r\n");
  if (!reply.content_type.empty()) {
    head.append("Content-Type: ").append(reply.content_type).append("\r\n");
  }
  if (body_allowed(reply.status)) {
    head.append("Content-Length: ");
    append_number(head, body_len);
    head.append("\r\n");
  }
  if (closing) {
    head.append("Connection: close\r\n");
  } else if (minor_version == 0) {
    head.append("Connection: keep-alive\r\n");
  }
  for (const auto& [name, value] : reply.headers) {
    if (!header_name_ok(name) || !header_text_ok(value)) return false;
    head.append(name).append(": ").append(value).append("\r\n");
  }
  head.append("\r\n");
  return head.size() <= limits::kMaxServerReplyHead;
}

class EventLoopServer final : public HttpServer {
 public:
  EventLoopServer(platform::Listener listener, Handler& handler, ServerOptions options,
                  platform::Poller poller, platform::Wakeup wakeup)
      : listener_(std::move(listener)),
        handler_(handler),
        options_(std::move(options)),
        poller_(std::move(poller)),
        wakeup_(std::move(wakeup)),
        port_(listener_.port()) {
    headers_.reserve(options_.limits.max_headers);
    in_capacity_ =
        options_.limits.max_head_bytes + options_.limits.max_body_bytes + kMaxProxyPreambleBytes;
  }
  ~EventLoopServer() override { close_all(); }

  Status run() override;
  void stop() noexcept override {
    stop_requested_.store(true, std::memory_order_release);
    wakeup_.signal();
  }
  std::uint16_t port() const noexcept override { return port_; }
  std::size_t open_connections() const noexcept override {
    return open_.load(std::memory_order_relaxed);
  }

 private:
  void accept_ready(Clock::time_point now);
  void open_connection(platform::Socket socket, Clock::time_point now);
  void on_event(const platform::PollEvent& event, Clock::time_point now);
  void read_input(Connection& c, Clock::time_point now);
  void serve(Connection& c, Clock::time_point now);
  bool serve_one(Connection& c, Clock::time_point now);
  bool check_preamble(Connection& c);
  void handle_request(Connection& c, const ParsedRequest& parsed, Clock::time_point now);
  void queue_failure(Connection& c, const ParseFailure& failure);
  void queue_reply(Connection& c, const Reply& reply, bool send_body, bool closing, int minor);
  bool move_pending(Connection& c);
  std::size_t flush(Connection& c);
  void settle(Connection& c, Clock::time_point now);
  void release(std::size_t slot);
  void sweep(Clock::time_point now);
  void close_all() noexcept;
  Interest wanted_interest(const Connection& c) const noexcept;
  static std::uint64_t token_of(const Connection& c) noexcept {
    return (std::uint64_t{c.generation} << 32) | (c.slot + kFirstSlotToken);
  }
  void log_request(const Connection& c, const RequestView& request, int status,
                   Clock::duration elapsed) const;

  platform::Listener listener_;
  Handler& handler_;
  ServerOptions options_;
  platform::Poller poller_;
  platform::Wakeup wakeup_;
  std::uint16_t port_;
  std::size_t in_capacity_ = 0;
  std::atomic<bool> stop_requested_{false};
  std::atomic<std::size_t> open_{0};
  std::vector<std::unique_ptr<Connection>> slots_;
  std::vector<std::size_t> free_slots_;  // LIFO, so slots with pooled buffers come back first
  std::size_t pooled_ = 0;               // free slots that still hold buffers
  std::vector<HeaderView> headers_;      // reused by every parse (one request at a time)
  Clock::time_point next_sweep_ = Clock::time_point::max();
  Clock::time_point accept_resume_ = Clock::time_point::max();
};

Status EventLoopServer::run() {
  AV_TRY(poller_.add(listener_.native_handle(), kListenerToken, Interest::Read));
  AV_TRY(poller_.add(wakeup_.native_handle(), kWakeupToken, Interest::Read));
  std::array<platform::PollEvent, kMaxEventsPerWait> events{};
  while (!stop_requested_.load(std::memory_order_acquire)) {
    Clock::time_point now = Clock::now();
    if (now >= next_sweep_) sweep(now);
    if (now >= accept_resume_) {
      accept_resume_ = Clock::time_point::max();
      AV_TRY(poller_.modify(listener_.native_handle(), kListenerToken, Interest::Read));
    }
    const Clock::time_point wake = std::min(next_sweep_, accept_resume_);
    const auto timeout = wake == Clock::time_point::max()
                             ? platform::Timeout(-1)
                             : std::chrono::ceil<platform::Timeout>(wake - now);
    AV_TRY_ASSIGN(const std::size_t n, poller_.wait(events, timeout));
    now = Clock::now();
    for (std::size_t i = 0; i < n; ++i) {
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

void EventLoopServer::accept_ready(Clock::time_point now) {
  for (std::size_t i = 0; i < kMaxAcceptsPerWake; ++i) {
    auto accepted = listener_.try_accept();
    if (!accepted) {
      // Out of descriptors or memory: stop watching the listener for a moment.
      if (log::debug_enabled()) log::debug("http: " + std::string(accepted.error().message()));
      accept_resume_ = now + kAcceptPause;
      (void)poller_.modify(listener_.native_handle(), kListenerToken, Interest::None);
      return;
    }
    if (!accepted->has_value()) return;
    platform::Socket socket = std::move(**accepted);
    if (open_.load(std::memory_order_relaxed) >= options_.max_connections) continue;
    if (options_.accept_filter && !options_.accept_filter(socket)) continue;
    open_connection(std::move(socket), now);
  }
}

void EventLoopServer::open_connection(platform::Socket socket, Clock::time_point now) {
  std::size_t slot = 0;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = slots_.size();
    slots_.push_back(std::make_unique<Connection>());
  }
  Connection& c = *slots_[slot];
  c.slot = slot;
  if (c.in.capacity() != 0) {
    --pooled_;
  } else {
    c.in = secure::SecretBytes::zeroed(std::min(kInitialBufferBytes, in_capacity_));
    c.out = secure::SecretBytes::zeroed(kInitialBufferBytes);
    c.body = secure::SecretBytes(limits::kMaxServerReplyBody);
  }
  (void)socket.set_no_delay();
  c.peer = Peer{socket.peer_address(), socket.peer_port(), socket.peer_is_loopback()};
  c.socket = std::move(socket);
  c.in_use = true;
  c.phase = options_.proxy_secret.empty() ? Phase::Request : Phase::Preamble;
  c.request_start = now;
  c.interest = Interest::Read;
  open_.fetch_add(1, std::memory_order_relaxed);
  if (!poller_.add(c.socket.native_handle(), token_of(c), Interest::Read)) {
    release(slot);
    return;
  }
  settle(c, now);
}

void EventLoopServer::on_event(const platform::PollEvent& event, Clock::time_point now) {
  const std::size_t slot = static_cast<std::size_t>(event.token & 0xFFFFFFFFU) - kFirstSlotToken;
  if (slot >= slots_.size()) return;
  Connection& c = *slots_[slot];
  if (!c.in_use || c.generation != static_cast<std::uint32_t>(event.token >> 32)) return;
  if (event.error) {
    c.dead = true;  // reset or unreachable: no reply can arrive any more
  } else if (event.hangup && !wants_read(c.interest)) {
    c.dead = true;  // both directions closed (RDHUP is only watched while reading)
  } else {
    if (event.readable || event.hangup) read_input(c, now);
    if (!c.dead && c.phase != Phase::Lingering) serve(c, now);
    if (!c.dead && !c.out_empty()) flush(c);
    if (!c.dead) settle(c, now);
  }
  if (c.dead) release(slot);
}

void EventLoopServer::read_input(Connection& c, Clock::time_point now) {
  MutableByteSpan in = c.in.reveal_mutable();
  if (c.phase == Phase::Lingering) {
    auto n = c.socket.try_read(in);  // discarded: the connection is closing
    if (!n || (n->has_value() && **n == 0)) c.dead = true;
    return;
  }
  if (c.read_closed || !wants_read(c.interest)) return;
  if (c.in_begin == c.in_end) {
    c.in_begin = c.in_end = 0;
  } else if (c.in_end == in.size() && c.in_begin > 0) {
    std::memmove(in.data(), in.data() + c.in_begin, c.buffered());
    c.in_end -= c.in_begin;
    c.in_begin = 0;
  }
  if (c.in_end == in.size() && in.size() < in_capacity_) {
    grow(c.in, c.in_begin, c.in_end, std::min(2 * in.size(), in_capacity_));
    in = c.in.reveal_mutable();
  }
  if (c.in_end == in.size()) return;  // unreachable: a full buffer always parses or fails
  auto n = c.socket.try_read(in.subspan(c.in_end));
  if (!n) {
    c.dead = true;
    return;
  }
  if (!n->has_value()) return;
  const std::size_t got = **n;
  if (got == 0) {
    c.read_closed = true;
    return;
  }
  const bool newline = std::memchr(in.data() + c.in_end, '\n', got) != nullptr;
  const std::size_t before = c.buffered();
  c.in_end += got;
  // Crossing a limit without a line end is a refusal the parser must see now.
  const auto crossed = [&](std::size_t limit) { return before <= limit && c.buffered() > limit; };
  if (crossed(options_.limits.max_request_line) || crossed(options_.limits.max_head_bytes)) {
    c.parse_needed = true;
  }
  if (!c.started) {
    c.started = true;
    c.parse_needed = true;  // check the first bytes at once: garbage fails fast
    if (!c.first_request) c.request_start = now;
  }
  if (newline || c.in_end == in.size() || (c.need_bytes != 0 && c.buffered() >= c.need_bytes)) {
    c.parse_needed = true;
  }
}

void EventLoopServer::serve(Connection& c, Clock::time_point now) {
  // Answer what is buffered; when a reply had to wait for room, each flush that made progress
  // lets the loop go on.
  for (;;) {
    while (!c.dead && serve_one(c, now)) {
    }
    if (c.dead || !c.reply_pending) return;
    if (flush(c) == 0 || c.dead) return;
  }
}

// serve_one makes one step (a preamble, a request, a waiting reply); false when it cannot.
bool EventLoopServer::serve_one(Connection& c, Clock::time_point now) {
  if (c.reply_pending) return move_pending(c);
  if (c.close_after_write || !c.parse_needed || c.buffered() == 0) return false;
  if (c.phase == Phase::Preamble) return check_preamble(c);
  const ByteSpan input = c.in.reveal().subspan(c.in_begin, c.buffered());
  ParseOutcome outcome = parse_request(input, options_.limits, headers_);
  if (outcome.need_more) {
    c.parse_needed = false;
    c.need_bytes = outcome.need_bytes;
    return false;
  }
  if (outcome.failure) {
    queue_failure(c, *outcome.failure);
    return true;
  }
  handle_request(c, *outcome.parsed, now);
  return true;
}

bool EventLoopServer::check_preamble(Connection& c) {
  const ByteSpan input = c.in.reveal().subspan(c.in_begin, c.buffered());
  PreambleOutcome outcome = check_proxy_preamble(input, options_.proxy_secret);
  if (outcome.need_more) {
    c.parse_needed = false;
    return false;
  }
  if (outcome.error || !outcome.client) {
    if (log::debug_enabled()) {
      log::debug("http: " + host_port(c.peer) + ": " + std::string(outcome.error->message()));
    }
    c.dead = true;  // no reply: whoever this is did not come through the proxy
    return false;
  }
  c.peer = std::move(*outcome.client);
  c.in_begin += outcome.consumed;
  c.phase = Phase::Request;
  return true;
}

void EventLoopServer::handle_request(Connection& c, const ParsedRequest& parsed,
                                     Clock::time_point now) {
  const RequestView& request = parsed.request;
  const bool logging = options_.log_requests && log::debug_enabled();
  const Clock::time_point start = logging ? Clock::now() : now;
  c.body.resize(0);
  Reply reply;
  handler_.handle(request, c.peer, reply, c.body);
  const bool closing = !parsed.keep_alive || reply.close;
  queue_reply(c, reply, request.method != "HEAD", closing, request.minor_version);
  if (logging) log_request(c, request, reply.status, Clock::now() - start);
  // The views into `in` are dead from here on.
  c.in_begin += parsed.consumed;
  c.first_request = false;
  c.need_bytes = 0;
  c.started = c.buffered() != 0;
  c.parse_needed = c.started;
  c.request_start = now;
  if (closing) c.close_after_write = true;
}

void EventLoopServer::queue_failure(Connection& c, const ParseFailure& failure) {
  if (options_.log_requests && log::debug_enabled()) {
    log::debug("http: " + host_port(c.peer) + ": " + std::to_string(failure.status) + " (" +
               std::string(failure.error.message()) + ")");
  }
  Reply reply;
  reply.status = failure.status;
  reply.content_type = "text/plain; charset=utf-8";
  c.body.resize(0);
  const std::string text =
      std::to_string(failure.status) + " " + std::string(status_reason(failure.status));
  (void)c.body.append(as_bytes(text));
  queue_reply(c, reply, true, true, 1);
  c.close_after_write = true;
}

void EventLoopServer::queue_reply(Connection& c, const Reply& reply, bool send_body, bool closing,
                                  int minor) {
  if (!serialize_head(reply, c.body.size(), closing, minor, c.pending_head)) {
    Reply internal;
    internal.status = 500;
    c.body.resize(0);
    const bool done = serialize_head(internal, 0, closing, minor, c.pending_head);
    AV_CHECK(done);
  }
  c.reply_pending = true;
  c.pending_has_body = send_body && body_allowed(reply.status);
  (void)move_pending(c);
}

// move_pending copies the waiting reply into `out` if it fits (compacting first).
bool EventLoopServer::move_pending(Connection& c) {
  const std::size_t body_len = c.pending_has_body ? c.body.size() : 0;
  const std::size_t need = c.pending_head.size() + body_len;
  MutableByteSpan out = c.out.reveal_mutable();
  if (c.out_end + need > out.size() && c.out_begin > 0) {
    std::memmove(out.data(), out.data() + c.out_begin, c.out_end - c.out_begin);
    c.out_end -= c.out_begin;
    c.out_begin = 0;
  }
  if (c.out_end + need > out.size() && out.size() < kOutCapacity) {
    grow(c.out, c.out_begin, c.out_end, kOutCapacity);
    out = c.out.reveal_mutable();
  }
  if (c.out_end + need > out.size()) return false;
  std::memcpy(out.data() + c.out_end, c.pending_head.data(), c.pending_head.size());
  c.out_end += c.pending_head.size();
  if (body_len != 0) std::memcpy(out.data() + c.out_end, c.body.reveal().data(), body_len);
  c.out_end += body_len;
  c.body.resize(0);  // wipes this copy of the body
  c.reply_pending = false;
  return true;
}

// flush writes what it can; returns the bytes written.
std::size_t EventLoopServer::flush(Connection& c) {
  std::size_t written = 0;
  while (!c.out_empty()) {
    auto n = c.socket.try_write(c.out.reveal().subspan(c.out_begin, c.out_end - c.out_begin));
    if (!n) {
      c.dead = true;
      return written;
    }
    if (!n->has_value() || **n == 0) break;
    c.out_begin += **n;
    written += **n;
  }
  if (c.out_empty()) {
    c.out_begin = c.out_end = 0;
    c.write_deadline_set = false;
  }
  return written;
}

Interest EventLoopServer::wanted_interest(const Connection& c) const noexcept {
  if (c.phase == Phase::Lingering) return Interest::Read;
  const bool read = !c.read_closed && !c.reply_pending && !c.close_after_write;
  return platform::make_interest(read, !c.out_empty());
}

// settle decides what happens next: close, linger, the deadline and the poll interest.
void EventLoopServer::settle(Connection& c, Clock::time_point now) {
  if (c.read_closed && !c.reply_pending && !(c.parse_needed && c.buffered() != 0)) {
    c.close_after_write = true;  // the client sent everything it will send
  }
  if (c.phase != Phase::Lingering && c.close_after_write && c.out_empty() && !c.reply_pending) {
    if (c.read_closed) {
      c.dead = true;
      return;
    }
    c.socket.shutdown_write();
    c.phase = Phase::Lingering;
    c.in_begin = c.in_end = 0;
    c.deadline = now + std::min(kMaxLinger, options_.write_timeout);
  } else if (c.phase == Phase::Lingering) {
    // keep the linger deadline
  } else if (!c.out_empty()) {
    if (!c.write_deadline_set) c.deadline = now + options_.write_timeout;
    c.write_deadline_set = true;
  } else if (c.started || c.first_request) {
    c.deadline = c.request_start + options_.head_timeout;
  } else {
    c.deadline = now + options_.idle_timeout;
  }
  next_sweep_ = std::min(next_sweep_, c.deadline);
  const Interest want = wanted_interest(c);
  if (want != c.interest) {
    c.interest = want;
    if (!poller_.modify(c.socket.native_handle(), token_of(c), want)) c.dead = true;
  }
}

void EventLoopServer::release(std::size_t slot) {
  Connection& c = *slots_[slot];
  poller_.remove(c.socket.native_handle());
  c.socket.close();
  open_.fetch_sub(1, std::memory_order_relaxed);
  secure::wipe(c.in.reveal_mutable());
  secure::wipe(c.out.reveal_mutable());
  c.body.resize(0);
  if (pooled_ < kMaxPooledBuffers) {
    ++pooled_;
  } else {
    c.in = secure::SecretBytes();
    c.out = secure::SecretBytes();
    c.body = secure::SecretBytes();
  }
  c.peer = Peer{};
  c.in_begin = c.in_end = c.out_begin = c.out_end = 0;
  c.pending_head.clear();
  c.reply_pending = c.pending_has_body = c.close_after_write = c.read_closed = false;
  c.parse_needed = c.started = c.write_deadline_set = c.dead = c.in_use = false;
  c.first_request = true;
  c.phase = Phase::Request;
  c.need_bytes = 0;
  c.interest = Interest::None;
  ++c.generation;
  free_slots_.push_back(slot);
}

void EventLoopServer::sweep(Clock::time_point now) {
  next_sweep_ = Clock::time_point::max();
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Connection& c = *slots_[i];
    if (!c.in_use) continue;
    if (c.deadline <= now) {
      release(i);
    } else {
      next_sweep_ = std::min(next_sweep_, c.deadline);
    }
  }
}

void EventLoopServer::close_all() noexcept {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i]->in_use) release(i);
  }
}

void EventLoopServer::log_request(const Connection& c, const RequestView& request, int status,
                                  Clock::duration elapsed) const {
  std::string line = "http: " + host_port(c.peer) + ": " + std::to_string(status) + " ";
  line.append(ascii::escape_for_terminal(request.method)).append(" ");
  line.append(ascii::escape_for_terminal(request.target)).append(" (");
  line.append(
      codec::format_go_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed)));
  line.append(")");
  log::debug(line);
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::create(platform::Listener listener,
                                                       Handler& handler, ServerOptions options) {
  if (listener.native_handle() < 0) {
    return Error(Errc::Internal, "http server: no listening socket");
  }
  if (options.max_connections == 0 || options.head_timeout <= std::chrono::milliseconds::zero() ||
      options.idle_timeout <= std::chrono::milliseconds::zero() ||
      options.write_timeout <= std::chrono::milliseconds::zero() ||
      options.limits.max_request_line > options.limits.max_head_bytes ||
      options.limits.max_head_bytes == 0) {
    return Error(Errc::Internal, "http server: invalid options");
  }
  AV_TRY_ASSIGN(platform::Poller poller, platform::Poller::create());
  AV_TRY_ASSIGN(platform::Wakeup wakeup, platform::Wakeup::create());
  return std::unique_ptr<HttpServer>(std::make_unique<EventLoopServer>(
      std::move(listener), handler, std::move(options), std::move(poller), std::move(wakeup)));
}

}  // namespace av::server
