// version.cpp: the `version` command (spec §2.11): the version string and "\n" on stdout.
#include "cli/commands/commands.h"
#include "cli/version.h"

namespace av::cli::commands {

Status run_version(const Invocation& in) {
  std::string line(cli::version());
  line += '\n';
  return in.ctx.out.write(line);
}

}  // namespace av::cli::commands
