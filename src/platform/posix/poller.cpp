// poller.cpp: platform/poller.h on Linux epoll and eventfd.
//
// Level-triggered epoll; EPOLLRDHUP with read interest reports a half-closed peer. Other systems
// get Errc::Unsupported from create() (a kqueue port would go here).
#include "platform/poller.h"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <climits>

#include "platform/posix/os_error.h"

#if defined(__linux__)
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif

namespace av::platform {

#if defined(__linux__)
namespace {

constexpr std::size_t kMaxEventsPerWait = 256;

// EPOLLRDHUP goes with read interest only: level-triggered, it would otherwise be reported
// again and again while the loop is not reading (for instance while a reply drains).
std::uint32_t epoll_mask(Interest interest) noexcept {
  std::uint32_t mask = 0;
  if (wants_read(interest)) mask |= EPOLLIN | EPOLLRDHUP;
  if (wants_write(interest)) mask |= EPOLLOUT;
  return mask;
}

Status control(int epfd, int op, int fd, std::uint64_t token, Interest interest) {
  epoll_event ev{};
  ev.events = epoll_mask(interest);
  ev.data.u64 = token;
  if (::epoll_ctl(epfd, op, fd, &ev) != 0) {
    return Error(Errc::Io, "epoll_ctl: " + detail::errno_text(errno));
  }
  return ok();
}

int timeout_ms(Timeout timeout) noexcept {
  if (timeout < Timeout::zero()) return -1;
  return timeout.count() > INT_MAX ? INT_MAX : static_cast<int>(timeout.count());
}

}  // namespace

Result<Poller> Poller::create() {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return Error(Errc::Io, "epoll_create1: " + detail::errno_text(errno));
  return Poller(fd);
}

Status Poller::add(int fd, std::uint64_t token, Interest interest) {
  return control(fd_, EPOLL_CTL_ADD, fd, token, interest);
}

Status Poller::modify(int fd, std::uint64_t token, Interest interest) {
  return control(fd_, EPOLL_CTL_MOD, fd, token, interest);
}

void Poller::remove(int fd) noexcept {
  epoll_event ev{};  // ignored, but kernels before 2.6.9 required a non-null pointer
  (void)::epoll_ctl(fd_, EPOLL_CTL_DEL, fd, &ev);
}

Result<std::size_t> Poller::wait(std::span<PollEvent> out, Timeout timeout) {
  AV_CHECK(fd_ >= 0);
  std::array<epoll_event, kMaxEventsPerWait> raw{};
  const std::size_t max = out.size() < raw.size() ? out.size() : raw.size();
  if (max == 0) return std::size_t{0};
  const int n = ::epoll_wait(fd_, raw.data(), static_cast<int>(max), timeout_ms(timeout));
  if (n < 0) {
    if (errno == EINTR) return std::size_t{0};
    return Error(Errc::Io, "epoll_wait: " + detail::errno_text(errno));
  }
  for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
    const std::uint32_t e = raw[i].events;
    out[i] = PollEvent{raw[i].data.u64, (e & EPOLLIN) != 0, (e & EPOLLOUT) != 0,
                       (e & (EPOLLRDHUP | EPOLLHUP)) != 0, (e & EPOLLERR) != 0};
  }
  return static_cast<std::size_t>(n);
}

Result<Wakeup> Wakeup::create() {
  const int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0) return Error(Errc::Io, "eventfd: " + detail::errno_text(errno));
  return Wakeup(fd);
}

void Wakeup::signal() noexcept {
  if (fd_ < 0) return;
  const int saved = errno;
  const std::uint64_t one = 1;
  // A full counter (EAGAIN) already means "readable", which is all a wakeup needs.
  (void)!::write(fd_, &one, sizeof one);
  errno = saved;
}

void Wakeup::drain() noexcept {
  if (fd_ < 0) return;
  std::uint64_t value = 0;
  (void)!::read(fd_, &value, sizeof value);
}

#else  // !__linux__

Result<Poller> Poller::create() {
  return Error(Errc::Unsupported, "event polling is only implemented on linux");
}
Status Poller::add(int, std::uint64_t, Interest) { return Error(Errc::Unsupported, "poller"); }
Status Poller::modify(int, std::uint64_t, Interest) { return Error(Errc::Unsupported, "poller"); }
void Poller::remove(int) noexcept {}
Result<std::size_t> Poller::wait(std::span<PollEvent>, Timeout) {
  return Error(Errc::Unsupported, "poller");
}
Result<Wakeup> Wakeup::create() {
  return Error(Errc::Unsupported, "event polling is only implemented on linux");
}
void Wakeup::signal() noexcept {}
void Wakeup::drain() noexcept {}

#endif

Poller::~Poller() {
  if (fd_ >= 0) ::close(fd_);
}

Poller& Poller::operator=(Poller&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

Wakeup::~Wakeup() {
  if (fd_ >= 0) ::close(fd_);
}

Wakeup& Wakeup::operator=(Wakeup&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

}  // namespace av::platform
