// parser.h: a kingpin-v2-compatible command line parser (spec §1.1), pure and re-entrant.
//
// Semantics: global flags anywhere; command flags after the command word; `--f=v`, `--f v`,
// `-d1h`, `-d 1h`, bundled boolean shorts `-ns`; `--no-<bool>` negation (the literal name is
// looked up first, so `--no-session` is the flag named "no-session"); `--` ends options; a `rest`
// argument swallows every remaining positional; each flag at most once; env-var defaults when the
// variable is non-empty (validated like a command-line value). Arguments starting with `@` are
// ordinary values: we deliberately do NOT implement kingpin's @file expansion (spec A.8).
// Deliberate fix: `--<bool>=value` is rejected instead of silently turning `value` into the next
// positional argument as kingpin does.
//
// Every error is Errc::Usage (Errc::TooLarge for the size limits) with upstream's exact text;
// user-typed names inside the messages are escaped with ascii::escape_for_terminal.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/result.h"
#include "cli/args/spec.h"

namespace av::cli::args {

// EnvLookup returns the value of an environment variable, or nullopt when unset.
using EnvLookup = std::function<std::optional<std::string_view>(std::string_view name)>;

// Element is one thing matched on the command line, in order.
struct Element {
  const FlagSpec* flag = nullptr;  // set for a flag
  const ArgSpec* arg = nullptr;    // set for a positional argument
  std::string value;               // bools: "true" / "false"
};

// ScanState is the structural result of walking the tokens, kept even when the walk failed
// (completion needs the partial state). Pointers refer into the AppSpec passed to scan().
struct ScanState {
  const CommandSpec* command = nullptr;
  std::vector<const FlagSpec*> flags;  // global flags, then the command's
  std::vector<Element> elements;
  bool args_only = false;            // a `--` was seen
  std::optional<Error> error;        // the first structural error, if any
};

// scan walks `args` (argv without the program name) against `app`. Never fails: a structural
// error is stored in ScanState::error and the walk stops there. Values are not validated.
ScanState scan(const AppSpec& app, std::span<const std::string> args);

// FlagValue is a flag's final value after the command line, env var and default.
struct FlagValue {
  const FlagSpec* spec = nullptr;
  std::string value;       // bools: "true" / "false"; empty if unset and no default
  bool given = false;      // on the command line
  bool from_env = false;   // taken from the env var
};

// ParsedArgs is a successful parse. It borrows the AppSpec's specs (keep the AppSpec alive).
struct ParsedArgs {
  const CommandSpec* command = nullptr;  // nullptr: no command word
  const FlagSpec* pre_action = nullptr;  // first --help/--version-like flag given, if any
  std::vector<FlagValue> flags;          // every flag in scope, global first
  std::vector<std::pair<const ArgSpec*, std::vector<std::string>>> args;  // every arg in scope

  // command_name is the canonical command name (aliases resolved) or "".
  std::string_view command_name() const noexcept;
  // flag returns the value of flag `name` in scope, or nullopt if there is no such flag.
  std::optional<std::string_view> flag(std::string_view name) const noexcept;
  // flag_bool is true when the boolean flag `name` is in scope and true.
  bool flag_bool(std::string_view name) const noexcept;
  // flag_given reports whether `name` was given on the command line.
  bool flag_given(std::string_view name) const noexcept;
  // arg returns the first value of positional `name`, "" when absent.
  std::string_view arg(std::string_view name) const noexcept;
  // arg_values returns every value of positional `name` (a rest argument), empty when absent.
  std::span<const std::string> arg_values(std::string_view name) const noexcept;
};

// parse runs scan() and then kingpin's value phase: env defaults (skipped when a pre-action flag
// was given), pre-action short-circuit (a pre-action given before a structural error wins),
// the structural error, values in order (repeats, enums, checks), required flags, required args.
// Limits: at most limits::kMaxArgs arguments of limits::kMaxArgBytes each (Errc::TooLarge).
[[nodiscard]] Result<ParsedArgs> parse(const AppSpec& app, std::span<const std::string> args,
                                       const EnvLookup& env);

}  // namespace av::cli::args
