// exec_environment.cpp: the child's environment and command line for `exec` (spec §6.1).
#include "cli/exec_environment.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "codec/iso8601.h"

namespace av::cli {
namespace {

bool is_scrubbed(std::string_view name) noexcept {
  return std::find(kScrubbedVariables.begin(), kScrubbedVariables.end(), name) !=
         kScrubbedVariables.end();
}

}  // namespace

platform::Environment child_environment(const platform::Environment& parent,
                                        const ChildSettings& settings) {
  std::vector<std::pair<std::string, std::string>> kept;
  kept.reserve(parent.entries().size());
  for (const std::string_view entry : parent.entries()) {
    const std::size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;  // from_process never keeps such entries
    const std::string_view name = entry.substr(0, eq);
    if (is_scrubbed(name)) continue;
    kept.emplace_back(std::string(name), std::string(entry.substr(eq + 1)));
  }
  platform::Environment child = platform::Environment::from_pairs(std::move(kept));
  child.set("AWS_VAULT", settings.profile);
  if (!settings.region.empty()) {
    child.set("AWS_REGION", settings.region);
    child.set("AWS_DEFAULT_REGION", settings.region);
  }
  if (!settings.endpoint_url.empty()) child.set("AWS_ENDPOINT_URL", settings.endpoint_url);
  return child;
}

Status add_credentials(platform::Environment& env, const aws::Credentials& creds,
                       bool can_expire) {
  env.set("AWS_ACCESS_KEY_ID", creds.access_key_id);
  AV_TRY(env.set_secret("AWS_SECRET_ACCESS_KEY", creds.secret_access_key));
  if (creds.has_session_token()) AV_TRY(env.set_secret("AWS_SESSION_TOKEN", creds.session_token));
  if (can_expire && creds.expiration) {
    const auto at = std::chrono::time_point_cast<std::chrono::nanoseconds>(*creds.expiration);
    env.set("AWS_CREDENTIAL_EXPIRATION", codec::format_rfc3339_utc(codec::SysNanoseconds(at)));
  }
  return ok();
}

void add_profile_variable(platform::Environment& env, std::string_view profile) {
  env.set("AWS_PROFILE", profile);
}

std::string default_shell(const platform::Environment& parent) {
  return std::string(parent.get_nonempty("SHELL").value_or("/bin/sh"));
}

std::vector<std::string> command_line(const platform::Environment& parent, std::string_view cmd,
                                      std::span<const std::string> args) {
  std::vector<std::string> argv;
  argv.reserve(args.size() + 1);
  argv.push_back(cmd.empty() ? default_shell(parent) : std::string(cmd));
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

bool help_messages_enabled(bool debug, bool command_given, bool stdout_is_terminal,
                           const platform::Environment& parent) {
  return !debug && !command_given && stdout_is_terminal &&
         parent.get("AWS_VAULT_DISABLE_HELP_MESSAGE").value_or("") != "1";
}

}  // namespace av::cli
