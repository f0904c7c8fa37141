// command_table.cpp: every command and flag of spec §1.5 and §2, in upstream's definition order
// (which is also usage and completion order). Help strings are upstream's, verbatim.
#include "cli/command_table.h"

#include <array>

#include "cli/commands/commands.h"
#include "codec/go_duration.h"

namespace av::cli {
namespace {

using args::ArgSpec;
using args::CommandSpec;
using args::FlagKind;
using args::FlagSpec;

Status check_duration(std::string_view value) {
  AV_TRY(codec::parse_go_duration(value, codec::DurationUnits::GoWithDaysWeeks));
  return ok();
}

std::string bracket_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const std::string& s : items) {
    if (out.size() > 1) out += ' ';
    out += s;
  }
  return out + "]";
}

// kingpin's own flags: --help, --version and the hidden generators.
std::vector<FlagSpec> builtin_flags() {
  return {
      {.name = "help", .kind = FlagKind::Bool,
       .help = "Show context-sensitive help (also try --help-long and --help-man).",
       .pre_action = true},
      {.name = "version", .short_name = 'v', .kind = FlagKind::Bool,
       .help = "Show application version.", .pre_action = true},
      {.name = "help-long", .kind = FlagKind::Bool, .help = "Generate long help.", .hidden = true,
       .pre_action = true},
      {.name = "help-man", .kind = FlagKind::Bool, .help = "Generate a man page.",
       .hidden = true, .pre_action = true},
      {.name = "completion-bash", .kind = FlagKind::Bool,
       .help = "Output possible completions for the given args.", .hidden = true},
      {.name = "completion-script-bash", .kind = FlagKind::Bool,
       .help = "Generate completion script for bash.", .hidden = true, .pre_action = true},
      {.name = "completion-script-zsh", .kind = FlagKind::Bool,
       .help = "Generate completion script for ZSH.", .hidden = true, .pre_action = true},
  };
}

