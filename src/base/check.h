// check.h: always-on invariant checks (STYLE.md rule 12).
//
// AV_CHECK(cond) is for conditions only a bug can break. It is compiled into every build, prints
// "file:line: check failed: cond" to stderr and aborts. Input must never be able to reach a failing
// AV_CHECK: parsers return errors instead, and the fuzz targets prove it. assert() is banned.
#pragma once

namespace av::detail {

// check_failed prints the failed condition with its location and aborts. Never returns.
[[noreturn]] void check_failed(const char* file, int line, const char* condition) noexcept;

}  // namespace av::detail

#define AV_CHECK(cond)                                        \
  do {                                                        \
    if (!(cond)) [[unlikely]] {                               \
      ::av::detail::check_failed(__FILE__, __LINE__, #cond);  \
    }                                                         \
  } while (false)
