// settings_source.cpp: settings-file values as flag defaults, and their --debug origins.
#include "cli/settings_source.h"

#include "base/ascii.h"
#include "base/check.h"
#include "base/log.h"
#include "cli/report.h"
#include "config/settings.h"

namespace av::cli {
namespace {

std::string setting_key(std::string_view table, std::string_view name) {
  return table.empty() ? std::string(name) : std::string(table) + "." + std::string(name);
}

args::FlagSpec* find_flag(args::AppSpec& app, std::string_view table, std::string_view name) {
  std::vector<args::FlagSpec>* flags = table.empty() ? &app.flags : nullptr;
  for (args::CommandSpec& c : app.commands) {
    if (!table.empty() && c.name == table) flags = &c.flags;
  }
  if (flags == nullptr) return nullptr;
  for (args::FlagSpec& f : *flags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

// yielding_env returns the first variable that overrides this setting and is set, or "".
std::string_view yielding_env(const Context& ctx, const config::Setting& setting) {
  const config::SettingSpec* spec = config::find_setting_spec(setting.table, setting.name);
  AV_CHECK(spec != nullptr);  // parse_settings only returns schema keys
  for (std::string_view var : spec->yields_to_env) {
    if (ctx.env.get_nonempty(var)) return var;
  }
  return {};
}

// table_of returns the settings table of `flag`: "" for global flags, else the command name.
std::string_view table_of(const args::AppSpec& app, const args::ParsedArgs& parsed,
                          const args::FlagSpec* flag) {
  for (const args::FlagSpec& f : app.flags) {
    if (&f == flag) return {};
  }
  return parsed.command_name();
}

std::string origin(const args::FlagValue& fv, const SettingsSource& source) {
  if (fv.given) return "flag";
  if (fv.from_env) return "$" + fv.spec->env;
  for (const AppliedSetting& a : source.applied) {
    if (a.flag == fv.spec) {
      return "settings file " + ascii::escape_for_terminal(source.path) + ":" +
             std::to_string(a.line);
    }
  }
  return {};
}

}  // namespace

Result<SettingsSource> apply_settings_file(const Context& ctx, const TableInputs& inputs,
                                           args::AppSpec& app) {
  const config::SettingsChoices choices{inputs.backends, inputs.prompt_drivers};
  AV_TRY_ASSIGN(const config::Settings settings, config::load_settings(ctx.env, choices));
  for (const std::string& w : settings.warnings) {
    (void)ctx.err.write(neutralize_controls("aws-vault: warning: " + w) + "\n");
  }
  SettingsSource source{settings.path, settings.found, {}, {}};
  for (const config::Setting& s : settings.values) {
    if (const std::string_view env = yielding_env(ctx, s); !env.empty()) {
      source.yielded.push_back({setting_key(s.table, s.name), std::string(env)});
      continue;
    }
    args::FlagSpec* flag = find_flag(app, s.table, s.name);
    AV_CHECK(flag != nullptr);  // every schema key is a flag of the command table
    flag->default_value = s.value;
    source.applied.push_back({flag, s.line});
  }
  return source;
}

void log_setting_origins(const args::AppSpec& app, const args::ParsedArgs& parsed,
                         const SettingsSource& source) {
  if (source.found) log::debug("Using settings file " + ascii::escape_for_terminal(source.path));
  for (const YieldedSetting& y : source.yielded) {
    log::debug("setting " + y.key + " from settings file ignored: $" + y.env + " is set");
  }
  for (const args::FlagValue& fv : parsed.flags) {
    const std::string_view table = table_of(app, parsed, fv.spec);
    if (config::find_setting_spec(table, fv.spec->name) == nullptr) continue;
    const std::string from = origin(fv, source);
    // A --debug typed on the command line is self-evident: the log it turned on says so.
    if (from.empty() || (from == "flag" && fv.spec->name == "debug")) continue;
    const std::string value = fv.spec->kind == args::FlagKind::Bool
                                  ? fv.value
                                  : ascii::quote_for_terminal(fv.value);
    log::debug("setting " + setting_key(table, fv.spec->name) + " = " + value + " (from " + from +
               ")");
  }
}

}  // namespace av::cli