// size-waiver: one row per global flag of spec §1.5; splitting the table would hide its order.
std::vector<FlagSpec> global_flags(const TableInputs& in) {
  std::vector<FlagSpec> f = builtin_flags();
  const std::vector<FlagSpec> app = {
      {.name = "debug", .kind = FlagKind::Bool, .help = "Show debugging output"},
      {.name = "backend", .kind = FlagKind::Enum, .env = "AWS_VAULT_BACKEND",
       .default_value = in.backends.empty() ? std::string() : in.backends.front(),
       .help = "Secret backend to use " + bracket_list(in.backends), .enum_values = in.backends},
      {.name = "prompt", .env = "AWS_VAULT_PROMPT",
       .help = "Prompt driver to use " + bracket_list(in.prompt_drivers)},
      {.name = "keychain", .env = "AWS_VAULT_KEYCHAIN_NAME", .default_value = "aws-vault",
       .help = "Name of macOS keychain to use, if it doesn't exist it will be created"},
      {.name = "secret-service-collection", .env = "AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME",
       .default_value = "awsvault",
       .help = "Name of secret-service collection to use, if it doesn't exist it will be created"},
      {.name = "pass-dir", .env = "AWS_VAULT_PASS_PASSWORD_STORE_DIR",
       .help = "Pass password store directory"},
      {.name = "pass-cmd", .env = "AWS_VAULT_PASS_CMD", .help = "Name of the pass executable"},
      {.name = "pass-prefix", .env = "AWS_VAULT_PASS_PREFIX",
       .help = "Prefix to prepend to the item path stored in pass"},
      {.name = "file-dir", .env = "AWS_VAULT_FILE_DIR", .default_value = "~/.awsvault/keys/",
       .help = "Directory for the \"file\" password store"},
      {.name = "op-timeout", .kind = FlagKind::Duration, .env = "AWS_VAULT_OP_TIMEOUT",
       .default_value = "15s",
       .help = "Timeout for 1Password API operations (1Password Service Accounts only)",
       .check = &check_duration},
      {.name = "op-vault-id", .env = "AWS_VAULT_OP_VAULT_ID", .help = "UUID of the 1Password vault"},
      {.name = "op-item-title-prefix", .env = "AWS_VAULT_OP_ITEM_TITLE_PREFIX",
       .default_value = "aws-vault", .help = "Prefix to prepend to 1Password item titles"},
      {.name = "op-item-tag", .env = "AWS_VAULT_OP_ITEM_TAG", .default_value = "aws-vault",
       .help = "Tag to apply to 1Password items"},
      {.name = "op-connect-host", .env = "AWS_VAULT_OP_CONNECT_HOST",
       .help = "1Password Connect server HTTP(S) URI"},
      // Upstream quirk A.2 (the literal env-var name as default) is left to the keyring layer.
      {.name = "op-desktop-account-id", .env = "AWS_VAULT_OP_DESKTOP_ACCOUNT_ID",
       .help = "1Password Desktop App account name or account UUID"},
      // Proton Pass flags are accepted for compatibility; no proton-pass backend is shipped.
      {.name = "proton-pass-share-id", .env = "AWS_VAULT_PROTON_PASS_SHARE_ID",
       .help = "Share ID of the Proton Pass vault to use"},
      {.name = "proton-pass-item-title-prefix", .env = "AWS_VAULT_PROTON_PASS_ITEM_TITLE_PREFIX",
       .help = "Prefix to prepend to Proton Pass item titles (default inherited from keyring)"},
      {.name = "proton-pass-api-base", .env = "AWS_VAULT_PROTON_PASS_API_BASE",
       .help = "Proton API base URL (default inherited from keyring)"},
      {.name = "proton-pass-timeout", .kind = FlagKind::Duration,
       .env = "AWS_VAULT_PROTON_PASS_TIMEOUT",
       .help = "Timeout for Proton Pass API operations (default inherited from keyring)",
       .check = &check_duration},
      {.name = "biometrics", .kind = FlagKind::Bool, .env = "AWS_VAULT_BIOMETRICS",
       .help = "Use biometric authentication if supported"},
  };
  f.insert(f.end(), app.begin(), app.end());
  return f;
}

// Flags shared by exec, export and login (spec §2.5, §2.6, §2.8).
FlagSpec duration_flag(std::string help) {
  return {.name = "duration", .short_name = 'd', .kind = FlagKind::Duration,
          .env = "AWS_VAULT_DURATION", .help = std::move(help), .check = &check_duration};
}
FlagSpec no_session_flag() {
  return {.name = "no-session", .short_name = 'n', .kind = FlagKind::Bool,
          .help = "Skip creating STS session with GetSessionToken"};
}
FlagSpec region_flag() { return {.name = "region", .help = "The AWS region"}; }
FlagSpec mfa_token_flag() {
  return {.name = "mfa-token", .short_name = 't', .help = "The MFA token to use"};
}
FlagSpec stdout_flag(char short_name, std::string help) {
  return {.name = "stdout", .short_name = short_name, .kind = FlagKind::Bool,
          .env = "AWS_VAULT_STDOUT", .help = std::move(help)};
}
FlagSpec bool_flag(std::string name, std::string help, char short_name = '\0') {
  return {.name = std::move(name), .short_name = short_name, .kind = FlagKind::Bool,
          .help = std::move(help)};
}
ArgSpec profile_arg(bool required, std::string env = "", std::string help = "Name of the profile") {
  return {.name = "profile", .help = std::move(help), .env = std::move(env), .required = required};
}

// The SSO flow switch (ours, docs/COMPATIBILITY.md): the browser redirect with PKCE is the
// default; the device-code flow is for hosts without a browser.
FlagSpec device_code_flag() {
  return {.name = "use-device-code", .kind = FlagKind::Bool, .env = "AWS_VAULT_SSO_DEVICE_CODE",
          .help = "Sign in to SSO with the device-code flow instead of a browser redirect"};
}

