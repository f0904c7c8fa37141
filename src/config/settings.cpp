// settings.cpp: the settings file schema and its checks (settings.h).
#include "config/settings.h"

#include <algorithm>
#include <array>

#include "base/ascii.h"
#include "base/limits.h"
#include "codec/go_duration.h"
#include "codec/toml/document.h"
#include "platform/paths.h"
#include "platform/secure_file.h"

namespace av::config {
namespace {

using codec::toml::Node;
using codec::toml::NodeType;

constexpr std::array<std::string_view, 2> kRegionEnv = {"AWS_REGION", "AWS_DEFAULT_REGION"};
constexpr std::span<const std::string_view> kRegionYields(kRegionEnv);

constexpr std::array<std::string_view, 4> kExportFormats = {"env", "export-env", "json", "ini"};

constexpr std::array<std::string_view, 3> kCommandTables = {"exec", "export", "login"};

// Key fragments that name secrets (after lower-casing and turning '_' into '-').
constexpr std::array<std::string_view, 7> kSecretFragments = {
    "passphrase", "password", "passwd", "token", "secret-access-key", "secret-key", "private-key"};

using K = SettingKind;
constexpr std::array<SettingSpec, 31> kSchema = {{
    {"", "debug", K::Bool, {}},
    {"", "backend", K::Enum, {}},
    {"", "prompt", K::Enum, {}},
    {"", "keychain", K::String, {}},
    {"", "secret-service-collection", K::String, {}},
    {"", "pass-dir", K::String, {}},
    {"", "pass-cmd", K::String, {}},
    {"", "pass-prefix", K::String, {}},
    {"", "file-dir", K::String, {}},
    {"", "op-timeout", K::Duration, {}},
    {"", "op-vault-id", K::String, {}},
    {"", "op-item-title-prefix", K::String, {}},
    {"", "op-item-tag", K::String, {}},
    {"", "op-connect-host", K::String, {}},
    {"", "op-desktop-account-id", K::String, {}},
    {"", "biometrics", K::Bool, {}},
    {"exec", "duration", K::Duration, {}},
    {"exec", "region", K::String, kRegionYields},
    {"exec", "stdout", K::Bool, {}},
    {"exec", "profile-env", K::Bool, {}},
    {"exec", "ecs-server", K::Bool, {}},
    {"exec", "ec2-server", K::Bool, {}},
    {"exec", "lazy", K::Bool, {}},
    {"export", "duration", K::Duration, {}},
    {"export", "region", K::String, kRegionYields},
    {"export", "stdout", K::Bool, {}},
    {"export", "format", K::Enum, {}},
    {"login", "duration", K::Duration, {}},
    {"login", "region", K::String, kRegionYields},
    {"login", "stdout", K::Bool, {}},
    {"login", "auto-logout", K::Bool, {}},
}};

std::string at(std::string_view path, std::uint32_t line) {
  return ascii::escape_for_terminal(path) + ":" + std::to_string(line) + ": ";
}

std::string dotted(std::string_view table, std::string_view name) {
  return table.empty() ? std::string(name) : std::string(table) + "." + std::string(name);
}

bool is_command_table(std::string_view name) {
  return std::find(kCommandTables.begin(), kCommandTables.end(), name) != kCommandTables.end();
}

bool names_secret(std::string_view key) {
  std::string norm = ascii::lower(key);
  std::replace(norm.begin(), norm.end(), '_', '-');
  return std::any_of(kSecretFragments.begin(), kSecretFragments.end(),
                     [&norm](std::string_view f) { return norm.find(f) != std::string::npos; });
}

// check_secrets refuses keys naming secrets anywhere in the tree (depth bounded by the codec's
// limits::kMaxTomlDepth).
Status check_secrets(const Node& node, std::string_view path) {
  for (const Node& child : node.children) {
    if (!child.key.empty() && names_secret(child.key)) {
      return Error(Errc::Config, at(path, child.line) + "setting " +
                                     ascii::quote_for_terminal(child.key) +
                                     " names a secret; secrets never go in the settings file "
                                     "(use the keyring or the environment)");
    }
    AV_TRY(check_secrets(child, path));
  }
  return ok();
}

std::vector<std::string_view> enum_values(const SettingSpec& spec, const SettingsChoices& choices) {
  if (spec.name == "format") return {kExportFormats.begin(), kExportFormats.end()};
  const auto& list = spec.name == "backend" ? choices.backends : choices.prompt_drivers;
  return {list.begin(), list.end()};
}

Status check_enum(const SettingSpec& spec, const SettingsChoices& choices, std::string_view v) {
  const std::vector<std::string_view> values = enum_values(spec, choices);
  if (std::find(values.begin(), values.end(), v) != values.end()) return ok();
  std::string joined;
  for (std::string_view s : values) {
    if (!joined.empty()) joined += ',';
    joined += s;
  }
  return Error(Errc::Config, "enum value must be one of " + joined + ", got '" +
                                 ascii::escape_for_terminal(v) + "'");
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

// check_string applies the kind's rule to a string value; the error message has no location.
Status check_string(const SettingSpec& spec, const SettingsChoices& choices, std::string_view v) {
  if (has_control(v)) return Error(Errc::Config, "control characters are not allowed");
  if (spec.kind == K::Enum) return check_enum(spec, choices, v);
  if (spec.kind == K::Duration) {
    auto d = codec::parse_go_duration(v, codec::DurationUnits::GoWithDaysWeeks);
    if (!d) return Error(Errc::Config, std::string(d.error().message()));
  }
  return ok();
}

Result<std::string> check_value(const SettingSpec& spec, const Node& node,
                                const SettingsChoices& choices, std::string_view path) {
  const std::string where =
      at(path, node.line) + "setting " + ascii::quote_for_terminal(dotted(spec.table, spec.name));
  const NodeType want = spec.kind == K::Bool ? NodeType::Boolean : NodeType::String;
  if (node.type != want) {
    return Error(Errc::Config, where + " must be a " + std::string(codec::toml::type_name(want)) +
                                   ", got " + std::string(codec::toml::type_name(node.type)));
  }
  if (want == NodeType::Boolean) return std::string(node.boolean ? "true" : "false");
  const Status s = check_string(spec, choices, node.text);
  if (!s) return Error(Errc::Config, where + ": " + std::string(s.error().message()));
  return node.text;
}

std::string unknown_warning(std::string_view path, const Node& node, std::string_view table) {
  std::string w = at(path, node.line) + "unknown setting " +
                  ascii::quote_for_terminal(dotted(table, node.key));
  std::string alt = node.key;
  std::replace(alt.begin(), alt.end(), '_', '-');
  if (alt != node.key && find_setting_spec(table, alt) != nullptr) {
    w += " (did you mean " + ascii::quote_for_terminal(dotted(table, alt)) + "?)";
  }
  return w;
}

Status read_key(std::string_view table, const Node& node, const SettingsChoices& choices,
                Settings& out) {
  const SettingSpec* spec = find_setting_spec(table, node.key);
  if (spec == nullptr) {
    out.warnings.push_back(unknown_warning(out.path, node, table));
    return ok();
  }
  AV_TRY_ASSIGN(std::string value, check_value(*spec, node, choices, out.path));
  out.values.push_back({std::string(table), node.key, std::move(value), node.line});
  return ok();
}

Status read_table(const Node& node, const SettingsChoices& choices, Settings& out) {
  if (node.type != NodeType::Table) {
    return Error(Errc::Config, at(out.path, node.line) + "setting " +
                                   ascii::quote_for_terminal(node.key) + " must be a table, got " +
                                   std::string(codec::toml::type_name(node.type)));
  }
  for (const Node& child : node.children) AV_TRY(read_key(node.key, child, choices, out));
  return ok();
}

}  // namespace

std::span<const SettingSpec> settings_schema() noexcept { return kSchema; }

const SettingSpec* find_setting_spec(std::string_view table, std::string_view name) noexcept {
  for (const SettingSpec& s : kSchema) {
    if (s.table == table && s.name == name) return &s;
  }
  return nullptr;
}

const Setting* Settings::find(std::string_view table, std::string_view name) const noexcept {
  for (const Setting& s : values) {
    if (s.table == table && s.name == name) return &s;
  }
  return nullptr;
}

Result<Settings> parse_settings(std::string_view text, std::string_view path,
                                const SettingsChoices& choices) {
  AV_TRY_ASSIGN(const Node root,
                codec::toml::parse_document(text, path, limits::kMaxSettingsFileBytes));
  AV_TRY(check_secrets(root, path));
  Settings out;
  out.path = std::string(path);
  out.found = true;
  for (const Node& node : root.children) {
    if (is_command_table(node.key)) {
      AV_TRY(read_table(node, choices, out));
    } else {
      AV_TRY(read_key("", node, choices, out));
    }
  }
  return out;
}

Result<std::string> settings_path(const platform::Environment& env) {
  if (auto explicit_path = env.get_nonempty("AWS_VAULT_CONFIG_FILE")) {
    return std::string(*explicit_path);
  }
  AV_TRY_ASSIGN(const std::string base, platform::config_home(env));
  return platform::join_path(platform::join_path(base, "aws-vault"), "config.toml");
}

Result<Settings> load_settings(const platform::Environment& env, const SettingsChoices& choices) {
  auto path = settings_path(env);
  if (!path) {
    if (path.error().code() == Errc::NotFound) return Settings{};
    return std::move(path).error();
  }
  auto text = platform::read_file(*path, limits::kMaxSettingsFileBytes, platform::Follow::Symlinks);
  if (!text) {
    if (text.error().code() == Errc::NotFound) return Settings{*path, false, {}, {}};
    return Error(text.error().code(),
                 "reading settings file: " + std::string(text.error().message()));
  }
  AV_TRY_ASSIGN(Settings settings, parse_settings(*text, *path, choices));
  const auto writable = platform::is_group_or_world_writable(*path);
  if (writable && *writable) {
    settings.warnings.insert(settings.warnings.begin(),
                             ascii::escape_for_terminal(*path) +
                                 " is writable by group or others; it decides which programs "
                                 "aws-vault runs (fix with: chmod go-w)");
  }
  return settings;
}

}  // namespace av::config
