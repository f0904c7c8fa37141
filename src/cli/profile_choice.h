// profile_choice.h: the profile picker preamble of exec, export, rotate and login (spec §1.8,
// §2.0): a profile given on the command line (or through AWS_PROFILE, where the grammar has that
// default) is used as is; otherwise the user picks one of the config's profiles interactively.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "cli/context.h"

namespace av::cli {

// PickerWording selects the failure message: login's mentions the environment variables too.
enum class PickerWording : std::uint8_t { Standard, Login };

// choose_profile returns `given` when it is not empty. Otherwise it loads the AWS config
// (load_aws_config: its errors are returned as they are) and runs prompt::select_one titled
// "Choose AWS profile:" over config.profile_names() on stdin/stdout. A failed pick (no profiles,
// stdin not a terminal, Ctrl-C, end of input) is Errc::Usage (error shape 2):
//   Standard: "unable to select a 'profile'. Try --help: <err>"
//   Login:    "unable to select a 'profile', nor any AWS env vars found. Try --help: <err>"
Result<std::string> choose_profile(const Context& ctx, std::string_view given,
                                   PickerWording wording);

}  // namespace av::cli
