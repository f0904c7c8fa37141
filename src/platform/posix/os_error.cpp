// os_error.cpp: errno rendering. strerror_r has two incompatible signatures (XSI returns int, GNU
// returns char*); the overloads below accept either, so the file builds on glibc, musl and macOS.
#include "platform/posix/os_error.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

#include "base/ascii.h"

namespace av::platform::detail {
namespace {

// XSI strerror_r: fills `buf`.
[[maybe_unused]] const char* strerror_result(int rc, const char* buf) noexcept {
  return rc == 0 ? buf : nullptr;
}
// GNU strerror_r: returns a pointer (maybe to a static string, maybe into `buf`).
[[maybe_unused]] const char* strerror_result(const char* text, const char* /*buf*/) noexcept {
  return text;
}

}  // namespace

std::string errno_text(int err) {
  char buf[256] = {};
  const char* text = strerror_result(strerror_r(err, buf, sizeof buf), buf);
  std::string out = text != nullptr ? std::string(text) : "errno " + std::to_string(err);
  if (!out.empty()) out[0] = ascii::to_lower(out[0]);
  return out;
}

Errc errc_for_errno(int err) noexcept {
  switch (err) {
    case ENOENT: return Errc::NotFound;
    case EACCES:
    case EPERM: return Errc::PermissionDenied;
    default: return Errc::Io;
  }
}

Error os_error(std::string_view op, std::string_view path, int err) {
  std::string message(op);
  if (!path.empty()) message.append(" ").append(path);
  message.append(": ").append(errno_text(err));
  return Error(errc_for_errno(err), std::move(message));
}

void UniqueFd::reset() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

int UniqueFd::close_checked() noexcept {
  if (fd_ < 0) return 0;
  int rc = ::close(release());
  return rc == 0 ? 0 : errno;
}

}  // namespace av::platform::detail
