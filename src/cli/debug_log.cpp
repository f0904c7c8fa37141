// debug_log.cpp: the sink behind av::log::debug. The file-static pointer is the one piece of
// global state in cli/, forced by log::Sink being a function pointer; it is set and cleared only
// by DebugLogScope.
#include "cli/debug_log.h"

#include "base/check.h"
#include "base/log.h"
#include "cli/report.h"

namespace av::cli {
namespace {

const Context* g_debug_context = nullptr;

void write_debug_line(std::string_view message) {
  const Context* ctx = g_debug_context;
  if (ctx == nullptr) return;
  std::string line = platform::format_log_timestamp(ctx->clock.now());
  line += ' ';
  line += neutralize_controls(message);
  line += '\n';
  (void)ctx->err.write(line);
}

}  // namespace

DebugLogScope::DebugLogScope(const Context& ctx) {
  AV_CHECK(g_debug_context == nullptr);
  g_debug_context = &ctx;
  log::set_debug_sink(&write_debug_line);
}

DebugLogScope::~DebugLogScope() {
  log::set_debug_sink(nullptr);
  g_debug_context = nullptr;
}

}  // namespace av::cli
