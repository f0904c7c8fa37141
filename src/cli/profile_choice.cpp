// profile_choice.cpp: see profile_choice.h.
#include "cli/profile_choice.h"

#include <utility>
#include <vector>

#include "cli/config_loader.h"
#include "prompt/select_prompt.h"

namespace av::cli {

Result<std::string> choose_profile(const Context& ctx, std::string_view given,
                                   PickerWording wording) {
  if (!given.empty()) return std::string(given);
  AV_TRY_ASSIGN(const config::AwsConfig config, load_aws_config(ctx));
  std::vector<std::string> options;
  for (std::string_view name : config.profile_names()) options.emplace_back(name);
  auto picked = prompt::select_one("Choose AWS profile:", options);
  if (picked) return picked;
  std::string message = wording == PickerWording::Login
                            ? "unable to select a 'profile', nor any AWS env vars found. Try --help: "
                            : "unable to select a 'profile'. Try --help: ";
  message += picked.error().message();
  return Error(Errc::Usage, std::move(message));
}

}  // namespace av::cli
