// scope_exit.h: run a callable when the scope ends (for C handles without an RAII wrapper yet).
// Prefer a proper RAII type for anything used in more than one place.
#pragma once

#include <utility>

namespace av {

template <class F>
class [[nodiscard]] ScopeExit {
 public:
  explicit ScopeExit(F fn) noexcept : fn_(std::move(fn)) {}
  ~ScopeExit() {
    if (active_) fn_();
  }
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;
  ScopeExit(ScopeExit&&) = delete;
  ScopeExit& operator=(ScopeExit&&) = delete;
  // release cancels the call.
  void release() noexcept { active_ = false; }

 private:
  F fn_;
  bool active_ = true;
};

}  // namespace av
