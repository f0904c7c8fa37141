// poller.h: readiness notification for many descriptors at once (epoll on Linux), and a wakeup
// that another thread or a signal handler can trigger, for the credential servers' event loop.
//
// The Poller is level-triggered: a descriptor stays reported while it is readable or writable, so
// a consumer that reads only part of what is available is simply told again. Each registered
// descriptor carries a caller-chosen 64-bit token returned with its events (the server uses slot
// and generation numbers). Descriptors are borrowed, never closed here; remove() them before
// closing. Not thread-safe: one thread owns a Poller; only Wakeup::signal() may be called from
// elsewhere.
#pragma once

#include <cstdint>
#include <span>

#include "base/result.h"
#include "platform/socket.h"

namespace av::platform {

// Interest: which readiness to report. Hang-ups and errors are always reported.
enum class Interest : std::uint8_t { None = 0, Read = 1, Write = 2, ReadWrite = 3 };

constexpr bool wants_read(Interest i) noexcept { return (static_cast<unsigned>(i) & 1U) != 0; }
constexpr bool wants_write(Interest i) noexcept { return (static_cast<unsigned>(i) & 2U) != 0; }
constexpr Interest make_interest(bool read, bool write) noexcept {
  return static_cast<Interest>((read ? 1U : 0U) | (write ? 2U : 0U));
}

// PollEvent: what became ready for the descriptor registered with `token`.
struct PollEvent {
  std::uint64_t token = 0;
  bool readable = false;  // data or end-of-file can be read without blocking
  bool writable = false;  // a write would not block
  bool hangup = false;    // the peer closed its sending side (RDHUP) or both sides (HUP)
  bool error = false;     // the descriptor has a pending error (the next call reports it)
};

class Poller {
 public:
  // create makes an epoll instance (close-on-exec). Errc::Unsupported where there is none.
  static Result<Poller> create();

  Poller() noexcept = default;
  ~Poller();
  Poller(Poller&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Poller& operator=(Poller&& other) noexcept;
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  // add registers `fd`; modify changes its token or interest; Errc::Io "epoll_ctl: <reason>".
  Status add(int fd, std::uint64_t token, Interest interest);
  Status modify(int fd, std::uint64_t token, Interest interest);
  // remove unregisters `fd` (ignored if it is not registered).
  void remove(int fd) noexcept;

  // wait fills `out` with up to out.size() events and returns how many. A negative timeout waits
  // without limit; an expired timeout or an interrupting signal returns 0.
  Result<std::size_t> wait(std::span<PollEvent> out, Timeout timeout);

 private:
  explicit Poller(int fd) noexcept : fd_(fd) {}
  int fd_ = -1;
};

// Wakeup: an eventfd a Poller can watch. signal() is thread-safe and async-signal-safe (one
// write(2), errno preserved); the loop calls drain() when the descriptor is readable.
class Wakeup {
 public:
  static Result<Wakeup> create();

  Wakeup() noexcept = default;
  ~Wakeup();
  Wakeup(Wakeup&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Wakeup& operator=(Wakeup&& other) noexcept;
  Wakeup(const Wakeup&) = delete;
  Wakeup& operator=(const Wakeup&) = delete;

  int native_handle() const noexcept { return fd_; }
  void signal() noexcept;
  // drain resets the counter so the descriptor stops being readable.
  void drain() noexcept;

 private:
  explicit Wakeup(int fd) noexcept : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace av::platform
