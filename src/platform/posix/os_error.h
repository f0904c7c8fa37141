// os_error.h (internal to platform/): turn errno values into av::Error with Go-style messages
// ("open /x/y: no such file or directory"), and a small RAII owner for file descriptors.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace av::platform::detail {

// errno_text returns the C library's description of `err` with a lowercase first letter, as Go
// prints syscall errors ("no such file or directory").
std::string errno_text(int err);

// errc_for_errno maps ENOENT to NotFound, EACCES/EPERM to PermissionDenied, everything else to Io.
Errc errc_for_errno(int err) noexcept;

// os_error builds "<op> <path>: <errno_text>" (or "<op>: <errno_text>" when `path` is empty) with
// the code from errc_for_errno.
Error os_error(std::string_view op, std::string_view path, int err);

// UniqueFd owns a file descriptor and closes it on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() noexcept = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = other.release();
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  // release gives up ownership and returns the descriptor.
  int release() noexcept {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  // reset closes the descriptor (if any); close errors are ignored (use close_checked to see them).
  void reset() noexcept;
  // close_checked closes and returns the errno of close(), or 0.
  int close_checked() noexcept;

 private:
  int fd_ = -1;
};

}  // namespace av::platform::detail
