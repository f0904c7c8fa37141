// fd_io.h (internal to platform/): bounded reads and complete writes on file descriptors,
// retrying EINTR. Shared by secure_file, process and terminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"
#include "secure/secret.h"

namespace av::platform::detail {

// write_fd_all writes every byte, retrying short writes and EINTR. Errors are os_error("write",
// what, errno).
Status write_fd_all(int fd, ByteSpan data, std::string_view what);

// read_fd_all reads to EOF. Errc::TooLarge "read <what>: more than <max_len> bytes" beyond max_len.
Result<std::string> read_fd_all(int fd, std::size_t max_len, std::string_view what);

// read_fd_secret reads to EOF into locked memory, growing by doubling from 4 KiB (the old buffer
// is wiped on each step). Same errors as read_fd_all.
Result<secure::SecretBytes> read_fd_secret(int fd, std::size_t max_len, std::string_view what);

}  // namespace av::platform::detail
