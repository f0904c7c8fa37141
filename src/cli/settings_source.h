// settings_source.h: aws-vault's settings file (config/settings.h) as a source of flag defaults.
//
// The file's values replace the built-in default_value of their flags before parsing, so the
// parser's own order gives the precedence: command-line flag > environment variable > settings
// file > built-in default. `--help` therefore shows settings-file defaults as placeholders.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "cli/args/parser.h"
#include "cli/args/spec.h"
#include "cli/command_table.h"
#include "cli/context.h"

namespace av::cli {

// AppliedSetting: a settings-file value that became the default of `flag`.
struct AppliedSetting {
  const args::FlagSpec* flag = nullptr;  // points into the AppSpec given to apply_settings_file
  std::uint32_t line = 0;                // line in the settings file
};

// YieldedSetting: a settings-file value skipped because another variable overrides it.
struct YieldedSetting {
  std::string key;  // "exec.region"
  std::string env;  // "AWS_REGION"
};

// SettingsSource records what apply_settings_file did, for the --debug lines.
struct SettingsSource {
  std::string path;  // where the file was looked for; "" when nowhere
  bool found = false;
  std::vector<AppliedSetting> applied;
  std::vector<YieldedSetting> yielded;
};

// apply_settings_file loads the settings file (config::load_settings with the backends and prompt
// drivers of `inputs`), writes each warning to ctx.err as "aws-vault: warning: <text>\n", and sets
// the default_value of every flag named in the file. `app` is changed only on success. Errors:
// those of config::load_settings (the caller reports them as error shape 2).
[[nodiscard]] Result<SettingsSource> apply_settings_file(const Context& ctx,
                                                         const TableInputs& inputs,
                                                         args::AppSpec& app);

// log_setting_origins writes to the debug log the settings file used (if any), then one line per
// setting in scope whose value is not its built-in default, e.g.
// `setting backend = "file" (from settings file /x/config.toml:3)`, `(from $AWS_VAULT_BACKEND)`,
// `(from flag)`; a `--debug` given on the command line is not repeated. Call only when debug
// logging is on.
void log_setting_origins(const args::AppSpec& app, const args::ParsedArgs& parsed,
                         const SettingsSource& source);

}  // namespace av::cli
