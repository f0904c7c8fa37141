// add.cpp: the `add` command (spec §2.1): store long-term credentials under the profile name,
// drop the profile's cached sessions, and append a config section when there is none.
#include <string>
#include <string_view>
#include <vector>

#include "base/ascii.h"
#include "cli/commands/commands.h"
#include "cli/config_loader.h"
#include "cli/keyring_access.h"
#include "cli/report.h"
#include "config/config_file.h"
#include "keyring/credentials.h"
#include "keyring/keys.h"

namespace av::cli::commands {
namespace {

// Entered: the credentials read from the environment or the terminal.
struct Entered {
  keyring::LongTermCredentials creds;
  std::string mfa_serial;  // empty when none was entered (always with --env)
};

Result<Entered> from_env(const Invocation& in) {
  Entered e;
  const std::optional<std::string_view> id = in.ctx.env.get("AWS_ACCESS_KEY_ID");
  if (!id || id->empty()) return Error(Errc::Config, "Missing value for AWS_ACCESS_KEY_ID");
  e.creds.access_key_id = std::string(*id);
  AV_TRY_ASSIGN(std::optional<secure::SecretString> secret,
                in.ctx.env.get_secret("AWS_SECRET_ACCESS_KEY"));
  if (!secret || secret->empty()) {
    return Error(Errc::Config, "Missing value for AWS_SECRET_ACCESS_KEY");
  }
  e.creds.secret_access_key = std::move(*secret);
  return e;
}

Result<Entered> from_prompts(const Invocation& in) {
  Entered e;
  AV_TRY_ASSIGN(const secure::SecretString id, prompt_line(in, "Enter Access Key ID: ", false));
  e.creds.access_key_id = std::string(ascii::trim(id.reveal()));  // an access key ID is no secret
  AV_TRY_ASSIGN(const secure::SecretString secret,
                prompt_line(in, "Enter Secret Access Key: ", true));
  e.creds.secret_access_key = secure::SecretString::copy_of(ascii::trim(secret.reveal()));
  AV_TRY_ASSIGN(
      const secure::SecretString mfa,
      prompt_line(in, "Enter MFA Device ARN (If MFA is not enabled, leave this blank): ", false));
  e.mfa_serial = std::string(ascii::trim(mfa.reveal()));
  return e;
}

Status add_config_section(const config::AwsConfig& config, std::string_view profile,
                          const std::string& mfa_serial) {
  std::vector<config::IniEntry> entries;
  if (!mfa_serial.empty()) entries.emplace_back("mfa_serial", mfa_serial);
  const Result<bool> added = config::add_profile_section(config.path(), profile, entries);
  if (!added) {
    return Error(added.error().code(),
                 "Error adding profile: " + std::string(added.error().message()));
  }
  return ok();
}

}  // namespace

Status run_add(const Invocation& in) {
  const std::string_view profile = in.args.arg("profile");
  AV_TRY_ASSIGN(keyring::Keyring* const ring, open_keyring(in));
  AV_TRY_ASSIGN(const config::AwsConfig config, load_aws_config(in.ctx));
  const std::optional<config::ProfileView> section = config.find_profile(profile);
  if (section) {
    const std::optional<std::string_view> source = section->value("source_profile");
    if (source && !source->empty()) {
      return Error(Errc::Config, "Your profile has a source_profile of " +
                                     neutralize_controls(*source) + ", adding credentials to " +
                                     neutralize_controls(profile) + " won't have any effect");
    }
  }
  AV_TRY_ASSIGN(const Entered entered, in.args.flag_bool("env") ? from_env(in) : from_prompts(in));
  AV_TRY(store_credentials(*ring, profile, entered.creds));
  AV_TRY(in.ctx.out.write("Added credentials to profile " + ascii::quote_for_terminal(profile) +
                          " in vault\n"));
  const Result<std::size_t> deleted = delete_profile_sessions(*ring, profile);  // errors ignored
  if (deleted && *deleted > 0) {
    AV_TRY(in.ctx.out.write("Deleted " + std::to_string(*deleted) + " existing sessions.\n"));
  }
  if (section || !in.args.flag_bool("add-config")) return ok();
  return add_config_section(config, profile, entered.mfa_serial);
}

}  // namespace av::cli::commands
