// secure_file.cpp: POSIX implementation of secure_file.h.
//
// Atomic replace: the temporary file is created next to the target (same file system, so rename
// is atomic), exclusively and without following symlinks, chmod'ed explicitly (the umask cannot
// widen or narrow it), written, fsync'ed and renamed; then the directory is fsync'ed so the rename
// itself survives a crash. Until the rename succeeds, a failure unlinks the temporary file.
#include "platform/secure_file.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "platform/paths.h"
#include "platform/posix/fd_io.h"
#include "platform/posix/os_error.h"

namespace av::platform {
namespace {

using detail::os_error;
using detail::UniqueFd;

constexpr int kMaxTempAttempts = 100;

Result<UniqueFd> open_for_read(const std::string& path, Follow follow) {
  int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY;
  if (follow == Follow::NoSymlinks) flags |= O_NOFOLLOW;
  for (;;) {
    int fd = ::open(path.c_str(), flags);
    if (fd >= 0) return UniqueFd(fd);
    if (errno != EINTR) return os_error("open", path, errno);
  }
}

// temp_suffix makes a hard-to-guess, per-attempt unique suffix. O_EXCL is what guarantees
// safety; the suffix only makes collisions (and so retries) unlikely.
std::string temp_suffix(int attempt) {
  static unsigned counter = 0;
  auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
  auto mix = static_cast<unsigned long long>(ticks) ^
             (static_cast<unsigned long long>(::getpid()) << 32) ^ (++counter * 7919ULL) ^
             static_cast<unsigned long long>(attempt);
  return std::to_string(mix % 1'000'000'000'000ULL);
}

struct TempFile {
  std::string path;
  UniqueFd fd;
};

Result<TempFile> create_temp(std::string_view dir, std::string_view base) {
  for (int attempt = 0; attempt < kMaxTempAttempts; ++attempt) {
    std::string path = join_path(dir, "." + std::string(base) + ".tmp" + temp_suffix(attempt));
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) return TempFile{std::move(path), UniqueFd(fd)};
    if (errno != EEXIST && errno != EINTR) return os_error("open", path, errno);
  }
  return Error(Errc::Io, "open " + std::string(dir) + ": could not create a temporary file");
}

// final_mode: the permission bits the new file gets.
std::uint32_t final_mode(const std::string& path, FileMode mode) {
  struct stat st {};
  if (mode.keep_existing() && ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    return static_cast<std::uint32_t>(st.st_mode) & 0777U;
  }
  return mode.mode();
}

// fill_and_rename does everything between creating the temporary file and the rename.
Status fill_and_rename(TempFile& tmp, ByteSpan data, std::uint32_t mode, const std::string& path) {
  if (::fchmod(tmp.fd.get(), static_cast<mode_t>(mode)) != 0) {
    return os_error("chmod", tmp.path, errno);
  }
  AV_TRY(detail::write_fd_all(tmp.fd.get(), data, tmp.path));
  if (::fsync(tmp.fd.get()) != 0) return os_error("sync", tmp.path, errno);
  if (int err = tmp.fd.close_checked(); err != 0) return os_error("close", tmp.path, err);
  if (::rename(tmp.path.c_str(), path.c_str()) != 0) {
    return os_error("rename", tmp.path + " " + path, errno);
  }
  return ok();
}

// sync_dir makes a completed rename durable. Some file systems cannot fsync a directory
// (EINVAL/ENOTSUP); that is not an error.
Status sync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return os_error("open", dir, errno);
  UniqueFd owner(fd);
  if (::fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP) return os_error("sync", dir, errno);
  return ok();
}

Result<struct stat> stat_path(std::string_view path) {
  std::string p(path);
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return os_error("stat", p, errno);
  return st;
}

// existing_dir_status: ok if `st` is a directory, else "mkdir <prefix>: not a directory".
Status existing_dir_status(const std::string& prefix, const struct stat& st) {
  if (S_ISDIR(st.st_mode)) return ok();
  return os_error("mkdir", prefix, ENOTDIR);
}

// make_one_dir creates `prefix` (0700) unless it is already a directory.
Status make_one_dir(const std::string& prefix) {
  struct stat st {};
  if (::stat(prefix.c_str(), &st) == 0) return existing_dir_status(prefix, st);
  if (errno != ENOENT) return os_error("mkdir", prefix, errno);
  if (::mkdir(prefix.c_str(), 0700) != 0) {
    int err = errno;
    // Lost a race with another creator: accept what is there if it is a directory.
    if (err == EEXIST && ::stat(prefix.c_str(), &st) == 0) return existing_dir_status(prefix, st);
    return os_error("mkdir", prefix, err);
  }
  // The umask may have removed bits; 0700 is what we promised.
  if (::chmod(prefix.c_str(), 0700) != 0) return os_error("chmod", prefix, errno);
  return ok();
}

}  // namespace

