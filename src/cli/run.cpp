// run.cpp: parse, pre-actions (help, version, completion), global checks, dispatch, report.
// Order follows kingpin (spec §1.1-§1.3): completion first, then parse errors (shape 2),
// pre-action flags, --debug, --prompt validation (§1.7), and finally the command.
#include "cli/run.h"

#include <optional>
#include <string>
#include <vector>

#include "base/check.h"
#include "base/log.h"
#include "cli/args/parser.h"
#include "cli/command_table.h"
#include "cli/completion.h"
#include "cli/config_loader.h"
#include "cli/debug_log.h"
#include "cli/prompt_drivers.h"
#include "cli/report.h"
#include "cli/settings_source.h"
#include "cli/usage.h"
#include "cli/version.h"
#include "keyring/registry.h"

namespace av::cli {
namespace {

// backend_was_chosen: --backend was given on the command line, by AWS_VAULT_BACKEND, or by the
// settings file (which turns it into the flag's default).
bool backend_was_chosen(const args::ParsedArgs& parsed, const SettingsSource& settings) {
  for (const args::FlagValue& fv : parsed.flags) {
    if (fv.spec->name == "backend" && (fv.given || fv.from_env)) return true;
  }
  for (const AppliedSetting& a : settings.applied) {
    if (a.flag->name == "backend") return true;
  }
  return false;
}

// completion_words returns the words to complete when `--completion-bash` appears before any
// `--`, with that flag removed; nullopt otherwise.
std::optional<std::vector<std::string>> completion_words(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") return std::nullopt;
    if (args[i] == "--completion-bash") {
      std::vector<std::string> words(args.begin(), args.end());
      words.erase(words.begin() + static_cast<std::ptrdiff_t>(i));
      return words;
    }
  }
  return std::nullopt;
}

int write_and_exit(Writer& w, std::string_view text) {
  (void)w.write(text);
  return 0;
}

// run_completion answers `--completion-bash`. Profile names come from the AWS config; when it
// cannot be loaded the exit status is 1 with no output, as upstream (spec §1.3).
int run_completion(const Context& ctx, const args::AppSpec& app,
                   const std::vector<std::string>& words) {
  const ProfileNames profiles = [&ctx]() -> Result<std::vector<std::string>> {
    AV_TRY_ASSIGN(const config::AwsConfig config, load_aws_config(ctx));
    std::vector<std::string> names;
    for (std::string_view name : config.profile_names()) names.emplace_back(name);
    return names;
  };
  auto out = complete_bash(app, words, profiles);
  if (!out) return kExitFailure;
  return write_and_exit(ctx.out, *out);
}

int run_pre_action(Context& ctx, const args::AppSpec& app, const args::ParsedArgs& parsed) {
  const std::string& name = parsed.pre_action->name;
  if (name == "help") return write_and_exit(ctx.err, render_usage(app, parsed.command, usage_width(ctx)));
  if (name == "version") return write_and_exit(ctx.err, std::string(version()) + "\n");
  if (name == "help-long" || name == "help-man") {
    return write_and_exit(ctx.out, render_long_help(app, usage_width(ctx)));
  }
  if (name == "completion-script-bash") return write_and_exit(ctx.out, bash_completion_script());
  AV_CHECK(name == "completion-script-zsh");  // every pre_action flag is handled above
  return write_and_exit(ctx.out, zsh_completion_script());
}

// check_prompt validates --prompt / AWS_VAULT_PROMPT (spec §1.7); returns an exit code on error.
std::optional<int> check_prompt(const Context& ctx, const args::ParsedArgs& parsed,
                                const std::vector<std::string>& drivers) {
  const std::string_view value = parsed.flag("prompt").value_or("");
  const PromptCheck check = check_prompt_driver(value, drivers);
  if (check == PromptCheck::Ok) return std::nullopt;
  const ErrorShape shape =
      check == PromptCheck::RemovedPass ? ErrorShape::UsageNoHint : ErrorShape::Usage;
  return report_error(ctx, shape, "", prompt_driver_error(check, value, drivers));
}

int dispatch(Context& ctx, const args::AppSpec& app, const args::ParsedArgs& parsed) {
  if (parsed.command == nullptr) {
    return write_and_exit(ctx.err, render_usage(app, nullptr, usage_width(ctx)));
  }
  const Handler handler = find_handler(parsed.command->name);
  AV_CHECK(handler != nullptr);
  const Status status = handler(Invocation{ctx, app, parsed});
  if (status) return ctx.exit_code.value_or(0);
  return report_error(ctx, shape_for_command_error(status.error()), parsed.command->name,
                      status.error());
}

}  // namespace

int run(std::span<const std::string_view> argv, Context& ctx) {
  if (!argv.empty()) ctx.program_name = program_basename(argv.front());
  std::vector<std::string> args;
  for (std::size_t i = 1; i < argv.size(); ++i) args.emplace_back(argv[i]);

  TableInputs inputs;
  inputs.backends = keyring::available_backends(ctx.env);
  inputs.prompt_drivers =
      available_prompt_drivers(ctx.env.get("PATH").value_or(""), ctx.executable_exists);
  args::AppSpec app = build_app_spec(inputs);

  if (auto words = completion_words(args)) return run_completion(ctx, app, *words);
  // Settings-file values become flag defaults; a broken file still lets --help and --version run.
  const auto settings = apply_settings_file(ctx, inputs, app);

  const platform::Environment& env = ctx.env;
  auto parsed = args::parse(app, args, [&env](std::string_view n) { return env.get(n); });
  if (!parsed) return report_error(ctx, ErrorShape::Usage, "", parsed.error());
  if (parsed->pre_action != nullptr) return run_pre_action(ctx, app, *parsed);
  if (!settings) return report_error(ctx, ErrorShape::Usage, "", settings.error());
  ctx.backend_chosen = backend_was_chosen(*parsed, *settings);

  std::optional<DebugLogScope> debug;
  if (parsed->flag_bool("debug")) {
    debug.emplace(ctx);
    log::debug("aws-vault " + std::string(version()));
    log_setting_origins(app, *parsed, *settings);
  }
  if (auto code = check_prompt(ctx, *parsed, inputs.prompt_drivers)) return *code;
  return dispatch(ctx, app, *parsed);
}

}  // namespace av::cli
