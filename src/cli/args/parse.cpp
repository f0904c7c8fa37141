// parse.cpp: kingpin's value phase on top of scan() (spec §1.1): env defaults, pre-actions,
// repeats, value validation, required flags and arguments, in upstream's order.
#include <algorithm>

#include "base/ascii.h"
#include "base/limits.h"
#include "cli/args/parse_bool.h"
#include "cli/args/parser.h"

namespace av::cli::args {
namespace {

Error usage_error(std::string message) { return Error(Errc::Usage, std::move(message)); }

std::string join_quoted(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) {
    if (!out.empty()) out += ',';
    out += v;
  }
  return out;
}

// validate_value checks `value` for `flag` and returns the normalised value.
Result<std::string> validate_value(const FlagSpec& flag, std::string_view value) {
  switch (flag.kind) {
    case FlagKind::Bool: {
      AV_TRY_ASSIGN(const bool b, parse_go_bool(value));
      return std::string(b ? "true" : "false");
    }
    case FlagKind::Enum:
      if (std::find(flag.enum_values.begin(), flag.enum_values.end(), value) ==
          flag.enum_values.end()) {
        return usage_error("enum value must be one of " + join_quoted(flag.enum_values) +
                           ", got '" + ascii::escape_for_terminal(value) + "'");
      }
      break;
    case FlagKind::Duration:
    case FlagKind::String:
      break;
  }
  if (flag.check != nullptr) {
    Status s = flag.check(value);
    if (!s) return Error(Errc::Usage, std::string(s.error().message()));
  }
  return std::string(value);
}

Status check_limits(std::span<const std::string> args) {
  if (args.size() > limits::kMaxArgs) return Error(Errc::TooLarge, "too many arguments");
  for (const std::string& a : args) {
    if (a.size() > limits::kMaxArgBytes) return Error(Errc::TooLarge, "argument too long");
  }
  return ok();
}

bool flag_in_elements(const ScanState& state, const FlagSpec* flag) {
  return std::any_of(state.elements.begin(), state.elements.end(),
                     [flag](const Element& e) { return e.flag == flag; });
}

const FlagSpec* first_pre_action(const ScanState& state) {
  for (const Element& e : state.elements) {
    if (e.flag != nullptr && e.flag->pre_action) return e.flag;
  }
  return nullptr;
}

// apply_env_defaults fills flags not on the command line from env vars or defaults.
Status apply_defaults(const ScanState& state, const EnvLookup& env, bool use_env,
                      ParsedArgs& out) {
  for (const FlagSpec* f : state.flags) {
    FlagValue fv{f, f->default_value, false, false};
    if (f->kind == FlagKind::Bool && fv.value.empty()) fv.value = "false";
    if (use_env && !f->env.empty() && !flag_in_elements(state, f)) {
      const auto v = env(f->env);
      if (v && !v->empty()) {
        AV_TRY_ASSIGN(fv.value, validate_value(*f, *v));
        fv.from_env = true;
      }
    }
    out.flags.push_back(std::move(fv));
  }
  return ok();
}

// apply_elements sets command-line values in order, rejecting repeats and bad values.
Status apply_elements(const ScanState& state, ParsedArgs& out) {
  for (const Element& e : state.elements) {
    if (e.arg != nullptr) {
      for (auto& [spec, values] : out.args) {
        if (spec == e.arg) values.push_back(e.value);
      }
      continue;
    }
    for (FlagValue& fv : out.flags) {
      if (fv.spec != e.flag) continue;
      if (fv.given) {
        return usage_error("flag '" + ascii::escape_for_terminal(e.flag->name) +
                           "' cannot be repeated");
      }
      AV_TRY_ASSIGN(fv.value, validate_value(*e.flag, e.value));
      fv.given = true;
      fv.from_env = false;
    }
  }
  return ok();
}

Status check_required(ParsedArgs& out, const EnvLookup& env) {
  std::string missing;
  for (const FlagValue& fv : out.flags) {
    if (fv.spec->required && !fv.given && !fv.from_env && fv.spec->default_value.empty()) {
      if (!missing.empty()) missing += ", ";
      missing += "'--" + fv.spec->name + "'";
    }
  }
  if (!missing.empty()) return usage_error("required flag(s) " + missing + " not provided");
  for (auto& [spec, values] : out.args) {
    if (!values.empty() || spec->env.empty()) continue;
    const auto v = env(spec->env);
    if (v && !v->empty()) values.emplace_back(*v);
  }
  for (const auto& [spec, values] : out.args) {
    if (spec->required && values.empty()) {
      return usage_error("required argument '" + spec->name + "' not provided");
    }
  }
  return ok();
}

}  // namespace

Result<ParsedArgs> parse(const AppSpec& app, std::span<const std::string> args,
                         const EnvLookup& env) {
  AV_TRY(check_limits(args));
  ScanState state = scan(app, args);
  ParsedArgs out;
  out.command = state.command;
  out.pre_action = first_pre_action(state);
  if (state.command != nullptr) {
    for (const ArgSpec& a : state.command->args) out.args.emplace_back(&a, std::vector<std::string>{});
  }
  AV_TRY(apply_defaults(state, env, out.pre_action == nullptr, out));
  if (out.pre_action != nullptr) {
    (void)apply_elements(state, out);  // best effort: help still needs the command in scope
    return out;
  }
  if (state.error) return std::move(*state.error);
  AV_TRY(apply_elements(state, out));
  AV_TRY(check_required(out, env));
  return out;
}

std::string_view ParsedArgs::command_name() const noexcept {
  return command != nullptr ? std::string_view(command->name) : std::string_view();
}

std::optional<std::string_view> ParsedArgs::flag(std::string_view name) const noexcept {
  for (const FlagValue& fv : flags) {
    if (fv.spec->name == name) return std::string_view(fv.value);
  }
  return std::nullopt;
}

bool ParsedArgs::flag_bool(std::string_view name) const noexcept {
  const auto v = flag(name);
  return v && *v == "true";
}

bool ParsedArgs::flag_given(std::string_view name) const noexcept {
  for (const FlagValue& fv : flags) {
    if (fv.spec->name == name) return fv.given;
  }
  return false;
}

std::string_view ParsedArgs::arg(std::string_view name) const noexcept {
  const auto values = arg_values(name);
  return values.empty() ? std::string_view() : std::string_view(values.front());
}

std::span<const std::string> ParsedArgs::arg_values(std::string_view name) const noexcept {
  for (const auto& [spec, values] : args) {
    if (spec->name == name) return values;
  }
  return {};
}

}  // namespace av::cli::args
