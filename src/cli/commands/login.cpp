// login.cpp: the `login` command (spec §2.8, §7). Its keyring/config layers have not landed yet:
// the arguments are fully parsed and validated by the caller; without a profile and without
// credentials in the environment the profile picker runs (§7.1 step 2), then the command reports
// "not implemented yet".
#include <string>
#include <string_view>

#include "cli/commands/commands.h"
#include "cli/profile_choice.h"

namespace av::cli::commands {
namespace {

// has_env_credentials reports whether both key parts are in the environment (§7.1 step 2).
bool has_env_credentials(const platform::Environment& env) {
  auto present = [&env](std::string_view a, std::string_view b) {
    return env.get_nonempty(a).has_value() || env.get_nonempty(b).has_value();
  };
  return present("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY") &&
         present("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY");
}

}  // namespace

Status run_login(const Invocation& in) {
  std::string_view given = in.args.arg("profile");
  if (given.empty() && has_env_credentials(in.ctx.env)) return not_implemented();
  AV_TRY_ASSIGN(const std::string profile,
                choose_profile(in.ctx, given, PickerWording::Login));
  (void)profile;
  return not_implemented();
}

}  // namespace av::cli::commands