constexpr std::string_view kSsoStdoutHelp =
    "Print the SSO link to the terminal without automatically opening the browser";
constexpr std::string_view kDurationHelp =
    "Duration of the temporary or assume-role session. Defaults to 1h";

CommandSpec exec_command() {
  return {.name = "exec",
          .help = "Execute a command with AWS credentials.",
          .flags = {duration_flag(std::string(kDurationHelp)), no_session_flag(), region_flag(),
                    mfa_token_flag(),
                    {.name = "json", .short_name = 'j', .kind = FlagKind::Bool,
                     .help = "Output credentials in JSON that can be used by credential_process",
                     .hidden = true},
                    bool_flag("server", "Alias for --ecs-server", 's'),
                    bool_flag("ec2-server",
                              "Run a EC2 metadata server in the background for credentials"),
                    bool_flag("ecs-server",
                              "Run a ECS credential server in the background for credentials "
                              "(the SDK or app must support AWS_CONTAINER_CREDENTIALS_FULL_URI)"),
                    bool_flag("lazy", "When using --ecs-server, lazily fetch credentials"),
                    {.name = "ecs-token-file", .kind = FlagKind::Bool,
                     .env = "AWS_VAULT_ECS_TOKEN_FILE",
                     .help = "With --ecs-server, give the child the token in a 0600 file "
                             "(AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) instead of the environment"},
                    stdout_flag('\0', std::string(kSsoStdoutHelp)), device_code_flag(),
                    {.name = "profile-env", .kind = FlagKind::Bool, .env = "AWS_VAULT_PROFILE_ENV",
                     .help = "Set AWS_PROFILE instead of injecting AWS_ACCESS_KEY_ID and "
                             "AWS_SECRET_ACCESS_KEY"}},
          .args = {profile_arg(false, "AWS_PROFILE"),
                   {.name = "cmd", .help = "Command to execute, defaults to $SHELL"},
                   {.name = "args", .help = "Command arguments", .rest = true}}};
}

CommandSpec export_command() {
  return {.name = "export",
          .help = "Export AWS credentials.",
          .flags = {duration_flag(std::string(kDurationHelp)), no_session_flag(), region_flag(),
                    mfa_token_flag(),
                    {.name = "format", .kind = FlagKind::Enum, .default_value = "env",
                     .help = "Format to output credentials. Valid formats: env, export-env, json, ini",
                     .enum_values = {"env", "export-env", "json", "ini"}},
                    stdout_flag('\0', std::string(kSsoStdoutHelp)), device_code_flag()},
          .args = {profile_arg(false)}};
}

CommandSpec login_command() {
  return {.name = "login",
          .help = "Generate a login link for the AWS Console.",
          .flags = {duration_flag("Duration of the assume-role or federated session. Defaults to 1h"),
                    no_session_flag(),
                    {.name = "auto-logout", .short_name = 'a', .kind = FlagKind::Bool,
                     .env = "AWS_VAULT_AUTO_LOGOUT", .help = "Auto logout when starting a new login"},
                    mfa_token_flag(),
                    {.name = "path", .help = "The AWS service you would like access"},
                    region_flag(),
                    stdout_flag('s', "Print login URL to stdout instead of opening in default browser"),
                    device_code_flag()},
          .args = {profile_arg(false, "AWS_PROFILE",
                               "Name of the profile. If none given, credentials will be sourced "
                               "from env vars")}};
}

CommandSpec migrate_command(const TableInputs& in) {
  return {.name = "migrate-backend",
          .help = "Migrate stored credentials between keyring backends.",
          .flags = {{.name = "from", .kind = FlagKind::Enum, .help = "Source keyring backend.",
                     .required = true, .enum_values = in.backends},
                    {.name = "to", .kind = FlagKind::Enum, .help = "Destination keyring backend.",
                     .required = true, .enum_values = in.backends},
                    {.name = "profile", .help = "Migrate only this profile."},
                    bool_flag("dry-run", "Show what would be migrated without writing anything."),
                    bool_flag("overwrite", "Overwrite destination credentials if they already exist."),
                    bool_flag("delete-source",
                              "Delete source credentials after successful destination verification.")}};
}

