// terminal.cpp: POSIX terminals. The prompts change terminal modes and the SIGINT disposition
// only for their own duration, and restore both on every path (RAII guards below), so Ctrl-C
// during a prompt gives Errc::Cancelled with the terminal back in its normal state. The terminal
// driver flushes pending input on Ctrl-C and the signal may arrive before we wait, hence the
// self-pipe rather than relying on EINTR.
#include "platform/terminal.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "base/limits.h"
#include "platform/line_editor.h"
#include "platform/posix/fd_io.h"
#include "platform/posix/os_error.h"

namespace av::platform {
namespace {

using detail::UniqueFd;

constexpr const char* kTtyPath = "/dev/tty";

// The SIGINT handler writes a byte to this pipe (self-pipe trick), so a prompt waiting in poll()
// sees an interrupt even when it arrives just before the wait starts.
volatile std::sig_atomic_t g_interrupt_write_fd = -1;

extern "C" void note_interrupt(int /*signo*/) {
  int saved_errno = errno;
  char byte = 1;
  if (g_interrupt_write_fd >= 0) (void)!::write(g_interrupt_write_fd, &byte, 1);
  errno = saved_errno;
}

std::string_view stream_name(StdStream stream) noexcept {
  switch (stream) {
    case StdStream::In: return "/dev/stdin";
    case StdStream::Out: return "/dev/stdout";
    case StdStream::Err: return "/dev/stderr";
  }
  return "/dev/stderr";
}

// InterruptGuard catches SIGINT while a prompt runs (the handler feeds interrupt_fd()), and puts
// the previous disposition back afterwards. Without its pipe, interrupts are simply not seen.
class InterruptGuard {
 public:
  InterruptGuard() noexcept {
    int fds[2] = {-1, -1};
    if (::pipe(fds) != 0) return;
    read_end_ = UniqueFd(fds[0]);
    write_end_ = UniqueFd(fds[1]);
    for (int fd : fds) {
      ::fcntl(fd, F_SETFD, FD_CLOEXEC);
      ::fcntl(fd, F_SETFL, O_NONBLOCK);
    }
    g_interrupt_write_fd = fds[1];
    struct sigaction action {};
    action.sa_handler = note_interrupt;
    sigemptyset(&action.sa_mask);
    installed_ = ::sigaction(SIGINT, &action, &previous_) == 0;
  }
  ~InterruptGuard() {
    if (installed_) ::sigaction(SIGINT, &previous_, nullptr);
    g_interrupt_write_fd = -1;
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  int interrupt_fd() const noexcept { return read_end_.get(); }

 private:
  UniqueFd read_end_;
  UniqueFd write_end_;
  struct sigaction previous_ {};
  bool installed_ = false;
};

// TermiosGuard restores saved terminal attributes on destruction.
class TermiosGuard {
 public:
  TermiosGuard(int fd, const struct termios& saved) noexcept : fd_(fd), saved_(saved) {}
  ~TermiosGuard() { ::tcsetattr(fd_, TCSANOW, &saved_); }
  TermiosGuard(const TermiosGuard&) = delete;
  TermiosGuard& operator=(const TermiosGuard&) = delete;

