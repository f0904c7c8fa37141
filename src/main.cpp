// main.cpp: process hardening, then the CLI (STYLE.md §3.4). The only try/catch in the program:
// project code does not throw, so anything caught here is a bug or out-of-memory.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/context.h"
#include "cli/run.h"
#include "platform/clock.h"
#include "platform/env.h"
#include "platform/process.h"
#include "platform/process_hardening.h"
#include "platform/terminal.h"

namespace {

// StreamWriter writes to one of the process's standard streams.
class StreamWriter final : public av::cli::Writer {
 public:
  explicit StreamWriter(av::platform::StdStream stream) : stream_(stream) {}
  av::Status write(std::string_view text) override {
    return av::platform::write_all(stream_, text);
  }

 private:
  av::platform::StdStream stream_;
};

}  // namespace

int main(int argc, char** argv) {
  try {
    (void)av::platform::harden_process(av::platform::HardeningMode::BestEffort);
    const std::span<char*> raw(argv, static_cast<std::size_t>(argc));
    const std::vector<std::string_view> args(raw.begin(), raw.end());
    const auto env = av::platform::Environment::from_process();
    StreamWriter out(av::platform::StdStream::Out);
    StreamWriter err(av::platform::StdStream::Err);
    av::cli::Context ctx{env,
                         out,
                         err,
                         av::platform::system_clock(),
                         "aws-vault",
                         av::platform::terminal_width(av::platform::StdStream::Err),
                         &av::platform::is_executable};
    return av::cli::run(args, ctx);
  } catch (...) {
    (void)av::platform::write_all(av::platform::StdStream::Err,
                                  "aws-vault: error: internal error\n");
    return 1;
  }
}
