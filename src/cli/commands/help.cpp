// help.cpp: the implicit `help [<command>...]` command (spec §1.3): usage on stderr, exit 0.
// `help bogus` fails like kingpin: `expected command but got "bogus"` (error shape 2).
#include "base/ascii.h"
#include "cli/commands/commands.h"
#include "cli/usage.h"

namespace av::cli::commands {

Status run_help(const Invocation& in) {
  const auto topic = in.args.arg_values("command");
  const args::CommandSpec* command = nullptr;
  if (!topic.empty()) {
    command = args::find_command(in.app, topic.front());
    if (command == nullptr) {
      return Error(Errc::Usage,
                   "expected command but got " + ascii::quote_for_terminal(topic.front()));
    }
  }
  return in.ctx.err.write(render_usage(in.app, command, usage_width(in.ctx)));
}

}  // namespace av::cli::commands