Status write_file_atomic(std::string_view path, ByteSpan data, FileMode mode) {
  std::string target(path);
  if (target.empty() || target.back() == '/') {
    return Error(Errc::Io, "open " + target + ": is a directory");
  }
  std::string dir(parent_dir(target));
  std::string_view base = std::string_view(target).substr(target.rfind('/') + 1);
  AV_TRY(ensure_private_dir(dir));
  std::uint32_t bits = final_mode(target, mode);
  AV_TRY_ASSIGN(TempFile tmp, create_temp(dir, base));
  if (Status st = fill_and_rename(tmp, data, bits, target); !st) {
    tmp.fd.reset();
    ::unlink(tmp.path.c_str());
    return st;
  }
  return sync_dir(dir);
}

Status write_file_atomic(std::string_view path, const secure::SecretBytes& data, FileMode mode) {
  return write_file_atomic(path, data.reveal(), mode);
}

Status write_file_atomic(std::string_view path, const secure::SecretString& data, FileMode mode) {
  return write_file_atomic(path, data.reveal_bytes(), mode);
}

Result<std::string> read_file(std::string_view path, std::size_t max_len, Follow follow) {
  std::string p(path);
  AV_TRY_ASSIGN(UniqueFd fd, open_for_read(p, follow));
  return detail::read_fd_all(fd.get(), max_len, p);
}

Result<secure::SecretBytes> read_secret_file(std::string_view path, std::size_t max_len,
                                             Follow follow) {
  std::string p(path);
  AV_TRY_ASSIGN(UniqueFd fd, open_for_read(p, follow));
  return detail::read_fd_secret(fd.get(), max_len, p);
}

Status ensure_private_dir(std::string_view path) {
  std::string p(path);
  if (p.empty()) return Error(Errc::Io, "mkdir : no such file or directory");
  // Each prefix ending before a '/' (skipping the root and repeated slashes), then the whole path.
  for (std::size_t i = 1; i < p.size(); ++i) {
    if (p[i] == '/' && p[i - 1] != '/') AV_TRY(make_one_dir(p.substr(0, i)));
  }
  return make_one_dir(p);
}

Result<bool> file_exists(std::string_view path) {
  std::string p(path);
  struct stat st {};
  if (::lstat(p.c_str(), &st) == 0) return true;
  if (errno == ENOENT || errno == ENOTDIR) return false;
  return os_error("lstat", p, errno);
}

Result<std::string> resolve_symlinks(std::string_view path) {
  std::string p(path);
  // realpath(3) with a NULL buffer allocates; the result is copied and freed at once.
  char* resolved = ::realpath(p.c_str(), nullptr);
  if (resolved == nullptr) {
    if (errno == ENOENT) return p;  // a file not created yet is written where it was named
    return os_error("realpath", p, errno);
  }
  std::string out(resolved);
  std::free(resolved);  // NOLINT(cppcoreguidelines-no-malloc): realpath's buffer
  return out;
}

Status remove_file(std::string_view path) {
  std::string p(path);
  if (::unlink(p.c_str()) != 0) return os_error("remove", p, errno);
  return ok();
}

Result<std::vector<std::string>> list_dir(std::string_view path) {
  std::string p(path);
  DIR* dir = ::opendir(p.c_str());  // opendir sets O_CLOEXEC on glibc, musl and macOS
  if (dir == nullptr) return os_error("open", p, errno);
  std::vector<std::string> names;
  Status status;
  for (;;) {
    errno = 0;
    const struct dirent* entry = ::readdir(dir);
    if (entry == nullptr) {
      if (errno != 0) status = os_error("readdir", p, errno);
      break;
    }
    std::string_view name(entry->d_name);
    if (name == "." || name == "..") continue;
    if (names.size() == limits::kMaxDirEntries) {
      status = Error(Errc::TooLarge, "readdir " + p + ": too many entries");
      break;
    }
    names.emplace_back(name);
  }
  ::closedir(dir);
  if (!status) return std::move(status).error();
  std::sort(names.begin(), names.end());
  return names;
}

Result<bool> is_group_or_world_writable(std::string_view path) {
  AV_TRY_ASSIGN(struct stat st, stat_path(path));
  return (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
}

Result<bool> is_group_or_world_accessible(std::string_view path) {
  AV_TRY_ASSIGN(struct stat st, stat_path(path));
  return (st.st_mode & (S_IRWXG | S_IRWXO)) != 0;
}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

void FileLock::release() noexcept {
  if (fd_ >= 0) UniqueFd closer(fd_);  // closing the descriptor drops the flock
  fd_ = -1;
}

Result<FileLock> lock_file(std::string_view path) {
  std::string p(path);
  UniqueFd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return os_error("open", p, errno);
  int rc = 0;
  do {
    rc = ::flock(fd.get(), LOCK_EX);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return os_error("flock", p, errno);
  return FileLock(fd.release());
}

Result<std::chrono::system_clock::time_point> modification_time(std::string_view path) {
  AV_TRY_ASSIGN(struct stat st, stat_path(path));
#ifdef __APPLE__
  const struct timespec& mtime = st.st_mtimespec;
#else
  const struct timespec& mtime = st.st_mtim;
#endif
  auto since_epoch = std::chrono::seconds(mtime.tv_sec) + std::chrono::nanoseconds(mtime.tv_nsec);
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(since_epoch));
}

}  // namespace av::platform
