// fd_io.cpp: read/write loops. Reads stop one byte past the bound, so "exactly max_len" succeeds
// and "max_len + 1" is TooLarge without reading the rest of an endless stream.
#include "platform/posix/fd_io.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <unistd.h>

#include "platform/posix/os_error.h"

namespace av::platform::detail {
namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr std::size_t kInitialSecretCapacity = 4096;

// read_some reads up to out.size() bytes; returns the count (0 at EOF).
Result<std::size_t> read_some(int fd, MutableByteSpan out, std::string_view what) {
  for (;;) {
    ssize_t n = ::read(fd, out.data(), out.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) return os_error("read", what, errno);
  }
}

// bound_plus_one is max_len + 1 without overflow: one byte past the bound detects "too large".
std::size_t bound_plus_one(std::size_t max_len) noexcept {
  return max_len == SIZE_MAX ? max_len : max_len + 1;
}

Error too_large(std::string_view what, std::size_t max_len) {
  return Error(Errc::TooLarge,
               "read " + std::string(what) + ": more than " + std::to_string(max_len) + " bytes");
}

}  // namespace

Status write_fd_all(int fd, ByteSpan data, std::string_view what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return os_error("write", what, errno);
    }
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return ok();
}

Result<std::string> read_fd_all(int fd, std::size_t max_len, std::string_view what) {
  std::string out;
  std::array<std::uint8_t, kChunkBytes> chunk{};
  for (;;) {
    std::size_t room = max_len - out.size();
    std::size_t want = room < chunk.size() ? room + 1 : chunk.size();
    AV_TRY_ASSIGN(std::size_t n, read_some(fd, MutableByteSpan(chunk).first(want), what));
    if (n == 0) return out;
    out.append(as_chars(ByteSpan(chunk).first(n)));
    if (out.size() > max_len) return too_large(what, max_len);
  }
}

Result<secure::SecretBytes> read_fd_secret(int fd, std::size_t max_len, std::string_view what) {
  std::size_t capacity = std::min(kInitialSecretCapacity, bound_plus_one(max_len));
  secure::SecretBytes buf = secure::SecretBytes::zeroed(capacity);
  std::size_t len = 0;
  for (;;) {
    if (len == buf.size()) {
      if (len > max_len) return too_large(what, max_len);
      // Grow: copy into a larger locked buffer; the old one is wiped when it is destroyed.
      auto bigger = secure::SecretBytes::zeroed(std::min(buf.size() * 2, bound_plus_one(max_len)));
      std::copy(buf.reveal().begin(), buf.reveal().end(), bigger.reveal_mutable().begin());
      buf = std::move(bigger);
    }
    AV_TRY_ASSIGN(std::size_t n, read_some(fd, buf.reveal_mutable().subspan(len), what));
    if (n == 0) break;
    len += n;
  }
  if (len > max_len) return too_large(what, max_len);
  buf.resize(len);
  return buf;
}

}  // namespace av::platform::detail
