// settings.h: aws-vault's own settings file (TOML), which supplies defaults for flags.
//
// Location (settings_path): $AWS_VAULT_CONFIG_FILE if non-empty, else
// $XDG_CONFIG_HOME/aws-vault/config.toml (XDG_CONFIG_HOME only if absolute), else
// ~/.config/aws-vault/config.toml. A missing file means "no settings".
//
// Schema (settings_schema lists it; README "Settings file" documents it): top-level keys are the
// global flags, tables [exec], [export] and [login] hold command flags; every key is the flag's
// long name. Value types: booleans for boolean flags, strings for the others; durations are Go
// durations with d/w units ("90m", "1d"); enums take the flag's values. Keys that name secrets
// (passphrases, passwords, tokens, secret keys) are refused: secrets never go in this file.
//
// Precedence is applied by the CLI: command-line flag > environment variable > settings file >
// built-in default. This module only reads and checks the file; it never logs.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "platform/env.h"

namespace av::config {

// SettingKind is the TOML type a key takes and how its value is checked.
enum class SettingKind : std::uint8_t {
  Bool,      // TOML boolean; stored as "true" / "false"
  String,    // TOML string without control characters
  Duration,  // TOML string, codec::parse_go_duration(GoWithDaysWeeks)
  Enum,      // TOML string, one of the values of setting_choices()
};

// SettingSpec is one accepted key.
struct SettingSpec {
  std::string_view table;  // "" for top-level keys; "exec", "export" or "login"
  std::string_view name;   // the flag's long name
  SettingKind kind;
  // Environment variables other than the flag's own that also beat this setting ("region" yields
  // to $AWS_REGION and $AWS_DEFAULT_REGION); empty for most keys.
  std::span<const std::string_view> yields_to_env;
};

// settings_schema returns every accepted key, top-level keys first, in documentation order.
std::span<const SettingSpec> settings_schema() noexcept;

// find_setting_spec returns the schema entry for `name` in `table`, or nullptr.
const SettingSpec* find_setting_spec(std::string_view table, std::string_view name) noexcept;

// SettingsChoices are the enum values that depend on the platform (the CLI's --backend list and
// its prompt drivers); export's format values are fixed by the spec and built in.
struct SettingsChoices {
  std::vector<std::string> backends;
  std::vector<std::string> prompt_drivers;
};

// Setting is one key read from the file.
struct Setting {
  std::string table;        // "" or the command name
  std::string name;         // flag name
  std::string value;        // flag text: "true"/"false" for booleans, otherwise as written
  std::uint32_t line = 0;   // 1-based line of the key
};

// Settings is the checked content of a settings file.
struct Settings {
  std::string path;                   // where the file was looked for; "" if nowhere to look
  bool found = false;                 // the file existed and was read
  std::vector<Setting> values;        // in file order
  std::vector<std::string> warnings;  // "<path>:<line>: unknown setting \"x\"" and permission
                                      // warnings, without the "aws-vault: warning: " prefix

  // find returns the value of `name` in `table`, or nullptr.
  const Setting* find(std::string_view table, std::string_view name) const noexcept;
};

// parse_settings checks `text` (the content of the file at `path`) against the schema.
// Unknown keys and tables become warnings. Every error names the file and line:
//   Errc::Parse     TOML syntax ("<path>:<line>:<column>: <description>")
//   Errc::Config    wrong type, bad value, a key naming a secret ("<path>:<line>: ...")
//   Errc::TooLarge  over limits::kMaxSettingsFileBytes or the TOML limits
// `path` only labels messages. Pure: no I/O.
[[nodiscard]] Result<Settings> parse_settings(std::string_view text, std::string_view path,
                                              const SettingsChoices& choices);

// settings_path returns where the settings file is looked for (see the top of this file).
// Errc::NotFound when neither AWS_VAULT_CONFIG_FILE nor an absolute XDG_CONFIG_HOME nor HOME is set.
[[nodiscard]] Result<std::string> settings_path(const platform::Environment& env);

// load_settings reads and checks the settings file. No file yields empty Settings with found
// false (path "" when there is no home directory to look in). Adds a warning when the file is writable by group or
// others. Errors: those of parse_settings, and read failures other than "not found"
// (Errc::PermissionDenied, Errc::Io, Errc::TooLarge), as "reading settings file: <reason>".
[[nodiscard]] Result<Settings> load_settings(const platform::Environment& env,
                                             const SettingsChoices& choices);

}  // namespace av::config
