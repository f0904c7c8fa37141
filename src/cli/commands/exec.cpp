// exec.cpp: the `exec` command (spec §2.5, §6): credentials for a profile put into the
// environment of a command (or the user's shell), which then replaces this process (execve), so
// the command's signals and exit status are its own. --json is export --format=json. The server
// modes (--ecs-server/--server [--lazy] [--ecs-token-file], --ec2-server) are validated here and
// run the command as a subprocess next to a credential server (cli/server_run.h); its exit
// status becomes ours through Context::exit_code.
//
// Deliberate differences from upstream (docs/COMPATIBILITY.md): the terminal prompt driver is
// refused with a server only when an MFA prompt could actually be needed (quirk A.4); inherited
// AWS_CREDENTIAL_EXPIRATION / AWS_CONTAINER_* are scrubbed (A.6, cli/exec_environment.h); a
// failed execve is reported at once instead of retried as a subprocess, which on POSIX fails
// the same way.
#include <string>
#include <vector>

#include "base/check.h"
#include "base/log.h"
#include "cli/commands/commands.h"
#include "cli/config_loader.h"
#include "cli/credentials_access.h"
#include "cli/exec_environment.h"
#include "cli/keyring_access.h"
#include "cli/profile_choice.h"
#include "cli/server_run.h"
#include "platform/process.h"
#include "platform/terminal.h"

namespace av::cli::commands {
namespace {

// ServerFlags: which background credential server was asked for.
struct ServerFlags {
  bool ecs = false;  // --ecs-server or --server
  bool ec2 = false;  // --ec2-server
  bool any() const noexcept { return ecs || ec2; }
};

Error refused(std::string_view message) { return Error(Errc::Unsupported, std::string(message)); }

// check_exec_flags is the nested-session guard and the flag-combination checks of spec §2.5,
// in upstream's order (the --json combinations are unreachable: --json returned earlier).
Status check_exec_flags(const Invocation& in, ServerFlags servers) {
  if (in.ctx.env.get_nonempty("AWS_VAULT")) {
    return refused(
        "running in an existing aws-vault subshell; 'exit' from the subshell or unset AWS_VAULT "
        "to force");
  }
  const bool no_session = in.args.flag_bool("no-session");
  if (servers.ec2 && servers.ecs) return refused("Can't use --ec2-server with --ecs-server");
  if (servers.ec2 && no_session) return refused("Can't use --ec2-server with --no-session");
  if (servers.ecs && no_session) return refused("Can't use --ecs-server with --no-session");
  return ok();
}

// check_server_prompt refuses the terminal driver for a server only when a refresh could need
// an MFA code while the child owns the terminal (the fix of quirk A.4).
Status check_server_prompt(std::string_view driver, const config::ResolvedProfile& profile,
                           ServerFlags servers) {
  if (driver != "terminal" || !mfa_prompt_needed(profile)) return ok();
  return refused(servers.ecs ? "Can't use --prompt=terminal with --ecs-server. Specify a "
                               "different prompt driver"
                             : "Can't use --prompt=terminal with --ec2-server. Specify a "
                               "different prompt driver");
}

// help_message writes an exec hint to stderr when hints are enabled, else to the debug log.
Status help_message(const Invocation& in, bool enabled, const std::string& message) {
  if (enabled) return in.ctx.err.write(message + "\n");
  log::debug(message);
  return ok();
}

// run_command replaces this process with the command (spec §6.3); returns only on failure.
Status run_command(const Invocation& in, bool hints, const platform::Environment& child) {
  const std::string_view cmd = in.args.arg("cmd");
  const std::vector<std::string> argv = command_line(in.ctx.env, cmd, in.args.arg_values("args"));
  if (cmd.empty()) {
    AV_TRY(help_message(in, hints,
                        "Starting subshell " + argv.front() + ", use `exit` to exit the subshell"));
  }
  const Status replaced = platform::exec_replace(argv, child);
  AV_CHECK(!replaced);  // exec_replace returns only on failure
  log::debug("Error doing execve syscall: " + std::string(replaced.error().message()));
  return replaced;
}

// exec_with_credentials is the default and --profile-env modes of spec §6.1 step 8.
Status exec_with_credentials(const Invocation& in, keyring::Keyring& ring,
                             const config::AwsConfig& config,
                             const config::ResolvedProfile& profile, bool hints) {
  const bool profile_env = in.args.flag_bool("profile-env");
  Result<vault::Issued> issued =
      retrieve_credentials(in, ring, config, profile, chain_options(in));
  if (!issued) {
    return credentials_error(std::move(issued).error(), profile.name,
                             profile_env ? ErrorWording::ProfileEnv : ErrorWording::Standard);
  }
  platform::Environment child = child_environment(
      in.ctx.env, {.profile = profile.name, .region = profile.region,
                   .endpoint_url = profile.endpoint_url});
  if (profile_env) {
    sync_aws_cli_sso_cache(in, ring, profile);  // spec §10.4: SDKs run with AWS_PROFILE find it
    add_profile_variable(child, profile.name);
  } else {
    AV_TRY(add_credentials(child, issued->credentials, issued->can_expire));
  }
  return run_command(in, hints, child);
}

// run_with_server is the server modes of spec §6.1 step 8: the child's environment without
// credentials (the server hands them out), then the ECS or EC2 mode runs the command.
Status run_with_server(const Invocation& in, keyring::Keyring& ring,
                       const config::AwsConfig& config, const config::ResolvedProfile& profile,
                       bool hints, ServerFlags servers) {
  ServerRun run{.in = in,
                .ring = ring,
                .config = config,
                .profile = profile,
                .child_env = child_environment(in.ctx.env, {.profile = profile.name,
                                                            .region = profile.region,
                                                            .endpoint_url = profile.endpoint_url}),
                .argv = command_line(in.ctx.env, in.args.arg("cmd"), in.args.arg_values("args")),
                .hints = hints};
  return servers.ecs ? run_ecs_mode(run) : run_ec2_mode(run);
}

}  // namespace

Status run_exec(const Invocation& in) {
  const ServerFlags servers{
      .ecs = in.args.flag_bool("server") || in.args.flag_bool("ecs-server"),
      .ec2 = in.args.flag_bool("ec2-server")};
  const std::string driver = prompt_driver_for(in, servers.any());
  AV_TRY_ASSIGN(const config::BaseConfig base, base_config(in, driver));
  const bool hints =
      help_messages_enabled(in.args.flag_bool("debug"), !in.args.arg("cmd").empty(),
                            platform::is_terminal(platform::StdStream::Out), in.ctx.env);
  AV_TRY_ASSIGN(const config::AwsConfig config, load_aws_config(in.ctx));
  AV_TRY_ASSIGN(keyring::Keyring* const ring, open_keyring(in));
  AV_TRY_ASSIGN(const std::string name,
                choose_profile(in.ctx, in.args.arg("profile"), PickerWording::Standard));
  if (in.args.flag_bool("json")) {
    return export_profile(in, config, *ring, name, base, ExportFormat::Json);
  }
  AV_TRY(check_exec_flags(in, servers));
  AV_TRY(check_profile_exists(config, *ring, name));
  AV_TRY_ASSIGN(const config::ResolvedProfile profile,
                resolve_for_command(config, name, base, in.ctx.env));
  if (servers.any()) {
    AV_TRY(check_server_prompt(driver, profile, servers));
    return run_with_server(in, *ring, config, profile, hints, servers);
  }
  return exec_with_credentials(in, *ring, config, profile, hints);
}

}  // namespace av::cli::commands
