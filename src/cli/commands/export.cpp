// export.cpp: the `export` command (spec §2.6). Its keyring/config layers have not landed yet: the
// arguments are fully parsed and validated by the caller, the profile picker
// runs when no profile was given, then the command reports "not implemented yet".
#include <string>

#include "cli/commands/commands.h"
#include "cli/profile_choice.h"

namespace av::cli::commands {

Status run_export(const Invocation& in) {
  // The picker runs now (spec §1.8); the chosen profile is used once the command lands.
  AV_TRY_ASSIGN(const std::string profile,
                choose_profile(in.ctx, in.args.arg("profile"), PickerWording::Standard));
  (void)profile;
  return not_implemented();
}

}  // namespace av::cli::commands
