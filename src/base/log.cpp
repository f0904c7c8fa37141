#include "base/log.h"

#include <atomic>

namespace av::log {
namespace {
std::atomic<Sink> g_sink{nullptr};
}  // namespace

void set_debug_sink(Sink sink) noexcept { g_sink.store(sink); }

bool debug_enabled() noexcept { return g_sink.load() != nullptr; }

void debug(std::string_view message) {
  if (Sink sink = g_sink.load()) sink(message);
}

}  // namespace av::log
