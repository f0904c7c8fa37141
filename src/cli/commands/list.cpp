// list.cpp: the `list` command (spec §2.3). `list --profiles` needs only the AWS config and works
// now; the table and the --credentials / --sessions modes read the keyring (issue 4) and report
// "not implemented yet" until it lands.
#include <string>
#include <string_view>

#include "cli/commands/commands.h"
#include "cli/config_loader.h"
#include "cli/report.h"

namespace av::cli::commands {

Status run_list(const Invocation& in) {
  // Precedence of the modes is spec §2.3's: --credentials, then --profiles, then --sessions.
  if (in.args.flag_bool("credentials") || !in.args.flag_bool("profiles")) return not_implemented();
  AV_TRY_ASSIGN(const config::AwsConfig config, load_aws_config(in.ctx));
  std::string out;
  for (std::string_view name : config.profile_names()) {
    // Names come from the config file: control bytes are neutralised before the terminal.
    out += neutralize_controls(name);
    out += '\n';
  }
  return in.ctx.out.write(out);
}

}  // namespace av::cli::commands
