// temp_dir.h: a private temporary directory for one test, removed with its contents afterwards.
#pragma once

#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace av::platform::testing {

class TempDir {
 public:
  TempDir() {
    const char* base = ::getenv("TMPDIR");  // NOLINT: tests may read the environment directly
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                          "/av-platform-test-XXXXXX";
    path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : std::string();
  }
  ~TempDir() {
    if (!path_.empty()) ::nftw(path_.c_str(), &remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  static int remove_entry(const char* p, const struct stat*, int, struct FTW*) {
    ::chmod(p, 0700);
    std::remove(p);
    return 0;
  }
  std::string path_;
};

}  // namespace av::platform::testing
