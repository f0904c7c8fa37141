// usage.cpp: kingpin's DefaultUsageTemplate, re-expressed as code.
#include "cli/usage.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "base/ascii.h"

namespace av::cli {
namespace {

using args::ArgSpec;
using args::CommandSpec;
using args::FlagKind;
using args::FlagSpec;
using Rows = std::vector<std::pair<std::string, std::string>>;

// kingpin: placeholder, else the default (Go-quoted for string flags), else NAME upper-cased.
std::string placeholder(const FlagSpec& f) {
  if (!f.placeholder.empty()) return f.placeholder;
  if (!f.default_value.empty()) {
    return f.kind == FlagKind::String ? ascii::quote_for_terminal(f.default_value)
                                      : f.default_value;
  }
  return ascii::upper(f.name);
}

std::string flag_column(const FlagSpec& f, bool have_short) {
  std::string s;
  if (f.short_name != '\0') {
    s = std::string("-") + f.short_name + ", ";
  } else if (have_short) {
    s = "    ";
  }
  if (f.kind == FlagKind::Bool) return s + "--[no-]" + f.name;
  return s + "--" + f.name + "=" + placeholder(f);
}

std::string with_env(const std::string& help, const std::string& env) {
  return env.empty() ? help : help + " ($" + env + ")";
}

Rows flag_rows(const std::vector<const FlagSpec*>& flags) {
  const bool have_short = std::any_of(flags.begin(), flags.end(), [](const FlagSpec* f) {
    return f->short_name != '\0';
  });
  Rows rows;
  for (const FlagSpec* f : flags) rows.emplace_back(flag_column(*f, have_short), with_env(f->help, f->env));
  return rows;
}

Rows arg_rows(const std::vector<ArgSpec>& args) {
  Rows rows;
  for (const ArgSpec& a : args) {
    std::string s = "<" + a.name + ">";
    if (!a.required) s = "[" + s + "]";
    rows.emplace_back(s, with_env(a.help, a.env));
  }
  return rows;
}

// kingpin formatTwoColumns: indent 2, padding 2, first column at most 30 wide.
std::string two_columns(const Rows& rows, int width) {
  std::size_t first = 0;
  for (const auto& [left, right] : rows) {
    if (left.size() > first && left.size() < 30) first = left.size();
  }
  const std::size_t text_width =
      static_cast<std::size_t>(std::max(width - static_cast<int>(first) - 4, 20));
  const std::string offset(2 + first + 2, ' ');
  std::string out;
  for (const auto& [left, right] : rows) {
    if (left.size() >= 30) {
      out += "  " + left + "\n" + offset;
    } else {
      out += "  " + left + std::string(first - left.size(), ' ') + "  ";
    }
    const auto lines = wrap_text(right, text_width);
    out += lines.front() + "\n";
    for (std::size_t i = 1; i < lines.size(); ++i) out += offset + lines[i] + "\n";
  }
  return out;
}

std::vector<const FlagSpec*> visible(const std::vector<FlagSpec>& flags) {
  std::vector<const FlagSpec*> out;
  for (const FlagSpec& f : flags) {
    if (!f.hidden) out.push_back(&f);
  }
  return out;
}

// kingpin flagSummary + argument summary: "[<flags>] <profile> [<args>...]".
std::string command_summary(const CommandSpec& c) {
  std::string s;
  std::size_t required = 0;
  for (const FlagSpec& f : c.flags) {
    if (!f.required) continue;
    ++required;
    s += f.kind == FlagKind::Bool ? " --[no-]" + f.name : " --" + f.name + "=" + placeholder(f);
  }
  if (required != c.flags.size()) s += " [<flags>]";
  for (const ArgSpec& a : c.args) {
    std::string item = "<" + a.name + ">" + (a.rest ? "..." : "");
    s += a.required ? " " + item : " [" + item + "]";
  }
  return s;
}

std::string commands_block(const args::AppSpec& app, int width) {
  std::string out = "Commands:\n";
  const std::size_t help_width = static_cast<std::size_t>(std::max(width - 4, 20));
  for (const CommandSpec& c : app.commands) {
    if (c.hidden) continue;
    out += "  " + c.name + command_summary(c) + "\n";
    for (const std::string& line : wrap_text(c.help, help_width)) out += "    " + line + "\n";
    out += "\n";
  }
  return out;
}

}  // namespace

std::vector<std::string> wrap_text(std::string_view text, std::size_t width) {
  std::vector<std::string> lines(1);
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    std::string_view word = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    if (word.empty()) continue;
    std::string& line = lines.back();
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.emplace_back(word);
    } else {
      if (!line.empty()) line += ' ';
      line += word;
    }
  }
  return lines;
}

int usage_width(const Context& ctx) {
  int width = ctx.stderr_columns.value_or(80);
  if (const auto columns = ctx.env.get_nonempty("COLUMNS")) {
    int parsed = 0;
    const auto [ptr, ec] = std::from_chars(columns->data(), columns->data() + columns->size(), parsed);
    if (ec == std::errc() && ptr == columns->data() + columns->size() && parsed > 0) width = parsed;
  }
  return std::clamp(width, 40, 1000);
}

std::string render_usage(const args::AppSpec& app, const CommandSpec* command, int width) {
  std::vector<const FlagSpec*> flags = visible(app.flags);
  std::string out = "usage: " + app.name;
  if (command == nullptr) {
    out += " [<flags>] <command> [<args> ...]\n\n";
  } else {
    out += " " + command->name + command_summary(*command) + "\n\n";
    const auto more = visible(command->flags);
    flags.insert(flags.end(), more.begin(), more.end());
  }
  const std::string& help = command == nullptr ? app.help : command->help;
  for (const std::string& line : wrap_text(help, static_cast<std::size_t>(width))) out += line + "\n";
  out += "\nFlags:\n" + two_columns(flag_rows(flags), width) + "\n";
  if (command == nullptr) return out + commands_block(app, width);
  if (!command->args.empty()) out += "Args:\n" + two_columns(arg_rows(command->args), width) + "\n";
  return out;
}

std::string render_long_help(const args::AppSpec& app, int width) {
  std::string out = render_usage(app, nullptr, width);
  for (const CommandSpec& c : app.commands) {
    if (c.hidden) continue;
    out += "\n" + render_usage(app, &c, width);
  }
  return out;
}

}  // namespace av::cli
