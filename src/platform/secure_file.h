// secure_file.h: reading files with bounds, and writing files privately and atomically
// (STYLE.md §3.5 "Secret files and directories", rule 18).
//
// Errors: Errc::NotFound (ENOENT), Errc::PermissionDenied (EACCES/EPERM), Errc::TooLarge (over the
// caller's bound), Errc::Io (anything else). Messages follow Go's shape, "<op> <path>: <reason>",
// e.g. "open /x/y: no such file or directory". Every descriptor is opened close-on-exec.
#pragma once

#include <cstddef>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/limits.h"
#include "base/result.h"
#include "secure/secret.h"

namespace av::platform {

// FileMode says which permission bits write_file_atomic gives the new file.
class FileMode {
 public:
  // exactly: always `mode` (permission bits only, e.g. 0600), whatever the umask.
  static constexpr FileMode exactly(std::uint32_t mode) noexcept { return FileMode(mode, false); }
  // keep_existing_or: the existing target's permission bits if it is a regular file, else `mode`.
  static constexpr FileMode keep_existing_or(std::uint32_t mode) noexcept {
    return FileMode(mode, true);
  }
  std::uint32_t mode() const noexcept { return mode_; }
  bool keep_existing() const noexcept { return keep_existing_; }

 private:
  constexpr FileMode(std::uint32_t mode, bool keep) noexcept
      : mode_(mode & 0777U), keep_existing_(keep) {}
  std::uint32_t mode_;
  bool keep_existing_;
};

// kPrivateFile is the default: owner read/write only.
inline constexpr FileMode kPrivateFile = FileMode::exactly(0600);

// write_file_atomic replaces `path` with `data`: creates missing parent directories (0700), writes
// a temporary file in the same directory (O_CREAT|O_EXCL|O_NOFOLLOW, fchmod to the mode whatever
// the umask), fsyncs it, renames it over `path` and fsyncs the directory. On failure the temporary
// file is removed and `path` is untouched. Readers see either the old or the new content, never a
// mix. If `path` is a symlink, the link itself is replaced.
Status write_file_atomic(std::string_view path, ByteSpan data, FileMode mode = kPrivateFile);
// write_file_atomic for secret bytes: the bytes go straight from locked memory to the file.
Status write_file_atomic(std::string_view path, const secure::SecretBytes& data,
                         FileMode mode = kPrivateFile);
// write_file_atomic for secret text.
Status write_file_atomic(std::string_view path, const secure::SecretString& data,
                         FileMode mode = kPrivateFile);

enum class Follow : int { Symlinks, NoSymlinks };

// resolve_symlinks returns the absolute path of `path` with every symlink resolved (realpath),
// so that a write replaces the file a symlink points to rather than the link (a dotfile manager's
// link to ~/.aws/config must survive). A path that does not exist yet is returned unchanged.
Result<std::string> resolve_symlinks(std::string_view path);

// read_file reads the whole file. Errc::TooLarge when it holds more than `max_len` bytes.
// With Follow::NoSymlinks a symlink at `path` is refused (O_NOFOLLOW; Errc::Io "too many levels
// of symbolic links" on Linux). Works on non-regular files such as /dev/null and pipes.
Result<std::string> read_file(std::string_view path,
                              std::size_t max_len = limits::kMaxReadFileBytes,
                              Follow follow = Follow::Symlinks);

// read_secret_file is read_file into locked memory, never through an ordinary buffer. The buffer
// grows by doubling, so at most about 2 * file size (and never more than max_len + 1) bytes of
// locked memory are used.
Result<secure::SecretBytes> read_secret_file(std::string_view path, std::size_t max_len,
                                             Follow follow = Follow::NoSymlinks);

// ensure_private_dir creates `path` and any missing parents with mode 0700 (like Go's MkdirAll).
// Directories that already exist keep their mode. Errc::Io "mkdir <p>: not a directory" when a
// component exists but is not a directory.
Status ensure_private_dir(std::string_view path);

// file_exists reports whether something exists at `path` (lstat; a dangling symlink exists).
// Errors other than ENOENT/ENOTDIR are returned.
Result<bool> file_exists(std::string_view path);

// remove_file unlinks `path`. Errc::NotFound when it does not exist.
Status remove_file(std::string_view path);

// list_dir returns the names in directory `path`, sorted, without "." and "..". At most
// limits::kMaxDirEntries names (Errc::TooLarge beyond).
Result<std::vector<std::string>> list_dir(std::string_view path);

// is_group_or_world_writable reports whether `path` (followed if a symlink) has any of the
// group/other write bits (022), for permission warnings.
Result<bool> is_group_or_world_writable(std::string_view path);
// is_group_or_world_accessible reports whether `path` has any group/other bit (077) set.
Result<bool> is_group_or_world_accessible(std::string_view path);

// FileLock holds an exclusive advisory lock (flock) on an open descriptor; the destructor (or
// release()) unlocks by closing it. Move-only. Other processes locking the same path wait.
class FileLock {
 public:
  FileLock() noexcept = default;
  explicit FileLock(int fd) noexcept : fd_(fd) {}
  ~FileLock() { release(); }
  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  // held reports whether this object owns a lock.
  bool held() const noexcept { return fd_ >= 0; }
  // release unlocks now (idempotent).
  void release() noexcept;

 private:
  int fd_ = -1;
};

// lock_file opens `path` read-only (a directory works too, so no lock file is needed) and takes
// an exclusive flock on it, waiting while another process holds it. Errors as read_file
// (NotFound, PermissionDenied, Io "flock <path>: <reason>").
Result<FileLock> lock_file(std::string_view path);

// modification_time returns the mtime of `path` (stat, symlinks followed). Errors as above.
Result<std::chrono::system_clock::time_point> modification_time(std::string_view path);

}  // namespace av::platform
