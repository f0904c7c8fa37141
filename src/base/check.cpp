#include "base/check.h"

#include <cstdio>
#include <cstdlib>

namespace av::detail {

void check_failed(const char* file, int line, const char* condition) noexcept {
  // fprintf on stderr (unbuffered); nothing here allocates, so this works when memory is corrupt.
  std::fprintf(stderr, "%s:%d: check failed: %s\n", file, line, condition);
  std::abort();
}

}  // namespace av::detail