 private:
  int fd_;
  struct termios saved_;
};

// read_byte waits for one byte on `fd` (nullopt at end of input) or an interrupt on
// `interrupt_fd` (Errc::Cancelled).
Result<std::optional<std::uint8_t>> read_byte(int fd, int interrupt_fd, std::string_view what) {
  for (;;) {
    struct pollfd fds[2] = {{fd, POLLIN, 0}, {interrupt_fd, POLLIN, 0}};
    int ready = ::poll(fds, interrupt_fd >= 0 ? 2 : 1, -1);
    if (ready < 0 && errno != EINTR) return detail::os_error("poll", what, errno);
    if (interrupt_fd >= 0 && (fds[1].revents & POLLIN) != 0) {
      return Error(Errc::Cancelled, "prompt cancelled");
    }
    if (ready <= 0 || fds[0].revents == 0) continue;
    std::uint8_t byte = 0;
    ssize_t n = ::read(fd, &byte, 1);
    if (n == 1) return std::optional<std::uint8_t>(byte);
    if (n == 0) return std::optional<std::uint8_t>();
    if (errno != EINTR && errno != EAGAIN) return detail::os_error("read", what, errno);
  }
}

// read_tty_line runs the line editor over bytes from the terminal, echoing as it goes.
Result<secure::SecretString> read_tty_line(int fd, int interrupt_fd, Echo echo) {
  LineEditor editor(echo);
  for (;;) {
    AV_TRY_ASSIGN(auto byte, read_byte(fd, interrupt_fd, kTtyPath));
    if (!byte) return Error(Errc::Io, std::string("read ") + kTtyPath + ": EOF");
    AV_TRY_ASSIGN(LineStatus status, editor.feed(*byte));
    if (status == LineStatus::Done) return editor.take_line();
    AV_TRY(detail::write_fd_all(fd, as_bytes(editor.echo()), kTtyPath));
  }
}

// read_passphrase_line reads up to '\n' (dropping '\r'); end of input after some bytes ends the
// line as in Go, end of input before any byte is Errc::Io "EOF".
Result<secure::SecretString> read_passphrase_line(int fd, int interrupt_fd) {
  secure::SecretString line(limits::kMaxPromptBytes);
  for (;;) {
    AV_TRY_ASSIGN(auto byte, read_byte(fd, interrupt_fd, "/dev/stdin"));
    if (!byte) {
      if (line.empty()) return Error(Errc::Io, "EOF");
      return line;
    }
    if (*byte == '\n') return line;
    if (*byte == '\r') continue;
    if (line.size() == line.capacity()) {
      return Error(Errc::TooLarge,
                   "passphrase longer than " + std::to_string(line.capacity()) + " bytes");
    }
    AV_TRY(line.push_back(static_cast<char>(*byte)));
  }
}

}  // namespace

bool is_terminal(StdStream stream) noexcept { return ::isatty(static_cast<int>(stream)) == 1; }

std::optional<int> terminal_width(StdStream stream) noexcept {
  struct winsize size {};
  if (::ioctl(static_cast<int>(stream), TIOCGWINSZ, &size) != 0 || size.ws_col == 0) {
    return std::nullopt;
  }
  return static_cast<int>(size.ws_col);
}

Status write_all(StdStream stream, std::string_view text) {
  return detail::write_fd_all(static_cast<int>(stream), as_bytes(text), stream_name(stream));
}

// raw_mode_of: `saved` with no echo, byte-at-a-time reads and CR kept as CR; ISIG stays on so
// Ctrl-C still raises SIGINT (caught by InterruptGuard). Used by the TTY prompts and the picker.
static struct termios raw_mode_of(const struct termios& saved) noexcept {
  struct termios raw = saved;
  raw.c_lflag &= ~static_cast<tcflag_t>(ECHO | ICANON | IEXTEN);
  raw.c_iflag &= ~static_cast<tcflag_t>(ICRNL | INLCR | IGNCR);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  return raw;
}

Result<secure::SecretString> prompt_tty_line(std::string_view prompt, Echo echo) {
  int raw_fd = ::open(kTtyPath, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (raw_fd < 0) {
    return Error(Errc::Io, std::string("open ") + kTtyPath + ": " + detail::errno_text(errno));
  }
  UniqueFd fd(raw_fd);
  struct termios saved {};
  if (::tcgetattr(fd.get(), &saved) != 0) return detail::os_error("tcgetattr", kTtyPath, errno);
  const struct termios raw = raw_mode_of(saved);
  InterruptGuard interrupt_guard;
  if (::tcsetattr(fd.get(), TCSANOW, &raw) != 0) {
    return detail::os_error("tcsetattr", kTtyPath, errno);
  }
  TermiosGuard termios_guard(fd.get(), saved);
  AV_TRY(detail::write_fd_all(fd.get(), as_bytes(prompt), kTtyPath));
  auto line = read_tty_line(fd.get(), interrupt_guard.interrupt_fd(), echo);
  // The newline ends the prompt line on every path (success, cancel, too long).
  Status newline = detail::write_fd_all(fd.get(), as_bytes("\n"), kTtyPath);
  if (line && !newline) return std::move(newline).error();
  return line;
}

// prompt_passphrase: a canonical-mode line with echo off, as Go's term.ReadPassword; the
// terminal driver handles editing. The passphrase is not trimmed.
Result<secure::SecretString> prompt_passphrase(std::string_view prompt) {
  constexpr int kStdin = 0;
  struct termios saved {};
  if (::tcgetattr(kStdin, &saved) != 0) return Error(Errc::Io, detail::errno_text(errno));
  AV_TRY(write_all(StdStream::Err, prompt));
  AV_TRY(write_all(StdStream::Err, ": "));
  struct termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  quiet.c_lflag |= static_cast<tcflag_t>(ICANON | ISIG);
  quiet.c_iflag |= static_cast<tcflag_t>(ICRNL);
  InterruptGuard interrupt_guard;
  if (::tcsetattr(kStdin, TCSANOW, &quiet) != 0) return Error(Errc::Io, detail::errno_text(errno));
  TermiosGuard termios_guard(kStdin, saved);
  auto line = read_passphrase_line(kStdin, interrupt_guard.interrupt_fd());
  // Upstream writes this newline to stdout (quirk A.3); stderr keeps `export` output clean.
  AV_TRY(write_all(StdStream::Err, "\n"));
  return line;
}

// read_raw_stdin: the same mode switch as prompt_tty_line, on stdin (the picker of spec §1.8
// renders on stdin/stdout, as survey does), with the same guards restoring it on every path.
Status read_raw_stdin(const RawByteSink& sink) {
  constexpr int kStdin = 0;
  struct termios saved {};
  if (::tcgetattr(kStdin, &saved) != 0) return Error(Errc::Io, detail::errno_text(errno));
  const struct termios raw = raw_mode_of(saved);
  InterruptGuard interrupt_guard;
  if (::tcsetattr(kStdin, TCSANOW, &raw) != 0) return Error(Errc::Io, detail::errno_text(errno));
  TermiosGuard termios_guard(kStdin, saved);
  for (;;) {
    AV_TRY_ASSIGN(auto byte, read_byte(kStdin, interrupt_guard.interrupt_fd(), "/dev/stdin"));
    if (!byte) return Error(Errc::Io, "EOF");
    AV_TRY_ASSIGN(bool done, sink(*byte));
    if (done) return ok();
  }
}

}  // namespace av::platform