std::vector<CommandSpec> all_commands(const TableInputs& in) {
  std::vector<CommandSpec> c;
  c.push_back({.name = "help", .help = "Show help.",
               .args = {{.name = "command", .help = "Show help on command.", .rest = true}}});
  c.push_back({.name = "add", .help = "Add credentials to the secure keystore.",
               .flags = {bool_flag("env", "Read the credentials from the environment "
                                          "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"),
                         {.name = "add-config", .kind = FlagKind::Bool, .default_value = "true",
                          .help = "Add a profile to ~/.aws/config if one doesn't exist"}},
               .args = {profile_arg(true)}});
  c.push_back({.name = "remove", .aliases = {"rm"},
               .help = "Remove credentials from the secure keystore.",
               .flags = {bool_flag("force", "Force-remove the profile without a prompt", 'f'),
                         {.name = "sessions-only", .short_name = 's', .kind = FlagKind::Bool,
                          .help = "Only remove sessions, leave credentials intact", .hidden = true}},
               .args = {profile_arg(true)}});
  c.push_back(migrate_command(in));
  c.push_back({.name = "list", .aliases = {"ls"},
               .help = "List profiles, along with their credentials and sessions.",
               .flags = {bool_flag("profiles", "Show only the profile names"),
                         bool_flag("sessions", "Show only the session names"),
                         bool_flag("credentials", "Show only the profiles with stored credential")}});
  c.push_back({.name = "rotate", .help = "Rotate credentials.",
               .flags = {bool_flag("no-session", "Use master credentials, no session or role used",
                                   'n'),
                         device_code_flag()},
               .args = {profile_arg(false)}});
  c.push_back(exec_command());
  c.push_back(export_command());
  c.push_back({.name = "clear", .help = "Clear temporary credentials from the secure keystore.",
               .args = {profile_arg(false)}});
  c.push_back(login_command());
  c.push_back({.name = "proxy", .aliases = {"server"},
               .help = "Start a proxy for the ec2 instance role server locally.", .hidden = true,
               .flags = {bool_flag("stop", "Stop the proxy"),
                         // Ours: exec --ec2-server passes the 0600 file holding the secret the
                         // proxy presents to the credential server (server/proxy_preamble.h).
                         {.name = "token-file", .help = "File holding the credential server's "
                                                        "proxy secret", .hidden = true}}});
  c.push_back({.name = "version", .help = "Print the aws-vault version and build info."});
  return c;
}

struct HandlerRow {
  std::string_view name;
  Handler handler;
};

constexpr std::array<HandlerRow, 12> kHandlers = {{
    {"help", &commands::run_help},
    {"add", &commands::run_add},
    {"remove", &commands::run_remove},
    {"migrate-backend", &commands::run_migrate_backend},
    {"list", &commands::run_list},
    {"rotate", &commands::run_rotate},
    {"exec", &commands::run_exec},
    {"export", &commands::run_export},
    {"clear", &commands::run_clear},
    {"login", &commands::run_login},
    {"proxy", &commands::run_proxy},
    {"version", &commands::run_version},
}};

}  // namespace

args::AppSpec build_app_spec(const TableInputs& inputs) {
  args::AppSpec app;
  app.name = "aws-vault";
  app.help = std::string(kAppDescription);
  app.flags = global_flags(inputs);
  app.commands = all_commands(inputs);
  return app;
}

Handler find_handler(std::string_view name) noexcept {
  for (const HandlerRow& row : kHandlers) {
    if (row.name == name) return row.handler;
  }
  return nullptr;
}

}  // namespace av::cli
