// export.cpp: the `export` command (spec §2.6): prompt driver, config and keyring, picker, then
// export_profile (cli/credentials_access.h) prints the credentials as env, export-env, json
// (the credential_process format) or ini.
#include <string>

#include "cli/commands/commands.h"
#include "cli/config_loader.h"
#include "cli/credentials_access.h"
#include "cli/keyring_access.h"
#include "cli/profile_choice.h"

namespace av::cli::commands {

Status run_export(const Invocation& in) {
  AV_TRY_ASSIGN(const config::BaseConfig base,
                base_config(in, prompt_driver_for(in, /*avoid_terminal=*/false)));
  AV_TRY_ASSIGN(const config::AwsConfig config, load_aws_config(in.ctx));
  AV_TRY_ASSIGN(keyring::Keyring* const ring, open_keyring(in));
  AV_TRY_ASSIGN(const std::string profile,
                choose_profile(in.ctx, in.args.arg("profile"), PickerWording::Standard));
  return export_profile(in, config, *ring, profile, base,
                        export_format_named(in.args.flag("format").value_or("env")));
}

}  // namespace av::cli::commands
