// config_loader.cpp: the I/O around config::parse_aws_config (which is pure).
#include "cli/config_loader.h"

#include <string>
#include <utility>

#include "base/ascii.h"
#include "base/limits.h"
#include "base/log.h"
#include "platform/paths.h"
#include "platform/secure_file.h"

namespace av::cli {
namespace {

Error before_command(const Error& error, std::string_view what) {
  std::string message(what);
  if (!message.empty()) message += ": ";
  message += error.message();
  return Error{Errc::Usage, std::move(message)};
}

void warn_if_writable_by_others(const Context& ctx, const std::string& path) {
  auto writable = platform::is_group_or_world_writable(path);
  if (!writable || !*writable) return;
  (void)ctx.err.write("aws-vault: warning: " + ascii::quote_for_terminal(path) +
                      " is writable by group or others; its credential_process and mfa_process "
                      "lines run commands\n");
}

}  // namespace

Result<config::AwsConfig> load_aws_config(const Context& ctx) {
  auto path = platform::aws_config_path(ctx.env);
  if (!path) return before_command(path.error(), "");
  const std::string shown = ascii::escape_for_terminal(*path);
  if (ctx.env.get_nonempty("AWS_CONFIG_FILE")) log::debug("Using AWS_CONFIG_FILE value: " + shown);
  log::debug("Loading config file " + shown);

  std::string text;
  auto contents = platform::read_file(*path, limits::kMaxConfigFileBytes);
  if (contents) {
    text = std::move(*contents);
    warn_if_writable_by_others(ctx, *path);
  } else if (contents.error().code() != Errc::NotFound) {
    return before_command(contents.error(), "Error loading config file");
  } else {
    log::debug("Config file " + shown + " does not exist: using an empty config");
  }

  log::debug("Parsing config file " + shown);
  auto parsed = config::parse_aws_config(text, *path);
  if (!parsed) return before_command(parsed.error(), "Error parsing config file");
  for (const std::string& name : parsed->unrecognised_sections()) {
    log::debug("Unrecognised ini file section: " + ascii::escape_for_terminal(name));
  }
  return parsed;
}

}  // namespace av::cli
